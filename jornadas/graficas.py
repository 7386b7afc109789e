"""Bar charts drawn on the server as inline SVG: no JavaScript, the same markup on the page and in
the PDF. Each chart is an image with a text alternative (role="img" and aria-label); templates put
the same numbers in a table beside it."""

import textwrap

from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

ANCHO = 640
ALTO_BARRA = 18
ALTO_LINEA = 16
SEPARACION = 14
MARGEN = 8
ESPACIO_VALOR = 120  # room right of the longest bar for "1,041 (100.0 %)"
CARACTERES_POR_LINEA = 78
COLOR_BARRA = "#1f5f8b"  # 7:1 against white
COLOR_FONDO_BARRA = "#e9eef3"
COLOR_TEXTO = "#212529"


def _numero(n) -> str:
    return f"{n:,}"


def _porcentaje(p) -> str:
    return f"{p:.1f} %"


def descripcion(titulo: str, filas: list[dict], *, con_porcentaje=True) -> str:
    """The chart's text alternative: every label with its count (and percentage)."""
    partes = []
    for f in filas:
        if con_porcentaje:
            partes.append(_("%(e)s: %(n)s (%(p)s)") % {"e": f["etiqueta"], "n": _numero(f["conteo"]),
                                                      "p": _porcentaje(f["porcentaje"])})
        else:
            partes.append(_("%(e)s: %(n)s") % {"e": f["etiqueta"], "n": _numero(f["conteo"])})
    return f"{titulo}. " + "; ".join(partes) + "."


def barras(filas: list[dict], *, titulo: str, con_porcentaje: bool = True, escala: float | None = None) -> SafeString:
    """Horizontal bars, one per row {"etiqueta", "conteo", "porcentaje"}. Bars are as long as the
    percentage (or the count, relative to the largest, when con_porcentaje is False)."""
    if not filas:
        return mark_safe("")  # noqa: S308 - constant
    maximo = escala or (100.0 if con_porcentaje else max((f["conteo"] for f in filas), default=0) or 1)
    largo_max = ANCHO - 2 * MARGEN - ESPACIO_VALOR
    partes = []
    y = MARGEN
    for f in filas:
        lineas = textwrap.wrap(str(f["etiqueta"]), CARACTERES_POR_LINEA) or [""]
        for linea in lineas:
            y += ALTO_LINEA
            partes.append(format_html('<text x="{}" y="{}" font-size="13" fill="{}">{}</text>',
                                      MARGEN, y - 3, COLOR_TEXTO, linea))
        y += 4
        medida = f["porcentaje"] if con_porcentaje else f["conteo"]
        largo = round(largo_max * min(medida / maximo, 1.0), 1) if maximo else 0
        partes.append(format_html('<rect x="{}" y="{}" width="{}" height="{}" fill="{}"/>',
                                  MARGEN, y, largo_max, ALTO_BARRA, COLOR_FONDO_BARRA))
        if largo:
            partes.append(format_html('<rect x="{}" y="{}" width="{}" height="{}" fill="{}"/>',
                                      MARGEN, y, largo, ALTO_BARRA, COLOR_BARRA))
        valor = (f"{_numero(f['conteo'])} ({_porcentaje(f['porcentaje'])})" if con_porcentaje
                 else _numero(f["conteo"]))
        partes.append(format_html('<text x="{}" y="{}" font-size="13" font-weight="bold" fill="{}">{}</text>',
                                  MARGEN + largo_max + 6, y + ALTO_BARRA - 4, COLOR_TEXTO, valor))
        y += ALTO_BARRA + SEPARACION
    alto = y + MARGEN
    etiqueta = descripcion(titulo, filas, con_porcentaje=con_porcentaje)
    return format_html(
        '<svg xmlns="http://www.w3.org/2000/svg" class="grafica" role="img" aria-label="{}" '
        'viewBox="0 0 {} {}" width="100%" preserveAspectRatio="xMinYMin meet" '
        'font-family="DejaVu Sans, Arial, sans-serif"><title>{}</title>{}</svg>',
        etiqueta, ANCHO, alto, escape(titulo), mark_safe("".join(partes)),  # noqa: S308 - parts built with format_html
    )
