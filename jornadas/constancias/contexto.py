"""What a constancia's page shows: the layer every page shares, one attendee's page, one constancia
rendered on its own, and the template's preview on sample data."""

from pathlib import Path

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from core import articulos, pdf, sellos, sitio
from core.documentos import qr_data_uri, url_verificacion
from core.models import AutoridadGarante, DocumentoVerificable
from core.templatetags.reconoce import fecha_larga

from .. import constancias_pdf
from ..models import Constancia, PlantillaConstancia, Registro
from .comun import PLANTILLA_PDF
from .plantilla import firmantes_de, formatear_texto, plantilla_de


def _logo(autoridad: AutoridadGarante) -> str:
    """file:// URI of the authority's logo when it is on disk (WeasyPrint reads it locally)."""
    if not autoridad.logo:
        return ""
    try:
        ruta = Path(autoridad.logo.path)
    except (ValueError, NotImplementedError):
        return ""
    return ruta.resolve().as_uri() if ruta.is_file() else ""


def _contexto_comun(autoridad: AutoridadGarante, plantilla: PlantillaConstancia) -> dict:
    return {
        "autoridad": autoridad,
        "plantilla": plantilla,
        "firmantes": firmantes_de(autoridad, plantilla),
        "logo": _logo(autoridad),
        "geometria": constancias_pdf.geometria(),
        "sello": ({"autoridad": autoridad, "sellado_de_tiempo": sellos.con_sellado_de_tiempo()}
                  if sellos.tiene_sello(autoridad) else None),
    }


def _valores(registro: Registro) -> dict[str, str]:
    jornada = registro.jornada
    sujeto = registro.participante.sujeto
    return {
        "nombre": registro.participante.nombre,
        "sujeto": sujeto.nombre if sujeto else _("su institución"),
        "del_sujeto": articulos.de(sujeto.nombre) if sujeto else _("de su institución"),
        "jornada": jornada.titulo,
        "fecha": fecha_larga(jornada.inicio),
        "horario": horario(jornada),
        "duracion": duracion(jornada),
        "coordinador": jornada.coordinador,
    }


def horario(jornada) -> str:
    """«de las 10:00 a las 12:30 h (2.5 horas)» (Mexico City time), or «a las 10:00 h» without an end."""
    inicio = timezone.localtime(jornada.inicio)
    if not jornada.fin:
        return _("a las %(i)s h") % {"i": inicio.strftime("%H:%M")}
    fin = timezone.localtime(jornada.fin)
    return _("de las %(i)s a las %(f)s h (%(d)s)") % {"i": inicio.strftime("%H:%M"), "f": fin.strftime("%H:%M"),
                                                        "d": duracion(jornada)}


def duracion(jornada) -> str:
    """The session's length in hours, as a constancia states it: «2 horas», «1.5 horas», «1 hora»."""
    if not jornada.fin:
        return ""
    minutos = int((jornada.fin - jornada.inicio).total_seconds() // 60)
    horas = minutos / 60
    texto = f"{horas:.1f}".rstrip("0").rstrip(".")
    return ngettext("%(h)s hora", "%(h)s horas", 1 if texto == "1" else 2) % {"h": texto}


def _pagina(documento: DocumentoVerificable, registro: Registro, plantilla: PlantillaConstancia) -> dict:
    return {
        "ancla": f"constancia-{documento.pk}",
        "nombre": registro.participante.nombre,
        "cuerpo": formatear_texto(plantilla.cuerpo, _valores(registro)),
        "folio": documento.folio,
        "emitida": fecha_larga(timezone.localdate(documento.creado_en)) if documento.creado_en else "",
        "url": url_verificacion(documento),
    }


def contexto_constancia(documento: DocumentoVerificable) -> dict:
    """The whole certificate as one document (core.documentos renders it when a batch could not):
    same template and geometry as the batch, with the QR code laid out by WeasyPrint."""
    constancia = (Constancia.objects.select_related("registro__participante__sujeto", "registro__jornada__autoridad")
                  .get(documento=documento))
    autoridad = constancia.registro.jornada.autoridad
    plantilla = plantilla_de(autoridad)
    pagina = _pagina(documento, constancia.registro, plantilla)  # its QR code is core's `qr`
    return {**_contexto_comun(autoridad, plantilla), "capa": "completa", "paginas": [pagina]}


def vista_previa_pdf(*, autoridad: AutoridadGarante, plantilla: PlantillaConstancia) -> bytes:
    """The certificate on sample data, marked as a sample; raises ErrorDominio on a bad text."""
    hoy = timezone.localdate()
    valores = {
        "nombre": "María Guadalupe Hernández Sánchez",
        "sujeto": _("Secretaría de Finanzas"),
        "del_sujeto": articulos.de(_("Secretaría de Finanzas")),
        "jornada": _("Jornada de sensibilización en Transparencia Proactiva"),
        "fecha": fecha_larga(hoy),
        "coordinador": _("Comisionada Presidenta"),
    }
    url = sitio.url_de("core:verificar", "MUESTRA")
    pagina = {
        "ancla": "muestra",
        "nombre": valores["nombre"],
        "cuerpo": formatear_texto(plantilla.cuerpo, valores),
        "folio": f"{autoridad.siglas}-JS-{hoy.year}-00000",
        "url": url,
        "qr": qr_data_uri(url),
    }
    contexto = {**_contexto_comun(autoridad, plantilla), "capa": "completa", "paginas": [pagina], "muestra": True}
    return pdf.render_pdf(PLANTILLA_PDF, contexto)
