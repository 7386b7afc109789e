"""Backups and the restore drill (`manage.py respaldar` / `manage.py restaurar`, `make respaldo` /
`make restaurar`).

A backup is one folder under RESPALDO_DIR, named after its UTC start (respaldo-20260102T090000Z):

    base.dump | base.sqlite3   the database: pg_dump's custom format on PostgreSQL, SQLite's online
                               backup API (sqlite3.Connection.backup) on SQLite
    privado/...                a copy of PRIVATE_MEDIA_ROOT (supports, generated PDFs)
    publico/...                a copy of MEDIA_ROOT (logos)
    manifiesto.json            every file with its SHA-256 and size, the dump's SHA-256, the row count
                               of every table, the app version and the time

The folder is written as `<name>.incompleto` and renamed once the manifest is in it, so a backup cut
short is never taken for the latest. On PostgreSQL the row counts come from the very snapshot pg_dump
dumps (pg_export_snapshot + pg_dump --snapshot), so they match the dump even while the portal writes.
The database is dumped before the files are copied: a row in the dump finds its file unless the file
was deleted in between (those rows are listed in the manifest, `referencias_con_problemas`).

Restoring checks every SHA-256 first and refuses a damaged backup naming the file, refuses a target
database that has tables or a storage folder that has files (unless forzar), restores, then compares
the row counts table by table and checks that every row's file is there with the SHA-256 the row
records. Messages are Spanish: they are read by whoever runs the commands.

pg_dump/pg_restore are called directly rather than through django-dbbackup: its media backup covers
the default storage only (not PRIVATE_MEDIA_ROOT), it writes no manifest, row counts or hashes, and its
SQLite restore overwrites the file named in the settings (the in-memory test database has none).
"""

import copy
import hashlib
import json
import os
import re
import shutil
import sqlite3
import subprocess
import tomllib
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import environ
from django.apps import apps
from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.db import DEFAULT_DB_ALIAS, connections, models
from django.db.backends.postgresql.client import DatabaseClient as ClientePostgres
from django.db.utils import load_backend
from django.utils import timezone
from simple_history.models import HistoricalChanges

from .storage import PrivateStorage

FORMATO = 1
MANIFIESTO = "manifiesto.json"
PREFIJO = "respaldo-"
INCOMPLETO = ".incompleto"
NOMBRE = re.compile(r"^respaldo-\d{8}T\d{6}Z(-\d+)?$")
BLOQUE = 1024 * 1024
VOLCADO = {"postgresql": "base.dump", "sqlite": "base.sqlite3"}
MOTORES = {"postgresql": "PostgreSQL", "sqlite": "SQLite"}


class ErrorRespaldo(Exception):
    """A backup or a restore refused or failed; the message is Spanish and names what to do."""


def raices_configuradas() -> dict[str, Path]:
    """The storage folders a backup copies, by their folder name inside the backup."""
    return {"privado": Path(settings.PRIVATE_MEDIA_ROOT), "publico": Path(settings.MEDIA_ROOT)}


# --- connections -------------------------------------------------------------------------------


def conexion(datos: dict, alias: str = "respaldo"):
    """A Django connection of its own for these database settings (a second connection to the same
    database, or another database altogether); the caller closes it."""
    configurados = connections.configure_settings({DEFAULT_DB_ALIAS: copy.deepcopy(datos)})[DEFAULT_DB_ALIAS]
    return load_backend(configurados["ENGINE"]).DatabaseWrapper(configurados, alias)


def datos_de_url(url: str) -> dict:
    """Database settings from a DATABASE_URL (as the settings read it)."""
    return environ.Env.db_url_config(url)


def _motor(conn) -> str:
    if conn.vendor not in VOLCADO:
        raise ErrorRespaldo(f"No se pueden respaldar bases {conn.vendor}: solo PostgreSQL y SQLite.")
    return conn.vendor


def tablas_de(conn) -> list[str]:
    with conn.cursor() as cursor:
        return sorted(conn.introspection.table_names(cursor, include_views=False))


def contar_filas(conn, cursor=None) -> dict[str, int]:
    """Row count of every table of the database behind `conn` (in `cursor`'s transaction if given)."""
    if cursor is None:
        with conn.cursor() as propio:
            return contar_filas(conn, propio)
    conteo = {}
    for tabla in sorted(conn.introspection.table_names(cursor, include_views=False)):
        cursor.execute(f"SELECT COUNT(*) FROM {conn.ops.quote_name(tabla)}")  # noqa: S608 - quoted table name
        conteo[tabla] = cursor.fetchone()[0]
    return conteo


# --- files -------------------------------------------------------------------------------------


def sha256_de(ruta: Path) -> tuple[str, int]:
    suma, tamano = hashlib.sha256(), 0
    with ruta.open("rb") as f:
        while bloque := f.read(BLOQUE):
            suma.update(bloque)
            tamano += len(bloque)
    return suma.hexdigest(), tamano


def _copiar(origen: Path, destino: Path) -> tuple[str, int]:
    """Copy one file, hashing the bytes as they are written."""
    destino.parent.mkdir(parents=True, exist_ok=True)
    suma, tamano = hashlib.sha256(), 0
    with origen.open("rb") as leer, destino.open("wb") as escribir:
        while bloque := leer.read(BLOQUE):
            suma.update(bloque)
            escribir.write(bloque)
            tamano += len(bloque)
    shutil.copystat(origen, destino)
    return suma.hexdigest(), tamano


def _archivos_de(raiz: Path):
    """Regular files under `raiz`, in a stable order, as (path, path relative to raiz)."""
    if not raiz.is_dir():
        return
    for carpeta, subcarpetas, nombres in os.walk(raiz):
        subcarpetas.sort()
        for nombre in sorted(nombres):
            ruta = Path(carpeta) / nombre
            if ruta.is_file() and not ruta.is_symlink():
                yield ruta, ruta.relative_to(raiz)


def _tiene_archivos(raiz: Path) -> bool:
    return raiz.is_dir() and any(raiz.iterdir())


def _vaciar(raiz: Path):
    if not raiz.is_dir():
        return
    for hijo in raiz.iterdir():
        if hijo.is_dir() and not hijo.is_symlink():
            shutil.rmtree(hijo)
        else:
            hijo.unlink()


# --- rows that name files ----------------------------------------------------------------------


@dataclass(frozen=True)
class Referencia:
    """A row's file: the folder of the backup it lives in, its path there and the SHA-256 the row
    records (None where the model records none)."""

    tabla: str
    id: str
    campo: str
    carpeta: str
    ruta: str
    sha256: str | None

    def describir(self, problema: str) -> dict:
        return {"tabla": self.tabla, "id": self.id, "campo": self.campo, "ruta": f"{self.carpeta}/{self.ruta}",
                "problema": problema}


def _carpeta_de(campo) -> str | None:
    almacen = campo.storage
    if isinstance(almacen, PrivateStorage):
        return "privado"
    if isinstance(almacen, FileSystemStorage):
        return "publico"
    return None  # a remote storage: not in these folders


def referencias(conn, cursor=None) -> list[Referencia]:
    """Every file a row of the database behind `conn` names (history tables aside: they keep the
    names of files replaced since)."""
    if cursor is None:
        with conn.cursor() as propio:
            return referencias(conn, propio)
    existentes = set(conn.introspection.table_names(cursor, include_views=False))
    encontradas = []
    for modelo in apps.get_models():
        opciones = modelo._meta
        if issubclass(modelo, HistoricalChanges) or opciones.proxy or not opciones.managed:
            continue
        if opciones.db_table not in existentes:
            continue
        campos = [(f, c) for f in opciones.concrete_fields if isinstance(f, models.FileField)
                  if (c := _carpeta_de(f))]
        if not campos:
            continue
        hash_campo = next((f for f in opciones.concrete_fields if f.name == "sha256"), None)
        if len(campos) != 1:
            hash_campo = None  # one recorded hash, several files: it belongs to none for sure
        columnas = [opciones.pk.column, *(f.column for f, _ in campos)]
        if hash_campo is not None:
            columnas.append(hash_campo.column)
        q = conn.ops.quote_name
        cursor.execute(f"SELECT {', '.join(q(c) for c in columnas)} FROM {q(opciones.db_table)}")  # noqa: S608
        for fila in cursor.fetchall():
            for i, (campo, carpeta) in enumerate(campos, start=1):
                if fila[i]:
                    encontradas.append(Referencia(
                        tabla=opciones.db_table, id=str(fila[0]), campo=campo.name, carpeta=carpeta, ruta=fila[i],
                        sha256=(fila[-1] or None) if hash_campo is not None else None))
    return encontradas


def _problema(ref: Referencia, sha_real: str | None) -> str | None:
    if sha_real is None:
        return "falta el archivo"
    if ref.sha256 and sha_real != ref.sha256:
        return "el SHA-256 del archivo no es el que la fila registra"
    return None


# --- the manifest ------------------------------------------------------------------------------


def version_de_la_app() -> dict:
    """The project's version and, when known, the commit (RECONOCE_COMMIT, else git)."""
    proyecto = None
    pyproject = Path(settings.BASE_DIR) / "pyproject.toml"
    if pyproject.is_file():
        proyecto = tomllib.loads(pyproject.read_text(encoding="utf-8"))["project"]["version"]
    commit = os.environ.get("RECONOCE_COMMIT") or None
    git = shutil.which("git")
    if commit is None and git and (Path(settings.BASE_DIR) / ".git").exists():
        try:
            salida = subprocess.run([git, "-C", str(settings.BASE_DIR), "rev-parse", "HEAD"],  # noqa: S603
                                    capture_output=True, text=True, timeout=10, check=True)
            commit = salida.stdout.strip() or None
        except (OSError, subprocess.SubprocessError):
            commit = None
    return {"proyecto": proyecto, "commit": commit}


def _ruta_segura(carpeta: Path, relativa: str) -> Path:
    ruta = (carpeta / relativa).resolve()
    if not ruta.is_relative_to(carpeta.resolve()):
        raise ErrorRespaldo(f"El manifiesto de {carpeta.name} nombra un archivo fuera del respaldo: «{relativa}».")
    return ruta


def verificar(carpeta: Path) -> dict:
    """Read the manifest and check the SHA-256 and size of the dump and of every file it lists.
    Raises ErrorRespaldo naming the first file that is missing or differs."""
    carpeta = Path(carpeta)
    archivo = carpeta / MANIFIESTO
    if not archivo.is_file():
        raise ErrorRespaldo(f"{carpeta} no tiene {MANIFIESTO}: no es un respaldo o quedó incompleto.")
    try:
        manifiesto = json.loads(archivo.read_text(encoding="utf-8"))
        entradas = [manifiesto["base"], *manifiesto["archivos"]]
        manifiesto["tablas"]
    except (ValueError, KeyError, TypeError) as exc:
        raise ErrorRespaldo(f"El manifiesto de {carpeta.name} está dañado ({MANIFIESTO} no se puede leer).") from exc
    if manifiesto.get("formato") != FORMATO:
        raise ErrorRespaldo(f"El respaldo {carpeta.name} tiene el formato {manifiesto.get('formato')!r}; "
                            f"esta versión lee el formato {FORMATO}.")
    for entrada in entradas:
        ruta = _ruta_segura(carpeta, entrada["ruta"])
        if not ruta.is_file():
            raise ErrorRespaldo(f"El respaldo {carpeta.name} está incompleto: falta el archivo «{entrada['ruta']}». "
                                "No se restauró nada.")
        sha, tamano = sha256_de(ruta)
        if sha != entrada["sha256"] or tamano != entrada["bytes"]:
            raise ErrorRespaldo(
                f"El respaldo {carpeta.name} está dañado: el archivo «{entrada['ruta']}» no coincide con el "
                f"manifiesto (SHA-256 esperado {entrada['sha256']}, calculado {sha}; {entrada['bytes']} bytes "
                f"esperados, {tamano} leídos). No se restauró nada.")
    return manifiesto


# --- where backups live ------------------------------------------------------------------------


def directorio_configurado() -> Path:
    return Path(settings.RESPALDO_DIR)


def completos(directorio: Path | None = None) -> list[Path]:
    """The finished backups in `directorio`, oldest first."""
    directorio = Path(directorio or directorio_configurado())
    if not directorio.is_dir():
        return []
    return sorted(p for p in directorio.iterdir()
                  if p.is_dir() and NOMBRE.match(p.name) and (p / MANIFIESTO).is_file())


def localizar(respaldo: str | Path | None = None, directorio: Path | None = None) -> Path:
    """A backup by path or by name in `directorio`; the latest one when none is named."""
    directorio = Path(directorio or directorio_configurado())
    if respaldo is None:
        hechos = completos(directorio)
        if not hechos:
            raise ErrorRespaldo(f"No hay respaldos terminados en {directorio}.")
        return hechos[-1]
    for candidato in (Path(respaldo), directorio / str(respaldo)):
        if candidato.is_dir():
            return candidato
    raise ErrorRespaldo(f"No se encontró el respaldo «{respaldo}» (ni como ruta ni en {directorio}).")


def podar(directorio: Path, conservar: int) -> list[Path]:
    """Keep the newest `conservar` finished backups and delete the older ones, with any backup
    left incomplete before the newest one; 0 keeps everything."""
    if conservar <= 0:
        return []
    hechos = completos(directorio)
    borrar = hechos[:-conservar]
    if hechos:
        borrar += sorted(p for p in Path(directorio).iterdir()
                         if p.is_dir() and p.name.endswith(INCOMPLETO)
                         and p.name.removesuffix(INCOMPLETO) < hechos[-1].name)
    for carpeta in borrar:
        shutil.rmtree(carpeta)
    return borrar


def _nombre_libre(directorio: Path, momento: datetime) -> str:
    base = PREFIJO + momento.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")
    nombre, n = base, 1
    while (directorio / nombre).exists() or (directorio / (nombre + INCOMPLETO)).exists():
        n += 1
        nombre = f"{base}-{n}"
    return nombre


# --- PostgreSQL tools --------------------------------------------------------------------------


def _herramienta(nombre: str) -> str:
    ruta = shutil.which(nombre)
    if ruta is None:
        raise ErrorRespaldo(f"No se encontró {nombre}: instale el cliente de PostgreSQL "
                            "(en Debian, apt-get install postgresql-client).")
    return ruta


def _version_mayor(ejecutable: str) -> tuple[int, str]:
    salida = subprocess.run([ejecutable, "--version"], capture_output=True, text=True, timeout=30,  # noqa: S603
                            check=True).stdout.strip()
    encontrada = re.search(r"(\d+)(?:\.\d+)*", salida)
    return (int(encontrada.group(1)) if encontrada else 0), salida


def _entorno_pg(datos: dict) -> tuple[list[str], dict]:
    """pg_dump/pg_restore's connection: --dbname, and libpq's variables for the rest (Django's own
    psql client gives the password and the OPTIONS: service, passfile, SSL)."""
    _args, extra = ClientePostgres.settings_to_cmd_args_env(datos, [])
    entorno = {**os.environ, **(extra or {})}
    for variable, clave in (("PGHOST", "HOST"), ("PGPORT", "PORT"), ("PGUSER", "USER")):
        if datos.get(clave):
            entorno[variable] = str(datos[clave])
    return ([f"--dbname={datos['NAME']}"] if datos.get("NAME") else []), entorno


def _ejecutar(argv: list[str], entorno: dict, que: str):
    resultado = subprocess.run(argv, env=entorno, capture_output=True, text=True)  # noqa: S603 - fixed argv
    if resultado.returncode != 0:
        raise ErrorRespaldo(f"{que} falló (código {resultado.returncode}): {resultado.stderr.strip()[-2000:]}")
    return resultado


# --- backing up --------------------------------------------------------------------------------


@dataclass
class Respaldo:
    carpeta: Path
    manifiesto: dict
    borrados: list[Path] = field(default_factory=list)
    avisos: list[str] = field(default_factory=list)


def _volcar_postgres(origen, destino: Path) -> tuple[dict, dict, list[Referencia]]:
    pg_dump = _herramienta("pg_dump")
    cliente, texto_version = _version_mayor(pg_dump)
    aux = conexion(origen.settings_dict, alias="respaldo_instantanea")
    try:
        aux.ensure_connection()
        servidor = aux.pg_version // 10000
        if cliente < servidor:
            raise ErrorRespaldo(
                f"pg_dump {cliente} no puede respaldar un servidor PostgreSQL {servidor}: instale el cliente "
                f"{servidor} o posterior (postgresql-client-{servidor}) o use un servidor {cliente}.")
        with aux.cursor() as cursor:
            # One snapshot for the counts, the file references and the dump.
            cursor.execute("BEGIN TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            try:
                cursor.execute("SELECT pg_export_snapshot()")
                instantanea = cursor.fetchone()[0]
                tablas = contar_filas(aux, cursor)
                refs = referencias(aux, cursor)
                base, entorno = _entorno_pg(origen.settings_dict)
                _ejecutar([pg_dump, "--format=custom", f"--snapshot={instantanea}", f"--file={destino}", *base],
                          entorno, "pg_dump")
            finally:
                cursor.execute("ROLLBACK")
    finally:
        aux.close()
    return ({"herramienta": texto_version, "servidor": f"{servidor}"}, tablas, refs)


def _volcar_sqlite(origen, destino: Path) -> tuple[dict, dict, list[Referencia]]:
    origen.ensure_connection()
    copia = sqlite3.connect(destino)
    try:
        origen.connection.backup(copia)
    finally:
        copia.close()
    lector = conexion({"ENGINE": "django.db.backends.sqlite3", "NAME": str(destino)}, alias="respaldo_copia")
    try:
        # Counted in the copy itself: it is what gets restored.
        tablas, refs = contar_filas(lector), referencias(lector)
    finally:
        lector.close()
    return ({"herramienta": f"sqlite3 {sqlite3.sqlite_version} (API de respaldo en línea)"}, tablas, refs)


def respaldar(*, directorio: Path | None = None, origen=None, raices: dict[str, Path] | None = None,
              conservar: int | None = None, ahora: datetime | None = None) -> Respaldo:
    """Back up the database behind `origen` (default: the default connection) and the storage
    folders into a new dated folder of `directorio`; then keep the newest `conservar`."""
    directorio = Path(directorio or directorio_configurado())
    origen = origen or connections[DEFAULT_DB_ALIAS]
    raices = raices or raices_configuradas()
    conservar = settings.RESPALDO_CONSERVAR if conservar is None else conservar
    momento = ahora or timezone.now()
    motor = _motor(origen)
    directorio.mkdir(parents=True, exist_ok=True)
    nombre = _nombre_libre(directorio, momento)
    temporal = directorio / (nombre + INCOMPLETO)
    temporal.mkdir(mode=0o700)
    try:
        volcado = temporal / VOLCADO[motor]
        detalle, tablas, refs = (_volcar_postgres if motor == "postgresql" else _volcar_sqlite)(origen, volcado)
        sha, tamano = sha256_de(volcado)
        archivos = []
        for carpeta, raiz in raices.items():
            for ruta, relativa in _archivos_de(Path(raiz)):
                copia_sha, copia_tamano = _copiar(ruta, temporal / carpeta / relativa)
                archivos.append({"ruta": f"{carpeta}/{relativa.as_posix()}", "sha256": copia_sha,
                                 "bytes": copia_tamano})
        copiados = {a["ruta"]: a["sha256"] for a in archivos}
        problemas = [r.describir(p) for r in refs
                     if (p := _problema(r, copiados.get(f"{r.carpeta}/{r.ruta}")))]
        manifiesto = {
            "formato": FORMATO,
            "creado_en": timezone.localtime(momento).isoformat(timespec="seconds"),
            "version": version_de_la_app(),
            "base": {"motor": motor, "ruta": volcado.name, "sha256": sha, "bytes": tamano, **detalle},
            "tablas": tablas,
            "carpetas": {carpeta: str(raiz) for carpeta, raiz in raices.items()},
            "archivos": archivos,
            "referencias_con_problemas": problemas,
        }
        (temporal / MANIFIESTO).write_text(json.dumps(manifiesto, ensure_ascii=False, indent=2), encoding="utf-8")
        carpeta = temporal.rename(directorio / nombre)
    except BaseException:
        shutil.rmtree(temporal, ignore_errors=True)
        raise
    avisos = [f"Fila {p['tabla']} #{p['id']} ({p['campo']}): {p['problema']} ({p['ruta']})." for p in problemas]
    return Respaldo(carpeta=carpeta, manifiesto=manifiesto, borrados=podar(directorio, conservar), avisos=avisos)


# --- restoring ---------------------------------------------------------------------------------


@dataclass
class Restauracion:
    carpeta: Path
    manifiesto: dict
    tablas: int
    filas: int
    archivos: int
    avisos: list[str] = field(default_factory=list)


def _restaurar_postgres(carpeta: Path, manifiesto: dict, destino, forzar: bool):
    pg_restore = _herramienta("pg_restore")
    cliente, _texto = _version_mayor(pg_restore)
    mayor = re.search(r"(\d+)", manifiesto["base"].get("herramienta", ""))
    if mayor and cliente < int(mayor.group(1)):
        raise ErrorRespaldo(f"El respaldo se hizo con «{manifiesto['base']['herramienta']}» y pg_restore es la "
                            f"versión {cliente}: instale el cliente {mayor.group(1)} o posterior.")
    volcado = carpeta / manifiesto["base"]["ruta"]
    base, entorno = _entorno_pg(destino.settings_dict)
    # The objects end up owned by the account that restores (unaccent is a trusted extension: the
    # database's owner may create it).
    argv = [pg_restore, "--exit-on-error", "--single-transaction", "--no-owner", "--no-privileges", *base]
    if forzar:
        argv += ["--clean", "--if-exists"]
    _ejecutar([*argv, str(volcado)], entorno, "pg_restore")


def _restaurar_sqlite(carpeta: Path, manifiesto: dict, destino):
    destino.ensure_connection()
    fuente = sqlite3.connect(f"file:{carpeta / manifiesto['base']['ruta']}?mode=ro", uri=True)
    try:
        fuente.backup(destino.connection)
    finally:
        fuente.close()


def restaurar(*, respaldo: str | Path | None = None, directorio: Path | None = None, destino=None,
              raices: dict[str, Path] | None = None, forzar: bool = False) -> Restauracion:
    """Restore a backup (default: the latest) into the database behind `destino` (default: the
    default connection) and the storage folders `raices` (default: the settings')."""
    carpeta = localizar(respaldo, directorio)
    manifiesto = verificar(carpeta)
    destino = destino or connections[DEFAULT_DB_ALIAS]
    raices = raices or raices_configuradas()
    motor = _motor(destino)
    if manifiesto["base"]["motor"] != motor:
        raise ErrorRespaldo(f"El respaldo {carpeta.name} es de {MOTORES[manifiesto['base']['motor']]} y la base "
                            f"destino es {MOTORES[motor]}: restáurelo en una base {MOTORES[manifiesto['base']['motor']]}.")
    nombre_base = destino.settings_dict.get("NAME")
    existentes = tablas_de(destino)
    if existentes and not forzar:
        raise ErrorRespaldo(
            f"La base destino «{nombre_base}» no está vacía: tiene {len(existentes)} tablas. Restaure en una base "
            "vacía (recién creada, sin migrar) o use --forzar para reemplazar su contenido. No se restauró nada.")
    for carpeta_destino in raices.values():
        if _tiene_archivos(Path(carpeta_destino)) and not forzar:
            raise ErrorRespaldo(
                f"La carpeta destino {carpeta_destino} no está vacía. Restaure en carpetas vacías o use --forzar "
                "para borrar su contenido. No se restauró nada.")
    if forzar:
        for carpeta_destino in raices.values():
            _vaciar(Path(carpeta_destino))

    if motor == "postgresql":
        _restaurar_postgres(carpeta, manifiesto, destino, forzar)
    else:
        _restaurar_sqlite(carpeta, manifiesto, destino)

    copiados = 0
    for entrada in manifiesto["archivos"]:
        carpeta_respaldo, _, relativa = entrada["ruta"].partition("/")
        if carpeta_respaldo not in raices:
            raise ErrorRespaldo(f"El respaldo trae la carpeta «{carpeta_respaldo}», que este portal no tiene.")
        _copiar(_ruta_segura(carpeta, entrada["ruta"]), Path(raices[carpeta_respaldo]) / relativa)
        copiados += 1

    esperadas, reales = manifiesto["tablas"], contar_filas(destino)
    diferencias = [f"{t}: {esperadas.get(t, 'no está en el respaldo')} en el respaldo, "
                   f"{reales.get(t, 'ninguna tabla')} restauradas"
                   for t in sorted(set(esperadas) | set(reales)) if esperadas.get(t) != reales.get(t)]
    if diferencias:
        raise ErrorRespaldo("La restauración no coincide con el manifiesto, tabla por tabla:\n  "
                            + "\n  ".join(diferencias))

    ya_registrados = {(p["tabla"], p["id"], p["campo"], p["ruta"]) for p in manifiesto["referencias_con_problemas"]}
    nuevos, avisos = [], []
    for ref in referencias(destino):
        ruta = Path(raices[ref.carpeta]) / ref.ruta
        problema = _problema(ref, sha256_de(ruta)[0] if ruta.is_file() else None)
        if problema is None:
            continue
        descripcion = ref.describir(problema)
        texto = f"Fila {ref.tabla} #{ref.id} ({ref.campo}): {problema} ({descripcion['ruta']})."
        if (ref.tabla, ref.id, ref.campo, descripcion["ruta"]) in ya_registrados:
            avisos.append(texto + " Ya faltaba al hacer el respaldo.")
        else:
            nuevos.append(texto)
    if nuevos:
        raise ErrorRespaldo("Tras restaurar, hay filas cuyo archivo no quedó bien:\n  " + "\n  ".join(nuevos))
    return Restauracion(carpeta=carpeta, manifiesto=manifiesto, tablas=len(reales), filas=sum(reales.values()),
                        archivos=copiados, avisos=avisos)
