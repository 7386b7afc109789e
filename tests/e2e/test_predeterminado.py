"""The embedded default, as `make run` starts it: the web process and a Celery worker with beat
embedded (Procfile, supervised by honcho) on kombu's filesystem transport, a SQLite file and the
demonstration mailbox. No pytest-django database, no time travel inside the server: the demo is
loaded by `cargar_demo`, a date is moved a few seconds ahead, and the scheduler has to act on it.

Seen through a real Chromium: a demo practice's acuse, queued by cargar_demo, rendered by the worker
while the page waits; the demo call whose deadline was moved closes on its own (beat, within a
minute); the whole year walked as the README's "Recorrido" tells it, each person with their own
account; Ctrl+C (SIGINT to honcho) stops both processes."""

import http.cookiejar
import io
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

import pypdf
import pytest
from playwright.sync_api import expect

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
        self.carpeta = carpeta
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
            "FIRMA_SELLOS_DIR": str(carpeta / "sellos"),
            "FIRMA_RAICES_DIR": str(carpeta / "sellos" / "raices"),
            "DEMO_EFIRMA_DIR": str(carpeta / "efirma"),
            "HOST": f"127.0.0.1:{self.puerto}",
            "SITE_URL": f"http://127.0.0.1:{self.puerto}",
            # Beat looks for deadlines and results seconds every 10 s instead of every minute: the same
            # scheduler, sooner (CI time).
            "PROGRAMADOR_SEGUNDOS": "10",
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


# Every test here takes `browser_name` (pytest-playwright's parameter), used or not: pytest groups the
# session's items by it, and tests without it would run after every other module's browser tests,
# keeping the embedded portal (web process, worker, beat) alive and busy meanwhile.
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


def test_cargar_demo_deja_el_trabajo_pesado_al_worker(embebido, browser_name):
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


def _formulario(opener, url):
    html = opener.open(url, timeout=30).read().decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
    sujeto = re.search(r'<option value="(\d+)"', html).group(1)
    return token, sujeto


def test_varios_registros_a_la_vez_por_el_ultimo_lugar_sin_500(embebido, browser_name):
    """SQLite under the embedded default: four people register for the last seat of a session at the
    same second (threads released together). One gets it, the others read that it is full; nobody
    gets a 500 "database is locked" (WAL, busy timeout, immediate transactions)."""
    # A session of its own with one seat, a week ahead (the walk-through moves the demo's upcoming one).
    slug = embebido.shell(
        "from datetime import timedelta; from django.utils import timezone; from jornadas.models import Jornada; "
        "j = Jornada.objects.get(slug='primera-jornada-sensibilizacion-2026'); ahora = timezone.now(); "
        "j.pk = None; j.slug = 'jornada-de-un-lugar'; j.titulo = 'Jornada de un solo lugar'; j.numero = None; "
        "j.cupo = 1; "
        "j.inicio = ahora + timedelta(days=7); j.fin = j.inicio + timedelta(hours=2); "
        "j.registro_abre = ahora - timedelta(days=1); j.registro_cierra = j.inicio; j.save(); print(j.slug)"
    ).splitlines()[-1]
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


# --- the year, walked -------------------------------------------------------------------------------

CONV_NL = "info-nl-transparencia-proactiva-2026"
JORNADA = "primera-jornada-sensibilizacion-2026"
PRACTICA = "Compras abiertas de Nuevo León"
GENERALES = {
    "area_responsable": "Dirección de Adquisiciones",
    "contacto_nombre": "Héctor Leal Montemayor",
    "contacto_cargo": "Titular de la Unidad de Transparencia",
    "contacto_correo": "enlace.nl@demo.reconoce.mx",
    "contacto_telefono": "81 2020 1000",
    "descripcion": "Publicamos cada mes las compras del gobierno estatal en datos abiertos, con proveedor y monto.",
    "necesidad_informacion": "La ciudadanía pregunta con frecuencia a quién compra el gobierno y a qué precio.",
    "identificacion_necesidad": "Análisis de las solicitudes de información de los últimos dos años.",
    "poblacion_objetivo": "Proveedores, periodistas y organizaciones civiles de Nuevo León.",
    "url_publicacion": "https://www.nl.gob.mx/compras-abiertas",
    "fecha_inicio": "2025-03-01",
}


def _sesion(page, base, correo):
    """Sign in afresh as `correo` (the previous person's cookies are gone, as on a shared computer)."""
    page.context.clear_cookies()
    _entrar(page, base, correo)
    expect(page.get_by_role("button", name="Cerrar sesión")).to_be_visible()


def _esperar(page, cargar, comprobar, segundos, que):
    """Reload with `cargar` until `comprobar` holds: work done by the worker or the scheduler, which
    a person would see by coming back to the page."""
    limite = time.monotonic() + segundos
    while True:
        cargar()
        if comprobar():
            return
        if time.monotonic() > limite:
            raise AssertionError(f"{que}: no ocurrió en {segundos} s")
        page.wait_for_timeout(3000)


def _correo(page, base, asunto, segundos=120):
    """Open the message whose subject contains `asunto` in the signed-in person's demo mailbox."""
    enlace = page.get_by_role("link", name=re.compile(re.escape(asunto)))
    _esperar(page, lambda: page.goto(f"{base}/buzon/"), lambda: enlace.count() > 0, segundos,
             f"el correo «{asunto}»")
    enlace.first.click()
    expect(page.get_by_role("heading", name=re.compile(re.escape(asunto)))).to_be_visible()


def _pdf(page, url) -> str:
    respuesta = page.request.get(url)
    assert respuesta.status == 200 and respuesta.headers["content-type"] == "application/pdf", respuesta.status
    texto = "".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(respuesta.body())).pages)
    return re.sub(r"\s+", "", texto)


def _verificar(page, base, codigo, folio):
    page.goto(f"{base}/verificar/")
    page.get_by_label("Código de verificación").fill(codigo)
    page.get_by_role("button", name="Verificar", exact=True).click()
    expect(page.locator("#estado-documento")).to_contain_text("Vigente")
    expect(page.get_by_text(folio).first).to_be_visible()


def _subir_y_verificar(page, base, url_pdf, firmantes):
    """Upload a PDF to the verification page: it is the portal's, and each named signature is intact."""
    respuesta = page.request.get(url_pdf)
    assert respuesta.status == 200
    page.goto(f"{base}/verificar/")
    page.get_by_label("Archivo PDF del documento").set_input_files(
        files=[{"name": "documento.pdf", "mimeType": "application/pdf", "buffer": respuesta.body()}])
    page.get_by_role("button", name="Verificar el archivo").click()
    expect(page.get_by_text("El archivo es idéntico al documento que emitió este portal.")).to_be_visible()
    for nombre in firmantes:
        expect(page.get_by_text(nombre).first).to_be_visible()
    expect(page.get_by_text("Íntegra", exact=True)).to_have_count(len(firmantes))


def test_recorrido_del_anio_completo(embebido, page):
    """The README's "Recorrido", in one browser, under the embedded default: each person with their
    own account, the scheduler closing the call and publishing the results on its own once
    `demo_adelantar` has moved their second a few seconds ahead, the worker rendering every PDF and
    sending every e-mail (read in the demo mailbox)."""
    base = embebido.url
    page.set_default_timeout(20_000)
    page.on("dialog", lambda dialogo: dialogo.accept())

    # 1. Submit: the enlace of an INFO NL body fills the form, uploads a support, sends it.
    _sesion(page, base, "enlace.nl@demo.reconoce.mx")
    page.get_by_role("navigation", name="Navegación principal").get_by_role("link", name="Mis prácticas").click()
    page.get_by_role("link", name="Proponer una práctica").click()
    page.get_by_label("Nombre de la práctica").fill(PRACTICA)
    page.get_by_role("button", name="Crear borrador").click()
    expect(page.get_by_text("Borrador creado.")).to_be_visible()
    for campo, valor in GENERALES.items():
        page.locator(f"#id_{campo}").fill(valor)
    evidencias = page.locator("textarea[name^='evidencia-']")
    expect(evidencias).to_have_count(6)
    for i in range(6):
        evidencias.nth(i).fill(f"Evidencia del criterio {i + 1}: el portal de compras y sus descargas mensuales.")
    page.locator("#archivos-general").set_input_files(files=[{
        "name": "compras-2025.csv", "mimeType": "text/csv",
        "buffer": b"proveedor,monto\nPapeleria del Norte,1200\nSistemas Regios,3400\n"}])
    page.get_by_role("button", name="Guardar y revisar para enviar").click()
    expect(page.get_by_text("El formulario está completo.")).to_be_visible()
    page.get_by_role("button", name="Enviar práctica").click()
    recibida = page.get_by_text(re.compile(r"Práctica recibida con el folio INFONL-TP-\d{4}-\d{4}"))
    expect(recibida).to_be_visible()
    folio = re.search(r"INFONL-TP-\d{4}-\d{4}", recibida.inner_text()).group(0)
    page.get_by_role("link", name="Descargar acuse de recibo (PDF)").wait_for(timeout=120_000)  # htmx, by itself
    _correo(page, base, f"Acuse de recibo {folio}")

    # 2. Close: the deadline moves three seconds ahead; the scheduler closes the call and tells staff.
    embebido.manage("demo_adelantar", "--convocatoria", CONV_NL, "--cierre", "3")
    _sesion(page, base, "personal.nl@demo.reconoce.mx")
    _correo(page, base, "cerró", segundos=150)

    # 3. Requirements: staff admit the practice and hand the call to the jury.
    page.goto(f"{base}/panel/convocatorias/{CONV_NL}/admisibilidad/")
    page.get_by_role("link", name=f"Verificar {folio}").click()
    for opcion in page.get_by_label("Sí cumple").all():
        opcion.check()
    page.get_by_label("Admitida", exact=True).check()
    page.get_by_role("button", name="Guardar verificación").click()
    expect(page.get_by_text(f"Verificación de {folio} guardada: Admitida.")).to_be_visible()
    # The demo's other submission (the one a body made from its carta compromiso) is verified too:
    # the verification closes only when every practice has its result.
    pendientes = page.get_by_role("row").filter(has=page.get_by_role("cell", name="Pendiente", exact=True))
    for otro in [fila.get_by_role("cell").first.inner_text().strip() for fila in pendientes.all()]:
        page.get_by_role("link", name=f"Verificar {otro}").click()
        page.get_by_label("No admitida", exact=True).check()
        page.get_by_label("Motivos de la no admisión").fill("La práctica se publicó después del periodo que cubre la convocatoria.")
        page.get_by_role("button", name="Guardar verificación").click()
        expect(page.get_by_text(f"Verificación de {otro} guardada: No admitida.")).to_be_visible()
    page.get_by_role("button", name="Cerrar verificación y turnar al jurado").click()
    expect(page.get_by_text("Verificación cerrada")).to_be_visible()

    # 4. Score: each juror, signed in with their own account, scores the six criteria with reasons.
    for n in (1, 2, 3):
        _sesion(page, base, f"jurado{n}.nl@demo.reconoce.mx")
        expect(page).to_have_url(re.compile(r"/panel/jurado/$"))  # a juror lands on their own workspace
        page.goto(f"{base}/panel/convocatorias/{CONV_NL}/calificaciones/")
        page.get_by_role("link", name=f"Calificar {folio}").click()
        puntajes, motivos = page.locator("input[name^='puntaje_']"), page.locator("textarea[name^='motivo_']")
        expect(puntajes).to_have_count(6)
        for i in range(6):
            puntajes.nth(i).fill(str(4 + (i + n) % 2))
            motivos.nth(i).fill(f"El criterio {i + 1} se acredita con el portal y sus descargas.")
        page.get_by_role("button", name="Enviar calificación").click()
        expect(page.get_by_text(f"Calificación de {folio} enviada.")).to_be_visible()

    # Staff close scoring and save the draft ruling; the results second is set a few seconds after
    # the jury will have signed (signed rulings fix it, as in the panel).
    _sesion(page, base, "personal.nl@demo.reconoce.mx")
    page.goto(f"{base}/panel/convocatorias/{CONV_NL}/tablero/")
    page.get_by_role("button", name="Cerrar calificación").click()
    expect(page.get_by_text("Calificación cerrada.")).to_be_visible()
    page.goto(f"{base}/panel/convocatorias/{CONV_NL}/dictamenes/")
    page.get_by_role("link", name=PRACTICA).click()
    dictamen_url = page.url
    page.get_by_label("Procedente", exact=True).check()
    page.get_by_label("Consideraciones generales").fill("Práctica ejemplar de compras abiertas.")
    page.get_by_role("button", name="Guardar borrador").click()
    expect(page.get_by_text("Borrador del dictamen guardado.")).to_be_visible()
    embebido.manage("demo_adelantar", "--convocatoria", CONV_NL, "--resultados", "20")

    # 5. Sign: each juror signs with their own e.firma (the demo's files, as cargar_demo printed them),
    # on the PDF the worker rendered from the saved draft; the third signature issues the ruling.
    efirmas = embebido.carpeta / "efirma"
    for n in (1, 2, 3):
        correo = f"jurado{n}.nl@demo.reconoce.mx"
        _sesion(page, base, correo)
        page.goto(dictamen_url)
        for _ in range(30):  # the worker renders the PDF to sign a few seconds after the draft was saved
            if page.get_by_role("link", name="Descargar el PDF que se firma").count():
                break
            page.wait_for_timeout(1000)
            page.reload()
        page.get_by_label(re.compile("Confirmo que el Jurado Calificador deliberó")).check()
        page.get_by_label("Certificado de su e.firma (.cer)").set_input_files(str(efirmas / f"{correo}.cer"))
        page.get_by_label("Clave privada de su e.firma (.key)").set_input_files(str(efirmas / f"{correo}.key"))
        page.get_by_label("Contraseña de la clave privada").fill(CONTRASENA)
        page.get_by_role("button", name="Firmar dictamen").click()
        expect(page.get_by_role("status").filter(
            has_text=re.compile(f"Firmas reunidas: {n} de 3|dictamen emitido con el folio"))).to_be_visible()
    expect(page.get_by_role("heading", name="Dictamen firmado")).to_be_visible()

    # 6-7. Publish and browse: nothing is public before the second; after it, the scheduler publishes
    # and the body gets its result; anyone finds the practice in the catalogue.
    page.context.clear_cookies()
    practica = page.get_by_role("link", name=PRACTICA)
    _esperar(page, lambda: page.goto(f"{base}/practicas-reconocidas/"), lambda: practica.count() > 0, 150,
             "la práctica reconocida en el catálogo")
    _sesion(page, base, "enlace.nl@demo.reconoce.mx")
    _correo(page, base, f"Resultado de su práctica {folio}", segundos=150)
    page.context.clear_cookies()
    page.goto(f"{base}/practicas-reconocidas/")
    page.get_by_role("link", name=PRACTICA).first.click()
    expect(page.get_by_role("heading", name=PRACTICA)).to_be_visible()

    # 8. Verify a PDF: the recognition's code, read from the PDF itself.
    href = page.get_by_role("link", name="Reconocimiento (PDF)").get_attribute("href")
    href_dictamen = page.get_by_role("link", name="Dictamen (PDF)").get_attribute("href")
    texto = _pdf(page, base + href)
    assert f"{folio}-D" in texto
    codigo = re.search(r"/verificar/([-\w]+)/", texto).group(1)
    _verificar(page, base, codigo, f"{folio}-R")
    # The files themselves: the recognition sealed by INFO NL, the ruling signed by each juror's e.firma.
    _subir_y_verificar(page, base, base + href, ["Sello de INFO NL"])
    _subir_y_verificar(page, base, base + href_dictamen,
                       ["Rosa María Treviño Salazar (demo)", "Alejandro Garza Leal (demo)",
                        "Verónica Montemayor Ríos (demo)"])

    # 9. Register to the upcoming session, without an account, with the enlace's e-mail.
    page.goto(f"{base}/jornadas/")
    page.get_by_role("link", name="Primera Jornada de Sensibilización en Transparencia Proactiva").first.click()
    page.get_by_role("link", name="Registrarme").click()
    page.get_by_label("Nombre completo").fill("Jorge Salinas Reyes")
    page.get_by_label("Correo electrónico institucional").fill("enlace@demo.reconoce.mx")
    page.get_by_label("Buscar su sujeto obligado").fill("Metepec")
    page.get_by_role("combobox", name=re.compile("^Sujeto obligado")).select_option(label="Ayuntamiento de Metepec")
    page.get_by_label("Cargo").fill("Titular de la Unidad de Transparencia")
    page.get_by_label(re.compile("He leído el aviso de privacidad")).check()
    page.get_by_role("button", name="Registrarme").click()
    expect(page.get_by_role("heading", name="Registro confirmado")).to_be_visible()

    # 10. The session starts (two seconds from now); staff take attendance and send the survey; the
    # attendee answers it from the link in their mailbox.
    embebido.manage("demo_adelantar", "--jornada", JORNADA, "--inicio", "2")
    page.wait_for_timeout(2500)
    _sesion(page, base, "personal@demo.reconoce.mx")
    page.goto(f"{base}/panel/jornadas/{JORNADA}/asistencia/")
    with page.expect_response(lambda r: r.request.method == "POST" and "/asistencia/" in r.url) as marcada:
        page.get_by_label("Asistió Jorge Salinas Reyes").check()  # saved as it is ticked (htmx)
    assert marcada.value.status == 200
    page.get_by_role("button", name=re.compile("Enviar el enlace de la encuesta")).click()
    expect(page.get_by_text(re.compile("Se enviará el enlace de la encuesta"))).to_be_visible()
    _sesion(page, base, "enlace@demo.reconoce.mx")
    _correo(page, base, "Encuesta de satisfacción")
    page.get_by_role("link", name=re.compile(r"jornadas.encuesta")).click()
    page.get_by_label("Ejemplos de prácticas exitosas de Transparencia Proactiva").check()
    page.get_by_label("5 · Totalmente satisfecho").check()
    page.get_by_label("Comentarios").fill("Muy útil para mi unidad.")
    page.get_by_role("button", name="Enviar respuestas").click()
    expect(page.get_by_text("su respuesta quedó registrada de forma anónima")).to_be_visible()

    # 11. Constancias: staff issue them and watch the batch progress live; the constancia reaches
    # the attendee's mailbox and its code verifies.
    _sesion(page, base, "personal@demo.reconoce.mx")
    page.goto(f"{base}/panel/jornadas/{JORNADA}/constancias/")
    page.get_by_role("button", name="Emitir constancias").click()
    expect(page.get_by_text("Lista la constancia.")).to_be_visible(timeout=120_000)  # no reload
    _sesion(page, base, "enlace@demo.reconoce.mx")
    _correo(page, base, "Su constancia de participación")
    descarga = page.get_by_role("link", name=re.compile(r"documentos.[-\w]+\.pdf")).get_attribute("href")
    texto = _pdf(page, descarga)
    constancia = re.search(r"INFOEM-JS-\d{4}-\d{5}", texto).group(0)
    _verificar(page, base, re.search(r"/documentos/([-\w]+)\.pdf", descarga).group(1), constancia)
    assert "Traceback" not in embebido.log.read_text()


def test_ctrl_c_detiene_el_portal_y_el_worker(embebido, browser_name):
    codigo = embebido.detener()
    texto = embebido.log.read_text()
    assert "web.1 stopped" in texto and "worker.1 stopped" in texto, texto[-2000:]
    assert codigo in (0, 130, -2, 1)
    # Nothing on the console at Celery's INFO chatter or kombu's warning.
    assert "No hostname was supplied" not in texto
    assert "AXES:" not in texto
    assert "database is locked" not in texto
