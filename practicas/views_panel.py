"""Staff views over practices: per-call list with acuse status, paper/e-mail intake, retries."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from convocatorias.selectors import convocatorias_de_personal
from core.acceso import obtener_o_rechazar
from core.errors import ErrorDominio

from . import selectors, services
from .forms import RegistroRecibidaForm
from .models import Acuse, Practica


def _convocatoria_gestionable(request, slug):
    return obtener_o_rechazar(request.user, convocatorias_de_personal(request.user), "practicas.gestionar_practicas",
                              puerta="core.acceder_panel", slug=slug)


@login_required
def practicas(request, slug):
    convocatoria = _convocatoria_gestionable(request, slug)
    estado = request.GET.get("estado") or None
    if estado not in {None, *Practica.Estado.values}:
        estado = None
    contexto = {
        "convocatoria": convocatoria,
        "practicas": selectors.practicas_de_convocatoria(convocatoria, estado),
        "resumen": selectors.resumen_por_estado(convocatoria),
        "estado": estado,
        "estados": Practica.Estado.choices,
    }
    return render(request, "panel/practicas.html", contexto)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def registrar_recibida(request, slug):
    """A practice received on paper or by e-mail: staff open a draft on the body's behalf,
    fill it in with the same form, then record the time of reception to give it its folio."""
    convocatoria = _convocatoria_gestionable(request, slug)
    form = RegistroRecibidaForm(request.POST or None, convocatoria=convocatoria)
    if request.method == "POST" and form.is_valid():
        try:
            practica = services.practica_crear(
                convocatoria=convocatoria, sujeto=form.cleaned_data["sujeto"], usuario=request.user,
                datos={"nombre": form.cleaned_data["nombre"]}, canal=form.cleaned_data["canal"],
            )
        except ErrorDominio as exc:
            form.add_error(None, exc.mensaje)
        else:
            messages.success(request, _("Borrador creado a nombre de %(s)s. Capture el formulario y sus soportes; "
                                        "después registre la fecha de recepción.") % {"s": practica.sujeto})
            return redirect("practicas:editar", pk=practica.pk)
    return render(request, "panel/registrar_recibida.html", {"convocatoria": convocatoria, "form": form})


@login_required
@require_POST
def acuse_reintentar(request, pk):
    acuses = Acuse.objects.select_related("practica__convocatoria__autoridad").filter(
        practica__convocatoria__in=convocatorias_de_personal(request.user))
    acuse = obtener_o_rechazar(request.user, acuses, "practicas.gestionar_practicas",
                               sobre=lambda a: a.practica.convocatoria, puerta="core.acceder_panel", pk=pk)
    try:
        services.acuse_reintentar(acuse=acuse)
    except ErrorDominio as exc:
        messages.error(request, exc.mensaje)
    else:
        messages.success(request, _("Se volvió a solicitar el acuse de %(f)s.") % {"f": acuse.practica.folio})
    return redirect("panel:practicas", slug=acuse.practica.convocatoria.slug)
