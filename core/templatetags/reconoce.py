from django import template
from django.utils import formats, timezone

register = template.Library()


@register.filter
def fecha_larga(value):
    """25 de agosto de 2023 (local time for datetimes)."""
    if not value:
        return ""
    if hasattr(value, "hour"):
        value = timezone.localtime(value)
    return formats.date_format(value, "j \\d\\e F \\d\\e Y")


@register.filter
def fecha_hora(value):
    """25 de agosto de 2023, 23:59 h"""
    if not value:
        return ""
    value = timezone.localtime(value)
    return formats.date_format(value, "j \\d\\e F \\d\\e Y, H:i") + " h"


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
