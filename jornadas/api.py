"""API of the jornadas aggregates: sessions, attendance per body and survey results. Counts only:
nothing here names, or lets anyone single out, a participant."""

import django_filters
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, viewsets

from core.acceso import AccesoApiMixin
from core.api import PARAMETRO_AUTORIDAD_API, SLUG, ApiPublicaMixin, autoridad_de_consulta, serializer_de
from core.filtros import PARAMETRO_AUTORIDAD, filtro_anio, filtro_autoridad
from practicas.models import SujetoObligado

from . import datos_abiertos
from .models import Jornada, Registro

SesionSerializer = serializer_de("SesionSerializer", datos_abiertos.SESIONES, datos_abiertos.fila_sesion)
AsistenciaSujetoSerializer = serializer_de("AsistenciaSujetoSerializer", datos_abiertos.ASISTENCIA,
                                           datos_abiertos.fila_asistencia)
ResultadoEncuestaSerializer = serializer_de("ResultadoEncuestaSerializer", datos_abiertos.ENCUESTAS,
                                            lambda fila, contexto: fila)


class SesionFilter(django_filters.FilterSet):
    anio = filtro_anio("inicio", "year")
    ciclo = django_filters.CharFilter(field_name="ciclo__slug", max_length=120, label="Ciclo (identificador)")
    modalidad = django_filters.ChoiceFilter(choices=Jornada.Modalidad.choices)
    autoridad = filtro_autoridad("autoridad")

    class Meta:
        model = Jornada
        fields = ["anio", "ciclo", "modalidad", "autoridad"]


class AsistenciaFilter(django_filters.FilterSet):
    anio = filtro_anio("jornada__inicio", "year")
    orden = django_filters.ChoiceFilter(field_name="participante__sujeto__orden",
                                        choices=SujetoObligado.Orden.choices, label="Orden de gobierno")
    autoridad = filtro_autoridad("jornada__autoridad")

    class Meta:
        model = Registro
        fields = ["anio", "orden", "autoridad"]


@extend_schema_view(
    list=extend_schema(summary="Sesiones de las jornadas", description="Sesiones publicadas con sus personas "
                       "registradas, asistentes y encuestas respondidas."),
    retrieve=extend_schema(summary="Una sesión"),
)
class SesionViewSet(AccesoApiMixin, ApiPublicaMixin, viewsets.ReadOnlyModelViewSet):
    serializer_class = SesionSerializer
    filterset_class = SesionFilter
    lookup_field = "slug"
    lookup_value_regex = SLUG
    dataset_uso = datos_abiertos.SESIONES

    def get_queryset(self):
        return datos_abiertos.sesiones_publicas()


@extend_schema_view(list=extend_schema(summary="Asistencia por sujeto obligado",
                                       description="Asistencias a las sesiones publicadas por año y sujeto obligado."))
class AsistenciaSujetoViewSet(ApiPublicaMixin, mixins.ListModelMixin, viewsets.GenericViewSet):
    serializer_class = AsistenciaSujetoSerializer
    filterset_class = AsistenciaFilter
    dataset_uso = datos_abiertos.ASISTENCIA
    queryset = Registro.objects.none()  # for the schema; the rows come from get_queryset

    def get_queryset(self):
        return datos_abiertos.asistencia_por_sujeto()


@extend_schema_view(list=extend_schema(summary="Resultados de las encuestas de satisfacción",
                                       description="Conteo y porcentaje por pregunta y opción; sin respuestas "
                                                   "individuales ni comentarios.",
                                       parameters=[PARAMETRO_AUTORIDAD_API]))
class ResultadoEncuestaViewSet(ApiPublicaMixin, mixins.ListModelMixin, viewsets.GenericViewSet):
    serializer_class = ResultadoEncuestaSerializer
    filter_backends = []  # the rows are a list of aggregates; the authority is read here
    parametros_consulta = (PARAMETRO_AUTORIDAD,)
    dataset_uso = datos_abiertos.ENCUESTAS

    def get_queryset(self):
        return datos_abiertos.resultados_encuestas(autoridad_de_consulta(self.request))
