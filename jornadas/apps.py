from django.apps import AppConfig


class JornadasConfig(AppConfig):
    name = "jornadas"
    verbose_name = "Jornadas"
