"""What this app plugs into core's registries (called from its AppConfig.ready())."""

from django.utils.translation import gettext_lazy as _

from core import datos_abiertos, menu

from .datos_abiertos import DATASETS


def conectar() -> None:
    datos_abiertos.registrar(*DATASETS)
    menu.registrar_entrada(menu.Entrada(_("Jornadas"), "jornadas:lista", orden=30))
