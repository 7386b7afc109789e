"""Import of a session's attendance: the sign-in sheet or the video-call attendance report, as
CSV, XLSX or ODS. A preview that writes nothing, then an all-or-nothing write.

Columns (any order, aliases accepted so Zoom and Teams reports work as downloaded): nombre,
correo, sujeto obligado (optional; matched by name or acronym ignoring accents and case), cargo
(optional). The header may come after a few summary lines (Teams puts a summary first).
Reading and decoding (UTF-8 with or without BOM, UTF-16 as Teams writes, Windows-1252/Latin-1)
and the preview's frame are core.tabular's.

The file is kept between the two steps as a plain table, [[line, [cells…]], …], which is what
the view stores in the session; nothing is written to disk."""

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

ALIAS = {
    "nombre": {"nombre", "nombre completo", "nombre (nombre original)", "nombre original", "name", "full name",
               "participante", "nombre del participante", "asistente", "nombre y apellidos"},
    "correo": {"correo", "correo electronico", "email", "e-mail", "e mail", "correo electronico del usuario",
               "user email", "email address", "direccion de correo electronico", "mail", "correo institucional"},
    "sujeto": {"sujeto obligado", "sujeto", "institucion", "dependencia", "organizacion", "organismo",
               "ayuntamiento", "organization", "entidad publica", "institucion o dependencia"},
    "cargo": {"cargo", "puesto", "position", "job title", "cargo o puesto", "area"},
}
REQUERIDAS = {"nombre", "correo"}


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

    @property
    def sujeto_desconocido(self) -> bool:
        return bool(self.sujeto_texto) and self.sujeto is None


@dataclass(kw_only=True)
class VistaPrevia(tabular.VistaPreviaImportacion):
    formato: str
    linea_encabezado: int | None = None
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


def analizar(tabla: dict, *, jornada: Jornada) -> VistaPrevia:
    """Say, row by row, what confirming would do. Reads the database only."""
    vista = VistaPrevia(formato=tabla.get("formato", ""))
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
    inicio = i + 1
    datos = filas[inicio:]
    if not datos:
        vista.errores_archivo.append(_("El archivo no tiene filas de datos."))
        return vista
    if len(datos) > MAX_FILAS:
        vista.errores_archivo.append(_("El archivo tiene más de %(n)s filas.") % {"n": MAX_FILAS})
        return vista

    max_nombre = Participante._meta.get_field("nombre").max_length
    max_cargo = Participante._meta.get_field("cargo").max_length
    sujetos = _catalogo_sujetos(jornada)
    vistos: dict[str, int] = {}
    for linea, celdas in datos:
        def celda(clave, celdas=celdas):
            i = columnas.get(clave)
            return " ".join(celdas[i].split()) if i is not None and i < len(celdas) else ""

        fila = Fila(linea=linea, nombre=celda("nombre"), correo=celda("correo").lower(),
                    sujeto_texto=celda("sujeto"), cargo=celda("cargo"))
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
            fila.duplicado_de = vistos[fila.correo]
        else:
            vistos[fila.correo] = linea
        vista.filas.append(fila)

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
