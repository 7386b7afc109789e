"""The staff's list and review of cartas compromiso (namespace panel)."""

from django.urls import path

from . import views_panel as v

urlpatterns = [
    path("cartas-compromiso/", v.cartas, name="cartas"),
    path("cartas-compromiso.csv", v.cartas_exportar, {"formato": "csv"}, name="cartas_csv"),
    path("cartas-compromiso.xlsx", v.cartas_exportar, {"formato": "xlsx"}, name="cartas_xlsx"),
    path("cartas-compromiso/nueva/", v.carta_nueva, name="carta_nueva"),
    path("cartas-compromiso/<int:pk>/", v.carta, name="carta"),
    path("cartas-compromiso/<int:pk>/aceptar/", v.carta_aceptar, name="carta_aceptar"),
    path("cartas-compromiso/<int:pk>/devolver/", v.carta_devolver, name="carta_devolver"),
]
