"""The API's documentation page (/api/v1/docs/): the OpenAPI document read and written as a page of
the portal, in its frame, server-rendered: every operation with its parameters (type, bounds,
values, whether required), its responses and the fields of its rows, and an example `curl`.

It replaces Swagger UI, whose markup is drawn by a third-party script and failed axe (selects
without a name, nested interactive controls, contrast, no `lang`): this page is plain HTML, works
without JavaScript and needs nothing the Content-Security-Policy forbids. The document itself is
still served as YAML and JSON (api:esquema) for tools that read it."""

import re
from dataclasses import dataclass, field
from functools import lru_cache
from urllib.parse import urlencode

from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.generic import TemplateView
from drf_spectacular.settings import spectacular_settings

from . import sitio


@dataclass
class Parametro:
    nombre: str
    ubicacion: str
    requerido: bool
    tipo: str
    limites: list[str]
    valores: list[str]
    descripcion: str


@dataclass
class Respuesta:
    codigo: str
    descripcion: str


@dataclass
class Campo:
    nombre: str
    tipo: str
    descripcion: str


@dataclass
class Operacion:
    id: str
    metodo: str
    ruta: str
    resumen: str
    descripcion: str
    parametros: list[Parametro] = field(default_factory=list)
    respuestas: list[Respuesta] = field(default_factory=list)
    campos: list[Campo] = field(default_factory=list)
    paginada: bool = False

    def ejemplo_curl(self) -> str:
        ruta = self.ruta
        consulta = {}
        for p in self.parametros:
            if p.ubicacion == "path":
                ruta = ruta.replace("{" + p.nombre + "}", "1" if p.tipo == "integer" else "ejemplo")
            elif p.nombre == "por_pagina":
                consulta[p.nombre] = "10"
        url = sitio.url_absoluta(ruta)
        if consulta:
            url = f"{url}?{urlencode(consulta)}"
        return f"curl -H 'Accept: application/json' '{url}'"


# drf-spectacular appends an enum's values to a description as Markdown ("* `estatal` - Estatal"); the
# page lists them as values instead.
_LISTA_DE_VALORES = re.compile(r"\s*\* `[^`]*` - [^*]*")


def _texto(descripcion: str) -> str:
    return _LISTA_DE_VALORES.sub(" ", descripcion or "").strip()


def _tipo(esquema: dict) -> str:
    tipo = esquema.get("type", "")
    formato = esquema.get("format")
    if tipo == "array":
        return f"array de {_tipo(esquema.get('items', {}))}"
    return f"{tipo} ({formato})" if formato else tipo or "objeto"


def _limites(esquema: dict) -> list[str]:
    textos = []
    if "minimum" in esquema:
        textos.append(_("mínimo %(n)s") % {"n": esquema["minimum"]})
    if "maximum" in esquema:
        textos.append(_("máximo %(n)s") % {"n": esquema["maximum"]})
    if "minLength" in esquema:
        textos.append(_("al menos %(n)s caracteres") % {"n": esquema["minLength"]})
    if "maxLength" in esquema:
        textos.append(_("hasta %(n)s caracteres") % {"n": esquema["maxLength"]})
    if "pattern" in esquema:
        textos.append(_("patrón %(p)s") % {"p": esquema["pattern"]})
    return textos


def _valores(esquema: dict) -> list[str]:
    return ["«»" if v == "" else str(v) for v in esquema.get("enum", [])]


def _resolver(esquema: dict, componentes: dict) -> dict:
    while "$ref" in esquema:
        esquema = componentes[esquema["$ref"].rsplit("/", 1)[-1]]
    return esquema


def _campos(respuesta_200: dict, componentes: dict) -> tuple[list[Campo], bool]:
    """The fields of one row of a 200 (of each item of `results` in a page), and whether it is a page."""
    esquema = respuesta_200.get("content", {}).get("application/json", {}).get("schema", {})
    esquema = _resolver(esquema, componentes)
    paginada = "results" in esquema.get("properties", {})
    if paginada:
        esquema = _resolver(esquema["properties"]["results"].get("items", {}), componentes)
    campos = []
    for nombre, propiedad in esquema.get("properties", {}).items():
        propiedad = _resolver(propiedad, componentes) if "$ref" in propiedad else propiedad
        if "allOf" in propiedad:  # drf-spectacular wraps a nested serializer with its description
            descripcion = propiedad.get("description", "")
            propiedad = {**_resolver(propiedad["allOf"][0], componentes), "description": descripcion}
        tipo = _tipo(propiedad)
        if propiedad.get("nullable"):
            tipo = _("%(tipo)s o null") % {"tipo": tipo}
        campos.append(Campo(nombre, tipo, _texto(propiedad.get("description", ""))))
    return campos, paginada


def operaciones(documento: dict) -> list[Operacion]:
    componentes = documento.get("components", {}).get("schemas", {})
    resultado = []
    for ruta, metodos in documento.get("paths", {}).items():
        for metodo, op in metodos.items():
            parametros = [
                Parametro(p["name"], p["in"], bool(p.get("required")), _tipo(p.get("schema", {})),
                          _limites(p.get("schema", {})), _valores(p.get("schema", {})), _texto(p.get("description", "")))
                for p in op.get("parameters", [])
            ]
            respuestas = [Respuesta(c, r.get("description") or (_("Correcto: la respuesta en JSON.") if c == "200" else ""))
                          for c, r in sorted(op.get("responses", {}).items())]
            campos, paginada = _campos(op.get("responses", {}).get("200", {}), componentes)
            resultado.append(Operacion(
                id=op.get("operationId", f"{metodo}-{ruta}"), metodo=metodo.upper(), ruta=ruta,
                resumen=op.get("summary", ""), descripcion=op.get("description", ""),
                parametros=parametros, respuestas=respuestas, campos=campos, paginada=paginada))
    return resultado


@lru_cache(maxsize=1)
def documento() -> dict:
    """The public OpenAPI document, as api:esquema serves it (built from code only: no query)."""
    return spectacular_settings.DEFAULT_GENERATOR_CLASS().get_schema(request=None, public=True)


class DocumentacionApi(TemplateView):
    template_name = "api/documentacion.html"
    http_method_names = ["get", "head"]

    def get_context_data(self, **kwargs):
        doc = documento()
        return super().get_context_data(
            info=doc.get("info", {}), operaciones=operaciones(doc),
            raiz=sitio.url_absoluta(reverse("api:api-root")), **kwargs)
