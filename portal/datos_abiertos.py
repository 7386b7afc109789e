"""The open datasets that combine the apps: the calls and the bodies, each with how many of its
practices the public may see as recognised now (counted over evaluacion's public recognitions, so
before a call's results second the count is 0)."""

from collections.abc import Iterator
from datetime import datetime

from django.db.models import Count, Max, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from convocatorias.selectors import convocatorias_publicas
from core import datos_abiertos as da
from evaluacion.datos_abiertos import reconocimientos_ordenados
from practicas.models import SujetoObligado
from practicas.selectors import con_autoridad, sujetos_de_autoridad

CONVOCATORIAS = "convocatorias"
SUJETOS = "sujetos-obligados"


def convocatorias_con_reconocidas(ahora: datetime) -> QuerySet:
    """Public calls with how many of their practices the public may see as recognised now
    (counted over `reconocimientos_publicos`, so before the results second it is 0)."""
    publicas = (reconocimientos_ordenados(ahora).order_by()
                .filter(dictamen__practica__convocatoria=OuterRef("pk"))
                .values("dictamen__practica__convocatoria").annotate(n=Count("pk")).values("n"))
    return convocatorias_publicas().annotate(practicas_reconocidas=Coalesce(Subquery(publicas), Value(0)))


def fila_convocatoria(conv, contexto: da.Contexto) -> dict:
    return {
        "slug": conv.slug,
        "titulo": conv.titulo,
        "anio": conv.anio,
        **da.columnas_autoridad(conv.autoridad),
        "estado": str(conv.estado_efectivo(contexto.ahora)),
        "fecha_apertura": conv.fecha_apertura,
        "fecha_cierre": conv.fecha_cierre,
        "fecha_resultados": conv.fecha_resultados,
        "vigencia_meses": conv.vigencia_meses,
        "practicas_reconocidas": conv.practicas_reconocidas,
        "url": contexto.url_absoluta(conv.get_absolute_url()),
    }


def _filas_convocatorias(contexto: da.Contexto) -> Iterator[dict]:
    convocatorias = convocatorias_con_reconocidas(contexto.ahora)
    if contexto.autoridad is not None:
        convocatorias = convocatorias.filter(autoridad=contexto.autoridad)
    for conv in convocatorias:
        yield fila_convocatoria(conv, contexto)


def _modificado_convocatorias(ahora: datetime):
    return convocatorias_publicas().order_by().aggregate(m=Max("actualizada_en"))["m"]


CAMPOS_CONVOCATORIAS = (
    da.Campo("slug", da.TEXTO, _("Identificador de la convocatoria en el portal y la API.")),
    da.Campo("titulo", da.TEXTO, _("Título de la convocatoria.")),
    da.Campo("anio", da.ENTERO, _("Año de la convocatoria.")),
    *da.campos_autoridad(_("que emite la convocatoria")),
    da.Campo("estado", da.TEXTO, _("Etapa: abierta, cerrada, en_evaluacion o resultados_publicados."),
             opciones=("abierta", "cerrada", "en_evaluacion", "resultados_publicados")),
    da.Campo("fecha_apertura", da.FECHA_HORA, _("Inicio de la recepción de propuestas.")),
    da.Campo("fecha_cierre", da.FECHA_HORA, _("Último segundo en que se reciben propuestas.")),
    da.Campo("fecha_resultados", da.FECHA_HORA, _("Momento de publicación de los resultados.")),
    da.Campo("vigencia_meses", da.ENTERO, _("Meses de vigencia de cada reconocimiento.")),
    da.Campo("practicas_reconocidas", da.ENTERO, _("Prácticas reconocidas ya publicadas (0 antes de la publicación "
                                                "de resultados).")),
    da.Campo("url", da.URL, _("Página de la convocatoria en este portal.")),
)


# --- bodies ------------------------------------------------------------------------------------------

def sujetos_publicos(ahora: datetime) -> QuerySet:
    """Active bodies, and any other with a recognition the public may see, with that count (one query)."""
    publicas = (reconocimientos_ordenados(ahora).order_by()
                .filter(dictamen__practica__sujeto=OuterRef("pk"))
                .values("dictamen__practica__sujeto").annotate(n=Count("pk")).values("n"))
    return (con_autoridad(SujetoObligado.objects.select_related("municipio"))
            .annotate(practicas_reconocidas=Coalesce(Subquery(publicas), Value(0)))
            .filter(Q(activo=True) | Q(practicas_reconocidas__gt=0))
            .order_by("nombre", "pk"))


def fila_sujeto(sujeto, contexto: da.Contexto) -> dict:
    municipio = sujeto.municipio
    return {
        "id": sujeto.pk,
        "nombre": sujeto.nombre,
        "siglas": sujeto.siglas or None,
        "orden": sujeto.orden,
        "tipo": sujeto.tipo,
        "entidad_clave": sujeto.entidad_clave,
        "municipio_cvegeo": municipio.cvegeo if municipio else None,
        "municipio": municipio.nombre if municipio else None,
        # The authority of its entidad, annotated by practicas.selectors.con_autoridad.
        da.AUTORIDAD_SIGLAS: sujeto.autoridad_siglas,
        da.AUTORIDAD_NOMBRE: sujeto.autoridad_nombre,
        da.AUTORIDAD_SLUG: sujeto.autoridad_slug,
        "practicas_reconocidas": sujeto.practicas_reconocidas,
        # The body's page in the catalogue exists once it has a public recognition.
        "url": (contexto.url_absoluta(reverse("evaluacion:catalogo_sujeto", args=[sujeto.pk]))
                if sujeto.practicas_reconocidas else None),
    }


def _filas_sujetos(contexto: da.Contexto) -> Iterator[dict]:
    sujetos = sujetos_publicos(contexto.ahora)
    if contexto.autoridad is not None:
        sujetos = sujetos_de_autoridad(sujetos, contexto.autoridad)
    for sujeto in sujetos.iterator(chunk_size=1000):
        yield fila_sujeto(sujeto, contexto)


def _modificado_sujetos(ahora: datetime):
    return SujetoObligado.history.aggregate(m=Max("history_date"))["m"]


def _tipos_sujeto() -> tuple[str, ...]:
    return tuple(SujetoObligado.Tipo.values)


CAMPOS_SUJETOS = (
    da.Campo("id", da.ENTERO, _("Identificador del sujeto obligado en el portal (el mismo de la API).")),
    da.Campo("nombre", da.TEXTO, _("Nombre del sujeto obligado.")),
    da.Campo("siglas", da.TEXTO, _("Siglas, si las tiene."), nulo=True),
    da.Campo("orden", da.TEXTO, _("Orden de gobierno: estatal o municipal."), opciones=da.ORDENES),
    da.Campo("tipo", da.TEXTO, _("Tipo de sujeto obligado (dependencia, ayuntamiento, organismo autónomo…)."),
             opciones=_tipos_sujeto()),
    da.Campo("entidad_clave", da.TEXTO, _("Clave INEGI de la entidad federativa (2 dígitos).")),
    da.Campo("municipio_cvegeo", da.TEXTO, _("Clave geoestadística INEGI del municipio; vacío para los estatales."),
             nulo=True),
    da.Campo("municipio", da.TEXTO, _("Nombre del municipio; vacío para los estatales."), nulo=True),
    *da.campos_autoridad(_("de la entidad del sujeto obligado (la que atiende su jurisdicción)"), nulo=True),
    da.Campo("practicas_reconocidas", da.ENTERO, _("Prácticas del sujeto obligado reconocidas y ya publicadas.")),
    da.Campo("url", da.URL, _("Página del sujeto obligado en el catálogo; vacío si aún no tiene prácticas reconocidas "
                           "publicadas."), nulo=True),
)


DATASETS = (
    da.Dataset(
        id=CONVOCATORIAS,
        titulo=_("Convocatorias"),
        descripcion=_("Convocatorias al reconocimiento de prácticas publicadas en el portal, con sus fechas y "
                      "el número de prácticas reconocidas."),
        campos=CAMPOS_CONVOCATORIAS, generar=_filas_convocatorias, modificado=_modificado_convocatorias,
        palabras_clave=("transparencia proactiva", "convocatorias"),
        orden=20,
    ),
    da.Dataset(
        id=SUJETOS,
        titulo=_("Sujetos obligados"),
        descripcion=_("Catálogo de los sujetos obligados del portal, con cuántas de sus prácticas han sido "
                      "reconocidas. Sus identificadores son los que usan los demás conjuntos de datos."),
        campos=CAMPOS_SUJETOS, generar=_filas_sujetos, modificado=_modificado_sujetos,
        palabras_clave=("sujetos obligados", "transparencia"),
        orden=30,
    ),
)
