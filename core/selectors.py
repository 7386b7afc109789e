"""Reads of the panel's authorities pages: the list a person may manage, and an authority's change
history (its data, signers and staff) from simple_history's records."""

from dataclasses import dataclass, field
from datetime import datetime

from django.db.models import Count
from django.utils.translation import gettext as _

from .models import NOMBRES_ENTIDADES, AutoridadGarante, FirmanteAutoridad, PersonalGarante, Usuario
from .rules import autoridades_de

HISTORIAL_LIMITE = 100


def autoridades_del_panel(user):
    """The authorities this person manages (all for a superuser), with their staff and signer counts."""
    qs = AutoridadGarante.objects.all()
    if not user.is_superuser:
        # Through pk__in: a filter on `personal` would also narrow the staff count to this person.
        qs = qs.filter(pk__in=autoridades_de(user).values("pk"))
    return qs.annotate(num_personal=Count("personal", distinct=True),
                       num_firmantes=Count("firmantes", distinct=True)).order_by("nombre")


@dataclass(frozen=True)
class Cambio:
    campo: str
    antes: str
    despues: str


@dataclass
class EntradaHistorial:
    fecha: datetime
    autor: Usuario | None
    objeto: str  # what changed: the authority's data, a signer, a staff member
    accion: str  # "+", "~" or "-" (simple_history's history_type)
    cambios: list[Cambio] = field(default_factory=list)

    @property
    def accion_texto(self) -> str:
        return {"+": _("Alta"), "~": _("Cambio"), "-": _("Baja")}[self.accion]


def _texto(campo: str, valor) -> str:
    if valor in (None, ""):
        return ""
    if campo == "entidad_clave":
        return f"{valor} · {NOMBRES_ENTIDADES.get(valor, '')}".rstrip(" ·")
    return str(valor)


def _entradas(registros, modelo, *, excluir: tuple, objeto) -> list[EntradaHistorial]:
    """One entry per record, with the fields it changed against the object's previous record
    (diff_against on records already read, so no query per record). Saves that changed nothing
    are left out."""
    etiquetas = {f.name: str(f.verbose_name) for f in modelo._meta.fields}
    anteriores = {}
    entradas = []
    for registro in registros:
        anterior = anteriores.get(registro.id)
        anteriores[registro.id] = registro
        if registro.history_type == "-":
            cambios = []
        elif anterior is None:
            cambios = [Cambio(etiquetas[c], "", _texto(c, getattr(registro, c)))
                       for c in etiquetas if c not in excluir and _texto(c, getattr(registro, c))]
        else:
            delta = registro.diff_against(anterior, excluded_fields=excluir)
            cambios = [Cambio(etiquetas[c.field], _texto(c.field, c.old), _texto(c.field, c.new)) for c in delta.changes]
            if not cambios:
                continue
        entradas.append(EntradaHistorial(registro.history_date, registro.history_user, objeto(registro),
                                         "+" if anterior is None and registro.history_type != "-"
                                         else registro.history_type, cambios))
    return entradas


def historial_de_autoridad(autoridad: AutoridadGarante, limite: int = HISTORIAL_LIMITE) -> list[EntradaHistorial]:
    """Who changed what and when in the authority's data, signers and staff, newest first: three queries."""
    orden = ("history_date", "history_id")
    propios = AutoridadGarante.history.filter(id=autoridad.pk).select_related("history_user").order_by(*orden)
    firmantes = (FirmanteAutoridad.history.filter(autoridad_id=autoridad.pk).select_related("history_user")
                 .order_by(*orden))
    personal = (PersonalGarante.history.filter(autoridad_id=autoridad.pk).select_related("history_user", "usuario")
                .order_by(*orden))
    entradas = [
        *_entradas(propios, AutoridadGarante, excluir=("id",), objeto=lambda r: _("Datos de la autoridad")),
        *_entradas(firmantes, FirmanteAutoridad, excluir=("id", "autoridad"),
                   objeto=lambda r: _("Firmante: %(n)s") % {"n": r.nombre}),
        *_entradas(personal, PersonalGarante, excluir=("id", "autoridad", "usuario"),
                   objeto=lambda r: _("Personal: %(u)s") % {"u": r.usuario.email if r.usuario else _("cuenta eliminada")}),
    ]
    entradas.sort(key=lambda e: e.fecha, reverse=True)
    return entradas[:limite]
