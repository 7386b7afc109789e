"""Requirement verification (admissibility) by the staff of the call's authority; access as
described in views_comun."""


from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from core.acceso import obtener_o_rechazar
from core.errors import ErrorDominio
from practicas.models import Practica

from . import selectors, services
from .forms import AdmisibilidadForm
from .models import Admisibilidad
from .views_comun import Fase, _convocatoria, _navegacion


def _editable(convocatoria) -> bool:
    """Admissibility is open while the call is closed and not yet turned over, by the clock: past its
    deadline a call still stored as abierta is closed (the first write records it)."""
    return convocatoria.fase == Fase.ADMISIBILIDAD


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
@require_safe
def admisibilidad(request, slug):
    convocatoria = _convocatoria(request, slug, "evaluacion.verificar_requisitos")
    practicas = list(selectors.admisibilidades(convocatoria))
    contexto = {
        "convocatoria": convocatoria, "practicas": practicas, "progreso": _progreso_admisibilidad(practicas),
        "editable": _editable(convocatoria), "seccion": "admisibilidad",
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
@require_http_methods(["GET", "HEAD", "POST"])
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
    editable = _editable(convocatoria)
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
            "convocatoria": convocatoria, "p": practica, "editable": _editable(convocatoria),
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
