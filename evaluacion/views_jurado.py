"""Admissibility (staff), scoring (jurors) and the jury's dashboard (both), in the panel.

Every view looks the call up with core.acceso among the calls the person judges or manages
(selectors.convocatorias_relacionadas) and checks its permission with rules:
- anonymous: login page;
- someone tied to the call (staff of its authority, a member of its jury) without the permission: 403;
- staff of another authority and jurors of other calls: 404, so slugs and ids cannot be probed;
- anyone else with a session (an enlace): 403.
A juror never sees other members' scores of a practice before submitting their own, nor any of a
practice they recused from: selectors.puntajes_visibles says so once, for the page and the CSV alike."""

import csv

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from convocatorias.models import Convocatoria, MiembroJurado
from core.acceso import obtener_o_rechazar
from core.errors import ErrorDominio
from practicas.models import Practica

from . import calculo, selectors, services
from .forms import AdmisibilidadForm, CalificacionForm, MotivoForm
from .models import Admisibilidad, Evaluacion, Recusa

Estado = Convocatoria.Estado


def _convocatoria(request, slug, perm) -> Convocatoria:
    return obtener_o_rechazar(request.user, selectors.convocatorias_relacionadas(request.user), perm,
                              puerta="evaluacion.acceder", slug=slug)


def _turnada(convocatoria) -> bool:
    """Practices reach the jury only once admissibility is closed (cerrada → en evaluación)."""
    return convocatoria.estado in (Estado.EN_EVALUACION, Estado.RESULTADOS_PUBLICADOS)


def _fase_calificacion_abierta(convocatoria) -> bool:
    return convocatoria.calificacion_abierta


def _navegacion(request, convocatoria, *, verificar=None, calificar=None) -> dict:
    """Which of this call's judging pages the person may open (for the page's sub-navigation);
    what the view already knows is passed in rather than asked again."""
    user = request.user
    return {
        "puede_verificar": user.has_perm("evaluacion.verificar_requisitos", convocatoria)
        if verificar is None else verificar,
        "puede_calificar": user.has_perm("evaluacion.calificar", convocatoria) if calificar is None else calificar,
    }


# --- verificación de requisitos ------------------------------------------------------------------

def _progreso_admisibilidad(practicas) -> dict:
    total = len(practicas)
    verificadas = admitidas = preseleccionadas = 0
    for p in practicas:
        adm = getattr(p, "admisibilidad", None)
        if adm is None or adm.resultado == Admisibilidad.Resultado.PENDIENTE:
            continue
        verificadas += 1
        admitidas += adm.resultado == Admisibilidad.Resultado.ADMITIDA
        preseleccionadas += adm.preseleccionada
    return {"total": total, "verificadas": verificadas, "admitidas": admitidas,
            "no_admitidas": verificadas - admitidas, "preseleccionadas": preseleccionadas,
            "porcentaje": round(100 * verificadas / total) if total else 0}


@login_required
@require_GET
def admisibilidad(request, slug):
    convocatoria = _convocatoria(request, slug, "evaluacion.verificar_requisitos")
    practicas = list(selectors.admisibilidades(convocatoria))
    contexto = {
        "convocatoria": convocatoria, "practicas": practicas, "progreso": _progreso_admisibilidad(practicas),
        "editable": convocatoria.estado == Estado.CERRADA, "seccion": "admisibilidad",
        **_navegacion(request, convocatoria, verificar=True),
    }
    return render(request, "panel/evaluacion/admisibilidad_lista.html", contexto)


def _practica_enviada(request, convocatoria, pk) -> Practica:
    practica = obtener_o_rechazar(
        request.user, Practica.objects.select_related("sujeto").prefetch_related("soportes__criterio"),
        pk=pk, convocatoria=convocatoria, estado=Practica.Estado.ENVIADA,
    )
    practica.convocatoria = convocatoria
    return practica


@login_required
@require_http_methods(["GET", "POST"])
def admisibilidad_practica(request, slug, pk):
    convocatoria = _convocatoria(request, slug, "evaluacion.verificar_requisitos")
    practica = _practica_enviada(request, convocatoria, pk)
    adm = selectors.admisibilidad_de(practica)
    if adm is not None:
        requisitos = [(r.clave, r.texto, r.cumple, r.observacion) for r in adm.requisitos.all()]
    else:
        requisitos = [(clave, texto, None, "") for clave, texto in services.requisitos_de(convocatoria)]
    inicial = {}
    if adm is not None and adm.resultado != Admisibilidad.Resultado.PENDIENTE:
        inicial = {"resultado": adm.resultado, "motivos": adm.motivos}
    editable = convocatoria.estado == Estado.CERRADA
    status = 200
    if request.method == "POST":
        form = AdmisibilidadForm(request.POST, requisitos=requisitos, initial=inicial)
        if form.is_valid():
            try:
                adm = services.admisibilidad_registrar(
                    practica=practica, usuario=request.user, requisitos=form.requisitos_limpios(),
                    resultado=form.cleaned_data["resultado"], motivos=form.cleaned_data["motivos"],
                )
            except ErrorDominio as exc:
                form.add_error(exc.campo if exc.campo in form.fields else None, exc.mensaje)
            else:
                messages.success(request, _("Verificación de %(f)s guardada: %(r)s.")
                                 % {"f": practica.folio, "r": adm.get_resultado_display()})
                return redirect("panel:admisibilidad", slug=convocatoria.slug)
        status = 400
    else:
        form = AdmisibilidadForm(requisitos=requisitos, initial=inicial, solo_lectura=not editable)
    contexto = {
        "convocatoria": convocatoria, "practica": practica, "admisibilidad": adm, "form": form,
        "editable": editable, "soportes": list(practica.soportes.all()), "seccion": "admisibilidad",
        **_navegacion(request, convocatoria, verificar=True),
    }
    return render(request, "panel/evaluacion/admisibilidad_practica.html", contexto, status=status)


@login_required
@require_POST
def preseleccion(request, slug, pk):
    """Turn an admitted practice over to the jury or take it back (htmx swaps the row; without
    JavaScript the list reloads)."""
    convocatoria = _convocatoria(request, slug, "evaluacion.verificar_requisitos")
    practica = _practica_enviada(request, convocatoria, pk)
    adm = obtener_o_rechazar(request.user, Admisibilidad, practica=practica)
    error = None
    try:
        adm = services.preseleccion_cambiar(admisibilidad=adm, usuario=request.user,
                                            preseleccionada=request.POST.get("preseleccionada") == "1")
    except ErrorDominio as exc:
        error = exc.mensaje
    if request.htmx:
        practica.admisibilidad = adm
        return render(request, "panel/evaluacion/admisibilidad_fila.html", {
            "convocatoria": convocatoria, "p": practica, "editable": convocatoria.estado == Estado.CERRADA,
            "error": error,
        }, status=400 if error else 200)
    if error:
        messages.error(request, error)
    elif adm.preseleccionada:
        messages.success(request, _("%(f)s se turnará al jurado.") % {"f": practica.folio})
    else:
        messages.success(request, _("%(f)s ya no se turnará al jurado.") % {"f": practica.folio})
    return redirect("panel:admisibilidad", slug=convocatoria.slug)


@login_required
@require_POST
def admisibilidad_cerrar(request, slug):
    convocatoria = _convocatoria(request, slug, "evaluacion.verificar_requisitos")
    try:
        convocatoria = services.admisibilidad_cerrar(convocatoria=convocatoria, usuario=request.user)
    except ErrorDominio as exc:
        messages.error(request, exc.mensaje)
        return redirect("panel:admisibilidad", slug=convocatoria.slug)
    messages.success(request, _("Verificación cerrada: los sujetos obligados ya pueden consultar su resultado y "
                                "las prácticas preseleccionadas se turnaron al jurado."))
    return redirect("panel:tablero", slug=convocatoria.slug)


# --- jurado --------------------------------------------------------------------------------------

@login_required
@require_GET
def jurado_inicio(request):
    """The calls where this person sits on the jury."""
    miembros = list(
        MiembroJurado.objects.filter(usuario=request.user).select_related("convocatoria__autoridad")
        .order_by("-convocatoria__fecha_cierre", "pk")
    )
    if not miembros:
        raise PermissionDenied
    return render(request, "panel/evaluacion/jurado_inicio.html", {"miembros": miembros})


def _miembro(request, convocatoria) -> MiembroJurado:
    miembro = selectors.miembro_de(request.user, convocatoria)
    if miembro is None:  # the permission said juror; a race with a jury change says otherwise
        raise PermissionDenied
    miembro.convocatoria = convocatoria
    return miembro


ESTADOS_PROPIOS = {
    "pendiente": gettext_lazy("Pendiente"),
    "borrador": gettext_lazy("En captura"),
    "enviada": gettext_lazy("Enviada"),
    "recusa": gettext_lazy("Excusa"),
}


def _estado_propio(practica) -> str:
    if practica.me_recuse:
        return "recusa"
    return practica.mi_evaluacion.estado if practica.mi_evaluacion else "pendiente"


@login_required
@require_GET
def jurado_calificaciones(request, slug):
    """Mis calificaciones: the practices turned over to this juror, with their own status."""
    convocatoria = _convocatoria(request, slug, "evaluacion.calificar")
    miembro = _miembro(request, convocatoria)
    practicas = selectors.asignadas_a(miembro) if _turnada(convocatoria) else []
    conteo = dict.fromkeys(ESTADOS_PROPIOS, 0)
    for p in practicas:
        p.estado_propio = _estado_propio(p)
        p.estado_propio_texto = ESTADOS_PROPIOS[p.estado_propio]
        conteo[p.estado_propio] += 1
    esperadas = len(practicas) - conteo["recusa"]
    contexto = {
        "convocatoria": convocatoria, "miembro": miembro, "practicas": practicas, "turnada": _turnada(convocatoria),
        "conteo": conteo, "esperadas": esperadas,
        "porcentaje": round(100 * conteo["enviada"] / esperadas) if esperadas else 0,
        "fase_abierta": _fase_calificacion_abierta(convocatoria), "seccion": "calificaciones",
        **_navegacion(request, convocatoria, calificar=True),
    }
    return render(request, "panel/evaluacion/jurado_calificaciones.html", contexto)


def _practica_asignada(request, convocatoria, pk) -> Practica:
    if not _turnada(convocatoria):
        raise Http404
    practica = obtener_o_rechazar(
        request.user, selectors.practicas_preseleccionadas(convocatoria).prefetch_related("soportes__criterio"), pk=pk)
    practica.convocatoria = convocatoria
    return practica


def _pagina_calificar(request, convocatoria, miembro, practica, *, form=None, form_excusa=None,
                      form_reabrir=None, status=200):
    criterios = list(convocatoria.criterios.order_by("numero"))
    evaluacion = (Evaluacion.objects.filter(miembro=miembro, practica=practica)
                  .prefetch_related("calificaciones", "reaperturas").first())
    recusa = Recusa.objects.filter(miembro=miembro, practica=practica).first()
    enviada = evaluacion is not None and evaluacion.estado == Evaluacion.Estado.ENVIADA
    fase_abierta = _fase_calificacion_abierta(convocatoria)
    if form is None:
        inicial = {}
        if evaluacion is not None:
            for cal in evaluacion.calificaciones.all():
                inicial[f"puntaje_{cal.criterio_id}"] = cal.puntaje
                inicial[f"motivo_{cal.criterio_id}"] = cal.motivo
        form = CalificacionForm(convocatoria=convocatoria, criterios=criterios, initial=inicial,
                                solo_lectura=enviada or recusa is not None or not fase_abierta)
    evidencias = {e.criterio_id: e.texto for e in practica.evidencias.all()}
    for c in form.criterios:
        c.evidencia = evidencias.get(c.pk, "")
    form_excusa = form_excusa or MotivoForm(etiqueta=_("Motivo del conflicto de interés"), prefix="excusa")
    form_reabrir = form_reabrir or MotivoForm(etiqueta=_("Motivo de la reapertura"), prefix="reabrir")
    # Others' scores: only once this juror's own are submitted, never for a practice they recused from.
    otras = selectors.calificaciones_visibles(practica, miembro, evaluacion, recusa)
    resumen = calculo.resumen([e.total for e in otras]) if otras else None
    for e in otras:
        por_criterio = {c.criterio_id: c for c in e.calificaciones.all()}
        e.celdas = [por_criterio.get(c.pk) for c in criterios]
        e.es_propia = e.miembro_id == miembro.pk
    contexto = {
        "convocatoria": convocatoria, "miembro": miembro, "practica": practica, "criterios": criterios,
        "evaluacion": evaluacion, "recusa": recusa, "enviada": enviada, "fase_abierta": fase_abierta,
        "form": form, "form_excusa": form_excusa, "form_reabrir": form_reabrir,
        "otras": otras, "resumen": resumen, "soportes": list(practica.soportes.all()),
        "seccion": "calificaciones", **_navegacion(request, convocatoria, calificar=True),
    }
    return render(request, "panel/evaluacion/jurado_calificar.html", contexto, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def jurado_calificar(request, slug, pk):
    convocatoria = _convocatoria(request, slug, "evaluacion.calificar")
    miembro = _miembro(request, convocatoria)
    practica = _practica_asignada(request, convocatoria, pk)
    if request.method == "GET":
        return _pagina_calificar(request, convocatoria, miembro, practica)

    criterios = list(convocatoria.criterios.order_by("numero"))
    enviar = request.POST.get("accion") == "enviar"
    form = CalificacionForm(request.POST, convocatoria=convocatoria, criterios=criterios)
    if not form.is_valid():
        # Nothing is saved; everything typed comes back with the error next to its field.
        form.add_error(None, _("No se guardó: corrija los campos marcados."))
        return _pagina_calificar(request, convocatoria, miembro, practica, form=form, status=400)
    try:
        evaluacion = services.evaluacion_guardar(miembro=miembro, practica=practica, usuario=request.user,
                                                 puntajes=form.puntajes())
    except ErrorDominio as exc:
        form.error_de_dominio(exc)
        return _pagina_calificar(request, convocatoria, miembro, practica, form=form, status=400)
    if not enviar:
        messages.success(request, _("Borrador guardado. Puede volver a él cuando quiera antes de enviarlo."))
        return redirect("panel:jurado_calificar", slug=convocatoria.slug, pk=practica.pk)

    completa = CalificacionForm(request.POST, convocatoria=convocatoria, criterios=criterios, completa=True)
    if not completa.is_valid():
        completa.add_error(None, _("Se guardó como borrador. Para enviar, complete lo marcado."))
        return _pagina_calificar(request, convocatoria, miembro, practica, form=completa, status=400)
    try:
        services.evaluacion_enviar(evaluacion=evaluacion, usuario=request.user)
    except ErrorDominio as exc:
        completa.error_de_dominio(exc)
        return _pagina_calificar(request, convocatoria, miembro, practica, form=completa, status=400)
    messages.success(request, _("Calificación de %(f)s enviada. Ahora puede ver las de los demás integrantes.")
                     % {"f": practica.folio})
    return redirect("panel:jurado_calificar", slug=convocatoria.slug, pk=practica.pk)


@login_required
@require_POST
def jurado_excusa(request, slug, pk):
    """Declare a conflict of interest: the member is left out of this practice."""
    convocatoria = _convocatoria(request, slug, "evaluacion.calificar")
    miembro = _miembro(request, convocatoria)
    practica = _practica_asignada(request, convocatoria, pk)
    form = MotivoForm(request.POST, etiqueta=_("Motivo del conflicto de interés"), prefix="excusa")
    if form.is_valid():
        try:
            services.recusa_declarar(miembro=miembro, practica=practica, motivo=form.cleaned_data["motivo"],
                                     usuario=request.user)
        except ErrorDominio as exc:
            form.add_error("motivo" if exc.campo == "motivo" else None, exc.mensaje)
        else:
            messages.success(request, _("Quedó registrada su excusa para %(f)s; no participará en su calificación.")
                             % {"f": practica.folio})
            return redirect("panel:jurado_calificaciones", slug=convocatoria.slug)
    return _pagina_calificar(request, convocatoria, miembro, practica, form_excusa=form, status=400)


@login_required
@require_POST
def jurado_reabrir(request, slug, pk):
    """Reopen one's own submitted scores, with a recorded reason, while scoring is open."""
    convocatoria = _convocatoria(request, slug, "evaluacion.calificar")
    miembro = _miembro(request, convocatoria)
    practica = _practica_asignada(request, convocatoria, pk)
    evaluacion = obtener_o_rechazar(request.user, Evaluacion, miembro=miembro, practica=practica)
    form = MotivoForm(request.POST, etiqueta=_("Motivo de la reapertura"), prefix="reabrir")
    if form.is_valid():
        try:
            services.evaluacion_reabrir(evaluacion=evaluacion, usuario=request.user,
                                        motivo=form.cleaned_data["motivo"])
        except ErrorDominio as exc:
            form.add_error("motivo" if exc.campo == "motivo" else None, exc.mensaje)
        else:
            messages.success(request, _("Calificación reabierta; el motivo quedó registrado. Envíela de nuevo al "
                                        "terminar."))
            return redirect("panel:jurado_calificar", slug=convocatoria.slug, pk=practica.pk)
    return _pagina_calificar(request, convocatoria, miembro, practica, form_reabrir=form, status=400)


# --- tablero -------------------------------------------------------------------------------------

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
@require_GET
def tablero(request, slug):
    return render(request, "panel/evaluacion/tablero.html", _tablero_contexto(request, slug))


def _celda_csv(valor):
    """Text a spreadsheet would run as a formula is quoted (names come from the bodies)."""
    texto = "" if valor is None else str(valor)
    return "'" + texto if texto[:1] in ("=", "+", "-", "@", "\t", "\r") else texto


@login_required
@require_GET
def tablero_csv(request, slug):
    contexto = _tablero_contexto(request, slug)
    convocatoria = contexto["convocatoria"]
    respuesta = HttpResponse(content_type="text/csv; charset=utf-8")
    nombre = f"tablero-{slugify(convocatoria.slug)}-{timezone.localdate():%Y%m%d}.csv"
    respuesta["Content-Disposition"] = f'attachment; filename="{nombre}"'
    respuesta["Cache-Control"] = "private, no-store"
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
        escritor.writerow([_celda_csv(v) for v in [
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
