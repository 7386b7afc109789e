"""The jury's dashboard: progress bars, ranking with means, median and spread, disagreement flag,
sorting, filters, CSV export, closing scoring, what a juror may see, and a constant query count."""

import csv
import io
from decimal import Decimal

import pytest
from django.urls import URLPattern, reverse

from convocatorias.models import Convocatoria
from evaluacion import services
from evaluacion.models import Dictamen
from tests.evaluacion import builders
from tests.evaluacion.builders import LOGIN, E, Ruta
from tests.evaluacion.test_admisibilidad import RUTAS as RUTAS_ADMISIBILIDAD
from tests.evaluacion.test_jurado import RUTAS as RUTAS_JURADO

SENAL = Decimal("3.37")


def _url(esc, nombre="panel:tablero", **params):
    url = reverse(nombre, args=[esc.convocatoria.slug])
    if params:
        url += "?" + "&".join(f"{k}={v}" for k, v in params.items())
    return url


def _cerrada(e):
    return Convocatoria.objects.get(pk=e.convocatoria.pk).calificacion_cerrada_en is not None


RUTAS = [
    Ruta("tablero", "panel:tablero", _url, E(LOGIN, 403, 403, 200, 404, 200, 404)),
    Ruta("csv", "panel:tablero_csv", lambda e: _url(e, "panel:tablero_csv"), E(LOGIN, 403, 403, 200, 404, 200, 404)),
    Ruta("cerrar", "panel:calificacion_cerrar", lambda e: _url(e, "panel:calificacion_cerrar"),
         E(LOGIN, 403, 403, 302, 404, 403, 404), metodo="post", preparar=builders.calificar_todo,
         cambian=frozenset({"personal"}), efecto=_cerrada),
    # A practice's scores history (score changes, reopen reasons, replacements): the call's staff.
    Ruta("historial", "panel:calificaciones_historial",
         lambda e: reverse("panel:calificaciones_historial", args=[e.convocatoria.slug, e.practicas[0].pk]),
         E(LOGIN, 403, 403, 200, 404, 403, 404)),
]


@pytest.mark.parametrize("ruta", RUTAS, ids=lambda r: f"{r.metodo}-{r.id}")
@pytest.mark.parametrize("persona", builders.PERSONAS)
def test_matriz_de_permisos(client, escena, personas_evaluacion, ruta, persona):
    builders.comprobar_ruta(client, ruta, escena, personas_evaluacion[persona], persona)


def test_las_matrices_cubren_todas_las_rutas():
    from evaluacion import urls_jurado

    nombres = {f"panel:{p.name}" for p in urls_jurado.urlpatterns if isinstance(p, URLPattern)}
    cubiertas = {r.nombre for r in [*RUTAS, *RUTAS_ADMISIBILIDAD, *RUTAS_JURADO]}
    assert nombres - cubiertas == set(), f"Rutas sin fila en una matriz de permisos: {sorted(nombres - cubiertas)}"


def _totales(esc, por_practica):
    """Each member's submitted total per practice: por_practica[i] lists the 5 values for practice i."""
    for practica, valores in zip(esc.practicas, por_practica, strict=False):
        for miembro, valor in zip(esc.miembros, valores, strict=True):
            if valor == "recusa":
                services.recusa_declarar(miembro=miembro, practica=practica, motivo="Conflicto de interés.",
                                         usuario=miembro.usuario)
            elif valor == "borrador":
                builders.calificar(miembro, practica, 5, enviar=False)
            elif valor is not None:
                builders.calificar(miembro, practica, valor)


@pytest.fixture
def calificada(escena):
    """Practice 0: 6, 7, 8, 9, 10 (spread √2); practice 1: 2, 4, 6, 8, 10 (disagreement); practice 2: one
    recusal, one draft, one pending, two submitted (9 and 9.5)."""
    _totales(escena, [[6, 7, 8, 9, 10], [2, 4, 6, 8, 10], ["recusa", 9, 9.5, "borrador", None]])
    return escena


# --- what staff see -----------------------------------------------------------------------------------

def test_progreso_general_y_por_integrante_como_barras_accesibles(client, calificada, personal):
    esc = calificada
    client.force_login(personal)
    resp = client.get(_url(esc))
    html = resp.content.decode()
    # 3 practices × 5 members − 1 recusal = 14 expected; 12 submitted.
    assert resp.context["progreso"] == {"esperadas": 14, "enviadas": 12, "porcentaje": 86}
    assert "Calificaciones enviadas: 12 de 14 (86 %)" in html
    assert 'role="progressbar" aria-labelledby="progreso-general-texto" aria-valuenow="12" aria-valuemin="0" ' \
           'aria-valuemax="14"' in html
    primero = esc.miembros[0]
    assert f'aria-labelledby="progreso-miembro-{primero.pk}" aria-valuenow="2" aria-valuemin="0" ' \
           f'aria-valuemax="2"' in html
    assert "1 excusa" in html
    por_miembro = {p["miembro"].pk: (p["enviadas"], p["esperadas"]) for p in resp.context["progreso_miembros"]}
    assert por_miembro == {esc.miembros[0].pk: (2, 2), esc.miembros[1].pk: (3, 3), esc.miembros[2].pk: (3, 3),
                           esc.miembros[3].pk: (2, 3), esc.miembros[4].pk: (2, 3)}


def test_ranking_con_medias_mediana_dispersion_y_desacuerdo(client, calificada, personal):
    esc = calificada
    client.force_login(personal)
    resp = client.get(_url(esc))
    filas = {f.practica.pk: f for f in resp.context["filas"]}
    p0, p1, p2 = (filas[p.pk] for p in esc.practicas)
    assert p0.resumen["media"] == Decimal("8.000") and p0.resumen["mediana"] == Decimal("8.000")
    assert p0.resumen["desviacion"] == Decimal("1.414") and p0.resumen["rango"] == Decimal("4.000")
    assert not p0.desacuerdo
    assert p1.resumen["media"] == Decimal("6.000") and p1.resumen["desviacion"] == Decimal("2.828")
    assert p1.desacuerdo
    # The recused member is left out of the totals; the draft does not count.
    assert p2.resumen["n"] == 2 and p2.resumen["media"] == Decimal("9.250") and p2.excusas == 1
    assert (p2.enviadas, p2.esperadas) == (2, 4)
    assert [p2.posicion, p0.posicion, p1.posicion] == [1, 2, 3]
    assert p0.medias == [Decimal("8.000")] * 6
    html = resp.content.decode()
    assert "1.41" in html and "2.83" in html and "9.25" in html
    assert html.count('<span class="badge text-bg-warning">Desacuerdo</span>') == 1
    assert html.count('<span class="badge text-bg-secondary">Excusa</span>') == 1
    assert "Cerrar calificación" in html


@pytest.mark.parametrize(("orden", "esperado"), [
    ("posicion", [2, 0, 1]), ("total", [2, 0, 1]), ("dispersion", [1, 0, 2]), ("folio", [0, 1, 2]),
])
def test_ordenar(client, calificada, personal, orden, esperado):
    esc = calificada
    client.force_login(personal)
    resp = client.get(_url(esc, orden=orden))
    assert [f.practica.pk for f in resp.context["filas"]] == [esc.practicas[i].pk for i in esperado]


def test_filtros_desacuerdo_e_incompletas(client, calificada, personal):
    esc = calificada
    client.force_login(personal)
    assert [f.practica.pk for f in client.get(_url(esc, desacuerdo=1)).context["filas"]] == [esc.practicas[1].pk]
    assert [f.practica.pk for f in client.get(_url(esc, incompletas=1)).context["filas"]] == [esc.practicas[2].pk]
    assert client.get(_url(esc, desacuerdo=1, incompletas=1)).context["filas"] == []


def test_csv_se_lee_de_vuelta(client, calificada, personal):
    esc = calificada
    client.force_login(personal)
    resp = client.get(_url(esc, "panel:tablero_csv"))
    assert resp["Content-Type"] == "text/csv; charset=utf-8"
    assert resp["Content-Disposition"].startswith("attachment; filename=")
    assert resp.content.startswith("\ufeff".encode())  # Excel reads it as UTF-8
    filas = list(csv.reader(io.StringIO(resp.content.decode("utf-8-sig"))))
    encabezado, datos = filas[0], filas[1:]
    assert encabezado[:4] == ["Posición", "Folio", "Práctica", "Sujeto obligado"]
    assert len(set(map(len, filas))) == 1  # no ragged rows
    assert len(datos) == 3
    registros = {r["Folio"]: r for r in csv.DictReader(io.StringIO(resp.content.decode("utf-8-sig")))}
    p0 = registros[esc.practicas[0].folio]
    assert p0["Calificación (media)"] == "8.000" and p0["Mediana"] == "8.000"
    assert p0["Desviación estándar"] == "1.414" and p0["Rango"] == "4.000" and p0["Desacuerdo"] == "No"
    assert p0["Posición"] == "2" and p0["Práctica"] == esc.practicas[0].nombre
    assert p0["Criterio 1 (media)"] == "8.000"
    assert registros[esc.practicas[1].folio]["Desacuerdo"] == "Sí"
    p2 = registros[esc.practicas[2].folio]
    assert p2["Excusas"] == "1" and p2["Calificaciones enviadas"] == "2" and p2["Calificaciones esperadas"] == "4"
    assert p2[f"Total de {esc.miembros[0]}"] == "Excusa" and p2[f"Total de {esc.miembros[3]}"] == "En captura"
    # Filters apply to the export too.
    solo = list(csv.DictReader(io.StringIO(client.get(_url(esc, "panel:tablero_csv", desacuerdo=1))
                                           .content.decode("utf-8-sig"))))
    assert [r["Folio"] for r in solo] == [esc.practicas[1].folio]


def test_csv_neutraliza_formulas_en_los_nombres(client, escena, personal):
    esc = escena
    type(esc.practicas[0]).objects.filter(pk=esc.practicas[0].pk).update(nombre="=HYPERLINK(\"http://x\")")
    client.force_login(personal)
    registros = list(csv.DictReader(io.StringIO(client.get(_url(esc, "panel:tablero_csv")).content.decode())))
    assert {r["Práctica"] for r in registros} >= {"'=HYPERLINK(\"http://x\")"}


# --- what a juror sees ----------------------------------------------------------------------------------

def test_jurado_no_ve_totales_ajenos_antes_de_enviar(client, escena):
    esc = escena
    for m in esc.miembros[1:]:
        builders.calificar(m, esc.practicas[0], SENAL)
    client.force_login(esc.jurados[0])
    resp = client.get(_url(esc))
    html = resp.content.decode()
    assert "Envíe su calificación para ver las demás" in html
    assert str(SENAL) not in html
    fila = next(f for f in resp.context["filas"] if f.practica.pk == esc.practicas[0].pk)
    assert not fila.visible and fila.resumen == {} and fila.posicion is None
    assert all(c.total is None for c in fila.celdas)
    # Sorting or filtering does not give it away either.
    assert str(SENAL) not in client.get(_url(esc, orden="total")).content.decode()
    assert client.get(_url(esc, desacuerdo=1)).context["filas"] == []
    assert str(SENAL) not in client.get(_url(esc, "panel:tablero_csv")).content.decode()

    builders.calificar(esc.miembros[0], esc.practicas[0], 9)
    resp = client.get(_url(esc))
    assert str(SENAL) in resp.content.decode()
    assert str(SENAL) in client.get(_url(esc, "panel:tablero_csv")).content.decode()


def test_jurado_excusado_no_ve_nada_de_esa_practica(client, escena):
    esc = escena
    services.recusa_declarar(miembro=esc.miembros[0], practica=esc.practicas[0], motivo="Conflicto.",
                             usuario=esc.jurados[0])
    for m in esc.miembros[1:]:
        builders.calificar(m, esc.practicas[0], SENAL)
    for p in esc.practicas[1:]:
        builders.calificar(esc.miembros[0], p, 8)
    client.force_login(esc.jurados[0])
    resp = client.get(_url(esc))
    html = resp.content.decode()
    assert "Se excusó de esta práctica" in html and str(SENAL) not in html
    assert str(SENAL) not in client.get(_url(esc, "panel:tablero_csv")).content.decode()
    # Positions would tell where the hidden practice stands: hidden for this juror.
    assert all(f.posicion is None for f in resp.context["filas"])


def test_jurado_que_envio_todo_ve_el_ranking_completo(client, calificada):
    esc = calificada
    client.force_login(esc.jurados[1])  # submitted all three
    resp = client.get(_url(esc))
    assert all(f.visible for f in resp.context["filas"])
    assert [f.posicion for f in resp.context["filas"]] == [1, 2, 3]
    assert "Cerrar calificación" not in resp.content.decode()


# --- closing --------------------------------------------------------------------------------------------

def test_cerrar_con_calificaciones_pendientes_muestra_el_error_del_dominio(client, calificada, personal):
    esc = calificada
    client.force_login(personal)
    resp = client.post(_url(esc, "panel:calificacion_cerrar"), follow=True)
    assert "Faltan 2 calificaciones por enviar." in resp.content.decode()
    assert not _cerrada(esc)
    assert not Dictamen.objects.exists()


def test_cerrar_prepara_los_dictamenes(client, escena, personal):
    esc = escena
    builders.calificar_todo(esc)
    client.force_login(personal)
    resp = client.post(_url(esc, "panel:calificacion_cerrar"), follow=True)
    html = resp.content.decode()
    assert "Calificación cerrada" in html and "La calificación se cerró el" in html
    assert _cerrada(esc)
    assert Dictamen.objects.filter(practica__in=esc.practicas).count() == 3
    assert '<button type="submit" class="btn btn-primary">Cerrar calificación</button>' not in html


def test_antes_de_turnar_el_tablero_lo_avisa(client, escena_cerrada, personal):
    client.force_login(personal)
    html = client.get(_url(escena_cerrada)).content.decode()
    assert "El tablero estará disponible cuando" in html


# --- query count ----------------------------------------------------------------------------------------

def _escena_con_calificaciones(autoridad, personal, n):
    esc = builders.en_evaluacion(autoridad=autoridad, personal=personal, n_practicas=n, n_jurado=5)
    builders.calificaciones_en_bloque(esc.convocatoria, esc.practicas[1:], esc.miembros,
                                      puntaje=lambda mi, pi, ci: 5 + (mi + pi + ci) % 5)
    services.recusa_declarar(miembro=esc.miembros[0], practica=esc.practicas[0], motivo="Conflicto.",
                             usuario=esc.jurados[0])
    builders.calificar(esc.miembros[1], esc.practicas[0], 7, enviar=False)
    return esc


@pytest.mark.parametrize("n", [3, 12])
def test_tablero_del_personal_hace_las_mismas_consultas_cuando_crece(client, autoridad, personal,
                                                                     django_assert_num_queries, n):
    esc = _escena_con_calificaciones(autoridad, personal, n)
    client.force_login(personal)
    # session, user, the call, perm, "is staff of it", "is a member of its jury", the dashboard
    # (criteria, jury, practices, recusals, evaluations, scores), "may close", the portal's
    # authority, the frame's enlaces.exists and es_personal
    with django_assert_num_queries(16):
        resp = client.get(_url(esc))
    assert resp.status_code == 200
    assert len(resp.context["filas"]) == n


@pytest.mark.parametrize("n", [3, 12])
def test_tablero_del_jurado_hace_las_mismas_consultas_cuando_crece(client, autoridad, personal,
                                                                   django_assert_num_queries, n):
    esc = _escena_con_calificaciones(autoridad, personal, n)
    client.force_login(esc.jurados[2])
    # as above, with the juror's perms resolved through rules and then Django's own permissions
    with django_assert_num_queries(19):
        resp = client.get(_url(esc))
    assert resp.status_code == 200
    assert len(resp.context["filas"]) == n


@pytest.mark.parametrize("n", [3, 12])
def test_csv_hace_las_mismas_consultas_cuando_crece(client, autoridad, personal, django_assert_num_queries, n):
    esc = _escena_con_calificaciones(autoridad, personal, n)
    client.force_login(personal)
    # as the page, without the frame's three
    with django_assert_num_queries(13):
        resp = client.get(_url(esc, "panel:tablero_csv"))
    assert len(resp.content.decode().splitlines()) == n + 1
