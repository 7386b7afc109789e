"""HEAD is allowed wherever GET is (RFC 9110: a server that answers GET answers HEAD too). Monitors,
link checkers and caches send HEAD; `require_GET` and `require_http_methods(["GET", "POST"])` refuse
it with 405.

The walk reaches every URL pattern of config.urls, as tests/test_cobertura_rutas.py does, fills its
arguments with values that name nothing, and asks GET and HEAD as the superuser: a route whose GET is
not 405 must not answer 405 to HEAD. A class-based or DRF view may look its object up before it checks
the method (a 404 for both would hide a refused HEAD), so their declared methods are checked too."""

import itertools
import uuid

import pytest
from django.urls import NoReverseMatch, URLPattern, URLResolver, get_resolver, reverse
from django.urls.converters import IntConverter, PathConverter, SlugConverter, StringConverter, UUIDConverter
from django.urls.resolvers import RoutePattern

from tests import factories

EXCLUIDOS = {"admin"}  # Django's admin: its own views, superusers only

VALORES = {IntConverter: 987654, SlugConverter: "no-existe", StringConverter: "no-existe",
           PathConverter: "no-existe", UUIDConverter: uuid.UUID(int=0)}


def _patrones(patrones, espacio=""):
    """(qualified name, URLPattern) for every named pattern, recursively through includes."""
    for patron in patrones:
        if isinstance(patron, URLResolver):
            if patron.namespace in EXCLUIDOS:
                continue
            anidado = patron.namespace
            if anidado:
                anidado = f"{espacio}:{anidado}" if espacio else anidado
            yield from _patrones(patron.url_patterns, anidado or espacio)
        elif isinstance(patron, URLPattern) and patron.name:
            yield (f"{espacio}:{patron.name}" if espacio else patron.name), patron


def _url(nombre, patron: URLPattern):
    """A URL of this pattern whose arguments name no object; None for a DRF format-suffix variant."""
    if isinstance(patron.pattern, RoutePattern):
        convertidores = patron.pattern.converters
        if any(type(c) not in VALORES for c in convertidores.values()):
            return None  # drf_format_suffix: the same view as the route it suffixes
        return reverse(nombre, kwargs={n: VALORES[type(c)] for n, c in convertidores.items()})
    grupos = list(patron.pattern.regex.groupindex)
    if "format" in grupos:
        return None
    # DRF's routers: each lookup has its own regex ("[^/.]+", or a field's, e.g. "[0-9]+").
    for valores in itertools.product(("no-existe", "987654", "csv"), repeat=len(grupos)):
        try:
            return reverse(nombre, kwargs=dict(zip(grupos, valores, strict=True)))
        except NoReverseMatch:
            continue
    raise AssertionError(f"sin argumentos de prueba para {nombre} ({patron.pattern})")


def _rutas():
    """qualified name -> (pattern, URL), the first pattern of each name."""
    rutas = {}
    for nombre, patron in _patrones(get_resolver("config.urls").url_patterns):
        if nombre not in rutas and (url := _url(nombre, patron)) is not None:
            rutas[nombre] = (patron, url)
    return rutas


@pytest.mark.django_db
def test_head_responde_donde_responde_get(client):
    client.force_login(factories.UsuarioFactory(is_staff=True, is_superuser=True))
    rutas = _rutas()
    assert {"portal:inicio", "core:salud", "panel:inicio", "api:convocatoria-list",
            "sitemap"} <= set(rutas), "el recorrido no llegó a las rutas de cada urlconf"
    revisadas, rechazan = 0, []
    for nombre, (_patron, url) in sorted(rutas.items()):
        if client.get(url).status_code == 405:
            continue  # POST only
        revisadas += 1
        if client.head(url).status_code == 405:
            rechazan.append(f"{nombre} ({url})")
    assert revisadas > 50, revisadas
    assert not rechazan, "HEAD responde 405 donde GET no: " + ", ".join(rechazan)


def test_las_vistas_de_clase_que_aceptan_get_aceptan_head():
    rechazan = []
    for nombre, (patron, _url) in sorted(_rutas().items()):
        vista = patron.callback
        acciones = getattr(vista, "actions", None)  # DRF viewsets: method -> action
        if acciones is not None:
            if "get" in acciones and "head" not in acciones:
                rechazan.append(nombre)
            continue
        clase = getattr(vista, "view_class", None) or getattr(vista, "cls", None)
        metodos = set(getattr(clase, "http_method_names", ()))
        if "get" in metodos and "head" not in metodos:
            rechazan.append(nombre)
    assert not rechazan, "Vistas que aceptan GET y rechazan HEAD: " + ", ".join(rechazan)
