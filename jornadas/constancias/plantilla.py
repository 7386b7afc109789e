"""The template staff edit: its text with placeholders, checked and filled safely, and saving it."""

import string

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from core.errors import ErrorDominio
from core.models import AutoridadGarante
from core.services import MAX_FIRMANTES

from ..models import PlantillaConstancia

CAMPOS = ("nombre", "sujeto", "del_sujeto", "jornada", "fecha", "horario", "duracion", "coordinador")


def campos_desconocidos(texto: str) -> list[str]:
    """Placeholders in a template text that are not one of CAMPOS written plainly (``{nombre}``):
    attribute access, indexing, conversions and format specs are refused too. Raises ValueError
    when the braces do not pair (``{`` without ``}``)."""
    malos = []
    for _literal, campo, especificacion, conversion in string.Formatter().parse(texto):
        if campo is None:
            continue
        if campo not in CAMPOS or especificacion or conversion:
            marca = "{" + campo + (f"!{conversion}" if conversion else "") + (f":{especificacion}" if especificacion else "") + "}"
            malos.append(marca)
    return malos


def validar_texto(texto: str) -> None:
    try:
        malos = campos_desconocidos(texto)
    except ValueError as exc:
        raise ErrorDominio(_("Revise las llaves del texto: cada campo se escribe entre «{» y «}», "
                             "y una llave sola se escribe doble («{{» o «}}»).")) from exc
    if malos:
        raise ErrorDominio(
            _("Campos no reconocidos: %(malos)s. Puede usar %(campos)s.")
            % {"malos": ", ".join(malos), "campos": ", ".join("{" + c + "}" for c in CAMPOS)}
        )


def formatear_texto(texto: str, valores: dict[str, str]) -> SafeString:
    """The staff's text with its placeholders filled. The text is data, never template code: it is
    escaped, checked to hold only the plain CAMPOS, then filled with str.format_map from escaped
    values (so neither the text nor a name can inject markup)."""
    escapado = str(escape(texto))
    validar_texto(escapado)
    lleno = escapado.format_map({c: str(escape(valores.get(c, ""))) for c in CAMPOS})
    return mark_safe(lleno.replace("\n", "<br>\n"))  # noqa: S308 - every piece was escaped above


def plantilla_de(autoridad: AutoridadGarante) -> PlantillaConstancia:
    """The authority's template, or an unsaved one with the model's defaults."""
    return PlantillaConstancia.objects.filter(autoridad=autoridad).first() or PlantillaConstancia(autoridad=autoridad)


def _firmantes_limpios(firmantes) -> list[dict]:
    limpios = []
    for f in firmantes or []:
        nombre, cargo = (f.get("nombre") or "").strip(), (f.get("cargo") or "").strip()
        if nombre or cargo:
            limpios.append({"nombre": nombre, "cargo": cargo})
    return limpios


def firmantes_de(autoridad: AutoridadGarante, plantilla: PlantillaConstancia) -> list[dict]:
    """Who signs the constancia: the template's own signers, or else the authority's
    (core.FirmanteAutoridad, kept on its panel page), in their order."""
    propios = _firmantes_limpios(plantilla.firmantes)
    if propios:
        return propios
    return [{"nombre": f.nombre, "cargo": f.cargo} for f in autoridad.firmantes.all()[:MAX_FIRMANTES]]


@transaction.atomic
def plantilla_guardar(*, autoridad: AutoridadGarante, titulo: str, cuerpo: str, pie: str, firmantes: list[dict],
                      usuario) -> PlantillaConstancia:
    validar_texto(cuerpo)
    plantilla = (PlantillaConstancia.objects.select_for_update().filter(autoridad=autoridad).first()
                 or PlantillaConstancia(autoridad=autoridad))
    plantilla.titulo = titulo.strip()
    plantilla.cuerpo = cuerpo.strip()
    plantilla.pie = pie.strip()
    plantilla.firmantes = _firmantes_limpios(firmantes)
    try:
        plantilla.full_clean()
    except ValidationError as exc:
        raise ErrorDominio(" ".join(exc.messages)) from exc
    plantilla._history_user = usuario
    plantilla.save()
    return plantilla
