from django.apps import AppConfig


class JornadasConfig(AppConfig):
    name = "jornadas"
    verbose_name = "Jornadas"

    def ready(self):
        from . import registro  # models are loaded only now

        registro.conectar()
