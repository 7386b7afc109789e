from django.apps import AppConfig


class EvaluacionConfig(AppConfig):
    name = "evaluacion"
    verbose_name = "Evaluación"
