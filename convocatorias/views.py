from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.views.decorators.http import require_GET

from core.files import servir_archivo

from . import selectors
from .models import Convocatoria, DocumentoConvocatoria


def _visible(request, convocatoria):
    return convocatoria.es_publica or request.user.has_perm("convocatorias.gestionar_convocatoria", convocatoria)


@require_GET
def lista(request):
    ahora = timezone.now()
    publicas = list(selectors.convocatorias_publicas())
    abiertas = [c for c in publicas if c.recibe_propuestas(ahora)]
    proximas = [c for c in publicas if c.estado == Convocatoria.Estado.ABIERTA and c.fecha_apertura > ahora]
    archivo = [c for c in publicas if c not in abiertas and c not in proximas]
    return render(request, "convocatorias/lista.html",
                  {"abiertas": abiertas, "proximas": proximas, "archivo": archivo, "ahora": ahora})


@require_GET
def detalle(request, slug):
    try:
        convocatoria = selectors.convocatoria_detalle(slug)
    except Convocatoria.DoesNotExist as exc:
        raise Http404 from exc
    if not _visible(request, convocatoria):
        raise Http404
    return render(request, "convocatorias/detalle.html",
                  {"convocatoria": convocatoria, "ahora": timezone.now(),
                   "recibe": convocatoria.recibe_propuestas()})


@require_GET
def documento(request, slug, pk):
    doc = get_object_or_404(DocumentoConvocatoria.objects.select_related("convocatoria__autoridad"),
                            pk=pk, convocatoria__slug=slug)
    if not _visible(request, doc.convocatoria):
        raise Http404
    nombre = doc.archivo.name.rsplit("/", 1)[-1]
    return servir_archivo(doc.archivo, nombre_descarga=nombre)
