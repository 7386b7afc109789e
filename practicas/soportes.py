"""Checks on uploaded supports: what a file really is (by content, never by its name) and
whether it honestly counts as open data. Pure functions over bytes; no database."""

import csv
import io
import json
import zipfile
from dataclasses import dataclass

import filetype
from defusedxml import ElementTree
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

# format key -> (label, mime, counts as open data when it parses)
FORMATOS = {
    "csv": ("CSV", "text/csv", True),
    "json": ("JSON", "application/json", True),
    "geojson": ("GeoJSON", "application/geo+json", True),
    "xml": ("XML", "application/xml", True),
    "kml": ("KML", "application/vnd.google-earth.kml+xml", True),
    "xlsx": ("XLSX", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", True),
    "ods": ("ODS", "application/vnd.oasis.opendocument.spreadsheet", True),
    "odt": ("ODT", "application/vnd.oasis.opendocument.text", False),
    "docx": ("DOCX", "application/vnd.openxmlformats-officedocument.wordprocessingml.document", False),
    "pdf": ("PDF", "application/pdf", False),
    "png": ("PNG", "image/png", False),
    "jpg": ("JPG", "image/jpeg", False),
}
FORMATOS_DATOS_ABIERTOS = [v[0] for v in FORMATOS.values() if v[2]]
FORMATOS_ACEPTADOS = [v[0] for v in FORMATOS.values()]
_SNIFF_BYTES = 8192


class SoporteRechazado(Exception):  # noqa: N818 - domain wording
    def __init__(self, mensaje):
        super().__init__(mensaje)
        self.mensaje = mensaje


@dataclass
class Analisis:
    formato: str
    mime: str
    es_datos_abiertos: bool
    nota: str = ""

    @property
    def etiqueta(self):
        return FORMATOS[self.formato][0]


def _aceptados():
    return ", ".join(FORMATOS_ACEPTADOS)


def analizar(nombre, data: bytes, max_bytes: int) -> Analisis:
    """Identify a support by its content and check it. Raises SoporteRechazado with a Spanish reason."""
    if len(data) == 0:
        raise SoporteRechazado(_("«%(n)s» está vacío (0 bytes). Elija el archivo correcto.") % {"n": nombre})
    if len(data) > max_bytes:
        raise SoporteRechazado(
            _("«%(n)s» pesa %(t)s; el máximo por archivo es %(m)s.")
            % {"n": nombre, "t": filesizeformat(len(data)), "m": filesizeformat(max_bytes)}
        )
    head = data[:_SNIFF_BYTES]
    if head.startswith(b"PK\x03\x04"):
        return _analizar_zip(nombre, data)
    kind = filetype.guess(head)
    if kind is not None:
        ext = {"jpg": "jpg", "png": "png", "pdf": "pdf"}.get(kind.extension)
        if ext:
            return Analisis(ext, FORMATOS[ext][1], False, _("Formato documental: no cuenta como datos abiertos."))
        raise SoporteRechazado(
            _("El contenido de «%(n)s» es de tipo %(k)s, que no se acepta (sin importar la extensión). "
              "Formatos aceptados: %(a)s.") % {"n": nombre, "k": kind.extension.upper(), "a": _aceptados()}
        )
    return _analizar_texto(nombre, data)


def _analizar_zip(nombre, data):
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            nombres = set(zf.namelist())
            mimetype = zf.read("mimetype").decode("ascii", "replace").strip() if "mimetype" in nombres else ""
            if mimetype == "application/vnd.oasis.opendocument.spreadsheet":
                return _verificar_hoja(nombre, data, "ods")
            if mimetype == "application/vnd.oasis.opendocument.text":
                return Analisis("odt", FORMATOS["odt"][1], False, _("Documento de texto: no cuenta como datos abiertos."))
            if "[Content_Types].xml" in nombres:
                if any(n.startswith("xl/") for n in nombres):
                    return _verificar_hoja(nombre, data, "xlsx")
                if any(n.startswith("word/") for n in nombres):
                    return Analisis(
                        "docx", FORMATOS["docx"][1], False, _("Documento de texto: no cuenta como datos abiertos.")
                    )
    except (zipfile.BadZipFile, KeyError, OSError) as exc:
        raise SoporteRechazado(_("«%(n)s» es un archivo comprimido dañado.") % {"n": nombre}) from exc
    raise SoporteRechazado(
        _("«%(n)s» es un archivo comprimido (ZIP) que no es una hoja de cálculo ni un documento aceptado. "
          "Formatos aceptados: %(a)s.") % {"n": nombre, "a": _aceptados()}
    )


def _verificar_hoja(nombre, data, formato):
    try:
        if formato == "xlsx":
            import openpyxl

            wb = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
            hojas = len(wb.sheetnames)
            wb.close()
        else:
            from odf.opendocument import load
            from odf.table import Table

            doc = load(io.BytesIO(data))
            hojas = len(doc.spreadsheet.getElementsByType(Table))
    except Exception:  # noqa: BLE001 - any parser failure means "does not open"
        return Analisis(
            formato, FORMATOS[formato][1], False,
            _("La hoja de cálculo no se pudo abrir; se conserva, pero no cuenta como datos abiertos."),
        )
    if hojas == 0:
        return Analisis(formato, FORMATOS[formato][1], False, _("La hoja de cálculo no tiene hojas con datos."))
    return Analisis(formato, FORMATOS[formato][1], True, _("Hoja de cálculo verificada: se abre correctamente."))


def _analizar_texto(nombre, data):
    if b"\x00" in data[:_SNIFF_BYTES]:
        raise SoporteRechazado(
            _("El contenido de «%(n)s» es binario y no corresponde a ningún formato aceptado. "
              "Formatos aceptados: %(a)s.") % {"n": nombre, "a": _aceptados()}
        )
    utf8 = True
    try:
        texto = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        utf8 = False
        texto = data.decode("latin-1")
    inicio = texto.lstrip()[:1]
    if inicio in ("{", "["):
        return _verificar_json(nombre, texto, utf8)
    if inicio == "<":
        return _verificar_xml(nombre, data, utf8)
    return _verificar_csv(nombre, texto, utf8)


def _verificar_json(nombre, texto, utf8):
    try:
        obj = json.loads(texto)
    except json.JSONDecodeError as exc:
        return Analisis("json", FORMATOS["json"][1], False,
                        _("El JSON no es válido (línea %(l)s, columna %(c)s): no cuenta como datos abiertos.")
                        % {"l": exc.lineno, "c": exc.colno})
    formato = "json"
    if isinstance(obj, dict) and obj.get("type") in ("FeatureCollection", "Feature"):
        formato = "geojson"
    if not utf8:
        return Analisis(formato, FORMATOS[formato][1], False,
                        _("El archivo no está codificado en UTF-8: no cuenta como datos abiertos."))
    return Analisis(formato, FORMATOS[formato][1], True, _("%(f)s verificado: se lee correctamente.")
                    % {"f": FORMATOS[formato][0]})


def _verificar_xml(nombre, data, utf8):
    try:
        raiz = ElementTree.fromstring(data)
    except Exception:  # noqa: BLE001 - ParseError and defusedxml's refusals alike
        # Text starting with "<" that does not parse: HTML or broken XML.
        raise SoporteRechazado(
            _("«%(n)s» parece XML pero no se puede leer (¿es una página HTML o un XML dañado?). "
              "Formatos aceptados: %(a)s.") % {"n": nombre, "a": _aceptados()}
        ) from None
    formato = "kml" if raiz.tag.endswith("}kml") or raiz.tag == "kml" else "xml"
    return Analisis(formato, FORMATOS[formato][1], True, _("%(f)s verificado: se lee correctamente.")
                    % {"f": FORMATOS[formato][0]})


def _verificar_csv(nombre, texto, utf8):
    # The delimiter is the most frequent candidate in the header line: predictable, unlike
    # csv.Sniffer, which gives up on exactly the ragged files we want to report.
    primera = next((linea for linea in texto.splitlines() if linea.strip()), "")
    conteos = {d: primera.count(d) for d in ",;\t|"}
    delimitador = max(conteos, key=conteos.get)
    if conteos[delimitador] == 0:
        raise SoporteRechazado(
            _("«%(n)s» es texto pero no es CSV, JSON ni XML. Formatos aceptados: %(a)s.")
            % {"n": nombre, "a": _aceptados()}
        )
    lector = csv.reader(io.StringIO(texto), delimiter=delimitador)
    problemas = []
    esperadas = None
    filas = 0
    try:
        for fila in lector:
            if not any(c.strip() for c in fila):
                continue
            filas += 1
            if esperadas is None:
                esperadas = len(fila)
                if esperadas < 2 or any(not c.strip() for c in fila):
                    problemas.append(_("la primera fila no parece un encabezado (columnas vacías o una sola columna)"))
                continue
            if len(fila) != esperadas and len(problemas) < 3:
                problemas.append(
                    _("la línea %(l)s tiene %(c)s columnas y el encabezado %(e)s")
                    % {"l": lector.line_num, "c": len(fila), "e": esperadas}
                )
    except csv.Error as exc:
        problemas.append(_("no se pudo leer la línea %(l)s (%(e)s)") % {"l": lector.line_num, "e": exc})
    if filas == 0:
        raise SoporteRechazado(_("«%(n)s» no contiene datos.") % {"n": nombre})
    if not utf8:
        problemas.insert(0, _("no está codificado en UTF-8 (parece Latin-1/Windows-1252)"))
    if problemas:
        return Analisis("csv", FORMATOS["csv"][1], False,
                        _("CSV aceptado, pero no cuenta como datos abiertos: %(p)s.") % {"p": "; ".join(problemas)})
    return Analisis("csv", FORMATOS["csv"][1], True,
                    _("CSV verificado: UTF-8, con encabezado y %(f)s filas regulares.") % {"f": filas - 1})
