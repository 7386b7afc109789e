"""What every read-only API viewset shares: pagination, the anonymous rate limit, and the reuse
counter (one count per successful call, per dataset and day; nothing about the caller)."""

from django.conf import settings
from drf_spectacular.utils import OpenApiParameter
from rest_framework import serializers
from rest_framework.pagination import PageNumberPagination
from rest_framework.throttling import AnonRateThrottle

from . import datos_abiertos
from .models import UsoDataset

# Path parameters as the router's regexes take them, so the document never promises more.
SLUG = "[-a-zA-Z0-9_]+"
ID = "[0-9]+"


def parametro_id(descripcion: str) -> OpenApiParameter:
    return OpenApiParameter("id", {"type": "integer", "minimum": 1}, OpenApiParameter.PATH, description=descripcion)


class Paginacion(PageNumberPagination):
    page_size = 50
    page_query_param = "pagina"
    page_size_query_param = "por_pagina"
    max_page_size = 500


class LimiteAnonimo(AnonRateThrottle):
    """Anonymous clients, by address, at API_LIMITE_ANONIMO (e.g. "120/min"). Read from the settings
    on each request (DRF reads its own at import), so an override applies at once."""

    def get_rate(self):
        return settings.API_LIMITE_ANONIMO


class ApiPublicaMixin:
    """Every read-only viewset: any site may read the answer (CORS), and each successful GET counts
    as one API use of `dataset_uso`."""

    dataset_uso: str = ""

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        response["Access-Control-Allow-Origin"] = "*"
        if request.method == "GET" and 200 <= response.status_code < 300 and self.dataset_uso:
            datos_abiertos.uso_registrar(dataset=self.dataset_uso, formato="json", canal=UsoDataset.Canal.API)
        return response


# --- serializers built from a dataset's dictionary ------------------------------------------------

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
    """Writes a row exactly as the JSON download does (the same builder, the same values); the
    declared fields, generated from the dataset's dictionary, only describe it to OpenAPI."""

    def fila(self, instancia) -> dict:
        raise TypeError(f"{type(self).__name__} debe definir fila(): qué fila del conjunto de datos es la instancia.")

    def contexto_datos(self) -> datos_abiertos.Contexto:
        request = self.context.get("request")
        if request is None:
            return datos_abiertos.Contexto.sin_peticion()
        contexto = self.context.get("_contexto_datos")
        if contexto is None:
            contexto = self.context["_contexto_datos"] = datos_abiertos.Contexto.de_peticion(request)
        return contexto

    def to_representation(self, instance):
        fila = self.fila(instance)
        return {nombre: datos_abiertos.valor_json(fila[nombre]) for nombre in self.fields}


def serializer_de(nombre: str, dataset_id: str, fila, doc: str = "") -> type[FilaSerializer]:
    """A read-only serializer whose fields are the dataset's dictionary and whose rows come from
    `fila(instance, contexto)`."""
    dataset = datos_abiertos.obtener(dataset_id)
    atributos = {c.nombre: _campo_drf(c) for c in dataset.campos}
    atributos["fila"] = lambda self, instancia: fila(instancia, self.contexto_datos())
    atributos["__doc__"] = doc or str(dataset.descripcion)
    atributos["__module__"] = __name__
    return type(nombre, (FilaSerializer,), atributos)


# --- OpenAPI -------------------------------------------------------------------------------------------

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
            parametros = operacion.get("parameters", [])
            if any(p.get("in") == "query" for p in parametros):
                respuestas.setdefault("400", _respuesta("Un parámetro de consulta no es válido.", "ErroresDeFiltro"))
            respuestas.setdefault("404", _respuesta("No existe el recurso o la página.", "Error"))
            respuestas.setdefault("429", _respuesta("Se superó el límite de consultas; reintente más tarde.",
                                                    "Error"))
    return result
