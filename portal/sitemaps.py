"""The sitemap: public pages only. Calls that are not drafts, results pages and recognised
practices once their embargo is over (from `reconocimientos_publicos`, evaluated at request
time), the bodies that have any of them, published jornadas, and the cartas compromiso tracker's
pages of each authority and body with an accepted letter. It spans the apps, so it lives
in the portal. Its addresses are under SITE_URL (core.sitio.Sitemap), not the request's host."""

from django.db.models import Max
from django.urls import reverse
from django.utils import timezone

from compromisos.selectors import paginas_publicas
from convocatorias.models import Convocatoria
from convocatorias.selectors import convocatorias_publicas
from core.sitio import Sitemap
from evaluacion.catalogo import reconocimientos_publicos
from jornadas.models import Jornada


class Paginas(Sitemap):
    changefreq = "daily"
    priority = 0.8

    def items(self):
        return ["portal:inicio", "evaluacion:catalogo", "convocatorias:lista", "jornadas:lista", "datos:inicio",
                "core:verificar_inicio", "compromisos:inicio"]

    def location(self, item):
        return reverse(item)


class Convocatorias(Sitemap):
    changefreq = "weekly"

    def items(self):
        return convocatorias_publicas().select_related(None).only("slug", "actualizada_en")

    def lastmod(self, conv):
        return conv.actualizada_en


class Resultados(Sitemap):
    changefreq = "monthly"

    def items(self):
        return (Convocatoria.objects.filter(Convocatoria.q_resultados_visibles(timezone.now()))
                .order_by("-fecha_resultados").only("slug", "fecha_resultados"))

    def location(self, conv):
        return reverse("evaluacion:resultados", args=[conv.slug])

    def lastmod(self, conv):
        return conv.fecha_resultados


class Practicas(Sitemap):
    changefreq = "monthly"
    priority = 0.7
    limit = 5000

    def items(self):
        return (reconocimientos_publicos(timezone.now()).order_by("-pk")
                .values("dictamen__practica_id", "dictamen__practica__convocatoria__fecha_resultados"))

    def location(self, fila):
        return reverse("evaluacion:catalogo_practica", args=[fila["dictamen__practica_id"]])

    def lastmod(self, fila):
        return fila["dictamen__practica__convocatoria__fecha_resultados"]


class Sujetos(Sitemap):
    changefreq = "monthly"
    limit = 5000

    def items(self):
        return (reconocimientos_publicos(timezone.now()).order_by()
                .values("dictamen__practica__sujeto_id")
                .annotate(ultima=Max("dictamen__practica__convocatoria__fecha_resultados"))
                .order_by("dictamen__practica__sujeto_id"))

    def location(self, fila):
        return reverse("evaluacion:catalogo_sujeto", args=[fila["dictamen__practica__sujeto_id"]])

    def lastmod(self, fila):
        return fila["ultima"]


class Jornadas(Sitemap):
    changefreq = "weekly"

    def items(self):
        return Jornada.objects.filter(publicada=True).order_by("inicio", "pk").only("slug")


class CartasCompromiso(Sitemap):
    changefreq = "weekly"

    def items(self):
        return paginas_publicas()

    def location(self, pagina):
        slug, sujeto, _ultima = pagina
        if sujeto is None:
            return reverse("compromisos:autoridad", args=[slug])
        return reverse("compromisos:sujeto", args=[slug, sujeto])

    def lastmod(self, pagina):
        return pagina[2]


SITEMAPS = {
    "paginas": Paginas, "convocatorias": Convocatorias, "resultados": Resultados,
    "practicas": Practicas, "sujetos": Sujetos, "jornadas": Jornadas, "cartas-compromiso": CartasCompromiso,
}
