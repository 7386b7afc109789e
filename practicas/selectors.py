"""Reads shared by views and the API, with their joins, so query counts do not grow with rows."""

from collections.abc import Callable

from django.db.models import Count, OuterRef, Prefetch, Q, Subquery

from convocatorias.selectors import contar, registrar_conteo
from core.models import NOMBRES_ENTIDADES, AutoridadGarante
from core.rules import autoridades_de

from .models import Acuse, Enlace, Practica, Soporte, SujetoObligado
from .rules import sujetos_de


def practicas_de_usuario(user):
    return (
        Practica.objects.filter(sujeto_id__in=sujetos_de(user))
        .select_related("convocatoria", "sujeto", "acuse")
        .annotate(num_soportes=Count("soportes"))
        .order_by("-actualizada_en")
    )


def con_detalle(queryset):
    """A practice's page: its call, body, evidence and supports in one go each."""
    return (
        queryset.select_related("convocatoria__autoridad", "sujeto__municipio", "creada_por", "enviada_por", "acuse")
        .prefetch_related(
            "evidencias__criterio",
            Prefetch("soportes", queryset=Soporte.objects.select_related("criterio").order_by("criterio__numero", "pk")),
            "convocatoria__criterios",
        )
    )


def practica_detalle(pk):
    return con_detalle(Practica.objects.all()).get(pk=pk)


# --- what a person is related to (core.acceso looks practices up only among these) --------------

# Who else is related to a practice, added by the apps above this one from their AppConfig.ready()
# (evaluacion: the jurors it was turned over to): user -> Q over Practica. The SQL twin of
# rules.registrar_lector.
_RELACIONES: list[Callable] = []


def registrar_relacion(q_de_usuario: Callable) -> None:
    if q_de_usuario not in _RELACIONES:
        _RELACIONES.append(q_de_usuario)


def practicas_relacionadas(user, queryset=None):
    """The practices `practicas.ver_practica` lets this person read, as SQL: their bodies' (approved
    enlace), their authorities' calls' (staff), and whatever the apps above add."""
    queryset = Practica.objects.all() if queryset is None else queryset
    if not user.is_authenticated:
        return queryset.none()
    if user.is_superuser:
        return queryset
    q = Q(sujeto_id__in=Enlace.objects.filter(usuario=user, estado=Enlace.Estado.APROBADO).values("sujeto_id"))
    q |= Q(convocatoria__autoridad__in=autoridades_de(user))
    for relacion in _RELACIONES:
        q |= relacion(user)
    return queryset.filter(q)


# What the apps above add to a practice's page (evaluacion: admissibility and ruling, each once
# released): functions (user, practica) -> dict merged into the page's context.
_SECCIONES_DETALLE: list[Callable] = []


def registrar_seccion_detalle(contexto_de: Callable) -> None:
    if contexto_de not in _SECCIONES_DETALLE:
        _SECCIONES_DETALLE.append(contexto_de)


def secciones_detalle(user, practica) -> dict:
    """Merged contexts; their "plantillas_detalle" (dicts with a "plantilla" the page includes, and
    its context) add up instead of replacing each other."""
    contexto = {"plantillas_detalle": []}
    for contexto_de in _SECCIONES_DETALLE:
        extra = dict(contexto_de(user, practica))
        contexto["plantillas_detalle"].extend(extra.pop("plantillas_detalle", []))
        contexto.update(extra)
    return contexto


def practicas_de_convocatoria(convocatoria, estado=None, q=""):
    """The call's practices in folio order; ``q`` narrows them to those whose folio, name or body
    (name or acronym) holds every word of it."""
    qs = (
        Practica.objects.filter(convocatoria=convocatoria)
        .select_related("sujeto", "acuse", "creada_por", "enviada_por")
        .annotate(num_soportes=Count("soportes"))
        .order_by("consecutivo", "pk")
    )
    if estado:
        qs = qs.filter(estado=estado)
    for palabra in q.split():
        qs = qs.filter(Q(folio__icontains=palabra) | Q(nombre__icontains=palabra)
                       | Q(sujeto__nombre__icontains=palabra) | Q(sujeto__siglas__icontains=palabra))
    return qs


def enlaces_de_sus_entidades(user):
    """Enlace requests of bodies in the entities of the person's authorities (all for a superuser):
    the ones they are related to, as `practicas.resolver_enlace` says."""
    qs = Enlace.objects.select_related("usuario", "sujeto")
    return qs if user.is_superuser else qs.filter(sujeto__entidad_clave__in=entidades_de(user))


def enlaces_pendientes(user=None):
    """Pending requests; for a staff member, only those of bodies in their authorities' entities."""
    qs = Enlace.objects.select_related("usuario", "sujeto") if user is None else enlaces_de_sus_entidades(user)
    return qs.filter(estado=Enlace.Estado.SOLICITADO)


def entidades_de(user):
    return autoridades_de(user).values_list("entidad_clave", flat=True)


def sujetos_de_su_jurisdiccion(user, queryset=None):
    """The bodies a staff member manages: those of the entities of their authorities (all for a
    superuser). Another authority's bodies are never theirs to list, edit or import (404)."""
    queryset = SujetoObligado.objects.all() if queryset is None else queryset
    if not user.is_authenticated:
        return queryset.none()
    return queryset if user.is_superuser else queryset.filter(entidad_clave__in=entidades_de(user))


def entidades_gestionables(user) -> list[str]:
    """The entity keys (INEGI, two digits) whose bodies this person manages, in order."""
    if user.is_superuser:
        return sorted(NOMBRES_ENTIDADES)
    return sorted(set(autoridades_de(user).exclude(entidad_clave="").values_list("entidad_clave", flat=True)))


# --- the authority of a body, for the public data ---------------------------------------------------

def sujetos_de_autoridad(queryset, autoridad):
    """The bodies under an authority's jurisdiction: those of its entidad (none if it names none)."""
    if not autoridad.entidad_clave:
        return queryset.none()
    return queryset.filter(entidad_clave=autoridad.entidad_clave)


def con_autoridad(queryset):
    """Each body with the authority of its entidad (the first one, if two share it) as
    `autoridad_siglas`, `autoridad_nombre` and `autoridad_slug`, None where no authority serves it:
    subqueries, so the list stays one query."""
    de_su_entidad = AutoridadGarante.objects.filter(entidad_clave=OuterRef("entidad_clave")).order_by("pk")
    return queryset.annotate(**{f"autoridad_{campo}": Subquery(de_su_entidad.values(campo)[:1])
                                for campo in ("siglas", "nombre", "slug")})


def acuses_fallidos_para(user):
    qs = Acuse.objects.filter(estado_pdf=Acuse.Estado.FALLIDA).select_related("practica__sujeto", "practica__convocatoria")
    if not user.is_superuser:
        qs = qs.filter(practica__convocatoria__autoridad__in=autoridades_de(user))
    return qs


def resumen_por_estado(convocatoria):
    return Practica.objects.filter(convocatoria=convocatoria).aggregate(
        borradores=Count("pk", filter=Q(estado=Practica.Estado.BORRADOR)),
        enviadas=Count("pk", filter=Q(estado=Practica.Estado.ENVIADA)),
        retiradas=Count("pk", filter=Q(estado=Practica.Estado.RETIRADA)),
    )


def destinatarios_de(practica) -> list[str]:
    """Who hears about a practice: the body's approved enlaces and the practice's contact.
    (For a paper submission the creator is staff, so the creator alone is not enough.)"""
    correos = set(
        Enlace.objects.filter(sujeto_id=practica.sujeto_id, estado=Enlace.Estado.APROBADO)
        .values_list("usuario__email", flat=True)
    )
    if practica.contacto_correo:
        correos.add(practica.contacto_correo.lower())
    if not correos:
        correos.add(practica.creada_por.email)
    return sorted(correos)


# --- per-call counts on the calls' panel list (registered into convocatorias.selectors) ---------

def num_recibidas():
    return contar(Practica, ~Q(estado=Practica.Estado.BORRADOR))


def num_borradores():
    return contar(Practica, Q(estado=Practica.Estado.BORRADOR))


def conectar() -> None:
    """The calls' panel list (convocatorias, an app below this one) shows these counts too."""
    registrar_conteo("num_recibidas", num_recibidas)
    registrar_conteo("num_borradores", num_borradores)
