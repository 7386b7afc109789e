"""API of the bodies (sujetos obligados): a public catalogue, with how many of their practices the
public may see as recognised."""

import django_filters
from django.db.models import Q
from django.utils import timezone
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import viewsets

from core import datos_abiertos
from core.api import ID, ApiPublicaMixin, parametro_id, serializer_de

from .models import SujetoObligado

SujetoSerializer = serializer_de("SujetoSerializer", datos_abiertos.SUJETOS, datos_abiertos.fila_sujeto)


class SujetoFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="buscar", max_length=200, label="Nombre o siglas")
    orden = django_filters.ChoiceFilter(choices=SujetoObligado.Orden.choices)
    tipo = django_filters.ChoiceFilter(choices=SujetoObligado.Tipo.choices)
    municipio = django_filters.CharFilter(field_name="municipio_id", max_length=5, label="Clave INEGI del municipio")

    class Meta:
        model = SujetoObligado
        fields = ["q", "orden", "tipo", "municipio"]

    def buscar(self, queryset, name, value):
        for palabra in value.split():
            queryset = queryset.filter(Q(nombre__icontains=palabra) | Q(siglas__icontains=palabra))
        return queryset


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
