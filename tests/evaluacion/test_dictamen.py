"""Rulings in the panel: list and ranking, the draft, deviation from the proposal, signing (and
that a signed ruling never changes, by any path), revocation, PDF retries, manual publication."""

import os

import pytest
import time_machine
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db import DatabaseError, IntegrityError, connection, transaction
from django.test import RequestFactory
from django.urls import reverse

from convocatorias.models import Convocatoria
from core.errors import ErrorDominio
from core.models import DocumentoVerificable
from evaluacion import services
from evaluacion.models import (
    Calificacion,
    Dictamen,
    DictamenFirmadoError,
    Evaluacion,
    FirmaDictamen,
    MotivoDictamen,
    Reconocimiento,
)
from tests import factories
from tests.evaluacion import builders_dictamen as bd
from tests.evaluacion.builders_dictamen import fixture_ciclo, fixture_firmado  # noqa: F401
from tests.matriz import LOGIN, NEGADOS, Ruta, casos, comprobar
from tests.matriz import PERSONAS as MATRIZ_PERSONAS

pytestmark = pytest.mark.django_db

PERSONAS = (*MATRIZ_PERSONAS, "jurado_otra_conv")


@pytest.fixture
def personas_dictamen(ciclo, personas, jurado):
    """The shared persona set; "jurado" is a juror of this call, "jurado_otra_conv" a juror of another call
    of the same authority ("jurado_otra", the shared set's, judges a call of authority 2)."""
    return {**personas, "jurado": ciclo.miembros[0].usuario, "jurado_otra_conv": jurado}


def _datos(dictamen, **cambios):
    datos = {"decision": dictamen.decision, "consideraciones": dictamen.consideraciones,
             "motivo_desviacion": dictamen.motivo_desviacion}
    datos.update({f"motivo_{m.criterio_id}": m.texto for m in dictamen.motivos.all()})
    datos.update(cambios)
    return datos


# --- permission matrix -----------------------------------------------------------------------------

def _url(nombre, ciclo):
    d = ciclo.dictamenes[0]
    return {
        "lista": reverse("panel:dictamenes", args=[ciclo.convocatoria.slug]),
        "detalle": reverse("panel:dictamen", args=[d.pk]),
        "guardar": reverse("panel:dictamen", args=[d.pk]),
        "firmar": reverse("panel:dictamen_firmar", args=[d.pk]),
        "publicar": reverse("panel:resultados_publicar", args=[ciclo.convocatoria.slug]),
    }[nombre]


CLAVE = "clave-de-prueba-123"  # every factory account's password


def _datos_matriz(ciclo):
    return {**_datos(ciclo.dictamenes[0], consideraciones="Cambio de prueba"), "confirmar": "on"}


def _datos_firma(ciclo=None, clave=CLAVE):
    """A juror's signing form: the confirmation and their password."""
    return {"confirmar": "on", "contrasena": clave}


def _firmo(ciclo):
    return FirmaDictamen.objects.filter(dictamen=ciclo.dictamenes[0], miembro=ciclo.miembros[0]).exists()


def _fila(id_, nombre, metodo, anonimo, enlace_a, personal, otro_personal, jurado, jurado_otra_conv, *, eo=None,
          jo=None, **extra):
    """enlace_b is refused like enlace_a (403: not staff, not a juror), and so is the enlace of a body of
    authority 2's entity unless `eo` says otherwise; the juror of authority 2's call gets what the juror of
    another call of this authority gets unless `jo` says otherwise; the superuser acts as the call's staff."""
    esperado = {"anonimo": anonimo, "enlace_a": enlace_a, "enlace_b": enlace_a, "personal": personal,
                "otro_personal": otro_personal, "jurado": jurado, "superusuario": personal,
                "enlace_otra_entidad": enlace_a if eo is None else eo,
                "jurado_otra": jurado_otra_conv if jo is None else jo, "jurado_otra_conv": jurado_otra_conv}
    cambian = frozenset(p for p, e in esperado.items() if e == 302) if metodo == "post" else frozenset()
    return Ruta(id_, nombre, **extra, esperado=esperado, metodo=metodo, cambian=cambian)


def _revocado(e):
    return Reconocimiento.objects.get(dictamen=e.dictamenes[0]).documento.revocado_en is not None


RUTAS = [
    _fila("lista", "panel:dictamenes", "get", LOGIN, 403, 200, 404, 200, 404, url=lambda c: _url("lista", c)),
    _fila("detalle", "panel:dictamen", "get", LOGIN, 403, 200, 404, 200, 404, url=lambda c: _url("detalle", c)),
    _fila("guardar", "panel:dictamen", "post", LOGIN, 403, 302, 404, 302, 404, url=lambda c: _url("guardar", c),
          datos=_datos_matriz),
    # Each juror signs with their own account and password; the call's staff may not sign for the jury.
    _fila("firmar", "panel:dictamen_firmar", "post", LOGIN, 403, 403, 404, 302, 404,
          url=lambda c: _url("firmar", c), datos=_datos_firma, efecto=_firmo),
    _fila("publicar", "panel:resultados_publicar", "post", LOGIN, 403, 302, 404, 403, 404,
          url=lambda c: _url("publicar", c), datos=_datos_matriz),
]
# On signed rulings (the `firmado` scene): revoking is for the call's staff only (its jurors 403).
RUTAS_FIRMADO = [
    _fila("revocar", "panel:reconocimiento_revocar", "post", LOGIN, 403, 302, 404, 403, 404,
          url=lambda c: reverse("panel:reconocimiento_revocar",
                                args=[Reconocimiento.objects.get(dictamen=c.dictamenes[0]).pk]),
          datos=lambda c: {"motivo": "La práctica dejó de publicarse."}, efecto=_revocado),
    # A ready PDF is not queued again: the POST redirects and writes nothing, even for staff.
    _fila("reintentar", "panel:documento_reintentar", "post", LOGIN, 403, 302, 404, 403, 404,
          url=lambda c: reverse("panel:documento_reintentar",
                                args=[Dictamen.objects.get(pk=c.dictamenes[0].pk).documento_id])),
]


@pytest.mark.parametrize(("ruta", "persona"), list(casos(RUTAS, personas=PERSONAS)))
def test_permisos_del_panel_de_dictamenes(client, ciclo, personas_dictamen, ruta, persona):
    comprobar(client, ruta, ciclo, personas_dictamen[persona], persona)
    dictamen = ciclo.dictamenes[0]
    dictamen.refresh_from_db()
    if ruta.esperado[persona] in NEGADOS:
        # A refused POST changes nothing.
        assert dictamen.consideraciones == "" and dictamen.estado == Dictamen.Estado.BORRADOR


@pytest.mark.parametrize(("ruta", "persona"), list(casos(RUTAS_FIRMADO, personas=PERSONAS)))
def test_permisos_sobre_dictamenes_firmados(client, firmado, personas_dictamen, ruta, persona):
    comprobar(client, ruta, firmado, personas_dictamen[persona], persona)


# --- list --------------------------------------------------------------------------------------------

def test_lista_muestra_ranking_propuesta_y_decision(client, ciclo, personal):
    client.force_login(personal)
    texto = client.get(_url("lista", ciclo)).content.decode()
    procedente, no_procedente = ciclo.practicas
    assert texto.index(procedente.nombre) < texto.index(no_procedente.nombre)  # 9.00 ranks above 5.00
    assert "9.00<" in texto and "5.00<" in texto and "9.000" not in texto  # two decimals (core.cifras)
    assert texto.count("No procedente") == 2 and texto.count(">Procedente<") == 2  # proposal + decision, each
    assert "0 de 2 dictámenes firmados" in texto


@pytest.mark.parametrize("n", [2, 4])
def test_lista_con_consultas_constantes(client, autoridad, personal, django_assert_num_queries, n):
    ciclo = bd.con_dictamenes(autoridad=autoridad, personal=personal, puntajes=[9, 5, 8, 6][:n], n_jurado=2)
    with transaction.atomic():
        bd.firmar(ciclo.dictamenes[0], personal)
    client.force_login(personal)
    url = _url("lista", ciclo)
    client.get(url)
    with django_assert_num_queries(9):
        response = client.get(url)
    assert response.status_code == 200
    assert response.content.decode().count('href="/panel/dictamenes/') == n


# --- the draft ----------------------------------------------------------------------------------------

def test_borrador_se_precarga_con_las_motivaciones_del_jurado(client, ciclo, personal):
    client.force_login(personal)
    texto = client.get(_url("detalle", ciclo)).content.decode()
    # Each juror's reason is labelled by their name and position (two seats may share a position).
    presidenta = ciclo.miembros[0]
    assert (f"{presidenta.usuario.get_full_name()} (Comisionada Presidenta del Infoem): Cumple con lo que pide el "
            "criterio. (criterio 1)") in texto
    assert 'id="propuesta"' in texto and "Procedente" in texto
    # Staff see who has signed; only jurors get the signing form (issue 10: staff no longer sign).
    assert "Firmas reunidas: 0 de 5 necesarias." in texto and "Firmar dictamen" not in texto
    client.force_login(ciclo.miembros[0].usuario)
    texto = client.get(_url("detalle", ciclo)).content.decode()
    assert "Firmar dictamen" in texto and 'name="contrasena"' in texto and 'autocomplete="current-password"' in texto


def test_guardar_borrador_registra_quien_y_cuando(client, ciclo, personal):
    dictamen = ciclo.dictamenes[0]
    criterio = dictamen.motivos.first().criterio
    client.force_login(personal)
    response = client.post(_url("guardar", ciclo), _datos(
        dictamen, consideraciones="Práctica ejemplar.", **{f"motivo_{criterio.pk}": "Motivo editado por el jurado."}))
    assert response.status_code == 302
    dictamen.refresh_from_db()
    assert dictamen.consideraciones == "Práctica ejemplar."
    assert MotivoDictamen.objects.get(dictamen=dictamen, criterio=criterio).texto == "Motivo editado por el jurado."
    texto = client.get(_url("detalle", ciclo)).content.decode()
    assert "Cambió: consideraciones generales." in texto
    assert f"Cambió los motivos del criterio {criterio.numero}." in texto
    assert str(personal) in texto


def _firmar_como(client, ciclo, miembro, dictamen=None, **datos):
    client.force_login(miembro.usuario)
    dictamen = dictamen or ciclo.dictamenes[0]
    return client.post(reverse("panel:dictamen_firmar", args=[dictamen.pk]), {**_datos_firma(), **datos})


def test_apartarse_de_la_propuesta_exige_razon(client, ciclo, personal):
    dictamen = ciclo.dictamenes[0]  # proposed procedente
    client.force_login(personal)
    datos = _datos(dictamen, decision=Dictamen.Decision.NO_PROCEDENTE)
    assert client.post(_url("guardar", ciclo), datos).status_code == 302
    response = _firmar_como(client, ciclo, ciclo.miembros[0])
    assert response.status_code == 400
    assert "se aparta de la propuesta" in response.content.decode()
    dictamen.refresh_from_db()
    assert dictamen.estado == Dictamen.Estado.BORRADOR and dictamen.folio is None and not dictamen.firmas.exists()
    assert dictamen.decision == Dictamen.Decision.NO_PROCEDENTE  # the draft kept what was typed

    client.force_login(personal)
    datos["motivo_desviacion"] = "El jurado deliberó que la práctica aún no tiene efectos medibles."
    assert client.post(_url("guardar", ciclo), datos).status_code == 302
    for miembro in ciclo.miembros:
        assert _firmar_como(client, ciclo, miembro).status_code == 302
    dictamen.refresh_from_db()
    assert dictamen.estado == Dictamen.Estado.FIRMADO and dictamen.decision == Dictamen.Decision.NO_PROCEDENTE
    assert not Reconocimiento.objects.filter(dictamen=dictamen).exists()


def test_firmar_sin_confirmacion_no_firma(client, ciclo):
    response = _firmar_como(client, ciclo, ciclo.miembros[0], confirmar="")
    assert response.status_code == 400
    assert "Marque la confirmación" in response.content.decode()
    assert Dictamen.objects.get(pk=ciclo.dictamenes[0].pk).estado == Dictamen.Estado.BORRADOR
    assert not FirmaDictamen.objects.exists()


def test_firmar_asigna_folio_firmantes_y_documentos(client, ciclo, django_capture_on_commit_callbacks):
    """Each juror signs; the last signature issues the ruling: folio, signatories, documents."""
    dictamen = ciclo.dictamenes[0]
    for miembro in ciclo.miembros[:-1]:
        assert _firmar_como(client, ciclo, miembro).status_code == 302
    assert Dictamen.objects.get(pk=dictamen.pk).estado == Dictamen.Estado.BORRADOR
    with django_capture_on_commit_callbacks(execute=True):
        response = _firmar_como(client, ciclo, ciclo.miembros[-1])
    assert response.status_code == 302
    dictamen = Dictamen.objects.get(pk=dictamen.pk)
    practica = ciclo.practicas[0]
    assert dictamen.folio == f"{practica.folio}-D" and dictamen.firmado_por == ciclo.miembros[-1].usuario
    assert dictamen.firmas.count() == 5
    rec = dictamen.reconocimiento
    assert rec.documento.folio == f"{practica.folio}-R"
    assert {dictamen.documento.estado_pdf, rec.documento.estado_pdf} == {DocumentoVerificable.EstadoPDF.LISTA}
    texto = client.get(_url("detalle", ciclo)).content.decode()
    assert "Dictamen firmado" in texto and dictamen.folio in texto
    assert ciclo.miembros[2].usuario.get_full_name() in texto
    assert "Firmar dictamen" not in texto
    assert f"Firmado con el folio {dictamen.folio}." in texto


# --- signed rulings never change ------------------------------------------------------------------------

def test_firmado_el_servicio_rechaza_cambios(firmado, personal):
    dictamen = firmado.dictamenes[0]
    with pytest.raises(ErrorDominio, match="definitivo e inapelable"):
        services.dictamen_guardar(dictamen=dictamen, usuario=personal, decision="no_procedente", motivos={})
    with pytest.raises(ErrorDominio, match="definitivo e inapelable"):
        services.dictamen_firmar(dictamen=dictamen, usuario=personal)


def test_firmado_el_modelo_rechaza_guardar_y_borrar(firmado):
    dictamen = Dictamen.objects.get(pk=firmado.dictamenes[0].pk)
    dictamen.consideraciones = "Cambio"
    with pytest.raises(DictamenFirmadoError):
        dictamen.save()
    with pytest.raises(DictamenFirmadoError):
        dictamen.delete()
    motivo = dictamen.motivos.first()
    motivo.texto = "Otro"
    with pytest.raises(DictamenFirmadoError):
        motivo.save()
    calificacion = Calificacion.objects.filter(evaluacion__practica=dictamen.practica).first()
    calificacion.puntaje = 1
    with pytest.raises(DictamenFirmadoError):
        calificacion.save()
    assert Dictamen.objects.get(pk=dictamen.pk).consideraciones != "Cambio"


def test_firmado_la_edicion_por_el_panel_no_cambia_nada(client, firmado, personal):
    dictamen = Dictamen.objects.get(pk=firmado.dictamenes[0].pk)
    client.force_login(personal)
    response = client.post(_url("guardar", firmado), _datos(dictamen, consideraciones="Otra cosa"), follow=True)
    assert "está firmado" in response.content.decode()
    assert Dictamen.objects.get(pk=dictamen.pk).consideraciones == dictamen.consideraciones


def test_firmado_el_admin_no_puede_cambiarlo(firmado, personal):
    """Through the admin's own machinery (a ModelAdmin's form and save_model)."""
    dictamen = Dictamen.objects.get(pk=firmado.dictamenes[0].pk)
    superusuario = factories.UsuarioFactory(is_superuser=True, is_staff=True)
    request = RequestFactory().post("/admin/")
    request.user = superusuario
    model_admin = admin.ModelAdmin(Dictamen, admin.site)
    formulario = model_admin.get_form(request, dictamen, change=True)
    datos = {campo: getattr(dictamen, campo) for campo in formulario.base_fields if campo in
             {"decision", "propuesta", "motivo_desviacion", "consideraciones", "estado"}}
    form = formulario(data={**datos, "consideraciones": "Cambiado en el admin"}, instance=dictamen)
    form.is_valid()
    with pytest.raises(ValidationError):
        model_admin.save_model(request, form.instance, form, change=True)
    assert Dictamen.objects.get(pk=dictamen.pk).consideraciones != "Cambiado en el admin"


def _exigir_postgres():
    if connection.vendor != "postgresql":
        motivo = (f"Los disparadores que congelan dictámenes existen solo en PostgreSQL; la base de pruebas es "
                  f"{connection.vendor} (use DATABASE_URL).")
        if os.environ.get("REQUIRE_REAL_SERVICES") == "1":
            pytest.fail(motivo, pytrace=False)
        pytest.skip(motivo)


@pytest.mark.postgres
def test_firmado_postgres_rechaza_sql_directo(firmado):
    _exigir_postgres()
    dictamen = firmado.dictamenes[0]
    calificacion = Calificacion.objects.filter(evaluacion__practica=dictamen.practica).first()
    evaluacion = Evaluacion.objects.filter(practica=dictamen.practica).first()
    sentencias = [
        ("UPDATE evaluacion_dictamen SET consideraciones = 'sql' WHERE id = %s", dictamen.pk),
        ("DELETE FROM evaluacion_dictamen WHERE id = %s", dictamen.pk),
        ("UPDATE evaluacion_motivodictamen SET texto = 'sql' WHERE dictamen_id = %s", dictamen.pk),
        ("UPDATE evaluacion_calificacion SET puntaje = 1 WHERE id = %s", calificacion.pk),
        ("UPDATE evaluacion_evaluacion SET total = 1 WHERE id = %s", evaluacion.pk),
    ]
    for sql, pk in sentencias:
        with pytest.raises((IntegrityError, DatabaseError)) as error, transaction.atomic(), connection.cursor() as c:
            c.execute(sql, [pk])
        assert "firmado" in str(error.value)
    # The bulk path too (QuerySet.update skips save()).
    with pytest.raises((IntegrityError, DatabaseError)), transaction.atomic():
        Calificacion.objects.filter(pk=calificacion.pk).update(puntaje=2)
    assert Calificacion.objects.get(pk=calificacion.pk).puntaje == calificacion.puntaje


# --- recognitions: revoke, retry a PDF -----------------------------------------------------------------

def test_revocar_reconocimiento_con_motivo(client, firmado, personal):
    rec = Reconocimiento.objects.get(dictamen=firmado.dictamenes[0])
    url = reverse("panel:reconocimiento_revocar", args=[rec.pk])
    client.force_login(personal)
    client.post(url, {"motivo": ""})
    rec.refresh_from_db()
    assert rec.estado == Reconocimiento.Estado.VIGENTE
    response = client.post(url, {"motivo": "Se comprobó que la información publicada no es del sujeto obligado."})
    assert response.status_code == 302
    rec.refresh_from_db()
    assert rec.estado == Reconocimiento.Estado.REVOCADO and rec.revocado_en
    assert rec.documento.revocado_en == rec.revocado_en
    assert rec.history.filter(estado=Reconocimiento.Estado.REVOCADO, history_user=personal).exists()


@pytest.mark.parametrize("persona, esperado", [("jurado", 403), ("otro_personal", 404), ("enlace_a", 403)])
def test_revocar_solo_personal_de_la_convocatoria(client, firmado, otro_personal, enlace_a, persona, esperado):
    rec = Reconocimiento.objects.get(dictamen=firmado.dictamenes[0])
    usuario = {"jurado": firmado.miembros[0].usuario, "otro_personal": otro_personal, "enlace_a": enlace_a}[persona]
    client.force_login(usuario)
    response = client.post(reverse("panel:reconocimiento_revocar", args=[rec.pk]), {"motivo": "Porque sí."})
    assert response.status_code == esperado
    assert Reconocimiento.objects.get(pk=rec.pk).estado == Reconocimiento.Estado.VIGENTE


def test_pdf_fallido_visible_y_reintentable_por_el_personal(client, firmado, personal,
                                                          django_capture_on_commit_callbacks):
    doc = Dictamen.objects.get(pk=firmado.dictamenes[1].pk).documento
    DocumentoVerificable.objects.filter(pk=doc.pk).update(
        estado_pdf=DocumentoVerificable.EstadoPDF.FALLIDA, archivo="", sha256="", error="OSError: disco lleno")
    client.force_login(personal)
    texto = client.get(_url("lista", firmado)).content.decode()
    assert "falló" in texto and "disco lleno" in texto
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("panel:documento_reintentar", args=[doc.pk]), {"siguiente": "lista"})
    assert response.status_code == 302 and response["Location"] == _url("lista", firmado)
    doc.refresh_from_db()
    assert doc.estado_pdf == DocumentoVerificable.EstadoPDF.LISTA and doc.sha256 and doc.error == ""


def test_jurado_no_reintenta_pdfs(client, firmado):
    doc = Dictamen.objects.get(pk=firmado.dictamenes[1].pk).documento
    client.force_login(firmado.miembros[0].usuario)
    assert client.post(reverse("panel:documento_reintentar", args=[doc.pk])).status_code == 403


# --- manual publication (the periodic task does the same at the second) --------------------------------

def test_publicar_desde_el_panel_solo_tras_la_fecha(client, firmado, personal, django_capture_on_commit_callbacks):
    conv = firmado.convocatoria
    url = _url("publicar", firmado)
    antes, despues = bd.antes_y_despues(firmado)
    with time_machine.travel(antes, tick=False):
        client.force_login(personal)
        response = client.post(url, follow=True)
    assert "bajo reserva" in response.content.decode()
    assert Convocatoria.objects.get(pk=conv.pk).estado == Convocatoria.Estado.EN_EVALUACION
    with time_machine.travel(despues, tick=False), django_capture_on_commit_callbacks(execute=True):
        client.force_login(personal)
        texto = client.get(_url("lista", firmado)).content.decode()
        assert "Publicar resultados" in texto
        response = client.post(url, follow=True)
    assert "Resultados publicados" in response.content.decode()
    assert Convocatoria.objects.get(pk=conv.pk).estado == Convocatoria.Estado.RESULTADOS_PUBLICADOS


def test_publicar_con_dictamenes_sin_firmar_no_publica(client, ciclo, personal):
    bd.firmar(ciclo.dictamenes[0], personal)
    _antes, despues = bd.antes_y_despues(ciclo)
    with time_machine.travel(despues, tick=False):
        client.force_login(personal)
        response = client.post(_url("publicar", ciclo), follow=True)
    assert "firmar todos los dictámenes" in response.content.decode()
    assert Convocatoria.objects.get(pk=ciclo.convocatoria.pk).estado == Convocatoria.Estado.EN_EVALUACION
