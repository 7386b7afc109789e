"""The call's phases: derived in one place (Convocatoria.fase) from the state and the timestamps
that mark them, which CheckConstraints tie to the states those phases belong to."""

from datetime import timedelta

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from convocatorias import services
from convocatorias.models import Convocatoria
from core.estados import TransicionInvalida
from tests import factories

pytestmark = pytest.mark.django_db

Estado, Fase = Convocatoria.Estado, Convocatoria.Fase


@pytest.mark.parametrize(("estado", "calificacion_cerrada", "fase"), [
    (Estado.BORRADOR, False, Fase.PREPARACION),
    (Estado.ABIERTA, False, Fase.RECEPCION),
    (Estado.CERRADA, False, Fase.ADMISIBILIDAD),
    (Estado.EN_EVALUACION, False, Fase.CALIFICACION),
    (Estado.EN_EVALUACION, True, Fase.DICTAMENES),
    (Estado.RESULTADOS_PUBLICADOS, False, Fase.RESULTADOS),
    (Estado.RESULTADOS_PUBLICADOS, True, Fase.RESULTADOS),
])
def test_fase_cuando_se_consulta_en_python_y_en_sql_coincide(autoridad, estado, calificacion_cerrada, fase):
    conv = factories.ConvocatoriaFactory(autoridad=autoridad, estado=estado)
    if calificacion_cerrada:
        Convocatoria.objects.filter(pk=conv.pk).update(calificacion_cerrada_en=timezone.now())
        conv.refresh_from_db()
    assert conv.fase == fase
    for otra in Fase:
        esperado = Convocatoria.ORDEN_FASES.index(fase) >= Convocatoria.ORDEN_FASES.index(otra)
        assert conv.alcanzo_fase(otra) is esperado, otra
        en_sql = Convocatoria.objects.filter(Convocatoria.q_alcanzo_fase(otra), pk=conv.pk).exists()
        assert en_sql is esperado, otra
    assert conv.calificacion_abierta is (fase == Fase.CALIFICACION)
    assert conv.calificacion_cerrada is (fase in (Fase.DICTAMENES, Fase.RESULTADOS))
    assert conv.admisibilidad_comunicada is (fase in (Fase.CALIFICACION, Fase.DICTAMENES, Fase.RESULTADOS))


@pytest.mark.parametrize(("estado", "campo"), [
    (Estado.ABIERTA, "admisibilidad_liberada_en"),
    (Estado.CERRADA, "admisibilidad_liberada_en"),
    (Estado.CERRADA, "calificacion_cerrada_en"),
    (Estado.BORRADOR, "calificacion_cerrada_en"),
    (Estado.EN_EVALUACION, "resultados_notificados_en"),
    (Estado.CERRADA, "resultados_notificados_en"),
])
def test_restriccion_cuando_la_marca_de_fase_no_va_con_el_estado_la_base_la_rechaza(autoridad, estado, campo):
    conv = factories.ConvocatoriaFactory(autoridad=autoridad, estado=estado)
    with pytest.raises(IntegrityError), transaction.atomic():
        Convocatoria.objects.filter(pk=conv.pk).update(**{campo: timezone.now()})
    conv.refresh_from_db()
    assert getattr(conv, campo) is None


@pytest.mark.parametrize(("estado", "campos"), [
    (Estado.EN_EVALUACION, ("admisibilidad_liberada_en", "calificacion_cerrada_en")),
    (Estado.RESULTADOS_PUBLICADOS,
     ("admisibilidad_liberada_en", "calificacion_cerrada_en", "resultados_notificados_en")),
])
def test_restriccion_cuando_la_marca_va_con_su_estado_la_base_la_acepta(autoridad, estado, campos):
    conv = factories.ConvocatoriaFactory(autoridad=autoridad, estado=estado)
    ahora = timezone.now()
    Convocatoria.objects.filter(pk=conv.pk).update(**dict.fromkeys(campos, ahora))
    conv.refresh_from_db()
    assert all(getattr(conv, c) == ahora for c in campos)


def test_transicionar_cuando_lleva_la_marca_de_fase_la_escribe_con_el_estado(autoridad, personal):
    conv = factories.ConvocatoriaFactory(autoridad=autoridad, estado=Estado.CERRADA)
    historial = conv.history.count()
    ahora = timezone.now()
    services.convocatoria_transicionar(convocatoria=conv, destino=Estado.EN_EVALUACION, usuario=personal,
                                       admisibilidad_liberada_en=ahora)
    conv.refresh_from_db()
    assert (conv.estado, conv.admisibilidad_liberada_en, conv.fase) == (Estado.EN_EVALUACION, ahora, Fase.CALIFICACION)
    assert conv.history.count() == historial + 1  # one save: the row never held one without the other


def test_transicionar_cuando_el_paso_es_ilegal_no_escribe_la_marca(autoridad, personal):
    conv = factories.ConvocatoriaFactory(autoridad=autoridad, estado=Estado.ABIERTA)
    with pytest.raises(TransicionInvalida, match="«Abierta» no puede pasar a «Resultados publicados»"):
        services.convocatoria_transicionar(convocatoria=conv, destino=Estado.RESULTADOS_PUBLICADOS,
                                           usuario=personal, resultados_notificados_en=timezone.now())
    conv.refresh_from_db()
    assert conv.estado == Estado.ABIERTA and conv.resultados_notificados_en is None


def test_transicionar_cuando_recibe_un_campo_ajeno_a_las_fases_lo_rechaza(autoridad, personal):
    conv = factories.ConvocatoriaFactory(autoridad=autoridad, estado=Estado.CERRADA)
    with pytest.raises(ValueError, match="titulo"):
        services.convocatoria_transicionar(convocatoria=conv, destino=Estado.EN_EVALUACION, usuario=personal,
                                           titulo="Otro")
    conv.refresh_from_db()
    assert conv.estado == Estado.CERRADA


def test_publicar_cuando_procede_escribe_la_fecha_de_publicacion_con_el_estado(autoridad, personal):
    conv = factories.ConvocatoriaFactory(autoridad=autoridad, estado=Estado.BORRADOR,
                                         fecha_apertura=timezone.now() + timedelta(days=1),
                                         fecha_cierre=timezone.now() + timedelta(days=10))
    ahora = timezone.now()
    historial = conv.history.count()
    services.convocatoria_publicar(convocatoria=conv, usuario=personal, ahora=ahora)
    conv.refresh_from_db()
    assert (conv.estado, conv.publicada_en, conv.fase) == (Estado.ABIERTA, ahora, Fase.RECEPCION)
    assert conv.history.count() == historial + 1
