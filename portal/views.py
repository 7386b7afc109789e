"""Public pages that combine the apps: the home page and robots.txt, and where a person lands
after signing in."""

from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.db.models import Count, Q
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_safe

from convocatorias import selectors as conv_selectors
from core import sitio
from evaluacion import cache_catalogo
from evaluacion.catalogo import filas_en_orden, para_tarjetas, reconocimientos_publicos
from jornadas.selectors import cifras_publicas as cifras_jornadas


def _inicio_catalogo(request, ahora) -> dict:
    """Key figures and the latest public recognitions, rendered once per catalogue version
    (evaluacion.cache_catalogo: the embargo's second changes the key)."""
    clave = cache_catalogo.clave("inicio", {}, ahora)
    bloques = cache.get(clave)
    if bloques is None:
        publicos = reconocimientos_publicos(ahora)
        cifras = publicos.order_by().aggregate(
            vigentes=Count("pk", filter=Q(estado_vigencia="vigente")),
            sujetos=Count("dictamen__practica__sujeto", distinct=True),
        )
        cifras.update(cifras_jornadas(ahora))
        recientes = filas_en_orden(para_tarjetas(publicos), list(publicos.order_by("-vigente_desde", "-pk")
                                                  .values_list("pk", flat=True)[:6]))
        bloques = {
            "cifras": render_to_string("portal/_inicio_cifras.html", {"cifras": cifras}, request),
            "recientes": render_to_string("portal/_inicio_recientes.html", {"recientes": recientes}, request),
        }
        cache.set(clave, bloques, cache_catalogo.TTL)
    return {nombre: mark_safe(html) for nombre, html in bloques.items()}  # noqa: S308 - our templates' output


@require_safe
def inicio(request):
    """The open calls with their countdown, key figures, the latest recognitions (only public
    ones: reconocimientos_publicos, the embargo) and a search box into the catalogue."""
    ahora = timezone.now()
    return render(request, "portal/inicio.html", {
        "abiertas": conv_selectors.convocatorias_abiertas(ahora),
        "catalogo": _inicio_catalogo(request, ahora),
        "canonica": sitio.url_de("portal:inicio"),
    })


@require_safe
def robots_txt(request):
    """Crawlers may read every public page; the sitemap lists them."""
    lineas = [
        "User-agent: *",
        "Disallow: /panel/", "Disallow: /admin/", "Disallow: /cuentas/",
        f"Sitemap: {sitio.url_de('sitemap')}",
        "",
    ]
    return HttpResponse("\n".join(lineas), content_type="text/plain; charset=utf-8")


@login_required
def destino(request):
    """After login, send each person where their work is."""
    if request.user.has_perm("core.acceder_panel"):
        return redirect("panel:inicio")
    if request.user.jurados.exists():
        return redirect("panel:jurado_inicio")
    return redirect("practicas:mis_practicas")
