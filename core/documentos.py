"""Generated documents: the registry of document types, and the one lifecycle every generated file
follows (core.models.ArchivoGenerado: pending -> ready | failed, failed -> pending on retry).

Each app registers its types in its AppConfig.ready() (``tipo_registrar``): the template, the
context, when a verifiable document is public and who may download it. core renders, verifies and
serves through the registry and never imports an app. Rendering a ready row does nothing (a PDF is
a cache); a ready row whose file went missing is rebuilt in place by the sweep."""

import base64
import logging
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Protocol

import segno
from django.apps import apps
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_update_with_history

from . import colas, sellos, sitio
from .errors import ErrorDominio
from .estados import TransicionInvalida
from .models import ArchivoGenerado, DocumentoVerificable
from .pdf import render_pdf, sha256_bytes

logger = logging.getLogger(__name__)

Estado = ArchivoGenerado.EstadoPDF
# The one task that renders a generated file (core.tasks); queued by name, see core.colas.
TAREA_GENERAR = "core.tasks.documento_generar_task"
# A row pending this long was lost on its way to a worker (e.g. the process died between the
# commit and the broker): the sweep queues it again, for a week at most.
REENCOLAR_TRAS = timedelta(minutes=10)
REENCOLAR_HASTA = timedelta(days=7)


# --- the registry ----------------------------------------------------------------------------


class TipoDocumentoDesconocido(LookupError):
    """A row names a document type no app registered: a configuration error, never a 404."""


# A generated file asked to move where its state table does not go: the one transition error.
ErrorTransicion = TransicionInvalida


@dataclass(frozen=True)
class TipoDocumento:
    """What core needs to know about one kind of generated document.

    ``contexto(fila)`` gives the template's context (core adds ``generado_en`` and, for a
    DocumentoVerificable, ``documento``, ``url_verificacion`` and ``qr``). ``publico(documento,
    ahora)`` says whether a verifiable document may be shown now (an embargo); ``descargable(user,
    documento, ahora)`` whether this person may download its PDF (default: whenever it is public).
    ``encolar(ids)`` queues pending rows some other way than one task each (constancias: by batch);
    ``al_quedar_lista(fila)`` runs after the commit that made a row ready (e.g. an e-mail);
    ``sellado(fila)`` names the authority whose institutional seal goes on the rendered PDF
    (core.sellos; nothing is sealed when it has none configured). ``con_codigo`` says the model
    carries a verification code of its own and answers ``Verificable`` (the acuse): the verification
    page finds its rows by code and by hash, and its PDF prints its code and QR; ``url_descarga(fila)``
    is where it is downloaded again, for whoever ``descargable`` lets."""

    clave: str
    modelo: type[ArchivoGenerado]
    plantilla: str
    contexto: Callable[[ArchivoGenerado], dict]
    publico: Callable[[DocumentoVerificable, datetime], bool] | None = None
    descargable: Callable[[object, DocumentoVerificable, datetime], bool] | None = None
    encolar: Callable[[list[int]], None] | None = None
    al_quedar_lista: Callable[[ArchivoGenerado], None] | None = None
    sellado: Callable[[ArchivoGenerado], object] | None = None
    con_codigo: bool = False
    url_descarga: Callable[[ArchivoGenerado], str] | None = None
    relacionados: tuple[str, ...] = ()  # what the verification page reads through its rows' relations

    def autoridad_del_sello(self, fila: ArchivoGenerado):
        return self.sellado(fila) if self.sellado else None

    def es_publico(self, documento: DocumentoVerificable, ahora: datetime) -> bool:
        if documento.visible_desde > ahora:
            return False
        return self.publico(documento, ahora) if self.publico else True

    def puede_descargar(self, user, documento: DocumentoVerificable, ahora: datetime) -> bool:
        if self.descargable:
            return self.descargable(user, documento, ahora)
        return self.es_publico(documento, ahora)


_TIPOS: dict[str, TipoDocumento] = {}


def tipo_registrar(tipo: TipoDocumento) -> TipoDocumento:
    """Called from an AppConfig.ready(); registering the same key again replaces it."""
    if not issubclass(tipo.modelo, ArchivoGenerado):
        raise TypeError(f"{tipo.modelo.__name__} no es un ArchivoGenerado")
    _TIPOS[tipo.clave] = tipo
    return tipo


def tipo_de(clave: str) -> TipoDocumento:
    try:
        return _TIPOS[clave]
    except KeyError:
        raise TipoDocumentoDesconocido(
            f"Tipo de documento no registrado: {clave!r}. Cada app registra los suyos en su "
            f"AppConfig.ready() con core.documentos.tipo_registrar; registrados: {sorted(_TIPOS)}."
        ) from None


def tipos_registrados() -> dict[str, TipoDocumento]:
    return dict(_TIPOS)


# --- verification --------------------------------------------------------------------------


class Verificable(Protocol):
    """What the verification page reads of a document it finds by code or by hash: a
    DocumentoVerificable, or an app's generated file with a code of its own (TipoDocumento.con_codigo)."""

    tipo: str
    codigo: str
    sha256: str
    sha256_original: str
    estado_pdf: str
    folio: str
    titulo: str
    resumen: dict
    visible_desde: datetime | None
    vigente_hasta: object
    revocado_en: datetime | None
    motivo_revocacion: str

    def get_tipo_display(self) -> str: ...

    def estado_vigencia(self, hoy=None) -> str: ...


def _con_codigo() -> list[TipoDocumento]:
    return [t for t in _TIPOS.values() if t.con_codigo]


def _publico(doc, ahora: datetime):
    if doc is None or doc.visible_desde is None or doc.visible_desde > ahora:
        return None
    return doc if tipo_de(doc.tipo).es_publico(doc, ahora) else None


def verificable_por_codigo(codigo: str, ahora: datetime):
    """The document with this code if it may be shown now; None otherwise, so an embargoed document
    and an unknown code look the same."""
    doc = DocumentoVerificable.objects.select_related("autoridad").filter(codigo=codigo).first()
    for tipo in _con_codigo() if doc is None else ():
        doc = tipo.modelo.objects.select_related(*tipo.relacionados).filter(codigo=codigo).first()
        if doc is not None:
            break
    return _publico(doc, ahora)


def verificable_por_huella(huella: str, ahora: datetime):
    """The document whose PDF has this SHA-256 (or whose earlier version had it: a revoked
    document's original) if it may be shown now; None otherwise."""
    for doc in DocumentoVerificable.objects.select_related("autoridad").filter(
            Q(sha256=huella) | Q(sha256_original=huella)):
        if _publico(doc, ahora) is not None:
            return doc
    for tipo in _con_codigo():
        for doc in tipo.modelo.objects.select_related(*tipo.relacionados).filter(sha256=huella):
            if _publico(doc, ahora) is not None:
                return doc
    return None


def url_descarga(doc, user, ahora: datetime) -> str:
    """Where this person may download the document's PDF from the verification page; "" if they may not."""
    if doc.estado_pdf != Estado.LISTA:
        return ""
    tipo = tipo_de(doc.tipo)
    if not tipo.puede_descargar(user, doc, ahora):
        return ""
    if isinstance(doc, DocumentoVerificable):
        return reverse("core:documento", args=[doc.codigo])
    return tipo.url_descarga(doc) if tipo.url_descarga else ""


def url_verificacion(documento: Verificable) -> str:
    return sitio.url_de("core:verificar", documento.codigo)


def qr_data_uri(url: str) -> str:
    """A QR code as an SVG data: URI, so WeasyPrint needs no file or network."""
    svg = segno.make(url, error="m").svg_inline(scale=4, border=2)
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode()


def _contexto(tipo: TipoDocumento, fila: ArchivoGenerado) -> dict:
    base = {"generado_en": timezone.now(), "sello": None}
    autoridad = tipo.autoridad_del_sello(fila)
    if sellos.tiene_sello(autoridad):  # the document says it is sealed, and whose clock dates the seal
        base["sello"] = {"autoridad": autoridad, "sellado_de_tiempo": sellos.con_sellado_de_tiempo()}
    if isinstance(fila, DocumentoVerificable) or tipo.con_codigo:
        url = url_verificacion(fila)
        base.update(documento=fila, url_verificacion=url, qr=qr_data_uri(url))
    return {**base, **tipo.contexto(fila)}


# --- the lifecycle -------------------------------------------------------------------------


def _modelo(modelo: type[ArchivoGenerado] | str) -> type[ArchivoGenerado]:
    return apps.get_model(modelo) if isinstance(modelo, str) else modelo


def pasar(fila: ArchivoGenerado, destino: str) -> None:
    """Move a row along the state table (core.estados; not saved here), or refuse in Spanish."""
    if not fila.puede_pasar_a(destino):  # the message names the row: built only when refused
        raise ErrorTransicion(
            _("El archivo «%(a)s» no puede pasar de «%(de)s» a «%(a_estado)s».")
            % {"a": fila, "de": Estado(fila.estado_pdf).label, "a_estado": Estado(destino).label}
        )
    campos = {"pendiente_desde": timezone.now()} if destino == Estado.PENDIENTE else {}
    fila.transicionar(destino, guardar=False, **campos)


def _archivo_existe(fila: ArchivoGenerado) -> bool:
    return bool(fila.archivo) and fila.archivo.storage.exists(fila.archivo.name)


def _sellar(fila: ArchivoGenerado, contenido: bytes) -> bytes:
    tipo = tipo_de(fila.tipo_documento)
    autoridad = tipo.autoridad_del_sello(fila)
    if autoridad is None:
        return contenido
    return sellos.sellar(contenido, autoridad, razon=_("%(d)s, emitido por %(a)s")
                         % {"d": str(fila), "a": autoridad.nombre})


def _guardar(fila: ArchivoGenerado, contenido: bytes) -> None:
    contenido = _sellar(fila, contenido)  # after WeasyPrint: the hash is the sealed file's
    if fila.archivo:  # a rebuild replaces the missing or stale file under a fresh name
        fila.archivo.delete(save=False)
    fila.archivo.save(fila.nombre_archivo(), ContentFile(contenido), save=False)
    fila.sha256 = sha256_bytes(contenido)


def encolar(fila: ArchivoGenerado, *, reconstruir: bool = False, version_nueva: bool = False) -> None:
    """Queue the one generate task for this row after the commit (version_nueva: render a ready
    verifiable document again, e.g. stamped as revoked, keeping the replaced file's hash)."""
    if version_nueva:
        colas.encolar(TAREA_GENERAR, fila.pk, fila._meta.label_lower, version_nueva=True)
    else:
        colas.encolar(TAREA_GENERAR, fila.pk, fila._meta.label_lower, reconstruir=reconstruir)


def documento_generar(*, documento_id: int, modelo: type[ArchivoGenerado] | str = DocumentoVerificable,
                      reconstruir: bool = False, version_nueva: bool = False) -> ArchivoGenerado | None:
    """Render a pending row's PDF, store it, hash it and mark it ready. Safe to run twice: a ready
    row is left alone (with reconstruir=True, rebuilt in place if its file is missing); a failed
    one waits for a retry."""
    modelo = _modelo(modelo)
    with transaction.atomic():
        fila = modelo.objects.select_for_update(of=("self",)).filter(pk=documento_id).first()
        if fila is None:
            return None
        if getattr(fila, "firmado_por_personas", False):
            # Jurors signed this very file with their e.firma: rendering it again would drop their
            # signatures, and their keys are not here to sign again.
            if not _archivo_existe(fila):
                logger.error("El archivo firmado con e.firma de %s falta y no puede rehacerse.", fila)
            return fila
        if fila.estado_pdf == Estado.LISTA and version_nueva and isinstance(fila, DocumentoVerificable):
            # A new version of a ready document (stamped as revoked): the replaced file's hash stays
            # verifiable; the state does not move. Done once: a replay finds sha256_original set.
            if fila.sha256_original:
                return fila
            tipo = tipo_de(fila.tipo_documento)
            anterior = fila.sha256
            _guardar(fila, render_pdf(tipo.plantilla, _contexto(tipo, fila)))
            fila.sha256_original = anterior
            fila.generado_en = timezone.now()
            fila.save()
            return fila
        if fila.estado_pdf == Estado.LISTA:
            if not reconstruir or _archivo_existe(fila):
                return fila
        elif not fila.puede_pasar_a(Estado.LISTA):
            return fila
        nuevo = fila.estado_pdf != Estado.LISTA
        tipo = tipo_de(fila.tipo_documento)
        _guardar(fila, render_pdf(tipo.plantilla, _contexto(tipo, fila)))
        if nuevo:
            pasar(fila, Estado.LISTA)
        fila.generado_en = timezone.now()
        fila.error = ""
        fila.intentos += 1
        fila.save()
        if nuevo and tipo.al_quedar_lista:
            transaction.on_commit(lambda: tipo.al_quedar_lista(fila))
        return fila


def documento_firmar(*, documento_id: int, firmar: Callable[[bytes], bytes]) -> DocumentoVerificable:
    """A person signs a ready verifiable document in place: ``firmar`` gets the stored bytes and
    returns them with one more signature (an incremental update). The row is locked for the write, so
    two jurors signing at once sign one after the other; from then on it is never rendered again."""
    fila = DocumentoVerificable.objects.select_for_update(of=("self",)).get(pk=documento_id)
    if fila.estado_pdf != Estado.LISTA or not _archivo_existe(fila):
        raise ErrorDominio(_("El documento para firma aún se está preparando; intente de nuevo en unos segundos."))
    with fila.archivo.open("rb") as fh:
        contenido = firmar(fh.read())
    fila.archivo.delete(save=False)
    fila.archivo.save(fila.nombre_archivo(), ContentFile(contenido), save=False)
    fila.sha256 = sha256_bytes(contenido)
    fila.firmado_por_personas = True
    fila.save()
    return fila


def documento_marcar_fallo(*, documento_id: int, error: str, definitivo: bool,
                           modelo: type[ArchivoGenerado] | str = DocumentoVerificable) -> None:
    """Record a failed render so staff see it; a final failure stays failed until retried."""
    modelo = _modelo(modelo)
    with transaction.atomic():
        fila = modelo.objects.select_for_update(of=("self",)).filter(pk=documento_id).first()
        if fila is None or fila.estado_pdf == Estado.LISTA:
            return
        fila.intentos += 1
        fila.error = error[:2000]
        if definitivo and fila.puede_pasar_a(Estado.FALLIDA):
            pasar(fila, Estado.FALLIDA)
        fila.save()
    logger.warning("%s %s falló (definitivo=%s): %s", modelo._meta.label, documento_id, definitivo, error)


@transaction.atomic
def documento_reintentar(*, documento: ArchivoGenerado) -> bool:
    """Queue a failed (or stuck pending) row again; a ready one needs nothing (returns False)."""
    fila = type(documento).objects.select_for_update(of=("self",)).get(pk=documento.pk)
    if fila.estado_pdf == Estado.LISTA:
        return False
    if fila.estado_pdf == Estado.FALLIDA:
        pasar(fila, Estado.PENDIENTE)
    else:
        fila.pendiente_desde = timezone.now()  # still pending: the sweep waits again from now
    fila.save()
    encolar(fila)
    return True


# --- the bulk path (many rows from one layout) -----------------------------------------------


def documentos_marcar_listos(*, filas: list[ArchivoGenerado], contenidos: list[bytes], motivo: str) -> None:
    """Rows rendered together become ready: per-row values first (a row may only say "ready" once it
    has its file and hash), then what every row shares in one UPDATE, then one history row each.
    Runs inside the caller's transaction, which holds the rows' locks."""
    if not filas:
        return
    modelo = type(filas[0])
    ahora = timezone.now()
    for fila, contenido in zip(filas, contenidos, strict=True):
        pasar(fila, Estado.LISTA)
        _guardar(fila, contenido)
        fila.generado_en = ahora
        fila.error = ""
        fila.intentos += 1
    modelo.objects.bulk_update(filas, ["archivo", "sha256"])
    modelo.objects.filter(pk__in=[f.pk for f in filas]).update(
        estado_pdf=Estado.LISTA, generado_en=ahora, error="", intentos=F("intentos") + 1)
    if hasattr(modelo, "history"):
        modelo.history.bulk_history_create(filas, update=True, default_change_reason=motivo)


def documentos_reintentar(*, filas: list[ArchivoGenerado], usuario, motivo: str = "reintento") -> None:
    """Failed rows back to pending, in bulk, with their history; the caller queues them."""
    if not filas:
        return
    modelo = type(filas[0])
    for fila in filas:
        pasar(fila, Estado.PENDIENTE)
    campos = ["estado_pdf", "pendiente_desde"]
    if hasattr(modelo, "history"):
        bulk_update_with_history(filas, modelo, campos, default_user=usuario, default_change_reason=motivo)
    else:
        modelo.objects.bulk_update(filas, campos)


# --- the sweep -----------------------------------------------------------------------------


def _modelos() -> list[type[ArchivoGenerado]]:
    return sorted({t.modelo for t in _TIPOS.values()}, key=lambda m: m._meta.label)


def documentos_barrer(*, ahora: datetime | None = None) -> dict:
    """Queue again every row left pending too long (its message was lost) and rebuild every ready
    row whose file is missing. Duplicates are harmless: generating is idempotent. Runs outside a
    transaction (a periodic task), so each task leaves through the outbox at once."""
    ahora = ahora or timezone.now()
    reencolados: dict[str, int] = defaultdict(int)
    reconstruidos = 0
    for modelo in _modelos():
        perdidos = modelo.objects.filter(estado_pdf=Estado.PENDIENTE, pendiente_desde__lte=ahora - REENCOLAR_TRAS,
                                         pendiente_desde__gte=ahora - REENCOLAR_HASTA).order_by("pk")
        por_tipo = defaultdict(list)
        for fila in perdidos:
            por_tipo[fila.tipo_documento].append(fila)
        for clave, filas in por_tipo.items():
            tipo = tipo_de(clave)
            if tipo.encolar:
                tipo.encolar([f.pk for f in filas])
            else:
                for fila in filas:
                    colas.encolar(TAREA_GENERAR, fila.pk, modelo._meta.label_lower)
            reencolados[clave] += len(filas)
        almacen = modelo._meta.get_field("archivo").storage
        for pk, nombre in (modelo.objects.filter(estado_pdf=Estado.LISTA).order_by("pk")
                           .values_list("pk", "archivo").iterator(chunk_size=2000)):
            if not almacen.exists(nombre):
                colas.encolar(TAREA_GENERAR, pk, modelo._meta.label_lower, reconstruir=True)
                reconstruidos += 1
    return {"reencolados": sum(reencolados.values()), "por_tipo": dict(reencolados), "reconstruidos": reconstruidos}
