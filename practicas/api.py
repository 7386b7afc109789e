"""API filters of the bodies (sujetos obligados). The viewset lives in the portal (portal/api.py):
its rows count the recognised practices, which evaluacion knows."""

import django_filters
from django.db.models import Q

from core.filtros import filtro_autoridad
from core.models import AutoridadGarante

from .models import SujetoObligado
from .selectors import sujetos_de_autoridad


class SujetoFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="buscar", max_length=200, label="Nombre o siglas")
    orden = django_filters.ChoiceFilter(choices=SujetoObligado.Orden.choices)
    tipo = django_filters.ChoiceFilter(choices=SujetoObligado.Tipo.choices)
    municipio = django_filters.CharFilter(field_name="municipio_id", max_length=5, label="Clave INEGI del municipio")
    # A body's authority is the one of its entidad (its jurisdiction).
    autoridad = filtro_autoridad(method="de_la_autoridad")

    class Meta:
        model = SujetoObligado
        fields = ["q", "orden", "tipo", "municipio", "autoridad"]

    def de_la_autoridad(self, queryset, name, value: AutoridadGarante):
        return sujetos_de_autoridad(queryset, value)

    def buscar(self, queryset, name, value):
        for palabra in value.split():
            queryset = queryset.filter(Q(nombre__icontains=palabra) | Q(siglas__icontains=palabra))
        return queryset
