"""The catalogue's filters, shared by the pages and the API (django-filter), so both accept the
same parameters and answer the same. Always give it `catalogo.reconocimientos_publicos(ahora)` as
the queryset: the filters only narrow what the public may already see.

    f = CatalogoFilter(request.GET, queryset=reconocimientos_publicos())
    f.qs  # filtered and ordered

Parameters: q (full-text), anio, autoridad (slug), convocatoria (slug), sujeto (id), orden
(estatal/municipal), municipio (cvegeo), vigencia (vigente/historica), orden_por
(relevancia/recientes/nombre). An unknown authority or call is a form error, like any invalid
value: the API answers 400, the page shows the error by its field (and a 400).
"""

import django_filters
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from convocatorias.models import Convocatoria
from core.filtros import FiltroEntero, filtro_anio, filtro_autoridad
from practicas.models import SujetoObligado

from . import busqueda
from .catalogo import sujetos_por_nombre

P = "dictamen__practica__"


class Vigencia:
    VIGENTE = "vigente"
    HISTORICA = "historica"
    choices = [(VIGENTE, _("Vigente")), (HISTORICA, _("Histórica"))]


class Orden:
    RELEVANCIA = "relevancia"
    RECIENTES = "recientes"
    NOMBRE = "nombre"
    choices = [(RELEVANCIA, _("Relevancia")), (RECIENTES, _("Más recientes")), (NOMBRE, _("Nombre (A-Z)"))]


ORDENES = {
    # pk last: a stable order, so pages never repeat or skip a row.
    Orden.RECIENTES: ("-vigente_desde", "-pk"),  # the index reconocimiento_recientes
    Orden.NOMBRE: (f"{P}nombre", "-vigente_desde", "-pk"),
    Orden.RELEVANCIA: ("-relevancia", "-vigente_desde", "-pk"),
}


class CatalogoFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="filtrar_texto", label=_("Buscar"), max_length=200)
    anio = filtro_anio(f"{P}convocatoria__anio")
    autoridad = filtro_autoridad(f"{P}convocatoria__autoridad")
    # Any public call (not a draft): one whose results are not out yet is a valid, empty choice.
    convocatoria = django_filters.ModelChoiceFilter(
        field_name=f"{P}convocatoria", to_field_name="slug", label=_("Convocatoria"),
        queryset=Convocatoria.objects.exclude(estado=Convocatoria.Estado.BORRADOR),
        help_text=_("Identificador de la convocatoria (su «slug»). Uno que no existe es un error 400."))
    sujeto = FiltroEntero(field_name=f"{P}sujeto_id", label=_("Sujeto obligado"), min_value=1)
    orden = django_filters.ChoiceFilter(field_name=f"{P}sujeto__orden", choices=SujetoObligado.Orden.choices,
                                        label=_("Orden de gobierno"))
    municipio = django_filters.CharFilter(field_name=f"{P}sujeto__municipio_id", label=_("Municipio"),
                                          max_length=5)
    vigencia = django_filters.ChoiceFilter(method="filtrar_vigencia", choices=Vigencia.choices,
                                           label=_("Vigencia"))
    orden_por = django_filters.ChoiceFilter(method="sin_efecto", choices=Orden.choices, label=_("Ordenar por"))

    def filtrar_texto(self, queryset: QuerySet, name, value) -> QuerySet:
        return busqueda.buscar(queryset, value)

    def filtrar_vigencia(self, queryset: QuerySet, name, value) -> QuerySet:
        # `estado_vigencia` is annotated by reconocimientos_publicos (vigente, vencido, revocado).
        if value == Vigencia.VIGENTE:
            return queryset.filter(estado_vigencia="vigente")
        return queryset.exclude(estado_vigencia="vigente")

    def sin_efecto(self, queryset: QuerySet, name, value) -> QuerySet:
        return queryset  # applied last, in filter_queryset, once the search has annotated relevance

    def orden_efectivo(self) -> str:
        """The order applied: the one asked for, else relevance when searching on PostgreSQL, else
        the most recent. Relevance without a ranked search means the most recent."""
        datos = self.form.cleaned_data if hasattr(self.form, "cleaned_data") else {}
        pedido = datos.get("orden_por") or ""
        busca = bool((datos.get("q") or "").strip()) and busqueda.es_postgresql()
        if pedido == Orden.NOMBRE:
            return Orden.NOMBRE
        if busca and pedido in ("", Orden.RELEVANCIA):
            return Orden.RELEVANCIA
        return Orden.RECIENTES

    def filter_queryset(self, queryset: QuerySet) -> QuerySet:
        queryset = super().filter_queryset(queryset)
        orden = self.orden_efectivo()
        if orden == Orden.RELEVANCIA and "relevancia" not in queryset.query.annotations:
            orden = Orden.RECIENTES
        return queryset.order_by(*ORDENES[orden])


class CatalogoPaginaFilter(CatalogoFilter):
    """The catalogue page's filters: the API's, plus the «Sujeto obligado» text box (`sujeto_nombre`:
    part of a body's name or abbreviation, what its type-ahead offers; the API names a body by id)."""

    sujeto_nombre = django_filters.CharFilter(
        method="filtrar_sujeto_nombre", label=_("Sujeto obligado"), max_length=200,
        help_text=_("Parte del nombre o las siglas del sujeto obligado; no distingue acentos ni mayúsculas."))

    def filtrar_sujeto_nombre(self, queryset: QuerySet, name, value) -> QuerySet:
        # Among the bodies the public may see (self.queryset: reconocimientos_publicos).
        ids = [pk for pk, _nombre in sujetos_por_nombre(self.queryset, value)]
        return queryset.filter(**{f"{P}sujeto_id__in": ids})
