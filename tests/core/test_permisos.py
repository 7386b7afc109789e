"""Permission matrix of the portal's public side: core/urls.py (home, privacy notice, after-login
destination, health, verification, PDF download), the results pages and the catalogue
(evaluacion/urls.py, evaluacion/urls_catalogo.py), open data (/datos/), the API (/api/v1/), the
sitemap and robots.txt — one second before the results second of a call and one second after.

The scene is built once per persona (the signed rulings render three PDFs); each test walks every
row and reports every cell that does not hold, so one run shows the whole matrix.

Then core's own panel pages, the authorities (core/urls_panel.py): one cell per test, each on a fresh
light scene, so a POST that takes effect leaves the next cell's scene as it was."""

import pytest
import time_machine
from django.core.cache import cache
from django.urls import reverse

from core.models import AutoridadGarante, FirmanteAutoridad, PersonalGarante
from evaluacion.datos_abiertos import RECONOCIMIENTOS
from evaluacion.models import Dictamen, Reconocimiento
from tests import factories
from tests.evaluacion import builders_dictamen as bd
from tests.evaluacion.builders_dictamen import fixture_ciclo, fixture_firmado  # noqa: F401
from tests.jornadas import builders as bj
from tests.matriz import LOGIN, PERSONAS, Ruta, casos, comprobar

TODOS = dict.fromkeys(PERSONAS, 200)
NADIE = dict.fromkeys(PERSONAS, 404)
CON_SESION = {**dict.fromkeys(PERSONAS, 302), "anonimo": LOGIN}
NO_PERMITIDO = dict.fromkeys(PERSONAS, 405)


def E(**cambios):  # noqa: N802 - reads as a table row
    """Everyone 200 unless told otherwise; the enlace of a body of authority 2's entity and the juror of
    authority 2's call get what enlace_b gets unless told."""
    por_defecto = dict.fromkeys(("enlace_otra_entidad", "jurado_otra"), cambios.get("enlace_b", 200))
    return {**TODOS, **por_defecto, **cambios}


class Escena:
    """A call whose two rulings are signed (A's practice recognised, B's not) and their PDFs rendered;
    a published session of the past with attendees who answered the survey."""

    def __init__(self, ciclo, sujeto_a, sujeto_b):
        self.ciclo = ciclo
        self.antes, self.despues = bd.antes_y_despues(ciclo)
        self.convocatoria = ciclo.convocatoria
        self.reconocida, self.no_reconocida = ciclo.practicas
        self.sujeto_a, self.sujeto_b = sujeto_a, sujeto_b
        self.reconocimiento = Reconocimiento.objects.get(dictamen__practica=self.reconocida)
        self.doc_reconocimiento = self.reconocimiento.documento
        self.doc_no_procedente = Dictamen.objects.get(practica=self.no_reconocida).documento
        self.jornada = bj.jornada_con_asistentes(3, respondieron=2, sujetos_=[sujeto_a],
                                                 autoridad_=ciclo.convocatoria.autoridad)


def _conv(nombre, *extra):
    return lambda e: reverse(nombre, args=[e.convocatoria.slug, *[f(e) for f in extra]])


RUTAS_SIEMPRE = [
    # --- core/urls.py ------------------------------------------------------------------------------
    Ruta("inicio", "portal:inicio", lambda e: reverse("portal:inicio"), TODOS),
    Ruta("inicio-post", "portal:inicio", lambda e: reverse("portal:inicio"), NO_PERMITIDO, metodo="post"),
    Ruta("aviso_privacidad", "core:aviso_privacidad", lambda e: reverse("core:aviso_privacidad"), TODOS),
    # An authority's logo is as public as its name; without one there is nothing to serve.
    Ruta("logo-sin-logo", "core:logo", lambda e: reverse("core:logo", args=[e.convocatoria.autoridad.slug]), NADIE),
    Ruta("logo-post", "core:logo", lambda e: reverse("core:logo", args=[e.convocatoria.autoridad.slug]),
         NO_PERMITIDO, metodo="post"),
    # After login each person is sent where their work is (panel, jury, own practices).
    Ruta("inicio_sesion_destino", "portal:inicio_sesion_destino", lambda e: reverse("portal:inicio_sesion_destino"),
         CON_SESION),
    # The demonstration mailbox exists only under `make run`'s e-mail backend (tests/core/test_buzon.py
    # covers it switched on: recipients and administrators only).
    Ruta("buzon-apagado", "core:buzon", lambda e: reverse("core:buzon"), NADIE),
    Ruta("buzon_mensaje-apagado", "core:buzon_mensaje", lambda e: reverse("core:buzon_mensaje", args=["x"]), NADIE),
    Ruta("buzon_adjunto-apagado", "core:buzon_adjunto",
         lambda e: reverse("core:buzon_adjunto", args=["x", 1]), NADIE),
    Ruta("buzon_html-apagado", "core:buzon_html", lambda e: reverse("core:buzon_html", args=["x"]), NADIE),
    Ruta("salud", "core:salud", lambda e: reverse("core:salud"), TODOS),
    Ruta("salud_listo", "core:salud_listo", lambda e: reverse("core:salud_listo"), TODOS),
    Ruta("verificar_inicio", "core:verificar_inicio", lambda e: reverse("core:verificar_inicio"), TODOS),
    Ruta("verificar_inicio-con-codigo", "core:verificar_inicio",
         lambda e: reverse("core:verificar_inicio") + "?codigo=ABC-123", dict.fromkeys(PERSONAS, 302)),
    # Anyone may check a file; without one it is a 400 with the field's error, nothing is stored.
    Ruta("verificar_archivo-get", "core:verificar_archivo", lambda e: reverse("core:verificar_archivo"),
         dict.fromkeys(PERSONAS, 302)),
    Ruta("verificar_archivo-sin-archivo", "core:verificar_archivo", lambda e: reverse("core:verificar_archivo"),
         dict.fromkeys(PERSONAS, 400), metodo="post", datos=lambda e: {}),
    Ruta("verificar-codigo-desconocido", "core:verificar", lambda e: reverse("core:verificar", args=["no-existe"]),
         NADIE),
    Ruta("documento-codigo-desconocido", "core:documento", lambda e: reverse("core:documento", args=["no-existe"]),
         NADIE),
    # --- the catalogue and the results pages ---------------------------------------------------------
    Ruta("catalogo", "evaluacion:catalogo", lambda e: reverse("evaluacion:catalogo"), TODOS),
    Ruta("catalogo_sujetos_sugeridos", "evaluacion:catalogo_sujetos_sugeridos",
         lambda e: reverse("evaluacion:catalogo_sujetos_sugeridos") + "?sujeto_nombre=a", TODOS),
    Ruta("catalogo_sujetos_sugeridos-post", "evaluacion:catalogo_sujetos_sugeridos",
         lambda e: reverse("evaluacion:catalogo_sujetos_sugeridos"), NO_PERMITIDO, metodo="post"),
    Ruta("resultados", "evaluacion:resultados", _conv("evaluacion:resultados"), TODOS),
    Ruta("resultados-no-reconocida", "evaluacion:practica_reconocida",
         _conv("evaluacion:practica_reconocida", lambda e: e.no_reconocida.pk), NADIE),
    Ruta("catalogo_practica-no-reconocida", "evaluacion:catalogo_practica",
         lambda e: reverse("evaluacion:catalogo_practica", args=[e.no_reconocida.pk]), NADIE),
    Ruta("catalogo_sujeto-sin-reconocidas", "evaluacion:catalogo_sujeto",
         lambda e: reverse("evaluacion:catalogo_sujeto", args=[e.sujeto_b.pk]), NADIE),
    # --- open data -----------------------------------------------------------------------------------
    Ruta("datos", "datos:inicio", lambda e: reverse("datos:inicio"), TODOS),
    Ruta("datos-dcat", "datos:catalogo_dcat", lambda e: reverse("datos:catalogo_dcat"), TODOS),
    Ruta("datos-diccionario", "datos:diccionario", lambda e: reverse("datos:diccionario", args=[RECONOCIMIENTOS, "csv"]),
         TODOS),
    Ruta("datos-diccionario-desconocido", "datos:diccionario",
         lambda e: reverse("datos:diccionario", args=["no-existe", "json"]), NADIE),
    Ruta("datos-descarga", "datos:descarga", lambda e: reverse("datos:descarga", args=[RECONOCIMIENTOS, "json"]),
         TODOS),
    Ruta("datos-descarga-desconocido", "datos:descarga", lambda e: reverse("datos:descarga", args=["no-existe", "csv"]),
         NADIE),
    # --- the read-only API ---------------------------------------------------------------------------
    Ruta("api-raiz", "api:api-root", lambda e: reverse("api:api-root"), TODOS),
    Ruta("api-esquema", "api:esquema", lambda e: reverse("api:esquema"), TODOS),
    Ruta("api-docs", "api:docs", lambda e: reverse("api:docs"), TODOS),
    Ruta("api-convocatorias", "api:convocatoria-list", lambda e: reverse("api:convocatoria-list"), TODOS),
    Ruta("api-convocatorias-post", "api:convocatoria-list", lambda e: reverse("api:convocatoria-list"),
         NO_PERMITIDO, metodo="post", datos=lambda e: {"titulo": "Creada por la API"}),
    Ruta("api-convocatoria", "api:convocatoria-detail",
         lambda e: reverse("api:convocatoria-detail", args=[e.convocatoria.slug]), TODOS),
    Ruta("api-reconocidas", "api:practica-reconocida-list", lambda e: reverse("api:practica-reconocida-list"),
         TODOS),
    Ruta("api-reconocida-no-reconocida", "api:practica-reconocida-detail",
         lambda e: reverse("api:practica-reconocida-detail", args=[e.no_reconocida.pk]), NADIE),
    Ruta("api-sujetos", "api:sujeto-list", lambda e: reverse("api:sujeto-list"), TODOS),
    # Active bodies are public whether or not they have a recognition (datos_abiertos.sujetos_publicos).
    Ruta("api-sujeto", "api:sujeto-detail", lambda e: reverse("api:sujeto-detail", args=[e.sujeto_a.pk]), TODOS),
    Ruta("api-sesiones", "api:sesion-list", lambda e: reverse("api:sesion-list"), TODOS),
    Ruta("api-sesion", "api:sesion-detail", lambda e: reverse("api:sesion-detail", args=[e.jornada.slug]), TODOS),
    Ruta("api-asistencia", "api:asistencia-sujeto-list", lambda e: reverse("api:asistencia-sujeto-list"), TODOS),
    Ruta("api-encuestas", "api:resultado-encuesta-list", lambda e: reverse("api:resultado-encuesta-list"), TODOS),
    # --- sitemap and robots --------------------------------------------------------------------------
    Ruta("sitemap", "sitemap", lambda e: reverse("sitemap"), TODOS),
    Ruta("sitemap-paginas", "sitemap_seccion", lambda e: reverse("sitemap_seccion", args=["paginas"]), TODOS),
    Ruta("sitemap-desconocida", "sitemap_seccion", lambda e: reverse("sitemap_seccion", args=["no-existe"]), NADIE),
    Ruta("robots", "robots_txt", lambda e: reverse("robots_txt"), TODOS),
    # Browsers ask for it on every site: sent to the SVG base.html links (tests/core/test_paginas_error.py).
    Ruta("favicon", "favicon", lambda e: reverse("favicon"), dict.fromkeys(PERSONAS, 302)),
]

# One second before the results second: the recognition, its page and its PDF are private.
RUTAS_ANTES = [
    Ruta("verificar-reconocimiento-antes", "core:verificar",
         lambda e: reverse("core:verificar", args=[e.doc_reconocimiento.codigo]), NADIE),
    # Staff of the call may read the PDFs under embargo; nobody else, not even the recognised body.
    Ruta("documento-reconocimiento-antes", "core:documento",
         lambda e: reverse("core:documento", args=[e.doc_reconocimiento.codigo]), E(
             anonimo=404, enlace_a=404, enlace_b=404, otro_personal=404, jurado=404)),
    Ruta("practica_reconocida-antes", "evaluacion:practica_reconocida",
         _conv("evaluacion:practica_reconocida", lambda e: e.reconocida.pk), NADIE),
    Ruta("catalogo_practica-antes", "evaluacion:catalogo_practica",
         lambda e: reverse("evaluacion:catalogo_practica", args=[e.reconocida.pk]), NADIE),
    Ruta("catalogo_sujeto-antes", "evaluacion:catalogo_sujeto",
         lambda e: reverse("evaluacion:catalogo_sujeto", args=[e.sujeto_a.pk]), NADIE),
    Ruta("api-reconocida-antes", "api:practica-reconocida-detail",
         lambda e: reverse("api:practica-reconocida-detail", args=[e.reconocida.pk]), NADIE),
]

# One second after: public.
RUTAS_DESPUES = [
    Ruta("verificar-reconocimiento", "core:verificar",
         lambda e: reverse("core:verificar", args=[e.doc_reconocimiento.codigo]), TODOS),
    Ruta("documento-reconocimiento", "core:documento",
         lambda e: reverse("core:documento", args=[e.doc_reconocimiento.codigo]), TODOS),
    # A ruling that does not recognise is read by its own body (B) and the call's staff only.
    Ruta("documento-no-procedente", "core:documento",
         lambda e: reverse("core:documento", args=[e.doc_no_procedente.codigo]), E(
             anonimo=404, enlace_a=404, otro_personal=404, jurado=404, enlace_otra_entidad=404, jurado_otra=404)),
    Ruta("practica_reconocida", "evaluacion:practica_reconocida",
         _conv("evaluacion:practica_reconocida", lambda e: e.reconocida.pk), TODOS),
    Ruta("catalogo_practica", "evaluacion:catalogo_practica",
         lambda e: reverse("evaluacion:catalogo_practica", args=[e.reconocida.pk]), TODOS),
    Ruta("catalogo_sujeto", "evaluacion:catalogo_sujeto",
         lambda e: reverse("evaluacion:catalogo_sujeto", args=[e.sujeto_a.pk]), TODOS),
    Ruta("api-reconocida", "api:practica-reconocida-detail",
         lambda e: reverse("api:practica-reconocida-detail", args=[e.reconocida.pk]), TODOS),
]



# --- the panel's authorities (core/urls_panel.py) --------------------------------------------------
# Administrators (the superuser) create authorities, change any, and alone assign, edit and remove
# staff; an authority's staff edit its data (not acronym, slug, entidad) and signers, see its staff and
# history, and may leave it unless they are its last staff member. Staff of B: 404 on A's pages.

def P(**cambios):  # noqa: N802 - reads as a table row
    """Panel: anonymous to the login page, everyone who is not staff 403, unless told otherwise."""
    return {**dict.fromkeys(PERSONAS, 403), "anonimo": LOGIN, **cambios}


PANEL_LISTA = P(personal=200, otro_personal=200, superusuario=200)  # each sees their own authorities
PANEL_SUYA = P(personal=200, otro_personal=404, superusuario=200)  # a page of A
PANEL_ADMIN = P(personal=403, otro_personal=404, superusuario=200)  # a page of A only administrators use


class EscenaAutoridades:
    """Authority A (INFOEM: `personal` and a colleague) and B (COTAI: `otro_personal`, its only staff),
    a signer of A, and an account that is staff nowhere."""

    def __init__(self, autoridad, otra_autoridad):
        self.a, self.b = autoridad, otra_autoridad
        self.propio = PersonalGarante.objects.get(autoridad=autoridad, usuario__email="dgt@infoem.org.mx")
        self.ultimo_b = PersonalGarante.objects.get(autoridad=otra_autoridad)
        self.colega = factories.PersonalFactory(autoridad=autoridad, usuario__email="colega@infoem.org.mx")
        self.libre = factories.UsuarioFactory(email="nueva.persona@ejemplo.gob.mx")
        self.firmante = FirmanteAutoridad.objects.create(autoridad=autoridad, nombre="Firmante de la matriz",
                                                         cargo="Comisionada Presidenta", orden=1)


def _a(nombre, *extra):
    return lambda e: reverse(f"panel:{nombre}", args=[e.a.slug, *[f(e) for f in extra]])


def _datos_autoridad(e, **cambios):
    a = e.a
    return {"nombre": a.nombre, "siglas": a.siglas, "slug": a.slug, "entidad_clave": a.entidad_clave,
            "domicilio": a.domicilio, "correo_contacto": a.correo_contacto, "telefono": a.telefono,
            "sitio_web": a.sitio_web, "aviso_privacidad": a.aviso_privacidad, "unidades": a.unidades,
            "color_primario": a.color_primario, **cambios}


def _datos_firmantes(e):
    return {"firmantes-TOTAL_FORMS": "2", "firmantes-INITIAL_FORMS": "1",
            "firmantes-0-id": e.firmante.pk, "firmantes-0-nombre": e.firmante.nombre,
            "firmantes-0-cargo": e.firmante.cargo, "firmantes-0-orden": "2",
            "firmantes-1-nombre": "Firmante nuevo de la matriz", "firmantes-1-cargo": "Secretario Técnico",
            "firmantes-1-orden": "1"}


def _existe_personal(pk):
    return lambda e: not PersonalGarante.objects.filter(pk=pk(e)).exists()


RUTAS_AUTORIDADES = [
    Ruta("autoridades", "panel:autoridades", lambda e: reverse("panel:autoridades"), PANEL_LISTA),
    Ruta("autoridad_nueva", "panel:autoridad_nueva", lambda e: reverse("panel:autoridad_nueva"),
         P(superusuario=200)),
    Ruta("autoridad_nueva-post", "panel:autoridad_nueva", lambda e: reverse("panel:autoridad_nueva"),
         P(superusuario=302), metodo="post",
         datos=lambda e: {"nombre": "Instituto de Transparencia de Baja California", "siglas": "ITAIPBC",
                          "slug": "", "entidad_clave": "02", "color_primario": "#1f4e79"},
         cambian=frozenset({"superusuario"}),
         efecto=lambda e: AutoridadGarante.objects.filter(slug="itaipbc", entidad_clave="02").exists()),
    Ruta("autoridad_editar", "panel:autoridad_editar", _a("autoridad_editar"), PANEL_SUYA),
    Ruta("autoridad_editar-desconocida", "panel:autoridad_editar",
         lambda e: reverse("panel:autoridad_editar", args=["no-existe"]),
         P(personal=404, otro_personal=404, superusuario=404)),
    Ruta("autoridad_editar-post", "panel:autoridad_editar", _a("autoridad_editar"),
         P(personal=302, otro_personal=404, superusuario=302), metodo="post",
         datos=lambda e: _datos_autoridad(e, nombre="Editada desde la matriz"), cambian=frozenset({"personal"}),
         efecto=lambda e: AutoridadGarante.objects.get(pk=e.a.pk).nombre == "Editada desde la matriz"),
    Ruta("autoridad_firmantes", "panel:autoridad_firmantes", _a("autoridad_firmantes"), PANEL_SUYA),
    Ruta("autoridad_firmantes-post", "panel:autoridad_firmantes", _a("autoridad_firmantes"),
         P(personal=302, otro_personal=404, superusuario=302), metodo="post", datos=_datos_firmantes,
         cambian=frozenset({"personal"}),
         efecto=lambda e: list(e.a.firmantes.values_list("nombre", flat=True))
         == ["Firmante nuevo de la matriz", "Firmante de la matriz"]),
    Ruta("autoridad_personal", "panel:autoridad_personal", _a("autoridad_personal"), PANEL_SUYA),
    # Only administrators assign staff: A's own staff get 403.
    Ruta("autoridad_personal-post", "panel:autoridad_personal", _a("autoridad_personal"),
         P(personal=403, otro_personal=404, superusuario=302), metodo="post",
         datos=lambda e: {"nuevo-correo": e.libre.email, "nuevo-cargo": "Analista", "nuevo-unidad": ""},
         cambian=frozenset({"superusuario"}),
         efecto=lambda e: PersonalGarante.objects.filter(autoridad=e.a, usuario=e.libre).exists()),
    Ruta("autoridad_personal_editar", "panel:autoridad_personal_editar",
         _a("autoridad_personal_editar", lambda e: e.colega.pk), PANEL_ADMIN),
    Ruta("autoridad_personal_editar-post", "panel:autoridad_personal_editar",
         _a("autoridad_personal_editar", lambda e: e.colega.pk), P(personal=403, otro_personal=404, superusuario=302),
         metodo="post", datos=lambda e: {"cargo": "Cargo de la matriz", "unidad": "Unidad de la matriz"},
         cambian=frozenset({"superusuario"}),
         efecto=lambda e: PersonalGarante.objects.get(pk=e.colega.pk).cargo == "Cargo de la matriz"),
    Ruta("autoridad_personal_retirar-colega", "panel:autoridad_personal_retirar",
         _a("autoridad_personal_retirar", lambda e: e.colega.pk), P(personal=403, otro_personal=404, superusuario=302),
         metodo="post", cambian=frozenset({"superusuario"}), efecto=_existe_personal(lambda e: e.colega.pk)),
    # A staff member may leave the authority (A has a second staff member)...
    Ruta("autoridad_personal_retirar-propio", "panel:autoridad_personal_retirar",
         _a("autoridad_personal_retirar", lambda e: e.propio.pk), P(personal=302, otro_personal=404, superusuario=302),
         metodo="post", cambian=frozenset({"personal"}), efecto=_existe_personal(lambda e: e.propio.pk)),
    # ...but not when they are its last one (B's): refused with a message, nothing changes.
    Ruta("autoridad_personal_retirar-ultimo", "panel:autoridad_personal_retirar",
         lambda e: reverse("panel:autoridad_personal_retirar", args=[e.b.slug, e.ultimo_b.pk]),
         P(personal=404, otro_personal=302, superusuario=302), metodo="post", cambian=frozenset({"superusuario"}),
         efecto=_existe_personal(lambda e: e.ultimo_b.pk)),
    Ruta("autoridad_historial", "panel:autoridad_historial", _a("autoridad_historial"), PANEL_SUYA),
]

RUTAS = [*RUTAS_SIEMPRE, *RUTAS_ANTES, *RUTAS_DESPUES, *RUTAS_AUTORIDADES]


@pytest.fixture
def escena(firmado, sujeto_a, sujeto_b):
    return Escena(firmado, sujeto_a, sujeto_b)


def _recorrer(client, rutas, escena, usuario, persona, momento) -> list[str]:
    fallas = []
    for ruta in rutas:
        cache.clear()  # the anonymous API rate limit and the catalogue's cached blocks
        client.logout()
        with time_machine.travel(momento, tick=False):  # log in there: a session of today would have expired
            try:
                comprobar(client, ruta, escena, usuario, persona)
            except AssertionError as exc:
                fallas.append(f"{ruta.id}: {exc}")
    return fallas


@pytest.mark.parametrize("persona", PERSONAS)
def test_matriz_del_portal(client, escena, personas, persona):
    usuario = personas[persona]
    fallas = [
        *_recorrer(client, [*RUTAS_SIEMPRE, *RUTAS_ANTES], escena, usuario, persona, escena.antes),
        *_recorrer(client, [*RUTAS_SIEMPRE, *RUTAS_DESPUES], escena, usuario, persona, escena.despues),
    ]
    assert not fallas, "\n".join(fallas)


@pytest.fixture
def escena_autoridades(personas, autoridad, otra_autoridad):
    return EscenaAutoridades(autoridad, otra_autoridad)


@pytest.mark.parametrize(("ruta", "persona"), list(casos(RUTAS_AUTORIDADES)))
def test_matriz_de_autoridades_en_el_panel(client, personas, escena_autoridades, ruta, persona):
    comprobar(client, ruta, escena_autoridades, personas[persona], persona)
