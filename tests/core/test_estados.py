"""The one state-machine mechanism (core/estados.py): every table names only known states, an
illegal step raises TransicionInvalida with a Spanish message and writes nothing, and no
ModelAdmin lets a person change a state by hand."""

import pickle
from datetime import timedelta

import pytest
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db import models
from django.test import RequestFactory
from django.test.utils import isolate_apps
from django.utils import timezone

from convocatorias.models import Convocatoria
from core.errors import ErrorDominio
from core.estados import (
    MaquinaDeEstados,
    TransicionInvalida,
    errores_de_tabla,
    modelos_con_maquina,
    revisar_tablas,
)
from core.models import DocumentoVerificable
from evaluacion.models import Dictamen, Evaluacion, Reconocimiento
from jornadas.models import LoteConstancias
from practicas.models import Enlace, Practica
from tests import factories

MAQUINAS = {Convocatoria, Practica, Enlace, Evaluacion, Dictamen, Reconocimiento, LoteConstancias}


# --- the tables ----------------------------------------------------------------------------------

def test_tablas_cuando_se_revisan_nombran_solo_estados_conocidos():
    assert set(modelos_con_maquina()) >= MAQUINAS
    assert revisar_tablas() == []


@isolate_apps("core")
def test_tablas_cuando_nombran_un_estado_desconocido_la_revision_lo_reporta():
    class Estado(models.TextChoices):
        UNO = "uno", "Uno"
        DOS = "dos", "Dos"

    class Maquina(MaquinaDeEstados, models.Model):
        estado = models.CharField(max_length=10, choices=Estado.choices)
        TRANSICIONES = {Estado.UNO: {Estado.DOS, "fantasma"}}

        class Meta:
            app_label = "core"

        def __str__(self):
            return self.estado

    mensajes = [e.msg for e in errores_de_tabla(Maquina)]
    assert any("desconocido: «fantasma»" in m for m in mensajes)
    assert any("no tiene fila para el estado «dos»" in m for m in mensajes)
    assert all(e.id == "reconoce.E001" for e in errores_de_tabla(Maquina))


@isolate_apps("core")
def test_mecanismo_cuando_el_modelo_base_es_abstracto_lo_heredan_sus_hijos():
    """The generated-document lifecycle is an abstract base: the mixin must work there."""

    class Base(MaquinaDeEstados, models.Model):
        class EstadoPDF(models.TextChoices):
            PENDIENTE = "pendiente", "Pendiente"
            LISTA = "lista", "Lista"

        estado_pdf = models.CharField(max_length=10, choices=EstadoPDF.choices, default=EstadoPDF.PENDIENTE)
        CAMPO_ESTADO = "estado_pdf"
        TRANSICIONES = {EstadoPDF.PENDIENTE: {EstadoPDF.LISTA}, EstadoPDF.LISTA: {EstadoPDF.PENDIENTE}}

        class Meta:
            abstract = True
            app_label = "core"

    class Hijo(Base):
        class Meta:
            app_label = "core"

        def __str__(self):
            return self.estado_pdf

    assert modelos_con_maquina([Base, Hijo]) == [Hijo]
    assert errores_de_tabla(Hijo) == []
    hijo = Hijo()
    assert hijo.puede_pasar_a("lista") and not hijo.puede_pasar_a("pendiente")
    hijo.transicionar("lista", guardar=False)
    assert hijo.estado_pdf == "lista"
    with pytest.raises(TransicionInvalida, match="«Lista» no puede pasar a «Lista»"):
        hijo.transicionar("lista", guardar=False)


def test_transicion_invalida_cuando_se_lanza_es_error_de_dominio_y_de_validacion():
    error = TransicionInvalida("No procede.")
    assert isinstance(error, ErrorDominio) and isinstance(error, ValidationError)
    assert str(error) == error.mensaje == "No procede." and error.messages == ["No procede."]
    copia = pickle.loads(pickle.dumps(TransicionInvalida("No procede.", campo="estado")))  # noqa: S301 - our own bytes
    assert (type(copia), copia.mensaje, copia.campo) == (TransicionInvalida, "No procede.", "estado")


# --- every machine refuses an illegal step without writing -----------------------------------------

def _convocatoria(db):
    return factories.ConvocatoriaFactory(estado=Convocatoria.Estado.ABIERTA), Convocatoria.Estado.BORRADOR


def _practica(db):
    return factories.PracticaFactory(), Practica.Estado.RETIRADA


def _enlace(db):
    return factories.EnlaceFactory(estado=Enlace.Estado.APROBADO), Enlace.Estado.SOLICITADO


def _evaluacion(db):
    miembro = factories.MiembroJuradoFactory()
    practica = factories.PracticaFactory(convocatoria=miembro.convocatoria)
    return Evaluacion.objects.create(miembro=miembro, practica=practica), Evaluacion.Estado.BORRADOR


def _dictamen(db):
    return Dictamen.objects.create(practica=factories.PracticaFactory()), Dictamen.Estado.BORRADOR


def _reconocimiento(db):
    hoy = timezone.localdate()
    dictamen = Dictamen.objects.create(practica=factories.PracticaFactory())
    documento = DocumentoVerificable.objects.create(tipo=DocumentoVerificable.Tipo.RECONOCIMIENTO, folio="R-1",
                                                    titulo="Reconocimiento", visible_desde=timezone.now())
    rec = Reconocimiento.objects.create(dictamen=dictamen, documento=documento, vigente_desde=hoy,
                                        vigente_hasta=hoy + timedelta(days=365),
                                        estado=Reconocimiento.Estado.VENCIDO)
    return rec, Reconocimiento.Estado.VIGENTE


def _lote(db):
    autoridad = factories.AutoridadFactory()
    lote = LoteConstancias.objects.create(autoridad=autoridad, creado_por=factories.UsuarioFactory(),
                                          estado=LoteConstancias.Estado.TERMINADO)
    return lote, LoteConstancias.Estado.CON_ERRORES


ILEGALES = {
    "convocatoria": (_convocatoria, "Una convocatoria en estado «Abierta» no puede pasar a «Borrador»."),
    "practica": (_practica, "Una práctica en estado «Borrador» no puede pasar a «Retirada»."),
    "enlace": (_enlace, "Una solicitud de enlace en estado «Aprobado» no puede pasar a «Solicitud en revisión»."),
    "evaluacion": (_evaluacion, "Una calificación en estado «En captura» no puede pasar a «En captura»."),
    "dictamen": (_dictamen, "Un dictamen en estado «Borrador» no puede pasar a «Borrador»."),
    "reconocimiento": (_reconocimiento, "Un reconocimiento en estado «Vencido» no puede pasar a «Vigente»."),
    "lote": (_lote, "Un lote de constancias en estado «Terminado» no puede pasar a «Con errores»."),
}


def _fila(obj):
    return type(obj).objects.filter(pk=obj.pk).values().get()


@pytest.mark.parametrize("maquina", ILEGALES)
def test_transicion_cuando_la_tabla_no_la_lista_falla_en_espanol_sin_escribir(db, maquina):
    construir, mensaje = ILEGALES[maquina]
    obj, destino = construir(db)
    antes = _fila(obj)
    historial = obj.history.count() if hasattr(obj, "history") else None
    assert not obj.puede_pasar_a(destino)
    with pytest.raises(TransicionInvalida) as error:
        obj.transicionar(destino, nota="no se escribe")
    assert str(error.value) == mensaje
    assert obj.estado == antes["estado"] and not hasattr(obj, "nota")
    assert _fila(obj) == antes
    if historial is not None:
        assert obj.history.count() == historial


def test_transicion_cuando_la_tabla_la_lista_guarda_estado_y_campos(db):
    enlace = factories.EnlaceFactory(estado=Enlace.Estado.SOLICITADO)
    ahora = timezone.now()
    enlace.transicionar(Enlace.Estado.RECHAZADO, motivo="No es titular.", resuelto_en=ahora)
    fila = _fila(enlace)
    assert (fila["estado"], fila["motivo"], fila["resuelto_en"]) == (Enlace.Estado.RECHAZADO, "No es titular.", ahora)


# --- the admin cannot bypass the tables -----------------------------------------------------------

def test_admin_cuando_un_modelo_tiene_maquina_su_estado_es_de_solo_lectura(db):
    request = RequestFactory().get("/admin/")
    request.user = factories.UsuarioFactory(is_superuser=True, is_staff=True)
    revisados = set()
    for modelo, model_admin in admin.site._registry.items():
        if not (isinstance(modelo, type) and issubclass(modelo, MaquinaDeEstados)):
            continue
        for obj in (None, modelo()):
            solo_lectura = model_admin.get_readonly_fields(request, obj)
            formulario = model_admin.get_form(request, obj)
            assert modelo.CAMPO_ESTADO in solo_lectura or modelo.CAMPO_ESTADO not in formulario.base_fields, modelo
        revisados.add(modelo)
    assert {Convocatoria, Practica, Enlace, Evaluacion, Dictamen, Reconocimiento} <= revisados


def test_admin_cuando_se_envia_otro_estado_de_enlace_no_lo_cambia(client, db):
    enlace = factories.EnlaceFactory(estado=Enlace.Estado.SOLICITADO)
    client.force_login(factories.UsuarioFactory(is_superuser=True, is_staff=True))
    url = f"/admin/practicas/enlace/{enlace.pk}/change/"
    assert client.get(url).status_code == 200
    respuesta = client.post(url, {
        "usuario": enlace.usuario_id, "sujeto": enlace.sujeto_id, "cargo": "Titular", "area": "",
        "estado": Enlace.Estado.APROBADO, "motivo": "",
    })
    assert respuesta.status_code == 302
    enlace.refresh_from_db()
    assert enlace.cargo == "Titular"  # the form was saved...
    assert enlace.estado == Enlace.Estado.SOLICITADO and enlace.resuelto_en is None  # ...but not the state
