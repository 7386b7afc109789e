"""WCAG 2.1 AA on every public page (axe-core from the npm registry, in Debian's Chromium), and
keyboard-only use of the catalogue: search, filters and pagination without a mouse."""

import os
from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from compromisos import services as services_compromisos
from compromisos.models import PracticaComprometida
from convocatorias.models import Convocatoria
from core.models import DocumentoVerificable
from evaluacion import busqueda
from evaluacion.models import Reconocimiento
from tests import factories
from tests.compromisos import builders as bcc
from tests.e2e.conftest import exigir_chromium
from tests.evaluacion import builders_dictamen as bd
from tests.jornadas import builders as bj

exigir_chromium()

AXE = Path(settings.BASE_DIR) / "node_modules" / "axe-core" / "axe.min.js"
ETIQUETAS_WCAG = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def axe():
    if not AXE.exists():
        motivo = f"Falta axe-core en {AXE}: ejecute `make node` (npm ci)."
        if os.environ.get("REQUIRE_REAL_SERVICES") == "1":
            pytest.fail(motivo, pytrace=False)
        pytest.skip(motivo)
    return AXE


@pytest.fixture
def publicado(django_capture_on_commit_callbacks):
    """A call whose results are public (three recognised practices, one not), a cycle of jornadas."""
    autoridad = factories.AutoridadFactory()
    personal = factories.PersonalFactory(autoridad=autoridad).usuario
    sujetos = [factories.SujetoFactory(nombre=n) for n in
               ("Secretaría de Finanzas", "Secretaría de Salud", "Instituto de Información", "Secretaría del Campo")]
    ciclo = bd.con_dictamenes(autoridad=autoridad, personal=personal, puntajes=(9, 9, 8, 5), sujetos=sujetos,
                              n_jurado=3, fecha_resultados=timezone.now() + timedelta(days=2))
    with django_capture_on_commit_callbacks(execute=True):
        bd.firmar_todos(ciclo)
    # Move the embargo into the past, as if the results second had come.
    pasado = timezone.now() - timedelta(minutes=1)
    conv = ciclo.convocatoria
    Convocatoria.objects.filter(pk=conv.pk).update(fecha_resultados=pasado)
    DocumentoVerificable.objects.update(visible_desde=pasado)
    busqueda.indexar()
    jornada = bj.jornada_con_asistentes(5, respondieron=3, publicada=True)
    # An accepted carta compromiso of the first body: one practice published, one submitted and
    # recognised (the recognised practice above), one still to come.
    carta = bcc.aceptada(sujetos[0], personal, personal, n=3)
    publicada, reconocida, _pendiente = carta.practicas.order_by("pk")
    services_compromisos.compromiso_actualizar(compromiso=publicada, usuario=personal, estado="publicada",
                                               url_publicacion="https://finanzas.ejemplo.gob.mx/compras")
    PracticaComprometida.objects.filter(pk=reconocida.pk).update(
        estado="reconocida", practica=ciclo.practicas[0], reconocida_en=pasado,
        url_publicacion="https://finanzas.ejemplo.gob.mx/datos")
    return {"convocatoria": conv, "practica": ciclo.practicas[0], "sujeto": ciclo.practicas[0].sujeto,
            "jornada": jornada, "carta": carta,
            "reconocimiento": Reconocimiento.objects.select_related("documento").first()}


def _paginas(p):
    conv, practica = p["convocatoria"], p["practica"]
    return {
        "inicio": reverse("portal:inicio"),
        "convocatorias": reverse("convocatorias:lista"),
        "convocatoria": reverse("convocatorias:detalle", args=[conv.slug]),
        "resultados": reverse("evaluacion:resultados", args=[conv.slug]),
        "catalogo": reverse("evaluacion:catalogo"),
        "busqueda": reverse("evaluacion:catalogo") + "?q=presupuesto",
        "busqueda_resaltada": reverse("evaluacion:catalogo") + "?q=secretarias+o+finanzas",
        "busqueda_quiso_decir": reverse("evaluacion:catalogo") + "?q=secretria&sujeto_nombre=salud",
        "practica": reverse("evaluacion:catalogo_practica", args=[practica.pk]),
        "sujeto": reverse("evaluacion:catalogo_sujeto", args=[p["sujeto"].pk]),
        "jornadas": reverse("jornadas:lista"),
        "jornada": reverse("jornadas:detalle", args=[p["jornada"].slug]),
        "registro_jornada": reverse("jornadas:registro", args=[p["jornada"].slug]),
        "verificar": reverse("core:verificar_inicio"),
        "verificacion": reverse("core:verificar", args=[p["reconocimiento"].documento.codigo]),
        "datos": reverse("datos:inicio"),
        "entrar": reverse("login"),
        "registro_enlace": reverse("practicas:registro"),
        "privacidad": reverse("core:aviso_privacidad"),
        **_paginas_cartas(p),
    }


def _paginas_cartas(p):
    carta = p["carta"]
    return {
        "cartas_compromiso": reverse("compromisos:inicio"),
        "cartas_autoridad": reverse("compromisos:autoridad", args=[carta.autoridad.slug]),
        "cartas_sujeto": reverse("compromisos:sujeto", args=[carta.autoridad.slug, carta.sujeto_id]),
    }


def _violaciones_graves(page, etiquetas=ETIQUETAS_WCAG, impactos=("serious", "critical")):
    # Evaluated through the DevTools protocol, which the page's Content-Security-Policy does not govern
    # (add_script_tag would insert an inline <script>, which it refuses). axe ships target-size (WCAG
    # 2.2, 2.5.8) disabled: it is switched on whenever the 2.2 tags are asked for.
    page.evaluate(AXE.read_text())
    reglas = {"target-size": {"enabled": True}} if "wcag22aa" in etiquetas else {}
    resultado = page.evaluate(
        "async ([etiquetas, reglas]) => await axe.run(document, "
        "{runOnly: {type: 'tag', values: etiquetas}, rules: reglas})",
        [etiquetas, reglas],
    )
    return [
        f"{v['id']} ({v['impact']}): {v['help']} → {[n['target'] for n in v['nodes']][:3]}"
        for v in resultado["violations"] if v["impact"] in impactos
    ]


def test_paginas_publicas_sin_violaciones_graves_de_wcag(live_server, page, publicado, axe):
    fallas = {}
    for nombre, ruta in _paginas(publicado).items():
        respuesta = page.goto(live_server.url + ruta)
        assert respuesta.status == 200, (nombre, ruta, respuesta.status)
        graves = _violaciones_graves(page)
        if graves:
            fallas[nombre] = graves
    assert not fallas, fallas


# WCAG 2.2 AA besides 2.1 (2.5.8 target size among its new criteria), every impact, for the pages of
# open data and of the API, on a phone and on a desktop.
ETIQUETAS_WCAG22 = [*ETIQUETAS_WCAG, "wcag22a", "wcag22aa"]
TODOS_LOS_IMPACTOS = ("minor", "moderate", "serious", "critical")


@pytest.mark.parametrize("ancho", [390, 1280])
def test_cartas_compromiso_sin_violaciones_de_wcag_22(live_server, page, publicado, axe, ancho):
    """The tracker's pages on a phone and on a desktop; at 1280 px the public menu, with its entry,
    stays on one line (issue 13: the brand's subtitle gives way from 1200 to 1399 px)."""
    page.set_viewport_size({"width": ancho, "height": 844})
    fallas = {}
    for nombre, ruta in _paginas_cartas(publicado).items():
        respuesta = page.goto(live_server.url + ruta)
        assert respuesta.status == 200, (nombre, ruta, respuesta.status)
        if graves := _violaciones_graves(page, ETIQUETAS_WCAG22, TODOS_LOS_IMPACTOS):
            fallas[nombre] = graves
    assert not fallas, fallas
    if ancho == 1280:
        expect(page.get_by_role("link", name="Cartas compromiso", exact=True).first).to_be_visible()
        alturas = page.evaluate("[...document.querySelectorAll('#menu .nav-link')].map(e => e.getBoundingClientRect().top)")
        assert len(set(alturas)) == 1, alturas


@pytest.mark.parametrize("ancho", [390, 1280])
@pytest.mark.parametrize("nombre", ["datos:inicio", "api:docs"])
def test_datos_abiertos_y_api_sin_violaciones_de_wcag_22(live_server, page, publicado, axe, nombre, ancho):
    page.set_viewport_size({"width": ancho, "height": 844})
    respuesta = page.goto(live_server.url + reverse(nombre))
    assert respuesta.status == 200
    assert "'unsafe-inline'" not in respuesta.headers["content-security-policy"]
    # The documentation's <details> open, so what they fold is checked too.
    page.evaluate("document.querySelectorAll('details').forEach(d => d.open = true)")
    assert _violaciones_graves(page, ETIQUETAS_WCAG22, TODOS_LOS_IMPACTOS) == []


def test_la_documentacion_de_la_api_muestra_cada_operacion(live_server, page, db):
    """Server-rendered (core.api_documentacion): the operations are there without any script."""
    page.goto(live_server.url + reverse("api:docs"))
    assert page.locator("section.operacion-api").count() == 12
    assert page.locator("html").get_attribute("lang") == "es-MX"


def test_catalogo_se_usa_solo_con_teclado(live_server, page, publicado, monkeypatch):
    from evaluacion import views_catalogo

    monkeypatch.setattr(views_catalogo, "POR_PAGINA", 1)
    page.goto(live_server.url + reverse("evaluacion:catalogo"))
    # The skip link comes first and takes focus to the content.
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.getAttribute('href')") == "#contenido"
    page.keyboard.press("Enter")
    # Tab through until the search box has the focus, type and submit with Enter.
    for _ in range(40):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.name") == "q":
            break
    else:
        pytest.fail("El cuadro de búsqueda no se alcanza con el tabulador.")
    page.keyboard.type("secretaria")
    page.keyboard.press("Enter")
    page.wait_for_url("**q=secretaria**")
    # Pagination is reachable and keeps the query.
    for _ in range(80):
        page.keyboard.press("Tab")
        destino = page.evaluate("document.activeElement.getAttribute('href') || ''")
        if "pagina=2" in destino:
            break
    else:
        pytest.fail("La paginación no se alcanza con el tabulador.")
    page.keyboard.press("Enter")
    page.wait_for_url("**pagina=2**")
    assert "q=secretaria" in page.url


def test_sujeto_obligado_sugiere_al_escribir_y_filtra_con_teclado(live_server, page, publicado, axe):
    """The «Sujeto obligado» box: htmx fills its <datalist> as one types, with the bodies that have a
    public recognition only (the fourth body's practice was not recognised); Enter applies it."""
    page.goto(live_server.url + reverse("evaluacion:catalogo"))
    caja = page.get_by_label("Sujeto obligado")
    caja.focus()
    caja.press_sequentially("secretaria")
    opciones = page.locator("#sujetos-sugeridos option")
    expect(opciones).to_have_count(2)
    assert sorted(opciones.evaluate_all("os => os.map(o => o.value)")) == [
        "Secretaría de Finanzas", "Secretaría de Salud"]
    assert not _violaciones_graves(page)
    caja.fill("Secretaría de Salud")
    caja.press("Enter")
    page.wait_for_url("**sujeto_nombre=**")
    expect(page.locator("#conteo")).to_contain_text("1 práctica reconocida")
    assert not _violaciones_graves(page)
    # The pages the WCAG walk above checks do show what they are there for.
    paginas = _paginas(publicado)
    page.goto(live_server.url + paginas["busqueda_quiso_decir"])
    expect(page.get_by_role("link", name="secretaria")).to_have_attribute("href", "?sujeto_nombre=salud&q=secretaria")
    page.goto(live_server.url + paginas["busqueda_resaltada"])
    expect(page.locator("main mark").first).to_be_visible()


def test_la_revision_detecta_una_violacion_cuando_la_hay(page, axe):
    """The harness itself: a page with an unlabelled field and an image without text fails."""
    page.set_content('<html lang="es"><head><title>x</title></head><body><main>'
                     '<img src="data:,"><input type="text"></main></body></html>')
    graves = _violaciones_graves(page)
    assert any(v.startswith("image-alt") for v in graves)
    assert any(v.startswith("label") for v in graves)


CLAVE_PANEL = "Clave-de-prueba-2026!"


def test_paginas_de_varias_autoridades_sin_violaciones_graves_de_wcag(live_server, page, axe):
    """The pages issue 9 added: the authorities' panel (data, signers, staff, history), the bodies of
    one's jurisdiction, the call form with who may enter, and the page that tells an enlace their body
    may not enter a call."""
    autoridad = factories.AutoridadFactory()
    otra = factories.AutoridadFactory(siglas="COTAI", nombre="Comisión de Transparencia de Nuevo León",
                                      entidad_clave="19", unidades="Dirección de Transparencia Proactiva")
    factories.PersonalFactory(autoridad=otra)
    conv = factories.ConvocatoriaFactory(autoridad=autoridad)
    conv_nl = factories.ConvocatoriaFactory(autoridad=otra, slug="cotai-2026", prefijo_folio="COTAI-TP",
                                            estado=Convocatoria.Estado.BORRADOR)
    admin = factories.UsuarioFactory(is_superuser=True, is_staff=True, email="admin@ejemplo.gob.mx")
    admin.set_password(CLAVE_PANEL)
    admin.save()
    sujeto_nl = factories.SujetoFactory(nombre="Secretaría de Cultura", entidad_clave="19")
    enlace_nl = factories.EnlaceFactory(sujeto=sujeto_nl, usuario__email="enlace@cultura.nl.gob.mx").usuario
    enlace_nl.set_password(CLAVE_PANEL)
    enlace_nl.save()

    def entrar(correo):
        page.context.clear_cookies()
        page.goto(live_server.url + reverse("login"))
        page.get_by_label("Correo electrónico").fill(correo)
        page.get_by_label("Contraseña").fill(CLAVE_PANEL)
        page.get_by_role("button", name="Entrar").click()
        page.wait_for_load_state()

    fallas = {}

    def revisar(nombre, ruta, estado=200):
        respuesta = page.goto(live_server.url + ruta)
        assert respuesta.status == estado, (nombre, ruta, respuesta.status)
        graves = _violaciones_graves(page)
        if graves:
            fallas[nombre] = graves

    entrar(admin.email)
    for nombre, ruta in {
        "autoridades": reverse("panel:autoridades"),
        "autoridad_nueva": reverse("panel:autoridad_nueva"),
        "autoridad_editar": reverse("panel:autoridad_editar", args=[otra.slug]),
        "firmantes": reverse("panel:autoridad_firmantes", args=[otra.slug]),
        "personal": reverse("panel:autoridad_personal", args=[otra.slug]),
        "historial": reverse("panel:autoridad_historial", args=[otra.slug]),
        "sujetos": reverse("panel:sujetos"),
        "convocatoria_editar": reverse("panel:convocatoria_editar", args=[conv_nl.slug]),
    }.items():
        revisar(nombre, ruta)
    entrar(enlace_nl.email)
    revisar("no_elegible", reverse("practicas:nueva", args=[conv.slug]), estado=403)
    assert not fallas, fallas


def test_el_inicio_del_panel_con_su_resumen_sin_violaciones_graves(live_server, page, publicado, axe):
    """The staff home with a call's counts, days left and its two bars (issue 13's overview)."""
    personal = publicado["convocatoria"].autoridad.personal.first().usuario
    personal.set_password(CLAVE_PANEL)
    personal.save()
    page.goto(live_server.url + reverse("login"))
    page.get_by_label("Correo electrónico").fill(personal.email)
    page.get_by_label("Contraseña").fill(CLAVE_PANEL)
    page.get_by_role("button", name="Entrar").click()
    page.wait_for_load_state()
    respuesta = page.goto(live_server.url + reverse("panel:inicio"))
    assert respuesta.status == 200
    assert page.get_by_role("progressbar").count() == 2
    assert not _violaciones_graves(page)


def test_en_el_telefono_los_filtros_del_catalogo_se_pliegan(live_server, page, publicado):
    """At 390 px the seven filters fold behind «Filtros»: the first result shows on the first screen,
    and the button opens them (and says so to a screen reader)."""
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(live_server.url + reverse("evaluacion:catalogo"))
    boton = page.get_by_role("button", name="Filtros", exact=True)
    expect(boton).to_have_attribute("aria-expanded", "false")
    expect(page.get_by_label("Año")).to_be_hidden()
    primera = page.locator("main ol li").first.bounding_box()
    assert primera and primera["y"] < 844, primera
    boton.click()
    expect(page.get_by_label("Año")).to_be_visible()
    expect(boton).to_have_attribute("aria-expanded", "true")
    # With a filter applied, the page comes back with them open.
    page.goto(live_server.url + reverse("evaluacion:catalogo") + "?vigencia=vigente")
    expect(page.get_by_label("Año")).to_be_visible()
