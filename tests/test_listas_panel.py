"""Issue 13, part 3: the panel's long lists (received practices, bodies, enlace requests,
constancias; attendance has its own tests in tests/jornadas) are searched, paged and downloaded
as CSV for Excel (BOM) and XLSX with exactly the rows the search shows, every page."""

import csv
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from core import listas
from practicas.models import Enlace
from tests import factories

pytestmark = pytest.mark.django_db


def _csv(respuesta):
    cuerpo = b"".join(respuesta.streaming_content).decode("utf-8")
    assert cuerpo.startswith("\ufeff")  # Excel reads it as UTF-8
    return list(csv.reader(io.StringIO(cuerpo.removeprefix("\ufeff"))))


def _xlsx(respuesta):
    assert respuesta["Content-Type"] == listas.XLSX
    hoja = load_workbook(io.BytesIO(respuesta.content), read_only=True).active
    return [[c if c is not None else "" for c in fila] for fila in hoja.iter_rows(values_only=True)]


def _privada(respuesta):
    assert respuesta["Cache-Control"] == "private, no-store"
    assert respuesta["Content-Disposition"].startswith("attachment;")


# --- the shared pieces ------------------------------------------------------------------------


def test_una_celda_que_excel_ejecutaria_como_formula_se_escribe_como_texto():
    assert listas.celda_segura("=HYPERLINK(\"http://x\")") == "'=HYPERLINK(\"http://x\")"
    assert listas.celda_segura("-1") == "'-1" and listas.celda_segura("@a") == "'@a"
    assert listas.celda_segura(None) == "" and listas.celda_segura(3) == "3" and listas.celda_segura(-2.5) == "-2.5"
    assert listas.celda_xlsx(-2.5) == -2.5 and listas.celda_xlsx(True) == "True" and listas.celda_xlsx("=1") == "'=1"


def test_la_busqueda_junta_espacios_y_se_corta(rf):
    assert listas.texto_busqueda(rf.get("/", {"q": "  obras    públicas "})) == "obras públicas"
    assert len(listas.texto_busqueda(rf.get("/", {"q": "x" * 500}))) == listas.MAX_BUSQUEDA


# --- received practices -----------------------------------------------------------------------


@pytest.fixture
def recibidas(convocatoria):
    campo = factories.SujetoFactory(nombre="Secretaría del Campo", siglas="SECAMPO")
    salud = factories.SujetoFactory(nombre="Secretaría de Salud", siglas="SSA")
    practicas = [factories.PracticaFactory(convocatoria=convocatoria, sujeto=campo if i % 2 else salud,
                                           nombre=f"Padrón de apoyos {i}" if i % 3 else f"=Mapa de obras {i}")
                 for i in range(55)]
    return practicas


def test_la_lista_de_practicas_se_pagina_de_50_y_conserva_el_filtro(client, personal, convocatoria, recibidas):
    client.force_login(personal)
    url = reverse("panel:practicas", args=[convocatoria.slug])
    primera = client.get(url)
    assert len(primera.context["pagina"].object_list) == 50
    html = primera.content.decode()
    assert "?pagina=2" in html and "Filas 1 a 50 de 55." in html
    segunda = client.get(url, {"pagina": 2, "estado": "borrador"})
    assert len(segunda.context["pagina"].object_list) == 5
    assert 'href="?pagina=1&amp;estado=borrador"' in segunda.content.decode()


def test_la_busqueda_de_practicas_lee_nombre_y_sujeto(client, personal, convocatoria, recibidas):
    client.force_login(personal)
    url = reverse("panel:practicas", args=[convocatoria.slug])
    por_sujeto = client.get(url, {"q": "secampo"})
    assert {p.sujeto.siglas for p in por_sujeto.context["pagina"].object_list} == {"SECAMPO"}
    assert por_sujeto.context["pagina"].paginator.count == 27
    por_nombre = client.get(url, {"q": "mapa obras"})
    assert por_nombre.context["pagina"].paginator.count == 19
    assert "19 prácticas coinciden." in por_nombre.content.decode()
    nada = client.get(url, {"q": "inexistente"}).content.decode()
    assert "Ninguna práctica coincide con la búsqueda." in nada


def test_las_descargas_de_practicas_llevan_lo_que_la_busqueda_muestra_en_todas_sus_paginas(
        client, personal, convocatoria, recibidas):
    client.force_login(personal)
    lista = client.get(reverse("panel:practicas", args=[convocatoria.slug]), {"q": "salud", "pagina": 1})
    csv_url = reverse("panel:practicas_csv", args=[convocatoria.slug])
    assert f'{csv_url}?q=salud"' in lista.content.decode()  # the link keeps the search, not the page

    respuesta = client.get(csv_url, {"q": "salud"})
    _privada(respuesta)
    filas = _csv(respuesta)
    assert filas[0][:3] == ["Folio", "Práctica", "Sujeto obligado"]
    assert len(filas) == 1 + 28 and {f[2] for f in filas[1:]} == {"Secretaría de Salud"}
    assert any(f[1].startswith("'=Mapa de obras") for f in filas[1:])  # never run as a formula

    libro = client.get(reverse("panel:practicas_xlsx", args=[convocatoria.slug]))
    _privada(libro)
    filas_xlsx = _xlsx(libro)
    assert len(filas_xlsx) == 1 + 55 and filas_xlsx[0][0] == "Folio"


def test_las_descargas_de_otra_autoridad_no_existen(client, otro_personal, convocatoria, recibidas):
    client.force_login(otro_personal)
    for nombre in ("panel:practicas_csv", "panel:practicas_xlsx"):
        assert client.get(reverse(nombre, args=[convocatoria.slug])).status_code == 404


def test_la_descarga_de_practicas_no_crece_en_consultas(client, personal, convocatoria, recibidas,
                                                        django_assert_max_num_queries):
    client.force_login(personal)
    with django_assert_max_num_queries(8):
        _csv(client.get(reverse("panel:practicas_csv", args=[convocatoria.slug])))


def _enlace_solicitado(sujeto, i):
    usuario = factories.UsuarioFactory(email=f"persona{i}@ejemplo.gob.mx", first_name=f"Persona {i}")
    return factories.EnlaceFactory(usuario=usuario, sujeto=sujeto, estado=Enlace.Estado.SOLICITADO)


# --- bodies ----------------------------------------------------------------------------------


def test_el_catalogo_de_sujetos_se_descarga_como_se_filtra_y_solo_el_propio(client, personal, otro_personal,
                                                                           sujeto_a, sujeto_otra_entidad):
    factories.SujetoFactory(nombre="=Instituto de Cultura", siglas="IC")
    client.force_login(personal)
    lista = client.get(reverse("panel:sujetos"), {"q": "cultura"}).content.decode()
    assert f'{reverse("panel:sujetos_csv")}?q=cultura"' in lista
    filas = _csv(client.get(reverse("panel:sujetos_csv"), {"q": "cultura"}))
    assert filas[0][:2] == ["Nombre", "Siglas"] and [f[0] for f in filas[1:]] == ["'=Instituto de Cultura"]
    todos = _xlsx(client.get(reverse("panel:sujetos_xlsx")))
    assert sujeto_a.nombre in {f[0] for f in todos} and sujeto_otra_entidad.nombre not in {f[0] for f in todos}

    client.force_login(otro_personal)  # another authority's staff: their own entity only
    ajenos = {f[0] for f in _csv(client.get(reverse("panel:sujetos_csv")))}
    assert sujeto_otra_entidad.nombre in ajenos and sujeto_a.nombre not in ajenos


# --- enlace requests -------------------------------------------------------------------------


def test_las_solicitudes_de_enlace_se_buscan_filtran_paginan_y_descargan(client, personal, sujeto_a,
                                                                        sujeto_otra_entidad):
    solicitudes = [_enlace_solicitado(sujeto_a, i) for i in range(23)]
    resuelta = solicitudes[0]
    resuelta.estado, resuelta.motivo = Enlace.Estado.RECHAZADO, "No trabaja ahí"
    resuelta.save()
    _enlace_solicitado(sujeto_otra_entidad, 99)  # another authority's entity: never listed
    client.force_login(personal)

    pendientes = client.get(reverse("panel:enlaces"))
    assert pendientes.context["pagina"].paginator.count == 22 and len(pendientes.context["pagina"].object_list) == 20
    assert "Filas 1 a 20 de 22." in pendientes.content.decode()

    una = client.get(reverse("panel:enlaces"), {"q": "persona7@"})
    assert [e.usuario.email for e in una.context["pagina"].object_list] == ["persona7@ejemplo.gob.mx"]

    rechazadas = client.get(reverse("panel:enlaces"), {"estado": "rechazado"}).content.decode()
    assert "No trabaja ahí" in rechazadas and "Motivo del rechazo" not in rechazadas  # no actions on resolved ones

    filas = _csv(client.get(reverse("panel:enlaces_csv"), {"estado": "todas"}))
    assert len(filas) == 1 + 23 and "persona99@ejemplo.gob.mx" not in {f[1] for f in filas}
    assert {f[6] for f in filas[1:]} == {"Solicitud en revisión", "Rechazado"}
    assert len(_xlsx(client.get(reverse("panel:enlaces_xlsx")))) == 1 + 22


# --- constancias -----------------------------------------------------------------------------


def test_las_constancias_de_una_jornada_se_buscan_paginan_y_descargan(
        client, personal, otro_personal, monkeypatch, django_capture_on_commit_callbacks):
    from jornadas import constancias, views_constancias
    from tests.jornadas import builders as bj

    jornada = bj.jornada_con_asistentes(3)
    with django_capture_on_commit_callbacks(execute=True):
        constancias.constancias_emitir(usuario=personal, jornada=jornada)
    monkeypatch.setattr(views_constancias, "POR_PAGINA", 2)
    client.force_login(personal)
    url = reverse("panel:constancias_jornada", args=[jornada.slug])

    primera = client.get(url)
    assert len(primera.context["pagina"].object_list) == 2 and "Filas 1 a 2 de 3." in primera.content.decode()
    nombre = primera.context["pagina"].object_list[0].registro.participante.nombre
    buscada = client.get(url, {"q": nombre})
    assert [c.registro.participante.nombre for c in buscada.context["pagina"].object_list] == [nombre]

    filas = _csv(client.get(reverse("panel:constancias_jornada_csv", args=[jornada.slug])))
    assert filas[0][0] == "Folio" and len(filas) == 1 + 3  # every page
    assert all(f[4] == "Lista" for f in filas[1:])
    assert len(_xlsx(client.get(reverse("panel:constancias_jornada_xlsx", args=[jornada.slug]),
                                {"q": nombre}))) == 2

    client.force_login(otro_personal)
    assert client.get(reverse("panel:constancias_jornada_csv", args=[jornada.slug])).status_code == 404


# --- the cycle report's table by body ---------------------------------------------------------


def test_el_informe_del_ciclo_descarga_su_tabla_por_sujeto(client, personal, autoridad):
    from tests.jornadas import builders as bj

    ciclo = bj.ciclo(autoridad_=autoridad)
    bj.jornada_con_asistentes(4, ciclo_=ciclo, ausentes=1)
    client.force_login(personal)
    pagina = client.get(reverse("panel:jornadas_informe", args=[ciclo.slug])).content.decode()
    csv_url = reverse("panel:jornadas_informe_sujetos_csv", args=[ciclo.slug])
    assert csv_url in pagina and 'class="tabla-desplazable" tabindex="0" role="region"' in pagina
    filas = _csv(client.get(csv_url))
    assert filas[0] == ["Sujeto obligado", "Orden de gobierno", "Registrados", "Asistentes", "Encuestas",
                        "Porcentaje de los asistentes"]
    assert sum(int(f[2]) for f in filas[1:]) == 5 and sum(int(f[3]) for f in filas[1:]) == 4
    assert _xlsx(client.get(reverse("panel:jornadas_informe_sujetos_xlsx", args=[ciclo.slug])))[1:] == [
        [f[0], f[1], int(f[2]), int(f[3]), int(f[4]), float(f[5])] for f in filas[1:]]
