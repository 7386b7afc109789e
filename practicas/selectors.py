"""Reads shared by views and the API, with their joins, so query counts do not grow with rows."""

from django.db.models import Count, Prefetch, Q

from .models import Acuse, Enlace, Practica, Soporte
from .rules import sujetos_de


def practicas_de_usuario(user):
    return (
        Practica.objects.filter(sujeto_id__in=sujetos_de(user))
        .select_related("convocatoria", "sujeto", "acuse")
        .annotate(num_soportes=Count("soportes"))
        .order_by("-actualizada_en")
    )


def practica_detalle(pk):
    return (
        Practica.objects.select_related("convocatoria__autoridad", "sujeto__municipio", "creada_por", "acuse")
        .prefetch_related(
            "evidencias__criterio",
            Prefetch("soportes", queryset=Soporte.objects.select_related("criterio").order_by("criterio__numero", "pk")),
            "convocatoria__criterios",
        )
        .get(pk=pk)
    )


def practicas_de_convocatoria(convocatoria, estado=None):
    qs = (
        Practica.objects.filter(convocatoria=convocatoria)
        .select_related("sujeto", "acuse", "creada_por")
        .annotate(num_soportes=Count("soportes"))
        .order_by("consecutivo", "pk")
    )
    if estado:
        qs = qs.filter(estado=estado)
    return qs


def enlaces_pendientes(user=None):
    """Pending requests; for a staff member, only those of bodies in their authorities' entities."""
    qs = Enlace.objects.filter(estado=Enlace.Estado.SOLICITADO).select_related("usuario", "sujeto")
    if user is not None and not user.is_superuser:
        qs = qs.filter(sujeto__entidad_clave__in=entidades_de(user))
    return qs


def entidades_de(user):
    from core.models import AutoridadGarante

    return AutoridadGarante.objects.filter(personal__usuario=user).values_list("entidad_clave", flat=True)


def acuses_fallidos_para(user):
    qs = Acuse.objects.filter(estado_pdf=Acuse.Estado.FALLIDA).select_related("practica__sujeto", "practica__convocatoria")
    if not user.is_superuser:
        qs = qs.filter(practica__convocatoria__autoridad__personal__usuario=user)
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
