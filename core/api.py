"""What every read-only API viewset shares: pagination, the anonymous rate limit, the reuse
counter (a client's successful calls count once per dataset and day, robots never: core.reuso),
the rule that an unknown query parameter is a 400, and the authority as an object in every row. Its links
(the pages' and the rows'; the root's, config.api_urls) are under SITE_URL (core.sitio), never
the request's host."""

from django import forms
from django.conf import settings
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from drf_spectacular.contrib.django_filters import DjangoFilterExtension
from drf_spectacular.utils import OpenApiParameter
from rest_framework import serializers
from rest_framework.exceptions import ErrorDetail, NotFound, PermissionDenied, Throttled, ValidationError
from rest_framework.pagination import PageNumberPagination
from rest_framework.throttling import AnonRateThrottle
from rest_framework.utils.urls import remove_query_param, replace_query_param
from rest_framework.views import exception_handler

from . import datos_abiertos, reuso, sitio
from .filtros import AYUDA_AUTORIDAD, PARAMETRO_AUTORIDAD, leer_autoridad, parametros_desconocidos
from .models import UsoDataset
from .views_errores import MENSAJES_API

# Path parameters as the router's regexes take them, so the document never promises more.
SLUG = "[-a-zA-Z0-9_]+"
ID = "[0-9]+"


def parametro_id(descripcion: str) -> OpenApiParameter:
    return OpenApiParameter("id", {"type": "integer", "minimum": 1}, OpenApiParameter.PATH, description=descripcion)


class Paginacion(PageNumberPagination):
    """`pagina` (1 or more) and `por_pagina` (1 to 500), both whole numbers, as the document says:
    anything else is a 400 naming the parameter (DRF's own would take "abc" as the default size,
    clamp 9999 to the maximum and call a page "abc" not found). A page past the last is a 404."""

    page_size = 50
    page_query_param = "pagina"
    page_size_query_param = "por_pagina"
    max_page_size = 500
    last_page_strings = ()  # no undocumented "?pagina=last"

    def _entero(self, request, parametro: str, maximo: int | None = None) -> int | None:
        texto = request.query_params.get(parametro)
        if texto is None:
            return None
        campo = forms.IntegerField(min_value=1, max_value=maximo)
        try:
            return campo.clean(texto)
        except DjangoValidationError as exc:
            raise ValidationError({parametro: list(exc.messages)}) from exc

    def get_page_size(self, request):
        tamano = self._entero(request, self.page_size_query_param, self.max_page_size)
        return self.page_size if tamano is None else tamano

    def get_page_number(self, request, paginator):
        numero = self._entero(request, self.page_query_param)
        return 1 if numero is None else numero

    def get_schema_operation_parameters(self, view):
        """DRF's two parameters, with the bounds the form above enforces."""
        limites = {self.page_query_param: {"minimum": 1},
                   self.page_size_query_param: {"minimum": 1, "maximum": self.max_page_size}}
        parametros = super().get_schema_operation_parameters(view)
        for parametro in parametros:
            parametro["schema"].update(limites.get(parametro["name"], {}))
        return parametros

    def _url_actual(self) -> str:
        """This page's address, query included, under SITE_URL (DRF's uses the request's host)."""
        return sitio.url_absoluta(self.request.get_full_path())

    def get_next_link(self):
        if not self.page.has_next():
            return None
        return replace_query_param(self._url_actual(), self.page_query_param, self.page.next_page_number())

    def get_previous_link(self):
        if not self.page.has_previous():
            return None
        numero = self.page.previous_page_number()
        if numero == 1:
            return remove_query_param(self._url_actual(), self.page_query_param)
        return replace_query_param(self._url_actual(), self.page_query_param, numero)


class LimiteAnonimo(AnonRateThrottle):
    """Anonymous clients, by address, at API_LIMITE_ANONIMO (e.g. "120/min"). Read from the settings
    on each request (DRF reads its own at import), so an override applies at once."""

    def get_rate(self):
        return settings.API_LIMITE_ANONIMO


# Standard parameters any operation takes besides its own: DRF's format override.
PARAMETROS_ESTANDAR = ("format",)


class ApiPublicaMixin:
    """Every read-only viewset: any site may read the answer (CORS), a client's successful GETs count
    as one API use of `dataset_uso` a day (core.reuso), and a query parameter the operation does not
    take (its filters, `parametros_consulta`, and on a list the page and page size) is a 400 naming the ones it takes,
    as is a parameter given more than once."""

    dataset_uso: str = ""
    parametros_consulta: tuple[str, ...] = ()  # parameters read outside the FilterSet

    def parametros_admitidos(self) -> set[str]:
        nombres = set(self.parametros_consulta)
        filterset = getattr(self, "filterset_class", None)
        if filterset is not None and self.filter_backends:
            nombres.update(filterset.base_filters)
        paginador = self.paginator
        if getattr(self, "action", None) == "list" and paginador is not None:
            nombres.update(p for p in (paginador.page_query_param, paginador.page_size_query_param) if p)
        return nombres

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        if getattr(self, request.method.lower(), None) is None:
            return  # a method the resource does not take: DRF answers 405 whatever the parameters
        errores = parametros_desconocidos(request.query_params, self.parametros_admitidos(), PARAMETROS_ESTANDAR)
        # Every parameter takes one value: "?anio=2023&anio=2024" would be read as 2024 alone.
        for nombre, valores in request.query_params.lists():
            if len(valores) > 1 and nombre not in errores:
                errores[nombre] = [gettext("Este parámetro se indicó más de una vez; indíquelo una sola vez.")]
        if errores:
            raise ValidationError(errores)

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        response["Access-Control-Allow-Origin"] = "*"
        if request.method == "GET" and 200 <= response.status_code < 300 and self.dataset_uso:
            reuso.contar(request, dataset=self.dataset_uso, formato="json", canal=UsoDataset.Canal.API)
        return response


def autoridad_de_consulta(request):
    """`?autoridad=<slug>` where no FilterSet applies: the authority, None if not asked, a 400 if unknown."""
    autoridad, errores = leer_autoridad(request.query_params)
    if errores:
        raise ValidationError(errores)
    return autoridad


PARAMETRO_AUTORIDAD_API = OpenApiParameter(
    PARAMETRO_AUTORIDAD, str, OpenApiParameter.QUERY,
    description=str(AYUDA_AUTORIDAD))


# --- errors -------------------------------------------------------------------------------------------

def manejar_excepcion(exc, context):
    """DRF's EXCEPTION_HANDLER: DRF's own, with Django's exceptions and the rate limit in the words
    the API's other errors use (core.views_errores): an Http404 carries Django's English ("No
    Convocatoria matches the given query.") and DRF's Spanish for a throttle is awkward."""
    if isinstance(exc, Http404):
        exc = NotFound(MENSAJES_API[404])
    elif isinstance(exc, DjangoPermissionDenied):
        exc = PermissionDenied(MENSAJES_API[403])
    elif isinstance(exc, Throttled):
        if exc.wait is None:
            texto = gettext("Se superó el límite de consultas de la API. Intente más tarde.")
        else:
            # In whole seconds, as the Retry-After header says them.
            segundos = int(exc.wait)
            texto = ngettext("Se superó el límite de consultas de la API. Intente de nuevo en %(n)d segundo.",
                             "Se superó el límite de consultas de la API. Intente de nuevo en %(n)d segundos.",
                             segundos) % {"n": segundos}
        exc.detail = ErrorDetail(texto, code=exc.default_code)
    return exception_handler(exc, context)


# --- serializers built from a dataset's dictionary ------------------------------------------------

class AutoridadSerializer(serializers.Serializer):
    """La autoridad garante: siglas, nombre e identificador (el valor del parámetro `autoridad`)."""

    siglas = serializers.CharField(read_only=True, help_text=_("Siglas de la autoridad garante."))
    nombre = serializers.CharField(read_only=True, help_text=_("Nombre de la autoridad garante."))
    slug = serializers.CharField(read_only=True, help_text=_("Identificador en el portal; el valor del "
                                                             "parámetro «autoridad»."))


_AYUDA_AUTORIDAD_FILA = _("La autoridad garante de la fila (las columnas autoridad_siglas, autoridad y "
                           "autoridad_slug del diccionario de datos), como un objeto.")
_AYUDA_AUTORIDAD_NULA = _("La autoridad garante de la fila (las columnas autoridad_siglas, autoridad y "
                          "autoridad_slug del diccionario de datos), como un objeto; null si no hay ninguna.")


def _autoridad(fila: dict) -> dict | None:
    """A row's three authority columns as the API's object (None if the row has no authority)."""
    if fila[datos_abiertos.AUTORIDAD_SLUG] is None:
        return None
    return {"siglas": fila[datos_abiertos.AUTORIDAD_SIGLAS], "nombre": fila[datos_abiertos.AUTORIDAD_NOMBRE],
            "slug": fila[datos_abiertos.AUTORIDAD_SLUG]}


_TIPOS_DRF = {
    datos_abiertos.TEXTO: serializers.CharField,
    datos_abiertos.ENTERO: serializers.IntegerField,
    datos_abiertos.DECIMAL: serializers.FloatField,
    datos_abiertos.FECHA: serializers.DateField,
    datos_abiertos.FECHA_HORA: serializers.DateTimeField,
    datos_abiertos.URL: serializers.URLField,
}


def _campo_drf(campo: datos_abiertos.Campo) -> serializers.Field:
    opciones = {"read_only": True, "help_text": campo.descripcion, "allow_null": campo.nulo}
    if campo.opciones:
        return serializers.ChoiceField(choices=list(campo.opciones), **opciones)
    return _TIPOS_DRF[campo.tipo](**opciones)


class FilaSerializer(serializers.Serializer):
    """Writes a row as the JSON download does (the same builder, the same values), except that the
    authority's three columns are one object, `autoridad` {siglas, nombre, slug}; the declared
    fields, generated from the dataset's dictionary, only describe it to OpenAPI."""

    def fila(self, instancia) -> dict:
        raise TypeError(f"{type(self).__name__} debe definir fila(): qué fila del conjunto de datos es la instancia.")

    def contexto_datos(self) -> datos_abiertos.Contexto:
        contexto = self.context.get("_contexto_datos")
        if contexto is None:
            contexto = self.context["_contexto_datos"] = datos_abiertos.Contexto.actual()
        return contexto

    def to_representation(self, instance):
        fila = self.fila(instance)
        return {nombre: (_autoridad(fila) if isinstance(campo, AutoridadSerializer)
                         else datos_abiertos.valor_json(fila[nombre]))
                for nombre, campo in self.fields.items()}


def serializer_de(nombre: str, dataset_id: str, fila, doc: str = "") -> type[FilaSerializer]:
    """A read-only serializer whose fields are the dataset's dictionary, the authority's columns
    folded into one `autoridad` object where the first of them stands, and whose rows come from
    `fila(instance, contexto)`."""
    dataset = datos_abiertos.obtener(dataset_id)
    atributos = {}
    for campo in dataset.campos:
        if campo.nombre not in datos_abiertos.COLUMNAS_AUTORIDAD:
            atributos[campo.nombre] = _campo_drf(campo)
        elif "autoridad" not in atributos:
            atributos["autoridad"] = AutoridadSerializer(
                read_only=True, allow_null=campo.nulo,
                help_text=_AYUDA_AUTORIDAD_NULA if campo.nulo else _AYUDA_AUTORIDAD_FILA)
    atributos["fila"] = lambda self, instancia: fila(instancia, self.contexto_datos())
    atributos["__doc__"] = doc or str(dataset.descripcion)
    atributos["__module__"] = __name__
    return type(nombre, (FilaSerializer,), atributos)


# --- OpenAPI -------------------------------------------------------------------------------------------

class FiltrosConLimites(DjangoFilterExtension):
    """django-filter's parameters as drf-spectacular documents them, plus the bounds their form
    fields enforce (a year's minimum and maximum, a text's maximum length) and the empty choice, so
    that a value the document allows is never refused and one it forbids is: whatever the form
    rejects is a 400."""

    priority = 1

    def resolve_filter_field(self, auto_schema, model, filterset_class, field_name, filter_field):
        parametros = super().resolve_filter_field(auto_schema, model, filterset_class, field_name, filter_field)
        campo = filter_field.field
        limites = {}
        if isinstance(campo, forms.IntegerField):
            limites["type"] = "integer"
        for atributo, clave in (("min_value", "minimum"), ("max_value", "maximum"),
                                ("min_length", "minLength"), ("max_length", "maxLength")):
            valor = getattr(campo, atributo, None)
            if valor is not None:
                limites[clave] = valor
        for parametro in parametros:
            esquema = parametro["schema"]
            esquema.update(limites)
            # An empty choice is no filter (a page's "Todos" sends it): the document allows it.
            if "enum" in esquema and not parametro.get("required") and "" not in esquema["enum"]:
                esquema["enum"] = [*esquema["enum"], ""]
        return parametros


_ERROR = {"type": "object", "properties": {"detail": {"type": "string"}}, "required": ["detail"]}
_ERRORES_FILTRO = {"type": "object", "additionalProperties": {"type": "array", "items": {"type": "string"}},
                   "description": "Cada parámetro inválido con sus mensajes."}


def _respuesta(descripcion: str, componente: str) -> dict:
    return {"description": descripcion,
            "content": {"application/json": {"schema": {"$ref": f"#/components/schemas/{componente}"}}}}


def respuestas_de_error(result, generator, request, public):
    """drf-spectacular post-processing hook: document the errors every operation may answer, so the
    document says all the API does: 400 (an invalid filter), 404 (no such object or page), 429 (the
    anonymous rate limit)."""
    esquemas = result.setdefault("components", {}).setdefault("schemas", {})
    esquemas["Error"] = _ERROR
    esquemas["ErroresDeFiltro"] = _ERRORES_FILTRO
    for operaciones in result.get("paths", {}).values():
        for operacion in operaciones.values():
            respuestas = operacion.setdefault("responses", {})
            # Any operation: a parameter it does not take is a 400 too (ApiPublicaMixin).
            respuestas.setdefault("400", _respuesta("Un parámetro de consulta no es válido o no se admite (cada "
                                                    "parámetro con sus mensajes).", "ErroresDeFiltro"))
            respuestas.setdefault("404", _respuesta("No existe el recurso o la página.", "Error"))
            respuestas.setdefault("429", _respuesta("Se superó el límite de consultas; reintente más tarde.",
                                                    "Error"))
    return result
