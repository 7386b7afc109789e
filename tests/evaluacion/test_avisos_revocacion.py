"""The notice a body gets when its recognition is revoked (services.reconocimiento_avisar_revocacion):
the reason and the date, once, after the commit through the task path, and never while the ruling
is under embargo (a recognition revoked before publication is announced at publication)."""

import pytest
import time_machine
from django.core import mail

from core.documentos import url_verificacion
from core.templatetags.reconoce import fecha_larga
from evaluacion import services, tasks
from evaluacion.models import Reconocimiento
from tests.evaluacion import builders_dictamen as bd
from tests.evaluacion.builders_dictamen import fixture_ciclo, fixture_firmado  # noqa: F401

pytestmark = pytest.mark.django_db

MOTIVO = 'La información publicada no es del sujeto obligado <ni> de "su" área & otras.'


def _avisos():
    return [m for m in mail.outbox if "fue revocado" in m.subject]


def _revocar(rec, personal, capturar):
    with capturar(execute=True):
        return services.reconocimiento_revocar(reconocimiento=rec, usuario=personal, motivo=MOTIVO)


def test_revocar_tras_la_publicacion_avisa_una_vez_con_motivo_y_fecha(firmado, personal, enlace_a, enlace_b,
                                                                     django_capture_on_commit_callbacks):
    rec = Reconocimiento.objects.select_related("documento").get(dictamen=firmado.dictamenes[0])
    with time_machine.travel(bd.antes_y_despues(firmado)[1], tick=False):
        with django_capture_on_commit_callbacks(execute=True):
            assert services.resultados_publicar(convocatoria=firmado.convocatoria)
        mail.outbox.clear()
        _revocar(rec, personal, django_capture_on_commit_callbacks)
        (aviso,) = _avisos()
        rec.refresh_from_db()
        assert rec.aviso_revocacion_en is not None
        # Again (a retried or duplicated task): nothing more.
        assert tasks.reconocimiento_avisar_revocacion_task.delay(rec.pk).get() is False
        assert len(_avisos()) == 1
    assert aviso.subject == f"Su reconocimiento {rec.documento.folio} fue revocado"
    assert enlace_a.email in aviso.to and enlace_b.email not in aviso.to
    assert MOTIVO in aviso.body and "Motivo de la revocación:" in aviso.body
    assert f"fue revocado el {fecha_larga(rec.documento.revocado_en)}" in aviso.body
    assert url_verificacion(rec.documento) in aviso.body
    ((html, _tipo),) = aviso.alternatives
    assert "sujeto obligado &lt;ni&gt; de &quot;su&quot; área &amp; otras." in html and "<ni>" not in html
    assert firmado.convocatoria.autoridad.siglas in aviso.from_email


def test_revocado_bajo_embargo_se_avisa_al_publicar_y_no_antes(firmado, personal,
                                                              django_capture_on_commit_callbacks):
    rec = Reconocimiento.objects.get(dictamen=firmado.dictamenes[0])
    antes, despues = bd.antes_y_despues(firmado)
    with time_machine.travel(antes, tick=False):
        mail.outbox.clear()
        _revocar(rec, personal, django_capture_on_commit_callbacks)
        assert _avisos() == []  # the ruling is still embargoed: no mail may reveal it
        assert Reconocimiento.objects.get(pk=rec.pk).aviso_revocacion_en is None
    with time_machine.travel(despues, tick=False), django_capture_on_commit_callbacks(execute=True):
        assert services.resultados_publicar(convocatoria=firmado.convocatoria)
    assert len(_avisos()) == 1
    assert Reconocimiento.objects.get(pk=rec.pk).aviso_revocacion_en is not None
