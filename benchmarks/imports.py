"""Figures for the shape of the house: file-level import circles, upward imports between the
layers, function-level imports and the largest files. Prints; asserts nothing.

    python benchmarks/imports.py
"""

import ast
import sys
from pathlib import Path

RAIZ = Path(__file__).resolve().parent.parent
# Bottom to top; config sits above everything and is not counted.
CAPAS = ["core", "convocatorias", "practicas", ("evaluacion", "jornadas", "compromisos"), "portal"]
APPS = {"core", "convocatorias", "practicas", "evaluacion", "jornadas", "compromisos", "portal"}


def nivel(app):
    for i, capa in enumerate(CAPAS):
        if app == capa or (isinstance(capa, tuple) and app in capa):
            return i
    return None


def modulo_de(path: Path) -> str:
    partes = list(path.relative_to(RAIZ).with_suffix("").parts)
    if partes[-1] == "__init__":
        partes = partes[:-1]
    return ".".join(partes)


def archivos():
    for app in sorted(APPS):
        base = RAIZ / app
        if base.is_dir():
            for p in sorted(base.rglob("*.py")):
                if "migrations" not in p.parts:
                    yield p


def resolver(mod: str, modulos: set[str]) -> str | None:
    """The project file a dotted import lands on (a package's __init__ or a module)."""
    while mod:
        if mod in modulos:
            return mod
        mod = mod.rpartition(".")[0]
    return None


def circulos(grafo):
    """Tarjan's strongly connected components of more than one file."""
    indice, bajo, pila, en_pila, sccs, n = {}, {}, [], set(), [], [0]
    sys.setrecursionlimit(10000)

    def visitar(v):
        indice[v] = bajo[v] = n[0]
        n[0] += 1
        pila.append(v)
        en_pila.add(v)
        for w in grafo[v]:
            if w not in indice:
                visitar(w)
                bajo[v] = min(bajo[v], bajo[w])
            elif w in en_pila:
                bajo[v] = min(bajo[v], indice[w])
        if bajo[v] == indice[v]:
            comp = []
            while True:
                w = pila.pop()
                en_pila.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                sccs.append(sorted(comp))

    for v in grafo:
        if v not in indice:
            visitar(v)

    return sccs


def main():
    mods = {modulo_de(p): p for p in archivos()}
    grafo: dict[str, set[str]] = {m: set() for m in mods}
    todo: dict[str, set[str]] = {m: set() for m in mods}
    funcion = []
    subidas = []
    for m, p in mods.items():
        arbol = ast.parse(p.read_text(), str(p))
        paquete = m if p.name == "__init__.py" else m.rpartition(".")[0]
        padres = {}
        for nodo in ast.walk(arbol):
            for hijo in ast.iter_child_nodes(nodo):
                padres[hijo] = nodo
        for nodo in ast.walk(arbol):
            destinos = []
            if isinstance(nodo, ast.Import):
                destinos = [a.name for a in nodo.names]
            elif isinstance(nodo, ast.ImportFrom):
                if nodo.level:
                    base = paquete.split(".")
                    base = base[: len(base) - (nodo.level - 1)]
                    raiz = ".".join(base + ([nodo.module] if nodo.module else []))
                else:
                    raiz = nodo.module or ""
                destinos = [f"{raiz}.{a.name}" for a in nodo.names] if raiz else []
            else:
                continue
            # Imports inside `if TYPE_CHECKING:` do not run.
            arriba, en_funcion, tipado = padres.get(nodo), False, False
            while arriba is not None:
                if isinstance(arriba, ast.FunctionDef | ast.AsyncFunctionDef):
                    en_funcion = True
                if isinstance(arriba, ast.If) and "TYPE_CHECKING" in ast.unparse(arriba.test):
                    tipado = True
                arriba = padres.get(arriba)
            if tipado:
                continue
            for d in destinos:
                app_d = d.split(".")[0]
                if app_d not in APPS:
                    continue
                if en_funcion:
                    funcion.append((m, d, nodo.lineno))
                objetivo = resolver(d, set(mods))
                if objetivo and objetivo != m:
                    todo[m].add(objetivo)
                    if not en_funcion:
                        grafo[m].add(objetivo)
                    a, b = nivel(m.split(".")[0]), nivel(app_d)
                    if a is not None and b is not None and b > a:
                        subidas.append((m, objetivo, "función" if en_funcion else "módulo"))

    sccs = circulos(grafo)
    sccs_todo = circulos(todo)
    print(f"import circles, module-scope imports only: {len(sccs)}")
    for c in sccs:
        print(f"  {len(c)} files: {', '.join(c)}")
    print(f"import circles, counting function-level imports too: {len(sccs_todo)}")
    for c in sccs_todo:
        print(f"  {len(c)} files: {', '.join(c)}")
    core_apps = sorted({(a, b) for a, b, _ in subidas if a.startswith("core")})
    print(f"core/ files importing an app: {len({a for a, _ in core_apps})}")
    print(f"upward imports (file pairs): {len({(a, b) for a, b, _ in subidas})}")
    for a, b, donde in sorted(set(subidas)):
        print(f"  {a} -> {b} ({donde})")
    print(f"function-level imports of project modules: {len(funcion)}")
    if "-v" in sys.argv:
        for m, d, ln in funcion:
            print(f"  {m}:{ln} {d}")
    tamanos = sorted(((len(p.read_text().splitlines()), modulo_de(p)) for p in mods.values()), reverse=True)
    print("largest files:")
    for lineas, m in tamanos[:8]:
        print(f"  {lineas:5d}  {m}")


if __name__ == "__main__":
    main()
