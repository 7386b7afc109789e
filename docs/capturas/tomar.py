"""Screenshots of the portal's main pages at 1280 and 390 px, for the record (issue 13).

Run it against a portal loaded with `cargar_demo` (for instance `make run`):

    .venv/bin/python docs/capturas/tomar.py http://127.0.0.1:8000

It writes docs/capturas/<page>-<width>.png with Debian's Chromium (/usr/bin/chromium). Staff pages
(the panel home and the jury dashboard of the 2023 call, which has its scores) are taken as the demo
staff account."""

import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

CARPETA = Path(__file__).parent
CONTRASENA = "Reconoce-2026!"
ANCHOS = (1280, 390)
PUBLICAS = {
    "inicio": "/",
    "convocatoria": "/convocatorias/transparencia-proactiva-2026/",
    "catalogo": "/practicas-reconocidas/",
    "practica": "/practicas-reconocidas/1/",
}
CON_CUENTA = {
    "panel": ("personal@demo.reconoce.mx", "/panel/"),
    "tablero-jurado": ("personal@demo.reconoce.mx", "/panel/convocatorias/transparencia-proactiva-2023/tablero/"),
}


def _entrar(pagina, base, correo):
    pagina.goto(f"{base}/cuentas/login/")
    pagina.get_by_label("Correo electrónico").fill(correo)
    pagina.get_by_label("Contraseña").fill(CONTRASENA)
    pagina.get_by_role("button", name="Entrar").click()
    pagina.wait_for_load_state()


def main(base: str) -> None:
    base = base.rstrip("/")
    with sync_playwright() as p:
        navegador = p.chromium.launch(executable_path="/usr/bin/chromium")
        for ancho in ANCHOS:
            contexto = navegador.new_context(viewport={"width": ancho, "height": 900}, locale="es-MX")
            pagina = contexto.new_page()
            for nombre, ruta in PUBLICAS.items():
                pagina.goto(base + ruta)
                pagina.screenshot(path=CARPETA / f"{nombre}-{ancho}.png", full_page=True)
            for nombre, (correo, ruta) in CON_CUENTA.items():
                contexto.clear_cookies()
                _entrar(pagina, base, correo)
                pagina.goto(base + ruta)
                pagina.screenshot(path=CARPETA / f"{nombre}-{ancho}.png", full_page=True)
            contexto.close()
        navegador.close()


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "http://127.0.0.1:8000")
