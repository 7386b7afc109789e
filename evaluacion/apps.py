from django.apps import AppConfig


class EvaluacionConfig(AppConfig):
    name = "evaluacion"
    verbose_name = "Evaluación"

    def ready(self):
        # Imported here: models and services need the app registry, which is ready only now.
        from convocatorias.services import registrar_bloqueo_fecha_resultados

        from . import cache_catalogo, services

        cache_catalogo.conectar()  # the catalogue's cached fragments follow every write they show
        # convocatorias sits below evaluacion: it asks, through this hook, whether signed rulings fix the date.
        registrar_bloqueo_fecha_resultados(services.fecha_resultados_bloqueada)
