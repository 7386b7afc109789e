"""Import of a session's attendance: the sign-in sheet or the video-call attendance report, as
CSV, XLSX or ODS. A preview that writes nothing, then an all-or-nothing write.

Columns (any order, aliases accepted so Zoom and Teams reports work as downloaded, in English or
Spanish): nombre, correo, sujeto obligado (optional; matched by name or acronym ignoring accents and
case), cargo (optional), and from the reports the time in the meeting and the role. The header may
come after a few summary lines (Zoom's meeting block, Teams' "1. Summary"); the data ends where the
next section starts (Teams' "3. In-Meeting Activities" repeats every person). Whoever ran the
meeting is skipped: Teams' organiser by its role, Zoom's host by the e-mail of its meeting block.
An optional minimum of minutes skips whoever stayed less (a person's joins added up).
Reading and decoding (UTF-8 with or without BOM, UTF-16 as Teams writes, Windows-1252/Latin-1)
and the preview's frame are core.tabular's.

The file is kept between the two steps as a plain table, [[line, [cells…]], …], which is what
the view stores in the session; nothing is written to disk."""

import re
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from core import tabular
from core.errors import ErrorDominio
from core.tabular import ERROR, normalizar
from practicas.models import SujetoObligado

from .models import Jornada, Participante, Registro

MAX_BYTES = 5 * 1024 * 1024
MAX_FILAS = 5000
MAX_COLUMNAS = 60
LINEAS_BUSCAR_ENCABEZADO = 30

# Row outcomes.
NUEVO = "nuevo"            # new person, new registration, attended
INSCRIBIR = "inscribir"    # known person (other sessions), new registration here, attended
COINCIDE = "coincide"      # registered here: will be marked as attended
SIN_CAMBIOS = "sin_cambios"  # registered here and already marked
DUPLICADO = "duplicado"    # the same e-mail earlier in the file: ignored
OMITIDO = "omitido"        # who ran the meeting, or stayed less than the minimum: not imported

ALIAS = {
    "nombre": {"nombre", "nombre completo", "nombre (nombre original)", "nombre original", "name", "full name",
               "name (original name)", "display name", "nombre para mostrar",
               "participante", "nombre del participante", "asistente", "nombre y apellidos"},
    "correo": {"correo", "correo electronico", "email", "e-mail", "e mail", "correo electronico del usuario",
               "user email", "email address", "direccion de correo electronico", "mail", "correo institucional"},
    "sujeto": {"sujeto obligado", "sujeto", "institucion", "dependencia", "organizacion", "organismo",
               "ayuntamiento", "organization", "entidad publica", "institucion o dependencia"},
    "cargo": {"cargo", "puesto", "position", "job title", "cargo o puesto", "area"},
    "duracion": {"duration (minutes)", "duracion (minutos)", "duration", "duracion", "in-meeting duration",
                 "duracion en la reunion", "duracion de la reunion", "tiempo en la reunion", "minutos"},
    "rol": {"role", "rol", "participant role", "rol del participante"},
}
# Teams' roles of whoever ran the meeting (English and Spanish; Zoom's host is found by its e-mail).
ROLES_ORGANIZADOR = {"organizer", "organiser", "organizador", "organizadora", "host", "anfitrion", "co-host",
                     "coanfitrion", "co-organizer", "coorganizador"}
# Zoom's meeting block, above the participants: its user e-mail is the host's.
ALIAS_REUNION = {"reunion": {"meeting id", "id de reunion", "id de la reunion"},
                 "correo": {"user email", "correo electronico del usuario", "host email",
                            "correo electronico del anfitrion"}}
_SECCION = re.compile(r"^\d+\.\s+\S")  # "3. In-Meeting Activities", "3. Actividades de la reunión"
_DURACION_PARTES = re.compile(r"(\d+(?:[.,]\d+)?)\s*(h|hr|hrs|hora|horas|m|min|mins|minuto|minutos|s|seg|sec|segundos?)\b")
REQUERIDAS = {"nombre", "correo"}
# The aliases of the required columns, normalised once (checked against every data row).
_REQUERIDAS_NORMALIZADAS = {c: {normalizar(a) for a in ALIAS[c]} for c in REQUERIDAS}


# --- reading ---------------------------------------------------------------------------------


def leer_archivo(nombre: str, contenido: bytes) -> tabular.Tabla:
    """Bytes of an uploaded file to a table. Raises ErrorDominio with a Spanish message."""
    return tabular.tabla_leer(contenido, max_bytes=MAX_BYTES, max_filas=MAX_FILAS,
                              filas_extra=LINEAS_BUSCAR_ENCABEZADO, max_columnas=MAX_COLUMNAS)


# --- analysis --------------------------------------------------------------------------------


@dataclass(kw_only=True)
class Fila(tabular.FilaImportada):
    accion: str = NUEVO
    correo: str = ""
    sujeto_texto: str = ""
    cargo: str = ""
    sujeto: SujetoObligado | None = None
    duplicado_de: int | None = None
    participante: Participante | None = None
    registro_id: int | None = None
    minutos: float | None = None
    motivo_omision: str = ""

    @property
    def sujeto_desconocido(self) -> bool:
        return bool(self.sujeto_texto) and self.sujeto is None


@dataclass(kw_only=True)
class VistaPrevia(tabular.VistaPreviaImportacion):
    formato: str
    linea_encabezado: int | None = None
    minimo_minutos: int | None = None
    omitir_errores_permitido = True

    @property
    def nuevos(self):
        return self._de(NUEVO)

    @property
    def inscribir(self):
        return self._de(INSCRIBIR)

    @property
    def coincidentes(self):
        return self._de(COINCIDE, SIN_CAMBIOS)

    @property
    def a_marcar(self):
        return self._de(COINCIDE)

    @property
    def sin_cambios(self):
        return self._de(SIN_CAMBIOS)

    @property
    def duplicados(self):
        return self._de(DUPLICADO)

    @property
    def omitidos(self):
        return self._de(OMITIDO)

    @property
    def sujetos_desconocidos(self):
        """Valid rows whose body was not recognised (imported without a body)."""
        return [f for f in self.filas if f.accion not in (ERROR, DUPLICADO) and f.sujeto_desconocido]

    @property
    def por_escribir(self) -> int:
        return len(self.nuevos) + len(self.inscribir) + len(self.a_marcar)


def _catalogo_sujetos(jornada: Jornada) -> dict:
    """normalised name or acronym -> body, within the authority's entity."""
    qs = SujetoObligado.objects.all()
    entidad = jornada.autoridad.entidad_clave
    if entidad:
        qs = qs.filter(entidad_clave=entidad)
    por_nombre, por_siglas = {}, {}
    for s in qs.only("pk", "nombre", "siglas", "orden"):
        por_nombre.setdefault(normalizar(s.nombre), s)
        if s.siglas:
            por_siglas.setdefault(normalizar(s.siglas), []).append(s)
    for siglas, lista in por_siglas.items():
        if len(lista) == 1:
            por_nombre.setdefault(siglas, lista[0])
    return por_nombre


def _en_bloques(valores, n=500):
    valores = list(valores)
    for i in range(0, len(valores), n):
        yield valores[i:i + n]


def duracion_minutos(texto: str) -> float | None:
    """Minutes in a report's duration cell: Zoom's «118», Teams' «1h 58m 3s» or «1 h 2 min», a clock
    «01:58:03» or «58:03». None when it says nothing readable."""
    texto = normalizar(texto)
    if not texto:
        return None
    if re.fullmatch(r"\d+(?:[.,]\d+)?", texto):
        return float(texto.replace(",", "."))
    if re.fullmatch(r"\d+(?::\d{1,2}){1,2}", texto):
        partes = [int(p) for p in texto.split(":")]
        if len(partes) == 2:
            partes.insert(0, 0)
        return partes[0] * 60 + partes[1] + partes[2] / 60
    total, visto = 0.0, False
    for numero, unidad in _DURACION_PARTES.findall(texto):
        valor = float(numero.replace(",", "."))
        total += valor * 60 if unidad.startswith("h") else valor / 60 if unidad.startswith("s") else valor
        visto = True
    return total if visto else None


def _anfitriones(filas: list) -> set[str]:
    """The e-mails of Zoom's meeting block (its "User Email" is the host's), above the header."""
    correos = set()
    for i, (_linea, celdas) in enumerate(filas[:-1]):
        columnas = tabular.columnas_por_alias(celdas, ALIAS_REUNION)
        if {"reunion", "correo"} <= columnas.keys():
            valores = filas[i + 1][1]
            if columnas["correo"] < len(valores) and valores[columnas["correo"]].strip():
                correos.add(valores[columnas["correo"]].strip().lower())
    return correos


def _fin_de_seccion(celdas: list[str]) -> bool:
    """The next section of a report begins: a numbered title alone on its line, or a header again."""
    llenas = [c for c in celdas if str(c).strip()]
    if len(llenas) == 1 and _SECCION.match(str(llenas[0]).strip()):
        return True
    claves = {normalizar(c) for c in llenas}
    return all(claves & alias for alias in _REQUERIDAS_NORMALIZADAS.values())


def analizar(tabla: dict, *, jornada: Jornada) -> VistaPrevia:
    """Say, row by row, what confirming would do. Reads the database only. The table may carry
    ``minimo_minutos`` (staff's choice at upload): who stayed less is skipped."""
    minimo = tabla.get("minimo_minutos")
    vista = VistaPrevia(formato=tabla.get("formato", ""), minimo_minutos=minimo)
    filas = tabla.get("filas") or []
    encontrado = tabular.encabezado_buscar(filas, ALIAS, requeridas=REQUERIDAS, lineas=LINEAS_BUSCAR_ENCABEZADO)
    if encontrado is None:
        vista.errores_archivo.append(
            _("No se encontró el encabezado: el archivo necesita al menos las columnas «nombre» y «correo» "
              "(también «sujeto obligado» y «cargo», opcionales).")
        )
        return vista
    i, columnas = encontrado
    vista.linea_encabezado = filas[i][0]
    anfitriones = _anfitriones(filas[:i])
    datos = []
    for fila_datos in filas[i + 1:]:
        if _fin_de_seccion(fila_datos[1]):
            break
        datos.append(fila_datos)
    if not datos:
        vista.errores_archivo.append(_("El archivo no tiene filas de datos."))
        return vista
    if len(datos) > MAX_FILAS:
        vista.errores_archivo.append(_("El archivo tiene más de %(n)s filas.") % {"n": MAX_FILAS})
        return vista

    max_nombre = Participante._meta.get_field("nombre").max_length
    max_cargo = Participante._meta.get_field("cargo").max_length
    sujetos = _catalogo_sujetos(jornada)
    vistos: dict[str, Fila] = {}
    for linea, celdas in datos:
        def celda(clave, celdas=celdas):
            i = columnas.get(clave)
            return " ".join(celdas[i].split()) if i is not None and i < len(celdas) else ""

        fila = Fila(linea=linea, nombre=celda("nombre"), correo=celda("correo").lower(),
                    sujeto_texto=celda("sujeto"), cargo=celda("cargo"), minutos=duracion_minutos(celda("duracion")))
        if normalizar(celda("rol")) in ROLES_ORGANIZADOR or (fila.correo and fila.correo in anfitriones):
            fila.accion, fila.motivo_omision = OMITIDO, _("Organizó la reunión.")
            vista.filas.append(fila)
            continue
        if not fila.nombre:
            fila.errores.append(_("Falta el nombre."))
        elif len(fila.nombre) > max_nombre:
            fila.errores.append(_("El nombre excede %(n)s caracteres.") % {"n": max_nombre})
        if len(fila.cargo) > max_cargo:
            fila.errores.append(_("El cargo excede %(n)s caracteres.") % {"n": max_cargo})
        if not fila.correo:
            fila.errores.append(_("Falta el correo electrónico."))
        else:
            try:
                validate_email(fila.correo)
            except ValidationError:
                fila.errores.append(_("El correo «%(c)s» no es válido.") % {"c": fila.correo})
        if fila.sujeto_texto:
            fila.sujeto = sujetos.get(normalizar(fila.sujeto_texto))
        if fila.errores:
            fila.accion = ERROR
        elif fila.correo in vistos:
            fila.accion = DUPLICADO
            fila.duplicado_de = vistos[fila.correo].linea
            primera = vistos[fila.correo]
            if fila.minutos is not None:  # another join of the same person: the time adds up
                primera.minutos = (primera.minutos or 0) + fila.minutos
        else:
            vistos[fila.correo] = fila
        vista.filas.append(fila)

    if minimo:
        for fila in vistos.values():
            if fila.minutos is not None and fila.minutos < minimo:
                fila.accion = OMITIDO
                fila.motivo_omision = _("Estuvo %(m)s min, menos de los %(n)s que se piden.") % {
                    "m": f"{fila.minutos:.0f}", "n": minimo}

    # Who is known and who is registered here, in a few queries.
    validas = [f for f in vista.filas if f.accion == NUEVO]
    conocidos = {}
    for bloque in _en_bloques({f.correo for f in validas}):
        for p in Participante.objects.annotate(correo_min=Lower("correo")).filter(correo_min__in=bloque):
            conocidos[p.correo_min] = p
    registros = {r.participante_id: r for r in Registro.objects.filter(
        jornada=jornada, participante_id__in=[p.pk for p in conocidos.values()]
    ).only("pk", "participante_id", "asistio")}
    for f in validas:
        f.participante = conocidos.get(f.correo)
        if f.participante is None:
            continue
        registro = registros.get(f.participante.pk)
        if registro is None:
            f.accion = INSCRIBIR
        else:
            f.registro_id = registro.pk
            f.accion = SIN_CAMBIOS if registro.asistio else COINCIDE
    return vista


# --- writing ---------------------------------------------------------------------------------


@transaction.atomic
def asistencia_importar(*, jornada: Jornada, tabla: dict, usuario, omitir_errores: bool = False) -> VistaPrevia:
    """Register and mark as attended everyone in the file, all or nothing. The table is analysed
    again here, with the session row locked, so a preview that went stale cannot write half a file.
    Rows with errors stop the import unless omitir_errores (then they are skipped, explicitly)."""
    jornada = Jornada.objects.select_for_update(of=("self",)).select_related("autoridad").get(pk=jornada.pk)
    jornada.verificar_comenzada(_("la asistencia se registra"))
    vista = analizar(tabla, jornada=jornada)
    if vista.errores_archivo:
        raise ErrorDominio(" ".join(vista.errores_archivo))
    if vista.con_error and not omitir_errores:
        raise ErrorDominio(_("El archivo tiene filas con errores; no se guardó nada. Corríjalas y vuelva a "
                             "subirlo, o confirme que se omitan."))
    if not vista.por_escribir:
        raise ErrorDominio(_("El archivo no tiene nada nuevo que guardar."))
    ahora = timezone.now()

    nuevos = [Participante(nombre=f.nombre, correo=f.correo, sujeto=f.sujeto, cargo=f.cargo) for f in vista.nuevos]
    try:
        with transaction.atomic():
            Participante.objects.bulk_create(nuevos, batch_size=500)
    except IntegrityError as exc:
        raise ErrorDominio(_("Otra persona registró a alguno de estos participantes mientras tanto; "
                             "vuelva a subir el archivo.")) from exc
    if nuevos and nuevos[0].pk is None:  # backends that do not return ids
        ids = dict(Participante.objects.filter(correo__in=[p.correo for p in nuevos]).values_list("correo", "pk"))
        for p in nuevos:
            p.pk = ids[p.correo]
    for f, p in zip(vista.nuevos, nuevos, strict=True):
        f.participante = p

    # Known people: fill a blank body or position from the file, never overwrite.
    completar = []
    for f in vista.inscribir + vista.a_marcar:
        p = f.participante
        cambio = False
        if p.sujeto_id is None and f.sujeto is not None:
            p.sujeto, cambio = f.sujeto, True
        if not p.cargo and f.cargo:
            p.cargo, cambio = f.cargo, True
        if cambio:
            completar.append(p)
    if completar:
        Participante.objects.bulk_update(completar, ["sujeto", "cargo"], batch_size=500)

    crear = [Registro(jornada=jornada, participante=f.participante, canal=Registro.Canal.IMPORTACION,
                      asistio=True, asistencia_marcada_en=ahora) for f in vista.nuevos + vista.inscribir]
    try:
        with transaction.atomic():
            bulk_create_with_history(crear, Registro, batch_size=500, default_user=usuario)
    except IntegrityError as exc:
        raise ErrorDominio(_("Alguno de estos participantes se registró mientras tanto; vuelva a subir el "
                             "archivo.")) from exc
    marcar = list(Registro.objects.filter(pk__in=[f.registro_id for f in vista.a_marcar]))
    for r in marcar:
        r.asistio = True
        r.asistencia_marcada_en = ahora
    if marcar:
        bulk_update_with_history(marcar, Registro, ["asistio", "asistencia_marcada_en"], batch_size=500,
                                 default_user=usuario)
    return vista
