"""CSV import of the sujetos obligados catalogue: a preview that writes nothing, then an
all-or-nothing write.

Columns: nombre, orden, tipo (required); siglas, municipio_cvegeo, activo (optional; the
municipality is required when orden is municipal). Rows match existing bodies by name within
the entity, ignoring case and repeated spaces. Reading, decoding (UTF-8 with or without BOM,
UTF-16, Latin-1 as Excel saves it in Mexico) and the preview's frame are core.tabular's."""

from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from core import tabular
from core.errors import ErrorDominio
from core.tabular import ERROR

from .models import Municipio, SujetoObligado

COLUMNAS_REQUERIDAS = ("nombre", "orden", "tipo")
COLUMNAS_OPCIONALES = ("siglas", "municipio_cvegeo", "activo")
MAX_BYTES = 2 * 1024 * 1024
MAX_FILAS = 5000

NUEVO, ACTUALIZADO, SIN_CAMBIOS = "nuevo", "actualizado", "sin_cambios"

VERDADEROS = {"si", "sí", "s", "true", "verdadero", "1", "x", "activo"}
FALSOS = {"no", "n", "false", "falso", "0", "inactivo"}


# The upload's bytes to text; the view keeps the text in the session between the two steps.
decodificar = tabular.decodificar


def _clave_nombre(nombre: str) -> str:
    return " ".join((nombre or "").split()).casefold()


def _opciones(choices) -> dict:
    """Accept the stored value or the label, in any case and with or without accents."""
    mapa = {}
    for valor, etiqueta in choices:
        mapa[tabular.normalizar(valor)] = valor
        mapa[tabular.normalizar(str(etiqueta))] = valor
    return mapa


@dataclass(kw_only=True)
class Fila(tabular.FilaImportada):
    accion: str = NUEVO
    cambios: list[str] = field(default_factory=list)
    valores: dict = field(default_factory=dict)
    sujeto: SujetoObligado | None = None


@dataclass(kw_only=True)
class VistaPrevia(tabular.VistaPreviaImportacion):
    codificacion: str
    entidad_clave: str

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
    def por_escribir(self) -> int:
        return len(self.nuevos) + len(self.actualizados)


def analizar(texto: str, *, entidad_clave: str, codificacion: str = "UTF-8") -> VistaPrevia:
    """Read the CSV and say, row by row, what confirming would do. Reads the database only."""
    vista = VistaPrevia(codificacion=codificacion, entidad_clave=entidad_clave)
    try:
        # The header is line 1, so its separator is the file's.
        tabla = tabular.tabla_de_texto(texto, separador=tabular.delimitador(texto[:4096].split("\n", 1)[0]),
                                       max_filas=MAX_FILAS)
    except ErrorDominio as exc:
        vista.errores_archivo.append(exc.mensaje)
        return vista
    if not tabla.filas:
        vista.errores_archivo.append(_("El archivo está vacío."))
        return vista
    (_linea, encabezado), *crudas = tabla.filas
    columnas = [tabular.columna_clave(c) for c in encabezado]
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

    orden = ordenes.get(tabular.normalizar(datos.get("orden", "")))
    if orden is None:
        errores.append(
            _("Orden «%(v)s» no válido; use: %(o)s.")
            % {"v": datos.get("orden", ""), "o": ", ".join(SujetoObligado.Orden.values)}
        )
    else:
        valores["orden"] = orden

    tipo = tipos.get(tabular.normalizar(datos.get("tipo", "")))
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
        activo = tabular.normalizar(datos["activo"])
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

