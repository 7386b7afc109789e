"""Writes on authorities from the staff panel: their data, their signers and their staff.

Keyword-only, one transaction each, a Spanish ErrorDominio when a rule says no. Every write names
its author for simple_history (``_history_user``), so the authority's page can say who changed what.
Who may call which is decided by the views with the rules in core/rules.py."""

from django.db import transaction
from django.utils.translation import gettext as _

from .errors import ErrorDominio
from .escritura import con_autor, validar
from .models import AutoridadGarante, FirmanteAutoridad, PersonalGarante, Usuario

CAMPOS_AUTORIDAD = (
    "nombre", "siglas", "slug", "entidad_clave", "logo", "domicilio", "correo_contacto", "telefono", "sitio_web",
    "aviso_privacidad", "unidades", "color_primario", "remitente_correo", "remitente_nombre",
)
# What identifies an authority in addresses, folios, data filters and the bodies it serves, and the
# sender its e-mails come from (the mail relay must be allowed to send as it): only administrators
# (superusers) change it.
CAMPOS_IDENTIDAD = ("siglas", "slug", "entidad_clave", "remitente_correo", "remitente_nombre")
MAX_FIRMANTES = 4  # what fits at the foot of a constancia


_validar, _autor = validar, con_autor


def _asignar(autoridad: AutoridadGarante, datos: dict) -> None:
    for campo, valor in datos.items():
        if campo not in CAMPOS_AUTORIDAD:
            raise ErrorDominio(_("Campo desconocido: %(c)s.") % {"c": campo})
        if campo == "logo":
            valor = valor or ""  # False: the person ticked "clear"
        setattr(autoridad, campo, valor)


# --- the authority ---------------------------------------------------------------------------

@transaction.atomic
def autoridad_crear(*, usuario: Usuario, datos: dict) -> AutoridadGarante:
    autoridad = AutoridadGarante()
    _asignar(autoridad, datos)
    _validar(autoridad)
    _autor(autoridad, usuario).save()
    return autoridad


@transaction.atomic
def autoridad_actualizar(*, autoridad: AutoridadGarante, usuario: Usuario, datos: dict,
                         identidad: bool = False) -> AutoridadGarante:
    """Save what changed. `identidad`: the caller may change CAMPOS_IDENTIDAD (an administrator)."""
    if not identidad and (vedados := [c for c in datos if c in CAMPOS_IDENTIDAD]):
        raise ErrorDominio(_("Solo un administrador cambia las siglas, el identificador, la entidad o el remitente de los correos."),
                           campo=vedados[0])
    autoridad = AutoridadGarante.objects.select_for_update().get(pk=autoridad.pk)
    if not datos:
        return autoridad
    _asignar(autoridad, datos)
    _validar(autoridad)
    _autor(autoridad, usuario).save()
    return autoridad


# --- signers ---------------------------------------------------------------------------------

def _entero(valor, defecto=None):
    try:
        return int(valor)
    except (TypeError, ValueError):
        return defecto


@transaction.atomic
def firmantes_guardar(*, autoridad: AutoridadGarante, usuario: Usuario, filas: list[dict]) -> list[FirmanteAutoridad]:
    """Save the signers as given: rows (id, nombre, cargo, orden, eliminar) are the full set; a row
    without `orden` goes where it stands. At most MAX_FIRMANTES remain."""
    AutoridadGarante.objects.select_for_update().filter(pk=autoridad.pk).first()
    existentes = {f.pk: f for f in autoridad.firmantes.all()}
    vivas = [f for f in filas if not f.get("eliminar")]
    if len(vivas) > MAX_FIRMANTES:
        raise ErrorDominio(_("Registre a lo más %(n)s firmantes: son los que caben al pie de una constancia.")
                           % {"n": MAX_FIRMANTES})
    firmantes = []
    for i, fila in enumerate(vivas, start=1):
        pk = _entero(fila.get("id"))
        if pk is not None and pk not in existentes:
            raise ErrorDominio(_("Uno de los firmantes no pertenece a esta autoridad."))
        firmante = existentes.get(pk) or FirmanteAutoridad(autoridad=autoridad)
        nuevos = ((fila.get("nombre") or "").strip(), (fila.get("cargo") or "").strip(),
                  _entero(fila.get("orden"), defecto=i))
        if firmante.pk and (firmante.nombre, firmante.cargo, firmante.orden) == nuevos:
            firmantes.append(firmante)  # unchanged: no history row
            continue
        firmante.nombre, firmante.cargo, firmante.orden = nuevos
        try:
            _validar(firmante)
        except ErrorDominio as exc:
            raise ErrorDominio(_("Firmante %(n)s: %(m)s") % {"n": i, "m": exc.mensaje}, campo=exc.campo) from exc
        _autor(firmante, usuario).save()
        firmantes.append(firmante)
    conservar = {f.pk for f in firmantes}
    for pk, firmante in existentes.items():
        if pk not in conservar:
            _autor(firmante, usuario).delete()
    return sorted(firmantes, key=lambda f: (f.orden, f.pk))


# --- staff -----------------------------------------------------------------------------------

@transaction.atomic
def personal_agregar(*, autoridad: AutoridadGarante, usuario: Usuario, correo: str, cargo: str = "",
                     unidad: str = "") -> PersonalGarante:
    """Make an existing account staff of the authority."""
    correo = (correo or "").strip().lower()
    cuenta = Usuario.objects.filter(email__iexact=correo).first()
    if cuenta is None:
        raise ErrorDominio(_("No hay una cuenta con el correo «%(c)s». Pida a la persona que se registre en el "
                             "portal y vuelva a intentarlo.") % {"c": correo}, campo="correo")
    if PersonalGarante.objects.filter(autoridad=autoridad, usuario=cuenta).exists():
        raise ErrorDominio(_("%(p)s ya es parte del personal de %(a)s.") % {"p": cuenta.email, "a": autoridad.siglas},
                           campo="correo")
    personal = PersonalGarante(autoridad=autoridad, usuario=cuenta, cargo=cargo.strip(), unidad=unidad.strip())
    _validar(personal, validate_constraints=False)
    _autor(personal, usuario).save()
    return personal


@transaction.atomic
def personal_actualizar(*, personal: PersonalGarante, usuario: Usuario, cargo: str, unidad: str) -> PersonalGarante:
    personal = PersonalGarante.objects.select_for_update().get(pk=personal.pk)
    personal.cargo, personal.unidad = cargo.strip(), unidad.strip()
    _validar(personal, validate_constraints=False)
    _autor(personal, usuario).save()
    return personal


@transaction.atomic
def personal_retirar(*, personal: PersonalGarante, usuario: Usuario) -> None:
    """Remove a staff assignment. Nobody leaves an authority they are the last staff member of:
    it would be left with nobody to run it from the panel but an administrator."""
    AutoridadGarante.objects.select_for_update().filter(pk=personal.autoridad_id).first()
    if personal.usuario_id == usuario.pk and not (
        PersonalGarante.objects.filter(autoridad_id=personal.autoridad_id).exclude(pk=personal.pk).exists()
    ):
        raise ErrorDominio(_("Usted es la única persona del personal de %(a)s y no puede retirarse. Pida a un "
                             "administrador que asigne a otra persona antes.") % {"a": personal.autoridad.siglas})
    _autor(personal, usuario).delete()
