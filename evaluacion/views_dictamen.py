"""Rulings in the panel: the call's list with its ranking, the draft ruling, signing, revoking a
recognition, retrying a failed PDF and, once the date has come, publishing the results.

Access: staff of the call's authority and the call's jury (evaluacion.gestionar_dictamenes); a
ruling's page is closed (403) to a juror who recused from its practice. Each juror signs with their
own account and password (evaluacion.firmar_dictamen): staff cannot sign for the jury.
Anonymous people go to the login page; people who are not staff nor jurors get 403; staff of
another authority and jurors of other calls get 404, so ids cannot be probed; the call's jurors
get 403 on what only staff may do (revoke, retry a PDF, publish)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods, require_POST

from convocatorias.models import Convocatoria
from core.acceso import obtener_o_rechazar
from core.documentos import documento_reintentar as _documento_reintentar
from core.errors import ErrorDominio
from core.templatetags.reconoce import fecha_hora

from . import selectors, services
from .forms_dictamen import DictamenForm, FirmarEfirmaForm, FirmarForm, RevocarForm
from .models import Dictamen, FirmaDictamen, MotivoDictamen, Reconocimiento
from .rules import es_jurado_de_practica


def _obtener(request, relacionados, perm, *, sobre=None, **lookup):
    """Staff of the call's authority and its jurors are related to its rulings (403 on what they may
    not do); staff and jurors of other calls get 404; anyone else 403."""
    return obtener_o_rechazar(request.user, relacionados, perm, sobre=sobre, puerta="evaluacion.acceder", **lookup)


def _su_convocatoria(dictamen):
    return dictamen.practica.convocatoria


def _en_sus_convocatorias(request, queryset, campo="practica__convocatoria"):
    return queryset.filter(**{f"{campo}__in": selectors.convocatorias_relacionadas(request.user)})


def _convocatoria(request, slug, perm="evaluacion.gestionar_dictamenes"):
    return _obtener(request, selectors.convocatorias_relacionadas(request.user), perm, slug=slug)


def _dictamen(request, pk, perm="evaluacion.ver_dictamen"):
    """A ruling of a call the person judges or manages; 403 for a juror who recused from its
    practice (they are out of it) and, for signing, for anyone who is not one of its jurors."""
    relacionados = selectors.con_dictamen_detalle(_en_sus_convocatorias(request, Dictamen.objects.all()))
    return _obtener(request, relacionados, perm, sobre=lambda d: d.practica, pk=pk)


def _estado_publicacion(convocatoria, ahora):
    return {
        "visibles": selectors.resultados_visibles(convocatoria, ahora),
        "publicados": convocatoria.estado == Convocatoria.Estado.RESULTADOS_PUBLICADOS,
        "puede_publicar": convocatoria.estado == Convocatoria.Estado.EN_EVALUACION
        and ahora >= convocatoria.fecha_resultados,
    }


@login_required
def dictamenes(request, slug):
    convocatoria = _convocatoria(request, slug)
    filas = list(selectors.dictamenes_de(convocatoria))
    for posicion, d in enumerate(filas, start=1):
        d.posicion = posicion if d.puntaje is not None else None
        d.rec = getattr(d, "reconocimiento", None)
    ahora = timezone.now()
    return render(request, "panel/dictamenes/lista.html", {
        "convocatoria": convocatoria, "dictamenes": filas,
        "firmados": sum(d.estado == Dictamen.Estado.FIRMADO for d in filas),
        "es_personal": request.user.has_perm("convocatorias.gestionar_convocatoria", convocatoria),
        **_estado_publicacion(convocatoria, ahora),
    })


_CAMPOS_HISTORIA = {
    "decision": gettext_lazy("decisión"), "consideraciones": gettext_lazy("consideraciones generales"),
    "motivo_desviacion": gettext_lazy("razón para apartarse de la propuesta"), "estado": gettext_lazy("estado"),
}


def _historia(dictamen):
    """Who changed what and when: the ruling's history rows and those of its reasons, newest first."""
    entradas = []
    filas = list(dictamen.history.select_related("history_user").order_by("history_date", "history_id"))
    anterior = None
    for h in filas:
        if anterior is None:
            texto = _("Borrador preparado con la propuesta según la calificación.")
        elif h.estado == Dictamen.Estado.FIRMADO and anterior.estado != Dictamen.Estado.FIRMADO:
            texto = _("Firmado con el folio %(f)s.") % {"f": h.folio}
        else:
            cambios = [str(_CAMPOS_HISTORIA[c]) for c in h.diff_against(anterior).changed_fields
                       if c in _CAMPOS_HISTORIA]
            texto = _("Cambió: %(c)s.") % {"c": ", ".join(cambios)} if cambios else _("Guardado sin cambios.")
        entradas.append({"fecha": h.history_date, "usuario": h.history_user, "texto": texto})
        anterior = h
    motivos = MotivoDictamen.history.filter(dictamen_id=dictamen.pk, history_type="~") \
        .select_related("history_user", "criterio")
    for h in motivos:
        entradas.append({"fecha": h.history_date, "usuario": h.history_user,
                         "texto": _("Cambió los motivos del criterio %(n)s.") % {"n": h.criterio.numero}})
    # Each juror's signing act, and signatures withdrawn because the draft changed.
    for h in FirmaDictamen.history.filter(dictamen_id=dictamen.pk).select_related("history_user"):
        if h.history_type == "+":
            texto = _("Firmó %(n)s (%(c)s).") % {"n": h.nombre, "c": h.cargo}
        elif h.history_type == "-":
            texto = _("Se retiró la firma de %(n)s: %(r)s") % {"n": h.nombre, "r": h.history_change_reason or ""}
        else:
            continue
        entradas.append({"fecha": h.history_date, "usuario": h.history_user, "texto": texto})
    return sorted(entradas, key=lambda e: e["fecha"], reverse=True)


def _firmas_estado(request, dictamen):
    """Who signs this ruling, who has, how many the call's rule needs, and whether this person may
    sign now."""
    esperados = services.firmantes_esperados(dictamen)
    firmadas = {f.miembro_id: f for f in dictamen.firmas.all()}
    mio = next((m for m in esperados if m.usuario_id == request.user.pk), None)
    return {
        "firmantes": [{"miembro": m, "firma": firmadas.get(m.pk)} for m in esperados],
        "firmas_reunidas": len(firmadas), "firmas_necesarias": services.firmas_necesarias(dictamen, esperados),
        "puede_firmar": dictamen.estado == Dictamen.Estado.BORRADOR and mio is not None and mio.pk not in firmadas,
        "ya_firme": mio is not None and mio.pk in firmadas,
    }


def _contexto(request, dictamen, form=None, firmar_form=None):
    convocatoria = dictamen.practica.convocatoria
    motivos = list(dictamen.motivos.all())
    return {
        "dictamen": dictamen, "practica": dictamen.practica, "convocatoria": convocatoria,
        "motivos": motivos, "firmas": list(dictamen.firmas.all()),
        "form": form or DictamenForm(dictamen=dictamen, motivos=motivos),
        "firmar_form": firmar_form or (FirmarEfirmaForm if dictamen.practica.convocatoria.firma_electronica
                                       else FirmarForm)(request=request),
        **_firmas_estado(request, dictamen),
        "historia": _historia(dictamen),
        "rec": getattr(dictamen, "reconocimiento", None),
        "revocar_form": RevocarForm(),
        "puede_revocar": request.user.has_perm("evaluacion.revocar_reconocimiento", convocatoria),
        "es_personal": request.user.has_perm("convocatorias.gestionar_convocatoria", convocatoria),
        **_estado_publicacion(convocatoria, timezone.now()),
    }


def _agregar_error(form, exc: ErrorDominio):
    form.add_error(exc.campo if exc.campo in form.fields else None, exc.mensaje)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def dictamen(request, pk):
    dictamen = _dictamen(request, pk)
    if dictamen.estado == Dictamen.Estado.FIRMADO:
        if request.method == "POST":
            messages.error(request, _("El dictamen %(f)s está firmado: es definitivo e inapelable.")
                           % {"f": dictamen.folio})
            return redirect("panel:dictamen", pk=pk)
        return render(request, "panel/dictamenes/detalle.html", _contexto(request, dictamen))
    motivos = list(dictamen.motivos.all())
    form = DictamenForm(request.POST or None, dictamen=dictamen, motivos=motivos)
    if request.method == "POST" and form.is_valid():
        try:
            services.dictamen_guardar(
                dictamen=dictamen, usuario=request.user, decision=form.cleaned_data["decision"],
                motivos=form.motivos(), consideraciones=form.cleaned_data["consideraciones"],
                motivo_desviacion=form.cleaned_data["motivo_desviacion"],
            )
        except ErrorDominio as exc:
            _agregar_error(form, exc)
        else:
            messages.success(request, _("Borrador del dictamen guardado."))
            return redirect("panel:dictamen", pk=pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "panel/dictamenes/detalle.html", _contexto(request, dictamen, form), status=status)


@sensitive_post_parameters("contrasena")
@login_required
@require_POST
def dictamen_firmar(request, pk):
    """A juror's own signature on the draft as stored (re-authenticated with their password). The
    ruling is issued (folio, PDFs) when the call's rule is met. Staff who are not jurors: 403."""
    dictamen = _dictamen(request, pk, "evaluacion.firmar_dictamen")
    # Asked of the predicate itself: Django grants a superuser every permission, but a superuser who
    # does not sit on this jury does not sign for it either.
    if not es_jurado_de_practica.test(request.user, dictamen.practica):
        raise PermissionDenied
    if dictamen.estado == Dictamen.Estado.FIRMADO:
        messages.info(request, _("El dictamen ya estaba firmado con el folio %(f)s.") % {"f": dictamen.folio})
        return redirect("panel:dictamen", pk=pk)
    con_efirma = dictamen.practica.convocatoria.firma_electronica
    formulario = FirmarEfirmaForm if con_efirma else FirmarForm
    firmar_form = formulario(request.POST, request.FILES if con_efirma else None, request=request)
    if firmar_form.is_valid():
        try:
            firmado = services.dictamen_firmar(dictamen=dictamen, usuario=request.user,
                                               efirma=firmar_form.firmante if con_efirma else None)
        except ErrorDominio as exc:
            _agregar_error(firmar_form, exc)
        else:
            if firmado.estado == Dictamen.Estado.FIRMADO:
                messages.success(request, _("Con su firma se reunieron las firmas del jurado: dictamen emitido con "
                                            "el folio %(f)s. Sus PDF se están generando; se publicarán el %(p)s.") % {
                    "f": firmado.folio, "p": fecha_hora(dictamen.practica.convocatoria.fecha_resultados)})
            else:
                messages.success(request, _("Firmó el dictamen. Firmas reunidas: %(n)s de %(t)s necesarias.") % {
                    "n": firmado.firmas.count(), "t": services.firmas_necesarias(firmado)})
            return redirect("panel:dictamen", pk=pk)
    dictamen = selectors.dictamen_detalle(pk)
    return render(request, "panel/dictamenes/detalle.html", _contexto(request, dictamen, firmar_form=firmar_form),
                  status=400)


@login_required
@require_POST
def reconocimiento_revocar(request, pk):
    recs = _en_sus_convocatorias(request, Reconocimiento.objects.select_related(
        "dictamen__practica__convocatoria__autoridad"), "dictamen__practica__convocatoria")
    rec = _obtener(request, recs, "evaluacion.revocar_reconocimiento", sobre=lambda r: _su_convocatoria(r.dictamen),
                   pk=pk)
    form = RevocarForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Indique el motivo de la revocación; se mostrará en la verificación."))
        return redirect("panel:dictamen", pk=rec.dictamen_id)
    try:
        services.reconocimiento_revocar(reconocimiento=rec, usuario=request.user, motivo=form.cleaned_data["motivo"])
    except ErrorDominio as exc:
        messages.error(request, exc.mensaje)
    else:
        messages.success(request, _("El reconocimiento %(f)s fue revocado.") % {"f": rec.documento.folio})
    return redirect("panel:dictamen", pk=rec.dictamen_id)


@login_required
@require_POST
def documento_reintentar(request, pk):
    """Queue a failed (or stuck) PDF again."""
    # The ruling the document belongs to: its own PDF or its recognition's.
    dictamenes = _en_sus_convocatorias(request, Dictamen.objects.select_related(
        "practica__convocatoria__autoridad", "documento", "reconocimiento__documento"))
    dictamen = _obtener(request, dictamenes.filter(Q(documento_id=pk) | Q(reconocimiento__documento_id=pk)),
                        "convocatorias.gestionar_convocatoria", sobre=_su_convocatoria)
    documento = dictamen.documento if dictamen.documento_id == pk else dictamen.reconocimiento.documento
    _documento_reintentar(documento=documento)
    messages.success(request, _("Se volvió a solicitar el PDF %(f)s.") % {"f": documento.folio})
    siguiente = request.POST.get("siguiente")
    if siguiente == "lista":
        return redirect("panel:dictamenes", slug=dictamen.practica.convocatoria.slug)
    return redirect("panel:dictamen", pk=dictamen.pk)


@login_required
@require_POST
def resultados_publicar(request, slug):
    """The periodic task publishes at the results second; staff may trigger the same idempotent step
    once that second has passed (e.g. if the scheduler was down)."""
    convocatoria = _convocatoria(request, slug, "convocatorias.gestionar_convocatoria")
    ahora = timezone.now()
    if services.resultados_publicar(convocatoria=convocatoria, ahora=ahora):
        messages.success(request, _("Resultados publicados. Se está notificando a cada sujeto obligado."))
    else:
        convocatoria.refresh_from_db()
        if convocatoria.estado == Convocatoria.Estado.RESULTADOS_PUBLICADOS:
            messages.info(request, _("Los resultados ya estaban publicados."))
        elif ahora < convocatoria.fecha_resultados:
            messages.error(request, _("Los resultados están bajo reserva hasta el %(f)s; no pueden publicarse "
                                      "antes.") % {"f": fecha_hora(convocatoria.fecha_resultados)})
        else:
            messages.error(request, _("No se pueden publicar: el jurado debe cerrar la calificación y firmar "
                                      "todos los dictámenes."))
    return redirect("panel:dictamenes", slug=slug)
