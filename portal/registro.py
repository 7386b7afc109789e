"""What the portal plugs into core's registries and the signals it follows (PortalConfig.ready())."""

from django.db.models.signals import post_delete, post_save

from core import datos_abiertos
from evaluacion import cache_catalogo
from jornadas.models import Jornada, Registro

from .datos_abiertos import DATASETS


def conectar() -> None:
    datos_abiertos.registrar(*DATASETS)
    # The home page's cached figures count sessions and attendance too.
    for modelo in (Jornada, Registro):
        post_save.connect(cache_catalogo.al_escribir, sender=modelo, dispatch_uid=f"catalogo_{modelo.__name__}_save")
        post_delete.connect(cache_catalogo.al_escribir, sender=modelo,
                            dispatch_uid=f"catalogo_{modelo.__name__}_delete")
