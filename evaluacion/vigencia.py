"""Validity arithmetic: N months later, with month ends clamped (29 February → 28 February)."""

import calendar
from datetime import date


def sumar_meses(inicio: date, meses: int) -> date:
    total = inicio.month - 1 + meses
    anio, mes = inicio.year + total // 12, total % 12 + 1
    dia = min(inicio.day, calendar.monthrange(anio, mes)[1])
    return date(anio, mes, dia)
