"""The coverage walk: every URL pattern of every namespace in config.urls (through every include) has a
row in some permission matrix (tests/matriz.py harness), and every row names a route that exists."""

from django.urls import URLPattern, URLResolver, get_resolver

from tests import test_tenencia_simetrica
from tests.compromisos import test_permisos_documentos as compromisos_documentos
from tests.compromisos import test_permisos_gestion as compromisos_gestion
from tests.compromisos import test_permisos_publico as compromisos_publico
from tests.convocatorias import test_panel
from tests.core import test_permisos as core_permisos
from tests.evaluacion import test_admisibilidad, test_dictamen, test_jurado, test_tablero
from tests.jornadas import test_constancias
from tests.jornadas import test_permisos as jornadas_permisos
from tests.practicas import test_permisos as practicas_permisos

MATRICES = {
    "practicas": practicas_permisos.RUTAS,
    "jornadas": jornadas_permisos.RUTAS,
    "constancias": test_constancias.RUTAS,
    "convocatorias (panel)": test_panel.RUTAS,
    "admisibilidad": test_admisibilidad.RUTAS,
    "jurado": test_jurado.RUTAS,
    "tablero": test_tablero.RUTAS,
    "dictámenes": [*test_dictamen.RUTAS, *test_dictamen.RUTAS_FIRMADO],
    "portal (core, catálogo, datos, API, sitemap)": core_permisos.RUTAS,
    "tenencia (objetos de la autoridad B)": test_tenencia_simetrica.RUTAS,
    "cartas compromiso (público)": compromisos_publico.RUTAS,
    "cartas compromiso (enlace y panel)": compromisos_gestion.RUTAS,
    "cartas compromiso (formato y avisos)": compromisos_documentos.RUTAS,
}

# Left out on purpose, with the reason:
EXCLUIDAS_ESPACIOS = {
    "admin",  # Django's admin: superusers only, guarded by django.contrib.admin itself
}
EXCLUIDAS_NOMBRES = {
    # django.contrib.auth.urls, included at /cuentas/: Django's own views (tests/core/test_cuentas.py
    # covers login, lockout and password reset by e-mail).
    "login", "logout", "password_change", "password_change_done", "password_reset", "password_reset_done",
    "password_reset_confirm", "password_reset_complete",
}
# DRF's format-suffix variants (`.json`, `<drf_format_suffix:format>`) share the name of the route they
# suffix, so walking by name covers them with their base route.


def _rutas(patrones, espacio=""):
    """(qualified name, pattern) for every named pattern, recursively through includes."""
    for patron in patrones:
        if isinstance(patron, URLResolver):
            anidado = patron.namespace
            if anidado:
                anidado = f"{espacio}:{anidado}" if espacio else anidado
            yield from _rutas(patron.url_patterns, anidado or espacio)
        elif isinstance(patron, URLPattern) and patron.name:
            yield (f"{espacio}:{patron.name}" if espacio else patron.name), str(patron.pattern)


def _existentes():
    rutas = {}
    for nombre, patron in _rutas(get_resolver("config.urls").url_patterns):
        if nombre.split(":")[0] in EXCLUIDAS_ESPACIOS or nombre in EXCLUIDAS_NOMBRES:
            continue
        rutas.setdefault(nombre, patron)
    return rutas


def test_cada_ruta_de_config_urls_tiene_fila_en_una_matriz():
    declaradas = {r.nombre for rutas in MATRICES.values() for r in rutas}
    faltan = {nombre: patron for nombre, patron in _existentes().items() if nombre not in declaradas}
    assert not faltan, "Rutas sin fila en ninguna matriz de permisos: " + ", ".join(
        f"{nombre} ({patron})" for nombre, patron in sorted(faltan.items()))


def test_cada_fila_nombra_una_ruta_que_existe():
    existentes = set(_existentes())
    sobran = {f"{matriz}: {r.nombre}" for matriz, rutas in MATRICES.items() for r in rutas
              if r.nombre not in existentes}
    assert not sobran, f"Filas de matriz que nombran rutas inexistentes: {sorted(sobran)}"


def test_el_recorrido_ve_las_rutas_de_cada_urlconf():
    """The walk itself reaches into every include (a walk that found nothing would pass the test above)."""
    nombres = set(_existentes())
    for esperada in ("portal:inicio", "core:documento", "convocatorias:lista", "panel:convocatoria_publicar",
                     "panel:dictamenes", "panel:constancias_lote", "panel:sujetos", "evaluacion:catalogo_sujeto",
                     "datos:descarga", "api:convocatoria-list", "api:docs", "sitemap", "robots_txt"):
        assert esperada in nombres, esperada
    assert "admin:index" not in nombres and "login" not in nombres
