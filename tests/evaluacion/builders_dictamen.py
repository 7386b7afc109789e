"""Builders for the ruling stage, on top of tests/evaluacion/builders.py: a call whose scoring is
closed (draft rulings ready), signed rulings, published results. Through the services throughout."""

from dataclasses import dataclass
from datetime import datetime, timedelta

import pytest

from evaluacion import services
from evaluacion.models import Dictamen
from tests.evaluacion import builders


@dataclass
class Ciclo:
    escena: builders.Escena
    dictamenes: list

    @property
    def convocatoria(self):
        self.escena.convocatoria.refresh_from_db()
        return self.escena.convocatoria

    @property
    def personal(self):
        return self.escena.personal

    @property
    def practicas(self):
        return self.escena.practicas

    @property
    def miembros(self):
        return self.escena.miembros


def con_dictamenes(*, autoridad, personal, puntajes=(9, 5), umbral="7.00", sujetos=None, enlace=None,
                   n_jurado=5, fecha_resultados: datetime | None = None) -> Ciclo:
    """Scoring closed: one practice per entry of `puntajes` (every juror gives that score on every
    criterion), so with the default threshold the first is proposed procedente and the second no
    procedente. Returns the draft rulings in practice order."""
    campos = {"umbral": umbral}
    if fecha_resultados is not None:
        campos["fecha_resultados"] = fecha_resultados
    esc = builders.en_evaluacion(autoridad=autoridad, personal=personal, n_practicas=len(puntajes),
                                 n_jurado=n_jurado, sujetos=sujetos, enlace=enlace, **campos)
    builders.calificar_todo(esc, lambda mi, pi, ci: puntajes[pi])
    services.calificacion_cerrar(convocatoria=esc.convocatoria, usuario=personal)
    dictamenes = [Dictamen.objects.get(practica=p) for p in esc.practicas]
    return Ciclo(escena=esc, dictamenes=dictamenes)


def firmar(dictamen: Dictamen, usuario, *, decision=None, motivo_desviacion="", ahora=None) -> Dictamen:
    """`usuario` (staff) keeps the drafted reasons and takes the proposal (or `decision`); then each
    juror who did not recuse signs with their own account (the service behind the panel's signing
    form), which issues the ruling."""
    dictamen.refresh_from_db()
    decision = decision or dictamen.propuesta or Dictamen.Decision.PROCEDENTE
    services.dictamen_guardar(dictamen=dictamen, usuario=usuario, decision=decision, motivos={},
                              consideraciones="La práctica se evaluó conforme a la convocatoria.",
                              motivo_desviacion=motivo_desviacion)
    return firmar_jurado(dictamen, ahora=ahora)


def firmar_jurado(dictamen: Dictamen, *, ahora=None, miembros=None) -> Dictamen:
    """The jurors (all who did not recuse, or `miembros`) sign the draft as it stands, in seat order."""
    for miembro in miembros if miembros is not None else services.firmantes_esperados(dictamen):
        dictamen = services.dictamen_firmar(dictamen=dictamen, usuario=miembro.usuario, ahora=ahora)
        if dictamen.estado == Dictamen.Estado.FIRMADO:
            break
    return dictamen


def firmar_todos(ciclo: Ciclo) -> list[Dictamen]:
    ciclo.dictamenes = [firmar(d, ciclo.personal) for d in ciclo.dictamenes]
    return ciclo.dictamenes


def segundo_de_publicacion(ciclo: Ciclo) -> datetime:
    return ciclo.convocatoria.fecha_resultados


def antes_y_despues(ciclo: Ciclo) -> tuple[datetime, datetime]:
    """One second before the embargo ends, and one second after."""
    fecha = segundo_de_publicacion(ciclo)
    return fecha - timedelta(seconds=1), fecha + timedelta(seconds=1)


# --- fixtures (import them into a test module by name) -------------------------------------------

@pytest.fixture(name="ciclo")
def fixture_ciclo(autoridad, personal, sujeto_a, sujeto_b, enlace_a, enlace_b):
    """Draft rulings: practice 0 of body A proposed procedente (9), practice 1 of body B no procedente (5)."""
    return con_dictamenes(autoridad=autoridad, personal=personal, sujetos=[sujeto_a, sujeto_b])


@pytest.fixture(name="firmado")
def fixture_firmado(ciclo, django_capture_on_commit_callbacks):
    """Both rulings signed as proposed and their three PDFs rendered (eager tasks, run on commit)."""
    with django_capture_on_commit_callbacks(execute=True):
        firmar_todos(ciclo)
    return ciclo
