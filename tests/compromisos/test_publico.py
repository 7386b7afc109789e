"""The public tracker of cartas compromiso: accepted letters only, the totals, the 404s, the embargo
of a submitted practice, and constant queries."""

from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from compromisos import services
from compromisos.models import PracticaComprometida
from evaluacion.models import Dictamen
from tests.compromisos import builders as b
from tests.evaluacion import builders_dictamen as bd
from tests.evaluacion.builders_dictamen import fixture_ciclo, fixture_firmado  # noqa: F401

pytestmark = pytest.mark.django_db
EP = PracticaComprometida.Estado


def _html(client, nombre, *args, status=200):
    resp = client.get(reverse(nombre, args=args))
    assert resp.status_code == status, resp.status_code
    return resp.content.decode()


@pytest.fixture
def cartas(autoridad, sujeto_a, sujeto_b, enlace_a, enlace_b, personal):
    """Body A: an accepted letter (one practice published, one past its date) and a draft; body B: a
    presented letter and a returned one, never public."""
    aceptada = b.aceptada(sujeto_a, enlace_a, personal, n=3)
    publicada, vencida, _abierta = aceptada.practicas.order_by("pk")
    services.compromiso_actualizar(compromiso=publicada, usuario=enlace_a, estado=EP.PUBLICADA,
                                   url_publicacion="https://finanzas.ejemplo.gob.mx/compras")
    PracticaComprometida.objects.filter(pk=vencida.pk).update(fecha_meta=timezone.localdate() - timedelta(days=1))
    borrador = b.borrador(sujeto_a, enlace_a, n=1)
    borrador.practicas.update(titulo="Borrador secreto")
    presentada = b.presentada(sujeto_b, enlace_b, n=1)
    presentada.practicas.update(titulo="Presentada secreta")
    devuelta = services.carta_devolver(carta=b.presentada(sujeto_b, enlace_b, n=1), usuario=personal,
                                       motivo="Falta la firma.")
    devuelta.practicas.update(titulo="Devuelta secreta")
    return {"aceptada": aceptada, "publicada": publicada, "vencida": vencida}


NO_PUBLICAS = ("Borrador secreto", "Presentada secreta", "Devuelta secreta")


def test_inicio_lista_cada_autoridad_con_sus_totales(client, cartas, autoridad):
    html = _html(client, "compromisos:inicio")
    assert reverse("compromisos:autoridad", args=[autoridad.slug]) in html
    assert "1 sujeto obligado" in html and "3 prácticas comprometidas" in html
    assert "1 publicada" in html and "0 reconocidas" in html


def test_inicio_sin_cartas_aceptadas(client, sujeto_a, enlace_a, autoridad):
    b.presentada(sujeto_a, enlace_a)
    html = _html(client, "compromisos:inicio")
    assert "Aún no hay cartas compromiso aceptadas." in html
    assert reverse("compromisos:autoridad", args=[autoridad.slug]) not in html


def test_pagina_de_la_autoridad(client, cartas, autoridad, sujeto_a, sujeto_b):
    html = _html(client, "compromisos:autoridad", autoridad.slug)
    assert "Cartas compromiso dirigidas al Instituto de Transparencia" in html
    assert 'role="progressbar"' in html and 'aria-valuenow="1"' in html and 'aria-valuemax="3"' in html
    assert reverse("compromisos:sujeto", args=[autoridad.slug, sujeto_a.pk]) in html
    assert sujeto_b.nombre not in html  # only presented and returned letters
    for titulo in ("Práctica comprometida 1", "Práctica comprometida 2", "Práctica comprometida 3"):
        assert titulo in html
    assert "https://finanzas.ejemplo.gob.mx/compras" in html
    assert "Vencida" in html and "Dirección de Transparencia" in html
    for titulo in NO_PUBLICAS:
        assert titulo not in html


def test_pagina_del_sujeto(client, cartas, autoridad, sujeto_a):
    html = _html(client, "compromisos:sujeto", autoridad.slug, sujeto_a.pk)
    assert "Cartas compromiso de la Secretaría de Finanzas" in html
    assert "María Pérez López, Secretaria" in html
    assert "3 prácticas comprometidas en esta carta" in html
    assert "Publicada: " in html  # the date it was published, from its history
    for titulo in NO_PUBLICAS:
        assert titulo not in html


@pytest.mark.parametrize("ruta", ["autoridad", "sujeto_sin_aceptada", "sujeto_desconocido", "sujeto_de_otra",
                                  "autoridad_sin_cartas"])
def test_lo_que_no_es_publico_es_404(client, cartas, autoridad, otra_autoridad, sujeto_b, ruta):
    url = {
        "autoridad": reverse("compromisos:autoridad", args=["no-existe"]),
        "sujeto_sin_aceptada": reverse("compromisos:sujeto", args=[autoridad.slug, sujeto_b.pk]),
        "sujeto_desconocido": reverse("compromisos:sujeto", args=[autoridad.slug, 987654]),
        "sujeto_de_otra": reverse("compromisos:sujeto", args=[otra_autoridad.slug, cartas["aceptada"].sujeto_id]),
        "autoridad_sin_cartas": reverse("compromisos:autoridad", args=[otra_autoridad.slug]),
    }[ruta]
    assert client.get(url).status_code == 404


def test_el_menu_lleva_al_seguimiento(client, db):
    html = _html(client, "portal:inicio")
    assert f'href="{reverse("compromisos:inicio")}"' in html and "Cartas compromiso" in html


# --- the embargo ---------------------------------------------------------------------------------------

def test_la_practica_postulada_no_se_nombra_hasta_que_su_reconocimiento_es_publico(
        client, firmado, autoridad, sujeto_a, enlace_a, personal):
    """The ruling of A's practice is signed (procedente), its results second has not come: the
    commitment linked to it is «postulada» with no name or link of the practice. After that second,
    once the recognition fulfils it, it is «reconocida» with a link to the catalogue."""
    practica = Dictamen.objects.get(practica__sujeto=sujeto_a).practica
    carta = b.aceptada(sujeto_a, enlace_a, personal, n=1)
    compromiso = carta.practicas.get()
    PracticaComprometida.objects.filter(pk=compromiso.pk).update(estado=EP.POSTULADA, practica=practica)
    antes, despues = bd.antes_y_despues(firmado)
    enlace = reverse("evaluacion:catalogo_practica", args=[practica.pk])
    paginas = [("compromisos:autoridad", autoridad.slug), ("compromisos:sujeto", autoridad.slug, sujeto_a.pk)]
    with time_machine.travel(antes, tick=False):
        assert services.compromisos_reconocer() == 0
        for nombre, *args in paginas:
            html = _html(client, nombre, *args)
            assert "Postulada" in html and "Reconocida</span>" not in html
            assert practica.nombre not in html and enlace not in html
        datos = client.get(reverse("api:carta-compromiso-list")).json()["results"]
        assert [(f["estado"], f["url_practica_reconocida"]) for f in datos] == [("postulada", None)]
    with time_machine.travel(despues, tick=False):
        # Before the task runs the state is still «postulada» and nothing links the practice.
        assert enlace not in _html(client, "compromisos:autoridad", autoridad.slug)
        assert services.compromisos_reconocer() == 1
        for nombre, *args in paginas:
            html = _html(client, nombre, *args)
            assert "Reconocida</span>" in html and enlace in html
        datos = client.get(reverse("api:carta-compromiso-list")).json()["results"]
        assert datos[0]["estado"] == "reconocida" and datos[0]["url_practica_reconocida"].endswith(enlace)
        assert "1 reconocida" in _html(client, "compromisos:inicio")


# --- queries -------------------------------------------------------------------------------------------

@pytest.fixture
def bloque(autoridad):
    from tests import factories

    def crear(n):
        sujetos = [factories.SujetoFactory(nombre=f"Secretaría de prueba {i}") for i in range(n)]
        b.aceptadas_en_bloque(autoridad, sujetos, por_sujeto=3, estados=(EP.PUBLICADA, EP.EN_ELABORACION))
        return sujetos
    return crear


@pytest.mark.parametrize("n", [1, 6])
def test_inicio_con_consultas_constantes(client, django_assert_num_queries, bloque, n):
    bloque(n)
    # The authorities with their totals, and the frame's list of authorities.
    with django_assert_num_queries(2):
        assert client.get(reverse("compromisos:inicio")).status_code == 200


@pytest.mark.parametrize("n", [1, 6])
def test_autoridad_con_consultas_constantes(client, django_assert_num_queries, bloque, autoridad, n):
    bloque(n)
    # The authority, the counts per body and state, and the page of commitments with its count.
    with django_assert_num_queries(4):
        html = client.get(reverse("compromisos:autoridad", args=[autoridad.slug])).content.decode()
    assert html.count('<th scope="row" class="fw-normal">Práctica comprometida 1</th>') == n


@pytest.mark.parametrize("n", [1, 6])
def test_sujeto_con_consultas_constantes(client, django_assert_num_queries, bloque, autoridad, n):
    sujeto = bloque(1)[0]
    b.aceptadas_en_bloque(autoridad, [sujeto] * n, por_sujeto=n)  # more letters, more practices each
    with django_assert_num_queries(5):
        assert client.get(reverse("compromisos:sujeto", args=[autoridad.slug, sujeto.pk])).status_code == 200


def test_el_sitemap_lista_las_paginas_de_cartas_aceptadas(client, cartas, autoridad, sujeto_a, sujeto_b):
    from tests.evaluacion import builders_catalogo as bc

    texto = bc.sitemap_completo(client)
    assert reverse("compromisos:inicio") in texto
    assert reverse("compromisos:autoridad", args=[autoridad.slug]) in texto
    assert reverse("compromisos:sujeto", args=[autoridad.slug, sujeto_a.pk]) in texto
    assert reverse("compromisos:sujeto", args=[autoridad.slug, sujeto_b.pk]) not in texto  # presented, returned


def test_buscar_y_paginar_las_practicas_de_la_autoridad(client, cartas, autoridad, monkeypatch):
    from compromisos import views_publico

    url = reverse("compromisos:autoridad", args=[autoridad.slug])
    html = client.get(url, {"q": "comprometida 2"}).content.decode()
    assert "1 práctica comprometida coincide con la búsqueda." in html
    assert "Práctica comprometida 2</th>" in html and "Práctica comprometida 1</th>" not in html
    assert 'aria-valuemax="3"' in html  # the totals are the authority's, whatever the search
    html = client.get(url, {"q": "inexistente"}).content.decode()
    assert "Ninguna práctica comprometida coincide con la búsqueda." in html
    monkeypatch.setattr(views_publico, "POR_PAGINA", 2)
    html = client.get(url, {"pagina": 2}).content.decode()
    assert "Práctica comprometida 3</th>" in html and "Práctica comprometida 1</th>" not in html
    assert "Filas 3 a 3 de 3." in html


def test_una_reconocida_sin_reconocimiento_publico_no_enlaza_la_practica(
        client, firmado, autoridad, sujeto_a, enlace_a, personal):
    """Defence in depth: even a «reconocida» row written by hand links its practice only through
    evaluacion's embargo queryset, so under embargo nothing names it."""
    practica = Dictamen.objects.get(practica__sujeto=sujeto_a).practica
    compromiso = b.aceptada(sujeto_a, enlace_a, personal, n=1).practicas.get()
    PracticaComprometida.objects.filter(pk=compromiso.pk).update(estado=EP.RECONOCIDA, practica=practica,
                                                                 reconocida_en=timezone.now())
    enlace = reverse("evaluacion:catalogo_practica", args=[practica.pk])
    with time_machine.travel(bd.antes_y_despues(firmado)[0], tick=False):
        for nombre, *args in [("compromisos:autoridad", autoridad.slug),
                              ("compromisos:sujeto", autoridad.slug, sujeto_a.pk)]:
            html = _html(client, nombre, *args)
            assert enlace not in html and practica.nombre not in html
        fila = client.get(reverse("api:carta-compromiso-list")).json()["results"][0]
        assert fila["url_practica_reconocida"] is None
