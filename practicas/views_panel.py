"""Staff views over practices: per-call list with acuse status, paper/e-mail intake, retries."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from convocatorias.selectors import convocatorias_de_personal
from core import listas
from core.acceso import obtener_o_rechazar
from core.errors import ErrorDominio

from . import selectors, services
from .forms import RegistroRecibidaForm
from .models import Acuse, Practica

POR_PAGINA = 50


def _convocatoria_gestionable(request, slug):
    return obtener_o_rechazar(request.user, convocatorias_de_personal(request.user), "practicas.gestionar_practicas",
                              puerta="core.acceder_panel", slug=slug)


@login_required
def practicas(request, slug):
    """The call's practices, 50 a page, narrowed by ?estado= and ?q= (folio, name, body)."""
    convocatoria = _convocatoria_gestionable(request, slug)
    estado, q = _estado(request), listas.texto_busqueda(request)
    contexto = {
        "convocatoria": convocatoria,
        "pagina": listas.pagina(request, selectors.practicas_de_convocatoria(convocatoria, estado, q), POR_PAGINA),
        "resumen": selectors.resumen_por_estado(convocatoria),
        "estado": estado,
        "q": q,
        "estados": Practica.Estado.choices,
    }
    return render(request, "panel/practicas.html", contexto)


def _estado(request):
    estado = request.GET.get("estado") or None
    return estado if estado in Practica.Estado.values else None


def _filas_practicas(practicas):
    yield [_("Folio"), _("Práctica"), _("Sujeto obligado"), _("Siglas"), _("Canal"), _("Recibida"), _("Estado"),
           _("Soportes"), _("Acuse")]
    for p in practicas.iterator(chunk_size=500):
        yield [p.folio or "", p.nombre, p.sujeto.nombre, p.sujeto.siglas, p.get_canal_display(),
               listas.fecha_hora(p.enviada_en), p.get_estado_display(), p.num_soportes,
               p.acuse.get_estado_pdf_display() if getattr(p, "acuse", None) else ""]


@login_required
@require_safe
def practicas_exportar(request, slug, formato):
    """What the list shows (its ?estado= and ?q=), every page, as CSV for Excel or XLSX."""
    convocatoria = _convocatoria_gestionable(request, slug)
    consulta = selectors.practicas_de_convocatoria(convocatoria, _estado(request), listas.texto_busqueda(request))
    return listas.descarga(_filas_practicas(consulta), f"practicas-{convocatoria.slug}", formato, _("Prácticas"))


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
