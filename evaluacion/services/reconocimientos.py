"""A recognition's validity: revocation, and the daily expiry and advance warning."""

from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core import colas, sitio
from core import documentos as core_documentos
from core.correo import correo_enviar
from core.documentos import url_verificacion
from core.errors import ErrorDominio
from core.models import DocumentoVerificable, Usuario
from practicas.selectors import destinatarios_de

from ..models import Reconocimiento
from ..selectors import resultados_visibles
from .comun import _autor


@transaction.atomic
def reconocimiento_revocar(*, reconocimiento: Reconocimiento, usuario: Usuario, motivo: str,
                           ahora: datetime | None = None) -> Reconocimiento:
    ahora = ahora or timezone.now()
    rec = Reconocimiento.objects.select_for_update(of=("self",)).select_related("documento").get(pk=reconocimiento.pk)
    ya_revocado = _("El reconocimiento ya fue revocado.")
    rec.verificar_transicion(Reconocimiento.Estado.REVOCADO, mensaje=ya_revocado)
    if not motivo.strip():
        raise ErrorDominio(_("Indique el motivo de la revocación; se mostrará en la verificación."), campo="motivo")
    _autor(rec, usuario).transicionar(Reconocimiento.Estado.REVOCADO, mensaje=ya_revocado)
    # The date and the reason are stored once, on the document the verification page reads.
    doc = rec.documento
    doc.revocado_en, doc.motivo_revocacion = ahora, motivo.strip()
    _autor(doc, usuario).save(update_fields=["revocado_en", "motivo_revocacion"])
    # Served from now on with a visible «REVOCADO» stamp and the reason (the original's hash still
    # verifies, as revoked); a document still pending gets the stamp when it is first rendered.
    if doc.estado_pdf == DocumentoVerificable.EstadoPDF.LISTA:
        core_documentos.encolar(doc, version_nueva=True)
    colas.encolar("evaluacion.tasks.reconocimiento_avisar_revocacion_task", rec.pk)  # by name: tasks import us
    return rec


def reconocimiento_avisar_revocacion(*, reconocimiento_id: int) -> bool:
    """E-mail the body that its recognition was revoked, with the reason and the date, once (the
    stamp is written with the send under the row's lock; a failed send undoes it). Never before the
    call's results second: a recognition revoked under embargo is announced at publication
    (services.resultados_publicar queues it again), or the mail would reveal the ruling."""
    with transaction.atomic():
        rec = (Reconocimiento.objects.select_for_update(of=("self",))
               .select_related("documento", "dictamen__practica__convocatoria__autoridad",
                               "dictamen__practica__sujeto", "dictamen__practica__creada_por")
               .filter(pk=reconocimiento_id).first())
        if rec is None or rec.aviso_revocacion_en is not None or rec.estado != Reconocimiento.Estado.REVOCADO:
            return False
        practica = rec.dictamen.practica
        if not resultados_visibles(practica.convocatoria):
            return False
        Reconocimiento.objects.filter(pk=rec.pk).update(aviso_revocacion_en=timezone.now())  # bookkeeping
        correo_enviar(plantilla="evaluacion/correos/revocacion", para=destinatarios_de(practica),
                      autoridad=practica.convocatoria.autoridad,
                      contexto={"reconocimiento": rec, "practica": practica, "documento": rec.documento,
                                "url": sitio.url_absoluta(practica.get_absolute_url()),
                                "url_verificacion": url_verificacion(rec.documento)})
        return True


def vigencias_actualizar(*, hoy=None) -> dict:
    """Daily: mark expired recognitions (through history) and warn bodies 30 days ahead, once."""
    hoy = hoy or timezone.localdate()
    vencidos = avisos = 0
    for rec in Reconocimiento.objects.filter(estado=Reconocimiento.Estado.VIGENTE, vigente_hasta__lt=hoy):
        with transaction.atomic():
            rec = Reconocimiento.objects.select_for_update().get(pk=rec.pk)
            if rec.estado == Reconocimiento.Estado.VIGENTE:
                rec._change_reason = "Vencimiento de la vigencia"
                rec.transicionar(Reconocimiento.Estado.VENCIDO)
                vencidos += 1
    limite = hoy + timedelta(days=30)
    pendientes = Reconocimiento.objects.filter(
        estado=Reconocimiento.Estado.VIGENTE, vigente_hasta__lte=limite, vigente_hasta__gte=hoy,
        aviso_vencimiento_en__isnull=True,
    ).select_related("dictamen__practica__creada_por", "dictamen__practica__sujeto")
    for rec in pendientes:
        with transaction.atomic():
            rec = Reconocimiento.objects.select_for_update(of=("self",)).select_related(
                "dictamen__practica__creada_por", "dictamen__practica__sujeto",
                "dictamen__practica__convocatoria__autoridad").get(pk=rec.pk)
            if rec.aviso_vencimiento_en:
                continue
            practica = rec.dictamen.practica
            rec.aviso_vencimiento_en = timezone.now()
            rec.save(update_fields=["aviso_vencimiento_en"])
            correo_enviar(plantilla="evaluacion/correos/vencimiento", para=destinatarios_de(practica),
                          autoridad=practica.convocatoria.autoridad,
                          contexto={"reconocimiento": rec, "practica": practica,
                                    "url": sitio.url_de("convocatorias:lista")})
            avisos += 1
    return {"vencidos": vencidos, "avisos": avisos}
