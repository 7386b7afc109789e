"""The two state machines of cartas compromiso: every legal step, and the illegal ones refused in
Spanish with nothing written."""

from datetime import timedelta

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from compromisos import services
from compromisos.models import CartaCompromiso, PracticaComprometida
from core.errors import ErrorDominio
from core.estados import TransicionInvalida
from tests import factories
from tests.compromisos import builders as b

pytestmark = pytest.mark.django_db
Estado = CartaCompromiso.Estado
EP = PracticaComprometida.Estado


@pytest.fixture(autouse=True)
def _autoridad(autoridad):
    """Authority A serves bodies A and B (entidad 15)."""


@pytest.fixture
def enviada(convocatoria, sujeto_a, enlace_a):
    """A practice of body A submitted to authority A's call."""
    practica = factories.PracticaFactory(convocatoria=convocatoria, sujeto=sujeto_a, creada_por=enlace_a)
    practica.estado, practica.folio, practica.enviada_en = "enviada", "TP-2026-001", timezone.now()
    practica.save()
    return practica


def test_carta_se_dirige_a_la_autoridad_de_la_entidad_del_sujeto(sujeto_a, enlace_a, autoridad):
    carta = b.borrador(sujeto_a, enlace_a)
    assert carta.autoridad == autoridad and carta.estado == Estado.BORRADOR
    assert carta.practicas.count() == 2


def test_carta_sin_autoridad_para_su_entidad_se_rechaza(enlace_a):
    sujeto = factories.SujetoFactory(entidad_clave="31")
    with pytest.raises(ErrorDominio, match="Ninguna autoridad garante"):
        b.borrador(sujeto, enlace_a)
    assert not CartaCompromiso.objects.exists()


def test_carta_sin_practicas_se_rechaza(sujeto_a, enlace_a):
    with pytest.raises(ErrorDominio, match="al menos una práctica"):
        b.borrador(sujeto_a, enlace_a, n=0)


def test_carta_recorre_borrador_presentada_devuelta_presentada_aceptada(sujeto_a, enlace_a, personal):
    carta = b.presentada(sujeto_a, enlace_a)
    assert carta.estado == Estado.PRESENTADA and carta.presentada_en
    carta = services.carta_devolver(carta=carta, usuario=personal, motivo="Falta la fecha de la tercera práctica.")
    assert (carta.estado, carta.revisada_por) == (Estado.DEVUELTA, personal)
    assert carta.editable
    services.carta_actualizar(carta=carta, usuario=enlace_a, datos={"firmante_cargo": "Secretaria de Estado"},
                              practicas=b.practicas(3))
    carta = services.carta_presentar(carta=carta, usuario=enlace_a)
    assert carta.motivo_devolucion == ""
    carta = services.carta_aceptar(carta=carta, usuario=personal)
    assert carta.estado == Estado.ACEPTADA and carta.practicas.count() == 3
    # History keeps every step, with who took it.
    pasos = list(carta.history.order_by("history_date", "history_id").values_list("estado", flat=True))
    cambios = [e for i, e in enumerate(pasos) if i == 0 or e != pasos[i - 1]]
    assert cambios == ["borrador", "presentada", "devuelta", "presentada", "aceptada"]


def test_presentar_sin_carta_firmada_se_rechaza(sujeto_a, enlace_a):
    carta = b.borrador(sujeto_a, enlace_a)
    with pytest.raises(ErrorDominio, match="Adjunte la carta firmada"):
        services.carta_presentar(carta=carta, usuario=enlace_a)
    carta.refresh_from_db()
    assert carta.estado == Estado.BORRADOR


@pytest.mark.parametrize(("paso", "desde"), [
    ("aceptar", "borrador"), ("devolver", "borrador"), ("presentar", "presentada"),
    ("presentar", "aceptada"), ("aceptar", "aceptada"), ("devolver", "aceptada"), ("aceptar", "devuelta"),
])
def test_paso_ilegal_de_la_carta_se_rechaza_y_no_escribe(sujeto_a, enlace_a, personal, paso, desde):
    carta = {"borrador": lambda: b.borrador(sujeto_a, enlace_a),
             "presentada": lambda: b.presentada(sujeto_a, enlace_a),
             "aceptada": lambda: b.aceptada(sujeto_a, enlace_a, personal),
             "devuelta": lambda: services.carta_devolver(carta=b.presentada(sujeto_a, enlace_a), usuario=personal,
                                                         motivo="Sin firma autógrafa.")}[desde]()
    if desde == "borrador":
        services.carta_adjuntar_firmada(carta=carta, usuario=enlace_a, archivo=b.firmada())
    antes = (carta.estado, carta.history.count())
    accion = {"aceptar": lambda: services.carta_aceptar(carta=carta, usuario=personal),
              "devolver": lambda: services.carta_devolver(carta=carta, usuario=personal, motivo="x"),
              "presentar": lambda: services.carta_presentar(carta=carta, usuario=enlace_a)}[paso]
    with pytest.raises(TransicionInvalida, match="Una carta compromiso en estado"):
        accion()
    carta.refresh_from_db()
    assert (carta.estado, carta.history.count()) == antes


def test_devolver_sin_motivo_se_rechaza(sujeto_a, enlace_a, personal):
    carta = b.presentada(sujeto_a, enlace_a)
    with pytest.raises(ErrorDominio, match="Diga por qué"):
        services.carta_devolver(carta=carta, usuario=personal, motivo="  ")
    carta.refresh_from_db()
    assert carta.estado == Estado.PRESENTADA


def test_carta_presentada_o_aceptada_no_se_modifica(sujeto_a, enlace_a, personal):
    carta = b.presentada(sujeto_a, enlace_a)
    with pytest.raises(ErrorDominio, match="no se puede modificar"):
        services.carta_actualizar(carta=carta, usuario=enlace_a, datos={}, practicas=b.practicas(1))
    with pytest.raises(ErrorDominio, match="no se puede modificar"):
        services.carta_adjuntar_firmada(carta=carta, usuario=enlace_a, archivo=b.firmada())
    assert carta.practicas.count() == 2


def test_carta_firmada_que_no_es_pdf_ni_imagen_se_rechaza(sujeto_a, enlace_a):
    carta = b.borrador(sujeto_a, enlace_a)
    with pytest.raises(ErrorDominio, match="no es un PDF ni una imagen"):
        services.carta_adjuntar_firmada(carta=carta, usuario=enlace_a,
                                        archivo=b.firmada("carta.pdf", b"MZ\x90\x00 esto es un ejecutable"))
    carta.refresh_from_db()
    assert not carta.carta_firmada


def test_base_de_datos_exige_motivo_a_la_carta_devuelta(sujeto_a, enlace_a):
    carta = b.presentada(sujeto_a, enlace_a)
    with pytest.raises(IntegrityError), transaction.atomic():
        CartaCompromiso.objects.filter(pk=carta.pk).update(estado="devuelta", revisada_en=timezone.now())


# --- the committed practices -----------------------------------------------------------------------

def test_seguimiento_solo_con_carta_aceptada(sujeto_a, enlace_a):
    carta = b.presentada(sujeto_a, enlace_a)
    with pytest.raises(ErrorDominio, match="cuando la autoridad acepta"):
        services.compromiso_actualizar(compromiso=carta.practicas.first(), usuario=enlace_a, estado=EP.EN_ELABORACION)


def test_compromiso_recorre_elaboracion_publicada_postulada(sujeto_a, enlace_a, personal, enviada):
    compromiso = b.aceptada(sujeto_a, enlace_a, personal).practicas.first()
    services.compromiso_actualizar(compromiso=compromiso, usuario=enlace_a, estado=EP.EN_ELABORACION)
    compromiso = services.compromiso_actualizar(compromiso=compromiso, usuario=enlace_a, estado=EP.PUBLICADA,
                                                url_publicacion="https://sa.nl.gob.mx/compras")
    assert compromiso.estado == EP.PUBLICADA
    compromiso = services.compromiso_actualizar(compromiso=compromiso, usuario=enlace_a, estado=EP.POSTULADA,
                                                practica=enviada)
    assert (compromiso.estado, compromiso.practica) == (EP.POSTULADA, enviada)


def test_publicada_sin_url_se_rechaza(sujeto_a, enlace_a, personal):
    compromiso = b.aceptada(sujeto_a, enlace_a, personal).practicas.first()
    with pytest.raises(ErrorDominio, match="dirección"):
        services.compromiso_actualizar(compromiso=compromiso, usuario=enlace_a, estado=EP.PUBLICADA)
    compromiso.refresh_from_db()
    assert compromiso.estado == EP.COMPROMETIDA


def test_postular_con_practica_de_otro_sujeto_o_borrador_se_rechaza(sujeto_a, sujeto_b, enlace_a, personal,
                                                                     convocatoria, enviada):
    compromiso = b.aceptada(sujeto_a, enlace_a, personal).practicas.first()
    ajena = factories.PracticaFactory(convocatoria=convocatoria, sujeto=sujeto_b, creada_por=enlace_a)
    propia_borrador = factories.PracticaFactory(convocatoria=convocatoria, sujeto=sujeto_a, creada_por=enlace_a)
    for practica in (ajena, propia_borrador, None):
        with pytest.raises(ErrorDominio, match="Elija una práctica"):
            services.compromiso_actualizar(compromiso=compromiso, usuario=enlace_a, estado=EP.POSTULADA,
                                           practica=practica)
    compromiso.refresh_from_db()
    assert (compromiso.estado, compromiso.practica) == (EP.COMPROMETIDA, None)


@pytest.mark.parametrize("estado", [EP.RECONOCIDA, EP.VENCIDA, EP.COMPROMETIDA])
def test_estados_del_sistema_no_los_registra_una_persona(sujeto_a, enlace_a, personal, estado):
    compromiso = b.aceptada(sujeto_a, enlace_a, personal).practicas.first()
    with pytest.raises(ErrorDominio, match="lo registra el portal"):
        services.compromiso_actualizar(compromiso=compromiso, usuario=personal, estado=estado)


def test_de_publicada_no_se_vuelve_a_elaboracion(sujeto_a, enlace_a, personal):
    compromiso = b.aceptada(sujeto_a, enlace_a, personal).practicas.first()
    services.compromiso_actualizar(compromiso=compromiso, usuario=enlace_a, estado=EP.PUBLICADA,
                                   url_publicacion="https://sa.nl.gob.mx/x")
    with pytest.raises(TransicionInvalida, match="Una práctica comprometida en estado «Publicada»"):
        services.compromiso_actualizar(compromiso=compromiso, usuario=enlace_a, estado=EP.EN_ELABORACION)


def test_vencida_se_lee_del_reloj_y_la_tarea_diaria_la_registra(sujeto_a, enlace_a, personal):
    carta = b.aceptada(sujeto_a, enlace_a, personal, n=1, dias=3)
    compromiso = carta.practicas.get()
    despues = compromiso.fecha_meta + timedelta(days=1)
    assert compromiso.estado_efectivo(hoy=compromiso.fecha_meta) == EP.COMPROMETIDA
    assert compromiso.estado_efectivo(hoy=despues) == EP.VENCIDA
    assert services.compromisos_vencer(hoy=despues) == 1
    assert services.compromisos_vencer(hoy=despues) == 0  # recorded once
    compromiso.refresh_from_db()
    assert compromiso.estado == EP.VENCIDA
    # Late is not never: a late practice is still published.
    services.compromiso_actualizar(compromiso=compromiso, usuario=enlace_a, estado=EP.PUBLICADA,
                                   url_publicacion="https://sa.nl.gob.mx/tarde")


def test_base_de_datos_exige_practica_a_la_postulada(sujeto_a, enlace_a, personal):
    compromiso = b.aceptada(sujeto_a, enlace_a, personal).practicas.first()
    with pytest.raises(IntegrityError), transaction.atomic():
        PracticaComprometida.objects.filter(pk=compromiso.pk).update(estado="postulada")
