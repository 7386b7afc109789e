"""manage.py restaurar: verify a backup's SHA-256 sums and restore it into an empty database and
empty storage folders, then compare the row counts with the manifest (core.respaldos).
`make restaurar` runs it."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from core import respaldos


class Command(BaseCommand):
    help = ("Restaura un respaldo (por omisión el más reciente de RESPALDO_DIR) en una base de datos vacía y "
            "carpetas de archivos vacías, tras verificar su manifiesto; al final compara las filas tabla por tabla.")

    def add_arguments(self, parser):
        parser.add_argument("respaldo", nargs="?", help="Nombre (en RESPALDO_DIR) o ruta del respaldo.")
        parser.add_argument("--directorio", type=Path, help="Carpeta de los respaldos (por omisión RESPALDO_DIR).")
        parser.add_argument("--base", metavar="URL",
                            help="Base destino como DATABASE_URL (por omisión la del portal); para un simulacro, "
                                 "una base nueva y vacía.")
        parser.add_argument("--archivos", type=Path, metavar="CARPETA",
                            help="Restaura los archivos en CARPETA/private y CARPETA/media en lugar de "
                                 "PRIVATE_MEDIA_ROOT y MEDIA_ROOT.")
        parser.add_argument("--forzar", action="store_true",
                            help="Reemplaza el contenido de una base o de carpetas que no están vacías.")
        parser.add_argument("--solo-verificar", action="store_true",
                            help="Solo comprueba los SHA-256 del respaldo; no restaura nada.")

    def handle(self, *args, respaldo=None, directorio=None, base=None, archivos=None, forzar=False,
               solo_verificar=False, **options):
        destino = respaldos.conexion(respaldos.datos_de_url(base), alias="restaurar_destino") if base else None
        raices = {"privado": archivos / "private", "publico": archivos / "media"} if archivos else None
        try:
            if solo_verificar:
                carpeta = respaldos.localizar(respaldo, directorio)
                m = respaldos.verificar(carpeta)
                self.stdout.write(f"Respaldo íntegro: {carpeta} ({len(m['archivos'])} archivos y la base de datos "
                                  "coinciden con su manifiesto).")
                return
            hecha = respaldos.restaurar(respaldo=respaldo, directorio=directorio, destino=destino, raices=raices,
                                        forzar=forzar)
        except respaldos.ErrorRespaldo as exc:
            raise CommandError(str(exc)) from exc
        finally:
            if destino is not None:
                destino.close()
        for aviso in hecha.avisos:
            self.stderr.write(f"Aviso: {aviso}")
        m = hecha.manifiesto
        self.stdout.write(f"Restaurado {hecha.carpeta.name} (hecho el {m['creado_en']}, versión "
                          f"{m['version'].get('commit') or m['version'].get('proyecto')}).")
        self.stdout.write(f"  {hecha.tablas} tablas y {hecha.filas} filas, iguales al manifiesto tabla por tabla.")
        self.stdout.write(f"  Archivos copiados: {hecha.archivos}; el de cada fila coincide con el SHA-256 que registra.")
