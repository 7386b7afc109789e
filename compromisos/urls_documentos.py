"""The «Formato carta compromiso» of a letter (namespace compromisos, under /cartas-compromiso/)."""

from django.urls import path

from . import views_documentos as v

urlpatterns = [
    path("mis-cartas/<int:pk>/formato/generar/", v.carta_formato_generar, name="carta_formato_generar"),
    path("mis-cartas/<int:pk>/formato/carta-compromiso.pdf", v.carta_formato, name="carta_formato"),
    path("mis-cartas/<int:pk>/formato/estado/", v.carta_formato_estado, name="carta_formato_estado"),
]
