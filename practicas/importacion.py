"""CSV import of the sujetos obligados catalogue: a preview that writes nothing, then an
all-or-nothing write.

Columns: nombre, orden, tipo (required); siglas, municipio_cvegeo, activo (optional; the
municipality is required when orden is municipal). Rows match existing bodies by name within
the entity, ignoring case and repeated spaces. UTF-8 (with or without BOM) is read first and
Latin-1 (what Excel often saves in Mexico) is the fallback."""

import csv
import io
import unicodedata
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from core.errors import ErrorDominio

from .models import Municipio, SujetoObligado

COLUMNAS_REQUERIDAS = ("nombre", "orden", "tipo")
COLUMNAS_OPCIONALES = ("siglas", "municipio_cvegeo", "activo")
MAX_BYTES = 2 * 1024 * 1024
MAX_FILAS = 5000

NUEVO, ACTUALIZADO, SIN_CAMBIOS, ERROR = "nuevo", "actualizado", "sin_cambios", "error"

VERDADEROS = {"si", "sí", "s", "true", "verdadero", "1", "x", "activo"}
FALSOS = {"no", "n", "false", "falso", "0", "inactivo"}


def _normalizar(texto: str) -> str:
    """Lower case, no accents, single spaces: how people write the same name differently."""
    texto = unicodedata.normalize("NFKD", texto or "")
    texto = "".join(c for c in texto if not unicodedata.combining(c))
    return " ".join(texto.split()).casefold()


def _clave_nombre(nombre: str) -> str:
    return " ".join((nombre or "").split()).casefold()


def _opciones(choices) -> dict:
    """Accept the stored value or the label, in any case and with or without accents."""
    mapa = {}
    for valor, etiqueta in choices:
        mapa[_normalizar(valor)] = valor
        mapa[_normalizar(str(etiqueta))] = valor
    return mapa


@dataclass
class Fila:
    linea: int
    nombre: str
    accion: str = NUEVO
    errores: list[str] = field(default_factory=list)
    cambios: list[str] = field(default_factory=list)
    valores: dict = field(default_factory=dict)
    sujeto: SujetoObligado | None = None


@dataclass
class VistaPrevia:
    codificacion: str
    entidad_clave: str
    filas: list[Fila] = field(default_factory=list)
    errores_archivo: list[str] = field(default_factory=list)

    def _de(self, accion):
        return [f for f in self.filas if f.accion == accion]

    @property
    def nuevos(self):
        return self._de(NUEVO)

    @property
    def actualizados(self):
        return self._de(ACTUALIZADO)

    @property
    def sin_cambios(self):
        return self._de(SIN_CAMBIOS)

    @property
    def con_error(self):
        return self._de(ERROR)

    @property
    def valida(self) -> bool:
        """Whether confirming would write: no error anywhere and something to do."""
        return not self.errores_archivo and not self.con_error and bool(self.nuevos or self.actualizados)


def decodificar(contenido: bytes) -> tuple[str, str]:
    """(text, encoding name shown to staff). UTF-8 with or without BOM, else Latin-1.

    Excel on Windows writes Windows-1252, Latin-1 plus curly quotes and dashes in 0x80–0x9F;
    it is tried before plain ISO-8859-1 (which decodes anything) so those come out right."""
    try:
        return contenido.decode("utf-8-sig"), "UTF-8"
    except UnicodeDecodeError:
        pass
    try:
        return contenido.decode("cp1252"), "Latin-1 (Windows-1252)"
    except UnicodeDecodeError:
        return contenido.decode("latin-1"), "Latin-1 (ISO-8859-1)"


def _dialecto(texto: str):
    muestra = texto[:4096]
    try:
        return csv.Sniffer().sniff(muestra.split("\n", 1)[0], delimiters=",;\t")
    except csv.Error:
        return csv.excel


def analizar(texto: str, *, entidad_clave: str, codificacion: str = "UTF-8") -> VistaPrevia:
    """Read the CSV and say, row by row, what confirming would do. Reads the database only."""
    vista = VistaPrevia(codificacion=codificacion, entidad_clave=entidad_clave)
    lector = csv.reader(io.StringIO(texto, newline=""), dialect=_dialecto(texto))
    try:
        encabezado = next(lector)
    except StopIteration:
        vista.errores_archivo.append(_("El archivo está vacío."))
        return vista
    except csv.Error as exc:
        vista.errores_archivo.append(_("No se pudo leer el archivo como CSV: %(e)s") % {"e": exc})
        return vista
    columnas = [_normalizar(c).replace(" ", "_") for c in encabezado]
    faltantes = [c for c in COLUMNAS_REQUERIDAS if c not in columnas]
    if faltantes:
        vista.errores_archivo.append(
            _("Faltan columnas en el encabezado (línea 1): %(c)s. Columnas esperadas: %(e)s.")
            % {"c": ", ".join(faltantes), "e": ", ".join(COLUMNAS_REQUERIDAS + COLUMNAS_OPCIONALES)}
        )
    desconocidas = [c for c in columnas if c and c not in COLUMNAS_REQUERIDAS + COLUMNAS_OPCIONALES]
    if desconocidas:
        vista.errores_archivo.append(
            _("Columnas no reconocidas en el encabezado: %(c)s.") % {"c": ", ".join(desconocidas)}
        )
    repetidas = sorted({c for c in columnas if c and columnas.count(c) > 1})
    if repetidas:
        vista.errores_archivo.append(_("Columnas repetidas: %(c)s.") % {"c": ", ".join(repetidas)})
    if vista.errores_archivo:
        return vista

    crudas = []
    try:
        for registro in lector:
            if not any(celda.strip() for celda in registro):
                continue
            if len(crudas) >= MAX_FILAS:
                vista.errores_archivo.append(_("El archivo tiene más de %(n)s filas.") % {"n": MAX_FILAS})
                return vista
            crudas.append((lector.line_num, registro))
    except csv.Error as exc:
        vista.errores_archivo.append(
            _("Línea %(l)s: no se pudo leer como CSV (%(e)s).") % {"l": lector.line_num, "e": exc}
        )
        return vista
    if not crudas:
        vista.errores_archivo.append(_("El archivo no tiene filas de datos."))
        return vista

    # Everything the rows refer to, in two queries.
    existentes = {_clave_nombre(s.nombre): s for s in SujetoObligado.objects.filter(entidad_clave=entidad_clave)}
    claves_mun = set()
    for _linea, registro in crudas:
        datos = dict(zip(columnas, registro, strict=False))
        claves_mun.add(_cvegeo(datos.get("municipio_cvegeo", "")))
    municipios = Municipio.objects.in_bulk([c for c in claves_mun if c])

    ordenes = _opciones(SujetoObligado.Orden.choices)
    tipos = _opciones(SujetoObligado.Tipo.choices)
    vistos: dict[str, int] = {}
    for linea, registro in crudas:
        vista.filas.append(
            _analizar_fila(linea, registro, columnas, existentes, municipios, ordenes, tipos, vistos, entidad_clave)
        )
    return vista


def _cvegeo(valor: str) -> str:
    valor = (valor or "").strip()
    # Spreadsheets drop the leading zero of entities 01–09.
    if valor.isdigit() and len(valor) == 4:
        valor = valor.zfill(5)
    return valor


def _analizar_fila(linea, registro, columnas, existentes, municipios, ordenes, tipos, vistos, entidad_clave):
    if len(registro) > len(columnas):
        fila = Fila(linea=linea, nombre=(registro[0] if registro else "").strip(), accion=ERROR)
        fila.errores.append(
            _("La fila tiene %(r)s columnas y el encabezado %(c)s.") % {"r": len(registro), "c": len(columnas)}
        )
        return fila
    datos = {c: (v or "").strip() for c, v in zip(columnas, registro, strict=False)}
    nombre = " ".join(datos.get("nombre", "").split())
    fila = Fila(linea=linea, nombre=nombre)
    errores = fila.errores
    valores = {}

    max_nombre = SujetoObligado._meta.get_field("nombre").max_length
    if not nombre:
        errores.append(_("Falta el nombre."))
    elif len(nombre) > max_nombre:
        errores.append(_("El nombre excede %(n)s caracteres.") % {"n": max_nombre})
    else:
        clave = _clave_nombre(nombre)
        if clave in vistos:
            errores.append(_("El sujeto obligado se repite; ya aparece en la línea %(l)s.") % {"l": vistos[clave]})
        else:
            vistos[clave] = linea
        valores["nombre"] = nombre

    orden = ordenes.get(_normalizar(datos.get("orden", "")))
    if orden is None:
        errores.append(
            _("Orden «%(v)s» no válido; use: %(o)s.")
            % {"v": datos.get("orden", ""), "o": ", ".join(SujetoObligado.Orden.values)}
        )
    else:
        valores["orden"] = orden

    tipo = tipos.get(_normalizar(datos.get("tipo", "")))
    if tipo is None:
        errores.append(
            _("Tipo «%(v)s» no válido; use: %(o)s.")
            % {"v": datos.get("tipo", ""), "o": ", ".join(SujetoObligado.Tipo.values)}
        )
    else:
        valores["tipo"] = tipo

    if "siglas" in datos:
        max_siglas = SujetoObligado._meta.get_field("siglas").max_length
        if len(datos["siglas"]) > max_siglas:
            errores.append(_("Las siglas exceden %(n)s caracteres.") % {"n": max_siglas})
        else:
            valores["siglas"] = datos["siglas"]

    if "municipio_cvegeo" in datos or orden == SujetoObligado.Orden.MUNICIPAL:
        clave_mun = _cvegeo(datos.get("municipio_cvegeo", ""))
        if not clave_mun:
            if orden == SujetoObligado.Orden.MUNICIPAL:
                errores.append(_("Un sujeto obligado municipal necesita municipio_cvegeo."))
            else:
                valores["municipio"] = None
        elif clave_mun not in municipios:
            errores.append(_("No existe el municipio con clave %(c)s.") % {"c": clave_mun})
        elif municipios[clave_mun].entidad_clave != entidad_clave:
            errores.append(
                _("El municipio %(m)s no pertenece a la entidad %(e)s.") % {"m": municipios[clave_mun], "e": entidad_clave}
            )
        else:
            valores["municipio"] = municipios[clave_mun]

    if "activo" in datos:
        activo = _normalizar(datos["activo"])
        if not activo or activo in VERDADEROS:
            valores["activo"] = True
        elif activo in FALSOS:
            valores["activo"] = False
        else:
            errores.append(_("Activo «%(v)s» no válido; use sí o no.") % {"v": datos["activo"]})

    fila.valores = valores
    if errores:
        fila.accion = ERROR
        return fila

    sujeto = existentes.get(_clave_nombre(nombre))
    fila.sujeto = sujeto
    if sujeto is None:
        fila.accion = NUEVO
        return fila
    for campo, valor in valores.items():
        actual = sujeto.municipio_id if campo == "municipio" else getattr(sujeto, campo)
        nuevo = valor.pk if campo == "municipio" and valor is not None else valor
        if actual != nuevo:
            fila.cambios.append(str(SujetoObligado._meta.get_field(campo).verbose_name))
    fila.accion = ACTUALIZADO if fila.cambios else SIN_CAMBIOS
    return fila


@transaction.atomic
def sujetos_importar(*, texto: str, entidad_clave: str, usuario, codificacion: str = "UTF-8") -> VistaPrevia:
    """Write the catalogue from the CSV, all or nothing. The file is analysed again here, against
    the database as it is now, so a preview that went stale cannot write half a file."""
    vista = analizar(texto, entidad_clave=entidad_clave, codificacion=codificacion)
    if vista.errores_archivo or vista.con_error:
        raise ErrorDominio(
            _("El archivo tiene errores; no se guardó nada. Corríjalos y vuelva a subirlo.")
        )
    for fila in vista.filas:
        if fila.accion == SIN_CAMBIOS:
            continue
        sujeto = fila.sujeto or SujetoObligado(entidad_clave=entidad_clave)
        for campo, valor in fila.valores.items():
            setattr(sujeto, campo, valor)
        sujeto._history_user = usuario
        try:
            sujeto.full_clean()
            sujeto.save()
        except (ValidationError, IntegrityError) as exc:
            mensaje = "; ".join(getattr(exc, "messages", [])) or str(exc)
            raise ErrorDominio(
                _("Línea %(l)s: %(m)s. No se guardó nada.") % {"l": fila.linea, "m": mensaje}
            ) from exc
    return vista

