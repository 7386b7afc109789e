"""A plain emblem for an authority that has no logo of its own yet: its acronym in white on a disc
of its institutional colour, as a PNG (what the logo field, the PDFs and e-mail clients all read).

`cargar_demo` gives one to each demo authority so the demo shows the place where a real crest
goes; a deployment uploads the authority's own logo in the panel and this is never used."""

import io
from functools import lru_cache
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

LADO = 256
_FUENTES = ("/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf",
            "/usr/share/fonts/truetype/liberation/LiberationSans-Bold.ttf")


@lru_cache(maxsize=8)
def _fuente(tamano: int):
    for ruta in _FUENTES:
        if Path(ruta).exists():
            return ImageFont.truetype(ruta, tamano)
    return ImageFont.load_default(size=tamano)


def emblema_png(siglas: str, color: str) -> bytes:
    """256×256 PNG with a transparent background; the acronym shrinks until it fits the disc."""
    imagen = Image.new("RGBA", (LADO, LADO), (0, 0, 0, 0))
    dibujo = ImageDraw.Draw(imagen)
    dibujo.ellipse((4, 4, LADO - 5, LADO - 5), fill=color)
    dibujo.ellipse((18, 18, LADO - 19, LADO - 19), outline="white", width=6)
    texto = " ".join(siglas.split())[:12] or "?"
    tamano = 110
    while tamano > 24:
        izquierda, arriba, derecha, abajo = dibujo.textbbox((0, 0), texto, font=_fuente(tamano))
        if derecha - izquierda <= LADO - 72:
            break
        tamano -= 6
    fuente = _fuente(tamano)
    dibujo.text((LADO / 2, LADO / 2), texto, fill="white", font=fuente, anchor="mm")
    salida = io.BytesIO()
    imagen.save(salida, format="PNG", optimize=True)
    return salida.getvalue()
