"""What core itself puts in the registries it keeps (called from CoreConfig.ready())."""

from django.utils.translation import gettext_lazy as _

# tasks: registered with Celery before core.documentos queues the generate task by name.
from . import buzon, menu, tasks  # noqa: F401


def conectar() -> None:
    menu.registrar_entrada(menu.Entrada(_("Verificar un documento"), "core:verificar_inicio", orden=40))
    menu.registrar_entrada(menu.Entrada(_("Panel del garante"), "panel:inicio", orden=30, seccion=menu.CUENTA,
                                        permiso="core.acceder_panel"))
    # Administrators manage every authority there; staff, their own.
    menu.registrar_entrada(menu.Entrada(_("Autoridades"), "panel:autoridades", orden=35, seccion=menu.CUENTA,
                                        permiso="core.acceder_panel"))
    # Only under the embedded default, whose e-mails stay in the demonstration mailbox (core/buzon.py);
    # by permission, not by flag: a superuser holds every permission, and the entry would lead nowhere.
    if buzon.activo():
        menu.registrar_entrada(menu.Entrada(_("Buzón de demostración"), "core:buzon", orden=38,
                                            seccion=menu.CUENTA, permiso="core.ver_buzon"))
    menu.registrar_entrada(menu.Entrada(_("Administración"), "admin:index", orden=40, seccion=menu.CUENTA,
                                        superusuario=True))
