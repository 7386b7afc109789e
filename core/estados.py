"""One mechanism for every state machine: a model declares its table of allowed steps and
takes them only through ``transicionar``, so an illegal step fails with a Spanish message
before anything is written.

    class Practica(MaquinaDeEstados, models.Model):
        TRANSICIONES = {Estado.BORRADOR: {Estado.ENVIADA}, Estado.ENVIADA: {Estado.RETIRADA}, ...}

The mixin has no fields, so it also sits on an abstract base model (``CAMPO_ESTADO`` names the
state field when it is not ``estado``). A system check (``reconoce.E001``) refuses tables that
name states the field does not have, or that leave a state without a row."""

from collections.abc import Iterable
from typing import ClassVar

from django.apps import apps
from django.core import checks
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from .errors import ErrorDominio


class TransicionInvalida(ErrorDominio, ValidationError):
    """A step the state table does not list. An ErrorDominio (views show it as is) and a
    ValidationError (forms and the admin render it as a form error)."""

    def __reduce__(self):
        # ValidationError leaves (message, code, params) in args; rebuild from what we take.
        return type(self), (self.mensaje, self.campo)


class MaquinaDeEstados:
    """Mixin for models with a state field and a table ``TRANSICIONES = {origen: {destinos}}``."""

    TRANSICIONES: ClassVar[dict] = {}
    CAMPO_ESTADO: ClassVar[str] = "estado"
    # The refusal, with %(origen)s and %(destino)s (state labels) and %(modelo)s (verbose name).
    MENSAJE_TRANSICION: ClassVar[str] = ""

    @classmethod
    def etiqueta_estado(cls, valor) -> str:
        """The Spanish label of a state value, as the person reads it."""
        campo = cls._meta.get_field(cls.CAMPO_ESTADO)
        return str(dict(campo.flatchoices).get(valor, valor))

    @property
    def estado_actual(self) -> str:
        return getattr(self, self.CAMPO_ESTADO)

    def puede_pasar_a(self, destino) -> bool:
        return destino in self.TRANSICIONES.get(self.estado_actual, ())

    def mensaje_transicion_invalida(self, destino) -> str:
        plantilla = self.MENSAJE_TRANSICION or _("%(modelo)s en estado «%(origen)s» no puede pasar a «%(destino)s».")
        return plantilla % {
            "modelo": capfirst(str(self._meta.verbose_name)),
            "origen": self.etiqueta_estado(self.estado_actual),
            "destino": self.etiqueta_estado(destino),
        }

    def verificar_transicion(self, destino, *, mensaje: str | None = None) -> None:
        """Raise TransicionInvalida unless the table lets the current state go to ``destino``.
        ``mensaje`` replaces the generic refusal where the service has a clearer one."""
        if not self.puede_pasar_a(destino):
            raise TransicionInvalida(mensaje or self.mensaje_transicion_invalida(destino), campo=None)

    def transicionar(self, destino, *, mensaje: str | None = None, guardar: bool = True, **campos):
        """Take one step of the table: check it, set the state and the fields that go with it
        (timestamps), and save the row unless ``guardar=False`` (the caller saves it its own way).
        On refusal nothing is set or written."""
        self.verificar_transicion(destino, mensaje=mensaje)
        setattr(self, self.CAMPO_ESTADO, destino)
        for nombre, valor in campos.items():
            setattr(self, nombre, valor)
        if guardar:
            self.save()
        return self


def errores_de_tabla(modelo) -> list[checks.CheckMessage]:
    """What is wrong with one model's table: unknown states, states without a row."""
    nombre = modelo._meta.label
    try:
        campo = modelo._meta.get_field(modelo.CAMPO_ESTADO)
    except FieldDoesNotExist:
        return [checks.Error(f"{nombre}: no tiene el campo de estado «{modelo.CAMPO_ESTADO}».",
                             obj=modelo, id="reconoce.E001")]
    conocidos = {valor for valor, _etiqueta in campo.flatchoices}
    if not conocidos:
        return [checks.Error(f"{nombre}.{campo.name} no declara sus estados (choices).", obj=modelo,
                             id="reconoce.E001")]
    errores = []
    nombrados = set(modelo.TRANSICIONES) | {d for destinos in modelo.TRANSICIONES.values() for d in destinos}
    for desconocido in sorted(str(e) for e in nombrados - conocidos):
        errores.append(checks.Error(f"{nombre}.TRANSICIONES nombra un estado desconocido: «{desconocido}».",
                                    obj=modelo, id="reconoce.E001"))
    for sin_fila in sorted(conocidos - set(modelo.TRANSICIONES)):
        errores.append(checks.Error(f"{nombre}.TRANSICIONES no tiene fila para el estado «{sin_fila}».",
                                    obj=modelo, id="reconoce.E001"))
    return errores


def modelos_con_maquina(modelos: Iterable | None = None) -> list:
    modelos = apps.get_models() if modelos is None else modelos
    return [m for m in modelos if issubclass(m, MaquinaDeEstados) and not m._meta.abstract]


@checks.register(checks.Tags.models)
def revisar_tablas(app_configs=None, **kwargs):
    modelos = None
    if app_configs is not None:
        modelos = [m for config in app_configs for m in config.get_models()]
    return [error for modelo in modelos_con_maquina(modelos) for error in errores_de_tabla(modelo)]
