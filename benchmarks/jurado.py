"""The jury's dashboard at 20 and at 200 pre-selected practices, side by side.

    .venv/bin/python benchmarks/jurado.py                  # SQLite in memory
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/test .venv/bin/python benchmarks/jurado.py

Builds, in a throwaway database (`reconoce_bench` on PostgreSQL, created and dropped here; memory
on SQLite), two calls in evaluation with 5 jury members who have all submitted every score, then
renders the dashboard through Django's test Client (server time: middleware, views, selectors and
templates, no network) as staff and as a juror, and its CSV export. Prints the median and p95 over
--veces renders and the query count of one render. It prints figures; it asserts nothing."""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

RAIZ = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(RAIZ))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
os.environ.setdefault("CELERY_EAGER", "1")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection, reset_queries  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import (  # noqa: E402
    CaptureQueriesContext,
    setup_databases,
    setup_test_environment,
    teardown_databases,
)
from django.urls import reverse  # noqa: E402

BASE_BENCH = "reconoce_bench"


def construir(n_practicas, autoridad, personal):
    from tests import factories
    from tests.evaluacion import builders

    conv = builders.convocatoria_abierta_hasta_ayer(autoridad=autoridad)
    sujetos = [factories.SujetoFactory() for _ in range(min(n_practicas, 40))]
    practicas = builders.practicas_enviadas_en_bloque(conv, n_practicas, sujetos=sujetos)
    miembros = builders.jurado_con_cuentas(conv, 5)
    conv = builders.cerrar(conv)
    for p in practicas:
        builders.admitir(p, personal)
    conv = builders.turnar(conv, personal)
    # Spread-out scores so that totals, medians and disagreement flags vary.
    builders.calificaciones_en_bloque(conv, practicas, miembros,
                                      puntaje=lambda mi, pi, ci: 4 + (mi * 3 + pi * 7 + ci) % 7)
    return conv, miembros


def medir(cliente, url, veces):
    for _ in range(3):  # warm-up: template loading, first connection, caches
        cliente.get(url)
    reset_queries()  # the log is a bounded deque: start it empty so the count is exact
    with CaptureQueriesContext(connection) as consultas:
        resp = cliente.get(url)
    n_consultas = len(consultas)  # now: the next request clears the connection's log
    assert resp.status_code == 200, (url, resp.status_code)
    tiempos = []
    for _ in range(veces):
        inicio = time.perf_counter()
        cliente.get(url)
        tiempos.append((time.perf_counter() - inicio) * 1000)
    tiempos.sort()
    p95 = tiempos[min(len(tiempos) - 1, round(0.95 * (len(tiempos) - 1)))]
    return {"consultas": n_consultas, "mediana": statistics.median(tiempos), "p95": p95,
            "bytes": len(resp.content)}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--veces", type=int, default=30, help="renders measured per page (default 30)")
    parser.add_argument("--tamanos", type=int, nargs="+", default=[20, 200], help="practices per call")
    args = parser.parse_args()

    db = settings.DATABASES["default"]
    if db["ENGINE"] != "django.db.backends.sqlite3":
        db.setdefault("TEST", {})["NAME"] = BASE_BENCH
    motor = connection.vendor
    setup_test_environment()
    anterior = setup_databases(verbosity=0, interactive=False, keepdb=False)
    try:
        from tests import factories

        version = connection.cursor().connection.server_version if motor == "postgresql" else None
        autoridad = factories.AutoridadFactory()
        personal = factories.PersonalFactory(autoridad=autoridad).usuario
        resultados = {}
        for n in args.tamanos:
            inicio = time.perf_counter()
            conv, miembros = construir(n, autoridad, personal)
            armado = time.perf_counter() - inicio
            staff, jurado = Client(), Client()
            staff.force_login(personal)
            jurado.force_login(miembros[0].usuario)
            tablero = reverse("panel:tablero", args=[conv.slug])
            resultados[n] = {
                "armado": armado,
                "tablero (personal)": medir(staff, tablero, args.veces),
                "tablero (jurado)": medir(jurado, tablero, args.veces),
                "tablero ordenado por dispersión": medir(staff, tablero + "?orden=dispersion", args.veces),
                "CSV": medir(staff, reverse("panel:tablero_csv", args=[conv.slug]), args.veces),
            }
    finally:
        teardown_databases(anterior, verbosity=0)

    nombre = {"postgresql": f"PostgreSQL {version // 10000}.{version % 10000}" if version else "PostgreSQL",
              "sqlite": "SQLite (memoria)"}.get(motor, motor)
    print(f"Tablero del jurado · {nombre} · 5 integrantes, todas las calificaciones enviadas · "
          f"{args.veces} mediciones por página")
    armados = ", ".join(f"{n} prácticas {r['armado']:.1f} s" for n, r in resultados.items())
    print(f"(armado de datos: {armados})")
    columnas = [f"{n} prácticas" for n in args.tamanos]
    print(f"\n{'página':<34}{'medida':<14}" + "".join(f"{c:>16}" for c in columnas))
    for pagina in ["tablero (personal)", "tablero (jurado)", "tablero ordenado por dispersión", "CSV"]:
        for medida, formato in [("consultas", "{:>16d}"), ("mediana (ms)", "{:>16.1f}"), ("p95 (ms)", "{:>16.1f}"),
                                ("KB", "{:>16.0f}")]:
            clave = {"consultas": "consultas", "mediana (ms)": "mediana", "p95 (ms)": "p95", "KB": "bytes"}[medida]
            valores = [resultados[n][pagina][clave] for n in args.tamanos]
            if clave == "bytes":
                valores = [v / 1024 for v in valores]
            etiqueta = pagina if medida == "consultas" else ""
            print(f"{etiqueta:<34}{medida:<14}" + "".join(formato.format(v) for v in valores))
    print("\nEl número de consultas no depende del número de prácticas; los tiempos son del servidor "
          "(Client de pruebas, sin red).")


if __name__ == "__main__":
    main()
