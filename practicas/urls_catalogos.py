"""Catalogues in the staff panel; included into the "panel" namespace at /panel/."""

from django.urls import path

from . import views_catalogos

urlpatterns = [
    path("sujetos/", views_catalogos.sujetos, name="sujetos"),
    path("sujetos.csv", views_catalogos.sujetos_exportar, {"formato": "csv"}, name="sujetos_csv"),
    path("sujetos.xlsx", views_catalogos.sujetos_exportar, {"formato": "xlsx"}, name="sujetos_xlsx"),
    path("sujetos/nuevo/", views_catalogos.sujeto_form, name="sujeto_nuevo"),
    path("sujetos/<int:pk>/editar/", views_catalogos.sujeto_form, name="sujeto_editar"),
    path("sujetos/importar/", views_catalogos.sujetos_importar, name="sujetos_importar"),
    path("sujetos/importar/confirmar/", views_catalogos.sujetos_importar_confirmar, name="sujetos_importar_confirmar"),
    path("enlaces/", views_catalogos.enlaces, name="enlaces"),
    path("enlaces.csv", views_catalogos.enlaces_exportar, {"formato": "csv"}, name="enlaces_csv"),
    path("enlaces.xlsx", views_catalogos.enlaces_exportar, {"formato": "xlsx"}, name="enlaces_xlsx"),
    path("enlaces/<int:pk>/resolver/", views_catalogos.enlace_resolver, name="enlace_resolver"),
]
