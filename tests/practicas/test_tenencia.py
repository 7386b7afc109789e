"""Several authorities on one instance (issue 9): each staff member keeps only the bodies of their
authorities' entities, and a call admits only the bodies its eligibility names, online and captured
by staff alike, with a clear message; enlaces are invited only to calls they may enter."""

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from convocatorias.models import Convocatoria
from core.errors import ErrorDominio
from practicas import services
from practicas.models import Practica, SujetoObligado
from tests import factories
from tests.matriz import diferencias, foto


@pytest.fixture
def sujeto_nl(db):
    return factories.SujetoFactory(nombre="Secretaría de las Mujeres", entidad_clave="19")


@pytest.fixture
def enlace_nl(sujeto_nl):
    return factories.EnlaceFactory(sujeto=sujeto_nl, usuario__email="enlace@mujeres.nl.gob.mx").usuario


@pytest.fixture
def convocatoria_nl(otra_autoridad):
    return factories.ConvocatoriaFactory(autoridad=otra_autoridad, titulo="Reconocimiento NL", slug="reconocimiento-nl",
                                         prefijo_folio="NL-TP")


# --- bodies belong to a jurisdiction -----------------------------------------------------------

def test_el_personal_lista_solo_los_sujetos_de_la_entidad_de_su_autoridad(client, personal, otro_personal,
                                                                          sujeto_a, sujeto_nl):
    client.force_login(otro_personal)
    html = client.get(reverse("panel:sujetos")).content.decode()
    assert sujeto_nl.nombre in html and sujeto_a.nombre not in html
    client.force_login(personal)
    html = client.get(reverse("panel:sujetos")).content.decode()
    assert sujeto_a.nombre in html and sujeto_nl.nombre not in html


def test_el_personal_de_otra_autoridad_recibe_404_al_editar_y_nada_cambia(client, otro_personal, sujeto_a):
    client.force_login(otro_personal)
    url = reverse("panel:sujeto_editar", args=[sujeto_a.pk])
    assert client.get(url).status_code == 404
    antes = foto()
    datos = {"nombre": sujeto_a.nombre, "orden": "estatal", "tipo": "dependencia", "entidad_clave": "15"}  # activo off
    assert client.post(url, datos).status_code == 404
    assert diferencias(antes, foto()) == []
    assert SujetoObligado.objects.get(pk=sujeto_a.pk).activo


def test_el_formulario_ofrece_solo_las_entidades_de_sus_autoridades(client, otro_personal):
    client.force_login(otro_personal)
    form = client.get(reverse("panel:sujeto_nuevo")).context["form"]
    assert [c for c, _ in form.fields["entidad_clave"].choices] == ["19"]
    antes = foto()
    resp = client.post(reverse("panel:sujeto_nuevo"), {"nombre": "Colado", "orden": "estatal", "tipo": "dependencia",
                                                       "entidad_clave": "15", "activo": "on"})
    assert resp.status_code == 200
    assert "entidad_clave" in resp.context["form"].errors
    assert resp.context["form"]["nombre"].value() == "Colado"  # the form stays as typed
    assert diferencias(antes, foto()) == []


def test_la_importacion_solo_acepta_las_entidades_de_sus_autoridades(client, otro_personal):
    client.force_login(otro_personal)
    archivo = SimpleUploadedFile("s.csv", b"nombre,orden,tipo\nSecretaria Colada,estatal,dependencia\n",
                                 content_type="text/csv")
    resp = client.post(reverse("panel:sujetos_importar"), {"archivo": archivo, "entidad_clave": "15"})
    assert resp.status_code == 200 and "entidad_clave" in resp.context["form"].errors
    assert [c for c, _ in resp.context["form"].fields["entidad_clave"].choices] == ["19"]
    archivo.seek(0)
    resp = client.post(reverse("panel:sujetos_importar"), {"archivo": archivo, "entidad_clave": "19"})
    assert resp.context["vista"].entidad_clave == "19"
    client.post(reverse("panel:sujetos_importar_confirmar"), {"huella": resp.context["huella"]})
    assert SujetoObligado.objects.get(nombre="Secretaria Colada").entidad_clave == "19"


def test_las_solicitudes_de_enlace_son_del_personal_de_la_entidad(client, personal, otro_personal, sujeto_nl):
    solicitud = factories.EnlaceFactory(sujeto=sujeto_nl, estado="solicitado", usuario__email="nueva@nl.gob.mx")
    client.force_login(personal)
    assert "nueva@nl.gob.mx" not in client.get(reverse("panel:enlaces")).content.decode()
    assert client.post(reverse("panel:enlace_resolver", args=[solicitud.pk]), {"accion": "aprobar"}).status_code == 404
    client.force_login(otro_personal)
    assert "nueva@nl.gob.mx" in client.get(reverse("panel:enlaces")).content.decode()


# --- eligibility per call --------------------------------------------------------------------------

def test_la_elegibilidad_por_defecto_son_los_estatales_y_municipales_de_la_entidad(convocatoria, sujeto_a, sujeto_nl):
    assert convocatoria.ordenes_elegibles == ["estatal", "municipal"] and convocatoria.tipos_elegibles == []
    assert convocatoria.admite(sujeto_a) and not convocatoria.admite(sujeto_nl)
    assert convocatoria.descripcion_elegibilidad == "Sujetos obligados estatales y municipales del Estado de México."
    assert set(SujetoObligado.objects.filter(convocatoria.q_sujetos_elegibles())) == {sujeto_a}


def test_un_sujeto_de_otra_entidad_no_puede_crear_ni_enviar(convocatoria, sujeto_nl, enlace_nl):
    with pytest.raises(ErrorDominio) as exc:
        services.practica_crear(convocatoria=convocatoria, sujeto=sujeto_nl, usuario=enlace_nl, datos={"nombre": "X"})
    assert exc.value.campo == "sujeto"
    assert "Secretaría de las Mujeres no puede participar" in exc.value.mensaje
    assert "pueden participar sujetos obligados estatales y municipales del Estado de México" in exc.value.mensaje
    assert not Practica.objects.filter(sujeto=sujeto_nl).exists()


def test_el_envio_vuelve_a_revisar_la_elegibilidad_y_conserva_el_borrador(practica_a, enlace_a):
    Convocatoria.objects.filter(pk=practica_a.convocatoria_id).update(ordenes_elegibles=["municipal"])
    with pytest.raises(ErrorDominio, match="no puede participar"):
        services.practica_enviar(practica=practica_a, usuario=enlace_a)
    practica_a.refresh_from_db()
    assert practica_a.es_borrador and not practica_a.folio


def test_los_tipos_elegibles_acotan_la_convocatoria(convocatoria, sujeto_a):
    Convocatoria.objects.filter(pk=convocatoria.pk).update(tipos_elegibles=["ayuntamiento"])
    convocatoria.refresh_from_db()
    assert not convocatoria.admite(sujeto_a)
    assert convocatoria.descripcion_elegibilidad.endswith("solo de estos tipos: Ayuntamiento.")


def test_nueva_practica_en_una_convocatoria_de_otra_entidad_dice_quien_puede_y_no_guarda(
        client, convocatoria, sujeto_nl, enlace_nl):
    client.force_login(enlace_nl)
    url = reverse("practicas:nueva", args=[convocatoria.slug])
    resp = client.get(url)
    assert resp.status_code == 403
    html = resp.content.decode()
    assert "No puede participar en esta convocatoria" in html
    assert "Sujetos obligados estatales y municipales del Estado de México." in html
    antes = foto()
    assert client.post(url, {"sujeto": sujeto_nl.pk, "nombre": "Colada"}).status_code == 403
    assert diferencias(antes, foto()) == []


def test_nueva_practica_ofrece_solo_los_sujetos_elegibles_del_enlace(client, convocatoria, sujeto_a, sujeto_nl):
    usuario = factories.EnlaceFactory(sujeto=sujeto_a, usuario__email="doble@ejemplo.gob.mx").usuario
    factories.EnlaceFactory(sujeto=sujeto_nl, usuario=usuario)
    client.force_login(usuario)
    form = client.get(reverse("practicas:nueva", args=[convocatoria.slug])).context["form"]
    assert list(form.fields["sujeto"].queryset) == [sujeto_a]
    resp = client.post(reverse("practicas:nueva", args=[convocatoria.slug]), {"sujeto": sujeto_nl.pk, "nombre": "X"})
    assert resp.status_code == 200 and "sujeto" in resp.context["form"].errors


def test_mis_practicas_invita_solo_a_las_convocatorias_en_que_puede_participar(
        client, convocatoria, convocatoria_nl, enlace_a, enlace_nl):
    client.force_login(enlace_a)
    assert [c.pk for c in client.get(reverse("practicas:mis_practicas")).context["abiertas"]] == [convocatoria.pk]
    client.force_login(enlace_nl)
    assert [c.pk for c in client.get(reverse("practicas:mis_practicas")).context["abiertas"]] == [convocatoria_nl.pk]


def test_el_registro_de_una_recibida_lista_solo_sujetos_elegibles_y_rechaza_los_demas(
        client, otro_personal, convocatoria_nl, sujeto_a, sujeto_nl):
    client.force_login(otro_personal)
    url = reverse("panel:registrar_recibida", args=[convocatoria_nl.slug])
    form = client.get(url).context["form"]
    assert list(form.fields["sujeto"].queryset) == [sujeto_nl]
    assert "Sujetos obligados estatales y municipales de Nuevo León." in form.fields["sujeto"].help_text
    antes = foto()
    resp = client.post(url, {"sujeto": sujeto_a.pk, "canal": "papel", "nombre": "Entregada en papel"})
    assert resp.status_code == 200
    assert resp.context["form"].errors["sujeto"] == ["Ese sujeto obligado no puede participar en esta convocatoria."]
    assert diferencias(antes, foto()) == []
    with pytest.raises(ErrorDominio, match="no puede participar"):  # the service, whatever the form
        services.practica_crear(convocatoria=convocatoria_nl, sujeto=sujeto_a, usuario=otro_personal,
                                datos={"nombre": "X"}, canal=Practica.Canal.PAPEL)


def test_la_pagina_de_la_convocatoria_dice_quien_puede_enviar(client, convocatoria_nl):
    html = client.get(convocatoria_nl.get_absolute_url()).content.decode()
    assert "Sujetos obligados estatales y municipales de Nuevo León." in html


def test_la_elegibilidad_se_edita_hasta_que_abre(client, personal, autoridad):
    borrador = factories.ConvocatoriaFactory(autoridad=autoridad, estado=Convocatoria.Estado.BORRADOR,
                                             slug="borrador-elegibilidad", prefijo_folio="EL-TP",
                                             fecha_apertura=timezone.now() + timedelta(days=5),
                                             fecha_cierre=timezone.now() + timedelta(days=30),
                                             fecha_resultados=timezone.now() + timedelta(days=60))
    client.force_login(personal)
    form = client.get(reverse("panel:convocatoria_editar", args=[borrador.slug])).context["form"]
    assert not form.fields["ordenes_elegibles"].disabled
    abierta = factories.ConvocatoriaFactory(autoridad=autoridad, slug="abierta-elegibilidad", prefijo_folio="EA-TP")
    form = client.get(reverse("panel:convocatoria_editar", args=[abierta.slug])).context["form"]
    assert form.fields["ordenes_elegibles"].disabled and form.fields["tipos_elegibles"].disabled


def test_el_acuse_nombra_la_unidad_que_verifica_de_la_convocatoria(convocatoria, practica_a, enlace_a,
                                                                   django_capture_on_commit_callbacks):
    convocatoria.autoridad.unidades = "Unidad de Transparencia Proactiva\nSecretaría Técnica"
    convocatoria.autoridad.save()
    with django_capture_on_commit_callbacks(execute=True):
        services.practica_enviar(practica=practica_a, usuario=enlace_a)
    acuse = practica_a.acuse
    acuse.refresh_from_db()
    with acuse.archivo.open("rb") as f:
        texto = " ".join(p.extract_text() for p in PdfReader(f).pages)
    assert "Unidad de Transparencia Proactiva verificará los requisitos" in " ".join(texto.split())
