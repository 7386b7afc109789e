"""The public catalogue at 100 and at 10,000 recognised practices, side by side, then its
throughput under gunicorn next to a bare Django view.

    .venv/bin/python benchmarks/catalogo.py
    BENCH_PG=postgres://postgres@127.0.0.1:5432 .venv/bin/python benchmarks/catalogo.py --veces 200 --wrk 10

PostgreSQL only (the search under test is its Spanish full-text search). Creates its own database
(`reconoce_bench_catalogo`, or $BENCH_BASE; dropped at the end, also on failure), migrates it,
loads 100 recognised practices (10 calls, one a year over 10 years, 20 bodies), measures, grows it
to 10,000 practices of 2,000 bodies with bulk writes, measures again (each size after VACUUM
ANALYZE, as autovacuum would leave the tables). Each page is requested through Django's test
Client in-process (server time: middleware, view, queries, template; no network) --veces times:
median, p95 and the query count of one request; the pages take turns, request by request, so a
noisy (shared) machine weighs on all of them alike. A bare view (a fixed string through the same
middleware) is measured the same way. Targets, uncached at 10,000: the catalogue's p95 <= 50 ms,
the search's p95 within 1.2x of the plain listing's, the same query count at both sizes.

Then gunicorn (2 sync workers, 127.0.0.1, a free port, settings_bench) serves that database and
`wrk` (apt-get install wrk) loads, for --wrk seconds each and in the same run, a bare view that
returns a fixed string, the catalogue and a search. Target: the catalogue at no less than a third
of the bare view's requests per second. It prints figures; it asserts nothing."""

import argparse
import os
import random
import re
import shutil
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

RAIZ = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(RAIZ))
BASE = os.environ.get("BENCH_BASE", "reconoce_bench_catalogo")
SERVIDOR = os.environ.get("BENCH_PG", "postgres://postgres@127.0.0.1:5432").rstrip("/")
os.environ["DATABASE_URL"] = f"{SERVIDOR}/{BASE}"
os.environ["DJANGO_SETTINGS_MODULE"] = "benchmarks.settings_bench"

import psycopg2  # noqa: E402


def _servidor(sql):
    """Run CREATE/DROP DATABASE on the server's maintenance database."""
    con = psycopg2.connect(f"{SERVIDOR}/postgres")
    con.autocommit = True
    try:
        with con.cursor() as cur:
            cur.execute(sql)
    finally:
        con.close()


_servidor(f"DROP DATABASE IF EXISTS {BASE} WITH (FORCE)")
_servidor(f"CREATE DATABASE {BASE}")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.cache import cache  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, connections, reset_queries, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402

from convocatorias.models import CRITERIOS_LINEAMIENTOS, Convocatoria, Criterio  # noqa: E402
from core.models import AutoridadGarante, DocumentoVerificable, Usuario  # noqa: E402
from evaluacion import busqueda  # noqa: E402
from evaluacion.catalogo import reconocimientos_publicos  # noqa: E402
from evaluacion.models import Dictamen, MotivoDictamen, Reconocimiento  # noqa: E402
from practicas.models import Evidencia, Municipio, Practica, Soporte, SujetoObligado  # noqa: E402

ANIOS = 10
BUSQUEDA = "búsqueda «presupuestos ciudadanos»"
MINIMA = "vista mínima (texto fijo)"
ZONA = ZoneInfo("America/Mexico_City")
FORMATOS = ["Mapa de", "Tablero de", "Datos abiertos de", "Padrón de", "Informe ciudadano de", "Calendario de",
            "Micrositio de", "Visualización de", "Consulta pública sobre", "Seguimiento de"]
TEMAS = ["presupuesto ciudadano", "obra pública", "agua potable", "medicamentos", "becas estudiantiles",
         "programas sociales", "compras públicas", "transporte público", "residuos sólidos", "alumbrado público",
         "seguridad vial", "calidad del aire", "cabildo abierto", "nómina", "deuda pública", "licencias de "
         "construcción", "protección civil", "igualdad de género", "atención a víctimas", "uso de suelo"]
PALABRAS = ["información", "pública", "datos", "abiertos", "municipio", "población", "ciudadanía", "consulta", "transparencia", "proactiva", "rendición", "de", "cuentas", "participación", "colonias", "mapas", "indicadores", "trimestral", "mensual", "descarga", "formato", "reutilización", "solicitudes", "necesidades", "servicios", "gobierno", "estatal", "acceso", "calidad", "utilidad"]


# --- loading -------------------------------------------------------------------------------------

class Carga:
    """Bulk writes of a published catalogue, grown in steps (the same calls and bodies carry on)."""

    def __init__(self):
        self.rng = random.Random(2023)  # noqa: S311 - reproducible data
        self.usuario = Usuario.objects.create_user(email="bench@ejemplo.gob.mx")
        self.autoridad = AutoridadGarante.objects.create(
            nombre="Instituto de Transparencia del Estado de México (bench)", siglas="BENCH", slug="bench",
            entidad_clave="15", correo_contacto="bench@ejemplo.gob.mx")
        self.municipios = Municipio.objects.bulk_create([
            Municipio(cvegeo=f"15{i:03d}", entidad_clave="15", entidad="México", nombre=f"Municipio {i}")
            for i in range(1, 126)])
        hoy = timezone.localdate()
        resultados = hoy - timedelta(days=60)  # the latest call's recognitions are still in force
        self.convocatorias = []
        for k in range(ANIOS):
            anio = hoy.year - (ANIOS - 1 - k)
            fecha = datetime(anio, resultados.month, min(resultados.day, 28), 10, tzinfo=ZONA)
            conv = Convocatoria.objects.create(
                autoridad=self.autoridad, titulo=f"Reconocimiento de Prácticas de Transparencia Proactiva {anio}",
                slug=f"transparencia-proactiva-{anio}", anio=anio, prefijo_folio="BENCH", objetivo="Reconocer.",
                fundamento_legal="Lineamientos.", participantes="Sujetos obligados.", modalidades_entrega="En línea.",
                correo_contacto="bench@ejemplo.gob.mx", fecha_apertura=fecha - timedelta(days=120),
                fecha_cierre=fecha - timedelta(days=60), fecha_resultados=fecha, estado=Convocatoria.Estado.BORRADOR)
            Criterio.objects.bulk_create([Criterio(convocatoria=conv, numero=i, nombre=n)
                                          for i, n in enumerate(CRITERIOS_LINEAMIENTOS, start=1)])
            # The phase timestamps go with the state (CheckConstraints on Convocatoria).
            Convocatoria.objects.filter(pk=conv.pk).update(
                estado=Convocatoria.Estado.RESULTADOS_PUBLICADOS, calificacion_cerrada_en=fecha - timedelta(days=5))
            conv.criterios_lista = list(conv.criterios.order_by("numero"))
            self.convocatorias.append(conv)
        self.sujetos = []
        self.practicas = 0

    def _texto(self, n):
        return " ".join(self.rng.choice(PALABRAS) for _ in range(n))

    def sujetos_hasta(self, total):
        nuevos = []
        for i in range(len(self.sujetos), total):
            if i % 3 == 0:
                nuevos.append(SujetoObligado(
                    nombre=f"Ayuntamiento {i}", orden=SujetoObligado.Orden.MUNICIPAL,
                    tipo=SujetoObligado.Tipo.AYUNTAMIENTO, municipio=self.municipios[i % len(self.municipios)]))
            else:
                nuevos.append(SujetoObligado(nombre=f"Secretaría de {TEMAS[i % len(TEMAS)].capitalize()} {i}",
                                             orden=SujetoObligado.Orden.ESTATAL, tipo=SujetoObligado.Tipo.DEPENDENCIA))
        self.sujetos += SujetoObligado.objects.bulk_create(nuevos, batch_size=1000)

    @transaction.atomic
    def practicas_hasta(self, total):
        with connection.cursor() as cursor:
            # The rulings are written already signed; the triggers that freeze signed rulings would
            # refuse their reasons, so they are off for this bulk load (superuser only).
            cursor.execute("SET LOCAL session_replication_role = replica")
        inicio, fin = self.practicas, total
        practicas = []
        for i in range(inicio, fin):
            conv = self.convocatorias[i % ANIOS]
            tema = TEMAS[self.rng.randrange(len(TEMAS))]
            practicas.append(Practica(
                convocatoria=conv, sujeto=self.sujetos[self.rng.randrange(len(self.sujetos))],
                nombre=f"{self.rng.choice(FORMATOS)} {tema} {conv.anio}", area_responsable="Unidad de Transparencia",
                contacto_nombre="Titular", contacto_correo="ut@ejemplo.gob.mx",
                descripcion=f"Publicación de {tema}: {self._texto(40)}.", necesidad_informacion=self._texto(25),
                identificacion_necesidad=self._texto(15), poblacion_objetivo=self._texto(8),
                url_publicacion=f"https://datos.ejemplo.gob.mx/{i}", fecha_inicio=date(conv.anio - 1, 6, 1),
                estado=Practica.Estado.ENVIADA, consecutivo=i + 1, folio=f"BENCH-{conv.anio}-{i + 1:05d}",
                enviada_en=conv.fecha_cierre - timedelta(days=3), creada_por=self.usuario, enviada_por=self.usuario,
            ))
        practicas = Practica.objects.bulk_create(practicas, batch_size=1000)
        Evidencia.objects.bulk_create([
            Evidencia(practica=p, criterio=c, texto=self._texto(30))
            for p in practicas for c in p.convocatoria.criterios_lista], batch_size=5000)
        Soporte.objects.bulk_create([
            Soporte(practica=p, tipo=Soporte.Tipo.ENLACE, url=p.url_publicacion, subido_por=self.usuario)
            for p in practicas], batch_size=5000)
        def revocado(k):
            return k % 97 == 0

        # Revocation is stored on the recognition's document (one copy).
        documentos = DocumentoVerificable.objects.bulk_create([
            DocumentoVerificable(
                tipo=tipo, folio=f"{p.folio}-{sufijo}", titulo=p.nombre[:300],
                visible_desde=p.convocatoria.fecha_resultados,
                **({"revocado_en": p.convocatoria.fecha_resultados + timedelta(days=90),
                    "motivo_revocacion": "Dejó de publicarse."} if sufijo == "R" and revocado(k) else {}))
            for k, p in enumerate(practicas) for tipo, sufijo in (("dictamen", "D"), ("reconocimiento", "R"))],
            batch_size=5000)
        dictamenes = Dictamen.objects.bulk_create([
            Dictamen(practica=p, estado=Dictamen.Estado.FIRMADO, decision=Dictamen.Decision.PROCEDENTE,
                     propuesta=Dictamen.Decision.PROCEDENTE, puntaje="8.500", folio=f"{p.folio}-D",
                     fecha=timezone.localdate(p.convocatoria.fecha_resultados) - timedelta(days=1),
                     firmado_en=p.convocatoria.fecha_resultados - timedelta(days=1), firmado_por=self.usuario,
                     consideraciones=self._texto(20), documento=documentos[2 * k])
            for k, p in enumerate(practicas)], batch_size=5000)
        MotivoDictamen.objects.bulk_create([
            MotivoDictamen(dictamen=d, criterio=c, texto=self._texto(25))
            for d, p in zip(dictamenes, practicas, strict=True) for c in p.convocatoria.criterios_lista],
            batch_size=5000)
        recs = []
        for k, (d, p) in enumerate(zip(dictamenes, practicas, strict=True)):
            desde = timezone.localdate(p.convocatoria.fecha_resultados)
            recs.append(Reconocimiento(
                dictamen=d, documento=documentos[2 * k + 1], vigente_desde=desde,
                vigente_hasta=date(desde.year + 1, desde.month, desde.day),
                estado=Reconocimiento.Estado.REVOCADO if revocado(k) else Reconocimiento.Estado.VIGENTE))
        Reconocimiento.objects.bulk_create(recs, batch_size=5000)
        busqueda.indexar([p.pk for p in practicas])
        self.practicas = fin
        return practicas


# --- measuring -----------------------------------------------------------------------------------

def _percentiles(tiempos):
    tiempos = sorted(tiempos)
    return statistics.median(tiempos), tiempos[min(len(tiempos) - 1, round(0.95 * (len(tiempos) - 1)))]


def medir(cliente, paginas, veces):
    """paginas: {name: URL, or a list of URLs to cycle through (a practice page over many practices)}.
    Each URL is measured cold (every cache emptied before the request, outside the timing: the
    database and template cost) and warm (the same URL again: the page from the cache). The pages
    take turns, request by request, so the machine's noise falls on all of them alike."""
    paginas = {nombre: urls if isinstance(urls, list) else [urls] for nombre, urls in paginas.items()}
    res = {}
    for nombre, urls in paginas.items():
        for url in urls[:5]:  # warm-up: templates, connection
            cliente.get(url)
        cache.clear()
        reset_queries()
        with CaptureQueriesContext(connection) as consultas:
            resp = cliente.get(urls[0])
        assert resp.status_code == 200, (urls[0], resp.status_code)
        with CaptureQueriesContext(connection) as consultas_caliente:
            cliente.get(urls[0])
        res[nombre] = {"consultas": len(consultas), "consultas (caché)": len(consultas_caliente),
                       "resultados": _conteo(resp), "frio": [], "caliente": [], "cpu": []}
    for k in range(veces):
        for nombre, urls in paginas.items():
            url = urls[k % len(urls)]
            cache.clear()
            inicio, cpu = time.perf_counter(), time.process_time()
            r = cliente.get(url)
            res[nombre]["frio"].append((time.perf_counter() - inicio) * 1000)
            res[nombre]["cpu"].append((time.process_time() - cpu) * 1000)
            assert r.status_code == 200
            inicio = time.perf_counter()
            cliente.get(url)
            res[nombre]["caliente"].append((time.perf_counter() - inicio) * 1000)
    for r in res.values():
        (r["mediana"], r["p95"]), (r["mediana (caché)"], r["p95 (caché)"]) = (
            _percentiles(r.pop("frio")), _percentiles(r.pop("caliente")))
        r["cpu"] = statistics.median(r["cpu"])
    return res


def _conteo(resp):
    """The results count the page announces (its aria-live line), if it has one."""
    m = re.search(r'aria-live="polite"[^>]*>\s*(\d+) práctica', resp.content.decode())
    return int(m.group(1)) if m else None


def paginas(carga):
    conv = carga.convocatorias[-3]
    municipal = next(s for s in carga.sujetos if s.orden == SujetoObligado.Orden.MUNICIPAL)
    ids = list(reconocimientos_publicos().order_by("?").values_list("dictamen__practica_id", flat=True)[:200])
    return {
        "catálogo": "/practicas-reconocidas/",
        "catálogo, página 3": "/practicas-reconocidas/?pagina=3",
        BUSQUEDA: "/practicas-reconocidas/?q=presupuestos+ciudadanos",
        "búsqueda filtrada": f"/practicas-reconocidas/?q=informacion+publica&orden=municipal&vigencia=historica"
                             f"&anio={conv.anio}&orden_por=relevancia",
        "práctica": [f"/practicas-reconocidas/{pk}/" for pk in ids],
        "sujeto obligado": f"/practicas-reconocidas/sujetos/{municipal.pk}/",
        "inicio": "/",
        MINIMA: "/bench/desnudo/",
    }


def lado_a_lado(resultados):
    """The four figures the targets are about, measured in the same run, taking turns: the
    catalogue and a search with every cache emptied, the page served from the cache, and a bare
    view through the same middleware (the floor of any Django response here)."""
    tamanos = list(resultados)
    filas = [("catálogo, sin caché", "catálogo", ""), ("búsqueda, sin caché", BUSQUEDA, ""),
             ("catálogo, en caché", "catálogo", " (caché)"),
             ("vista mínima (mismo middleware)", MINIMA, "")]
    print("\nLado a lado (misma corrida, por turnos), ms; CPU: la mediana del tiempo de CPU de este proceso "
          "(Django, sin PostgreSQL), menos sensible al ruido de una máquina compartida:")
    print(f"{'':<34}" + "".join(f"{f'{n:,} mediana'.replace(',', ' '):>17}{'p95':>8}{'CPU':>8}" for n in tamanos))
    for etiqueta, pagina, sufijo in filas:
        print(f"{etiqueta:<34}" + "".join(
            f"{resultados[n][pagina]['mediana' + sufijo]:>17.1f}{resultados[n][pagina]['p95' + sufijo]:>8.1f}"
            + (f"{resultados[n][pagina]['cpu']:>8.1f}" if not sufijo else f"{'':>8}") for n in tamanos))
    grande = resultados[tamanos[-1]]
    lista, buscar = grande["catálogo"]["p95"], grande[BUSQUEDA]["p95"]
    peor = max(((k, v) for k, v in grande.items() if k != MINIMA), key=lambda kv: kv[1]["p95"])
    iguales = all(resultados[tamanos[0]][p][c] == grande[p][c] for p in grande
                  for c in ("consultas", "consultas (caché)"))
    print(f"\nA 10 000, sin caché: catálogo p95 {lista:.1f} ms (meta ≤ 50 ms); p95 más alto "
          f"{peor[1]['p95']:.1f} ms ({peor[0]}); búsqueda/listado (p95) {buscar / lista:.2f}× (meta ≤ 1.2×); "
          f"mismas consultas en ambos tamaños: {'sí' if iguales else 'NO'}.")


def plan_de_busqueda():
    qs = busqueda.buscar(reconocimientos_publicos(), "presupuestos ciudadanos")
    sql, params = qs.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS OFF) {sql}", params)
        plan = "\n".join(f[0] for f in cursor.fetchall())
    return "evaluacion_indicebusqueda_vector_gin" in plan, re.search(r"Execution Time: ([\d.]+) ms", plan).group(1)


# --- throughput ----------------------------------------------------------------------------------

def puerto_libre():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wrk(url, segundos, conexiones):
    salida = subprocess.run(["wrk", "-t2", f"-c{conexiones}", f"-d{segundos}s", "--latency", url],
                            capture_output=True, text=True, check=True).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", salida).group(1))
    lat = dict(re.findall(r"^\s+(50|99)%\s+([\d.]+\w+)", salida, re.M))
    errores = re.search(r"Non-2xx or 3xx responses: (\d+)", salida)
    return {"rps": rps, "p50": lat.get("50", "?"), "p99": lat.get("99", "?"),
            "errores": int(errores.group(1)) if errores else 0}


def rendimiento(segundos, conexiones):
    if not shutil.which("wrk"):
        print("\n(wrk no está instalado: apt-get install wrk. Se omite la prueba de rendimiento.)")
        return
    puerto = puerto_libre()
    entorno = {**os.environ, "DJANGO_SETTINGS_MODULE": "benchmarks.settings_bench",
               "DATABASE_URL": f"{SERVIDOR}/{BASE}", "PYTHONPATH": str(RAIZ)}
    gunicorn = subprocess.Popen(
        [str(Path(sys.executable).parent / "gunicorn"), "config.wsgi:application", "--workers", "2",
         "--bind", f"127.0.0.1:{puerto}", "--error-logfile", "-", "--log-level", "warning"],
        cwd=RAIZ, env=entorno)
    base = f"http://127.0.0.1:{puerto}"
    try:
        for _ in range(100):
            try:
                with urllib.request.urlopen(f"{base}/bench/desnudo/", timeout=1) as r:  # noqa: S310 - loopback
                    if r.status == 200:
                        break
            except OSError:
                time.sleep(0.2)
        else:
            raise RuntimeError("gunicorn no respondió")
        objetivos = [("vista mínima (texto fijo)", "/bench/desnudo/"),
                     ("catálogo", "/practicas-reconocidas/"),
                     ("búsqueda «presupuestos ciudadanos»", "/practicas-reconocidas/?q=presupuestos+ciudadanos")]
        for _nombre, ruta in objetivos:  # warm both workers
            for _ in range(10):
                urllib.request.urlopen(f"{base}{ruta}", timeout=10).read()  # noqa: S310 - loopback
        filas = [(nombre, wrk(f"{base}{ruta}", segundos, conexiones)) for nombre, ruta in objetivos]
    finally:
        gunicorn.terminate()
        gunicorn.wait(timeout=30)
    minimo = filas[0][1]["rps"]
    print(f"\nRendimiento · gunicorn 2 workers síncronos en 127.0.0.1 · wrk -t2 -c{conexiones} -d{segundos}s · "
          f"{os.cpu_count()} CPU compartidas por gunicorn, PostgreSQL y wrk · 10 000 prácticas")
    print(f"{'página':<38}{'peticiones/s':>14}{'p50':>10}{'p99':>10}{'no 2xx':>8}{'vs. mínima':>12}")
    for nombre, r in filas:
        print(f"{nombre:<38}{r['rps']:>14.1f}{r['p50']:>10}{r['p99']:>10}{r['errores']:>8}"
              f"{r['rps'] / minimo:>11.0%} ")
    print("Meta: el catálogo con al menos un tercio de las peticiones por segundo de la vista mínima.")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--veces", type=int, default=200, help="requests measured per page (default 200)")
    parser.add_argument("--wrk", type=int, default=10, help="seconds of wrk per URL (default 10; 0 skips it)")
    parser.add_argument("--conexiones", type=int, default=8, help="wrk connections (default 8)")
    parser.add_argument("--conservar", action="store_true", help="keep the database afterwards (to inspect it)")
    args = parser.parse_args()
    try:
        call_command("migrate", verbosity=0)
        version = connection.cursor().connection.server_version
        cliente = Client()
        resultados, armado, cargas = {}, {}, {}
        carga = Carga()
        for n_practicas, n_sujetos in ((100, 20), (10_000, 2_000)):
            inicio = time.perf_counter()
            carga.sujetos_hasta(n_sujetos)
            carga.practicas_hasta(n_practicas)
            with connection.cursor() as cursor:
                # As autovacuum leaves a table some time after a load: statistics and the visibility
                # map (without it no index-only scan skips the table, and every scan checks each row).
                cursor.execute("VACUUM ANALYZE")
            armado[n_practicas] = time.perf_counter() - inicio
            carga_antes = os.getloadavg()[0]
            resultados[n_practicas] = medir(cliente, paginas(carga), args.veces)
            cargas[n_practicas] = (carga_antes, os.getloadavg()[0])
        gin, ms_plan = plan_de_busqueda()

        print(f"Catálogo público · PostgreSQL {version // 10000}.{version % 10000} · CONN_MAX_AGE="
              f"{settings.DATABASES['default']['CONN_MAX_AGE']} · {args.veces} peticiones por página "
              f"(Client de pruebas en proceso: tiempo del servidor, sin red)")
        print("(armado: " + ", ".join(f"{n:,} prácticas {s:.1f} s" for n, s in armado.items()).replace(",", " ")
              + f"; la búsqueda usa el índice GIN: {'sí' if gin else 'no'}, {ms_plan} ms en PostgreSQL)")
        print("(carga media del sistema, 1 min, al medir: " + ", ".join(
            f"{n:,} prácticas {a:.1f} → {b:.1f}".replace(",", " ") for n, (a, b) in cargas.items())
            + f"; {os.cpu_count()} CPU)")
        tamanos = list(resultados)
        print("Sin caché: el fragmento en caché del catálogo se vacía antes de cada petición (costo de base de datos "
              "y plantillas); con caché: la misma URL servida de nuevo.")
        print(f"\n{'página':<38}{'medida':<18}" + "".join(f"{f'{n:,} prácticas'.replace(',', ' '):>18}"
                                                       for n in tamanos))
        for pagina in resultados[tamanos[0]]:
            for medida, clave, formato in [
                ("consultas", "consultas", "{:>18d}"), ("mediana (ms)", "mediana", "{:>18.1f}"),
                ("p95 (ms)", "p95", "{:>18.1f}"), ("consultas, caché", "consultas (caché)", "{:>18d}"),
                ("mediana, caché", "mediana (caché)", "{:>18.1f}"), ("p95, caché", "p95 (caché)", "{:>18.1f}"),
                ("resultados", "resultados", "{:>18}")]:
                valores = [resultados[n][pagina][clave] for n in tamanos]
                if clave == "resultados" and valores[0] is None:
                    continue
                etiqueta = pagina if clave == "consultas" else ""
                print(f"{etiqueta:<38}{medida:<18}" + "".join(formato.format(v) for v in valores))
        lado_a_lado(resultados)
        if args.wrk:
            connections.close_all()
            rendimiento(args.wrk, args.conexiones)
    finally:
        connections.close_all()
        if not args.conservar:
            _servidor(f"DROP DATABASE IF EXISTS {BASE} WITH (FORCE)")


if __name__ == "__main__":
    main()
