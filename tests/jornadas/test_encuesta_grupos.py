"""Issue 10's survey findings: answers written only in groups (and small groups withheld wherever
results are shown), a closing date, invitations once per person with an explicit counted resend,
the sealed pending pool and an access log without tokens."""

import csv
import io
from datetime import datetime, timedelta
from types import SimpleNamespace

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone
from gunicorn.config import Config

from config.gunicorn_registro import SinTokens, ocultar_tokens
from core import datos_abiertos as da
from core.errors import ErrorDominio
from jornadas import selectors, services, sobres
from jornadas.datos_abiertos import resultados_encuestas
from jornadas.models import EnvioPendiente, InvitacionEncuesta, Pregunta, RespuestaEncuesta
from tests.jornadas import builders as b

pytestmark = pytest.mark.django_db

ZONA = timezone.get_default_timezone()
RESERVA = "no se muestran resultados ni comentarios de grupos con menos de 5 respuestas"


def _respuestas(encuesta, comentario=""):
    datos = {}
    for p in encuesta.preguntas.all():
        if p.tipo == Pregunta.Tipo.MULTIPLE:
            datos[p.pk] = [p.opciones[0]]
        elif p.tipo == Pregunta.Tipo.ESCALA:
            datos[p.pk] = 4
        elif comentario:
            datos[p.pk] = comentario
    return datos


def _responder(registros, comentario=""):
    for r in registros:
        services.encuesta_responder(token=r.token_encuesta, respuestas=_respuestas(b.encuesta(r.jornada), comentario))


def _csv(resp):
    return list(csv.reader(io.StringIO(b"".join(resp.streaming_content).decode("utf-8-sig"))))


# --- groups ------------------------------------------------------------------------------------------


def test_las_respuestas_se_escriben_en_grupos_de_cinco_barajados():
    jornada = b.jornada_con_asistentes(7)
    registros = list(jornada.registros.order_by("pk"))
    _responder(registros[:4], comentario="Pendiente")
    assert EnvioPendiente.objects.count() == 4 and not RespuestaEncuesta.objects.exists()
    assert not any("Pendiente" in p.sobre for p in EnvioPendiente.objects.all())
    _responder(registros[4:5], comentario="Pendiente")
    assert RespuestaEncuesta.objects.filter(jornada=jornada).count() == 5 and not EnvioPendiente.objects.exists()
    _responder(registros[5:], comentario="Pendiente")
    assert RespuestaEncuesta.objects.count() == 5 and EnvioPendiente.objects.count() == 2


def test_al_cerrar_los_sobrantes_se_agrupan_sin_jornada_o_siguen_sellados():
    ciclo = b.ciclo()
    a = b.jornada_con_asistentes(3, ciclo_=ciclo)
    bb = b.jornada_con_asistentes(2, ciclo_=ciclo)
    c = b.jornada_con_asistentes(2, ciclo_=ciclo)
    _responder([*a.registros.all(), *bb.registros.all()])
    encuesta = b.encuesta(a)
    assert EnvioPendiente.objects.count() == 5 and not RespuestaEncuesta.objects.exists()  # not closed yet
    despues = max(selectors.encuesta_cierre(encuesta, j) for j in (a, bb)) + timedelta(minutes=1)
    assert services.encuestas_agrupar_pendientes(ahora=despues) == 5
    assert set(RespuestaEncuesta.objects.values_list("jornada", flat=True)) == {None}
    # Two leftovers of another closed session: fewer than five, they stay sealed.
    _responder(c.registros.all())
    assert services.encuestas_agrupar_pendientes(ahora=despues + timedelta(days=40)) == 0
    assert EnvioPendiente.objects.count() == 2
    resultados = selectors.resultados_encuesta(encuesta)
    assert (resultados.envios, resultados.respondieron) == (5, 7)
    assert "2 de 7 respuestas aún no se incorporan" in resultados.aviso_reserva
    # A session's own results never include the pooled answers.
    assert selectors.resultados_encuesta(encuesta, jornadas=[a]).reservado


def test_sobre_alterado_o_de_otra_clave(settings):
    sobre = sobres.sellar({"jornada": 1, "filas": [{"t": "Texto secreto"}]})
    assert "Texto secreto" not in sobre and sobres.abrir(sobre)["filas"][0]["t"] == "Texto secreto"
    alterado = sobre[:-6] + ("A" if sobre[-6] != "A" else "B") + sobre[-5:]
    with pytest.raises(sobres.SobreInvalido):
        sobres.abrir(alterado)
    settings.SECRET_KEY_FALLBACKS = [settings.SECRET_KEY]
    settings.SECRET_KEY = "otra-clave-para-pruebas"  # noqa: S105
    assert sobres.abrir(sobre)["jornada"] == 1  # rotated key: still opens
    settings.SECRET_KEY_FALLBACKS = []
    with pytest.raises(sobres.SobreInvalido):
        sobres.abrir(sobre)


# --- withheld wherever shown ---------------------------------------------------------------------------


def test_grupo_menor_al_minimo_se_reserva_en_paginas_csv_y_datos_abiertos(client, personal, autoridad):
    ciclo = b.ciclo(autoridad_=autoridad)
    pequena = b.jornada_con_asistentes(4, ciclo_=ciclo, titulo="Jornada pequeña")
    b.responder(pequena.registros.all(), comentario="Comentario que delataría a su autora")
    client.force_login(personal)
    for url in (reverse("panel:jornada_resultados", args=[pequena.slug]),
                reverse("panel:jornadas_resultados", args=[ciclo.slug]),
                reverse("panel:jornadas_resultados", args=[ciclo.slug]) + f"?jornada={pequena.slug}"):
        html = client.get(url).content.decode()
        assert RESERVA in html and "delataría" not in html and 'role="img"' not in html, url
    for nombre in ("panel:jornada_resultados_csv", "panel:jornada_respuestas_csv"):
        filas = _csv(client.get(reverse(nombre, args=[pequena.slug])))
        texto = "\n".join(",".join(f) for f in filas)
        assert RESERVA in texto and "delataría" not in texto and "Mayor difusión" not in texto, nombre
    assert not resultados_encuestas()

    grande = b.jornada_con_asistentes(5, ciclo_=ciclo, titulo="Jornada grande")
    b.responder(grande.registros.all(), comentario="Comentario de un grupo de cinco")
    html = client.get(reverse("panel:jornada_resultados", args=[grande.slug])).content.decode()
    assert RESERVA not in html and "Comentario de un grupo de cinco" in html
    html = client.get(reverse("panel:jornadas_resultados", args=[ciclo.slug])).content.decode()
    assert "9 encuestas respondidas" in html and "delataría" in html  # the cycle as a whole is a group of nine
    filas = resultados_encuestas()
    assert filas and {f["respondieron"] for f in filas} == {9}
    dataset = da.obtener("jornadas-resultados-encuestas")
    assert "omite las encuestas con menos respuestas" in str(dataset.descripcion)


# --- closing date ---------------------------------------------------------------------------------------


def test_la_encuesta_de_2023_no_recibe_respuestas_en_2026(client):
    inicio = datetime(2023, 6, 20, 10, 0, tzinfo=ZONA)
    jornada = b.jornada_con_asistentes(2, inicio=inicio, fin=inicio + timedelta(hours=2),
                                       registro_abre=inicio - timedelta(days=10), registro_cierra=inicio)
    registro = jornada.registros.first()
    encuesta = b.encuesta(jornada)
    with time_machine.travel(datetime(2026, 12, 1, 12, 0, tzinfo=ZONA), tick=False):
        client.get(reverse("jornadas:encuesta", args=[registro.token_encuesta]))
        url = reverse("jornadas:encuesta_responder")
        html = client.get(url).content.decode()
        assert "La encuesta de esta jornada cerró el 20 de julio de 2023" in html and "<form" not in html
        assert client.post(url, {f"p{k}": v for k, v in _respuestas(encuesta).items()}).status_code == 403
        with pytest.raises(ErrorDominio, match="cerró"):
            services.encuesta_responder(token=registro.token_encuesta, respuestas=_respuestas(encuesta))
    assert not EnvioPendiente.objects.exists() and not RespuestaEncuesta.objects.exists()


def test_cierre_propio_y_cierre_predeterminado():
    jornada = b.jornada_con_asistentes(1)
    encuesta = b.encuesta(jornada)
    fin = jornada.fin
    assert selectors.encuesta_cierre(encuesta, jornada) == fin + timedelta(days=30)
    encuesta.cierre = timezone.now() - timedelta(minutes=1)
    encuesta.save()
    with pytest.raises(ErrorDominio, match="cerró"):
        services.encuesta_responder(token=jornada.registros.get().token_encuesta, respuestas=_respuestas(encuesta))


# --- invitations -----------------------------------------------------------------------------------------


def test_invitar_dos_veces_envia_una_vez_y_el_reenvio_se_registra(client, personal, autoridad, mailoutbox,
                                                                   django_capture_on_commit_callbacks):
    jornada = b.jornada_con_asistentes(13, autoridad_=autoridad)
    client.force_login(personal)
    invitar = reverse("panel:jornada_encuesta_invitar", args=[jornada.slug])
    with django_capture_on_commit_callbacks(execute=True):
        client.post(invitar)
        resp = client.post(invitar, follow=True)
    assert len(mailoutbox) == 13 and len({m.to[0] for m in mailoutbox}) == 13
    assert "No se envió ningún correo: la invitación ya se envió" in resp.content.decode()
    assert not jornada.registros.filter(encuesta_invitada_en__isnull=True).exists()

    b.responder(jornada.registros.order_by("pk")[:3])
    with django_capture_on_commit_callbacks(execute=True):
        resp = client.post(reverse("panel:jornada_encuesta_reenviar", args=[jornada.slug]), follow=True)
    assert len(mailoutbox) == 13 + 10
    html = resp.content.decode()
    assert "Se reenviará el enlace de la encuesta a 10 asistentes" in html
    envios = list(InvitacionEncuesta.objects.filter(jornada=jornada).order_by("pk"))
    assert [(e.reenvio, e.destinatarios, e.enviada_por) for e in envios] == [(False, 13, personal), (True, 10, personal)]
    assert "Reenvío" in html and "10 correos" in html and "13 correos" in html  # listed: who, when, how many


def test_no_se_invita_a_una_encuesta_cerrada(client, personal, autoridad, mailoutbox):
    jornada = b.jornada_con_asistentes(2, autoridad_=autoridad)
    encuesta = b.encuesta(jornada)
    encuesta.cierre = timezone.now() - timedelta(days=1)
    encuesta.save()
    client.force_login(personal)
    resp = client.post(reverse("panel:jornada_encuesta_invitar", args=[jornada.slug]), follow=True)
    assert "ya no recibe respuestas" in resp.content.decode() or "cerró" in resp.content.decode()
    assert not mailoutbox and not InvitacionEncuesta.objects.exists()


# --- the access log ------------------------------------------------------------------------------------------


def test_la_bitacora_de_accesos_oculta_el_token():
    assert ocultar_tokens("/jornadas/encuesta/AbC-123_x/") == "/jornadas/encuesta/…/"
    assert ocultar_tokens("/jornadas/encuesta/responder/") == "/jornadas/encuesta/responder/"
    assert ocultar_tokens("/jornadas/encuesta/gracias/") == "/jornadas/encuesta/gracias/"
    registro = SinTokens(Config())
    environ = {"REQUEST_METHOD": "GET", "RAW_URI": "/jornadas/encuesta/SecretoDeVeras/", "SERVER_PROTOCOL": "HTTP/1.1",
               "PATH_INFO": "/jornadas/encuesta/SecretoDeVeras/", "HTTP_REFERER": "https://x/jornadas/encuesta/Otro/",
               "REMOTE_ADDR": "10.0.0.1"}
    resp = SimpleNamespace(status="302 Found", headers=[], sent=0)
    atomos = registro.atoms(resp, SimpleNamespace(headers=[]), environ, timedelta(seconds=0))
    linea = " ".join(str(v) for v in atomos.values())
    assert "SecretoDeVeras" not in linea and "Otro" not in linea
    assert atomos["r"] == "GET /jornadas/encuesta/…/ HTTP/1.1"
