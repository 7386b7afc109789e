"""The enlace's whole journey in a real browser: log in, draft, fill, upload, submit, download the acuse."""

import io
import re

import pypdf
import pytest
from django.urls import reverse
from playwright.sync_api import expect

from practicas.models import Practica
from tests.e2e.conftest import exigir_chromium

exigir_chromium()

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

CSV = b"municipio,monto\nMetepec,1200\nToluca,3400\nZinacantepec,560\n"
CLAVE = "clave-de-prueba-123"  # UsuarioFactory's password

GENERALES = {
    "area_responsable": "Unidad de Transparencia",
    "contacto_nombre": "Ana Pérez Hernández",
    "contacto_cargo": "Titular de la Unidad",
    "contacto_correo": "ana.perez@finanzas.gob.mx",
    "contacto_telefono": "722 123 4567",
    "descripcion": "Publicamos cada mes el presupuesto ejercido en datos abiertos, con visualizaciones.",
    "necesidad_informacion": "La ciudadanía pregunta con frecuencia en qué se gasta el presupuesto.",
    "identificacion_necesidad": "Análisis de las solicitudes de información de los últimos dos años.",
    "poblacion_objetivo": "Habitantes del Estado de México, periodistas y organizaciones civiles.",
    "url_publicacion": "https://finanzas.edomex.gob.mx/presupuesto-abierto",
    "fecha_inicio": "2024-03-01",
}


def _iniciar_sesion(page, live_server, correo):
    page.goto(live_server.url + reverse("login"))
    page.get_by_label("Correo electrónico").fill(correo)
    page.get_by_label("Contraseña").fill(CLAVE)
    page.get_by_role("button", name="Entrar").click()
    expect(page.get_by_role("button", name="Cerrar sesión")).to_be_visible()


def test_enlace_envia_practica_y_descarga_su_acuse(page, live_server, convocatoria, enlace_a, sujeto_a):
    _iniciar_sesion(page, live_server, enlace_a.email)

    page.get_by_role("navigation", name="Navegación principal").get_by_role("link", name="Mis prácticas").click()
    expect(page.get_by_role("heading", name="Mis prácticas")).to_be_visible()
    page.get_by_role("link", name="Proponer una práctica").click()

    # New draft: the only body the enlace represents is preselected.
    expect(page.get_by_label("Sujeto obligado")).to_have_value(str(sujeto_a.pk))
    page.get_by_label("Nombre de la práctica").fill("Presupuesto abierto de Finanzas")
    page.get_by_role("button", name="Crear borrador").click()
    expect(page.get_by_role("heading", name="Formulario de la práctica")).to_be_visible()
    expect(page.get_by_text("Borrador creado.")).to_be_visible()

    for campo, valor in GENERALES.items():
        page.locator(f"#id_{campo}").fill(valor)
    evidencias = page.locator("textarea[name^='evidencia-']")
    expect(evidencias).to_have_count(6)
    for i in range(6):
        evidencias.nth(i).fill(f"Evidencia escrita para el criterio {i + 1}, con ejemplos concretos.")
    page.locator("#archivos-general").set_input_files(
        files=[{"name": "presupuesto-2024.csv", "mimeType": "text/csv", "buffer": CSV}]
    )
    page.get_by_role("button", name="Guardar y revisar para enviar").click()

    # The review page: complete, with the uploaded support listed as open data.
    expect(page.get_by_text("El formulario está completo.")).to_be_visible()
    expect(page.get_by_role("link", name="presupuesto-2024.csv")).to_be_visible()
    expect(page.locator(".badge-datos-abiertos").first).to_have_text("Datos abiertos")

    page.on("dialog", lambda dialogo: dialogo.accept())
    page.get_by_role("button", name="Enviar práctica").click()

    practica = Practica.objects.get(nombre="Presupuesto abierto de Finanzas")
    assert practica.estado == Practica.Estado.ENVIADA and practica.folio
    assert practica.descripcion == GENERALES["descripcion"]
    assert practica.evidencias.exclude(texto="").count() == 6
    expect(page.get_by_text(f"Práctica recibida con el folio {practica.folio}")).to_be_visible()
    expect(page.locator("dd strong", has_text=practica.folio)).to_be_visible()

    # Tasks run eagerly: the acuse is ready at once or after one htmx poll (every 2 s).
    enlace_acuse = page.get_by_role("link", name="Descargar acuse de recibo (PDF)")
    expect(enlace_acuse).to_be_visible(timeout=15_000)
    with page.expect_download() as descarga_info:
        enlace_acuse.click()
    descarga = descarga_info.value
    assert descarga.suggested_filename == f"acuse-{practica.folio}.pdf"
    with open(descarga.path(), "rb") as fh:
        lector = pypdf.PdfReader(io.BytesIO(fh.read()))
    texto = re.sub(r"\s+", "", "".join(p.extract_text() for p in lector.pages))
    assert practica.folio in texto


def test_enlace_para_saltar_al_contenido_es_la_primera_parada_del_teclado(page, live_server, convocatoria):
    page.goto(live_server.url + reverse("convocatorias:lista"))
    page.keyboard.press("Tab")
    enfocado = page.locator(":focus")
    expect(enfocado).to_have_text("Saltar al contenido principal")
    expect(enfocado).to_have_attribute("href", "#contenido")
    # visually-hidden-focusable: it shows up when it has the focus.
    caja = enfocado.bounding_box()
    assert caja and caja["width"] > 1 and caja["height"] > 1
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement && document.activeElement.id") == "contenido"
    expect(page.locator("#contenido")).to_be_focused()
