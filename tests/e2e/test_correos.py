"""E-mails as people see them in the demo mailbox: the HTML part drawn in its sandboxed frame (its
logo shown, no script run), the text part beside it, the .ics listed; the mailbox page and the
registration's cancellation page pass axe-core."""

import io

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from PIL import Image

from core import buzon
from jornadas import services
from jornadas.models import Registro
from tests import factories
from tests.e2e.conftest import exigir_chromium
from tests.e2e.test_accesibilidad import _violaciones_graves, axe  # noqa: F401
from tests.jornadas import builders as bj

exigir_chromium()

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

CLAVE = "Clave-de-prueba-2026!"


def _png() -> bytes:
    contenido = io.BytesIO()
    Image.new("RGB", (120, 40), "#5b2c6f").save(contenido, "PNG")
    return contenido.getvalue()


def test_el_buzon_muestra_el_correo_con_formato_aislado_y_sin_violaciones(live_server, page, axe, settings,  # noqa: F811
                                                                         tmp_path):
    settings.EMAIL_BACKEND = buzon.BACKEND
    settings.BUZON_DIR = tmp_path / "buzon"
    jornada = bj.jornada(titulo="Jornada «A&B» de prueba")
    jornada.autoridad.logo.save("logo.png", ContentFile(_png()), save=True)
    persona = factories.UsuarioFactory(email="ana.lopez@finanzas.gob.mx")
    persona.set_password(CLAVE)
    persona.save()
    services.registro_inscribir(jornada=jornada, nombre="Ana <script>alert(1)</script> López",
                                correo="ana.lopez@finanzas.gob.mx")  # committed: the confirmation goes
    (mensaje,) = buzon.mensajes_de(persona)

    page.goto(live_server.url + reverse("login"))
    page.get_by_label("Correo electrónico").fill(persona.email)
    page.get_by_label("Contraseña").fill(CLAVE)
    page.get_by_role("button", name="Entrar").click()
    page.wait_for_load_state()
    dialogos = []
    page.on("dialog", lambda d: (dialogos.append(d.message), d.dismiss()))
    respuesta = page.goto(live_server.url + reverse("core:buzon_mensaje", args=[mensaje.id]))
    assert respuesta.status == 200
    marco = page.frame_locator("iframe.correo-html")
    marco.get_by_text("Su registro a la Jornada «A&B» de prueba quedó confirmado.").wait_for()
    # The logo travelled inside the message and is drawn (a data: image, nothing fetched).
    ancho = marco.locator("img").first.evaluate("img => img.naturalWidth")
    assert ancho == 120
    assert dialogos == []  # no script of the message ran
    assert page.get_by_text(f"{jornada.slug}.ics").count() == 1
    assert _violaciones_graves(page) == []

    registro = Registro.objects.get(jornada=jornada)
    respuesta = page.goto(live_server.url + reverse("jornadas:registro_cancelar",
                                                    args=[services.token_cancelacion(registro)]))
    assert respuesta.status == 200
    assert _violaciones_graves(page) == []
    page.get_by_role("button", name="Cancelar mi registro").click()
    page.wait_for_load_state()
    assert not Registro.objects.filter(pk=registro.pk).exists()
    asuntos = [m.asunto for m in buzon.mensajes_de(persona)]
    assert asuntos[0].startswith("Registro cancelado:")
