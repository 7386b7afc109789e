"""What the judging screens share: admissibility (staff, views_admisibilidad), scoring (jurors,
views_jurado) and the jury's dashboard (both, views_tablero), in the panel.

Every view looks the call up with core.acceso among the calls the person judges or manages
(selectors.convocatorias_relacionadas) and checks its permission with rules:
- anonymous: login page;
- someone tied to the call (staff of its authority, a member of its jury) without the permission: 403;
- staff of another authority and jurors of other calls: 404, so slugs and ids cannot be probed;
- anyone else with a session (an enlace): 403.
A juror never sees other members' scores of a practice before submitting their own, nor any of a
practice they recused from: selectors.puntajes_visibles says so once, for the page and the CSV alike."""

from convocatorias.models import Convocatoria
from core.acceso import obtener_o_rechazar

from . import selectors

Estado = Convocatoria.Estado
Fase = Convocatoria.Fase


def _convocatoria(request, slug, perm) -> Convocatoria:
    return obtener_o_rechazar(request.user, selectors.convocatorias_relacionadas(request.user), perm,
                              puerta="evaluacion.acceder", slug=slug)


def _turnada(convocatoria) -> bool:
    """Practices reach the jury only once admissibility is closed (cerrada → en evaluación)."""
    return convocatoria.estado in (Estado.EN_EVALUACION, Estado.RESULTADOS_PUBLICADOS)


def _fase_calificacion_abierta(convocatoria) -> bool:
    return convocatoria.calificacion_abierta


def _navegacion(request, convocatoria, *, verificar=None, calificar=None) -> dict:
    """Which of this call's judging pages the person may open (for the page's sub-navigation);
    what the view already knows is passed in rather than asked again."""
    user = request.user
    return {
        "puede_verificar": user.has_perm("evaluacion.verificar_requisitos", convocatoria)
        if verificar is None else verificar,
        "puede_calificar": user.has_perm("evaluacion.calificar", convocatoria) if calificar is None else calificar,
    }
