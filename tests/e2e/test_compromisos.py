"""A carta compromiso from end to end in a real browser: the enlace registers it with two committed
practices and its signed letter and presents it, staff of the authority accept it in the panel, and the
public tracker shows it with its totals. axe-core runs on every page of the journey."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from compromisos.models import CartaCompromiso
from tests.compromisos.builders import PDF_FIRMADO
from tests.e2e.conftest import exigir_chromium
from tests.e2e.test_accesibilidad import ETIQUETAS_WCAG, _violaciones_graves, axe  # noqa: F401, F811 - the axe fixture
from tests.e2e.test_envio import CLAVE

exigir_chromium()

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PRACTICAS = [
    ("Padrón de becas deportivas en datos abiertos", "Las familias preguntan quién recibe las becas.",
     "Dirección de Alto Rendimiento", "2027-03-31"),
    ("Mapa de instalaciones deportivas", "Las personas no saben qué unidades deportivas abren y cuándo.",
     "Dirección de Infraestructura", "2027-06-30"),
]


def _entrar(page, url, correo):
    page.goto(url + reverse("login"))
    page.get_by_label("Correo electrónico").fill(correo)
    page.get_by_label("Contraseña").fill(CLAVE)
    page.get_by_role("button", name="Entrar").click()
    expect(page.get_by_role("button", name="Cerrar sesión")).to_be_visible()


def _salir(page):
    page.get_by_role("button", name="Cerrar sesión").click()
    expect(page.get_by_role("link", name="Iniciar sesión")).to_be_visible()


def _sin_violaciones(page, fallas):
    encontradas = _violaciones_graves(page, ETIQUETAS_WCAG)
    if encontradas:
        fallas[page.url] = encontradas


def test_enlace_registra_la_carta_el_personal_la_acepta_y_el_seguimiento_publico_la_muestra(
        live_server, page, axe, autoridad, sujeto_a, enlace_a, personal):  # noqa: F811
    fallas = {}
    page.on("dialog", lambda dialogo: dialogo.accept())  # the confirmations of «Presentar» and «Aceptar»

    # 1. The enlace reaches «Mis cartas compromiso» from the menu and registers the letter.
    _entrar(page, live_server.url, enlace_a.email)
    page.get_by_role("link", name="Mis cartas compromiso").click()
    expect(page.get_by_role("heading", name="Mis cartas compromiso")).to_be_visible()
    _sin_violaciones(page, fallas)
    page.get_by_role("link", name="Registrar una carta compromiso").click()
    expect(page.get_by_label("Sujeto obligado que firma la carta")).to_have_value(str(sujeto_a.pk))
    page.get_by_label("Nombre de quien firma").fill("Laura Garza Treviño")
    page.get_by_label("Cargo de quien firma").fill("Directora General")
    page.get_by_label("Fecha de la carta").fill("2026-11-20")

    # A practice without its area keeps what was typed and points at the field.
    titulo, necesidad, area, fecha = PRACTICAS[0]
    page.get_by_label("Título o tema de la práctica").fill(titulo)
    page.get_by_label("Necesidad de información que atenderá").fill(necesidad)
    page.get_by_label("Fecha compromiso").fill(fecha)
    page.get_by_role("button", name="Guardar borrador").click()
    expect(page.get_by_text("No se guardó la carta: corrija lo marcado.")).to_be_visible()
    expect(page.get_by_label("Título o tema de la práctica")).to_have_value(titulo)
    expect(page.get_by_label("Área responsable")).to_have_attribute("aria-invalid", "true")
    _sin_violaciones(page, fallas)
    page.get_by_label("Área responsable").fill(area)

    # A second practice, then save the draft.
    page.get_by_role("button", name="Agregar otra práctica").click()
    grupos = page.get_by_role("group", name="Práctica 2")
    expect(grupos).to_be_visible()
    for etiqueta, valor in zip(("Título o tema de la práctica", "Necesidad de información que atenderá",
                                "Área responsable", "Fecha compromiso"), PRACTICAS[1], strict=True):
        grupos.get_by_label(etiqueta).fill(valor)
    page.get_by_role("button", name="Guardar borrador").click()
    expect(page.get_by_text("Carta compromiso guardada como borrador.")).to_be_visible()
    expect(page.get_by_role("heading", name="Carta compromiso", exact=True)).to_be_visible()
    carta = CartaCompromiso.objects.get(sujeto=sujeto_a)
    assert carta.estado == CartaCompromiso.Estado.BORRADOR and carta.autoridad == autoridad
    assert list(carta.practicas.order_by("fecha_meta").values_list("titulo", flat=True)) == [p[0] for p in PRACTICAS]
    _sin_violaciones(page, fallas)

    # The signed letter, then present it.
    page.get_by_label("Carta firmada").set_input_files(
        files=[{"name": "carta-firmada.pdf", "mimeType": "application/pdf", "buffer": PDF_FIRMADO}])
    page.get_by_role("button", name="Adjuntar la carta firmada").click()
    expect(page.get_by_text("Se adjuntó la carta firmada.")).to_be_visible()
    page.get_by_role("button", name="Presentar a la autoridad garante").click()
    expect(page.get_by_text("Carta compromiso presentada. La autoridad garante la revisará.")).to_be_visible()
    carta.refresh_from_db()
    assert carta.estado == CartaCompromiso.Estado.PRESENTADA

    # Not public while it is only presented.
    page.goto(live_server.url + reverse("compromisos:autoridad", args=[autoridad.slug]))
    expect(page.get_by_text(PRACTICAS[0][0])).to_have_count(0)
    _salir(page)

    # 2. Staff of the authority find it in the panel and accept it.
    _entrar(page, live_server.url, personal.email)
    page.goto(live_server.url + reverse("panel:cartas") + "?estado=presentada")
    _sin_violaciones(page, fallas)
    page.get_by_role("link", name=sujeto_a.nombre).click()
    expect(page.get_by_role("heading", name="Revisión de la autoridad")).to_be_visible()
    expect(page.get_by_role("link", name="Descargar la carta firmada")).to_be_visible()
    _sin_violaciones(page, fallas)
    page.get_by_role("button", name="Aceptar la carta").click()
    expect(page.get_by_text("Carta compromiso aceptada: ya es pública y empieza su seguimiento.")).to_be_visible()
    carta.refresh_from_db()
    assert carta.estado == CartaCompromiso.Estado.ACEPTADA and carta.revisada_por == personal
    _salir(page)

    # 3. Anyone: the public tracker lists the body, its two commitments and the totals.
    page.goto(live_server.url + reverse("compromisos:inicio"))
    _sin_violaciones(page, fallas)
    page.get_by_role("link", name=autoridad.nombre).first.click()
    expect(page.get_by_role("heading", name="Avance")).to_be_visible()
    for practica in PRACTICAS:
        expect(page.get_by_role("rowheader", name=practica[0])).to_be_visible()
    fila = page.get_by_role("row").filter(has=page.get_by_role("link", name=sujeto_a.nombre))
    expect(fila.get_by_role("cell").first).to_have_text("2")  # two committed, both «comprometida»
    _sin_violaciones(page, fallas)
    page.get_by_role("link", name=sujeto_a.nombre).first.click()
    expect(page.get_by_text("Laura Garza Treviño")).to_be_visible()
    _sin_violaciones(page, fallas)

    assert not fallas, fallas
