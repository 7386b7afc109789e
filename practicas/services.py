"""Every write that means something for a practice. Keyword-only, one transaction each."""

import logging
from datetime import datetime
from functools import partial

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.core.files.base import ContentFile
from django.db import IntegrityError, connection, transaction
from django.db.models import Exists, OuterRef, Subquery, Sum
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _

from convocatorias.models import Convocatoria, Criterio
from core import documentos, sitio
from core.correo import correo_enviar
from core.cuentas import token_activacion
from core.errors import ErrorDominio
from core.models import Usuario
from core.pdf import sha256_bytes
from core.templatetags.reconoce import fecha_hora_segundos

from . import soportes as analisis_soportes
from .models import Acuse, Enlace, Evidencia, Practica, Soporte, SujetoObligado
from .selectors import destinatarios_de

logger = logging.getLogger(__name__)

CAMPOS_EDITABLES = (
    "nombre", "area_responsable", "contacto_nombre", "contacto_cargo", "contacto_correo", "contacto_telefono",
    "descripcion", "necesidad_informacion", "identificacion_necesidad", "poblacion_objetivo",
    "url_publicacion", "fecha_inicio",
)


# --- accounts --------------------------------------------------------------------------------

def url_activacion(usuario: Usuario) -> str:
    return sitio.url_de("practicas:activar", urlsafe_base64_encode(force_bytes(usuario.pk)),
                        token_activacion.make_token(usuario))


def _correo_cuenta(usuario_pk: int, plantilla: str) -> None:
    usuario = Usuario.objects.get(pk=usuario_pk)
    contexto = {"nombre": usuario.get_full_name() or usuario.email, "url_entrar": sitio.url_de("login"),
                "url_restablecer": sitio.url_de("password_reset")}
    if plantilla == "cuenta_confirmar":
        contexto["url_activar"] = url_activacion(usuario)
    correo_enviar(plantilla=f"practicas/correos/{plantilla}", contexto=contexto, para=[usuario.email])


def sin_confirmar(usuario: Usuario) -> bool:
    """An account created by registration whose address was never confirmed."""
    return not usuario.is_active and usuario.last_login is None


@transaction.atomic
def cuenta_registrar(*, email: str, password: str, first_name: str, last_name: str, sujeto: SujetoObligado,
                     cargo: str, area: str = "") -> None:
    """Registration, which says nothing about whether the address already has an account. A new
    address gets an inactive account, its request to represent the body (staff resolve it), and a
    link to confirm the address (which activates the account and signs in). An address with an
    account gets a notice instead (or, if it never confirmed, the link again); nothing else changes.
    The e-mail leaves after commit; the caller answers the same in every case."""
    existente = Usuario.objects.filter(email__iexact=email).first()
    if existente is None:
        try:
            with transaction.atomic():
                usuario = Usuario.objects.create_user(email=email, password=password, first_name=first_name,
                                                      last_name=last_name, is_active=False)
        except IntegrityError:  # the same address registered at the same moment
            existente = Usuario.objects.get(email__iexact=email)
        else:
            enlace_solicitar(usuario=usuario, sujeto=sujeto, cargo=cargo, area=area)
            transaction.on_commit(partial(_correo_cuenta, usuario.pk, "cuenta_confirmar"), robust=True)
            return
    make_password(password)  # as long as the other path takes, so the time taken does not tell either
    plantilla = "cuenta_confirmar" if sin_confirmar(existente) else "cuenta_existente"
    transaction.on_commit(partial(_correo_cuenta, existente.pk, plantilla), robust=True)


@transaction.atomic
def cuenta_activar(*, usuario: Usuario) -> Usuario:
    """The address is confirmed: the account becomes active (its link stops working)."""
    usuario = Usuario.objects.select_for_update().get(pk=usuario.pk)
    if not sin_confirmar(usuario):
        raise ErrorDominio(_("Esta cuenta ya fue confirmada. Inicie sesión."))
    usuario.is_active = True
    usuario.save(update_fields=["is_active"])
    return usuario


# --- enlaces ---------------------------------------------------------------------------------

def enlace_solicitar(*, usuario: Usuario, sujeto: SujetoObligado, cargo: str, area: str = "") -> Enlace:
    if Enlace.objects.filter(usuario=usuario, sujeto=sujeto).exists():
        raise ErrorDominio(_("Ya solicitó representar a %(s)s.") % {"s": sujeto})
    enlace = Enlace(usuario=usuario, sujeto=sujeto, cargo=cargo, area=area)
    enlace.full_clean()
    enlace.save()
    return enlace


@transaction.atomic
def enlace_resolver(*, enlace: Enlace, usuario: Usuario, aprobar: bool, motivo: str = "") -> Enlace:
    enlace = Enlace.objects.select_for_update().get(pk=enlace.pk)
    destino = Enlace.Estado.APROBADO if aprobar else Enlace.Estado.RECHAZADO
    resuelta = _("Esta solicitud ya fue resuelta.")
    enlace.verificar_transicion(destino, mensaje=resuelta)
    if not aprobar and not motivo.strip():
        raise ErrorDominio(_("Indique el motivo del rechazo; la persona solicitante lo leerá."), campo="motivo")
    return enlace.transicionar(destino, mensaje=resuelta, motivo="" if aprobar else motivo.strip(),
                               resuelto_por=usuario, resuelto_en=timezone.now())


# --- drafts ----------------------------------------------------------------------------------

def _verificar_plazo(practica: Practica, ahora: datetime):
    conv = practica.convocatoria
    if not conv.recibe_propuestas(ahora):
        if conv.plazo_vencido(ahora):
            raise ErrorDominio(
                _("El plazo de la convocatoria cerró el %(f)s. Su borrador se conserva, pero ya no puede "
                  "modificarse ni enviarse.") % {"f": _fecha_hora(conv.fecha_cierre)}
            )
        raise ErrorDominio(_("La convocatoria no está recibiendo propuestas en este momento."))


def _fecha_hora(valor):
    return fecha_hora_segundos(valor)


def _verificar_captura(conv: Convocatoria) -> None:
    """Staff record paper and e-mail submissions from publication until evaluation begins: once
    the jury is scoring, no practice can join the call, whatever receipt time is declared."""
    if conv.estado == Convocatoria.Estado.BORRADOR:
        raise ErrorDominio(_("La convocatoria aún no se publica."))
    if conv.estado not in (Convocatoria.Estado.ABIERTA, Convocatoria.Estado.CERRADA):
        raise ErrorDominio(_("La convocatoria ya está en evaluación: ya no pueden registrarse propuestas "
                             "recibidas en papel o por correo."))


def _verificar_elegible(convocatoria: Convocatoria, sujeto: SujetoObligado) -> None:
    """The call's eligibility (Convocatoria.admite), for online and staff-captured submissions alike."""
    if not convocatoria.admite(sujeto):
        raise ErrorDominio(
            _("%(s)s no puede participar en «%(c)s»: pueden participar %(e)s")
            % {"s": sujeto.nombre, "c": convocatoria.titulo,
               "e": convocatoria.descripcion_elegibilidad[:1].lower() + convocatoria.descripcion_elegibilidad[1:]},
            campo="sujeto",
        )


def _verificar_borrador(practica: Practica):
    if not practica.es_borrador:
        raise ErrorDominio(
            _("La práctica %(f)s ya fue enviada y no puede modificarse.") % {"f": practica.folio}
        )


@transaction.atomic
def practica_crear(*, convocatoria: Convocatoria, sujeto: SujetoObligado, usuario: Usuario, datos: dict,
                   evidencias: dict | None = None, canal: str = Practica.Canal.EN_LINEA,
                   ahora: datetime | None = None) -> Practica:
    ahora = ahora or timezone.now()
    practica = Practica(convocatoria=convocatoria, sujeto=sujeto, creada_por=usuario, canal=canal)
    if canal == Practica.Canal.EN_LINEA:
        _verificar_plazo(practica, ahora)
    else:
        _verificar_captura(convocatoria)
    _verificar_elegible(convocatoria, sujeto)
    for campo in CAMPOS_EDITABLES:
        if campo in datos:
            setattr(practica, campo, datos[campo])
    practica.full_clean()
    practica.save()
    _guardar_evidencias(practica, evidencias or {})
    return practica


def _guardar_evidencias(practica: Practica, evidencias: dict):
    criterios = {c.pk: c for c in practica.convocatoria.criterios.all()}
    existentes = {e.criterio_id: e for e in practica.evidencias.all()}
    for criterio_id, criterio in criterios.items():
        texto = (evidencias.get(criterio_id) or "").strip() if criterio_id in evidencias else None
        ev = existentes.get(criterio_id)
        if ev is None:
            Evidencia.objects.create(practica=practica, criterio=criterio, texto=texto or "")
        elif texto is not None and ev.texto != texto:
            ev.texto = texto
            ev.save()


@transaction.atomic
def practica_guardar(*, practica: Practica, usuario: Usuario, datos: dict, evidencias: dict | None = None,
                     ahora: datetime | None = None) -> Practica:
    ahora = ahora or timezone.now()
    practica = Practica.objects.select_for_update(of=("self",)).select_related("convocatoria").get(pk=practica.pk)
    _verificar_borrador(practica)
    if practica.canal == Practica.Canal.EN_LINEA:
        _verificar_plazo(practica, ahora)
    for campo in CAMPOS_EDITABLES:
        if campo in datos:
            setattr(practica, campo, datos[campo])
    practica.full_clean()
    practica.save()
    _guardar_evidencias(practica, evidencias or {})
    return practica


# --- supports --------------------------------------------------------------------------------

def _verificar_editable(practica, ahora):
    _verificar_borrador(practica)
    if practica.canal == Practica.Canal.EN_LINEA:
        _verificar_plazo(practica, ahora)


@transaction.atomic
def soporte_agregar_archivo(*, practica: Practica, usuario: Usuario, archivo, criterio: Criterio | None = None,
                            descripcion: str = "", ahora: datetime | None = None) -> Soporte:
    """Store an uploaded file after checking what it really is. Raises ErrorDominio (Spanish)."""
    ahora = ahora or timezone.now()
    practica = Practica.objects.select_for_update(of=("self",)).select_related("convocatoria").get(pk=practica.pk)
    _verificar_editable(practica, ahora)
    if criterio is not None and criterio.convocatoria_id != practica.convocatoria_id:
        raise ErrorDominio(_("El criterio no pertenece a la convocatoria de la práctica."))
    nombre = (getattr(archivo, "name", "") or "archivo").rsplit("/", 1)[-1][:255]
    if archivo.size > settings.SOPORTE_MAX_BYTES:
        raise ErrorDominio(
            _("«%(n)s» pesa %(t)s; el máximo por archivo es %(m)s.")
            % {"n": nombre, "t": filesizeformat(archivo.size), "m": filesizeformat(settings.SOPORTE_MAX_BYTES)}
        )
    usado = practica.soportes.aggregate(t=Sum("tamano"))["t"] or 0
    if usado + archivo.size > settings.PRACTICA_MAX_BYTES:
        raise ErrorDominio(
            _("«%(n)s» no cabe: la práctica ya suma %(u)s y el máximo por práctica es %(m)s.")
            % {"n": nombre, "u": filesizeformat(usado), "m": filesizeformat(settings.PRACTICA_MAX_BYTES)}
        )
    archivo.seek(0)
    data = archivo.read()
    try:
        resultado = analisis_soportes.analizar(nombre, data, settings.SOPORTE_MAX_BYTES)
    except analisis_soportes.SoporteRechazado as exc:
        raise ErrorDominio(exc.mensaje) from exc
    soporte = Soporte(
        practica=practica, criterio=criterio, tipo=Soporte.Tipo.ARCHIVO, nombre_original=nombre,
        formato=resultado.formato, mime=resultado.mime, tamano=len(data), sha256=sha256_bytes(data),
        es_datos_abiertos=resultado.es_datos_abiertos, nota_formato=resultado.nota[:500],
        descripcion=descripcion[:300], subido_por=usuario,
    )
    soporte.archivo.save(nombre, ContentFile(data), save=False)
    try:
        soporte.full_clean()
        soporte.save()
    except Exception:
        soporte.archivo.delete(save=False)
        raise
    return soporte


@transaction.atomic
def soporte_agregar_enlace(*, practica: Practica, usuario: Usuario, url: str, criterio: Criterio | None = None,
                           descripcion: str = "", ahora: datetime | None = None) -> Soporte:
    ahora = ahora or timezone.now()
    practica = Practica.objects.select_for_update(of=("self",)).select_related("convocatoria").get(pk=practica.pk)
    _verificar_editable(practica, ahora)
    if criterio is not None and criterio.convocatoria_id != practica.convocatoria_id:
        raise ErrorDominio(_("El criterio no pertenece a la convocatoria de la práctica."))
    soporte = Soporte(practica=practica, criterio=criterio, tipo=Soporte.Tipo.ENLACE, url=url,
                      descripcion=descripcion[:300], subido_por=usuario)
    soporte.full_clean()
    soporte.save()
    return soporte


@transaction.atomic
def soporte_eliminar(*, soporte: Soporte, usuario: Usuario, ahora: datetime | None = None) -> None:
    ahora = ahora or timezone.now()
    practica = Practica.objects.select_for_update(of=("self",)).select_related("convocatoria").get(pk=soporte.practica_id)
    _verificar_editable(practica, ahora)
    archivo = soporte.archivo if soporte.tipo == Soporte.Tipo.ARCHIVO else None
    soporte.delete()
    if archivo:
        nombre = archivo.name
        storage = archivo.storage
        transaction.on_commit(lambda: storage.delete(nombre))


# --- submission ------------------------------------------------------------------------------

def _faltan(practica: Practica, evidencias, tiene_soportes: bool) -> list[str]:
    """The one rule of what a draft needs before it can be sent, in Spanish. ``evidencias``: the
    call's criteria in order, as (number, this practice's text or None)."""
    faltan = []
    for campo in Practica.CAMPOS_REQUERIDOS:
        if not getattr(practica, campo):
            faltan.append(str(Practica._meta.get_field(campo).verbose_name).capitalize())
    for numero, texto in evidencias:
        if not (texto or "").strip():
            faltan.append(_("Evidencia del criterio %(n)s") % {"n": numero})
    if not tiene_soportes:
        faltan.append(_("Al menos un soporte documental (archivo o enlace)"))
    return faltan


def faltantes(practica: Practica) -> list[str]:
    """What the formulario still needs before it can be sent, in Spanish (a page that prefetched
    the evidence, criteria and supports pays no query for them)."""
    textos = {e.criterio_id: e.texto for e in practica.evidencias.all()}
    evidencias = [(c.numero, textos.get(c.pk)) for c in practica.convocatoria.criterios.all()]
    return _faltan(practica, evidencias, practica.soportes.exists())


def _evidencias_por_criterio(practica: Practica):
    """The call's criteria with this practice's evidence text, in one query."""
    texto = Evidencia.objects.filter(practica=practica, criterio=OuterRef("pk")).order_by().values("texto")[:1]
    return (Criterio.objects.filter(convocatoria_id=practica.convocatoria_id)
            .annotate(texto=Subquery(texto)).values_list("numero", "texto"))


def _asignar_folio(practica: Practica) -> None:
    """The call's next number, in one statement that locks the call's row until the commit:
    concurrent submissions queue here and get consecutive numbers. Taken last, so the rush waits
    only for the practice's own row and its history row to be written after it. (The ORM has no
    UPDATE … RETURNING; SQLite has it since 3.35.)"""
    meta = Convocatoria._meta
    q = connection.ops.quote_name
    contador, prefijo, anio = (q(meta.get_field(c).column) for c in ("ultimo_consecutivo", "prefijo_folio", "anio"))
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {q(meta.db_table)} SET {contador} = {contador} + 1 WHERE {q(meta.pk.column)} = %s "  # noqa: S608 - names from _meta
            f"RETURNING {contador}, {prefijo}, {anio}", [practica.convocatoria_id])
        numero, prefijo_folio, anio_conv = cursor.fetchone()
    practica.consecutivo = numero
    practica.folio = f"{prefijo_folio}-{anio_conv}-{numero:04d}"


# What a submission changes on the practice (the rest was validated when the draft was saved).
CAMPOS_DEL_ENVIO = ("estado", "consecutivo", "folio", "enviada_en", "enviada_por", "capturada_en", "actualizada_en")
# Checked by the database itself: rows this transaction read, and the constraints on the folio.
_NO_VALIDAR_AL_ENVIAR = ("convocatoria", "sujeto", "creada_por", "enviada_por", "consecutivo", "folio")


@transaction.atomic
def practica_enviar(*, practica: Practica, usuario: Usuario, ahora: datetime | None = None,
                    recibida_en: datetime | None = None) -> Practica:
    """Submit a draft: freeze it, give it a folio and queue its acuse.

    Online drafts are checked against the closing second now. Drafts staff record from paper or
    e-mail carry the time they were received, which must fall inside the call's window.

    Everything that does not need the folio happens first (checks, validation, the acuse and its
    task); the call's folio lock comes last, so that concurrent submissions wait only for the
    practice's row and its history row (see benchmarks/envios.py)."""
    ahora = ahora or timezone.now()
    practica = (Practica.objects.select_for_update(of=("self",)).select_related("convocatoria__autoridad", "sujeto")
                .annotate(tiene_soportes=Exists(Soporte.objects.filter(practica=OuterRef("pk"))))
                .get(pk=practica.pk))
    practica.verificar_transicion(Practica.Estado.ENVIADA,
                                  mensaje=_("La práctica %(f)s ya fue enviada.") % {"f": practica.folio})
    conv = practica.convocatoria
    capturada_en = None
    if practica.canal == Practica.Canal.EN_LINEA:
        _verificar_plazo(practica, ahora)
        recibida_en = ahora
    else:
        _verificar_captura(conv)
        capturada_en = ahora
        if recibida_en is None:
            raise ErrorDominio(_("Indique la fecha y hora en que se recibió la propuesta."), campo="recibida_en")
        if recibida_en > ahora:
            raise ErrorDominio(_("La fecha de recepción no puede ser futura."), campo="recibida_en")
        if not conv.en_plazo(recibida_en):
            raise ErrorDominio(
                _("La propuesta se recibió fuera del plazo (del %(a)s al %(c)s).")
                % {"a": _fecha_hora(conv.fecha_apertura), "c": _fecha_hora(conv.fecha_cierre)},
                campo="recibida_en",
            )
    # Checked again at submission: the body may have been deactivated since the draft was started.
    _verificar_elegible(conv, practica.sujeto)
    pendientes = _faltan(practica, _evidencias_por_criterio(practica), practica.tiene_soportes)
    if pendientes:
        raise ErrorDominio(_("Falta completar: %(l)s.") % {"l": "; ".join(pendientes)})
    practica.transicionar(Practica.Estado.ENVIADA, guardar=False, enviada_en=recibida_en, enviada_por=usuario,
                          capturada_en=capturada_en)
    # The fields as the person wrote them; the references and the folio's uniqueness and checks are
    # the database's (a foreign key, two unique and two check constraints on the row).
    practica.full_clean(exclude=_NO_VALIDAR_AL_ENVIAR, validate_unique=False, validate_constraints=False)
    documentos.encolar(Acuse.objects.create(practica=practica))  # sent after the commit
    _asignar_folio(practica)
    practica.save(update_fields=CAMPOS_DEL_ENVIO)
    return practica


@transaction.atomic
def practica_retirar(*, practica: Practica, usuario: Usuario, ahora: datetime | None = None) -> Practica:
    ahora = ahora or timezone.now()
    practica = Practica.objects.select_for_update(of=("self",)).select_related("convocatoria").get(pk=practica.pk)
    solo_enviada = _("Solo una práctica enviada puede retirarse.")
    practica.verificar_transicion(Practica.Estado.RETIRADA, mensaje=solo_enviada)
    if practica.convocatoria.plazo_vencido(ahora):
        raise ErrorDominio(
            _("El plazo cerró el %(f)s; después del cierre la práctica ya no puede retirarse.")
            % {"f": _fecha_hora(practica.convocatoria.fecha_cierre)}
        )
    return practica.transicionar(Practica.Estado.RETIRADA, mensaje=solo_enviada, retirada_en=ahora)


# --- acuse -----------------------------------------------------------------------------------
# A generated file (core.documentos): "acuse" is registered in PracticasConfig.ready().


def contexto_acuse(acuse: Acuse) -> dict:
    practica = (Practica.objects.select_related("convocatoria__autoridad", "sujeto", "creada_por", "enviada_por")
                .get(pk=acuse.practica_id))
    acuse.practica = practica  # loaded once: the notice after the commit reads it too
    soportes = list(practica.soportes.select_related("criterio").order_by("criterio__numero", "pk"))
    return {
        "practica": practica,
        "convocatoria": practica.convocatoria,
        "autoridad": practica.convocatoria.autoridad,
        "soportes": soportes,
    }


def avisar_recepcion(acuse: Acuse) -> None:
    """E-mail the body that its practice was received, once, when its acuse is ready."""
    practica = acuse.practica
    destinatarios = destinatarios_de(practica)
    enlace = sitio.url_absoluta(practica.get_absolute_url())
    try:
        correo_enviar(plantilla="practicas/correos/acuse_recibo", para=destinatarios,
                      contexto={"practica": practica, "url": enlace}, autoridad=practica.convocatoria.autoridad)
    except Exception:  # the acuse is stored; a mail outage must not undo it, but it must be logged
        logger.exception("No se pudo enviar el aviso de recepción de %s", practica.folio)


def acuse_reintentar(*, acuse: Acuse) -> Acuse:
    if not documentos.documento_reintentar(documento=acuse):
        raise ErrorDominio(_("El acuse ya está listo."))
    return Acuse.objects.get(pk=acuse.pk)
