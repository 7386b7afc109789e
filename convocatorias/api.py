"""API of the public calls (all but drafts)."""

import django_filters
from django.utils import timezone
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import viewsets

from core import datos_abiertos
from core.api import SLUG, ApiPublicaMixin, serializer_de

from .models import Convocatoria

ConvocatoriaSerializer = serializer_de("ConvocatoriaSerializer", datos_abiertos.CONVOCATORIAS,
                                       datos_abiertos.fila_convocatoria)


class ConvocatoriaFilter(django_filters.FilterSet):
    anio = django_filters.NumberFilter(field_name="anio", min_value=1900, max_value=9999)

    class Meta:
        model = Convocatoria
        fields = ["anio"]


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
