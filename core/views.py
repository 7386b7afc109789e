import re

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.db import connection
from django.db.models import Count, Q
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from convocatorias import selectors as conv_selectors

from . import documentos
from .files import servir_archivo
from .models import AutoridadGarante, DocumentoVerificable


def _inicio_catalogo(request, ahora) -> dict:
    """Key figures and the latest public recognitions, rendered once per catalogue version
    (evaluacion.cache_catalogo: the embargo's second changes the key)."""
    from evaluacion import cache_catalogo
    from evaluacion.catalogo import reconocimientos_publicos
    from evaluacion.views_catalogo import filas_en_orden
    from jornadas.models import Jornada

    clave = cache_catalogo.clave("inicio", {}, ahora)
    bloques = cache.get(clave)
    if bloques is None:
        publicos = reconocimientos_publicos(ahora)
        cifras = publicos.order_by().aggregate(
            vigentes=Count("pk", filter=Q(estado_vigencia="vigente")),
            sujetos=Count("dictamen__practica__sujeto", distinct=True),
        )
        cifras.update(Jornada.objects.filter(publicada=True, inicio__lte=ahora).aggregate(
            sesiones=Count("pk", distinct=True),
            capacitadas=Count("registros", filter=Q(registros__asistio=True)),
        ))
        recientes = filas_en_orden(publicos, list(publicos.order_by("-vigente_desde", "-pk")
                                                  .values_list("pk", flat=True)[:6]))
        bloques = {
            "cifras": render_to_string("core/_inicio_cifras.html", {"cifras": cifras}, request),
            "recientes": render_to_string("core/_inicio_recientes.html", {"recientes": recientes}, request),
        }
        cache.set(clave, bloques, cache_catalogo.TTL)
    return {nombre: mark_safe(html) for nombre, html in bloques.items()}  # noqa: S308 - our templates' output


@require_GET
def inicio(request):
    """The open calls with their countdown, key figures, the latest recognitions (only public
    ones: reconocimientos_publicos, the embargo) and a search box into the catalogue."""
    ahora = timezone.now()
    return render(request, "core/inicio.html", {
        "abiertas": conv_selectors.convocatorias_abiertas(ahora),
        "catalogo": _inicio_catalogo(request, ahora),
        "canonica": f"{settings.SITE_URL.rstrip('/')}{reverse('core:inicio')}",
    })


@require_GET
def robots_txt(request):
    """Crawlers may read every public page; the sitemap lists them."""
    lineas = [
        "User-agent: *",
        "Disallow: /panel/", "Disallow: /admin/", "Disallow: /cuentas/",
        f"Sitemap: {settings.SITE_URL.rstrip('/')}{reverse('sitemap')}",
        "",
    ]
    return HttpResponse("\n".join(lineas), content_type="text/plain; charset=utf-8")


@require_GET
def aviso_privacidad(request):
    autoridades = AutoridadGarante.objects.all()
    return render(request, "core/aviso_privacidad.html", {"autoridades": autoridades})


@login_required
def destino(request):
    """After login, send each person where their work is."""
    if request.user.has_perm("core.acceder_panel"):
        return redirect("panel:inicio")
    if request.user.jurados.exists():
        return redirect("panel:jurado_inicio")
    return redirect("practicas:mis_practicas")


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
    doc = DocumentoVerificable.objects.filter(codigo=codigo).first()
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
