"""Documents that say everything: the dictamen shows each juror's score per criterion (by name and
position), their weighted totals and the final score; a recused juror is left out."""

import io
import re
from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone
from pypdf import PdfReader

from core.models import DocumentoVerificable, FirmanteAutoridad
from core.templatetags.reconoce import fecha_larga
from evaluacion import services
from evaluacion.models import Dictamen
from evaluacion.selectors import etiqueta_miembro
from jornadas import constancias
from tests.evaluacion import builders as be
from tests.evaluacion import builders_dictamen as bd
from tests.jornadas import builders as bj

pytestmark = pytest.mark.django_db


def _texto(campo) -> str:
    with campo.open("rb") as fh:
        lector = PdfReader(io.BytesIO(fh.read()))
    return re.sub(r"\s+", " ", " ".join(p.extract_text() for p in lector.pages))


def test_dictamen_trae_calificaciones_de_cada_jurado_con_nombre_y_cargo_y_la_final(
        autoridad, personal, sujeto_a, django_capture_on_commit_callbacks):
    esc = be.en_evaluacion(autoridad=autoridad, personal=personal, n_practicas=1, n_jurado=3, sujetos=[sujeto_a])
    practica = esc.practicas[0]
    uno, dos, excusado = esc.miembros
    # Two jurors share a position: only their names tell them apart.
    for m in (uno, dos):
        m.cargo = "Comisionado"
        m.save()
    services.recusa_declarar(miembro=excusado, practica=practica, motivo="Trabajé en esa dependencia.",
                             usuario=excusado.usuario)
    n = esc.convocatoria.criterios.count()
    be.calificar(uno, practica, [8 + (i % 2) for i in range(n)])
    be.calificar(dos, practica, [6] * n)
    services.calificacion_cerrar(convocatoria=esc.convocatoria, usuario=personal)
    dictamen = Dictamen.objects.get(practica=practica)
    with django_capture_on_commit_callbacks(execute=True):
        bd.firmar(dictamen, personal, decision=Dictamen.Decision.NO_PROCEDENTE,
                  motivo_desviacion="" if dictamen.propuesta != "procedente" else "Criterio del jurado.")
    dictamen.refresh_from_db()
    texto = _texto(DocumentoVerificable.objects.get(pk=dictamen.documento_id).archivo)

    assert "Calificaciones por criterio" in texto and "Total ponderado" in texto
    for miembro in (uno, dos):
        assert etiqueta_miembro(miembro) in texto
    assert excusado.usuario.get_full_name() not in texto
    for criterio in esc.convocatoria.criterios.all():
        assert f"{criterio.numero}. {criterio.nombre}" in texto
    assert "8.00" in texto and "9.00" in texto and "6.00" in texto
    final = f"{dictamen.puntaje.quantize(Decimal('0.01'))}"
    assert f"Calificación final: {final}, el promedio de los totales ponderados de 2 integrantes" in texto
    # The reasons drafted from the jurors' own are labelled by name and position.
    assert f"{etiqueta_miembro(uno)}: Cumple" in texto and f"{etiqueta_miembro(dos)}: Cumple" in texto


def test_constancia_dice_su_fecha_de_emision_la_de_la_jornada_su_horario_y_quien_firma(
        personal, django_capture_on_commit_callbacks):
    inicio = datetime(2026, 10, 14, 10, 0, tzinfo=ZoneInfo("America/Mexico_City"))
    jornada = bj.jornada_con_asistentes(1, inicio=inicio, fin=inicio.replace(hour=12, minute=30),
                                        registro_cierra=inicio)
    FirmanteAutoridad.objects.create(autoridad=jornada.autoridad, orden=1, nombre="Laura Ruiz Pérez",
                                     cargo="Comisionada Presidenta")
    with django_capture_on_commit_callbacks(execute=True):
        constancias.constancias_emitir(usuario=personal, jornada=jornada)
    doc = DocumentoVerificable.objects.get(tipo=DocumentoVerificable.Tipo.CONSTANCIA)
    texto = _texto(doc.archivo)
    assert "celebrada el 14 de octubre de 2026, de las 10:00 a las 12:30 h (2.5 horas)" in texto

    assert f"Emitida el {fecha_larga(timezone.localdate(doc.creado_en))}" in texto
    assert "Laura Ruiz Pérez" in texto and "Comisionada Presidenta" in texto
