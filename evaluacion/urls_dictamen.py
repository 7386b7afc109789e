"""Rulings, publication and recognitions in the panel; included into the "panel" namespace at /panel/."""

from django.urls import path

from . import views_dictamen as v

urlpatterns = [
    path("convocatorias/<slug:slug>/dictamenes/", v.dictamenes, name="dictamenes"),
    path("convocatorias/<slug:slug>/resultados/publicar/", v.resultados_publicar, name="resultados_publicar"),
    path("dictamenes/<int:pk>/", v.dictamen, name="dictamen"),
    path("dictamenes/<int:pk>/firmar/", v.dictamen_firmar, name="dictamen_firmar"),
    path("reconocimientos/<int:pk>/revocar/", v.reconocimiento_revocar, name="reconocimiento_revocar"),
    path("documentos/<int:pk>/reintentar/", v.documento_reintentar, name="documento_reintentar"),
]
