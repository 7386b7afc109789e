"""The staff panel's home: the calls of the person's authorities and what waits for them."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from rules.contrib.views import permission_required

from compromisos.selectors_gestion import cartas_pendientes
from convocatorias.models import Convocatoria
from practicas import selectors as prac_selectors

from . import resumen


@login_required
@permission_required("core.acceder_panel", raise_exception=True)
def inicio(request):
    convocatorias = Convocatoria.objects.filter(autoridad__personal__usuario=request.user) if not \
        request.user.is_superuser else Convocatoria.objects.all()
    filas = list(resumen.con_conteos(convocatorias.select_related("autoridad").order_by("-fecha_cierre")[:20]))
    for c in filas:
        c.proxima = resumen.proxima_fecha(c)
        c.pct_admitidas = resumen.porcentaje(c.n_admitidas, c.n_recibidas)
        c.pct_firmados = resumen.porcentaje(c.n_firmados, c.n_admitidas)
    contexto = {
        "convocatorias": filas,
        "enlaces_pendientes": prac_selectors.enlaces_pendientes().count(),
        "acuses_fallidos": prac_selectors.acuses_fallidos_para(request.user),
        "cartas_pendientes": cartas_pendientes(request.user),
    }
    return render(request, "portal/panel_inicio.html", contexto)
