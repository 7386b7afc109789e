"""The 403/404 rule in the judging panel (core.acceso with evaluacion's scope), and the jurors'
score masking as a selector policy (evaluacion.selectors), read directly."""

import pytest
from django.urls import reverse

from core.models import DocumentoVerificable
from evaluacion import selectors, services
from evaluacion.models import Reconocimiento
from tests.evaluacion import builders
from tests.evaluacion.builders_dictamen import fixture_ciclo, fixture_firmado  # noqa: F401

pytestmark = pytest.mark.django_db


# --- the panel ------------------------------------------------------------------------------------

@pytest.mark.parametrize(("persona", "esperado"), [
    ("enlace_a", 403), ("otro_personal", 404), ("jurado_otra_conv", 404), ("jurado_otra", 404), ("personal", 404),
    ("jurado", 404), ("enlace_otra_entidad", 403),
])
def test_convocatoria_inexistente_en_el_panel_de_evaluacion(client, personas_evaluacion, persona, esperado):
    """A missing call is a 404 for staff and jurors, as an unrelated one is; someone who has no
    business in the judging panel gets 403 for it, as for every call."""
    client.force_login(personas_evaluacion[persona])
    for nombre in ("panel:tablero", "panel:admisibilidad", "panel:dictamenes"):
        assert client.get(reverse(nombre, args=["no-existe"])).status_code == esperado, nombre


@pytest.mark.parametrize(("persona", "esperado"), [
    ("enlace_a", 403), ("otro_personal", 404), ("jurado", 403), ("personal", 302),
])
def test_reintentar_el_pdf_de_un_reconocimiento(client, firmado, otro_personal, enlace_a, personal, persona,
                                                esperado, django_capture_on_commit_callbacks):
    """The document is found through the ruling it belongs to (here, its recognition's): staff of
    another authority cannot tell it exists, the call's jurors see the call but may not retry."""
    doc = Reconocimiento.objects.get(dictamen=firmado.dictamenes[0]).documento
    DocumentoVerificable.objects.filter(pk=doc.pk).update(estado_pdf=DocumentoVerificable.EstadoPDF.FALLIDA,
                                                         archivo="", sha256="", error="prueba")
    usuario = {"enlace_a": enlace_a, "otro_personal": otro_personal, "jurado": firmado.miembros[0].usuario,
               "personal": personal}[persona]
    client.force_login(usuario)
    with django_capture_on_commit_callbacks(execute=True):
        respuesta = client.post(reverse("panel:documento_reintentar", args=[doc.pk]))
    assert respuesta.status_code == esperado
    doc.refresh_from_db()
    if persona == "personal":
        assert doc.estado_pdf == DocumentoVerificable.EstadoPDF.LISTA
    else:
        assert doc.estado_pdf == DocumentoVerificable.EstadoPDF.FALLIDA


def test_el_pdf_de_otro_tipo_de_documento_no_se_reintenta_aqui(client, firmado, personal):
    """Only rulings' and recognitions' PDFs belong to this view: any other id is a 404."""
    client.force_login(personal)
    assert client.post(reverse("panel:documento_reintentar", args=[987654])).status_code == 404


# --- masking: what a juror may see of the scores ------------------------------------------------------

def test_puntajes_visibles_segun_quien_mira():
    assert selectors.puntajes_visibles(None, None)  # staff
    assert selectors.puntajes_visibles(object(), "enviada")
    for estado in ("borrador", "recusa", "pendiente", "", None):
        assert not selectors.puntajes_visibles(object(), estado)


def test_tablero_visible_oculta_hasta_enviar_la_propia(escena):
    miembro, otro = escena.miembros[0], escena.miembros[1]
    practica = escena.practicas[0]
    builders.calificar(otro, practica, 8)
    tablero = selectors.tablero(escena.convocatoria, con_motivos=False)

    filas = {f.practica.pk: f for f in selectors.tablero_visible(tablero, miembro)}
    fila = filas[practica.pk]
    assert not fila.visible and fila.oculta_por == "pendiente"
    assert all(c.total is None for c in fila.celdas) and fila.resumen == {} and fila.posicion is None

    staff = {f.practica.pk: f for f in selectors.tablero_visible(tablero, None)}[practica.pk]
    assert staff.visible and any(c.total is not None for c in staff.celdas)

    builders.calificar(miembro, practica, 9)
    tablero = selectors.tablero(escena.convocatoria, con_motivos=False)
    fila = {f.practica.pk: f for f in selectors.tablero_visible(tablero, miembro)}[practica.pk]
    assert fila.visible and sum(c.total is not None for c in fila.celdas) == 2
    # Other rows are still hidden to this juror, so no rank shows anywhere.
    assert all(f.posicion is None for f in selectors.tablero_visible(tablero, miembro))


def test_calificaciones_visibles_en_la_pagina_de_calificar(escena):
    miembro, otro, excusado = escena.miembros[:3]
    practica = escena.practicas[0]
    builders.calificar(otro, practica, 8)
    propia = builders.calificar(miembro, practica, 9, enviar=False)
    assert selectors.calificaciones_visibles(practica, miembro, propia, None) == []
    propia = services.evaluacion_enviar(evaluacion=propia, usuario=miembro.usuario)
    vistas = selectors.calificaciones_visibles(practica, miembro, propia, None)
    assert {e.miembro_id for e in vistas} == {miembro.pk, otro.pk}

    recusa = services.recusa_declarar(miembro=excusado, practica=practica, motivo="Trabajé en ese sujeto obligado.",
                                      usuario=excusado.usuario)
    assert selectors.calificaciones_visibles(practica, excusado, None, recusa) == []
