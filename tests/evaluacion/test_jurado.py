"""The jury in the panel: its list, scoring with reasons, drafts that keep what was typed, submitting,
recusal, reopening with a recorded reason, and never seeing others' scores before one's own."""

from decimal import Decimal

import pytest
from django.urls import reverse

from convocatorias.models import Convocatoria, MiembroJurado
from core.errors import ErrorDominio
from core.models import Usuario
from evaluacion import services
from evaluacion.models import Calificacion, Evaluacion, Reapertura, Recusa
from tests import factories
from tests.evaluacion import builders
from tests.evaluacion.builders import LOGIN, E, Ruta

# A total no other figure on the pages can produce by chance.
SENAL = Decimal("3.37")


def _url(esc, nombre="panel:jurado_calificar", i=0):
    return reverse(nombre, args=[esc.convocatoria.slug, esc.practicas[i].pk])


def _datos(esc, puntajes=None, motivo="Razón escrita", accion="guardar"):
    """POST data for the scoring form: one score and one reason per criterion."""
    criterios = list(esc.convocatoria.criterios.order_by("numero"))
    puntajes = puntajes if puntajes is not None else [8] * len(criterios)
    datos = {"accion": accion}
    for c, valor in zip(criterios, puntajes, strict=True):
        datos[f"puntaje_{c.pk}"] = str(valor)
        datos[f"motivo_{c.pk}"] = f"{motivo} {c.numero}" if motivo else ""
    return datos


def _evaluacion(esc, mi=0, pi=0):
    return Evaluacion.objects.filter(miembro=esc.miembros[mi], practica=esc.practicas[pi]).first()


def _enviar_propia(esc):
    builders.calificar(esc.miembros[0], esc.practicas[0], 8)


CORREO_NUEVO = "nueva.integrante@ejemplo.gob.mx"


def _url_sustituir(esc, i=1):
    return reverse("panel:jurado_sustituir", args=[esc.convocatoria.slug, esc.miembros[i].pk])


def _cuenta_nueva():
    return Usuario.objects.filter(email=CORREO_NUEVO).first() or factories.UsuarioFactory(email=CORREO_NUEVO)


def _sustituida(esc):
    return MiembroJurado.objects.get(pk=esc.miembros[1].pk).usuario.email == CORREO_NUEVO


RUTAS = [
    Ruta("inicio", "panel:jurado_inicio", lambda e: reverse("panel:jurado_inicio"),
         E(LOGIN, 403, 403, 403, 403, 200, 200)),
    Ruta("calificaciones", "panel:jurado_calificaciones",
         lambda e: reverse("panel:jurado_calificaciones", args=[e.convocatoria.slug]),
         E(LOGIN, 403, 403, 403, 404, 200, 404)),
    Ruta("calificar", "panel:jurado_calificar", _url, E(LOGIN, 403, 403, 403, 404, 200, 404)),
    Ruta("calificar", "panel:jurado_calificar", _url, E(LOGIN, 403, 403, 403, 404, 302, 404), metodo="post",
         datos=_datos, cambian=frozenset({"jurado"}), efecto=lambda e: _evaluacion(e) is not None),
    Ruta("excusa", "panel:jurado_excusa", lambda e: _url(e, "panel:jurado_excusa"),
         E(LOGIN, 403, 403, 403, 404, 302, 404), metodo="post",
         datos=lambda e: {"excusa-motivo": "Colaboré en el diseño de esta práctica."}, cambian=frozenset({"jurado"}),
         efecto=lambda e: Recusa.objects.filter(miembro=e.miembros[0], practica=e.practicas[0]).exists()),
    Ruta("reabrir", "panel:jurado_reabrir", lambda e: _url(e, "panel:jurado_reabrir"),
         E(LOGIN, 403, 403, 403, 404, 302, 404), metodo="post", preparar=_enviar_propia,
         datos=lambda e: {"reabrir-motivo": "Me equivoqué en el criterio 2."}, cambian=frozenset({"jurado"}),
         efecto=lambda e: _evaluacion(e).estado == Evaluacion.Estado.BORRADOR),
    # Replacing the person in a seat (the second: "jurado" holds the first) is the call's staff's
    # recorded act; its jurors are related and get 403.
    Ruta("sustituir", "panel:jurado_sustituir", lambda e: _url_sustituir(e),
         E(LOGIN, 403, 403, 200, 404, 403, 404)),
    Ruta("sustituir", "panel:jurado_sustituir", lambda e: _url_sustituir(e),
         E(LOGIN, 403, 403, 302, 404, 403, 404), metodo="post", preparar=lambda e: _cuenta_nueva(),
         datos=lambda e: {"correo": CORREO_NUEVO, "motivo": "Renunció al cargo."},
         cambian=frozenset({"personal"}), efecto=lambda e: _sustituida(e)),
]


@pytest.mark.parametrize("ruta", RUTAS, ids=lambda r: f"{r.metodo}-{r.id}")
@pytest.mark.parametrize("persona", builders.PERSONAS)
def test_matriz_de_permisos(client, escena, personas_evaluacion, ruta, persona):
    builders.comprobar_ruta(client, ruta, escena, personas_evaluacion[persona], persona)


def test_jurado_no_ve_practicas_no_turnadas_ni_de_otra_convocatoria(client, escena, autoridad, personal):
    otra = builders.en_evaluacion(autoridad=autoridad, personal=personal, n_practicas=1, n_jurado=1)
    client.force_login(escena.jurados[0])
    slug = escena.convocatoria.slug
    for pk in (escena.no_admitidas[0].pk, otra.practicas[0].pk):
        assert client.get(reverse("panel:jurado_calificar", args=[slug, pk])).status_code == 404
        assert client.post(reverse("panel:jurado_calificar", args=[slug, pk]), _datos(escena)).status_code == 404
    assert not Evaluacion.objects.exists()
    html = client.get(reverse("panel:jurado_calificaciones", args=[slug])).content.decode()
    assert escena.no_admitidas[0].folio not in html and otra.practicas[0].folio not in html


def test_antes_de_turnar_el_jurado_no_ve_practicas(client, escena_cerrada, personal):
    esc = escena_cerrada
    for p in esc.practicas:
        builders.admitir(p, personal)  # admitted means pre-selected, but not yet turned over
    client.force_login(esc.jurados[0])
    html = client.get(reverse("panel:jurado_calificaciones", args=[esc.convocatoria.slug])).content.decode()
    assert "Las prácticas se turnan al jurado cuando" in html
    assert esc.practicas[0].folio not in html
    assert client.get(_url(esc)).status_code == 404


def test_antes_de_turnar_el_jurado_no_lee_la_practica_admitida(client, escena_cerrada, personal):
    esc = escena_cerrada
    builders.admitir(esc.practicas[0], personal)
    client.force_login(esc.jurados[0])
    assert client.get(reverse("practicas:detalle", args=[esc.practicas[0].pk])).status_code == 404


# --- the juror's list ----------------------------------------------------------------------------------

def test_mis_calificaciones_muestra_el_estado_propio(client, escena):
    esc = escena
    yo = esc.miembros[0]
    builders.calificar(yo, esc.practicas[0], 8)
    builders.calificar(yo, esc.practicas[1], 7, enviar=False)
    services.recusa_declarar(miembro=yo, practica=esc.practicas[2], motivo="Trabajé ahí.", usuario=yo.usuario)
    builders.calificar(esc.miembros[1], esc.practicas[1], 9)  # another member's work does not count here
    client.force_login(yo.usuario)
    resp = client.get(reverse("panel:jurado_calificaciones", args=[esc.convocatoria.slug]))
    estados = {p.folio: p.estado_propio for p in resp.context["practicas"]}
    assert estados == {esc.practicas[0].folio: "enviada", esc.practicas[1].folio: "borrador",
                       esc.practicas[2].folio: "recusa"}
    html = resp.content.decode()
    assert "1 de 2 calificaciones enviadas · 1 en captura · 1 excusas" in html
    assert 'aria-valuenow="1"' in html and 'aria-valuemax="2"' in html


def test_mis_calificaciones_pendiente_cuando_no_hay_nada(client, escena):
    client.force_login(escena.jurados[0])
    resp = client.get(reverse("panel:jurado_calificaciones", args=[escena.convocatoria.slug]))
    assert {p.estado_propio for p in resp.context["practicas"]} == {"pendiente"}
    assert "Pendiente" in resp.content.decode()


@pytest.mark.parametrize("n", [3, 12])
def test_mis_calificaciones_hace_las_mismas_consultas_cuando_crece(client, autoridad, personal,
                                                                   django_assert_num_queries, n):
    esc = builders.en_evaluacion(autoridad=autoridad, personal=personal, n_practicas=n, n_jurado=2)
    yo = esc.miembros[0]
    builders.calificar(yo, esc.practicas[0], 8)
    builders.calificar(yo, esc.practicas[1], 8, enviar=False)
    services.recusa_declarar(miembro=yo, practica=esc.practicas[2], motivo="Conflicto.", usuario=yo.usuario)
    client.force_login(yo.usuario)
    # session, user, the call, perm (a juror of it), the member, practices, own evaluations, own
    # recusals, the sub-navigation's "is staff", the portal's authority, and the frame's
    # enlaces.exists and perms.core.acceder_panel (rules, then Django's user and group permissions)
    with django_assert_num_queries(14):
        resp = client.get(reverse("panel:jurado_calificaciones", args=[esc.convocatoria.slug]))
    assert resp.status_code == 200
    assert len(resp.context["practicas"]) == n


# --- scoring -------------------------------------------------------------------------------------------

def test_pagina_de_calificacion_muestra_practica_soportes_y_criterios(client, escena):
    esc = escena
    client.force_login(esc.jurados[0])
    resp = client.get(_url(esc))
    html = resp.content.decode()
    practica = esc.practicas[0]
    assert practica.nombre in html and practica.sujeto.nombre in html
    assert reverse("practicas:detalle", args=[practica.pk]) in html
    assert practica.soportes.get().url in html
    for c in esc.convocatoria.criterios.all():
        assert c.nombre in html
        assert f'name="puntaje_{c.pk}"' in html and f'name="motivo_{c.pk}"' in html
    assert 'min="0"' in html and 'max="10"' in html and 'step="0.01"' in html
    assert "Evidencia del criterio 1." in html
    assert "Guardar" in html and "Enviar calificación" in html and "Declarar conflicto de interés" in html
    assert "Reabrir" not in html
    # The juror may read the full practice and download its supports.
    assert client.get(reverse("practicas:detalle", args=[practica.pk])).status_code == 200


def test_guardar_borrador_y_volver(client, escena):
    esc = escena
    client.force_login(esc.jurados[0])
    puntajes = [7.5, 8, 9, "", 6.25, 10]
    resp = client.post(_url(esc), _datos(esc, puntajes))
    assert resp.status_code == 302 and resp.url == _url(esc)
    ev = _evaluacion(esc)
    assert ev.estado == Evaluacion.Estado.BORRADOR and ev.total is None
    guardados = dict(ev.calificaciones.values_list("criterio__numero", "puntaje"))
    assert guardados == {1: Decimal("7.50"), 2: Decimal("8.00"), 3: Decimal("9.00"), 4: None, 5: Decimal("6.25"),
                         6: Decimal("10.00")}
    html = client.get(_url(esc)).content.decode()
    assert 'value="6.25"' in html and "Razón escrita 5" in html
    assert "Envíe su calificación" not in html


def test_valor_fuera_de_escala_conserva_lo_escrito_y_no_guarda(client, escena):
    esc = escena
    client.force_login(esc.jurados[0])
    criterios = list(esc.convocatoria.criterios.order_by("numero"))
    datos = _datos(esc, [11, "ocho", 7, 7, 7, 7], motivo="Texto que no debe perderse")
    resp = client.post(_url(esc), datos)
    assert resp.status_code == 400
    form = resp.context["form"]
    assert form.errors[f"puntaje_{criterios[0].pk}"] == ["La calificación máxima es 10."]
    assert form.errors[f"puntaje_{criterios[1].pk}"] == ["Escriba un número, por ejemplo 7.5."]
    html = resp.content.decode()
    assert 'value="11"' in html and 'value="ocho"' in html
    assert "Texto que no debe perderse 6" in html
    assert "No se guardó: corrija los campos marcados." in html
    # The error sits next to its own field.
    campo = html.index(f'name="puntaje_{criterios[0].pk}"')
    assert html.index("La calificación máxima es 10.", campo) < html.index(f'name="motivo_{criterios[0].pk}"')
    assert _evaluacion(esc) is None


def test_enviar_incompleto_guarda_borrador_y_senala_lo_que_falta(client, escena):
    esc = escena
    client.force_login(esc.jurados[0])
    criterios = list(esc.convocatoria.criterios.order_by("numero"))
    datos = _datos(esc, accion="enviar")
    datos[f"motivo_{criterios[2].pk}"] = "   "
    datos[f"puntaje_{criterios[4].pk}"] = ""
    resp = client.post(_url(esc), datos)
    assert resp.status_code == 400
    form = resp.context["form"]
    assert form.errors[f"motivo_{criterios[2].pk}"] == ["Escriba la motivación; es obligatoria para enviar."]
    assert form.errors[f"puntaje_{criterios[4].pk}"] == ["Escriba la calificación de este criterio."]
    assert "Se guardó como borrador" in resp.content.decode()
    ev = _evaluacion(esc)
    assert ev.estado == Evaluacion.Estado.BORRADOR
    assert ev.calificaciones.get(criterio=criterios[0]).puntaje == Decimal("8.00")


def test_enviar_calcula_el_total_ponderado(client, autoridad, personal):
    esc = builders.en_evaluacion(autoridad=autoridad, personal=personal, n_practicas=1, n_jurado=2)
    builders.pesos(esc.convocatoria, [3, 2, 1, 1, 1, 2])
    client.force_login(esc.jurados[0])
    resp = client.post(_url(esc), _datos(esc, [10, 8, 6, 9, 7, 5], accion="enviar"))
    assert resp.status_code == 302
    ev = _evaluacion(esc)
    # (3·10 + 2·8 + 6 + 9 + 7 + 2·5) / (3 + 2 + 1 + 1 + 1 + 2) = 78 / 10
    assert ev.estado == Evaluacion.Estado.ENVIADA and ev.total == Decimal("7.800") and ev.enviada_en
    html = client.get(_url(esc)).content.decode()
    assert "7.80" in html and "Reabrir" in html and "Declarar conflicto de interés" not in html
    assert "disabled" in html and "Enviar calificación" not in html
    # History keeps who wrote each score.
    assert Calificacion.history.filter(evaluacion_id=ev.pk, history_user=esc.jurados[0]).count() == 6
    assert ev.history.filter(estado="enviada", history_user=esc.jurados[0]).exists()


def test_guardar_despues_de_enviar_lo_rechaza_el_servicio(client, escena):
    esc = escena
    _enviar_propia(esc)
    client.force_login(esc.jurados[0])
    antes = builders.foto_evaluacion()
    resp = client.post(_url(esc), _datos(esc, [1] * 6))
    assert resp.status_code == 400
    assert "Ya envió esta calificación. Para cambiarla, reábrala indicando el motivo." in resp.content.decode()
    assert builders.foto_evaluacion() == antes


# --- others' scores -------------------------------------------------------------------------------------

def test_no_ve_las_demas_calificaciones_antes_de_enviar_la_suya(client, escena):
    esc = escena
    builders.calificar(esc.miembros[1], esc.practicas[0], SENAL)
    client.force_login(esc.jurados[0])
    html = client.get(_url(esc)).content.decode()
    assert str(SENAL) not in html and "Calificaciones enviadas del jurado" not in html
    assert esc.miembros[1].cargo not in html

    # Once their own is in, they see the others'.
    builders.calificar(esc.miembros[0], esc.practicas[0], 9)
    resp = client.get(_url(esc))
    html = resp.content.decode()
    assert "Calificaciones enviadas del jurado" in html and str(SENAL) in html
    assert resp.context["resumen"]["n"] == 2
    assert resp.context["resumen"]["media"] == Decimal("6.185")


def test_al_reabrir_vuelve_a_no_ver_las_demas(client, escena):
    esc = escena
    builders.calificar(esc.miembros[1], esc.practicas[0], SENAL)
    _enviar_propia(esc)
    client.force_login(esc.jurados[0])
    assert str(SENAL) in client.get(_url(esc)).content.decode()
    client.post(_url(esc, "panel:jurado_reabrir"), {"reabrir-motivo": "Revisaré el criterio 3."})
    assert str(SENAL) not in client.get(_url(esc)).content.decode()


# --- recusal -------------------------------------------------------------------------------------------

def test_excusa_registra_el_motivo_y_ya_no_puede_calificar(client, escena):
    esc = escena
    builders.calificar(esc.miembros[0], esc.practicas[0], 5, enviar=False)  # a draft is discarded
    builders.calificar(esc.miembros[1], esc.practicas[0], SENAL)
    client.force_login(esc.jurados[0])
    resp = client.post(_url(esc, "panel:jurado_excusa"), {"excusa-motivo": "Asesoré al sujeto obligado en 2023."})
    assert resp.status_code == 302
    recusa = Recusa.objects.get(miembro=esc.miembros[0], practica=esc.practicas[0])
    assert recusa.motivo == "Asesoré al sujeto obligado en 2023."
    assert recusa.history.filter(history_user=esc.jurados[0]).exists()
    assert _evaluacion(esc) is None
    assert Evaluacion.history.filter(miembro_id=esc.miembros[0].pk, history_type="-").exists()

    # Issue 10: once recused, the juror is out of the practice altogether: its scoring page answers
    # 403 (it used to show the page, supports included); the list says why, with no link.
    assert client.get(_url(esc)).status_code == 403
    html = client.get(reverse("panel:jurado_calificaciones", args=[esc.convocatoria.slug])).content.decode()
    assert "Se excusó: ya no tiene acceso a esta práctica." in html and _url(esc) not in html
    assert str(SENAL) not in html

    antes = builders.foto_evaluacion()
    resp = client.post(_url(esc), _datos(esc, accion="enviar"))
    assert resp.status_code == 403
    assert builders.foto_evaluacion() == antes
    # The service says no too (for any other path).
    with pytest.raises(ErrorDominio, match="Usted se excusó de esta práctica"):
        services.evaluacion_guardar(miembro=esc.miembros[0], practica=esc.practicas[0], usuario=esc.jurados[0],
                                    puntajes={})


def test_excusa_sin_motivo_se_rechaza_junto_al_campo(client, escena):
    esc = escena
    client.force_login(esc.jurados[0])
    resp = client.post(_url(esc, "panel:jurado_excusa"), {"excusa-motivo": "  "})
    assert resp.status_code == 400
    assert resp.context["form_excusa"].errors["motivo"] == ["Escriba el motivo; queda registrado."]
    assert not Recusa.objects.exists()


def test_excusa_despues_de_enviar_la_rechaza_el_servicio(client, escena):
    esc = escena
    _enviar_propia(esc)
    client.force_login(esc.jurados[0])
    resp = client.post(_url(esc, "panel:jurado_excusa"), {"excusa-motivo": "Lo recordé tarde."})
    assert resp.status_code == 400
    assert "la excusa debe declararse antes" in resp.content.decode()
    assert not Recusa.objects.exists()


# --- reopening -----------------------------------------------------------------------------------------

def test_reabrir_exige_motivo(client, escena):
    esc = escena
    _enviar_propia(esc)
    client.force_login(esc.jurados[0])
    resp = client.post(_url(esc, "panel:jurado_reabrir"), {"reabrir-motivo": ""})
    assert resp.status_code == 400
    assert resp.context["form_reabrir"].errors["motivo"] == ["Escriba el motivo; queda registrado."]
    assert _evaluacion(esc).estado == Evaluacion.Estado.ENVIADA
    assert not Reapertura.objects.exists()


def test_reabrir_con_motivo_queda_registrado(client, escena):
    esc = escena
    _enviar_propia(esc)
    client.force_login(esc.jurados[0])
    resp = client.post(_url(esc, "panel:jurado_reabrir"), {"reabrir-motivo": "Me equivoqué en el criterio 2."})
    assert resp.status_code == 302
    ev = _evaluacion(esc)
    assert ev.estado == Evaluacion.Estado.BORRADOR and ev.total is None
    reapertura = Reapertura.objects.get(evaluacion=ev)
    assert reapertura.motivo == "Me equivoqué en el criterio 2." and reapertura.por == esc.jurados[0]
    assert ev.history.filter(estado="borrador", history_user=esc.jurados[0]).exists()
    html = client.get(_url(esc)).content.decode()
    assert "Me equivoqué en el criterio 2." in html and "Enviar calificación" in html
    # Scores typed before survive the reopening; it can be sent again.
    assert client.post(_url(esc), _datos(esc, [9] * 6, accion="enviar")).status_code == 302
    assert _evaluacion(esc).total == Decimal("9.000")


def test_reabrir_con_la_calificacion_cerrada_no_procede(client, escena, personal):
    esc = escena
    builders.calificar_todo(esc)
    services.calificacion_cerrar(convocatoria=esc.convocatoria, usuario=personal)
    client.force_login(esc.jurados[0])
    html = client.get(_url(esc)).content.decode()
    assert "Reabrir" not in html and "La calificación no está abierta" in html
    resp = client.post(_url(esc, "panel:jurado_reabrir"), {"reabrir-motivo": "Tarde."})
    assert resp.status_code == 400
    assert "cerró la calificación" in resp.content.decode()
    assert not Reapertura.objects.exists()


def test_calificar_con_la_convocatoria_fuera_de_evaluacion_no_procede(client, escena):
    esc = escena
    Convocatoria.objects.filter(pk=esc.convocatoria.pk).update(estado=Convocatoria.Estado.RESULTADOS_PUBLICADOS)
    client.force_login(esc.jurados[0])
    resp = client.post(_url(esc), _datos(esc))
    assert resp.status_code == 400
    assert "La calificación solo procede mientras la convocatoria está en evaluación." in resp.content.decode()
    assert _evaluacion(esc) is None
