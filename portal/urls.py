from django.urls import path

from . import views

app_name = "portal"

urlpatterns = [
    path("", views.inicio, name="inicio"),
    path("cuentas/destino/", views.destino, name="inicio_sesion_destino"),
]
