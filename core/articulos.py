"""The article before an institution's name, so texts read «del Ayuntamiento de…» and «de la
Secretaría de…» instead of «de Ayuntamiento de…». Read from the name's first word (the
kind of body: Ayuntamiento, Secretaría, Instituto…); a name whose first word is not a known kind
(an acronym, a proper name) gets no article, which is what Spanish does for those."""

from django.utils.translation import gettext as _

from .tabular import normalizar

_MASCULINOS = {
    "ayuntamiento", "instituto", "poder", "tribunal", "congreso", "sistema", "organismo", "consejo", "colegio",
    "centro", "partido", "fideicomiso", "municipio", "comite", "servicio", "patronato", "fondo", "hospital",
    "archivo", "museo", "registro", "despacho", "gobierno", "consorcio", "ministerio", "secretariado",
}
_FEMENINOS = {
    "secretaria", "comision", "universidad", "fiscalia", "junta", "procuraduria", "direccion", "coordinacion",
    "contraloria", "legislatura", "auditoria", "oficina", "unidad", "agencia", "defensoria", "consejeria",
    "tesoreria", "gubernatura", "camara", "escuela", "facultad", "policia", "presidencia", "asamblea",
    "administracion", "subsecretaria", "corporacion", "empresa", "sociedad", "asociacion", "federacion",
}
_MASCULINOS_PLURAL = {"servicios", "talleres", "institutos", "sistemas"}
_FEMENINOS_PLURAL = {"comisiones", "oficinas", "unidades"}


def articulo(nombre: str) -> str:
    """«el», «la», «los», «las» or «» for an institution's name."""
    palabras = normalizar(nombre).split()
    if not palabras or palabras[0] in {"el", "la", "los", "las"}:
        return ""
    primera = palabras[0]
    if primera in _MASCULINOS:
        return "el"
    if primera in _FEMENINOS:
        return "la"
    if primera in _MASCULINOS_PLURAL:
        return "los"
    if primera in _FEMENINOS_PLURAL:
        return "las"
    return ""


def con_articulo(nombre: str) -> str:
    """«el Ayuntamiento de…», «la Secretaría de…»; an acronym as it is."""
    art = articulo(nombre)
    return f"{art} {nombre}" if art else nombre


def de(nombre: str) -> str:
    """«del Ayuntamiento de…», «de la Secretaría de…», «de» before an acronym."""
    art = articulo(nombre)
    if art == "el":
        return _("del %(n)s") % {"n": nombre}
    return f"de {art} {nombre}" if art else f"de {nombre}"


def a_articulo(nombre: str) -> str:
    """The «a» before the name, with its article, for a name set on a line of its own: «al», «a la», «a»."""
    art = articulo(nombre)
    return "al" if art == "el" else f"a {art}" if art else "a"


def a(nombre: str) -> str:
    """«al Ayuntamiento de…», «a la Secretaría de…»."""
    art = articulo(nombre)
    if art == "el":
        return f"al {nombre}"
    return f"a {art} {nombre}" if art else f"a {nombre}"
