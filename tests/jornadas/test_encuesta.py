"""Satisfaction survey: anonymous answers (no link to a person anywhere), one answer per person,
only attendees, and results for staff as server-side SVG charts with the same numbers in a table."""

import csv
import io

import pytest
from django.apps import apps
from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone

from core.errors import ErrorDominio
from jornadas import graficas, selectors, services, sobres
from jornadas.models import (
    Encuesta,
    EnvioPendiente,
    Participante,
    Pregunta,
    Registro,
    Respuesta,
    RespuestaEncuesta,
)
from tests.jornadas import builders as b

pytestmark = pytest.mark.django_db

PREGUNTA_ELEMENTOS = ("¿Cuál de los siguientes elementos considera que deben reforzarse a fin de detonar prácticas "
                      "de Transparencia Proactiva al interior de su sujeto obligado?")
PREGUNTA_SATISFACCION = ("¿Cuál es su grado de satisfacción con respecto a la profundidad con la que se abordaron "
                         "los temas y conceptos durante la sensibilización?")


def _datos(encuesta, *, opciones=(0, 2), valor="5", comentario="Más capacitaciones como estas"):
    datos = {}
    for p in encuesta.preguntas.all():
        if p.tipo == Pregunta.Tipo.MULTIPLE:
            datos[f"p{p.pk}"] = [p.opciones[i] for i in opciones]
        elif p.tipo == Pregunta.Tipo.ESCALA:
            datos[f"p{p.pk}"] = valor
        else:
            datos[f"p{p.pk}"] = comentario
    return datos


# --- the model cannot link an answer to a person ----------------------------------------------------


def _relacionados(modelo):
    return {f.related_model for f in modelo._meta.get_fields() if f.is_relation and f.related_model}


def test_respuestas_no_tienen_ningun_vinculo_con_una_persona():
    persona = {Participante, Registro, apps.get_model(settings.AUTH_USER_MODEL)}
    for modelo in (RespuestaEncuesta, Respuesta, EnvioPendiente):
        assert not _relacionados(modelo) & persona, modelo
        assert isinstance(modelo._meta.pk, models.UUIDField)  # random key, not a sequence
        # No date at all (issue 10: the day joined answers to people in session-days of one respondent).
        fechas = [f.name for f in modelo._meta.get_fields() if isinstance(f, models.DateField)]
        assert not fechas, f"{modelo.__name__} guarda la fecha: {fechas}"
        nombres = {f.name for f in modelo._meta.get_fields()}
        assert not nombres & {"participante", "registro", "usuario", "correo", "nombre", "token", "ip"}
        assert not hasattr(modelo, "history")
    # Nor the other way round: a registration knows *that* its person answered, not what.
    assert not _relacionados(Registro) & {RespuestaEncuesta, Respuesta}
    assert isinstance(Registro._meta.get_field("encuesta_respondida_en"), models.DateField)
    assert not isinstance(Registro._meta.get_field("encuesta_respondida_en"), models.DateTimeField)


def test_la_encuesta_predeterminada_tiene_las_preguntas_del_informe():
    ciclo = b.ciclo()
    encuesta = services.encuesta_predeterminada_crear(ciclo=ciclo)
    assert services.encuesta_predeterminada_crear(ciclo=ciclo) == encuesta  # idempotent
    preguntas = list(encuesta.preguntas.order_by("orden"))
    assert [(p.texto, p.tipo, p.obligatoria) for p in preguntas] == [
        (PREGUNTA_ELEMENTOS, "multiple", True), (PREGUNTA_SATISFACCION, "escala", True),
        ("Comentarios", "texto", False)]
    assert preguntas[0].opciones == [
        "Mayor difusión de la información acerca de lo que es la Transparencia Proactiva",
        "Asesoría personalizada del Órgano Garante para el establecimiento de prácticas de Transparencia Proactiva",
        "Ejemplos de prácticas exitosas de Transparencia Proactiva",
    ]


# --- answering -----------------------------------------------------------------------------------


def _abrir_enlace(client, registro):
    """The e-mailed link trades the token for a session and redirects to the one token-free form."""
    resp = client.get(reverse("jornadas:encuesta", args=[registro.token_encuesta]))
    assert resp.status_code == 302 and resp["Location"] == reverse("jornadas:encuesta_responder")
    return reverse("jornadas:encuesta_responder")


def test_asistente_responde_una_vez_por_su_enlace(client):
    jornada = b.jornada_con_asistentes(5)
    registro, *otros = jornada.registros.order_by("pk")
    encuesta = b.encuesta(jornada)
    url = _abrir_enlace(client, registro)
    assert registro.token_encuesta not in url
    html = client.get(url).content.decode()
    assert PREGUNTA_ELEMENTOS in html and PREGUNTA_SATISFACCION in html
    assert f'action="{url}"' in html  # the form is sent to the token-free URL
    assert registro.participante.nombre not in html  # the page does not greet by name either
    historial = registro.history.count()

    resp = client.post(url, _datos(encuesta, comentario="Más capacitaciones como estas"))
    assert resp.status_code == 302 and resp["Location"] == reverse("jornadas:encuesta_gracias")
    registro.refresh_from_db()
    assert registro.encuesta_respondida_en == timezone.localdate()
    assert registro.history.count() == historial  # no timestamped history row to match against
    # Not written yet: sealed in the pending pool until the session has a group of five.
    assert not RespuestaEncuesta.objects.exists()
    pendiente = EnvioPendiente.objects.get()
    assert "capacitaciones" not in pendiente.sobre and "Transparencia" not in pendiente.sobre
    assert sobres.abrir(pendiente.sobre)["jornada"] == jornada.pk  # only the settings' key opens it

    resp = client.post(url, _datos(encuesta, valor="1"))
    assert resp.status_code == 403  # the session value went with the answer
    resp = client.post(_abrir_enlace(client, registro), _datos(encuesta, valor="1"))
    assert resp.status_code == 409 and "ya fue respondida" in resp.content.decode()
    assert EnvioPendiente.objects.count() == 1
    assert "ya fue respondida" in client.get(url).content.decode()

    for i, otro in enumerate(otros):
        services.encuesta_responder(token=otro.token_encuesta, respuestas={
            p.pk: v for p, v in _respuestas(encuesta, valor=1 + i, comentario=f"Comentario {i}").items()})
    assert not EnvioPendiente.objects.exists()
    envios = list(RespuestaEncuesta.objects.all())
    assert len(envios) == 5 and {(e.jornada, e.encuesta) for e in envios} == {(jornada, encuesta)}
    mias = [e for e in envios if e.respuestas.filter(texto="Más capacitaciones como estas").exists()]
    assert sorted(mias[0].respuestas.values_list("opcion", "valor", "texto"), key=str) == sorted([
        ("Mayor difusión de la información acerca de lo que es la Transparencia Proactiva", None, ""),
        ("Ejemplos de prácticas exitosas de Transparencia Proactiva", None, ""),
        ("", 5, ""), ("", None, "Más capacitaciones como estas")], key=str)
    assert encuesta.__class__.objects.get(pk=encuesta.pk).resultados_actualizados == timezone.localdate()


def _respuestas(encuesta, *, valor=5, comentario=""):
    datos = {}
    for p in encuesta.preguntas.all():
        if p.tipo == Pregunta.Tipo.MULTIPLE:
            datos[p] = [p.opciones[0]]
        elif p.tipo == Pregunta.Tipo.ESCALA:
            datos[p] = valor
        elif comentario:
            datos[p] = comentario
    return datos


def test_sin_el_enlace_no_hay_encuesta(client):
    url = reverse("jornadas:encuesta_responder")
    assert "abra el enlace personal" in client.get(url).content.decode()
    assert client.post(url, {}).status_code == 403
    assert client.get(reverse("jornadas:encuesta", args=["no-existe"])).status_code == 404
    assert client.post(reverse("jornadas:encuesta", args=["x"])).status_code == 405


def test_quien_no_asistio_no_puede_responder(client):
    jornada = b.jornada_con_asistentes(0, ausentes=1)
    registro = jornada.registros.get()
    url = _abrir_enlace(client, registro)
    assert "se habilita cuando se registra su asistencia" in client.get(url).content.decode()
    assert client.post(url, _datos(b.encuesta(jornada))).status_code == 403
    assert not RespuestaEncuesta.objects.exists() and not EnvioPendiente.objects.exists()
    with pytest.raises(ErrorDominio, match="asistencia"):
        services.encuesta_responder(token=registro.token_encuesta, respuestas={})


def test_respuestas_invalidas_no_escriben(client):
    jornada = b.jornada_con_asistentes(1)
    registro = jornada.registros.get()
    encuesta = b.encuesta(jornada)
    url = _abrir_enlace(client, registro)
    datos = _datos(encuesta)
    escala = encuesta.preguntas.get(tipo="escala")
    del datos[f"p{escala.pk}"]
    resp = client.post(url, datos)
    assert resp.status_code == 400 and not EnvioPendiente.objects.exists()

    multiple = encuesta.preguntas.get(tipo="multiple")
    with pytest.raises(ErrorDominio, match="Opción no válida"):
        services.encuesta_responder(token=registro.token_encuesta,
                                    respuestas={multiple.pk: ["Otra cosa"], escala.pk: 3})
    with pytest.raises(ErrorDominio, match="del 1 al 5"):
        services.encuesta_responder(token=registro.token_encuesta,
                                    respuestas={multiple.pk: [multiple.opciones[0]], escala.pk: 6})
    assert not RespuestaEncuesta.objects.exists() and not EnvioPendiente.objects.exists()
    registro.refresh_from_db()
    assert registro.encuesta_respondida_en is None


def test_comentario_es_opcional(settings):
    settings.JORNADAS_ENCUESTA_MINIMO = 1  # a group of one, written at once
    jornada = b.jornada_con_asistentes(1)
    registro = jornada.registros.get()
    encuesta = b.encuesta(jornada)
    multiple, escala = encuesta.preguntas.get(tipo="multiple"), encuesta.preguntas.get(tipo="escala")
    services.encuesta_responder(token=registro.token_encuesta,
                                respuestas={multiple.pk: [multiple.opciones[1]], escala.pk: 4})
    assert Respuesta.objects.count() == 2


# --- results -------------------------------------------------------------------------------------


@pytest.fixture
def ciclo_con_respuestas(autoridad, settings):
    """Two sessions: in the first 3 answered (options 0 and 1, satisfaction 5), in the second 1
    (option 2, satisfaction 3, comment). The arithmetic of the results on small numbers: the minimum
    group is 1 here; withholding groups below the default (5) is tested on its own below."""
    settings.JORNADAS_ENCUESTA_MINIMO = 1
    ciclo = b.ciclo(autoridad_=autoridad)
    j1 = b.jornada_con_asistentes(4, ciclo_=ciclo, titulo="Primera")
    b.responder(list(j1.registros.all())[:3], opciones=(0, 1), satisfaccion=5, comentario="")
    j2 = b.jornada_con_asistentes(2, ciclo_=ciclo, titulo="Segunda")
    b.responder(list(j2.registros.all())[:1], opciones=(2,), satisfaccion=3,
                comentario="Me pareció un tema muy interesante")
    return ciclo, j1, j2


def test_resultados_por_pregunta_con_conteos_y_porcentajes(ciclo_con_respuestas):
    ciclo, j1, j2 = ciclo_con_respuestas
    encuesta = selectors.encuesta_de_ciclo(ciclo)
    r = selectors.resultados_encuesta(encuesta)
    assert r.envios == 4
    elementos, satisfaccion, comentarios = r.preguntas
    assert [(f["conteo"], f["porcentaje"]) for f in elementos.filas] == [(3, 75.0), (3, 75.0), (1, 25.0)]
    assert [f["conteo"] for f in satisfaccion.filas] == [0, 0, 1, 0, 3]
    assert satisfaccion.promedio == 4.5
    assert comentarios.comentarios == ["Me pareció un tema muy interesante"]

    solo_j2 = selectors.resultados_encuesta(encuesta, jornadas=[j2])
    assert solo_j2.envios == 1
    assert [f["porcentaje"] for f in solo_j2.preguntas[0].filas] == [0.0, 0.0, 100.0]


def test_pagina_de_resultados_con_graficas_accesibles_y_filtro(client, personal, ciclo_con_respuestas):
    ciclo, j1, j2 = ciclo_con_respuestas
    client.force_login(personal)
    html = client.get(reverse("panel:jornadas_resultados", args=[ciclo.slug])).content.decode()
    assert html.count('role="img"') == 2  # multiple choice and scale; comments are a list
    assert 'aria-label="¿Cuál de los siguientes elementos' in html
    assert "Mayor difusión de la información acerca de lo que es la Transparencia Proactiva: 3 (75.0 %)" in html
    assert "<caption>Mismos datos de la gráfica</caption>" in html
    assert "Me pareció un tema muy interesante" in html
    assert "4 encuestas respondidas" in html

    html = client.get(reverse("panel:jornadas_resultados", args=[ciclo.slug]) + f"?jornada={j1.slug}").content.decode()
    assert "3 encuestas respondidas" in html and "Me pareció un tema muy interesante" not in html


def test_grafica_svg_escapa_texto_y_describe_los_numeros():
    svg = str(graficas.barras([{"etiqueta": "<script>x</script>", "conteo": 1041, "porcentaje": 100.0}],
                              titulo='Título "con" comillas'))
    assert "<script>" not in svg and "&lt;script&gt;" in svg
    assert svg.startswith("<svg") and 'role="img"' in svg
    assert "1,041 (100.0 %)" in svg
    assert 'aria-label="Título &quot;con&quot; comillas. &lt;script&gt;x&lt;/script&gt;: 1,041 (100.0 %)."' in svg


def _leer_csv(resp):
    contenido = b"".join(resp.streaming_content).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(contenido)))


def test_csv_anonimo_sin_datos_de_personas(client, personal, ciclo_con_respuestas):
    ciclo, j1, j2 = ciclo_con_respuestas
    client.force_login(personal)
    resp = client.get(reverse("panel:jornadas_respuestas_csv", args=[ciclo.slug]))
    assert resp["Content-Type"].startswith("text/csv") and resp["Cache-Control"] == "private, no-store"
    filas = _leer_csv(resp)
    assert filas[0] == ["Jornada", PREGUNTA_ELEMENTOS, PREGUNTA_SATISFACCION, "Comentarios"]  # no date
    assert len(filas) == 1 + 4
    texto = "\n".join(",".join(f) for f in filas)
    for p in Participante.objects.all():
        assert p.nombre not in texto and p.correo not in texto
    for r in Registro.objects.all():
        assert r.token_encuesta not in texto
    assert "@" not in texto
    assert str(timezone.localdate()) not in texto
    assert ["Segunda", "Ejemplos de prácticas exitosas de Transparencia Proactiva", "3",
            "Me pareció un tema muy interesante"] in filas


def test_csv_agregado_y_celdas_que_parecen_formulas(client, personal, ciclo_con_respuestas):
    ciclo, j1, j2 = ciclo_con_respuestas
    registro = j2.registros.filter(encuesta_respondida_en__isnull=True).get()
    encuesta = Encuesta.objects.get(ciclo=ciclo)
    multiple, escala, texto = (encuesta.preguntas.get(tipo=t) for t in ("multiple", "escala", "texto"))
    services.encuesta_responder(token=registro.token_encuesta, respuestas={
        multiple.pk: [multiple.opciones[0]], escala.pk: 2, texto.pk: "=HYPERLINK(\"http://x\")"})
    client.force_login(personal)
    filas = _leer_csv(client.get(reverse("panel:jornadas_resultados_csv", args=[ciclo.slug])))
    assert filas[0] == ["Pregunta", "Tipo", "Respuesta", "Conteo", "Porcentaje", "Respondieron"]
    assert [PREGUNTA_ELEMENTOS, "Opción múltiple",
            "Mayor difusión de la información acerca de lo que es la Transparencia Proactiva", "4", "80.0", "5"] in filas
    assert [PREGUNTA_SATISFACCION, "Escala de satisfacción 1 a 5", "Promedio", "", "4.0", "5"] in filas
    anonimas = "\n".join(",".join(f) for f in _leer_csv(
        client.get(reverse("panel:jornadas_respuestas_csv", args=[ciclo.slug]))))
    assert "'=HYPERLINK" in anonimas
