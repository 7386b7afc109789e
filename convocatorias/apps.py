from django.apps import AppConfig


class ConvocatoriasConfig(AppConfig):
    name = "convocatorias"
    verbose_name = "Convocatorias"
