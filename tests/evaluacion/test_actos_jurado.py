"""Issue 10, "the jury's own acts": a seat's account is fixed once the seat has acted; replacing a juror
is a recorded act that voids the seat's scores; the ruling is signed by the people whose accounts
scored, each with their own re-authenticated act, and issued when the call's rule is met; staff no
longer sign for the jury; score changes and reopen reasons are in the panel's history; a juror who
recused loses the practice's supports, pages and ruling."""

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from convocatorias import services as conv_services
from convocatorias.models import Convocatoria, MiembroJurado
from core.errors import ErrorDominio
from core.models import DocumentoVerificable
from evaluacion import selectors, services
from evaluacion.models import Calificacion, Dictamen, Evaluacion, FirmaDictamen, Recusa, SustitucionJurado
from practicas.models import Soporte
from tests import factories
from tests.evaluacion import builders
from tests.evaluacion import builders_dictamen as bd
from tests.evaluacion.builders_dictamen import fixture_ciclo  # noqa: F401
from tests.matriz import diferencias, foto

pytestmark = pytest.mark.django_db

CLAVE = "clave-de-prueba-123"


def _filas(conv, cambios=None):
    """The jury as jurado_guardar takes it, with `cambios` {seat index: {field: value}}."""
    filas = []
    for i, m in enumerate(conv.jurado.order_by("orden", "pk")):
        fila = {"id": m.pk, "cargo": m.cargo, "nombre": m.nombre, "usuario": m.usuario, "orden": m.orden}
        fila.update((cambios or {}).get(i, {}))
        filas.append(fila)
    return filas


# --- a seat's account is fixed once it has acted --------------------------------------------------

@pytest.mark.parametrize("acto", ["enviada", "borrador", "excusa"])
def test_la_cuenta_de_un_lugar_que_actuo_no_cambia(escena, personal, acto):
    """The finding: staff changed the account of a seat with submitted scores and the new account owned
    them (it could reopen and resubmit them, and the ruling carried its reasons under the seat)."""
    miembro, practica = escena.miembros[0], escena.practicas[0]
    if acto == "excusa":
        services.recusa_declarar(miembro=miembro, practica=practica, motivo="Trabajé ahí.", usuario=miembro.usuario)
    else:
        builders.calificar(miembro, practica, 8, enviar=acto == "enviada")
    intrusa = factories.UsuarioFactory(email="carlos@ejemplo.gob.mx")
    with pytest.raises(ErrorDominio) as error:
        conv_services.jurado_guardar(convocatoria=escena.convocatoria, usuario=personal,
                                     filas=_filas(escena.convocatoria, {0: {"usuario": intrusa}}))
    assert error.value.campo == "usuario" and "su cuenta no puede cambiar" in error.value.mensaje
    assert getattr(error.value, "indice", None) == 0
    assert MiembroJurado.objects.get(pk=miembro.pk).usuario == miembro.usuario
    # Every other path too: the model refuses (admin inline forms call clean()).
    miembro.refresh_from_db()
    miembro.usuario = intrusa
    with pytest.raises(ValidationError):
        miembro.full_clean()
    with pytest.raises(ValidationError):
        miembro.save()


def test_la_cuenta_de_un_lugar_sin_actos_si_cambia(escena, personal):
    nueva = factories.UsuarioFactory()
    builders.calificar(escena.miembros[0], escena.practicas[0], 8)  # another seat acted
    conv_services.jurado_guardar(convocatoria=escena.convocatoria, usuario=personal,
                                 filas=_filas(escena.convocatoria, {1: {"usuario": nueva}}))
    assert MiembroJurado.objects.get(pk=escena.miembros[1].pk).usuario == nueva


def test_el_formulario_del_jurado_muestra_el_rechazo_junto_al_campo(client, escena, personal):
    builders.calificar(escena.miembros[0], escena.practicas[0], 8)
    factories.UsuarioFactory(email="carlos@ejemplo.gob.mx")
    client.force_login(personal)
    url = reverse("panel:convocatoria_jurado", args=[escena.convocatoria.slug])
    html = client.get(url).content.decode()
    assert "su cuenta no puede cambiar" in html
    assert reverse("panel:jurado_sustituir", args=[escena.convocatoria.slug, escena.miembros[0].pk]) in html
    miembros = list(escena.convocatoria.jurado.order_by("orden", "pk"))
    datos = {"jurado-TOTAL_FORMS": str(len(miembros)), "jurado-INITIAL_FORMS": str(len(miembros))}
    for i, m in enumerate(miembros):
        datos.update({f"jurado-{i}-id": m.pk, f"jurado-{i}-cargo": m.cargo, f"jurado-{i}-nombre": m.nombre,
                      f"jurado-{i}-correo": m.usuario.email, f"jurado-{i}-orden": m.orden})
    datos["jurado-0-correo"] = "carlos@ejemplo.gob.mx"
    response = client.post(url, datos)
    assert response.status_code == 400
    form = response.context["formset"].forms[0]
    assert any("su cuenta no puede cambiar" in e for e in form.errors["correo"])
    assert MiembroJurado.objects.get(pk=miembros[0].pk).usuario == miembros[0].usuario


# --- replacing a juror is a recorded act that voids the seat's scores ------------------------------

def test_sustituir_registra_el_acto_y_anula_las_calificaciones(client, escena, personal):
    conv = escena.convocatoria
    miembro = escena.miembros[1]
    anterior = miembro.usuario
    ev = builders.calificar(miembro, escena.practicas[0], 3)
    services.evaluacion_reabrir(evaluacion=ev, usuario=anterior, motivo="Revisaré el criterio 2.")
    builders.calificar(miembro, escena.practicas[1], 4, enviar=False)
    services.recusa_declarar(miembro=miembro, practica=escena.practicas[2], motivo="Conflicto.", usuario=anterior)
    nueva = factories.UsuarioFactory(email="patricia@ejemplo.gob.mx", first_name="Patricia", last_name="Lara")
    client.force_login(personal)
    url = reverse("panel:jurado_sustituir", args=[conv.slug, miembro.pk])
    assert "2 calificaciones" in client.get(url).content.decode()

    response = client.post(url, {"correo": "PATRICIA@ejemplo.gob.mx", "motivo": ""})
    assert response.status_code == 400 and response.context["form"].errors["motivo"]
    assert not SustitucionJurado.objects.exists()

    response = client.post(url, {"correo": "patricia@ejemplo.gob.mx", "motivo": "Renunció al cargo."})
    assert response.status_code == 302
    s = SustitucionJurado.objects.get()
    assert (s.miembro_id, s.cuenta_anterior, s.cuenta_nueva, s.motivo, s.por) == (
        miembro.pk, anterior, nueva, "Renunció al cargo.", personal)
    assert (s.evaluaciones_anuladas, s.excusas_anuladas) == (2, 1) and s.en
    miembro.refresh_from_db()
    assert miembro.usuario == nueva and miembro.nombre == "Patricia Lara"
    # Voided: not counted, gone from the seat, kept in history with the act as their reason.
    assert not Evaluacion.objects.filter(miembro=miembro).exists()
    assert not Recusa.objects.filter(miembro=miembro).exists()
    borrada = Evaluacion.history.get(id=ev.pk, history_type="-")
    assert borrada.history_change_reason.startswith(f"Anulada por la sustitución n.º {s.pk}")
    assert Calificacion.history.filter(evaluacion_id=ev.pk, history_type="-").count() == 6
    tablero = selectors.tablero(conv)
    assert tablero.filas[0].estado_por_miembro[miembro.pk] == ""
    # The former account is out (no longer a juror anywhere: 403 at the judging panel's door); the new
    # one scores afresh.
    client.force_login(anterior)
    assert client.get(reverse("panel:jurado_calificaciones", args=[conv.slug])).status_code == 403
    builders.calificar(miembro, escena.practicas[0], 9)
    assert Evaluacion.objects.get(miembro=miembro, practica=escena.practicas[0]).history.first().history_user == nueva
    # Staff read it all in the practice's history.
    client.force_login(personal)
    html = client.get(reverse("panel:calificaciones_historial", args=[conv.slug, escena.practicas[0].pk])) \
        .content.decode()
    assert "Renunció al cargo." in html and "Revisaré el criterio 2." in html and "Anulada por la sustitución" in html


def test_sustituir_con_la_calificacion_cerrada_no_procede(escena, personal):
    builders.calificar_todo(escena)
    services.calificacion_cerrar(convocatoria=escena.convocatoria, usuario=personal)
    with pytest.raises(ErrorDominio, match="solo mientras el jurado califica"):
        services.jurado_sustituir(miembro=escena.miembros[0], cuenta_nueva=factories.UsuarioFactory(),
                                  motivo="Tarde.", usuario=personal)
    assert not SustitucionJurado.objects.exists()


def test_sustituir_por_una_cuenta_del_mismo_jurado_no_procede(escena, personal):
    with pytest.raises(ErrorDominio, match="ya ocupa otro lugar") as error:
        services.jurado_sustituir(miembro=escena.miembros[0], cuenta_nueva=escena.miembros[1].usuario,
                                  motivo="Intercambio.", usuario=personal)
    assert error.value.campo == "correo"


# --- the ruling: signed by each juror, printed with the names of those who scored ----------------------

def test_los_firmantes_son_las_cuentas_que_calificaron(ciclo, personal, django_capture_on_commit_callbacks):
    """The finding: "Patricia" scored, the PDF signed "Carlos" (the seat's typed name)."""
    miembro = ciclo.miembros[0]
    MiembroJurado.objects.filter(pk=miembro.pk).update(nombre="Carlos Ruiz")
    cuenta = miembro.usuario
    cuenta.first_name, cuenta.last_name = "Patricia", "Domínguez"
    cuenta.save()
    with django_capture_on_commit_callbacks(execute=True):
        dictamen = bd.firmar(ciclo.dictamenes[0], personal)
    firma = dictamen.firmas.get(miembro=miembro)
    assert (firma.nombre, firma.cargo, firma.usuario) == ("Patricia Domínguez", miembro.cargo, cuenta)
    assert not dictamen.firmas.filter(nombre="Carlos Ruiz").exists()
    doc = DocumentoVerificable.objects.get(pk=dictamen.documento_id)
    assert doc.estado_pdf == DocumentoVerificable.EstadoPDF.LISTA


def test_el_personal_ya_no_firma_por_el_jurado(client, ciclo, personal, superusuario):
    dictamen = ciclo.dictamenes[0]
    url = reverse("panel:dictamen_firmar", args=[dictamen.pk])
    for quien in (personal, superusuario):
        client.force_login(quien)
        assert client.post(url, {"confirmar": "on", "contrasena": CLAVE}).status_code == 403
    with pytest.raises(ErrorDominio, match="Solo los integrantes del jurado"):
        services.dictamen_firmar(dictamen=dictamen, usuario=personal)
    assert not FirmaDictamen.objects.exists()
    assert Dictamen.objects.get(pk=dictamen.pk).estado == Dictamen.Estado.BORRADOR


def test_contrasena_incorrecta_no_firma(client, ciclo):
    client.force_login(ciclo.miembros[0].usuario)
    url = reverse("panel:dictamen_firmar", args=[ciclo.dictamenes[0].pk])
    response = client.post(url, {"confirmar": "on", "contrasena": "otra"})
    assert response.status_code == 400
    assert "La contraseña no es correcta; el dictamen no se firmó." in response.content.decode()
    assert response.context["firmar_form"].errors["contrasena"]
    assert not FirmaDictamen.objects.exists()
    response = client.post(url, {"confirmar": "on", "contrasena": CLAVE})
    assert response.status_code == 302
    assert FirmaDictamen.objects.get().usuario == ciclo.miembros[0].usuario


def test_se_emite_al_firmar_todos_los_que_no_se_excusaron(autoridad, personal, sujeto_a):
    ciclo = bd.con_dictamenes(autoridad=autoridad, personal=personal, puntajes=(9,), sujetos=[sujeto_a], n_jurado=3)
    dictamen = ciclo.dictamenes[0]
    for miembro in ciclo.miembros[:2]:
        dictamen = services.dictamen_firmar(dictamen=dictamen, usuario=miembro.usuario)
        assert dictamen.estado == Dictamen.Estado.BORRADOR
    with pytest.raises(ErrorDominio, match="ya firmó"):
        services.dictamen_firmar(dictamen=dictamen, usuario=ciclo.miembros[0].usuario)
    dictamen = services.dictamen_firmar(dictamen=dictamen, usuario=ciclo.miembros[2].usuario)
    assert dictamen.estado == Dictamen.Estado.FIRMADO and dictamen.documento_id and dictamen.folio
    assert list(dictamen.firmas.values_list("miembro_id", flat=True)) == [m.pk for m in ciclo.miembros]


def test_un_excusado_no_firma_y_no_se_le_espera(autoridad, personal, sujeto_a):
    esc = builders.en_evaluacion(autoridad=autoridad, personal=personal, n_practicas=1, n_jurado=3,
                                 sujetos=[sujeto_a], umbral="7.00")
    excusado = esc.miembros[2]
    services.recusa_declarar(miembro=excusado, practica=esc.practicas[0], motivo="Asesoré al sujeto.",
                             usuario=excusado.usuario)
    for m in esc.miembros[:2]:
        builders.calificar(m, esc.practicas[0], 9)
    services.calificacion_cerrar(convocatoria=esc.convocatoria, usuario=personal)
    dictamen = Dictamen.objects.get(practica=esc.practicas[0])
    with pytest.raises(ErrorDominio, match="se excusó"):
        services.dictamen_firmar(dictamen=dictamen, usuario=excusado.usuario)
    dictamen = bd.firmar_jurado(dictamen)
    assert dictamen.estado == Dictamen.Estado.FIRMADO and dictamen.firmas.count() == 2


def test_el_quorum_de_la_convocatoria_emite_con_menos_firmas(ciclo):
    Convocatoria.objects.filter(pk=ciclo.convocatoria.pk).update(quorum_firmas=3)
    dictamen = ciclo.dictamenes[0]
    for i, miembro in enumerate(ciclo.miembros[:3]):
        dictamen = services.dictamen_firmar(dictamen=dictamen, usuario=miembro.usuario)
        assert dictamen.estado == (Dictamen.Estado.FIRMADO if i == 2 else Dictamen.Estado.BORRADOR)
    assert dictamen.firmas.count() == 3
    with pytest.raises(ErrorDominio, match="definitivo e inapelable"):
        services.dictamen_firmar(dictamen=dictamen, usuario=ciclo.miembros[3].usuario)


def test_cambiar_el_borrador_retira_las_firmas(client, ciclo, personal):
    dictamen = ciclo.dictamenes[0]
    services.dictamen_firmar(dictamen=dictamen, usuario=ciclo.miembros[0].usuario)
    # Saving without changes keeps the signature.
    dictamen.refresh_from_db()
    services.dictamen_guardar(dictamen=dictamen, usuario=personal, decision=dictamen.decision, motivos={},
                              consideraciones=dictamen.consideraciones)
    assert dictamen.firmas.count() == 1
    services.dictamen_guardar(dictamen=dictamen, usuario=personal, decision=dictamen.decision, motivos={},
                              consideraciones="Otra redacción.")
    assert not dictamen.firmas.exists()
    assert FirmaDictamen.history.filter(dictamen_id=dictamen.pk, history_type="-").exists()
    client.force_login(personal)
    html = client.get(reverse("panel:dictamen", args=[dictamen.pk])).content.decode()
    assert "Se retiró la firma de" in html and "El borrador cambió" in html


# --- history: score changes and reopen reasons, in the panel ---------------------------------------

def test_el_motivo_de_la_reapertura_queda_en_el_historial(client, escena, personal):
    miembro, practica = escena.miembros[0], escena.practicas[0]
    ev = builders.calificar(miembro, practica, 8)
    services.evaluacion_reabrir(evaluacion=ev, usuario=miembro.usuario, motivo="Me equivoqué en el criterio 2.")
    assert ev.history.filter(history_change_reason="Me equivoqué en el criterio 2.", estado="borrador").exists()
    criterio = escena.convocatoria.criterios.order_by("numero")[1]
    services.evaluacion_guardar(miembro=miembro, practica=practica, usuario=miembro.usuario,
                                puntajes={criterio.pk: ("6", "Ahora sí.")})
    # The juror reads their own history on their scoring page...
    client.force_login(miembro.usuario)
    html = client.get(reverse("panel:jurado_calificar", args=[escena.convocatoria.slug, practica.pk])) \
        .content.decode()
    assert "Historial de su calificación" in html
    assert "Reabrió la calificación. Motivo: Me equivoqué en el criterio 2." in html
    assert "Criterio 2: calificación de 8.00 a 6.00, cambió la motivación." in html
    # ... and staff, every seat's, on the practice's history page (jurors: 403).
    otro = escena.miembros[1]
    builders.calificar(otro, practica, 7)
    client.force_login(personal)
    url = reverse("panel:calificaciones_historial", args=[escena.convocatoria.slug, practica.pk])
    html = client.get(url).content.decode()
    assert "Me equivoqué en el criterio 2." in html and "Envió la calificación: total 7.00." in html
    assert otro.cargo in html
    client.force_login(miembro.usuario)
    assert client.get(url).status_code == 403


# --- a juror who recused loses the practice -----------------------------------------------------------

def test_un_jurado_excusado_pierde_los_soportes_y_las_paginas_de_la_practica(client, escena):
    miembro, practica = escena.miembros[0], escena.practicas[0]
    soporte = Soporte.objects.create(practica=practica, tipo=Soporte.Tipo.ARCHIVO, subido_por=practica.creada_por,
                                     archivo=SimpleUploadedFile("datos.csv", b"a,b\n1,2\n"),
                                     nombre_original="datos.csv", mime="text/csv", sha256="0" * 64)
    client.force_login(miembro.usuario)
    assert client.get(reverse("practicas:soporte", args=[soporte.pk])).status_code == 200
    services.recusa_declarar(miembro=miembro, practica=practica, motivo="Trabajé ahí.", usuario=miembro.usuario)
    assert client.get(reverse("practicas:soporte", args=[soporte.pk])).status_code == 404
    assert client.get(reverse("practicas:detalle", args=[practica.pk])).status_code == 404
    assert client.get(reverse("panel:jurado_calificar", args=[escena.convocatoria.slug, practica.pk])) \
        .status_code == 403
    # The other practices stay readable.
    assert client.get(reverse("practicas:detalle", args=[escena.practicas[1].pk])).status_code == 200


def test_un_jurado_excusado_no_lee_el_dictamen_de_esa_practica(client, autoridad, personal, sujeto_a):
    esc = builders.en_evaluacion(autoridad=autoridad, personal=personal, n_practicas=2, n_jurado=2,
                                 sujetos=[sujeto_a], umbral="7.00")
    excusado = esc.miembros[1]
    services.recusa_declarar(miembro=excusado, practica=esc.practicas[0], motivo="Conflicto.",
                             usuario=excusado.usuario)
    builders.calificar(esc.miembros[0], esc.practicas[0], 9)
    for m in esc.miembros:
        builders.calificar(m, esc.practicas[1], 9)
    services.calificacion_cerrar(convocatoria=esc.convocatoria, usuario=personal)
    suyo, ajeno = (Dictamen.objects.get(practica=p) for p in esc.practicas)
    client.force_login(excusado.usuario)
    assert client.get(reverse("panel:dictamen", args=[suyo.pk])).status_code == 403
    assert client.get(reverse("panel:dictamen", args=[ajeno.pk])).status_code == 200


def test_head_de_la_pagina_de_calificar_responde_como_get_y_no_guarda_nada(client, escena):
    """HEAD is GET without the body: the scoring page's POST branch (a draft score) never runs for it."""
    miembro, practica = escena.miembros[0], escena.practicas[0]
    client.force_login(miembro.usuario)
    url = reverse("panel:jurado_calificar", args=[escena.convocatoria.slug, practica.pk])
    antes = foto()
    assert client.head(url).status_code == client.get(url).status_code == 200
    assert not diferencias(antes, foto())
