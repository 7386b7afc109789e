"""Constancias for 1,041 attendees: the batch pipeline against one PDF per task, through a real worker.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/reconoce_g CELERY_BROKER_URL=redis://127.0.0.1:6379/3 \\
        .venv/bin/python benchmarks/constancias.py [--tamanos 200 1041] [--por-tarea 100] \\
        [--ensambladores pikepdf a_mano] [--sin-ingenuo] [--con-sello]

Builds, in a throwaway PostgreSQL database (`reconoce_bench_constancias`, or the name in BENCH_BASE so
that runs sharing a server do not collide; created and dropped here),
sessions with 200 and 1,041 attendees, and for each measurement starts a fresh
`celery worker --concurrency=2` on a queue of its own (warmed up with a few single documents, so
both processes have imported WeasyPrint and loaded the fonts). Then:

- pipeline: `constancias_emitir` (constancias, folios and documents written, chunks queued as a
  Celery group, one WeasyPrint layout per chunk, cut into one file per attendee) until the batch is
  closed: every PDF rendered, stored, hashed and recorded, plus the batch's ZIP and merged PDF;
- the pipeline once per PDF assembler (`--ensambladores`, in that order): the app's (pikepdf) and,
  as the baseline, the hand-written xref writer it replaced (benchmarks/constancias_pdf_a_mano.py,
  swapped in for jornadas.constancias_pdf in that worker only); then each assembler merges the
  files it split for the largest batch into one PDF in this process, timed side by side;
- with --con-sello, the pipeline again for the largest batch (app's assembler) with the authority's
  institutional seal configured (a PKCS#12 from a throwaway CA and its secret, as a deployment sets
  them: the worker signs every constancia after WeasyPrint), side by side with the same batch unsealed;
- naive: the same 1,041 documents, pending again, one `core.tasks.documento_generar_task` each
  (one WeasyPrint document per attendee), until all are recorded as ready.

Prints wall times, certificates per second, the worker's CPU time per certificate (which other load
on the machine changes far less than wall time), the ratio, and each worker process's peak resident memory (VmHWM
from /proc: the worker's main process and its two pool processes), read once every PDF is ready and
again after the batch's ZIP, merged PDF and e-mails (the test settings keep e-mails in memory). It
prints figures; it asserts nothing. BENCH_LOGLEVEL=--loglevel=INFO logs each task's duration and
BENCH_CONSERVAR=1 keeps the temporary folder with the worker's log.
"""

import argparse
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path
from urllib.parse import quote

RAIZ = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(RAIZ))
MEDIA = Path(tempfile.mkdtemp(prefix="reconoce-bench-constancias-"))
COLA = f"bench-constancias-{uuid.uuid4().hex[:10]}"
os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.test"
os.environ["TEST_MEDIA_DIR"] = str(MEDIA)  # the worker and this process share the files
os.environ["CELERY_EAGER"] = "0"
os.environ["CELERY_TASK_DEFAULT_QUEUE"] = COLA

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.test.utils import setup_databases, setup_test_environment, teardown_databases  # noqa: E402

from config.celery import app  # noqa: E402

BASE_BENCH = os.environ.get("BENCH_BASE", "reconoce_bench_constancias")
ARRANQUE_SEGUNDOS = 60


def database_url(d) -> str:
    usuario = quote(d.get("USER") or "", safe="")
    clave = quote(d.get("PASSWORD") or "", safe="")
    credenciales = f"{usuario}:{clave}@" if clave else (f"{usuario}@" if usuario else "")
    host = d.get("HOST") or ""
    if host.startswith("/"):
        host = quote(host, safe="")
    puerto = f":{d['PORT']}" if d.get("PORT") else ""
    return f"postgres://{credenciales}{host}{puerto}/{quote(d['NAME'], safe='')}"


ENSAMBLADORES = ("pikepdf", "a_mano")
# Celery's command line with the hand-written writer in place of jornadas.constancias_pdf (before
# anything imports it), so the worker's pool processes, forked from it, use the baseline.
LANZADOR_A_MANO = ("import sys, jornadas, constancias_pdf_a_mano as m; "
                   "sys.modules['jornadas.constancias_pdf'] = jornadas.constancias_pdf = m; "
                   "from celery.__main__ import main; sys.argv[0] = 'celery'; main()")


class Worker:
    """`celery -A config worker --concurrency=2` on this run's queue, in its own process group."""

    def __init__(self, log: Path, ensamblador: str = "pikepdf"):
        self.nombre = f"{COLA}-{uuid.uuid4().hex[:6]}@{socket.gethostname()}"
        env = {**os.environ, "DATABASE_URL": database_url(connection.settings_dict), "PYTHONUNBUFFERED": "1"}
        arranque = [sys.executable, "-m", "celery"]
        if ensamblador == "a_mano":
            arranque = [sys.executable, "-c", LANZADOR_A_MANO]
            env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(RAIZ / "benchmarks"), env.get("PYTHONPATH")]))
        comando = [*arranque, "-A", "config", "worker", "--pool=prefork", "--concurrency=2",
                   "-Q", COLA, "-n", self.nombre, os.environ.get("BENCH_LOGLEVEL", "--loglevel=WARNING"), "--without-mingle", "--without-gossip"]
        self.log = log
        with log.open("ab") as salida:
            self.proceso = subprocess.Popen(comando, cwd=RAIZ, env=env, stdout=salida, stderr=subprocess.STDOUT,
                                            start_new_session=True)
        limite = time.monotonic() + ARRANQUE_SEGUNDOS
        while not app.control.ping(destination=[self.nombre], timeout=1.0):
            if self.proceso.poll() is not None or time.monotonic() > limite:
                raise SystemExit(f"El worker no arrancó; vea {log}")

    def procesos(self) -> list[int]:
        """The worker's main process and its pool processes (children, from /proc)."""
        hijos = []
        for entrada in Path("/proc").iterdir():
            if entrada.name.isdigit():
                try:
                    estado = (entrada / "stat").read_text()
                except OSError:
                    continue
                if int(estado.rsplit(")", 1)[1].split()[1]) == self.proceso.pid:
                    hijos.append(int(entrada.name))
        return [self.proceso.pid, *sorted(hijos)]

    def cpu_s(self) -> float:
        """CPU seconds (user + system) used so far by the worker's processes: unlike wall time, it
        does not depend on what else the machine is running."""
        total = 0
        for pid in self.procesos():
            try:
                campos = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            total += int(campos[11]) + int(campos[12])
        return total / os.sysconf("SC_CLK_TCK")

    def memoria_pico_mb(self) -> list[float]:
        """VmHWM (peak resident set size) of each process, in MB: [main, pool processes...]."""
        picos = []
        for pid in self.procesos():
            try:
                for linea in Path(f"/proc/{pid}/status").read_text().splitlines():
                    if linea.startswith("VmHWM:"):
                        picos.append(int(linea.split()[1]) / 1024)
            except OSError:
                pass
        return picos

    def detener(self):
        if self.proceso.poll() is None:
            self.proceso.terminate()
            try:
                self.proceso.wait(timeout=120)
            except subprocess.TimeoutExpired:
                os.killpg(self.proceso.pid, signal.SIGKILL)
                self.proceso.wait(timeout=10)


def esperar(condicion, limite_s=900, cada=0.05):
    limite = time.monotonic() + limite_s
    while time.monotonic() < limite:
        if condicion():
            return time.perf_counter()
        time.sleep(cada)
    raise SystemExit("Tiempo agotado esperando al worker")


def reiniciar(documentos_ids):
    """Documents pending again, without their files: as if never rendered."""
    from core.models import DocumentoVerificable

    for doc in DocumentoVerificable.objects.filter(pk__in=documentos_ids).exclude(archivo=""):
        doc.archivo.delete(save=False)
    DocumentoVerificable.objects.filter(pk__in=documentos_ids).update(
        estado_pdf=DocumentoVerificable.EstadoPDF.PENDIENTE, archivo="", sha256="", intentos=0, generado_en=None,
        error="")


def calentar(worker, calentamiento_ids):
    """A few single documents, so both pool processes have WeasyPrint and the fonts loaded."""
    from core.models import DocumentoVerificable
    from core.tasks import documento_generar_task

    reiniciar(calentamiento_ids)
    for pk in calentamiento_ids:
        documento_generar_task.delay(pk)
    listas = DocumentoVerificable.objects.filter(pk__in=calentamiento_ids, estado_pdf="lista")
    esperar(lambda: listas.count() == len(calentamiento_ids))


def medir_lote(jornada, personal, log, calentamiento_ids, ensamblador):
    from core.models import DocumentoVerificable
    from jornadas import constancias
    from jornadas.models import LoteConstancias

    worker = Worker(log, ensamblador)
    try:
        calentar(worker, calentamiento_ids)
        cpu = worker.cpu_s()
        inicio = time.perf_counter()
        lote = constancias.constancias_emitir(usuario=personal, jornada=jornada)
        documentos = DocumentoVerificable.objects.filter(constancia__lote=lote)
        listos = esperar(lambda: not documentos.exclude(estado_pdf="lista").exists())
        memoria_generacion = worker.memoria_pico_mb()
        fin = esperar(lambda: LoteConstancias.objects.get(pk=lote.pk).estado != LoteConstancias.Estado.EN_PROCESO)
        lote.refresh_from_db()
        cpu = worker.cpu_s() - cpu
        memoria = worker.memoria_pico_mb()
    finally:
        worker.detener()
    total = documentos.count()
    return {"n": total, "listos": listos - inicio, "total": fin - inicio, "memoria": memoria, "estado": lote.estado,
            "cpu": cpu, "memoria_generacion": memoria_generacion,
            "zip_mb": lote.zip.size / 1e6, "pdf_mb": lote.pdf_unido.size / 1e6, "lote": lote,
            "ids": list(documentos.values_list("pk", flat=True))}


def medir_ingenuo(documentos_ids, log, calentamiento_ids):
    from core.models import DocumentoVerificable
    from core.tasks import documento_generar_task

    reiniciar(documentos_ids)
    worker = Worker(log)
    try:
        calentar(worker, calentamiento_ids)
        pendientes = DocumentoVerificable.objects.filter(pk__in=documentos_ids).exclude(estado_pdf="lista")
        cpu = worker.cpu_s()
        inicio = time.perf_counter()
        for pk in documentos_ids:
            documento_generar_task.delay(pk)
        fin = esperar(lambda: not pendientes.exists(), cada=0.2)
        cpu = worker.cpu_s() - cpu
        memoria = worker.memoria_pico_mb()
    finally:
        worker.detener()
    return {"n": len(documentos_ids), "total": fin - inicio, "memoria": memoria, "cpu": cpu}


def unir_en_proceso(lotes: dict) -> dict:
    """Each assembler merges the files it split (its batch in ``lotes``, else the first batch) into
    one PDF in this process: CPU ms and MB. (The old writer reads its own files as byte ranges and
    any other PDF through pypdf, which costs it far more.)"""
    import io

    import constancias_pdf_a_mano
    from pypdf import PdfReader

    from jornadas import constancias_pdf
    from jornadas.models import Constancia

    cifras = {}
    for nombre, modulo in (("pikepdf", constancias_pdf), ("a_mano", constancias_pdf_a_mano)):
        lote = lotes.get(nombre) or next(iter(lotes.values()))
        archivos = []
        for c in Constancia.objects.filter(lote=lote).select_related("documento").order_by("documento__folio"):
            with c.documento.archivo.open("rb") as fh:
                archivos.append(fh.read())
        salida = io.BytesIO()
        inicio = time.process_time()
        unido = modulo.PDFUnido(salida)
        for datos in archivos:
            unido.agregar(datos)
        paginas = unido.cerrar()
        cpu = time.process_time() - inicio
        assert len(PdfReader(io.BytesIO(salida.getvalue())).pages) == paginas == len(archivos)
        cifras[nombre] = {"ms": 1000 * cpu, "mb": len(salida.getvalue()) / 1e6, "n": paginas,
                          "de": next(e for e, x in lotes.items() if x == lote)}
    return cifras


def sellar(autoridad):
    """The authority's seal as a deployment configures it: <slug>.p12 in FIRMA_SELLOS_DIR (this run's
    folder, which the worker shares) and its secret in the environment the next worker inherits."""
    from core import sellos
    from tests import firmas

    ac = firmas.autoridad_certificadora()
    settings.FIRMA_SELLOS_DIR.mkdir(parents=True, exist_ok=True)
    (settings.FIRMA_SELLOS_DIR / f"{autoridad.slug}.p12").write_bytes(firmas.sello_pkcs12(ac, autoridad.siglas))
    os.environ[f"SELLO_{autoridad.slug.upper().replace('-', '_')}_CLAVE"] = firmas.CONTRASENA
    sellos.olvidar()
    return ac


def comprobar(lote, muestra=5, raiz=None):
    """A few of the batch's files open and carry their attendee's name and folio, and, sealed, a seal
    that validates intact (not an assertion: printed, so a broken run is visible next to its figures)."""
    import io

    from pypdf import PdfReader

    from core import firma_digital
    from jornadas.models import Constancia

    bien = 0
    revisadas = list(Constancia.objects.filter(lote=lote).select_related("documento", "registro__participante")
                     .order_by("?")[:muestra])
    for c in revisadas:
        with c.documento.archivo.open("rb") as fh:
            texto = PdfReader(io.BytesIO(fh.read())).pages[0].extract_text()
        correcto = c.registro.participante.nombre in texto and c.documento.folio in texto
        if raiz is not None:
            with c.documento.archivo.open("rb") as fh:
                resultado = firma_digital.verificar_pdf(fh.read(), raices=[raiz.der])
            correcto = correcto and resultado.intacto and resultado.firmas[0].confiable
        bien += correcto
    with lote.pdf_unido.open("rb") as fh:
        paginas = len(PdfReader(fh).pages)
    sello = " y su sello íntegro y de la AC configurada" if raiz is not None else ""
    return f"{bien}/{len(revisadas)} archivos revisados con su nombre y folio{sello}; PDF unido de {paginas} páginas"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tamanos", type=int, nargs="+", default=[200, 1041], help="attendees per batch")
    parser.add_argument("--por-tarea", type=int, default=settings.CONSTANCIAS_POR_TAREA,
                        help=f"constancias per chunk (default CONSTANCIAS_POR_TAREA={settings.CONSTANCIAS_POR_TAREA})")
    parser.add_argument("--sin-ingenuo", action="store_true", help="skip the one-PDF-per-task run")
    parser.add_argument("--con-sello", action="store_true",
                        help="also run the largest batch with the authority's seal configured (PAdES per constancia)")
    parser.add_argument("--ensambladores", nargs="+", choices=ENSAMBLADORES, default=list(ENSAMBLADORES),
                        help="PDF assemblers to run the pipeline with: the app's and the hand-written baseline")
    args = parser.parse_args()
    sys.path.insert(0, str(RAIZ / "benchmarks"))  # the baseline writer, for unir_en_proceso
    if not settings.CELERY_BROKER_URL or settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
        raise SystemExit("Hace falta DATABASE_URL (PostgreSQL) y CELERY_BROKER_URL (Redis).")
    settings.CONSTANCIAS_POR_TAREA = args.por_tarea
    app.conf.task_always_eager = False
    app.conf.task_default_queue = COLA

    carga_inicial = ", ".join(f"{c:.2f}" for c in os.getloadavg())
    settings.DATABASES["default"].setdefault("TEST", {})["NAME"] = BASE_BENCH
    setup_test_environment()
    anterior = setup_databases(verbosity=0, interactive=False, keepdb=False)
    log = MEDIA / "worker.log"
    try:
        from jornadas.models import Registro
        from tests import factories
        from tests.jornadas import builders as b

        autoridad = factories.AutoridadFactory()
        personal = factories.PersonalFactory(autoridad=autoridad).usuario
        sujetos = b.sujetos(40, prefijo="Secretaría")
        calentamiento = b.jornada_con_asistentes(4, sujetos_=sujetos, titulo="Calentamiento")
        from jornadas import constancias

        lote_cal = constancias.constancias_emitir(usuario=personal, jornada=calentamiento, encolar=False)
        calentamiento_ids = list(lote_cal.constancias.values_list("documento_id", flat=True))
        resultados = {}
        columnas = [(n, e) for n in args.tamanos for e in args.ensambladores]
        for n, ensamblador in columnas:
            jornada = b.jornada_con_asistentes(n, sujetos_=sujetos, titulo=f"Jornada de sensibilización ({n})")
            assert Registro.objects.filter(jornada=jornada, asistio=True).count() == n
            resultados[n, ensamblador] = medir_lote(jornada, personal, log, calentamiento_ids, ensamblador)
            resultados[n, ensamblador]["comprobacion"] = comprobar(resultados[n, ensamblador]["lote"])
            x = resultados[n, ensamblador]
            print(f"{n:,} asistentes, {ensamblador}: lote terminado en {x['total']:.2f} s (PDFs listos en "
                  f"{x['listos']:.2f} s), CPU del worker {1000 * x['cpu'] / n:.1f} ms por constancia", flush=True)
        mayor = max(args.tamanos)
        primera = (mayor, args.ensambladores[0])
        if args.con_sello:
            jornada = b.jornada_con_asistentes(mayor, sujetos_=sujetos, titulo=f"Jornada con sello ({mayor})")
            ac = sellar(jornada.autoridad)
            columnas.append((mayor, "sellado"))
            resultados[mayor, "sellado"] = x = medir_lote(jornada, personal, log, calentamiento_ids, "pikepdf")
            x["comprobacion"] = comprobar(x["lote"], raiz=ac)
            print(f"{mayor:,} asistentes, con sello: lote terminado en {x['total']:.2f} s (PDFs listos en "
                  f"{x['listos']:.2f} s), CPU del worker {1000 * x['cpu'] / mayor:.1f} ms por constancia", flush=True)
        union = unir_en_proceso({e: resultados[mayor, e]["lote"] for e in args.ensambladores})
        ingenuo = None if args.sin_ingenuo else medir_ingenuo(resultados[primera]["ids"], log, calentamiento_ids)
        version = connection.cursor().connection.server_version
    finally:
        teardown_databases(anterior, verbosity=0)
        try:
            with app.connection_for_write() as conn:
                conn.default_channel.queue_delete(COLA)
        except Exception as exc:  # noqa: BLE001 - best effort
            print(f"(no se pudo borrar la cola {COLA}: {exc})")
        if not os.environ.get("BENCH_CONSERVAR"):
            shutil.rmtree(MEDIA, ignore_errors=True)

    print(f"Constancias · PostgreSQL {version // 10000} · Redis · worker con --concurrency=2 · "
          f"{os.cpu_count()} núcleos · {args.por_tarea} constancias por tarea")
    print(f"\n{'':<44}" + "".join(f"{format(n, ','):>8} {e:<7}" for n, e in columnas)
          + (f"{'ingenuo ' + format(mayor, ','):>18}" if ingenuo else ""))

    def fila(etiqueta, valores, extra=""):
        print(f"{etiqueta:<44}" + "".join(f"{v:>14}  " for v in valores) + (f"{extra:>18}" if ingenuo else ""))

    r = [resultados[c] for c in columnas]
    fila("PDFs generados, guardados y registrados (s)", [f"{x['listos']:.2f}" for x in r],
         f"{ingenuo['total']:.2f}" if ingenuo else "")
    fila("…más ZIP y PDF unido: lote terminado (s)", [f"{x['total']:.2f}" for x in r], "—")
    fila("constancias por segundo (lote terminado)", [f"{x['n'] / x['total']:.1f}" for x in r],
         f"{ingenuo['n'] / ingenuo['total']:.1f}" if ingenuo else "")

    fila("CPU del worker por constancia (ms)", [f"{1000 * x['cpu'] / x['n']:.1f}" for x in r],
         f"{1000 * ingenuo['cpu'] / ingenuo['n']:.1f}" if ingenuo else "")

    def pico(memoria):
        return f"{max(memoria[1:] or memoria):.0f}"

    fila("memoria pico por proceso del pool (MB)", [pico(x["memoria_generacion"]) for x in r],
         pico(ingenuo["memoria"]) if ingenuo else "")
    fila("…incluido el cierre: ZIP, PDF unido, correos", [pico(x["memoria"]) for x in r], "—")
    fila("memoria pico del proceso principal (MB)", [f"{x['memoria'][0]:.0f}" for x in r],
         f"{ingenuo['memoria'][0]:.0f}" if ingenuo else "")
    fila("ZIP / PDF unido (MB)", [f"{x['zip_mb']:.1f}/{x['pdf_mb']:.1f}" for x in r], "")
    for (n, e), x in zip(columnas, r, strict=True):
        print(f"\n{n:,} asistentes, {e}: lote {x['estado']}; {x['comprobacion']}; "
              f"VmHWM por proceso (MB): {', '.join(f'{m:.0f}' for m in x['memoria'])}")
    print(f"\nPDF unido de los {mayor:,} archivos de un lote, en este proceso: "
          + "; ".join(f"{e} (archivos de {c['de']}) {c['ms']:.0f} ms de CPU ({c['ms'] / c['n']:.2f} ms por página), "
                      f"{c['mb']:.1f} MB" for e, c in union.items()))
    if ingenuo:
        x = resultados[primera]
        print(f"\nIngenuo (una tarea y un documento WeasyPrint por constancia), {mayor:,}: {ingenuo['total']:.2f} s; "
              f"VmHWM por proceso (MB): {', '.join(f'{m:.0f}' for m in ingenuo['memoria'])}")
        print(f"Razón ({primera[1]}): {ingenuo['total'] / x['listos']:.1f}× más rápido el lote hasta tener todos los PDFs; "
              f"{ingenuo['total'] / x['total']:.1f}× contando además el ZIP y el PDF unido; "
              f"{ingenuo['cpu'] / x['cpu']:.1f}× menos CPU del worker.")
    print(f"Carga media de la máquina (1, 5, 15 min) al empezar: {carga_inicial}; al terminar: "
          f"{', '.join(f'{c:.2f}' for c in os.getloadavg())} (otros procesos en la máquina alargan los tiempos "
          f"de pared y, mucho menos, la CPU por constancia).")


if __name__ == "__main__":
    main()
