"""The open dataset of cartas compromiso: one row per practice committed in an accepted letter.
The signer's name and position are public: a public servant signing an official letter in office.
A submitted practice is named (its catalogue page) only once evaluacion's embargo queryset holds its
recognition; before that, not even «reconocida» can show, since only that recognition sets it."""

from collections.abc import Iterator
from datetime import datetime

from django.db.models import Max
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core import datos_abiertos as da

from . import selectors
from .models import CartaCompromiso, PracticaComprometida

CARTAS = "cartas-compromiso"
Estado = PracticaComprometida.Estado


def url_reconocida(compromiso) -> str | None:
    """The recognised practice's page in the catalogue, only when the public may see it."""
    if compromiso.estado_vigente == Estado.RECONOCIDA and compromiso.reconocida_publica:
        return reverse("evaluacion:catalogo_practica", args=[compromiso.practica_id])
    return None


def fila_compromiso(compromiso, contexto: da.Contexto) -> dict:
    carta = compromiso.carta
    reconocida = url_reconocida(compromiso)
    return {
        "id": compromiso.pk,
        **da.columnas_autoridad(carta.autoridad),
        "sujeto_id": carta.sujeto_id,
        "sujeto": carta.sujeto.nombre,
        "carta_id": carta.pk,
        "firmante_nombre": carta.firmante_nombre,
        "firmante_cargo": carta.firmante_cargo,
        "fecha_carta": carta.fecha,
        "titulo": compromiso.titulo,
        "necesidad": compromiso.necesidad,
        "area_responsable": compromiso.area_responsable,
        "fecha_compromiso": compromiso.fecha_meta,
        "estado": compromiso.estado_vigente,
        "url_publicacion": compromiso.url_publicacion or None,
        "url_practica_reconocida": contexto.url_absoluta(reconocida) if reconocida else None,
        "url": contexto.url_absoluta(reverse("compromisos:sujeto", args=[carta.autoridad.slug, carta.sujeto_id])),
    }


def _filas(contexto: da.Contexto) -> Iterator[dict]:
    for compromiso in selectors.comprometidas_del_rastreador(contexto.autoridad, ahora=contexto.ahora):
        yield fila_compromiso(compromiso, contexto)


def _modificado(ahora: datetime):
    fechas = PracticaComprometida.objects.filter(carta__estado=CartaCompromiso.Estado.ACEPTADA).aggregate(
        p=Max("actualizada_en"), c=Max("carta__revisada_en"))
    fechas = [f for f in fechas.values() if f is not None]
    return max(fechas) if fechas else None


CAMPOS = (
    da.Campo("id", da.ENTERO, _("Identificador de la práctica comprometida (el mismo de la API).")),
    *da.campos_autoridad(_("a la que se dirige la carta compromiso")),
    da.Campo("sujeto_id", da.ENTERO, _("Identificador del sujeto obligado que firma la carta (el mismo de la API).")),
    da.Campo("sujeto", da.TEXTO, _("Sujeto obligado que firma la carta compromiso.")),
    da.Campo("carta_id", da.ENTERO, _("Identificador de la carta compromiso: las filas con el mismo valor son "
                                      "prácticas de una misma carta.")),
    da.Campo("firmante_nombre", da.TEXTO, _("Nombre de la persona servidora pública que firma la carta en "
                                            "ejercicio de su cargo.")),
    da.Campo("firmante_cargo", da.TEXTO, _("Cargo de quien firma la carta.")),
    da.Campo("fecha_carta", da.FECHA, _("Fecha de la carta compromiso.")),
    da.Campo("titulo", da.TEXTO, _("Título o tema de la práctica comprometida.")),
    da.Campo("necesidad", da.TEXTO, _("Necesidad de información que la práctica atenderá.")),
    da.Campo("area_responsable", da.TEXTO, _("Área del sujeto obligado responsable de la práctica.")),
    da.Campo("fecha_compromiso", da.FECHA, _("Fecha en que el sujeto obligado se comprometió a publicarla.")),
    da.Campo("estado", da.TEXTO, _("Estado a la fecha de la descarga: comprometida, en_elaboracion, publicada, "
                                   "postulada (enviada a una convocatoria), reconocida o vencida (pasó la fecha "
                                   "compromiso sin publicarse)."), opciones=tuple(Estado.values)),
    da.Campo("url_publicacion", da.URL, _("Dirección donde el sujeto obligado publica la práctica; vacío si aún no "
                                          "la publica."), nulo=True),
    da.Campo("url_practica_reconocida", da.URL, _("Página de la práctica reconocida en el catálogo del portal; vacío "
                                                  "si no está reconocida."), nulo=True),
    da.Campo("url", da.URL, _("Página del sujeto obligado en el seguimiento de cartas compromiso del portal.")),
)


DATASETS = (
    da.Dataset(
        id=CARTAS,
        titulo=_("Cartas compromiso: prácticas comprometidas"),
        descripcion=_("Las prácticas de Transparencia Proactiva que los sujetos obligados se comprometieron a "
                      "publicar en cartas compromiso aceptadas por la autoridad garante, con su fecha compromiso y "
                      "su estado: publicada, postulada a una convocatoria o reconocida."),
        campos=CAMPOS, generar=_filas, modificado=_modificado,
        palabras_clave=("cartas compromiso", "transparencia proactiva", "sujetos obligados"),
        orden=70,
    ),
)
