"""API of the catalogue of recognised practices: the same queryset as the pages
(`reconocimientos_publicos`, the embargo in SQL) and the same filters (`CatalogoFilter`)."""

from django.utils import timezone
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import viewsets

from core.acceso import AccesoApiMixin
from core.api import ID, ApiPublicaMixin, parametro_id, serializer_de

from . import datos_abiertos
from .catalogo import reconocimientos_publicos
from .filtros import CatalogoFilter

PracticaReconocidaSerializer = serializer_de(
    "PracticaReconocidaSerializer", datos_abiertos.RECONOCIMIENTOS, datos_abiertos.fila_reconocimiento)


@extend_schema_view(
    list=extend_schema(summary="Prácticas reconocidas",
                       description="Las prácticas reconocidas con resultados ya publicados, con los filtros del "
                                   "catálogo del portal."),
    retrieve=extend_schema(summary="Una práctica reconocida",
                           parameters=[parametro_id("Identificador de la práctica.")]),
)
class PracticaReconocidaViewSet(AccesoApiMixin, ApiPublicaMixin, viewsets.ReadOnlyModelViewSet):
    serializer_class = PracticaReconocidaSerializer
    filterset_class = CatalogoFilter
    lookup_field = "dictamen__practica_id"
    lookup_url_kwarg = "id"
    lookup_value_regex = ID
    dataset_uso = datos_abiertos.RECONOCIMIENTOS

    def get_queryset(self):
        return reconocimientos_publicos(timezone.now())
