"""Public sessions and registration: one registration per person and session, capacity, window,
confirmation e-mail after commit, rate limit per address, honeypot."""

import re
from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from config.gunicorn_registro import ocultar_tokens
from core.errors import ErrorDominio
from jornadas import services
from jornadas.models import Participante, Registro
from tests.jornadas import builders as b

pytestmark = pytest.mark.django_db


def _datos(sujeto, correo="ana.lopez@finanzas.gob.mx", **extra):
    return {"nombre": "Ana López Ruiz", "correo": correo, "sujeto": sujeto.pk, "cargo": "Analista",
            "acepta_aviso": "on", **extra}


def _registrar(client, jornada, datos, capturar):
    with capturar(execute=True):
        return client.post(reverse("jornadas:registro", args=[jornada.slug]), datos)


def test_registro_crea_persona_y_envia_confirmacion_con_los_datos(client, sujeto_a, django_capture_on_commit_callbacks):
    jornada = b.jornada(titulo="Jornada de prueba", coordinador="Luis Gustavo Parra Noriega", cupo=10)
    resp = _registrar(client, jornada, _datos(sujeto_a, correo="Ana.Lopez@Finanzas.gob.mx"),
                      django_capture_on_commit_callbacks)
    assert resp.status_code == 302 and resp["Location"] == reverse("jornadas:registro_listo", args=[jornada.slug])
    registro = Registro.objects.get(jornada=jornada)
    assert registro.participante.correo == "ana.lopez@finanzas.gob.mx" and registro.participante.sujeto == sujeto_a
    (correo,) = mail.outbox
    assert correo.to == ["ana.lopez@finanzas.gob.mx"]
    assert "Jornada de prueba" in correo.subject
    assert "Luis Gustavo Parra Noriega" in correo.body and jornada.enlace_virtual in correo.body
    assert reverse("jornadas:encuesta", args=[registro.token_encuesta]) in correo.body
    html = client.get(resp["Location"]).content.decode()
    assert "ana.lopez@finanzas.gob.mx" in html


def test_una_sola_vez_por_persona_y_jornada_sin_importar_mayusculas(client, sujeto_a,
                                                                   django_capture_on_commit_callbacks):
    jornada = b.jornada()
    _registrar(client, jornada, _datos(sujeto_a), django_capture_on_commit_callbacks)
    resp = _registrar(client, jornada, _datos(sujeto_a, correo="ANA.LOPEZ@finanzas.gob.mx"),
                      django_capture_on_commit_callbacks)
    assert resp.status_code == 400
    assert "ya está registrado en esta jornada" in resp.content.decode()
    assert Registro.objects.filter(jornada=jornada).count() == 1 and Participante.objects.count() == 1
    assert len(mail.outbox) == 1
    # The same person may register to another session: one Participante, two registrations.
    otra = b.jornada()
    assert _registrar(client, otra, _datos(sujeto_a), django_capture_on_commit_callbacks).status_code == 302
    assert Participante.objects.count() == 1 and Registro.objects.count() == 2


def test_cupo_completo_rechaza_y_no_escribe(client, sujeto_a, django_capture_on_commit_callbacks):
    jornada = b.jornada(cupo=2)
    b.registrar(jornada, 1)
    assert _registrar(client, jornada, _datos(sujeto_a, correo="uno@x.gob.mx"),
                      django_capture_on_commit_callbacks).status_code == 302
    resp = _registrar(client, jornada, _datos(sujeto_a, correo="dos@x.gob.mx"), django_capture_on_commit_callbacks)
    assert resp.status_code == 400
    assert jornada.registros.count() == 2
    assert not Participante.objects.filter(correo="dos@x.gob.mx").exists()  # rolled back with the refusal
    html = client.get(reverse("jornadas:detalle", args=[jornada.slug])).content.decode()
    assert "cupo de esta jornada está completo" in html


def test_cupo_lleno_el_servicio_no_crea_registro(sujeto_a):
    jornada = b.jornada(cupo=1)
    services.registro_inscribir(jornada=jornada, nombre="Uno", correo="uno@x.gob.mx", sujeto=sujeto_a)
    with pytest.raises(ErrorDominio, match="cupo"):
        services.registro_inscribir(jornada=jornada, nombre="Dos", correo="dos@x.gob.mx", sujeto=sujeto_a)
    assert jornada.registros.count() == 1


@pytest.mark.parametrize(("abre", "cierra", "mensaje"), [
    (timedelta(days=1), timedelta(days=2), "aún no abre"),
    (-timedelta(days=3), -timedelta(minutes=1), "ya cerró"),
])
def test_ventana_de_registro(sujeto_a, abre, cierra, mensaje):
    ahora = timezone.now()
    jornada = b.jornada(registro_abre=ahora + abre, registro_cierra=ahora + cierra)
    with pytest.raises(ErrorDominio, match=mensaje):
        services.registro_inscribir(jornada=jornada, nombre="Ana", correo="ana@x.gob.mx", sujeto=sujeto_a)
    assert not Registro.objects.exists()


def test_jornada_pasada_no_acepta_registros_en_linea(client, sujeto_a, django_capture_on_commit_callbacks):
    jornada = b.jornada(pasada=True)
    resp = _registrar(client, jornada, _datos(sujeto_a), django_capture_on_commit_callbacks)
    assert resp.status_code == 400 and "ya cerró" in resp.content.decode()
    assert not Registro.objects.exists()


def test_limite_de_registros_por_direccion(client, settings, sujeto_a, django_capture_on_commit_callbacks):
    settings.JORNADAS_REGISTROS_POR_HORA = 3
    jornada = b.jornada()
    for i in range(3):
        resp = _registrar(client, jornada, _datos(sujeto_a, correo=f"p{i}@x.gob.mx"), django_capture_on_commit_callbacks)
        assert resp.status_code == 302
    resp = _registrar(client, jornada, _datos(sujeto_a, correo="p9@x.gob.mx"), django_capture_on_commit_callbacks)
    assert resp.status_code == 429
    assert "demasiados registros desde su conexión" in resp.content.decode()
    assert jornada.registros.count() == 3
    # Another address is not affected.
    with django_capture_on_commit_callbacks(execute=True):
        resp = client.post(reverse("jornadas:registro", args=[jornada.slug]),
                           _datos(sujeto_a, correo="otra@x.gob.mx"), REMOTE_ADDR="10.0.0.9")
    assert resp.status_code == 302


def test_limite_predeterminado_es_diez_por_hora(client, sujeto_a):
    jornada = b.jornada()
    codigos = [client.post(reverse("jornadas:registro", args=[jornada.slug]),
                           _datos(sujeto_a, correo=f"q{i}@x.gob.mx")).status_code for i in range(11)]
    assert codigos[:10] == [302] * 10 and codigos[10] == 429


def test_campo_trampa_no_registra(client, sujeto_a, django_capture_on_commit_callbacks):
    jornada = b.jornada()
    resp = _registrar(client, jornada, _datos(sujeto_a, sitio_web="http://spam.example"),
                      django_capture_on_commit_callbacks)
    assert resp.status_code == 302
    assert not Registro.objects.exists() and not mail.outbox


def test_lista_publica_separa_proximas_y_pasadas_y_oculta_no_publicadas(client):
    ciclo = b.ciclo(nombre="Jornadas de sensibilización 2023")
    b.jornada_con_asistentes(2, ciclo_=ciclo, titulo="Primera jornada pasada")
    b.jornada(titulo="Jornada que viene", cupo=30)
    b.jornada(titulo="Borrador interno", publicada=False)
    html = client.get(reverse("jornadas:lista")).content.decode()
    assert "Jornada que viene" in html and "Quedan 30 lugares" in html
    assert "Jornadas de sensibilización 2023" in html and "Primera jornada pasada" in html
    assert "Borrador interno" not in html


def test_detalle_muestra_datos_de_la_jornada(client):
    jornada = b.jornada(titulo="Segunda jornada", coordinador="María del Rosario Mejía Ayala",
                        cargo_coordinador="Comisionada", cupo=5, fase="practica")
    b.registrar(jornada, 2)
    html = client.get(reverse("jornadas:detalle", args=[jornada.slug])).content.decode()
    for texto in ("Segunda jornada", "María del Rosario Mejía Ayala", "Comisionada", "Virtual",
                  "Práctico-operativa", "quedan 3 lugares", "Atributos de calidad de la información",
                  jornada.enlace_virtual):
        assert texto in html, texto


def test_buscador_de_sujetos_filtra_por_nombre(client, sujeto_a, sujeto_b):
    jornada = b.jornada()
    html = client.get(reverse("jornadas:sujetos_opciones", args=[jornada.slug]) + "?q=salud").content.decode()
    assert "Secretaría de Salud" in html and "Secretaría de Finanzas" not in html


def test_servicio_no_sobrescribe_datos_de_otra_persona(sujeto_a, sujeto_b):
    """Someone typing another person's e-mail cannot rename them (names go on certificates)."""
    Participante.objects.create(nombre="Nombre Original", correo="persona@x.gob.mx", sujeto=sujeto_a, cargo="Jefa")
    services.registro_inscribir(jornada=b.jornada(), nombre="Otro Nombre", correo="PERSONA@x.gob.mx",
                                sujeto=sujeto_b, cargo="Otro")
    p = Participante.objects.get()
    assert (p.nombre, p.sujeto, p.cargo) == ("Nombre Original", sujeto_a, "Jefa")


def test_la_confirmacion_trae_la_jornada_como_evento_de_calendario(client, sujeto_a,
                                                                    django_capture_on_commit_callbacks):
    """An .ics (RFC 5545) the person adds to their calendar: the session's start and end in UTC, its
    title, place and link, escaped and folded as calendars expect."""
    from datetime import UTC

    jornada = b.jornada(titulo="Jornada de prueba; con coma, y punto y coma", sede="Auditorio, planta baja",
                        temas="Acceso a la información\nDatos abiertos " + "x" * 90)
    _registrar(client, jornada, _datos(sujeto_a), django_capture_on_commit_callbacks)
    (correo,) = mail.outbox
    ((nombre, ics, tipo),) = correo.attachments
    assert nombre == f"{jornada.slug}.ics" and tipo.startswith("text/calendar")
    assert ics.startswith("BEGIN:VCALENDAR\r\n") and ics.endswith("END:VCALENDAR\r\n")
    assert all(len(linea.encode()) <= 75 for linea in ics.split("\r\n"))  # folded
    desplegado = ics.replace("\r\n ", "")
    lineas = dict(linea.split(":", 1) for linea in desplegado.split("\r\n") if ":" in linea and ";" not in
                  linea.split(":", 1)[0])
    assert lineas["DTSTART"] == jornada.inicio.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")
    assert lineas["DTEND"] == jornada.fin.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")
    assert lineas["SUMMARY"] == "Jornada de prueba\\; con coma\\, y punto y coma"
    assert lineas["LOCATION"].startswith("Auditorio\\, planta baja")
    assert "Acceso a la información\\nDatos abiertos" in lineas["DESCRIPTION"]
    assert lineas["URL"].endswith(jornada.get_absolute_url())
    registro = Registro.objects.get(jornada=jornada)
    assert lineas["UID"].startswith(f"jornada-{jornada.pk}-registro-{registro.pk}@")


# --- cancellation by the person, from the confirmation's link -----------------------------------

LINEA_ICS = re.compile(r'^[A-Z][A-Z0-9-]*(;[A-Z0-9-]+=("[^"\x00-\x1f]*"|[^";:,\x00-\x1f]*))*:.*$')


def _ics(texto: str) -> list[tuple[str, str]]:
    """An iCalendar object read as RFC 5545 says: CRLF line ends, lines of at most 75 octets folded
    with a leading space, every unfolded line `NAME[;PARAM=VALUE]:value`, BEGIN/END nested. Returns
    the (name with parameters, value) pairs."""
    assert texto.endswith("\r\n") and "\n" not in texto.replace("\r\n", "")
    fisicas = texto[:-2].split("\r\n")
    assert all(len(linea.encode()) <= 75 for linea in fisicas), "línea sin plegar"
    assert not fisicas[0].startswith(" ")
    desplegadas = "\r\n".join(fisicas).replace("\r\n ", "").split("\r\n")
    pila, pares = [], []
    for linea in desplegadas:
        assert LINEA_ICS.match(linea), linea
        nombre, valor = linea.split(":", 1) if not linea.split(":", 1)[0].count('"') else \
            (linea[:linea.rindex('":') + 1], linea[linea.rindex('":') + 2:])
        if nombre == "BEGIN":
            pila.append(valor)
        elif nombre == "END":
            assert pila.pop() == valor
        pares.append((nombre, valor))
    assert pila == []
    return pares


def _propiedad(pares, nombre):
    (valor,) = [v for n, v in pares if n.split(";")[0] == nombre]
    return valor


def _confirmar(client, jornada, sujeto, capturar, **datos):
    _registrar(client, jornada, _datos(sujeto, **datos), capturar)
    (confirmacion,) = mail.outbox
    registro = Registro.objects.get(jornada=jornada)
    return confirmacion, registro


def test_la_confirmacion_trae_el_enlace_personal_para_cancelar(client, sujeto_a, django_capture_on_commit_callbacks):
    jornada = b.jornada()
    confirmacion, registro = _confirmar(client, jornada, sujeto_a, django_capture_on_commit_callbacks)
    url = reverse("jornadas:registro_cancelar", args=[services.token_cancelacion(registro)])
    assert url in confirmacion.body and url in confirmacion.alternatives[0][0]
    pares = _ics(confirmacion.attachments[0][1])
    assert _propiedad(pares, "METHOD") == "PUBLISH" and _propiedad(pares, "SEQUENCE") == "0"
    assert _propiedad(pares, "STATUS") == "CONFIRMED"


def test_cancelar_con_el_enlace_quita_el_registro_y_envia_el_evento_cancelado(
        client, sujeto_a, django_capture_on_commit_callbacks):
    jornada = b.jornada(titulo="Jornada «A&B», con coma; y punto y coma", cupo=1)
    confirmacion, registro = _confirmar(client, jornada, sujeto_a, django_capture_on_commit_callbacks,
                                        nombre='Ana <b>"López"</b>')
    url = reverse("jornadas:registro_cancelar", args=[services.token_cancelacion(registro)])
    pagina = client.get(url)
    assert pagina.status_code == 200 and "Cancelar mi registro" in pagina.content.decode()
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        resp = client.post(url)
    assert resp.status_code == 302 and resp["Location"] == reverse("jornadas:lista")
    assert not Registro.objects.filter(pk=registro.pk).exists()
    assert registro.history.filter(history_type="-").exists()  # the record of it stays

    (aviso,) = mail.outbox
    assert aviso.to == ["ana.lopez@finanzas.gob.mx"] and aviso.subject.startswith("Registro cancelado:")
    assert "quedó cancelado" in aviso.body and "Ana <b>\"López\"</b>" in aviso.body
    ((html, _tipo),) = aviso.alternatives
    assert "Ana &lt;b&gt;&quot;López&quot;&lt;/b&gt;" in html and "<b>\"López\"" not in html
    ((nombre, ics, tipo),) = aviso.attachments
    assert nombre.endswith(".ics") and tipo.startswith("text/calendar; method=CANCEL")
    original, cancelado = _ics(confirmacion.attachments[0][1]), _ics(ics)
    assert _propiedad(cancelado, "METHOD") == "CANCEL" and _propiedad(cancelado, "STATUS") == "CANCELLED"
    assert _propiedad(cancelado, "UID") == _propiedad(original, "UID")
    assert int(_propiedad(cancelado, "SEQUENCE")) > int(_propiedad(original, "SEQUENCE"))
    assert _propiedad(cancelado, "DTSTART") == _propiedad(original, "DTSTART")
    assert _propiedad(cancelado, "ATTENDEE") == "mailto:ana.lopez@finanzas.gob.mx"

    # The link is spent; the seat is free again.
    assert client.get(url).status_code == 404 and client.post(url).status_code == 404
    otra = _registrar(client, jornada, _datos(sujeto_a, correo="otra@finanzas.gob.mx"),
                      django_capture_on_commit_callbacks)
    assert otra.status_code == 302


def test_no_se_cancela_una_vez_comenzada_la_jornada(client, sujeto_a, django_capture_on_commit_callbacks):
    jornada = b.jornada()
    _confirmar(client, jornada, sujeto_a, django_capture_on_commit_callbacks)
    registro = Registro.objects.get(jornada=jornada)
    url = reverse("jornadas:registro_cancelar", args=[services.token_cancelacion(registro)])
    mail.outbox.clear()
    with time_machine.travel(jornada.inicio, tick=False):
        assert "ya no puede cancelarse" in client.get(url).content.decode()
        with django_capture_on_commit_callbacks(execute=True):
            resp = client.post(url)
    assert resp.status_code == 400 and "ya no puede cancelarse" in resp.content.decode()
    assert Registro.objects.filter(pk=registro.pk).exists() and mail.outbox == []


def test_un_enlace_alterado_o_de_otro_registro_no_sirve(client, sujeto_a, django_capture_on_commit_callbacks):
    jornada = b.jornada()
    _confirmar(client, jornada, sujeto_a, django_capture_on_commit_callbacks)
    registro = Registro.objects.get(jornada=jornada)
    token = services.token_cancelacion(registro)
    assert services.registro_por_token_cancelacion(token) == registro
    assert services.registro_por_token_cancelacion(token[:-1] + ("A" if token[-1] != "A" else "B")) is None
    # A registration made again after a cancellation is not reached by the old link.
    Registro.objects.filter(pk=registro.pk).update(registrado_en=registro.registrado_en + timedelta(seconds=5))
    assert services.registro_por_token_cancelacion(token) is None


def test_la_bitacora_de_accesos_oculta_el_token_de_cancelacion():
    assert ocultar_tokens("GET /jornadas/registro/cancelar/WzEsMTdd:1vX:abc/ HTTP/1.1") == \
        "GET /jornadas/registro/cancelar/…/ HTTP/1.1"
    assert ocultar_tokens("/jornadas/encuesta/AbC-123_x/") == "/jornadas/encuesta/…/"
    assert ocultar_tokens("/jornadas/encuesta/responder/") == "/jornadas/encuesta/responder/"
