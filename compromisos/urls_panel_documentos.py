"""The authority's «Formato carta compromiso» texts, in the panel's namespace."""

from django.urls import path

from . import views_documentos as v

urlpatterns = [
    path("cartas-compromiso/formato/<slug:slug>/", v.carta_formato_editar, name="carta_formato_editar"),
    path("cartas-compromiso/formato/<slug:slug>/vista-previa.pdf", v.carta_formato_vista_previa,
         name="carta_formato_vista_previa"),
]
