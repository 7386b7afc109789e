"""Public pages of the evaluation, included at the site root."""

from django.urls import path

from . import views_publico

app_name = "evaluacion"

urlpatterns = [
    path("convocatorias/<slug:slug>/resultados/", views_publico.resultados, name="resultados"),
    path("convocatorias/<slug:slug>/resultados/<int:pk>/", views_publico.practica_reconocida,
         name="practica_reconocida"),
]
