from django.urls import include, path

urlpatterns = [
    path("", include("evaluacion.urls_jurado")),
    path("", include("evaluacion.urls_dictamen")),
]
