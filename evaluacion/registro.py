"""What this app plugs into core's registries (called from its AppConfig.ready())."""

from django.utils.translation import gettext_lazy as _

from core import datos_abiertos, menu

from . import cache_catalogo
from .datos_abiertos import DATASET


def conectar() -> None:
    cache_catalogo.conectar()  # the catalogue's cached fragments follow every write they show
    datos_abiertos.registrar(DATASET)
    menu.registrar_entrada(menu.Entrada(_("Prácticas reconocidas"), "evaluacion:catalogo", orden=10))
    menu.registrar_entrada(menu.Entrada(_("Jurado"), "panel:jurado_inicio", orden=20, seccion=menu.CUENTA,
                                        rol="es_jurado"))
