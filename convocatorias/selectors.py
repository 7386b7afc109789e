from collections.abc import Callable

from django.db.models import Count, IntegerField, OuterRef, Prefetch, Q, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from core.rules import autoridades_de

from .models import Convocatoria, Criterio, DocumentoConvocatoria, MiembroJurado


def convocatorias_abiertas(ahora=None):
    ahora = ahora or timezone.now()
    return (
        Convocatoria.objects.filter(Convocatoria.q_plazo_vigente(ahora), estado=Convocatoria.Estado.ABIERTA,
                                    fecha_apertura__lte=ahora)
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


def con_detalle(queryset):
    """A call's public page: its authority, criteria, jury and documents in one go each."""
    return queryset.select_related("autoridad").prefetch_related(
        Prefetch("criterios", queryset=Criterio.objects.order_by("numero")),
        Prefetch("jurado", queryset=MiembroJurado.objects.order_by("orden", "pk")),
        "documentos",
    )


# --- what a person is related to (core.acceso looks objects up only among these) ---------------

def convocatorias_de_personal(user):
    """The calls of the authorities this person is staff of (all for a superuser): the staff panel's."""
    qs = Convocatoria.objects.select_related("autoridad")
    return qs if user.is_superuser else qs.filter(autoridad__in=autoridades_de(user))


def convocatorias_visibles(user):
    """What the public pages show this person: every call but drafts, and their own authority's drafts."""
    qs = Convocatoria.objects.select_related("autoridad")
    if user.is_superuser:
        return qs
    return qs.filter(~Q(estado=Convocatoria.Estado.BORRADOR) | Q(autoridad__in=autoridades_de(user)))


# --- the panel's list ---------------------------------------------------------------------------

def contar(modelo, filtro=None):
    """Per-call count of `modelo` rows (it has a `convocatoria` key) as a subquery: one query for the
    whole list, whatever its length."""
    qs = modelo.objects.filter(convocatoria=OuterRef("pk"))
    if filtro is not None:
        qs = qs.filter(filtro)
    qs = qs.order_by().values("convocatoria").annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(qs, output_field=IntegerField()), Value(0))


# Per-call counts that apps above this one add to the panel's list (practicas: received and
# drafts), name -> function building the expression; filled from their AppConfig.ready().
CONTEOS_DEL_PANEL: dict[str, Callable] = {}


def registrar_conteo(nombre: str, expresion: Callable) -> None:
    CONTEOS_DEL_PANEL[nombre] = expresion


def convocatorias_del_panel(user):
    return (
        convocatorias_de_personal(user)
        .annotate(
            num_criterios=contar(Criterio),
            num_jurado=contar(MiembroJurado),
            num_documentos=contar(DocumentoConvocatoria),
            **{nombre: expresion() for nombre, expresion in CONTEOS_DEL_PANEL.items()},
        )
        .order_by("-fecha_cierre", "pk")
    )
