"""Public results of a call, behind the embargo: before the results second it reveals nothing (not
even how many). The page of each recognised practice is the catalogue's (views_catalogo). Also the
evaluation part of the enlace's own practice page (`contexto_practica`)."""

from django.db.models import Prefetch
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_safe

from convocatorias.selectors import convocatorias_publicas
from core.acceso import obtener_o_rechazar
from core.cara import mostrar_autoridad

from . import selectors
from .models import Dictamen, MotivoDictamen, Reconocimiento


def estado_reconocimiento(rec: Reconocimiento | None, hoy=None) -> str:
    """vigente, vencido or revocado as of today (Reconocimiento.estado_efectivo); "" without one."""
    return "" if rec is None else rec.estado_efectivo(hoy)


@require_safe
def resultados(request, slug):
    convocatoria = obtener_o_rechazar(request.user, convocatorias_publicas().select_related("autoridad"), slug=slug)
    mostrar_autoridad(request, convocatoria.autoridad)
    ahora = timezone.now()
    visibles = selectors.resultados_visibles(convocatoria, ahora)
    dictamenes = []
    if visibles:
        hoy = timezone.localdate(ahora)
        dictamenes = list(selectors.resultados_publicos(convocatoria))
        for d in dictamenes:
            d.rec = getattr(d, "reconocimiento", None)
            d.estado_rec = estado_reconocimiento(d.rec, hoy)
    return render(request, "evaluacion/resultados.html", {
        "convocatoria": convocatoria, "visibles": visibles, "dictamenes": dictamenes,
    })


def contexto_practica(user, practica) -> dict:
    """What the practice page (practicas:detalle) shows of admissibility and the ruling, and only
    to whom it may: the admissibility result once released, the ruling once the embargo is over
    (staff of the call see it as soon as it is signed)."""
    contexto = {"admisibilidad": None, "dictamen": None}
    if practica.es_borrador:  # nothing to show yet, and no queries spent finding that out
        return contexto
    if user.has_perm("evaluacion.ver_admisibilidad", practica):
        adm = selectors.admisibilidad_de(practica)
        if adm is not None and adm.resultado != adm.Resultado.PENDIENTE:
            contexto["admisibilidad"] = adm
    if user.has_perm("evaluacion.ver_resultado", practica):
        dictamen = (
            Dictamen.objects.filter(practica=practica, estado=Dictamen.Estado.FIRMADO)
            .select_related("documento", "reconocimiento__documento")
            .prefetch_related(Prefetch("motivos", queryset=MotivoDictamen.objects.select_related("criterio")
                                       .order_by("criterio__numero")), "firmas")
            .first()
        )
        if dictamen is not None:
            rec = getattr(dictamen, "reconocimiento", None)
            contexto.update({
                "dictamen": dictamen, "dictamen_motivos": list(dictamen.motivos.all()),
                "dictamen_firmas": list(dictamen.firmas.all()), "reconocimiento": rec,
                "estado_reconocimiento": estado_reconocimiento(rec),
                "resultados_publicos": selectors.resultados_visibles(practica.convocatoria),
            })
    return contexto
