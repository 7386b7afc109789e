"""A juror signs the ruling with their e.firma in a real browser: a wrong passphrase is refused next to
its field, then the test `.cer`/`.key` sign; when the last juror signs, the ruling is issued and its PDF,
uploaded to the verification page, shows one intact signature per juror. axe-core on both pages."""

import io

import pytest
from django.urls import reverse
from playwright.sync_api import expect
from pypdf import PdfReader

from core import firma_digital
from core.models import DocumentoVerificable
from evaluacion import services
from evaluacion.models import Dictamen
from tests import firmas
from tests.e2e.conftest import exigir_chromium
from tests.e2e.test_accesibilidad import ETIQUETAS_WCAG, _violaciones_graves, axe  # noqa: F401, F811 - fixture
from tests.e2e.test_ciclo import _cerrar_sesion, _iniciar_sesion
from tests.evaluacion import builders

exigir_chromium()

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _archivos(par):
    return ([{"name": "firma.cer", "mimeType": "application/pkix-cert", "buffer": par.cer}],
            [{"name": "firma.key", "mimeType": "application/octet-stream", "buffer": par.key}])


def _firmar(page, par, contrasena):
    cer, key = _archivos(par)
    page.get_by_label("Confirmo que el Jurado Calificador deliberó").check()
    page.get_by_label("Certificado de su e.firma (.cer)").set_input_files(files=cer)
    page.get_by_label("Clave privada de su e.firma (.key)").set_input_files(files=key)
    page.get_by_label("Contraseña de la clave privada").fill(contrasena)
    page.get_by_role("button", name="Firmar dictamen").click()


def test_jurado_firma_con_su_efirma_y_la_verificacion_lee_las_firmas(page, live_server, axe, autoridad,  # noqa: F811
                                                                     personal, sujeto_a):
    ac = firmas.autoridad_certificadora()
    esc = builders.en_evaluacion(autoridad=autoridad, personal=personal, n_practicas=1, n_jurado=2,
                                 sujetos=[sujeto_a], umbral="7.00")
    type(esc.convocatoria).objects.filter(pk=esc.convocatoria.pk).update(firma_electronica=True)
    builders.calificar_todo(esc, lambda mi, pi, ci: 9)
    services.calificacion_cerrar(convocatoria=esc.convocatoria, usuario=personal)
    dictamen = Dictamen.objects.get(practica=esc.practicas[0])
    services.dictamen_guardar(dictamen=dictamen, usuario=personal, decision=Dictamen.Decision.PROCEDENTE,
                              motivos={}, consideraciones="Se evaluó conforme a la convocatoria.")
    primero, segundo = esc.miembros
    pares = {m.pk: firmas.efirma(ac, m.usuario.get_full_name(), rfc=f"JURA80010{m.orden}AB1") for m in esc.miembros}
    services.dictamen_firmar(dictamen=dictamen, usuario=primero.usuario,
                             efirma=firma_digital.cargar_efirma(certificado=pares[primero.pk].cer, clave_privada=pares[primero.pk].key,
                                                         contrasena=pares[primero.pk].contrasena))
    page.on("dialog", lambda dialogo: dialogo.accept())
    fallas = {}

    _iniciar_sesion(page, live_server, segundo.usuario.email)
    page.goto(live_server.url + reverse("panel:dictamen", args=[dictamen.pk]))
    expect(page.get_by_text("Esta convocatoria firma con e.firma")).to_be_visible()
    expect(page.get_by_role("link", name="Descargar el PDF que se firma")).to_be_visible()
    if encontradas := _violaciones_graves(page, ETIQUETAS_WCAG):
        fallas["dictamen"] = encontradas

    # A wrong passphrase: refused next to its field, nothing signed.
    _firmar(page, pares[segundo.pk], "equivocada")
    campo = page.get_by_label("Contraseña de la clave privada")
    expect(campo).to_have_attribute("aria-invalid", "true")
    expect(page.get_by_text("La contraseña de la clave privada no es correcta.")).to_be_visible()
    assert dictamen.firmas.count() == 1

    _firmar(page, pares[segundo.pk], pares[segundo.pk].contrasena)
    expect(page.get_by_text("Con su firma se reunieron las firmas del jurado")).to_be_visible()
    dictamen.refresh_from_db()
    assert dictamen.estado == Dictamen.Estado.FIRMADO
    doc = DocumentoVerificable.objects.get(pk=dictamen.documento_id)
    with doc.archivo.open("rb") as fh:
        contenido = fh.read()
    assert len(PdfReader(io.BytesIO(contenido)).get_fields() or {}) >= 2  # one signature field per juror
    _cerrar_sesion(page)

    # Staff check the signed file on the verification page (the ruling is not public yet: the page says
    # so and still reads the file's signatures).
    page.goto(live_server.url + reverse("core:verificar_inicio"))
    page.get_by_label("Archivo PDF del documento").set_input_files(
        files=[{"name": "dictamen.pdf", "mimeType": "application/pdf", "buffer": contenido}])
    page.get_by_role("button", name="Verificar el archivo").click()
    expect(page.get_by_role("heading", name="Verificación del archivo")).to_be_visible()
    for miembro in esc.miembros:
        expect(page.get_by_text(miembro.usuario.get_full_name(), exact=True)).to_be_visible()
    expect(page.get_by_text("Íntegra", exact=True)).to_have_count(2)
    if encontradas := _violaciones_graves(page, ETIQUETAS_WCAG):
        fallas["verificacion"] = encontradas
    assert not fallas, fallas

