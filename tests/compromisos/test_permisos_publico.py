"""Permission matrix of the cartas compromiso routes (publico): the public tracker
(compromisos/urls_publico.py) and the API resource /api/v1/cartas-compromiso/.

Conventions: public means the same answer for everyone, signed in or not, whatever their role. An
authority or body with no accepted letter, and a practice of a letter that is not accepted, are a
404 for everyone (the body's own enlace and the authority's staff included: the tracker is not
where they follow a draft). Every route is read-only: a POST is 405 and changes nothing."""

from functools import cached_property

import pytest
from django.urls import reverse

from tests.compromisos import builders as b
from tests.matriz import PERSONAS, Ruta, casos, comprobar

TODOS = dict.fromkeys(PERSONAS, 200)
NADIE = dict.fromkeys(PERSONAS, 404)
NO_PERMITIDO = dict.fromkeys(PERSONAS, 405)


class Escenario:
    """Body A's accepted letter and body B's presented one, both to authority A; authority B has none."""

    def __init__(self, autoridad, otra_autoridad, sujeto_a, sujeto_b, enlace_a, enlace_b, personal):
        self.autoridad, self.otra_autoridad = autoridad, otra_autoridad
        self.sujeto_a, self.sujeto_b = sujeto_a, sujeto_b
        self._enlace_a, self._enlace_b, self._personal = enlace_a, enlace_b, personal

    @cached_property
    def aceptada(self):
        return b.aceptada(self.sujeto_a, self._enlace_a, self._personal, n=1)

    @cached_property
    def presentada(self):
        return b.presentada(self.sujeto_b, self._enlace_b, n=1)

    def preparar(self):
        return self.aceptada, self.presentada


@pytest.fixture
def esc(autoridad, otra_autoridad, sujeto_a, sujeto_b, enlace_a, enlace_b, personal):
    escena = Escenario(autoridad, otra_autoridad, sujeto_a, sujeto_b, enlace_a, enlace_b, personal)
    escena.preparar()
    return escena


RUTAS = [
    Ruta("inicio", "compromisos:inicio", lambda e: reverse("compromisos:inicio"), TODOS),
    Ruta("inicio-post", "compromisos:inicio", lambda e: reverse("compromisos:inicio"), NO_PERMITIDO, metodo="post"),
    Ruta("autoridad", "compromisos:autoridad", lambda e: reverse("compromisos:autoridad", args=[e.autoridad.slug]),
         TODOS),
    Ruta("autoridad-sin-cartas", "compromisos:autoridad",
         lambda e: reverse("compromisos:autoridad", args=[e.otra_autoridad.slug]), NADIE),
    Ruta("autoridad-desconocida", "compromisos:autoridad",
         lambda e: reverse("compromisos:autoridad", args=["no-existe"]), NADIE),
    Ruta("autoridad-post", "compromisos:autoridad", lambda e: reverse("compromisos:autoridad", args=[e.autoridad.slug]),
         NO_PERMITIDO, metodo="post"),
    Ruta("sujeto", "compromisos:sujeto",
         lambda e: reverse("compromisos:sujeto", args=[e.autoridad.slug, e.sujeto_a.pk]), TODOS),
    Ruta("sujeto-solo-presentada", "compromisos:sujeto",
         lambda e: reverse("compromisos:sujeto", args=[e.autoridad.slug, e.sujeto_b.pk]), NADIE),
    Ruta("sujeto-en-otra-autoridad", "compromisos:sujeto",
         lambda e: reverse("compromisos:sujeto", args=[e.otra_autoridad.slug, e.sujeto_a.pk]), NADIE),
    Ruta("sujeto-post", "compromisos:sujeto",
         lambda e: reverse("compromisos:sujeto", args=[e.autoridad.slug, e.sujeto_a.pk]), NO_PERMITIDO, metodo="post"),
    Ruta("api-lista", "api:carta-compromiso-list", lambda e: reverse("api:carta-compromiso-list"), TODOS),
    Ruta("api-lista-post", "api:carta-compromiso-list", lambda e: reverse("api:carta-compromiso-list"),
         NO_PERMITIDO, metodo="post", datos=lambda e: {"titulo": "Creada por la API"}),
    Ruta("api-detalle", "api:carta-compromiso-detail",
         lambda e: reverse("api:carta-compromiso-detail", args=[e.aceptada.practicas.get().pk]), TODOS),
    Ruta("api-detalle-presentada", "api:carta-compromiso-detail",
         lambda e: reverse("api:carta-compromiso-detail", args=[e.presentada.practicas.get().pk]), NADIE),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("ruta", "persona"), list(casos(RUTAS)))
def test_permiso_por_ruta_y_persona(client, esc, personas, ruta, persona):
    comprobar(client, ruta, esc, personas[persona], persona)
