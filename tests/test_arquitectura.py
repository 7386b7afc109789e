"""The house's floors hold: no import circle between files, core/ imports no app, and every import
inside a function says why (benchmarks/imports.py prints the same figures)."""

import importlib.util
from pathlib import Path

RAIZ = Path(__file__).resolve().parent.parent


def _analisis():
    spec = importlib.util.spec_from_file_location("imports_reconoce", RAIZ / "benchmarks" / "imports.py")
    modulo = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(modulo)
    return modulo.analizar()


def test_ningun_circulo_de_imports_entre_archivos():
    assert _analisis()["circulos_con_funciones"] == []


def test_core_no_importa_ninguna_app_y_nada_importa_hacia_arriba():
    assert _analisis()["subidas"] == []


def test_cada_import_dentro_de_una_funcion_dice_por_que():
    analisis = _analisis()
    sin_motivo = [f"{m}:{linea}" for m, _destino, linea, comentado in analisis["funcion"] if not comentado]
    assert sin_motivo == []
    assert len(analisis["funcion"]) < 10
