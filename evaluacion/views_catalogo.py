"""The public catalogue of recognised practices: the search page, a page per practice and a page
per body. Everything starts from `catalogo.reconocimientos_publicos(ahora)`, so nothing under
embargo can reach any of them; a practice or body with nothing public is a plain 404."""

import json
from html import escape

from django.conf import settings
from django.core.cache import cache
from django.core.paginator import Page, Paginator
from django.db.models import Count, Prefetch, Window
from django.http import Http404, HttpResponse
from django.middleware.csrf import get_token
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from convocatorias.models import Convocatoria
from core import sitio
from core.cara import mostrar_autoridad
from practicas.models import Evidencia, Municipio, Soporte, SujetoObligado

from . import busqueda, cache_catalogo
from .catalogo import filas_en_orden, para_tarjetas, reconocimientos_publicos, sujetos_por_nombre
from .filtros import CatalogoPaginaFilter, Orden, Vigencia
from .models import MotivoDictamen

POR_PAGINA = 20


def _json_ld(datos: dict) -> str:
    """JSON-LD safe inside <script>: no character can close the element."""
    texto = json.dumps(datos, ensure_ascii=False, indent=None)
    return mark_safe(texto.translate({ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}))  # noqa: S308


def convocatorias_con_resultados(ahora):
    """Calls whose results are public (the embargo is over), for the year, authority and call
    filters: rows of (slug, titulo, anio, and their authority's slug, siglas, nombre)."""
    return (Convocatoria.objects.filter(Convocatoria.q_resultados_visibles(ahora))
            .order_by("-anio", "titulo", "autoridad__siglas")
            .values_list("slug", "titulo", "anio", "autoridad__slug", "autoridad__siglas", "autoridad__nombre"))


def _errores(filtro) -> list[dict]:
    """The form's errors, in the form's order, with each field's label (for the summary above it)."""
    return [{"campo": nombre, "etiqueta": campo.label, "mensajes": filtro.form.errors[nombre]}
            for nombre, campo in filtro.form.fields.items() if nombre in filtro.form.errors]


def _opciones(pares, elegido) -> str:
    """The <option>s of a filter's list in one pass, `elegido` selected, each value and label escaped
    (html.escape, as django.utils.html.escape does): through the template engine, the 125
    municipalities of a grown catalogue cost more than all the rest of the form."""
    return mark_safe("".join(  # noqa: S308 - every value and label is escaped here
        f'<option value="{escape(str(valor))}"{" selected" if valor == elegido else ""}>{escape(str(etiqueta))}'
        f'</option>' for valor, etiqueta in pares))


def _pagina_contada(filtrados, numero) -> tuple[Paginator, Page]:
    """The page `numero` of the filtered ids with their total from the same query (COUNT(*) OVER ()).
    A search reads every match anyway (to rank them), so counting them apart would run it twice.
    Past either end it falls back on Paginator.get_page (count, then the last page), as before."""
    ids = filtrados.values_list("pk", flat=True)
    paginador = Paginator(ids, POR_PAGINA)
    try:
        n = int(numero)
    except (TypeError, ValueError):
        n = 1  # what get_page does with a page that is not a number
    if n >= 1:
        desde = (n - 1) * POR_PAGINA
        filas = list(filtrados.annotate(total_filas=Window(Count("pk")))
                     .values_list("pk", "total_filas")[desde:desde + POR_PAGINA])
        if filas or n == 1:  # an empty first page: nothing matches
            paginador.count = filas[0][1] if filas else 0
            return paginador, Page([pk for pk, _total in filas], n, paginador)
    return paginador, paginador.get_page(numero)


def _contexto_lista(request, ahora) -> dict:
    publicos = reconocimientos_publicos(ahora)
    filtro = CatalogoPaginaFilter(request.GET, queryset=publicos)
    if filtro.is_valid():
        # Paginate the ids (a narrow query the database answers from indexes), then read the page's
        # 20 rows with everything they show: sorting 10,000 wide joined rows is what that avoids.
        if filtro.form.cleaned_data.get("q"):
            paginador, pagina = _pagina_contada(filtro.qs, request.GET.get("pagina"))
        else:  # the plain listing reads 20 ids from an index; a window would read them all
            paginador = Paginator(filtro.qs.values_list("pk", flat=True), POR_PAGINA)
            pagina = paginador.get_page(request.GET.get("pagina"))
        pagina.object_list = filas_en_orden(para_tarjetas(publicos), list(pagina.object_list))
    else:
        # An unknown value is never silently dropped: no results, and the error by its field.
        paginador = Paginator([], POR_PAGINA)
        pagina = paginador.get_page(1)
    datos = filtro.form.cleaned_data
    convocatorias = list(convocatorias_con_resultados(ahora))
    # The authorities with public results (from the calls just read: no query of their own).
    autoridades = sorted({(slug, siglas, nombre) for *_c, slug, siglas, nombre in convocatorias},
                         key=lambda a: (a[1], a[0]))
    municipios = Municipio.objects.filter(
        pk__in=publicos.order_by().values("dictamen__practica__sujeto__municipio_id")) \
        .order_by("entidad", "nombre").values_list("cvegeo", "nombre", "entidad")
    opciones_municipio = _opciones(((clave, Municipio.rotulo(nombre, entidad)) for clave, nombre, entidad in municipios),
                                   datos.get("municipio"))
    sujeto = None
    if datos.get("sujeto"):
        # Named only if it has something public: the filter must not hint at what is embargoed.
        sujeto = SujetoObligado.objects.filter(
            pk=datos["sujeto"], pk__in=publicos.order_by().values("dictamen__practica__sujeto_id"),
        ).only("pk", "nombre").first()
    orden_actual = filtro.orden_efectivo()
    # Every link keeps the other filters: the query string without `pagina`.
    parametros = request.GET.copy()
    parametros.pop("pagina", None)
    sin_sujeto = parametros.copy()
    sin_sujeto.pop("sujeto", None)
    sugerencia = None
    if filtro.is_valid() and datos.get("q") and not paginador.count:
        sugerencia = busqueda.sugerir(datos["q"], publicos)
    sin_q = parametros.copy()
    sin_q.pop("q", None)
    return {
        "sugerencia": sugerencia, "parametros_sin_q": sin_q.urlencode(),
        # The words a search found, marked in each card's name, body and summary (no query: in Python).
        "resaltar": busqueda.terminos_resaltables(datos.get("q") or "") if filtro.is_valid() else [],
        "filtro": filtro, "datos": datos, "pagina": pagina, "total": paginador.count,
        "rango": paginador.get_elided_page_range(pagina.number, on_each_side=2, on_ends=1),
        "autoridades": autoridades, "errores": _errores(filtro), "errores_campo": filtro.form.errors,
        "opciones": {
            "anio": _opciones(((a, a) for a in sorted({c[2] for c in convocatorias}, reverse=True)),
                              datos.get("anio")),
            "autoridad": _opciones(((slug, f"{siglas} — {nombre}") for slug, siglas, nombre in autoridades),
                                   getattr(datos.get("autoridad"), "slug", None)),
            "convocatoria": _opciones(((slug, f"{titulo} ({siglas})") for slug, titulo, _a, _s, siglas, _n
                                       in convocatorias), getattr(datos.get("convocatoria"), "slug", None)),
            "orden": _opciones(SujetoObligado.Orden.choices, datos.get("orden")),
            "municipio": opciones_municipio,
            "vigencia": _opciones(Vigencia.choices, datos.get("vigencia")),
            "orden_por": _opciones(Orden.choices, orden_actual),
        },
        "sujeto": sujeto, "orden_actual": orden_actual,
        "parametros": parametros.urlencode(), "parametros_sin_sujeto": sin_sujeto.urlencode(),
        "hay_filtros": any(v for k, v in parametros.items() if k != "orden_por"),
    }


# Stand for the CSRF token and the CSP nonce in a cached page; each response gets its own (get_token,
# request.csp_nonce, which also puts that nonce in the response's Content-Security-Policy), as usual.
MARCA_CSRF = "__reconoce_csrf_por_peticion__"
MARCA_NONCE = "__reconoce_nonce_por_peticion__"


def _por_peticion(html: str, request) -> HttpResponse:
    return HttpResponse(html.replace(MARCA_CSRF, get_token(request)).replace(MARCA_NONCE, str(request.csp_nonce)))


def _sin_estado(request) -> bool:
    """A visitor with no session and no pending messages: every such visitor sees the same page."""
    return not (request.COOKIES.get(settings.SESSION_COOKIE_NAME) or request.COOKIES.get("messages"))


@require_safe
def catalogo(request):
    """The search form and a page of results. The listing is rendered once per query and catalogue
    version (cache_catalogo) and set inside the page frame; for a visitor without a session the
    whole page is kept too, with a fresh CSRF token put in on every response."""
    ahora = timezone.now()
    clave_pagina = cache_catalogo.clave("pagina-lista", request.GET, ahora) if _sin_estado(request) else None
    if clave_pagina and (html := cache.get(clave_pagina)) is not None:
        return _por_peticion(html, request)
    clave = cache_catalogo.clave("lista", request.GET, ahora)
    fragmento = cache.get(clave)
    valido = True
    if fragmento is None:
        contexto_lista = _contexto_lista(request, ahora)
        fragmento = render_to_string("evaluacion/catalogo/_lista.html", contexto_lista, request)
        valido = not contexto_lista["errores"]
        if valido:  # an invalid query is answered (400) but never kept
            cache.set(clave, fragmento, cache_catalogo.TTL)
    contexto = {
        "fragmento": mark_safe(fragmento),  # noqa: S308 - our own template's output
        "q": request.GET.get("q", "").strip()[:200],
        "canonica": sitio.url_absoluta(request.get_full_path()),
    }
    if not valido:
        return render(request, "evaluacion/catalogo/lista.html", contexto, status=400)
    if clave_pagina is None:
        return render(request, "evaluacion/catalogo/lista.html", contexto)
    html = render_to_string("evaluacion/catalogo/lista.html",
                            {**contexto, "csrf_token": MARCA_CSRF, "nonce_csp": MARCA_NONCE}, request)
    cache.set(clave_pagina, html, cache_catalogo.TTL)
    return _por_peticion(html, request)


SUGERIDOS = 15  # the type-ahead's options at most


@require_safe
def sujetos_sugeridos(request):
    """The type-ahead of the catalogue's «Sujeto obligado» box: the <option>s of its <datalist>
    (htmx puts them in as one types), the bodies with a public recognition whose name or abbreviation
    holds what was typed. Kept per text and catalogue version, like the listing."""
    texto = request.GET.get("sujeto_nombre", "")[:200]
    ahora = timezone.now()
    clave = cache_catalogo.clave("sujetos-sugeridos", {"t": " ".join(busqueda.normalizar(texto).split())}, ahora)
    html = cache.get(clave)
    if html is None:
        sujetos = sujetos_por_nombre(reconocimientos_publicos(ahora), texto, limite=SUGERIDOS)
        html = _opciones(((nombre, nombre) for _pk, nombre in sujetos), None)
        cache.set(clave, html, cache_catalogo.TTL)
    return HttpResponse(html)


def _reconocimiento_publico(ahora, **filtro):
    return (
        reconocimientos_publicos(ahora).filter(**filtro)
        .prefetch_related(
            Prefetch("dictamen__motivos", queryset=MotivoDictamen.objects.select_related("criterio")
                     .order_by("criterio__numero")),
            Prefetch("dictamen__practica__evidencias", queryset=Evidencia.objects.select_related("criterio")
                     .order_by("criterio__numero")),
            Prefetch("dictamen__practica__soportes", queryset=Soporte.objects.filter(tipo=Soporte.Tipo.ENLACE)
                     .select_related("criterio").order_by("criterio__numero", "pk"), to_attr="enlaces"),
        )
        .first()
    )


def _render_practica(request, rec):
    dictamen = rec.dictamen
    practica = dictamen.practica
    conv = practica.convocatoria
    mostrar_autoridad(request, conv.autoridad)  # the frame shows the granting authority's face
    url = sitio.url_absoluta(reverse("evaluacion:catalogo_practica", args=[practica.pk]))
    url_sujeto = sitio.url_absoluta(reverse("evaluacion:catalogo_sujeto", args=[practica.sujeto_id]))
    descripcion = " ".join(practica.descripcion.split())
    premio = _("Reconocimiento de Práctica de Transparencia Proactiva %(a)s") % {"a": conv.anio}
    datos = {
        "@context": "https://schema.org",
        "@type": "CreativeWork",
        "@id": url,
        "url": url,
        "name": practica.nombre,
        "description": descripcion[:500],
        "inLanguage": "es-MX",
        "creator": {"@type": "GovernmentOrganization", "name": practica.sujeto.nombre, "url": url_sujeto},
        "award": premio,
        "datePublished": timezone.localtime(conv.fecha_resultados).date().isoformat(),
        "publisher": {"@type": "GovernmentOrganization", "name": conv.autoridad.nombre,
                      "alternateName": conv.autoridad.siglas},
    }
    if practica.url_publicacion:
        datos["sameAs"] = practica.url_publicacion
    if practica.fecha_inicio:
        datos["dateCreated"] = practica.fecha_inicio.isoformat()
    return render(request, "evaluacion/catalogo/practica.html", {
        "rec": rec, "dictamen": dictamen, "practica": practica, "convocatoria": conv, "autoridad": conv.autoridad,
        "estado_rec": rec.estado_vigencia, "motivos": list(dictamen.motivos.all()),
        "evidencias": list(practica.evidencias.all()), "enlaces": practica.enlaces,
        "canonica": url, "descripcion_corta": descripcion[:200], "json_ld": _json_ld(datos), "premio": premio,
    })


@require_safe
def practica(request, pk):
    rec = _reconocimiento_publico(timezone.now(), dictamen__practica_id=pk)
    if rec is None:
        raise Http404
    return _render_practica(request, rec)


@require_safe
def practica_en_convocatoria(request, slug, pk):
    """The same page at the address the results page of a call has always linked
    (/convocatorias/<slug>/resultados/<pk>/); its canonical link names the catalogue's."""
    rec = _reconocimiento_publico(timezone.now(), dictamen__practica_id=pk,
                                  dictamen__practica__convocatoria__slug=slug)
    if rec is None:
        raise Http404
    return _render_practica(request, rec)


@require_safe
def sujeto(request, pk):
    """A body's recognised practices across years, newest first. A body with none public (yet)
    gets the same 404 as one that does not exist."""
    recs = list(reconocimientos_publicos(timezone.now()).filter(dictamen__practica__sujeto_id=pk)
                .order_by("-dictamen__practica__convocatoria__anio", "-vigente_desde", "dictamen__practica__nombre",
                          "-pk"))
    if not recs:
        raise Http404
    sujeto = recs[0].dictamen.practica.sujeto
    url = sitio.url_absoluta(reverse("evaluacion:catalogo_sujeto", args=[sujeto.pk]))
    datos = {
        "@context": "https://schema.org", "@type": "GovernmentOrganization", "@id": url, "url": url,
        "name": sujeto.nombre,
    }
    if sujeto.municipio_id:
        datos["areaServed"] = {"@type": "AdministrativeArea", "name": str(sujeto.municipio)}
    return render(request, "evaluacion/catalogo/sujeto.html", {
        "sujeto": sujeto, "reconocimientos": recs, "vigentes": sum(r.estado_vigencia == "vigente" for r in recs),
        "anios": sorted({r.dictamen.practica.convocatoria.anio for r in recs}, reverse=True),
        "canonica": url, "json_ld": _json_ld(datos),
    })
