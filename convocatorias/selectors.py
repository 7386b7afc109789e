from django.db.models import Prefetch
from django.utils import timezone

from .models import Convocatoria, Criterio, MiembroJurado


def convocatorias_abiertas(ahora=None):
    ahora = ahora or timezone.now()
    return (
        Convocatoria.objects.filter(estado=Convocatoria.Estado.ABIERTA, fecha_apertura__lte=ahora,
                                    fecha_cierre__gte=ahora)
        .select_related("autoridad")
        .prefetch_related(Prefetch("criterios", queryset=Criterio.objects.order_by("numero")))
        .order_by("fecha_cierre")
    )


def convocatorias_publicas():
    """Every call the public may see (all but drafts), newest first."""
    return (
        Convocatoria.objects.exclude(estado=Convocatoria.Estado.BORRADOR)
        .select_related("autoridad")
        .order_by("-fecha_cierre")
    )


def convocatoria_detalle(slug):
    return (
        Convocatoria.objects.select_related("autoridad")
        .prefetch_related(
            Prefetch("criterios", queryset=Criterio.objects.order_by("numero")),
            Prefetch("jurado", queryset=MiembroJurado.objects.order_by("orden", "pk")),
            "documentos",
        )
        .get(slug=slug)
    )
