"""Every write that means something for a carta compromiso. Keyword-only, one transaction each, and
a Spanish ErrorDominio the view shows as is when a rule says no."""

from datetime import date, datetime

import filetype
from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext as _

from core.errors import ErrorDominio
from core.models import AutoridadGarante, Usuario
from core.pdf import sha256_bytes
from evaluacion.catalogo import reconocimientos_publicos
from evaluacion.models import Reconocimiento
from practicas.models import Practica, SujetoObligado

from . import avisos
from .models import CartaCompromiso, PracticaComprometida

Estado = CartaCompromiso.Estado
EstadoPractica = PracticaComprometida.Estado
CAMPOS_CARTA = ("firmante_nombre", "firmante_cargo", "fecha")
CAMPOS_PRACTICA = ("titulo", "necesidad", "area_responsable", "fecha_meta")
FORMATOS_FIRMADA = {"application/pdf": "PDF", "image/jpeg": "JPG", "image/png": "PNG"}


def autoridad_del_sujeto(sujeto: SujetoObligado) -> AutoridadGarante:
    """A letter is addressed to the guarantor of the body's entity."""
    autoridad = AutoridadGarante.objects.filter(entidad_clave=sujeto.entidad_clave).order_by("pk").first()
    if autoridad is None:
        raise ErrorDominio(_("Ninguna autoridad garante del portal atiende a la entidad de %(s)s.") % {"s": sujeto})
    return autoridad


def _bloquear(carta: CartaCompromiso) -> CartaCompromiso:
    return CartaCompromiso.objects.select_for_update(of=("self",)).select_related("sujeto", "autoridad").get(pk=carta.pk)


def _verificar_editable(carta: CartaCompromiso) -> None:
    if not carta.editable:
        raise ErrorDominio(_("La carta compromiso ya fue %(e)s: no se puede modificar.")
                           % {"e": carta.get_estado_display().lower()})


def _guardar_practicas(carta: CartaCompromiso, practicas: list[dict]) -> None:
    """Replace the committed practices with the rows given (each a dict of CAMPOS_PRACTICA, with
    "pk" for a row kept); a row left out is removed."""
    existentes = {p.pk: p for p in carta.practicas.all()}
    conservar = set()
    for datos in practicas:
        fila = existentes.get(datos.get("pk")) or PracticaComprometida(carta=carta)
        for campo in CAMPOS_PRACTICA:
            setattr(fila, campo, datos[campo])
        fila.full_clean()
        fila.save()
        conservar.add(fila.pk)
    carta.practicas.exclude(pk__in=conservar).delete()


@transaction.atomic
def carta_crear(*, sujeto: SujetoObligado, usuario: Usuario, firmante_nombre: str, firmante_cargo: str,
                fecha: date, practicas: list[dict]) -> CartaCompromiso:
    """A draft letter of `sujeto` to its authority, with the practices it commits to."""
    if not practicas:
        raise ErrorDominio(_("Una carta compromiso compromete al menos una práctica."))
    carta = CartaCompromiso(sujeto=sujeto, autoridad=autoridad_del_sujeto(sujeto), creada_por=usuario,
                            firmante_nombre=firmante_nombre, firmante_cargo=firmante_cargo, fecha=fecha)
    carta.full_clean()
    carta.save()
    _guardar_practicas(carta, practicas)
    return carta


@transaction.atomic
def carta_actualizar(*, carta: CartaCompromiso, usuario: Usuario, datos: dict, practicas: list[dict]) -> CartaCompromiso:
    carta = _bloquear(carta)
    _verificar_editable(carta)
    if not practicas:
        raise ErrorDominio(_("Una carta compromiso compromete al menos una práctica."))
    for campo in CAMPOS_CARTA:
        if campo in datos:
            setattr(carta, campo, datos[campo])
    carta.full_clean()
    carta.save()
    _guardar_practicas(carta, practicas)
    return carta


@transaction.atomic
def carta_adjuntar_firmada(*, carta: CartaCompromiso, usuario: Usuario, archivo) -> CartaCompromiso:
    """Store the signed letter (a PDF or a scan), checked by its content, not its name."""
    carta = _bloquear(carta)
    _verificar_editable(carta)
    nombre = (getattr(archivo, "name", "") or "carta").rsplit("/", 1)[-1][:200]
    if archivo.size > settings.SOPORTE_MAX_BYTES:
        raise ErrorDominio(_("«%(n)s» pesa %(t)s; el máximo es %(m)s.") % {
            "n": nombre, "t": filesizeformat(archivo.size), "m": filesizeformat(settings.SOPORTE_MAX_BYTES)})
    archivo.seek(0)
    data = archivo.read()
    tipo = filetype.guess(data)
    if tipo is None or tipo.mime not in FORMATOS_FIRMADA:
        raise ErrorDominio(_("«%(n)s» no es un PDF ni una imagen JPG o PNG: suba la carta firmada escaneada.")
                           % {"n": nombre})
    anterior = carta.carta_firmada.name if carta.carta_firmada else ""
    carta.carta_firmada.save(f"carta.{tipo.extension}", ContentFile(data), save=False)
    carta.carta_firmada_sha256 = sha256_bytes(data)
    carta.save(update_fields=["carta_firmada", "carta_firmada_sha256", "actualizada_en"])
    if anterior:
        transaction.on_commit(lambda: carta.carta_firmada.storage.delete(anterior))
    return carta


@transaction.atomic
def carta_presentar(*, carta: CartaCompromiso, usuario: Usuario, ahora: datetime | None = None) -> CartaCompromiso:
    carta = _bloquear(carta)
    carta.verificar_transicion(Estado.PRESENTADA)
    if not carta.practicas.exists():
        raise ErrorDominio(_("Agregue al menos una práctica comprometida antes de presentar la carta."))
    if not carta.carta_firmada:
        raise ErrorDominio(_("Adjunte la carta firmada antes de presentarla."), campo="carta_firmada")
    carta.transicionar(Estado.PRESENTADA, presentada_en=ahora or timezone.now(), motivo_devolucion="")
    return carta


@transaction.atomic
def carta_aceptar(*, carta: CartaCompromiso, usuario: Usuario, ahora: datetime | None = None) -> CartaCompromiso:
    carta = _bloquear(carta)
    carta.transicionar(Estado.ACEPTADA, revisada_en=ahora or timezone.now(), revisada_por=usuario)
    avisos.revision_encolar(carta)  # the e-mail to the enlaces leaves with the commit (outbox)
    return carta


@transaction.atomic
def carta_devolver(*, carta: CartaCompromiso, usuario: Usuario, motivo: str,
                   ahora: datetime | None = None) -> CartaCompromiso:
    carta = _bloquear(carta)
    carta.verificar_transicion(Estado.DEVUELTA)
    if not motivo.strip():
        raise ErrorDominio(_("Diga por qué se devuelve la carta: el sujeto obligado lo leerá para corregirla."),
                           campo="motivo")
    carta.transicionar(Estado.DEVUELTA, revisada_en=ahora or timezone.now(), revisada_por=usuario,
                       motivo_devolucion=motivo.strip())
    avisos.revision_encolar(carta)  # with the reasons, after the commit (outbox)
    return carta


# --- follow-up ---------------------------------------------------------------------------------

def practicas_postulables(compromiso: PracticaComprometida):
    """The body's practices submitted to a call of the letter's authority: what a commitment may be
    linked to."""
    return Practica.objects.filter(
        sujeto_id=compromiso.carta.sujeto_id, convocatoria__autoridad_id=compromiso.carta.autoridad_id,
        estado=Practica.Estado.ENVIADA,
    ).select_related("convocatoria").order_by("-enviada_en")


@transaction.atomic
def compromiso_actualizar(*, compromiso: PracticaComprometida, usuario: Usuario, estado: str,
                          url_publicacion: str = "", practica: Practica | None = None) -> PracticaComprometida:
    """Record a committed practice's progress: en elaboración, publicada (with its URL) or postulada
    (linked to a practice the body submitted to a call)."""
    compromiso = PracticaComprometida.objects.select_for_update(of=("self",)).select_related(
        "carta").get(pk=compromiso.pk)
    if compromiso.carta.estado != Estado.ACEPTADA:
        raise ErrorDominio(_("El avance se registra cuando la autoridad acepta la carta compromiso."))
    if estado not in PracticaComprometida.ESTADOS_MANUALES:
        raise ErrorDominio(_("Ese estado lo registra el portal, no una persona."))
    campos = {}
    if estado == EstadoPractica.PUBLICADA:
        if not url_publicacion:
            raise ErrorDominio(_("Escriba la dirección (URL) donde se publica la práctica."), campo="url_publicacion")
        campos["url_publicacion"] = url_publicacion
    if estado == EstadoPractica.POSTULADA:
        if practica is None or not practicas_postulables(compromiso).filter(pk=practica.pk).exists():
            raise ErrorDominio(_("Elija una práctica que el sujeto obligado haya enviado a una convocatoria de la "
                                 "autoridad."), campo="practica")
        campos["practica"] = practica
        if url_publicacion:
            campos["url_publicacion"] = url_publicacion
        elif not compromiso.url_publicacion and practica.url_publicacion:
            campos["url_publicacion"] = practica.url_publicacion
    if estado == compromiso.estado:  # the same step again: a correction of its URL or its practice
        for nombre, valor in campos.items():
            setattr(compromiso, nombre, valor)
        compromiso.full_clean()
        compromiso.save()
    else:
        compromiso.transicionar(estado, **campos)
    # A practice linked after its recognition was published is fulfilled at once.
    if estado == EstadoPractica.POSTULADA:
        compromisos_reconocer(practica_ids=[practica.pk])
        compromiso.refresh_from_db()
    return compromiso


def compromisos_reconocer(*, practica_ids=None, ahora: datetime | None = None) -> int:
    """Fulfil every «postulada» commitment whose linked practice now holds a published, standing
    recognition (from the publication of results, or when the link is made afterwards). Safe to run
    twice: a fulfilled commitment is left alone. The recognition is read through evaluacion's public
    view, so nothing moves while the results are under embargo."""
    ahora = ahora or timezone.now()
    pendientes = PracticaComprometida.objects.filter(estado=EstadoPractica.POSTULADA)
    if practica_ids is not None:
        pendientes = pendientes.filter(practica_id__in=practica_ids)
    reconocibles = (reconocimientos_publicos(ahora).exclude(estado=Reconocimiento.Estado.REVOCADO)
                    .filter(dictamen__practica_id__in=pendientes.values("practica_id"))
                    .values_list("dictamen__practica_id", flat=True))
    hechos = 0
    with transaction.atomic():
        for compromiso in pendientes.filter(practica_id__in=list(reconocibles)).select_for_update(of=("self",)):
            compromiso.transicionar(EstadoPractica.RECONOCIDA, reconocida_en=ahora)
            hechos += 1
    return hechos


@transaction.atomic
def compromisos_vencer(*, hoy: date | None = None) -> int:
    """Daily: record as «vencida» what passed its target date undelivered (pages already say so)."""
    hoy = hoy or timezone.localdate()
    vencidos = 0
    for compromiso in PracticaComprometida.objects.filter(
            estado__in=PracticaComprometida.ABIERTOS, fecha_meta__lt=hoy,
            carta__estado=Estado.ACEPTADA).select_for_update(of=("self",)):
        compromiso.transicionar(EstadoPractica.VENCIDA)
        vencidos += 1
    return vencidos
