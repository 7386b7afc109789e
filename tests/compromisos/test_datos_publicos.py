"""Open data and API of cartas compromiso: accepted letters only, one row per committed practice,
the same row in the download and the API, the filters, and constant queries."""

import json
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from compromisos import services
from compromisos.datos_abiertos import CARTAS
from compromisos.models import PracticaComprometida
from core import datos_abiertos as da
from tests import factories
from tests.compromisos import builders as b

pytestmark = pytest.mark.django_db
EP = PracticaComprometida.Estado


@pytest.fixture
def escena(autoridad, otra_autoridad, sujeto_a, sujeto_b, sujeto_otra_entidad, enlace_a, enlace_b,
           enlace_otra_entidad, personal, otro_personal):
    """A's accepted letter (one practice published), B's draft and presented letters, and an accepted
    letter of the other entity's body to the other authority."""
    aceptada = b.aceptada(sujeto_a, enlace_a, personal, n=2)
    publicada = aceptada.practicas.order_by("pk").first()
    services.compromiso_actualizar(compromiso=publicada, usuario=enlace_a, estado=EP.PUBLICADA,
                                   url_publicacion="https://finanzas.ejemplo.gob.mx/compras")
    ocultas = [b.borrador(sujeto_b, enlace_b, n=1), b.presentada(sujeto_b, enlace_b, n=1)]
    otra = b.aceptada(sujeto_otra_entidad, enlace_otra_entidad, otro_personal, n=1)
    return {"aceptada": aceptada, "publicada": publicada, "ocultas": ocultas, "otra": otra}


def _descarga(client, formato="json", **params):
    resp = client.get(reverse("datos:descarga", args=[CARTAS, formato]), params)
    assert resp.status_code == 200
    texto = b"".join(resp.streaming_content).decode()
    return json.loads(texto) if formato == "json" else texto


def _api(client, **params):
    resp = client.get(reverse("api:carta-compromiso-list"), params)
    assert resp.status_code == 200, resp.content
    return resp.json()["results"]


def test_el_conjunto_tiene_una_fila_por_practica_de_cartas_aceptadas(client, escena, autoridad, sujeto_a):
    filas = _descarga(client)
    assert len(filas) == 3
    ocultas = {p.pk for carta in escena["ocultas"] for p in carta.practicas.all()}
    assert not ocultas & {f["id"] for f in filas}
    fila = next(f for f in filas if f["id"] == escena["publicada"].pk)
    assert fila["autoridad_slug"] == autoridad.slug and fila["sujeto"] == sujeto_a.nombre
    assert (fila["firmante_nombre"], fila["firmante_cargo"]) == ("María Pérez López", "Secretaria")
    assert fila["estado"] == "publicada" and fila["url_publicacion"] == "https://finanzas.ejemplo.gob.mx/compras"
    assert fila["url_practica_reconocida"] is None
    assert fila["url"].endswith(reverse("compromisos:sujeto", args=[autoridad.slug, sujeto_a.pk]))
    assert fila["url"].startswith("http")


def test_el_conjunto_se_filtra_por_autoridad(client, escena, otra_autoridad):
    filas = _descarga(client, autoridad=otra_autoridad.slug)
    assert [f["id"] for f in filas] == [escena["otra"].practicas.get().pk]


def test_el_conjunto_aparece_en_datos_y_en_data_json(client, escena):
    html = client.get(reverse("datos:inicio")).content.decode()
    assert reverse("datos:descarga", args=[CARTAS, "csv"]) in html
    assert "<code>firmante_cargo</code>" in html
    catalogo = client.get(reverse("datos:catalogo_dcat")).json()
    assert any(d["identifier"].endswith(reverse("datos:descarga", args=[CARTAS, "json"])) for d in catalogo["dataset"])


def test_la_api_da_las_mismas_filas_que_la_descarga(client, escena, autoridad):
    descarga = {f["id"]: f for f in _descarga(client)}
    filas = _api(client)
    assert {f["id"] for f in filas} == set(descarga)
    for fila in filas:
        esperada = descarga[fila["id"]]
        assert fila["autoridad"]["slug"] == esperada["autoridad_slug"]
        assert {k: v for k, v in fila.items() if k != "autoridad"} == {
            k: v for k, v in esperada.items() if k not in da.COLUMNAS_AUTORIDAD}


def test_filtros_de_la_api(client, escena, autoridad, sujeto_a, sujeto_otra_entidad):
    assert len(_api(client, autoridad=autoridad.slug)) == 2
    assert {f["sujeto_id"] for f in _api(client, sujeto=sujeto_otra_entidad.pk)} == {sujeto_otra_entidad.pk}
    assert [f["id"] for f in _api(client, estado="publicada")] == [escena["publicada"].pk]
    assert len(_api(client, estado="comprometida", sujeto=sujeto_a.pk)) == 1
    assert _api(client, estado="vencida") == []


def test_vencida_se_lee_del_reloj_en_el_filtro(client, escena):
    pendiente = escena["otra"].practicas.get()
    PracticaComprometida.objects.filter(pk=pendiente.pk).update(fecha_meta=timezone.localdate() - timedelta(days=1))
    assert [(f["id"], f["estado"]) for f in _api(client, estado="vencida")] == [(pendiente.pk, "vencida")]


@pytest.mark.parametrize("params, campo", [({"estado": "borrador"}, "estado"), ({"sujeto": "abc"}, "sujeto"),
                                           ({"autoridad": "no-existe"}, "autoridad"), ({"carta": "1"}, "carta")])
def test_filtro_invalido_es_400_en_espanol(client, escena, params, campo):
    resp = client.get(reverse("api:carta-compromiso-list"), params)
    assert resp.status_code == 400 and resp["Content-Type"] == "application/json"
    mensaje = resp.json()[campo][0]
    assert mensaje.startswith(("Seleccione", "Introduzca", "Ingrese", "Parámetro no admitido"))


def test_detalle_de_una_carta_no_aceptada_es_404_en_espanol(client, escena):
    oculta = escena["ocultas"][1].practicas.get()
    resp = client.get(reverse("api:carta-compromiso-detail", args=[oculta.pk]))
    assert resp.status_code == 404 and "detail" in resp.json()
    resp = client.get(reverse("api:carta-compromiso-detail", args=[escena["publicada"].pk]))
    assert resp.status_code == 200 and resp.json()["titulo"] == escena["publicada"].titulo


# --- queries -------------------------------------------------------------------------------------------

def _bloque(autoridad, n):
    sujetos = [factories.SujetoFactory(nombre=f"Secretaría de prueba {i}") for i in range(n)]
    b.aceptadas_en_bloque(autoridad, sujetos, por_sujeto=3, estados=(EP.PUBLICADA,))


@pytest.mark.parametrize("n", [1, 8])
def test_lista_de_la_api_con_consultas_constantes(client, django_assert_num_queries, autoridad, n):
    """Count, page, and the reuse counter's UPDATE."""
    _bloque(autoridad, n)
    _api(client)  # creates today's counter row
    client.defaults["REMOTE_ADDR"] = "192.0.2.7"
    with django_assert_num_queries(3):
        assert len(_api(client)) == 3 * n


@pytest.mark.parametrize("n", [1, 8])
def test_descarga_filtrada_con_consultas_constantes(client, django_assert_num_queries, autoridad, n):
    """The slug's lookup, the counter's UPDATE and the rows twice (the ETag, then the body)."""
    _bloque(autoridad, n)
    _descarga(client, autoridad=autoridad.slug)
    client.defaults["REMOTE_ADDR"] = "192.0.2.7"
    with django_assert_num_queries(4):
        assert len(_descarga(client, autoridad=autoridad.slug)) == 3 * n
