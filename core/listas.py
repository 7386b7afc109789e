"""What the panel's long lists share: the ?q= they are narrowed by, their pages and their
downloads (CSV for Excel and XLSX) of exactly what the list shows, all rows at once.

A list view reads ``texto_busqueda(request)`` once and hands it to its selector, for the page and
for both downloads; ``pagina(request, consulta, por_pagina)`` gives the page asked for by
``?pagina=`` (past the last, the last one); ``descarga(filas, nombre, formato)`` answers with the
rows — an iterable whose first row is the header — as ``nombre.csv`` or ``nombre.xlsx``.

Downloads hold names and e-mail addresses of people: they are never cached anywhere
(``private, no-store``), and a cell a spreadsheet would run as a formula is written as text."""

import csv
import io
from collections.abc import Iterable
from decimal import Decimal

from django.core.paginator import Page, Paginator
from django.http import HttpResponse, StreamingHttpResponse
from django.utils import timezone
from django.utils.text import slugify
from openpyxl import Workbook

FORMATOS = ("csv", "xlsx")
MAX_BUSQUEDA = 100
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def texto_busqueda(request) -> str:
    """The list's ?q=, with its spaces collapsed and cut to MAX_BUSQUEDA characters."""
    return " ".join(request.GET.get("q", "").split())[:MAX_BUSQUEDA]


def pagina(request, consulta, por_pagina: int) -> Page:
    return Paginator(consulta, por_pagina).get_page(request.GET.get("pagina"))


def fecha_hora(valor) -> str:
    """A moment as a spreadsheet sorts it: local time, «2026-11-30 14:05:03»; empty when there is none."""
    return timezone.localtime(valor).strftime("%Y-%m-%d %H:%M:%S") if valor else ""


def celda_segura(valor) -> str:
    """Spreadsheets run a cell starting with = + - @ (or a tab or return) as a formula; such a
    cell is prefixed with an apostrophe, which they show as text (free text comes from the public)."""
    if _es_numero(valor):
        return str(valor)  # a figure, not text someone typed: −3 stays −3
    texto = "" if valor is None else str(valor)
    return "'" + texto if texto[:1] in ("=", "+", "-", "@", "\t", "\r") else texto


def _es_numero(valor) -> bool:
    return isinstance(valor, int | float | Decimal) and not isinstance(valor, bool)


def celda_xlsx(valor):
    """Figures stay numbers in the sheet (they sum and sort); everything else as celda_segura."""
    return valor if _es_numero(valor) else celda_segura(valor)


class _Eco:
    def write(self, valor):
        return valor


def privado(respuesta):
    respuesta["X-Content-Type-Options"] = "nosniff"
    respuesta["Cache-Control"] = "private, no-store"
    return respuesta


def respuesta_csv(filas: Iterable[list], nombre: str) -> StreamingHttpResponse:
    """Streamed, UTF-8 with a BOM so Excel opens it with its accents."""
    escritor = csv.writer(_Eco())

    def generar():
        yield "\ufeff"
        for fila in filas:
            yield escritor.writerow([celda_segura(v) for v in fila])

    respuesta = StreamingHttpResponse(generar(), content_type="text/csv; charset=utf-8")
    respuesta["Content-Disposition"] = f'attachment; filename="{nombre}"'
    return privado(respuesta)


def respuesta_xlsx(filas: Iterable[list], nombre: str, hoja: str) -> HttpResponse:
    """One sheet, written row by row (openpyxl's write-only mode keeps memory flat)."""
    libro = Workbook(write_only=True)
    pestaña = libro.create_sheet(hoja[:31])  # Excel's limit for a sheet's name
    for fila in filas:
        pestaña.append([celda_xlsx(v) for v in fila])
    salida = io.BytesIO()
    libro.save(salida)
    respuesta = HttpResponse(salida.getvalue(), content_type=XLSX)
    respuesta["Content-Disposition"] = f'attachment; filename="{nombre}"'
    return privado(respuesta)


def descarga(filas: Iterable[list], nombre: str, formato: str, hoja: str = ""):
    """``nombre`` without extension; ``formato`` one of FORMATOS."""
    base = slugify(nombre) or "lista"
    if formato == "xlsx":
        return respuesta_xlsx(filas, f"{base}.xlsx", hoja or base)
    return respuesta_csv(filas, f"{base}.csv")
