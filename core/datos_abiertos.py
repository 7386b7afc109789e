"""Open data: the registry of the datasets the portal publishes (id, title, description, data
dictionary and row generator), their CSV and JSON serialisation, the DCAT `data.json` catalogue and
the reuse counters.

The rows are built here once and shared by the downloads and the API, so a column means the same
in both. Every row generator runs a fixed number of queries whatever the number of rows, and is
built on the public selectors: the catalogue on `reconocimientos_publicos` (the embargo applied in
SQL), calls on `convocatorias_publicas`, jornadas on published sessions only, and of those only
aggregates: no participant's name, e-mail, position or individual answer, and no free-text
comments (even anonymous ones can name people)."""

import csv
import json
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Count, F, Max, OuterRef, Q, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce, ExtractYear
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from .models import AutoridadGarante, UsoDataset

# Field types of the data dictionaries (what a reuser's parser should expect).
TEXTO = "texto"
ENTERO = "entero"
DECIMAL = "decimal"
FECHA = "fecha"  # YYYY-MM-DD
FECHA_HORA = "fecha y hora"  # ISO 8601 with the UTC offset, e.g. 2024-03-01T10:00:00-06:00
URL = "url"

FORMATOS = {"csv": "text/csv", "json": "application/json"}
MEDIA_TYPES = {"csv": "text/csv; charset=utf-8", "json": "application/json"}

ORDENES = ("estatal", "municipal")


@dataclass(frozen=True)
class Campo:
    nombre: str
    tipo: str
    descripcion: Promise | str
    nulo: bool = False  # may be empty (null in JSON)
    opciones: tuple[str, ...] = ()  # the only values it takes, if a closed list


@dataclass(frozen=True)
class Contexto:
    """What a row generator may depend on: the second it describes and how to make a path absolute
    (the request's host for downloads and the API, SITE_URL elsewhere)."""

    ahora: datetime
    url_absoluta: Callable[[str], str]

    @classmethod
    def de_peticion(cls, request, ahora: datetime | None = None) -> "Contexto":
        return cls(ahora=ahora or timezone.now(), url_absoluta=request.build_absolute_uri)

    @classmethod
    def sin_peticion(cls, ahora: datetime | None = None) -> "Contexto":
        base = settings.SITE_URL.rstrip("/")
        return cls(ahora=ahora or timezone.now(), url_absoluta=lambda ruta: f"{base}{ruta}")


@dataclass(frozen=True)
class Dataset:
    id: str
    titulo: Promise | str
    descripcion: Promise | str
    campos: tuple[Campo, ...]
    generar: Callable[[Contexto], Iterable[dict]]
    modificado: Callable[[datetime], datetime | date | None]
    palabras_clave: tuple[str, ...] = field(default=())

    @property
    def encabezado(self) -> list[str]:
        return [c.nombre for c in self.campos]

    def filas(self, contexto: Contexto) -> Iterator[dict]:
        """Rows as dicts, keys in dictionary order (typed values: int, float, str, date, datetime, None)."""
        nombres = self.encabezado
        for fila in self.generar(contexto):
            yield {n: fila[n] for n in nombres}


# --- values --------------------------------------------------------------------------------------

def valor_json(valor):
    """A row value as JSON carries it: dates as ISO 8601 strings, local time with its offset."""
    if isinstance(valor, datetime):
        return timezone.localtime(valor).replace(microsecond=0).isoformat()
    if isinstance(valor, date):
        return valor.isoformat()
    if isinstance(valor, Promise):
        return str(valor)
    return valor


def valor_csv(valor) -> str:
    """A row value as CSV text: the JSON value, with empty for null."""
    valor = valor_json(valor)
    if valor is None:
        return ""
    if isinstance(valor, bool):
        return "true" if valor else "false"
    return str(valor)


class _Eco:
    """A file-like object that returns what is written, so csv.writer can feed a stream."""

    def write(self, valor):
        return valor


def csv_stream(encabezado: list[str], filas: Iterable[dict]) -> Iterator[str]:
    """One header row, then one line per row; no totals rows. RFC 4180 line endings."""
    escritor = csv.writer(_Eco())
    yield escritor.writerow(encabezado)
    for fila in filas:
        yield escritor.writerow([valor_csv(fila[n]) for n in encabezado])


def json_stream(filas: Iterable[dict]) -> Iterator[str]:
    """A JSON array of objects, written row by row so a large dataset never sits in memory."""
    yield "["
    primero = True
    for fila in filas:
        yield ("\n" if primero else ",\n") + json.dumps({k: valor_json(v) for k, v in fila.items()},
                                                       ensure_ascii=False)
        primero = False
    yield "\n]\n"


# --- the catalogue of recognised practices ---------------------------------------------------------

def url_practica(practica_id: int) -> str:
    """The practice's canonical page in the catalogue."""
    return reverse("evaluacion:catalogo_practica", args=[practica_id])


def fila_reconocimiento(rec, contexto: Contexto) -> dict:
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
        "fecha_reconocimiento": dictamen.fecha,
        "vigente_desde": rec.vigente_desde,
        "vigente_hasta": rec.vigente_hasta,
        "estado_vigencia": rec.estado_vigencia,
        "url_publicacion": practica.url_publicacion or None,
        "url_practica": contexto.url_absoluta(url_practica(practica.pk)),
    }


def reconocimientos_ordenados(ahora: datetime) -> QuerySet:
    from evaluacion.catalogo import reconocimientos_publicos

    return reconocimientos_publicos(ahora).order_by("-dictamen__practica__convocatoria__anio", "documento__folio",
                                                    "pk")


def _filas_reconocimientos(contexto: Contexto) -> Iterator[dict]:
    for rec in reconocimientos_ordenados(contexto.ahora).iterator(chunk_size=1000):
        yield fila_reconocimiento(rec, contexto)


def _modificado_reconocimientos(ahora: datetime):
    """The last publication second of a call with public recognitions, or the last revocation."""
    qs = reconocimientos_ordenados(ahora).order_by()
    datos = qs.aggregate(publicado=Max("dictamen__practica__convocatoria__fecha_resultados"),
                         revocado=Max("documento__revocado_en"))
    fechas = [f for f in datos.values() if f is not None and f <= ahora]
    return max(fechas) if fechas else None


CAMPOS_RECONOCIMIENTOS = (
    Campo("id", ENTERO, _("Identificador de la práctica en el portal (el mismo de la API).")),
    Campo("folio", TEXTO, _("Folio del reconocimiento.")),
    Campo("practica", TEXTO, _("Nombre de la práctica de Transparencia Proactiva.")),
    Campo("descripcion", TEXTO, _("Descripción de la práctica, como la presentó el sujeto obligado.")),
    Campo("necesidad_informacion", TEXTO, _("Necesidad de información que la práctica atiende.")),
    Campo("sujeto_id", ENTERO, _("Identificador del sujeto obligado en el portal (el mismo de la API).")),
    Campo("sujeto", TEXTO, _("Nombre del sujeto obligado que implementa la práctica.")),
    Campo("orden", TEXTO, _("Orden de gobierno del sujeto obligado: estatal o municipal."),
          opciones=ORDENES),
    Campo("municipio_cvegeo", TEXTO, _("Clave geoestadística INEGI del municipio (5 dígitos); vacío para "
                                       "sujetos obligados estatales."), nulo=True),
    Campo("municipio", TEXTO, _("Nombre del municipio; vacío para sujetos obligados estatales."), nulo=True),
    Campo("convocatoria", TEXTO, _("Título de la convocatoria en que se reconoció la práctica.")),
    Campo("convocatoria_slug", TEXTO, _("Identificador de la convocatoria en el portal y la API.")),
    Campo("anio", ENTERO, _("Año de la convocatoria.")),
    Campo("fecha_reconocimiento", FECHA, _("Fecha del dictamen que otorgó el reconocimiento.")),
    Campo("vigente_desde", FECHA, _("Primer día de vigencia del reconocimiento.")),
    Campo("vigente_hasta", FECHA, _("Último día de vigencia del reconocimiento.")),
    Campo("estado_vigencia", TEXTO, _("Situación del reconocimiento a la fecha de la descarga: vigente, vencido "
                                      "o revocado."), opciones=("vigente", "vencido", "revocado")),
    Campo("url_publicacion", URL, _("Dirección donde el sujeto obligado publica la práctica."), nulo=True),
    Campo("url_practica", URL, _("Página de la práctica en este portal.")),
)


# --- calls -----------------------------------------------------------------------------------------

def convocatorias_con_reconocidas(ahora: datetime) -> QuerySet:
    """Public calls with how many of their practices the public may see as recognised now
    (counted over `reconocimientos_publicos`, so before the results second it is 0)."""
    from convocatorias.selectors import convocatorias_publicas

    publicas = (reconocimientos_ordenados(ahora).order_by()
                .filter(dictamen__practica__convocatoria=OuterRef("pk"))
                .values("dictamen__practica__convocatoria").annotate(n=Count("pk")).values("n"))
    return convocatorias_publicas().annotate(practicas_reconocidas=Coalesce(Subquery(publicas), Value(0)))


def fila_convocatoria(conv, contexto: Contexto) -> dict:
    return {
        "slug": conv.slug,
        "titulo": conv.titulo,
        "anio": conv.anio,
        "autoridad": conv.autoridad.siglas,
        "estado": str(conv.estado_publico(contexto.ahora)),
        "fecha_apertura": conv.fecha_apertura,
        "fecha_cierre": conv.fecha_cierre,
        "fecha_resultados": conv.fecha_resultados,
        "vigencia_meses": conv.vigencia_meses,
        "practicas_reconocidas": conv.practicas_reconocidas,
        "url": contexto.url_absoluta(conv.get_absolute_url()),
    }


def _filas_convocatorias(contexto: Contexto) -> Iterator[dict]:
    for conv in convocatorias_con_reconocidas(contexto.ahora):
        yield fila_convocatoria(conv, contexto)


def _modificado_convocatorias(ahora: datetime):
    from convocatorias.selectors import convocatorias_publicas

    return convocatorias_publicas().order_by().aggregate(m=Max("actualizada_en"))["m"]


CAMPOS_CONVOCATORIAS = (
    Campo("slug", TEXTO, _("Identificador de la convocatoria en el portal y la API.")),
    Campo("titulo", TEXTO, _("Título de la convocatoria.")),
    Campo("anio", ENTERO, _("Año de la convocatoria.")),
    Campo("autoridad", TEXTO, _("Siglas del órgano garante que la emite.")),
    Campo("estado", TEXTO, _("Etapa: abierta, cerrada, en_evaluacion o resultados_publicados."),
          opciones=("abierta", "cerrada", "en_evaluacion", "resultados_publicados")),
    Campo("fecha_apertura", FECHA_HORA, _("Inicio de la recepción de propuestas.")),
    Campo("fecha_cierre", FECHA_HORA, _("Último segundo en que se reciben propuestas.")),
    Campo("fecha_resultados", FECHA_HORA, _("Momento de publicación de los resultados.")),
    Campo("vigencia_meses", ENTERO, _("Meses de vigencia de cada reconocimiento.")),
    Campo("practicas_reconocidas", ENTERO, _("Prácticas reconocidas ya publicadas (0 antes de la publicación "
                                             "de resultados).")),
    Campo("url", URL, _("Página de la convocatoria en este portal.")),
)


# --- bodies ------------------------------------------------------------------------------------------

def sujetos_publicos(ahora: datetime) -> QuerySet:
    """Active bodies, and any other with a recognition the public may see, with that count (one query)."""
    from practicas.models import SujetoObligado

    publicas = (reconocimientos_ordenados(ahora).order_by()
                .filter(dictamen__practica__sujeto=OuterRef("pk"))
                .values("dictamen__practica__sujeto").annotate(n=Count("pk")).values("n"))
    return (SujetoObligado.objects.select_related("municipio")
            .annotate(practicas_reconocidas=Coalesce(Subquery(publicas), Value(0)))
            .filter(Q(activo=True) | Q(practicas_reconocidas__gt=0))
            .order_by("nombre", "pk"))


def fila_sujeto(sujeto, contexto: Contexto) -> dict:
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
        "practicas_reconocidas": sujeto.practicas_reconocidas,
        # The body's page in the catalogue exists once it has a public recognition.
        "url": (contexto.url_absoluta(reverse("evaluacion:catalogo_sujeto", args=[sujeto.pk]))
                if sujeto.practicas_reconocidas else None),
    }


def _filas_sujetos(contexto: Contexto) -> Iterator[dict]:
    for sujeto in sujetos_publicos(contexto.ahora).iterator(chunk_size=1000):
        yield fila_sujeto(sujeto, contexto)


def _modificado_sujetos(ahora: datetime):
    from practicas.models import SujetoObligado

    return SujetoObligado.history.aggregate(m=Max("history_date"))["m"]


def _tipos_sujeto() -> tuple[str, ...]:
    from practicas.models import SujetoObligado

    return tuple(SujetoObligado.Tipo.values)


CAMPOS_SUJETOS = (
    Campo("id", ENTERO, _("Identificador del sujeto obligado en el portal (el mismo de la API).")),
    Campo("nombre", TEXTO, _("Nombre del sujeto obligado.")),
    Campo("siglas", TEXTO, _("Siglas, si las tiene."), nulo=True),
    Campo("orden", TEXTO, _("Orden de gobierno: estatal o municipal."), opciones=ORDENES),
    Campo("tipo", TEXTO, _("Tipo de sujeto obligado (dependencia, ayuntamiento, organismo autónomo…)."),
          opciones=_tipos_sujeto()),
    Campo("entidad_clave", TEXTO, _("Clave INEGI de la entidad federativa (2 dígitos).")),
    Campo("municipio_cvegeo", TEXTO, _("Clave geoestadística INEGI del municipio; vacío para los estatales."),
          nulo=True),
    Campo("municipio", TEXTO, _("Nombre del municipio; vacío para los estatales."), nulo=True),
    Campo("practicas_reconocidas", ENTERO, _("Prácticas del sujeto obligado reconocidas y ya publicadas.")),
    Campo("url", URL, _("Página del sujeto obligado en el catálogo; vacío si aún no tiene prácticas reconocidas "
                        "publicadas."), nulo=True),
)


# --- jornadas: sessions --------------------------------------------------------------------------

def sesiones_publicas() -> QuerySet:
    """Published sessions with their registration, attendance and survey counts (one query)."""
    from jornadas.models import Jornada

    return (Jornada.objects.filter(publicada=True).select_related("ciclo")
            .annotate(num_registros=Count("registros", distinct=True),
                      num_asistentes=Count("registros", filter=Q(registros__asistio=True), distinct=True),
                      num_encuestas=Count("registros", filter=Q(registros__encuesta_respondida_en__isnull=False),
                                          distinct=True))
            .order_by("inicio", "pk"))


def fila_sesion(jornada, contexto: Contexto) -> dict:
    return {
        "slug": jornada.slug,
        "fecha": timezone.localdate(jornada.inicio),
        "inicio": jornada.inicio,
        "titulo": jornada.titulo,
        "ciclo": jornada.ciclo.nombre if jornada.ciclo_id else None,
        "coordinacion": jornada.coordinador,
        "modalidad": jornada.modalidad,
        "registrados": jornada.num_registros,
        "asistentes": jornada.num_asistentes,
        "encuestas_respondidas": jornada.num_encuestas,
        "url": contexto.url_absoluta(jornada.get_absolute_url()),
    }


def _filas_sesiones(contexto: Contexto) -> Iterator[dict]:
    for jornada in sesiones_publicas():
        yield fila_sesion(jornada, contexto)


def _modificado_jornadas(ahora: datetime):
    from jornadas.models import Registro

    datos = Registro.objects.filter(jornada__publicada=True).aggregate(
        r=Max("registrado_en"), a=Max("asistencia_marcada_en"))
    fechas = [f for f in datos.values() if f is not None]
    return max(fechas) if fechas else None


CAMPOS_SESIONES = (
    Campo("slug", TEXTO, _("Identificador de la jornada en el portal.")),
    Campo("fecha", FECHA, _("Fecha de la sesión (hora de la Ciudad de México).")),
    Campo("inicio", FECHA_HORA, _("Fecha y hora de inicio.")),
    Campo("titulo", TEXTO, _("Título de la sesión.")),
    Campo("ciclo", TEXTO, _("Ciclo de jornadas al que pertenece; vacío si es una sesión suelta."), nulo=True),
    Campo("coordinacion", TEXTO, _("Quién coordina la sesión (servidora o servidor público del garante).")),
    Campo("modalidad", TEXTO, _("presencial, virtual o mixta."), opciones=("presencial", "virtual", "mixta")),
    Campo("registrados", ENTERO, _("Personas registradas.")),
    Campo("asistentes", ENTERO, _("Personas con asistencia registrada.")),
    Campo("encuestas_respondidas", ENTERO, _("Personas que respondieron la encuesta de satisfacción.")),
    Campo("url", URL, _("Página de la sesión en este portal.")),
)


# --- jornadas: attendance per body ----------------------------------------------------------------

def asistencia_por_sujeto() -> QuerySet:
    """Attendances at published sessions per year and body, as values (one query)."""
    from jornadas.models import Registro

    return (Registro.objects.filter(jornada__publicada=True, asistio=True)
            .annotate(anio=ExtractYear("jornada__inicio"))
            .values("anio", "participante__sujeto_id", "participante__sujeto__nombre", "participante__sujeto__orden")
            .annotate(sesiones=Count("jornada_id", distinct=True), asistentes=Count("pk"))
            .order_by("anio", "-asistentes", "participante__sujeto__nombre", "participante__sujeto_id"))


def fila_asistencia(valores: dict, contexto: Contexto | None = None) -> dict:
    return {
        "anio": valores["anio"],
        "sujeto_id": valores["participante__sujeto_id"],
        "sujeto": valores["participante__sujeto__nombre"] or str(_("Sin sujeto obligado")),
        "orden": valores["participante__sujeto__orden"] or None,
        "sesiones": valores["sesiones"],
        "asistentes": valores["asistentes"],
    }


def _filas_asistencia(contexto: Contexto) -> Iterator[dict]:
    for valores in asistencia_por_sujeto():
        yield fila_asistencia(valores, contexto)


CAMPOS_ASISTENCIA = (
    Campo("anio", ENTERO, _("Año de las sesiones.")),
    Campo("sujeto_id", ENTERO, _("Identificador del sujeto obligado (el mismo de la API); vacío para quienes no "
                                 "indicaron uno."), nulo=True),
    Campo("sujeto", TEXTO, _("Sujeto obligado de adscripción de las personas asistentes.")),
    Campo("orden", TEXTO, _("Orden de gobierno: estatal o municipal; vacío sin sujeto obligado."), nulo=True,
          opciones=ORDENES),
    Campo("sesiones", ENTERO, _("Sesiones del año a las que asistió al menos una persona del sujeto obligado.")),
    Campo("asistentes", ENTERO, _("Asistencias registradas (una persona que asistió a dos sesiones cuenta dos).")),
)


# --- jornadas: survey results ------------------------------------------------------------------------

def resultados_encuestas() -> list[dict]:
    """Per question and option (or 1–5 value), the count and percentage of the anonymous answers
    given at published sessions: three queries whatever the number of surveys. Free-text questions
    are left out. The percentage is over the submissions that answered the question (for multiple
    choice they may add up to more than 100), as in the session's report."""
    from jornadas.models import Pregunta, Respuesta, RespuestaEncuesta

    respuestas = Respuesta.objects.filter(envio__jornada__publicada=True).exclude(pregunta__tipo=Pregunta.Tipo.TEXTO)
    encuestas = RespuestaEncuesta.objects.filter(jornada__publicada=True).values("encuesta_id")
    preguntas = list(Pregunta.objects.filter(encuesta_id__in=encuestas).exclude(tipo=Pregunta.Tipo.TEXTO)
                     .select_related("encuesta__jornada", "encuesta__ciclo")
                     .order_by("encuesta_id", "orden", "pk"))
    cuentas: dict = {}
    for a in respuestas.values("pregunta_id", "opcion", "valor").annotate(n=Count("pk")).order_by():
        cuentas.setdefault(a["pregunta_id"], {})[(a["opcion"], a["valor"])] = a["n"]
    respondieron = dict(respuestas.values("pregunta_id").annotate(n=Count("envio_id", distinct=True))
                        .order_by().values_list("pregunta_id", "n"))

    filas = []
    for p in preguntas:
        enc = p.encuesta
        base = respondieron.get(p.pk, 0)
        cuenta = cuentas.get(p.pk, {})
        if p.tipo == Pregunta.Tipo.ESCALA:
            claves = [("", v) for v in range(1, 6)]
        else:
            vistas = {o for (o, _v) in cuenta}
            claves = [(o, None) for o in list(p.opciones) + sorted(o for o in vistas if o not in p.opciones)]
        for opcion, valor in claves:
            n = cuenta.get((opcion, valor), 0)
            filas.append({
                "encuesta_id": enc.pk,
                "encuesta": enc.titulo,
                "ambito": enc.jornada.titulo if enc.jornada_id else (enc.ciclo.nombre if enc.ciclo_id else None),
                "pregunta_numero": p.orden,
                "pregunta": p.texto,
                "tipo": p.tipo,
                "opcion": opcion or None,
                "valor": valor,
                "conteo": n,
                "porcentaje": round(100 * n / base, 1) if base else 0.0,
                "respondieron": base,
            })
    return filas


def _filas_encuestas(contexto: Contexto) -> Iterator[dict]:
    yield from resultados_encuestas()


def _modificado_encuestas(ahora: datetime):
    from jornadas.models import RespuestaEncuesta

    return RespuestaEncuesta.objects.filter(jornada__publicada=True).aggregate(m=Max("fecha"))["m"]


CAMPOS_ENCUESTAS = (
    Campo("encuesta_id", ENTERO, _("Identificador de la encuesta.")),
    Campo("encuesta", TEXTO, _("Título de la encuesta.")),
    Campo("ambito", TEXTO, _("Jornada o ciclo de jornadas al que se aplicó.")),
    Campo("pregunta_numero", ENTERO, _("Orden de la pregunta en la encuesta.")),
    Campo("pregunta", TEXTO, _("Texto de la pregunta.")),
    Campo("tipo", TEXTO, _("unica (opción única), multiple (opción múltiple) o escala (satisfacción de 1 a 5)."),
          opciones=("unica", "multiple", "escala")),
    Campo("opcion", TEXTO, _("Opción de respuesta; vacío en preguntas de escala."), nulo=True),
    Campo("valor", ENTERO, _("Valor de la escala (1 a 5); vacío en preguntas de opción."), nulo=True),
    Campo("conteo", ENTERO, _("Respuestas que eligieron esta opción o valor.")),
    Campo("porcentaje", DECIMAL, _("Porcentaje sobre quienes respondieron la pregunta (en opción múltiple "
                                   "pueden sumar más de 100).")),
    Campo("respondieron", ENTERO, _("Encuestas que respondieron la pregunta.")),
)


# --- the registry ------------------------------------------------------------------------------------

RECONOCIMIENTOS = "practicas-reconocidas"
CONVOCATORIAS = "convocatorias"
SESIONES = "jornadas-sesiones"
ASISTENCIA = "jornadas-asistencia-por-sujeto"
SUJETOS = "sujetos-obligados"
ENCUESTAS = "jornadas-resultados-encuestas"

DATASETS: dict[str, Dataset] = {d.id: d for d in (
    Dataset(
        id=RECONOCIMIENTOS,
        titulo=_("Prácticas de Transparencia Proactiva reconocidas"),
        descripcion=_("Catálogo de las prácticas reconocidas con resultados ya publicados: sujeto obligado, "
                      "convocatoria, vigencia del reconocimiento y dónde consultarlas."),
        campos=CAMPOS_RECONOCIMIENTOS, generar=_filas_reconocimientos, modificado=_modificado_reconocimientos,
        palabras_clave=("transparencia proactiva", "reconocimientos", "sujetos obligados"),
    ),
    Dataset(
        id=CONVOCATORIAS,
        titulo=_("Convocatorias"),
        descripcion=_("Convocatorias al reconocimiento de prácticas publicadas en el portal, con sus fechas y "
                      "el número de prácticas reconocidas."),
        campos=CAMPOS_CONVOCATORIAS, generar=_filas_convocatorias, modificado=_modificado_convocatorias,
        palabras_clave=("transparencia proactiva", "convocatorias"),
    ),
    Dataset(
        id=SUJETOS,
        titulo=_("Sujetos obligados"),
        descripcion=_("Catálogo de los sujetos obligados del portal, con cuántas de sus prácticas han sido "
                      "reconocidas. Sus identificadores son los que usan los demás conjuntos de datos."),
        campos=CAMPOS_SUJETOS, generar=_filas_sujetos, modificado=_modificado_sujetos,
        palabras_clave=("sujetos obligados", "transparencia"),
    ),
    Dataset(
        id=SESIONES,
        titulo=_("Jornadas de sensibilización: sesiones"),
        descripcion=_("Sesiones publicadas con el número de personas registradas, asistentes y encuestas "
                      "respondidas. Solo cifras agregadas."),
        campos=CAMPOS_SESIONES, generar=_filas_sesiones, modificado=_modificado_jornadas,
        palabras_clave=("capacitación", "jornadas de sensibilización"),
    ),
    Dataset(
        id=ASISTENCIA,
        titulo=_("Jornadas de sensibilización: asistencia por sujeto obligado"),
        descripcion=_("Asistencias a las sesiones publicadas por año, sujeto obligado y orden de gobierno. "
                      "Solo cifras agregadas, sin datos de las personas."),
        campos=CAMPOS_ASISTENCIA, generar=_filas_asistencia, modificado=_modificado_jornadas,
        palabras_clave=("capacitación", "jornadas de sensibilización", "sujetos obligados"),
    ),
    Dataset(
        id=ENCUESTAS,
        titulo=_("Jornadas de sensibilización: resultados de las encuestas de satisfacción"),
        descripcion=_("Conteo y porcentaje de cada opción de respuesta de las encuestas anónimas. No incluye "
                      "respuestas individuales ni comentarios de texto libre."),
        campos=CAMPOS_ENCUESTAS, generar=_filas_encuestas, modificado=_modificado_encuestas,
        palabras_clave=("capacitación", "encuestas de satisfacción"),
    ),
)}


def obtener(dataset_id: str) -> Dataset | None:
    return DATASETS.get(dataset_id)


# --- DCAT catalogue ------------------------------------------------------------------------------------

def _fecha_dcat(valor) -> str | None:
    if valor is None:
        return None
    return valor_json(valor)


def catalogo_dcat(contexto: Contexto) -> dict:
    """The `data.json` catalogue (DCAT, in the Project Open Data v1.1 layout that CKAN harvesters,
    datos.gob.mx among them, read): one entry per dataset with its CSV and JSON distributions."""
    autoridad = AutoridadGarante.objects.order_by("-principal", "pk").first()
    publicador = {"@type": "org:Organization", "name": autoridad.nombre if autoridad else "Reconoce"}
    contacto = {"@type": "vcard:Contact", "fn": autoridad.nombre if autoridad else "Reconoce"}
    if autoridad and autoridad.correo_contacto:
        contacto["hasEmail"] = f"mailto:{autoridad.correo_contacto}"
    licencia = settings.DATOS_ABIERTOS_LICENCIA
    pagina = contexto.url_absoluta(reverse("datos:inicio"))
    conjuntos = []
    for ds in DATASETS.values():
        distribuciones = [{
            "@type": "dcat:Distribution",
            "title": f"{ds.titulo} ({fmt.upper()})",
            "format": fmt.upper(),
            "mediaType": media,
            "downloadURL": contexto.url_absoluta(reverse("datos:descarga", args=[ds.id, fmt])),
            "describedBy": contexto.url_absoluta(reverse("datos:diccionario", args=[ds.id, "json"])),
            "describedByType": "application/json",
        } for fmt, media in FORMATOS.items()]
        conjuntos.append({
            "@type": "dcat:Dataset",
            "identifier": contexto.url_absoluta(reverse("datos:descarga", args=[ds.id, "json"])),
            "title": str(ds.titulo),
            "description": str(ds.descripcion),
            "keyword": list(ds.palabras_clave),
            "modified": _fecha_dcat(ds.modificado(contexto.ahora)) or _fecha_dcat(timezone.localdate(contexto.ahora)),
            "publisher": publicador,
            "contactPoint": contacto,
            "accessLevel": "public",
            "license": licencia,
            "language": ["es-MX"],
            "landingPage": f"{pagina}#{ds.id}",
            "describedBy": contexto.url_absoluta(reverse("datos:diccionario", args=[ds.id, "json"])),
            "distribution": distribuciones,
        })
    return {
        "@context": "https://project-open-data.cio.gov/v1.1/schema/catalog.jsonld",
        "@id": contexto.url_absoluta(reverse("datos:catalogo_dcat")),
        "@type": "dcat:Catalog",
        "conformsTo": "https://project-open-data.cio.gov/v1.1/schema",
        "describedBy": "https://project-open-data.cio.gov/v1.1/schema/catalog.json",
        "dataset": conjuntos,
    }


# --- reuse counters -------------------------------------------------------------------------------------

def uso_registrar(*, dataset: str, formato: str, canal: str, ahora: datetime | None = None) -> None:
    """Add one use of a dataset today: an UPDATE with F() so concurrent requests do not lose counts;
    the first use of the day creates the row (and a concurrent first use falls back to the UPDATE)."""
    dia = timezone.localdate(ahora or timezone.now())
    filtro = {"dataset": dataset, "formato": formato, "canal": canal, "dia": dia}
    if UsoDataset.objects.filter(**filtro).update(conteo=F("conteo") + 1):
        return
    try:
        with transaction.atomic():
            UsoDataset.objects.create(**filtro, conteo=1)
    except IntegrityError:
        UsoDataset.objects.filter(**filtro).update(conteo=F("conteo") + 1)


def usos_por_dataset() -> dict[str, dict[str, int]]:
    """dataset id -> {"descarga": n, "api": n, "total": n} since counting began (one query)."""
    totales = {ds_id: {"descarga": 0, "api": 0, "total": 0} for ds_id in DATASETS}
    for fila in UsoDataset.objects.values("dataset", "canal").annotate(n=Sum("conteo")).order_by():
        if fila["dataset"] in totales and fila["canal"] in totales[fila["dataset"]]:
            totales[fila["dataset"]][fila["canal"]] += fila["n"]
            totales[fila["dataset"]]["total"] += fila["n"]
    return totales
