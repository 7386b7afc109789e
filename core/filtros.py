"""Query parameters every public listing shares: the authority, by its slug (`?autoridad=cotai`),
and the rule that a parameter a listing does not know is an error, never silently ignored. Used by
the catalogue, the API's filters and the open-data downloads, so all of them answer the same."""

from collections.abc import Iterable

import django_filters
from django import forms
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from .models import AutoridadGarante

PARAMETRO_AUTORIDAD = "autoridad"

AYUDA_AUTORIDAD = _("Identificador de la autoridad garante (su «slug», p. ej. «cotai»): solo lo de esa autoridad. "
                    "Un identificador que no existe es un error 400.")


# Bounds of a year parameter (anio), documented in the OpenAPI document and enforced by the form. Not
# 9999: a year lookup on a date-time makes that year's last second aware, past datetime's range.
ANIO_MINIMO, ANIO_MAXIMO = 1900, 2100


class FiltroEntero(django_filters.NumberFilter):
    """A whole-number filter (a year, an id): "2023.5" is an error, not a year, and the OpenAPI
    document says "integer" (django-filter's NumberFilter takes decimals)."""

    field_class = forms.IntegerField


def filtro_anio(field_name: str, lookup_expr: str = "exact", **kwargs) -> FiltroEntero:
    """A year, between ANIO_MINIMO and ANIO_MAXIMO (the API's document states both)."""
    kwargs.setdefault("label", _("Año"))
    return FiltroEntero(field_name=field_name, lookup_expr=lookup_expr, min_value=ANIO_MINIMO,
                        max_value=ANIO_MAXIMO, **kwargs)


def autoridades():
    return AutoridadGarante.objects.order_by("siglas")


def filtro_autoridad(field_name: str | None = None, *, method: str | None = None) -> django_filters.ModelChoiceFilter:
    """A FilterSet's `autoridad`: the rows whose authority (at `field_name`, or narrowed by `method`)
    has this slug. An unknown slug is a form error: a 400 in the API, a field error on a page."""
    return django_filters.ModelChoiceFilter(
        field_name=field_name, method=method, queryset=autoridades(), to_field_name="slug",
        label=_("Autoridad garante"), help_text=AYUDA_AUTORIDAD,
    )


class FiltroAutoridadForm(forms.Form):
    """The same parameter where no FilterSet applies (the open-data downloads, aggregate lists)."""

    autoridad = forms.ModelChoiceField(autoridades(), to_field_name="slug", required=False,
                                       label=_("Autoridad garante"), help_text=AYUDA_AUTORIDAD)


def leer_autoridad(parametros) -> tuple[AutoridadGarante | None, dict[str, list[str]]]:
    """The authority asked for in `parametros` (a QueryDict) and the errors, field -> messages."""
    form = FiltroAutoridadForm(parametros)
    if form.is_valid():
        return form.cleaned_data["autoridad"], {}
    return None, {campo: list(mensajes) for campo, mensajes in form.errors.items()}


def parametros_desconocidos(parametros: Iterable[str], admitidos: Iterable[str],
                            estandar: Iterable[str] = ()) -> dict[str, list[str]]:
    """Each parameter neither admitted nor standard, with a message naming the admitted ones."""
    admitidos = sorted(set(admitidos))
    conocidos = set(admitidos) | set(estandar)
    desconocidos = [p for p in dict.fromkeys(parametros) if p not in conocidos]
    if not desconocidos:
        return {}
    if admitidos:
        mensaje = format_lazy(_("Parámetro no admitido. Se admiten: {admitidos}."), admitidos=", ".join(admitidos))
    else:
        mensaje = _("Parámetro no admitido: este recurso no acepta parámetros de consulta.")
    return {p: [str(mensaje)] for p in desconocidos}
