"""The «Formato carta compromiso»: generate it, follow its rendering (htmx polling), download it
(compromisos namespace); and the authority's format texts with a preview (panel namespace).

A letter is looked up among the person's related letters (selectors.cartas_relacionadas): anyone
else gets 404, as core.acceso says. The panel pages answer 403 to whoever is not staff and 404 to
staff of another authority."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from core import sitio
from core.acceso import obtener_o_rechazar
from core.cara import mostrar_autoridad
from core.errors import ErrorDominio
from core.files import servir_archivo
from core.models import AutoridadGarante, DocumentoVerificable
from core.rules import autoridades_de

from . import documento as formato
from .models import CartaCompromiso, FormatoCarta
from .selectors import cartas_relacionadas

PUERTA = "core.acceder_panel"


def _carta(request, pk, permiso) -> CartaCompromiso:
    carta = obtener_o_rechazar(request.user, cartas_relacionadas(request.user), permiso, pk=pk)
    mostrar_autoridad(request, carta.autoridad)
    return carta


def _estado(request, carta, status=200):
    contexto = formato.estado_formato(carta, request.user)
    if request.htmx:
        return render(request, "compromisos/_formato_estado.html", contexto, status=status)
    return render(request, "compromisos/formato_estado.html", contexto, status=status)


@login_required
@require_POST
def carta_formato_generar(request, pk):
    carta = _carta(request, pk, "compromisos.generar_formato")
    try:
        formato.carta_formato_generar(carta=carta, usuario=request.user)
    except ErrorDominio as exc:
        messages.error(request, exc.mensaje)
    else:
        if not request.htmx:
            messages.success(request, _("El formato de la carta compromiso se está generando."))
    carta.refresh_from_db()
    if request.htmx:
        return _estado(request, carta)
    siguiente = sitio.ruta_propia(request.POST.get("siguiente", ""), request)
    return redirect(siguiente or reverse("compromisos:carta_formato_estado", args=[carta.pk]))


@login_required
@require_safe
def carta_formato(request, pk):
    """The generated PDF, for the letter's enlaces and staff (the public reads an accepted one by
    its verification code, core:documento)."""
    carta = _carta(request, pk, "compromisos.ver_carta")
    doc = carta.documento
    if doc is None or doc.estado_pdf != DocumentoVerificable.EstadoPDF.LISTA:
        raise Http404
    return servir_archivo(doc.archivo, nombre_descarga=f"{doc.folio}.pdf", mime="application/pdf")


@login_required
@require_safe
def carta_formato_estado(request, pk):
    """The format's status: an htmx fragment polled while the PDF renders, or a page of its own."""
    return _estado(request, _carta(request, pk, "compromisos.ver_carta"))


# --- the authority's format (panel) ---------------------------------------------------------------

class FormatoCartaForm(forms.ModelForm):
    class Meta:
        model = FormatoCarta
        fields = ["encabezado", "texto_compromiso", "pie"]
        widgets = {"texto_compromiso": forms.Textarea(attrs={"rows": 8}), "pie": forms.Textarea(attrs={"rows": 3})}


def _autoridad(request, slug) -> AutoridadGarante:
    autoridad = obtener_o_rechazar(request.user, autoridades_de(request.user), "core.gestionar_autoridad",
                                   puerta=PUERTA, slug=slug)
    mostrar_autoridad(request, autoridad)
    return autoridad


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def carta_formato_editar(request, slug):
    autoridad = _autoridad(request, slug)
    form = FormatoCartaForm(request.POST or None, instance=formato.formato_de(autoridad))
    if request.method == "POST" and form.is_valid():
        try:
            formato.formato_guardar(autoridad=autoridad, usuario=request.user, **form.cleaned_data)
        except ErrorDominio as exc:
            form.add_error(None, exc.mensaje)
        else:
            messages.success(request, _("Se guardó el formato de carta compromiso de %(a)s.") % {"a": autoridad.siglas})
            return redirect("panel:carta_formato_editar", slug=autoridad.slug)
    return render(request, "panel/compromisos/formato_editar.html", {"autoridad": autoridad, "form": form},
                  status=400 if request.method == "POST" else 200)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def carta_formato_vista_previa(request, slug):
    """The format on sample data, as an inline PDF: the saved texts (GET) or the form's unsaved ones
    (POST), so staff see a change before saving it."""
    autoridad = _autoridad(request, slug)
    muestra = formato.formato_de(autoridad)
    if request.method == "POST":
        form = FormatoCartaForm(request.POST, instance=FormatoCarta(autoridad=autoridad))
        if not form.is_valid():
            errores = [str(e) for errs in form.errors.values() for e in errs]
            return HttpResponse(" ".join(errores), status=400, content_type="text/plain; charset=utf-8")
        muestra = form.save(commit=False)
    respuesta = HttpResponse(formato.vista_previa_pdf(autoridad=autoridad, formato=muestra),
                             content_type="application/pdf")
    respuesta["Content-Disposition"] = 'inline; filename="carta-compromiso-muestra.pdf"'
    respuesta["Cache-Control"] = "private, no-store"
    respuesta["X-Content-Type-Options"] = "nosniff"
    return respuesta
