"""The jury's seats: when a seat's account is fixed, and the recorded replacement of a juror while
the jury scores."""

from django.db import transaction
from django.utils.translation import gettext as _

from convocatorias.models import MiembroJurado
from core.errors import ErrorDominio
from core.models import Usuario

from ..models import Evaluacion, FirmaDictamen, Reapertura, Recusa, SustitucionJurado
from .comun import Fase, _autor, _bloquear_convocatoria, _razon


def cuentas_fijas(miembros: list[MiembroJurado]) -> dict[int, str]:
    """{seat id: reason} for the seats whose account may no longer change: they have scores (sent or
    draft), recusals or signatures. Registered with convocatorias in EvaluacionConfig.ready()."""
    ids = [m.pk for m in miembros]
    con_actos = set(Evaluacion.objects.filter(miembro_id__in=ids).values_list("miembro_id", flat=True))
    con_actos |= set(Recusa.objects.filter(miembro_id__in=ids).values_list("miembro_id", flat=True))
    con_actos |= set(FirmaDictamen.objects.filter(miembro_id__in=ids).values_list("miembro_id", flat=True))
    motivo = _("Este lugar ya tiene calificaciones, borradores, excusas o firmas: su cuenta no puede cambiar. "
               "Para reemplazar a la persona, registre su sustitución con el motivo; sus calificaciones se anulan.")
    return dict.fromkeys(con_actos, motivo)


@transaction.atomic
def jurado_sustituir(*, miembro: MiembroJurado, cuenta_nueva: Usuario | None, motivo: str,
                     usuario: Usuario) -> SustitucionJurado:
    """Put another person in a seat while the jury scores. The seat's scores, drafts, reopenings and
    recusals are voided: deleted, each history row carrying this act as its reason, so they are
    never counted again; the new account scores afresh."""
    conv = _bloquear_convocatoria(miembro.convocatoria)
    miembro = MiembroJurado.objects.select_for_update(of=("self",)).select_related("usuario").get(pk=miembro.pk)
    if conv.fase != Fase.CALIFICACION:
        raise ErrorDominio(_("La sustitución de un integrante procede solo mientras el jurado califica "
                             "(convocatoria en evaluación, calificación abierta)."))
    motivo = (motivo or "").strip()
    if not motivo:
        raise ErrorDominio(_("Escriba el motivo de la sustitución; queda registrado."), campo="motivo")
    if cuenta_nueva is None:
        raise ErrorDominio(_("Indique la cuenta de la persona que ocupará el lugar."), campo="correo")
    if cuenta_nueva.pk == miembro.usuario_id:
        raise ErrorDominio(_("Esa cuenta ya ocupa este lugar."), campo="correo")
    if conv.jurado.filter(usuario=cuenta_nueva).exists():
        raise ErrorDominio(_("Esa cuenta ya ocupa otro lugar del jurado de esta convocatoria."), campo="correo")

    sustitucion = SustitucionJurado.objects.create(miembro=miembro, cuenta_anterior=miembro.usuario,
                                                   cuenta_nueva=cuenta_nueva, motivo=motivo, por=usuario)
    razon = _("Anulada por la sustitución n.º %(n)s del integrante: %(m)s") % {"n": sustitucion.pk, "m": motivo}
    evaluaciones = list(Evaluacion.objects.select_for_update().filter(miembro=miembro))
    for evaluacion in evaluaciones:
        for reapertura in Reapertura.objects.filter(evaluacion=evaluacion):
            _razon(reapertura, razon)
            _autor(reapertura, usuario).delete()
        for cal in evaluacion.calificaciones.all():
            _razon(cal, razon)
            _autor(cal, usuario).delete()
        _razon(evaluacion, razon)
        _autor(evaluacion, usuario).delete()
    recusas = list(Recusa.objects.filter(miembro=miembro))
    for recusa in recusas:
        _razon(recusa, razon)
        _autor(recusa, usuario).delete()
    sustitucion.evaluaciones_anuladas, sustitucion.excusas_anuladas = len(evaluaciones), len(recusas)
    sustitucion.save(update_fields=["evaluaciones_anuladas", "excusas_anuladas"])

    miembro.usuario = cuenta_nueva
    # The typed name follows the person: the ruling prints the account's name anyway.
    miembro.nombre = cuenta_nueva.get_full_name()
    _razon(miembro, _("Sustitución n.º %(n)s: %(m)s") % {"n": sustitucion.pk, "m": motivo})
    _autor(miembro, usuario).save(_sustituyendo=True)
    return sustitucion
