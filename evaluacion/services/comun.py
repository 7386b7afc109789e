"""What every phase's services share: the call's row lock and the history author."""

from convocatorias.models import Convocatoria
from core.escritura import con_autor

Estado = Convocatoria.Estado
Fase = Convocatoria.Fase


_autor = con_autor


# simple_history's change reason is a CharField(100); the full text lives in the row it explains
# (Reapertura, SustitucionJurado, both with history).
LARGO_RAZON = 100


def _razon(obj, texto: str):
    """Give this write's history row a reason, cut to what the column holds."""
    texto = " ".join(str(texto).split())
    obj._change_reason = texto if len(texto) <= LARGO_RAZON else texto[:LARGO_RAZON - 1] + "…"
    return obj


def _bloquear_convocatoria(convocatoria) -> Convocatoria:
    return Convocatoria.objects.select_for_update().get(pk=convocatoria.pk)
