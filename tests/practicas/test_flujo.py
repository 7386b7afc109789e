"""The enlace's journey through the views: draft, supports, submit, acuse."""

import io
from datetime import timedelta

import pypdf
import pytest
import time_machine
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from practicas.models import Acuse, Practica, Soporte
from tests.matriz import diferencias, foto

CSV_OK = b"municipio,monto\nMetepec,1200\nToluca,3400\n"


def _datos_formulario(practica, **extra):
    datos = {
        "nombre": practica.nombre, "area_responsable": "Unidad de Transparencia", "contacto_nombre": "Ana Pérez",
        "contacto_cargo": "Titular", "contacto_correo": "ana@ejemplo.gob.mx", "contacto_telefono": "7221234567",
        "descripcion": "Descripción escrita por el enlace", "necesidad_informacion": "Necesidad",
        "identificacion_necesidad": "Encuesta", "poblacion_objetivo": "Población", "accion": "guardar",
        "url_publicacion": "https://ejemplo.gob.mx/practica", "fecha_inicio": "2024-01-15",
    }
    for criterio in practica.convocatoria.criterios.all():
        datos[f"evidencia-{criterio.pk}"] = f"Texto del criterio {criterio.numero}"
    datos.update(extra)
    return datos


def test_editar_guarda_borrador_y_soporte_cuando_todo_es_valido(client, practica_a, enlace_a):
    client.force_login(enlace_a)
    criterio = practica_a.convocatoria.criterios.get(numero=2)
    datos = _datos_formulario(practica_a)
    datos[f"archivos-{criterio.pk}"] = SimpleUploadedFile("datos.csv", CSV_OK, content_type="text/csv")
    resp = client.post(reverse("practicas:editar", args=[practica_a.pk]), datos)
    assert resp.status_code == 302
    practica_a.refresh_from_db()
    assert practica_a.descripcion == "Descripción escrita por el enlace"
    soporte = Soporte.objects.get(practica=practica_a, criterio=criterio)
    assert soporte.formato == "csv" and soporte.es_datos_abiertos
    assert practica_a.evidencias.get(criterio=criterio).texto == "Texto del criterio 2"


@pytest.mark.parametrize(
    ("nombre", "contenido", "mensaje"),
    [
        ("reporte.pdf", b"\x7fELF\x02\x01\x01" + b"\x00" * 200, "no se acepta"),
        ("vacio.csv", b"", "está vacío"),
    ],
)
def test_editar_rechaza_archivo_y_conserva_lo_escrito_cuando_el_archivo_es_malo(
    client, practica_a, enlace_a, nombre, contenido, mensaje
):
    client.force_login(enlace_a)
    datos = _datos_formulario(practica_a, descripcion="Lo que escribí con cuidado")
    datos["archivos-general"] = SimpleUploadedFile(nombre, contenido)
    resp = client.post(reverse("practicas:editar", args=[practica_a.pk]), datos)
    assert resp.status_code == 400
    html = resp.content.decode()
    assert mensaje in html
    assert "Lo que escribí con cuidado" in html
    practica_a.refresh_from_db()
    assert practica_a.descripcion == "Lo que escribí con cuidado"
    assert not Soporte.objects.filter(practica=practica_a, tipo=Soporte.Tipo.ARCHIVO).exists()


def test_editar_rechaza_archivo_cuando_excede_el_limite(client, practica_a, enlace_a, settings):
    settings.SOPORTE_MAX_BYTES = 1024
    client.force_login(enlace_a)
    datos = _datos_formulario(practica_a)
    datos["archivos-general"] = SimpleUploadedFile("grande.csv", b"a,b\n" + b"1,2\n" * 600)
    resp = client.post(reverse("practicas:editar", args=[practica_a.pk]), datos)
    assert resp.status_code == 400
    assert "el máximo por archivo es 1.0" in resp.content.decode()


def test_editar_marca_csv_latin1_irregular_como_no_datos_abiertos(client, practica_a, enlace_a):
    client.force_login(enlace_a)
    contenido = "municipio,año,monto\nAcambay de Ruíz Castañeda,2023,10\nTultitlán,2023\n".encode("latin-1")
    datos = _datos_formulario(practica_a)
    datos["archivos-general"] = SimpleUploadedFile("latin.csv", contenido)
    resp = client.post(reverse("practicas:editar", args=[practica_a.pk]), datos)
    assert resp.status_code == 302
    soporte = Soporte.objects.get(practica=practica_a, tipo=Soporte.Tipo.ARCHIVO)
    assert soporte.formato == "csv"
    assert not soporte.es_datos_abiertos
    assert "UTF-8" in soporte.nota_formato
    assert "línea 3" in soporte.nota_formato


def test_enviar_asigna_folio_y_genera_acuse_con_hashes(client, practica_a, enlace_a, django_capture_on_commit_callbacks):
    client.force_login(enlace_a)
    datos = _datos_formulario(practica_a)
    datos["archivos-general"] = SimpleUploadedFile("datos.csv", CSV_OK)
    client.post(reverse("practicas:editar", args=[practica_a.pk]), datos)
    with django_capture_on_commit_callbacks(execute=True):
        resp = client.post(reverse("practicas:enviar", args=[practica_a.pk]))
    assert resp.status_code == 302
    practica_a.refresh_from_db()
    assert practica_a.estado == Practica.Estado.ENVIADA
    acuse = Acuse.objects.get(practica=practica_a)
    assert acuse.estado_pdf == Acuse.Estado.LISTA, acuse.error
    resp = client.get(reverse("practicas:acuse", args=[practica_a.pk]))
    assert resp["Content-Type"] == "application/pdf"
    texto = "".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(b"".join(resp.streaming_content))).pages)
    texto = texto.replace("\n", "")
    assert practica_a.folio in texto
    soporte = practica_a.soportes.get(tipo=Soporte.Tipo.ARCHIVO)
    assert soporte.sha256 in texto
    assert len(mail.outbox) == 1
    assert practica_a.folio in mail.outbox[0].subject
    assert enlace_a.email in mail.outbox[0].to


def test_enviar_acepta_un_segundo_antes_del_cierre(client, practica_a, enlace_a):
    cierre = practica_a.convocatoria.fecha_cierre
    client.force_login(enlace_a)
    with time_machine.travel(cierre - timedelta(seconds=1), tick=False):
        resp = client.post(reverse("practicas:enviar", args=[practica_a.pk]))
    assert resp.status_code == 302
    practica_a.refresh_from_db()
    assert practica_a.estado == Practica.Estado.ENVIADA and practica_a.folio


def test_enviar_rechaza_un_segundo_despues_del_cierre_y_conserva_borrador(client, practica_a, enlace_a):
    cierre = practica_a.convocatoria.fecha_cierre
    client.force_login(enlace_a)
    with time_machine.travel(cierre + timedelta(seconds=1), tick=False):
        resp = client.post(reverse("practicas:enviar", args=[practica_a.pk]), follow=True)
        assert "El plazo de la convocatoria cerró" in resp.content.decode()
        datos = _datos_formulario(practica_a, descripcion="Cambio tardío")
        resp = client.post(reverse("practicas:editar", args=[practica_a.pk]), datos)
        assert resp.status_code == 409
        assert "Cambio tardío" in resp.content.decode()
    practica_a.refresh_from_db()
    assert practica_a.estado == Practica.Estado.BORRADOR and practica_a.folio is None
    assert practica_a.descripcion != "Cambio tardío"
    assert practica_a.evidencias.count() == 6


def test_retirar_conserva_folio_cuando_es_antes_del_cierre(client, practica_a, enlace_a):
    client.force_login(enlace_a)
    client.post(reverse("practicas:enviar", args=[practica_a.pk]))
    practica_a.refresh_from_db()
    folio = practica_a.folio
    client.post(reverse("practicas:retirar", args=[practica_a.pk]))
    practica_a.refresh_from_db()
    assert practica_a.estado == Practica.Estado.RETIRADA and practica_a.folio == folio


def test_personal_registra_practica_en_papel_con_fecha_de_recepcion(client, convocatoria, personal, sujeto_a):
    client.force_login(personal)
    resp = client.post(reverse("panel:registrar_recibida", args=[convocatoria.slug]),
                       {"sujeto": sujeto_a.pk, "canal": "papel", "nombre": "Práctica en papel"})
    practica = Practica.objects.get(nombre="Práctica en papel")
    assert resp.status_code == 302 and practica.canal == Practica.Canal.PAPEL
    datos = _datos_formulario(practica, enlace_general="x")
    datos["enlace-general"] = "https://ejemplo.gob.mx/soporte"
    assert client.post(reverse("practicas:editar", args=[practica.pk]), datos).status_code == 302
    recibida = (convocatoria.fecha_apertura + timedelta(days=1)).astimezone().strftime("%Y-%m-%dT%H:%M")
    client.post(reverse("practicas:enviar", args=[practica.pk]), {"recibida_en": recibida})
    practica.refresh_from_db()
    assert practica.estado == Practica.Estado.ENVIADA and practica.folio.endswith("-0001")


def test_registro_de_cuentas_limitado_por_direccion(client, settings, sujeto_a):
    from django.core.cache import cache

    cache.clear()
    settings.CUENTAS_REGISTROS_POR_HORA = 2
    datos = {"first_name": "Ana", "last_name": "Pérez", "password1": "Clave-Segura-2026", "password2": "Clave-Segura-2026",
             "sujeto": sujeto_a.pk, "cargo": "Titular", "acepta_aviso": "on"}
    for i in range(2):
        resp = client.post(reverse("practicas:registro"), {**datos, "email": f"ana{i}@ejemplo.gob.mx"})
        assert resp.status_code == 302
        client.logout()
    resp = client.post(reverse("practicas:registro"), {**datos, "email": "ana9@ejemplo.gob.mx"})
    assert resp.status_code == 429
    assert "demasiados registros" in resp.content.decode()
    cache.clear()


def test_head_del_borrador_responde_como_get_y_no_guarda_nada(client, practica_a, enlace_a):
    """HEAD is GET without the body: the edit page's POST branch (saving the draft) never runs for it."""
    client.force_login(enlace_a)
    url = reverse("practicas:editar", args=[practica_a.pk])
    antes = foto()
    assert client.head(url).status_code == client.get(url).status_code == 200
    assert not diferencias(antes, foto())
