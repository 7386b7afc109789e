"""`manage.py cargar_demo_jornadas` (called by cargar_demo): the 2023 cycle as Infoem's report
on its awareness sessions tells it, 1,041 attendees with survey answers, an upcoming session with
registration open; idempotent."""

import io
from datetime import date

import pytest
from django.core.management import CommandError, call_command
from django.db.models import Count
from django.utils import timezone

from jornadas import selectors
from jornadas.models import Ciclo, Jornada, Participante, Registro, Respuesta, RespuestaEncuesta

pytestmark = pytest.mark.django_db

COMENTARIOS_SEMILLA = [
    "Me gustaría que se incorporaran capacitaciones para la ejecución de proyectos de transparencia proactiva",
    "Solamente felicitarlos por impartir el tema de manera entendible y fácil.",
    "Información muy completa",
    "Me pareció un tema muy interesante",
    "Más capacitaciones como estas",
]


def _huella():
    return (Ciclo.objects.count(), list(Jornada.objects.order_by("slug").values_list("slug", "inicio", "titulo")),
            Participante.objects.count(), Registro.objects.count(), RespuestaEncuesta.objects.count(),
            Respuesta.objects.count(), Jornada.history.count())


def test_demo_carga_el_ciclo_2023_y_no_cambia_nada_al_repetirse():
    salida = io.StringIO()
    call_command("cargar_demo", "--forzar", stdout=salida)
    assert "Jornadas de demostración listas" in salida.getvalue()

    ciclo = Ciclo.objects.get(slug="jornadas-sensibilizacion-2023")
    assert ciclo.autoridad.siglas == "INFOEM"
    jornadas = list(ciclo.jornadas.order_by("inicio"))
    assert [(timezone.localtime(j.inicio).date(), j.coordinador) for j in jornadas] == [
        (date(2023, 2, 9), "José Martínez Vilchis"), (date(2023, 2, 16), "María del Rosario Mejía Ayala"),
        (date(2023, 2, 23), "Luis Gustavo Parra Noriega"),
        (date(2023, 3, 7), "Sharon C. Morales Martínez"), (date(2023, 3, 9), "Guadalupe Ramírez Peña")]
    assert jornadas[0].cargo_coordinador == "Comisionado Presidente"
    assert "información de interés público" in jornadas[0].temas and "Casos de éxito" in jornadas[0].temas

    registros = Registro.objects.filter(jornada__ciclo=ciclo)
    assert registros.filter(asistio=True).count() == 1041
    assert registros.values("participante").distinct().count() == 1041
    assert not Participante.objects.filter(registros__jornada__ciclo=ciclo).exclude(
        correo__endswith="@demo.reconoce.mx").exists()
    sujetos = registros.values("participante__sujeto").annotate(n=Count("id"))
    assert len(sujetos) > 100
    assert {s["participante__sujeto__orden"] for s in registros.values("participante__sujeto__orden")} == {
        "estatal", "municipal"}
    respondieron = registros.filter(encuesta_respondida_en__isnull=False).count()
    assert RespuestaEncuesta.objects.filter(jornada__ciclo=ciclo).count() == respondieron
    assert 0.8 * 1041 < respondieron < 1041
    resultados = selectors.resultados_encuesta(selectors.encuesta_de_ciclo(ciclo))
    comentarios = set(resultados.comentarios)
    assert set(COMENTARIOS_SEMILLA) <= comentarios

    proxima = Jornada.objects.filter(inicio__gt=timezone.now(), publicada=True).get()
    assert selectors.registro_abierto(proxima) and proxima.cupo

    antes = _huella()
    salida = io.StringIO()
    call_command("cargar_demo_jornadas", "--forzar", stdout=salida)
    assert "sin cambios" in salida.getvalue()
    assert _huella() == antes


def test_demo_necesita_la_autoridad(settings):
    settings.DEBUG = True
    with pytest.raises(CommandError, match="cargar_demo"):
        call_command("cargar_demo_jornadas")
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG"):
        call_command("cargar_demo_jornadas")
