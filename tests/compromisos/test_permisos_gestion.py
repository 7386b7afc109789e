"""Permission matrix of the cartas compromiso routes (gestion): the enlace's pages
(compromisos/urls_enlace.py) and the staff's (compromisos/urls_panel_gestion.py).

Conventions (as in tests/practicas/test_permisos.py):
- a letter is related to the enlaces of the body that signs it and to the staff of the authority it
  is addressed to; anyone else gets 404 on it, its signed scan, its follow-up;
- related but not allowed (a presented letter is not edited, the body does not review): 403;
- panel: anonymous 302 to the login page, people who are not staff 403, staff of another authority 404;
- a refused POST changes nothing in the database.
"""

from functools import cached_property

import pytest
from django.urls import URLPattern, URLResolver, reverse
from django.utils import timezone

from compromisos import services, urls_enlace, urls_panel_gestion
from compromisos.models import CartaCompromiso, PracticaComprometida
from tests import factories
from tests.compromisos import builders as b
from tests.matriz import LOGIN, PERSONAS, Ruta, casos, comprobar


def E(anonimo, enlace_a, enlace_b, personal, otro_personal, jurado, su=None, *, eo=None, jo=None):  # noqa: N802
    """Expected status per persona (a table row); the superuser gets what the authority's staff get unless
    `su` says otherwise; the enlace of a body of authority 2's entity (`eo`) and the juror of authority 2's
    call (`jo`) get what enlace_b (unrelated to body A) gets unless told."""
    return dict(zip(PERSONAS, (anonimo, enlace_a, enlace_b, personal, otro_personal, jurado,
                               personal if su is None else su, enlace_b if eo is None else eo,
                               enlace_b if jo is None else jo), strict=True))


TODOS = E(LOGIN, 200, 200, 200, 200, 200)
DE_LA_CARTA = E(LOGIN, 200, 404, 200, 404, 404)  # body A's enlace and authority A's staff
NO_EDITABLE = E(LOGIN, 403, 404, 403, 404, 404)
DE_LA_CARTA_POST = E(LOGIN, 302, 404, 302, 404, 404)
PANEL_LISTA = E(LOGIN, 403, 403, 200, 200, 403)
PANEL = E(LOGIN, 403, 403, 200, 404, 403)
PANEL_POST = E(LOGIN, 403, 403, 302, 404, 403)
LA_CARTA_CAMBIA = frozenset({"enlace_a", "personal"})


class Escenario:
    """Letters of body A to authority A, built only when a route needs them."""

    def __init__(self, *, sujeto_a, enlace_a, personal, convocatoria):
        self.sujeto_a, self.enlace_a, self.personal, self.convocatoria = sujeto_a, enlace_a, personal, convocatoria

    @cached_property
    def borrador(self) -> CartaCompromiso:
        return b.borrador(self.sujeto_a, self.enlace_a)

    @cached_property
    def firmado(self) -> CartaCompromiso:
        carta = b.borrador(self.sujeto_a, self.enlace_a)
        return services.carta_adjuntar_firmada(carta=carta, usuario=self.enlace_a, archivo=b.firmada())

    @cached_property
    def presentada(self) -> CartaCompromiso:
        return b.presentada(self.sujeto_a, self.enlace_a)

    @cached_property
    def aceptada(self) -> CartaCompromiso:
        return b.aceptada(self.sujeto_a, self.enlace_a, self.personal)

    @cached_property
    def compromiso(self) -> PracticaComprometida:
        return self.aceptada.practicas.first()

    @cached_property
    def enviada(self):
        """A practice of body A submitted to authority A's call (and an accepted letter to link it to)."""
        practica = factories.PracticaFactory(convocatoria=self.convocatoria, sujeto=self.sujeto_a,
                                             creada_por=self.enlace_a)
        practica.estado, practica.folio, practica.enviada_en = "enviada", "TP-2026-001", timezone.now()
        practica.save()
        self.compromiso  # noqa: B018 - built before the request
        return practica


@pytest.fixture
def esc(autoridad, sujeto_a, enlace_a, personal, convocatoria):
    return Escenario(sujeto_a=sujeto_a, enlace_a=enlace_a, personal=personal, convocatoria=convocatoria)


def _carta_post(e, *, sujeto=True, cargo="Cargo de la matriz"):
    datos = {"firmante_nombre": "Firma de la matriz", "firmante_cargo": cargo, "fecha": "2026-11-30",
             "accion": "guardar", "practicas-TOTAL_FORMS": "1", "practicas-INITIAL_FORMS": "0",
             "practicas-MIN_NUM_FORMS": "1", "practicas-MAX_NUM_FORMS": "50",
             "practicas-0-titulo": "Padrón de beneficiarios", "practicas-0-necesidad": "Preguntan por los apoyos.",
             "practicas-0-area_responsable": "Dirección de Desarrollo Social", "practicas-0-fecha_meta": "2027-06-30"}
    if sujeto:
        datos["sujeto"] = e.sujeto_a.pk
    return datos


def _url(nombre, obj):
    return lambda e: reverse(nombre, args=[getattr(e, obj).pk])


def _estado(obj, estado):
    return lambda e: CartaCompromiso.objects.get(pk=getattr(e, obj).pk).estado == estado


RUTAS = [
    # --- the enlace's pages ----------------------------------------------------------------------------
    Ruta("mis_cartas", "compromisos:mis_cartas", lambda e: (e.borrador, reverse("compromisos:mis_cartas"))[1], TODOS),
    # Registering takes being an approved enlace (staff capture paper letters from the panel).
    Ruta("carta_nueva", "compromisos:carta_nueva", lambda e: reverse("compromisos:carta_nueva"),
         E(LOGIN, 200, 200, 403, 403, 403, su=403, eo=200, jo=403)),
    Ruta("carta_nueva-post", "compromisos:carta_nueva", lambda e: reverse("compromisos:carta_nueva"),
         E(LOGIN, 302, 400, 403, 403, 403, su=403, eo=400, jo=403), metodo="post", datos=_carta_post,
         cambian=frozenset({"enlace_a"}),
         efecto=lambda e: CartaCompromiso.objects.filter(firmante_nombre="Firma de la matriz",
                                                         sujeto=e.sujeto_a).exists()),
    Ruta("carta", "compromisos:carta", _url("compromisos:carta", "borrador"), DE_LA_CARTA),
    Ruta("carta-aceptada", "compromisos:carta", _url("compromisos:carta", "aceptada"), DE_LA_CARTA),
    Ruta("carta_editar", "compromisos:carta_editar", _url("compromisos:carta_editar", "borrador"), DE_LA_CARTA),
    Ruta("carta_editar-presentada", "compromisos:carta_editar", _url("compromisos:carta_editar", "presentada"),
         NO_EDITABLE),
    Ruta("carta_editar-post", "compromisos:carta_editar", _url("compromisos:carta_editar", "borrador"),
         DE_LA_CARTA_POST, metodo="post", datos=lambda e: _carta_post(e, sujeto=False, cargo="Cargo editado"),
         cambian=LA_CARTA_CAMBIA,
         efecto=lambda e: CartaCompromiso.objects.get(pk=e.borrador.pk).firmante_cargo == "Cargo editado"),
    Ruta("carta_editar-post-presentada", "compromisos:carta_editar", _url("compromisos:carta_editar", "presentada"),
         NO_EDITABLE, metodo="post", datos=lambda e: _carta_post(e, sujeto=False, cargo="Cargo editado")),
    Ruta("carta_firmada_subir", "compromisos:carta_firmada_subir",
         _url("compromisos:carta_firmada_subir", "borrador"), DE_LA_CARTA_POST, metodo="post",
         datos=lambda e: {"carta_firmada": b.firmada()}, cambian=LA_CARTA_CAMBIA,
         efecto=lambda e: bool(CartaCompromiso.objects.get(pk=e.borrador.pk).carta_firmada)),
    Ruta("carta_firmada_subir-presentada", "compromisos:carta_firmada_subir",
         _url("compromisos:carta_firmada_subir", "presentada"), NO_EDITABLE, metodo="post",
         datos=lambda e: {"carta_firmada": b.firmada()}),
    Ruta("carta_firmada", "compromisos:carta_firmada", _url("compromisos:carta_firmada", "presentada"),
         DE_LA_CARTA),
    Ruta("carta_firmada-sin-archivo", "compromisos:carta_firmada", _url("compromisos:carta_firmada", "borrador"),
         E(LOGIN, 404, 404, 404, 404, 404)),
    Ruta("carta_presentar", "compromisos:carta_presentar", _url("compromisos:carta_presentar", "firmado"),
         DE_LA_CARTA_POST, metodo="post", cambian=LA_CARTA_CAMBIA, efecto=_estado("firmado", "presentada")),
    Ruta("carta_presentar-aceptada", "compromisos:carta_presentar", _url("compromisos:carta_presentar", "aceptada"),
         NO_EDITABLE, metodo="post"),
    Ruta("seguimiento", "compromisos:seguimiento", _url("compromisos:seguimiento", "compromiso"), DE_LA_CARTA),
    Ruta("seguimiento-no-aceptada", "compromisos:seguimiento",
         lambda e: reverse("compromisos:seguimiento", args=[e.presentada.practicas.first().pk]), NO_EDITABLE),
    Ruta("seguimiento-post", "compromisos:seguimiento", _url("compromisos:seguimiento", "compromiso"),
         DE_LA_CARTA_POST, metodo="post", datos=lambda e: {"estado": "en_elaboracion"}, cambian=LA_CARTA_CAMBIA,
         efecto=lambda e: PracticaComprometida.objects.get(pk=e.compromiso.pk).estado == "en_elaboracion"),
    Ruta("vincular", "compromisos:vincular", _url("compromisos:vincular", "enviada"), DE_LA_CARTA_POST,
         metodo="post", datos=lambda e: {"compromiso": e.compromiso.pk}, cambian=LA_CARTA_CAMBIA,
         efecto=lambda e: PracticaComprometida.objects.get(pk=e.compromiso.pk).practica_id == e.enviada.pk),
    # --- the staff's pages -----------------------------------------------------------------------------
    Ruta("panel-cartas", "panel:cartas", lambda e: (e.presentada, reverse("panel:cartas"))[1], PANEL_LISTA),
    Ruta("panel-cartas_csv", "panel:cartas_csv", lambda e: (e.presentada, reverse("panel:cartas_csv"))[1],
         PANEL_LISTA),
    Ruta("panel-cartas_xlsx", "panel:cartas_xlsx", lambda e: (e.presentada, reverse("panel:cartas_xlsx"))[1],
         PANEL_LISTA),
    Ruta("panel-carta_nueva", "panel:carta_nueva", lambda e: reverse("panel:carta_nueva"), PANEL_LISTA),
    # Staff of another authority cannot choose this authority's body: 400.
    Ruta("panel-carta_nueva-post", "panel:carta_nueva", lambda e: reverse("panel:carta_nueva"),
         E(LOGIN, 403, 403, 302, 400, 403), metodo="post", datos=_carta_post, cambian=frozenset({"personal"}),
         efecto=lambda e: CartaCompromiso.objects.filter(firmante_nombre="Firma de la matriz",
                                                         sujeto=e.sujeto_a).exists()),
    Ruta("panel-carta", "panel:carta", _url("panel:carta", "presentada"), PANEL),
    Ruta("panel-carta_aceptar", "panel:carta_aceptar", _url("panel:carta_aceptar", "presentada"), PANEL_POST,
         metodo="post", cambian=frozenset({"personal"}), efecto=_estado("presentada", "aceptada")),
    Ruta("panel-carta_aceptar-borrador", "panel:carta_aceptar", _url("panel:carta_aceptar", "firmado"),
         E(LOGIN, 403, 403, 403, 404, 403), metodo="post"),
    Ruta("panel-carta_devolver", "panel:carta_devolver", _url("panel:carta_devolver", "presentada"), PANEL_POST,
         metodo="post", datos=lambda e: {"motivo": "Falta la firma autógrafa."}, cambian=frozenset({"personal"}),
         efecto=_estado("presentada", "devuelta")),
    Ruta("panel-carta_devolver-sin-motivo", "panel:carta_devolver", _url("panel:carta_devolver", "presentada"),
         E(LOGIN, 403, 403, 400, 404, 403), metodo="post", datos=lambda e: {"motivo": "  "}),
]


@pytest.mark.parametrize(("ruta", "persona"), list(casos(RUTAS)))
def test_permiso_por_ruta_y_persona(client, esc, personas, ruta, persona):
    comprobar(client, ruta, esc, personas[persona], persona)


def _nombres(patrones, prefijo):
    for p in patrones:
        if isinstance(p, URLResolver):
            yield from _nombres(p.url_patterns, prefijo)
        elif isinstance(p, URLPattern) and p.name:
            yield f"{prefijo}:{p.name}"


def test_la_matriz_cubre_todas_las_rutas():
    rutas = {*_nombres(urls_enlace.urlpatterns, "compromisos"), *_nombres(urls_panel_gestion.urlpatterns, "panel")}
    faltan = rutas - {r.nombre for r in RUTAS}
    assert not faltan, f"Rutas sin fila en la matriz de permisos: {sorted(faltan)}"
