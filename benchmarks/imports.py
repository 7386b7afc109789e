"""Figures for the shape of the house: file-level import circles, imports that go up a floor,
imports inside functions and the largest files. Prints; tests/test_arquitectura.py asserts on the
same analysis.

    python benchmarks/imports.py [-v]
"""

import ast
import sys
from pathlib import Path

RAIZ = Path(__file__).resolve().parent.parent
# The floors, bottom to top (as in .importlinter); config sits above everything and is not counted.
PISOS = [("core",), ("convocatorias",), ("practicas",), ("evaluacion", "jornadas"), ("compromisos",), ("portal",)]
APPS = {app for piso in PISOS for app in piso}


def piso(app: str) -> int | None:
    for i, apps in enumerate(PISOS):
        if app in apps:
            return i
    return None


def _modulo(path: Path) -> str:
    partes = list(path.relative_to(RAIZ).with_suffix("").parts)
    if partes[-1] == "__init__":
        partes = partes[:-1]
    return ".".join(partes)


def _archivos():
    for app in sorted(APPS):
        base = RAIZ / app
        if base.is_dir():
            for p in sorted(base.rglob("*.py")):
                if "migrations" not in p.parts:
                    yield p


def _resolver(nombre: str, modulos) -> str | None:
    """The project file a dotted import lands on (a module, or a package's __init__)."""
    while nombre:
        if nombre in modulos:
            return nombre
        nombre = nombre.rpartition(".")[0]
    return None


def _circulos(grafo: dict[str, set[str]]) -> list[list[str]]:
    """Tarjan's strongly connected components of more than one file."""
    indice, bajo, pila, en_pila, componentes, contador = {}, {}, [], set(), [], [0]
    sys.setrecursionlimit(max(10000, sys.getrecursionlimit()))

    def visitar(v):
        indice[v] = bajo[v] = contador[0]
        contador[0] += 1
        pila.append(v)
        en_pila.add(v)
        for w in grafo[v]:
            if w not in indice:
                visitar(w)
                bajo[v] = min(bajo[v], bajo[w])
            elif w in en_pila:
                bajo[v] = min(bajo[v], indice[w])
        if bajo[v] == indice[v]:
            componente = []
            while True:
                w = pila.pop()
                en_pila.discard(w)
                componente.append(w)
                if w == v:
                    break
            if len(componente) > 1:
                componentes.append(sorted(componente))

    for v in grafo:
        if v not in indice:
            visitar(v)
    return sorted(componentes)


def analizar() -> dict:
    modulos = {_modulo(p): p for p in _archivos()}
    de_modulo: dict[str, set[str]] = {m: set() for m in modulos}
    con_funciones: dict[str, set[str]] = {m: set() for m in modulos}
    funcion, subidas = [], set()
    for m, p in modulos.items():
        texto = p.read_text()
        lineas = texto.splitlines()
        arbol = ast.parse(texto, str(p))
        paquete = m if p.name == "__init__.py" else m.rpartition(".")[0]
        padres = {hijo: nodo for nodo in ast.walk(arbol) for hijo in ast.iter_child_nodes(nodo)}
        for nodo in ast.walk(arbol):
            if isinstance(nodo, ast.Import):
                destinos = [a.name for a in nodo.names]
            elif isinstance(nodo, ast.ImportFrom):
                if nodo.level:
                    base = paquete.split(".")[: len(paquete.split(".")) - (nodo.level - 1)]
                    raiz = ".".join(base + ([nodo.module] if nodo.module else []))
                else:
                    raiz = nodo.module or ""
                destinos = [f"{raiz}.{a.name}" for a in nodo.names]
            else:
                continue
            en_funcion = tipado = False
            arriba = padres.get(nodo)
            while arriba is not None:
                en_funcion |= isinstance(arriba, ast.FunctionDef | ast.AsyncFunctionDef)
                tipado |= isinstance(arriba, ast.If) and "TYPE_CHECKING" in ast.unparse(arriba.test)
                arriba = padres.get(arriba)
            if tipado:  # never runs
                continue
            for destino in destinos:
                app_destino = destino.split(".")[0]
                if app_destino not in APPS:
                    continue
                objetivo = _resolver(destino, modulos)
                if en_funcion:
                    # Says why: a comment on the import's line or the line above it.
                    cerca = lineas[nodo.lineno - 1] + (lineas[nodo.lineno - 2] if nodo.lineno > 1 else "")
                    funcion.append((m, destino, nodo.lineno, "#" in cerca))
                if objetivo and objetivo != m:
                    con_funciones[m].add(objetivo)
                    if not en_funcion:
                        de_modulo[m].add(objetivo)
                    desde, hacia = piso(m.split(".")[0]), piso(app_destino)
                    if hacia > desde or (hacia == desde and app_destino != m.split(".")[0]):
                        subidas.add((m, objetivo, "función" if en_funcion else "módulo"))
    tamanos = sorted(((len(p.read_text().splitlines()), m) for m, p in modulos.items()), reverse=True)
    return {
        "circulos": _circulos(de_modulo), "circulos_con_funciones": _circulos(con_funciones), "subidas": sorted(subidas),
        "funcion": funcion, "tamanos": tamanos,
    }


def main():
    a = analizar()
    print(f"import circles, module-scope imports only: {len(a['circulos'])}")
    for c in a["circulos"]:
        print(f"  {len(c)} files: {', '.join(c)}")
    print(f"import circles, counting imports inside functions too: {len(a['circulos_con_funciones'])}")
    for c in a["circulos_con_funciones"]:
        print(f"  {len(c)} files: {', '.join(c)}")
    print(f"core/ files importing an app: {len({m for m, _, _ in a['subidas'] if m.startswith('core.')})}")
    print(f"imports going up a floor or sideways between evaluacion and jornadas (file pairs): {len(a['subidas'])}")
    for desde, hacia, donde in a["subidas"]:
        print(f"  {desde} -> {hacia} ({donde})")
    comentados = sum(1 for *_, c in a["funcion"] if c)
    print(f"imports of project modules inside functions: {len(a['funcion'])} ({comentados} with a comment)")
    if "-v" in sys.argv:
        for m, destino, linea, comentado in a["funcion"]:
            print(f"  {m}:{linea} {destino}{'' if comentado else '  (no comment)'}")
    print("largest files (lines):")
    for lineas, m in a["tamanos"][:8]:
        print(f"  {lineas:5d}  {m}")


if __name__ == "__main__":
    main()
