"""The signed cycle on PostgreSQL with a real Celery worker: a call signed with e.firma closes scoring,
the worker renders the ruling's PDF to sign, three jurors sign it with their e.firma, the worker renders
and seals the recognition with the authority's certificate, the results are published at their second,
and both files, uploaded to the verification page, are recognised with every signature intact.

As in tests/evaluacion/test_ciclo_worker.py, the results second is set a few real seconds ahead and
this process waits for it (so the worker's clock agrees) before publishing exactly at it."""

from datetime import timedelta
from pathlib import Path

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from convocatorias.services import convocatoria_actualizar
from core import firma_digital, sellos
from core.models import DocumentoVerificable
from evaluacion import services
from evaluacion import tasks as evaluacion_tasks
from evaluacion.models import Dictamen
from tests import firmas
from tests.evaluacion import builders
from tests.worker import esperar, fixture_celery_worker, fixture_celery_worker_process  # noqa: F401

pytestmark = [pytest.mark.celery_worker, pytest.mark.django_db(transaction=True)]

MARGEN_SEGUNDOS = 10


@pytest.fixture
def sello_compartido(settings, autoridad):
    """The authority's seal where the worker looks for it (its TEST_MEDIA_DIR), with its secret in the
    file the demo uses (the worker was started before this test, so not in its environment)."""
    base = Path(settings.PRIVATE_MEDIA_ROOT).parent / "sellos"
    raices = base / "raices"
    raices.mkdir(parents=True, exist_ok=True)
    settings.FIRMA_SELLOS_DIR, settings.FIRMA_RAICES_DIR = base, raices
    ac = firmas.autoridad_certificadora()
    (raices / "ac-pruebas.cer").write_bytes(ac.der)
    (base / f"{autoridad.slug}.p12").write_bytes(firmas.sello_pkcs12(ac, autoridad.siglas))
    (base / f"{autoridad.slug}.clave").write_text(firmas.CONTRASENA)
    sellos.olvidar()
    yield ac
    for archivo in (base / f"{autoridad.slug}.p12", base / f"{autoridad.slug}.clave", raices / "ac-pruebas.cer"):
        archivo.unlink(missing_ok=True)
    sellos.olvidar()


def _listo(pk):
    doc = DocumentoVerificable.objects.filter(pk=pk).first()
    return doc if doc and doc.estado_pdf != DocumentoVerificable.EstadoPDF.PENDIENTE else None


def _subir(client, doc):
    with doc.archivo.open("rb") as fh:
        archivo = SimpleUploadedFile("documento.pdf", fh.read(), content_type="application/pdf")
    return client.post(reverse("core:verificar_archivo"), {"archivo": archivo}).content.decode()


def test_ciclo_con_efirma_del_jurado_y_sello_de_la_autoridad_con_worker_real(
        celery_worker, client, sello_compartido, autoridad, personal, sujeto_a):
    ac = sello_compartido
    esc = builders.en_evaluacion(autoridad=autoridad, personal=personal, n_practicas=1, n_jurado=3,
                                 sujetos=[sujeto_a], umbral="7.00")
    type(esc.convocatoria).objects.filter(pk=esc.convocatoria.pk).update(firma_electronica=True)
    builders.calificar_todo(esc, lambda mi, pi, ci: 9)
    services.calificacion_cerrar(convocatoria=esc.convocatoria, usuario=personal)
    dictamen = Dictamen.objects.get(practica=esc.practicas[0])
    services.dictamen_guardar(dictamen=dictamen, usuario=personal, decision=Dictamen.Decision.PROCEDENTE,
                              motivos={}, consideraciones="Se evaluó conforme a la convocatoria.")

    # The worker renders the PDF the jurors will sign.
    dictamen = Dictamen.objects.get(pk=dictamen.pk)
    para_firma = esperar(lambda: _listo(dictamen.documento_id), segundos=90, worker=celery_worker)
    assert para_firma.estado_pdf == DocumentoVerificable.EstadoPDF.LISTA, para_firma.error

    fecha = (timezone.now() + timedelta(seconds=MARGEN_SEGUNDOS)).replace(microsecond=0)
    conv = convocatoria_actualizar(convocatoria=esc.convocatoria, usuario=personal, datos={"fecha_resultados": fecha})
    for miembro in esc.miembros:
        par = firmas.efirma(ac, miembro.usuario.get_full_name(), rfc=f"JURA80010{miembro.orden}AB1")
        dictamen = services.dictamen_firmar(
            dictamen=dictamen, usuario=miembro.usuario,
            efirma=firma_digital.cargar_efirma(certificado=par.cer, clave_privada=par.key, contrasena=par.contrasena,
                                               nombre_esperado=miembro.usuario.get_full_name()))
    assert dictamen.estado == Dictamen.Estado.FIRMADO
    assert timezone.now() < fecha, "la firma tardó más que el margen; súbalo"

    # The worker renders and seals the recognition while it is still embargoed.
    reconocimiento = dictamen.reconocimiento.documento
    reconocimiento = esperar(lambda: _listo(reconocimiento.pk), segundos=90, worker=celery_worker)
    assert reconocimiento.estado_pdf == DocumentoVerificable.EstadoPDF.LISTA, reconocimiento.error
    assert "no coincide con ningún documento público" in _subir(client, reconocimiento)  # embargoed

    esperar(lambda: timezone.now() >= fecha + timedelta(milliseconds=200), segundos=MARGEN_SEGUNDOS + 5, cada=0.05)
    with time_machine.travel(fecha, tick=False):
        assert evaluacion_tasks.resultados_publicar_pendientes()["publicadas"] == [conv.pk]

    html = _subir(client, reconocimiento)
    assert "El archivo es idéntico al documento que emitió este portal." in html
    assert f"Sello de {autoridad.siglas}" in html and html.count(">Íntegra<") == 1
    assert "Certificado reconocido por el portal" in html and "Vigente" in html

    html = _subir(client, DocumentoVerificable.objects.get(pk=dictamen.documento_id))
    assert "El archivo es idéntico al documento que emitió este portal." in html
    assert html.count(">Íntegra<") == 3
    for miembro in esc.miembros:
        assert miembro.usuario.get_full_name() in html
