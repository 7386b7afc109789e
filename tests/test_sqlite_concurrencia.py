"""SQLite with several people at once (issue 12): a real threaded server (`manage.py runserver`, as
`make run` serves) on a SQLite file, and requests sent in the same instant.

SQLite has one writer at a time. A transaction that began by reading and then wants to write while
another connection writes cannot wait for it (SQLite answers "database is locked" at once, whatever
the busy timeout), so without immediate transactions one of two people answers 500. Here another
connection holds a write transaction open (as a chunk of a constancias batch does) while the
requests arrive, which makes that moment certain instead of a matter of luck; once it commits, the
requests must queue behind each other and give the answers PostgreSQL gives.

The data is made in the in-memory test database and copied to a file with SQLite's backup API, so
these tests run only when the test database is SQLite (on PostgreSQL they are skipped)."""

import http.client
import os
import re
import socket
import sqlite3
import subprocess
import sys
import threading
import time
from contextlib import closing, contextmanager
from dataclasses import dataclass, field
from functools import partial
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client
from django.urls import reverse

from jornadas import constancias
from jornadas.models import Constancia, Pregunta
from tests.jornadas import builders as b

pytestmark = pytest.mark.django_db(transaction=True)

PUERTOS = range(8131, 8140)
ARRANQUE_SEGUNDOS = 60
# The other connection's write is held until every request has answered, or this long at most.
RETENCION_SEGUNDOS = 2


@pytest.fixture(autouse=True)
def _solo_sqlite():
    if connection.vendor != "sqlite":
        pytest.skip(f"Prueba de SQLite: la base de pruebas es {connection.vendor}")


# --- a real server on a SQLite file -----------------------------------------------------------


@dataclass
class Respuesta:
    estado: int
    texto: str


@dataclass
class Navegador:
    """One person's browser: its own cookies; redirects are not followed (the test reads the 302)."""

    puerto: int
    cookies: dict = field(default_factory=dict)

    def pedir(self, ruta: str, datos: dict | None = None) -> Respuesta:
        cabeceras = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        cuerpo = None
        if datos is not None:
            cuerpo = urlencode(datos, doseq=True)
            cabeceras["Content-Type"] = "application/x-www-form-urlencoded"
        with closing(http.client.HTTPConnection("127.0.0.1", self.puerto, timeout=90)) as conexion:
            conexion.request("POST" if datos is not None else "GET", ruta, body=cuerpo, headers=cabeceras)
            respuesta = conexion.getresponse()
            texto = respuesta.read().decode("utf-8", errors="replace")
            for valor in respuesta.headers.get_all("Set-Cookie") or []:
                galleta = SimpleCookie()
                galleta.load(valor)
                for nombre, morsel in galleta.items():
                    if morsel["max-age"] == "0":
                        self.cookies.pop(nombre, None)
                    else:
                        self.cookies[nombre] = morsel.value
            return Respuesta(respuesta.status, texto)

    def token_csrf(self, ruta: str) -> str:
        respuesta = self.pedir(ruta)
        assert respuesta.estado == 200, f"GET {ruta}: {respuesta.estado}"
        return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', respuesta.texto).group(1)


@dataclass
class Servidor:
    archivo: Path
    puerto: int
    log: Path

    def navegador(self, **cookies) -> Navegador:
        return Navegador(self.puerto, dict(cookies))

    def log_final(self, lineas=60) -> str:
        return "\n".join(self.log.read_text(encoding="utf-8", errors="replace").splitlines()[-lineas:])

    def consultar(self, sql: str, *parametros):
        with closing(sqlite3.connect(self.archivo)) as base:
            return base.execute(sql, parametros).fetchone()


def _copiar_base(destino: Path) -> None:
    """The test database (committed: transactional tests) into a file, by SQLite's backup API."""
    connection.ensure_connection()
    with closing(sqlite3.connect(destino)) as copia:
        connection.connection.backup(copia)


def _puerto_libre() -> int:
    for puerto in PUERTOS:
        with socket.socket() as s:
            try:
                s.bind(("127.0.0.1", puerto))
            except OSError:
                continue
            return puerto
    pytest.fail(f"Ningún puerto libre entre {PUERTOS.start} y {PUERTOS.stop - 1}")


@contextmanager
def servidor(tmp_path: Path):
    """`manage.py runserver` (threaded, as under `make run`) on a copy of the test database, with the
    settings every process of the portal reads (DATABASE_URL as the only difference)."""
    archivo = tmp_path / "db.sqlite3"
    _copiar_base(archivo)
    puerto = _puerto_libre()
    log = tmp_path / "servidor.log"
    entorno = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "DATABASE_URL": f"sqlite:///{archivo}",
        "TEST_MEDIA_DIR": str(tmp_path / "media"),
        "PYTHONUNBUFFERED": "1",
    }
    comando = [sys.executable, "manage.py", "runserver", "--noreload", "--skip-checks", f"127.0.0.1:{puerto}"]
    with log.open("wb") as salida:
        proceso = subprocess.Popen(comando, cwd=settings.BASE_DIR, env=entorno, stdout=salida,
                                   stderr=subprocess.STDOUT, start_new_session=True)
    activo = Servidor(archivo=archivo, puerto=puerto, log=log)
    try:
        limite = time.monotonic() + ARRANQUE_SEGUNDOS
        while True:
            if proceso.poll() is not None:
                pytest.fail(f"runserver terminó al arrancar ({proceso.returncode}):\n{activo.log_final()}")
            try:
                socket.create_connection(("127.0.0.1", puerto), timeout=1).close()
                break
            except OSError:
                if time.monotonic() > limite:
                    pytest.fail(f"runserver no respondió en {ARRANQUE_SEGUNDOS} s:\n{activo.log_final()}")
                time.sleep(0.2)
        yield activo
    finally:
        proceso.terminate()
        try:
            proceso.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proceso.kill()
            proceso.wait(timeout=10)


@contextmanager
def escritura_en_curso(archivo: Path, sql: str):
    """Another process's write transaction, held open for the block and then committed: what a chunk
    of a constancias batch (or any long write) does while people use the portal."""
    with closing(sqlite3.connect(archivo, isolation_level=None, timeout=30)) as otra:
        otra.execute("BEGIN IMMEDIATE")
        otra.execute(sql)
        try:
            yield
        finally:
            otra.execute("COMMIT")


def a_la_vez(llamadas, *, archivo: Path, escritura: str) -> list:
    """Run the calls in threads released together by a barrier while another connection writes
    (`escritura`); that write commits once every call has answered, or after RETENCION_SEGUNDOS.
    Returns each call's result (or the exception it raised), in order."""
    barrera = threading.Barrier(len(llamadas))
    resultados: list = [None] * len(llamadas)

    def correr(i, llamada):
        try:
            barrera.wait(timeout=30)
            resultados[i] = llamada()
        except Exception as exc:  # reported by the caller's assertions
            resultados[i] = exc

    hilos = [threading.Thread(target=correr, args=(i, llamada)) for i, llamada in enumerate(llamadas)]
    with escritura_en_curso(archivo, escritura):
        for hilo in hilos:
            hilo.start()
        limite = time.monotonic() + RETENCION_SEGUNDOS
        for hilo in hilos:
            hilo.join(timeout=max(0, limite - time.monotonic()))
    for hilo in hilos:
        hilo.join(timeout=120)
    assert not any(hilo.is_alive() for hilo in hilos), "Una petición no terminó"
    return resultados


def sin_errores(resultados: list, activo: Servidor) -> None:
    fallas = [getattr(r, "estado", r) for r in resultados if not isinstance(r, Respuesta) or r.estado >= 500]
    if fallas:
        pytest.fail(f"Respuestas {fallas}; lo último del servidor:\n{activo.log_final(40)}", pytrace=False)


# --- the three moments of the issue -----------------------------------------------------------


def test_dos_registros_por_el_ultimo_lugar_uno_lo_obtiene_y_el_otro_sabe_que_no_hay(tmp_path):
    jornada = b.jornada(cupo=3)
    b.registrar(jornada, 2)
    sujeto = b.sujetos(1)[0]
    ruta = reverse("jornadas:registro", args=[jornada.slug])

    with servidor(tmp_path) as activo:
        personas = [activo.navegador() for _ in range(2)]
        datos = [
            {"csrfmiddlewaretoken": p.token_csrf(ruta), "nombre": f"Persona {i}", "cargo": "Enlace",
             "correo": f"persona{i}@ejemplo.gob.mx", "sujeto": sujeto.pk, "acepta_aviso": "on"}
            for i, p in enumerate(personas)
        ]
        resultados = a_la_vez([partial(p.pedir, ruta, d) for p, d in zip(personas, datos, strict=True)],
                              archivo=activo.archivo, escritura="UPDATE jornadas_jornada SET titulo = titulo")
        sin_errores(resultados, activo)
        (inscritos,) = activo.consultar("SELECT count(*) FROM jornadas_registro WHERE jornada_id = ?", jornada.pk)

    assert sorted(r.estado for r in resultados) == [302, 400]
    rechazo = next(r for r in resultados if r.estado == 400)
    assert "el cupo de esta jornada está completo" in rechazo.texto
    assert inscritos == 3


def _respuestas(encuesta) -> dict:
    datos = {}
    for p in encuesta.preguntas.all():
        if p.tipo == Pregunta.Tipo.MULTIPLE:
            datos[f"p{p.pk}"] = [p.opciones[0]]
        elif p.tipo == Pregunta.Tipo.ESCALA:
            datos[f"p{p.pk}"] = "5"
        else:
            datos[f"p{p.pk}"] = "Muy clara"
    return datos


def test_tres_envios_de_la_encuesta_con_un_enlace_guardan_una_sola_respuesta(tmp_path):
    jornada = b.jornada_con_asistentes(1)
    registro = jornada.registros.get()
    encuesta = b.encuesta(jornada)
    enlace = reverse("jornadas:encuesta", args=[registro.token_encuesta])
    formulario = reverse("jornadas:encuesta_responder")

    with servidor(tmp_path) as activo:
        pestanas = [activo.navegador() for _ in range(3)]
        datos = []
        for pestana in pestanas:
            assert pestana.pedir(enlace).estado == 302
            datos.append({**_respuestas(encuesta), "csrfmiddlewaretoken": pestana.token_csrf(formulario)})
        resultados = a_la_vez([partial(p.pedir, formulario, d) for p, d in zip(pestanas, datos, strict=True)],
                              archivo=activo.archivo, escritura="UPDATE jornadas_jornada SET titulo = titulo")
        sin_errores(resultados, activo)
        (pendientes,) = activo.consultar("SELECT count(*) FROM jornadas_enviopendiente")
        (escritas,) = activo.consultar("SELECT count(*) FROM jornadas_respuestaencuesta")
        (respondida,) = activo.consultar("SELECT encuesta_respondida_en FROM jornadas_registro WHERE id = ?",
                                         registro.pk)

    assert [r.estado for r in resultados].count(302) == 1
    for rechazo in (r for r in resultados if r.estado != 302):
        assert rechazo.estado in (400, 409)
        assert "ya fue respondida con este enlace" in rechazo.texto
    assert (pendientes, escritas) == (1, 0)  # one answer, waiting for its group (JORNADAS_ENCUESTA_MINIMO)
    assert respondida is not None


def test_revocar_mientras_un_lote_escribe_espera_su_turno(tmp_path, personal):
    jornada = b.jornada_con_asistentes(2)
    constancias.constancias_emitir(usuario=personal, jornada=jornada, encolar=False)
    constancia = Constancia.objects.select_related("documento").order_by("pk").first()
    sesion = Client()
    sesion.force_login(personal)
    ruta = reverse("panel:constancias_revocar", args=[constancia.pk])
    verificacion = reverse("core:verificar", args=[constancia.documento.codigo])

    with servidor(tmp_path) as activo:
        staff = activo.navegador(**{settings.SESSION_COOKIE_NAME: sesion.cookies[settings.SESSION_COOKIE_NAME].value})
        datos = {"csrfmiddlewaretoken": staff.token_csrf(ruta), "motivo": "Se registró por error."}
        visitante = activo.navegador()
        resultados = a_la_vez(
            [partial(staff.pedir, ruta, datos), partial(visitante.pedir, verificacion)],
            archivo=activo.archivo, escritura="UPDATE core_documentoverificable SET estado_pdf = estado_pdf",
        )
        sin_errores(resultados, activo)
        revocado, motivo = activo.consultar(
            "SELECT revocado_en, motivo_revocacion FROM core_documentoverificable WHERE id = ?",
            constancia.documento_id)
        (modo,) = activo.consultar("PRAGMA journal_mode")

    revocacion, consulta = resultados
    assert revocacion.estado == 302
    assert consulta.estado == 200
    assert revocado is not None and motivo == "Se registró por error."
    assert modo == "wal"  # readers never wait for the writer, nor the writer for them
