"""Revoking a constancia, with the reason the verification page shows."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.errors import ErrorDominio
from core.models import DocumentoVerificable
from core.templatetags.reconoce import fecha_larga

from ..models import Constancia


@transaction.atomic
def constancia_revocar(*, constancia: Constancia, motivo: str, usuario) -> DocumentoVerificable:
    """Revoke with a reason; the verification page shows both from then on."""
    motivo = (motivo or "").strip()
    if not motivo:
        raise ErrorDominio(_("Indique el motivo de la revocación."), campo="motivo")
    doc = DocumentoVerificable.objects.select_for_update().get(pk=constancia.documento_id)
    if doc.revocado_en:
        raise ErrorDominio(_("Esta constancia ya fue revocada el %(f)s.") % {"f": fecha_larga(doc.revocado_en)})
    doc.revocado_en = timezone.now()
    doc.motivo_revocacion = motivo[:2000]
    doc._history_user = usuario
    doc.save(update_fields=["revocado_en", "motivo_revocacion"])
    return doc
