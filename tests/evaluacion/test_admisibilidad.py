"""Verificación de requisitos in the panel: the checklist, all-or-nothing admission, reasons for a
rejection, pre-selection, closing (which releases the results to the bodies), history."""

import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail
from django.urls import reverse

from convocatorias.models import Convocatoria
from convocatorias.tasks import convocatorias_cerrar_vencidas
from core.errors import ErrorDominio
from evaluacion import services
from evaluacion.models import Admisibilidad, RequisitoVerificado
from tests import factories
from tests.evaluacion import builders
from tests.evaluacion.builders import LOGIN, E, Ruta

CLAVES = ("sujeto_elegible", "en_plazo", "formulario_completo", "soportes")


def _datos(resultado="admitida", motivos="", **cumple):
    """POST data for the checklist form: every item met unless told otherwise."""
    datos = {"resultado": resultado, "motivos": motivos}
    for clave in CLAVES:
        datos[f"cumple_{clave}"] = cumple.get(clave, "si")
        datos[f"obs_{clave}"] = ""
    return datos


def _url(esc, i=0, nombre="panel:admisibilidad_practica"):
    return reverse(nombre, args=[esc.convocatoria.slug, esc.practicas[i].pk])


def _admitir_todas(esc):
    for p in esc.practicas:
        builders.admitir(p, esc.personal)


def _resultado(esc, i=0):
    return Admisibilidad.objects.filter(practica=esc.practicas[i]).values_list("resultado", flat=True).first()


RUTAS = [
    Ruta("lista", "panel:admisibilidad", lambda e: reverse("panel:admisibilidad", args=[e.convocatoria.slug]),
         E(LOGIN, 403, 403, 200, 404, 403, 404)),
    Ruta("practica", "panel:admisibilidad_practica", _url, E(LOGIN, 403, 403, 200, 404, 403, 404)),
    Ruta("practica", "panel:admisibilidad_practica", _url, E(LOGIN, 403, 403, 302, 404, 403, 404),
         metodo="post", datos=lambda e: _datos(), cambian=frozenset({"personal"}),
         efecto=lambda e: _resultado(e) == Admisibilidad.Resultado.ADMITIDA),
    Ruta("preseleccion", "panel:preseleccion", lambda e: _url(e, nombre="panel:preseleccion"),
         E(LOGIN, 403, 403, 302, 404, 403, 404), metodo="post", datos=lambda e: {"preseleccionada": "0"},
         preparar=lambda e: builders.admitir(e.practicas[0], e.personal), cambian=frozenset({"personal"}),
         efecto=lambda e: not Admisibilidad.objects.get(practica=e.practicas[0]).preseleccionada),
    Ruta("cerrar", "panel:admisibilidad_cerrar",
         lambda e: reverse("panel:admisibilidad_cerrar", args=[e.convocatoria.slug]),
         E(LOGIN, 403, 403, 302, 404, 403, 404), metodo="post", preparar=_admitir_todas,
         cambian=frozenset({"personal"}),
         efecto=lambda e: Convocatoria.objects.get(pk=e.convocatoria.pk).estado == Convocatoria.Estado.EN_EVALUACION),
]


@pytest.mark.parametrize("ruta", RUTAS, ids=lambda r: f"{r.metodo}-{r.id}")
@pytest.mark.parametrize("persona", builders.PERSONAS)
def test_matriz_de_permisos(client, escena_cerrada, personas_cerrada, ruta, persona):
    builders.comprobar_ruta(client, ruta, escena_cerrada, personas_cerrada[persona], persona)


def test_practica_de_otra_convocatoria_o_borrador_da_404(client, escena_cerrada, personal, autoridad, sujeto_a):
    otra = builders.convocatoria_cerrada(autoridad=autoridad, personal=personal, n_practicas=1, n_jurado=1)
    borrador = factories.PracticaFactory(convocatoria=escena_cerrada.convocatoria, sujeto=sujeto_a)
    client.force_login(personal)
    for pk in (otra.practicas[0].pk, borrador.pk):
        assert client.get(reverse("panel:admisibilidad_practica", args=[escena_cerrada.convocatoria.slug, pk])) \
            .status_code == 404


# --- the list -----------------------------------------------------------------------------------------

def test_lista_muestra_folios_resultados_y_avance(client, escena_cerrada, personal):
    esc = escena_cerrada
    builders.admitir(esc.practicas[0], personal)
    builders.no_admitir(esc.practicas[1], personal)
    client.force_login(personal)
    resp = client.get(reverse("panel:admisibilidad", args=[esc.convocatoria.slug]))
    html = resp.content.decode()
    for p in esc.practicas:
        assert p.folio in html and p.sujeto.nombre in html
    assert "2 de 3 prácticas verificadas" in html
    assert 'aria-valuenow="2"' in html and 'aria-valuemax="3"' in html
    assert "Cerrar verificación y turnar al jurado" in html
    assert reverse("panel:preseleccion", args=[esc.convocatoria.slug, esc.practicas[0].pk]) in html
    # Only an admitted practice offers the toggle.
    assert reverse("panel:preseleccion", args=[esc.convocatoria.slug, esc.practicas[1].pk]) not in html


@pytest.mark.parametrize("n", [3, 12])
def test_lista_hace_las_mismas_consultas_cuando_crece(client, autoridad, personal, django_assert_num_queries, n):
    esc = builders.convocatoria_cerrada(autoridad=autoridad, personal=personal, n_practicas=n, n_jurado=1)
    for p in esc.practicas[::2]:
        builders.admitir(p, personal)
    client.force_login(personal)
    # session, user, the call, perm (staff of its authority), the practices with their results, the
    # sub-navigation's "is a juror", the portal's authority, the frame's enlaces.exists and es_personal
    with django_assert_num_queries(9):
        resp = client.get(reverse("panel:admisibilidad", args=[esc.convocatoria.slug]))
    assert resp.status_code == 200
    assert len(resp.context["practicas"]) == n


# --- recording a result -------------------------------------------------------------------------------

def test_formulario_muestra_requisitos_enlace_a_la_practica_y_soportes(client, escena_cerrada, personal):
    esc = escena_cerrada
    client.force_login(personal)
    html = client.get(_url(esc)).content.decode()
    assert "El formulario está completo" in html and "La propuesta se recibió dentro del plazo" in html
    assert reverse("practicas:detalle", args=[esc.practicas[0].pk]) in html
    assert esc.practicas[0].soportes.get().url in html
    # Opening the form writes nothing.
    assert not Admisibilidad.objects.exists()


def test_formulario_incluye_requisitos_adicionales_de_la_convocatoria(client, autoridad, personal):
    esc = builders.convocatoria_cerrada(autoridad=autoridad, personal=personal, n_practicas=1, n_jurado=1,
                                        requisitos="Carta de la persona titular\n\nAviso de privacidad publicado")
    client.force_login(personal)
    html = client.get(_url(esc)).content.decode()
    assert "Carta de la persona titular" in html and "Aviso de privacidad publicado" in html
    datos = {**_datos(), "cumple_convocatoria_1": "si", "cumple_convocatoria_2": "no"}
    resp = client.post(_url(esc), datos)
    assert resp.status_code == 400
    assert "Aviso de privacidad publicado" in resp.context["form"].non_field_errors()[0]


def test_admitir_registra_todo_y_preselecciona(client, escena_cerrada, personal):
    esc = escena_cerrada
    client.force_login(personal)
    datos = _datos()
    datos["obs_soportes"] = "CSV revisado"
    resp = client.post(_url(esc), datos)
    assert resp.status_code == 302 and resp.url == reverse("panel:admisibilidad", args=[esc.convocatoria.slug])
    adm = Admisibilidad.objects.get(practica=esc.practicas[0])
    assert adm.resultado == Admisibilidad.Resultado.ADMITIDA and adm.preseleccionada
    assert adm.verificada_por == personal and adm.verificada_en is not None
    assert all(r.cumple is True for r in adm.requisitos.all())
    assert adm.requisitos.get(clave="soportes").observacion == "CSV revisado"
    # History: who recorded the result and each checklist item.
    ultimo = adm.history.latest()
    assert ultimo.resultado == "admitida" and ultimo.history_user == personal
    assert RequisitoVerificado.history.filter(admisibilidad_id=adm.pk, history_user=personal).count() == 4


def test_admitir_con_un_requisito_incumplido_no_guarda_nada(client, escena_cerrada, personal):
    esc = escena_cerrada
    client.force_login(personal)
    datos = _datos(soportes="no")
    datos["obs_soportes"] = "El PDF está dañado"
    resp = client.post(_url(esc), datos)
    assert resp.status_code == 400
    html = resp.content.decode()
    assert "Para admitir, todos los requisitos deben cumplirse" in html
    assert "Los soportes documentales están presentes" in resp.context["form"].non_field_errors()[0]
    assert "El PDF está dañado" in html  # what was typed comes back
    # All or nothing: not even the checklist rows were kept.
    assert not Admisibilidad.objects.filter(practica=esc.practicas[0]).exists()
    assert not RequisitoVerificado.objects.exists()


def test_admitir_sin_contestar_un_requisito_no_guarda_nada(client, escena_cerrada, personal):
    esc = escena_cerrada
    client.force_login(personal)
    resp = client.post(_url(esc), _datos(en_plazo=""))
    assert resp.status_code == 400
    assert not Admisibilidad.objects.exists()


def test_no_admitida_sin_motivos_se_rechaza_junto_al_campo(client, escena_cerrada, personal):
    esc = escena_cerrada
    client.force_login(personal)
    resp = client.post(_url(esc), _datos(resultado="no_admitida", motivos="   ", soportes="no"))
    assert resp.status_code == 400
    assert resp.context["form"].errors["motivos"] == ["Escriba los motivos de la no admisión; el sujeto obligado "
                                                      "los leerá."]
    assert not Admisibilidad.objects.exists()


def test_no_admitida_sin_motivos_tambien_la_rechaza_el_servicio(escena_cerrada, personal):
    practica = escena_cerrada.practicas[0]
    with pytest.raises(ErrorDominio) as exc:
        services.admisibilidad_registrar(practica=practica, usuario=personal, requisitos={},
                                         resultado="no_admitida", motivos="")
    assert exc.value.campo == "motivos"
    assert not Admisibilidad.objects.exists()


def test_no_admitida_con_motivos_queda_fuera_del_jurado(client, escena_cerrada, personal):
    esc = escena_cerrada
    client.force_login(personal)
    resp = client.post(_url(esc), _datos(resultado="no_admitida", motivos="Se recibió fuera de plazo.",
                                         en_plazo="no"))
    assert resp.status_code == 302
    adm = Admisibilidad.objects.get(practica=esc.practicas[0])
    assert adm.resultado == "no_admitida" and adm.motivos == "Se recibió fuera de plazo." and not adm.preseleccionada
    assert adm.history.filter(resultado="no_admitida", history_user=personal).exists()
    # The form shows it back.
    html = client.get(_url(esc)).content.decode()
    assert "Se recibió fuera de plazo." in html


def test_resultado_sin_elegir_se_rechaza(client, escena_cerrada, personal):
    client.force_login(personal)
    resp = client.post(_url(escena_cerrada), _datos(resultado=""))
    assert resp.status_code == 400
    assert "resultado" in resp.context["form"].errors


def test_despues_de_turnar_no_se_puede_cambiar_la_verificacion(client, escena, personal):
    client.force_login(personal)
    url = reverse("panel:admisibilidad_practica", args=[escena.convocatoria.slug, escena.no_admitidas[0].pk])
    html = client.get(url).content.decode()
    assert "Guardar verificación" not in html and "disabled" in html
    antes = builders.foto_evaluacion()
    resp = client.post(url, _datos())
    assert resp.status_code == 400
    assert "La verificación de requisitos solo procede con la convocatoria cerrada" in resp.content.decode()
    assert builders.foto_evaluacion() == antes


# --- pre-selection ------------------------------------------------------------------------------------

def test_preseleccion_sin_javascript_redirige_a_la_lista(client, escena_cerrada, personal):
    esc = escena_cerrada
    builders.admitir(esc.practicas[0], personal)
    client.force_login(personal)
    url = _url(esc, nombre="panel:preseleccion")
    resp = client.post(url, {"preseleccionada": "0"}, follow=True)
    assert "ya no se turnará al jurado" in resp.content.decode()
    adm = Admisibilidad.objects.get(practica=esc.practicas[0])
    assert not adm.preseleccionada
    assert adm.history.latest().history_user == personal
    client.post(url, {"preseleccionada": "1"})
    assert Admisibilidad.objects.get(practica=esc.practicas[0]).preseleccionada


def test_preseleccion_con_htmx_devuelve_la_fila(client, escena_cerrada, personal):
    esc = escena_cerrada
    builders.admitir(esc.practicas[0], personal)
    client.force_login(personal)
    resp = client.post(_url(esc, nombre="panel:preseleccion"), {"preseleccionada": "0"}, HTTP_HX_REQUEST="true")
    assert resp.status_code == 200
    html = resp.content.decode()
    assert html.strip().startswith(f'<tr id="admisibilidad-{esc.practicas[0].pk}">')
    assert "<html" not in html and "Preseleccionar" in html


def test_no_admitida_no_puede_preseleccionarse(client, escena_cerrada, personal):
    esc = escena_cerrada
    builders.no_admitir(esc.practicas[0], personal)
    client.force_login(personal)
    resp = client.post(_url(esc, nombre="panel:preseleccion"), {"preseleccionada": "1"}, HTTP_HX_REQUEST="true")
    assert resp.status_code == 400
    assert "Solo una práctica admitida puede turnarse al jurado." in resp.content.decode()
    assert not Admisibilidad.objects.get(practica=esc.practicas[0]).preseleccionada


# --- closing and releasing ---------------------------------------------------------------------------

def test_cerrar_con_practicas_sin_verificar_muestra_el_error_del_dominio(client, escena_cerrada, personal):
    esc = escena_cerrada
    builders.admitir(esc.practicas[0], personal)
    client.force_login(personal)
    resp = client.post(reverse("panel:admisibilidad_cerrar", args=[esc.convocatoria.slug]), follow=True)
    html = resp.content.decode()
    faltan = re.search(r"Faltan 2 prácticas por verificar: ([^<]*)\.</div>", html)
    assert faltan and set(faltan.group(1).split(", ")) == {esc.practicas[1].folio, esc.practicas[2].folio}
    conv = Convocatoria.objects.get(pk=esc.convocatoria.pk)
    assert conv.estado == Convocatoria.Estado.CERRADA and conv.admisibilidad_liberada_en is None


def test_cerrar_turna_al_jurado_y_libera_resultados(client, escena_cerrada, personal):
    esc = escena_cerrada
    builders.no_admitir(esc.practicas[0], personal)
    builders.admitir(esc.practicas[1], personal)
    builders.admitir(esc.practicas[2], personal)
    client.force_login(personal)
    resp = client.post(reverse("panel:admisibilidad_cerrar", args=[esc.convocatoria.slug]))
    assert resp.status_code == 302 and resp.url == reverse("panel:tablero", args=[esc.convocatoria.slug])
    conv = Convocatoria.objects.get(pk=esc.convocatoria.pk)
    assert conv.estado == Convocatoria.Estado.EN_EVALUACION and conv.admisibilidad_liberada_en is not None
    html = client.get(reverse("panel:admisibilidad", args=[conv.slug])).content.decode()
    assert "Cerrar verificación y turnar al jurado" not in html
    assert "La verificación está cerrada" in html


def test_enlace_conoce_su_resultado_solo_cuando_se_libera(client, escena_cerrada, personal, enlace_a, enlace_b):
    """The rule `evaluacion.ver_admisibilidad` and the practice page (practicas:detalle) agree: the
    body reads its result and reasons only once admissibility is closed."""
    esc = escena_cerrada
    motivos = "Los soportes no se pudieron abrir: archivo ZIP dañado."
    builders.no_admitir(esc.practicas[0], personal, motivos=motivos)  # body A
    builders.admitir(esc.practicas[1], personal)  # body B
    builders.admitir(esc.practicas[2], personal)  # body A
    practica = esc.practicas[0]
    assert not enlace_a.has_perm("evaluacion.ver_admisibilidad", practica)
    assert personal.has_perm("evaluacion.ver_admisibilidad", practica)
    client.force_login(enlace_a)
    html = client.get(reverse("practicas:detalle", args=[practica.pk])).content.decode()
    assert motivos not in html and "No admitida" not in html

    builders.turnar(esc.convocatoria, personal)
    practica.convocatoria.refresh_from_db()
    assert Admisibilidad.objects.get(practica=practica).motivos == motivos
    assert enlace_a.has_perm("evaluacion.ver_admisibilidad", practica)
    assert not enlace_b.has_perm("evaluacion.ver_admisibilidad", practica)
    html = client.get(reverse("practicas:detalle", args=[practica.pk])).content.decode()
    assert motivos in html and "No admitida" in html


# --- past the deadline, before anything recorded the closing (issue 12) ------------------------------

CIERRE = datetime(2031, 6, 30, 23, 59, 59, tzinfo=ZoneInfo("America/Mexico_City"))


@pytest.fixture
def escena_vencida(autoridad, personal, sujeto_a, sujeto_b, enlace_a, enlace_b):
    """A call whose last second is CIERRE, with two practices submitted in time; still stored as
    `abierta` (no scheduler ran)."""
    conv = builders.convocatoria_abierta_hasta_ayer(
        autoridad=autoridad, fecha_apertura=CIERRE - timedelta(days=60), fecha_cierre=CIERRE,
        fecha_resultados=CIERRE + timedelta(days=60))
    practicas = builders.practicas_enviadas(conv, 2, sujetos=[sujeto_a, sujeto_b])
    return builders.Escena(convocatoria=conv, personal=personal, practicas=practicas,
                           miembros=builders.jurado_con_cuentas(conv, 1))


def _avisos_de_cierre(conv):
    return [m for m in mail.outbox if conv.titulo in m.subject and "cerró" in m.subject]


def test_verificacion_tras_el_plazo_sin_la_tarea_periodica_habilita_el_formulario_y_guarda(
        client, escena_vencida, personal, django_capture_on_commit_callbacks):
    esc = escena_vencida
    lista_url = reverse("panel:admisibilidad", args=[esc.convocatoria.slug])
    with time_machine.travel(CIERRE, tick=False):  # the last second still receives: not yet
        client.force_login(personal)
        html = client.get(_url(esc)).content.decode()
        assert "La verificación comienza cuando la convocatoria cierra." in client.get(lista_url).content.decode()
    assert "solo puede registrarse con la convocatoria cerrada" in html and "Guardar verificación" not in html

    mail.outbox.clear()
    with time_machine.travel(CIERRE + timedelta(seconds=1), tick=False):
        client.force_login(personal)
        lista = client.get(lista_url).content.decode()
        html = client.get(_url(esc)).content.decode()
        assert Convocatoria.objects.get(pk=esc.convocatoria.pk).estado == Convocatoria.Estado.ABIERTA
        with django_capture_on_commit_callbacks(execute=True):
            resp = client.post(_url(esc), _datos())
        with django_capture_on_commit_callbacks(execute=True):
            assert convocatorias_cerrar_vencidas() == 0  # already recorded by the verification
    assert "La verificación comienza cuando la convocatoria cierra." not in lista
    assert "solo puede registrarse con la convocatoria cerrada" not in html and "Guardar verificación" in html
    assert resp.status_code == 302 and resp.url == lista_url
    assert _resultado(esc) == Admisibilidad.Resultado.ADMITIDA
    # The verification recorded the closing through the closing service: once, by this person, one notice.
    conv = Convocatoria.objects.get(pk=esc.convocatoria.pk)
    assert conv.estado == Convocatoria.Estado.CERRADA
    assert conv.history.filter(estado=Convocatoria.Estado.CERRADA).get().history_user == personal
    assert len(_avisos_de_cierre(conv)) == 1


def test_verificacion_rechazada_tras_el_plazo_no_registra_el_cierre(escena_vencida, personal):
    """All or nothing: a refused verification leaves the closing unrecorded too (and no notice queued)."""
    esc = escena_vencida
    with time_machine.travel(CIERRE + timedelta(seconds=1), tick=False), pytest.raises(ErrorDominio):
        services.admisibilidad_registrar(practica=esc.practicas[0], usuario=personal, requisitos={},
                                         resultado="no_admitida", motivos="")
    assert not Admisibilidad.objects.exists()
    assert Convocatoria.objects.get(pk=esc.convocatoria.pk).estado == Convocatoria.Estado.ABIERTA


def test_turnar_tras_el_plazo_registra_antes_el_cierre(escena_vencida, personal):
    esc = escena_vencida
    with time_machine.travel(CIERRE + timedelta(seconds=1), tick=False):
        for p in esc.practicas:
            builders.admitir(p, personal)
        conv = builders.turnar(esc.convocatoria, personal)
    assert conv.estado == Convocatoria.Estado.EN_EVALUACION
    estados = list(conv.history.order_by("history_date", "history_id").values_list("estado", flat=True))
    assert estados[-2:] == [Convocatoria.Estado.CERRADA, Convocatoria.Estado.EN_EVALUACION]
