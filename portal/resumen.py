"""The staff home's overview of each call: how many practices were received, admitted, scored and
signed, and how many days are left to its next date — a handful of subqueries for the whole list,
whatever its length."""

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Count, IntegerField, OuterRef, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from convocatorias.models import Convocatoria
from evaluacion.models import Admisibilidad, Dictamen, Evaluacion
from practicas.models import Practica


def _contar(qs: QuerySet, campo_convocatoria: str) -> Coalesce:
    """COUNT(*) of `qs` rows of each call, as a correlated subquery."""
    sub = (qs.filter(**{campo_convocatoria: OuterRef("pk")}).order_by().values(campo_convocatoria)
           .annotate(n=Count("pk")).values("n"))
    return Coalesce(Subquery(sub, output_field=IntegerField()), Value(0))


def con_conteos(convocatorias: QuerySet) -> QuerySet:
    return convocatorias.annotate(
        n_recibidas=_contar(Practica.objects.filter(folio__isnull=False), "convocatoria"),
        n_admitidas=_contar(Admisibilidad.objects.filter(resultado=Admisibilidad.Resultado.ADMITIDA),
                            "practica__convocatoria"),
        n_calificaciones=_contar(Evaluacion.objects.filter(estado=Evaluacion.Estado.ENVIADA), "practica__convocatoria"),
        n_firmados=_contar(Dictamen.objects.filter(estado=Dictamen.Estado.FIRMADO), "practica__convocatoria"),
    )


@dataclass(frozen=True)
class Proxima:
    """The call's next date and the whole days left to it (0 on the day itself)."""

    que: str
    fecha: datetime
    dias: int


def proxima_fecha(conv: Convocatoria, ahora: datetime | None = None) -> Proxima | None:
    ahora = ahora or timezone.now()
    estado = conv.estado_efectivo(ahora)
    if estado == Convocatoria.Estado.ABIERTA and conv.fecha_cierre > ahora:
        que, fecha = "cierre", conv.fecha_cierre
    elif estado != Convocatoria.Estado.RESULTADOS_PUBLICADOS and conv.fecha_resultados > ahora and \
            estado != Convocatoria.Estado.BORRADOR:
        que, fecha = "resultados", conv.fecha_resultados
    else:
        return None
    dias = (timezone.localdate(fecha) - timezone.localdate(ahora)).days
    return Proxima(que=que, fecha=fecha, dias=dias)


def porcentaje(parte: int, total: int) -> int:
    return round(100 * parte / total) if total else 0
