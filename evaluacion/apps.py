from django.apps import AppConfig


class EvaluacionConfig(AppConfig):
    name = "evaluacion"
    verbose_name = "Evaluación"

    def ready(self):
        from . import cache_catalogo, views_publico  # they use the models, loaded only now

        cache_catalogo.conectar()  # the catalogue's cached fragments follow every write they show
        views_publico.conectar()  # the practice page shows admissibility and the ruling
