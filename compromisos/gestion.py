"""What the enlace's and staff's part of cartas compromiso plugs into the apps below it (from
registro.conectar()): the account menu entry, a card on a submitted practice's page to link it to a
commitment, and a section of the awareness-sessions cycle report."""

from django.utils.translation import gettext_lazy as _

from core import menu
from jornadas import informe
from practicas import selectors as practicas_selectors
from practicas.rules import sujetos_de

from . import selectors, selectors_gestion
from .forms_gestion import VincularForm
from .models import CartaCompromiso, PracticaComprometida

PLANTILLA_VINCULO = "compromisos/gestion/_vincular_practica.html"
PLANTILLA_INFORME = "compromisos/gestion/_informe_ciclo.html"


def contexto_practica(user, practica) -> dict:
    """On a submitted practice's page, for its enlaces and its authority's staff: the commitments
    it already fulfils and a form to link it to an open one."""
    if practica.estado != practica.Estado.ENVIADA:
        return {}
    if practica.sujeto_id not in sujetos_de(user) and not user.has_perm("practicas.gestionar_practicas",
                                                                         practica.convocatoria):
        return {}
    vinculados = list(PracticaComprometida.objects.filter(practica=practica).select_related("carta"))
    abiertos = selectors_gestion.compromisos_vinculables(user, practica).filter(
        carta__in=selectors.cartas_relacionadas(user))
    opciones = list(abiertos)
    if not vinculados and not opciones:
        return {}
    return {"plantillas_detalle": [{
        "plantilla": PLANTILLA_VINCULO, "practica": practica, "vinculados": vinculados,
        "form": VincularForm(compromisos=abiertos) if opciones else None,
    }]}


def seccion_informe(ciclo) -> dict | None:
    """The commitments gathered in the cycle: letters its authority accepted, dated in its year."""
    cartas = CartaCompromiso.objects.filter(autoridad_id=ciclo.autoridad_id, estado=CartaCompromiso.Estado.ACEPTADA,
                                            fecha__year=ciclo.anio)
    por_sujeto = list(selectors_gestion.con_conteos(cartas).values_list("sujeto__nombre", "num_practicas",
                                                                        "num_publicadas", "num_reconocidas")
                      .order_by("sujeto__nombre", "pk"))
    if not por_sujeto:
        return None
    totales = selectors.totales(selectors.comprometidas_publicas().filter(carta__in=cartas.values("pk")))
    filas = [{"sujeto": s, "comprometidas": c, "publicadas": p, "reconocidas": r} for s, c, p, r in por_sujeto]
    return {
        "plantilla": PLANTILLA_INFORME, "filas": filas, "totales": totales,
        "instituciones": len({f["sujeto"] for f in filas}),
        "huella": [por_sujeto, totales],
    }


def registrar() -> None:
    menu.registrar_entrada(menu.Entrada(_("Mis cartas compromiso"), "compromisos:mis_cartas", orden=12,
                                        seccion=menu.CUENTA, rol="es_enlace"))
    practicas_selectors.registrar_seccion_detalle(contexto_practica)
    informe.registrar_seccion(seccion_informe)
