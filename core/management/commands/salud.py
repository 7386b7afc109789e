"""`manage.py salud [--solo GRUPO]`: the readiness checks of /salud/listo/ (core.salud) without HTTP, for
the health checks of processes that serve none (docker-compose runs `--solo beat` in the beat
container). Prints the report as JSON; exits 1 when a check fails."""

import json
import sys

from asgiref.sync import async_to_sync
from django.core.management.base import BaseCommand

from core.salud import GRUPOS, revisar


class Command(BaseCommand):
    help = "Revisa las dependencias (como /salud/listo/); sale con 1 si alguna falla."

    def add_arguments(self, parser):
        parser.add_argument("--solo", choices=list(GRUPOS), default="todo",
                            help="Solo este grupo de revisiones (por omisión, todas).")

    def handle(self, *args, solo, **options):
        informe = async_to_sync(revisar)(solo)
        self.stdout.write(json.dumps(informe.como_dict(), ensure_ascii=False))
        if not informe.listo:
            sys.exit(1)
