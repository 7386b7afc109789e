"""Open data pages: the list of datasets with their dictionaries and reuse counts, the downloads
(streamed CSV and JSON, narrowed by `?autoridad=<slug>`), the dictionaries and the DCAT `data.json`
catalogue. A parameter a download does not know, or an unknown authority, is a 400 in the
download's format, never silently ignored."""

from django.conf import settings
from django.http import Http404, HttpResponse, JsonResponse, StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_safe

from . import datos_abiertos as da
from .filtros import PARAMETRO_AUTORIDAD, leer_autoridad, parametros_desconocidos
from .models import UsoDataset


def _dataset(dataset_id: str, formato: str) -> da.Dataset:
    ds = da.obtener(dataset_id)
    if ds is None or formato not in da.FORMATOS:
        raise Http404
    return ds


def _respuesta(contenido, formato: str, nombre: str) -> StreamingHttpResponse:
    respuesta = StreamingHttpResponse(contenido, content_type=da.MEDIA_TYPES[formato])
    respuesta["Content-Disposition"] = f'attachment; filename="{nombre}.{formato}"'
    respuesta["Access-Control-Allow-Origin"] = "*"  # public data: any site may fetch it
    return respuesta


def _error(errores: dict[str, list[str]], formato: str) -> HttpResponse:
    """400 in the format asked for: JSON {parameter: [messages]}, or one plain-text line per message."""
    if formato == "json":
        respuesta = JsonResponse(errores, status=400, json_dumps_params={"ensure_ascii": False})
    else:
        texto = "".join(f"{campo}: {mensaje}\n" for campo, mensajes in errores.items() for mensaje in mensajes)
        respuesta = HttpResponse(texto, status=400, content_type="text/plain; charset=utf-8")
    respuesta["Access-Control-Allow-Origin"] = "*"
    return respuesta


@require_safe
def inicio(request):
    ahora = timezone.now()
    usos = da.usos_por_dataset()
    datasets = [{"ds": ds, "usos": usos[ds.id], "modificado": ds.modificado(ahora)} for ds in da.DATASETS.values()]
    total = {"descarga": sum(u["descarga"] for u in usos.values()), "api": sum(u["api"] for u in usos.values())}
    desde = UsoDataset.objects.order_by("dia").values_list("dia", flat=True).first()
    return render(request, "core/datos/inicio.html", {
        "datasets": datasets, "total": total, "desde": desde, "tipos": _TIPOS,
        "licencia_url": settings.DATOS_ABIERTOS_LICENCIA,
    })


@require_safe
def descarga(request, dataset_id, formato):
    ds = _dataset(dataset_id, formato)
    errores = parametros_desconocidos(request.GET, [PARAMETRO_AUTORIDAD])
    autoridad, invalidos = leer_autoridad(request.GET)
    if errores or invalidos:
        return _error({**errores, **invalidos}, formato)
    contexto = da.Contexto.actual(autoridad=autoridad)
    if request.method == "GET":  # a HEAD (a link checker) gets the headers and is not a download
        da.uso_registrar(dataset=ds.id, formato=formato, canal=UsoDataset.Canal.DESCARGA, ahora=contexto.ahora)
    filas = ds.filas(contexto)
    contenido = da.csv_stream(ds.encabezado, filas) if formato == "csv" else da.json_stream(filas)
    return _respuesta(contenido, formato, ds.id)


@require_safe
def diccionario(request, dataset_id, formato):
    ds = _dataset(dataset_id, formato)
    if errores := parametros_desconocidos(request.GET, []):
        return _error(errores, formato)
    filas = ({"campo": c.nombre, "tipo": c.tipo, "descripcion": str(c.descripcion)} for c in ds.campos)
    contenido = da.csv_stream(["campo", "tipo", "descripcion"], filas) if formato == "csv" else da.json_stream(filas)
    return _respuesta(contenido, formato, f"{ds.id}-diccionario")


@require_safe
def catalogo_dcat(request):
    respuesta = JsonResponse(da.catalogo_dcat(da.Contexto.actual()),
                             json_dumps_params={"ensure_ascii": False, "indent": 2})
    respuesta["Access-Control-Allow-Origin"] = "*"
    return respuesta


# How the page names each field type of the dictionaries, with an example.
_TIPOS = [
    (da.TEXTO, "Ciudad de México"),
    (da.ENTERO, "42"),
    (da.DECIMAL, "87.5"),
    (da.FECHA, "2024-03-01"),
    (da.FECHA_HORA, "2024-03-01T10:00:00-06:00"),
    (da.URL, "https://…"),
]
