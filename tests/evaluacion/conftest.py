"""Fixtures for judging: a closed call with submitted practices, the same call in evaluation, and
the personas of the permission matrices. The builders live in tests/evaluacion/builders.py."""

import pytest

from tests.evaluacion import builders


@pytest.fixture
def escena_cerrada(autoridad, personal, sujeto_a, sujeto_b, enlace_a, enlace_b):
    """Closed call, 3 practices submitted (A, B, A), none verified yet, 5 jurors with accounts."""
    return builders.convocatoria_cerrada(autoridad=autoridad, personal=personal, n_practicas=3,
                                         sujetos=[sujeto_a, sujeto_b])


@pytest.fixture
def escena(autoridad, personal, sujeto_a, sujeto_b, enlace_a, enlace_b):
    """Call in evaluation: 4 practices submitted (A, B, A, B); the first is not admitted, the other
    three were admitted and turned over to 5 jurors with accounts; no scores yet."""
    return builders.en_evaluacion(autoridad=autoridad, personal=personal, n_practicas=4, no_admitidas=1,
                                  sujetos=[sujeto_a, sujeto_b])


@pytest.fixture
def jurado_otra_conv(jurado):
    """A juror of another call of the same authority (the root conftest's open call)."""
    return jurado


def _personas(personas, miembro, jurado_otra_conv):
    """The shared persona set; "jurado" is a member of this scene's jury, "jurado_otra_conv" one of another
    call's of the same authority ("jurado_otra", the shared set's, judges a call of authority 2)."""
    return {**personas, "jurado": miembro.usuario, "jurado_otra_conv": jurado_otra_conv}


@pytest.fixture
def personas_cerrada(escena_cerrada, personas, jurado_otra_conv):
    """name -> user for escena_cerrada; "jurado" is its first member."""
    return _personas(personas, escena_cerrada.miembros[0], jurado_otra_conv)


@pytest.fixture
def personas_evaluacion(escena, personas, jurado_otra_conv):
    """name -> user for escena; "jurado" is its first member."""
    return _personas(personas, escena.miembros[0], jurado_otra_conv)
