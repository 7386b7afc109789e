from django.apps import AppConfig


class EvaluacionConfig(AppConfig):
    name = "evaluacion"
    verbose_name = "Evaluación"

    def ready(self):
        # Imported here: models are loaded only now.
        from practicas import rules as practicas_rules
        from practicas import selectors as practicas_selectors

        from . import cache_catalogo, rules, selectors, views_publico

        cache_catalogo.conectar()  # the catalogue's cached fragments follow every write they show
        # practicas sits below us: it learns from here that the jurors a practice was turned over to
        # may read it, and what its page shows of admissibility and the ruling.
        practicas_rules.registrar_lector(rules.es_jurado_de_practica)
        practicas_selectors.registrar_relacion(selectors.practicas_de_su_jurado)
        practicas_selectors.registrar_seccion_detalle(views_publico.contexto_practica)
