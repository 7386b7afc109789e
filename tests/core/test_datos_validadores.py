"""Open-data downloads: ETag and Last-Modified from the bytes served, 304 to a client that has them,
and the CSV for Excel (a UTF-8 BOM, ?excel=1)."""

import hashlib
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.http import http_date, parse_http_date

from core.models import UsoDataset
from tests.api import builders as b

pytestmark = pytest.mark.django_db

RECONOCIMIENTOS = "practicas-reconocidas"


def _url(dataset=RECONOCIMIENTOS, formato="csv"):
    return reverse("datos:descarga", args=[dataset, formato])


def _leer(response) -> bytes:
    return b"".join(response.streaming_content)


def test_la_descarga_lleva_etag_del_contenido_y_last_modified(client):
    b.reconocidas_en_bloque(2)
    response = client.get(_url())
    cuerpo = _leer(response)
    assert response["ETag"] == f'"{hashlib.sha256(cuerpo).hexdigest()}"'
    assert abs(parse_http_date(response["Last-Modified"]) - timezone.now().timestamp()) < 5
    assert response["Cache-Control"] == "no-cache"
    # The same bytes again: the same validators, Last-Modified still the first time they were served.
    otra = client.get(_url())
    assert (otra["ETag"], otra["Last-Modified"]) == (response["ETag"], response["Last-Modified"])


def test_si_el_cliente_tiene_el_mismo_contenido_responde_304(client):
    b.reconocidas_en_bloque(2)
    primera = client.get(_url("practicas-reconocidas", "json"))
    _leer(primera)
    etag = primera["ETag"]
    response = client.get(_url("practicas-reconocidas", "json"), HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 304
    assert response["ETag"] == etag and not response.content
    assert response["Access-Control-Allow-Origin"] == "*"
    response = client.get(_url("practicas-reconocidas", "json"), HTTP_IF_MODIFIED_SINCE=primera["Last-Modified"])
    assert response.status_code == 304
    antes = http_date((timezone.now() - timedelta(days=1)).timestamp())
    assert client.get(_url("practicas-reconocidas", "json"), HTTP_IF_MODIFIED_SINCE=antes).status_code == 200
    assert client.get(_url("practicas-reconocidas", "json"), HTTP_IF_NONE_MATCH='"otro"').status_code == 200


def test_si_los_datos_cambian_cambia_el_etag_y_no_hay_304(client):
    b.reconocidas_en_bloque(2)
    primera = client.get(_url())
    _leer(primera)
    b.reconocidas_en_bloque(1)  # a new recognised practice is published
    response = client.get(_url(), HTTP_IF_NONE_MATCH=primera["ETag"], HTTP_IF_MODIFIED_SINCE=primera["Last-Modified"])
    assert response.status_code == 200
    assert response["ETag"] != primera["ETag"]
    assert _leer(response).count(b"\n") == 4


def test_cada_filtro_y_formato_tiene_su_etag(client):
    escena = b.dos_autoridades(n_infoem=1, n_cotai=2, jornadas=False)
    etags = set()
    for parametros in ({}, {"autoridad": escena["cotai"].slug}, {"excel": "1"},
                       {"autoridad": escena["cotai"].slug, "excel": "1"}):
        response = client.get(_url(), parametros)
        _leer(response)
        etags.add(response["ETag"])
    response = client.get(_url(formato="json"))
    etags.add(response["ETag"])
    assert len(etags) == 5


def test_el_diccionario_lleva_validadores(client):
    url = reverse("datos:diccionario", args=[RECONOCIMIENTOS, "csv"])
    response = client.get(url)
    _leer(response)
    assert client.get(url, HTTP_IF_NONE_MATCH=response["ETag"]).status_code == 304


def test_un_304_no_es_un_uso_mas_del_mismo_cliente(client):
    b.reconocidas_en_bloque(1)
    response = client.get(_url())
    _leer(response)
    client.get(_url(), HTTP_IF_NONE_MATCH=response["ETag"])
    assert UsoDataset.objects.get().conteo == 1


def test_csv_para_excel_con_bom(client):
    b.reconocidas_en_bloque(2)
    normal = _leer(client.get(_url()))
    response = client.get(_url(), {"excel": "1"})
    excel = _leer(response)
    assert excel == b"\xef\xbb\xbf" + normal  # the same file after the UTF-8 byte order mark
    assert not normal.startswith(b"\xef\xbb\xbf")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == f'attachment; filename="{RECONOCIMIENTOS}-excel.csv"'
    assert excel.decode("utf-8-sig").splitlines()[0].startswith("id,")


def test_excel_solo_con_1_y_solo_en_csv(client):
    response = client.get(_url(), {"excel": "si"})
    assert response.status_code == 400
    assert response.content.decode() == "excel: Use excel=1 para el CSV con marca de orden de bytes (BOM) para Excel.\n"
    response = client.get(_url(formato="json"), {"excel": "1"})
    assert response.status_code == 400
    assert response.json() == {"excel": ["Parámetro no admitido. Se admiten: autoridad."]}


def test_la_pagina_ofrece_el_csv_para_excel(client):
    html = client.get(reverse("datos:inicio")).content.decode()
    assert f'href="{_url()}?excel=1"' in html
    assert "CSV para Excel" in html
