"""What the authority's seal costs per constancia, side by side with rendering it, in one run.

    .venv/bin/python benchmarks/sellado.py [--asistentes 1041] [--bloque 100]

In a throwaway SQLite database (migrated here, removed at the end) it builds one session with N
attendees (1,041 by default, the size of the demo's 2023 cycle) and renders their constancias the way a worker does
(jornadas.constancias.renderizado.renderizar: one WeasyPrint layout per chunk of --bloque, cut into one
file per attendee). Then, for the same files, it applies the institutional seal (core.sellos.sellar:
one PAdES signature with a 2,048-bit RSA key from a PKCS#12, as core.documentos does after WeasyPrint)
and prints, for each step, the wall time, the process CPU time, per constancia and in all, the batch's
total with and without the seal, and how much the seal adds. The baseline (rendering without a seal)
is measured in the same run, on the same machine load. It prints figures; it asserts nothing.
"""

import argparse
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

RAIZ = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(RAIZ))
_tmp = Path(tempfile.mkdtemp(prefix="reconoce-bench-sello-"))
os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.test"
os.environ["DATABASE_URL"] = f"sqlite:///{_tmp / 'bench.sqlite3'}"
os.environ["TEST_MEDIA_DIR"] = str(_tmp)

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402


def _reloj():
    return time.perf_counter(), time.process_time()


def _desde(inicio):
    pared, cpu = _reloj()
    return pared - inicio[0], cpu - inicio[1]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--asistentes", type=int, default=1041)
    parser.add_argument("--bloque", type=int, default=100)
    args = parser.parse_args()

    call_command("migrate", verbosity=0)
    from django.conf import settings

    from core import sellos
    from core.models import DocumentoVerificable
    from jornadas import constancias
    from jornadas.constancias.renderizado import renderizar
    from tests import factories, firmas
    from tests.jornadas import builders as bj

    jornada = bj.jornada_con_asistentes(args.asistentes)
    personal = factories.PersonalFactory(autoridad=jornada.autoridad).usuario
    lote = constancias.constancias_emitir(usuario=personal, jornada=jornada, encolar=False)
    docs = list(DocumentoVerificable.objects.filter(constancia__lote=lote)
                .select_related("constancia__registro__participante__sujeto",
                                "constancia__registro__jornada__autoridad").order_by("folio"))
    print(f"{len(docs):,} constancias de una jornada; bloques de {args.bloque}.")

    inicio = _reloj()
    pdfs = []
    for i in range(0, len(docs), args.bloque):
        pdfs.extend(renderizar(docs[i:i + args.bloque]))
    render_pared, render_cpu = _desde(inicio)

    # The authority's seal, as a deployment configures it (a PKCS#12 and its secret).
    ac = firmas.autoridad_certificadora()
    settings.FIRMA_SELLOS_DIR.mkdir(parents=True, exist_ok=True)
    slug = jornada.autoridad.slug
    (settings.FIRMA_SELLOS_DIR / f"{slug}.p12").write_bytes(firmas.sello_pkcs12(ac, jornada.autoridad.siglas))
    os.environ[f"SELLO_{slug.upper().replace('-', '_')}_CLAVE"] = firmas.CONTRASENA
    sellos.olvidar()
    sellos.sello_de(jornada.autoridad)  # opened once per process, as in a worker

    inicio = _reloj()
    sellados = [sellos.sellar(pdf, jornada.autoridad, razon=f"Constancia {d.folio}") for pdf, d in zip(pdfs, docs,
                                                                                                         strict=True)]
    sello_pared, sello_cpu = _desde(inicio)
    n = len(docs)
    extra = sum(len(s) - len(p) for s, p in zip(sellados, pdfs, strict=True)) / n

    print()
    print(f"{'paso':<34}{'pared total':>12}{'ms/const.':>11}{'CPU total':>11}{'ms CPU/const.':>15}")
    for nombre, pared, cpu in (("renderizar (WeasyPrint, sin sello)", render_pared, render_cpu),
                               ("sellar (PAdES, RSA 2048)", sello_pared, sello_cpu),
                               ("lote con sello", render_pared + sello_pared, render_cpu + sello_cpu)):
        print(f"{nombre:<34}{pared:>11.1f}s{1000 * pared / n:>11.1f}{cpu:>10.1f}s{1000 * cpu / n:>15.1f}")
    print()
    print(f"El sello agrega {100 * sello_pared / render_pared:.0f} % al tiempo de pared de renderizar "
          f"({100 * sello_cpu / render_cpu:.0f} % del CPU) y {extra / 1024:.1f} KiB a cada PDF "
          f"(de {sum(map(len, pdfs)) / n / 1024:.1f} KiB en promedio).")


if __name__ == "__main__":
    try:
        main()
    finally:
        shutil.rmtree(_tmp, ignore_errors=True)
