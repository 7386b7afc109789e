"""Constancias de participación: the template staff edit, issuing a session's or a cycle's
certificates in batches, the batch's ZIP and merged PDF, one e-mail per attendee, and revocation.

Issuing is idempotent at every step: a Registro has at most one Constancia (one-to-one) and so one
folio; a chunk renders only documents still pending, under row locks that a concurrent run skips; a
batch closes once, under its row lock, when nothing in it is pending; each constancia is announced
once (``avisada_en``). A chunk is one WeasyPrint layout for all its attendees (see constancias_pdf).
"""

import hashlib
import itertools
import logging
import math
import string
import tempfile
import zipfile
from pathlib import Path

import segno
from celery import group
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.db.models import Count, IntegerField, Max, Q
from django.db.models.functions import Cast, Substr
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import slugify
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from core import colas, pdf
from core import documentos as core_documentos
from core.correo import correo_construir
from core.documentos import qr_data_uri, url_verificacion
from core.errors import ErrorDominio
from core.models import AutoridadGarante, DocumentoVerificable
from core.templatetags.reconoce import fecha_larga

from . import constancias_pdf
from .models import Ciclo, Constancia, Jornada, LoteConstancias, PlantillaConstancia, Registro

logger = logging.getLogger(__name__)

PLANTILLA_PDF = "jornadas/pdf/constancia.html"
CAMPOS = ("nombre", "sujeto", "jornada", "fecha", "coordinador")
# segno evaluates the eight QR masks to pick the most scanner-friendly one, which costs more than
# laying out the rest of the page; every mask is valid (ISO/IEC 18004), so batches use a fixed one.
MASCARA_QR = 2
Estado = DocumentoVerificable.EstadoPDF
# jornadas.tasks imports this module; these are queued by name (core.colas).
TAREA_BLOQUE = "jornadas.tasks.constancias_bloque_task"
TAREA_CERRAR = "jornadas.tasks.constancias_cerrar_task"
TAREA_AVISAR = "jornadas.tasks.constancias_avisar_task"


# --- the template ----------------------------------------------------------------------------


def campos_desconocidos(texto: str) -> list[str]:
    """Placeholders in a template text that are not one of CAMPOS written plainly (``{nombre}``):
    attribute access, indexing, conversions and format specs are refused too. Raises ValueError
    when the braces do not pair (``{`` without ``}``)."""
    malos = []
    for _literal, campo, especificacion, conversion in string.Formatter().parse(texto):
        if campo is None:
            continue
        if campo not in CAMPOS or especificacion or conversion:
            marca = "{" + campo + (f"!{conversion}" if conversion else "") + (f":{especificacion}" if especificacion else "") + "}"
            malos.append(marca)
    return malos


def validar_texto(texto: str) -> None:
    try:
        malos = campos_desconocidos(texto)
    except ValueError as exc:
        raise ErrorDominio(_("Revise las llaves del texto: cada campo se escribe entre «{» y «}», "
                             "y una llave sola se escribe doble («{{» o «}}»).")) from exc
    if malos:
        raise ErrorDominio(
            _("Campos no reconocidos: %(malos)s. Puede usar %(campos)s.")
            % {"malos": ", ".join(malos), "campos": ", ".join("{" + c + "}" for c in CAMPOS)}
        )


def formatear_texto(texto: str, valores: dict[str, str]) -> SafeString:
    """The staff's text with its placeholders filled. The text is data, never template code: it is
    escaped, checked to hold only the plain CAMPOS, then filled with str.format_map from escaped
    values (so neither the text nor a name can inject markup)."""
    escapado = str(escape(texto))
    validar_texto(escapado)
    lleno = escapado.format_map({c: str(escape(valores.get(c, ""))) for c in CAMPOS})
    return mark_safe(lleno.replace("\n", "<br>\n"))  # noqa: S308 - every piece was escaped above


def plantilla_de(autoridad: AutoridadGarante) -> PlantillaConstancia:
    """The authority's template, or an unsaved one with the model's defaults."""
    return PlantillaConstancia.objects.filter(autoridad=autoridad).first() or PlantillaConstancia(autoridad=autoridad)


def _firmantes_limpios(firmantes) -> list[dict]:
    limpios = []
    for f in firmantes or []:
        nombre, cargo = (f.get("nombre") or "").strip(), (f.get("cargo") or "").strip()
        if nombre or cargo:
            limpios.append({"nombre": nombre, "cargo": cargo})
    return limpios


@transaction.atomic
def plantilla_guardar(*, autoridad: AutoridadGarante, titulo: str, cuerpo: str, pie: str, firmantes: list[dict],
                      usuario) -> PlantillaConstancia:
    validar_texto(cuerpo)
    plantilla = (PlantillaConstancia.objects.select_for_update().filter(autoridad=autoridad).first()
                 or PlantillaConstancia(autoridad=autoridad))
    plantilla.titulo = titulo.strip()
    plantilla.cuerpo = cuerpo.strip()
    plantilla.pie = pie.strip()
    plantilla.firmantes = _firmantes_limpios(firmantes)
    try:
        plantilla.full_clean()
    except ValidationError as exc:
        raise ErrorDominio(" ".join(exc.messages)) from exc
    plantilla._history_user = usuario
    plantilla.save()
    return plantilla


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
        "firmantes": _firmantes_limpios(plantilla.firmantes),
        "logo": _logo(autoridad),
        "geometria": constancias_pdf.geometria(),
    }


def _valores(registro: Registro) -> dict[str, str]:
    jornada = registro.jornada
    sujeto = registro.participante.sujeto
    return {
        "nombre": registro.participante.nombre,
        "sujeto": sujeto.nombre if sujeto else _("su institución"),
        "jornada": jornada.titulo,
        "fecha": fecha_larga(jornada.inicio),
        "coordinador": jornada.coordinador,
    }


def _pagina(documento: DocumentoVerificable, registro: Registro, plantilla: PlantillaConstancia) -> dict:
    return {
        "ancla": f"constancia-{documento.pk}",
        "nombre": registro.participante.nombre,
        "cuerpo": formatear_texto(plantilla.cuerpo, _valores(registro)),
        "folio": documento.folio,
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
        "jornada": _("Jornada de sensibilización en Transparencia Proactiva"),
        "fecha": fecha_larga(hoy),
        "coordinador": _("Comisionada Presidenta"),
    }
    url = f"{settings.SITE_URL.rstrip('/')}{reverse('core:verificar', args=['MUESTRA'])}"
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


# --- rendering a chunk -----------------------------------------------------------------------

_FONDOS: dict[str, bytes] = {}


def _html(contexto: dict):
    import weasyprint

    return weasyprint.HTML(string=render_to_string(PLANTILLA_PDF, contexto), base_url=str(settings.BASE_DIR),
                           url_fetcher=pdf._fetcher())


def _fondo(comun: dict) -> bytes:
    """The part every certificate shares, rendered once per worker process and template version."""
    html = render_to_string(PLANTILLA_PDF, {**comun, "capa": "fondo", "paginas": [{"ancla": "fondo"}]})
    clave = hashlib.sha256(html.encode()).hexdigest()
    if clave not in _FONDOS:
        import weasyprint

        if len(_FONDOS) > 16:
            _FONDOS.clear()
        _FONDOS[clave] = weasyprint.HTML(string=html, base_url=str(settings.BASE_DIR),
                                         url_fetcher=pdf._fetcher()).write_pdf()
    return _FONDOS[clave]


def renderizar(documentos: list[DocumentoVerificable]) -> list[bytes]:
    """One single-page PDF per document, in order, from one layout of all of them. Every document
    must be a constancia of the same authority, with its constancia, registro and people loaded."""
    registros = [d.constancia.registro for d in documentos]
    autoridad = registros[0].jornada.autoridad
    if any(r.jornada.autoridad_id != autoridad.pk for r in registros):
        raise ValueError("Un bloque de constancias debe ser de una sola autoridad.")
    plantilla = plantilla_de(autoridad)
    comun = _contexto_comun(autoridad, plantilla)
    paginas = [_pagina(d, r, plantilla) for d, r in zip(documentos, registros, strict=True)]
    fondo = _fondo(comun)
    maquetado = _html({**comun, "capa": "datos", "paginas": paginas}).render()
    # One page per attendee, in order: each page must hold its own attendee's anchor.
    if len(maquetado.pages) != len(paginas):
        raise constancias_pdf.ErrorPaginas(
            f"Se esperaban {len(paginas)} páginas y la maquetación dio {len(maquetado.pages)}.")
    for hoja, pagina in zip(maquetado.pages, paginas, strict=True):
        if pagina["ancla"] not in hoja.anchors:
            raise constancias_pdf.ErrorPaginas(f"La página de {pagina['folio']} no es la suya.")
    qrs = [segno.make(p["url"], error="m", mask=MASCARA_QR) for p in paginas]
    return constancias_pdf.dividir(maquetado.write_pdf(), fondo, qrs)


def bloque_generar(*, lote_id: int, documento_ids: list[int], cerrar: bool = True) -> list[int]:
    """Render the chunk's documents that are still pending, store them and mark them ready, in one
    transaction; then, unless cerrar=False, close the batch if that was its last pending work. Rows
    another worker holds are skipped; returns the ids skipped that way (still pending) so the
    caller can look again later."""
    with transaction.atomic():
        filas = list(
            DocumentoVerificable.objects.select_for_update(skip_locked=True, of=("self",))
            .filter(pk__in=documento_ids, tipo=DocumentoVerificable.Tipo.CONSTANCIA, estado_pdf=Estado.PENDIENTE,
                    revocado_en__isnull=True)
            .select_related("constancia__registro__participante__sujeto", "constancia__registro__jornada__autoridad")
            .order_by("folio")
        )
        # One layout for the whole chunk; the state moves through core's one lifecycle.
        core_documentos.documentos_marcar_listos(filas=filas, contenidos=renderizar(filas) if filas else [],
                                            motivo="constancia generada en lote")
    hechos = {d.pk for d in filas}
    omitidos = list(
        DocumentoVerificable.objects.filter(pk__in=set(documento_ids) - hechos, estado_pdf=Estado.PENDIENTE,
                                            revocado_en__isnull=True).values_list("pk", flat=True)
    )
    if cerrar:
        lote_verificar_fin(lote_id=lote_id)
    return omitidos


def bloque_generar_uno_a_uno(*, lote_id: int, documento_ids: list[int]) -> None:
    """After a chunk failed for good: each document on its own, so one bad record fails alone."""
    for pk in documento_ids:
        try:
            core_documentos.documento_generar(documento_id=pk)
        except Exception as exc:
            logger.exception("Constancia %s no se pudo generar", pk)
            core_documentos.documento_marcar_fallo(documento_id=pk, error=f"{type(exc).__name__}: {exc}",
                                              definitivo=True)
    lote_verificar_fin(lote_id=lote_id)


# --- issuing ---------------------------------------------------------------------------------


def _alcance(jornada: Jornada | None, ciclo: Ciclo | None) -> dict:
    if (jornada is None) == (ciclo is None):
        raise ValueError("jornada o ciclo, exactamente uno")
    return {"jornada": jornada} if jornada else {"jornada__ciclo": ciclo}


def elegibles(*, jornada: Jornada | None = None, ciclo: Ciclo | None = None):
    """Registrations that earn a constancia: attended, and answered the survey when the session asks."""
    return Registro.objects.filter(**_alcance(jornada, ciclo), asistio=True).filter(
        Q(jornada__constancia_requiere_encuesta=False) | Q(encuesta_respondida_en__isnull=False)
    )


def constancias_de(*, jornada: Jornada | None = None, ciclo: Ciclo | None = None):
    return Constancia.objects.filter(**{f"registro__{k}": v for k, v in _alcance(jornada, ciclo).items()})


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
                titulo=plantilla.titulo, resumen=_resumen(registro), visible_desde=ahora,
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
    if encolar:
        transaction.on_commit(lambda: lote_encolar(lote_id=lote.pk))
    return lote


def _partes(ids: list[int], maximo: int) -> list[list[int]]:
    """Chunks of at most `maximo`, of equal size (so the last one does not run alone)."""
    if not ids:
        return []
    cuantas = math.ceil(len(ids) / max(1, maximo))
    paso = math.ceil(len(ids) / cuantas)
    return [ids[i:i + paso] for i in range(0, len(ids), paso)]


def lote_encolar(*, lote_id: int) -> int:
    """Queue one task per chunk of the batch's pending documents (a Celery group); with nothing
    pending, the closing task. Returns the number of chunks."""
    ids = list(DocumentoVerificable.objects.filter(constancia__lote_id=lote_id, estado_pdf=Estado.PENDIENTE,
                                                   revocado_en__isnull=True)
               .order_by("folio").values_list("pk", flat=True))
    partes = _partes(ids, settings.CONSTANCIAS_POR_TAREA)
    if not partes:
        colas.encolar_ya(TAREA_CERRAR, lote_id)
        return 0
    group(colas.firma(TAREA_BLOQUE, lote_id, parte) for parte in partes).apply_async()
    return len(partes)


def constancias_reencolar(documento_ids: list[int]) -> None:
    """How core's sweep queues constancias left pending: their batches, chunk by chunk."""
    lotes = (Constancia.objects.filter(documento_id__in=documento_ids, lote__estado=LoteConstancias.Estado.EN_PROCESO)
             .order_by("lote_id").values_list("lote_id", flat=True).distinct())
    for lote_id in lotes:
        lote_encolar(lote_id=lote_id)


# --- closing a batch -------------------------------------------------------------------------


def lote_verificar_fin(*, lote_id: int) -> bool:
    """Close the batch if nothing in it is pending: ZIP, merged PDF, state, then the e-mails.
    Runs under the batch's row lock, so of the chunks finishing together only one closes it."""
    with transaction.atomic():
        lote = LoteConstancias.objects.select_for_update().filter(pk=lote_id).first()
        if lote is None or lote.estado != LoteConstancias.Estado.EN_PROCESO:
            return False
        documentos = DocumentoVerificable.objects.filter(constancia__lote=lote, revocado_en__isnull=True)
        if documentos.filter(estado_pdf=Estado.PENDIENTE).exists():
            return False
        _archivos_del_lote(lote)
        lote.transicionar(LoteConstancias.Estado.CON_ERRORES if documentos.filter(estado_pdf=Estado.FALLIDA).exists()
                          else LoteConstancias.Estado.TERMINADO, guardar=False, terminado_en=timezone.now())
        lote.save(update_fields=["zip", "pdf_unido", "estado", "terminado_en"])
        colas.encolar(TAREA_AVISAR, lote_id)
    return True


def _archivos_del_lote(lote: LoteConstancias) -> None:
    """The ZIP of every ready constancia and one merged PDF, both streamed to temporary files: one
    constancia's bytes in memory at a time."""
    filas = list(
        Constancia.objects.filter(lote=lote, documento__estado_pdf=Estado.LISTA, documento__revocado_en__isnull=True)
        .order_by("documento__folio")
        .values_list("documento__archivo", "documento__folio", "registro__participante__nombre")
    )
    almacen = lote.zip.storage
    base = slugify(str(lote.jornada or lote.ciclo))[:60] or "constancias"
    with tempfile.TemporaryFile() as zip_tmp, tempfile.TemporaryFile() as pdf_tmp:
        unido = constancias_pdf.PDFUnido(pdf_tmp)
        with zipfile.ZipFile(zip_tmp, "w", compression=zipfile.ZIP_STORED) as archivo_zip:
            for nombre, folio, persona in filas:
                with almacen.open(nombre, "rb") as origen:
                    datos = origen.read()
                with archivo_zip.open(f"{folio}-{slugify(persona)[:60]}.pdf", "w") as destino:
                    destino.write(datos)
                unido.agregar(datos)
        unido.cerrar()
        for campo, tmp, nombre in ((lote.zip, zip_tmp, f"{base}.zip"), (lote.pdf_unido, pdf_tmp, f"{base}.pdf")):
            if campo:
                campo.delete(save=False)
            tmp.seek(0)
            campo.save(nombre, File(tmp, name=nombre), save=False)


# --- e-mails ---------------------------------------------------------------------------------


def _enlace(ruta: str) -> str:
    return f"{settings.SITE_URL.rstrip('/')}{ruta}"


def url_descarga(documento: DocumentoVerificable) -> str:
    """The personal download link: the verifiable-document download by its unguessable code."""
    return _enlace(reverse("core:documento", args=[documento.codigo]))


def _correo(constancias: list[Constancia], conexion) -> EmailMessage:
    participante = constancias[0].registro.participante
    autoridad = constancias[0].registro.jornada.autoridad
    filas = [{"jornada": c.registro.jornada, "folio": c.documento.folio, "descarga": url_descarga(c.documento),
              "verificacion": url_verificacion(c.documento)} for c in constancias]
    return correo_construir(plantilla="jornadas/correos/constancias", para=[participante.correo], conexion=conexion,
                            contexto={"participante": participante, "autoridad": autoridad, "constancias": filas})


def lote_avisar(*, lote_id: int) -> int:
    """E-mail each attendee of the batch once, with a link to each of their ready constancias not
    yet announced. A failed send leaves them unannounced for the next run. Returns e-mails sent."""
    pendientes = (
        Constancia.objects.filter(lote_id=lote_id, avisada_en__isnull=True, documento__estado_pdf=Estado.LISTA,
                                  documento__revocado_en__isnull=True)
        .select_related("registro__participante", "registro__jornada__autoridad", "documento")
        .order_by("registro__participante_id", "documento__folio")
    )
    enviados = 0
    with get_connection() as conexion:
        for _persona, grupo in itertools.groupby(pendientes.iterator(chunk_size=500),
                                                key=lambda c: c.registro.participante_id):
            grupo = list(grupo)
            try:
                with transaction.atomic():
                    mias = set(Constancia.objects.select_for_update(skip_locked=True)
                               .filter(pk__in=[c.pk for c in grupo], avisada_en__isnull=True)
                               .values_list("pk", flat=True))
                    grupo = [c for c in grupo if c.pk in mias]
                    if not grupo:
                        continue
                    Constancia.objects.filter(pk__in=mias).update(avisada_en=timezone.now())
                    _correo(grupo, conexion).send()
            except Exception:  # the constancias are issued; a mail outage is logged and retried later
                logger.exception("No se pudo avisar de sus constancias a %s", grupo[0].registro.participante.correo)
                continue
            enviados += 1
    return enviados


# --- staff actions ---------------------------------------------------------------------------


@transaction.atomic
def lote_reintentar(*, lote: LoteConstancias, usuario) -> int:
    """Queue again the batch's failed documents; the batch reopens and closes again when done."""
    lote = LoteConstancias.objects.select_for_update().get(pk=lote.pk)
    fallidas = list(DocumentoVerificable.objects.select_for_update()
                    .filter(constancia__lote=lote, estado_pdf=Estado.FALLIDA, revocado_en__isnull=True))
    if not fallidas:
        raise ErrorDominio(_("Este lote no tiene constancias fallidas."))
    core_documentos.documentos_reintentar(filas=fallidas, usuario=usuario, motivo="reintento")
    if lote.estado != LoteConstancias.Estado.EN_PROCESO:  # failures of a batch still running: it stays open
        lote.transicionar(LoteConstancias.Estado.EN_PROCESO, guardar=False, terminado_en=None)
    lote.save(update_fields=["estado", "terminado_en"])
    transaction.on_commit(lambda: lote_encolar(lote_id=lote.pk))
    return len(fallidas)


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


# --- reads -----------------------------------------------------------------------------------


def lote_progreso(lote: LoteConstancias) -> dict:
    cuenta = DocumentoVerificable.objects.filter(constancia__lote=lote).aggregate(
        total=Count("pk"),
        listas=Count("pk", filter=Q(estado_pdf=Estado.LISTA)),
        fallidas=Count("pk", filter=Q(estado_pdf=Estado.FALLIDA)),
    )
    total = lote.total or cuenta["total"]
    listas = min(cuenta["listas"], total)
    return {
        "total": total,
        "listas": listas,
        "fallidas": cuenta["fallidas"],
        "pendientes": max(total - listas - cuenta["fallidas"], 0),
        "porcentaje": round(100 * listas / total) if total else 100,
    }


def resumen_constancias(*, jornada: Jornada | None = None, ciclo: Ciclo | None = None) -> dict:
    """Counts for a session's or a cycle's page, in two queries."""
    elegible = Q(asistio=True) & (Q(jornada__constancia_requiere_encuesta=False)
                                  | Q(encuesta_respondida_en__isnull=False))
    registros = Registro.objects.filter(**_alcance(jornada, ciclo)).aggregate(
        asistentes=Count("pk", filter=Q(asistio=True)),
        elegibles=Count("pk", filter=elegible),
        por_emitir=Count("pk", filter=elegible & Q(constancia__isnull=True)),
    )
    constancias = constancias_de(jornada=jornada, ciclo=ciclo).aggregate(
        emitidas=Count("pk"),
        listas=Count("pk", filter=Q(documento__estado_pdf=Estado.LISTA)),
        fallidas=Count("pk", filter=Q(documento__estado_pdf=Estado.FALLIDA)),
        revocadas=Count("pk", filter=Q(documento__revocado_en__isnull=False)),
        avisadas=Count("pk", filter=Q(avisada_en__isnull=False)),
    )
    return {**registros, **constancias}



# --- core's document registry ----------------------------------------------------------------


def registrar() -> None:
    """A constancia rendered on its own (a retry, a rebuild) uses the batch's template; the sweep
    queues stale ones through their batch (constancias_reencolar), keeping the one-layout chunks."""
    core_documentos.tipo_registrar(core_documentos.TipoDocumento(
        clave=DocumentoVerificable.Tipo.CONSTANCIA, modelo=DocumentoVerificable, plantilla=PLANTILLA_PDF,
        contexto=contexto_constancia, encolar=constancias_reencolar,
    ))
