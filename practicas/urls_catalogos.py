"""Catalogues in the staff panel; included into the "panel" namespace at /panel/."""

from django.urls import path

from . import views_catalogos

urlpatterns = [
    path("sujetos/", views_catalogos.sujetos, name="sujetos"),
    path("sujetos/nuevo/", views_catalogos.sujeto_form, name="sujeto_nuevo"),
    path("sujetos/<int:pk>/editar/", views_catalogos.sujeto_form, name="sujeto_editar"),
    path("sujetos/importar/", views_catalogos.sujetos_importar, name="sujetos_importar"),
    path("sujetos/importar/confirmar/", views_catalogos.sujetos_importar_confirmar, name="sujetos_importar_confirmar"),
    path("enlaces/", views_catalogos.enlaces, name="enlaces"),
    path("enlaces/<int:pk>/resolver/", views_catalogos.enlace_resolver, name="enlace_resolver"),
]
