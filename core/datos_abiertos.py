"""Open data: the registry of the datasets the portal publishes (id, title, description, data
dictionary and row generator), their CSV and JSON serialisation, the DCAT `data.json` catalogue and
the reuse counters.

Each app owns its datasets (its `datos_abiertos.py`) and registers them in `AppConfig.ready()`;
core only serves them. A dataset's rows are built once and shared by the downloads and the API, so
a column means the same in both. Every row generator runs a fixed number of queries whatever the
number of rows, and is built on the public selectors (the embargo applied in SQL; of jornadas only
aggregates: no participant's name, e-mail, position or individual answer, and no free-text
comments, since even anonymous ones can name people)."""

import csv
import json
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from urllib.parse import urlencode

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F, Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from . import sitio
from .cara import IdentidadPortal
from .models import AutoridadGarante, UsoDataset

# Field types of the data dictionaries (what a reuser's parser should expect).
TEXTO = "texto"
ENTERO = "entero"
DECIMAL = "decimal"
FECHA = "fecha"  # YYYY-MM-DD
FECHA_HORA = "fecha y hora"  # ISO 8601 with the UTC offset, e.g. 2024-03-01T10:00:00-06:00
URL = "url"

FORMATOS = {"csv": "text/csv", "json": "application/json"}
MEDIA_TYPES = {"csv": "text/csv; charset=utf-8", "json": "application/json"}

ORDENES = ("estatal", "municipal")


@dataclass(frozen=True)
class Campo:
    nombre: str
    tipo: str
    descripcion: Promise | str
    nulo: bool = False  # may be empty (null in JSON)
    opciones: tuple[str, ...] = ()  # the only values it takes, if a closed list


@dataclass(frozen=True)
class Contexto:
    """What a row generator may depend on: the second it describes and the authority the rows are
    narrowed to (`?autoridad=<slug>` on a download; None for all). Every generator honours it. Its
    links are under SITE_URL (core.sitio) whoever asks: a download, the API or a task."""

    ahora: datetime
    autoridad: AutoridadGarante | None = None

    @classmethod
    def actual(cls, ahora: datetime | None = None, autoridad: AutoridadGarante | None = None) -> "Contexto":
        return cls(ahora=ahora or timezone.now(), autoridad=autoridad)

    @staticmethod
    def url_absoluta(ruta: str) -> str:
        return sitio.url_absoluta(ruta)


# --- the authority: three columns in every dataset ------------------------------------------------

# A dataset's rows carry their authority in these columns (the API folds them into one object).
AUTORIDAD_SIGLAS = "autoridad_siglas"
AUTORIDAD_NOMBRE = "autoridad"
AUTORIDAD_SLUG = "autoridad_slug"
COLUMNAS_AUTORIDAD = (AUTORIDAD_SIGLAS, AUTORIDAD_NOMBRE, AUTORIDAD_SLUG)


def campos_autoridad(de: Promise | str, nulo: bool = False) -> tuple[Campo, Campo, Campo]:
    """The data dictionary's entries for the authority a row belongs to; `de` says how, e.g.
    "que otorgó el reconocimiento"."""
    vacio = _(" Vacío si no hay ninguna.") if nulo else ""
    return (
        Campo(AUTORIDAD_SIGLAS, TEXTO, format_lazy(_("Siglas de la autoridad garante {de}.{vacio}"), de=de,
                                                   vacio=vacio), nulo=nulo),
        Campo(AUTORIDAD_NOMBRE, TEXTO, format_lazy(_("Nombre de la autoridad garante {de}.{vacio}"), de=de,
                                                   vacio=vacio), nulo=nulo),
        Campo(AUTORIDAD_SLUG, TEXTO, format_lazy(_("Identificador de esa autoridad en el portal: el valor del "
                                                   "parámetro ?autoridad= de la descarga y de la API.{vacio}"),
                                                 vacio=vacio), nulo=nulo),
    )


def columnas_autoridad(autoridad) -> dict:
    """A row's authority columns from an AutoridadGarante (or anything with siglas, nombre and slug;
    None for none)."""
    if autoridad is None:
        return dict.fromkeys(COLUMNAS_AUTORIDAD)
    return {AUTORIDAD_SIGLAS: autoridad.siglas, AUTORIDAD_NOMBRE: autoridad.nombre, AUTORIDAD_SLUG: autoridad.slug}


@dataclass(frozen=True)
class Dataset:
    """`orden` places it on the open-data page and in data.json (lower first)."""

    id: str
    titulo: Promise | str
    descripcion: Promise | str
    campos: tuple[Campo, ...]
    generar: Callable[[Contexto], Iterable[dict]]
    modificado: Callable[[datetime], datetime | date | None]
    palabras_clave: tuple[str, ...] = field(default=())
    orden: int = 100

    @property
    def encabezado(self) -> list[str]:
        return [c.nombre for c in self.campos]

    def filas(self, contexto: Contexto) -> Iterator[dict]:
        """Rows as dicts, keys in dictionary order (typed values: int, float, str, date, datetime, None)."""
        nombres = self.encabezado
        for fila in self.generar(contexto):
            yield {n: fila[n] for n in nombres}


# --- values --------------------------------------------------------------------------------------

def valor_json(valor):
    """A row value as JSON carries it: dates as ISO 8601 strings, local time with its offset."""
    if isinstance(valor, datetime):
        return timezone.localtime(valor).replace(microsecond=0).isoformat()
    if isinstance(valor, date):
        return valor.isoformat()
    if isinstance(valor, Promise):
        return str(valor)
    return valor


def valor_csv(valor) -> str:
    """A row value as CSV text: the JSON value, with empty for null."""
    valor = valor_json(valor)
    if valor is None:
        return ""
    if isinstance(valor, bool):
        return "true" if valor else "false"
    return str(valor)


class _Eco:
    """A file-like object that returns what is written, so csv.writer can feed a stream."""

    def write(self, valor):
        return valor


def csv_stream(encabezado: list[str], filas: Iterable[dict]) -> Iterator[str]:
    """One header row, then one line per row; no totals rows. RFC 4180 line endings."""
    escritor = csv.writer(_Eco())
    yield escritor.writerow(encabezado)
    for fila in filas:
        yield escritor.writerow([valor_csv(fila[n]) for n in encabezado])


def json_stream(filas: Iterable[dict]) -> Iterator[str]:
    """A JSON array of objects, written row by row so a large dataset never sits in memory."""
    yield "["
    primero = True
    for fila in filas:
        yield ("\n" if primero else ",\n") + json.dumps({k: valor_json(v) for k, v in fila.items()},
                                                       ensure_ascii=False)
        primero = False
    yield "\n]\n"


# --- the registry ------------------------------------------------------------------------------------

# id -> dataset, in page order; filled by the apps' AppConfig.ready() through registrar().
DATASETS: dict[str, Dataset] = {}


def registrar(*datasets: Dataset) -> None:
    """Add datasets (idempotent by id: ready() may run more than once) and keep the page order."""
    todos = {**DATASETS, **{d.id: d for d in datasets}}
    DATASETS.clear()
    DATASETS.update(sorted(todos.items(), key=lambda par: (par[1].orden, par[0])))


def obtener(dataset_id: str) -> Dataset | None:
    return DATASETS.get(dataset_id)


# --- DCAT catalogue ------------------------------------------------------------------------------------

def _fecha_dcat(valor) -> str | None:
    if valor is None:
        return None
    return valor_json(valor)


def catalogo_dcat(contexto: Contexto) -> dict:
    """The `data.json` catalogue (DCAT, in the Project Open Data v1.1 layout that CKAN harvesters,
    datos.gob.mx among them, read): one entry per dataset, published by the instance, with its CSV
    and JSON distributions: the whole file (and its CSV for Excel, `?excel=1`), and one per
    authority (`?autoridad=<slug>`)."""
    identidad = IdentidadPortal.actual()
    publicador = {"@type": "org:Organization", "name": identidad.nombre}
    contacto = {"@type": "vcard:Contact", "fn": identidad.nombre}
    if identidad.correo_contacto:
        contacto["hasEmail"] = f"mailto:{identidad.correo_contacto}"
    licencia = settings.DATOS_ABIERTOS_LICENCIA
    pagina = contexto.url_absoluta(reverse("datos:inicio"))
    # Besides the whole file, one per authority the instance hosts (?autoridad=<slug>).
    autoridades = [None, *AutoridadGarante.objects.order_by("siglas").only("siglas", "nombre", "slug")]
    conjuntos = []
    for ds in DATASETS.values():
        diccionario = contexto.url_absoluta(reverse("datos:diccionario", args=[ds.id, "json"]))
        distribuciones = []
        for autoridad in autoridades:
            for fmt, media in FORMATOS.items():
                url = contexto.url_absoluta(reverse("datos:descarga", args=[ds.id, fmt]))
                distribucion = {
                    "@type": "dcat:Distribution",
                    "title": f"{ds.titulo} ({fmt.upper()})",
                    "format": fmt.upper(),
                    "mediaType": media,
                    "downloadURL": url,
                    "describedBy": diccionario,
                    "describedByType": "application/json",
                }
                if autoridad is not None:
                    distribucion["title"] = f"{ds.titulo}: {autoridad.siglas} ({fmt.upper()})"
                    distribucion["description"] = str(_("Solo las filas de {nombre}.")).format(nombre=autoridad.nombre)
                    distribucion["downloadURL"] = f"{url}?{urlencode({'autoridad': autoridad.slug})}"
                distribuciones.append(distribucion)
                if autoridad is None and fmt == "csv":
                    distribuciones.append({
                        **distribucion, "title": f"{ds.titulo} ({_('CSV para Excel')})",
                        "description": str(_("El mismo CSV precedido de la marca de orden de bytes (BOM) de "
                                             "UTF-8, para que Excel lea bien los acentos.")),
                        "downloadURL": f"{url}?{urlencode({'excel': '1'})}",
                    })
        conjuntos.append({
            "@type": "dcat:Dataset",
            "identifier": contexto.url_absoluta(reverse("datos:descarga", args=[ds.id, "json"])),
            "title": str(ds.titulo),
            "description": str(ds.descripcion),
            "keyword": list(ds.palabras_clave),
            "modified": _fecha_dcat(ds.modificado(contexto.ahora)) or _fecha_dcat(timezone.localdate(contexto.ahora)),
            "publisher": publicador,
            "contactPoint": contacto,
            "accessLevel": "public",
            "license": licencia,
            "language": ["es-MX"],
            "landingPage": f"{pagina}#{ds.id}",
            "describedBy": contexto.url_absoluta(reverse("datos:diccionario", args=[ds.id, "json"])),
            "distribution": distribuciones,
        })
    return {
        "@context": "https://project-open-data.cio.gov/v1.1/schema/catalog.jsonld",
        "@id": contexto.url_absoluta(reverse("datos:catalogo_dcat")),
        "@type": "dcat:Catalog",
        "conformsTo": "https://project-open-data.cio.gov/v1.1/schema",
        "describedBy": "https://project-open-data.cio.gov/v1.1/schema/catalog.json",
        "dataset": conjuntos,
    }


# --- reuse counters -------------------------------------------------------------------------------------

def uso_registrar(*, dataset: str, formato: str, canal: str, ahora: datetime | None = None) -> None:
    """Add one use of a dataset today: an UPDATE with F() so concurrent requests do not lose counts;
    the first use of the day creates the row (and a concurrent first use falls back to the UPDATE)."""
    dia = timezone.localdate(ahora or timezone.now())
    filtro = {"dataset": dataset, "formato": formato, "canal": canal, "dia": dia}
    if UsoDataset.objects.filter(**filtro).update(conteo=F("conteo") + 1):
        return
    try:
        with transaction.atomic():
            UsoDataset.objects.create(**filtro, conteo=1)
    except IntegrityError:
        UsoDataset.objects.filter(**filtro).update(conteo=F("conteo") + 1)


def usos_por_dataset() -> dict[str, dict[str, int]]:
    """dataset id -> {"descarga": n, "api": n, "total": n} since counting began (one query)."""
    totales = {ds_id: {"descarga": 0, "api": 0, "total": 0} for ds_id in DATASETS}
    for fila in UsoDataset.objects.values("dataset", "canal").annotate(n=Sum("conteo")).order_by():
        if fila["dataset"] in totales and fila["canal"] in totales[fila["dataset"]]:
            totales[fila["dataset"]][fila["canal"]] += fila["n"]
            totales[fila["dataset"]]["total"] += fila["n"]
    return totales
