"""Writes that mean something for the jornadas: sessions, registration, attendance, surveys."""

import logging
import random
from functools import partial

from django.core import signing
from django.core.exceptions import ValidationError
from django.core.mail import get_connection
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core import sitio
from core.correo import correo_construir
from core.errors import ErrorDominio
from core.models import Usuario
from core.templatetags.reconoce import fecha_hora

from . import calendario, informe, selectors, sobres
from .models import (
    Ciclo,
    Encuesta,
    EnvioPendiente,
    InvitacionEncuesta,
    Jornada,
    Participante,
    Pregunta,
    Registro,
    Respuesta,
    RespuestaEncuesta,
)

logger = logging.getLogger(__name__)

# The satisfaction form a guarantor used after each of its 2023 sessions (seeds/000_*, its report).
PREGUNTAS_PREDETERMINADAS = [
    {
        "texto": gettext_lazy("¿Cuál de los siguientes elementos considera que deben reforzarse a fin de detonar prácticas "
                   "de Transparencia Proactiva al interior de su sujeto obligado?"),
        "tipo": Pregunta.Tipo.MULTIPLE,
        "opciones": [
            gettext_lazy("Mayor difusión de la información acerca de lo que es la Transparencia Proactiva"),
            gettext_lazy("Asesoría personalizada del Órgano Garante para el establecimiento de prácticas de "
              "Transparencia Proactiva"),
            gettext_lazy("Ejemplos de prácticas exitosas de Transparencia Proactiva"),
        ],
        "obligatoria": True,
    },
    {
        "texto": gettext_lazy("¿Cuál es su grado de satisfacción con respecto a la profundidad con la que se abordaron los "
                   "temas y conceptos durante la sensibilización?"),
        "tipo": Pregunta.Tipo.ESCALA,
        "opciones": [],
        "obligatoria": True,
    },
    {"texto": gettext_lazy("Comentarios"), "tipo": Pregunta.Tipo.TEXTO, "opciones": [], "obligatoria": False},
]


@transaction.atomic
def encuesta_predeterminada_crear(*, ciclo: Ciclo | None = None, jornada: Jornada | None = None) -> Encuesta:
    """The default survey of a cycle (or of a session without a cycle). Idempotent: returns the
    existing one if there is one."""
    if (ciclo is None) == (jornada is None):
        raise ValueError("ciclo o jornada, exactamente uno")
    filtro = {"ciclo": ciclo, "jornada": None} if ciclo else {"jornada": jornada}
    autoridad = ciclo.autoridad if ciclo else jornada.autoridad
    encuesta = Encuesta.objects.filter(**filtro).order_by("pk").first()
    if encuesta is not None:
        return encuesta
    encuesta = Encuesta.objects.create(
        autoridad=autoridad, titulo=_("Encuesta de satisfacción"), **filtro
    )
    Pregunta.objects.bulk_create(
        Pregunta(encuesta=encuesta, orden=i, texto=str(p["texto"]), tipo=p["tipo"],
                 opciones=[str(o) for o in p["opciones"]], obligatoria=p["obligatoria"])
        for i, p in enumerate(PREGUNTAS_PREDETERMINADAS, start=1)
    )
    return encuesta


# --- cycles and sessions ---------------------------------------------------------------------


def _guardar(obj, usuario: Usuario):
    obj._history_user = usuario
    try:
        obj.full_clean()
    except ValidationError as exc:
        mensajes = [f"{m}" for lista in exc.message_dict.values() for m in lista] if hasattr(exc, "message_dict") \
            else exc.messages
        raise ErrorDominio("; ".join(mensajes)) from exc
    obj.save()
    return obj


@transaction.atomic
def ciclo_guardar(*, ciclo: Ciclo, usuario: Usuario) -> Ciclo:
    """Create or update a cycle; a new cycle gets the default survey."""
    nuevo = ciclo.pk is None
    _guardar(ciclo, usuario)
    if nuevo:
        encuesta_predeterminada_crear(ciclo=ciclo)
    return ciclo


@transaction.atomic
def jornada_guardar(*, jornada: Jornada, usuario: Usuario) -> Jornada:
    """Create or update a session. A session outside any cycle gets its own default survey."""
    if jornada.ciclo_id and jornada.ciclo.autoridad_id != jornada.autoridad_id:
        raise ErrorDominio(_("El ciclo pertenece a otra autoridad."), campo="ciclo")
    _guardar(jornada, usuario)
    if jornada.ciclo_id is None and not Encuesta.objects.filter(jornada=jornada).exists():
        encuesta_predeterminada_crear(jornada=jornada)
    elif jornada.ciclo_id:
        encuesta_predeterminada_crear(ciclo=jornada.ciclo)
    return jornada


@transaction.atomic
def jornada_eliminar(*, jornada: Jornada, usuario: Usuario) -> None:
    """Delete a session nobody registered to (with its own unanswered survey). A session with
    registrations is history: unpublish it instead."""
    jornada = Jornada.objects.select_for_update().get(pk=jornada.pk)
    if jornada.registros.exists() or jornada.respuestas_encuesta.exists() or jornada.lotes.exists():
        raise ErrorDominio(_("La jornada ya tiene registros; no se puede eliminar. Puede despublicarla."))
    for encuesta in Encuesta.objects.filter(jornada=jornada):
        encuesta.delete()
    jornada._history_user = usuario
    jornada.delete()


@transaction.atomic
def ciclo_eliminar(*, ciclo: Ciclo, usuario: Usuario) -> None:
    """Delete a cycle without sessions (and its survey, which cannot have answers yet)."""
    if ciclo.jornadas.exists() or ciclo.lotes.exists():
        raise ErrorDominio(_("El ciclo tiene jornadas; elimínelas o muévalas a otro ciclo primero."))
    for encuesta in Encuesta.objects.filter(ciclo=ciclo):
        if encuesta.respuestas.exists():
            raise ErrorDominio(_("La encuesta del ciclo ya tiene respuestas; no se puede eliminar."))
        encuesta.delete()
    ciclo.delete()


# --- registration ----------------------------------------------------------------------------


def participante_obtener_o_crear(*, nombre: str, correo: str, sujeto=None, cargo: str = "") -> Participante:
    """The person with this e-mail (case ignored), created if new. Details typed by someone else
    never overwrite an existing person's; only blank fields are filled."""
    correo = correo.strip().lower()
    participante = Participante.objects.filter(correo__iexact=correo).first()
    if participante is None:
        participante = Participante(nombre=" ".join(nombre.split()), correo=correo, sujeto=sujeto,
                                    cargo=cargo.strip())
        try:
            participante.full_clean(validate_constraints=False)
            with transaction.atomic():
                participante.save()
            return participante
        except IntegrityError:  # someone created it a moment ago
            participante = Participante.objects.get(correo__iexact=correo)
        except ValidationError as exc:
            raise ErrorDominio("; ".join(exc.messages)) from exc
    cambios = []
    if participante.sujeto_id is None and sujeto is not None:
        participante.sujeto = sujeto
        cambios.append("sujeto")
    if not participante.cargo and cargo.strip():
        participante.cargo = cargo.strip()[:200]
        cambios.append("cargo")
    if cambios:
        participante.save(update_fields=cambios)
    return participante


def registro_abierto_o_error(jornada: Jornada, ahora) -> None:
    if not jornada.publicada:
        raise ErrorDominio(_("Esta jornada no está publicada."))
    if jornada.registro_abre and ahora < jornada.registro_abre:
        raise ErrorDominio(_("El registro para esta jornada aún no abre; abre el %(f)s.")
                           % {"f": fecha_hora(jornada.registro_abre)})
    cierre = jornada.registro_cierra or jornada.inicio
    if ahora > cierre:
        raise ErrorDominio(_("El registro para esta jornada ya cerró."))


@transaction.atomic
def registro_inscribir(*, jornada: Jornada, nombre: str, correo: str, sujeto=None, cargo: str = "",
                       canal: str = Registro.Canal.EN_LINEA, ahora=None) -> Registro:
    """Register a person to a session: window and capacity checked with the session row locked,
    one registration per person, and the confirmation e-mail sent after commit."""
    ahora = ahora or timezone.now()
    jornada = Jornada.objects.select_for_update().get(pk=jornada.pk)
    if canal == Registro.Canal.EN_LINEA:
        registro_abierto_o_error(jornada, ahora)
    participante = participante_obtener_o_crear(nombre=nombre, correo=correo, sujeto=sujeto, cargo=cargo)
    if Registro.objects.filter(jornada=jornada, participante=participante).exists():
        raise ErrorDominio(
            _("El correo %(c)s ya está registrado en esta jornada; no es necesario registrarse de nuevo.")
            % {"c": participante.correo}, campo="correo",
        )
    if jornada.cupo is not None and Registro.objects.filter(jornada=jornada).count() >= jornada.cupo:
        raise ErrorDominio(_("Lo sentimos: el cupo de esta jornada está completo."))
    try:
        with transaction.atomic():
            registro = Registro.objects.create(jornada=jornada, participante=participante, canal=canal)
    except IntegrityError as exc:
        raise ErrorDominio(_("El correo %(c)s ya está registrado en esta jornada.") % {"c": participante.correo},
                           campo="correo") from exc
    transaction.on_commit(partial(_enviar_confirmacion, registro.pk))
    return registro


def enlace_encuesta(registro: Registro) -> str:
    return sitio.url_de("jornadas:encuesta", token=registro.token_encuesta)


def _datos_correo(registro: Registro) -> dict:
    j = registro.jornada
    return {
        "registro": registro, "jornada": j, "participante": registro.participante,
        "url_jornada": sitio.url_absoluta(j.get_absolute_url()),
        "url_encuesta": enlace_encuesta(registro),
    }


def _enviar_confirmacion(registro_id: int) -> None:
    registro = Registro.objects.select_related("jornada", "participante", "jornada__autoridad").get(pk=registro_id)
    try:
        mensaje = correo_construir(plantilla="jornadas/correos/confirmacion",
                                   contexto={**_datos_correo(registro), "url_cancelar": url_cancelacion(registro)},
                                   para=[registro.participante.correo], autoridad=registro.jornada.autoridad)
        # The session as a calendar event, to add it in one click.
        mensaje.attach(f"{registro.jornada.slug}.ics", calendario.evento_ics(registro),
                       "text/calendar; method=PUBLISH")
        mensaje.send()
    except Exception:  # the registration stands even if the mail server is down
        logger.exception("No se pudo enviar la confirmación del registro %s", registro_id)


# --- cancellation by the person ---------------------------------------------------------------

SAL_CANCELACION = "jornadas.registro.cancelar"


def token_cancelacion(registro: Registro) -> str:
    """The personal cancellation link's token: the registration signed with the secret key (and its
    creation second, so a link never fits another registration). Nothing of the survey's token."""
    return signing.dumps([registro.pk, int(registro.registrado_en.timestamp())], salt=SAL_CANCELACION)


def url_cancelacion(registro: Registro) -> str:
    return sitio.url_de("jornadas:registro_cancelar", token=token_cancelacion(registro))


def registro_por_token_cancelacion(token: str) -> Registro | None:
    """The registration the link names, or None (a forged, altered or spent link)."""
    try:
        pk, sello = signing.loads(token, salt=SAL_CANCELACION)
        pk, sello = int(pk), int(sello)
    except (signing.BadSignature, TypeError, ValueError):
        return None
    registro = Registro.objects.select_related("jornada__autoridad", "participante").filter(pk=pk).first()
    if registro is None or int(registro.registrado_en.timestamp()) != sello:
        return None
    return registro


@transaction.atomic
def registro_cancelar(*, registro: Registro, ahora=None) -> None:
    """The person withdraws before the session starts: the registration goes (its seat is free
    again, and its history keeps the record) and an e-mail withdraws the calendar event the
    confirmation added (.ics METHOD:CANCEL, same UID, higher SEQUENCE), sent after commit."""
    ahora = ahora or timezone.now()
    jornada = Jornada.objects.select_for_update().get(pk=registro.jornada_id)  # as registro_inscribir
    registro = (Registro.objects.select_for_update(of=("self",))
                .select_related("participante", "jornada__autoridad").filter(pk=registro.pk).first())
    if registro is None:
        raise ErrorDominio(_("Este registro ya fue cancelado."))
    if ahora >= jornada.inicio or registro.asistio:
        raise ErrorDominio(_("La jornada ya comenzó; el registro ya no puede cancelarse."))
    # Built before the row goes: the event's UID is the registration's.
    mensaje = correo_construir(plantilla="jornadas/correos/cancelacion", contexto=_datos_correo(registro),
                               para=[registro.participante.correo], autoridad=registro.jornada.autoridad)
    mensaje.attach(f"{registro.jornada.slug}-cancelacion.ics", calendario.evento_ics(registro, ahora, cancelado=True),
                   "text/calendar; method=CANCEL")
    registro.delete()
    transaction.on_commit(partial(_enviar_cancelacion, mensaje, registro.participante.correo))


def _enviar_cancelacion(mensaje, correo: str) -> None:
    try:
        mensaje.send()
    except Exception:  # the cancellation stands even if the mail server is down
        logger.exception("No se pudo enviar la cancelación del registro de %s", correo)


# --- attendance ------------------------------------------------------------------------------


@transaction.atomic
def asistencia_marcar(*, jornada: Jornada, presentes: set[int], mostrados: set[int], usuario: Usuario) -> int:
    """Set attendance for the registrations shown on the page: checked ones attended, the rest
    did not. Only rows that change are saved (each with its history entry). Returns how many.
    Nobody can be marked present before the session starts."""
    ahora = timezone.now()
    if presentes:
        jornada.verificar_comenzada(_("la asistencia se registra"), ahora)
    cambiados = 0
    for registro in Registro.objects.select_for_update().filter(jornada=jornada, pk__in=mostrados):
        asistio = registro.pk in presentes
        if registro.asistio == asistio:
            continue
        registro.asistio = asistio
        registro.asistencia_marcada_en = ahora if asistio else None
        registro._history_user = usuario
        registro.save(update_fields=["asistio", "asistencia_marcada_en"])
        cambiados += 1
    return cambiados


@transaction.atomic
def participante_agregar(*, jornada: Jornada, nombre: str, correo: str, sujeto=None, cargo: str = "",
                         usuario: Usuario) -> Registro:
    """Staff add someone who attended (no window or capacity: they were there), once it started."""
    jornada.verificar_comenzada(_("la asistencia se registra"))
    participante = participante_obtener_o_crear(nombre=nombre, correo=correo, sujeto=sujeto, cargo=cargo)
    registro, _creado = Registro.objects.get_or_create(
        jornada=jornada, participante=participante, defaults={"canal": Registro.Canal.PERSONAL}
    )
    if not registro.asistio:
        registro.asistio = True
        registro.asistencia_marcada_en = timezone.now()
        registro._history_user = usuario
        registro.save()
    return registro


# --- survey ----------------------------------------------------------------------------------


def encuesta_para_jornada(jornada: Jornada) -> Encuesta:
    """The survey that applies to a session, creating the default one if there is none yet."""
    encuesta = selectors.encuesta_de_jornada(jornada)
    if encuesta is None:
        encuesta = encuesta_predeterminada_crear(ciclo=jornada.ciclo) if jornada.ciclo_id else \
            encuesta_predeterminada_crear(jornada=jornada)
    return encuesta


def _respuestas_validas(preguntas, respuestas: dict) -> list[dict]:
    """Check the answers against the questions; return the rows to write."""
    filas = []
    for p in preguntas:
        valor = respuestas.get(p.pk)
        vacio = valor in (None, "", [], ())
        if vacio:
            if p.obligatoria:
                raise ErrorDominio(_("Responda la pregunta «%(p)s».") % {"p": p.texto}, campo=f"p{p.pk}")
            continue
        if p.tipo == Pregunta.Tipo.UNICA:
            if valor not in p.opciones:
                raise ErrorDominio(_("Opción no válida en «%(p)s».") % {"p": p.texto}, campo=f"p{p.pk}")
            filas.append({"pregunta": p, "opcion": valor})
        elif p.tipo == Pregunta.Tipo.MULTIPLE:
            elegidas = list(dict.fromkeys(valor if isinstance(valor, list | tuple) else [valor]))
            if any(o not in p.opciones for o in elegidas):
                raise ErrorDominio(_("Opción no válida en «%(p)s».") % {"p": p.texto}, campo=f"p{p.pk}")
            filas.extend({"pregunta": p, "opcion": o} for o in elegidas)
        elif p.tipo == Pregunta.Tipo.ESCALA:
            try:
                numero = int(valor)
            except (TypeError, ValueError):
                numero = 0
            if not 1 <= numero <= 5:
                raise ErrorDominio(_("Elija un valor del 1 al 5 en «%(p)s».") % {"p": p.texto}, campo=f"p{p.pk}")
            filas.append({"pregunta": p, "valor": numero})
        else:
            texto = str(valor).strip()
            if len(texto) > MAX_TEXTO_RESPUESTA:
                raise ErrorDominio(_("El texto excede %(n)s caracteres.") % {"n": MAX_TEXTO_RESPUESTA},
                                   campo=f"p{p.pk}")
            if texto:
                filas.append({"pregunta": p, "texto": texto})
    return filas


MAX_TEXTO_RESPUESTA = 2000

# Shuffles written groups; the OS's randomness, never a seedable generator.
_azar = random.SystemRandom()


def _registro_por_token(token: str) -> Registro:
    registro = (Registro.objects.select_for_update(of=("self",)).select_related("jornada", "jornada__ciclo")
                .filter(token_encuesta=token).first()) if token else None
    if registro is None:
        raise ErrorDominio(_("El enlace de la encuesta no es válido."))
    return registro


def encuesta_abierta_o_error(encuesta: Encuesta, jornada: Jornada, ahora) -> None:
    if not encuesta.activa:
        raise ErrorDominio(_("La encuesta ya no recibe respuestas."))
    cierre = selectors.encuesta_cierre(encuesta, jornada)
    if ahora > cierre:
        raise ErrorDominio(_("La encuesta de esta jornada cerró el %(f)s; ya no recibe respuestas.")
                           % {"f": fecha_hora(cierre)})


@transaction.atomic
def encuesta_responder(*, token: str, respuestas: dict, ahora=None) -> None:
    """Take one anonymous answer and, in the same transaction, record *that* this person answered.

    The answer is not written as rows here: it goes, sealed, to the pending pool, and is written
    with the others of its session once they are enough (encuesta_agrupar; see Encuesta). The
    registration gets the day (not the time) by a plain UPDATE, so no history row is stamped."""
    ahora = ahora or timezone.now()
    registro = _registro_por_token(token)
    if registro.encuesta_respondida_en is not None:
        raise ErrorDominio(_("Esta encuesta ya fue respondida con este enlace. ¡Gracias por su participación!"))
    if not registro.asistio:
        raise ErrorDominio(_("La encuesta se habilita cuando se registra su asistencia a la jornada."))
    registro.jornada.verificar_comenzada(_("la encuesta se responde"))
    encuesta = encuesta_para_jornada(registro.jornada)
    encuesta_abierta_o_error(encuesta, registro.jornada, ahora)
    filas = _respuestas_validas(list(encuesta.preguntas.order_by("orden", "pk")), respuestas)
    contenido = [{"p": f["pregunta"].pk, "o": f.get("opcion", ""), "v": f.get("valor"), "t": f.get("texto", "")}
                 for f in filas]
    EnvioPendiente.objects.create(encuesta=encuesta,
                                  sobre=sobres.sellar({"jornada": registro.jornada_id, "filas": contenido}))
    Registro.objects.filter(pk=registro.pk).update(encuesta_respondida_en=timezone.localdate(ahora))
    encuesta_agrupar(encuesta=encuesta, ahora=ahora)


@transaction.atomic
def encuesta_agrupar(*, encuesta: Encuesta, ahora=None) -> int:
    """Write the pending answers that now form a group: a session's, once it has the minimum; and,
    once their sessions' surveys have closed, the leftovers of all of them together (without
    session) once they reach the minimum. Rows are written in shuffled order. Returns how many."""
    ahora = ahora or timezone.now()
    encuesta = Encuesta.objects.select_for_update().get(pk=encuesta.pk)  # one grouping at a time
    minimo = selectors.minimo_grupo()
    por_jornada: dict = {}
    for pendiente in EnvioPendiente.objects.filter(encuesta=encuesta):
        try:
            datos = sobres.abrir(pendiente.sobre)
        except sobres.SobreInvalido:
            logger.error("Respuesta pendiente %s de la encuesta %s: no se pudo abrir (¿cambió la clave?)",
                         pendiente.pk, encuesta.pk)
            continue
        por_jornada.setdefault(datos["jornada"], []).append((pendiente.pk, datos["filas"]))
    jornadas = Jornada.objects.in_bulk(list(por_jornada))
    grupos, sobrantes = [], []
    for jornada_id, envios in por_jornada.items():
        if len(envios) >= minimo:
            grupos.append((jornada_id, envios))
        elif jornada_id in jornadas and ahora > selectors.encuesta_cierre(encuesta, jornadas[jornada_id]):
            sobrantes.extend(envios)
    if len(sobrantes) >= minimo:
        grupos.append((None, sobrantes))
    escritas = 0
    for jornada_id, envios in grupos:
        escritas += _escribir_grupo(encuesta, jornada_id, envios)
    if escritas:
        Encuesta.objects.filter(pk=encuesta.pk).update(resultados_actualizados=timezone.localdate(ahora))
    return escritas


def _escribir_grupo(encuesta: Encuesta, jornada_id, envios: list) -> int:
    envios = list(envios)
    _azar.shuffle(envios)
    filas_envio = [RespuestaEncuesta(encuesta=encuesta, jornada_id=jornada_id) for _ in envios]
    respuestas = [Respuesta(envio=fila, pregunta_id=r["p"], opcion=r["o"] or "", valor=r["v"], texto=r["t"] or "")
                  for fila, (_pk, contenido) in zip(filas_envio, envios, strict=True) for r in contenido]
    _azar.shuffle(respuestas)
    RespuestaEncuesta.objects.bulk_create(filas_envio)
    Respuesta.objects.bulk_create(respuestas)
    EnvioPendiente.objects.filter(pk__in=[pk for pk, _contenido in envios]).delete()
    return len(envios)


def encuestas_agrupar_pendientes(ahora=None) -> int:
    """Every survey with pending answers, grouped (the periodic task: leftovers of closed surveys)."""
    total = 0
    for encuesta in Encuesta.objects.filter(pendientes__isnull=False).distinct():
        total += encuesta_agrupar(encuesta=encuesta, ahora=ahora)
    return total


@transaction.atomic
def encuesta_invitar(*, jornada: Jornada, usuario: Usuario, reenviar: bool = False, ahora=None) -> int:
    """E-mail the personal survey link (after commit) and record the sending (who, when, how many).

    Without `reenviar`, only to attendees who have not answered and were never invited: a second
    click sends nothing. With it (the explicit resend), to every attendee who has not answered."""
    ahora = ahora or timezone.now()
    jornada = Jornada.objects.select_for_update().get(pk=jornada.pk)  # two clicks: one after the other
    jornada.verificar_comenzada(_("la invitación a la encuesta se envía"))
    encuesta_abierta_o_error(encuesta_para_jornada(jornada), jornada, ahora)
    pendientes = Registro.objects.select_for_update().filter(jornada=jornada, asistio=True,
                                                             encuesta_respondida_en__isnull=True)
    if not reenviar:
        pendientes = pendientes.filter(encuesta_invitada_en__isnull=True)
    ids = list(pendientes.values_list("pk", flat=True))
    if not ids:
        return 0
    Registro.objects.filter(pk__in=ids, encuesta_invitada_en__isnull=True).update(encuesta_invitada_en=ahora)
    InvitacionEncuesta.objects.create(jornada=jornada, enviada_por=usuario, destinatarios=len(ids), reenvio=reenviar)
    transaction.on_commit(partial(_enviar_invitaciones, ids))
    return len(ids)


def _enviar_invitaciones(ids: list[int]) -> None:
    mensajes = [correo_construir(plantilla="jornadas/correos/encuesta", contexto=_datos_correo(registro),
                                 para=[registro.participante.correo], autoridad=registro.jornada.autoridad)
                for registro in Registro.objects.filter(pk__in=ids).select_related(
                    "jornada__autoridad", "participante")]
    try:
        get_connection().send_messages(mensajes)  # one connection for all, as send_mass_mail
    except Exception:
        logger.exception("No se pudieron enviar las invitaciones a la encuesta")


# --- report ----------------------------------------------------------------------------------


def informe_pdf_solicitar(*, ciclo: Ciclo) -> dict:
    """Queue the PDF of the cycle's report unless it is ready or already queued. Returns the
    content hash and state, for the page."""
    datos = informe.contexto(ciclo)
    huella = datos["huella"]
    estado = informe.estado(ciclo.pk, huella)
    if estado["estado"] in (informe.LISTO, informe.PENDIENTE):
        return {"huella": huella, **estado}
    informe.marcar_pendiente(ciclo.pk, huella)  # queues the render after the commit
    return {"huella": huella, "estado": informe.PENDIENTE, "error": ""}
