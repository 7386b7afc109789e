"""The embedded default, as `make run` starts it: the web process and a Celery worker with beat
embedded (Procfile, supervised by honcho) on kombu's filesystem transport, a SQLite file and the
demonstration mailbox. No pytest-django database, no time travel inside the server: the demo is
loaded by `cargar_demo`, a date is moved a few seconds ahead, and the scheduler has to act on it.

Seen through a real Chromium: a demo practice's acuse, queued by cargar_demo, rendered by the worker
while the page waits; the demo call whose deadline was moved closes on its own (beat, within a
minute); Ctrl+C (SIGINT to honcho) stops both processes."""

import http.cookiejar
import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

from tests.e2e.conftest import exigir_chromium

exigir_chromium()

pytestmark = pytest.mark.e2e

RAIZ = Path(__file__).resolve().parents[2]
VENV_BIN = Path(sys.executable).parent
CONTRASENA = "Reconoce-2026!"


class _SinRedirecciones(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def _puerto_libre() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Embebido:
    def __init__(self, carpeta: Path):
        self.puerto = _puerto_libre()
        self.url = f"http://127.0.0.1:{self.puerto}"
        self.log = carpeta / "honcho.log"
        self.entorno = {
            k: v for k, v in os.environ.items()
            if not k.startswith(("DATABASE_URL", "CELERY_", "DJANGO_SETTINGS_MODULE", "EMAIL_", "SITE_URL"))
        }
        # No DJANGO_SETTINGS_MODULE, as for a newcomer: manage.py and the Procfile pick the development settings.
        self.entorno.update({
            "DATABASE_URL": f"sqlite:///{carpeta / 'db.sqlite3'}",
            "CELERY_BROKER_URL": "filesystem://",
            "COLA_DIR": str(carpeta / "cola"),
            "EMAIL_BACKEND": "core.buzon.BuzonBackend",
            "BUZON_DIR": str(carpeta / "buzon"),
            "MEDIA_ROOT": str(carpeta / "media"),
            "PRIVATE_MEDIA_ROOT": str(carpeta / "private"),
            "RESPALDO_DIR": str(carpeta / "respaldos"),
            "HOST": f"127.0.0.1:{self.puerto}",
            "SITE_URL": f"http://127.0.0.1:{self.puerto}",
            "PATH": f"{VENV_BIN}:{os.environ.get('PATH', '')}",
        })
        self.proceso = None

    def manage(self, *args, timeout=300) -> str:
        r = subprocess.run([sys.executable, "manage.py", *args], cwd=RAIZ, env=self.entorno, capture_output=True,
                           text=True, timeout=timeout)
        assert r.returncode == 0, r.stdout + r.stderr
        return r.stdout

    def shell(self, codigo: str) -> str:
        return self.manage("shell", "--no-imports", "-c", codigo).strip()

    def arrancar(self):
        with open(self.log, "w") as salida:  # the child keeps its own copy of the descriptor
            self.proceso = subprocess.Popen([str(VENV_BIN / "honcho"), "start"], cwd=RAIZ, env=self.entorno,
                                            stdout=salida, stderr=subprocess.STDOUT, start_new_session=True)
        limite = time.monotonic() + 90
        while time.monotonic() < limite:
            texto = self.log.read_text()
            if f"Starting development server at {self.url}/" in texto and "Worker listo" in texto:
                return
            assert self.proceso.poll() is None, texto
            time.sleep(0.5)
        raise AssertionError("make run no arrancó en 90 s:\n" + self.log.read_text())

    def detener(self) -> int:
        """Ctrl+C: honcho gets SIGINT and stops the web process and the worker."""
        os.killpg(self.proceso.pid, signal.SIGINT)
        try:
            return self.proceso.wait(timeout=60)
        finally:
            if self.proceso.poll() is None:
                os.killpg(self.proceso.pid, signal.SIGKILL)


@pytest.fixture(scope="module")
def embebido(tmp_path_factory):
    e = Embebido(tmp_path_factory.mktemp("embebido"))
    e.manage("migrate", "--noinput", "-v", "0")
    inicio = time.monotonic()
    e.resumen_demo = e.manage("cargar_demo")
    e.segundos_demo = time.monotonic() - inicio
    e.arrancar()
    yield e
    if e.proceso.poll() is None:
        e.detener()


def _entrar(page, base, correo):
    page.goto(f"{base}/cuentas/login/")
    page.get_by_label("Correo electrónico").fill(correo)
    page.get_by_label("Contraseña").fill(CONTRASENA)
    page.get_by_role("button", name="Entrar").click()
    page.wait_for_load_state()


def test_cargar_demo_deja_el_trabajo_pesado_al_worker(embebido):
    # The PDFs wait in the outbox for the worker instead of being rendered inside the command.
    assert re.search(r"tareas \(PDF y avisos\) esperan al worker", embebido.resumen_demo)
    assert "Datos de demostración listos en" in embebido.resumen_demo
    print(f"\ncargar_demo con el broker de archivos: {embebido.segundos_demo:.1f} s")


def test_el_acuse_lo_genera_el_worker_y_la_pagina_lo_muestra_sola(embebido, page):
    practica = embebido.shell(
        "from practicas.models import Enlace, Practica; "
        "e = Enlace.objects.filter(usuario__email='enlace@demo.reconoce.mx', estado='aprobado').first(); "
        "print(Practica.objects.filter(sujeto=e.sujeto, folio__isnull=False).order_by('pk')"
        ".values_list('pk', flat=True).first() or '')")
    assert practica, "la demostración no tiene prácticas enviadas del enlace"
    _entrar(page, embebido.url, "enlace@demo.reconoce.mx")
    page.goto(f"{embebido.url}/practicas/{practica}/")
    # The acuse link appears once the worker has rendered it; the page asks by itself (htmx).
    enlace = page.get_by_role("link", name="Descargar acuse de recibo (PDF)")
    enlace.wait_for(timeout=240_000)
    respuesta = page.request.get(embebido.url + enlace.get_attribute("href"))
    assert respuesta.status == 200 and respuesta.headers["content-type"] == "application/pdf"
    assert respuesta.body().startswith(b"%PDF")


def test_la_convocatoria_se_cierra_sola_al_vencer_su_plazo(embebido, page):
    slug = "transparencia-proactiva-2026"
    print(embebido.manage("demo_adelantar", "--cierre", "3"))
    limite = time.monotonic() + 150
    estado = ""
    while time.monotonic() < limite:
        estado = embebido.shell(
            f"from convocatorias.models import Convocatoria; print(Convocatoria.objects.get(slug='{slug}').estado)")
        if estado == "cerrada":
            break
        time.sleep(5)
    assert estado == "cerrada", "beat no cerró la convocatoria vencida:\n" + embebido.log.read_text()[-3000:]
    _entrar(page, embebido.url, "personal@demo.reconoce.mx")
    page.goto(f"{embebido.url}/convocatorias/{slug}/")
    assert "Cerrada" in page.content()


def _formulario(opener, url):
    html = opener.open(url, timeout=30).read().decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
    sujeto = re.search(r'<option value="(\d+)"', html).group(1)
    return token, sujeto


def test_varios_registros_a_la_vez_por_el_ultimo_lugar_sin_500(embebido):
    """SQLite under the embedded default: four people register for the last seat of a session at the
    same second (threads released together). One gets it, the others read that it is full; nobody
    gets a 500 "database is locked" (WAL, busy timeout, immediate transactions)."""
    slug = embebido.shell(
        "from django.utils import timezone; from jornadas.models import Jornada; "
        "j = Jornada.objects.filter(inicio__gt=timezone.now()).order_by('inicio').first(); "
        "Jornada.objects.filter(pk=j.pk).update(cupo=j.registros.count() + 1); print(j.slug)").splitlines()[-1]
    url = f"{embebido.url}/jornadas/{slug}/registro/"
    personas = 4
    preparados = []
    for _ in range(personas):
        opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()),
                                             _SinRedirecciones())
        preparados.append((opener, *_formulario(opener, url)))
    barrera = threading.Barrier(personas)
    resultados = [None] * personas

    def registrar(i):
        opener, token, sujeto = preparados[i]
        datos = urllib.parse.urlencode({
            "csrfmiddlewaretoken": token, "nombre": f"Persona Concurrente {i}", "cargo": "Enlace",
            "correo": f"concurrente{i}@demo.reconoce.mx", "sujeto": sujeto, "acepta_aviso": "on", "sitio_web": "",
        }).encode()
        peticion = urllib.request.Request(url, data=datos, headers={"Referer": url})  # noqa: S310 - http only
        barrera.wait()
        try:
            respuesta = opener.open(peticion, timeout=60)
            resultados[i] = (respuesta.status, respuesta.read().decode())
        except urllib.error.HTTPError as exc:
            resultados[i] = (exc.code, exc.read().decode())

    hilos = [threading.Thread(target=registrar, args=(i,)) for i in range(personas)]
    for h in hilos:
        h.start()
    for h in hilos:
        h.join(90)
    codigos = sorted(r[0] for r in resultados)
    assert 500 not in codigos, [r[1][:300] for r in resultados if r[0] == 500]
    assert codigos == [302] + [400] * (personas - 1), codigos
    assert all("el cupo de esta jornada está completo" in r[1] for r in resultados if r[0] == 400)
    registrados = embebido.shell(
        "from jornadas.models import Registro; "
        "print(Registro.objects.filter(participante__correo__startswith='concurrente').count())").splitlines()[-1]
    assert registrados == "1"


def test_ctrl_c_detiene_el_portal_y_el_worker(embebido):
    codigo = embebido.detener()
    texto = embebido.log.read_text()
    assert "web.1 stopped" in texto and "worker.1 stopped" in texto, texto[-2000:]
    assert codigo in (0, 130, -2, 1)
    # Nothing on the console at Celery's INFO chatter or kombu's warning.
    assert "No hostname was supplied" not in texto
    assert "AXES:" not in texto
    assert "database is locked" not in texto
