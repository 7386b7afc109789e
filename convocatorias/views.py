from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_safe

from core.acceso import obtener_o_rechazar
from core.cara import mostrar_autoridad
from core.files import servir_archivo

from . import selectors
from .models import Convocatoria, DocumentoConvocatoria


@require_safe
def lista(request):
    ahora = timezone.now()
    publicas = list(selectors.convocatorias_publicas())
    abiertas = [c for c in publicas if c.recibe_propuestas(ahora)]
    proximas = [c for c in publicas if c.estado == Convocatoria.Estado.ABIERTA and c.fecha_apertura > ahora]
    archivo = [c for c in publicas if c not in abiertas and c not in proximas]
    return render(request, "convocatorias/lista.html",
                  {"abiertas": abiertas, "proximas": proximas, "archivo": archivo, "ahora": ahora})


@require_safe
def detalle(request, slug):
    convocatoria = obtener_o_rechazar(
        request.user, selectors.con_detalle(selectors.convocatorias_visibles(request.user)), slug=slug)
    mostrar_autoridad(request, convocatoria.autoridad)
    return render(request, "convocatorias/detalle.html",
                  {"convocatoria": convocatoria, "ahora": timezone.now(),
                   "recibe": convocatoria.recibe_propuestas()})


@require_safe
def documento(request, slug, pk):
    doc = obtener_o_rechazar(
        request.user, DocumentoConvocatoria.objects.filter(convocatoria__in=selectors.convocatorias_visibles(request.user)),
        pk=pk, convocatoria__slug=slug)
    nombre = doc.archivo.name.rsplit("/", 1)[-1]
    return servir_archivo(doc.archivo, nombre_descarga=nombre)
