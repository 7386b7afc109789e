from django.urls import include, path

from . import views_panel

urlpatterns = [
    path("convocatorias/<slug:slug>/practicas/", views_panel.practicas, name="practicas"),
    path("convocatorias/<slug:slug>/practicas.csv", views_panel.practicas_exportar, {"formato": "csv"},
         name="practicas_csv"),
    path("convocatorias/<slug:slug>/practicas.xlsx", views_panel.practicas_exportar, {"formato": "xlsx"},
         name="practicas_xlsx"),
    path("convocatorias/<slug:slug>/practicas/registrar/", views_panel.registrar_recibida, name="registrar_recibida"),
    path("acuses/<int:pk>/reintentar/", views_panel.acuse_reintentar, name="acuse_reintentar"),
    path("", include("practicas.urls_catalogos")),
]
