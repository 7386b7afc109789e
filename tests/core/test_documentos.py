"""The one generated-document lifecycle (core.documentos): the registry of document types, the state
table, the retry policy that ends in a failure staff see, the sweep, and the cycle report's row.
Tasks run eagerly here (no broker); failures are real (a file where a folder must go)."""

import shutil
from datetime import timedelta
from pathlib import Path

import pytest
from celery import shared_task
from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from core import documentos
from core.errors import ErrorDominio, texto_error
from core.models import ArchivoGenerado, DocumentoVerificable
from core.tasks import MAX_REINTENTOS, documento_generar_task, documentos_barrer_task, reintentar_o_fallar
from jornadas import informe
from jornadas.models import Ciclo, InformeCiclo
from practicas import services as prac_services
from practicas.models import Acuse, Soporte
from tests import factories
from tests.jornadas import builders as bj

pytestmark = pytest.mark.django_db
Estado = ArchivoGenerado.EstadoPDF


@pytest.fixture
def acuse(practica_a, enlace_a, django_capture_on_commit_callbacks):
    """A sent practice whose acuse was queued but never taken by a worker (callbacks not run)."""
    with django_capture_on_commit_callbacks(execute=False):
        practica = prac_services.practica_enviar(practica=practica_a, usuario=enlace_a)
    return Acuse.objects.get(practica=practica)


@pytest.fixture
def practica_b_enviada(convocatoria, sujeto_b, enlace_b, django_capture_on_commit_callbacks):
    """Body B's practice, sent just now: its acuse is pending but not late."""
    practica = factories.PracticaFactory(convocatoria=convocatoria, sujeto=sujeto_b, creada_por=enlace_b)
    Soporte.objects.create(practica=practica, tipo=Soporte.Tipo.ENLACE, url="https://datos.ejemplo.gob.mx/b",
                           subido_por=enlace_b)
    with django_capture_on_commit_callbacks(execute=False):
        return prac_services.practica_enviar(practica=practica, usuario=enlace_b)


@pytest.fixture
def obstaculo():
    """Put a file where a folder must go, so storing a PDF there fails for real."""
    creados = []

    def poner(ruta_relativa: str) -> Path:
        ruta = Path(settings.PRIVATE_MEDIA_ROOT) / ruta_relativa
        ruta.parent.mkdir(parents=True, exist_ok=True)
        if ruta.is_dir():  # left by an earlier test with the same primary key
            shutil.rmtree(ruta)
        ruta.write_text("no es una carpeta")
        creados.append(ruta)
        return ruta

    yield poner
    for ruta in creados:
        ruta.unlink(missing_ok=True)


# --- the registry ----------------------------------------------------------------------------


def test_cada_app_registra_sus_tipos_de_documento():
    registrados = documentos.tipos_registrados()
    assert {"acuse", "dictamen", "reconocimiento", "constancia", "informe_ciclo", "carta_compromiso"} <= set(registrados)
    assert registrados["acuse"].modelo is Acuse
    assert registrados["dictamen"].modelo is DocumentoVerificable
    assert registrados["informe_ciclo"].modelo is InformeCiclo


def test_un_tipo_desconocido_da_un_error_claro():
    with pytest.raises(documentos.TipoDocumentoDesconocido) as exc:
        documentos.tipo_de("oficio")
    assert "oficio" in str(exc.value) and "tipo_registrar" in str(exc.value)


def test_generar_un_documento_de_tipo_no_registrado_falla_con_ese_error():
    doc = DocumentoVerificable.objects.create(tipo="carta", folio="X-1", titulo="Carta",
                                              visible_desde=timezone.now())
    with pytest.raises(documentos.TipoDocumentoDesconocido):
        documentos.documento_generar(documento_id=doc.pk)
    doc.refresh_from_db()
    assert doc.estado_pdf == Estado.PENDIENTE and not doc.archivo


def test_registrar_algo_que_no_es_un_archivo_generado_se_rechaza():
    with pytest.raises(TypeError):
        documentos.tipo_registrar(documentos.TipoDocumento(clave="x", modelo=Ciclo, plantilla="x.html",
                                                           contexto=dict))


# --- the state table -------------------------------------------------------------------------


def test_la_tabla_de_estados_es_una_para_todos():
    assert Acuse.TRANSICIONES is DocumentoVerificable.TRANSICIONES is InformeCiclo.TRANSICIONES
    assert {
        Estado.PENDIENTE: {Estado.LISTA, Estado.FALLIDA},
        Estado.FALLIDA: {Estado.PENDIENTE},
        Estado.LISTA: set(),
    } == ArchivoGenerado.TRANSICIONES


def test_una_transicion_ilegal_se_rechaza_con_mensaje_en_espanol(acuse):
    Acuse.objects.filter(pk=acuse.pk).update(estado_pdf=Estado.FALLIDA)
    acuse.refresh_from_db()
    assert acuse.puede_pasar_a(Estado.PENDIENTE) and not acuse.puede_pasar_a(Estado.LISTA)
    with pytest.raises(documentos.ErrorTransicion) as exc:
        documentos.pasar(acuse, Estado.LISTA)
    assert isinstance(exc.value, ErrorDominio)
    assert "no puede pasar de «Fallida» a «Lista»" in exc.value.mensaje
    assert acuse.estado_pdf == Estado.FALLIDA


def test_un_fallido_no_se_genera_sin_reintentar(acuse):
    Acuse.objects.filter(pk=acuse.pk).update(estado_pdf=Estado.FALLIDA)
    documentos.documento_generar(documento_id=acuse.pk, modelo=Acuse)
    acuse.refresh_from_db()
    assert acuse.estado_pdf == Estado.FALLIDA and not acuse.archivo


def test_lista_exige_archivo_y_huella_en_la_base_de_datos(acuse):
    with pytest.raises(IntegrityError), transaction.atomic():
        Acuse.objects.filter(pk=acuse.pk).update(estado_pdf=Estado.LISTA)


def test_reintentar_uno_listo_no_hace_nada(acuse):
    documentos.documento_generar(documento_id=acuse.pk, modelo=Acuse)
    acuse.refresh_from_db()
    assert acuse.estado_pdf == Estado.LISTA
    assert documentos.documento_reintentar(documento=acuse) is False
    with pytest.raises(ErrorDominio, match="ya está listo"):
        prac_services.acuse_reintentar(acuse=acuse)


# --- the retry policy ------------------------------------------------------------------------


def test_tras_los_reintentos_queda_fallido_y_el_personal_lo_ve(client, personal, acuse, obstaculo, reintentos_eager):
    obstaculo(f"acuses/{acuse.practica_id}")
    documento_generar_task.apply(args=[acuse.pk, "practicas.acuse"])
    acuse.refresh_from_db()
    assert acuse.estado_pdf == Estado.FALLIDA
    assert acuse.intentos == MAX_REINTENTOS + 1  # the first try and every retry, each recorded
    # Staff read the reason in Spanish and a reference; the exception's name is only in the log.
    assert acuse.error.startswith("No se pudo guardar o leer el archivo en el almacenamiento del portal.")
    assert "Referencia para el área de sistemas:" in acuse.error and "Error" not in acuse.error
    assert not acuse.archivo
    client.force_login(personal)
    html = client.get(reverse("panel:inicio")).content.decode()
    assert acuse.practica.folio in html
    assert f'action="{reverse("panel:acuse_reintentar", args=[acuse.pk])}"' in html


def test_reintentar_un_fallido_lo_vuelve_pendiente_y_lo_genera(acuse, django_capture_on_commit_callbacks):
    Acuse.objects.filter(pk=acuse.pk).update(estado_pdf=Estado.FALLIDA, intentos=4, error="x")
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        prac_services.acuse_reintentar(acuse=acuse)
    acuse.refresh_from_db()
    assert acuse.estado_pdf == Estado.PENDIENTE and len(callbacks) == 1
    callbacks[0]()
    acuse.refresh_from_db()
    assert acuse.estado_pdf == Estado.LISTA and acuse.sha256 and acuse.error == ""


_fallos: list[tuple[str, bool]] = []


@shared_task(bind=True, max_retries=MAX_REINTENTOS)
def _tarea_que_excede_su_tiempo(self):
    try:
        raise SoftTimeLimitExceeded()
    except Exception as exc:
        reintentar_o_fallar(self, exc, lambda error, definitivo: _fallos.append((error, definitivo)))
        return "se rindió"


def test_el_limite_suave_de_tiempo_es_un_fallo_que_se_reintenta(reintentos_eager):
    _fallos.clear()
    _tarea_que_excede_su_tiempo.apply()
    assert [definitivo for _error, definitivo in _fallos] == [False] * MAX_REINTENTOS + [True]
    assert all("tiempo límite" in error for error, _definitivo in _fallos)


def test_el_motivo_de_una_falla_se_lee_en_espanol_y_el_detalle_va_al_registro(caplog):
    with caplog.at_level("ERROR", logger="core.errors"):
        texto = texto_error(NoReverseMatch("Reverse for 'x' not found."))
    referencia = texto.rsplit(" ", 1)[1].rstrip(".")
    assert texto.startswith("La plantilla del documento tiene un error; avise al área de sistemas.")
    assert "NoReverseMatch" not in texto and "Reverse for" not in texto
    registro = caplog.records[-1]
    assert referencia in registro.getMessage() and "NoReverseMatch" in registro.getMessage()
    assert registro.exc_info is not None
    assert texto_error(ErrorDominio("La plantilla no tiene firmante.")).startswith("La plantilla no tiene firmante.")


def test_limites_de_tiempo_de_las_tareas():
    assert 0 < settings.CELERY_TASK_SOFT_TIME_LIMIT < settings.CELERY_TASK_TIME_LIMIT


# --- the sweep -------------------------------------------------------------------------------


def test_el_barrido_reencola_un_pendiente_viejo_y_no_uno_reciente(acuse, practica_b_enviada,
                                                                  django_capture_on_commit_callbacks):
    Acuse.objects.filter(pk=acuse.pk).update(pendiente_desde=timezone.now() - timedelta(minutes=11))
    reciente = Acuse.objects.get(practica=practica_b_enviada)
    # The sweep runs in autocommit (a periodic task): its tasks leave the outbox at once. Here the
    # test's transaction holds them until the block ends.
    with django_capture_on_commit_callbacks(execute=True):
        resultado = documentos_barrer_task()
    assert resultado["por_tipo"] == {"acuse": 1}
    acuse.refresh_from_db()
    reciente.refresh_from_db()
    assert acuse.estado_pdf == Estado.LISTA and acuse.sha256
    assert reciente.estado_pdf == Estado.PENDIENTE


def test_el_barrido_reconstruye_un_archivo_perdido(acuse, django_capture_on_commit_callbacks):
    documentos.documento_generar(documento_id=acuse.pk, modelo=Acuse)
    acuse.refresh_from_db()
    ruta_vieja = Path(acuse.archivo.path)
    ruta_vieja.unlink()
    with django_capture_on_commit_callbacks(execute=True):
        assert documentos_barrer_task()["reconstruidos"] == 1
    acuse.refresh_from_db()
    assert acuse.estado_pdf == Estado.LISTA
    assert Path(acuse.archivo.path).is_file() and acuse.sha256
    assert documentos_barrer_task()["reconstruidos"] == 0  # nothing missing any more


# --- the cycle report ------------------------------------------------------------------------


@pytest.fixture
def ciclo(autoridad):
    ciclo = bj.ciclo(autoridad_=autoridad, nombre="Jornadas 2024")
    bj.jornada_con_asistentes(2, ciclo_=ciclo, titulo="Única jornada")
    return ciclo


def test_el_informe_muestra_fallido_y_no_se_esta_generando_para_siempre(client, personal, ciclo, obstaculo, reintentos_eager,
                                                                         django_capture_on_commit_callbacks):
    obstaculo(f"jornadas/informes/{ciclo.pk}")
    client.force_login(personal)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("panel:jornadas_informe_solicitar", args=[ciclo.slug]))
    huella = informe.contexto(ciclo)["huella"]
    fila = InformeCiclo.objects.get(ciclo=ciclo, huella=huella)
    assert fila.estado_pdf == Estado.FALLIDA and fila.intentos == MAX_REINTENTOS + 1
    html = client.get(reverse("panel:jornadas_informe", args=[ciclo.slug])).content.decode()
    assert "No se pudo generar el PDF" in html and "Volver a intentar" in html
    assert "Generando el PDF del informe" not in html and 'hx-trigger="every 2s"' not in html


def test_un_informe_pendiente_sin_trabajador_acaba_fallido_en_la_pagina(client, personal, ciclo,
                                                                        django_capture_on_commit_callbacks):
    client.force_login(personal)
    with django_capture_on_commit_callbacks(execute=False):  # queued, never taken by a worker
        client.post(reverse("panel:jornadas_informe_solicitar", args=[ciclo.slug]))
    html = client.get(reverse("panel:jornadas_informe", args=[ciclo.slug])).content.decode()
    assert "Generando el PDF del informe" in html
    InformeCiclo.objects.filter(ciclo=ciclo).update(pendiente_desde=timezone.now() - informe.PENDIENTE_CADUCA)
    html = client.get(reverse("panel:jornadas_informe", args=[ciclo.slug])).content.decode()
    assert "Generando el PDF del informe" not in html
    assert "tardó demasiado" in html and "Volver a intentar" in html
    # Asking again retries the same row, and the worker makes it.
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("panel:jornadas_informe_solicitar", args=[ciclo.slug]))
    assert informe.estado(ciclo.pk, informe.contexto(ciclo)["huella"])["estado"] == informe.LISTO
    assert InformeCiclo.objects.filter(ciclo=ciclo).count() == 1
