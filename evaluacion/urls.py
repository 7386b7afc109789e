"""Public pages of the evaluation, included at the site root."""

from django.urls import include, path

from . import views_catalogo, views_publico

app_name = "evaluacion"

urlpatterns = [
    path("convocatorias/<slug:slug>/resultados/", views_publico.resultados, name="resultados"),
    # The practice's page as the results page has always linked it; canonical: catalogo_practica.
    path("convocatorias/<slug:slug>/resultados/<int:pk>/", views_catalogo.practica_en_convocatoria,
         name="practica_reconocida"),
    path("practicas-reconocidas/", include("evaluacion.urls_catalogo")),
]
