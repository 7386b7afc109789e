"""API of the cartas compromiso: one row per practice committed in an accepted letter, the same rows
and columns as the open dataset (compromisos.datos_abiertos), filtered by authority, body and state."""

import django_filters
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import viewsets

from core.acceso import AccesoApiMixin
from core.api import ID, ApiPublicaMixin, parametro_id, serializer_de
from core.filtros import FiltroEntero, filtro_autoridad

from . import datos_abiertos, selectors
from .models import PracticaComprometida

CompromisoSerializer = serializer_de("CompromisoSerializer", datos_abiertos.CARTAS, datos_abiertos.fila_compromiso)


class CompromisoFilter(django_filters.FilterSet):
    autoridad = filtro_autoridad("carta__autoridad")
    sujeto = FiltroEntero(field_name="carta__sujeto_id", min_value=1, label=_("Sujeto obligado (identificador)"))
    # The state as of today, as the pages and the download say it («vencida» from the clock).
    estado = django_filters.ChoiceFilter(field_name="estado_vigente", choices=PracticaComprometida.Estado.choices,
                                         label=_("Estado de la práctica comprometida"))

    class Meta:
        model = PracticaComprometida
        fields = ["autoridad", "sujeto", "estado"]


@extend_schema_view(
    list=extend_schema(summary="Cartas compromiso: prácticas comprometidas",
                       description="Las prácticas que los sujetos obligados se comprometieron a publicar en cartas "
                                   "compromiso aceptadas, con su estado a la fecha de la consulta."),
    retrieve=extend_schema(summary="Una práctica comprometida",
                           parameters=[parametro_id("Identificador de la práctica comprometida.")]),
)
class CompromisoViewSet(AccesoApiMixin, ApiPublicaMixin, viewsets.ReadOnlyModelViewSet):
    serializer_class = CompromisoSerializer
    filterset_class = CompromisoFilter
    lookup_value_regex = ID
    dataset_uso = datos_abiertos.CARTAS

    def get_queryset(self):
        return selectors.comprometidas_del_rastreador()
