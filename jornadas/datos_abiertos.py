"""The open datasets of the jornadas: published sessions only, and of those only aggregates: no
participant's name, e-mail, position or individual answer, and no free-text comments (even
anonymous ones can name people)."""

from collections.abc import Iterator
from datetime import datetime

from django.db.models import Count, Max, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import ExtractYear
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core import datos_abiertos as da

from .models import Encuesta, Jornada, Pregunta, Registro, Respuesta, RespuestaEncuesta
from .selectors import minimo_grupo

SESIONES = "jornadas-sesiones"
ASISTENCIA = "jornadas-asistencia-por-sujeto"
ENCUESTAS = "jornadas-resultados-encuestas"


def sesiones_publicas() -> QuerySet:
    """Published sessions with their registration, attendance and survey counts (one query)."""
    return (Jornada.objects.filter(publicada=True).select_related("ciclo", "autoridad")
            .annotate(num_registros=Count("registros", distinct=True),
                      num_asistentes=Count("registros", filter=Q(registros__asistio=True), distinct=True),
                      num_encuestas=Count("registros", filter=Q(registros__encuesta_respondida_en__isnull=False),
                                          distinct=True))
            .order_by("inicio", "pk"))


def fila_sesion(jornada, contexto: da.Contexto) -> dict:
    return {
        "slug": jornada.slug,
        "fecha": timezone.localdate(jornada.inicio),
        "inicio": jornada.inicio,
        "titulo": jornada.titulo,
        **da.columnas_autoridad(jornada.autoridad),
        "ciclo": jornada.ciclo.nombre if jornada.ciclo_id else None,
        "coordinacion": jornada.coordinador,
        "modalidad": jornada.modalidad,
        "registrados": jornada.num_registros,
        "asistentes": jornada.num_asistentes,
        "encuestas_respondidas": jornada.num_encuestas,
        "url": contexto.url_absoluta(jornada.get_absolute_url()),
    }


def _filas_sesiones(contexto: da.Contexto) -> Iterator[dict]:
    sesiones = sesiones_publicas()
    if contexto.autoridad is not None:
        sesiones = sesiones.filter(autoridad=contexto.autoridad)
    for jornada in sesiones:
        yield fila_sesion(jornada, contexto)


def _modificado_jornadas(ahora: datetime):
    datos = Registro.objects.filter(jornada__publicada=True).aggregate(
        r=Max("registrado_en"), a=Max("asistencia_marcada_en"))
    fechas = [f for f in datos.values() if f is not None]
    return max(fechas) if fechas else None


CAMPOS_SESIONES = (
    da.Campo("slug", da.TEXTO, _("Identificador de la jornada en el portal.")),
    da.Campo("fecha", da.FECHA, _("Fecha de la sesión (hora de la Ciudad de México).")),
    da.Campo("inicio", da.FECHA_HORA, _("Fecha y hora de inicio.")),
    da.Campo("titulo", da.TEXTO, _("Título de la sesión.")),
    *da.campos_autoridad(_("que organiza la sesión")),
    da.Campo("ciclo", da.TEXTO, _("Ciclo de jornadas al que pertenece; vacío si es una sesión suelta."), nulo=True),
    da.Campo("coordinacion", da.TEXTO, _("Quién coordina la sesión (servidora o servidor público del garante).")),
    da.Campo("modalidad", da.TEXTO, _("presencial, virtual o mixta."), opciones=("presencial", "virtual", "mixta")),
    da.Campo("registrados", da.ENTERO, _("Personas registradas.")),
    da.Campo("asistentes", da.ENTERO, _("Personas con asistencia registrada.")),
    da.Campo("encuestas_respondidas", da.ENTERO, _("Personas que respondieron la encuesta de satisfacción.")),
    da.Campo("url", da.URL, _("Página de la sesión en este portal.")),
)


# --- jornadas: attendance per body ----------------------------------------------------------------

def asistencia_por_sujeto() -> QuerySet:
    """Attendances at published sessions per year, organising authority and body, as values (one query)."""
    return (Registro.objects.filter(jornada__publicada=True, asistio=True)
            .annotate(anio=ExtractYear("jornada__inicio"))
            .values("anio", "jornada__autoridad__siglas", "jornada__autoridad__nombre", "jornada__autoridad__slug",
                    "participante__sujeto_id", "participante__sujeto__nombre", "participante__sujeto__orden")
            .annotate(sesiones=Count("jornada_id", distinct=True), asistentes=Count("pk"))
            .order_by("anio", "-asistentes", "participante__sujeto__nombre", "participante__sujeto_id",
                      "jornada__autoridad__slug"))


def fila_asistencia(valores: dict, contexto: da.Contexto | None = None) -> dict:
    return {
        "anio": valores["anio"],
        da.AUTORIDAD_SIGLAS: valores["jornada__autoridad__siglas"],
        da.AUTORIDAD_NOMBRE: valores["jornada__autoridad__nombre"],
        da.AUTORIDAD_SLUG: valores["jornada__autoridad__slug"],
        "sujeto_id": valores["participante__sujeto_id"],
        "sujeto": valores["participante__sujeto__nombre"] or str(_("Sin sujeto obligado")),
        "orden": valores["participante__sujeto__orden"] or None,
        "sesiones": valores["sesiones"],
        "asistentes": valores["asistentes"],
    }


def _filas_asistencia(contexto: da.Contexto) -> Iterator[dict]:
    asistencia = asistencia_por_sujeto()
    if contexto.autoridad is not None:
        asistencia = asistencia.filter(jornada__autoridad=contexto.autoridad)
    for valores in asistencia:
        yield fila_asistencia(valores, contexto)


CAMPOS_ASISTENCIA = (
    da.Campo("anio", da.ENTERO, _("Año de las sesiones.")),
    *da.campos_autoridad(_("que organizó las sesiones")),
    da.Campo("sujeto_id", da.ENTERO, _("Identificador del sujeto obligado (el mismo de la API); vacío para quienes no "
                                    "indicaron uno."), nulo=True),
    da.Campo("sujeto", da.TEXTO, _("Sujeto obligado de adscripción de las personas asistentes.")),
    da.Campo("orden", da.TEXTO, _("Orden de gobierno: estatal o municipal; vacío sin sujeto obligado."), nulo=True,
             opciones=da.ORDENES),
    da.Campo("sesiones", da.ENTERO, _("Sesiones del año a las que asistió al menos una persona del sujeto obligado.")),
    da.Campo("asistentes", da.ENTERO, _("Asistencias registradas (una persona que asistió a dos sesiones cuenta dos).")),
)


# --- jornadas: survey results ------------------------------------------------------------------------

def resultados_encuestas(autoridad=None) -> list[dict]:
    """Per question and option (or 1–5 value), the count and percentage of the anonymous answers
    given at published sessions (of the surveys of `autoridad`, if given): three queries whatever the
    number of surveys. Free-text questions are left out. The percentage is over the submissions that
    answered the question (for multiple choice they may add up to more than 100), as in the session's
    report."""
    # Answers of published sessions, and the group of answers from sessions too small to stand alone.
    publicadas = Q(jornada__publicada=True) | Q(jornada__isnull=True)
    respuestas = Respuesta.objects.filter(envio__in=RespuestaEncuesta.objects.filter(publicadas)).exclude(
        pregunta__tipo=Pregunta.Tipo.TEXTO)
    envios = (RespuestaEncuesta.objects.filter(publicadas, encuesta_id=OuterRef("encuesta_id")).order_by()
              .values("encuesta_id").annotate(n=Count("pk")).values("n"))
    if autoridad is not None:
        respuestas = respuestas.filter(pregunta__encuesta__autoridad=autoridad)
    # A survey with fewer answers than the minimum group is left out (see selectors.resultados_encuesta).
    preguntas = list(Pregunta.objects.annotate(envios_encuesta=Subquery(envios))
                     .filter(envios_encuesta__gte=minimo_grupo()).exclude(tipo=Pregunta.Tipo.TEXTO)
                     .filter(**({"encuesta__autoridad": autoridad} if autoridad is not None else {}))
                     .select_related("encuesta__jornada", "encuesta__ciclo", "encuesta__autoridad")
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
                **da.columnas_autoridad(enc.autoridad),
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


def _filas_encuestas(contexto: da.Contexto) -> Iterator[dict]:
    yield from resultados_encuestas(contexto.autoridad)


def _modificado_encuestas(ahora: datetime):
    return Encuesta.objects.filter(respuestas__isnull=False).aggregate(m=Max("resultados_actualizados"))["m"]


CAMPOS_ENCUESTAS = (
    da.Campo("encuesta_id", da.ENTERO, _("Identificador de la encuesta.")),
    da.Campo("encuesta", da.TEXTO, _("Título de la encuesta.")),
    *da.campos_autoridad(_("que aplicó la encuesta")),
    da.Campo("ambito", da.TEXTO, _("Jornada o ciclo de jornadas al que se aplicó.")),
    da.Campo("pregunta_numero", da.ENTERO, _("Orden de la pregunta en la encuesta.")),
    da.Campo("pregunta", da.TEXTO, _("Texto de la pregunta.")),
    da.Campo("tipo", da.TEXTO, _("unica (opción única), multiple (opción múltiple) o escala (satisfacción de 1 a 5)."),
             opciones=("unica", "multiple", "escala")),
    da.Campo("opcion", da.TEXTO, _("Opción de respuesta; vacío en preguntas de escala."), nulo=True),
    da.Campo("valor", da.ENTERO, _("Valor de la escala (1 a 5); vacío en preguntas de opción."), nulo=True),
    da.Campo("conteo", da.ENTERO, _("Respuestas que eligieron esta opción o valor.")),
    da.Campo("porcentaje", da.DECIMAL, _("Porcentaje sobre quienes respondieron la pregunta (en opción múltiple "
                                      "pueden sumar más de 100).")),
    da.Campo("respondieron", da.ENTERO, _("Encuestas que respondieron la pregunta.")),
)


DATASETS = (
    da.Dataset(
        id=SESIONES,
        titulo=_("Jornadas de sensibilización: sesiones"),
        descripcion=_("Sesiones publicadas con el número de personas registradas, asistentes y encuestas "
                      "respondidas. Solo cifras agregadas."),
        campos=CAMPOS_SESIONES, generar=_filas_sesiones, modificado=_modificado_jornadas,
        palabras_clave=("capacitación", "jornadas de sensibilización"),
        orden=40,
    ),
    da.Dataset(
        id=ASISTENCIA,
        titulo=_("Jornadas de sensibilización: asistencia por sujeto obligado"),
        descripcion=_("Asistencias a las sesiones publicadas por año, autoridad garante que las organizó, sujeto "
                      "obligado y orden de gobierno. Solo cifras agregadas, sin datos de las personas."),
        campos=CAMPOS_ASISTENCIA, generar=_filas_asistencia, modificado=_modificado_jornadas,
        palabras_clave=("capacitación", "jornadas de sensibilización", "sujetos obligados"),
        orden=50,
    ),
    da.Dataset(
        id=ENCUESTAS,
        titulo=_("Jornadas de sensibilización: resultados de las encuestas de satisfacción"),
        descripcion=_("Conteo y porcentaje de cada opción de respuesta de las encuestas anónimas. No incluye "
                      "respuestas individuales ni comentarios de texto libre, y omite las encuestas con menos "
                      "respuestas que el grupo mínimo que protege el anonimato (5, salvo otra configuración)."),
        campos=CAMPOS_ENCUESTAS, generar=_filas_encuestas, modificado=_modificado_encuestas,
        palabras_clave=("capacitación", "encuestas de satisfacción"),
        orden=60,
    ),
)
