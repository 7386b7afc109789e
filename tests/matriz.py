"""One harness for every permission matrix: routes × personas × expected status.

A matrix module declares a list of `Ruta` (URL name, a URL builder over its scene, method, expected
status per persona, and for a POST who may change what) and runs `comprobar` for each case that
`casos()` yields. The conventions checked everywhere:

- anonymous on a login-required view: 302 to the login page (`LOGIN`);
- an expected 302 for someone with a session never sends them to the login page;
- a POST by a persona not in `ruta.cambian` leaves every row of every project table as it was
  (`foto()`); a POST by a persona in `ruta.cambian` takes effect (`ruta.efecto`, when given).

`tests/test_cobertura_rutas.py` walks every URL pattern of `config.urls` and fails naming any route
that no matrix declares.
"""

from contextlib import nullcontext
from dataclasses import dataclass, field, replace

import pytest
from django.apps import apps
from django.urls import reverse

# The shared persona set (tests/conftest.py `personas`): two authorities (A: entidad 15, B: 19), two
# bodies of A's entidad and one of B's, a juror of each authority's open call. The last two were added
# later: matrix rows give them by keyword (each module's row helper defaults them, see its docstring).
PERSONAS = ("anonimo", "enlace_a", "enlace_b", "personal", "otro_personal", "jurado", "superusuario",
            "enlace_otra_entidad", "jurado_otra")
LOGIN = "login"  # expected: 302 to the login page
NEGADOS = (LOGIN, 400, 403, 404)

# Apps whose tables a refused POST must leave untouched. Django's own bookkeeping (sessions, content
# types, permissions), axes' login log and the beat schedule are not the project's data.
APPS_VIGILADAS = ("admin", "auth", "core", "convocatorias", "practicas", "evaluacion", "jornadas", "compromisos",
                  "portal")


@dataclass(frozen=True)
class Ruta:
    id: str
    nombre: str  # URL name ("namespace:name"), for the coverage walk
    url: object  # scene -> str
    esperado: dict  # persona -> status (or LOGIN)
    metodo: str = "get"
    datos: object = None  # scene -> dict (POST)
    preparar: object = None  # scene -> None, run before the request
    cambian: frozenset = frozenset()  # personas whose POST must take effect (or may write)
    efecto: object = None  # scene -> bool: did the POST take effect?
    # persona -> (status the route should answer, reason): today's code answers `esperado[persona]`
    # (still asserted), the wanted status is an extra strict-xfail cell (tenancy: issue 9).
    pendientes: dict = field(default_factory=dict)

    def __post_init__(self):
        # The superuser acts as staff of every authority: where the row expects of it what it expects of
        # the authority's staff, a POST that takes effect for staff takes effect for the superuser too.
        if "personal" in self.cambian and self.esperado.get("superusuario") == self.esperado.get("personal"):
            object.__setattr__(self, "cambian", self.cambian | {"superusuario"})


def casos(rutas, personas=PERSONAS):
    """pytest params (ruta, persona), one per cell; each pending cell adds a strict xfail cell that
    expects the wanted status (it fails loudly, XPASS, the day the code answers it)."""
    for ruta in rutas:
        for persona in personas:
            yield pytest.param(ruta, persona, id=f"{ruta.metodo}-{ruta.id}-{persona}")
            if persona in ruta.pendientes:
                querido, motivo = ruta.pendientes[persona]
                futura = replace(ruta, esperado={**ruta.esperado, persona: querido}, cambian=ruta.cambian - {persona})
                yield pytest.param(futura, persona, id=f"{ruta.metodo}-{ruta.id}-{persona}-pendiente",
                                   marks=pytest.mark.xfail(strict=True, reason=f"{ruta.nombre}: {motivo}"))


def _modelos():
    return [m for m in apps.get_models() if m._meta.app_label in APPS_VIGILADAS and not m._meta.proxy]


def foto() -> dict:
    """Every row of every project table, column by column: what a refused POST must not change."""
    return {m._meta.label: list(m._base_manager.order_by("pk").values_list()) for m in _modelos()}


def diferencias(antes: dict, despues: dict) -> list[str]:
    return sorted(tabla for tabla in antes if antes[tabla] != despues.get(tabla))


def consumir(resp):
    """Read a file response to the end so the test client closes it (and its file) itself.
    Never call resp.close() here: it fires request_finished, which closes the DB connection
    of the test's transaction on PostgreSQL."""
    if getattr(resp, "streaming", False):
        b"".join(resp.streaming_content)


def comprobar_estado(resp, esperado, descripcion):
    if esperado == LOGIN:
        assert resp.status_code == 302, f"{descripcion}: esperado 302 a iniciar sesión, obtenido {resp.status_code}"
        assert resp["Location"].startswith(reverse("login") + "?next="), resp["Location"]
        return
    assert resp.status_code == esperado, f"{descripcion}: esperado {esperado}, obtenido {resp.status_code}"
    if esperado == 302:
        assert not resp["Location"].startswith(reverse("login")), f"{descripcion} mandó a iniciar sesión"


def comprobar(client, ruta: Ruta, esc, usuario, persona, *, capturar=None, entrar=True):
    """Request `ruta` as `usuario` (None: anonymous) and check the status; for a POST, that it took
    effect for the personas in `ruta.cambian` and changed nothing for everyone else.

    `capturar`: django_capture_on_commit_callbacks, to run on_commit callbacks (tasks) of the request.
    `entrar=False` when the client is already logged in as `usuario` (a loop over routes)."""
    if ruta.preparar:
        ruta.preparar(esc)
    url = ruta.url(esc)
    datos = ruta.datos(esc) if ruta.datos else {}
    if entrar and usuario is not None:
        client.force_login(usuario)
    es_post = ruta.metodo == "post"
    antes = foto() if es_post else None
    with capturar(execute=True) if capturar else nullcontext():
        resp = client.post(url, datos) if es_post else client.get(url)
    consumir(resp)
    descripcion = f"{persona} {ruta.metodo.upper()} {url}"
    comprobar_estado(resp, ruta.esperado[persona], descripcion)
    if not es_post:
        return resp
    if persona in ruta.cambian:
        if ruta.efecto is not None:
            assert ruta.efecto(esc), f"{descripcion}: el POST permitido no tuvo efecto"
    else:
        cambios = diferencias(antes, foto())
        assert not cambios, f"{descripcion}: un POST rechazado cambió la base de datos ({', '.join(cambios)})"
    return resp
