"""Permission matrix of the cartas compromiso routes (documentos): the «Formato carta compromiso» of
a letter (compromisos/urls_documentos.py) and the authority's format texts (urls_panel_documentos.py).

Conventions (tests/matriz.py):
- a letter's format: anonymous 302 to the login page; the letter's enlaces (body A), the authority's
  staff and the superuser may; everyone else 404 (the letter is not among theirs);
- the authority's format in the panel: people who are not staff 403, staff of another authority 404;
- a refused POST changes nothing in the database.
"""

from functools import cached_property

import pytest
from django.core.files.base import ContentFile
from django.urls import URLPattern, URLResolver, reverse

from compromisos import urls_documentos, urls_panel_documentos
from compromisos.models import CartaCompromiso, FormatoCarta
from core.models import DocumentoVerificable
from core.pdf import sha256_bytes
from tests.compromisos import builders as b
from tests.matriz import LOGIN, PERSONAS, Ruta, casos, comprobar

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def E(anonimo, enlace_a, enlace_b, personal, otro_personal, jurado, su=None, *, eo=None, jo=None):  # noqa: N802
    """Expected status per persona (a table row); the superuser gets what the authority's staff get unless
    `su` says otherwise; the enlace of another entity's body (`eo`) and the other authority's juror (`jo`)
    get what enlace_b gets unless told."""
    return dict(zip(PERSONAS, (anonimo, enlace_a, enlace_b, personal, otro_personal, jurado,
                               personal if su is None else su, enlace_b if eo is None else eo,
                               enlace_b if jo is None else jo), strict=True))


DE_LA_CARTA = E(LOGIN, 200, 404, 200, 404, 404)
DE_LA_CARTA_POST = E(LOGIN, 302, 404, 302, 404, 404)
PANEL = E(LOGIN, 403, 403, 200, 404, 403)
PANEL_POST = E(LOGIN, 403, 403, 302, 404, 403)


class Escenario:
    def __init__(self, autoridad, sujeto, enlace, personal):
        self.autoridad, self.sujeto, self.enlace, self.personal = autoridad, sujeto, enlace, personal

    @cached_property
    def carta(self) -> CartaCompromiso:
        """Body A's draft letter, without a format yet."""
        return b.borrador(self.sujeto, self.enlace)

    @cached_property
    def con_formato(self) -> CartaCompromiso:
        """Body A's draft letter whose format PDF is ready (stored bytes are enough for the download)."""
        carta = b.borrador(self.sujeto, self.enlace)
        doc = DocumentoVerificable(tipo=DocumentoVerificable.Tipo.CARTA_COMPROMISO, folio="MATRIZ-CC-0001",
                                   titulo="Carta compromiso", autoridad=self.autoridad, visible_desde=carta.creada_en)
        doc.archivo.save("matriz.pdf", ContentFile(PDF), save=False)
        doc.sha256, doc.estado_pdf = sha256_bytes(PDF), DocumentoVerificable.EstadoPDF.LISTA
        doc.save()
        carta.documento = doc
        carta.save(update_fields=["documento"])
        return carta


@pytest.fixture
def esc(autoridad, sujeto_a, enlace_a, personal):
    return Escenario(autoridad, sujeto_a, enlace_a, personal)


def _formato_post(e):
    return {"encabezado": "Carta compromiso de la matriz", "texto_compromiso": "Nos comprometemos.", "pie": ""}


RUTAS = [
    Ruta("formato_generar", "compromisos:carta_formato_generar",
         lambda e: reverse("compromisos:carta_formato_generar", args=[e.carta.pk]), DE_LA_CARTA_POST, metodo="post",
         cambian=frozenset({"enlace_a", "personal"}),
         efecto=lambda e: CartaCompromiso.objects.filter(pk=e.carta.pk, documento__isnull=False).exists()),
    Ruta("formato", "compromisos:carta_formato",
         lambda e: reverse("compromisos:carta_formato", args=[e.con_formato.pk]), DE_LA_CARTA),
    Ruta("formato-sin-generar", "compromisos:carta_formato",
         lambda e: reverse("compromisos:carta_formato", args=[e.carta.pk]), E(LOGIN, 404, 404, 404, 404, 404)),
    Ruta("formato_estado", "compromisos:carta_formato_estado",
         lambda e: reverse("compromisos:carta_formato_estado", args=[e.con_formato.pk]), DE_LA_CARTA),
    # --- panel -------------------------------------------------------------------------------------
    Ruta("formato_editar", "panel:carta_formato_editar",
         lambda e: reverse("panel:carta_formato_editar", args=[e.autoridad.slug]), PANEL),
    Ruta("formato_editar-post", "panel:carta_formato_editar",
         lambda e: reverse("panel:carta_formato_editar", args=[e.autoridad.slug]), PANEL_POST, metodo="post",
         datos=_formato_post, cambian=frozenset({"personal"}),
         efecto=lambda e: FormatoCarta.objects.filter(autoridad=e.autoridad,
                                                      encabezado="Carta compromiso de la matriz").exists()),
    Ruta("formato_vista_previa", "panel:carta_formato_vista_previa",
         lambda e: reverse("panel:carta_formato_vista_previa", args=[e.autoridad.slug]), PANEL),
    # A preview of unsaved texts writes nothing, for anyone.
    Ruta("formato_vista_previa-post", "panel:carta_formato_vista_previa",
         lambda e: reverse("panel:carta_formato_vista_previa", args=[e.autoridad.slug]),
         E(LOGIN, 403, 403, 200, 404, 403), metodo="post", datos=_formato_post),
]


@pytest.mark.parametrize(("ruta", "persona"), list(casos(RUTAS)))
def test_permiso_por_ruta_y_persona(client, esc, personas, ruta, persona, django_capture_on_commit_callbacks):
    comprobar(client, ruta, esc, personas[persona], persona, capturar=django_capture_on_commit_callbacks)


def _nombres(patrones, prefijo):
    for p in patrones:
        if isinstance(p, URLResolver):
            yield from _nombres(p.url_patterns, prefijo)
        elif isinstance(p, URLPattern) and p.name:
            yield f"{prefijo}:{p.name}"


def test_la_matriz_cubre_todas_las_rutas():
    rutas = {*_nombres(urls_documentos.urlpatterns, "compromisos"),
             *_nombres(urls_panel_documentos.urlpatterns, "panel")}
    faltan = rutas - {r.nombre for r in RUTAS}
    assert not faltan, f"Rutas sin fila en la matriz de permisos: {sorted(faltan)}"
