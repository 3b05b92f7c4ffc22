"""The core's architecture: no UI framework, imports only down the layers, codes not English."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest


def test_costmodel_does_not_import_streamlit():
    code = (
        "import pkgutil, importlib, sys, costmodel\n"
        "for m in pkgutil.walk_packages(costmodel.__path__, 'costmodel.'):\n"
        "    if m.name != 'costmodel.__main__':\n"
        "        importlib.import_module(m.name)\n"
        "print('streamlit' in sys.modules)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


# Layers of the core, lowest first: a module may import its own layer and those below.
LAYERS = {
    "errors": 0,
    "parsing": 0,
    "suggest": 0,
    "scenario": 0,
    "uncertain": 0,
    "demo": 0,
    "prices": 1,
    "tokens": 2,
    "engine": 3,
    "report": 4,
    "cli": 5,
}
CORE = Path(__file__).resolve().parents[1] / "costmodel"


def _layer(module: str) -> int | None:
    """Layer of a ``costmodel.x...`` module name; None for the package root."""
    parts = module.split(".")
    return LAYERS.get(parts[1]) if len(parts) > 1 else None


def _imports(path: Path) -> list[str]:
    """Every ``costmodel`` module a file imports, at any depth (lazy imports included)."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("costmodel"):
            found.append(node.module)
        elif isinstance(node, ast.Import):
            found += [a.name for a in node.names if a.name.startswith("costmodel")]
    return found


def _modules() -> list[tuple[str, Path]]:
    return [
        (".".join(("costmodel", *p.relative_to(CORE).with_suffix("").parts)), p)
        for p in sorted(CORE.rglob("*.py"))
    ]


def test_every_core_folder_has_a_layer():
    top = {name.split(".")[1] for name, _ in _modules() if name.count(".") >= 1}
    assert top - {"__init__", "__main__"} <= set(LAYERS)


@pytest.mark.parametrize(("name", "path"), _modules(), ids=lambda v: str(v))
def test_imports_point_down_the_layers(name, path):
    """prices and tokens → engine → report → command line; never upwards."""
    own = _layer(name)
    if own is None:
        return  # the package root re-exports the public API
    upward = [m for m in _imports(path) if (_layer(m) or 0) > own]
    assert upward == [], f"{name} imports a higher layer: {upward}"


def test_the_layer_rule_can_fail(tmp_path):
    bad = tmp_path / "bad.py"
    bad.write_text("from costmodel.report.wording import verdict\n", encoding="utf-8")
    assert [m for m in _imports(bad) if (_layer(m) or 0) > LAYERS["engine"]]


def _sentences(path: Path) -> list[tuple[int, str]]:
    """String literals with a space in them, outside docstrings, raised errors and Field help."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    skip: set[int] = set()
    for node in ast.walk(tree):
        body = getattr(node, "body", None)
        first = body[0] if isinstance(body, list) and body else None
        if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
            skip.add(id(first.value))
        if isinstance(node, ast.Raise):
            skip.update(id(sub) for sub in ast.walk(node))
    return [
        (node.lineno, node.value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant)
        and isinstance(node.value, str)
        and " " in node.value.strip()
        and id(node) not in skip
    ]


# The engine speaks in codes; no module of it says anything to a person.
ENGINE = sorted(p.stem for p in (CORE / "engine").glob("*.py"))


def test_the_engine_list_holds_the_comparison_path():
    expected = {"comparison", "evaluate", "readiness", "sweeps", "strategy_costs", "training"}
    assert expected <= set(ENGINE)


@pytest.mark.parametrize("module", ENGINE)
def test_the_engine_returns_codes_not_english(module):
    assert _sentences(CORE / "engine" / f"{module}.py") == []


def test_the_english_rule_can_fail(tmp_path):
    bad = tmp_path / "bad.py"
    bad.write_text(
        'def f():\n    """A docstring may talk."""\n    raise ValueError("so may an error")\n'
        'REASON = "but not a result"\n',
        encoding="utf-8",
    )
    assert _sentences(bad) == [(4, "but not a result")]
