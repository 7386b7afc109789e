"""Open data, mounted at /datos/."""

from django.urls import path, re_path

from . import views_datos

app_name = "datos"

urlpatterns = [
    path("", views_datos.inicio, name="inicio"),
    path("data.json", views_datos.catalogo_dcat, name="catalogo_dcat"),
    re_path(r"^(?P<dataset_id>[-a-z0-9]+)/diccionario\.(?P<formato>csv|json)$", views_datos.diccionario,
            name="diccionario"),
    re_path(r"^(?P<dataset_id>[-a-z0-9]+)\.(?P<formato>csv|json)$", views_datos.descarga, name="descarga"),
]
