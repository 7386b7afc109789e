from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = "Núcleo"

    def ready(self):
        # Registered with Celery before core.documentos queues the generate task by name.
        from . import tasks  # noqa: F401
