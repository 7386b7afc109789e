from django.apps import AppConfig


class EvaluacionConfig(AppConfig):
    name = "evaluacion"
    verbose_name = "Evaluación"

    def ready(self):
        from . import cache_catalogo

        cache_catalogo.conectar()  # the catalogue's cached fragments follow every write they show
