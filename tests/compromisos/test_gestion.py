"""The enlace's and the staff's pages for cartas compromiso: a letter registered with its practices
(a formset), returned with reasons and presented again, accepted, followed up; a refused file or
step keeps what was typed and says why in Spanish, next to its field."""

import csv
import io
import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from compromisos import services
from compromisos.models import CartaCompromiso, PracticaComprometida
from tests import factories
from tests.compromisos import builders as b

pytestmark = pytest.mark.django_db
Estado = CartaCompromiso.Estado
EP = PracticaComprometida.Estado


def _post(sujeto=None, filas=None, **extra):
    filas = filas if filas is not None else [
        {"titulo": "Padrón de beneficiarios", "necesidad": "Preguntan por los apoyos.",
         "area_responsable": "Dirección de Desarrollo Social", "fecha_meta": "2027-06-30"},
        {"titulo": "Obra pública georreferenciada", "necesidad": "Preguntan dónde se construye.",
         "area_responsable": "Dirección de Obras", "fecha_meta": "2027-09-30"},
    ]
    datos = {"firmante_nombre": "María Pérez López", "firmante_cargo": "Secretaria", "fecha": "2026-11-30",
             "accion": "guardar", "practicas-TOTAL_FORMS": str(len(filas)), "practicas-INITIAL_FORMS": "0",
             "practicas-MIN_NUM_FORMS": "1", "practicas-MAX_NUM_FORMS": "50"}
    if sujeto is not None:
        datos["sujeto"] = sujeto.pk
    for i, fila in enumerate(filas):
        datos.update({f"practicas-{i}-{k}": v for k, v in fila.items()})
    datos.update(extra)
    return datos


@pytest.fixture
def enviada(convocatoria, sujeto_a, enlace_a):
    practica = factories.PracticaFactory(convocatoria=convocatoria, sujeto=sujeto_a, creada_por=enlace_a,
                                         nombre="Presupuesto ciudadano")
    practica.estado, practica.folio, practica.enviada_en = "enviada", "TP-2026-007", timezone.now()
    practica.save()
    return practica


# --- the enlace registers a letter -----------------------------------------------------------------

def test_el_enlace_registra_una_carta_con_sus_practicas(client, autoridad, sujeto_a, enlace_a):
    client.force_login(enlace_a)
    formulario = client.get(reverse("compromisos:carta_nueva")).content.decode()
    assert "tamaño máximo" in formulario  # the size limit is said before the file is chosen
    resp = client.post(reverse("compromisos:carta_nueva"), _post(sujeto_a))
    carta = CartaCompromiso.objects.get()
    assert resp.status_code == 302 and resp["Location"] == carta.get_absolute_url()
    assert (carta.sujeto, carta.autoridad, carta.estado, carta.creada_por) == (sujeto_a, autoridad, Estado.BORRADOR,
                                                                               enlace_a)
    assert list(carta.practicas.values_list("titulo", flat=True)) == ["Padrón de beneficiarios",
                                                                       "Obra pública georreferenciada"]
    assert "Mis cartas compromiso" in client.get(carta.get_absolute_url()).content.decode()


def test_agregar_otra_practica_devuelve_el_formulario_con_una_fila_mas(client, autoridad, sujeto_a, enlace_a):
    client.force_login(enlace_a)
    datos = _post(sujeto_a, filas=[{"titulo": "Padrón", "necesidad": "", "area_responsable": "", "fecha_meta": ""}],
                  accion="agregar")
    resp = client.post(reverse("compromisos:carta_nueva"), datos)
    assert resp.status_code == 200 and len(resp.context["formset"].forms) == 2
    html = resp.content.decode()
    assert 'value="Padrón"' in html and "Práctica 2" in html and "data-resumen-errores" not in html
    assert not CartaCompromiso.objects.exists()


def test_quitar_una_fila_al_editar(client, autoridad, sujeto_a, enlace_a):
    carta = b.borrador(sujeto_a, enlace_a)
    primera, segunda = carta.practicas.all()
    client.force_login(enlace_a)
    filas = [{"pk": p.pk, "titulo": p.titulo, "necesidad": p.necesidad, "area_responsable": p.area_responsable,
              "fecha_meta": p.fecha_meta.isoformat()} for p in (primera, segunda)]
    datos = _post(filas=filas, **{"practicas-INITIAL_FORMS": "2", "practicas-1-DELETE": "on"})
    resp = client.post(reverse("compromisos:carta_editar", args=[carta.pk]), datos)
    assert resp.status_code == 302
    assert list(carta.practicas.values_list("pk", flat=True)) == [primera.pk]


def test_un_envio_con_errores_conserva_lo_escrito_y_lleva_al_resumen(client, autoridad, sujeto_a, enlace_a):
    client.force_login(enlace_a)
    filas = [{"titulo": "Padrón de beneficiarios", "necesidad": "Preguntan por los apoyos.",
              "area_responsable": "Dirección de Desarrollo Social", "fecha_meta": "2027-06-30"},
             {"titulo": "", "necesidad": "Texto que no se pierde", "area_responsable": "Obras", "fecha_meta": ""}]
    resp = client.post(reverse("compromisos:carta_nueva"), _post(sujeto_a, filas=filas))
    assert resp.status_code == 400 and not CartaCompromiso.objects.exists()
    html = resp.content.decode()
    assert "data-resumen-errores" in html and "No se guardó la carta" in html
    assert "Texto que no se pierde" in html and 'value="María Pérez López"' in html
    # The error is tied to its field.
    campo = re.search(r'<input[^>]*name="practicas-1-titulo"[^>]*>', html).group(0)
    assert "is-invalid" in campo and "aria-describedby" in campo


def test_una_carta_firmada_rechazada_no_guarda_nada_y_conserva_lo_escrito(client, autoridad, sujeto_a, enlace_a):
    client.force_login(enlace_a)
    datos = _post(sujeto_a, carta_firmada=b.firmada("carta.pdf", b"MZ\x90\x00 un ejecutable"))
    resp = client.post(reverse("compromisos:carta_nueva"), datos)
    assert resp.status_code == 400 and not CartaCompromiso.objects.exists()
    html = resp.content.decode()
    assert "no es un PDF ni una imagen JPG o PNG" in html
    assert "Obra pública georreferenciada" in html and 'value="Secretaria"' in html
    campo = re.search(r'<input[^>]*name="carta_firmada"[^>]*>', html).group(0)
    assert "is-invalid" in campo


def test_adjuntar_un_archivo_que_no_es_la_carta_se_rechaza_en_su_campo(client, autoridad, sujeto_a, enlace_a):
    carta = b.borrador(sujeto_a, enlace_a)
    client.force_login(enlace_a)
    resp = client.post(reverse("compromisos:carta_firmada_subir", args=[carta.pk]),
                       {"carta_firmada": b.firmada("carta.png", b"no es una imagen")})
    assert resp.status_code == 400
    assert "no es un PDF ni una imagen" in resp.content.decode()
    carta.refresh_from_db()
    assert not carta.carta_firmada


def test_presentar_sin_carta_firmada_lo_dice(client, autoridad, sujeto_a, enlace_a):
    carta = b.borrador(sujeto_a, enlace_a)
    client.force_login(enlace_a)
    resp = client.post(reverse("compromisos:carta_presentar", args=[carta.pk]), follow=True)
    assert "Adjunte la carta firmada antes de presentarla." in resp.content.decode()
    carta.refresh_from_db()
    assert carta.estado == Estado.BORRADOR


# --- review: returned with reasons, presented again, accepted --------------------------------------

def test_devuelta_con_motivos_se_corrige_se_presenta_y_se_acepta(client, autoridad, sujeto_a, enlace_a, personal):
    carta = b.presentada(sujeto_a, enlace_a)
    client.force_login(personal)
    sin_motivo = client.post(reverse("panel:carta_devolver", args=[carta.pk]), {"motivo": ""})
    assert sin_motivo.status_code == 400 and "data-resumen-errores" in sin_motivo.content.decode()
    resp = client.post(reverse("panel:carta_devolver", args=[carta.pk]),
                       {"motivo": "Falta la fecha de la segunda práctica."})
    assert resp.status_code == 302
    carta.refresh_from_db()
    assert carta.estado == Estado.DEVUELTA

    client.force_login(enlace_a)
    pagina = client.get(carta.get_absolute_url()).content.decode()
    assert "Falta la fecha de la segunda práctica." in pagina
    editar = client.get(reverse("compromisos:carta_editar", args=[carta.pk]))
    assert editar.status_code == 200
    filas = [{"pk": p.pk, "titulo": p.titulo, "necesidad": p.necesidad, "area_responsable": p.area_responsable,
              "fecha_meta": (p.fecha_meta + timedelta(days=1)).isoformat()} for p in carta.practicas.all()]
    assert client.post(reverse("compromisos:carta_editar", args=[carta.pk]),
                       _post(filas=filas, **{"practicas-INITIAL_FORMS": "2"})).status_code == 302
    assert client.post(reverse("compromisos:carta_presentar", args=[carta.pk])).status_code == 302
    carta.refresh_from_db()
    assert (carta.estado, carta.motivo_devolucion) == (Estado.PRESENTADA, "")

    client.force_login(personal)
    revision = client.get(reverse("panel:carta", args=[carta.pk])).content.decode()
    assert "Aceptar la carta" in revision and "Devolver con estos motivos" in revision
    assert client.post(reverse("panel:carta_aceptar", args=[carta.pk])).status_code == 302
    carta.refresh_from_db()
    assert carta.estado == Estado.ACEPTADA

    # The history: every step, when and who, by name; never an e-mail address.
    client.force_login(enlace_a)
    pagina = client.get(carta.get_absolute_url())
    pasos = [p.estado for p in pagina.context["historial"]]
    assert pasos == ["borrador", "presentada", "devuelta", "presentada", "aceptada"]
    html = pagina.content.decode()
    assert personal.get_full_name() in html and personal.email not in html and enlace_a.email not in html


def test_el_sujeto_obligado_no_revisa_su_propia_carta(client, autoridad, sujeto_a, enlace_a):
    carta = b.presentada(sujeto_a, enlace_a)
    client.force_login(enlace_a)
    assert client.post(reverse("panel:carta_aceptar", args=[carta.pk])).status_code == 403
    assert "Aceptar la carta" not in client.get(carta.get_absolute_url()).content.decode()


def test_el_personal_captura_una_carta_recibida_en_papel(client, autoridad, sujeto_a, personal):
    client.force_login(personal)
    resp = client.post(reverse("panel:carta_nueva"), _post(sujeto_a))
    carta = CartaCompromiso.objects.get()
    assert resp.status_code == 302 and carta.creada_por == personal and carta.sujeto == sujeto_a
    # Staff continue on the same pages: attach the scan and present it on the body's behalf.
    assert client.post(reverse("compromisos:carta_firmada_subir", args=[carta.pk]),
                       {"carta_firmada": b.firmada()}).status_code == 302
    assert client.post(reverse("compromisos:carta_presentar", args=[carta.pk])).status_code == 302
    carta.refresh_from_db()
    assert carta.estado == Estado.PRESENTADA
    descarga = client.get(reverse("compromisos:carta_firmada", args=[carta.pk]))
    assert descarga["Cache-Control"] == "private, no-store" and b"".join(descarga.streaming_content) == b.PDF_FIRMADO


# --- follow-up --------------------------------------------------------------------------------------

def test_seguimiento_con_un_paso_ilegal_muestra_el_error_en_espanol(client, autoridad, sujeto_a, enlace_a, personal):
    compromiso = b.aceptada(sujeto_a, enlace_a, personal).practicas.first()
    client.force_login(enlace_a)
    url = reverse("compromisos:seguimiento", args=[compromiso.pk])
    sin_url = client.post(url, {"estado": "publicada"})
    assert sin_url.status_code == 400
    campo = re.search(r'<input[^>]*name="url_publicacion"[^>]*>', sin_url.content.decode()).group(0)
    assert "is-invalid" in campo and "aria-describedby" in campo
    assert "Escriba la dirección (URL) donde se publica la práctica." in sin_url.content.decode()

    assert client.post(url, {"estado": "publicada", "url_publicacion": "https://sa.gob.mx/padron"}).status_code == 302
    ilegal = client.post(url, {"estado": "en_elaboracion"})
    assert ilegal.status_code == 400
    assert "Una práctica comprometida en estado «Publicada» no puede pasar a «En elaboración»." in \
        ilegal.content.decode()
    compromiso.refresh_from_db()
    assert (compromiso.estado, compromiso.url_publicacion) == (EP.PUBLICADA, "https://sa.gob.mx/padron")


def test_postular_elige_entre_las_practicas_enviadas(client, autoridad, sujeto_a, enlace_a, personal, enviada):
    compromiso = b.aceptada(sujeto_a, enlace_a, personal).practicas.first()
    client.force_login(enlace_a)
    url = reverse("compromisos:seguimiento", args=[compromiso.pk])
    assert "TP-2026-007" in client.get(url).content.decode()
    sin_practica = client.post(url, {"estado": "postulada"})
    assert sin_practica.status_code == 400 and "Elija una práctica" in sin_practica.content.decode()
    assert client.post(url, {"estado": "postulada", "practica": enviada.pk}).status_code == 302
    compromiso.refresh_from_db()
    assert (compromiso.estado, compromiso.practica) == (EP.POSTULADA, enviada)


def test_la_pagina_de_la_practica_enviada_ofrece_vincularla(client, autoridad, sujeto_a, enlace_a, personal, enviada):
    carta = b.aceptada(sujeto_a, enlace_a, personal)
    compromiso = carta.practicas.first()
    client.force_login(enlace_a)
    html = client.get(enviada.get_absolute_url()).content.decode()
    assert "Vincular al compromiso" in html and compromiso.titulo in html
    resp = client.post(reverse("compromisos:vincular", args=[enviada.pk]), {"compromiso": compromiso.pk}, follow=True)
    compromiso.refresh_from_db()
    assert (compromiso.estado, compromiso.practica) == (EP.POSTULADA, enviada)
    assert "quedó vinculada" in resp.content.decode() and "Esta práctica cumple lo comprometido" in \
        resp.content.decode()


def test_otro_sujeto_no_ve_la_tarjeta_ni_vincula(client, autoridad, sujeto_a, enlace_a, enlace_b, personal, enviada):
    compromiso = b.aceptada(sujeto_a, enlace_a, personal).practicas.first()
    client.force_login(enlace_b)
    assert client.post(reverse("compromisos:vincular", args=[enviada.pk]),
                       {"compromiso": compromiso.pk}).status_code == 404
    compromiso.refresh_from_db()
    assert compromiso.practica is None


# --- lists -------------------------------------------------------------------------------------------

def _cartas(n, sujeto, enlace, personal):
    for i in range(n):
        carta = b.presentada(sujeto, enlace) if i % 2 else b.aceptada(sujeto, enlace, personal)
        assert carta.pk


@pytest.mark.parametrize("n", [2, 7])
def test_lista_del_panel_con_consultas_constantes(client, autoridad, sujeto_a, enlace_a, personal,
                                                  django_assert_num_queries, n):
    _cartas(n, sujeto_a, enlace_a, personal)
    client.force_login(personal)
    # session, user, es_personal, letters per state, practices per state, per body, count, page,
    # the frame's enlaces.exists and the portal's authority
    with django_assert_num_queries(10):
        resp = client.get(reverse("panel:cartas"))
    assert resp.status_code == 200 and len(resp.context["pagina"].object_list) == n


@pytest.mark.parametrize("n", [2, 7])
def test_mis_cartas_con_consultas_constantes(client, autoridad, sujeto_a, enlace_a, personal,
                                             django_assert_num_queries, n):
    _cartas(n, sujeto_a, enlace_a, personal)
    client.force_login(enlace_a)
    # session, user, the enlace's bodies, the letters; the frame's menu roles, es_personal, the user's and
    # groups' permissions and the portal's authority
    with django_assert_num_queries(9):
        resp = client.get(reverse("compromisos:mis_cartas"))
    assert resp.status_code == 200 and len(resp.context["cartas"]) == n


def test_conteos_por_estado_y_por_sujeto(client, autoridad, sujeto_a, sujeto_b, enlace_a, enlace_b, personal):
    aceptada = b.aceptada(sujeto_a, enlace_a, personal, n=2)
    vencida = aceptada.practicas.first()
    PracticaComprometida.objects.filter(pk=vencida.pk).update(fecha_meta=timezone.localdate() - timedelta(days=1))
    b.presentada(sujeto_b, enlace_b, n=3)
    client.force_login(personal)
    conteos = client.get(reverse("panel:cartas")).context["conteos"]
    assert {v: n for v, _l, n in conteos["cartas"]} == {"borrador": 0, "presentada": 1, "aceptada": 1, "devuelta": 0}
    practicas = {v: n for v, _l, n in conteos["practicas"]}
    assert (practicas["vencida"], practicas["comprometida"], conteos["total_practicas"]) == (1, 1, 2)
    por_sujeto = {s["sujeto__nombre"]: (s["cartas"], s["comprometidas"]) for s in conteos["por_sujeto"]}
    assert por_sujeto == {sujeto_a.nombre: (1, 2), sujeto_b.nombre: (1, 0)}


def test_busqueda_filtro_y_descarga_de_lo_que_muestra(client, autoridad, sujeto_a, sujeto_b, enlace_a, enlace_b,
                                                      personal):
    b.aceptada(sujeto_a, enlace_a, personal)
    b.presentada(sujeto_b, enlace_b)
    client.force_login(personal)
    filtrada = client.get(reverse("panel:cartas"), {"q": "salud", "estado": "presentada"})
    assert [c.sujeto for c in filtrada.context["pagina"].object_list] == [sujeto_b]
    assert client.get(reverse("panel:cartas"), {"estado": "aceptada", "q": "salud"}).context["pagina"].paginator.count == 0
    descarga = client.get(reverse("panel:cartas_csv"), {"q": "salud"})
    filas = list(csv.reader(io.StringIO(b"".join(descarga.streaming_content).decode("utf-8").removeprefix("\ufeff"))))
    assert len(filas) == 2 and filas[1][0] == sujeto_b.nombre and filas[1][6] == "Presentada"
    assert client.get(reverse("panel:cartas_xlsx")).status_code == 200


def test_personal_de_otra_autoridad_no_ve_la_carta(client, autoridad, sujeto_a, enlace_a, otro_personal):
    carta = b.presentada(sujeto_a, enlace_a)
    client.force_login(otro_personal)
    assert client.get(reverse("panel:carta", args=[carta.pk])).status_code == 404
    assert sujeto_a.nombre not in client.get(reverse("panel:cartas")).content.decode()


def test_el_inicio_del_panel_cuenta_las_cartas_por_revisar(client, autoridad, sujeto_a, enlace_a, personal):
    b.presentada(sujeto_a, enlace_a)
    client.force_login(personal)
    html = client.get(reverse("panel:inicio")).content.decode()
    assert "Hay 1 carta compromiso presentada por revisar." in html and reverse("panel:cartas") in html


def test_el_menu_de_la_cuenta_lleva_a_mis_cartas(client, autoridad, enlace_a):
    client.force_login(enlace_a)
    assert reverse("compromisos:mis_cartas") in client.get(reverse("practicas:mis_practicas")).content.decode()


# --- the cycle report ---------------------------------------------------------------------------------

def test_el_informe_del_ciclo_incluye_las_cartas_del_anio_y_su_huella(client, autoridad, sujeto_a, enlace_a,
                                                                      personal, enviada):
    from jornadas import informe
    from tests.jornadas import builders as bj

    anio = timezone.localdate().year
    ciclo = bj.ciclo(autoridad_=autoridad, anio=anio)
    antes = informe.contexto(ciclo)
    assert antes["secciones"] == []
    carta = b.aceptada(sujeto_a, enlace_a, personal, n=3)
    b.presentada(sujeto_a, enlace_a)  # not accepted: not in the report
    con_carta = informe.contexto(ciclo)
    (seccion,) = con_carta["secciones"]
    assert seccion["totales"]["comprometidas"] == 3 and seccion["instituciones"] == 1
    assert con_carta["huella"] != antes["huella"]
    services.compromiso_actualizar(compromiso=carta.practicas.first(), usuario=enlace_a, estado=EP.PUBLICADA,
                                   url_publicacion="https://sa.gob.mx/x")
    publicada = informe.contexto(ciclo)
    assert publicada["secciones"][0]["totales"]["publicadas"] == 1 and publicada["huella"] != con_carta["huella"]
    # Another year's cycle does not count them.
    assert informe.contexto(bj.ciclo(autoridad_=autoridad, anio=anio - 1))["secciones"] == []
    client.force_login(personal)
    html = client.get(reverse("panel:jornadas_informe", args=[ciclo.slug])).content.decode()
    assert "Cartas compromiso" in html and "1 sujeto obligado firmó una carta compromiso aceptada en el año" in html


def test_el_pdf_del_informe_lleva_la_seccion_de_cartas(autoridad, sujeto_a, enlace_a, personal,
                                                       django_capture_on_commit_callbacks):
    from pypdf import PdfReader

    from jornadas import informe
    from jornadas import services as jornadas_services
    from tests.jornadas import builders as bj

    ciclo = bj.ciclo(autoridad_=autoridad, anio=timezone.localdate().year)
    b.aceptada(sujeto_a, enlace_a, personal, n=2)
    with django_capture_on_commit_callbacks(execute=True):
        jornadas_services.informe_pdf_solicitar(ciclo=ciclo)
    huella = informe.contexto(ciclo)["huella"]
    assert informe.estado(ciclo.pk, huella)["estado"] == informe.LISTO
    with informe.almacen().open(informe.ruta(ciclo.pk, huella, "pdf"), "rb") as archivo:
        texto = " ".join(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(archivo.read())).pages).split())
    assert "Cartas compromiso" in texto and sujeto_a.nombre in texto
    assert "2 prácticas comprometidas, 0 publicadas y 0 reconocidas" in texto


def test_la_carta_de_la_autoridad_b_es_ajena_al_personal_de_a(client, autoridad, otra_autoridad, personal,
                                                              otro_personal, sujeto_otra_entidad,
                                                              enlace_otra_entidad):
    """Tenancy from the other side: a letter of B's body to B; A's staff get 404 everywhere, B's staff get in."""
    carta = b.presentada(sujeto_otra_entidad, enlace_otra_entidad)
    assert carta.autoridad == otra_autoridad
    client.force_login(personal)
    for url in (reverse("panel:carta", args=[carta.pk]), carta.get_absolute_url(),
                reverse("compromisos:carta_firmada", args=[carta.pk])):
        assert client.get(url).status_code == 404, url
    assert client.post(reverse("panel:carta_aceptar", args=[carta.pk])).status_code == 404
    assert sujeto_otra_entidad.nombre not in client.get(reverse("panel:cartas")).content.decode()
    client.force_login(otro_personal)
    assert client.get(reverse("panel:carta", args=[carta.pk])).status_code == 200
    assert client.post(reverse("panel:carta_aceptar", args=[carta.pk])).status_code == 302
    carta.refresh_from_db()
    assert carta.estado == Estado.ACEPTADA
