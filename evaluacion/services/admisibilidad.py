"""Admissibility: the requirements checklist, the result per practice, pre-selection and closing
the phase (the call goes to the jury)."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from convocatorias.models import Convocatoria
from convocatorias.services import convocatoria_cerrar, convocatoria_transicionar
from core import colas, sitio
from core.correo import correo_enviar
from core.errors import ErrorDominio
from core.models import Usuario
from practicas.models import Practica
from practicas.selectors import destinatarios_de

from ..models import REQUISITOS_BASE, Admisibilidad, RequisitoVerificado
from .comun import Estado, _autor, _bloquear_convocatoria


def requisitos_de(convocatoria: Convocatoria) -> list[tuple[str, str]]:
    """The base checklist plus one item per line of the call's additional requirements."""
    extra = [
        (f"convocatoria_{i}", linea.strip())
        for i, linea in enumerate(convocatoria.requisitos.splitlines(), start=1) if linea.strip()
    ]
    return [(clave, str(texto)) for clave, texto in REQUISITOS_BASE] + extra


@transaction.atomic
def admisibilidad_obtener(*, practica: Practica) -> Admisibilidad:
    """The practice's checklist, created with the call's items the first time."""
    adm, creada = Admisibilidad.objects.get_or_create(practica=practica)
    if creada:
        RequisitoVerificado.objects.bulk_create([
            RequisitoVerificado(admisibilidad=adm, clave=clave, texto=texto[:500], orden=i)
            for i, (clave, texto) in enumerate(requisitos_de(practica.convocatoria))
        ])
    return adm


def _en_verificacion(convocatoria: Convocatoria, usuario: Usuario | None) -> Convocatoria:
    """The call's row, locked, in its admissibility phase by the clock. A call past its deadline that
    nothing has recorded as closed yet (no scheduler ran) is closed already: the first write of the
    phase records it, through the same service as the periodic task and staff's button."""
    conv = _bloquear_convocatoria(convocatoria)
    ahora = timezone.now()
    if conv.cierre_pendiente(ahora):
        convocatoria_cerrar(convocatoria=conv, ahora=ahora, usuario=usuario)
        conv = _bloquear_convocatoria(conv)
    return conv


@transaction.atomic
def admisibilidad_registrar(*, practica: Practica, usuario: Usuario, requisitos: dict[str, tuple[bool | None, str]],
                            resultado: str, motivos: str = "") -> Admisibilidad:
    conv = _en_verificacion(practica.convocatoria, usuario)
    if conv.estado != Estado.CERRADA:
        raise ErrorDominio(_("La verificación de requisitos solo procede con la convocatoria cerrada y antes "
                             "de turnar al jurado."))
    if practica.estado != Practica.Estado.ENVIADA:
        raise ErrorDominio(_("Solo se verifican prácticas enviadas (no borradores ni retiradas)."))
    adm = admisibilidad_obtener(practica=practica)
    adm = Admisibilidad.objects.select_for_update().get(pk=adm.pk)
    filas = {r.clave: r for r in adm.requisitos.all()}
    for clave, (cumple, observacion) in requisitos.items():
        fila = filas.get(clave)
        if fila is None:
            continue
        fila.cumple, fila.observacion = cumple, (observacion or "")[:500]
        _autor(fila, usuario).save()
    if resultado not in Admisibilidad.Resultado.values or resultado == Admisibilidad.Resultado.PENDIENTE:
        raise ErrorDominio(_("Elija el resultado: admitida o no admitida."), campo="resultado")
    if resultado == Admisibilidad.Resultado.ADMITIDA:
        incumplidos = [f.texto for f in filas.values() if f.cumple is not True]
        if incumplidos:
            raise ErrorDominio(_("Para admitir, todos los requisitos deben cumplirse. Pendientes o incumplidos: "
                                 "%(l)s.") % {"l": "; ".join(incumplidos)})
        adm.preseleccionada = True
    else:
        if not motivos.strip():
            raise ErrorDominio(_("Escriba los motivos de la no admisión; el sujeto obligado los leerá."),
                               campo="motivos")
        adm.preseleccionada = False
    adm.resultado, adm.motivos = resultado, motivos.strip()
    adm.verificada_por, adm.verificada_en = usuario, timezone.now()
    adm.full_clean()
    _autor(adm, usuario).save()
    return adm


@transaction.atomic
def preseleccion_cambiar(*, admisibilidad: Admisibilidad, usuario: Usuario, preseleccionada: bool) -> Admisibilidad:
    # The call's row first, then the result's, in the order every admissibility write takes them (no deadlock).
    conv = _en_verificacion(Convocatoria(pk=admisibilidad.practica.convocatoria_id), usuario)
    adm = Admisibilidad.objects.select_for_update(of=("self",)).select_related("practica__convocatoria").get(pk=admisibilidad.pk)
    if conv.estado != Estado.CERRADA:
        raise ErrorDominio(_("La preselección se cierra al turnar las prácticas al jurado."))
    if preseleccionada and adm.resultado != Admisibilidad.Resultado.ADMITIDA:
        raise ErrorDominio(_("Solo una práctica admitida puede turnarse al jurado."))
    adm.preseleccionada = preseleccionada
    _autor(adm, usuario).save()
    return adm


@transaction.atomic
def admisibilidad_cerrar(*, convocatoria: Convocatoria, usuario: Usuario) -> Convocatoria:
    """Close admissibility: every sent practice has a result; the enlaces can read it; the
    pre-selected ones go to the jury (cerrada → en evaluación)."""
    conv = _en_verificacion(convocatoria, usuario)
    enviadas = Practica.objects.filter(convocatoria=conv, estado=Practica.Estado.ENVIADA)
    sin_resultado = enviadas.exclude(admisibilidad__resultado__in=[Admisibilidad.Resultado.ADMITIDA,
                                                                     Admisibilidad.Resultado.NO_ADMITIDA])
    if sin_resultado.exists():
        raise ErrorDominio(_("Faltan %(n)s prácticas por verificar: %(f)s.") % {
            "n": sin_resultado.count(), "f": ", ".join(sin_resultado.order_by("consecutivo").values_list("folio", flat=True)[:10])})
    if not Admisibilidad.objects.filter(practica__convocatoria=conv, preseleccionada=True).exists():
        raise ErrorDominio(_("No hay prácticas preseleccionadas para el jurado."))
    if not conv.jurado.filter(usuario__isnull=False).exists():
        raise ErrorDominio(_("Asigne las cuentas de las personas del jurado antes de turnar las prácticas."))
    conv = convocatoria_transicionar(convocatoria=conv, destino=Estado.EN_EVALUACION, usuario=usuario,
                                     admisibilidad_liberada_en=timezone.now())
    # One notice per practice, after commit (the outbox rows commit with the closing).
    for pk in Admisibilidad.objects.filter(practica__in=enviadas).values_list("pk", flat=True).order_by("pk"):
        colas.encolar("evaluacion.tasks.admisibilidad_avisar_task", pk)  # by name: tasks import us
    return conv


def admisibilidad_avisar(*, admisibilidad_id: int) -> bool:
    """E-mail the body its practice's admissibility result once the phase is closed: admitted, or
    not admitted with the reasons and each requirement it did not meet. Once: the stamp is written
    with the send under the row's lock (a failed send undoes it, and the task tries again). Nothing
    of the jury's work is read here."""
    with transaction.atomic():
        adm = (Admisibilidad.objects.select_for_update(of=("self",))
               .select_related("practica__convocatoria__autoridad", "practica__sujeto", "practica__creada_por")
               .filter(pk=admisibilidad_id).first())
        if adm is None or adm.avisada_en is not None or adm.practica.convocatoria.admisibilidad_liberada_en is None:
            return False
        if adm.resultado not in (Admisibilidad.Resultado.ADMITIDA, Admisibilidad.Resultado.NO_ADMITIDA):
            return False
        practica = adm.practica
        Admisibilidad.objects.filter(pk=adm.pk).update(avisada_en=timezone.now())  # bookkeeping: no history
        incumplidos = [r for r in adm.requisitos.all() if r.cumple is not True] \
            if adm.resultado == Admisibilidad.Resultado.NO_ADMITIDA else []
        correo_enviar(plantilla="evaluacion/correos/admisibilidad", para=destinatarios_de(practica),
                      autoridad=practica.convocatoria.autoridad,
                      contexto={"practica": practica, "convocatoria": practica.convocatoria, "admisibilidad": adm,
                                "admitida": adm.resultado == Admisibilidad.Resultado.ADMITIDA,
                                "incumplidos": incumplidos,
                                "url": sitio.url_absoluta(practica.get_absolute_url())})
        return True
