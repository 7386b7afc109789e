"""What core itself puts in the registries it keeps (called from CoreConfig.ready())."""

from django.utils.translation import gettext_lazy as _

# tasks: registered with Celery before core.documentos queues the generate task by name.
from . import menu, tasks  # noqa: F401


def conectar() -> None:
    menu.registrar_entrada(menu.Entrada(_("Verificar un documento"), "core:verificar_inicio", orden=40))
    menu.registrar_entrada(menu.Entrada(_("Panel del garante"), "panel:inicio", orden=30, seccion=menu.CUENTA,
                                        permiso="core.acceder_panel"))
    # Administrators manage every authority there; staff, their own.
    menu.registrar_entrada(menu.Entrada(_("Autoridades"), "panel:autoridades", orden=35, seccion=menu.CUENTA,
                                        permiso="core.acceder_panel"))
    menu.registrar_entrada(menu.Entrada(_("Administración"), "admin:index", orden=40, seccion=menu.CUENTA,
                                        superusuario=True))
