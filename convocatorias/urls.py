from django.urls import path

from . import views

app_name = "convocatorias"

urlpatterns = [
    path("", views.lista, name="lista"),
    path("<slug:slug>/", views.detalle, name="detalle"),
    path("<slug:slug>/documentos/<int:pk>/", views.documento, name="documento"),
]
