from django.apps import AppConfig


class PracticasConfig(AppConfig):
    name = "practicas"
    verbose_name = "Prácticas"

    def ready(self):
        from . import registro  # models are loaded only now

        registro.conectar()
