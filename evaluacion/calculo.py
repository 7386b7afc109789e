"""Score arithmetic, pure functions: weighted totals, mean, median, spread."""

from decimal import ROUND_HALF_UP, Decimal
from statistics import mean, median, pstdev

TRES = Decimal("0.001")


def total_ponderado(puntajes: dict[int, Decimal], pesos: dict[int, Decimal]) -> Decimal:
    """Weighted mean of one juror's criterion scores."""
    suma_pesos = sum(pesos[c] for c in puntajes)
    total = sum(puntajes[c] * pesos[c] for c in puntajes) / suma_pesos
    return total.quantize(TRES, rounding=ROUND_HALF_UP)


def resumen(valores: list[Decimal]) -> dict:
    """Mean, median, standard deviation and range of some totals (None when there are none)."""
    if not valores:
        return {"media": None, "mediana": None, "desviacion": None, "rango": None, "n": 0}
    flotantes = [float(v) for v in valores]
    return {
        "media": Decimal(str(mean(flotantes))).quantize(TRES, rounding=ROUND_HALF_UP),
        "mediana": Decimal(str(median(flotantes))).quantize(TRES, rounding=ROUND_HALF_UP),
        "desviacion": Decimal(str(pstdev(flotantes))).quantize(TRES, rounding=ROUND_HALF_UP),
        "rango": (max(valores) - min(valores)).quantize(TRES),
        "n": len(valores),
    }
