"""The domain's refusal (ErrorDominio), and how any other failure of background work reads to staff."""

import logging
import secrets
import smtplib

from celery.exceptions import SoftTimeLimitExceeded, TimeLimitExceeded
from django.db import DatabaseError
from django.template import TemplateDoesNotExist, TemplateSyntaxError
from django.urls import NoReverseMatch
from django.utils.translation import gettext as _

logger = logging.getLogger(__name__)


class ErrorDominio(Exception):
    """A domain rule said no. The message is Spanish and is shown to the person as is."""

    def __init__(self, mensaje, campo=None):
        super().__init__(mensaje)
        self.mensaje = str(mensaje)
        self.campo = campo

    def __str__(self):
        return self.mensaje


def motivo(exc: BaseException) -> str:
    """What went wrong, in words staff can act on (the technical detail goes to the log)."""
    if isinstance(exc, ErrorDominio):
        return exc.mensaje
    if isinstance(exc, SoftTimeLimitExceeded | TimeLimitExceeded):
        return _("La generación excedió su tiempo límite; se reintentará o puede reintentarla.")
    if isinstance(exc, TemplateDoesNotExist | TemplateSyntaxError | NoReverseMatch):
        return _("La plantilla del documento tiene un error; avise al área de sistemas.")
    if isinstance(exc, smtplib.SMTPException):
        return _("El servidor de correo rechazó o no recibió el mensaje.")
    if isinstance(exc, DatabaseError):
        return _("La base de datos no respondió a tiempo.")
    if isinstance(exc, OSError):
        return _("No se pudo guardar o leer el archivo en el almacenamiento del portal.")
    return _("Ocurrió un error inesperado al generar el documento.")


def texto_error(exc: BaseException) -> str:
    """The failure as staff read it: the reason in Spanish and a reference to find the technical
    detail (exception and traceback) in the server's log, which gets it here."""
    referencia = secrets.token_hex(4)
    logger.error("Falla de tarea (referencia %s): %s: %s", referencia, type(exc).__name__, exc, exc_info=exc)
    return _("%(motivo)s Referencia para el área de sistemas: %(ref)s.") % {"motivo": motivo(exc), "ref": referencia}
