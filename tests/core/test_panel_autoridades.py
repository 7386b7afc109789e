"""Authorities in the staff panel (/panel/autoridades/): create and edit (errors tied to their fields:
contrast, logo), who may change what identifies an authority, signers as a formset, staff assignment,
the change history, the menu entry and the list's query count. Permissions per persona and URL are
in the matrix of tests/core/test_permisos.py."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from core.forms import LOGO_MAX_BYTES
from core.models import AutoridadGarante, FirmanteAutoridad, PersonalGarante
from tests import factories


def _png(nombre="logo.png", formato="PNG") -> SimpleUploadedFile:
    contenido = io.BytesIO()
    Image.new("RGB", (40, 20), "#1f4e79").save(contenido, formato)
    return SimpleUploadedFile(nombre, contenido.getvalue(), content_type="image/png")


def _datos(autoridad=None, **cambios):
    base = {"nombre": "Instituto de Transparencia de Nuevo León", "siglas": "INFONL", "slug": "",
            "entidad_clave": "19", "domicilio": "Av. Constitución 1465, Monterrey", "correo_contacto":
            "contacto@infonl.mx", "telefono": "81 1001 7800", "sitio_web": "https://infonl.mx",
            "aviso_privacidad": "Aviso de privacidad integral.", "unidades": "Dirección Jurídica\nSecretaría Técnica",
            "color_primario": "#1f4e79"}
    if autoridad is not None:
        base.update({c: getattr(autoridad, c) for c in ("nombre", "siglas", "slug", "entidad_clave", "domicilio",
                                                          "correo_contacto", "telefono", "sitio_web",
                                                          "aviso_privacidad", "unidades", "color_primario")})
    return {**base, **cambios}


# --- create ----------------------------------------------------------------------------------

def test_administrador_crea_una_autoridad_con_logo_y_el_identificador_sale_de_las_siglas(client, superusuario):
    client.force_login(superusuario)

    resp = client.post(reverse("panel:autoridad_nueva"), {**_datos(), "logo": _png("Logo Oficial.PNG")})

    autoridad = AutoridadGarante.objects.get(siglas="INFONL")
    assert resp.status_code == 302 and resp["Location"] == reverse("panel:autoridad_editar", args=["infonl"])
    assert autoridad.slug == "infonl" and autoridad.entidad_nombre == "Nuevo León"
    assert autoridad.unidades_lista == ["Dirección Jurídica", "Secretaría Técnica"]
    assert autoridad.logo.name.startswith("autoridades/") and autoridad.logo.name.endswith(".png")
    assert "Logo Oficial" not in autoridad.logo.name  # stored under a random name
    assert autoridad.history.get().history_user == superusuario


def test_color_sin_contraste_muestra_el_error_en_su_campo_y_conserva_lo_escrito(client, superusuario):
    client.force_login(superusuario)

    resp = client.post(reverse("panel:autoridad_nueva"), _datos(color_primario="#ffd700"))

    assert resp.status_code == 400
    assert not AutoridadGarante.objects.filter(siglas="INFONL").exists()
    html = resp.content.decode()
    assert resp.context["form"].errors["color_primario"][0].startswith("Con este color el texto blanco no se lee bien")
    assert 'aria-describedby="id_color_primario_helptext id_color_primario_error"' in html
    assert 'type="color" name="color_primario" value="#ffd700"' in html
    assert 'value="Instituto de Transparencia de Nuevo León"' in html and "Secretaría Técnica" in html


@pytest.mark.parametrize(("archivo", "mensaje"), [
    (SimpleUploadedFile("logo.png", b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
                        content_type="image/png"), "debe ser una imagen PNG o JPEG"),
    (None, "debe ser una imagen PNG o JPEG"),  # a GIF: an image, but not an accepted one
    (SimpleUploadedFile("grande.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * LOGO_MAX_BYTES, content_type="image/png"),
     "el máximo es 1"),
    (SimpleUploadedFile("roto.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 64, content_type="image/png"),
     "imagen válida"),
], ids=["svg-con-nombre-png", "gif", "demasiado-grande", "png-danado"])
def test_logo_que_no_es_png_ni_jpeg_valido_se_rechaza_en_su_campo(client, superusuario, archivo, mensaje):
    client.force_login(superusuario)
    archivo = archivo or _png("logo.gif", formato="GIF")

    resp = client.post(reverse("panel:autoridad_nueva"), {**_datos(), "logo": archivo})

    assert resp.status_code == 400
    assert not AutoridadGarante.objects.filter(siglas="INFONL").exists()
    assert mensaje in resp.context["form"].errors["logo"][0]
    html = resp.content.decode()
    assert 'id="id_logo_error"' in html and 'aria-describedby="id_logo_helptext id_logo_error"' in html
    assert 'value="Instituto de Transparencia de Nuevo León"' in html
    assert "vuelva a elegirlo" in html


def test_siglas_repetidas_se_senalan_en_su_campo(client, superusuario, otra_autoridad):
    client.force_login(superusuario)

    resp = client.post(reverse("panel:autoridad_nueva"), _datos(siglas="COTAI", slug="cotai-2"))

    assert resp.status_code == 400
    assert "siglas" in resp.context["form"].errors
    assert AutoridadGarante.objects.filter(siglas="COTAI").count() == 1


# --- edit ------------------------------------------------------------------------------------

def test_personal_edita_los_datos_de_su_autoridad_pero_no_siglas_identificador_ni_entidad(client, personal, autoridad):
    client.force_login(personal)
    url = reverse("panel:autoridad_editar", args=[autoridad.slug])

    html = client.get(url).content.decode()
    resp = client.post(url, _datos(autoridad, nombre="Instituto renombrado", siglas="OTRA", slug="otra",
                                   entidad_clave="19", telefono="722 226 1980", logo=_png()))

    assert 'name="siglas" value="INFOEM" maxlength="30" class="textinput form-control" disabled' in html
    assert resp.status_code == 302
    autoridad.refresh_from_db()
    assert (autoridad.nombre, autoridad.telefono) == ("Instituto renombrado", "722 226 1980")
    assert (autoridad.siglas, autoridad.slug, autoridad.entidad_clave) == ("INFOEM", "infoem", "15")
    assert autoridad.logo.name.endswith(".png")
    assert autoridad.history.latest().history_user == personal


def test_administrador_cambia_siglas_e_identificador_y_vuelve_a_la_nueva_direccion(client, superusuario, autoridad):
    client.force_login(superusuario)

    resp = client.post(reverse("panel:autoridad_editar", args=[autoridad.slug]),
                       _datos(autoridad, siglas="INFOEM-MX", slug="infoem-mx"))

    assert resp.status_code == 302 and resp["Location"] == reverse("panel:autoridad_editar", args=["infoem-mx"])
    autoridad.refresh_from_db()
    assert (autoridad.siglas, autoridad.slug) == ("INFOEM-MX", "infoem-mx")


def test_administrador_configura_el_remitente_de_los_correos_y_el_personal_no_lo_cambia(
        client, superusuario, personal, autoridad):
    url = reverse("panel:autoridad_editar", args=[autoridad.slug])
    client.force_login(superusuario)
    resp = client.post(url, _datos(autoridad, remitente_correo="avisos@infoem.example",
                                   remitente_nombre="INFOEM · Avisos"))
    assert resp.status_code == 302
    autoridad.refresh_from_db()
    assert (autoridad.remitente_correo, autoridad.remitente_nombre) == ("avisos@infoem.example", "INFOEM · Avisos")

    client.force_login(personal)
    html = client.get(url).content.decode()
    assert 'id="id_remitente_correo"' in html and "disabled" in html.split('id="id_remitente_correo"')[0][-300:] + \
        html.split('id="id_remitente_correo"')[1][:300]
    resp = client.post(url, _datos(autoridad, remitente_correo="yo@otro.example", remitente_nombre="Otro"))
    assert resp.status_code == 302
    autoridad.refresh_from_db()
    assert autoridad.remitente_correo == "avisos@infoem.example"  # a disabled field keeps the stored value


def test_remitente_invalido_se_senala_en_su_campo(client, superusuario, autoridad):
    client.force_login(superusuario)
    resp = client.post(reverse("panel:autoridad_editar", args=[autoridad.slug]),
                       _datos(autoridad, remitente_correo="no es un correo"))
    assert resp.status_code == 400
    assert "remitente_correo" in resp.context["form"].errors


def test_el_logo_se_conserva_si_no_se_elige_otro_y_se_quita_con_la_casilla(client, personal, autoridad):
    client.force_login(personal)
    url = reverse("panel:autoridad_editar", args=[autoridad.slug])
    client.post(url, _datos(autoridad, logo=_png()))
    autoridad.refresh_from_db()
    logo = autoridad.logo.name

    client.post(url, _datos(autoridad, telefono="722 000 0000"))
    autoridad.refresh_from_db()
    assert autoridad.logo.name == logo
    assert 'id="logo-clear_id"' in client.get(url).content.decode()

    client.post(url, _datos(autoridad, **{"logo-clear": "on"}))
    autoridad.refresh_from_db()
    assert not autoridad.logo


def test_error_al_editar_no_cambia_el_encabezado_ni_la_base(client, personal, autoridad):
    client.force_login(personal)

    resp = client.post(reverse("panel:autoridad_editar", args=[autoridad.slug]),
                       _datos(autoridad, nombre="Nombre nuevo", color_primario="#eeeeee"))

    assert resp.status_code == 400
    assert resp.context["autoridad"].nombre == autoridad.nombre
    assert 'value="Nombre nuevo"' in resp.content.decode()
    autoridad.refresh_from_db()
    assert autoridad.nombre != "Nombre nuevo" and autoridad.history.count() == 1


# --- signers ---------------------------------------------------------------------------------

def _formset(filas, iniciales=0):
    datos = {"firmantes-TOTAL_FORMS": str(len(filas)), "firmantes-INITIAL_FORMS": str(iniciales),
             "firmantes-MIN_NUM_FORMS": "0", "firmantes-MAX_NUM_FORMS": "4"}
    for i, fila in enumerate(filas):
        datos.update({f"firmantes-{i}-{k}": v for k, v in fila.items()})
    return datos


def test_firmantes_se_agregan_reordenan_y_quitan_con_historial(client, personal, autoridad):
    client.force_login(personal)
    url = reverse("panel:autoridad_firmantes", args=[autoridad.slug])

    resp = client.post(url, _formset([
        {"nombre": "José Martínez Vilchis", "cargo": "Comisionado Presidente", "orden": "1"},
        {"nombre": "Sharon Morales Martínez", "cargo": "Comisionada", "orden": "2"},
    ]))
    assert resp.status_code == 302
    jose, sharon = autoridad.firmantes.all()
    assert (jose.nombre, sharon.nombre) == ("José Martínez Vilchis", "Sharon Morales Martínez")

    resp = client.post(url, _formset([
        {"id": jose.pk, "nombre": jose.nombre, "cargo": jose.cargo, "orden": "3"},
        {"id": sharon.pk, "nombre": sharon.nombre, "cargo": sharon.cargo, "orden": "1"},
        {"nombre": "Luis Gustavo Parra Noriega", "cargo": "Comisionado", "orden": "2"},
    ], iniciales=2))
    assert resp.status_code == 302
    assert list(autoridad.firmantes.values_list("nombre", flat=True)) == [
        "Sharon Morales Martínez", "Luis Gustavo Parra Noriega", "José Martínez Vilchis"]

    luis = autoridad.firmantes.get(nombre="Luis Gustavo Parra Noriega")
    resp = client.post(url, _formset([
        {"id": sharon.pk, "nombre": sharon.nombre, "cargo": sharon.cargo, "orden": "1", "DELETE": "on"},
        {"id": luis.pk, "nombre": luis.nombre, "cargo": luis.cargo, "orden": "2"},
        {"id": jose.pk, "nombre": jose.nombre, "cargo": jose.cargo, "orden": "3"},
    ], iniciales=3))
    assert resp.status_code == 302
    assert not autoridad.firmantes.filter(pk=sharon.pk).exists() and autoridad.firmantes.count() == 2

    registros = FirmanteAutoridad.history.filter(id=sharon.pk).order_by("history_date")
    assert [r.history_type for r in registros] == ["+", "~", "-"]
    assert {r.history_user for r in registros} == {personal}


def test_firmante_sin_cargo_marca_su_campo(client, personal, autoridad):
    client.force_login(personal)

    resp = client.post(reverse("panel:autoridad_firmantes", args=[autoridad.slug]),
                       _formset([{"nombre": "Sin cargo", "cargo": "", "orden": "1"}]))

    assert resp.status_code == 400
    assert "cargo" in resp.context["formset"].forms[0].errors
    assert 'aria-describedby="id_firmantes-0-cargo_error"' in resp.content.decode()
    assert not autoridad.firmantes.exists()


def test_mas_de_cuatro_firmantes_se_rechaza(client, personal, autoridad):
    client.force_login(personal)
    filas = [{"nombre": f"Persona {i}", "cargo": "Comisionado", "orden": str(i)} for i in range(5)]

    resp = client.post(reverse("panel:autoridad_firmantes", args=[autoridad.slug]),
                       _formset(filas) | {"firmantes-MAX_NUM_FORMS": "4"})

    assert resp.status_code == 400 and not autoridad.firmantes.exists()


# --- staff -----------------------------------------------------------------------------------

def test_administrador_agrega_personal_por_correo(client, superusuario, autoridad):
    cuenta = factories.UsuarioFactory(email="ana.lopez@infoem.org.mx")
    client.force_login(superusuario)

    resp = client.post(reverse("panel:autoridad_personal", args=[autoridad.slug]), {
        "nuevo-correo": "  Ana.Lopez@INFOEM.org.mx ", "nuevo-cargo": "Analista", "nuevo-unidad": "Secretaría Técnica"})

    assert resp.status_code == 302
    miembro = PersonalGarante.objects.get(autoridad=autoridad, usuario=cuenta)
    assert (miembro.cargo, miembro.unidad) == ("Analista", "Secretaría Técnica")
    assert miembro.history.get().history_user == superusuario


@pytest.mark.parametrize(("correo", "mensaje"), [
    ("nadie@ejemplo.gob.mx", "No hay una cuenta con el correo «nadie@ejemplo.gob.mx»"),
    ("dgt@infoem.org.mx", "dgt@infoem.org.mx ya es parte del personal de INFOEM"),
])
def test_agregar_personal_con_correo_desconocido_o_repetido_lo_dice_en_el_campo(
        client, superusuario, personal, autoridad, correo, mensaje):
    client.force_login(superusuario)
    antes = PersonalGarante.objects.count()

    resp = client.post(reverse("panel:autoridad_personal", args=[autoridad.slug]),
                       {"nuevo-correo": correo, "nuevo-cargo": "Analista", "nuevo-unidad": ""})

    assert resp.status_code == 400 and PersonalGarante.objects.count() == antes
    assert mensaje in resp.context["form"].errors["correo"][0]
    html = resp.content.decode()
    assert 'aria-describedby="id_nuevo-correo_helptext id_nuevo-correo_error"' in html
    assert 'value="Analista"' in html


def test_personal_ve_a_su_personal_sin_formulario_para_asignar(client, personal, autoridad):
    client.force_login(personal)

    resp = client.get(reverse("panel:autoridad_personal", args=[autoridad.slug]))

    assert resp.status_code == 200 and resp.context["form"] is None
    html = resp.content.decode()
    assert "dgt@infoem.org.mx" in html and "Retirarme" in html and "Agregar al personal" not in html


def test_administrador_edita_cargo_y_unidad(client, superusuario, personal, autoridad):
    miembro = personal.personal.get()
    client.force_login(superusuario)

    resp = client.post(reverse("panel:autoridad_personal_editar", args=[autoridad.slug, miembro.pk]),
                       {"cargo": "Directora de Transparencia", "unidad": "Dirección Jurídica"})

    assert resp.status_code == 302
    miembro.refresh_from_db()
    assert (miembro.cargo, miembro.unidad) == ("Directora de Transparencia", "Dirección Jurídica")


def test_la_ultima_persona_del_personal_no_puede_retirarse(client, personal, autoridad):
    miembro = personal.personal.get()
    client.force_login(personal)

    resp = client.post(reverse("panel:autoridad_personal_retirar", args=[autoridad.slug, miembro.pk]), follow=True)

    assert PersonalGarante.objects.filter(pk=miembro.pk).exists()
    assert "Usted es la única persona del personal de INFOEM y no puede retirarse" in resp.content.decode()


def test_personal_se_retira_si_queda_alguien_mas(client, personal, autoridad):
    factories.PersonalFactory(autoridad=autoridad)
    miembro = personal.personal.get()
    client.force_login(personal)

    resp = client.post(reverse("panel:autoridad_personal_retirar", args=[autoridad.slug, miembro.pk]))

    assert resp.status_code == 302 and resp["Location"] == reverse("portal:inicio_sesion_destino")
    assert not PersonalGarante.objects.filter(pk=miembro.pk).exists()
    assert PersonalGarante.history.filter(id=miembro.pk, history_type="-").get().history_user == personal


def test_administrador_retira_a_cualquiera_aunque_sea_el_ultimo(client, superusuario, personal, autoridad):
    miembro = personal.personal.get()
    client.force_login(superusuario)

    resp = client.post(reverse("panel:autoridad_personal_retirar", args=[autoridad.slug, miembro.pk]))

    assert resp.status_code == 302 and not autoridad.personal.exists()


# --- history ---------------------------------------------------------------------------------

def test_historial_dice_quien_cuando_y_que_campos_cambio(client, personal, superusuario, autoridad):
    personal.first_name, personal.last_name = "Diana", "Gómez"
    personal.save()
    client.force_login(personal)
    client.post(reverse("panel:autoridad_editar", args=[autoridad.slug]),
                _datos(autoridad, telefono="722 226 1980", unidades="Dirección de Datos"))
    client.post(reverse("panel:autoridad_firmantes", args=[autoridad.slug]),
                _formset([{"nombre": "José Martínez Vilchis", "cargo": "Comisionado Presidente", "orden": "1"}]))
    client.force_login(superusuario)
    client.post(reverse("panel:autoridad_personal_editar", args=[autoridad.slug, personal.personal.get().pk]),
                {"cargo": "Directora", "unidad": ""})

    client.force_login(personal)
    resp = client.get(reverse("panel:autoridad_historial", args=[autoridad.slug]))

    assert resp.status_code == 200
    entradas = resp.context["entradas"]
    cambio_personal, firmante, datos = entradas[:3]
    assert (cambio_personal.objeto, cambio_personal.autor) == ("Personal: dgt@infoem.org.mx", superusuario)
    assert [(c.campo, c.antes, c.despues) for c in cambio_personal.cambios] == [
        ("cargo", "Dirección General de Transparencia", "Directora")]
    assert (firmante.objeto, firmante.accion, firmante.autor) == ("Firmante: José Martínez Vilchis", "+", personal)
    assert (datos.objeto, datos.accion, datos.autor) == ("Datos de la autoridad", "~", personal)
    assert {c.campo for c in datos.cambios} == {"teléfono", "unidades administrativas"}
    html = resp.content.decode()
    assert "Diana Gómez" in html and "722 226 1980" in html and "Dirección de Datos" in html


def test_historial_de_la_autoridad_se_lee_en_pocas_consultas(client, personal, autoridad, django_assert_num_queries):
    client.force_login(personal)
    for i in range(4):
        client.post(reverse("panel:autoridad_editar", args=[autoridad.slug]), _datos(autoridad, telefono=f"72{i}"))
    url = reverse("panel:autoridad_historial", args=[autoridad.slug])
    client.get(url)

    # session, user, the authority and "is staff of it", the three histories, Django's own permissions
    # (two, read once for has_perm), the menu's roles and "is staff".
    with django_assert_num_queries(11):
        resp = client.get(url)
    assert len(resp.context["entradas"]) == 6  # the creation, four edits, the staff member


# --- list and menu ---------------------------------------------------------------------------

@pytest.mark.parametrize("cuantas", [1, 4])
def test_lista_de_autoridades_no_crece_en_consultas(client, superusuario, cuantas, django_assert_num_queries):
    for i in range(cuantas):
        autoridad = factories.AutoridadFactory(siglas=f"AUT{i}", nombre=f"Autoridad {i}")
        factories.PersonalFactory(autoridad=autoridad)
        FirmanteAutoridad.objects.create(autoridad=autoridad, nombre="Firma", cargo="Cargo")
    client.force_login(superusuario)
    client.get(reverse("panel:autoridades"))

    # session, user, the menu's roles, the authorities with their counts, the footer's authorities.
    with django_assert_num_queries(5):
        resp = client.get(reverse("panel:autoridades"))
    assert resp.content.decode().count('class="btn btn-sm btn-outline-primary"') == cuantas


def test_lista_del_personal_muestra_solo_su_autoridad_con_sus_conteos(client, personal, autoridad, otro_personal):
    factories.PersonalFactory(autoridad=autoridad)
    client.force_login(personal)

    resp = client.get(reverse("panel:autoridades"))

    filas = list(resp.context["autoridades"])
    assert [(a.siglas, a.num_personal, a.num_firmantes) for a in filas] == [("INFOEM", 2, 0)]
    assert reverse("panel:autoridad_editar", args=["cotai"]) not in resp.content.decode()
    assert not resp.context["puede_crear"]


@pytest.mark.parametrize(("persona", "ve"), [("personal", True), ("superusuario", True), ("enlace_a", False),
                                              ("jurado", False)])
def test_el_menu_lleva_a_autoridades_al_personal_y_a_los_administradores(client, personas, persona, ve):
    client.force_login(personas[persona])

    html = client.get(reverse("portal:inicio")).content.decode()

    assert (f'href="{reverse("panel:autoridades")}">Autoridades</a>' in html) is ve
