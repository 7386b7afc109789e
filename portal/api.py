"""API of the public calls and of the bodies: both count how many of their practices the public
may see as recognised (evaluacion's public recognitions), so they sit above the apps."""

from django.utils import timezone
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import viewsets

from convocatorias.api import ConvocatoriaFilter
from core.api import ID, SLUG, ApiPublicaMixin, parametro_id, serializer_de
from practicas.api import SujetoFilter

from . import datos_abiertos

ConvocatoriaSerializer = serializer_de("ConvocatoriaSerializer", datos_abiertos.CONVOCATORIAS,
                                       datos_abiertos.fila_convocatoria)
SujetoSerializer = serializer_de("SujetoSerializer", datos_abiertos.SUJETOS, datos_abiertos.fila_sujeto)


@extend_schema_view(
    list=extend_schema(summary="Convocatorias", description="Las convocatorias publicadas, de la más reciente a "
                                                            "la más antigua."),
    retrieve=extend_schema(summary="Una convocatoria"),
)
class ConvocatoriaViewSet(ApiPublicaMixin, viewsets.ReadOnlyModelViewSet):
    serializer_class = ConvocatoriaSerializer
    filterset_class = ConvocatoriaFilter
    lookup_field = "slug"
    lookup_value_regex = SLUG
    dataset_uso = datos_abiertos.CONVOCATORIAS

    def get_queryset(self):
        return datos_abiertos.convocatorias_con_reconocidas(timezone.now()).order_by("-fecha_cierre", "pk")


@extend_schema_view(
    list=extend_schema(summary="Sujetos obligados"),
    retrieve=extend_schema(summary="Un sujeto obligado", parameters=[parametro_id("Identificador del sujeto obligado.")]),
)
class SujetoViewSet(ApiPublicaMixin, viewsets.ReadOnlyModelViewSet):
    serializer_class = SujetoSerializer
    filterset_class = SujetoFilter
    lookup_value_regex = ID
    dataset_uso = datos_abiertos.SUJETOS

    def get_queryset(self):
        return datos_abiertos.sujetos_publicos(timezone.now())
