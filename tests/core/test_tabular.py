"""core.tabular: the uploaded table as rows of text with their line, whatever wrote the file
(Teams' UTF-16 TSV, Excel's CSV with BOM or in Latin-1, XLSX, LibreOffice's ODS), and the header
found and named however people spell it."""

import datetime
import io
from dataclasses import dataclass

import pytest
from odf.opendocument import OpenDocumentSpreadsheet
from odf.table import CoveredTableCell, Table, TableCell, TableRow
from odf.text import P
from openpyxl import Workbook

from core import tabular
from core.errors import ErrorDominio

ALIAS = {"nombre": {"nombre", "nombre completo"}, "correo": {"correo electrónico", "email"}, "cargo": {"cargo"}}
LIMITES = {"max_bytes": 1024 * 1024, "max_filas": 100}


def _leer(contenido: bytes, **kwargs) -> tabular.Tabla:
    return tabular.tabla_leer(contenido, **{**LIMITES, **kwargs})


def test_tsv_utf16_de_teams_con_resumen_antes_del_encabezado():
    texto = (
        "Resumen de la reunión\n"
        "Título de la reunión\tJornada de sensibilización\n"
        "\n"
        "Nombre completo\tCorreo electrónico\tHora de unión\n"
        "Martínez, José\tjose@ejemplo.gob.mx\t10:01\n"
    )
    tabla = _leer(texto.encode("utf-16"))
    assert tabla.formato == "CSV (UTF-16)"
    # Blank lines are left out; each row keeps the line staff see in their editor.
    assert tabla.filas == [
        [1, ["Resumen de la reunión"]],
        [2, ["Título de la reunión", "Jornada de sensibilización"]],
        [4, ["Nombre completo", "Correo electrónico", "Hora de unión"]],
        [5, ["Martínez, José", "jose@ejemplo.gob.mx", "10:01"]],
    ]
    indice, columnas = tabular.encabezado_buscar(tabla.filas, ALIAS, requeridas={"nombre", "correo"}, lineas=30)
    assert (indice, columnas) == (2, {"nombre": 0, "correo": 1})


def test_csv_con_bom_y_punto_y_coma_como_lo_guarda_excel():
    contenido = "\ufeffnombre;correo\n\"Pérez; Ana\";ana@ejemplo.gob.mx\n".encode()
    tabla = _leer(contenido)
    assert tabla.formato == "CSV (UTF-8)"
    assert tabla.filas == [[1, ["nombre", "correo"]], [2, ["Pérez; Ana", "ana@ejemplo.gob.mx"]]]


def test_decodificar_prueba_utf8_luego_windows_1252_luego_latin1():
    assert tabular.decodificar("Año".encode()) == ("Año", "UTF-8")
    assert tabular.decodificar("“Año” – 1".encode("cp1252")) == ("“Año” – 1", "Latin-1 (Windows-1252)")
    assert tabular.decodificar(b"A\xf1o \x81") == ("Año \x81", "Latin-1 (ISO-8859-1)")
    # An odd number of bytes after a UTF-16 BOM is not UTF-16: the next encodings are tried.
    assert tabular.decodificar(b"\xff\xfeA") == ("ÿþA", "Latin-1 (Windows-1252)")


def test_delimitador_cuando_el_sniffer_no_decide_usa_el_mas_frecuente():
    assert tabular.delimitador("a;b;c\n1;2;3\n") == ";"
    assert tabular.delimitador("solo una columna") == ","
    assert tabular.delimitador("a\tb") == "\t"


def test_espacios_antes_de_una_celda_entrecomillada_no_la_parten():
    tabla = tabular.tabla_de_texto('nombre, cargo\nAna, "Jefa de área, finanzas"\n', max_filas=10)
    assert tabla.filas[1] == [2, ["Ana", "Jefa de área, finanzas"]]


def test_xlsx_conserva_el_numero_de_fila_y_escribe_numeros_y_fechas_como_texto():
    libro = Workbook()
    hoja = libro.active
    hoja.append(["Lista de asistencia"])
    hoja.append([])
    hoja.append(["NOMBRE", "Email", "Cargo", None])
    hoja.append(["  Ana   López ", "ana@ejemplo.gob.mx", 12.0, None])
    hoja.append([None, None, None])
    hoja.append(["Beto", "beto@ejemplo.gob.mx", datetime.date(2024, 3, 5)])
    datos = io.BytesIO()
    libro.save(datos)
    tabla = _leer(datos.getvalue())
    assert tabla.formato == "XLSX"
    assert tabla.filas == [
        [1, ["Lista de asistencia"]],
        [3, ["NOMBRE", "Email", "Cargo"]],
        [4, ["Ana López", "ana@ejemplo.gob.mx", "12"]],
        [6, ["Beto", "beto@ejemplo.gob.mx", "2024-03-05T00:00:00"]],
    ]


def _celda(valor=None, **atributos):
    celda = TableCell(**atributos)
    if valor is not None:
        celda.addElement(P(text=valor))
    return celda


def _ods(filas) -> bytes:
    doc = OpenDocumentSpreadsheet()
    for nombre, contenido in (("Asistencia", filas), ("Otra hoja", [[_celda("no se lee")]])):
        hoja = Table(name=nombre)
        for fila in contenido:
            if not isinstance(fila, list):  # a TableRow element (odfpy builds them with functions, not classes)
                hoja.addElement(fila)
                continue
            tr = TableRow()
            for celda in fila:
                tr.addElement(celda)
            hoja.addElement(tr)
        doc.spreadsheet.addElement(hoja)
    datos = io.BytesIO()
    doc.write(datos)
    return datos.getvalue()


def test_ods_de_libreoffice_con_celdas_repetidas_numeros_y_solo_la_primera_hoja():
    vacias = TableRow(numberrowsrepeated=3)
    vacias.addElement(_celda(numbercolumnsrepeated=1024))
    repetida = TableRow(numberrowsrepeated=2)
    repetida.addElement(_celda("Igual"))
    contenido = _ods([
        [_celda("Nombre"), _celda("Correo Electrónico"), _celda(numbercolumnsrepeated=1021)],
        [_celda("Ana"), _celda(numbercolumnsrepeated=2), _celda("ana@ejemplo.gob.mx")],
        vacias,
        [_celda("Beto"), _celda("7", valuetype="float", value="7"), CoveredTableCell(), _celda("x")],
        repetida,
    ])
    tabla = _leer(contenido)
    assert tabla.formato == "ODS"
    assert tabla.filas == [
        [1, ["Nombre", "Correo Electrónico"]],
        [2, ["Ana", "", "", "ana@ejemplo.gob.mx"]],
        [6, ["Beto", "7", "", "x"]],
        [7, ["Igual"]],
        [8, ["Igual"]],
    ]
    # The column limit cuts a row however its cells are repeated.
    assert _leer(contenido, max_columnas=2).filas[1] == [2, ["Ana", ""]]


def test_ods_danado_y_xls_antiguo_se_rechazan_con_mensaje():
    contenido = _ods([[_celda("Nombre")]])
    with pytest.raises(ErrorDominio, match="como ODS"):
        _leer(contenido[:-200])
    with pytest.raises(ErrorDominio, match="como XLSX"):
        _leer(b"PK\x03\x04" + b"0" * 50)
    with pytest.raises(ErrorDominio, match=r"\.xls \(Excel 97-2003\) no se admiten"):
        _leer(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"0" * 50)


def test_limites_de_tamano_filas_y_columnas():
    with pytest.raises(ErrorDominio, match="excede 1 MB"):
        _leer(b"a" * (1024 * 1024 + 1))
    with pytest.raises(ErrorDominio, match="está vacío"):
        _leer(b" \n\n")
    texto = "n\n" + "x\n" * 12
    # max_filas counts the rows kept; filas_extra leaves room for lines above the header.
    with pytest.raises(ErrorDominio, match="más de 10 filas"):
        tabular.tabla_de_texto(texto, max_filas=10)
    assert len(tabular.tabla_de_texto(texto, max_filas=10, filas_extra=3).filas) == 13
    assert tabular.tabla_de_texto("a,b,c,d\n", max_filas=1, max_columnas=2).filas == [[1, ["a", "b"]]]


def test_encabezado_con_acentos_mayusculas_espacios_y_guiones_bajos():
    assert tabular.normalizar("  Correo   ELECTRÓNICO ") == "correo electronico"
    assert tabular.columna_clave("Municipio CVEGEO") == tabular.columna_clave("municipio_cvegeo") == "municipio_cvegeo"
    encabezado = ["CARGO", " nombre_completo ", "Correo Electronico", "Nombre"]
    # The first cell naming a column wins; aliases are compared normalised on both sides.
    assert tabular.columnas_por_alias(encabezado, ALIAS) == {"cargo": 0, "nombre": 1, "correo": 2}
    assert tabular.encabezado_buscar([[1, ["Cargo"]], [2, ["nombre"]]], ALIAS, requeridas={"nombre", "correo"},
                                     lineas=30) is None


@dataclass(kw_only=True)
class _Vista(tabular.VistaPreviaImportacion):
    @property
    def por_escribir(self):
        return len(self._de("nuevo"))


def test_vista_previa_valida_solo_sin_errores_y_con_algo_que_escribir():
    nueva, mala = tabular.FilaImportada(linea=2, accion="nuevo"), tabular.FilaImportada(linea=3, accion=tabular.ERROR)
    assert _Vista(filas=[nueva]).valida
    assert not _Vista(filas=[]).valida
    assert not _Vista(filas=[nueva], errores_archivo=["Faltan columnas"]).valida
    con_error = _Vista(filas=[nueva, mala])
    assert con_error.con_error == [mala] and not con_error.valida
    assert not con_error.valida_omitiendo_errores  # only where the importer allows leaving rows out

    @dataclass(kw_only=True)
    class _Omitible(_Vista):
        omitir_errores_permitido = True

    assert _Omitible(filas=[nueva, mala]).valida_omitiendo_errores
    assert not _Omitible(filas=[mala]).valida_omitiendo_errores


def test_borrador_devuelve_el_archivo_solo_con_su_huella_y_lo_que_se_espera():
    sesion = {}
    borrador = tabular.BorradorImportacion(sesion, "importacion")
    huella = borrador.guardar(nombre="x" * 300, contenido="nombre\nAna\n", jornada=7, tabla={"filas": []})
    assert huella == tabular.huella("nombre\nAna\n")
    assert sesion["importacion"] == {"jornada": 7, "tabla": {"filas": []}, "huella": huella, "nombre": "x" * 200}
    assert borrador.leer(huella, jornada=7) == sesion["importacion"]
    assert borrador.leer("otra", jornada=7) is None
    assert borrador.leer(huella, jornada=8) is None
    assert borrador.leer(None) is None
    borrador.descartar()
    assert "importacion" not in sesion and borrador.leer(huella) is None
