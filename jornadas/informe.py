"""The cycle's report (like the guarantor's report on its 2023 awareness sessions, seeds/000_*): its context for the
page and the PDF, and the PDF as a generated file (core.documentos' one lifecycle) keyed by cycle
and a hash of the content.

One InformeCiclo row per cycle and content hash says whether its PDF is pending, ready or failed;
the file lives at jornadas/informes/<cycle>/<hash>.pdf in private storage. When the numbers change
the hash changes, so a stale PDF is never offered; rendering a ready row does nothing. PDFs are
rendered by core's Celery task only, never in the request."""

import hashlib
import json
import logging
from collections.abc import Callable
from datetime import timedelta

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core import documentos
from core.storage import private_storage

from . import graficas, selectors
from .models import Ciclo, InformeCiclo

logger = logging.getLogger(__name__)

VERSION_PLANTILLA = "3"  # bump when templates/jornadas/pdf/informe.html changes
PLANTILLA_PDF = "jornadas/pdf/informe.html"
# A PDF still pending this long shows as failed (with a retry button), never "generating" forever.
PENDIENTE_CADUCA = timedelta(minutes=15)

LISTO, PENDIENTE, FALLIDO, NINGUNO = "listo", "pendiente", "fallido", "ninguno"
Estado = InformeCiclo.EstadoPDF


def almacen():
    return private_storage()


def ruta(ciclo_id: int, huella: str, extension: str) -> str:
    return f"jornadas/informes/{ciclo_id}/{huella}.{extension}"


# Sections the apps above add to the report (compromisos: the commitments gathered in the cycle),
# registered from their AppConfig.ready(); jornadas imports none of them. Each is a function
# (ciclo) -> None or a dict with "plantilla" (included in the body, with the dict as `seccion`) and
# "huella" (what it says, JSON-able: it goes into the content hash).
_SECCIONES: list[Callable] = []


def registrar_seccion(seccion_de: Callable) -> None:
    if seccion_de not in _SECCIONES:
        _SECCIONES.append(seccion_de)


def secciones(ciclo: Ciclo) -> list[dict]:
    return [s for s in (seccion_de(ciclo) for seccion_de in _SECCIONES) if s]


def _huella(datos: dict) -> str:
    """Hash of what the report says (not of the query objects), so equal content, equal file."""
    resultados = datos["resultados"]
    contenido = {
        "version": VERSION_PLANTILLA,
        "ciclo": [datos["ciclo"].nombre, datos["ciclo"].descripcion, str(datos["ciclo"].autoridad)],
        "jornadas": [[j.pk, j.titulo, j.inicio.isoformat(), j.coordinador, j.cargo_coordinador, j.temas,
                      j.num_registros, j.num_asistentes, j.num_encuestas] for j in datos["jornadas"]],
        "sujetos": datos["conteos"].por_sujeto,
        "ordenes": datos["conteos"].por_orden,
        "encuesta": [resultados.envios, resultados.respondieron, resultados.aviso_reserva] + [
            [p.pregunta.texto, p.filas, p.promedio, p.comentarios] for p in resultados.preguntas
        ],
        "secciones": [[s["plantilla"], s["huella"]] for s in datos.get("secciones", [])],
    }
    return hashlib.sha256(json.dumps(contenido, sort_keys=True, default=str).encode()).hexdigest()[:32]


def contexto(ciclo: Ciclo) -> dict:
    """Data, charts and content hash of the report (page and PDF share it)."""
    datos = selectors.informe_ciclo(ciclo)
    conteos = datos["conteos"]
    total = conteos.asistentes or 1
    filas_jornadas = [{"etiqueta": j.titulo, "conteo": j.num_asistentes,
                       "porcentaje": round(100 * j.num_asistentes / total, 1)} for j in datos["jornadas"]]
    filas_orden = [{"etiqueta": o["orden"], "conteo": o["asistentes"], "porcentaje": o["porcentaje"]}
                   for o in conteos.por_orden]
    datos["grafica_jornadas"] = graficas.barras(filas_jornadas, titulo=_("Asistencia por jornada"),
                                                con_porcentaje=False)
    datos["grafica_orden"] = graficas.barras(filas_orden, titulo=_("Participación por orden de gobierno"))
    for p in datos["resultados"].preguntas:
        if not p.es_texto:
            p.grafica = graficas.barras(p.filas, titulo=p.pregunta.texto)
    datos["secciones"] = secciones(ciclo)
    datos["huella"] = _huella(datos)
    return datos


def estado(ciclo_id: int, huella: str) -> dict:
    """{"estado": listo|pendiente|fallido|ninguno, "error": str} of the PDF for this content."""
    fila = InformeCiclo.objects.filter(ciclo_id=ciclo_id, huella=huella).first()
    if fila is None:
        return {"estado": NINGUNO, "error": ""}
    if fila.estado_pdf == Estado.LISTA:
        # A file gone missing is rebuilt by core's sweep; meanwhile it can be asked for again.
        return {"estado": LISTO if almacen().exists(fila.archivo.name) else NINGUNO, "error": ""}
    if fila.estado_pdf == Estado.FALLIDA:
        return {"estado": FALLIDO, "error": fila.error[:500]}
    if timezone.now() - fila.pendiente_desde < PENDIENTE_CADUCA:
        return {"estado": PENDIENTE, "error": ""}
    return {"estado": FALLIDO, "error": _("La generación tardó demasiado; vuelva a intentarlo.")}


def _escribir(nombre: str, contenido: bytes) -> None:
    storage = almacen()
    if storage.exists(nombre):
        storage.delete(nombre)
    storage.save(nombre, ContentFile(contenido))


@transaction.atomic
def marcar_pendiente(ciclo_id: int, huella: str) -> InformeCiclo:
    """Ask for the PDF of this content: a new row, a failed or stuck one retried, a ready one whose
    file went missing rebuilt; the render is queued after the commit."""
    fila, creada = InformeCiclo.objects.select_for_update().get_or_create(ciclo_id=ciclo_id, huella=huella)
    if creada:
        documentos.encolar(fila)
    elif fila.estado_pdf == Estado.LISTA:
        documentos.encolar(fila, reconstruir=True)
    else:
        documentos.documento_reintentar(documento=fila)
    return fila


def contexto_pdf(fila: InformeCiclo) -> dict:
    """What the PDF says: the cycle's content now. When it changed since it was asked for, the row
    moves to the new hash (the old one then has no PDF, as it should)."""
    ciclo = Ciclo.objects.select_related("autoridad").get(pk=fila.ciclo_id)
    datos = contexto(ciclo)
    if datos["huella"] != fila.huella and not InformeCiclo.objects.filter(ciclo=ciclo, huella=datos["huella"]).exists():
        fila.huella = datos["huella"]  # filed under what it says (the file's path follows the hash)
    return datos


def generar(ciclo_id: int, huella: str) -> str:
    """Render and store the PDF of this content now (the worker's path, callable directly). Safe to
    run twice. Returns the hash it was filed under (the content may have changed since)."""
    fila, _creada = InformeCiclo.objects.get_or_create(ciclo_id=ciclo_id, huella=huella)
    fila = documentos.documento_generar(documento_id=fila.pk, modelo=InformeCiclo)
    return fila.huella


def registrar() -> None:
    documentos.tipo_registrar(documentos.TipoDocumento(
        clave=InformeCiclo.TIPO_DOCUMENTO, modelo=InformeCiclo, plantilla=PLANTILLA_PDF, contexto=contexto_pdf,
    ))
