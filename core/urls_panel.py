"""Authorities in the staff panel; included into the "panel" namespace at /panel/."""

from django.urls import path

from . import views_panel

urlpatterns = [
    path("autoridades/", views_panel.lista, name="autoridades"),
    path("autoridades/nueva/", views_panel.nueva, name="autoridad_nueva"),
    path("autoridades/<slug:slug>/editar/", views_panel.editar, name="autoridad_editar"),
    path("autoridades/<slug:slug>/firmantes/", views_panel.firmantes, name="autoridad_firmantes"),
    path("autoridades/<slug:slug>/personal/", views_panel.personal, name="autoridad_personal"),
    path("autoridades/<slug:slug>/personal/<int:pk>/editar/", views_panel.personal_editar,
         name="autoridad_personal_editar"),
    path("autoridades/<slug:slug>/personal/<int:pk>/retirar/", views_panel.personal_retirar,
         name="autoridad_personal_retirar"),
    path("autoridades/<slug:slug>/historial/", views_panel.historial, name="autoridad_historial"),
]
