from django.apps import AppConfig


class PracticasConfig(AppConfig):
    name = "practicas"
    verbose_name = "Prácticas"

    def ready(self):
        # Imported here: models are loaded only now.
        from convocatorias.selectors import registrar_conteo

        from . import selectors

        # The calls' panel list shows how many practices each call received (convocatorias is below us).
        registrar_conteo("num_recibidas", selectors.num_recibidas)
        registrar_conteo("num_borradores", selectors.num_borradores)
