"""What this app plugs into core's registries (called from its AppConfig.ready())."""

from django.utils.translation import gettext_lazy as _

from core import datos_abiertos, menu

# tasks: registered with Celery before constancias queues them by name (core.colas).
from . import constancias, informe, tasks  # noqa: F401
from .datos_abiertos import DATASETS


def conectar() -> None:
    constancias.registrar()  # constancia and the cycle report in core's document registry
    informe.registrar()
    datos_abiertos.registrar(*DATASETS)
    menu.registrar_entrada(menu.Entrada(_("Jornadas"), "jornadas:lista", orden=30))
