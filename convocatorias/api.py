"""API filters of the public calls. The viewset lives in the portal (portal/api.py): its rows
count the recognised practices, which evaluacion knows."""

import django_filters

from core.filtros import filtro_anio, filtro_autoridad

from .models import Convocatoria


class ConvocatoriaFilter(django_filters.FilterSet):
    anio = filtro_anio("anio")
    autoridad = filtro_autoridad("autoridad")

    class Meta:
        model = Convocatoria
        fields = ["anio", "autoridad"]
