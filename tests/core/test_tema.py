"""Issue 13, part 1: each authority's face — its colour themes Bootstrap's buttons, pages and bars,
its name heads the page in a band of that colour, its logo is the header's crest and the favicon,
served by the portal itself (MEDIA_URL has no server in production)."""

import io
import re
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from PIL import Image

from core.cara import Cara, IdentidadPortal
from core.emblema import emblema_png
from core.models import AutoridadGarante, contraste_con_blanco
from tests import factories

pytestmark = pytest.mark.django_db


def _con_logo(autoridad):
    autoridad.logo.save("logo.png", ContentFile(emblema_png(autoridad.siglas, "#00594f")), save=True)
    return autoridad


def test_el_emblema_es_un_png_cuadrado_con_fondo_transparente():
    imagen = Image.open(io.BytesIO(emblema_png("INFO NL", "#00594f")))
    assert imagen.format == "PNG" and imagen.size == (256, 256)
    assert imagen.getpixel((0, 0))[3] == 0 and imagen.getpixel((128, 10))[:3] == (0, 0x59, 0x4f)


def test_el_logo_se_sirve_como_imagen_publica(client, autoridad):
    _con_logo(autoridad)
    respuesta = client.get(reverse("core:logo", args=[autoridad.slug]))
    assert respuesta.status_code == 200 and respuesta["Content-Type"] == "image/png"
    assert respuesta["X-Content-Type-Options"] == "nosniff" and "public" in respuesta["Cache-Control"]
    assert b"".join(respuesta.streaming_content).startswith(b"\x89PNG")


def test_sin_logo_o_con_un_tipo_que_no_es_imagen_no_hay_logo(client, autoridad, otra_autoridad):
    assert client.get(reverse("core:logo", args=[autoridad.slug])).status_code == 404
    assert client.get(reverse("core:logo", args=["no-existe"])).status_code == 404
    otra_autoridad.logo.save("logo.svg", ContentFile(b"<svg onload='x()'/>"), save=True)
    assert client.get(reverse("core:logo", args=[otra_autoridad.slug])).status_code == 404


def test_la_pagina_de_una_autoridad_lleva_su_color_su_nombre_y_su_logo(client, autoridad):
    autoridad.color_primario = "#00594f"
    autoridad.sitio_web = "https://www.ejemplo.gob.mx"
    autoridad.save()
    _con_logo(autoridad)
    convocatoria = factories.ConvocatoriaFactory(autoridad=autoridad)
    html = client.get(convocatoria.get_absolute_url()).content.decode()
    estilo = re.search(r"<style nonce=\"[^\"]+\">([^<]+)</style>", html).group(1)
    assert estilo == ":root{--color-institucional:#00594f;--color-institucional-rgb:0, 89, 79}"
    franja = re.search(r'<div class="franja-institucional small">(.*?)</div>\s*</div>', html, re.S).group(1)
    assert autoridad.nombre in franja and 'href="https://www.ejemplo.gob.mx"' in franja
    logo = Cara(autoridad, IdentidadPortal.actual()).logo_url
    assert logo.startswith(reverse("core:logo", args=[autoridad.slug]) + "?v=")
    assert f'<link rel="icon" href="{logo}">' in html
    assert f'<img src="{logo}" alt="" width="48" height="48" class="logo-institucional">' in html
    assert '<footer class="pie-institucional' in html


def test_las_paginas_del_portal_llevan_la_identidad_de_la_instancia(client, settings):
    settings.PORTAL_COLOR = "#5a2a82"
    html = client.get(reverse("portal:inicio")).content.decode()
    assert "--color-institucional:#5a2a82;--color-institucional-rgb:90, 42, 130" in html
    assert 'href="/static/img/favicon.svg"' in html or "img/favicon" in html


def test_la_hoja_de_estilos_viste_los_componentes_con_el_color_institucional():
    from django.contrib.staticfiles import finders

    css = Path(finders.find("css/reconoce.css")).read_text(encoding="utf-8")
    for regla in (".btn-primary {", ".btn-outline-primary {", ".pagination {", ".progress {",
                  ".franja-institucional, .pie-institucional {"):
        bloque = css[css.index(regla):css.index("}", css.index(regla))]
        assert "var(--color-institucional)" in bloque, regla


def test_cargar_demo_da_a_cada_autoridad_un_emblema_una_vez(tmp_path):
    from django.core.management import call_command

    call_command("cargar_demo", "--forzar", stdout=io.StringIO())
    for autoridad in AutoridadGarante.objects.all():
        assert autoridad.logo.name.endswith("-emblema-demo.png"), autoridad
        assert contraste_con_blanco(autoridad.color_primario) >= 4.5
    nombres = dict(AutoridadGarante.objects.values_list("pk", "logo"))
    call_command("cargar_demo", "--forzar", stdout=io.StringIO())
    assert dict(AutoridadGarante.objects.values_list("pk", "logo")) == nombres
