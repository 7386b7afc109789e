"""{% tarjetas %}: the catalogue's cards of recognised practices, written here rather than through the
template engine. A page of the catalogue shows 20 of them and the engine spends some thirty nodes on
each: a quarter of an uncached page's time. What other pages share stays in its own template and is
rendered once per distinct value: the authority's abbreviation (core/_autoridad.html) and the
validity badge (evaluacion/_estado_reconocimiento.html). Everything else is escaped here as the
template escaped it (html.escape, which django.utils.html.escape wraps)."""

from html import escape

from django import template
from django.template.loader import render_to_string
from django.utils.formats import localize
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from core.templatetags.reconoce import url_pk
from evaluacion.busqueda import resaltar as marcar

register = template.Library()


@register.simple_tag
def tarjetas(reconocimientos, en_lista=False, sin_sujeto=False, nivel="h3", resaltar=None) -> SafeString:
    """`reconocimientos`: rows of catalogo.para_tarjetas (or wider). `en_lista` wraps each card in
    <li>; `sin_sujeto` leaves out the body (its own page lists them); `nivel`: the heading;
    `resaltar`: a search's words (busqueda.terminos_resaltables), marked in the name, body and summary."""
    terminos = list(resaltar or [])
    nivel = escape(nivel or "h3")
    otorga = escape(_("Otorga:"))
    autoridades, estados, convocatorias = {}, {}, {}
    partes = []
    for r in reconocimientos:
        p = r.dictamen.practica
        conv = p.convocatoria
        if conv.autoridad_id not in autoridades:
            autoridades[conv.autoridad_id] = render_to_string("core/_autoridad.html", {"autoridad": conv.autoridad})
        if r.estado_vigencia not in estados:
            estados[r.estado_vigencia] = render_to_string("evaluacion/_estado_reconocimiento.html",
                                                          {"estado": r.estado_vigencia})
        if conv.anio not in convocatorias:
            convocatorias[conv.anio] = _("Convocatoria %(a)s") % {"a": escape(str(localize(conv.anio)))}
        sujeto = ""
        if not sin_sujeto:
            municipio = p.sujeto.municipio
            sujeto = (f'<a href="{escape(url_pk("evaluacion:catalogo_sujeto", p.sujeto_id))}">'
                      f'{marcar(p.sujeto.nombre, terminos)}</a>{f" · {escape(str(municipio))}" if municipio else ""} · ')
        descripcion = (f'<p class="mb-0 text-body-secondary">'
                       f'{marcar(Truncator(p.descripcion).words(40, truncate=" …"), terminos)}</p>' if p.descripcion else "")
        partes.append(
            f'{"<li>" if en_lista else ""}\n<article class="card mb-3">\n  <div class="card-body">\n'
            f'    <{nivel} class="h5 card-title"><a href="{escape(url_pk("evaluacion:catalogo_practica", p.pk))}">'
            f"{marcar(p.nombre, terminos)}</a></{nivel}>\n"
            f'    <p class="mb-1">{sujeto}{convocatorias[conv.anio]}\n'
            f'      · {otorga} {autoridades[conv.autoridad_id]}\n'
            f'      · {estados[r.estado_vigencia]}</p>\n'
            f'    {descripcion}\n  </div>\n</article>\n{"</li>" if en_lista else ""}')
    return mark_safe("".join(partes))  # noqa: S308 - every value above is escaped
