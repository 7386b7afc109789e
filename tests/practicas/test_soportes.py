"""What a support is, decided by its content; what counts as open data."""

import io
import zipfile

import openpyxl
import pytest

from practicas.soportes import SoporteRechazado, analizar

MAX = 1024 * 1024


def _xlsx():
    wb = openpyxl.Workbook()
    wb.active.append(["municipio", "monto"])
    wb.active.append(["Metepec", 10])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _ods():
    from odf.opendocument import OpenDocumentSpreadsheet
    from odf.table import Table, TableCell, TableRow
    from odf.text import P

    doc = OpenDocumentSpreadsheet()
    tabla = Table(name="Hoja1")
    fila = TableRow()
    celda = TableCell()
    celda.addElement(P(text="municipio"))
    fila.addElement(celda)
    tabla.addElement(fila)
    doc.spreadsheet.addElement(tabla)
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


def _zip_con(nombre, contenido):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr(nombre, contenido)
    return buf.getvalue()


@pytest.mark.parametrize(
    ("nombre", "contenido", "formato", "abiertos"),
    [
        ("a.csv", "nombre,año\nToluca,2023\n".encode(), "csv", True),
        ("a.txt", "nombre;año\nToluca;2023\n".encode(), "csv", True),
        ("a.json", b'[{"a": 1}]', "json", True),
        ("a.json", b'{"type": "FeatureCollection", "features": []}', "geojson", True),
        ("a.xml", b"<?xml version='1.0'?><datos><fila a='1'/></datos>", "xml", True),
        ("a.kml", b"<kml xmlns='http://www.opengis.net/kml/2.2'><Document/></kml>", "kml", True),
        ("a.bin", _xlsx(), "xlsx", True),
        ("a.ods", _ods(), "ods", True),
        ("a.pdf", b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF", "pdf", False),
        ("a.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 64, "png", False),
        ("a.jpg", b"\xff\xd8\xff\xe0" + b"\x00" * 64, "jpg", False),
        ("a.json", b'{"a": ', "json", False),
    ],
)
def test_analizar_identifica_formato_por_contenido(nombre, contenido, formato, abiertos):
    resultado = analizar(nombre, contenido, MAX)
    assert resultado.formato == formato
    assert resultado.es_datos_abiertos is abiertos


@pytest.mark.parametrize(
    ("nombre", "contenido", "mensaje"),
    [
        ("malware.pdf", b"MZ\x90\x00" + b"\x00" * 200, "EXE"),
        ("vacio.csv", b"", "vacío"),
        ("pagina.xml", b"<html><body><p>hola<br></body></html>", "HTML"),
        ("notas.txt", "solo una línea de texto sin separadores\n".encode(), "no es CSV"),
        ("comprimido.zip", _zip_con("a.txt", "hola"), "ZIP"),
    ],
)
def test_analizar_rechaza_con_mensaje_cuando_el_contenido_no_se_acepta(nombre, contenido, mensaje):
    with pytest.raises(SoporteRechazado, match=mensaje):
        analizar(nombre, contenido, MAX)


def test_analizar_rechaza_cuando_excede_el_maximo():
    with pytest.raises(SoporteRechazado, match="máximo por archivo"):
        analizar("a.csv", b"a,b\n" * 100, 50)


def test_analizar_csv_irregular_indica_la_linea():
    resultado = analizar("a.csv", b"a,b,c\n1,2,3\n4,5\n", MAX)
    assert not resultado.es_datos_abiertos
    assert "línea 3" in resultado.nota


def test_analizar_xml_con_entidades_es_rechazado():
    bomba = b'<?xml version="1.0"?><!DOCTYPE l [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;">]><l>&b;</l>'
    with pytest.raises(SoporteRechazado):
        analizar("bomba.xml", bomba, MAX)
