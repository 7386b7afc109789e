"""Full-text search of the catalogue, in Spanish, ignoring accents and case.

One table, `IndiceBusqueda`, holds one document per recognised practice, written when its ruling is
signed (and again at publication, and by `manage.py reindexar_busqueda`):

- PostgreSQL: `vector`, a tsvector in the `es_unaccent` configuration (Spanish stemming after
  unaccent, migration 0003) plus the plain Spanish stems unaccented (see `_vector_sql`), weighted:
  the practice's name A; its description and the body's name B; the evidence per criterion C. Queries use `websearch_to_tsquery` (quotes, `-palabra`, the Spanish `o`), or'd
  with each plain word's singular as a prefix (`_consulta_por_prefijos`); ranked with `ts_rank`,
  on a GIN index.
- Any other database (SQLite, the embedded default): `texto`, the same words lowercased without
  accents; every query word must appear in it (a crude plural cut keeps "presupuestos" finding
  "presupuesto"). No ranking: relevance falls back to the most recent.

The index says nothing about who may see what: callers filter `catalogo.reconocimientos_publicos`,
which applies the embargo, and this module only narrows that queryset.
"""

import difflib
import re
import unicodedata
from collections.abc import Iterable

from django.contrib.postgres.search import SearchQuery, SearchRank
from django.db import connection, transaction
from django.db.models import F, Q, QuerySet

from practicas.models import Evidencia, Practica

from .models import Dictamen, IndiceBusqueda

CONFIG = "es_unaccent"
_PALABRA = re.compile(r"\w+", re.UNICODE)
# Words that would match nearly every practice on the fallback; PostgreSQL drops its own stopwords.
_VACIAS = frozenset(
    ["a", "al", "ante", "con", "de", "del", "el", "en", "la", "las", "lo", "los", "o", "para", "por", "que", "se", "sin", "su", "sus", "u", "un", "una", "y"]
)


def es_postgresql() -> bool:
    return connection.vendor == "postgresql"


def normalizar(texto: str) -> str:
    """Lowercase and strip accents (á→a, ñ→n, ü→u), the form both sides of the fallback compare in."""
    descompuesto = unicodedata.normalize("NFKD", texto or "")
    return "".join(c for c in descompuesto if not unicodedata.combining(c)).casefold()


def _singular(palabra: str) -> str:
    """A crude Spanish plural cut for the fallback: presupuestos → presupuesto, ciudades → ciudad."""
    if len(palabra) > 5 and palabra.endswith("es"):
        return palabra[:-2]
    if len(palabra) > 4 and palabra.endswith("s"):
        return palabra[:-1]
    return palabra


def terminos(q: str) -> list[str]:
    """The fallback's query words: normalised, singular, no stopwords, no repeats."""
    vistos = []
    for palabra in _PALABRA.findall(normalizar(q)):
        palabra = _singular(palabra)
        if palabra not in _VACIAS and palabra not in vistos:
            vistos.append(palabra)
    return vistos


# --- indexing ------------------------------------------------------------------------------------

def _textos(practica: Practica, evidencias: Iterable[str]) -> tuple[str, str, str]:
    sujeto = practica.sujeto
    cuerpo = " ".join(filter(None, [practica.descripcion, sujeto.nombre, sujeto.siglas]))
    return practica.nombre, cuerpo, " ".join(filter(None, evidencias))


def indexar(practica_ids: Iterable[int] | None = None) -> int:
    """(Re)write the search document of these practices (every practice with a favourable signed
    ruling when None). Idempotent. Returns how many were written."""
    practicas = Practica.objects.select_related("sujeto").only(
        "pk", "nombre", "descripcion", "sujeto__nombre", "sujeto__siglas")
    if practica_ids is None:
        practicas = practicas.filter(dictamen__estado=Dictamen.Estado.FIRMADO,
                                     dictamen__decision=Dictamen.Decision.PROCEDENTE)
    else:
        practicas = practicas.filter(pk__in=list(practica_ids))
    total = 0
    lote = []
    for practica in practicas.order_by("pk").iterator(chunk_size=1000):
        lote.append(practica)
        if len(lote) == 1000:
            total += _indexar_lote(lote)
            lote = []
    if lote:
        total += _indexar_lote(lote)
    return total


@transaction.atomic
def _indexar_lote(practicas: list[Practica]) -> int:
    ids = [p.pk for p in practicas]
    evidencias: dict[int, list[str]] = {}
    for pid, texto in Evidencia.objects.filter(practica_id__in=ids).order_by("criterio__numero") \
            .values_list("practica_id", "texto"):
        evidencias.setdefault(pid, []).append(texto)
    filas = []
    for p in practicas:
        textos = _textos(p, evidencias.get(p.pk, []))
        filas.append(IndiceBusqueda(practica_id=p.pk, texto=normalizar(" ".join(textos))))
    IndiceBusqueda.objects.bulk_create(filas, update_conflicts=True, unique_fields=["practica"],
                                       update_fields=["texto", "actualizado_en"], batch_size=500)
    if es_postgresql():
        _vectores_postgresql(ids)
    return len(filas)


def _vector_sql(expresion: str, peso: str) -> str:
    """The weighted tsvector of a text expression. Snowball's Spanish stemmer only knows accented
    suffixes (información → inform, but informacion → informacion), so the document carries both
    readings: `es_unaccent` (unaccent, then stem: what a query typed with or without accents
    becomes) and `spanish` stemmed first and unaccented after (so "informaciones", stemmed to
    "inform", still finds "Información"). A third reading, the words themselves unaccented
    (`simple`), is what a query word's prefix is matched against: the stemmer does not bring a
    singular and its plural to one stem ("mujer" → "muj", "mujeres" → "mujer"), a prefix does."""
    return (f"setweight(to_tsvector(%(c)s::regconfig, {expresion}) "
            f"|| unaccent(to_tsvector('spanish', {expresion})::text)::tsvector "
            f"|| to_tsvector('simple', unaccent({expresion})), '{peso}')")


def _vectores_postgresql(ids: list[int]) -> None:
    """One UPDATE builds the weighted vectors in the database, from the same columns."""
    indice, practica = IndiceBusqueda._meta.db_table, Practica._meta.db_table
    sujeto, evidencia = Practica._meta.get_field("sujeto").related_model._meta.db_table, Evidencia._meta.db_table
    nombre = "coalesce(p.nombre, '')"
    cuerpo = "coalesce(p.descripcion, '') || ' ' || s.nombre || ' ' || s.siglas"
    evidencias = f"coalesce((SELECT string_agg(e.texto, ' ') FROM {evidencia} e WHERE e.practica_id = p.id), '')"  # noqa: S608
    sql = f"""
        UPDATE {indice} AS i
        SET vector = {_vector_sql(nombre, "A")} || {_vector_sql(cuerpo, "B")} || {_vector_sql(evidencias, "C")}
        FROM {practica} p JOIN {sujeto} s ON s.id = p.sujeto_id
        WHERE i.practica_id = p.id AND p.id = ANY(%(ids)s)
    """  # noqa: S608 - table names come from the models, values are parameters
    with connection.cursor() as cursor:
        cursor.execute(sql, {"c": CONFIG, "ids": ids})


# --- searching -----------------------------------------------------------------------------------

RUTA = "dictamen__practica__indice_busqueda__"  # from Reconocimiento to its search document


def buscar(qs: QuerySet, q: str) -> QuerySet:
    """Narrow a queryset of Reconocimiento (from `reconocimientos_publicos`) to those matching `q`.
    On PostgreSQL it is annotated with `relevancia` (higher is better)."""
    q = (q or "").strip()
    if not q:
        return qs
    if es_postgresql():
        consulta = SearchQuery(_en_sintaxis_web(q), config=CONFIG, search_type="websearch")
        prefijos = _consulta_por_prefijos(q)
        if prefijos is not None:
            consulta = consulta | prefijos
        return qs.filter(**{f"{RUTA}vector": consulta}).annotate(
            relevancia=SearchRank(F(f"{RUTA}vector"), consulta))
    palabras = terminos(q)
    if not palabras:
        return qs.none()
    condicion = Q()
    for palabra in palabras:
        condicion &= Q(**{f"{RUTA}texto__contains": palabra})
    return qs.filter(condicion)


# The Spanish «o» between two words (outside quotes): websearch_to_tsquery only knows «or».
_O_ESPANOL = re.compile(r'("[^"]*")|(?<=\s)[oOuU](?=\s)')


def _en_sintaxis_web(q: str) -> str:
    """The query in websearch_to_tsquery's syntax: «becas o mujeres» → «becas or mujeres»; quoted
    phrases are left as typed."""
    return _O_ESPANOL.sub(lambda m: m.group(1) or "or", q)


def _consulta_por_prefijos(q: str) -> SearchQuery | None:
    """Plain words (no quotes, no exclusions): each one's singular as a prefix of the words of the
    document, all of them, or either side of an «o» — so «mujer» finds «mujeres», «obras» finds
    «obra», «calidades» finds «calidad». None when the query uses phrases or exclusions, which the
    web-search query alone answers (a prefix would bring back what they leave out)."""
    if '"' in q or re.search(r"(^|\s)-\w", q):
        return None
    grupos = []
    for parte in re.split(r"\s+(?:o|u|or)\s+", normalizar(q)):
        palabras = terminos(parte)
        if palabras:
            grupos.append("(" + " & ".join(f"{p}:*" for p in palabras) + ")")
    if not grupos:
        return None
    return SearchQuery(" | ".join(grupos), config="simple", search_type="raw")


def sugerir(q: str, publicos: QuerySet) -> str | None:
    """«¿Quiso decir…?» for a query that found nothing: each word not in the catalogue replaced by the
    closest word that is (difflib's ratio, as pg_trgm's similarity would, but the same on every
    database). The vocabulary is read from the public recognitions only (`publicos`, already under
    the embargo), so a suggestion never reveals a word of an unpublished practice. None when no
    word changes."""
    palabras = _PALABRA.findall(normalizar(q))
    if not palabras:
        return None
    vocabulario: set[str] = set()
    for texto in publicos.order_by().values_list(f"{RUTA}texto", flat=True).iterator(chunk_size=500):
        vocabulario.update(_PALABRA.findall(texto or ""))
    if not vocabulario:
        return None
    conocidas = sorted(vocabulario)
    corregidas, cambio = [], False
    for palabra in palabras:
        if palabra in vocabulario or palabra in _VACIAS or len(palabra) < 3:
            corregidas.append(palabra)
            continue
        cercana = difflib.get_close_matches(palabra, conocidas, n=1, cutoff=0.75)
        if cercana:
            corregidas.append(cercana[0])
            cambio = True
        else:
            corregidas.append(palabra)
    return " ".join(corregidas) if cambio else None


def tiene_relevancia(qs: QuerySet) -> bool:
    return "relevancia" in qs.query.annotations
