"""The public tracker (compromisos.views_publico), in the compromisos namespace."""

from django.urls import path

from . import views_publico

urlpatterns = [
    path("", views_publico.inicio, name="inicio"),
    path("<slug:autoridad>/", views_publico.autoridad, name="autoridad"),
    path("<slug:autoridad>/<int:sujeto>/", views_publico.sujeto, name="sujeto"),
]
