"""The public catalogue, mounted at /practicas-reconocidas/ by evaluacion/urls.py (namespace
`evaluacion`)."""

from django.urls import path

from . import views_catalogo

urlpatterns = [
    path("", views_catalogo.catalogo, name="catalogo"),
    path("<int:pk>/", views_catalogo.practica, name="catalogo_practica"),
    path("sujetos/<int:pk>/", views_catalogo.sujeto, name="catalogo_sujeto"),
    path("sujetos/sugeridos/", views_catalogo.sujetos_sugeridos, name="catalogo_sujetos_sugeridos"),
]
