"""The harness itself can fail: a wrong status, a POST that writes for someone not allowed to, and
the snapshot sees a change in any project table."""

import pytest
from django.urls import reverse

from practicas.models import SujetoObligado
from tests import factories
from tests.matriz import LOGIN, PERSONAS, Ruta, casos, comprobar, diferencias, foto

DATOS_SUJETO = {"nombre": "Secretaría de la Prueba del Arnés", "siglas": "SPA", "orden": SujetoObligado.Orden.ESTATAL,
                "tipo": SujetoObligado.Tipo.DEPENDENCIA, "entidad_clave": "15", "municipio": "", "activo": "on"}


def _alta(esperado, cambian=frozenset()):
    return Ruta("sujeto_nuevo-post", "panel:sujeto_nuevo", lambda e: reverse("panel:sujeto_nuevo"),
                dict.fromkeys(PERSONAS, esperado), metodo="post", datos=lambda e: dict(DATOS_SUJETO), cambian=cambian)


def test_la_foto_ve_un_cambio_en_cualquier_tabla(db):
    antes = foto()
    factories.SujetoFactory(nombre="Otro sujeto")
    assert diferencias(antes, foto()) == ["practicas.HistoricalSujetoObligado", "practicas.SujetoObligado"]


def test_un_post_que_escribe_para_quien_no_debia_falla(client, personal):
    with pytest.raises(AssertionError, match="un POST rechazado cambió la base de datos"):
        comprobar(client, _alta(302), None, personal, "personal")


def test_un_post_permitido_sin_efecto_falla(client, enlace_a):
    ruta = Ruta("sujeto_nuevo-post", "panel:sujeto_nuevo", lambda e: reverse("panel:sujeto_nuevo"),
                dict.fromkeys(PERSONAS, 403), metodo="post", datos=lambda e: dict(DATOS_SUJETO),
                cambian=frozenset({"enlace_a"}), efecto=lambda e: SujetoObligado.objects.filter(siglas="SPA").exists())
    with pytest.raises(AssertionError, match="no tuvo efecto"):
        comprobar(client, ruta, None, enlace_a, "enlace_a")


def test_un_estado_distinto_falla_y_login_exige_la_redireccion_a_iniciar_sesion(client, enlace_a):
    with pytest.raises(AssertionError, match="esperado 200, obtenido 403"):
        comprobar(client, _alta(200), None, enlace_a, "enlace_a")
    client.logout()
    with pytest.raises(AssertionError, match="esperado 302 a iniciar sesión, obtenido 403"):
        comprobar(client, _alta(LOGIN), None, enlace_a, "enlace_a")


def test_una_celda_pendiente_agrega_un_xfail_estricto_y_conserva_la_de_hoy():
    ruta = Ruta("x", "panel:sujetos", lambda e: "/", dict.fromkeys(PERSONAS, 200),
                pendientes={"otro_personal": (404, "tenencia")})
    params = list(casos([ruta]))
    assert len(params) == len(PERSONAS) + 1
    hoy, futura = [p for p in params if p.values[1] == "otro_personal"]
    assert hoy.values[0].esperado["otro_personal"] == 200 and not hoy.marks
    assert futura.values[0].esperado["otro_personal"] == 404
    assert futura.marks[0].kwargs == {"strict": True, "reason": "panel:sujetos: tenencia"}
