"""The house as drawn: the pipeline's packages import only earlier stages, the web layer only what it serves,
and no module imports itself back through others (issue "The house").

The imports are read from the source with :mod:`ast` (every ``import`` and ``from ... import``, also those
inside functions or under ``TYPE_CHECKING``), so a lazy import cannot hide a wrong direction.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

from conftest import REPO

SRC = REPO / "src"

#: The pipeline, in the direction of flow: a package may import only packages before it. The plan model
#: comes first because every stage speaks it (the reader produces it); ``kg.settings`` is everyone's.
STAGES = ["kg.model", "kg.read", "kg.link", "kg.rdf", "kg.validate", "kg.store", "kg.build", "kg.web", "kg.cli"]
SHARED = {"kg", "kg.settings"}
#: What the web layer may import outside itself: the store it serves, and the settings.
WEB_MAY_IMPORT = {"kg.store", "kg.settings"}
#: The web layer's own layers, in order (a part may import only parts before it).
WEB_LAYERS = ["kg.web.vocab", "kg.web.http", "kg.web.querying", "kg.web.site", "kg.web.services",
              "kg.web.routes", "kg.web.app", "kg.web.server"]


def _modules() -> dict[str, Path]:
    found = {}
    for path in (SRC / "kg").rglob("*.py"):
        parts = path.relative_to(SRC).with_suffix("").parts
        found[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = path
    return found


MODULES = _modules()


def _imports(path: Path) -> Iterator[str]:
    """The kg modules that the module at ``path`` imports (a name imported from a package counts as the
    submodule when it is one)."""
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0 and node.module.split(".")[0] == "kg":
            for alias in node.names:
                full = f"{node.module}.{alias.name}"
                yield full if full in MODULES else node.module
        elif isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names if alias.name.split(".")[0] == "kg")
        elif isinstance(node, ast.ImportFrom) and node.level > 0:
            yield f"relative import in {path}"


IMPORTS = {module: sorted(set(_imports(path))) for module, path in MODULES.items()}


def _within(module: str, packages: list[str]) -> int | None:
    """The index of the package of ``packages`` that holds ``module``, or None."""
    for index, package in enumerate(packages):
        if module == package or module.startswith(package + "."):
            return index
    return None


def test_every_module_belongs_to_a_stage() -> None:
    loose = [m for m in MODULES if m not in SHARED | {"kg.__main__"} and _within(m, STAGES) is None]
    assert loose == []


def test_no_relative_imports() -> None:
    assert [i for imports in IMPORTS.values() for i in imports if i.startswith("relative")] == []


def test_no_dynamic_imports() -> None:
    """Every import is a statement the checks here can read: none through ``importlib`` or ``__import__``."""
    dynamic = [
        f"{module}:{node.lineno}"
        for module, path in MODULES.items()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
        if isinstance(node, ast.Call) and (
            (isinstance(node.func, ast.Name) and node.func.id == "__import__")
            or (isinstance(node.func, ast.Attribute) and node.func.attr == "import_module")
        )
    ]
    assert dynamic == []


def test_the_shared_modules_import_no_stage() -> None:
    """``kg`` (the package) and ``kg.settings`` are every stage's, so they import none."""
    assert {module: IMPORTS[module] for module in SHARED if IMPORTS[module]} == {}


def _later_imports(layers: list[str]) -> list[str]:
    """Every import of a module of one of ``layers`` from a module of a later one."""
    wrong = []
    for module, imports in IMPORTS.items():
        layer = _within(module, layers)
        for imported in imports:
            other = _within(imported, layers)
            if layer is not None and other is not None and other > layer:
                wrong.append(f"{module} imports {imported}")
    return wrong


def test_stages_import_only_earlier_stages() -> None:
    assert _later_imports(STAGES) == []


def test_web_imports_only_what_it_serves() -> None:
    wrong = [
        f"{module} imports {imported}"
        for module, imports in IMPORTS.items() if _within(module, ["kg.web"]) is not None
        for imported in imports
        if _within(imported, ["kg.web"]) is None and _within(imported, sorted(WEB_MAY_IMPORT)) is None
    ]
    assert wrong == []


def test_web_layers_import_only_earlier_layers() -> None:
    assert _later_imports(WEB_LAYERS) == []


def test_no_import_cycles() -> None:
    """No module reaches itself through its imports (Tarjan's strongly connected components)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    cycles: list[list[str]] = []

    def visit(module: str) -> None:
        index[module] = low[module] = len(index)
        stack.append(module)
        for imported in IMPORTS.get(module, []):
            if imported == "kg" or imported not in MODULES:
                continue
            if imported not in index:
                visit(imported)
                low[module] = min(low[module], low[imported])
            elif imported in stack:
                low[module] = min(low[module], index[imported])
        if low[module] == index[module]:
            component = []
            while True:
                top = stack.pop()
                component.append(top)
                if top == module:
                    break
            if len(component) > 1:
                cycles.append(sorted(component))

    for module in sorted(MODULES):
        if module not in index:
            visit(module)
    assert cycles == []


@pytest.mark.parametrize("bad", [("kg.read.reader", "kg.rdf.mapping"), ("kg.web.routes.sparql", "kg.build.pipeline")])
def test_the_checks_catch_a_wrong_import(bad: tuple[str, str], monkeypatch: pytest.MonkeyPatch) -> None:
    """A stage importing a later one (or the web layer the build) is found by the checks above."""
    module, imported = bad
    monkeypatch.setitem(IMPORTS, module, [*IMPORTS[module], imported])
    with pytest.raises(AssertionError):
        test_stages_import_only_earlier_stages()
        test_web_imports_only_what_it_serves()
