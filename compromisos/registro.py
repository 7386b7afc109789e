"""What this app plugs into core's registries and evaluacion's signals (from CoreConfig.ready())."""

from convocatorias.models import Convocatoria
from core import colas
from evaluacion import senales

from . import documento, gestion, publico, tasks  # noqa: F401 - tasks: registered with Celery before the outbox names it

TAREA_RECONOCER = "compromisos.tasks.compromisos_reconocer_task"


def _al_publicar_resultados(sender, convocatoria: Convocatoria, **kwargs) -> None:
    # In the publication's transaction: the work waits in the outbox, the publication never does.
    ids = list(convocatoria.practicas.filter(compromisos__estado="postulada").values_list("pk", flat=True).distinct())
    if ids:
        colas.encolar(TAREA_RECONOCER, ids)


def conectar() -> None:
    senales.resultados_publicados.connect(_al_publicar_resultados, dispatch_uid="compromisos_al_publicar", weak=False)
    # Each part of the app plugs in its own pieces (menu, open data, documents, report sections).
    documento.registrar()  # the «Formato carta compromiso» in core's document registry
    publico.registrar()  # the public tracker's menu entry, its dataset
    gestion.registrar()  # the enlace's and staff's pages: menu, practice page, cycle report
