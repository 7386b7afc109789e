"""The staff dashboard (/panel/): one namespace, views from each app."""

from django.urls import include, path

from portal import views_panel

app_name = "panel"

urlpatterns = [
    path("", views_panel.inicio, name="inicio"),
    path("", include("convocatorias.urls_panel")),
    path("", include("practicas.urls_panel")),
    path("", include("evaluacion.urls_panel")),
    path("", include("jornadas.urls_panel")),
    path("", include("compromisos.urls_panel")),
    path("", include("core.urls_panel")),
]
