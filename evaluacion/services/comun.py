"""What every phase's services share: the call's row lock and the history author."""

from convocatorias.models import Convocatoria
from core.models import Usuario

Estado = Convocatoria.Estado
Fase = Convocatoria.Fase


def _autor(obj, usuario: Usuario | None):
    if usuario is not None:
        obj._history_user = usuario
    return obj


def _bloquear_convocatoria(convocatoria) -> Convocatoria:
    return Convocatoria.objects.select_for_update().get(pk=convocatoria.pk)
