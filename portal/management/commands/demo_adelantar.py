"""Moves a demo call's deadline or results second, or a session's start, a few seconds ahead, so the
year can be walked in one sitting (README, "Recorrido"): the scheduler then closes the call, or
publishes its results, within a minute, as it would on the real date; a session that has started
takes its attendance. Nothing inside the server travels in time."""

from datetime import timedelta

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from convocatorias.models import Convocatoria
from convocatorias.services import bloqueos_fecha_resultados
from core.templatetags.reconoce import fecha_hora_segundos
from jornadas.models import Jornada


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
        parser.add_argument("--jornada", metavar="SLUG",
                            help="Slug de una jornada: con --inicio, su inicio se adelanta.")
        parser.add_argument("--inicio", type=int, metavar="SEGUNDOS",
                            help="La jornada comienza dentro de estos segundos (conserva su duración).")
        parser.add_argument("--forzar", action="store_true", help="Aunque DEBUG esté desactivado.")

    def handle(self, *args, convocatoria, cierre, resultados, jornada, inicio, forzar, **options):
        if not settings.DEBUG and not forzar:
            raise CommandError("DEBUG está desactivado: esto parece un portal real. Use --forzar solo en una "
                               "demostración.")
        if (jornada is None) != (inicio is None):
            raise CommandError("--jornada y --inicio van juntos: la jornada y en cuántos segundos comienza.")
        if jornada is not None:
            self._jornada(jornada, inicio)
            if cierre is None and resultados is None:
                return
        if cierre is None and resultados is None:
            raise CommandError("Indique --cierre o --resultados (en segundos a partir de ahora), o --jornada e "
                               "--inicio.")
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
            # The rule staff meet in the panel: signed rulings carry the publication date (their
            # documents' embargo, the recognition's validity), so from the first one on it is fixed.
            for bloqueo in bloqueos_fecha_resultados():
                motivo = bloqueo(conv)
                if motivo:
                    raise CommandError(f"{motivo} Adelante los resultados antes de que el jurado firme el primer "
                                       "dictamen (por ejemplo, al cerrar la calificación).")
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

    def _jornada(self, slug, segundos):
        """The session starts in `segundos` and keeps its length; a registration window that would
        close after the new start closes at it."""
        sesion = Jornada.objects.filter(slug=slug).first()
        if sesion is None:
            raise CommandError(f"No existe la jornada «{slug}».")
        inicio = timezone.now() + timedelta(seconds=max(segundos, 0))
        cambios = {"inicio": inicio}
        if sesion.fin:
            cambios["fin"] = inicio + (sesion.fin - sesion.inicio)
        if sesion.registro_cierra and sesion.registro_cierra > inicio:
            cambios["registro_cierra"] = inicio
        if sesion.registro_abre and sesion.registro_abre > inicio:
            cambios["registro_abre"] = inicio - timedelta(seconds=1)
        Jornada.objects.filter(pk=sesion.pk).update(**cambios)
        self.stdout.write(f"{sesion.titulo}: comienza el {fecha_hora_segundos(inicio)}; desde entonces el "
                          "personal registra la asistencia.")
