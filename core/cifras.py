"""How the portal writes a figure, one rule per kind, the Mexican way (es-MX: «,» between
thousands, «.» before decimals), wherever it appears: pages, PDFs, e-mails and charts.

- a count (practices, people, constancias): no decimals, thousands grouped — 1,041;
- a score or weighted total on the 0–10 scale: two decimals — 9.43 (the stored 9.433 is kept for
  the computation and the open data, never printed as is);
- a percentage: one decimal and a space before the sign — 37.5 %.

Templates use the filters of the same names in core/templatetags/reconoce.py."""

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

VACIO = "—"


def _decimal(valor) -> Decimal | None:
    if valor is None or valor == "":
        return None
    try:
        return Decimal(str(valor))
    except (InvalidOperation, ValueError):
        return None


def cifra(valor) -> str:
    numero = _decimal(valor)
    if numero is None:
        return VACIO
    return f"{int(numero.quantize(Decimal(1), rounding=ROUND_HALF_UP)):,}"


def calificacion(valor) -> str:
    numero = _decimal(valor)
    if numero is None:
        return VACIO
    return f"{numero.quantize(Decimal('0.01'), rounding=ROUND_HALF_UP):,}"


def porcentaje(valor) -> str:
    numero = _decimal(valor)
    if numero is None:
        return VACIO
    return f"{numero.quantize(Decimal('0.1'), rounding=ROUND_HALF_UP):,} %"
