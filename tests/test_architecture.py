"""The shape of the house (docs/architecture.md): imports run one way between the layers, there is no import cycle,
no module takes another module's ``_private`` names, and no module outgrows its page count."""
from __future__ import annotations

import ast
from pathlib import Path

import networkx as nx
import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "lithkg"

# The layers, lowest first: a module may import its own layer's package and any lower layer, never a higher one,
# and never a sibling package of its own layer (extract and versioning do not know each other; nor do ingest and
# read; web is served by cli, never the other way).
LAYERS = [
    {"errors"},
    {"config", "model"},
    {"rdf"},
    {"store"},
    {"session"},
    {"extract", "versioning"},
    {"ingest", "read"},
    {"kg"},
    {"web"},
    {"cli"},
]
LEVEL = {name: i for i, layer in enumerate(LAYERS) for name in layer}
MAX_LINES = 600
MAX_FACADE = 450
# Attribute names that start with an underscore by a library's convention, not privacy.
PUBLIC_UNDERSCORE = {"_replace", "_asdict", "_fields", "_make", "_exit", "_getframe"}


def modules() -> dict[str, Path]:
    """Every module of the package: dotted name -> file."""
    out = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts = parts[:-1]
        out[".".join(parts)] = path
    return out


MODULES = modules()


def unit(module: str) -> str | None:
    """The layer unit a module belongs to: its top-level package or module under lithkg (None: lithkg itself)."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else None


def imports(module: str, path: Path) -> list[tuple[int, str, list[str]]]:
    """(line, imported lithkg module, names taken from it) for every import in the file, in functions too."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = module if path.name == "__init__.py" else module.rsplit(".", 1)[0]
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(node.lineno, a.name, []) for a in node.names if a.name.split(".")[0] == "lithkg"]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - (node.level - 1)]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            if target.split(".")[0] != "lithkg":
                continue
            names = [a.name for a in node.names]
            submodules = [f"{target}.{n}" for n in names if f"{target}.{n}" in MODULES]
            if submodules:  # from . import exports, extract: each a module of its own
                found += [(node.lineno, m, []) for m in submodules]
                rest = [n for n in names if f"{target}.{n}" not in MODULES]
                if rest:
                    found.append((node.lineno, target, rest))
            else:
                found.append((node.lineno, target, names))
    return found


def test_imports_run_one_way():
    wrong = []
    for module, path in MODULES.items():
        mine = unit(module)
        if mine is None:  # lithkg/__init__.py exports the facade
            continue
        for line, target, _ in imports(module, path):
            theirs = unit(target)
            if theirs is None or theirs == mine:
                continue
            if LEVEL[theirs] > LEVEL[mine] or (LEVEL[theirs] == LEVEL[mine]):
                wrong.append(f"{path.relative_to(PACKAGE.parent)}:{line}: {mine} imports {theirs}")
    assert not wrong, "imports against the direction of the layers:\n" + "\n".join(wrong)


def test_every_unit_has_a_layer():
    units = {unit(m) for m in MODULES} - {None}
    assert units <= set(LEVEL), f"modules outside the layers: {sorted(units - set(LEVEL))}"


def test_no_import_cycle():
    graph = nx.DiGraph()
    for module, path in MODULES.items():
        graph.add_node(module)
        for _, target, _ in imports(module, path):
            while target not in MODULES and "." in target:
                target = target.rsplit(".", 1)[0]
            if target != module and target in MODULES and not module.startswith(target + "."):
                graph.add_edge(module, target)
    cycles = list(nx.simple_cycles(graph))
    packages = {m for m, p in MODULES.items() if p.name == "__init__.py"}
    # a package's __init__ that re-exports its own modules is not a cycle of code
    cycles = [c for c in cycles if not any(m in packages and all(x.startswith(m) for x in c) for m in c)]
    assert not cycles, "import cycles:\n" + "\n".join(" -> ".join(c + [c[0]]) for c in cycles)


def _private(name: str) -> bool:
    return name.startswith("_") and not name.startswith("__") and name not in PUBLIC_UNDERSCORE


def test_no_module_takes_another_modules_private_names():
    wrong = []
    for module, path in MODULES.items():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for line, target, names in imports(module, path):
            for name in names:
                if _private(name) and target != module:
                    wrong.append(f"{path.relative_to(PACKAGE.parent)}:{line}: imports {name} from {target}")
        for node in ast.walk(tree):
            if isinstance(node, ast.Attribute) and _private(node.attr):
                owner = node.value
                if isinstance(owner, ast.Name) and owner.id in ("self", "cls"):
                    continue
                if isinstance(owner, ast.Call) and isinstance(owner.func, ast.Name) and owner.func.id == "super":
                    continue
                wrong.append(f"{path.relative_to(PACKAGE.parent)}:{node.lineno}: reads {ast.unparse(node)}")
    assert not wrong, "private names used outside their module:\n" + "\n".join(wrong)


@pytest.mark.parametrize("module", sorted(MODULES))
def test_no_module_over_its_size(module):
    lines = MODULES[module].read_text(encoding="utf-8").count("\n")
    limit = MAX_FACADE if module == "lithkg.kg" else MAX_LINES
    assert lines <= limit, f"{module} has {lines} lines (at most {limit})"
