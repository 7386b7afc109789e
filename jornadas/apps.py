from django.apps import AppConfig


class JornadasConfig(AppConfig):
    name = "jornadas"
    verbose_name = "Jornadas"

    def ready(self):
        # Imported here, not at the top: models may only be imported once the app registry is ready.
        # tasks: registered with Celery before constancias queues them by name (core.colas).
        from . import constancias, informe, tasks  # noqa: F401

        constancias.registrar()
        informe.registrar()
