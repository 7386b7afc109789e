"""Reads shared by the public pages, the panel, the CSV exports and the report. Each one runs a
fixed number of queries whatever the number of rows."""

from dataclasses import dataclass, field
from datetime import timedelta

from django.conf import settings
from django.db.models import Count, Max, Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from core.models import AutoridadGarante, DocumentoVerificable
from core.rules import autoridades_de, ids_autoridades_de
from practicas.models import SujetoObligado

from .models import (
    Ciclo,
    Constancia,
    Encuesta,
    InvitacionEncuesta,
    Jornada,
    LoteConstancias,
    Pregunta,
    Registro,
    Respuesta,
    RespuestaEncuesta,
)

EstadoPDF = DocumentoVerificable.EstadoPDF

# --- sessions --------------------------------------------------------------------------------


def _con_conteos(qs: QuerySet) -> QuerySet:
    return qs.annotate(
        num_registros=Count("registros", distinct=True),
        num_asistentes=Count("registros", filter=Q(registros__asistio=True), distinct=True),
        num_encuestas=Count("registros", filter=Q(registros__encuesta_respondida_en__isnull=False), distinct=True),
    )


def cifras_publicas(ahora) -> dict:
    """Published sessions held so far and the people trained in them (the home page's figures)."""
    return Jornada.objects.filter(publicada=True, inicio__lte=ahora).aggregate(
        sesiones=Count("pk", distinct=True),
        capacitadas=Count("registros", filter=Q(registros__asistio=True)),
    )


def jornadas_publicas() -> QuerySet:
    """Published sessions with their registration count (for the seats left)."""
    return (Jornada.objects.filter(publicada=True).select_related("ciclo", "autoridad")
            .annotate(num_registros=Count("registros")).order_by("inicio", "pk"))


def jornada_publica(slug: str) -> Jornada | None:
    return jornadas_publicas().filter(slug=slug).first()


def autoridades_gestionables(user) -> QuerySet:
    if user.is_superuser:
        return AutoridadGarante.objects.all()
    return AutoridadGarante.objects.filter(pk__in=ids_autoridades_de(user))


def ciclos_de(user) -> QuerySet:
    qs = Ciclo.objects.select_related("autoridad")
    return qs if user.is_superuser else qs.filter(autoridad_id__in=ids_autoridades_de(user))


def jornadas_de(user) -> QuerySet:
    """Sessions the person manages, with registered / attended / answered counts."""
    qs = Jornada.objects.select_related("ciclo", "autoridad")
    if not user.is_superuser:
        qs = qs.filter(autoridad_id__in=ids_autoridades_de(user))
    return _con_conteos(qs).order_by("-inicio", "pk")


# --- what a person is related to (core.acceso looks objects up only among these) ---------------

def de_sus_autoridades(user, queryset, campo="autoridad"):
    """The rows of `queryset` whose authority (at `campo`) the person is staff of (all for a superuser)."""
    return queryset if user.is_superuser else queryset.filter(**{f"{campo}_id__in": ids_autoridades_de(user)})


def jornadas_gestionables(user) -> QuerySet:
    return de_sus_autoridades(user, Jornada.objects.select_related("ciclo", "autoridad"))


def jornadas_visibles(user) -> QuerySet:
    """A session's public pages: published ones, and the unpublished of one's authority (a preview),
    with their counts."""
    qs = Jornada.objects.select_related("ciclo", "autoridad")
    if not user.is_superuser:
        qs = qs.filter(Q(publicada=True) | Q(autoridad__in=autoridades_de(user)))
    return _con_conteos(qs)


def lugares_disponibles(jornada: Jornada, num_registros: int | None = None) -> int | None:
    """Seats left (None: no limit)."""
    if jornada.cupo is None:
        return None
    if num_registros is None:
        num_registros = getattr(jornada, "num_registros", None)
        if num_registros is None:
            num_registros = jornada.registros.count()
    return max(jornada.cupo - num_registros, 0)


def registro_abierto(jornada: Jornada, ahora=None) -> bool:
    ahora = ahora or timezone.now()
    if not jornada.publicada:
        return False
    if jornada.registro_abre and ahora < jornada.registro_abre:
        return False
    cierre = jornada.registro_cierra or jornada.inicio
    return ahora <= cierre


# --- attendance ------------------------------------------------------------------------------


def registros_de_jornada(jornada: Jornada, q: str = "") -> QuerySet:
    """The session's registrations by name; `q` narrows them to a name, e-mail or body containing it."""
    qs = (Registro.objects.filter(jornada=jornada)
          .select_related("participante", "participante__sujeto")
          .order_by("participante__nombre", "pk"))
    q = " ".join((q or "").split())[:100]
    if q:
        qs = qs.filter(Q(participante__nombre__icontains=q) | Q(participante__correo__icontains=q)
                       | Q(participante__sujeto__nombre__icontains=q) | Q(participante__sujeto__siglas__iexact=q))
    return qs


@dataclass
class Conteos:
    registrados: int = 0
    asistentes: int = 0
    encuestas: int = 0
    por_sujeto: list = field(default_factory=list)
    por_orden: list = field(default_factory=list)


def _orden_etiqueta(valor):
    if not valor:
        return _("Sin sujeto obligado")
    return str(SujetoObligado.Orden(valor).label)


def conteos(registros: QuerySet) -> Conteos:
    """Registered, attended and answered, overall, per body and per order of government: two queries."""
    filas = list(
        registros.values("participante__sujeto_id", "participante__sujeto__nombre", "participante__sujeto__orden")
        .annotate(registrados=Count("id"), asistentes=Count("id", filter=Q(asistio=True)),
                  encuestas=Count("id", filter=Q(encuesta_respondida_en__isnull=False)))
        .order_by("-asistentes", "participante__sujeto__nombre")
    )
    resultado = Conteos()
    por_orden: dict = {}
    for f in filas:
        resultado.registrados += f["registrados"]
        resultado.asistentes += f["asistentes"]
        resultado.encuestas += f["encuestas"]
        orden = f["participante__sujeto__orden"] or ""
        resultado.por_sujeto.append({
            "sujeto": f["participante__sujeto__nombre"] or _("Sin sujeto obligado"),
            "orden": _orden_etiqueta(orden),
            "registrados": f["registrados"], "asistentes": f["asistentes"], "encuestas": f["encuestas"],
        })
        acumulado = por_orden.setdefault(orden, {"orden": _orden_etiqueta(orden), "registrados": 0,
                                                 "asistentes": 0, "sujetos": 0})
        acumulado["registrados"] += f["registrados"]
        acumulado["asistentes"] += f["asistentes"]
        acumulado["sujetos"] += 1 if f["asistentes"] else 0
    total = resultado.asistentes or 1
    for fila in resultado.por_sujeto:
        fila["porcentaje"] = round(100 * fila["asistentes"] / total, 1)
    orden_fijo = {SujetoObligado.Orden.ESTATAL: 0, SujetoObligado.Orden.MUNICIPAL: 1, "": 2}
    resultado.por_orden = [
        {**v, "porcentaje": round(100 * v["asistentes"] / total, 1)}
        for k, v in sorted(por_orden.items(), key=lambda kv: orden_fijo.get(kv[0], 3))
    ]
    return resultado


def conteos_jornada(jornada: Jornada) -> Conteos:
    return conteos(Registro.objects.filter(jornada=jornada))


def conteos_ciclo(ciclo: Ciclo) -> Conteos:
    return conteos(Registro.objects.filter(jornada__ciclo=ciclo))


# --- survey ----------------------------------------------------------------------------------


def encuesta_de_jornada(jornada: Jornada) -> Encuesta | None:
    """The session's own survey if it has one, else its cycle's."""
    propia = Encuesta.objects.filter(jornada=jornada).order_by("pk").first()
    if propia or not jornada.ciclo_id:
        return propia
    return Encuesta.objects.filter(ciclo_id=jornada.ciclo_id, jornada__isnull=True).order_by("pk").first()


def encuesta_de_ciclo(ciclo: Ciclo) -> Encuesta | None:
    return Encuesta.objects.filter(ciclo=ciclo, jornada__isnull=True).order_by("pk").first()


def minimo_grupo() -> int:
    """The smallest group whose answers are written and whose results are shown."""
    return max(1, int(settings.JORNADAS_ENCUESTA_MINIMO))


def encuesta_cierre(encuesta: Encuesta, jornada: Jornada):
    """When the survey stops taking this session's answers: its own closing date, else a fixed
    number of days after the session ends."""
    if encuesta.cierre is not None:
        return encuesta.cierre
    return (jornada.fin or jornada.inicio) + timedelta(days=settings.JORNADAS_ENCUESTA_DIAS)


def invitaciones_de(jornada: Jornada) -> list:
    return list(InvitacionEncuesta.objects.filter(jornada=jornada).select_related("enviada_por"))


@dataclass
class ResultadoPregunta:
    pregunta: Pregunta
    respondieron: int = 0  # submissions that answered this question
    filas: list = field(default_factory=list)  # [{"etiqueta", "conteo", "porcentaje"}]
    promedio: float | None = None
    comentarios: list = field(default_factory=list)
    grafica: str = ""  # SVG, filled by the views that show it

    @property
    def es_texto(self):
        return self.pregunta.tipo == Pregunta.Tipo.TEXTO

    @property
    def comentarios_agrupados(self) -> list[dict]:
        """Identical comments once, with how many wrote them, most frequent first."""
        veces: dict = {}
        for c in self.comentarios:
            clave = " ".join(c.split())
            veces[clave] = veces.get(clave, 0) + 1
        return [{"texto": t, "veces": n} for t, n in sorted(veces.items(), key=lambda kv: -kv[1])]


@dataclass
class Resultados:
    encuesta: Encuesta | None
    envios: int = 0  # answers written (in groups) for this scope
    preguntas: list = field(default_factory=list)
    respondieron: int = 0  # people who answered in this scope (Registro)
    minimo: int = 5
    reservado: bool = False  # fewer than the minimum: nothing shown

    @property
    def comentarios(self):
        return [c for p in self.preguntas if p.es_texto for c in p.comentarios]

    @property
    def sin_incorporar(self) -> int:
        return max(self.respondieron - self.envios, 0)

    @property
    def aviso_reserva(self) -> str:
        """The Spanish note shown wherever results are withheld or incomplete (page, CSV, report)."""
        avisos = []
        if self.reservado and self.encuesta is not None:
            avisos.append(_("Para proteger el anonimato no se muestran resultados ni comentarios de grupos con menos "
                            "de %(k)s respuestas.") % {"k": self.minimo})
        if self.sin_incorporar:
            avisos.append(_("%(n)s de %(m)s respuestas aún no se incorporan: se agregan en grupos de al menos "
                            "%(k)s, o al cerrar la encuesta junto con las de otras jornadas.")
                          % {"n": self.sin_incorporar, "m": self.respondieron, "k": self.minimo})
        return " ".join(avisos)


def _registros_de_encuesta(encuesta: Encuesta, jornadas=None) -> QuerySet:
    if jornadas is not None:
        return Registro.objects.filter(jornada__in=jornadas)
    if encuesta.jornada_id:
        return Registro.objects.filter(jornada_id=encuesta.jornada_id)
    return Registro.objects.filter(jornada__ciclo_id=encuesta.ciclo_id)


def etiqueta_escala(valor: int) -> str:
    etiquetas = {1: _("1 · Nada satisfecho"), 2: _("2 · Poco satisfecho"), 3: _("3 · Satisfecho"),
                 4: _("4 · Muy satisfecho"), 5: _("5 · Totalmente satisfecho")}
    return etiquetas.get(valor, str(valor))


def resultados_encuesta(encuesta: Encuesta | None, *, jornadas=None) -> Resultados:
    """Per-question counts and percentages, and the comments: at most six queries.

    Percentages are over the submissions that answered the question; for multiple choice an
    option's percentage is the share of those submissions that chose it (they may add up to more
    than 100 %). A scope with fewer written answers than the minimum group is withheld
    (`reservado`, no questions): pages, CSV files and the report all read this."""
    resultados = Resultados(encuesta=encuesta, minimo=minimo_grupo())
    if encuesta is None:
        return resultados
    envios = RespuestaEncuesta.objects.filter(encuesta=encuesta)
    respuestas = Respuesta.objects.filter(envio__encuesta=encuesta)
    if jornadas is not None:
        envios = envios.filter(jornada__in=jornadas)
        respuestas = respuestas.filter(envio__jornada__in=jornadas)
    resultados.envios = envios.count()
    resultados.respondieron = _registros_de_encuesta(encuesta, jornadas).filter(
        encuesta_respondida_en__isnull=False).count()
    if resultados.envios < resultados.minimo:
        resultados.reservado = True
        return resultados
    preguntas = list(encuesta.preguntas.order_by("orden", "pk"))
    agregados = (respuestas.exclude(pregunta__tipo=Pregunta.Tipo.TEXTO)
                 .values("pregunta_id", "opcion", "valor")
                 .annotate(n=Count("id"), envios=Count("envio_id", distinct=True)))
    por_pregunta: dict = {}
    for a in agregados:
        por_pregunta.setdefault(a["pregunta_id"], []).append(a)
    respondieron = dict(
        respuestas.values("pregunta_id").annotate(n=Count("envio_id", distinct=True)).values_list("pregunta_id", "n")
    )
    textos: dict = {}
    for pregunta_id, texto in (respuestas.filter(pregunta__tipo=Pregunta.Tipo.TEXTO).exclude(texto="")
                               .order_by("envio__jornada__inicio", "pk")
                               .values_list("pregunta_id", "texto")):
        textos.setdefault(pregunta_id, []).append(texto)

    for p in preguntas:
        rp = ResultadoPregunta(pregunta=p, respondieron=respondieron.get(p.pk, 0))
        base = rp.respondieron or 1
        filas = por_pregunta.get(p.pk, [])
        if p.tipo == Pregunta.Tipo.ESCALA:
            cuenta = {f["valor"]: f["n"] for f in filas if f["valor"] is not None}
            for v in range(1, 6):
                rp.filas.append({"etiqueta": etiqueta_escala(v), "conteo": cuenta.get(v, 0),
                                 "porcentaje": round(100 * cuenta.get(v, 0) / base, 1)})
            total = sum(cuenta.values())
            rp.promedio = round(sum(v * n for v, n in cuenta.items()) / total, 2) if total else None
        elif p.tipo in (Pregunta.Tipo.UNICA, Pregunta.Tipo.MULTIPLE):
            cuenta = {f["opcion"]: f["n"] for f in filas}
            opciones = list(p.opciones) + sorted(o for o in cuenta if o not in p.opciones)
            for o in opciones:
                rp.filas.append({"etiqueta": o, "conteo": cuenta.get(o, 0),
                                 "porcentaje": round(100 * cuenta.get(o, 0) / base, 1)})
        else:
            rp.comentarios = textos.get(p.pk, [])
        resultados.preguntas.append(rp)
    return resultados


def respuestas_anonimas(encuesta: Encuesta, *, jornadas=None):
    """Yield one row per written submission: its session and the answers; never who answered nor
    when. Rows are ordered by session and the random key, so the order says nothing about who came
    first. A scope below the minimum group yields only the note."""
    preguntas = list(encuesta.preguntas.order_by("orden", "pk"))
    yield [_("Jornada")] + [p.texto for p in preguntas]
    minimo = minimo_grupo()
    envios = (RespuestaEncuesta.objects.filter(encuesta=encuesta).select_related("jornada")
              .order_by("jornada__inicio", "id")
              .prefetch_related(Prefetch("respuestas", queryset=Respuesta.objects.order_by("opcion"))))
    if jornadas is not None:
        envios = envios.filter(jornada__in=jornadas)
    if envios.count() < minimo:
        yield [_("Para proteger el anonimato no se muestran resultados ni comentarios de grupos con menos de "
                 "%(k)s respuestas.") % {"k": minimo}]
        return
    otras = _("Otras jornadas (grupos de menos de %(k)s)") % {"k": minimo}
    for envio in envios.iterator(chunk_size=500):
        por_pregunta: dict = {}
        for r in envio.respuestas.all():
            valor = r.opcion or (str(r.valor) if r.valor is not None else r.texto)
            por_pregunta.setdefault(r.pregunta_id, []).append(valor)
        yield [envio.jornada.titulo if envio.jornada_id else otras] + [
            "; ".join(por_pregunta.get(p.pk, [])) for p in preguntas
        ]


# --- report ----------------------------------------------------------------------------------


def informe_ciclo(ciclo: Ciclo) -> dict:
    """Everything the cycle's report shows (page and PDF)."""
    jornadas = list(_con_conteos(ciclo.jornadas.all()).order_by("inicio", "pk"))
    encuesta = encuesta_de_ciclo(ciclo)
    return {
        "ciclo": ciclo,
        "jornadas": jornadas,
        "conteos": conteos_ciclo(ciclo),
        "resultados": resultados_encuesta(encuesta),
    }


# --- constancias ------------------------------------------------------------------------------


def _alcance(jornada: Jornada | None, ciclo: Ciclo | None) -> dict:
    if (jornada is None) == (ciclo is None):
        raise ValueError("jornada o ciclo, exactamente uno")
    return {"jornada": jornada} if jornada else {"jornada__ciclo": ciclo}


def elegibles(*, jornada: Jornada | None = None, ciclo: Ciclo | None = None):
    """Registrations that earn a constancia: attended a session that has started, and answered the
    survey when the session asks."""
    return Registro.objects.filter(**_alcance(jornada, ciclo), asistio=True, jornada__inicio__lte=timezone.now()).filter(
        Q(jornada__constancia_requiere_encuesta=False) | Q(encuesta_respondida_en__isnull=False)
    )


def constancias_de(*, jornada: Jornada | None = None, ciclo: Ciclo | None = None):
    return Constancia.objects.filter(**{f"registro__{k}": v for k, v in _alcance(jornada, ciclo).items()})


# A batch in progress with pending constancias and none finished for this long has stalled (its
# worker died, or the broker is down): staff see it as "detenido, reanudando". A live chunk of
# CONSTANCIAS_POR_TAREA finishes well within it; core.relevo resumes a dead one by itself soon after.
DETENIDO_TRAS = timedelta(seconds=60)


def lote_progreso(lote: LoteConstancias, *, ahora=None) -> dict:
    cuenta = DocumentoVerificable.objects.filter(constancia__lote=lote).aggregate(
        total=Count("pk"),
        listas=Count("pk", filter=Q(estado_pdf=EstadoPDF.LISTA)),
        fallidas=Count("pk", filter=Q(estado_pdf=EstadoPDF.FALLIDA)),
        ultima=Max("generado_en", filter=Q(estado_pdf=EstadoPDF.LISTA)),
    )
    total = lote.total or cuenta["total"]
    listas = min(cuenta["listas"], total)
    pendientes = max(total - listas - cuenta["fallidas"], 0)
    ultimo_avance = max(t for t in (lote.creado_en, lote.reanudado_en, cuenta["ultima"]) if t is not None)
    ahora = ahora or timezone.now()
    return {
        "total": total,
        "listas": listas,
        "fallidas": cuenta["fallidas"],
        "pendientes": pendientes,
        "porcentaje": round(100 * listas / total) if total else 100,
        "ultimo_avance": ultimo_avance,
        "detenido": (lote.estado == LoteConstancias.Estado.EN_PROCESO and pendientes > 0
                     and ahora - ultimo_avance > DETENIDO_TRAS),
    }


def resumen_constancias(*, jornada: Jornada | None = None, ciclo: Ciclo | None = None) -> dict:
    """Counts for a session's or a cycle's page, in two queries."""
    elegible = Q(asistio=True) & (Q(jornada__constancia_requiere_encuesta=False)
                                  | Q(encuesta_respondida_en__isnull=False))
    registros = Registro.objects.filter(**_alcance(jornada, ciclo)).aggregate(
        asistentes=Count("pk", filter=Q(asistio=True)),
        elegibles=Count("pk", filter=elegible),
        por_emitir=Count("pk", filter=elegible & Q(constancia__isnull=True)),
    )
    constancias = constancias_de(jornada=jornada, ciclo=ciclo).aggregate(
        emitidas=Count("pk"),
        listas=Count("pk", filter=Q(documento__estado_pdf=EstadoPDF.LISTA)),
        fallidas=Count("pk", filter=Q(documento__estado_pdf=EstadoPDF.FALLIDA)),
        revocadas=Count("pk", filter=Q(documento__revocado_en__isnull=False)),
        avisadas=Count("pk", filter=Q(avisada_en__isnull=False)),
    )
    return {**registros, **constancias}
