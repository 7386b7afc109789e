"""What the public tracker plugs into core's registries: its menu entry and its open dataset."""

from django.utils.translation import gettext_lazy as _

from core import datos_abiertos, menu

from .datos_abiertos import DATASETS


def registrar() -> None:
    datos_abiertos.registrar(*DATASETS)
    menu.registrar_entrada(menu.Entrada(_("Cartas compromiso"), "compromisos:inicio", orden=35))
