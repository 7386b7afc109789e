from django.apps import AppConfig


class EvaluacionConfig(AppConfig):
    name = "evaluacion"
    verbose_name = "Evaluación"

    def ready(self):
        # Imported here, not at the top: models may only be imported once the app registry is ready.
        # tasks: registered with Celery before services queue them by name (core.colas).
        from . import cache_catalogo, pdf, tasks  # noqa: F401

        cache_catalogo.conectar()  # the catalogue's cached fragments follow every write they show
        pdf.registrar()  # dictamen and reconocimiento in core's document registry
