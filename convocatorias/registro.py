"""What this app plugs into core's registries (called from its AppConfig.ready())."""

from django.db.models import Exists, OuterRef
from django.utils.translation import gettext_lazy as _

from core import cuentas, menu

# tasks: registered with Celery before services queue them by name (core.colas).
from . import tasks  # noqa: F401
from .models import MiembroJurado


def conectar() -> None:
    menu.registrar_entrada(menu.Entrada(_("Convocatorias"), "convocatorias:lista", orden=20))
    # A seat on some call's jury: the jury's entry (evaluacion) depends on it.
    menu.registrar_rol("es_jurado", lambda: Exists(MiembroJurado.objects.filter(usuario=OuterRef("pk"))))
    # A juror's session expires when idle, as staff sessions do.
    cuentas.vigilar_rol("es_jurado")
