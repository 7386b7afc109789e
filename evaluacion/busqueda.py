"""Full-text search of the catalogue, in Spanish, ignoring accents and case.

One table, `IndiceBusqueda`, holds one document per recognised practice, written when its ruling is
signed (and again at publication, and by `manage.py reindexar_busqueda`):

- PostgreSQL: `vector`, a tsvector in the `es_unaccent` configuration (Spanish stemming after
  unaccent, migration 0003) plus the plain Spanish stems unaccented (see `_vector_sql`), weighted:
  the practice's name A; its description and the body's name B; the evidence per criterion C.
- Any other database (SQLite, the embedded default): `texto`, the same words lowercased without
  accents (a crude plural cut keeps "presupuestos" finding "presupuesto"). No ranking: relevance
  falls back to the most recent.

Both read a query the same way (`analizar`: phrases in quotes, `-palabra`, the Spanish `o`); on
PostgreSQL each word is looked for as the index holds it, stemmed exactly as the document was
(unaccent, then Spanish stemming) or as the prefix of its singular (`ConsultaTexto`), ranked with
`ts_rank` on a GIN index. `terminos_resaltables` and `resaltar` mark what was found in a result.

The index says nothing about who may see what: callers filter `catalogo.reconocimientos_publicos`,
which applies the embargo, and this module only narrows that queryset.
"""

import difflib
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from html import escape

from django.contrib.postgres.search import SearchQuery, SearchRank
from django.db import connection, transaction
from django.db.models import F, Q, QuerySet, TextField, Value
from django.db.models.functions import Concat

from practicas.models import Evidencia, Practica

from .models import Dictamen, IndiceBusqueda

CONFIG = "es_unaccent"
_PALABRA = re.compile(r"[^\W_]+", re.UNICODE)
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


@dataclass(frozen=True)
class Elemento:
    """One piece of a query: a word, or a phrase (several words, in this order), maybe excluded."""

    palabras: tuple[str, ...]  # normalised (normalizar)
    excluir: bool = False


# A quoted phrase (the closing quote may be missing), with or without a leading «-»; or any other run
# of characters up to a blank.
_FICHA = re.compile(r'(-?)"([^"]*)"?|(\S+)')
_O = frozenset(["o", "u", "or"])


def analizar(q: str) -> list[list[Elemento]]:
    """The query as groups joined by «o» (any group may match), each a list of elements all of which
    must match (or, excluded, must not). Understood as people type in a web search engine:
    `"obras públicas"` a phrase, `-palabra` or `-"una frase"` an exclusion, the Spanish «o» (and
    «u», and «or») between two words an alternative; accents and case never matter. Stopwords
    outside a phrase are dropped; a word joined by hyphens («covid-19») is a phrase."""
    grupos: list[list[Elemento]] = [[]]
    for m in _FICHA.finditer(q or ""):
        menos, frase, suelta = m.group(1), m.group(2), m.group(3)
        excluir = bool(menos)
        if suelta is not None:
            if suelta.casefold() in _O:
                if grupos[-1]:
                    grupos.append([])
                continue
            if suelta.startswith("-") and len(suelta) > 1:
                excluir, suelta = True, suelta[1:]
            frase = suelta
        palabras = tuple(_PALABRA.findall(normalizar(frase)))
        if len(palabras) == 1 and palabras[0] in _VACIAS:
            continue
        if palabras and not all(p in _VACIAS for p in palabras):
            grupos[-1].append(Elemento(palabras, excluir))
    return [g for g in grupos if g]


def terminos_resaltables(q: str) -> list[str]:
    """What the results' words are marked for: the singular of every word the query looks for (not
    the excluded ones, nor stopwords), each matched as the beginning of a word (see resaltar)."""
    vistos: list[str] = []
    for grupo in analizar(q):
        for elemento in grupo:
            if elemento.excluir:
                continue
            for palabra in elemento.palabras:
                palabra = _singular(palabra)
                if palabra not in _VACIAS and palabra not in vistos:
                    vistos.append(palabra)
    return vistos


def resaltar(texto: str, terminos: list[str]) -> str:
    """`texto` as HTML, escaped, each word that begins with one of `terminos` (terminos_resaltables)
    wrapped in <mark>: the same on every database, and for what PostgreSQL's stems and prefixes
    find («mujer» marks «mujeres», «obras» marks «Obra», accents and case aside). The text is
    escaped piece by piece, so nothing typed into a practice can become markup."""
    if not terminos:
        return escape(texto)
    partes, desde = [], 0
    for m in _PALABRA.finditer(texto):
        if normalizar(m.group()).startswith(tuple(terminos)):
            partes.append(f"{escape(texto[desde:m.start()])}<mark>{escape(m.group())}</mark>")
            desde = m.end()
    partes.append(escape(texto[desde:]))
    return "".join(partes)


class ConsultaTexto(SearchQuery):
    """The query as one tsquery, for PostgreSQL, built from `analizar`. Each word is what the index
    holds of it in both readings (see _vector_sql): its Spanish stem in `es_unaccent`
    (plainto_tsquery: the same unaccent-then-stem as the document) or its singular as the prefix of a
    plain word (mujer → mujer:* finds «mujeres», obras → obra:* finds «obra»). Phrases are
    tsquery_phrase of their words, exclusions !!, the groups joined by ||. Every value is a
    parameter."""

    def __init__(self, q: str):
        self.q = q
        super().__init__(Value(q), config=CONFIG, search_type="raw")

    def as_sql(self, compiler, connection, function=None, template=None):
        params: list = []

        def palabra(p: str) -> str:
            if p in _VACIAS:  # only ever inside a phrase: the word itself, where it stands
                params.append(f"'{p}'")
                return "to_tsquery('simple', %s)"
            params.extend([CONFIG, p, f"'{_singular(p)}':*"])
            return "(plainto_tsquery(%s::regconfig, %s) || to_tsquery('simple', %s))"

        def elemento(e: Elemento) -> str:
            sql = palabra(e.palabras[0])
            for p in e.palabras[1:]:
                sql = f"tsquery_phrase({sql}, {palabra(p)})"
            return f"!!({sql})" if e.excluir else sql

        grupos = ["(" + " && ".join(elemento(e) for e in g) + ")" for g in analizar(self.q)]
        return "(" + " || ".join(grupos) + ")", params


def _condicion_sin_postgresql(grupos: list[list[Elemento]]) -> Q:
    """The same query on the fallback's normalised text: a word as a substring (its singular), a
    phrase as its words in order, each the beginning of a word (a regular expression)."""
    condicion = Q()
    for grupo in grupos:
        y = Q()
        for e in grupo:
            if len(e.palabras) == 1:
                parte = Q(**{f"{RUTA}texto__contains": _singular(e.palabras[0])})
            else:
                patron = r"(?<!\w)" + r"\W+".join(
                    re.escape(p if p in _VACIAS else _singular(p)) + (r"(?!\w)" if p in _VACIAS else r"\w*")
                    for p in e.palabras)
                parte = Q(**{f"{RUTA}texto__regex": patron})
            y &= ~parte if e.excluir else parte
        condicion |= y
    return condicion


def buscar(qs: QuerySet, q: str) -> QuerySet:
    """Narrow a queryset of Reconocimiento (from `reconocimientos_publicos`) to those matching `q`
    (see `analizar`). On PostgreSQL it is annotated with `relevancia` (higher is better)."""
    grupos = analizar((q or "").strip())
    if not grupos:
        return qs.none()
    if es_postgresql():
        consulta = ConsultaTexto(q)
        return qs.filter(**{f"{RUTA}vector": consulta}).annotate(
            relevancia=SearchRank(F(f"{RUTA}vector"), consulta))
    return qs.filter(_condicion_sin_postgresql(grupos))


def _textos_sugeribles(publicos: QuerySet) -> QuerySet:
    """What a suggestion may offer words from: the names of the public recognitions' practices and
    of their bodies (`publicos`, already under the embargo)."""
    return publicos.order_by().annotate(texto_sugerible=Concat(
        F("dictamen__practica__nombre"), Value(" "), F("dictamen__practica__sujeto__nombre"), Value(" "),
        F("dictamen__practica__sujeto__siglas"), output_field=TextField(),
    )).values_list("texto_sugerible", flat=True)


UMBRAL_TRIGRAMAS = 0.4  # pg_trgm's similarity: «presupesto»/«presupuesto» 0.64, «mujres»/«mujeres» 0.5


def _cercanas_postgresql(palabras: list[str], textos: QuerySet) -> dict[str, str]:
    """Each word's closest word of `textos` by pg_trgm's similarity (migration 0011), in one query:
    the vocabulary split and unaccented in the database, the query's words as one array."""
    sql_textos, params = textos.query.sql_with_params()
    sql = f"""
        WITH vocabulario AS (
            SELECT DISTINCT palabra
            FROM ({sql_textos}) AS t(texto), regexp_split_to_table(lower(unaccent(t.texto)), '[^[:alnum:]]+') AS palabra
            WHERE length(palabra) >= 3
        )
        SELECT q.palabra, (SELECT v.palabra FROM vocabulario v WHERE similarity(v.palabra, q.palabra) >= %s
                           ORDER BY similarity(v.palabra, q.palabra) DESC, v.palabra LIMIT 1)
        FROM unnest(%s::text[]) AS q(palabra)
    """  # noqa: S608 - the subquery is Django's own, with its parameters
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, UMBRAL_TRIGRAMAS, palabras])
        return {palabra: cercana for palabra, cercana in cursor.fetchall() if cercana}


def _cercanas_difflib(palabras: list[str], textos: QuerySet) -> dict[str, str]:
    """The same on other databases: the vocabulary read here, difflib's ratio for the similarity."""
    vocabulario: set[str] = set()
    for texto in textos.iterator(chunk_size=500):
        vocabulario.update(p for p in _PALABRA.findall(normalizar(texto or "")) if len(p) >= 3)
    conocidas = sorted(vocabulario)
    cercanas = {}
    for palabra in palabras:
        if palabra in vocabulario:
            cercanas[palabra] = palabra
        elif parecidas := difflib.get_close_matches(palabra, conocidas, n=1, cutoff=0.75):
            cercanas[palabra] = parecidas[0]
    return cercanas


def sugerir(q: str, publicos: QuerySet) -> str | None:
    """«¿Quiso decir…?» for a query that found nothing: each word replaced by the closest word of the
    public recognitions' names and their bodies' names (pg_trgm's trigram similarity on PostgreSQL,
    difflib elsewhere). The vocabulary comes from `publicos` only (reconocimientos_publicos, already
    under the embargo), so a suggestion never reveals a word of an unpublished practice. None when
    no word changes."""
    palabras = _PALABRA.findall(normalizar(q))
    dudosas = sorted({p for p in palabras if p not in _VACIAS and len(p) >= 3})
    if not dudosas:
        return None
    cercanas = (_cercanas_postgresql if es_postgresql() else _cercanas_difflib)(dudosas, _textos_sugeribles(publicos))
    corregidas = [cercanas.get(p, p) for p in palabras]
    return " ".join(corregidas) if corregidas != palabras else None


def tiene_relevancia(qs: QuerySet) -> bool:
    return "relevancia" in qs.query.annotations
