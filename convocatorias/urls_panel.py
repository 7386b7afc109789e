"""Calls in the staff panel; included into the "panel" namespace at /panel/."""

from django.urls import path

from . import views_panel

urlpatterns = [
    path("convocatorias/", views_panel.lista, name="convocatorias"),
    path("convocatorias/nueva/", views_panel.nueva, name="convocatoria_nueva"),
    path("convocatorias/<slug:slug>/editar/", views_panel.editar, name="convocatoria_editar"),
    path("convocatorias/<slug:slug>/criterios/", views_panel.criterios, name="convocatoria_criterios"),
    path("convocatorias/<slug:slug>/jurado/", views_panel.jurado, name="convocatoria_jurado"),
    path("convocatorias/<slug:slug>/documentos/", views_panel.documentos, name="convocatoria_documentos"),
    path("convocatorias/<slug:slug>/documentos/<int:pk>/eliminar/", views_panel.documento_eliminar,
         name="convocatoria_documento_eliminar"),
    path("convocatorias/<slug:slug>/publicar/", views_panel.publicar, name="convocatoria_publicar"),
    path("convocatorias/<slug:slug>/cerrar/", views_panel.cerrar, name="convocatoria_cerrar"),
]
