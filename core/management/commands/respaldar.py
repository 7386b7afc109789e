"""manage.py respaldar: back up the database and the private and public files into a dated folder
of RESPALDO_DIR, with a manifest (core.respaldos). `make respaldo` runs it."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.template.defaultfilters import filesizeformat

from core import respaldos

ETIQUETAS = {"privado": "privados", "publico": "públicos"}


class Command(BaseCommand):
    help = ("Respalda la base de datos (pg_dump -Fc en PostgreSQL, la API de respaldo en SQLite) y los archivos "
            "privados y públicos en una carpeta fechada de RESPALDO_DIR, con un manifiesto de SHA-256.")

    def add_arguments(self, parser):
        parser.add_argument("--directorio", type=Path, help="Carpeta de los respaldos (por omisión RESPALDO_DIR).")
        parser.add_argument("--conservar", type=int, metavar="N",
                            help="Conserva los N respaldos más recientes y borra los anteriores "
                                 "(por omisión RESPALDO_CONSERVAR; 0 los conserva todos).")

    def handle(self, *args, directorio=None, conservar=None, **options):
        if conservar is not None and conservar < 0:
            raise CommandError("--conservar debe ser 0 o más.")
        try:
            hecho = respaldos.respaldar(directorio=directorio, conservar=conservar)
        except respaldos.ErrorRespaldo as exc:
            raise CommandError(str(exc)) from exc
        m = hecho.manifiesto
        por_carpeta = {}
        for archivo in m["archivos"]:
            carpeta = archivo["ruta"].split("/", 1)[0]
            n, total = por_carpeta.get(carpeta, (0, 0))
            por_carpeta[carpeta] = (n + 1, total + archivo["bytes"])
        self.stdout.write(f"Respaldo creado: {hecho.carpeta}")
        self.stdout.write(f"  Base de datos ({respaldos.MOTORES[m['base']['motor']]}): {len(m['tablas'])} tablas, "
                          f"{sum(m['tablas'].values())} filas, {filesizeformat(m['base']['bytes'])}.")
        for carpeta in m["carpetas"]:
            n, total = por_carpeta.get(carpeta, (0, 0))
            self.stdout.write(f"  Archivos {ETIQUETAS.get(carpeta, carpeta)}: {n} ({filesizeformat(total)}).")
        for aviso in hecho.avisos:
            self.stderr.write(f"Aviso: {aviso}")
        for carpeta in hecho.borrados:
            self.stdout.write(f"  Borrado por la retención: {carpeta.name}")
