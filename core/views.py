import re

from django.db import connection
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from . import documentos
from .cara import mostrar_autoridad
from .files import servir_archivo
from .models import AutoridadGarante, DocumentoVerificable


@require_GET
def aviso_privacidad(request):
    autoridades = AutoridadGarante.objects.all()
    return render(request, "core/aviso_privacidad.html", {"autoridades": autoridades})


@require_GET
def salud(request):
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"estado": "ok"})


# --- verifiable documents ------------------------------------------------------------------------

# How the verification page names what a document says (its `resumen` keys).
ETIQUETAS_RESUMEN = {
    "sujeto_obligado": _("Sujeto obligado"),
    "practica": _("Práctica"),
    "convocatoria": _("Convocatoria"),
    "decision": _("Decisión del Jurado Calificador"),
    "fecha": _("Fecha"),
    "vigente_desde": _("Vigente desde"),
    "vigente_hasta": _("Vigente hasta"),
    "participante": _("Participante"),
    "jornada": _("Jornada"),
}


def _documento_publico(codigo, ahora):
    """The document with this code if it is public now; None otherwise, so an embargoed document
    and an unknown code look the same."""
    doc = DocumentoVerificable.objects.select_related("autoridad").filter(codigo=codigo).first()
    if doc is None or doc.visible_desde > ahora:
        return None
    if not documentos.tipo_de(doc.tipo).es_publico(doc, ahora):
        return None
    return doc


def _no_encontrado(request, codigo=""):
    return render(request, "core/verificar_no_encontrado.html", {"codigo": codigo}, status=404)


@require_GET
def verificar_inicio(request):
    """Type the code printed under the QR."""
    codigo = (request.GET.get("codigo") or "").strip()
    if codigo:
        if not re.fullmatch(r"[-\w]{1,40}", codigo, flags=re.ASCII):
            return _no_encontrado(request, codigo)
        return redirect("core:verificar", codigo=codigo)
    return render(request, "core/verificar_inicio.html")


@require_GET
def verificar(request, codigo):
    ahora = timezone.now()
    doc = _documento_publico(codigo, ahora)
    if doc is None:
        return _no_encontrado(request, codigo)
    resumen = [
        (ETIQUETAS_RESUMEN.get(clave, clave.replace("_", " ").capitalize()), valor)
        for clave, valor in (doc.resumen or {}).items()
    ]
    mostrar_autoridad(request, doc.autoridad)
    descargable = (doc.estado_pdf == DocumentoVerificable.EstadoPDF.LISTA
                   and documentos.tipo_de(doc.tipo).puede_descargar(request.user, doc, ahora))
    return render(request, "core/verificar.html", {
        "documento": doc, "resumen": resumen, "estado": doc.estado_vigencia(timezone.localdate(ahora)),
        "descargable": descargable,
    })


@require_GET
def documento_descargar(request, codigo):
    """A verifiable PDF by its code. Whoever may not read it (yet) gets the same 404 as for an unknown code."""
    doc = DocumentoVerificable.objects.filter(codigo=codigo).first()
    if doc is None or doc.estado_pdf != DocumentoVerificable.EstadoPDF.LISTA:
        raise Http404
    if not documentos.tipo_de(doc.tipo).puede_descargar(request.user, doc, timezone.now()):
        raise Http404
    return servir_archivo(doc.archivo, nombre_descarga=f"{doc.folio}.pdf", mime="application/pdf")
