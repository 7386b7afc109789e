"""Whose face a page shows. A page tied to one authority (a call, its practices, results, documents,
sessions) shows that authority's name, acronym, logo, address, contact and colour; every other page
shows the instance's own identity (settings PORTAL_*) with the authorities it hosts.

A view says so with `mostrar_autoridad(request, autoridad)`; the context processor reads it when the
template renders, so the frame (base.html) needs nothing from the view's context."""

import hashlib
from dataclasses import dataclass

from django.conf import settings
from django.urls import reverse

from .models import AutoridadGarante


def mostrar_autoridad(request, autoridad: AutoridadGarante | None) -> None:
    if autoridad is not None:
        request.autoridad_pagina = autoridad


def autoridad_de_pagina(request) -> AutoridadGarante | None:
    return getattr(request, "autoridad_pagina", None)


@dataclass(frozen=True)
class IdentidadPortal:
    """The instance's identity, from settings (PORTAL_NOMBRE, PORTAL_DESCRIPCION, PORTAL_CORREO,
    PORTAL_SITIO_WEB, PORTAL_COLOR): no query, and each deployment names itself."""

    nombre: str
    descripcion: str
    correo_contacto: str
    sitio_web: str
    color_primario: str

    @classmethod
    def actual(cls) -> "IdentidadPortal":
        return cls(settings.PORTAL_NOMBRE, settings.PORTAL_DESCRIPCION, settings.PORTAL_CORREO,
                   settings.PORTAL_SITIO_WEB, settings.PORTAL_COLOR)


class Cara:
    """What base.html prints in its header, <title>, footer and theme: an authority's data or the
    instance's identity, under the same names."""

    def __init__(self, autoridad: AutoridadGarante | None, identidad: IdentidadPortal):
        self.autoridad = autoridad
        self.identidad = identidad

    @property
    def es_autoridad(self) -> bool:
        return self.autoridad is not None

    @property
    def logo_url(self) -> str:
        """The authority's logo through core:logo (public in production too), its file name in the
        query so a new upload is fetched at once; empty for the portal or an authority without one."""
        if self.autoridad is None or not self.autoridad.logo:
            return ""
        version = hashlib.sha256(self.autoridad.logo.name.encode()).hexdigest()[:10]
        return f"{reverse('core:logo', args=[self.autoridad.slug])}?v={version}"

    @property
    def color_rgb(self) -> str:
        """«31, 78, 121»: the colour as Bootstrap's *-rgb variables want it."""
        color = self.color_primario or "#1f4e79"
        return ", ".join(str(int(color[i:i + 2], 16)) for i in (1, 3, 5))

    def __getattr__(self, nombre):
        if nombre.startswith("_"):
            raise AttributeError(nombre)
        if self.autoridad is not None:
            return getattr(self.autoridad, nombre, "")
        i = self.identidad
        valores = {"siglas": i.nombre, "nombre": i.nombre, "descripcion": i.descripcion,
                   "correo_contacto": i.correo_contacto, "sitio_web": i.sitio_web,
                   "color_primario": i.color_primario}
        return valores.get(nombre, "")
