from django import template
from django.utils import formats, timezone, translation
from django.utils.dates import MONTHS

register = template.Library()


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
