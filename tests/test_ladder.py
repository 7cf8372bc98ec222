"""The house: the rungs of docs/design.md, held by the code's own imports.

A module may import only modules on lower rungs, and inside a package only the package's earlier
rooms (in :data:`INSIDE` order). Nobody imports another module's private name, nothing outside a
package imports its private rooms (``casetime.io._columns``), and no module reads a private
attribute it does not define itself (``calendar._tables`` from the engine). Imports under
``TYPE_CHECKING`` count like any other. ``casetime`` itself imports nothing at run time (its names
are loaded when first used), and nothing imports ``casetime.testing``.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src"
PACKAGE = SRC / "casetime"
DESIGN = Path(__file__).resolve().parents[1] / "docs" / "design.md"

#: The rungs, lowest first (docs/design.md, "The ladder"): a unit is a module or a package.
RUNGS: list[tuple[str, ...]] = [
    ("casetime.errors", "casetime._compat", "casetime._background", "casetime._memory", "casetime.cells"),
    ("casetime.dates", "casetime.rag", "casetime.sample", "casetime._keys"),
    (
        "casetime.calendar",
        "casetime.periods",
        "casetime.schema",
        "casetime.published",
        "casetime.config",
    ),
    ("casetime.tables", "casetime.charts"),
    ("casetime.indicators", "casetime.records", "casetime.quality"),
    ("casetime.io", "casetime.results"),
    ("casetime.validation",),
    ("casetime.extract",),
    ("casetime.engine",),
    ("casetime.report",),
    ("casetime.synth", "casetime.web", "casetime.dask"),
    ("casetime.cli",),
    ("casetime.__main__",),
]
#: Outside the ladder: hypothesis strategies for users' tests (imports hypothesis; never imported by the rest).
ASIDE = ("casetime.testing",)

#: Inside each package, its rooms in order: a room may import only the rooms before it.
INSIDE: dict[str, tuple[str, ...]] = {
    "casetime.indicators": ("definition", "catalogue", "registry"),
    "casetime.io": ("_columns", "_labels", "assemble", "csv", "cin", "excel", "frames", "paths"),
    "casetime.validation": ("registry", "findings", "duplicates", "run", "rules"),
    "casetime.engine": ("kinds", "timeliness", "bands", "reviews", "repeats", "inputs", "counting", "cases", "compute"),
    "casetime.report": ("model", "text", "csv", "json", "html", "cases"),
}


def module_name(path: Path) -> str:
    name = ".".join(path.relative_to(SRC).with_suffix("").parts)
    return name.removesuffix(".__init__")


MODULES = {module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}

#: (the house is the source tree's: under Pyodide only the installed wheel is there)
pytestmark = pytest.mark.skipif(not (SRC / "casetime" / "__init__.py").is_file(), reason="needs the source tree")


def is_package(name: str) -> bool:
    return (SRC / name.replace(".", "/") / "__init__.py").is_file()


def imports(name: str) -> set[str]:
    """Every casetime module ``name`` imports (``from a import b`` where ``b`` is a module counts as ``a.b``)."""
    tree = ast.parse(MODULES[name].read_text(encoding="utf-8"))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(a.name for a in node.names if a.name.split(".")[0] == "casetime")
        elif isinstance(node, ast.ImportFrom) and node.module and node.module.split(".")[0] == "casetime":
            found.add(node.module)
            found.update(f"{node.module}.{a.name}" for a in node.names if f"{node.module}.{a.name}" in MODULES)
    found.discard(name)
    # importing a submodule runs its packages' __init__ too (the root package's is lazy: see below)
    for target in list(found):
        parts = target.split(".")
        found.update(".".join(parts[:k]) for k in range(2, len(parts)))
    return {t for t in found if t not in ("casetime", name) and not name.startswith(t + ".")}


def unit_of(name: str) -> str:
    """The ladder unit (module or top-level package) a module belongs to."""
    parts = name.split(".")
    return ".".join(parts[:2])


RUNG = {unit: level for level, units in enumerate(RUNGS) for unit in units}


def room_of(name: str) -> tuple[str, int] | None:
    """``(package, position)`` of a package's room (the package's own ``__init__`` comes after every room)."""
    unit = unit_of(name)
    if unit not in INSIDE:
        return None
    rooms = INSIDE[unit]
    if name == unit:
        return unit, len(rooms)
    return unit, rooms.index(name.split(".")[2])


def test_every_module_is_on_the_ladder_or_aside() -> None:
    placed = set(RUNG) | set(ASIDE)
    missing = sorted(name for name in MODULES if name != "casetime" and unit_of(name) not in placed)
    assert missing == [], f"put these on a rung of tests/test_ladder.py and docs/design.md: {missing}"
    for package, rooms in INSIDE.items():
        actual = sorted(n.split(".")[2] for n in MODULES if n.startswith(package + "."))
        assert sorted(rooms) == actual, package


@pytest.mark.parametrize("name", sorted(n for n in MODULES if n != "casetime"))
def test_no_import_climbs(name: str) -> None:
    unit = unit_of(name)
    climbing = []
    for target in sorted(imports(name)):
        other = unit_of(target)
        if other in ASIDE:
            climbing.append(f"{target} (aside: only users' tests import it)")
        elif other == unit:
            mine, theirs = room_of(name), room_of(target)
            assert mine is not None and theirs is not None, (name, target)
            if theirs[1] >= mine[1]:
                climbing.append(f"{target} (a later room of {unit})")
        elif unit in ASIDE:
            continue  # the aside module may use any rung
        elif RUNG[other] >= RUNG[unit]:
            climbing.append(f"{target} (rung {RUNG[other] + 1}, not below {unit}'s rung {RUNG[unit] + 1})")
    assert climbing == [], f"{name} imports: {climbing}"


@pytest.mark.parametrize("name", sorted(MODULES))
def test_no_private_name_of_another_module_is_imported_or_read(name: str) -> None:
    tree = ast.parse(MODULES[name].read_text(encoding="utf-8"))
    wrong = []
    defined: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            defined.add(node.name)
        elif isinstance(node, ast.Attribute) and isinstance(node.ctx, ast.Store):
            defined.add(node.attr)
        elif isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
            defined.add(node.id)
        elif isinstance(node, ast.Constant) and isinstance(node.value, str):
            defined.add(node.value)  # object.__setattr__(self, "_make", ...)
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("casetime"):
            wrong += [f"from {node.module} import {a.name}" for a in node.names if a.name.startswith("_")]
            private_room = next((p for p in node.module.split(".") if p.startswith("_")), None)
            if private_room and not name.startswith(node.module.split("." + private_room)[0] + "."):
                wrong.append(f"from {node.module} import ... (a private room of another package)")
        elif isinstance(node, ast.Attribute) and re.fullmatch(r"_[a-z]\w*", node.attr):
            base = node.value
            if not (isinstance(base, ast.Name) and base.id in ("self", "cls")) and node.attr not in defined:
                wrong.append(f"line {node.lineno}: {ast.unparse(node)}")
    assert wrong == [], f"{name}: {wrong}"


def test_importing_casetime_imports_nothing_until_a_name_is_used() -> None:
    tree = ast.parse(MODULES["casetime"].read_text(encoding="utf-8"))
    runtime = []
    for node in tree.body:  # module level only: the TYPE_CHECKING block is for type checkers
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("casetime"):
            runtime.append(node.module)
        elif isinstance(node, ast.Import) and any(a.name.startswith("casetime") for a in node.names):
            runtime.append(ast.unparse(node))
    assert runtime == []


def test_design_doc_shows_the_same_rungs() -> None:
    text = DESIGN.read_text(encoding="utf-8")
    table = re.findall(r"^\| (\d+) \| (.+?) \|", text, re.MULTILINE)
    documented = [tuple(re.findall(r"`(casetime[\w.]*)`", units)) for _, units in table]
    assert documented == RUNGS, "docs/design.md's ladder table and tests/test_ladder.py disagree"
    for package, rooms in INSIDE.items():
        order = " -> ".join(f"`{r}`" for r in rooms)
        assert f"`{package}`: {order}" in text, f"docs/design.md does not show the rooms of {package} in order"
