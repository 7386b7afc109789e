from django.apps import AppConfig


class EvaluacionConfig(AppConfig):
    name = "evaluacion"
    verbose_name = "Evaluación"

    def ready(self):
        from . import registro  # models are loaded only now

        registro.conectar()
