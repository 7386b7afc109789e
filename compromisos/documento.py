"""The «Formato carta compromiso»: the PDF the portal generates for a letter, from its authority's
texts (FormatoCarta), pre-filled with the body and its committed practices, with a verification
code and QR like every other document. Registered in core's document registry (``registrar``, from
registro.conectar); core.documentos renders it in the worker, core.views verifies and serves it."""

import hashlib
import json
from datetime import datetime, timedelta
from pathlib import Path
from types import SimpleNamespace

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core import articulos, documentos, pdf
from core.documentos import TipoDocumento, tipo_registrar
from core.errors import ErrorDominio
from core.models import AutoridadGarante, DocumentoVerificable, Usuario
from core.templatetags.reconoce import fecha_larga

from .models import CartaCompromiso, FormatoCarta

TIPO = DocumentoVerificable.Tipo.CARTA_COMPROMISO
PLANTILLA = "compromisos/pdf/carta.html"
EstadoPDF = DocumentoVerificable.EstadoPDF


# --- the authority's texts ------------------------------------------------------------------------

def formato_de(autoridad: AutoridadGarante) -> FormatoCarta:
    """The authority's format, or an unsaved one with the model's default texts."""
    return FormatoCarta.objects.filter(autoridad=autoridad).first() or FormatoCarta(autoridad=autoridad)


@transaction.atomic
def formato_guardar(*, autoridad: AutoridadGarante, usuario: Usuario, encabezado: str, texto_compromiso: str,
                    pie: str) -> FormatoCarta:
    """Save the authority's format. Letters generated before keep their PDF; a letter still
    editable gets the new texts the next time its format is generated."""
    formato = (FormatoCarta.objects.select_for_update().filter(autoridad=autoridad).first()
               or FormatoCarta(autoridad=autoridad))
    formato.encabezado = encabezado.strip()
    formato.texto_compromiso = texto_compromiso.strip()
    formato.pie = pie.strip()
    try:
        formato.full_clean()
    except ValidationError as exc:
        raise ErrorDominio(" ".join(exc.messages)) from exc
    formato._history_user = usuario
    formato.save()
    return formato


# --- what the PDF says ----------------------------------------------------------------------------

def _logo(autoridad: AutoridadGarante) -> str:
    """file:// URI of the authority's logo when it is on disk (WeasyPrint reads it locally)."""
    if not autoridad.logo:
        return ""
    try:
        ruta = Path(autoridad.logo.path)
    except (ValueError, NotImplementedError):
        return ""
    return ruta.resolve().as_uri() if ruta.is_file() else ""


def _contexto(*, autoridad, sujeto, firmante_nombre, firmante_cargo, fecha, practicas, formato) -> dict:
    return {
        "autoridad": autoridad,
        "autoridad_con_articulo": articulos.con_articulo(autoridad.nombre),
        "a_autoridad": articulos.a_articulo(autoridad.nombre),
        "logo": _logo(autoridad),
        "sujeto": sujeto,
        "sujeto_con_articulo": articulos.con_articulo(sujeto.nombre),
        "firmante_nombre": firmante_nombre,
        "firmante_cargo": firmante_cargo,
        "fecha": fecha,
        "practicas": practicas,
        "formato": formato,
    }


def contexto_carta(documento: DocumentoVerificable) -> dict:
    carta = (CartaCompromiso.objects.select_related("sujeto", "autoridad").prefetch_related("practicas")
             .get(documento=documento))
    textos = carta.documento_textos or _textos(formato_de(carta.autoridad))
    return _contexto(autoridad=carta.autoridad, sujeto=carta.sujeto, firmante_nombre=carta.firmante_nombre,
                     firmante_cargo=carta.firmante_cargo, fecha=carta.fecha, practicas=list(carta.practicas.all()),
                     formato=SimpleNamespace(**textos))


def _textos(formato: FormatoCarta) -> dict:
    return {"encabezado": formato.encabezado, "texto_compromiso": formato.texto_compromiso, "pie": formato.pie}


def huella_de(carta: CartaCompromiso, formato: FormatoCarta) -> str:
    """A fingerprint of everything the format prints, to tell whether a generated PDF is stale."""
    datos = {
        "carta": [carta.sujeto.nombre, carta.firmante_nombre, carta.firmante_cargo, carta.fecha.isoformat()],
        "practicas": [[p.titulo, p.necesidad, p.area_responsable, p.fecha_meta.isoformat()]
                      for p in carta.practicas.order_by("fecha_meta", "pk")],
        "formato": [formato.encabezado, formato.texto_compromiso, formato.pie],
        "autoridad": [carta.autoridad.nombre, carta.autoridad.domicilio],
    }
    return hashlib.sha256(json.dumps(datos, ensure_ascii=False).encode()).hexdigest()


def _resumen(carta: CartaCompromiso) -> dict:
    """What the verification page lists (labels in core.views.ETIQUETAS_RESUMEN)."""
    titulos = [p.titulo for p in carta.practicas.order_by("fecha_meta", "pk")]
    return {
        "sujeto_obligado": carta.sujeto.nombre,
        "firmante": f"{carta.firmante_nombre}, {carta.firmante_cargo}",
        "fecha": fecha_larga(carta.fecha),
        "practicas_comprometidas": "; ".join(f"{i}. {t}" for i, t in enumerate(titulos, 1)),
    }


def _siguiente_folio(carta: CartaCompromiso) -> str:
    """«<SIGLAS>-CC-<year>-<n>»; the caller holds the authority's row lock, so two letters never
    draw the same number."""
    prefijo = f"{carta.autoridad.siglas}-CC-{carta.fecha.year}-"
    usados = DocumentoVerificable.objects.filter(folio__startswith=prefijo).values_list("folio", flat=True)
    numeros = [int(f[len(prefijo):]) for f in usados if f[len(prefijo):].isdigit()]
    return f"{prefijo}{max(numeros, default=0) + 1:04d}"


def esta_desactualizado(carta: CartaCompromiso) -> bool:
    """A generated format no longer says what the letter says (only while the letter can change)."""
    return (carta.documento_id is not None and carta.editable
            and huella_de(carta, formato_de(carta.autoridad)) != carta.documento_huella)


@transaction.atomic
def carta_formato_generar(*, carta: CartaCompromiso, usuario: Usuario) -> DocumentoVerificable:
    """Create the letter's format document and queue its PDF (through the outbox). Again with nothing
    changed: the same document (a failed one is retried). While the letter is editable and its
    content changed since, the old document (never public: only an accepted letter is) is replaced
    by a new one under the same folio and a new verification code. Once presented, what it says is
    fixed."""
    AutoridadGarante.objects.select_for_update().filter(pk=carta.autoridad_id).first()  # folios in turn
    carta = (CartaCompromiso.objects.select_for_update(of=("self",)).select_related("sujeto", "autoridad", "documento")
             .get(pk=carta.pk))
    actual = formato_de(carta.autoridad)
    huella = huella_de(carta, actual)
    anterior = carta.documento
    if anterior is not None and (not carta.editable or huella == carta.documento_huella):
        if anterior.estado_pdf == EstadoPDF.FALLIDA:
            documentos.documento_reintentar(documento=anterior)
        return anterior
    folio = anterior.folio if anterior is not None else _siguiente_folio(carta)
    if anterior is not None:
        carta.documento = None
        carta.save(update_fields=["documento"])
        archivo = anterior.archivo
        anterior.delete()
        if archivo:
            nombre, almacen = archivo.name, archivo.storage
            transaction.on_commit(lambda: almacen.delete(nombre))
    documento = DocumentoVerificable(
        tipo=TIPO, folio=folio, autoridad=carta.autoridad, visible_desde=timezone.now(), resumen=_resumen(carta),
        titulo=_("Carta compromiso %(s)s") % {"s": articulos.de(carta.sujeto.nombre)},
    )
    documento._history_user = usuario
    documento.save()
    carta.documento = documento
    carta.documento_huella = huella
    carta.documento_textos = _textos(actual)
    carta._history_user = usuario
    carta.save(update_fields=["documento", "documento_huella", "documento_textos", "actualizada_en"])
    documentos.encolar(documento)
    return documento


# --- who may read it ------------------------------------------------------------------------------

def _carta_de(documento: DocumentoVerificable) -> CartaCompromiso | None:
    return CartaCompromiso.objects.select_related("autoridad").filter(documento=documento).first()


def documento_publico(documento: DocumentoVerificable, ahora: datetime, carta: CartaCompromiso | None = None) -> bool:
    """Public (verification page, download by code) once the authority accepted the letter."""
    carta = carta or _carta_de(documento)
    return (carta is not None and carta.estado == CartaCompromiso.Estado.ACEPTADA
            and carta.revisada_en is not None and carta.revisada_en <= ahora)


def documento_descargable(user, documento: DocumentoVerificable, ahora: datetime) -> bool:
    """The body's enlaces and the authority's staff always; everyone once it is public."""
    carta = _carta_de(documento)
    if carta is None:
        return False
    if user.has_perm("compromisos.ver_carta", carta):
        return True
    return documento.visible_desde <= ahora and documento_publico(documento, ahora, carta)


def registrar() -> None:
    tipo_registrar(TipoDocumento(
        clave=TIPO, modelo=DocumentoVerificable, plantilla=PLANTILLA, contexto=contexto_carta,
        publico=documento_publico, descargable=documento_descargable,
        sellado=lambda documento: documento.autoridad,
    ))


# --- the preview on sample data -------------------------------------------------------------------

def vista_previa_pdf(*, autoridad: AutoridadGarante, formato: FormatoCarta) -> bytes:
    """The format on sample data, marked as a sample, with a QR that leads nowhere real."""
    hoy = timezone.localdate()
    practicas = [
        SimpleNamespace(titulo=_("Calendario de trámites y servicios"), area_responsable=_("Dirección de Atención"),
                        necesidad=_("Las personas preguntan cuándo y dónde se realizan los trámites."),
                        fecha_meta=hoy + timedelta(days=90)),
        SimpleNamespace(titulo=_("Padrón de apoyos en datos abiertos"), area_responsable=_("Dirección de Programas"),
                        necesidad=_("Se solicita con frecuencia quiénes reciben apoyos y por qué montos."),
                        fecha_meta=hoy + timedelta(days=150)),
    ]
    sujeto = SimpleNamespace(nombre=_("Secretaría de Ejemplo"))
    url = documentos.url_verificacion(SimpleNamespace(codigo="MUESTRA"))
    contexto = {
        **_contexto(autoridad=autoridad, sujeto=sujeto, firmante_nombre=_("Nombre de quien firma"),
                    firmante_cargo=_("Cargo de quien firma"), fecha=hoy, practicas=practicas, formato=formato),
        "documento": SimpleNamespace(folio=f"{autoridad.siglas}-CC-{hoy.year}-0000", codigo="MUESTRA"),
        "url_verificacion": url, "qr": documentos.qr_data_uri(url), "generado_en": timezone.now(),
        "muestra": True,
    }
    return pdf.render_pdf(PLANTILLA, contexto)


def estado_formato(carta: CartaCompromiso, user) -> dict:
    """What the format's status fragment (compromisos/_formato_estado.html) reads."""
    return {
        "carta": carta,
        "documento": carta.documento,
        "desactualizado": esta_desactualizado(carta),
        "puede_generar": user.has_perm("compromisos.generar_formato", carta),
    }

