"""A body's own letters, under /cartas-compromiso/mis-cartas/ (namespace compromisos)."""

from django.urls import path

from . import views_enlace as v

urlpatterns = [
    path("mis-cartas/", v.mis_cartas, name="mis_cartas"),
    path("mis-cartas/nueva/", v.carta_nueva, name="carta_nueva"),
    path("mis-cartas/<int:pk>/", v.carta, name="carta"),
    path("mis-cartas/<int:pk>/editar/", v.carta_editar, name="carta_editar"),
    path("mis-cartas/<int:pk>/carta-firmada/", v.carta_firmada_subir, name="carta_firmada_subir"),
    path("mis-cartas/<int:pk>/carta-firmada/descargar/", v.carta_firmada, name="carta_firmada"),
    path("mis-cartas/<int:pk>/presentar/", v.carta_presentar, name="carta_presentar"),
    path("mis-cartas/compromisos/<int:pk>/seguimiento/", v.seguimiento, name="seguimiento"),
    path("mis-cartas/practicas/<int:pk>/vincular/", v.vincular, name="vincular"),
]
