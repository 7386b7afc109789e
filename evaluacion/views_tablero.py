"""The jury's dashboard (staff and jurors), its CSV and closing the scoring; access and score
masking as described in views_comun."""

import csv

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST, require_safe

from core import listas
from core.acceso import obtener_o_rechazar
from core.errors import ErrorDominio

from . import selectors, services
from .views_comun import _convocatoria, _fase_calificacion_abierta, _turnada

ORDENES = {
    "posicion": gettext_lazy("Posición"),
    "total": gettext_lazy("Calificación"),
    "dispersion": gettext_lazy("Dispersión"),
    "folio": gettext_lazy("Folio"),
}


def _ordenar_y_filtrar(filas, orden, solo_desacuerdo, solo_incompletas):
    if solo_desacuerdo:
        filas = [f for f in filas if f.desacuerdo]
    if solo_incompletas:
        filas = [f for f in filas if f.incompleta]

    def folio(f):
        return f.practica.consecutivo or 0

    if orden == "folio":
        return sorted(filas, key=folio)
    if orden == "total":
        return sorted(filas, key=lambda f: (f.resumen.get("media") is None, -(f.resumen.get("media") or 0), folio(f)))
    if orden == "dispersion":
        return sorted(filas, key=lambda f: (f.resumen.get("desviacion") is None, -(f.resumen.get("desviacion") or 0),
                                            folio(f)))
    # Ranking as the selector orders it; rows the viewer cannot see go last, by folio.
    return sorted(filas, key=lambda f: (not f.visible, 0 if f.visible else folio(f)))


def _tablero_contexto(request, slug):
    convocatoria = _convocatoria(request, slug, "evaluacion.ver_tablero")
    es_personal_de_conv = request.user.has_perm("evaluacion.verificar_requisitos", convocatoria)
    # A juror sees the dashboard as a juror even if they are also staff: masked until they submit.
    miembro = selectors.miembro_de(request.user, convocatoria)
    if miembro is not None:
        miembro.convocatoria = convocatoria
    orden = request.GET.get("orden") if request.GET.get("orden") in ORDENES else "posicion"
    solo_desacuerdo = request.GET.get("desacuerdo") == "1"
    solo_incompletas = request.GET.get("incompletas") == "1"
    contexto = {
        "convocatoria": convocatoria, "miembro": miembro, "turnada": _turnada(convocatoria),
        "orden": orden, "ordenes": ORDENES, "solo_desacuerdo": solo_desacuerdo,
        "solo_incompletas": solo_incompletas, "seccion": "tablero",
        "puede_verificar": es_personal_de_conv, "puede_calificar": miembro is not None,
    }
    if not contexto["turnada"]:
        return contexto
    tablero = selectors.tablero(convocatoria, con_motivos=False)
    todas = selectors.tablero_visible(tablero, miembro)
    progreso_miembros = []
    for m in tablero.miembros:
        p = tablero.progreso_miembro[m.pk]
        progreso_miembros.append({
            "miembro": m, "enviadas": p["enviadas"], "esperadas": p["esperadas"],
            "porcentaje": round(100 * p["enviadas"] / p["esperadas"]) if p["esperadas"] else 0,
            "excusas": sum(1 for f in todas if f.fila.estado_por_miembro.get(m.pk) == "recusa"),
        })
    contexto.update({
        "tablero": tablero, "filas": _ordenar_y_filtrar(todas, orden, solo_desacuerdo, solo_incompletas),
        "total_filas": len(todas), "progreso": tablero.progreso, "progreso_miembros": progreso_miembros,
        "hay_ocultas": any(not f.visible for f in todas),
        "columnas_ocultas": len(tablero.criterios) + 4,
        "columnas_total": len(tablero.criterios) + len(tablero.miembros) + 10,
        "puede_cerrar": request.user.has_perm("evaluacion.cerrar_calificacion", convocatoria)
        and _fase_calificacion_abierta(convocatoria),
    })
    return contexto


@login_required
@require_safe
def tablero(request, slug):
    return render(request, "panel/evaluacion/tablero.html", _tablero_contexto(request, slug))


@login_required
@require_safe
def tablero_csv(request, slug):
    contexto = _tablero_contexto(request, slug)
    convocatoria = contexto["convocatoria"]
    respuesta = HttpResponse(content_type="text/csv; charset=utf-8")
    nombre = f"tablero-{slugify(convocatoria.slug)}-{timezone.localdate():%Y%m%d}.csv"
    respuesta["Content-Disposition"] = f'attachment; filename="{nombre}"'
    respuesta["Cache-Control"] = "private, no-store"
    respuesta.write("\ufeff")  # BOM, so Excel opens it as UTF-8 (as the sessions' CSVs do)
    escritor = csv.writer(respuesta)
    tablero = contexto.get("tablero")
    criterios = tablero.criterios if tablero else list(convocatoria.criterios.order_by("numero"))
    miembros = tablero.miembros if tablero else []
    escritor.writerow([
        _("Posición"), _("Folio"), _("Práctica"), _("Sujeto obligado"),
        *[_("Criterio %(n)s (media)") % {"n": c.numero} for c in criterios],
        _("Calificación (media)"), _("Mediana"), _("Desviación estándar"), _("Rango"),
        _("Calificaciones enviadas"), _("Calificaciones esperadas"), _("Excusas"), _("Desacuerdo"),
        *[_("Total de %(m)s") % {"m": m} for m in miembros],
    ])
    for f in contexto.get("filas", []):
        # A member's total, or their status when there is none to show this viewer.
        por_miembro = [c.total if c.total is not None else selectors.texto_estado(c.estado) for c in f.celdas]
        escritor.writerow([listas.celda_segura(v) for v in [
            f.posicion, f.practica.folio, f.practica.nombre, f.practica.sujeto.nombre, *f.medias,
            f.resumen.get("media"), f.resumen.get("mediana"), f.resumen.get("desviacion"), f.resumen.get("rango"),
            f.enviadas, f.esperadas, f.excusas,
            (_("Sí") if f.desacuerdo else _("No")) if f.visible else "",
            *por_miembro,
        ]])
    return respuesta


@login_required
@require_POST
def calificacion_cerrar(request, slug):
    convocatoria = _convocatoria(request, slug, "evaluacion.cerrar_calificacion")
    try:
        services.calificacion_cerrar(convocatoria=convocatoria, usuario=request.user)
    except ErrorDominio as exc:
        messages.error(request, exc.mensaje)
    else:
        messages.success(request, _("Calificación cerrada. Se prepararon los proyectos de dictamen de cada práctica."))
    return redirect("panel:tablero", slug=convocatoria.slug)


@login_required
@require_safe
def historial(request, slug, pk):
    """A practice's scores history for the call's staff: every score written and changed, each
    reopening with its reason, recusals and replacements (voided scores included)."""
    convocatoria = _convocatoria(request, slug, "evaluacion.ver_historial_calificaciones")
    if not _turnada(convocatoria):
        raise Http404
    practica = obtener_o_rechazar(request.user, selectors.practicas_preseleccionadas(convocatoria), pk=pk)
    practica.convocatoria = convocatoria
    return render(request, "panel/evaluacion/historial.html", {
        "convocatoria": convocatoria, "practica": practica, "seccion": "tablero",
        "historial": selectors.historial_calificaciones(practica),
        "puede_verificar": True, "puede_calificar": selectors.miembro_de(request.user, convocatoria) is not None,
    })
