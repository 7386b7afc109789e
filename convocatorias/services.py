"""Every write that means something for a call. Keyword-only, one transaction each.

The call's life is the table Convocatoria.TRANSICIONES; every step goes through
``_transicionar`` (core.estados) so an illegal one fails with a Spanish message and nothing is
written."""

from collections.abc import Callable
from datetime import datetime
from decimal import Decimal
from pathlib import PurePath

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Max, ProtectedError
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.text import get_valid_filename
from django.utils.translation import gettext as _

from core import colas, sitio
from core.correo import correo_enviar
from core.errors import ErrorDominio
from core.escritura import con_autor, validar
from core.models import PersonalGarante, Usuario
from core.templatetags.reconoce import fecha_hora_segundos

from .models import (
    CRITERIOS_LINEAMIENTOS,
    Convocatoria,
    Criterio,
    DocumentoConvocatoria,
    MiembroJurado,
    bloqueos_de_cuenta,
)
from .selectors import CONTEOS_DEL_PANEL

Estado = Convocatoria.Estado

# What staff may edit, by state. Texts stay editable (typos happen) until results are out; what
# identifies the call or shapes its rubric freezes at publication; the deadline can still be
# extended while the call is open, and the results date moved until they are published.
CAMPOS_TEXTO = (
    "titulo", "objetivo", "fundamento_legal", "participantes", "requisitos", "modalidades_entrega",
    "domicilio_entrega", "correos_entrega", "correo_contacto", "unidad_verificadora",
)
CAMPOS_SOLO_BORRADOR = (
    "slug", "anio", "prefijo_folio", "fecha_apertura", "vigencia_meses", "escala_min", "escala_max",
    # Who may enter is fixed once bodies may rely on it.
    "ordenes_elegibles", "tipos_elegibles",
    # How many signatures issue a ruling, and how jurors sign: known before anyone submits.
    "quorum_firmas", "firma_electronica",
)
CAMPOS_CONVOCATORIA = CAMPOS_TEXTO + CAMPOS_SOLO_BORRADOR + ("fecha_cierre", "fecha_resultados", "umbral")

# The threshold only shapes the proposal of each ruling, made when the jury closes scoring.
CAMPOS_EDITABLES = {
    Estado.BORRADOR: frozenset(CAMPOS_CONVOCATORIA),
    Estado.ABIERTA: frozenset(CAMPOS_TEXTO + ("fecha_cierre", "fecha_resultados", "umbral")),
    Estado.CERRADA: frozenset(CAMPOS_TEXTO + ("fecha_resultados", "umbral")),
    Estado.EN_EVALUACION: frozenset(CAMPOS_TEXTO + ("fecha_resultados", "umbral")),
    Estado.RESULTADOS_PUBLICADOS: frozenset(),
}

# Annexes of a call (bases, formulario): documents and open formats only.
DOCUMENTO_EXTENSIONES = frozenset({".pdf", ".doc", ".docx", ".odt", ".xls", ".xlsx", ".ods", ".csv"})


def campos_editables(convocatoria: Convocatoria, ahora: datetime | None = None) -> frozenset:
    """By the effective state: past its deadline an open call edits as a closed one (its deadline can
    no longer be extended, which would reopen it)."""
    return CAMPOS_EDITABLES[convocatoria.estado_efectivo(ahora)]


# --- helpers ---------------------------------------------------------------------------------

def _bloquear(convocatoria: Convocatoria) -> Convocatoria:
    """Fresh copy of the row, locked until the transaction ends."""
    return Convocatoria.objects.select_for_update().get(pk=convocatoria.pk)


_validar, _autor = validar, con_autor


def _etiqueta(campo: str) -> str:
    return str(Convocatoria._meta.get_field(campo).verbose_name)


def _transicionar(conv: Convocatoria, destino, usuario: Usuario | None, **campos) -> Convocatoria:
    """One step of the state table on a locked row; refuses anything the table does not list.
    ``campos`` (the phase's timestamp) are written in the same save as the state, so the row
    never holds one without the other (see the CheckConstraints on Convocatoria)."""
    _autor(conv, usuario)
    return conv.transicionar(Estado(destino), **campos)


@transaction.atomic
def convocatoria_transicionar(*, convocatoria: Convocatoria, destino: str, usuario: Usuario | None = None,
                              **campos) -> Convocatoria:
    """Generic step for callers with no extra rule (e.g. cerrada → en evaluación, stamping
    ``admisibilidad_liberada_en``)."""
    desconocidos = set(campos) - {"admisibilidad_liberada_en", "resultados_notificados_en"}
    if desconocidos:
        raise ValueError(f"Campos no reconocidos: {sorted(desconocidos)}")
    return _transicionar(_bloquear(convocatoria), destino, usuario, **campos)


# Later apps say why the results date may no longer move (evaluacion: signed rulings carry it).
# Each takes the locked call and returns a Spanish reason, or None; filled in AppConfig.ready().
_BLOQUEOS_FECHA_RESULTADOS: list[Callable[[Convocatoria], str | None]] = []


def registrar_bloqueo_fecha_resultados(bloqueo: Callable[[Convocatoria], str | None]) -> None:
    if bloqueo not in _BLOQUEOS_FECHA_RESULTADOS:
        _BLOQUEOS_FECHA_RESULTADOS.append(bloqueo)


def bloqueos_fecha_resultados() -> tuple[Callable[[Convocatoria], str | None], ...]:
    return tuple(_BLOQUEOS_FECHA_RESULTADOS)


# --- create and edit -------------------------------------------------------------------------

@transaction.atomic
def convocatoria_crear(*, autoridad, usuario: Usuario, datos: dict) -> Convocatoria:
    """A new call in borrador with the six criteria of the Lineamientos, weight 1 each."""
    desconocidos = set(datos) - set(CAMPOS_CONVOCATORIA)
    if desconocidos:
        raise ValueError(f"Campos no reconocidos: {sorted(desconocidos)}")
    conv = Convocatoria(autoridad=autoridad, estado=Estado.BORRADOR, **datos)
    _validar(conv)
    _autor(conv, usuario)
    try:
        conv.save()
    except IntegrityError as exc:  # a concurrent call took the slug or the folio prefix
        raise ErrorDominio(_("Ya existe una convocatoria con ese identificador o prefijo de folio y año.")) from exc
    for numero, nombre in enumerate(CRITERIOS_LINEAMIENTOS, start=1):
        criterio = Criterio(convocatoria=conv, numero=numero, nombre=nombre, peso=Decimal("1.00"))
        _autor(criterio, usuario)
        criterio.save()
    return conv


@transaction.atomic
def convocatoria_actualizar(*, convocatoria: Convocatoria, usuario: Usuario, datos: dict,
                            criterios: list[dict] | None = None, ahora: datetime | None = None) -> Convocatoria:
    """Change the call's texts and dates within what its state allows (see CAMPOS_EDITABLES).

    ``criterios`` (optional) are rows for ``criterios_guardar``, accepted only while borrador."""
    ahora = ahora or timezone.now()
    conv = _bloquear(convocatoria)
    desconocidos = set(datos) - set(CAMPOS_CONVOCATORIA)
    if desconocidos:
        raise ValueError(f"Campos no reconocidos: {sorted(desconocidos)}")
    editables = campos_editables(conv, ahora)
    cambios = {campo: valor for campo, valor in datos.items() if getattr(conv, campo) != valor}
    bloqueados = [campo for campo in cambios if campo not in editables]
    if bloqueados:
        if not editables:
            raise ErrorDominio(_("La convocatoria ya publicó sus resultados y no puede modificarse."))
        raise ErrorDominio(
            _("Con la convocatoria en estado «%(estado)s» ya no puede cambiarse: %(campos)s.")
            % {"estado": conv.estado_efectivo(ahora).label, "campos": ", ".join(_etiqueta(c) for c in bloqueados)},
            campo=bloqueados[0],
        )
    if conv.estado != Estado.BORRADOR:
        # Once public, a date that moves must stay ahead: nobody can be sent back in time.
        for campo in ("fecha_cierre", "fecha_resultados"):
            if campo in cambios and cambios[campo] <= ahora:
                raise ErrorDominio(
                    _("La nueva fecha de «%(campo)s» no puede quedar en el pasado.") % {"campo": _etiqueta(campo)},
                    campo=campo,
                )
    if "fecha_resultados" in cambios and conv.calificacion_cerrada:
        for bloqueo in bloqueos_fecha_resultados():
            motivo = bloqueo(conv)
            if motivo:
                raise ErrorDominio(motivo, campo="fecha_resultados")
    for campo, valor in cambios.items():
        setattr(conv, campo, valor)
    _validar(conv)
    _autor(conv, usuario)
    if cambios:
        conv.save()
    if criterios is not None:
        _criterios_guardar(conv, usuario, criterios)
    return conv


# --- criteria --------------------------------------------------------------------------------

def _entero(valor, defecto=None):
    if valor in (None, ""):
        return defecto
    return int(valor)


@transaction.atomic
def criterios_guardar(*, convocatoria: Convocatoria, usuario: Usuario, filas: list[dict]) -> list[Criterio]:
    """Save the rubric as given: rows (id, numero, nombre, descripcion, peso, eliminar) are the full
    set, so existing criteria left out or marked ``eliminar`` are deleted. Borrador only."""
    return _criterios_guardar(_bloquear(convocatoria), usuario, filas)


def _criterios_guardar(conv: Convocatoria, usuario: Usuario, filas: list[dict]) -> list[Criterio]:
    if conv.criterios_congelados:
        raise ErrorDominio(_("Los criterios no pueden cambiar una vez abierta la convocatoria."))
    vivas = [f for f in filas if not f.get("eliminar")]
    if not vivas:
        raise ErrorDominio(_("La convocatoria necesita al menos un criterio."))
    numeros = [_entero(f.get("numero")) for f in vivas]
    repetidos = sorted({n for n in numeros if numeros.count(n) > 1 and n is not None})
    if repetidos:
        raise ErrorDominio(
            _("Cada criterio necesita un número distinto; se repite: %(n)s.") % {"n": ", ".join(map(str, repetidos))},
            campo="numero",
        )
    existentes = {c.pk: c for c in conv.criterios.all()}
    numeros_previos = {pk: c.numero for pk, c in existentes.items()}
    ids = [_entero(f.get("id")) for f in vivas]
    ajenos = [i for i in ids if i is not None and i not in existentes]
    if ajenos:
        raise ErrorDominio(_("Uno de los criterios no pertenece a esta convocatoria."))

    # Validate every row before touching the database.
    criterios = []
    for fila, pk in zip(vivas, ids, strict=True):
        criterio = existentes.get(pk) or Criterio(convocatoria=conv)
        criterio.numero = _entero(fila.get("numero"))
        criterio.nombre = (fila.get("nombre") or "").strip()
        criterio.descripcion = (fila.get("descripcion") or "").strip()
        peso = fila.get("peso")
        criterio.peso = Decimal(str(peso)) if peso not in (None, "") else Decimal("1.00")
        try:
            _validar(criterio, validate_unique=False, validate_constraints=False)
        except ErrorDominio as exc:
            raise ErrorDominio(
                _("Criterio %(n)s: %(m)s") % {"n": criterio.numero or "?", "m": exc.mensaje}, campo=exc.campo
            ) from exc
        criterios.append(criterio)

    conservar = {c.pk for c in criterios if c.pk}
    try:
        for pk, criterio in existentes.items():
            if pk not in conservar:
                _autor(criterio, usuario)
                criterio.delete()
    except ProtectedError as exc:
        raise ErrorDominio(_("Un criterio ya tiene evidencias o calificaciones y no puede eliminarse.")) from exc

    # Renumbering may swap numbers between rows: park the moved ones on free numbers first so
    # the (convocatoria, numero) unique constraint never sees two rows with the same number.
    movidos = [c for c in criterios if c.pk and numeros_previos[c.pk] != c.numero]
    if movidos:
        base = max([*(c.numero for c in criterios), *numeros_previos.values()]) + 1
        for i, criterio in enumerate(movidos):
            Criterio.objects.filter(pk=criterio.pk).update(numero=base + i)
    for criterio in criterios:
        _autor(criterio, usuario)
        criterio.save()
    return sorted(criterios, key=lambda c: c.numero)


# --- jury ------------------------------------------------------------------------------------

class ErrorIntegrante(ErrorDominio):
    """A refusal about one row of the jury: ``indice`` is its position in the rows given."""

    def __init__(self, mensaje, campo=None, *, indice=None):
        super().__init__(mensaje, campo=campo)
        self.indice = indice


@transaction.atomic
def jurado_guardar(*, convocatoria: Convocatoria, usuario: Usuario, filas: list[dict]) -> list[MiembroJurado]:
    """Save the jury as given: rows (id, cargo, nombre, usuario, orden, eliminar) are the full set.

    A seat may exist before its person has an account (``usuario`` None). The jury can change
    until the results are published, but a seat's account is fixed once the seat has acted (scores,
    drafts, recusals, signatures): replacing that person is evaluacion's recorded act
    (``jurado_sustituir``). A refusal about one row is an ErrorIntegrante naming it."""
    conv = _bloquear(convocatoria)
    if conv.estado == Estado.RESULTADOS_PUBLICADOS:
        raise ErrorDominio(_("El jurado ya no puede cambiar: los resultados se publicaron."))
    vivas = [(indice, f) for indice, f in enumerate(filas) if not f.get("eliminar")]
    cuentas = [f["usuario"].pk for _i, f in vivas if f.get("usuario") is not None]
    if len(cuentas) != len(set(cuentas)):
        raise ErrorDominio(_("Una misma cuenta no puede ocupar dos lugares del jurado."), campo="usuario")
    existentes = {m.pk: m for m in conv.jurado.all()}
    cuentas_previas = {pk: m.usuario_id for pk, m in existentes.items()}
    # A seat that has acted keeps its account (MiembroJurado.clean says so too, for the admin).
    fijas = bloqueos_de_cuenta(list(existentes.values()))
    miembros = []
    for i, (indice, fila) in enumerate(vivas, start=1):
        pk = _entero(fila.get("id"))
        if pk is not None and pk not in existentes:
            raise ErrorDominio(_("Uno de los integrantes no pertenece a esta convocatoria."))
        miembro = existentes.get(pk) or MiembroJurado(convocatoria=conv)
        cuenta = fila.get("usuario")
        if pk in fijas and cuentas_previas[pk] != (cuenta.pk if cuenta is not None else None):
            raise ErrorIntegrante(_("Integrante %(n)s (%(c)s): %(m)s") % {"n": i, "c": miembro.cargo, "m": fijas[pk]},
                                  campo="usuario", indice=indice)
        miembro.cargo = (fila.get("cargo") or "").strip()
        miembro.nombre = (fila.get("nombre") or "").strip()
        miembro.usuario = cuenta
        miembro.orden = _entero(fila.get("orden"), defecto=i)
        try:
            _validar(miembro, validate_unique=False, validate_constraints=False)
        except ErrorDominio as exc:
            raise ErrorIntegrante(_("Integrante %(n)s: %(m)s") % {"n": i, "m": exc.mensaje}, campo=exc.campo,
                                  indice=indice) from exc
        miembros.append(miembro)

    conservar = {m.pk for m in miembros if m.pk}
    try:
        for pk, miembro in existentes.items():
            if pk not in conservar:
                _autor(miembro, usuario)
                miembro.delete()
        # Free accounts first so a person can move between seats in one save.
        for miembro in miembros:
            if miembro.pk and cuentas_previas[miembro.pk] != miembro.usuario_id:
                MiembroJurado.objects.filter(pk=miembro.pk).update(usuario=None)
        for miembro in miembros:
            _autor(miembro, usuario)
            miembro.save()
    except ProtectedError as exc:
        raise ErrorDominio(_("Un integrante ya tiene calificaciones registradas y no puede quitarse.")) from exc
    return miembros


# --- documents -------------------------------------------------------------------------------

@transaction.atomic
def documento_agregar(*, convocatoria: Convocatoria, usuario: Usuario, titulo: str, archivo,
                      orden: int | None = None) -> DocumentoConvocatoria:
    """Attach an annex (bases, formulario). Public once the call is; stored privately."""
    conv = _bloquear(convocatoria)
    nombre = get_valid_filename(PurePath(getattr(archivo, "name", "") or "documento").name)[:150]
    extension = PurePath(nombre).suffix.lower()
    if extension not in DOCUMENTO_EXTENSIONES:
        raise ErrorDominio(
            _("«%(n)s» no es un formato aceptado. Use: %(f)s.")
            % {"n": nombre, "f": ", ".join(sorted(e.lstrip(".").upper() for e in DOCUMENTO_EXTENSIONES))},
            campo="archivo",
        )
    if archivo.size > settings.SOPORTE_MAX_BYTES:
        raise ErrorDominio(
            _("«%(n)s» pesa %(t)s; el máximo es %(m)s.")
            % {"n": nombre, "t": filesizeformat(archivo.size), "m": filesizeformat(settings.SOPORTE_MAX_BYTES)},
            campo="archivo",
        )
    if orden is None:
        orden = (conv.documentos.aggregate(m=Max("orden"))["m"] or 0) + 1
    documento = DocumentoConvocatoria(convocatoria=conv, titulo=(titulo or "").strip(), orden=orden)
    _validar(documento, exclude=["archivo"])
    documento.archivo.save(nombre, archivo, save=False)
    try:
        documento.save()
    except Exception:
        documento.archivo.delete(save=False)
        raise
    return documento


@transaction.atomic
def documento_eliminar(*, documento: DocumentoConvocatoria, usuario: Usuario) -> None:
    _bloquear(documento.convocatoria)
    archivo = documento.archivo
    nombre, storage = archivo.name, archivo.storage
    documento.delete()
    if nombre:
        # The row is gone only if the transaction commits; the file follows it then.
        transaction.on_commit(lambda: storage.delete(nombre))


# --- publication and closing -----------------------------------------------------------------

@transaction.atomic
def convocatoria_publicar(*, convocatoria: Convocatoria, usuario: Usuario,
                          ahora: datetime | None = None) -> Convocatoria:
    """borrador → abierta: the call becomes public and its criteria freeze."""
    ahora = ahora or timezone.now()
    conv = _bloquear(convocatoria)
    conv.verificar_transicion(Estado.ABIERTA)
    if not conv.criterios.exists():
        raise ErrorDominio(_("La convocatoria necesita al menos un criterio antes de publicarse."))
    _validar(conv)
    if conv.plazo_vencido(ahora):
        raise ErrorDominio(
            _("El cierre (%(f)s) ya pasó; ajuste las fechas antes de publicar.") % {"f": fecha_hora_segundos(conv.fecha_cierre)},
            campo="fecha_cierre",
        )
    return _transicionar(conv, Estado.ABIERTA, usuario, publicada_en=ahora)


@transaction.atomic
def convocatoria_cerrar(*, convocatoria: Convocatoria, ahora: datetime | None = None,
                        usuario: Usuario | None = None) -> bool:
    """Record abierta → cerrada once the closing second has passed, and queue the notice to the
    authority's staff. The call is closed by the clock already (Convocatoria.estado_efectivo): this
    only records it, whoever gets there first — the periodic task, staff's «Cerrar convocatoria» or
    the first admissibility write. Idempotent: a call already closed (or further on) is left as it
    is, with no second notice. Returns whether this call recorded the closing."""
    ahora = ahora or timezone.now()
    conv = _bloquear(convocatoria)
    if conv.estado not in (Estado.BORRADOR, Estado.ABIERTA):  # recorded already
        return False
    if conv.puede_pasar_a(Estado.CERRADA) and not conv.plazo_vencido(ahora):
        raise ErrorDominio(
            _("La convocatoria recibe propuestas hasta el %(f)s; no puede cerrarse antes.")
            % {"f": fecha_hora_segundos(conv.fecha_cierre)}
        )
    _transicionar(conv, Estado.CERRADA, usuario)
    # By name: tasks import this module (core.colas). The outbox row commits with the closing.
    colas.encolar("convocatorias.tasks.convocatoria_avisar_cierre_task", conv.pk)
    return True


def convocatoria_avisar_cierre(*, convocatoria_id: int) -> bool:
    """E-mail the authority's staff that the call closed and admissibility can begin, once: the
    stamp is written with the send, under the row's lock, so a second run does nothing."""
    with transaction.atomic():
        conv = Convocatoria.objects.select_for_update(of=("self",)).select_related("autoridad").filter(
            pk=convocatoria_id).first()
        if conv is None or conv.cierre_avisado_en is not None or conv.estado == Estado.ABIERTA:
            return False
        # Bookkeeping, not a change of the call: no history row.
        Convocatoria.objects.filter(pk=conv.pk).update(cierre_avisado_en=timezone.now())
        para = sorted(set(PersonalGarante.objects.filter(autoridad=conv.autoridad_id, usuario__is_active=True)
                          .exclude(usuario__email="").values_list("usuario__email", flat=True)))
        if not para:
            return False
        conteos = {nombre: expresion() for nombre, expresion in CONTEOS_DEL_PANEL.items()}
        recibidas = Convocatoria.objects.filter(pk=conv.pk).annotate(**conteos).values(*conteos).first() or {}
        url = sitio.url_de("panel:admisibilidad", conv.slug)
        correo_enviar(plantilla="convocatorias/correos/cierre", para=para, autoridad=conv.autoridad,
                      contexto={"convocatoria": conv, "recibidas": recibidas.get("num_recibidas"), "url": url})
        return True
