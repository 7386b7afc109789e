"""Attendance: the staff list with checkboxes (works without JavaScript, htmx optional), live counts
per session, per body and per order of government, and constant query counts at two sizes."""

import pytest
from django.urls import reverse

from jornadas import selectors
from jornadas.models import Registro
from practicas.models import SujetoObligado
from tests import factories
from tests.jornadas import builders as b

pytestmark = pytest.mark.django_db


def test_marcar_asistencia_sin_javascript(client, personal, autoridad):
    jornada = b.jornada(autoridad_=autoridad, pasada=True)
    r1, r2, r3 = b.registrar(jornada, 3)
    Registro.objects.filter(pk=r3.pk).update(asistio=True)
    client.force_login(personal)
    html = client.get(reverse("panel:jornada_asistencia", args=[jornada.slug])).content.decode()
    assert f'name="asistio" value="{r1.pk}"' in html and "Guardar asistencia" in html

    # r1 checked, r2 not, r3 unchecked now (shown on the page); a registration of another session is ignored.
    ajena = b.registrar(b.jornada(autoridad_=autoridad), 1)[0]
    resp = client.post(reverse("panel:jornada_asistencia", args=[jornada.slug]),
                       {"mostrados": [r1.pk, r2.pk, r3.pk, ajena.pk], "asistio": [r1.pk, ajena.pk]})
    assert resp.status_code == 302
    estado = dict(Registro.objects.values_list("pk", "asistio"))
    assert (estado[r1.pk], estado[r2.pk], estado[r3.pk], estado[ajena.pk]) == (True, False, False, False)
    r1.refresh_from_db()
    assert r1.asistencia_marcada_en is not None
    assert r1.history.first().history_user == personal


def test_marcar_una_casilla_con_htmx_devuelve_conteos(client, personal, autoridad):
    jornada = b.jornada(autoridad_=autoridad, pasada=True)
    (registro,) = b.registrar(jornada, 1)
    client.force_login(personal)
    url = reverse("panel:jornada_asistencia_marcar", args=[jornada.slug, registro.pk])
    resp = client.post(url, {"asistio": [registro.pk]}, HTTP_HX_REQUEST="true")
    assert resp.status_code == 200
    assert 'id="conteos"' in resp.content.decode() and "<strong>1</strong> asistentes" in resp.content.decode()
    assert Registro.objects.get(pk=registro.pk).asistio
    resp = client.post(url, {}, HTTP_HX_REQUEST="true")
    assert "<strong>0</strong> asistentes" in resp.content.decode()
    assert not Registro.objects.get(pk=registro.pk).asistio


def test_conteos_por_sujeto_y_por_orden(autoridad):
    municipio = factories.MunicipioFactory(nombre="Metepec")
    metepec = SujetoObligado.objects.create(nombre="Ayuntamiento de Metepec", orden="municipal",
                                            tipo="ayuntamiento", municipio=municipio)
    finanzas, salud = b.sujetos(2)
    jornada = b.jornada(autoridad_=autoridad, pasada=True)
    b.registrar(jornada, 3, asistio=True, sujetos_=[metepec])
    b.registrar(jornada, 2, asistio=True, sujetos_=[finanzas])
    b.registrar(jornada, 1, asistio=False, sujetos_=[salud])
    b.registrar(jornada, 1, asistio=True, sujetos_=[])
    c = selectors.conteos_jornada(jornada)
    assert (c.registrados, c.asistentes) == (7, 6)
    por_sujeto = {s["sujeto"]: (s["orden"], s["registrados"], s["asistentes"]) for s in c.por_sujeto}
    assert por_sujeto["Ayuntamiento de Metepec"] == ("Municipal", 3, 3)
    assert por_sujeto[finanzas.nombre] == ("Estatal", 2, 2)
    assert por_sujeto[salud.nombre] == ("Estatal", 1, 0)
    assert por_sujeto["Sin sujeto obligado"] == ("Sin sujeto obligado", 1, 1)
    assert [(o["orden"], o["registrados"], o["asistentes"], o["sujetos"], o["porcentaje"]) for o in c.por_orden] == [
        ("Estatal", 3, 2, 1, 33.3), ("Municipal", 3, 3, 1, 50.0), ("Sin sujeto obligado", 1, 1, 1, 16.7)]


def test_agregar_asistente_a_mano(client, personal, autoridad, sujeto_a):
    jornada = b.jornada(autoridad_=autoridad, pasada=True)
    client.force_login(personal)
    datos = {"nombre": "Rosa Mena", "correo": "rosa@finanzas.gob.mx", "sujeto": sujeto_a.pk, "cargo": "Jefa"}
    resp = client.post(reverse("panel:jornada_participante_agregar", args=[jornada.slug]), datos)
    assert resp.status_code == 302
    registro = Registro.objects.get(jornada=jornada)
    assert registro.asistio and registro.canal == "personal"
    # Again: nothing duplicated.
    client.post(reverse("panel:jornada_participante_agregar", args=[jornada.slug]), datos)
    assert Registro.objects.filter(jornada=jornada).count() == 1


def test_invitar_a_la_encuesta_envia_a_asistentes_sin_responder(client, personal, autoridad,
                                                               django_capture_on_commit_callbacks, mailoutbox):
    jornada = b.jornada_con_asistentes(3, respondieron=1, ausentes=2, autoridad_=autoridad)
    client.force_login(personal)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("panel:jornada_encuesta_invitar", args=[jornada.slug]))
    assert len(mailoutbox) == 2
    pendientes = jornada.registros.filter(asistio=True, encuesta_respondida_en__isnull=True)
    destinatarios = {m.to[0] for m in mailoutbox}
    assert destinatarios == {r.participante.correo for r in pendientes}
    for m in mailoutbox:
        registro = pendientes.get(participante__correo=m.to[0])
        assert reverse("jornadas:encuesta", args=[registro.token_encuesta]) in m.body


# --- query counts: the same literal at two sizes ----------------------------------------------------


def _jornada_de(n, autoridad):
    jornada = b.jornada_con_asistentes(n, respondieron=n // 2, ausentes=2, autoridad_=autoridad,
                                       sujetos_=b.sujetos(max(n // 3, 1)))
    return jornada


@pytest.mark.parametrize("n", [3, 30])
def test_consultas_lista_de_asistencia(client, personal, autoridad, django_assert_num_queries, n):
    jornada = _jornada_de(n, autoridad)
    client.force_login(personal)
    url = reverse("panel:jornada_asistencia", args=[jornada.slug])
    # 12: the survey invitations sent for the session (who, when, how many) are listed too, and the
    # list is paged (its COUNT).
    with django_assert_num_queries(12):
        resp = client.get(url)
    assert resp.content.decode().count('name="mostrados"') == n + 2


@pytest.mark.parametrize("n", [3, 30])
def test_consultas_conteos(client, personal, autoridad, django_assert_num_queries, n):
    jornada = _jornada_de(n, autoridad)
    client.force_login(personal)
    with django_assert_num_queries(6):
        client.get(reverse("panel:jornada_conteos", args=[jornada.slug]))


@pytest.mark.parametrize("n", [6, 12])  # at least the minimum group (5), or the results are withheld
def test_consultas_resultados(client, personal, autoridad, django_assert_num_queries, n):
    ciclo = b.ciclo(autoridad_=autoridad)
    for _ in range(n // 2):
        b.jornada_con_asistentes(n, respondieron=n, ciclo_=ciclo)
    client.force_login(personal)
    with django_assert_num_queries(15):  # 15: with the count of people who answered (the anonymity note)
        resp = client.get(reverse("panel:jornadas_resultados", args=[ciclo.slug]))
    assert f"{(n // 2) * n} encuestas respondidas" in resp.content.decode()


@pytest.mark.parametrize("n", [1, 8])
def test_consultas_listas_de_jornadas(client, personal, autoridad, django_assert_num_queries, n):
    ciclo = b.ciclo(autoridad_=autoridad)
    for _ in range(n):
        b.jornada_con_asistentes(2, ciclo_=ciclo)
        b.jornada(ciclo_=ciclo)
    with django_assert_num_queries(2):
        client.get(reverse("jornadas:lista"))
    client.force_login(personal)
    with django_assert_num_queries(8):
        client.get(reverse("panel:jornadas"))


def test_la_lista_larga_se_busca_se_pagina_y_se_guarda_por_pagina(client, personal, autoridad, settings):
    import io as _io

    from openpyxl import load_workbook

    from jornadas import views_sesiones

    jornada = b.jornada(autoridad_=autoridad, pasada=True)
    registros = b.registrar(jornada, 130)
    client.force_login(personal)
    url = reverse("panel:jornada_asistencia", args=[jornada.slug])
    resp = client.get(url)
    assert len(resp.context["registros"]) == views_sesiones.POR_PAGINA_ASISTENCIA
    assert "Página 2" in resp.content.decode() and "Filas 1 a 100 de 130." in resp.content.decode()
    assert len(client.get(url, {"pagina": 2}).context["registros"]) == 30

    # Search by e-mail: one person; saving that page changes only who is on it, and comes back to it.
    buscado = registros[7]
    resp = client.get(url, {"q": buscado.participante.correo.upper()})
    assert [r.pk for r in resp.context["registros"]] == [buscado.pk]
    assert "1 registro coincide con" in resp.content.decode()
    resp = client.post(url, {"mostrados": [buscado.pk], "asistio": [buscado.pk], "q": buscado.participante.correo})
    assert resp.status_code == 302 and resp["Location"].endswith(f"?q={buscado.participante.correo.replace('@', '%40')}")
    assert list(Registro.objects.filter(jornada=jornada, asistio=True).values_list("pk", flat=True)) == [buscado.pk]

    # The exports: the whole list, or the search.
    csv_ = client.get(reverse("panel:jornada_asistencia_csv", args=[jornada.slug]))
    texto = b"".join(csv_.streaming_content).decode("utf-8")
    assert texto.startswith("\ufeffNombre,Correo") and texto.count("\n") == 131
    assert csv_["Cache-Control"] == "private, no-store"
    xlsx = client.get(reverse("panel:jornada_asistencia_xlsx", args=[jornada.slug]), {"q": buscado.participante.correo})
    hoja = load_workbook(_io.BytesIO(xlsx.content)).active
    filas = list(hoja.iter_rows(values_only=True))
    assert filas[0][:2] == ("Nombre", "Correo") and len(filas) == 2
    assert filas[1][1] == buscado.participante.correo and filas[1][5] == "Sí"
