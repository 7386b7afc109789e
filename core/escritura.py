"""What every app's services do when they write a model: validate it into one Spanish ErrorDominio,
and name the author of the change for simple_history (outside a request there is no middleware)."""

from django.core.exceptions import ValidationError

from .errors import ErrorDominio


def validar(obj, **kwargs) -> None:
    """full_clean, turning Django's errors into one Spanish ErrorDominio tied to the first field."""
    try:
        obj.full_clean(**kwargs)
    except ValidationError as exc:
        if hasattr(exc, "error_dict"):
            campo = next(iter(exc.error_dict))
            mensajes = [m for errores in exc.message_dict.values() for m in errores]
        else:
            campo, mensajes = None, exc.messages
        raise ErrorDominio(" ".join(mensajes), campo=None if campo == "__all__" else campo) from exc


def con_autor(obj, usuario):
    """`obj` with the user simple_history records as the author of its next save (None: no one)."""
    if usuario is not None:
        obj._history_user = usuario
    return obj
