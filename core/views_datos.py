"""Open data pages: the list of datasets with their dictionaries and reuse counts, the downloads
(streamed CSV and JSON, narrowed by `?autoridad=<slug>`; the CSV for Excel with `?excel=1`), the
dictionaries and the DCAT `data.json` catalogue. A parameter a download does not know, or an
unknown authority, is a 400 in the download's format, never silently ignored. Downloads and
dictionaries carry an ETag and a Last-Modified from the bytes served, and answer 304 to a client
that has them (core.validadores)."""

import itertools

from django.conf import settings
from django.http import Http404, HttpResponse, JsonResponse, StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from . import datos_abiertos as da
from . import reuso, validadores
from .filtros import PARAMETRO_AUTORIDAD, leer_autoridad, parametros_desconocidos
from .models import UsoDataset


def _dataset(dataset_id: str, formato: str) -> da.Dataset:
    ds = da.obtener(dataset_id)
    if ds is None or formato not in da.FORMATOS:
        raise Http404
    return ds


# The CSV for Excel: the same file after a UTF-8 byte order mark, without which Excel reads UTF-8 as
# Windows-1252 ("MÃ©xico"). Other programs would take the mark for part of the first column's name.
PARAMETRO_EXCEL = "excel"
BOM = "\ufeff"


def _respuesta(request, contenido, formato: str, nombre: str, clave: str, ahora=None):
    """The download, streamed, with its validators; or a 304 if the client has these very bytes.
    `contenido()` makes the chunks afresh: once for the ETag, once more for the body of a 200."""
    no_modificado, etag, modificado = validadores.condicional(request, clave=clave, contenido=contenido, ahora=ahora)
    respuesta = no_modificado or StreamingHttpResponse(contenido(), content_type=da.MEDIA_TYPES[formato])
    if no_modificado is None:
        respuesta["Content-Disposition"] = f'attachment; filename="{nombre}.{formato}"'
    respuesta["Access-Control-Allow-Origin"] = "*"  # public data: any site may fetch it
    return validadores.poner(respuesta, etag, modificado)


def _leer_excel(parametros, formato: str) -> tuple[bool, dict[str, list[str]]]:
    valor = parametros.get(PARAMETRO_EXCEL)
    if valor is None:
        return False, {}
    if valor != "1":
        return False, {PARAMETRO_EXCEL: [_("Use excel=1 para el CSV con marca de orden de bytes (BOM) para Excel.")]}
    return True, {}


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
    admitidos = [PARAMETRO_AUTORIDAD, PARAMETRO_EXCEL] if formato == "csv" else [PARAMETRO_AUTORIDAD]
    errores = parametros_desconocidos(request.GET, admitidos)
    autoridad, invalidos = leer_autoridad(request.GET)
    excel, para_excel = _leer_excel(request.GET, formato) if formato == "csv" else (False, {})
    if errores or invalidos or para_excel:
        return _error({**errores, **invalidos, **para_excel}, formato)
    contexto = da.Contexto.actual(autoridad=autoridad)
    if request.method == "GET":  # a HEAD (a link checker) gets the headers and is not a download
        reuso.contar(request, dataset=ds.id, formato=formato, canal=UsoDataset.Canal.DESCARGA, ahora=contexto.ahora)

    def contenido():
        filas = ds.filas(contexto)
        if formato == "json":
            return da.json_stream(filas)
        csv = da.csv_stream(ds.encabezado, filas)
        return itertools.chain([BOM], csv) if excel else csv

    clave = f"{ds.id}|{formato}|{autoridad.slug if autoridad else ''}|{int(excel)}"
    nombre = f"{ds.id}-excel" if excel else ds.id
    return _respuesta(request, contenido, formato, nombre, clave, contexto.ahora)


@require_safe
def diccionario(request, dataset_id, formato):
    ds = _dataset(dataset_id, formato)
    if errores := parametros_desconocidos(request.GET, []):
        return _error(errores, formato)

    def contenido():
        filas = ({"campo": c.nombre, "tipo": c.tipo, "descripcion": str(c.descripcion)} for c in ds.campos)
        return da.csv_stream(["campo", "tipo", "descripcion"], filas) if formato == "csv" else da.json_stream(filas)

    return _respuesta(request, contenido, formato, f"{ds.id}-diccionario", f"{ds.id}|{formato}|diccionario")


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
