"""After a refused submit the page comes back with its errors, and the keyboard focus goes to the
first field in error (whose message is tied to it), not to the top of the page."""

import pytest
from django.urls import reverse

from tests.e2e.conftest import exigir_chromium
from tests.jornadas import builders as b

exigir_chromium()

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_tras_un_envio_rechazado_el_foco_va_al_primer_campo_con_error(page, live_server, autoridad):
    jornada = b.jornada(autoridad_=autoridad)
    page.goto(live_server.url + reverse("jornadas:registro", args=[jornada.slug]))
    page.get_by_label("Correo electrónico institucional").fill("no-es-un-correo")
    page.get_by_role("button", name="Registrarme").click()
    page.wait_for_load_state()
    enfocado = page.evaluate("[document.activeElement.id, document.activeElement.getAttribute('aria-describedby')]")
    assert enfocado[0] == "id_nombre", enfocado  # the first field, empty
    assert enfocado[1], "el campo enfocado no está ligado a su mensaje de error"
    mensaje = page.locator(f"#{enfocado[1].split()[0]}").inner_text()
    assert mensaje.strip()


def test_sin_errores_el_foco_no_se_mueve(page, live_server, autoridad):
    jornada = b.jornada(autoridad_=autoridad)
    page.goto(live_server.url + reverse("jornadas:registro", args=[jornada.slug]))
    assert page.evaluate("document.activeElement === document.body")
