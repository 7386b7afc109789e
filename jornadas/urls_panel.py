from django.urls import include, path

urlpatterns = [
    path("", include("jornadas.urls_sesiones")),
    path("", include("jornadas.urls_constancias")),
]
