from django.apps import AppConfig


class ConvocatoriasConfig(AppConfig):
    name = "convocatorias"
    verbose_name = "Convocatorias"

    def ready(self):
        from . import registro  # models are loaded only now

        registro.conectar()
