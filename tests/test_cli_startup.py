"""The command line starts without loading the heavy libraries it does not need.

Each check runs a fresh interpreter, because the test runner itself has long
since imported everything.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

import costmodel

REPO = Path(__file__).parents[1]
HEAVY = ("pandas", "numpy", "pydantic", "streamlit", "plotly", "pyarrow", "yaml", "tiktoken")


def modules_after(code: str, top_level: bool = True) -> set[str]:
    """The modules (top-level names by default) imported once ``code`` has run in a new
    interpreter."""
    name = "name.split('.')[0]" if top_level else "name"
    probe = (
        "import contextlib, io, json, sys\n"
        f"with contextlib.redirect_stdout(io.StringIO()), contextlib.suppress(SystemExit):\n"
        f"    {code}\n"
        f"print(json.dumps(sorted({{{name} for name in sys.modules}})))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True, cwd=REPO
    ).stdout
    return set(json.loads(out.splitlines()[-1]))


@pytest.mark.parametrize("argv", [["--help"], ["tokens", "--help"], ["pricing", "list", "--help"]])
def test_help_imports_no_heavy_library(argv):
    loaded = modules_after(f"import costmodel.cli; costmodel.cli.main({argv!r})")
    assert "costmodel" in loaded  # the probe really ran the command line
    assert loaded.isdisjoint(HEAVY), sorted(loaded & set(HEAVY))


@pytest.mark.parametrize(
    ("argv", "command"), [(["--help"], None), (["tokens", "--help"], "tokens"), ([], None)]
)
def test_a_call_imports_the_module_of_its_command_alone(argv, command):
    loaded = modules_after(f"import costmodel.cli; costmodel.cli.main({argv!r})", top_level=False)
    commands = {name for name in loaded if name.startswith("costmodel.cli.")} - {
        "costmodel.cli.common"
    }
    assert commands == ({f"costmodel.cli.{command}"} if command else set())
    if command is None:  # the top-level help needs nothing of the package but the list
        assert not {n for n in loaded if n.startswith("costmodel.")} - {
            "costmodel.cli",
            "costmodel.cli.common",
            "costmodel.errors",
        }
        assert loaded.isdisjoint({"typing", "pathlib"})  # json: the probe itself uses it


def test_tokens_command_loads_no_dataframe_schema_or_fallback_library():
    sample = REPO / "tests" / "fixtures" / "samples" / "prompts.jsonl"
    loaded = modules_after(f"import costmodel.cli; costmodel.cli.main(['tokens', {str(sample)!r}])")
    assert "rs_bpe" in loaded  # it did count, on the fast path: tiktoken is not even loaded
    assert loaded.isdisjoint({"pandas", "pydantic", "streamlit", "plotly", "pyarrow", "yaml"})
    assert "tiktoken" not in loaded


def test_package_import_is_lazy():
    assert modules_after("import costmodel").isdisjoint(HEAVY)


def test_every_public_name_resolves():
    for name in costmodel.__all__:
        assert getattr(costmodel, name).__name__ == name
    assert set(costmodel.__all__) <= set(dir(costmodel))


def test_unknown_attribute_is_an_attribute_error():
    with pytest.raises(AttributeError, match="no_such_name"):
        _ = costmodel.no_such_name
