"""Services of calls: creation, edits by state, the criteria freeze, the jury, documents, the state
table (legal and illegal steps) and the periodic closing task."""

from datetime import datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from convocatorias import services
from convocatorias.models import (
    CRITERIOS_LINEAMIENTOS,
    Convocatoria,
    Criterio,
    DocumentoConvocatoria,
    MiembroJurado,
)
from convocatorias.tasks import convocatorias_cerrar_vencidas
from core.errors import ErrorDominio
from tests import factories

MX = ZoneInfo("America/Mexico_City")
Estado = Convocatoria.Estado


def _datos(**extra):
    ahora = timezone.now()
    datos = {
        "titulo": "Reconocimiento de Prácticas de Transparencia Proactiva 2031",
        "slug": "reconocimiento-2031",
        "anio": 2031,
        "prefijo_folio": "INFOEM-TP",
        "objetivo": "Reconocer las iniciativas que promueven la reutilización de la información.",
        "fundamento_legal": "Artículo 56 de la Ley General de Transparencia.",
        "participantes": "Sujetos obligados estatales y municipales.",
        "modalidades_entrega": "En línea, en papel o por correo electrónico.",
        "correo_contacto": "transparencia.proactiva@infoem.org.mx",
        "fecha_apertura": ahora + timedelta(days=1),
        "fecha_cierre": ahora + timedelta(days=30),
        "fecha_resultados": ahora + timedelta(days=60),
    }
    datos.update(extra)
    return datos


@pytest.fixture
def borrador(autoridad, personal):
    return services.convocatoria_crear(autoridad=autoridad, usuario=personal, datos=_datos())


def _filas(convocatoria):
    return [
        {"id": c.pk, "numero": c.numero, "nombre": c.nombre, "descripcion": c.descripcion, "peso": c.peso}
        for c in convocatoria.criterios.order_by("numero")
    ]


# --- create ----------------------------------------------------------------------------------

def test_convocatoria_crear_queda_en_borrador_con_los_seis_criterios(borrador, personal):
    assert borrador.estado == Estado.BORRADOR
    assert borrador.publicada_en is None
    criterios = list(borrador.criterios.order_by("numero"))
    assert [c.nombre for c in criterios] == CRITERIOS_LINEAMIENTOS
    assert [c.numero for c in criterios] == [1, 2, 3, 4, 5, 6]
    assert {c.peso for c in criterios} == {Decimal("1.00")}
    assert borrador.history.latest().history_user == personal


def test_convocatoria_crear_rechaza_sin_escribir_cuando_las_fechas_no_son_coherentes(autoridad, personal):
    ahora = timezone.now()
    with pytest.raises(ErrorDominio, match="posterior a la apertura") as exc:
        services.convocatoria_crear(
            autoridad=autoridad, usuario=personal,
            datos=_datos(fecha_apertura=ahora + timedelta(days=5), fecha_cierre=ahora + timedelta(days=2)),
        )
    assert exc.value.campo == "fecha_cierre"
    assert not Convocatoria.objects.exists() and not Criterio.objects.exists()


# --- the state table -------------------------------------------------------------------------

def test_convocatoria_publicar_abre_y_registra_la_hora_cuando_esta_completa(borrador, personal):
    ahora = timezone.now()
    conv = services.convocatoria_publicar(convocatoria=borrador, usuario=personal, ahora=ahora)
    conv.refresh_from_db()
    assert conv.estado == Estado.ABIERTA
    assert conv.publicada_en == ahora
    assert conv.criterios_congelados


def test_convocatoria_publicar_rechaza_cuando_no_tiene_criterios(borrador, personal):
    Criterio.objects.filter(convocatoria=borrador).delete()  # queryset delete: the draft allows it anyway
    with pytest.raises(ErrorDominio, match="al menos un criterio"):
        services.convocatoria_publicar(convocatoria=borrador, usuario=personal)
    borrador.refresh_from_db()
    assert borrador.estado == Estado.BORRADOR and borrador.publicada_en is None


def test_convocatoria_publicar_rechaza_cuando_el_cierre_ya_paso(borrador, personal):
    despues = borrador.fecha_cierre + timedelta(seconds=1)
    with pytest.raises(ErrorDominio, match="ya pasó"):
        services.convocatoria_publicar(convocatoria=borrador, usuario=personal, ahora=despues)
    borrador.refresh_from_db()
    assert borrador.estado == Estado.BORRADOR and borrador.publicada_en is None


def test_convocatoria_publicar_rechaza_sin_escribir_cuando_ya_esta_abierta(convocatoria, personal):
    historial = convocatoria.history.count()
    with pytest.raises(ErrorDominio, match="«Abierta» no puede pasar a «Abierta»"):
        services.convocatoria_publicar(convocatoria=convocatoria, usuario=personal)
    convocatoria.refresh_from_db()
    assert convocatoria.estado == Estado.ABIERTA and convocatoria.publicada_en is None
    assert convocatoria.history.count() == historial


@pytest.mark.parametrize(("origen", "destino"), [
    (Estado.CERRADA, Estado.EN_EVALUACION),
    (Estado.EN_EVALUACION, Estado.RESULTADOS_PUBLICADOS),
])
def test_convocatoria_transicionar_avanza_cuando_la_tabla_lo_permite(autoridad, personal, origen, destino):
    conv = factories.ConvocatoriaFactory(autoridad=autoridad, estado=origen)
    resultado = services.convocatoria_transicionar(convocatoria=conv, destino=destino, usuario=personal)
    conv.refresh_from_db()
    assert resultado.estado == conv.estado == destino


ILEGALES = [
    (origen, destino)
    for origen in Estado
    for destino in Estado
    if destino not in Convocatoria.TRANSICIONES[origen]
]


@pytest.mark.parametrize(("origen", "destino"), ILEGALES, ids=[f"{o}-{d}" for o, d in ILEGALES])
def test_convocatoria_transicionar_rechaza_sin_escribir_cuando_el_paso_es_ilegal(autoridad, personal, origen, destino):
    conv = factories.ConvocatoriaFactory(autoridad=autoridad, estado=origen)
    historial = conv.history.count()
    with pytest.raises(ErrorDominio, match=f"«{origen.label}» no puede pasar a «{destino.label}»"):
        services.convocatoria_transicionar(convocatoria=conv, destino=destino, usuario=personal)
    conv.refresh_from_db()
    assert conv.estado == origen
    assert conv.history.count() == historial


def test_convocatoria_cerrar_rechaza_cuando_aun_no_pasa_el_ultimo_segundo(convocatoria):
    with pytest.raises(ErrorDominio, match="no puede cerrarse antes"):
        services.convocatoria_cerrar(convocatoria=convocatoria, ahora=convocatoria.fecha_cierre)
    convocatoria.refresh_from_db()
    assert convocatoria.estado == Estado.ABIERTA


def test_convocatoria_cerrar_cierra_cuando_paso_el_ultimo_segundo(convocatoria):
    services.convocatoria_cerrar(convocatoria=convocatoria, ahora=convocatoria.fecha_cierre + timedelta(seconds=1))
    convocatoria.refresh_from_db()
    assert convocatoria.estado == Estado.CERRADA


def test_convocatoria_cerrar_rechaza_cuando_es_borrador(borrador):
    with pytest.raises(ErrorDominio, match="«Borrador» no puede pasar a «Cerrada»"):
        services.convocatoria_cerrar(convocatoria=borrador, ahora=borrador.fecha_cierre + timedelta(days=1))


# --- periodic closing ------------------------------------------------------------------------

def test_convocatorias_cerrar_vencidas_cierra_solo_las_vencidas_y_es_idempotente(autoridad):
    cierre = datetime(2023, 6, 30, 23, 59, 59, tzinfo=MX)
    vence = factories.ConvocatoriaFactory(
        autoridad=autoridad, fecha_apertura=datetime(2023, 5, 1, tzinfo=MX), fecha_cierre=cierre,
        fecha_resultados=datetime(2023, 8, 25, 10, tzinfo=MX),
    )
    sigue = factories.ConvocatoriaFactory(
        autoridad=autoridad, fecha_apertura=datetime(2023, 5, 1, tzinfo=MX),
        fecha_cierre=datetime(2023, 7, 15, 23, 59, 59, tzinfo=MX), fecha_resultados=datetime(2023, 9, 1, tzinfo=MX),
    )
    borrador = factories.ConvocatoriaFactory(
        autoridad=autoridad, estado=Estado.BORRADOR, fecha_apertura=datetime(2023, 5, 1, tzinfo=MX),
        fecha_cierre=cierre, fecha_resultados=datetime(2023, 8, 25, 10, tzinfo=MX),
    )

    with time_machine.travel(cierre, tick=False):
        assert convocatorias_cerrar_vencidas() == 0  # the closing second itself still receives
    vence.refresh_from_db()
    assert vence.estado == Estado.ABIERTA

    with time_machine.travel(cierre + timedelta(seconds=1), tick=False):
        assert convocatorias_cerrar_vencidas() == 1
        assert convocatorias_cerrar_vencidas() == 0  # second run: nothing left to do
    for conv in (vence, sigue, borrador):
        conv.refresh_from_db()
    assert vence.estado == Estado.CERRADA
    assert sigue.estado == Estado.ABIERTA
    assert borrador.estado == Estado.BORRADOR


def test_convocatorias_cerrar_vencidas_se_importa_por_el_nombre_del_beat():
    from django.conf import settings

    from config.celery import app

    nombre = settings.CELERY_BEAT_SCHEDULE["convocatorias-cerrar-vencidas"]["task"]
    assert nombre == convocatorias_cerrar_vencidas.name
    assert nombre in app.tasks


# --- edits by state --------------------------------------------------------------------------

def test_convocatoria_actualizar_cambia_todo_cuando_es_borrador(borrador, personal):
    conv = services.convocatoria_actualizar(
        convocatoria=borrador, usuario=personal,
        datos={"slug": "reconocimiento-2031-b", "escala_max": 5, "titulo": "Nuevo título"},
    )
    conv.refresh_from_db()
    assert (conv.slug, conv.escala_max, conv.titulo) == ("reconocimiento-2031-b", 5, "Nuevo título")


def test_convocatoria_actualizar_rechaza_campos_fijos_cuando_esta_abierta(convocatoria, personal):
    slug = convocatoria.slug
    with pytest.raises(ErrorDominio, match="ya no puede cambiarse") as exc:
        services.convocatoria_actualizar(
            convocatoria=convocatoria, usuario=personal, datos={"titulo": "Otro", "slug": "otro-slug"}
        )
    assert exc.value.campo == "slug"
    convocatoria.refresh_from_db()
    assert convocatoria.slug == slug and convocatoria.titulo != "Otro"


def test_convocatoria_actualizar_amplia_el_cierre_cuando_esta_abierta(convocatoria, personal):
    nuevo = convocatoria.fecha_cierre + timedelta(days=3)
    services.convocatoria_actualizar(convocatoria=convocatoria, usuario=personal, datos={"fecha_cierre": nuevo})
    convocatoria.refresh_from_db()
    assert convocatoria.fecha_cierre == nuevo


def test_convocatoria_actualizar_rechaza_un_cierre_en_el_pasado_cuando_esta_abierta(convocatoria, personal):
    with pytest.raises(ErrorDominio, match="no puede quedar en el pasado"):
        services.convocatoria_actualizar(
            convocatoria=convocatoria, usuario=personal, datos={"fecha_cierre": timezone.now() - timedelta(hours=1)}
        )


def test_convocatoria_actualizar_rechaza_todo_cuando_hay_resultados(autoridad, personal):
    conv = factories.ConvocatoriaFactory(autoridad=autoridad, estado=Estado.RESULTADOS_PUBLICADOS)
    with pytest.raises(ErrorDominio, match="no puede modificarse"):
        services.convocatoria_actualizar(convocatoria=conv, usuario=personal, datos={"titulo": "Otro"})


# --- criteria freeze -------------------------------------------------------------------------

def test_criterios_guardar_rechaza_cuando_la_convocatoria_esta_abierta(convocatoria, personal):
    filas = _filas(convocatoria)
    filas[0]["nombre"] = "Criterio cambiado"
    with pytest.raises(ErrorDominio, match="no pueden cambiar una vez abierta"):
        services.criterios_guardar(convocatoria=convocatoria, usuario=personal, filas=filas)
    assert not Criterio.objects.filter(nombre="Criterio cambiado").exists()


def test_convocatoria_actualizar_rechaza_criterios_cuando_esta_abierta(convocatoria, personal):
    filas = _filas(convocatoria)
    filas[0]["peso"] = Decimal("3")
    with pytest.raises(ErrorDominio, match="no pueden cambiar una vez abierta"):
        services.convocatoria_actualizar(convocatoria=convocatoria, usuario=personal, datos={"titulo": "Otro"},
                                         criterios=filas)
    convocatoria.refresh_from_db()
    assert convocatoria.titulo != "Otro"  # the whole edit rolled back
    assert convocatoria.criterios.get(numero=1).peso == Decimal("1.00")


def test_criterio_save_rechaza_cuando_la_convocatoria_esta_abierta(convocatoria):
    criterio = convocatoria.criterios.get(numero=1)
    criterio.nombre = "Cambiado por la puerta de atrás"
    with pytest.raises(ValidationError):
        criterio.save()
    with pytest.raises(ValidationError):
        criterio.delete()
    with pytest.raises(ValidationError):
        Criterio.objects.create(convocatoria=convocatoria, numero=7, nombre="Uno más")
    assert convocatoria.criterios.count() == 6
    assert not Criterio.objects.filter(nombre="Cambiado por la puerta de atrás").exists()


def test_criterios_guardar_reordena_agrega_y_elimina_cuando_es_borrador(borrador, personal):
    filas = _filas(borrador)
    filas[0]["numero"], filas[1]["numero"] = 2, 1  # swap 1 and 2
    filas[2]["peso"] = Decimal("2.50")
    filas[5]["eliminar"] = True
    del filas[4]  # left out: deleted too
    filas.append({"id": None, "numero": 7, "nombre": "Accesibilidad", "descripcion": "", "peso": "1"})
    services.criterios_guardar(convocatoria=borrador, usuario=personal, filas=filas)
    criterios = {c.numero: c for c in borrador.criterios.all()}
    assert sorted(criterios) == [1, 2, 3, 4, 7]
    assert criterios[1].nombre == CRITERIOS_LINEAMIENTOS[1]
    assert criterios[2].nombre == CRITERIOS_LINEAMIENTOS[0]
    assert criterios[3].peso == Decimal("2.50")
    assert criterios[7].nombre == "Accesibilidad"


def test_criterios_guardar_rechaza_sin_escribir_cuando_una_fila_es_invalida(borrador, personal):
    filas = _filas(borrador)
    filas[0]["nombre"] = "Primero cambiado"
    filas[3]["nombre"] = ""
    with pytest.raises(ErrorDominio, match="Criterio 4"):
        services.criterios_guardar(convocatoria=borrador, usuario=personal, filas=filas)
    assert not Criterio.objects.filter(nombre="Primero cambiado").exists()


def test_criterios_guardar_rechaza_cuando_los_numeros_se_repiten(borrador, personal):
    filas = _filas(borrador)
    filas[1]["numero"] = 1
    with pytest.raises(ErrorDominio, match="se repite: 1"):
        services.criterios_guardar(convocatoria=borrador, usuario=personal, filas=filas)


def test_criterios_guardar_rechaza_cuando_no_queda_ninguno(borrador, personal):
    filas = [{**f, "eliminar": True} for f in _filas(borrador)]
    with pytest.raises(ErrorDominio, match="al menos un criterio"):
        services.criterios_guardar(convocatoria=borrador, usuario=personal, filas=filas)
    assert borrador.criterios.count() == 6


# --- jury ------------------------------------------------------------------------------------

def test_jurado_guardar_crea_actualiza_y_elimina_cuando_se_envian_las_filas(borrador, personal):
    titular = factories.UsuarioFactory(email="investigacion@infoem.org.mx")
    services.jurado_guardar(convocatoria=borrador, usuario=personal, filas=[
        {"cargo": "Titular de la Unidad de Investigación", "nombre": "", "usuario": titular, "orden": 1},
        {"cargo": "Titular de la Dirección de Archivo", "nombre": "", "usuario": None, "orden": 2},
    ])
    miembros = list(borrador.jurado.order_by("orden"))
    assert [m.usuario for m in miembros] == [titular, None]
    services.jurado_guardar(convocatoria=borrador, usuario=personal, filas=[
        {"id": miembros[0].pk, "cargo": miembros[0].cargo, "nombre": "Ana Pérez", "usuario": titular, "orden": 1},
        {"id": miembros[1].pk, "cargo": miembros[1].cargo, "eliminar": True},
    ])
    assert list(borrador.jurado.values_list("nombre", flat=True)) == ["Ana Pérez"]


def test_jurado_guardar_rechaza_cuando_una_cuenta_se_repite(borrador, personal):
    titular = factories.UsuarioFactory()
    with pytest.raises(ErrorDominio, match="dos lugares"):
        services.jurado_guardar(convocatoria=borrador, usuario=personal, filas=[
            {"cargo": "Uno", "usuario": titular}, {"cargo": "Dos", "usuario": titular},
        ])
    assert not MiembroJurado.objects.exists()


def test_jurado_guardar_rechaza_cuando_hay_resultados(autoridad, personal):
    conv = factories.ConvocatoriaFactory(autoridad=autoridad, estado=Estado.RESULTADOS_PUBLICADOS)
    with pytest.raises(ErrorDominio, match="resultados se publicaron"):
        services.jurado_guardar(convocatoria=conv, usuario=personal, filas=[{"cargo": "Uno"}])


# --- documents -------------------------------------------------------------------------------

def test_documento_agregar_y_eliminar_cuando_el_formato_es_aceptado(borrador, personal, django_capture_on_commit_callbacks):
    archivo = SimpleUploadedFile("Bases 2031.pdf", b"%PDF-1.4\n%%EOF\n", content_type="application/pdf")
    doc = services.documento_agregar(convocatoria=borrador, usuario=personal, titulo="Bases", archivo=archivo)
    assert doc.archivo.name.startswith(f"convocatorias/{borrador.pk}/")
    storage, nombre = doc.archivo.storage, doc.archivo.name
    assert storage.exists(nombre)
    with django_capture_on_commit_callbacks(execute=True):
        services.documento_eliminar(documento=doc, usuario=personal)
    assert not DocumentoConvocatoria.objects.exists()
    assert not storage.exists(nombre)


def test_documento_agregar_rechaza_cuando_el_formato_no_es_aceptado(borrador, personal):
    archivo = SimpleUploadedFile("script.exe", b"MZ", content_type="application/octet-stream")
    with pytest.raises(ErrorDominio, match="no es un formato aceptado"):
        services.documento_agregar(convocatoria=borrador, usuario=personal, titulo="Bases", archivo=archivo)
    assert not DocumentoConvocatoria.objects.exists()
