"""Issuing: one constancia and folio per eligible attendee who has none yet, gathered with the
existing ones in a batch that workers render after the commit."""

from django.db import transaction
from django.db.models import IntegerField, Max
from django.db.models.functions import Cast, Substr
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from core.errors import ErrorDominio
from core.models import AutoridadGarante, DocumentoVerificable
from core.templatetags.reconoce import fecha_larga

from ..models import Ciclo, Constancia, Jornada, LoteConstancias, Registro
from ..selectors import _alcance, constancias_de, elegibles
from .comun import Estado
from .lotes import lote_encolar
from .plantilla import plantilla_de


def _siguiente_numero(prefijo: str) -> int:
    maximo = (DocumentoVerificable.objects.filter(folio__startswith=prefijo)
              .aggregate(m=Max(Cast(Substr("folio", len(prefijo) + 1), IntegerField())))["m"])
    return (maximo or 0) + 1


def _resumen(registro: Registro) -> dict:
    sujeto = registro.participante.sujeto
    resumen = {"participante": registro.participante.nombre}
    if sujeto:
        resumen["sujeto_obligado"] = sujeto.nombre
    resumen["jornada"] = registro.jornada.titulo
    resumen["fecha"] = fecha_larga(registro.jornada.inicio)
    return resumen


@transaction.atomic
def constancias_emitir(*, usuario, jornada: Jornada | None = None, ciclo: Ciclo | None = None,
                       encolar: bool = True) -> LoteConstancias:
    """Issue the constancias of a session or a cycle: one per eligible attendee who has none yet,
    gathered with the existing ones in a batch that workers render after the commit.

    Issuing again creates nothing twice: with nothing new, the last batch of the same scope is
    returned as it is; with a batch of the same scope in progress, that batch is resumed (its
    pending documents are queued again, which a worker killed mid-chunk needs). With encolar=False
    the batch is only prepared (its documents pending), as if no worker had taken it yet."""
    _alcance(jornada, ciclo)  # exactly one scope
    if jornada is not None:
        jornada.verificar_comenzada(_("sus constancias se emiten"))
    autoridad_id = (jornada or ciclo).autoridad_id
    # One issuing at a time per authority: folios come from its yearly sequence.
    autoridad = AutoridadGarante.objects.select_for_update().get(pk=autoridad_id)
    propio = {"jornada": jornada, "ciclo": None} if jornada else {"ciclo": ciclo, "jornada": None}
    en_curso = LoteConstancias.objects.filter(estado=LoteConstancias.Estado.EN_PROCESO)
    activo = en_curso.filter(**propio).order_by("-pk").first()
    if activo is None:
        cruzado = (en_curso.filter(ciclo_id=jornada.ciclo_id) if jornada and jornada.ciclo_id
                   else en_curso.filter(jornada__ciclo=ciclo) if ciclo else en_curso.none())
        otro = cruzado.select_related("jornada", "ciclo").first()
        if otro is not None:
            raise ErrorDominio(_("Hay una emisión en curso para «%(a)s». Espere a que termine para emitir esta.")
                               % {"a": otro.jornada or otro.ciclo})

    nuevos = list(
        elegibles(jornada=jornada, ciclo=ciclo).filter(constancia__isnull=True)
        .select_related("participante__sujeto", "jornada").order_by("jornada__inicio", "participante__nombre", "pk")
    )
    existentes = constancias_de(jornada=jornada, ciclo=ciclo).filter(documento__revocado_en__isnull=True)
    if not nuevos and activo is None and not existentes.exists():
        raise ErrorDominio(_("Nadie tiene derecho a constancia todavía: se otorga a quienes asistieron "
                             "(y respondieron la encuesta, si la jornada lo pide)."))
    ultimo = LoteConstancias.objects.filter(**propio).order_by("-pk").first()
    if (activo is None and not nuevos and ultimo is not None
            and not existentes.exclude(lote=ultimo).exists()
            and not existentes.filter(documento__estado_pdf=Estado.PENDIENTE).exists()):
        ultimo.nuevas = 0
        return ultimo

    lote = activo or LoteConstancias.objects.create(autoridad=autoridad, creado_por=usuario, **propio)
    if nuevos:
        plantilla = plantilla_de(autoridad)
        ahora = timezone.now()
        siguientes: dict[str, int] = {}
        documentos = []
        for registro in nuevos:
            prefijo = f"{autoridad.siglas}-JS-{timezone.localtime(registro.jornada.inicio).year}-"
            if prefijo not in siguientes:
                siguientes[prefijo] = _siguiente_numero(prefijo)
            documentos.append(DocumentoVerificable(
                tipo=DocumentoVerificable.Tipo.CONSTANCIA, folio=f"{prefijo}{siguientes[prefijo]:05d}",
                titulo=plantilla.titulo, resumen=_resumen(registro), visible_desde=ahora, autoridad=autoridad,
            ))
            siguientes[prefijo] += 1
        documentos = bulk_create_with_history(documentos, DocumentoVerificable, batch_size=500,
                                              default_user=usuario)
        bulk_create_with_history(
            [Constancia(registro=r, documento=d, lote=lote) for r, d in zip(nuevos, documentos, strict=True)],
            Constancia, batch_size=500, default_user=usuario,
        )
    existentes.exclude(lote=lote).update(lote=lote)
    lote.total = existentes.count()
    lote.save(update_fields=["total"])
    lote.nuevas = len(nuevos)
    if encolar:  # the chunks' tasks are written to the outbox with the batch
        lote_encolar(lote_id=lote.pk)
    return lote
