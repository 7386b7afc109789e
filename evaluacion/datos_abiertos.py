"""The open dataset of the recognised practices (core.datos_abiertos serves it): built on
`reconocimientos_publicos`, so the embargo is applied in SQL and nothing shows before its second."""

from collections.abc import Iterator
from datetime import datetime

from django.db.models import Max, QuerySet
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core import datos_abiertos as da

from .catalogo import reconocimientos_publicos

RECONOCIMIENTOS = "practicas-reconocidas"


def url_practica(practica_id: int) -> str:
    """The practice's canonical page in the catalogue."""
    return reverse("evaluacion:catalogo_practica", args=[practica_id])


def fila_reconocimiento(rec, contexto: da.Contexto) -> dict:
    """One recognised practice, from a row of `reconocimientos_publicos` (which selects the related rows)."""
    dictamen = rec.dictamen
    practica = dictamen.practica
    sujeto = practica.sujeto
    municipio = sujeto.municipio
    conv = practica.convocatoria
    return {
        "id": practica.pk,
        "folio": rec.documento.folio,
        "practica": practica.nombre,
        "descripcion": practica.descripcion,
        "necesidad_informacion": practica.necesidad_informacion,
        "sujeto_id": sujeto.pk,
        "sujeto": sujeto.nombre,
        "orden": sujeto.orden,
        "municipio_cvegeo": municipio.cvegeo if municipio else None,
        "municipio": municipio.nombre if municipio else None,
        "convocatoria": conv.titulo,
        "convocatoria_slug": conv.slug,
        "anio": conv.anio,
        **da.columnas_autoridad(conv.autoridad),
        "fecha_reconocimiento": dictamen.fecha,
        "vigente_desde": rec.vigente_desde,
        "vigente_hasta": rec.vigente_hasta,
        "estado_vigencia": rec.estado_vigencia,
        "url_publicacion": practica.url_publicacion or None,
        "url_practica": contexto.url_absoluta(url_practica(practica.pk)),
    }


def reconocimientos_ordenados(ahora: datetime) -> QuerySet:
    return reconocimientos_publicos(ahora).order_by("-dictamen__practica__convocatoria__anio", "documento__folio",
                                                    "pk")


def _filas_reconocimientos(contexto: da.Contexto) -> Iterator[dict]:
    recs = reconocimientos_ordenados(contexto.ahora)
    if contexto.autoridad is not None:
        recs = recs.filter(dictamen__practica__convocatoria__autoridad=contexto.autoridad)
    for rec in recs.iterator(chunk_size=1000):
        yield fila_reconocimiento(rec, contexto)


def _modificado_reconocimientos(ahora: datetime):
    """The last publication second of a call with public recognitions, or the last revocation."""
    qs = reconocimientos_ordenados(ahora).order_by()
    datos = qs.aggregate(publicado=Max("dictamen__practica__convocatoria__fecha_resultados"),
                         revocado=Max("documento__revocado_en"))
    fechas = [f for f in datos.values() if f is not None and f <= ahora]
    return max(fechas) if fechas else None


CAMPOS_RECONOCIMIENTOS = (
    da.Campo("id", da.ENTERO, _("Identificador de la práctica en el portal (el mismo de la API).")),
    da.Campo("folio", da.TEXTO, _("Folio del reconocimiento.")),
    da.Campo("practica", da.TEXTO, _("Nombre de la práctica de Transparencia Proactiva.")),
    da.Campo("descripcion", da.TEXTO, _("Descripción de la práctica, como la presentó el sujeto obligado.")),
    da.Campo("necesidad_informacion", da.TEXTO, _("Necesidad de información que la práctica atiende.")),
    da.Campo("sujeto_id", da.ENTERO, _("Identificador del sujeto obligado en el portal (el mismo de la API).")),
    da.Campo("sujeto", da.TEXTO, _("Nombre del sujeto obligado que implementa la práctica.")),
    da.Campo("orden", da.TEXTO, _("Orden de gobierno del sujeto obligado: estatal o municipal."),
             opciones=da.ORDENES),
    da.Campo("municipio_cvegeo", da.TEXTO, _("Clave geoestadística INEGI del municipio (5 dígitos); vacío para "
                                          "sujetos obligados estatales."), nulo=True),
    da.Campo("municipio", da.TEXTO, _("Nombre del municipio; vacío para sujetos obligados estatales."), nulo=True),
    da.Campo("convocatoria", da.TEXTO, _("Título de la convocatoria en que se reconoció la práctica.")),
    da.Campo("convocatoria_slug", da.TEXTO, _("Identificador de la convocatoria en el portal y la API.")),
    da.Campo("anio", da.ENTERO, _("Año de la convocatoria.")),
    *da.campos_autoridad(_("que otorgó el reconocimiento (la que emitió la convocatoria)")),
    da.Campo("fecha_reconocimiento", da.FECHA, _("Fecha del dictamen que otorgó el reconocimiento.")),
    da.Campo("vigente_desde", da.FECHA, _("Primer día de vigencia del reconocimiento.")),
    da.Campo("vigente_hasta", da.FECHA, _("Último día de vigencia del reconocimiento.")),
    da.Campo("estado_vigencia", da.TEXTO, _("Situación del reconocimiento a la fecha de la descarga: vigente, vencido "
                                         "o revocado."), opciones=("vigente", "vencido", "revocado")),
    da.Campo("url_publicacion", da.URL, _("Dirección donde el sujeto obligado publica la práctica."), nulo=True),
    da.Campo("url_practica", da.URL, _("Página de la práctica en este portal.")),
)


DATASET = da.Dataset(
    id=RECONOCIMIENTOS,
    titulo=_("Prácticas de Transparencia Proactiva reconocidas"),
    descripcion=_("Catálogo de las prácticas reconocidas con resultados ya publicados: sujeto obligado, "
                  "convocatoria, autoridad garante que otorgó el reconocimiento, su vigencia y dónde consultarlas."),
    campos=CAMPOS_RECONOCIMIENTOS, generar=_filas_reconocimientos, modificado=_modificado_reconocimientos,
    palabras_clave=("transparencia proactiva", "reconocimientos", "sujetos obligados"),
    orden=10,
)
