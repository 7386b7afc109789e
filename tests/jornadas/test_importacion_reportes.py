"""Attendance reports as Zoom and Teams export them today (tests/jornadas/reportes/), in English and
Spanish: Zoom's participants report with and without its meeting block and the short «Name (original
name),Email» one; Teams' three-section report in UTF-16. Whoever ran the meeting is skipped, Teams'
«In-Meeting Activities» is not read as more people, and a minimum of minutes skips short stays."""

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from jornadas import importacion
from jornadas.models import Registro
from tests.jornadas import builders as b

pytestmark = pytest.mark.django_db

REPORTES = Path(__file__).parent / "reportes"
JUAN, LUISA, MARCO, PRISCILA = ("juan.perez@metepec.gob.mx", "luisa.gomez@toluca.gob.mx",
                                "marco.ruiz@edomex.gob.mx", "priscila.gomez@infoem.org.mx")


@pytest.fixture
def jornada(autoridad):
    return b.jornada(autoridad_=autoridad, pasada=True)


def _vista(archivo, jornada, minimo=None):
    tabla = importacion.leer_archivo(archivo, (REPORTES / archivo).read_bytes()).como_dict()
    if minimo is not None:
        tabla["minimo_minutos"] = minimo
    return importacion.analizar(tabla, jornada=jornada)


@pytest.mark.parametrize("archivo, nuevos, omitidos", [
    ("zoom_en_con_resumen.csv", [JUAN, LUISA, MARCO], [PRISCILA]),   # the host, from the meeting block
    ("zoom_en_sin_resumen.csv", [PRISCILA, JUAN, LUISA, MARCO], []),  # no block: nothing says who hosted
    ("zoom_es_con_resumen.csv", [JUAN, MARCO], [PRISCILA]),
    ("zoom_nombre_email.csv", [JUAN, LUISA], []),
    ("teams_en_utf16.csv", [JUAN, LUISA, MARCO], [PRISCILA]),         # the organiser, by its role
    ("teams_es_utf16.csv", [JUAN, LUISA, MARCO], [PRISCILA]),
])
def test_cada_reporte_se_lee_como_se_descarga(jornada, archivo, nuevos, omitidos):
    vista = _vista(archivo, jornada)
    assert not vista.errores_archivo, vista.errores_archivo
    assert vista.con_error == []  # Teams' third section is not read as people without e-mail
    assert [f.correo for f in vista.nuevos] == nuevos
    assert [f.correo for f in vista.omitidos] == omitidos
    assert all(f.motivo_omision == "Organizó la reunión." for f in vista.omitidos)


def test_zoom_suma_las_entradas_de_una_persona_y_aplica_el_minimo(jornada):
    vista = _vista("zoom_en_con_resumen.csv", jornada, minimo=30)
    juan = next(f for f in vista.filas if f.correo == JUAN and f.accion == importacion.NUEVO)
    assert juan.minutos == 118  # 59 + 59: joined twice
    assert [f.correo for f in vista.duplicados] == [JUAN]
    assert [f.correo for f in vista.nuevos] == [JUAN, LUISA]
    marco = next(f for f in vista.omitidos if f.correo == MARCO)
    assert marco.motivo_omision == "Estuvo 12 min, menos de los 30 que se piden."


def test_teams_lee_duraciones_con_horas_minutos_y_segundos(jornada):
    vista = _vista("teams_en_utf16.csv", jornada, minimo=30)
    assert {f.correo: round(f.minutos, 2) for f in vista.filas} == {
        PRISCILA: 130, JUAN: 118.05, LUISA: 119, MARCO: 12.08}
    assert [f.correo for f in vista.nuevos] == [JUAN, LUISA]
    assert sorted(f.correo for f in vista.omitidos) == [MARCO, PRISCILA]


@pytest.mark.parametrize("texto, minutos", [
    ("118", 118), ("1h 58m 3s", 118.05), ("1 h 2 min", 62), ("45m", 45), ("12m 5s", 12.08), ("01:58:03", 118.05),
    ("58:30", 58.5), ("2 horas", 120), ("30 segundos", 0.5), ("", None), ("—", None),
])
def test_duracion_en_minutos(texto, minutos):
    resultado = importacion.duracion_minutos(texto)
    assert (round(resultado, 2) if resultado is not None else None) == minutos


def test_la_vista_importa_el_reporte_de_teams_con_minimo_de_minutos(client, personal, jornada):
    client.force_login(personal)
    archivo = SimpleUploadedFile("asistencia.csv", (REPORTES / "teams_es_utf16.csv").read_bytes(),
                                 content_type="text/csv")
    resp = client.post(reverse("panel:jornada_importar", args=[jornada.slug]),
                       {"archivo": archivo, "minimo_minutos": "30"})
    assert resp.status_code == 200
    html = resp.content.decode()
    assert "Organizó la reunión." in html and "Estuvo 12 min, menos de los 30 que se piden." in html
    huella = client.session["jornadas_importacion"]["huella"]
    resp = client.post(reverse("panel:jornada_importar_confirmar", args=[jornada.slug]), {"huella": huella})
    assert resp.status_code == 302
    assert sorted(Registro.objects.filter(jornada=jornada, asistio=True)
                  .values_list("participante__correo", flat=True)) == [JUAN, LUISA]


def test_el_minimo_de_minutos_no_admite_negativos(client, personal, jornada):
    client.force_login(personal)
    archivo = SimpleUploadedFile("lista.csv", b"nombre,correo\nIsa,isa@ejemplo.gob.mx\n", content_type="text/csv")
    resp = client.post(reverse("panel:jornada_importar", args=[jornada.slug]),
                       {"archivo": archivo, "minimo_minutos": "-5"})
    assert resp.status_code == 400
    assert "mayor o igual a 0" in resp.content.decode()
