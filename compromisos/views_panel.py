"""The staff's pages for cartas compromiso: the authority's letters (searched, paged, downloaded,
with counts per state and per institution), a letter's review (accept, or return with reasons),
and a letter received on paper. People who are not staff get 403; staff of another authority 404."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe
from rules.contrib.views import permission_required

from core import listas
from core.acceso import obtener_o_rechazar
from core.errors import ErrorDominio

from . import selectors_gestion, services
from .forms_gestion import DevolverForm
from .models import CartaCompromiso
from .views_enlace import contexto_carta, formulario_carta, regla, sujetos_capturables

POR_PAGINA = 50
panel = permission_required("core.acceder_panel", raise_exception=True)


def _estado(request):
    estado = request.GET.get("estado") or None
    return estado if estado in CartaCompromiso.Estado.values else None


def _carta(request, pk, permiso=None) -> CartaCompromiso:
    cartas = selectors_gestion.carta_detalle(selectors_gestion.cartas_del_panel(request.user))
    carta = obtener_o_rechazar(request.user, cartas, permiso, puerta="core.acceder_panel", pk=pk)
    if permiso:
        regla(request.user, permiso, carta)
    return carta


@login_required
@panel
@require_safe
def cartas(request):
    estado, q = _estado(request), listas.texto_busqueda(request)
    propias = selectors_gestion.cartas_del_panel(request.user)
    return render(request, "compromisos/panel/cartas.html", {
        "pagina": listas.pagina(request, selectors_gestion.buscar(propias, q, estado), POR_PAGINA),
        "conteos": selectors_gestion.conteos_panel(propias),
        "estado": estado, "q": q, "estados": CartaCompromiso.Estado.choices,
    })


def _filas(cartas):
    yield [_("Sujeto obligado"), _("Siglas"), _("Autoridad garante"), _("Fecha de la carta"), _("Firma"), _("Cargo"),
           _("Estado"), _("Prácticas comprometidas"), _("Publicadas"), _("Reconocidas"), _("Presentada"),
           _("Revisada")]
    for c in cartas.iterator(chunk_size=500):
        yield [c.sujeto.nombre, c.sujeto.siglas, c.autoridad.siglas, c.fecha.isoformat(), c.firmante_nombre,
               c.firmante_cargo, c.get_estado_display(), c.num_practicas, c.num_publicadas, c.num_reconocidas,
               listas.fecha_hora(c.presentada_en), listas.fecha_hora(c.revisada_en)]


@login_required
@panel
@require_safe
def cartas_exportar(request, formato):
    """What the list shows (its ?estado= and ?q=), every page."""
    consulta = selectors_gestion.buscar(selectors_gestion.cartas_del_panel(request.user),
                                        listas.texto_busqueda(request), _estado(request))
    return listas.descarga(_filas(consulta), "cartas-compromiso", formato, _("Cartas compromiso"))


@login_required
@panel
@require_http_methods(["GET", "HEAD", "POST"])
def carta_nueva(request):
    """A letter received on paper: staff capture it on the body's behalf."""
    return formulario_carta(request, sujetos=sujetos_capturables(request.user), extra={"en_panel": True})


@login_required
@require_safe
def carta(request, pk):
    carta = _carta(request, pk)
    return render(request, "compromisos/panel/carta.html",
                  contexto_carta(request, carta, devolver_form=DevolverForm()))


@login_required
@require_POST
def carta_aceptar(request, pk):
    carta = _carta(request, pk, "compromisos.revisar_carta")
    try:
        services.carta_aceptar(carta=carta, usuario=request.user)
    except ErrorDominio as exc:
        messages.error(request, exc.mensaje)
    else:
        messages.success(request, _("Carta compromiso aceptada: ya es pública y empieza su seguimiento."))
    return redirect("panel:carta", pk=carta.pk)


@login_required
@require_POST
def carta_devolver(request, pk):
    carta = _carta(request, pk, "compromisos.revisar_carta")
    form = DevolverForm(request.POST)
    if form.is_valid():
        try:
            services.carta_devolver(carta=carta, usuario=request.user, motivo=form.cleaned_data["motivo"])
        except ErrorDominio as exc:
            form.add_error("motivo" if exc.campo == "motivo" else None, exc.mensaje)
        else:
            messages.success(request, _("Carta compromiso devuelta; el sujeto obligado verá los motivos."))
            return redirect("panel:carta", pk=carta.pk)
    return render(request, "compromisos/panel/carta.html", contexto_carta(request, carta, devolver_form=form),
                  status=400)
