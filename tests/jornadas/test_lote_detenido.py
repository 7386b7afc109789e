"""A batch that stopped advancing: staff see "Detenido, reanudando" after a minute without a finished
constancia, and "Reanudar" queues what is pending again (here, eagerly, it finishes the batch)."""

from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from core.errors import ErrorDominio
from core.models import DocumentoVerificable
from jornadas import constancias, selectors
from jornadas.models import LoteConstancias
from tests.jornadas import builders as b

pytestmark = pytest.mark.django_db


@pytest.fixture
def lote_parado(autoridad, personal):
    jornada = b.jornada_con_asistentes(3, autoridad_=autoridad)
    return constancias.constancias_emitir(usuario=personal, jornada=jornada, encolar=False)  # nobody took it


def test_un_lote_sin_avance_por_un_minuto_se_ve_detenido(client, personal, lote_parado):
    assert not selectors.lote_progreso(lote_parado)["detenido"]  # just issued: still within the minute
    client.force_login(personal)
    url = reverse("panel:constancias_lote", args=[lote_parado.pk])
    assert "Detenido, reanudando" not in client.get(url).content.decode()
    with time_machine.travel(timezone.now() + selectors.DETENIDO_TRAS + timedelta(seconds=1), tick=False):
        assert selectors.lote_progreso(lote_parado)["detenido"]
        html = client.get(url).content.decode()
        progreso = client.get(reverse("panel:constancias_lote_progreso", args=[lote_parado.pk])).content.decode()
    assert "Detenido, reanudando: 0 de 3 constancias listas." in html
    assert f'action="{reverse("panel:constancias_lote_reanudar", args=[lote_parado.pk])}"' in html
    assert "Reanudar" in progreso and 'hx-trigger="every 1s"' in progreso  # it keeps polling


def test_reanudar_vuelve_a_encolar_lo_pendiente(client, personal, lote_parado, django_capture_on_commit_callbacks):
    client.force_login(personal)
    with django_capture_on_commit_callbacks(execute=True):
        resp = client.post(reverse("panel:constancias_lote_reanudar", args=[lote_parado.pk]), follow=True)
    assert "Se reanudó la generación de las constancias pendientes." in resp.content.decode()
    lote = LoteConstancias.objects.get(pk=lote_parado.pk)
    assert lote.reanudado_en is not None and lote.estado == LoteConstancias.Estado.TERMINADO
    assert not DocumentoVerificable.objects.filter(constancia__lote=lote).exclude(
        estado_pdf=DocumentoVerificable.EstadoPDF.LISTA).exists()


def test_reanudar_un_lote_terminado_se_rechaza(personal, lote_parado, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        constancias.lote_reanudar(lote=lote_parado, usuario=personal)
    with pytest.raises(ErrorDominio, match="ya terminó"):
        constancias.lote_reanudar(lote=lote_parado, usuario=personal)
