"""Panel catalogues: sujetos obligados (list, form, CSV import) and enlace requests."""

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from practicas import importacion
from practicas.models import Enlace, Municipio, SujetoObligado
from practicas.views_catalogos import SESION_IMPORTACION
from tests import factories

LOGIN = "login"


@pytest.fixture
def otro_personal(db):
    otra = factories.AutoridadFactory(siglas="INFONL", nombre="Instituto de Nuevo León",
                                      entidad_clave="19")
    return factories.PersonalFactory(autoridad=otra, usuario__email="dgt@infonl.mx").usuario


@pytest.fixture
def todas(personas, otro_personal):
    return {**personas, "otro_personal": otro_personal}


@pytest.fixture
def metepec(db):
    return Municipio.objects.create(cvegeo="15054", entidad_clave="15", entidad="México", nombre="Metepec")


@pytest.fixture
def toluca(db):
    return Municipio.objects.create(cvegeo="15106", entidad_clave="15", entidad="México", nombre="Toluca")


@pytest.fixture
def monterrey(db):
    return Municipio.objects.create(cvegeo="19039", entidad_clave="19", entidad="Nuevo León", nombre="Monterrey")


@pytest.fixture
def solicitud(db):
    return factories.EnlaceFactory(
        estado=Enlace.Estado.SOLICITADO, usuario__email="nueva.enlace@metepec.gob.mx",
        usuario__first_name="Lucía", usuario__last_name="Hernández",
        sujeto=factories.SujetoFactory(nombre="Secretaría de Movilidad"),
    )


# --- permission matrix -----------------------------------------------------------------------

RUTAS = {
    "sujetos": lambda s: reverse("panel:sujetos"),
    "sujeto_nuevo": lambda s: reverse("panel:sujeto_nuevo"),
    "sujeto_editar": lambda s: reverse("panel:sujeto_editar", args=[s.pk]),
    "sujetos_importar": lambda s: reverse("panel:sujetos_importar"),
    "enlaces": lambda s: reverse("panel:enlaces"),
}
# Any staff keeps the catalogue of their authorities' entities; `sujeto_a` is of entidad 15, so staff of
# the other authority (entidad 19) get 404 on it (tests/practicas/test_tenencia.py has the rest).
ESPERADO = {"anonimo": LOGIN, "enlace_a": 403, "enlace_b": 403, "jurado": 403, "personal": 200,
            "otro_personal": 200}
EXCEPCIONES = {("sujeto_editar", "otro_personal"): 404}


@pytest.mark.parametrize("persona", ESPERADO)
@pytest.mark.parametrize("ruta", RUTAS)
def test_permisos_get_de_cada_vista_cuando_llega_cada_persona(client, todas, sujeto_a, ruta, persona):
    if todas[persona] is not None:
        client.force_login(todas[persona])
    resp = client.get(RUTAS[ruta](sujeto_a))
    esperado = EXCEPCIONES.get((ruta, persona), ESPERADO[persona])
    if esperado == LOGIN:
        assert resp.status_code == 302 and resp.url.startswith(reverse("login") + "?next=")
    else:
        assert resp.status_code == esperado, f"{ruta} {persona}"


POSTS = {
    "sujeto_nuevo": lambda s, e: (reverse("panel:sujeto_nuevo"),
                                  {"nombre": "Nuevo", "orden": "estatal", "tipo": "dependencia",
                                   "entidad_clave": "15", "activo": "on"}),
    "sujeto_editar": lambda s, e: (reverse("panel:sujeto_editar", args=[s.pk]),
                                   {"nombre": "Renombrado", "orden": "estatal", "tipo": "dependencia",
                                    "entidad_clave": "15", "activo": "on"}),
    "sujetos_importar": lambda s, e: (reverse("panel:sujetos_importar"), {"entidad_clave": "15"}),
    "sujetos_importar_confirmar": lambda s, e: (reverse("panel:sujetos_importar_confirmar"), {"huella": "x"}),
    "enlace_resolver": lambda s, e: (reverse("panel:enlace_resolver", args=[e.pk]), {"accion": "aprobar"}),
}


def _foto():
    return (list(SujetoObligado.objects.order_by("pk").values_list("pk", "nombre")),
            list(Enlace.objects.order_by("pk").values_list("pk", "estado")))


@pytest.mark.parametrize("persona", ["anonimo", "enlace_a", "jurado"])
@pytest.mark.parametrize("ruta", POSTS)
def test_permisos_post_rechazado_no_cambia_nada_cuando_no_es_personal(client, todas, sujeto_a, solicitud, ruta,
                                                                       persona):
    url, datos = POSTS[ruta](sujeto_a, solicitud)
    if todas[persona] is not None:
        client.force_login(todas[persona])
    antes = _foto()
    resp = client.post(url, datos)
    if persona == "anonimo":
        assert resp.status_code == 302 and resp.url.startswith(reverse("login"))
    else:
        assert resp.status_code == 403
    assert _foto() == antes
    assert not mail.outbox


# --- sujetos: list and form ------------------------------------------------------------------

def test_sujetos_filtra_por_nombre_orden_y_tipo_cuando_se_piden(client, personal, metepec):
    factories.SujetoFactory(nombre="Secretaría de Finanzas", siglas="SEFIN")
    factories.SujetoFactory(nombre="Ayuntamiento de Metepec", orden="municipal", tipo="ayuntamiento",
                            municipio=metepec)
    factories.SujetoFactory(nombre="Secretaría de Salud", activo=False)
    client.force_login(personal)
    url = reverse("panel:sujetos")

    def nombres(**params):
        return [s.nombre for s in client.get(url, params).context["pagina"].object_list]

    assert nombres(q="sefin") == ["Secretaría de Finanzas"]
    assert nombres(q="metepec ayunt") == ["Ayuntamiento de Metepec"]
    assert nombres(orden="municipal") == ["Ayuntamiento de Metepec"]
    assert nombres(tipo="dependencia") == ["Secretaría de Finanzas", "Secretaría de Salud"]
    assert nombres(activo="0") == ["Secretaría de Salud"]


@pytest.mark.parametrize("n", [2, 12])
def test_sujetos_hace_las_mismas_consultas_cuando_crece(client, personal, metepec, django_assert_num_queries, n):
    for i in range(n):
        if i % 2:
            factories.SujetoFactory(orden="municipal", tipo="ayuntamiento", municipio=metepec)
        else:
            factories.SujetoFactory()
    client.force_login(personal)
    # session, user, es_personal, count, page, the frame's enlaces.exists and the portal's authority
    with django_assert_num_queries(7):
        resp = client.get(reverse("panel:sujetos"), {"orden": ""})
    assert resp.status_code == 200 and len(resp.context["pagina"].object_list) == n


def test_sujeto_nuevo_exige_municipio_cuando_es_municipal(client, personal):
    client.force_login(personal)
    resp = client.post(reverse("panel:sujeto_nuevo"), {"nombre": "Ayuntamiento de Toluca", "orden": "municipal",
                                                       "tipo": "ayuntamiento", "entidad_clave": "15"})
    assert resp.status_code == 200
    assert "Indique el municipio" in resp.content.decode()
    assert 'aria-describedby="id_municipio_helptext id_municipio_error"' in resp.content.decode()
    assert not SujetoObligado.objects.exists()


def test_sujeto_nuevo_y_editar_guardan_con_historial_cuando_el_formulario_es_valido(client, personal, toluca):
    client.force_login(personal)
    resp = client.post(reverse("panel:sujeto_nuevo"), {"nombre": "Ayuntamiento de Toluca", "orden": "municipal",
                                                       "tipo": "ayuntamiento", "entidad_clave": "15",
                                                       "municipio": toluca.pk, "activo": "on"})
    assert resp.status_code == 302
    sujeto = SujetoObligado.objects.get()
    assert sujeto.municipio == toluca and sujeto.activo
    resp = client.post(reverse("panel:sujeto_editar", args=[sujeto.pk]),
                       {"nombre": "H. Ayuntamiento de Toluca", "siglas": "TOL", "orden": "municipal",
                        "tipo": "ayuntamiento", "entidad_clave": "15", "municipio": toluca.pk})
    assert resp.status_code == 302
    sujeto.refresh_from_db()
    assert (sujeto.nombre, sujeto.activo) == ("H. Ayuntamiento de Toluca", False)
    assert sujeto.history.latest().history_user == personal


# --- CSV import ------------------------------------------------------------------------------

CSV_BUENO = (
    "nombre,siglas,orden,tipo,municipio_cvegeo,activo\n"
    "Secretaría de Finanzas,SF,estatal,dependencia,,sí\n"          # line 2: updated (siglas)
    "Secretaría de Salud,,Estatal,Dependencia del Poder Ejecutivo,,\n"  # line 3: unchanged (labels accepted)
    "Ayuntamiento de Metepec,,municipal,ayuntamiento,15054,si\n"     # line 4: new
    "Instituto Municipal de la Mujer de Toluca,IMMT,municipal,organismo_municipal,15106,no\n"  # line 5: new
)


def _subir(client, contenido: bytes, nombre="sujetos.csv", entidad="15"):
    archivo = SimpleUploadedFile(nombre, contenido, content_type="text/csv")
    return client.post(reverse("panel:sujetos_importar"), {"archivo": archivo, "entidad_clave": entidad})


def _confirmar(client, resp):
    return client.post(reverse("panel:sujetos_importar_confirmar"), {"huella": resp.context["huella"]})


def test_importar_muestra_vista_previa_sin_escribir_cuando_se_sube(client, personal, sujeto_a, sujeto_b, metepec,
                                                                  toluca):
    client.force_login(personal)
    antes = _foto()
    resp = _subir(client, CSV_BUENO.encode("utf-8"))
    assert resp.status_code == 200
    vista = resp.context["vista"]
    assert vista.codificacion == "UTF-8"
    assert [f.linea for f in vista.actualizados] == [2]
    assert vista.actualizados[0].cambios == ["siglas"]
    assert [f.linea for f in vista.sin_cambios] == [3]
    assert [f.linea for f in vista.nuevos] == [4, 5]
    assert not vista.con_error and vista.valida
    assert _foto() == antes
    assert "Confirmar e importar" in resp.content.decode()
    assert client.session[SESION_IMPORTACION]["texto"] == CSV_BUENO


def test_importar_confirmar_escribe_todo_cuando_no_hay_errores(client, personal, sujeto_a, sujeto_b, metepec,
                                                               toluca):
    client.force_login(personal)
    resp = _confirmar(client, _subir(client, CSV_BUENO.encode("utf-8")))
    assert resp.status_code == 302 and resp.url == reverse("panel:sujetos")
    sujeto_a.refresh_from_db()
    assert sujeto_a.siglas == "SF"
    mujer = SujetoObligado.objects.get(nombre="Instituto Municipal de la Mujer de Toluca")
    assert (mujer.orden, mujer.tipo, mujer.municipio, mujer.activo, mujer.entidad_clave) == (
        "municipal", "organismo_municipal", toluca, False, "15")
    assert SujetoObligado.objects.count() == 4
    assert SESION_IMPORTACION not in client.session
    assert mujer.history.latest().history_user == personal


def test_importar_lista_errores_con_linea_y_no_permite_confirmar_cuando_una_fila_falla(client, personal, metepec):
    contenido = (
        "nombre,orden,tipo,municipio_cvegeo\n"
        "Secretaría del Campo,estatal,dependencia,\n"     # fine on its own
        "Ayuntamiento de Toluca,municipal,ayuntamiento,\n"  # municipal without municipality
        "Ayuntamiento de Ecatepec,municipal,ayuntamiento,15033\n"  # unknown municipality
        "Secretaría del Campo,estatal,dependencia,\n"     # repeated
        ",federal,banco,\n"                                 # empty name, bad orden, bad tipo
    )
    client.force_login(personal)
    resp = _subir(client, contenido.encode())
    vista = resp.context["vista"]
    errores = {f.linea: " ".join(f.errores) for f in vista.con_error}
    assert sorted(errores) == [3, 4, 5, 6]
    assert "municipio_cvegeo" in errores[3]
    assert "No existe el municipio con clave 15033" in errores[4]
    assert "línea 2" in errores[5]
    assert "Falta el nombre" in errores[6] and "Orden «federal»" in errores[6] and "Tipo «banco»" in errores[6]
    assert not vista.valida
    html = resp.content.decode()
    assert "Confirmar e importar" not in html and "Filas con errores" in html
    # Forcing the confirmation anyway writes nothing, not even the good row.
    resp = _confirmar(client, resp)
    assert resp.status_code == 400
    assert "no se guardó nada" in resp.content.decode()
    assert not SujetoObligado.objects.exists()


def test_importar_confirmar_no_escribe_nada_cuando_la_vista_previa_quedo_vieja(client, personal, metepec, toluca):
    client.force_login(personal)
    resp = _subir(client, CSV_BUENO.encode("utf-8"))
    assert resp.context["vista"].valida
    toluca.delete()  # between preview and confirmation the catalogue changed
    resp = _confirmar(client, resp)
    assert resp.status_code == 400
    assert not SujetoObligado.objects.exists()  # the other three valid rows were not written either
    assert [f.linea for f in resp.context["vista"].con_error] == [5]


def test_importar_lee_latin1_cuando_el_archivo_no_es_utf8(client, personal, toluca):
    contenido = (
        "nombre;siglas;orden;tipo;municipio_cvegeo;activo\n"
        "Secretaría de Educación, Ciencia, Tecnología e Innovación;SECTI;estatal;dependencia;;sí\n"
        "Organismo Público Descentralizado para la Prestación de los Servicios de Agua Potable de Toluca;"
        "OPDAPAS;municipal;organismo_municipal;15106;Sí\n"
    ).encode("latin-1")
    client.force_login(personal)
    resp = _subir(client, contenido, nombre="sujetos-excel.csv")
    vista = resp.context["vista"]
    assert vista.codificacion.startswith("Latin-1")
    assert [f.nombre for f in vista.nuevos][0] == "Secretaría de Educación, Ciencia, Tecnología e Innovación"
    _confirmar(client, resp)
    assert SujetoObligado.objects.filter(nombre__startswith="Secretaría de Educación", siglas="SECTI").exists()
    assert SujetoObligado.objects.get(siglas="OPDAPAS").municipio == toluca


def test_importar_acepta_utf8_con_bom_y_clave_sin_cero_cuando_viene_de_excel(db, metepec):
    texto, codificacion = importacion.decodificar(
        "\ufeffnombre,orden,tipo,municipio_cvegeo\nAyuntamiento de Metepec,municipal,ayuntamiento,15054\n"
        .encode("utf-8")
    )
    assert codificacion == "UTF-8" and not texto.startswith("\ufeff")
    vista = importacion.analizar(texto, entidad_clave="15", codificacion=codificacion)
    assert not vista.errores_archivo and [f.linea for f in vista.nuevos] == [2]
    vista = importacion.analizar("nombre,orden,tipo,municipio_cvegeo\nX,municipal,ayuntamiento,1001\n",
                                 entidad_clave="01")
    assert "01001" in " ".join(vista.con_error[0].errores)


def test_decodificar_respeta_comillas_de_windows_y_cae_a_latin1_cuando_no_es_utf8():
    texto, codificacion = importacion.decodificar("Secretaría “Bienestar” – Edomex".encode("cp1252"))
    assert texto == "Secretaría “Bienestar” – Edomex" and codificacion.startswith("Latin-1")
    texto, codificacion = importacion.decodificar(b"Jos\xe9 \x81")  # 0x81 is undefined in Windows-1252
    assert texto == "José \x81" and codificacion == "Latin-1 (ISO-8859-1)"


def test_importar_rechaza_el_archivo_cuando_faltan_columnas_o_sobran_celdas(db, monterrey):
    vista = importacion.analizar("nombre,siglas\nUno,U\n", entidad_clave="15")
    assert "orden, tipo" in vista.errores_archivo[0]
    vista = importacion.analizar("nombre,orden,tipo\nUno,estatal,dependencia,extra\n", entidad_clave="15")
    assert "4 columnas" in vista.con_error[0].errores[0]
    vista = importacion.analizar("nombre,orden,tipo,municipio_cvegeo\nUno,municipal,ayuntamiento,19039\n",
                                 entidad_clave="15")
    assert "no pertenece a la entidad 15" in vista.con_error[0].errores[0]


def test_importar_confirmar_pide_subir_de_nuevo_cuando_la_huella_no_coincide(client, personal):
    client.force_login(personal)
    _subir(client, b"nombre,orden,tipo\nUno,estatal,dependencia\n")
    resp = client.post(reverse("panel:sujetos_importar_confirmar"), {"huella": "otra"})
    assert resp.status_code == 302 and resp.url == reverse("panel:sujetos_importar")
    assert not SujetoObligado.objects.exists()


# --- enlace requests -------------------------------------------------------------------------

def test_enlaces_lista_las_solicitudes_pendientes(client, personal, solicitud, enlace_a):
    client.force_login(personal)
    resp = client.get(reverse("panel:enlaces"))
    assert list(resp.context["pagina"].object_list) == [solicitud]
    assert "nueva.enlace@metepec.gob.mx" in resp.content.decode()


def test_enlace_aprobar_avisa_por_correo_despues_del_commit(client, personal, solicitud,
                                                            django_capture_on_commit_callbacks):
    client.force_login(personal)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        resp = client.post(reverse("panel:enlace_resolver", args=[solicitud.pk]), {"accion": "aprobar"})
    assert resp.status_code == 302
    assert len(callbacks) == 1
    solicitud.refresh_from_db()
    assert solicitud.estado == Enlace.Estado.APROBADO and solicitud.resuelto_por == personal
    assert len(mail.outbox) == 1
    correo = mail.outbox[0]
    assert correo.to == ["nueva.enlace@metepec.gob.mx"]
    assert "aprobada" in correo.subject and "Secretaría de Movilidad" in correo.subject
    assert "Lucía" in correo.body and reverse("practicas:mis_practicas") in correo.body


def test_enlace_rechazar_avisa_con_el_motivo_cuando_se_indica(client, personal, solicitud,
                                                             django_capture_on_commit_callbacks):
    client.force_login(personal)
    motivo = "El cargo indicado no corresponde a la Unidad de Transparencia."
    with django_capture_on_commit_callbacks(execute=True):
        resp = client.post(reverse("panel:enlace_resolver", args=[solicitud.pk]),
                           {"accion": "rechazar", "motivo": motivo})
    assert resp.status_code == 302
    solicitud.refresh_from_db()
    assert solicitud.estado == Enlace.Estado.RECHAZADO and solicitud.motivo == motivo
    assert len(mail.outbox) == 1
    assert "no fue aprobada" in mail.outbox[0].subject
    assert motivo in mail.outbox[0].body


def test_enlace_rechazar_pide_motivo_y_no_avisa_cuando_falta(client, personal, solicitud,
                                                            django_capture_on_commit_callbacks):
    client.force_login(personal)
    with django_capture_on_commit_callbacks(execute=True):
        resp = client.post(reverse("panel:enlace_resolver", args=[solicitud.pk]), {"accion": "rechazar", "motivo": " "})
    assert resp.status_code == 400
    html = resp.content.decode()
    assert "Indique el motivo del rechazo" in html
    assert f'aria-describedby="motivo-{solicitud.pk}-ayuda enlace-{solicitud.pk}-error"' in html
    solicitud.refresh_from_db()
    assert solicitud.estado == Enlace.Estado.SOLICITADO
    assert not mail.outbox


def test_enlace_resolver_rechaza_sin_correo_cuando_ya_estaba_resuelta(client, personal, enlace_a,
                                                                      django_capture_on_commit_callbacks):
    aprobado = Enlace.objects.get(usuario=enlace_a)
    client.force_login(personal)
    with django_capture_on_commit_callbacks(execute=True):
        resp = client.post(reverse("panel:enlace_resolver", args=[aprobado.pk]),
                           {"accion": "rechazar", "motivo": "x"}, follow=True)
    assert resp.redirect_chain == [(reverse("panel:enlaces"), 302)]
    assert "Esta solicitud ya fue resuelta." in resp.content.decode()
    aprobado.refresh_from_db()
    assert aprobado.estado == Enlace.Estado.APROBADO
    assert not mail.outbox


# --- Django admin ----------------------------------------------------------------------------

def test_admin_abre_los_registros_de_practicas_sin_exponer_archivos_privados(client, practica_a, enlace_a):
    from practicas import services as prac_services
    from practicas.models import Acuse, Soporte

    archivo = SimpleUploadedFile("datos.csv", b"municipio,monto\nMetepec,1200\n", content_type="text/csv")
    soporte = prac_services.soporte_agregar_archivo(practica=practica_a, usuario=enlace_a, archivo=archivo)
    practica = prac_services.practica_enviar(practica=practica_a, usuario=enlace_a)
    acuse = Acuse.objects.get(practica=practica)
    client.force_login(factories.UsuarioFactory(is_superuser=True, is_staff=True))
    paginas = [
        reverse("admin:practicas_practica_change", args=[practica.pk]),
        reverse("admin:practicas_soporte_change", args=[soporte.pk]),
        reverse("admin:practicas_acuse_change", args=[acuse.pk]),
        reverse("admin:practicas_sujetoobligado_change", args=[practica.sujeto_id]),
        reverse("admin:practicas_enlace_changelist"),
        reverse("admin:practicas_practica_history", args=[practica.pk]),
    ]
    for url in paginas:
        assert client.get(url).status_code == 200, url
    html = client.get(paginas[0]).content.decode()
    assert 'name="nombre"' not in html  # a sent practice is read-only
    assert reverse("practicas:soporte", args=[soporte.pk]) in html
    assert Soporte.objects.count() == 2
