"""Calls in the staff panel (/panel/convocatorias/...) and the panel's home page: permission
matrix, create, edit (data, criteria, jury, documents), publish, and query counts."""

from datetime import datetime, timedelta
from decimal import Decimal
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from convocatorias import services
from convocatorias.models import Convocatoria, Criterio, DocumentoConvocatoria, MiembroJurado
from practicas import services as prac_services
from practicas.models import Acuse
from tests import factories
from tests.matriz import LOGIN, Ruta, casos, comprobar

MX = ZoneInfo("America/Mexico_City")


@pytest.fixture
def borrador(autoridad, personal):
    ahora = timezone.now()
    return services.convocatoria_crear(autoridad=autoridad, usuario=personal, datos={
        "titulo": "Reconocimiento 2031", "slug": "reconocimiento-2031", "anio": 2031, "prefijo_folio": "INFOEM-TP",
        "objetivo": "Objetivo.", "fundamento_legal": "Fundamento.", "participantes": "Sujetos obligados.",
        "modalidades_entrega": "En línea.", "correo_contacto": "tp@infoem.org.mx",
        "fecha_apertura": ahora + timedelta(days=1), "fecha_cierre": ahora + timedelta(days=30),
        "fecha_resultados": ahora + timedelta(days=60),
    })


@pytest.fixture
def documento(borrador, personal):
    archivo = SimpleUploadedFile("bases.pdf", b"%PDF-1.4\n%%EOF\n", content_type="application/pdf")
    return services.documento_agregar(convocatoria=borrador, usuario=personal, titulo="Bases", archivo=archivo)


# --- permission matrix -----------------------------------------------------------------------

# Whoever is not staff (enlaces of either entidad, jurors of either authority) gets 403 in the panel.
NO_PERSONAL = dict.fromkeys(("enlace_a", "enlace_b", "jurado", "enlace_otra_entidad", "jurado_otra"), 403)


def _get(nombre, de_objeto):
    """Any staff may list and create calls; a call of another authority is 404 to its staff."""
    url = (lambda e: reverse(f"panel:{nombre}", args=[e.borrador.slug])) if de_objeto else \
        (lambda e: reverse(f"panel:{nombre}"))
    return Ruta(nombre, f"panel:{nombre}", url, {
        **NO_PERSONAL, "anonimo": LOGIN, "personal": 200, "otro_personal": 404 if de_objeto else 200,
        "superusuario": 200})


GET_RUTAS = [
    _get("convocatorias", False), _get("convocatoria_nueva", False), _get("convocatoria_editar", True),
    _get("convocatoria_criterios", True), _get("convocatoria_jurado", True), _get("convocatoria_documentos", True),
    _get("convocatoria_publicar", True),
]


def _post(nombre, url, datos=None):
    """Refused POSTs: staff of another authority 404 (200 for the create form, which may make calls for
    their own authority: the empty form is invalid), everyone else who is not staff 403."""
    return Ruta(f"{nombre}-post", f"panel:{nombre}", url, {
        **NO_PERSONAL, "anonimo": LOGIN,
        "otro_personal": 200 if nombre == "convocatoria_nueva" else 404}, metodo="post", datos=datos)


POST_RUTAS = [
    _post("convocatoria_publicar", lambda e: reverse("panel:convocatoria_publicar", args=[e.borrador.slug])),
    _post("convocatoria_documento_eliminar",
          lambda e: reverse("panel:convocatoria_documento_eliminar", args=[e.borrador.slug, e.documento.pk])),
    _post("convocatoria_editar", lambda e: reverse("panel:convocatoria_editar", args=[e.borrador.slug]),
          lambda e: {"titulo": "Hackeado"}),
    _post("convocatoria_criterios", lambda e: reverse("panel:convocatoria_criterios", args=[e.borrador.slug])),
    _post("convocatoria_jurado", lambda e: reverse("panel:convocatoria_jurado", args=[e.borrador.slug])),
    _post("convocatoria_nueva", lambda e: reverse("panel:convocatoria_nueva")),
]
# «Cerrar convocatoria» on a call past its deadline still stored as abierta: its authority's staff (and the
# superuser) record the closing; staff of the other authority get 404, everyone else 403.
CERRAR_RUTAS = [
    Ruta("convocatoria_cerrar-post", "panel:convocatoria_cerrar",
         lambda e: reverse("panel:convocatoria_cerrar", args=[e.vencida.slug]),
         {**NO_PERSONAL, "anonimo": LOGIN, "personal": 302, "otro_personal": 404, "superusuario": 302},
         metodo="post", cambian=frozenset({"personal"}),
         efecto=lambda e: Convocatoria.objects.get(pk=e.vencida.pk).estado == Convocatoria.Estado.CERRADA),
]
RUTAS = [*GET_RUTAS, *POST_RUTAS, *CERRAR_RUTAS]


@pytest.mark.parametrize(("ruta", "persona"), list(casos(GET_RUTAS)))
def test_permisos_get_de_cada_vista_cuando_llega_cada_persona(client, personas, borrador, ruta, persona):
    comprobar(client, ruta, SimpleNamespace(borrador=borrador), personas[persona], persona)


@pytest.mark.parametrize(("ruta", "persona"), list(casos(
    POST_RUTAS, personas=("anonimo", "enlace_a", "enlace_b", "jurado", "otro_personal", "enlace_otra_entidad",
                          "jurado_otra"))))
def test_permisos_post_rechazado_no_cambia_nada_cuando_no_es_personal_de_la_autoridad(
    client, personas, borrador, documento, ruta, persona
):
    comprobar(client, ruta, SimpleNamespace(borrador=borrador, documento=documento), personas[persona], persona)


@pytest.mark.parametrize(("ruta", "persona"), list(casos(CERRAR_RUTAS)))
def test_permisos_de_cerrar_cuando_llega_cada_persona(client, personas, autoridad, ruta, persona):
    ahora = timezone.now()
    vencida = factories.ConvocatoriaFactory(autoridad=autoridad, fecha_apertura=ahora - timedelta(days=30),
                                            fecha_cierre=ahora - timedelta(minutes=1),
                                            fecha_resultados=ahora + timedelta(days=30))
    comprobar(client, ruta, SimpleNamespace(vencida=vencida), personas[persona], persona)


def test_la_matriz_cubre_todas_las_rutas_del_panel_de_convocatorias():
    from convocatorias import urls_panel

    faltan = {f"panel:{p.name}" for p in urls_panel.urlpatterns} - {r.nombre for r in RUTAS}
    assert not faltan, f"Rutas sin fila en la matriz de permisos: {sorted(faltan)}"


# --- list and home ---------------------------------------------------------------------------

def test_lista_muestra_solo_las_convocatorias_de_su_autoridad_cuando_es_personal(client, personal, convocatoria,
                                                                                   otro_personal):
    ajena = factories.ConvocatoriaFactory(autoridad=otro_personal.personal.get().autoridad, titulo="Ajena NL")
    client.force_login(personal)
    resp = client.get(reverse("panel:convocatorias"))
    assert resp.status_code == 200
    contenido = resp.content.decode()
    assert convocatoria.titulo in contenido and ajena.titulo not in contenido
    assert reverse("panel:practicas", args=[convocatoria.slug]) in contenido
    fila = resp.context["convocatorias"].get(pk=convocatoria.pk)
    assert (fila.num_criterios, fila.num_jurado, fila.num_recibidas) == (6, 0, 0)


def test_lista_muestra_todas_cuando_es_superusuario(client, convocatoria, otro_personal):
    ajena = factories.ConvocatoriaFactory(autoridad=otro_personal.personal.get().autoridad, titulo="Ajena NL")
    client.force_login(factories.UsuarioFactory(is_superuser=True))
    contenido = client.get(reverse("panel:convocatorias")).content.decode()
    assert convocatoria.titulo in contenido and ajena.titulo in contenido


@pytest.mark.parametrize("n", [2, 12])
def test_lista_hace_las_mismas_consultas_cuando_crece(client, autoridad, personal, django_assert_num_queries, n):
    for _ in range(n):
        conv = factories.ConvocatoriaFactory(autoridad=autoridad)
        factories.MiembroJuradoFactory(convocatoria=conv)
        factories.PracticaFactory(convocatoria=conv)
    client.force_login(personal)
    # session, user, es_personal, the list, the frame's enlaces.exists and the portal's authority
    with django_assert_num_queries(6):
        resp = client.get(reverse("panel:convocatorias"))
    assert resp.status_code == 200
    assert len(resp.context["convocatorias"]) == n


def test_inicio_muestra_convocatorias_enlaces_y_acuses_fallidos_cuando_es_personal(
    client, personal, practica_a, enlace_a
):
    practica = prac_services.practica_enviar(practica=practica_a, usuario=enlace_a)
    acuse = Acuse.objects.get(practica=practica)
    Acuse.objects.filter(pk=acuse.pk).update(estado_pdf=Acuse.Estado.FALLIDA, intentos=4)
    factories.EnlaceFactory(estado="solicitado", usuario__email="pendiente@ejemplo.gob.mx")
    client.force_login(personal)
    resp = client.get(reverse("panel:inicio"))
    contenido = resp.content.decode()
    assert resp.status_code == 200
    conv = practica.convocatoria
    assert conv.titulo in contenido and "Abierta" in contenido
    assert reverse("panel:convocatoria_editar", args=[conv.slug]) in contenido
    assert reverse("panel:practicas", args=[conv.slug]) in contenido
    assert "Hay 1 solicitud pendiente" in contenido and reverse("panel:enlaces") in contenido
    assert practica.folio in contenido
    assert f'action="{reverse("panel:acuse_reintentar", args=[acuse.pk])}"' in contenido
    assert "Reintentar" in contenido


# --- create ----------------------------------------------------------------------------------

def _formulario(**extra):
    datos = {
        "titulo": "Reconocimiento de Prácticas de Transparencia Proactiva 2032", "slug": "", "anio": "2032",
        "prefijo_folio": "INFOEM-TP", "objetivo": "Reconocer iniciativas.", "fundamento_legal": "Art. 56 LGTAIP.",
        "participantes": "Sujetos obligados del Estado de México.", "requisitos": "",
        "modalidades_entrega": "En línea, en papel o por correo.", "domicilio_entrega": "", "correos_entrega": "",
        "correo_contacto": "tp@infoem.org.mx", "fecha_apertura": "2032-05-01T09:00",
        "fecha_cierre": "2032-06-30T23:59:59", "fecha_resultados": "2032-08-25T10:00:00",
        "vigencia_meses": "12", "escala_min": "0", "escala_max": "10",
        "ordenes_elegibles": ["estatal", "municipal"],
    }
    datos.update(extra)
    return datos


def test_nueva_crea_borrador_con_criterios_y_hora_local_cuando_el_formulario_es_valido(client, autoridad, personal):
    client.force_login(personal)
    resp = client.post(reverse("panel:convocatoria_nueva"), _formulario(autoridad=autoridad.pk))
    conv = Convocatoria.objects.get()
    assert resp.status_code == 302 and resp.url == reverse("panel:convocatoria_editar", args=[conv.slug])
    assert conv.slug == "reconocimiento-de-practicas-de-transparencia-proactiva-2032-2032"
    assert conv.estado == Convocatoria.Estado.BORRADOR
    assert conv.criterios.count() == 6
    # datetime-local inputs are Mexico City time: 23:59:59 local is 05:59:59 UTC the next day.
    assert conv.fecha_cierre == datetime(2032, 6, 30, 23, 59, 59, tzinfo=MX)
    assert conv.fecha_cierre.astimezone(ZoneInfo("UTC")).hour == 5


def test_nueva_muestra_errores_en_su_campo_cuando_las_fechas_no_cuadran(client, autoridad, personal):
    client.force_login(personal)
    resp = client.post(reverse("panel:convocatoria_nueva"),
                       _formulario(autoridad=autoridad.pk, fecha_cierre="2032-04-01T00:00"))
    assert resp.status_code == 200
    assert not Convocatoria.objects.exists()
    contenido = resp.content.decode()
    assert "El cierre debe ser posterior a la apertura." in contenido
    assert 'aria-describedby="id_fecha_cierre_helptext id_fecha_cierre_error"' in contenido


def test_nueva_no_ofrece_autoridades_ajenas_cuando_es_personal(client, autoridad, personal, otro_personal):
    ajena = otro_personal.personal.get().autoridad
    client.force_login(personal)
    resp = client.post(reverse("panel:convocatoria_nueva"), _formulario(autoridad=ajena.pk))
    assert resp.status_code == 200 and "autoridad" in resp.context["form"].errors
    assert not Convocatoria.objects.exists()


def test_nueva_parte_de_la_convocatoria_anterior_cuando_existe(client, convocatoria, personal):
    client.force_login(personal)
    form = client.get(reverse("panel:convocatoria_nueva")).context["form"]
    assert form.initial["fundamento_legal"] == convocatoria.fundamento_legal
    assert form.initial["prefijo_folio"] == convocatoria.prefijo_folio


# --- edit ------------------------------------------------------------------------------------

def test_editar_guarda_cambios_cuando_es_borrador(client, borrador, personal):
    client.force_login(personal)
    url = reverse("panel:convocatoria_editar", args=[borrador.slug])
    resp = client.post(url, _formulario(titulo="Título corregido", slug="rtp-2032"))
    assert resp.status_code == 302 and resp.url == reverse("panel:convocatoria_editar", args=["rtp-2032"])
    borrador.refresh_from_db()
    assert (borrador.titulo, borrador.slug, borrador.anio) == ("Título corregido", "rtp-2032", 2032)


def test_editar_ignora_campos_fijos_cuando_esta_abierta(client, convocatoria, personal):
    client.force_login(personal)
    url = reverse("panel:convocatoria_editar", args=[convocatoria.slug])
    local = timezone.localtime
    datos = _formulario(
        titulo="Título corregido", slug="otro", prefijo_folio="OTRO", escala_max="5",
        fecha_apertura=local(convocatoria.fecha_apertura).strftime("%Y-%m-%dT%H:%M:%S"),
        fecha_cierre=local(convocatoria.fecha_cierre + timedelta(days=2)).strftime("%Y-%m-%dT%H:%M:%S"),
        fecha_resultados=local(convocatoria.fecha_resultados).strftime("%Y-%m-%dT%H:%M:%S"),
    )
    antes = Convocatoria.objects.get(pk=convocatoria.pk)
    resp = client.post(url, datos)
    assert resp.status_code == 302, resp.context["form"].errors
    convocatoria.refresh_from_db()
    assert convocatoria.titulo == "Título corregido"
    assert (convocatoria.slug, convocatoria.prefijo_folio, convocatoria.escala_max) == (
        antes.slug, antes.prefijo_folio, antes.escala_max)
    assert convocatoria.fecha_cierre.replace(microsecond=0) == (antes.fecha_cierre + timedelta(days=2)).replace(
        microsecond=0)


def _formset(prefijo, filas, iniciales):
    datos = {f"{prefijo}-TOTAL_FORMS": str(len(filas)), f"{prefijo}-INITIAL_FORMS": str(iniciales),
             f"{prefijo}-MIN_NUM_FORMS": "0", f"{prefijo}-MAX_NUM_FORMS": "1000"}
    for i, fila in enumerate(filas):
        for campo, valor in fila.items():
            datos[f"{prefijo}-{i}-{campo}"] = valor
    return datos


def test_criterios_guarda_el_formset_cuando_es_borrador(client, borrador, personal):
    client.force_login(personal)
    actuales = list(borrador.criterios.order_by("numero"))
    filas = [{"id": c.pk, "numero": c.numero, "nombre": c.nombre, "descripcion": "", "peso": "1.00"} for c in actuales]
    filas[0]["peso"] = "2.00"
    filas[5]["DELETE"] = "on"
    filas.append({"id": "", "numero": "7", "nombre": "Accesibilidad", "descripcion": "Formatos accesibles.",
                  "peso": "1.50"})
    resp = client.post(reverse("panel:convocatoria_criterios", args=[borrador.slug]),
                       _formset("criterios", filas, len(actuales)))
    assert resp.status_code == 302
    criterios = {c.numero: c for c in borrador.criterios.all()}
    assert sorted(criterios) == [1, 2, 3, 4, 5, 7]
    assert criterios[1].peso == Decimal("2.00")
    assert criterios[7].descripcion == "Formatos accesibles."


def test_criterios_marca_el_numero_repetido_cuando_el_formset_lo_trae(client, borrador, personal):
    client.force_login(personal)
    actuales = list(borrador.criterios.order_by("numero"))
    filas = [{"id": c.pk, "numero": c.numero, "nombre": c.nombre, "descripcion": "", "peso": "1"} for c in actuales]
    filas[1]["numero"] = "1"
    resp = client.post(reverse("panel:convocatoria_criterios", args=[borrador.slug]),
                       _formset("criterios", filas, len(actuales)))
    assert resp.status_code == 200
    assert "Este número ya lo tiene otro criterio." in resp.content.decode()
    assert sorted(borrador.criterios.values_list("numero", flat=True)) == [1, 2, 3, 4, 5, 6]


def test_criterios_son_de_solo_lectura_cuando_la_convocatoria_esta_abierta(client, convocatoria, personal):
    client.force_login(personal)
    url = reverse("panel:convocatoria_criterios", args=[convocatoria.slug])
    resp = client.get(url)
    assert resp.status_code == 200 and resp.context["formset"] is None
    assert 'name="criterios-0-nombre"' not in resp.content.decode()
    primero = convocatoria.criterios.get(numero=1)
    resp = client.post(url, _formset("criterios", [{"id": primero.pk, "numero": "1", "nombre": "Cambiado",
                                                    "peso": "1"}], 6), follow=True)
    assert "no pueden cambiar una vez abierta" in resp.content.decode()
    primero.refresh_from_db()
    assert primero.nombre != "Cambiado"


def test_jurado_guarda_el_formset_con_cuentas_cuando_los_correos_existen(client, borrador, personal):
    titular = factories.UsuarioFactory(email="investigacion@infoem.org.mx")
    client.force_login(personal)
    filas = [
        {"id": "", "cargo": "Titular de la Unidad de Investigación", "nombre": "Ana Pérez",
         "correo": "Investigacion@infoem.org.mx", "orden": "1"},
        {"id": "", "cargo": "Titular de la Dirección de Archivo", "nombre": "", "correo": "", "orden": "2"},
    ]
    resp = client.post(reverse("panel:convocatoria_jurado", args=[borrador.slug]), _formset("jurado", filas, 0))
    assert resp.status_code == 302
    assert list(borrador.jurado.order_by("orden").values_list("usuario", flat=True)) == [titular.pk, None]


def test_jurado_marca_el_correo_cuando_no_hay_cuenta(client, borrador, personal):
    client.force_login(personal)
    filas = [{"id": "", "cargo": "Titular", "nombre": "", "correo": "nadie@ejemplo.mx", "orden": "1"}]
    resp = client.post(reverse("panel:convocatoria_jurado", args=[borrador.slug]), _formset("jurado", filas, 0))
    assert resp.status_code == 200 and "No hay una cuenta con ese correo" in resp.content.decode()
    assert not MiembroJurado.objects.exists()


def test_documentos_sube_y_elimina_cuando_es_personal(client, borrador, personal):
    client.force_login(personal)
    url = reverse("panel:convocatoria_documentos", args=[borrador.slug])
    archivo = SimpleUploadedFile("formulario.docx", b"PK\x03\x04contenido", content_type="application/octet-stream")
    resp = client.post(url, {"titulo": "Formulario", "archivo": archivo})
    assert resp.status_code == 302
    doc = DocumentoConvocatoria.objects.get()
    assert doc.titulo == "Formulario"
    contenido = client.get(url).content.decode()
    assert reverse("convocatorias:documento", args=[borrador.slug, doc.pk]) in contenido
    resp = client.post(reverse("panel:convocatoria_documento_eliminar", args=[borrador.slug, doc.pk]))
    assert resp.status_code == 302 and not DocumentoConvocatoria.objects.exists()


def test_documentos_muestra_el_error_en_el_campo_cuando_el_formato_no_se_acepta(client, borrador, personal):
    client.force_login(personal)
    archivo = SimpleUploadedFile("virus.exe", b"MZ", content_type="application/octet-stream")
    resp = client.post(reverse("panel:convocatoria_documentos", args=[borrador.slug]),
                       {"titulo": "Malo", "archivo": archivo})
    assert resp.status_code == 200
    assert "no es un formato aceptado" in str(resp.context["form"].errors["archivo"])
    assert not DocumentoConvocatoria.objects.exists()


# --- publish ---------------------------------------------------------------------------------

def test_publicar_pide_confirmacion_y_abre_cuando_se_confirma(client, borrador, personal):
    client.force_login(personal)
    url = reverse("panel:convocatoria_publicar", args=[borrador.slug])
    resp = client.get(url)
    assert resp.status_code == 200 and "Sí, publicar la convocatoria" in resp.content.decode()
    borrador.refresh_from_db()
    assert borrador.estado == Convocatoria.Estado.BORRADOR  # GET changes nothing
    resp = client.post(url)
    assert resp.status_code == 302
    borrador.refresh_from_db()
    assert borrador.estado == Convocatoria.Estado.ABIERTA and borrador.publicada_en is not None


def test_publicar_muestra_el_motivo_cuando_no_hay_criterios(client, borrador, personal):
    Criterio.objects.filter(convocatoria=borrador).delete()
    client.force_login(personal)
    resp = client.post(reverse("panel:convocatoria_publicar", args=[borrador.slug]))
    assert resp.status_code == 400
    assert "al menos un criterio" in resp.content.decode()
    borrador.refresh_from_db()
    assert borrador.estado == Convocatoria.Estado.BORRADOR


def test_publicar_rechaza_cuando_ya_esta_abierta(client, convocatoria, personal):
    client.force_login(personal)
    resp = client.post(reverse("panel:convocatoria_publicar", args=[convocatoria.slug]))
    assert resp.status_code == 400
    assert "no puede pasar a" in resp.content.decode()


# --- Django admin ----------------------------------------------------------------------------

@pytest.fixture
def admin_client_reconoce(db, client):
    client.force_login(factories.UsuarioFactory(is_superuser=True, is_staff=True))
    return client


def test_admin_muestra_criterios_de_solo_lectura_cuando_la_convocatoria_esta_abierta(admin_client_reconoce,
                                                                                    convocatoria):
    resp = admin_client_reconoce.get(reverse("admin:convocatorias_convocatoria_change", args=[convocatoria.pk]))
    assert resp.status_code == 200
    html = resp.content.decode()
    assert 'name="criterios-0-nombre"' not in html and "Procedimientos utilizados" in html
    assert 'name="estado"' not in html and 'name="slug"' not in html


def test_admin_permite_editar_criterios_y_muestra_documentos_privados_cuando_es_borrador(admin_client_reconoce,
                                                                                         borrador, documento):
    resp = admin_client_reconoce.get(reverse("admin:convocatorias_convocatoria_change", args=[borrador.pk]))
    assert resp.status_code == 200
    html = resp.content.decode()
    assert 'name="criterios-0-nombre"' in html
    assert reverse("convocatorias:documento", args=[borrador.slug, documento.pk]) in html


def test_admin_crea_usuario_con_correo_cuando_se_usa_el_formulario_de_alta(admin_client_reconoce):
    from core.models import Usuario

    resp = admin_client_reconoce.post(reverse("admin:core_usuario_add"), {
        "email": "Nueva.Persona@Infoem.org.mx", "usable_password": "true",
        "password1": "una-clave-larga-2031", "password2": "una-clave-larga-2031",
        "personal-TOTAL_FORMS": "0", "personal-INITIAL_FORMS": "0",
    })
    assert resp.status_code == 302, resp.context["adminform"].form.errors
    usuario = Usuario.objects.get(email="nueva.persona@infoem.org.mx")
    assert usuario.username == usuario.email and usuario.check_password("una-clave-larga-2031")
    assert admin_client_reconoce.get(reverse("admin:core_usuario_change", args=[usuario.pk])).status_code == 200
