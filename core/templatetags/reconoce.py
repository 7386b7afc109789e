import math
from functools import lru_cache

from django import template
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils import formats, timezone, translation
from django.utils.dates import MONTHS
from django.utils.translation import ngettext

from core import articulos, cifras, sitio

register = template.Library()

# One way to write each kind of figure (core.cifras): counts 1,041; scores 9.43; percentages 37.5 %.
register.filter("cifra", cifras.cifra)
register.filter("calificacion", cifras.calificacion)
register.filter("porcentaje", cifras.porcentaje)

_MUESTRA = 9876543210  # stands for the integer in a reversed address; cut out again below


@lru_cache(maxsize=256)
def _molde(nombre: str, prefijo: str, urlconf, idioma) -> tuple[str, str]:
    """What `reverse(nombre, args=[n])` writes before and after n, for a route whose one argument is
    an <int:…>; keyed by what reverse() reads besides its arguments (script prefix, URLconf,
    language)."""
    antes, muestra, despues = reverse(nombre, args=[_MUESTRA]).partition(str(_MUESTRA))
    if not muestra or str(_MUESTRA) in despues:
        raise ValueError(f"{nombre} no es una ruta de un solo entero")
    return antes, despues


@register.simple_tag
def url_pk(nombre: str, pk) -> str:
    """{% url nombre pk %} for a route that takes one integer, at the cost of one reverse() per route
    rather than one per row: a page of 20 cards links 40 times."""
    antes, despues = _molde(nombre, get_script_prefix(), get_urlconf(), translation.get_language())
    return f"{antes}{int(pk)}{despues}"


@register.simple_tag
def url_absoluta(nombre: str, *args, **kwargs) -> str:
    """{% url %} under SITE_URL (core.sitio): for links read away from the page, as in e-mails."""
    return sitio.url_de(nombre, *args, **kwargs)


@register.filter
def fecha_larga(value):
    """25 de agosto de 2023 (local time for datetimes)."""
    if not value:
        return ""
    if hasattr(value, "hour"):
        value = timezone.localtime(value)
    mes = str(MONTHS[value.month])
    if (translation.get_language() or "").startswith("es"):
        mes = mes.lower()  # Spanish writes month names in lower case: 25 de agosto de 2023
    return translation.gettext("%(dia)s de %(mes)s de %(anio)s") % {"dia": value.day, "mes": mes, "anio": value.year}


@register.filter
def fecha_hora(value):
    """25 de agosto de 2023, 23:59 h"""
    if not value:
        return ""
    value = timezone.localtime(value)
    return f"{fecha_larga(value)}, {formats.date_format(value, 'H:i')} h"


@register.filter
def fecha_hora_segundos(value):
    """25 de agosto de 2023, 23:59:59 h: receipt times and deadlines, which are to the second."""
    if not value:
        return ""
    value = timezone.localtime(value)
    return f"{fecha_larga(value)}, {formats.date_format(value, 'H:i:s')} h"


@register.filter
def de_institucion(nombre) -> str:
    """«del Ayuntamiento de…», «de la Secretaría de…» (core.articulos)."""
    return articulos.de(str(nombre))


@register.filter
def con_articulo(nombre) -> str:
    """«el Ayuntamiento de…», «la Secretaría de…» (core.articulos)."""
    return articulos.con_articulo(str(nombre))


@register.filter(name="a")
def a_institucion(nombre) -> str:
    """«al Ayuntamiento de…», «a la Secretaría de…» (core.articulos)."""
    return articulos.a(str(nombre))


@register.filter
def a_articulo(nombre) -> str:
    """«al», «a la» or «a» before an institution's name set apart (core.articulos)."""
    return articulos.a_articulo(str(nombre))


@register.filter
def tiempo_restante(fin, ahora=None) -> str:
    """What is left until `fin`, as the countdown script keeps writing it: «12 días, 04:05:06» (and
    «1 día, …»). Rounded up: during the last second one second still remains."""
    segundos = max(0, math.ceil((fin - (ahora or timezone.now())).total_seconds()))
    dias, resto = divmod(segundos, 86400)
    horas, resto = divmod(resto, 3600)
    minutos, segs = divmod(resto, 60)
    return ngettext("%(n)d día", "%(n)d días", dias) % {"n": dias} + f", {horas:02d}:{minutos:02d}:{segs:02d}"


@register.filter
def tamano(value):
    value = int(value or 0)
    if value < 1024:
        return f"{value} B"
    if value < 1024 * 1024:
        return f"{value / 1024:.1f} KB"
    return f"{value / 1024 / 1024:.1f} MB"


@register.simple_tag(takes_context=True)
def puede(context, perm, obj=None):
    user = context["request"].user
    return user.has_perm(perm, obj)


@register.filter
def ancho(porcentaje) -> str:
    """The class that gives a bar this width (static/css/reconoce.css `.ancho-0` … `.ancho-100`): a
    width without a style="" attribute, which the Content-Security-Policy would refuse."""
    try:
        valor = round(float(porcentaje))
    except (TypeError, ValueError):
        valor = 0
    return f"ancho-{min(100, max(0, valor))}"
