"""The attacker: someone with a copy of the whole database and the web server's access log tries to
say who gave which survey answer (issue 10, item 1).

The answers are submitted live through the test client, one browser (and one client address) per
person, in three sessions of one cycle: session A (7 respondents, one of whom answers alone on the
second day: a session-day with a single respondent), session B (5) and session C (a single
respondent). Every request is written to a log as gunicorn's access log would (time, address,
method, path, status). Each person writes a unique comment, so the attacker (and the test) can
recognise an answer wherever it lies in the database.

The attacker then
1. dumps every table of the database (all models, history tables, sessions, everything
   `introspection.table_names()` lists), with each row's physical position (SQLite rowid,
   PostgreSQL ctid);
2. finds every row that holds a comment in clear, and follows its foreign keys one hop;
3. joins it to the people who answered (Registro rows with a survey date) on every shared
   attribute: the session and any date;
4. pairs the physical order of those rows with the order of the survey POSTs in the log (the
   person behind each POST is known from the token link the same address opened), and claims those
   links when every pair agrees on session and day.

It must link no answer to a person: no join narrows an answer below the configured minimum group,
and no order pairing is confirmed. It fails on the code before issue 10 (5 of 5 and more, as found).
"""

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta

import pytest
import time_machine
from django.conf import settings
from django.db import connection
from django.test import Client
from django.utils import timezone

from config.gunicorn_registro import ocultar_tokens
from jornadas.models import Pregunta, Registro
from tests.jornadas import builders as b

pytestmark = pytest.mark.django_db

ZONA = timezone.get_default_timezone()


@dataclass
class Acceso:
    """One access-log line: what gunicorn's `--access-logfile -` writes (%(t)s %(h)s %(r)s %(s)s)."""
    hora: datetime
    direccion: str
    metodo: str
    ruta: str
    estado: int

    def linea(self, ruta=None):
        return f'{self.direccion} - - [{timezone.localtime(self.hora, ZONA):%d/%b/%Y:%H:%M:%S %z}] "{self.metodo} {ruta or self.ruta} HTTP/1.1" ' \
               f"{self.estado}"


class Navegador:
    """One person's browser: its own cookies and its own client address, every request logged."""

    def __init__(self, direccion, registro_accesos):
        self.direccion = direccion
        self.cliente = Client(REMOTE_ADDR=direccion)
        self.registro_accesos = registro_accesos

    def pedir(self, metodo, ruta, datos=None):
        resp = getattr(self.cliente, metodo)(ruta, datos or {})
        self.registro_accesos.append(Acceso(timezone.now(), self.direccion, metodo.upper(), ruta, resp.status_code))
        return resp


def _accion_del_formulario(html, ruta_actual):
    m = re.search(r'<form method="post"[^>]*?(?:action="([^"]*)")?[^>]*>', html)
    return (m.group(1) if m and m.group(1) else "") or ruta_actual


def _responder_en_vivo(navegador, registro, encuesta, comentario):
    """Open the e-mailed link, follow any redirect, and send the form where the page says."""
    ruta = f"/jornadas/encuesta/{registro.token_encuesta}/"
    resp = navegador.pedir("get", ruta)
    while resp.status_code == 302:
        ruta = resp["Location"]
        resp = navegador.pedir("get", ruta)
    assert resp.status_code == 200, resp.content.decode()[:500]
    datos = {}
    for p in encuesta.preguntas.all():
        if p.tipo == Pregunta.Tipo.MULTIPLE:
            datos[f"p{p.pk}"] = [p.opciones[registro.pk % len(p.opciones)]]
        elif p.tipo == Pregunta.Tipo.ESCALA:
            datos[f"p{p.pk}"] = str(1 + registro.pk % 5)
        else:
            datos[f"p{p.pk}"] = comentario
    resp = navegador.pedir("post", _accion_del_formulario(resp.content.decode(), ruta), datos)
    assert resp.status_code == 302, resp.content.decode()[:800]


# --- what the attacker reads ---------------------------------------------------------------------


def _volcar_base():
    """{table: [(physical position, {column: value})]} for every table, in physical order."""
    volcado = {}
    with connection.cursor() as cursor:
        for tabla in connection.introspection.table_names(cursor):
            q = connection.ops.quote_name(tabla)
            posicion = "rowid" if connection.vendor == "sqlite" else "ctid"
            cursor.execute(f"SELECT {posicion}, * FROM {q} ORDER BY {posicion}")  # noqa: S608 - table names
            columnas = [c[0] for c in cursor.description][1:]
            volcado[tabla] = [(str(fila[0]), dict(zip(columnas, fila[1:], strict=True))) for fila in cursor.fetchall()]
    return volcado


def _relaciones():
    with connection.cursor() as cursor:
        return {t: connection.introspection.get_relations(cursor, t)
                for t in connection.introspection.table_names(cursor)}


def _dias(valor):
    """The local days a cell could mean (a date, or a datetime's day), else nothing."""
    if isinstance(valor, datetime):
        return {timezone.localtime(valor, ZONA).date() if timezone.is_aware(valor) else valor.date()}
    if isinstance(valor, date):
        return {valor}
    if isinstance(valor, str) and re.match(r"^\d{4}-\d{2}-\d{2}([ T]\d{2}:\d{2}.*)?$", valor):
        dia = date.fromisoformat(valor[:10])
        if len(valor) > 10:  # SQLite keeps datetimes as UTC text: the local day may be the day before
            return {dia, dia - timedelta(days=1)}
        return {dia}
    return set()


def _atributos(tabla, fila, volcado, relaciones):
    """Session ids and days a row carries, itself or through the rows its foreign keys point to."""
    sesiones, dias = set(), set()
    pendientes = [(tabla, fila)]
    vistos = 0
    while pendientes and vistos < 4:
        t, f = pendientes.pop()
        vistos += 1
        for col, valor in f.items():
            if valor is None:
                continue
            destino = relaciones.get(t, {}).get(col)
            if destino and destino[1] == "jornadas_jornada":
                sesiones.add(valor)
            elif destino and t == tabla:  # one hop to the parent row
                padre = next((fp for _pos, fp in volcado.get(destino[1], []) if fp.get(destino[0]) == valor), None)
                if padre is not None:
                    pendientes.append((destino[1], padre))
            dias |= _dias(valor)
    return sesiones, dias


def _atacar(volcado, relaciones, accesos, comentarios):
    """Run the attacks; return what the attacker claims and what it saw."""
    respondieron = [f for _pos, f in volcado["jornadas_registro"] if f["encuesta_respondida_en"] is not None]
    por_token = {f["token_encuesta"]: f for _pos, f in volcado["jornadas_registro"]}
    informe = {"filas": [], "uniones": [], "pares": [], "enlaces": [], "adivinanzas": []}

    # 2. every row holding a comment in clear, wherever it is
    encontradas = {}
    for tabla, filas in volcado.items():
        for posicion, fila in filas:
            for valor in fila.values():
                texto = valor.decode(errors="ignore") if isinstance(valor, bytes | memoryview) else str(valor)
                for comentario in comentarios:
                    if comentario in texto:
                        encontradas.setdefault(tabla, []).append((posicion, fila, comentario))
    informe["filas"] = {t: len(v) for t, v in encontradas.items()}

    # 3. the join: the people who answered that share the row's session and day
    for tabla, filas in encontradas.items():
        for _posicion, fila, comentario in filas:
            sesiones, dias = _atributos(tabla, fila, volcado, relaciones)
            candidatos = [r for r in respondieron
                          if (not sesiones or r["jornada_id"] in sesiones)
                          and (not dias or _dias(r["encuesta_respondida_en"]) & dias)]
            informe["uniones"].append((tabla, comentario, len(candidatos)))
            if len(candidatos) == 1:
                informe["enlaces"].append(("unión", comentario, candidatos[0]["id"]))

    # 4. the order: physical order of those rows against the order of the survey POSTs
    persona_de = {}
    for a in accesos:
        m = re.match(r"^/jornadas/encuesta/([^/]+)/$", a.ruta)
        if a.metodo == "GET" and m and m.group(1) in por_token:
            persona_de[a.direccion] = por_token[m.group(1)]
    envios = [a for a in accesos if a.metodo == "POST" and a.estado == 302 and a.direccion in persona_de]
    for tabla, filas in encontradas.items():
        pares, coinciden = [], True
        for (_posicion, fila, comentario), acceso in zip(filas, envios, strict=False):
            persona = persona_de[acceso.direccion]
            sesiones, dias = _atributos(tabla, fila, volcado, relaciones)
            if sesiones and persona["jornada_id"] not in sesiones:
                coinciden = False
            if dias and timezone.localtime(acceso.hora, ZONA).date() not in dias:
                coinciden = False
            pares.append((comentario, persona["id"]))
        informe["pares"].append((tabla, len(pares), coinciden))
        if coinciden and len(pares) > 1:
            informe["enlaces"].extend(("orden", comentario, registro_id) for comentario, registro_id in pares)
        # The same per session: nothing in the rows can confirm it, so it is a guess, counted apart.
        for sesion in {r["jornada_id"] for r in respondieron}:
            propias = [(f, c) for _p, f, c in filas if _atributos(tabla, f, volcado, relaciones)[0] == {sesion}]
            suyos = [a for a in envios if persona_de[a.direccion]["jornada_id"] == sesion]
            for (_f, comentario), acceso in zip(propias, suyos, strict=False):
                informe["adivinanzas"].append((comentario, persona_de[acceso.direccion]["id"]))
    return informe


# --- the scene -----------------------------------------------------------------------------------


def test_el_atacante_no_enlaza_ninguna_respuesta_con_una_persona(autoridad, capsys):
    minimo = settings.JORNADAS_ENCUESTA_MINIMO if hasattr(settings, "JORNADAS_ENCUESTA_MINIMO") else 5
    dia_1 = datetime(2026, 3, 10, 11, 0, tzinfo=ZONA)
    dia_2 = dia_1 + timedelta(days=1)
    with time_machine.travel(dia_1 - timedelta(days=2), tick=False):
        ciclo = b.ciclo(autoridad_=autoridad)
        comunes = b.sujetos(2)
        inicio = dia_1 - timedelta(days=1)
        campos = {"ciclo_": ciclo, "sujetos_": comunes, "inicio": inicio, "fin": inicio + timedelta(hours=2)}
        sesion_a = b.jornada_con_asistentes(7, titulo="Sesión A", **campos)
        sesion_b = b.jornada_con_asistentes(5, titulo="Sesión B", **campos)
        sesion_c = b.jornada_con_asistentes(3, titulo="Sesión C", **campos)
        encuesta = b.encuesta(sesion_a)
    a, bb, c = (list(s.registros.order_by("pk")) for s in (sesion_a, sesion_b, sesion_c))
    # Interleaved, as people answer: A and B alternate on day 1, C once; A's last answers alone on day 2.
    dia_1_orden = [a[0], bb[0], a[1], bb[1], a[2], bb[2], c[0], a[3], bb[3], a[4], bb[4], a[5]]
    dia_2_orden = [a[6]]

    accesos: list[Acceso] = []
    comentarios = {}
    n = 0
    for dia, orden in ((dia_1, dia_1_orden), (dia_2, dia_2_orden)):
        for i, registro in enumerate(orden):
            n += 1
            comentario = f"comentario-secreto-{n:02d}-{registro.token_encuesta[:6]}"
            comentarios[comentario] = registro.pk
            with time_machine.travel(dia + timedelta(minutes=7 * i), tick=False):
                _responder_en_vivo(Navegador(f"10.0.0.{n}", accesos), registro, encuesta, comentario)
    assert Registro.objects.filter(encuesta_respondida_en__isnull=False).count() == 13

    volcado = _volcar_base()
    informe = _atacar(volcado, _relaciones(), accesos, comentarios)

    tokens = {r.token_encuesta for r in Registro.objects.all()}
    posts_con_token = [x.linea() for x in accesos if x.metodo == "POST" and any(t in x.ruta for t in tokens)]
    lineas = [x.linea(ocultar_tokens(x.ruta)) for x in accesos]
    registradas_con_token = [linea for linea in lineas if any(t in linea for t in tokens)]
    aciertos = sorted({e[1] for e in informe["enlaces"] if comentarios[e[1]] == e[2]})

    with capsys.disabled():
        print("\n--- el atacante: base de datos completa y bitácora de accesos ---")
        print(f"tablas volcadas: {len(volcado)}; filas: {sum(len(v) for v in volcado.values())}; "
              f"solicitudes en la bitácora: {len(accesos)}; respuestas enviadas: {len(comentarios)}; "
              f"grupo mínimo: {minimo}")
        print("bitácora (primeras líneas, como se registran):")
        for linea in lineas[:4]:
            print("   ", linea)
        print(f"POST con el token en la ruta: {len(posts_con_token)}; líneas registradas con token: "
              f"{len(registradas_con_token)}")
        print(f"filas con un comentario legible, por tabla: {informe['filas'] or 'ninguna'}")
        tamanos = sorted(n for _t, _c, n in informe["uniones"])
        print(f"unión por sesión y día: tamaño del grupo de candidatos por respuesta: {tamanos or 'sin filas'}")
        for tabla, pares, coinciden in informe["pares"]:
            print(f"emparejar el orden físico de {tabla} con los POST: {pares} pares; "
                  f"{'confirmado por sesión y día' if coinciden else 'contradicho por sesión o día: descartado'}")
        adivinadas = sum(1 for c, r in informe["adivinanzas"] if comentarios[c] == r)
        print(f"emparejar el orden dentro de cada sesión (nada lo confirma; el azar acierta ~1 de cada {minimo}): "
              f"{adivinadas} de {len(informe['adivinanzas'])}")
        print(f"respuestas pendientes selladas: {len(volcado.get('jornadas_enviopendiente', []))} "
              f"(ningún comentario legible en ellas)")
        por_via = {via: len({e[1] for e in informe["enlaces"] if e[0] == via and comentarios[e[1]] == e[2]})
                   for via in ("unión", "orden")}
        print(f"enlaces afirmados: {len(informe['enlaces'])}; respuestas enlazadas correctamente con su persona: "
              f"{len(aciertos)} de {len(comentarios)} (por unión: {por_via['unión']}, por orden: {por_via['orden']})")

    assert not posts_con_token, "el token personal aparece en la ruta de los POST de la encuesta"
    assert not registradas_con_token, "la bitácora de accesos guarda tokens personales"
    assert not aciertos, f"el atacante enlazó {len(aciertos)} respuestas con personas: {aciertos}"
    assert all(n >= minimo for _t, _c, n in informe["uniones"]), \
        f"una respuesta queda en un grupo menor que {minimo}: {informe['uniones']}"
