"""The acuse crosses the broker to a real Celery worker process and comes back as a PDF."""

import io
import re
from pathlib import Path

import pytest
from django.conf import settings
from pypdf import PdfReader

from practicas import services
from practicas.models import Acuse, Practica
from tests import factories
from tests.worker import esperar, fixture_celery_worker, fixture_celery_worker_process  # noqa: F401

pytestmark = [
    pytest.mark.celery_worker,
    pytest.mark.django_db(transaction=True),
]

CSV = b"municipio,solicitudes\nMetepec,120\nToluca,340\n"


def _borrador_con_archivo():
    return factories.borrador_enviable(CSV)


def _acuse_en(practica, *estados):
    acuse = Acuse.objects.filter(practica=practica).first()
    return acuse if acuse is not None and acuse.estado_pdf in estados else None


def _texto_pdf(acuse):
    with acuse.archivo.open("rb") as fh:
        lector = PdfReader(io.BytesIO(fh.read()))
    # The hash is set in a narrow column: join the lines it wraps over before searching.
    return re.sub(r"\s+", "", "".join(pagina.extract_text() for pagina in lector.pages))


def test_acuse_generado_por_el_worker_cuando_se_envia_la_practica(celery_worker):
    practica, soporte, usuario = _borrador_con_archivo()

    practica = services.practica_enviar(practica=practica, usuario=usuario)

    assert practica.estado == Practica.Estado.ENVIADA
    # The request returns at once; the worker, not this process, renders the PDF.
    assert Acuse.objects.get(practica=practica).estado_pdf in {Acuse.Estado.PENDIENTE, Acuse.Estado.LISTA}
    acuse = esperar(lambda: _acuse_en(practica, Acuse.Estado.LISTA, Acuse.Estado.FALLIDA), segundos=60,
                    worker=celery_worker)
    assert acuse.estado_pdf == Acuse.Estado.LISTA, acuse.error
    assert acuse.intentos == 1
    assert "documento_generar_task[" in celery_worker.log_final(400), "el worker no registró la tarea"
    texto = _texto_pdf(acuse)
    assert practica.folio in texto
    assert soporte.sha256 in texto
    assert "solicitudes.csv" in texto


def test_acuse_fallido_queda_registrado_y_se_recupera_al_reintentar(celery_worker):
    """The worker cannot store the PDF (a file sits where the practice's acuse folder goes): it retries
    with backoff, then records the failure; once the obstacle is gone, staff's retry produces it."""
    practica, soporte, usuario = _borrador_con_archivo()
    obstaculo = Path(settings.PRIVATE_MEDIA_ROOT) / "acuses" / str(practica.pk)
    obstaculo.parent.mkdir(parents=True, exist_ok=True)
    obstaculo.write_text("no es una carpeta")
    try:
        practica = services.practica_enviar(practica=practica, usuario=usuario)

        # Four attempts (the first and three retries, 5 + 10 + 20 s apart), then final.
        acuse = esperar(lambda: _acuse_en(practica, Acuse.Estado.FALLIDA, Acuse.Estado.LISTA), segundos=90,
                        cada=1, worker=celery_worker)
        assert acuse.estado_pdf == Acuse.Estado.FALLIDA
        assert acuse.intentos == 4
        # Staff read the reason in Spanish; the worker's log has the exception under the same reference.
        assert acuse.error.startswith("No se pudo guardar o leer el archivo") and not acuse.archivo
        referencia = acuse.error.rsplit(" ", 1)[1].rstrip(".")
        esperar(lambda: f"referencia {referencia}" in celery_worker.log_final(4000), segundos=10, worker=celery_worker)
        assert "FileExistsError" in celery_worker.log_final(4000)
    finally:
        obstaculo.unlink()

    services.acuse_reintentar(acuse=acuse)

    acuse = esperar(lambda: _acuse_en(practica, Acuse.Estado.LISTA), segundos=60, worker=celery_worker)
    assert acuse.error == ""
    texto = _texto_pdf(acuse)
    assert practica.folio in texto and soporte.sha256 in texto
