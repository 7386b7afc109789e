"""Judging's state machines through their services (core/estados.py): scores, rulings and
recognitions refuse illegal steps with TransicionInvalida and write nothing; revocation is stored
once, on the document; signed rulings fix the results date through the hook convocatorias offers."""

from datetime import timedelta

import pytest
from django.core.exceptions import FieldDoesNotExist

from convocatorias import services as servicios_convocatoria
from core.errors import ErrorDominio
from core.estados import TransicionInvalida
from core.models import DocumentoVerificable
from evaluacion import services
from evaluacion.models import Dictamen, Evaluacion, Reapertura, Reconocimiento
from tests.evaluacion import builders
from tests.evaluacion.builders_dictamen import fixture_ciclo, fixture_firmado  # noqa: F401

pytestmark = pytest.mark.django_db


def test_reabrir_cuando_la_calificacion_esta_en_captura_falla_sin_escribir(escena, personal):
    miembro, practica = escena.miembros[0], escena.practicas[0]
    evaluacion = builders.calificar(miembro, practica, 8, enviar=False)
    historial = evaluacion.history.count()
    with pytest.raises(TransicionInvalida, match="Solo una calificación enviada puede reabrirse."):
        services.evaluacion_reabrir(evaluacion=evaluacion, usuario=personal, motivo="Revisar.")
    evaluacion.refresh_from_db()
    assert evaluacion.estado == Evaluacion.Estado.BORRADOR and evaluacion.history.count() == historial
    assert not Reapertura.objects.exists()


def test_enviar_cuando_ya_fue_enviada_falla_sin_escribir(escena):
    miembro, practica = escena.miembros[0], escena.practicas[0]
    evaluacion = builders.calificar(miembro, practica, 8)
    enviada_en, historial = evaluacion.enviada_en, evaluacion.history.count()
    with pytest.raises(TransicionInvalida, match="Esta calificación ya fue enviada."):
        services.evaluacion_enviar(evaluacion=evaluacion, usuario=miembro.usuario)
    evaluacion.refresh_from_db()
    assert evaluacion.enviada_en == enviada_en and evaluacion.history.count() == historial


def test_reabrir_cuando_fue_enviada_vuelve_a_captura_por_la_tabla(escena, personal):
    miembro, practica = escena.miembros[0], escena.practicas[0]
    evaluacion = builders.calificar(miembro, practica, 8)
    services.evaluacion_reabrir(evaluacion=evaluacion, usuario=personal, motivo="Revisar el criterio 2.")
    evaluacion.refresh_from_db()
    assert (evaluacion.estado, evaluacion.total, evaluacion.enviada_en) == (Evaluacion.Estado.BORRADOR, None, None)


def test_firmar_cuando_el_dictamen_ya_esta_firmado_falla_con_la_tabla(firmado, personal):
    dictamen = Dictamen.objects.get(pk=firmado.dictamenes[0].pk)
    with pytest.raises(TransicionInvalida, match="definitivo e inapelable"):
        services.dictamen_firmar(dictamen=dictamen, usuario=personal)
    assert Dictamen.objects.get(pk=dictamen.pk).firmado_en == dictamen.firmado_en


def test_revocar_cuando_procede_guarda_fecha_y_motivo_una_sola_vez_en_el_documento(firmado, personal):
    with pytest.raises(FieldDoesNotExist):
        Reconocimiento._meta.get_field("revocado_en")
    rec = Reconocimiento.objects.get(dictamen=firmado.dictamenes[0])
    services.reconocimiento_revocar(reconocimiento=rec, usuario=personal, motivo="Dejó de publicarse.")
    rec = Reconocimiento.objects.select_related("documento").get(pk=rec.pk)
    doc = DocumentoVerificable.objects.get(pk=rec.documento_id)
    assert rec.estado == Reconocimiento.Estado.REVOCADO
    assert doc.revocado_en and doc.motivo_revocacion == "Dejó de publicarse."
    assert (rec.revocado_en, rec.motivo_revocacion) == (doc.revocado_en, doc.motivo_revocacion)
    assert doc.estado_vigencia() == "revocado"


def test_revocar_cuando_ya_fue_revocado_falla_sin_escribir(firmado, personal):
    rec = Reconocimiento.objects.get(dictamen=firmado.dictamenes[0])
    services.reconocimiento_revocar(reconocimiento=rec, usuario=personal, motivo="Primera razón.")
    doc = DocumentoVerificable.objects.get(pk=rec.documento_id)
    historial = rec.history.count()
    with pytest.raises(TransicionInvalida, match="El reconocimiento ya fue revocado."):
        services.reconocimiento_revocar(reconocimiento=rec, usuario=personal, motivo="Segunda razón.")
    despues = DocumentoVerificable.objects.get(pk=rec.documento_id)
    assert (despues.revocado_en, despues.motivo_revocacion) == (doc.revocado_en, "Primera razón.")
    assert rec.history.count() == historial


def test_revocar_cuando_ya_vencio_procede_por_la_tabla(firmado, personal):
    rec = Reconocimiento.objects.get(dictamen=firmado.dictamenes[0])
    services.vigencias_actualizar(hoy=rec.vigente_hasta + timedelta(days=1))
    rec.refresh_from_db()
    assert rec.estado == Reconocimiento.Estado.VENCIDO
    services.reconocimiento_revocar(reconocimiento=rec, usuario=personal, motivo="Se comprobó un error.")
    rec.refresh_from_db()
    assert rec.estado == Reconocimiento.Estado.REVOCADO


def test_fecha_de_resultados_cuando_hay_dictamenes_firmados_no_cambia(firmado, personal):
    conv = firmado.convocatoria
    nueva = conv.fecha_resultados + timedelta(days=1)
    with pytest.raises(ErrorDominio, match="Ya hay dictámenes firmados"):
        servicios_convocatoria.convocatoria_actualizar(convocatoria=conv, usuario=personal,
                                                       datos={"fecha_resultados": nueva})
    conv.refresh_from_db()
    assert conv.fecha_resultados != nueva


def test_fecha_de_resultados_cuando_los_dictamenes_son_borradores_puede_cambiar(ciclo, personal):
    conv = ciclo.convocatoria
    assert conv.calificacion_cerrada
    nueva = conv.fecha_resultados + timedelta(days=1)
    servicios_convocatoria.convocatoria_actualizar(convocatoria=conv, usuario=personal,
                                                   datos={"fecha_resultados": nueva})
    conv.refresh_from_db()
    assert conv.fecha_resultados == nueva
