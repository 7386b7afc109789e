"""Accounts at the edges (issue 10, item 4): the lockout keyed on the normalised e-mail and the client
address, rate limits on password reset, registration that never says whether an account exists, idle
expiry and rotation of staff and juror sessions, CSP and Permissions-Policy headers, the privacy notice
wherever personal data is collected."""

import re
from datetime import timedelta
from pathlib import Path

import pytest
import time_machine
from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.contrib.sessions.models import Session
from django.core import mail
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from core.models import Usuario
from practicas.models import Enlace
from tests import factories

CLAVE = "clave-de-prueba-123"
NUEVA = "Clave-Segura-2026"


@pytest.fixture(autouse=True)
def _contadores_limpios():
    cache.clear()
    yield
    cache.clear()


def _sin_fichas(html: str) -> str:
    """The page without what changes on every response (CSRF tokens, CSP nonces)."""
    html = re.sub(r'(name="csrfmiddlewaretoken" value=|"X-CSRFToken": |nonce=)"?[^"\s>]+"?', r"\1…", html)
    return html


def _entrar(client, correo, clave, ip="10.0.0.1"):
    return client.post(reverse("login"), {"username": correo, "password": clave}, REMOTE_ADDR=ip)


# --- lockout ------------------------------------------------------------------------------------

def test_bloqueo_no_se_esquiva_cambiando_mayusculas_ni_espacios(client, jurado, settings, capsys):
    settings.AXES_FAILURE_LIMIT = 5
    intentos = []
    for correo in ["jurado@infoem.org.mx", "JURADO@infoem.org.mx", "Jurado@Infoem.Org.Mx",
                   " jurado@infoem.org.mx ", "jUrAdO@INFOEM.ORG.MX"]:
        resp = _entrar(client, correo, "no-es-la-clave")
        intentos.append((repr(correo), "clave equivocada", resp.status_code))
    for correo in ["JURADO@INFOEM.ORG.MX", "jurado@infoem.org.mx"]:
        resp = _entrar(client, correo, CLAVE)
        intentos.append((repr(correo), "clave correcta", resp.status_code))
        assert resp.status_code == 429, correo
        assert "Acceso bloqueado temporalmente" in resp.content.decode()
        assert SESSION_KEY not in client.session
    with capsys.disabled():
        print("\nIntentos de inicio de sesión (misma dirección 10.0.0.1, límite 5):")
        for n, (correo, tipo, estado) in enumerate(intentos, 1):
            print(f"  {n}. {correo:<28} {tipo:<17} -> {estado}")


def test_bloqueo_es_por_correo_y_direccion(client, jurado, settings):
    settings.AXES_FAILURE_LIMIT = 5
    for _ in range(5):
        _entrar(client, "JURADO@infoem.org.mx", "no-es-la-clave", ip="10.0.0.1")
    assert _entrar(client, "jurado@infoem.org.mx", CLAVE, ip="10.0.0.1").status_code == 429
    # Another address is another key: the person can still sign in from their own network.
    resp = _entrar(client, "jurado@infoem.org.mx", CLAVE, ip="10.0.0.2")
    assert resp.status_code == 302 and client.session[SESSION_KEY] == str(jurado.pk)


# --- password reset -------------------------------------------------------------------------------

def test_restablecer_limitado_por_direccion(client, db, settings):
    settings.CUENTAS_RESTABLECER_POR_HORA = 3
    factories.UsuarioFactory(email="olvido@ejemplo.gob.mx")
    estados = [client.post(reverse("password_reset"), {"email": "olvido@ejemplo.gob.mx"}).status_code
               for _ in range(15)]
    assert estados == [302] * 3 + [429] * 12
    assert len(mail.outbox) == 3
    resp = client.post(reverse("password_reset"), {"email": "olvido@ejemplo.gob.mx"})
    assert "demasiadas solicitudes" in resp.content.decode()


def test_restablecer_limitado_por_correo_desde_varias_direcciones(client, db, settings):
    settings.CUENTAS_RESTABLECER_POR_CORREO = 2
    factories.UsuarioFactory(email="olvido@ejemplo.gob.mx")
    estados = [client.post(reverse("password_reset"), {"email": " OLVIDO@ejemplo.gob.mx"},
                           REMOTE_ADDR=f"10.0.1.{i}").status_code for i in range(6)]
    assert estados == [302, 302, 429, 429, 429, 429]
    assert len(mail.outbox) == 2


def test_restablecer_al_limite_no_revela_si_la_cuenta_existe(client, db, settings):
    settings.CUENTAS_RESTABLECER_POR_CORREO = 1
    factories.UsuarioFactory(email="existe@ejemplo.gob.mx")
    respuestas = {}
    for correo in ("existe@ejemplo.gob.mx", "nadie@ejemplo.gob.mx"):
        primera = client.post(reverse("password_reset"), {"email": correo}, follow=True)
        segunda = client.post(reverse("password_reset"), {"email": correo})
        respuestas[correo] = (primera.status_code, primera.redirect_chain, segunda.status_code,
                              _sin_fichas(segunda.content.decode().replace(correo, "@")))
    assert respuestas["existe@ejemplo.gob.mx"] == respuestas["nadie@ejemplo.gob.mx"]


# --- registration -------------------------------------------------------------------------------

def _datos_registro(sujeto, correo, **extra):
    return {"first_name": "Ana", "last_name": "Pérez", "email": correo, "password1": NUEVA, "password2": NUEVA,
            "sujeto": sujeto.pk, "cargo": "Titular", "acepta_aviso": "on", **extra}


def _registrar(client, datos, capturar):
    with capturar(execute=True):
        return client.post(reverse("practicas:registro"), datos, follow=True)


def test_registro_no_revela_si_el_correo_ya_tiene_cuenta(client, sujeto_a, enlace_a,
                                                         django_capture_on_commit_callbacks):
    existente = _registrar(client, _datos_registro(sujeto_a, enlace_a.email.upper()),
                           django_capture_on_commit_callbacks)
    nueva = _registrar(client, _datos_registro(sujeto_a, "nueva@ejemplo.gob.mx"), django_capture_on_commit_callbacks)
    html_existente, html_nueva = _sin_fichas(existente.content.decode()), _sin_fichas(nueva.content.decode())
    assert "Ya existe una cuenta" not in html_existente
    assert existente.status_code == nueva.status_code == 200
    assert existente.redirect_chain == nueva.redirect_chain == [(reverse("practicas:registro_enviado"), 302)]
    assert html_existente == html_nueva
    assert SESSION_KEY not in client.session  # nobody is signed in before confirming the address
    # Each address got one e-mail: the existing account a notice, the new one its confirmation link.
    por_destino = {m.to[0]: m for m in mail.outbox}
    assert set(por_destino) == {enlace_a.email, "nueva@ejemplo.gob.mx"}
    aviso = por_destino[enlace_a.email].body
    assert "intentó registrarse" in aviso and reverse("password_reset") in aviso and reverse("login") in aviso
    assert "/cuentas/activar/" not in aviso
    assert "/cuentas/activar/" in por_destino["nueva@ejemplo.gob.mx"].body
    # The existing account is untouched and got no request in its name.
    enlace_a.refresh_from_db()
    assert enlace_a.check_password(CLAVE) and enlace_a.is_active
    assert Usuario.objects.filter(email__iexact=enlace_a.email).count() == 1


def test_registro_nuevo_confirma_el_correo_y_entonces_entra_con_su_solicitud(client, sujeto_a,
                                                                             django_capture_on_commit_callbacks):
    _registrar(client, _datos_registro(sujeto_a, "Nueva@Ejemplo.gob.mx"), django_capture_on_commit_callbacks)
    usuario = Usuario.objects.get(email="nueva@ejemplo.gob.mx")
    assert not usuario.is_active
    solicitud = Enlace.objects.get(usuario=usuario)
    assert solicitud.sujeto == sujeto_a and solicitud.estado == Enlace.Estado.SOLICITADO
    # Until confirmed, the password does not open a session.
    _entrar(client, "nueva@ejemplo.gob.mx", NUEVA)
    assert SESSION_KEY not in client.session
    enlace = re.search(r"https?://[^/]+(/cuentas/activar/\S+)", mail.outbox[0].body).group(1)
    resp = client.get(enlace)
    assert resp.status_code == 200 and "Confirmar mi cuenta" in resp.content.decode()
    assert not Usuario.objects.get(pk=usuario.pk).is_active  # a link prefetcher's GET activates nothing
    resp = client.post(enlace, follow=True)
    assert resp.redirect_chain[-1][0] == reverse("practicas:cuenta")
    assert client.session[SESSION_KEY] == str(usuario.pk)
    assert Usuario.objects.get(pk=usuario.pk).is_active
    # The link works once.
    client.logout()
    assert client.post(enlace).status_code == 400
    assert client.get(enlace).status_code == 400


def test_registro_repetido_sin_confirmar_reenvia_la_confirmacion(client, sujeto_a, django_capture_on_commit_callbacks):
    for _ in range(2):
        _registrar(client, _datos_registro(sujeto_a, "nueva@ejemplo.gob.mx"), django_capture_on_commit_callbacks)
    assert [m.to for m in mail.outbox] == [["nueva@ejemplo.gob.mx"]] * 2
    assert all("/cuentas/activar/" in m.body for m in mail.outbox)
    assert Enlace.objects.filter(usuario__email="nueva@ejemplo.gob.mx").count() == 1


def test_registro_limitado_por_correo(client, sujeto_a, enlace_a, settings, django_capture_on_commit_callbacks):
    settings.CUENTAS_REGISTROS_POR_CORREO = 2
    estados = []
    for i in range(4):
        with django_capture_on_commit_callbacks(execute=True):
            resp = client.post(reverse("practicas:registro"), _datos_registro(sujeto_a, enlace_a.email),
                               REMOTE_ADDR=f"10.0.2.{i}")
        estados.append(resp.status_code)
    assert estados == [302, 302, 429, 429]
    assert len(mail.outbox) == 2
    assert "demasiados registros" in resp.content.decode()


def test_registro_exige_aceptar_el_aviso_de_privacidad(client, sujeto_a):
    resp = client.get(reverse("practicas:registro"))
    assert reverse("core:aviso_privacidad") in resp.content.decode()
    datos = _datos_registro(sujeto_a, "nueva@ejemplo.gob.mx")
    del datos["acepta_aviso"]
    resp = client.post(reverse("practicas:registro"), datos)
    assert resp.status_code == 200
    assert resp.context["form"].errors["acepta_aviso"]
    assert not Usuario.objects.filter(email="nueva@ejemplo.gob.mx").exists()


def test_solicitud_desde_mi_cuenta_exige_aceptar_el_aviso(client, enlace_a, sujeto_b):
    client.force_login(enlace_a)
    resp = client.get(reverse("practicas:cuenta"))
    assert reverse("core:aviso_privacidad") in resp.content.decode()
    datos = {"sujeto": sujeto_b.pk, "cargo": "Titular"}
    resp = client.post(reverse("practicas:cuenta"), datos)
    assert resp.status_code == 200 and resp.context["form"].errors["acepta_aviso"]
    assert not Enlace.objects.filter(usuario=enlace_a, sujeto=sujeto_b).exists()
    resp = client.post(reverse("practicas:cuenta"), {**datos, "acepta_aviso": "on"})
    assert resp.status_code == 302
    assert Enlace.objects.filter(usuario=enlace_a, sujeto=sujeto_b).exists()


# --- sessions -----------------------------------------------------------------------------------

def test_inicio_de_sesion_cambia_la_clave_de_sesion(client, personal):
    sesion = client.session
    sesion["antes"] = "visita anónima"
    sesion.save()
    anterior = client.cookies[settings.SESSION_COOKIE_NAME].value
    resp = _entrar(client, personal.email, CLAVE)
    assert resp.status_code == 302
    nueva = client.cookies[settings.SESSION_COOKIE_NAME].value
    assert nueva != anterior
    assert not Session.objects.filter(session_key=anterior).exists()
    assert Session.objects.get(session_key=nueva).get_decoded()[SESSION_KEY] == str(personal.pk)


@pytest.mark.parametrize("persona", ["personal", "jurado", "superusuario"])
def test_sesion_de_personal_y_jurado_vence_por_inactividad(client, db, request, persona, settings):
    settings.SESION_INACTIVIDAD_MINUTOS = 30
    usuario = request.getfixturevalue(persona)
    inicio = timezone.now()
    with time_machine.travel(inicio, tick=False):
        _entrar(client, usuario.email, CLAVE)
    with time_machine.travel(inicio + timedelta(minutes=20), tick=False):
        assert client.get(reverse("portal:inicio")).status_code == 200
    # 20 more minutes: 40 since sign-in but 20 since the last request.
    with time_machine.travel(inicio + timedelta(minutes=40), tick=False):
        assert client.get(reverse("portal:inicio")).status_code == 200
        assert client.session[SESSION_KEY] == str(usuario.pk)
    with time_machine.travel(inicio + timedelta(minutes=71), tick=False):
        resp = client.get(reverse("practicas:cuenta"))
        assert resp.status_code == 302
        assert resp["Location"].startswith(reverse("login") + "?next=")
        assert SESSION_KEY not in client.session
        resp = client.get(resp["Location"])
        assert "se cerró después de 30 minutos sin actividad" in resp.content.decode()


def test_inactividad_configurable_y_htmx_recibe_redireccion(client, personal, settings):
    settings.SESION_INACTIVIDAD_MINUTOS = 5
    inicio = timezone.now()
    with time_machine.travel(inicio, tick=False):
        _entrar(client, personal.email, CLAVE)
    with time_machine.travel(inicio + timedelta(minutes=6), tick=False):
        resp = client.get(reverse("practicas:cuenta"), HTTP_HX_REQUEST="true")
    assert resp["HX-Redirect"].startswith(reverse("login"))
    assert SESSION_KEY not in client.session


def test_el_sondeo_automatico_no_cuenta_como_actividad(client, personal, settings):
    settings.SESION_INACTIVIDAD_MINUTOS = 30
    inicio = timezone.now()
    with time_machine.travel(inicio, tick=False):
        _entrar(client, personal.email, CLAVE)
    for minuto in (10, 20, 29):
        with time_machine.travel(inicio + timedelta(minutes=minuto), tick=False):
            client.get(reverse("portal:inicio"), HTTP_HX_REQUEST="true", HTTP_X_RECONOCE_SONDEO="1")
    with time_machine.travel(inicio + timedelta(minutes=31), tick=False):
        assert client.get(reverse("practicas:cuenta")).status_code == 302
    assert SESSION_KEY not in client.session


def test_sesion_de_enlace_no_vence_por_inactividad(client, enlace_a, settings):
    settings.SESION_INACTIVIDAD_MINUTOS = 30
    inicio = timezone.now()
    with time_machine.travel(inicio, tick=False):
        _entrar(client, enlace_a.email, CLAVE)
    with time_machine.travel(inicio + timedelta(hours=5), tick=False):
        assert client.get(reverse("practicas:cuenta")).status_code == 200


# --- headers ------------------------------------------------------------------------------------

def _directivas(cabecera: str) -> dict:
    return {p.split()[0]: p.split()[1:] for p in (x.strip() for x in cabecera.split(";")) if p}


@pytest.mark.parametrize("ruta", ["portal:inicio", "login", "practicas:registro", "core:aviso_privacidad"])
def test_csp_sin_unsafe_inline_y_permissions_policy(client, db, ruta):
    resp = client.get(reverse(ruta))
    csp = _directivas(resp["Content-Security-Policy"])
    assert csp["default-src"] == ["'self'"]
    assert csp["object-src"] == ["'none'"] and csp["frame-ancestors"] == ["'none'"]
    for directiva in ("script-src", "style-src"):
        assert "'unsafe-inline'" not in csp[directiva] and "'unsafe-eval'" not in csp[directiva]
    politica = resp["Permissions-Policy"]
    for permiso in ("camera=()", "microphone=()", "geolocation=()"):
        assert permiso in politica
    # The only inline element (the authority's colour) carries the nonce the header allows.
    html = resp.content.decode()
    nonces = set(re.findall(r'<style nonce="([^"]+)"', html))
    assert len(nonces) == 1 and f"'nonce-{nonces.pop()}'" in csp["style-src"]
    assert '<meta name="htmx-config" content=\'{"includeIndicatorStyles": false' in html


def test_la_pagina_de_una_autoridad_lleva_su_color_con_nonce(client, convocatoria):
    convocatoria.autoridad.color_primario = "#5b2c6f"
    convocatoria.autoridad.save()
    resp = client.get(convocatoria.get_absolute_url())
    html = resp.content.decode()
    nonce = re.search(r'<style nonce="([^"]+)">[^<]*#5b2c6f', html).group(1)
    assert f"'nonce-{nonce}'" in resp["Content-Security-Policy"]


def test_la_documentacion_de_la_api_no_usa_codigo_en_linea(client, db):
    """The page is server-rendered (core.api_documentacion): no script of its own, none inline."""
    resp = client.get(reverse("api:docs"))
    assert resp.status_code == 200
    html = resp.content.decode()
    csp = _directivas(resp["Content-Security-Policy"])
    assert "'unsafe-inline'" not in csp["script-src"]
    for bloque in re.findall(r"<script(?![^>]*\bsrc=)[^>]*>", html):
        raise AssertionError(f"script en línea: {bloque}")
    assert "?script" not in html


PLANTILLAS = Path(settings.BASE_DIR) / "templates"


def _plantillas_html():
    # PDF templates are rendered by WeasyPrint, never by a browser, and carry their own <style>. E-mail
    # templates are read by mail programs, which drop stylesheets: their styles are inline (the demo
    # mailbox shows them in a sandboxed frame under a CSP of its own, tests/core/test_buzon.py).
    return [p for p in PLANTILLAS.rglob("*.html")
            if not {"pdf", "correos"} & set(p.relative_to(PLANTILLAS).parts)]


def test_ninguna_plantilla_trae_codigo_ni_estilos_en_linea():
    problemas = []
    for plantilla in _plantillas_html():
        texto = re.sub(r"\{#.*?#\}|\{% comment %\}.*?\{% endcomment %\}", "", plantilla.read_text(), flags=re.S)
        nombre = plantilla.relative_to(PLANTILLAS)
        for etiqueta in re.findall(r"<script\b[^>]*>", texto):
            if "src=" not in etiqueta and 'type="application/ld+json"' not in etiqueta:
                problemas.append(f"{nombre}: {etiqueta}")
        for etiqueta in re.findall(r"<style\b[^>]*>", texto):
            if "nonce=" not in etiqueta:
                problemas.append(f"{nombre}: {etiqueta}")
        problemas += [f"{nombre}: style=" for _ in re.findall(r"\sstyle=", texto)]
        problemas += [f"{nombre}: {m}" for m in re.findall(r"\son[a-z]+=\"", texto)]
        problemas += [f"{nombre}: {m}" for m in re.findall(r"\shx-on[:-]", texto)]
    assert not problemas, problemas


def test_encuesta_enlaza_el_aviso_de_privacidad():
    texto = (PLANTILLAS / "jornadas" / "encuesta.html").read_text()
    assert "core:aviso_privacidad" in texto
