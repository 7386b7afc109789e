"""Moves a demo call's deadline or results second a few seconds ahead, so the year can be walked in
one sitting (README, "Recorrido"): the scheduler then closes the call, or publishes its results,
within a minute, as it would on the real date. Nothing inside the server travels in time."""

from datetime import timedelta

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from convocatorias.models import Convocatoria
from core.templatetags.reconoce import fecha_hora_segundos


class Command(BaseCommand):
    help = ("Adelanta el cierre o la publicación de resultados de una convocatoria de demostración "
            "(para recorrer el año en una sesión).")

    def add_arguments(self, parser):
        parser.add_argument("--convocatoria", default="transparencia-proactiva-2026",
                            help="Slug de la convocatoria (por omisión, la abierta del Infoem).")
        parser.add_argument("--cierre", type=int, metavar="SEGUNDOS",
                            help="El plazo de entrega termina dentro de estos segundos.")
        parser.add_argument("--resultados", type=int, metavar="SEGUNDOS",
                            help="Los resultados se publican dentro de estos segundos.")
        parser.add_argument("--forzar", action="store_true", help="Aunque DEBUG esté desactivado.")

    def handle(self, *args, convocatoria, cierre, resultados, forzar, **options):
        if not settings.DEBUG and not forzar:
            raise CommandError("DEBUG está desactivado: esto parece un portal real. Use --forzar solo en una "
                               "demostración.")
        if cierre is None and resultados is None:
            raise CommandError("Indique --cierre o --resultados (en segundos a partir de ahora).")
        conv = Convocatoria.objects.filter(slug=convocatoria).first()
        if conv is None:
            raise CommandError(f"No existe la convocatoria «{convocatoria}».")
        ahora = timezone.now()
        cambios = {}
        if cierre is not None:
            if conv.estado != Convocatoria.Estado.ABIERTA:
                raise CommandError(f"La convocatoria está {conv.get_estado_display().lower()}: su plazo ya no cambia.")
            cambios["fecha_cierre"] = ahora + timedelta(seconds=max(cierre, 0))
        if resultados is not None:
            cambios["fecha_resultados"] = ahora + timedelta(seconds=max(resultados, 1))
        if cambios.get("fecha_cierre", conv.fecha_cierre) >= cambios.get("fecha_resultados", conv.fecha_resultados):
            raise CommandError("Los resultados deben publicarse después del cierre.")
        Convocatoria.objects.filter(pk=conv.pk).update(**cambios)
        if "fecha_cierre" in cambios:
            self.stdout.write(f"{conv.titulo}: el plazo termina el {fecha_hora_segundos(cambios['fecha_cierre'])}; "
                              "el portal la cierra en menos de un minuto después.")
        if "fecha_resultados" in cambios:
            self.stdout.write(f"{conv.titulo}: los resultados se publican el "
                              f"{fecha_hora_segundos(cambios['fecha_resultados'])} (en menos de un minuto después).")
