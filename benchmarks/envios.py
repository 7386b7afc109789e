"""The rush at the deadline: N enlaces submit their practice in the same instant, under gunicorn.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/reconoce_bench_envios \\
    CELERY_BROKER_URL=redis://127.0.0.1:6379/5 CACHE_URL=redis://127.0.0.1:6379/5 \\
        .venv/bin/python benchmarks/envios.py [--n 200] [--solas 20] [--workers 3] [--puerto 8301] [--perfil] [--eager]

PostgreSQL only (the folio lock under test is a row lock). The database named by --base or
DATABASE_URL is created here, marked as this benchmark's (a comment on the database) and dropped
at the end unless --conservar; an existing database without that mark is never touched. It is
migrated and loaded with one open call and, for each submission, a complete draft of its own body
(an approved enlace account, every required field, the evidence of every criterion, a CSV file
and a link as supports), the same drafts tests/practicas submit. Every enlace gets a session
written directly in the session table (and a CSRF cookie), so signing in is not measured.

gunicorn (config.wsgi, --workers sync workers, settings benchmarks.settings_envios: DEBUG off,
persistent connections, Celery not eager: the acuse is queued to CELERY_BROKER_URL, or to kombu's
in-memory transport without one, never rendered in the request; --eager renders it in the request
after the commit, as settings_bench and a deployment without a broker do) serves that database on
127.0.0.1:--puerto. After a warm-up (a few pages and submissions, unmeasured), it submits --solas
drafts one after another, then fires --n submissions at once (one thread each, --hilos at most,
released together), and prints side by side, for one submission alone and for the rush:

- server time per submission, from gunicorn's access log (%(D)s: from the request read to the
  response written, whatever waited in the listen queue excluded): median, p95, max;
- latency seen by the client (queueing included): median, p95, max, and the rush's wall time and
  throughput;
- CPU per submission of the gunicorn workers and of their PostgreSQL backends (from /proc: far
  less sensitive than wall time to whatever else the machine is running);
- errors (a status other than the redirect, a refused submission, a draft left unsent), and the
  folio check: every folio unique and consecutive, the rush's a gapless run.

--perfil then submits one more draft in this process through Django's test Client under cProfile
and prints its queries (with their time) and the functions that took the most time. It prints
figures; it asserts nothing. The machine's load average is printed: other processes on it lengthen
wall times and, much less, CPU per submission."""

import argparse
import contextlib
import cProfile
import http.client
import io
import os
import pstats
import re
import secrets
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

RAIZ = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(RAIZ))
MARCA = "reconoce: base temporal de benchmarks/envios.py"
CSV = b"municipio,monto\nMetepec,1200\nToluca,3400\n"
FORMATO_LOG = "%({x-envio}i)s %(s)s %(D)s"


def _argumentos():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base", default=os.environ.get("DATABASE_URL", ""),
                        help="PostgreSQL URL of the database to create (default: DATABASE_URL)")
    parser.add_argument("--n", type=int, default=200, help="simultaneous submissions (default 200)")
    parser.add_argument("--solas", type=int, default=20, help="submissions one after another, the baseline")
    parser.add_argument("--hilos", type=int, default=0, help="client threads at most (default: --n)")
    parser.add_argument("--workers", type=int, default=3, help="gunicorn sync workers (default 3)")
    parser.add_argument("--puerto", type=int, default=8301, help="gunicorn's port on 127.0.0.1 (default 8301)")
    parser.add_argument("--conn-max-age", type=int, default=60, help="CONN_MAX_AGE of the web workers (default 60)")
    parser.add_argument("--eager", action="store_true",
                        help="Celery eager in the web workers: the acuse is rendered in the request, after the commit")
    parser.add_argument("--perfil", action="store_true", help="profile one more submission in this process")
    parser.add_argument("--conservar", action="store_true", help="keep the database afterwards (to inspect it)")
    return parser.parse_args()


ARGS = _argumentos()
if not ARGS.base.startswith(("postgres://", "postgresql://")):
    raise SystemExit("Hace falta una base PostgreSQL: --base postgres://… o DATABASE_URL.")
_url = urlsplit(ARGS.base)
BASE = _url.path.lstrip("/")
MANTENIMIENTO = urlunsplit(_url._replace(path="/postgres"))
MEDIA = Path(tempfile.mkdtemp(prefix="reconoce-bench-envios-"))
COLA = f"bench-envios-{uuid.uuid4().hex[:10]}"
os.environ.update({
    "DATABASE_URL": ARGS.base, "DJANGO_SETTINGS_MODULE": "benchmarks.settings_envios", "BENCH_MEDIA": str(MEDIA),
    "CELERY_TASK_DEFAULT_QUEUE": COLA, "BENCH_EAGER": "1" if ARGS.eager else "0",
})

import psycopg2  # noqa: E402


def _servidor(sql, params=None):
    """Run one statement on the server's maintenance database; the first row, if any."""
    con = psycopg2.connect(MANTENIMIENTO)
    con.autocommit = True
    try:
        with con.cursor() as cur:
            cur.execute(sql, params)
            return cur.fetchone() if cur.description else None
    finally:
        con.close()


def _crear_base():
    fila = _servidor("SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = %s", [BASE])
    if fila is not None:
        if fila[0] != MARCA:
            raise SystemExit(f"La base «{BASE}» ya existe y no la creó este benchmark: no se toca. Use otro nombre.")
        _servidor(f'DROP DATABASE "{BASE}" WITH (FORCE)')
    _servidor(f'CREATE DATABASE "{BASE}"')
    _servidor(f"COMMENT ON DATABASE \"{BASE}\" IS '{MARCA}'")


_crear_base()

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY  # noqa: E402
from django.contrib.sessions.backends.db import SessionStore  # noqa: E402
from django.core.files.uploadedfile import SimpleUploadedFile  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, connections  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.urls import reverse  # noqa: E402
from django.utils import timezone  # noqa: E402

from config.celery import app  # noqa: E402
from practicas import services  # noqa: E402
from practicas.models import Acuse, Practica  # noqa: E402

# --- data ----------------------------------------------------------------------------------------

class Borrador:
    """A complete draft of its own body, its enlace and that enlace's cookies."""

    def __init__(self, practica, usuario):
        self.practica, self.usuario = practica, usuario
        sesion = SessionStore()
        sesion[SESSION_KEY] = str(usuario.pk)
        sesion[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
        sesion[HASH_SESSION_KEY] = usuario.get_session_auth_hash()
        sesion.create()
        self.csrf = secrets.token_hex(16)  # a 32-character secret: Django takes it unmasked in the header
        self.cookies = {settings.SESSION_COOKIE_NAME: sesion.session_key, settings.CSRF_COOKIE_NAME: self.csrf}
        self.ruta = reverse("practicas:enviar", args=[practica.pk])


def preparar(total):
    from tests import factories

    autoridad = factories.AutoridadFactory()
    conv = factories.ConvocatoriaFactory(autoridad=autoridad, prefijo_folio="BENCH", anio=timezone.localdate().year,
                                         slug="convocatoria-bench-envios")
    borradores = []
    for i in range(total):
        enlace = factories.EnlaceFactory(usuario__email=f"enlace{i}@bench.gob.mx",
                                         sujeto__nombre=f"Secretaría de Prueba del Envío {i}")
        practica = factories.PracticaFactory(convocatoria=conv, sujeto=enlace.sujeto, creada_por=enlace.usuario)
        services.soporte_agregar_archivo(practica=practica, usuario=enlace.usuario, criterio=None,
                                         archivo=SimpleUploadedFile("presupuesto.csv", CSV, content_type="text/csv"))
        services.soporte_agregar_enlace(practica=practica, usuario=enlace.usuario,
                                        url=f"https://datos.ejemplo.gob.mx/practicas/{practica.pk}")
        borradores.append(Borrador(practica, enlace.usuario))
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return conv, borradores


# --- gunicorn --------------------------------------------------------------------------------------

class Gunicorn:
    def __init__(self, workers, puerto, log):
        self.base, self.log, self.puerto = f"http://127.0.0.1:{puerto}", log, puerto
        entorno = {**os.environ, "PYTHONPATH": str(RAIZ), "CONN_MAX_AGE": str(ARGS.conn_max_age)}
        self.salida = (MEDIA / "gunicorn.err").open("ab")
        self.proceso = subprocess.Popen(
            [str(Path(sys.executable).parent / "gunicorn"), "config.wsgi:application", "--workers", str(workers),
             "--bind", f"127.0.0.1:{puerto}", "--logger-class", "config.gunicorn_registro.SinTokens",
             "--access-logfile", str(log), "--access-logformat", FORMATO_LOG, "--log-level", "warning"],
            cwd=RAIZ, env=entorno, stdout=self.salida, stderr=subprocess.STDOUT)
        for _ in range(150):
            if self.proceso.poll() is not None:
                raise SystemExit(f"gunicorn terminó al arrancar; vea {MEDIA / 'gunicorn.err'}")
            try:
                with urllib.request.urlopen(f"{self.base}/bench/desnudo/", timeout=1) as r:  # noqa: S310 - loopback
                    if r.status == 200:
                        return
            except OSError:
                time.sleep(0.2)
        raise SystemExit("gunicorn no respondió")

    def workers(self):
        hijos = []
        for entrada in Path("/proc").iterdir():
            if entrada.name.isdigit():
                with contextlib.suppress(OSError):
                    if int((entrada / "stat").read_text().rsplit(")", 1)[1].split()[1]) == self.proceso.pid:
                        hijos.append(int(entrada.name))
        return hijos

    def detener(self):
        self.proceso.terminate()
        try:
            self.proceso.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.proceso.kill()
            self.proceso.wait(timeout=10)
        self.salida.close()


def cpu_s(pids):
    """CPU seconds (user + system) the processes have used so far (gone ones count 0)."""
    total = 0
    for pid in pids:
        with contextlib.suppress(OSError):
            campos = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            total += int(campos[11]) + int(campos[12])
    return total / os.sysconf("SC_CLK_TCK")


def backends_web():
    """PostgreSQL backend processes of the web workers (every connection to the base but ours)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pid FROM pg_stat_activity WHERE datname = current_database() "
                       "AND pid <> pg_backend_pid() AND backend_type = 'client backend'")
        return [fila[0] for fila in cursor.fetchall()]


# --- submitting ------------------------------------------------------------------------------------

def peticion(puerto, metodo, ruta, borrador, etiqueta=""):
    """One request with the draft's cookies; (status, Location, seconds)."""
    inicio = time.perf_counter()
    conexion = http.client.HTTPConnection("127.0.0.1", puerto, timeout=300)
    try:
        cabeceras = {"Cookie": "; ".join(f"{k}={v}" for k, v in borrador.cookies.items()), "X-Envio": etiqueta,
                     "Host": f"127.0.0.1:{puerto}"}
        if metodo == "POST":
            cabeceras.update({"X-CSRFToken": borrador.csrf, "Content-Type": "application/x-www-form-urlencoded",
                              "Content-Length": "0"})
        conexion.request(metodo, ruta, body=b"" if metodo == "POST" else None, headers=cabeceras)
        respuesta = conexion.getresponse()
        respuesta.read()
        return respuesta.status, respuesta.getheader("Location", ""), time.perf_counter() - inicio
    finally:
        conexion.close()


def enviar(puerto, borrador, etiqueta, salida=None):
    if salida is not None:
        salida.wait()
    try:
        estado, destino, segundos = peticion(puerto, "POST", borrador.ruta, borrador, etiqueta)
    except OSError as exc:
        return {"etiqueta": etiqueta, "borrador": borrador, "estado": None, "error": repr(exc),
                "latencia": None, "fin": time.perf_counter()}
    return {"etiqueta": etiqueta, "borrador": borrador, "estado": estado, "destino": destino, "latencia": segundos,
            "fin": time.perf_counter(), "error": ""}


def rafaga(puerto, borradores, prefijo, hilos):
    """All at once: every thread waits for the same signal, then connects and posts."""
    salida = threading.Event()
    with ThreadPoolExecutor(max_workers=hilos) as pool:
        futuros = [pool.submit(enviar, puerto, b, f"{prefijo}-{i}", salida) for i, b in enumerate(borradores)]
        time.sleep(0.5)  # the threads are waiting on the signal
        inicio = time.perf_counter()
        salida.set()
        resultados = [f.result() for f in futuros]
    return resultados, max(r["fin"] for r in resultados) - inicio


def tiempos_servidor(log):
    """etiqueta -> server milliseconds, from the access log."""
    tiempos = {}
    for linea in log.read_text().splitlines():
        partes = linea.split()
        if len(partes) == 3 and partes[2].isdigit():
            tiempos[partes[0]] = int(partes[2]) / 1000
    return tiempos


def resumen(resultados, servidor):
    enviadas = set(Practica.objects.filter(pk__in=[r["borrador"].practica.pk for r in resultados],
                                           estado=Practica.Estado.ENVIADA).values_list("pk", flat=True))
    errores = []
    for r in resultados:
        pk = r["borrador"].practica.pk
        if r["estado"] != 302 or r["destino"] != reverse("practicas:detalle", args=[pk]):
            errores.append(f"{r['etiqueta']}: {r['estado']} {r['error']}".strip())
        elif pk not in enviadas:
            errores.append(f"{r['etiqueta']}: 302 pero la práctica sigue en borrador")
    ms = sorted(servidor[r["etiqueta"]] for r in resultados if r["etiqueta"] in servidor)
    lat = sorted(1000 * r["latencia"] for r in resultados if r["latencia"] is not None)
    return {"n": len(resultados), "errores": errores, "servidor": ms, "latencia": lat,
            "consecutivos": sorted(Practica.objects.filter(pk__in=enviadas).values_list("consecutivo", flat=True))}


def p(valores, q):
    return valores[min(len(valores) - 1, round(q * (len(valores) - 1)))] if valores else float("nan")


def folios(conv):
    filas = list(Practica.objects.filter(convocatoria=conv, estado=Practica.Estado.ENVIADA)
                 .values_list("consecutivo", "folio"))
    numeros = sorted(n for n, _f in filas)
    esperados = {f"{conv.prefijo_folio}-{conv.anio}-{n:04d}" for n in numeros}
    return {"enviadas": len(filas), "unicos": len({f for _n, f in filas}) == len(filas),
            "consecutivos": numeros == list(range(1, len(filas) + 1)), "formato": {f for _n, f in filas} == esperados,
            "acuses": Acuse.objects.filter(practica__convocatoria=conv).count()}


# --- profiling -------------------------------------------------------------------------------------

def perfilar(borradores):
    """One submission in this process (test Client: middleware, view, service; no network)."""
    calentar, medir = borradores
    for b, nombre in ((calentar, "calentamiento"), (medir, "perfil")):
        cliente = Client()
        cliente.cookies.load(b.cookies)
        if nombre == "perfil":
            perfil = cProfile.Profile()
            with CaptureQueriesContext(connection) as consultas:
                inicio = time.perf_counter()
                perfil.enable()
                resp = cliente.post(b.ruta, HTTP_X_CSRFTOKEN=b.csrf)
                perfil.disable()
                ms = 1000 * (time.perf_counter() - inicio)
        else:
            resp = cliente.post(b.ruta, HTTP_X_CSRFTOKEN=b.csrf)
        assert resp.status_code == 302, resp.status_code
    b.practica.refresh_from_db()
    print(f"\nPerfil de un envío en proceso (Client de pruebas, cProfile activo): {ms:.1f} ms, "
          f"{len(consultas)} consultas ({sum(float(c['time']) for c in consultas.captured_queries) * 1000:.1f} ms en "
          f"la base), estado {b.practica.estado}, folio {b.practica.folio}")
    for i, c in enumerate(consultas.captured_queries, start=1):
        sql = re.sub(r'"[a-z_]+"\."([a-z_]+)"', r"\1", c["sql"])
        print(f"  {i:>2}. {float(c['time']) * 1000:5.1f} ms  {sql[:150]}")
    texto = io.StringIO()
    pstats.Stats(perfil, stream=texto).strip_dirs().sort_stats("cumulative").print_stats(35)
    print("\n".join(linea for linea in texto.getvalue().splitlines() if linea.strip())[:12000])


# --- the run ---------------------------------------------------------------------------------------

def main():
    carga_inicial = os.getloadavg()
    gunicorn = None
    try:
        call_command("migrate", verbosity=0)
        version = connection.cursor().connection.server_version
        calentamiento = 2 * ARGS.workers
        total = calentamiento + ARGS.solas + ARGS.n + (2 if ARGS.perfil else 0)
        inicio = time.perf_counter()
        conv, borradores = preparar(total)
        armado = time.perf_counter() - inicio
        calentar = borradores[:calentamiento]
        solas = borradores[calentamiento:calentamiento + ARGS.solas]
        juntas = borradores[calentamiento + ARGS.solas:calentamiento + ARGS.solas + ARGS.n]
        para_perfil = borradores[calentamiento + ARGS.solas + ARGS.n:]
        connections.close_all()

        log = MEDIA / "acceso.log"
        gunicorn = Gunicorn(ARGS.workers, ARGS.puerto, log)
        # Warm-up: every worker imports, loads templates and opens its connection (unmeasured).
        detalle = reverse("practicas:detalle", args=[calentar[0].practica.pk])
        for _ in range(3 * ARGS.workers):
            peticion(ARGS.puerto, "GET", detalle, calentar[0])
        rafaga(ARGS.puerto, calentar, "calentamiento", len(calentar))

        pids = gunicorn.workers()
        def medir_cpu(correr):
            """The run's CPU seconds in the web workers and in their database backends (None when
            the workers opened other connections meanwhile: those are not counted)."""
            pg = backends_web()
            web0, pg0 = cpu_s(pids), cpu_s(pg)
            resultado = correr()
            web, base = cpu_s(pids) - web0, cpu_s(pg) - pg0
            return resultado, web, base if pg and set(backends_web()) == set(pg) else None

        solas_res, cpu_web_solas, cpu_pg_solas = medir_cpu(
            lambda: [enviar(ARGS.puerto, b, f"sola-{i}") for i, b in enumerate(solas)])
        (juntas_res, muro), cpu_web_juntas, cpu_pg_juntas = medir_cpu(
            lambda: rafaga(ARGS.puerto, juntas, "junta", ARGS.hilos or ARGS.n))
        gunicorn.detener()
        gunicorn = None

        servidor = tiempos_servidor(log)
        a, b = resumen(solas_res, servidor), resumen(juntas_res, servidor)
        f = folios(conv)
        broker = "ninguno (Celery eager: el acuse se genera en la petición)" if ARGS.eager else \
            urlsplit(settings.CELERY_BROKER_URL).scheme
        cache = settings.CACHES["default"]["BACKEND"].rsplit(".", 1)[-1]
        print(f"Envíos simultáneos · PostgreSQL {version // 10000}.{version % 10000} · gunicorn {ARGS.workers} "
              f"workers síncronos · CONN_MAX_AGE={ARGS.conn_max_age} · broker {broker} · caché {cache} · "
              f"{os.cpu_count()} CPU compartidas por gunicorn, PostgreSQL y los {ARGS.hilos or ARGS.n} hilos cliente")
        print(f"(armado: {total} borradores completos de {total} sujetos en {armado:.1f} s; calentamiento: "
              f"{3 * ARGS.workers} páginas y {calentamiento} envíos sin medir)")
        columnas = [(f"{ARGS.solas} de una en una", a, cpu_web_solas, cpu_pg_solas),
                    (f"{ARGS.n} a la vez", b, cpu_web_juntas, cpu_pg_juntas)]
        print(f"\n{'':<46}" + "".join(f"{c[0]:>22}" for c in columnas))

        def fila(etiqueta, valores):
            print(f"{etiqueta:<46}" + "".join(f"{v:>22}" for v in valores))

        for nombre, clave in (("tiempo del servidor por envío (ms)", "servidor"), ("latencia del cliente (ms)", "latencia")):
            for q, etiqueta in ((0.5, "mediana"), (0.95, "p95"), (1.0, "máximo")):
                fila(f"{nombre if q == 0.5 else '':<36}{etiqueta:>10}", [f"{p(c[1][clave], q):.1f}" for c in columnas])
        fila("CPU de gunicorn por envío (ms)", [f"{1000 * c[2] / c[1]['n']:.1f}" for c in columnas])
        fila("CPU de PostgreSQL por envío (ms)", [f"{1000 * c[3] / c[1]['n']:.1f}" if c[3] is not None else "—" for c in columnas])
        fila("errores", [str(len(c[1]["errores"])) for c in columnas])
        fila("folios del grupo sin huecos", ["sí" if c[1]["consecutivos"] == list(range(
            c[1]["consecutivos"][0], c[1]["consecutivos"][0] + c[1]["n"])) else "NO" if c[1]["consecutivos"] else "—"
            for c in columnas])
        print(f"\nRáfaga de {ARGS.n}: {muro:.2f} s de la señal a la última respuesta, {ARGS.n / muro:.1f} envíos/s "
              f"(meta: ≤ 10 s, 0 errores; ≤ 40 ms de servidor por envío).")
        print(f"Folios de la convocatoria: {f['enviadas']} enviadas, únicos: {'sí' if f['unicos'] else 'NO'}, "
              f"consecutivos 1…{f['enviadas']}: {'sí' if f['consecutivos'] else 'NO'}, formato "
              f"{conv.prefijo_folio}-{conv.anio}-NNNN: {'sí' if f['formato'] else 'NO'}; acuses pendientes creados: "
              f"{f['acuses']}.")
        if None in (cpu_pg_solas, cpu_pg_juntas):
            print("(—: los workers abrieron conexiones nuevas durante la medición, cuya CPU en PostgreSQL no se "
                  "cuenta; p. ej. con CONN_MAX_AGE=0, o al cumplirse CONN_MAX_AGE)")
        for errores in (a["errores"], b["errores"]):
            for e in errores[:10]:
                print(f"  error: {e}")
        print(f"Carga media (1, 5, 15 min) al empezar: {', '.join(f'{c:.2f}' for c in carga_inicial)}; al terminar: "
              f"{', '.join(f'{c:.2f}' for c in os.getloadavg())} (máquina compartida: otros procesos alargan los "
              f"tiempos de pared).")
        if ARGS.perfil:
            perfilar(para_perfil)
    finally:
        if gunicorn is not None:
            gunicorn.detener()
        connections.close_all()
        if settings.CELERY_BROKER_URL.startswith(("redis://", "rediss://")):
            try:
                # The queued acuses and kombu's bindings of the run's queue (queue_delete alone only
                # unbinds what this process declared, which is nothing).
                with app.connection_for_write() as conn:
                    conn.default_channel.client.delete(COLA, f"_kombu.binding.{COLA}",
                                                       f"_kombu.binding_permanent.{COLA}")
            except Exception as exc:  # noqa: BLE001 - best effort
                print(f"(no se pudo borrar la cola {COLA}: {exc})")
        if not ARGS.conservar:
            _servidor(f'DROP DATABASE IF EXISTS "{BASE}" WITH (FORCE)')
        shutil.rmtree(MEDIA, ignore_errors=True)


if __name__ == "__main__":
    main()
