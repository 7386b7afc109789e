"""What every import of an uploaded table shares: bytes to rows, the header, the preview's frame
and the file kept between preview and confirmation.

An import is two steps: a preview that writes nothing, then an all-or-nothing write that reads
the kept file again against the database as it is then. Each app keeps what is its own: the
columns, the checks of a row and the write service.

A table is a JSON-safe list ``[[line, [cell, …]], …]`` of the rows that are not blank, each with
its line (CSV) or row number (spreadsheet) so errors point where staff look in their file.

Text encodings are tried in a fixed order (UTF-16 by its BOM, UTF-8 with or without BOM,
Windows-1252, ISO-8859-1) rather than guessed with charset-normalizer: the files come from Excel,
LibreOffice, Zoom and Teams, whose encodings are known, and a statistical guess misreads the
short files staff upload (a list of a few accented names)."""

import csv
import hashlib
import io
import unicodedata
import zipfile
from dataclasses import dataclass, field
from typing import ClassVar

from defusedxml import ElementTree
from defusedxml.common import DefusedXmlException
from django.utils.translation import gettext as _
from openpyxl import load_workbook

from .errors import ErrorDominio

DELIMITADORES = ",;\t"
ERROR = "error"  # the row outcome every importer shares

_MUESTRA = 8192
_BOM_UTF16 = (b"\xff\xfe", b"\xfe\xff")
_ZIP = b"PK\x03\x04"
_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # .xls (Excel 97-2003)
_ODS_MIME = b"application/vnd.oasis.opendocument.spreadsheet"
# content.xml of an ODS may be far larger than the zip; past this it is refused, not parsed.
_ODS_MAX_XML = 64 * 1024 * 1024
_ODS_MAX_COLUMNAS = 1024  # when the importer sets no limit: a repeat count is not trusted further
_MIB = 1024 * 1024


# --- text ------------------------------------------------------------------------------------


def decodificar(contenido: bytes) -> tuple[str, str]:
    """(text, encoding name shown to staff).

    Excel on Windows writes Windows-1252, Latin-1 plus curly quotes and dashes in 0x80–0x9F;
    it is tried before plain ISO-8859-1 (which decodes anything) so those come out right.
    Teams writes its attendance report in UTF-16 with a BOM."""
    if contenido[:2] in _BOM_UTF16:
        try:
            return contenido.decode("utf-16"), "UTF-16"
        except UnicodeDecodeError:
            pass
    try:
        return contenido.decode("utf-8-sig"), "UTF-8"
    except UnicodeDecodeError:
        pass
    try:
        return contenido.decode("cp1252"), "Latin-1 (Windows-1252)"
    except UnicodeDecodeError:
        return contenido.decode("latin-1"), "Latin-1 (ISO-8859-1)"


def delimitador(muestra: str) -> str:
    """The sample's cell separator among comma, semicolon and tab (Excel in Mexico saves «;»,
    Teams a tab); when the sniffer cannot tell, the one that appears most, comma on a tie."""
    try:
        return csv.Sniffer().sniff(muestra, delimiters=DELIMITADORES).delimiter
    except csv.Error:
        return max(DELIMITADORES, key=muestra.count)


def normalizar(texto) -> str:
    """Lower case, no accents, underscores as spaces, single spaces: how people write the same
    name differently («Correo Electrónico», «correo_electronico»)."""
    texto = unicodedata.normalize("NFKD", str(texto or ""))
    texto = "".join(c for c in texto if not unicodedata.combining(c))
    return " ".join(texto.replace("_", " ").split()).casefold()


def columna_clave(texto) -> str:
    """A header cell as an identifier: «Municipio CVEGEO» -> «municipio_cvegeo»."""
    return normalizar(texto).replace(" ", "_")


def columnas_por_alias(encabezado: list[str], alias: dict[str, set[str]]) -> dict[str, int]:
    """column key -> index of the first header cell that names it by any of its aliases."""
    nombres = {columna: {normalizar(a) for a in lista} for columna, lista in alias.items()}
    indices: dict[str, int] = {}
    for i, celda in enumerate(encabezado):
        clave = normalizar(celda)
        for columna, lista in nombres.items():
            if clave in lista and columna not in indices:
                indices[columna] = i
    return indices


def encabezado_buscar(filas: list, alias: dict[str, set[str]], *, requeridas: set[str],
                      lineas: int) -> tuple[int, dict[str, int]] | None:
    """(index in ``filas``, columns) of the first of the first ``lineas`` rows that names every
    required column, or None. Reports such as Teams' put a summary above the header."""
    for i, (_linea, celdas) in enumerate(filas[:lineas]):
        columnas = columnas_por_alias(celdas, alias)
        if requeridas <= columnas.keys():
            return i, columnas
    return None


# --- reading ---------------------------------------------------------------------------------


@dataclass
class Tabla:
    formato: str  # shown to staff: "CSV (UTF-8)", "XLSX", "ODS"
    filas: list  # [[line, [cells]]]

    def como_dict(self) -> dict:
        return {"formato": self.formato, "filas": self.filas}


class _Acumulador:
    """Collects the non-blank rows and stops, with the message staff see, past the limit."""

    def __init__(self, *, max_filas: int, filas_extra: int, max_columnas: int | None):
        self.filas: list = []
        self.max_filas, self.limite, self.max_columnas = max_filas, max_filas + filas_extra, max_columnas

    def agregar(self, linea: int, celdas: list[str]) -> None:
        if not any(celdas):
            return
        if len(self.filas) > self.limite:
            raise ErrorDominio(_("El archivo tiene más de %(n)s filas.") % {"n": self.max_filas})
        self.filas.append([linea, celdas])


def tabla_de_texto(texto: str, *, formato: str = "CSV", separador: str | None = None, max_filas: int,
                   filas_extra: int = 0, max_columnas: int | None = None) -> Tabla:
    """Decoded CSV text to a table; cells trimmed. The separator is sniffed from the start of the
    text unless given. Spaces before a cell are skipped so «a, "b, c"» is two cells."""
    separador = separador or delimitador(texto[:_MUESTRA])
    lector = csv.reader(io.StringIO(texto, newline=""), delimiter=separador, skipinitialspace=True)
    filas = _Acumulador(max_filas=max_filas, filas_extra=filas_extra, max_columnas=max_columnas)
    try:
        for registro in lector:
            filas.agregar(lector.line_num, [c.strip() for c in registro[:max_columnas]])
    except csv.Error as exc:
        raise ErrorDominio(_("Línea %(l)s: no se pudo leer como CSV (%(e)s).")
                           % {"l": lector.line_num, "e": exc}) from exc
    return Tabla(formato=formato, filas=filas.filas)


def celda_texto(valor) -> str:
    """A spreadsheet value as the text staff typed: 12.0 -> "12", a date in ISO form."""
    if valor is None:
        return ""
    if isinstance(valor, float) and valor.is_integer():
        return str(int(valor))
    if hasattr(valor, "isoformat"):
        return valor.isoformat()
    return " ".join(str(valor).split())


def _sin_vacias_al_final(celdas: list[str]) -> list[str]:
    while celdas and not celdas[-1]:
        celdas.pop()
    return celdas


def _leer_xlsx(contenido: bytes, filas: _Acumulador) -> Tabla:
    try:
        libro = load_workbook(io.BytesIO(contenido), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
        raise ErrorDominio(_("No se pudo leer el archivo como XLSX. Guárdelo de nuevo en Excel o como CSV.")) from exc
    try:
        hoja = libro.worksheets[0]
        for linea, valores in enumerate(hoja.iter_rows(values_only=True, max_col=filas.max_columnas), start=1):
            filas.agregar(linea, _sin_vacias_al_final([celda_texto(v) for v in valores]))
    finally:
        libro.close()
    return Tabla(formato="XLSX", filas=filas.filas)


_T = "{urn:oasis:names:tc:opendocument:xmlns:table:1.0}"
_O = "{urn:oasis:names:tc:opendocument:xmlns:office:1.0}"
_X = "{urn:oasis:names:tc:opendocument:xmlns:text:1.0}"
_CELDAS = (f"{_T}table-cell", f"{_T}covered-table-cell")


def _ods_valor(celda) -> str:
    tipo = celda.get(f"{_O}value-type")
    if tipo in ("float", "percentage", "currency") and celda.get(f"{_O}value") is not None:
        try:
            return celda_texto(float(celda.get(f"{_O}value")))
        except ValueError:
            pass
    if tipo == "date" and celda.get(f"{_O}date-value"):
        return celda.get(f"{_O}date-value")
    if tipo == "boolean" and celda.get(f"{_O}boolean-value"):
        return celda.get(f"{_O}boolean-value")
    return celda_texto(" ".join("".join(p.itertext()) for p in celda.iter(f"{_X}p")))


def _ods_celdas(fila, max_columnas: int | None) -> list[str]:
    """A row's cells with repetitions expanded, up to the column limit; an empty run (LibreOffice
    writes the unused columns as one cell repeated a thousand times) only when a value follows."""
    tope = max_columnas or _ODS_MAX_COLUMNAS
    celdas: list[str] = []
    vacias = 0
    for celda in fila:
        if celda.tag not in _CELDAS:
            continue
        repetir = int(celda.get(f"{_T}number-columns-repeated", "1") or 1)
        valor = _ods_valor(celda)
        if not valor:
            vacias += repetir
            continue
        celdas.extend([""] * min(vacias, tope - len(celdas)))
        celdas.extend([valor] * min(repetir, tope - len(celdas)))
        vacias = 0
        if len(celdas) >= tope:
            break
    return celdas


def _leer_ods(contenido: bytes, filas: _Acumulador) -> Tabla:
    """The first sheet of an OpenDocument spreadsheet, read straight from its content.xml with
    defusedxml (no entity expansion, no external references)."""
    error = _("No se pudo leer el archivo como ODS. Guárdelo de nuevo en LibreOffice Calc o como CSV.")
    try:
        with zipfile.ZipFile(io.BytesIO(contenido)) as archivo:
            if archivo.getinfo("content.xml").file_size > _ODS_MAX_XML:
                raise ErrorDominio(error)
            with archivo.open("content.xml") as xml:
                linea = 0
                en_hoja = False
                for evento, elemento in ElementTree.iterparse(xml, events=("start", "end")):
                    if elemento.tag == f"{_T}table":
                        if evento == "end":
                            break  # only the first sheet
                        en_hoja = True
                    elif en_hoja and evento == "end" and elemento.tag == f"{_T}table-row":
                        repetir = int(elemento.get(f"{_T}number-rows-repeated", "1") or 1)
                        celdas = _ods_celdas(elemento, filas.max_columnas)
                        for _vez in range(repetir if any(celdas) else 0):
                            linea += 1
                            filas.agregar(linea, list(celdas))
                        if not any(celdas):
                            linea += repetir
                        elemento.clear()
    except ErrorDominio:
        raise
    except (zipfile.BadZipFile, KeyError, ValueError, OSError, ElementTree.ParseError, DefusedXmlException) as exc:
        raise ErrorDominio(error) from exc
    return Tabla(formato="ODS", filas=filas.filas)


def _es_ods(contenido: bytes) -> bool:
    """ODF puts an uncompressed «mimetype» entry first in the zip, so the type shows in the first
    bytes even of a damaged file; a zip written otherwise is asked through its directory."""
    if contenido[30:38] == b"mimetype" and contenido[38:38 + len(_ODS_MIME)] == _ODS_MIME:
        return True
    try:
        with zipfile.ZipFile(io.BytesIO(contenido)) as archivo:
            return archivo.read("mimetype").strip() == _ODS_MIME
    except (zipfile.BadZipFile, KeyError, OSError):
        return False


def tabla_leer(contenido: bytes, *, max_bytes: int, max_filas: int, filas_extra: int = 0,
               max_columnas: int | None = None) -> Tabla:
    """Bytes of an uploaded CSV, XLSX or ODS file to a table, by what the bytes are (not the name).
    ``filas_extra`` rows are allowed past ``max_filas`` for lines above the header. Raises
    ErrorDominio with a Spanish message."""
    if len(contenido) > max_bytes:
        raise ErrorDominio(_("El archivo excede %(n)s MB.") % {"n": max_bytes // _MIB})
    if not contenido.strip():
        raise ErrorDominio(_("El archivo está vacío."))
    filas = _Acumulador(max_filas=max_filas, filas_extra=filas_extra, max_columnas=max_columnas)
    if contenido[:4] == _ZIP:
        return _leer_ods(contenido, filas) if _es_ods(contenido) else _leer_xlsx(contenido, filas)
    if contenido[:8] == _OLE2:
        raise ErrorDominio(_("Los archivos .xls (Excel 97-2003) no se admiten; guárdelo como .xlsx o .csv."))
    texto, codificacion = decodificar(contenido)
    return tabla_de_texto(texto, formato=f"CSV ({codificacion})", max_filas=max_filas, filas_extra=filas_extra,
                          max_columnas=max_columnas)


# --- preview ---------------------------------------------------------------------------------


@dataclass(kw_only=True)
class FilaImportada:
    """One data row and what confirming would do with it."""

    linea: int
    nombre: str = ""
    accion: str = ""
    errores: list[str] = field(default_factory=list)


@dataclass(kw_only=True)
class VistaPreviaImportacion:
    """What confirming would do, row by row. Subclasses name their outcomes and say what counts
    as a write; ``templates/core/vista_previa_importacion.html`` shows it."""

    filas: list = field(default_factory=list)
    errores_archivo: list[str] = field(default_factory=list)
    # Whether staff may confirm leaving out the rows with errors.
    omitir_errores_permitido: ClassVar[bool] = False

    def _de(self, *acciones) -> list:
        return [f for f in self.filas if f.accion in acciones]

    @property
    def con_error(self) -> list:
        return self._de(ERROR)

    @property
    def por_escribir(self) -> int:
        raise NotImplementedError

    @property
    def valida(self) -> bool:
        """Whether confirming would write something with no error anywhere."""
        return not self.errores_archivo and not self.con_error and self.por_escribir > 0

    @property
    def valida_omitiendo_errores(self) -> bool:
        return self.omitir_errores_permitido and not self.errores_archivo and self.por_escribir > 0


# --- between the two steps -------------------------------------------------------------------


def huella(texto: str) -> str:
    return hashlib.sha256(texto.encode("utf-8")).hexdigest()


class BorradorImportacion:
    """The uploaded file between preview and confirmation, kept in the session (never on disk)
    with a fingerprint that the confirmation form sends back: a form left open from an earlier
    upload cannot confirm another file."""

    def __init__(self, session, clave: str):
        self.session, self.clave = session, clave

    def guardar(self, *, nombre: str, contenido: str, **datos) -> str:
        """Keep ``datos`` (JSON-safe) under a fingerprint of ``contenido``; returns the fingerprint."""
        firma = huella(contenido)
        self.session[self.clave] = {**datos, "huella": firma, "nombre": nombre[:200]}
        return firma

    def leer(self, firma: str | None, **esperado) -> dict | None:
        """What was kept, if the fingerprint matches and every ``esperado`` value is the kept one."""
        guardado = self.session.get(self.clave)
        if not guardado or any(guardado.get(k) != v for k, v in esperado.items()) or firma != guardado.get("huella"):
            return None
        return guardado

    def descartar(self) -> None:
        self.session.pop(self.clave, None)
