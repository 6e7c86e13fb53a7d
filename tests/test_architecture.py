"""The layers of DESIGN.md import one way only:
program -> runtime -> explore -> check -> present (each may import the ones
before it, never after).  ``checker/errors.py`` and ``checker/atomic.py`` sit
below every layer; ``checker/__init__.py`` and ``__main__.py`` are the public
surface above them all."""

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "checker"
LAYERS = ["program", "runtime", "explore", "check", "present"]
BOTTOM = {"errors", "atomic"}


def layer_of(module: str) -> int | None:
    """Rank of a module path like 'checker.runtime.execution'."""
    parts = module.split(".")
    if parts[0] != "checker" or len(parts) < 2:
        return None
    if parts[1] in BOTTOM:
        return -1
    return LAYERS.index(parts[1]) if parts[1] in LAYERS else None


def imports_of(path: Path) -> list[tuple[str, int]]:
    """Absolute names imported at module level or inside functions."""
    rel = path.relative_to(PACKAGE.parent).with_suffix("")
    package = list(rel.parts[:-1]) if rel.name != "__init__" else list(rel.parts[:-1])
    if rel.name == "__init__":
        package = list(rel.parts[:-1])
    out = []
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = package[: len(package) - node.level + 1]
                name = ".".join(base + ([node.module] if node.module else []))
            else:
                name = node.module or ""
            out.append((name, node.lineno))
        elif isinstance(node, ast.Import):
            out.extend((alias.name, node.lineno) for alias in node.names)
    return out


def test_layers_import_one_way():
    violations = []
    for path in sorted(PACKAGE.rglob("*.py")):
        rel = path.relative_to(PACKAGE.parent)
        own = layer_of(".".join(rel.with_suffix("").parts))
        if own is None:
            continue  # checker/__init__.py, __main__.py: the public surface
        for name, line in imports_of(path):
            target = layer_of(name)
            if target is not None and target > own:
                violations.append(f"{rel}:{line} imports {name}")
    assert not violations, "imports against the layer order:\n" + "\n".join(violations)


def test_modules_stay_small():
    big = [str(p.relative_to(PACKAGE.parent)) for p in PACKAGE.rglob("*.py") if len(p.read_text().splitlines()) > 450]
    assert not big, f"modules over 450 lines (split them): {big}"
