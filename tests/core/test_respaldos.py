"""Backups and the restore drill (core.respaldos, manage.py respaldar / restaurar): a backup restored
into a new database and new, empty storage folders gives back every table with its rows and every
generated document and uploaded support with the very bytes its row's SHA-256 names; a damaged
backup and a target that is not empty are refused, in Spanish, before anything is written.

The PostgreSQL round trip needs the suite on PostgreSQL (DATABASE_URL) and pg_dump/pg_restore: it is
skipped with the reason otherwise, and fails instead under REQUIRE_REAL_SERVICES=1 (CI). The SQLite
round trip runs in the default SQLite run. The other tests run on whichever the suite uses."""

import hashlib
import io
import json
import shutil
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.db import connection

from core import respaldos
from core.models import ArchivoGenerado, DocumentoVerificable
from jornadas import constancias
from practicas import services as prac_services
from practicas.models import Acuse, Soporte
from tests.jornadas import builders as bj
from tests.worker import database_url, no_disponible

pytestmark = pytest.mark.django_db(transaction=True)

CSV = b"municipio,solicitudes\nMetepec,120\nToluca,340\n"
# A 1x1 transparent PNG.
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489"
    "0000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082")


# --- scenes ------------------------------------------------------------------------------------


@pytest.fixture
def soporte(practica_a, enlace_a):
    """A draft with an uploaded support (a private file) and the authority's logo (a public one)."""
    subido = prac_services.soporte_agregar_archivo(
        practica=practica_a, usuario=enlace_a, criterio=practica_a.convocatoria.criterios.get(numero=2),
        archivo=SimpleUploadedFile("solicitudes.csv", CSV, content_type="text/csv"))
    autoridad = practica_a.convocatoria.autoridad
    autoridad.logo.save("logo.png", ContentFile(PNG))
    return subido


@pytest.fixture
def documentos(soporte, practica_a, enlace_a, personal):
    """Generated documents with real files: the acuse of the sent practice and the constancias of a
    past session, each PDF rendered (tasks run eagerly) and its SHA-256 recorded."""
    prac_services.practica_enviar(practica=practica_a, usuario=enlace_a)
    constancias.constancias_emitir(usuario=personal, jornada=bj.jornada_con_asistentes(2))
    acuse = Acuse.objects.get(practica=practica_a)
    emitidos = list(DocumentoVerificable.objects.all())
    assert acuse.estado_pdf == Acuse.Estado.LISTA and acuse.sha256
    assert len(emitidos) == 2 and all(d.estado_pdf == d.EstadoPDF.LISTA and d.sha256 for d in emitidos)
    return [acuse, *emitidos]


def _exigir_postgres():
    if connection.vendor != "postgresql":
        no_disponible(f"El respaldo con pg_dump -Fc necesita PostgreSQL (DATABASE_URL); la base de pruebas es "
                      f"{connection.vendor}")
    faltan = [h for h in ("pg_dump", "pg_restore") if shutil.which(h) is None]
    if faltan:
        no_disponible(f"Faltan {', '.join(faltan)} (apt-get install postgresql-client)")


@pytest.fixture
def base_nueva(transactional_db, tmp_path):
    """A new, empty database of the suite's engine, as settings and as a DATABASE_URL: on PostgreSQL
    another database beside the test database (dropped afterwards), on SQLite a new file."""
    if connection.vendor == "postgresql":
        _exigir_postgres()
        nombre = f"{connection.settings_dict['NAME']}_restaurada"
        with connection.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{nombre}" WITH (FORCE)')
            cursor.execute(f'CREATE DATABASE "{nombre}"')
        datos = {**connection.settings_dict, "NAME": nombre}
        yield datos, database_url(datos)
        with connection.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{nombre}" WITH (FORCE)')
    else:
        archivo = tmp_path / "restaurada.sqlite3"
        yield {"ENGINE": "django.db.backends.sqlite3", "NAME": str(archivo)}, f"sqlite:///{archivo}"


@pytest.fixture
def almacen_nuevo(settings, tmp_path):
    """Point the storage folders at new, empty ones (call it after the backup)."""
    def mover():
        settings.PRIVATE_MEDIA_ROOT = tmp_path / "nuevo" / "private"
        settings.MEDIA_ROOT = tmp_path / "nuevo" / "media"
        return Path(settings.PRIVATE_MEDIA_ROOT), Path(settings.MEDIA_ROOT)
    return mover


def _respaldar(directorio, *opciones) -> Path:
    salida = io.StringIO()
    call_command("respaldar", "--directorio", str(directorio), *opciones, stdout=salida)
    linea = next(x for x in salida.getvalue().splitlines() if x.startswith("Respaldo creado: "))
    return Path(linea.removeprefix("Respaldo creado: "))


def _restaurar(directorio, *opciones) -> str:
    salida = io.StringIO()
    call_command("restaurar", "--directorio", str(directorio), *opciones, stdout=salida, stderr=salida)
    return salida.getvalue()


def _conteos(conn) -> dict[str, int]:
    """Rows per table, counted here without core.respaldos."""
    with conn.cursor() as cursor:
        tablas = conn.introspection.table_names(cursor, include_views=False)
        conteo = {}
        for tabla in tablas:
            cursor.execute(f"SELECT COUNT(*) FROM {conn.ops.quote_name(tabla)}")  # noqa: S608
            conteo[tabla] = cursor.fetchone()[0]
    return conteo


def _filas_con_archivo(conn) -> list[tuple]:
    """(table, id, file name, sha256) of every generated document (ArchivoGenerado) and uploaded
    support with a file, read with SQL from the database behind `conn`."""
    modelos = [m for m in apps.get_models() if issubclass(m, ArchivoGenerado)] + [Soporte]
    filas = []
    with conn.cursor() as cursor:
        for modelo in modelos:
            tabla, pk = modelo._meta.db_table, modelo._meta.pk.column
            cursor.execute(f"SELECT {pk}, archivo, sha256 FROM {tabla} WHERE archivo <> '' ORDER BY {pk}")  # noqa: S608
            filas += [(tabla, *fila) for fila in cursor.fetchall()]
    return filas


# --- the round trip ----------------------------------------------------------------------------


def _ida_y_vuelta(documentos, soporte, base_nueva, almacen_nuevo, tmp_path):
    datos_destino, url_destino = base_nueva
    directorio = tmp_path / "respaldos"
    origen_privado = Path(settings.PRIVATE_MEDIA_ROOT)

    carpeta = _respaldar(directorio)

    manifiesto = json.loads((carpeta / "manifiesto.json").read_text(encoding="utf-8"))
    conteos = _conteos(connection)
    filas = _filas_con_archivo(connection)
    assert manifiesto["tablas"] == conteos
    assert conteos[Acuse._meta.db_table] == 1 and conteos[DocumentoVerificable._meta.db_table] == 2
    assert {t for t, *_ in filas} == {Acuse._meta.db_table, DocumentoVerificable._meta.db_table,
                                      Soporte._meta.db_table}
    # Every file of both folders, with its SHA-256 and size; the dump with its own.
    listados = {a["ruta"]: (a["sha256"], a["bytes"]) for a in manifiesto["archivos"]}
    en_disco = {f"privado/{r.relative_to(origen_privado).as_posix()}": r
                for r in origen_privado.rglob("*") if r.is_file()}
    assert set(en_disco) <= set(listados)
    for ruta, (sha, tamano) in listados.items():
        contenido = (carpeta / ruta).read_bytes()
        assert (hashlib.sha256(contenido).hexdigest(), len(contenido)) == (sha, tamano)
    for _tabla, _pk, nombre, sha in filas:
        assert listados[f"privado/{nombre}"][0] == sha
    assert listados[f"publico/{soporte.practica.convocatoria.autoridad.logo.name}"][0] == hashlib.sha256(PNG).hexdigest()
    base = manifiesto["base"]
    assert base["sha256"] == hashlib.sha256((carpeta / base["ruta"]).read_bytes()).hexdigest()
    assert manifiesto["version"]["proyecto"] == "0.1.0" and manifiesto["creado_en"]
    if (Path(settings.BASE_DIR) / ".git").exists() and shutil.which("git"):
        assert len(manifiesto["version"]["commit"]) == 40
    assert manifiesto["referencias_con_problemas"] == []

    # The data goes elsewhere: a new database, new empty folders.
    privado, publico = almacen_nuevo()
    destino = respaldos.conexion(datos_destino, alias="prueba_destino")
    try:
        assert respaldos.tablas_de(destino) == []
        salida = _restaurar(directorio, "--base", url_destino)

        assert f"Restaurado {carpeta.name}" in salida and "iguales al manifiesto tabla por tabla" in salida
        assert _conteos(destino) == conteos
        restauradas = _filas_con_archivo(destino)
    finally:
        destino.close()
    assert restauradas == filas
    for tabla, pk, nombre, sha in restauradas:
        ruta = privado / nombre
        assert ruta.is_file(), (tabla, pk, nombre)
        assert hashlib.sha256(ruta.read_bytes()).hexdigest() == sha, (tabla, pk, nombre)
    assert (publico / soporte.practica.convocatoria.autoridad.logo.name).read_bytes() == PNG


def test_ida_y_vuelta(documentos, soporte, base_nueva, almacen_nuevo, tmp_path):
    """On the engine under test: pg_dump -Fc on PostgreSQL (CI), SQLite's backup API on SQLite."""
    if connection.vendor == "postgresql":
        _exigir_postgres()
    _ida_y_vuelta(documentos, soporte, base_nueva, almacen_nuevo, tmp_path)

@pytest.mark.postgres
def test_un_pg_dump_mas_viejo_que_el_servidor_se_rechaza_en_espanol(soporte, tmp_path, monkeypatch):
    """The Dockerfile's client is 15: against a newer server pg_dump would refuse in English; the
    command says what to install before running it, and leaves no folder behind."""
    _exigir_postgres()
    servidor = connection.pg_version // 10000
    monkeypatch.setattr(respaldos, "_version_mayor", lambda _ruta: (servidor - 1, f"pg_dump {servidor - 1}"))

    with pytest.raises(CommandError) as error:
        _respaldar(tmp_path / "respaldos")

    assert (f"pg_dump {servidor - 1} no puede respaldar un servidor PostgreSQL {servidor}: instale el cliente "
            f"{servidor} o posterior (postgresql-client-{servidor})") in str(error.value)
    assert list((tmp_path / "respaldos").iterdir()) == []


# --- refusals ----------------------------------------------------------------------------------


def test_un_respaldo_danado_se_rechaza_nombrando_el_archivo_y_no_restaura_nada(
        soporte, base_nueva, almacen_nuevo, tmp_path):
    datos_destino, url_destino = base_nueva
    carpeta = _respaldar(tmp_path / "respaldos")
    danado = carpeta / "privado" / soporte.archivo.name
    contenido = bytearray(danado.read_bytes())
    contenido[0] ^= 0xFF
    danado.write_bytes(bytes(contenido))
    privado, publico = almacen_nuevo()

    with pytest.raises(CommandError) as error:
        _restaurar(tmp_path / "respaldos", "--base", url_destino)

    mensaje = str(error.value)
    assert f"El respaldo {carpeta.name} está dañado" in mensaje
    assert f"«privado/{soporte.archivo.name}»" in mensaje and "No se restauró nada" in mensaje
    destino = respaldos.conexion(datos_destino, alias="prueba_destino")
    try:
        assert respaldos.tablas_de(destino) == []
    finally:
        destino.close()
    assert not privado.exists() and not publico.exists()
    # --solo-verificar says the same without a target.
    with pytest.raises(CommandError, match="está dañado"):
        _restaurar(tmp_path / "respaldos", "--solo-verificar")


def test_un_respaldo_al_que_le_falta_un_archivo_se_rechaza(soporte, base_nueva, almacen_nuevo, tmp_path):
    _datos, url_destino = base_nueva
    carpeta = _respaldar(tmp_path / "respaldos")
    (carpeta / "privado" / soporte.archivo.name).unlink()
    almacen_nuevo()

    with pytest.raises(CommandError, match=f"está incompleto: falta el archivo «privado/{soporte.archivo.name}»"):
        _restaurar(tmp_path / "respaldos", "--base", url_destino)


def test_restaurar_en_una_base_con_tablas_se_rechaza(soporte, almacen_nuevo, tmp_path):
    _respaldar(tmp_path / "respaldos")
    privado, _publico = almacen_nuevo()
    antes = _conteos(connection)

    with pytest.raises(CommandError) as error:
        _restaurar(tmp_path / "respaldos")

    assert "no está vacía: tiene" in str(error.value) and "--forzar" in str(error.value)
    assert "No se restauró nada" in str(error.value)
    assert _conteos(connection) == antes
    assert not privado.exists()


def test_restaurar_en_carpetas_con_archivos_se_rechaza(soporte, base_nueva, almacen_nuevo, tmp_path):
    datos_destino, url_destino = base_nueva
    _respaldar(tmp_path / "respaldos")
    privado, _publico = almacen_nuevo()
    privado.mkdir(parents=True)
    (privado / "ya-estaba.pdf").write_bytes(b"%PDF")

    with pytest.raises(CommandError, match=f"La carpeta destino {privado} no está vacía"):
        _restaurar(tmp_path / "respaldos", "--base", url_destino)

    destino = respaldos.conexion(datos_destino, alias="prueba_destino")
    try:
        assert respaldos.tablas_de(destino) == []
    finally:
        destino.close()
    assert [p.name for p in privado.iterdir()] == ["ya-estaba.pdf"]


# --- what the backup records ------------------------------------------------------------------


def test_un_archivo_que_ya_faltaba_al_respaldar_se_anota_y_la_restauracion_lo_avisa(
        soporte, base_nueva, almacen_nuevo, tmp_path):
    _datos, url_destino = base_nueva
    Path(soporte.archivo.path).unlink()

    carpeta = _respaldar(tmp_path / "respaldos")

    manifiesto = json.loads((carpeta / "manifiesto.json").read_text(encoding="utf-8"))
    assert manifiesto["referencias_con_problemas"] == [{
        "tabla": Soporte._meta.db_table, "id": str(soporte.pk), "campo": "archivo",
        "ruta": f"privado/{soporte.archivo.name}", "problema": "falta el archivo"}]
    almacen_nuevo()
    salida = _restaurar(tmp_path / "respaldos", "--base", url_destino)
    assert "Ya faltaba al hacer el respaldo" in salida and f"Restaurado {carpeta.name}" in salida


def test_la_retencion_conserva_los_n_mas_recientes(soporte, tmp_path):
    directorio = tmp_path / "respaldos"
    directorio.mkdir()
    cortado = directorio / "respaldo-20000101T000000Z.incompleto"
    cortado.mkdir()

    hechos = [_respaldar(directorio, "--conservar", "2") for _ in range(3)]

    assert respaldos.completos(directorio) == hechos[1:]
    assert sorted(p.name for p in directorio.iterdir()) == [h.name for h in hechos[1:]]
    assert respaldos.localizar(directorio=directorio) == hechos[-1]
