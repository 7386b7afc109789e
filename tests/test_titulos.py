"""Every page has its own <title>: "<page> · <face>" (base.html), never the frame's default (the
portal's name alone) nor an empty page part.

Two checks: every page template (one whose chain of {% extends %} reaches base.html or the error pages'
minimal frame) fills the `title` block with something; and a walk of the main public, account, jury
and panel pages of a whole cycle, as the person each page is for, reads the title each one renders."""

import html
import re
from pathlib import Path

import pytest
import time_machine
from django.conf import settings
from django.template import Context
from django.template.base import TextNode
from django.template.loader import get_template
from django.template.loader_tags import BlockNode, ExtendsNode
from django.urls import reverse

from evaluacion.models import Dictamen
from tests.compromisos import builders as bcc
from tests.evaluacion import builders_dictamen as bd
from tests.evaluacion.builders_dictamen import fixture_ciclo, fixture_firmado  # noqa: F401
from tests.jornadas import builders as bj

MARCOS = {"base.html", "errores/marco_minimo.html"}
PLANTILLAS = Path(settings.BASE_DIR) / "templates"


def _padre_y_bloques(nombre: str):
    """(the template it extends or None, its {% block %} nodes by name)."""
    nodos = get_template(nombre).template.nodelist
    extiende = next((n for n in nodos if isinstance(n, ExtendsNode)), None)
    if extiende is None:
        return None, {}
    return extiende.parent_name.resolve(Context()), extiende.blocks


def _con_contenido(bloque: BlockNode) -> bool:
    return any(not isinstance(n, TextNode) or n.s.strip() for n in bloque.nodelist)


def test_cada_pagina_llena_el_bloque_title():
    revisadas, sin_titulo = [], []
    for ruta in sorted(PLANTILLAS.rglob("*.html")):
        nombre = ruta.relative_to(PLANTILLAS).as_posix()
        if nombre in MARCOS:
            continue
        cadena, actual, titulo = [], nombre, None
        while actual is not None and actual not in MARCOS:
            padre, bloques = _padre_y_bloques(actual)
            if titulo is None and "title" in bloques:
                titulo = bloques["title"]
            cadena.append(actual)
            actual = padre
        if actual is None:
            continue  # a partial, an e-mail, a PDF, or a page with a frame of its own (Swagger UI)
        revisadas.append(nombre)
        if titulo is None or not _con_contenido(titulo):
            sin_titulo.append(" → ".join([*cadena, actual]))
    assert len(revisadas) > 60, revisadas  # the walk found the pages
    assert "errores/500.html" in revisadas and "portal/inicio.html" in revisadas
    assert not sin_titulo, "Páginas sin {% block title %} propio:\n" + "\n".join(sin_titulo)


# --- the walk ---------------------------------------------------------------------------------------

def _titulo(contenido: str) -> str:
    encontrado = re.search(r"<title>(.*?)</title>", contenido, re.S)
    assert encontrado, "sin <title>"
    return " ".join(html.unescape(encontrado.group(1)).split())


def _url(nombre, *args):
    return reverse(nombre, args=args)


@pytest.fixture
def escena(firmado, convocatoria, practica_a, jurado, sujeto_a, enlace_a, personal):
    """A signed cycle (A's practice recognised, B's not, PDFs rendered), and in the same authority an
    open call with A's draft and its juror; a past session of a cycle with answers, an upcoming one."""
    ciclo_jornadas = bj.ciclo(autoridad_=firmado.convocatoria.autoridad)
    pasada = bj.jornada_con_asistentes(3, respondieron=2, ciclo_=ciclo_jornadas)
    proxima = bj.jornada(autoridad_=firmado.convocatoria.autoridad)
    conv = firmado.convocatoria
    bcc.aceptada(sujeto_a, enlace_a, personal, n=2)
    reconocida, no_reconocida = firmado.practicas
    dictamen = Dictamen.objects.get(practica=reconocida)
    autoridad = conv.autoridad
    slug = conv.slug
    paginas = {
        "anonimo": [
            _url("portal:inicio"), _url("convocatorias:lista"), _url("convocatorias:detalle", slug),
            _url("convocatorias:detalle", convocatoria.slug), _url("evaluacion:resultados", slug),
            _url("evaluacion:practica_reconocida", slug, reconocida.pk), _url("evaluacion:catalogo"),
            _url("evaluacion:catalogo") + "?q=transparencia", _url("evaluacion:catalogo_practica", reconocida.pk),
            _url("evaluacion:catalogo_sujeto", reconocida.sujeto_id), _url("jornadas:lista"),
            _url("jornadas:detalle", pasada.slug), _url("jornadas:detalle", proxima.slug),
            _url("jornadas:registro", proxima.slug), _url("jornadas:encuesta_gracias"),
            _url("core:verificar_inicio"), _url("core:verificar", dictamen.reconocimiento.documento.codigo),
            _url("core:verificar", "no-existe"), _url("datos:inicio"), _url("core:aviso_privacidad"),
            _url("login"), _url("password_reset"), _url("password_reset_done"), _url("practicas:registro"),
            _url("practicas:registro_enviado"), _url("compromisos:inicio"),
            _url("compromisos:autoridad", firmado.convocatoria.autoridad.slug),
            _url("compromisos:sujeto", firmado.convocatoria.autoridad.slug, sujeto_a.pk), "/no-existe/",
        ],
        "enlace_a": [
            _url("practicas:mis_practicas"), _url("practicas:cuenta"), _url("practicas:detalle", practica_a.pk),
            _url("practicas:editar", practica_a.pk), _url("practicas:detalle", reconocida.pk),
            _url("practicas:nueva", convocatoria.slug), _url("password_change"), _url("panel:inicio"),
        ],
        "jurado": [_url("panel:jurado_inicio"), _url("panel:jurado_calificaciones", convocatoria.slug)],
        "personal": [
            _url("panel:inicio"), _url("panel:convocatorias"), _url("panel:convocatoria_nueva"),
            _url("panel:convocatoria_editar", convocatoria.slug), _url("panel:convocatoria_criterios", slug),
            _url("panel:convocatoria_documentos", slug), _url("panel:convocatoria_jurado", slug),
            _url("panel:practicas", slug), _url("panel:registrar_recibida", convocatoria.slug),
            _url("panel:admisibilidad", slug), _url("panel:admisibilidad_practica", slug, reconocida.pk),
            _url("panel:tablero", slug), _url("panel:calificaciones_historial", slug, reconocida.pk),
            _url("panel:dictamenes", slug), _url("panel:dictamen", dictamen.pk),
            _url("panel:sujetos"), _url("panel:sujeto_nuevo"), _url("panel:sujeto_editar", reconocida.sujeto_id),
            _url("panel:sujetos_importar"), _url("panel:enlaces"),
            _url("panel:jornadas"), _url("panel:jornada_nueva"), _url("panel:jornada_editar", pasada.slug),
            _url("panel:jornada_asistencia", pasada.slug), _url("panel:jornada_importar", pasada.slug),
            _url("panel:jornada_resultados", pasada.slug), _url("panel:jornadas_ciclo_nuevo"),
            _url("panel:jornadas_ciclo_editar", ciclo_jornadas.slug), _url("panel:jornadas_resultados", ciclo_jornadas.slug),
            _url("panel:jornadas_informe", ciclo_jornadas.slug), _url("panel:constancias"),
            _url("panel:constancias_jornada", pasada.slug), _url("panel:constancias_ciclo", ciclo_jornadas.slug),
            _url("panel:autoridades"), _url("panel:autoridad_editar", autoridad.slug),
            _url("panel:autoridad_firmantes", autoridad.slug), _url("panel:autoridad_personal", autoridad.slug),
            _url("panel:autoridad_historial", autoridad.slug),
        ],
    }
    # Pages that show the same thing, and may share a title: a recognised practice under its call's
    # results and in the catalogue (one page, two addresses), and its body's own view of it.
    misma_pagina = [{f"anonimo {_url('evaluacion:practica_reconocida', slug, reconocida.pk)}",
                     f"anonimo {_url('evaluacion:catalogo_practica', reconocida.pk)}",
                     f"enlace_a {_url('practicas:detalle', reconocida.pk)}"}]
    return bd.antes_y_despues(firmado)[1], paginas, misma_pagina


def test_cada_pagina_principal_tiene_su_titulo(client, escena, personas):
    despues, paginas, misma_pagina = escena
    portada = settings.PORTAL_NOMBRE
    titulos, fallas = {}, []
    with time_machine.travel(despues, tick=False):
        for persona, urls in paginas.items():
            client.logout()
            if personas[persona] is not None:
                client.force_login(personas[persona])
            for url in urls:
                resp = client.get(url)
                if resp.status_code not in (200, 403, 404) or not resp["Content-Type"].startswith("text/html"):
                    fallas.append(f"{persona} {url}: {resp.status_code} {resp['Content-Type']}")
                    continue
                titulo = _titulo(resp.content.decode())
                pagina, _, cara = titulo.rpartition(" · ")
                titulos[f"{persona} {url}"] = titulo
                if not pagina.strip() or not cara.strip() or pagina == portada:
                    fallas.append(f"{persona} {url}: «{titulo}»")
    assert len(titulos) >= 70, len(titulos)
    assert not fallas, "Páginas sin título propio:\n" + "\n".join(fallas)
    # Specific: two different pages never share a title.
    por_titulo = {}
    for pagina, titulo in titulos.items():
        por_titulo.setdefault(titulo, set()).add(pagina)
    repetidos = [f"«{t}»: {', '.join(sorted(p))}" for t, p in por_titulo.items()
                 if len(p) > 1 and not any(p <= grupo for grupo in misma_pagina)]
    assert not repetidos, "Páginas distintas con el mismo título:\n" + "\n".join(repetidos)
    # The error pages too, in the same pattern.
    assert titulos["anonimo /no-existe/"] == f"Página no encontrada · {portada}"
    assert titulos[f"enlace_a {reverse('panel:inicio')}"] == f"Acceso no permitido · {portada}"
