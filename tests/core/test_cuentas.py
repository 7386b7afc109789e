"""Signing in by e-mail, brute-force lockout (django-axes) and password reset by e-mail."""

import re

from django.core import mail
from django.urls import reverse

from tests import factories

CLAVE = "clave-de-prueba-123"


def test_inicio_de_sesion_con_correo_lleva_a_cada_quien_a_su_trabajo(client, enlace_a, personal):
    resp = client.post(reverse("login"), {"username": "ENLACE.A@finanzas.gob.mx", "password": CLAVE}, follow=True)
    assert resp.redirect_chain[-1][0] == reverse("practicas:mis_practicas")
    client.logout()
    resp = client.post(reverse("login"), {"username": personal.email, "password": CLAVE}, follow=True)
    assert resp.redirect_chain[-1][0] == reverse("panel:inicio")


def test_cuenta_bloqueada_cuando_se_equivoca_cinco_veces(client, enlace_a, settings):
    settings.AXES_FAILURE_LIMIT = 5
    for _ in range(5):
        resp = client.post(reverse("login"), {"username": enlace_a.email, "password": "no-es-la-clave"})
    resp = client.post(reverse("login"), {"username": enlace_a.email, "password": CLAVE})
    assert resp.status_code == 429
    assert "Acceso bloqueado temporalmente" in resp.content.decode()
    assert "_auth_user_id" not in client.session


def test_restablecer_contrasena_por_correo(client, db):
    usuario = factories.UsuarioFactory(email="olvido@ejemplo.gob.mx")
    resp = client.post(reverse("password_reset"), {"email": "olvido@ejemplo.gob.mx"})
    assert resp.status_code == 302
    assert len(mail.outbox) == 1
    enlace = re.search(r"https?://[^/]+(/cuentas/reset/\S+)", mail.outbox[0].body).group(1)
    # Written like every other e-mail: text and HTML, under the instance's name.
    assert mail.outbox[0].subject == "Restablecer su contraseña en Reconoce"
    ((html, tipo),) = mail.outbox[0].alternatives
    assert tipo == "text/html" and f'{enlace}"' in html and '<html lang="es">' in html
    resp = client.get(enlace, follow=True)
    formulario = resp.redirect_chain[-1][0] if resp.redirect_chain else enlace
    resp = client.post(formulario, {"new_password1": "Otra-Clave-Segura-2026", "new_password2": "Otra-Clave-Segura-2026"})
    assert resp.status_code == 302
    usuario.refresh_from_db()
    assert usuario.check_password("Otra-Clave-Segura-2026")


def test_restablecer_no_revela_si_el_correo_existe(client, db):
    resp = client.post(reverse("password_reset"), {"email": "nadie@ejemplo.gob.mx"}, follow=True)
    assert "Revise su correo" in resp.content.decode()
    assert mail.outbox == []
