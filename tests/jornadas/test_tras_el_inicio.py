"""Issue 10, item 5: attendance, the survey and the constancias open only once the session has
started. A session dated three weeks ahead refuses each of them with a Spanish message; at its
start they open."""

from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from core.errors import ErrorDominio
from jornadas import constancias, importacion, services
from jornadas.models import Constancia, EnvioPendiente, Registro, RespuestaEncuesta
from tests.jornadas import builders as b

pytestmark = pytest.mark.django_db

AUN_NO = "La jornada aún no comienza"


@pytest.fixture
def futura(autoridad):
    """A session three weeks ahead, with two people registered."""
    inicio = timezone.now().replace(microsecond=0) + timedelta(days=21)
    jornada = b.jornada(autoridad_=autoridad, inicio=inicio, fin=inicio + timedelta(hours=2), registro_cierra=inicio)
    b.registrar(jornada, 2)
    return jornada


def _registros(jornada):
    return list(Registro.objects.filter(jornada=jornada).order_by("pk"))


# --- attendance -------------------------------------------------------------------------------

def test_no_se_marca_asistencia_antes_del_inicio(futura, personal):
    r1, r2 = _registros(futura)
    with pytest.raises(ErrorDominio, match=AUN_NO) as exc:
        services.asistencia_marcar(jornada=futura, presentes={r1.pk}, mostrados={r1.pk, r2.pk}, usuario=personal)
    assert "la asistencia se registra a partir de su inicio" in exc.value.mensaje
    assert not Registro.objects.filter(jornada=futura, asistio=True).exists()


def test_asistencia_se_abre_al_inicio(futura, personal):
    r1, r2 = _registros(futura)
    with time_machine.travel(futura.inicio, tick=False):
        assert services.asistencia_marcar(jornada=futura, presentes={r1.pk}, mostrados={r1.pk, r2.pk},
                                          usuario=personal) == 1


def test_desmarcar_antes_del_inicio_no_se_rechaza(futura, personal):
    """Correcting a mark (legacy data) is not attendance: nobody becomes present."""
    r1, r2 = _registros(futura)
    Registro.objects.filter(pk=r1.pk).update(asistio=True)
    assert services.asistencia_marcar(jornada=futura, presentes=set(), mostrados={r1.pk, r2.pk},
                                      usuario=personal) == 1


def test_vista_de_asistencia_antes_del_inicio_avisa_y_no_guarda(client, futura, personal):
    r1, r2 = _registros(futura)
    client.force_login(personal)
    html = client.get(reverse("panel:jornada_asistencia", args=[futura.slug])).content.decode()
    assert AUN_NO in html
    resp = client.post(reverse("panel:jornada_asistencia", args=[futura.slug]),
                       {"mostrados": [r1.pk, r2.pk], "asistio": [r1.pk]})
    assert resp.status_code == 409 and AUN_NO in resp.content.decode()
    resp = client.post(reverse("panel:jornada_asistencia_marcar", args=[futura.slug, r1.pk]), {"asistio": [r1.pk]},
                       HTTP_HX_REQUEST="true")
    assert resp.status_code == 200 and AUN_NO in resp.content.decode()
    assert not Registro.objects.filter(jornada=futura, asistio=True).exists()


def test_no_se_agrega_asistente_antes_del_inicio(client, futura, personal):
    with pytest.raises(ErrorDominio, match=AUN_NO):
        services.participante_agregar(jornada=futura, nombre="Rosa Mena", correo="rosa@finanzas.gob.mx",
                                      usuario=personal)
    client.force_login(personal)
    resp = client.post(reverse("panel:jornada_participante_agregar", args=[futura.slug]),
                       {"nombre": "Rosa Mena", "correo": "rosa@finanzas.gob.mx", "sujeto": "", "cargo": ""})
    assert resp.status_code == 400 and AUN_NO in resp.content.decode()
    assert not Registro.objects.filter(jornada=futura, participante__correo="rosa@finanzas.gob.mx").exists()


def test_no_se_importa_asistencia_antes_del_inicio(futura, personal):
    tabla = importacion.leer_archivo("lista.csv", b"nombre,correo\nAna Ruiz,ana@finanzas.gob.mx\n").como_dict()
    with pytest.raises(ErrorDominio, match=AUN_NO):
        importacion.asistencia_importar(jornada=futura, tabla=tabla, usuario=personal)
    assert not Registro.objects.filter(jornada=futura, asistio=True).exists()


# --- survey -----------------------------------------------------------------------------------

def test_no_se_responde_la_encuesta_antes_del_inicio(client, futura):
    r1, _r2 = _registros(futura)
    Registro.objects.filter(pk=r1.pk).update(asistio=True)  # marked before this rule existed
    b.encuesta(futura)
    with pytest.raises(ErrorDominio, match=AUN_NO):
        services.encuesta_responder(token=r1.token_encuesta, respuestas={})
    # The link trades the token for a session and redirects to the form (issue 10, anonymity).
    html = client.get(reverse("jornadas:encuesta", args=[r1.token_encuesta]), follow=True).content.decode()
    assert "La encuesta se abre cuando comienza la jornada" in html
    assert not RespuestaEncuesta.objects.filter(jornada=futura).exists() and not EnvioPendiente.objects.exists()


def test_no_se_invita_a_la_encuesta_antes_del_inicio(client, futura, personal):
    Registro.objects.filter(jornada=futura).update(asistio=True)
    with pytest.raises(ErrorDominio, match=AUN_NO):
        services.encuesta_invitar(jornada=futura, usuario=personal)  # who sends it is recorded (issue 10)
    client.force_login(personal)
    mail.outbox.clear()
    resp = client.post(reverse("panel:jornada_encuesta_invitar", args=[futura.slug]), follow=True)
    assert AUN_NO in resp.content.decode() and mail.outbox == []


# --- constancias ------------------------------------------------------------------------------

def test_no_se_emiten_constancias_de_una_jornada_futura(client, futura, personal):
    Registro.objects.filter(jornada=futura).update(asistio=True)
    with pytest.raises(ErrorDominio, match=AUN_NO) as exc:
        constancias.constancias_emitir(usuario=personal, jornada=futura, encolar=False)
    assert "sus constancias se emiten" in exc.value.mensaje
    client.force_login(personal)
    resp = client.post(reverse("panel:constancias_jornada_emitir", args=[futura.slug]), follow=True)
    assert AUN_NO in resp.content.decode()
    assert not Constancia.objects.exists()


def test_constancias_de_un_ciclo_omiten_sus_jornadas_futuras(personal, autoridad):
    ciclo = b.ciclo(autoridad_=autoridad)
    pasada = b.jornada_con_asistentes(2, ciclo_=ciclo)
    inicio = timezone.now() + timedelta(days=21)
    futura = b.jornada(ciclo_=ciclo, inicio=inicio, fin=inicio + timedelta(hours=2), registro_cierra=inicio)
    b.registrar(futura, 3, asistio=True)  # marked before this rule existed
    lote = constancias.constancias_emitir(usuario=personal, ciclo=ciclo, encolar=False)
    assert lote.nuevas == 2
    assert set(Constancia.objects.values_list("registro__jornada", flat=True)) == {pasada.pk}
