"""The public tracker of cartas compromiso: each authority with accepted letters, a page per
authority (totals, bodies, every commitment) and a page per body. Only accepted letters are read
(selectors); an authority or body with none is a plain 404. A submitted practice is named only once
evaluacion's embargo queryset holds its recognition."""

from django.http import Http404
from django.shortcuts import render
from django.views.decorators.http import require_safe

from core import listas, sitio
from core.cara import mostrar_autoridad
from core.models import AutoridadGarante
from practicas.models import SujetoObligado

from . import selectors
from .models import PracticaComprometida

POR_PAGINA = 50


def _autoridad(slug) -> AutoridadGarante:
    try:
        return selectors.autoridad_publica(slug)
    except AutoridadGarante.DoesNotExist as exc:
        raise Http404 from exc


@require_safe
def inicio(request):
    autoridades = list(selectors.autoridades_con_cartas())
    return render(request, "compromisos/publico/inicio.html", {
        "autoridades": autoridades, "canonica": sitio.url_absoluta(request.path)})


@require_safe
def autoridad(request, autoridad):
    autoridad = _autoridad(autoridad)
    mostrar_autoridad(request, autoridad)
    sujetos = selectors.sujetos_de_autoridad(autoridad)
    totales = selectors.resumen(_sumar(fila["por_estado"] for fila in sujetos))
    q = listas.texto_busqueda(request)
    comprometidas = selectors.buscar_comprometidas(selectors.comprometidas_del_rastreador(autoridad), q)
    return render(request, "compromisos/publico/autoridad.html", {
        "autoridad": autoridad, "sujetos": sujetos, "totales": totales, "estados": PracticaComprometida.Estado,
        "q": q, "pagina": listas.pagina(request, comprometidas, POR_PAGINA),
        "canonica": sitio.url_absoluta(request.path),
    })


@require_safe
def sujeto(request, autoridad, sujeto):
    autoridad = _autoridad(autoridad)
    try:
        sujeto = selectors.sujeto_publico(autoridad, sujeto)
    except SujetoObligado.DoesNotExist as exc:
        raise Http404 from exc
    mostrar_autoridad(request, autoridad)
    cartas = selectors.cartas_del_sujeto(autoridad, sujeto)
    return render(request, "compromisos/publico/sujeto.html", {
        "autoridad": autoridad, "sujeto": sujeto, "cartas": cartas,
        "totales": selectors.resumen(_sumar({c.estado_vigente: 1} for carta in cartas for c in carta.comprometidas)),
        "canonica": sitio.url_absoluta(request.path),
    })


def _sumar(conteos) -> dict:
    """Counts per state, added up (the page's totals from the rows it already read: no query)."""
    total: dict = {}
    for conteo in conteos:
        for estado, n in conteo.items():
            total[estado] = total.get(estado, 0) + n
    return total
