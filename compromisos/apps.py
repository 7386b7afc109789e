from django.apps import AppConfig


class CompromisosConfig(AppConfig):
    name = "compromisos"
    verbose_name = "Cartas compromiso"
