"""What this app plugs into core's registries (called from its AppConfig.ready())."""

from django.utils.translation import gettext_lazy as _

from convocatorias.models import registrar_bloqueo_cuenta
from convocatorias.services import registrar_bloqueo_fecha_resultados
from core import datos_abiertos, menu
from practicas import rules as practicas_rules
from practicas import selectors as practicas_selectors

# tasks: registered with Celery before services queue them by name (core.colas).
from . import cache_catalogo, pdf, services, tasks, views_publico  # noqa: F401
from .datos_abiertos import DATASET
from .rules import es_jurado_de_practica
from .selectors import practicas_de_su_jurado


def conectar() -> None:
    cache_catalogo.conectar()  # the catalogue's cached fragments follow every write they show
    pdf.registrar()  # dictamen and reconocimiento in core's document registry
    # practicas sits below: the jurors a practice was turned over to may read it, as a predicate and
    # as the same rule in SQL (the scope core.acceso looks practices up in); its page shows
    # admissibility and the ruling once released.
    # convocatorias sits below too: it asks, through this hook, whether signed rulings fix the date.
    registrar_bloqueo_fecha_resultados(services.fecha_resultados_bloqueada)
    # ... and whether a seat has acted, which fixes its account (replacing the person is our act).
    registrar_bloqueo_cuenta(services.cuentas_fijas)
    practicas_rules.registrar_lector(es_jurado_de_practica)
    practicas_selectors.registrar_relacion(practicas_de_su_jurado)
    practicas_selectors.registrar_seccion_detalle(views_publico.contexto_practica)
    datos_abiertos.registrar(DATASET)
    menu.registrar_entrada(menu.Entrada(_("Prácticas reconocidas"), "evaluacion:catalogo", orden=10))
    menu.registrar_entrada(menu.Entrada(_("Jurado"), "panel:jurado_inicio", orden=20, seccion=menu.CUENTA,
                                        rol="es_jurado"))
