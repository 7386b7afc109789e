from django.apps import AppConfig


class PracticasConfig(AppConfig):
    name = "practicas"
    verbose_name = "Prácticas"

    def ready(self):
        from . import selectors  # it uses the models, loaded only now

        selectors.conectar()
