"""The juror's scoring: their calls, their practices, scoring, conflict of interest and reopening;
access and score masking as described in views_comun."""


from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from convocatorias.models import MiembroJurado
from core.acceso import obtener_o_rechazar
from core.errors import ErrorDominio
from practicas.models import Practica

from . import calculo, selectors, services
from .forms import CalificacionForm, MotivoForm, SustitucionForm
from .models import Evaluacion, Recusa
from .views_comun import _convocatoria, _fase_calificacion_abierta, _navegacion, _turnada


@login_required
@require_safe
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
@require_safe
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
    """A practice turned over to this call's jury (404 otherwise); 403 for a juror who recused from it:
    they are out of it altogether."""
    if not _turnada(convocatoria):
        raise Http404
    practica = obtener_o_rechazar(
        request.user, selectors.practicas_preseleccionadas(convocatoria).select_related("convocatoria")
        .prefetch_related("soportes__criterio"), "evaluacion.calificar_practica", pk=pk)
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
        "historial": selectors.historial_calificaciones(practica, miembro=miembro, usuario=request.user),
        "seccion": "calificaciones", **_navegacion(request, convocatoria, calificar=True),
    }
    return render(request, "panel/evaluacion/jurado_calificar.html", contexto, status=status)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def jurado_calificar(request, slug, pk):
    convocatoria = _convocatoria(request, slug, "evaluacion.calificar")
    miembro = _miembro(request, convocatoria)
    practica = _practica_asignada(request, convocatoria, pk)
    if request.method in ("GET", "HEAD"):
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


# --- replacing a juror (staff) ------------------------------------------------------------------------

@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def jurado_sustituir(request, slug, pk):
    """Put another person in a seat while the jury scores: a recorded act with its reason that voids
    the seat's scores (history keeps them). For the call's staff; its jurors get 403."""
    convocatoria = _convocatoria(request, slug, "evaluacion.sustituir_jurado")
    miembro = obtener_o_rechazar(request.user, convocatoria.jurado.select_related("usuario"), pk=pk)
    miembro.convocatoria = convocatoria
    form = SustitucionForm(request.POST or None)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                sustitucion = services.jurado_sustituir(miembro=miembro, cuenta_nueva=form.cuenta,
                                                        motivo=form.cleaned_data["motivo"], usuario=request.user)
            except ErrorDominio as exc:
                form.add_error(exc.campo if exc.campo in form.fields else None, exc.mensaje)
            else:
                messages.success(request, _("Sustitución registrada: %(c)s ocupa ahora el lugar «%(l)s». Se anularon "
                                            "%(n)s calificaciones y %(x)s excusas del integrante anterior.") % {
                    "c": sustitucion.cuenta_nueva, "l": miembro.cargo, "n": sustitucion.evaluaciones_anuladas,
                    "x": sustitucion.excusas_anuladas})
                return redirect("panel:convocatoria_jurado", slug=convocatoria.slug)
    contexto = {
        "convocatoria": convocatoria, "miembro": miembro, "form": form,
        "evaluaciones": Evaluacion.objects.filter(miembro=miembro).count(),
        "recusas": Recusa.objects.filter(miembro=miembro).count(),
        "sustituciones": list(miembro.sustituciones.select_related("por", "cuenta_anterior", "cuenta_nueva")),
        "fase_abierta": _fase_calificacion_abierta(convocatoria), "seccion": "jurado",
    }
    return render(request, "panel/evaluacion/jurado_sustituir.html", contexto, status=status)
