"""Rebuild the catalogue's search documents (after a body is renamed, after a restore, or to fill
the index of rulings signed before it existed). Idempotent; safe to run at any time."""

from django.core.management.base import BaseCommand

from evaluacion import busqueda


class Command(BaseCommand):
    help = "Reconstruye el índice de búsqueda del catálogo de prácticas reconocidas."

    def handle(self, *args, **options):
        total = busqueda.indexar()
        motor = "PostgreSQL (es_unaccent)" if busqueda.es_postgresql() else "texto normalizado"
        self.stdout.write(self.style.SUCCESS(f"Índice de búsqueda: {total} prácticas indexadas ({motor})."))
