"""The cycle's report (like Infoem's report on its 2023 awareness sessions): its context for the
page and the PDF, and the PDF as a cache in private storage keyed by cycle and a hash of the content.

No model is needed: jornadas/informes/<cycle>/<hash>.pdf is the finished file, <hash>.pendiente
says a worker has it queued, <hash>.error holds why it failed. When the numbers change the hash
changes, so a stale PDF is never offered; a task that finds its file already there does nothing.
PDFs are rendered by a Celery task only, never in the request."""

import hashlib
import json
import logging
from datetime import timedelta

from celery import shared_task
from django.core.files.base import ContentFile
from django.utils import timezone
from django.utils.translation import gettext as _

from core.pdf import render_pdf

from . import graficas, selectors
from .models import Ciclo

logger = logging.getLogger(__name__)

VERSION_PLANTILLA = "1"  # bump when templates/jornadas/pdf/informe.html changes
PENDIENTE_CADUCA = timedelta(minutes=15)

LISTO, PENDIENTE, FALLIDO, NINGUNO = "listo", "pendiente", "fallido", "ninguno"


def almacen():
    from core.storage import private_storage

    return private_storage()


def ruta(ciclo_id: int, huella: str, extension: str) -> str:
    return f"jornadas/informes/{ciclo_id}/{huella}.{extension}"


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
        "encuesta": [resultados.envios] + [
            [p.pregunta.texto, p.filas, p.promedio, p.comentarios] for p in resultados.preguntas
        ],
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
    datos["huella"] = _huella(datos)
    return datos


def estado(ciclo_id: int, huella: str) -> dict:
    """{"estado": listo|pendiente|fallido|ninguno, "error": str} of the PDF for this content."""
    storage = almacen()
    if storage.exists(ruta(ciclo_id, huella, "pdf")):
        return {"estado": LISTO, "error": ""}
    if storage.exists(ruta(ciclo_id, huella, "pendiente")):
        desde = storage.get_modified_time(ruta(ciclo_id, huella, "pendiente"))
        if timezone.now() - desde < PENDIENTE_CADUCA:
            return {"estado": PENDIENTE, "error": ""}
        return {"estado": FALLIDO, "error": _("La generación tardó demasiado; vuelva a intentarlo.")}
    if storage.exists(ruta(ciclo_id, huella, "error")):
        with storage.open(ruta(ciclo_id, huella, "error")) as fh:
            return {"estado": FALLIDO, "error": fh.read().decode("utf-8", "replace")[:500]}
    return {"estado": NINGUNO, "error": ""}


def _escribir(nombre: str, contenido: bytes) -> None:
    storage = almacen()
    if storage.exists(nombre):
        storage.delete(nombre)
    storage.save(nombre, ContentFile(contenido))


def _borrar(*nombres: str) -> None:
    storage = almacen()
    for nombre in nombres:
        if storage.exists(nombre):
            storage.delete(nombre)


def marcar_pendiente(ciclo_id: int, huella: str) -> None:
    _borrar(ruta(ciclo_id, huella, "error"))
    _escribir(ruta(ciclo_id, huella, "pendiente"), timezone.now().isoformat().encode())


def generar(ciclo_id: int, huella: str) -> str:
    """Render and store the PDF of the cycle's current content. Safe to run twice. Returns the
    hash it was stored under (the content may have changed since it was requested)."""
    ciclo = Ciclo.objects.select_related("autoridad").get(pk=ciclo_id)
    datos = contexto(ciclo)
    actual = datos["huella"]
    if almacen().exists(ruta(ciclo_id, actual, "pdf")):
        _borrar(ruta(ciclo_id, huella, "pendiente"), ruta(ciclo_id, actual, "pendiente"))
        return actual
    try:
        pdf = render_pdf("jornadas/pdf/informe.html", {**datos, "generado_en": timezone.now()})
    except Exception as exc:
        logger.exception("No se pudo generar el informe del ciclo %s", ciclo_id)
        for h in {huella, actual}:
            _escribir(ruta(ciclo_id, h, "error"), f"{type(exc).__name__}: {exc}".encode())
            _borrar(ruta(ciclo_id, h, "pendiente"))
        raise
    _escribir(ruta(ciclo_id, actual, "pdf"), pdf)
    _borrar(ruta(ciclo_id, huella, "pendiente"), ruta(ciclo_id, actual, "pendiente"),
            ruta(ciclo_id, actual, "error"))
    return actual


@shared_task(acks_late=True)
def informe_pdf_task(ciclo_id: int, huella: str):
    """Thin task: ids in, render once. Failures are recorded beside the file for the page."""
    try:
        generar(ciclo_id, huella)
    except Ciclo.DoesNotExist:
        return
    except Exception:  # already recorded in <hash>.error
        return
