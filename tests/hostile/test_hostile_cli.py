"""Every hostile file through every command of the command line: one clear answer, bounded.

The runs happen in worker subprocesses limited to :data:`ADDRESS_SPACE` bytes
of memory; each run has :data:`SECONDS` of CPU time to answer (CPU time, so a
machine busy with other work cannot fail a quick run; a run that waits without
working is stopped by a wall-clock alarm in the worker). Every run must end with
exit code 0, 1 or 2, no traceback, and when it refuses, exactly one line on
stderr (exit 1 is a training check that found format errors, listed in its
report); no run may add more than :data:`PEAK_MB` of memory.
"""

from __future__ import annotations

import csv
import io
import json
import resource
import signal
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import cli_worker
import pytest
from cli_worker import WALL_FACTOR
from hostile_files import build

from costmodel.demo import example_scenario_text

HERE = Path(__file__).parent
ADDRESS_SPACE = 3 * 2**30
SECONDS = 30
PEAK_MB = 400
WORKERS = 2

SAMPLE_SUFFIXES = (".csv", ".jsonl", ".json")


def _limit() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (ADDRESS_SPACE, ADDRESS_SPACE))


def _run_all(argvs: list[list[str]]) -> list[dict[str, Any]]:
    """Run the command lines in :data:`WORKERS` limited subprocesses; results in order."""
    chunks = [argvs[i::WORKERS] for i in range(WORKERS)]

    def work(chunk: list[list[str]]) -> list[dict[str, Any]]:
        done = subprocess.run(
            [sys.executable, str(HERE / "cli_worker.py"), str(SECONDS)],
            input=json.dumps(chunk),
            capture_output=True,
            text=True,
            preexec_fn=_limit,
            timeout=SECONDS * WALL_FACTOR * len(chunk) + 60,
            check=False,
        )
        results = [json.loads(line) for line in done.stdout.splitlines()]
        assert len(results) == len(chunk), f"worker died: {done.stderr[-2000:]}"
        return results

    with ThreadPoolExecutor(WORKERS) as pool:
        parts = list(pool.map(work, chunks))
    by_argv = {json.dumps(r["argv"]): r for part in parts for r in part}
    return [by_argv[json.dumps(a)] for a in argvs]


def _command_lines(files: dict[str, Path], tmp: Path) -> list[list[str]]:
    """Each command with every file of the kind it reads."""
    lines: list[list[str]] = []
    for name, path in files.items():
        if path.suffix in SAMPLE_SUFFIXES:
            lines.append(["tokens", str(path)])
        if path.suffix == ".jsonl":
            lines.append(["training", str(path), "--model", "openai/gpt-4.1-mini-2025-04-14"])
        if path.suffix == ".yaml":
            lines.append(["pricing", "validate", str(path)])
            lines.append(["scenario", "validate", str(path)])
            lines.append(["breakeven", "--scenario", str(path)])
            if name.startswith(("duplicate_model", "infinite_price", "misspelled", "alias_bomb.")):
                demo = tmp / "demo.yaml"
                demo.write_text(example_scenario_text(), encoding="utf-8")
                lines.append(["breakeven", "--scenario", str(demo), "--pricing", str(path)])
    return lines


@pytest.fixture(scope="module")
def results(tmp_path_factory: pytest.TempPathFactory) -> list[dict[str, Any]]:
    tmp = tmp_path_factory.mktemp("hostile")
    files = build(tmp)
    formula = tmp / "formula.yaml"
    formula.write_text(
        example_scenario_text().replace(
            "name: Support-ticket classifier", "name: \"=HYPERLINK('https://x.example')\"", 1
        ),
        encoding="utf-8",
    )
    lines = _command_lines(files, tmp)
    lines.append(["breakeven", "--scenario", str(formula), "--out", str(tmp / "formula.csv")])
    return _run_all(lines)


def _label(result: dict[str, Any]) -> str:
    return " ".join(Path(a).name if "/" in a else a for a in result["argv"])


def test_no_run_escapes_with_a_traceback_or_hangs(results: list[dict[str, Any]]) -> None:
    bad = {_label(r): r["traceback"][-600:] for r in results if r["traceback"]}
    assert not bad


def test_every_refusal_is_one_line(results: list[dict[str, Any]]) -> None:
    for r in results:
        assert r["code"] in (0, 1, 2), _label(r)
        if r["code"] == 2:
            assert r["stderr"].count("\n") == 1, (_label(r), r["stderr"][:500])
            assert r["stderr"].startswith("costmodel"), (_label(r), r["stderr"][:500])
        if r["code"] == 1:  # a finished check that found problems: they are in the report
            assert "Format errors" in r["stdout"] and not r["stderr"], _label(r)


def test_every_run_is_bounded_in_time_and_memory(results: list[dict[str, Any]]) -> None:
    for r in results:
        assert r["cpu_seconds"] < SECONDS and r["peak_mb"] < PEAK_MB, (
            _label(r),
            r["cpu_seconds"],
            r["seconds"],
            r["peak_mb"],
        )


def test_a_busy_run_is_stopped_at_its_cpu_bound(monkeypatch: pytest.MonkeyPatch) -> None:
    """The bound can fail: a run that never stops working is ended and reported."""

    def spin(argv: list[str]) -> int:
        while True:
            pass

    monkeypatch.setattr(cli_worker, "main", spin)
    # Only the CPU bound may end it: on a loaded machine the wall-time alarm
    # (4 × the bound) could come first, before half a second of CPU was spent.
    monkeypatch.setattr(cli_worker, "WALL_FACTOR", 120)
    handlers = signal.getsignal(signal.SIGALRM), signal.getsignal(signal.SIGPROF)
    cli_worker.stop_on_bounds()
    try:
        r = cli_worker.run(["spin"], 1)
    finally:
        signal.signal(signal.SIGALRM, handlers[0])
        signal.signal(signal.SIGPROF, handlers[1])
    assert r["code"] == -1 and "1 s of CPU time" in r["traceback"]
    assert r["cpu_seconds"] > 0.5  # the kernel samples CPU time in ticks


EXPECTED = {
    "alias_bomb.yaml": "aliases expand",
    "alias_bomb_in_scenario.yaml": "aliases expand",
    "recursive_alias.yaml": "refers to itself",
    "deep_flow.yaml": "nest",
    "deep_block.yaml": "nested deeper than 64",
    "duplicate_key.yaml": "'horizon_months' appears twice",
    "duplicate_model.yaml": "'gpt-4.1' appears twice",
    "impossible_date.yaml": "'start_date': 2026-02-30 is not a date",
    "giant_int.yaml": "integer of 5000 characters",
    "huge_float.yaml": "magnitude above",
    "infinite_tokens.yaml": "not a finite number",
    "nan_rate.yaml": "not a finite number",
    "huge_yaml.yaml": "over 1 MB",
    "binary.yaml": "binary",
    "utf16.yaml": "UTF-16 encoded; save it as UTF-8",
    "latin1.yaml": "UTF-8",
}


@pytest.mark.parametrize(("name", "words"), sorted(EXPECTED.items()))
def test_scenario_validate_says_what_is_wrong(
    results: list[dict[str, Any]], name: str, words: str
) -> None:
    (r,) = [
        r
        for r in results
        if r["argv"][:2] == ["scenario", "validate"] and r["argv"][2].endswith("/" + name)
    ]
    assert r["code"] == 2 and words in r["stderr"], r["stderr"]


@pytest.mark.parametrize(
    ("command", "name", "words"),
    [
        ("pricing", "misspelled_models.yaml", "unknown key 'modles'"),
        ("pricing", "infinite_price.yaml", "not a finite number"),
        ("pricing", "alias_bomb.yaml", "aliases expand"),
        ("tokens", "deep_json.jsonl", "nested deeper than 64"),
        ("tokens", "deep_json.json", "nested deeper than 64"),
        ("tokens", "giant_int_json.jsonl", "integer of 5000 digits"),
        ("tokens", "nan_json.jsonl", "NaN refused"),
        ("tokens", "chat_part_not_text.jsonl", "'text' must be text"),
        ("tokens", "huge_line.jsonl", "over 32 MB"),
        ("tokens", "binary.csv", "binary"),
        ("tokens", "utf16.csv", "UTF-16"),
        ("tokens", "latin1.csv", "UTF-8"),
        ("tokens", "empty.csv", "empty"),
        ("training", "huge_line.jsonl", "over 32 MB"),
        ("training", "binary.jsonl", "binary"),
    ],
)
def test_refusals_name_the_problem(
    results: list[dict[str, Any]], command: str, name: str, words: str
) -> None:
    (r,) = [
        r
        for r in results
        if r["argv"][0] == command
        and r["argv"][-1 if command == "pricing" else 1].endswith("/" + name)
    ]
    assert r["code"] == 2 and words in r["stderr"], r["stderr"]


@pytest.mark.parametrize("name", ["many_lines_csv.csv", "many_lines_jsonl.jsonl"])
def test_many_short_records_are_counted(results: list[dict[str, Any]], name: str) -> None:
    (r,) = [r for r in results if r["argv"][0] == "tokens" and r["argv"][1].endswith("/" + name)]
    assert r["code"] == 0 and "50,000 records" in r["stdout"], r["stderr"]


def test_every_documented_chat_shape_is_counted(results: list[dict[str, Any]]) -> None:
    for command in ("tokens", "training"):
        (r,) = [
            r
            for r in results
            if r["argv"][0] == command and r["argv"][1].endswith("/chat_every_part_shape.jsonl")
        ]
        assert r["code"] == 0, r["stderr"]
    (r,) = [
        r
        for r in results
        if r["argv"][0] == "tokens" and r["argv"][1].endswith("/chat_every_part_shape.jsonl")
    ]
    assert "not counted" in r["stdout"] + r["stderr"]


def test_formula_like_names_are_counted_and_exported_inert(
    results: list[dict[str, Any]], tmp_path_factory: pytest.TempPathFactory
) -> None:
    (r,) = [
        r
        for r in results
        if r["argv"][0] == "tokens" and r["argv"][1].endswith("/formula_names.csv")
    ]
    assert r["code"] == 0, r["stderr"]
    (out,) = [r for r in results if "--out" in r["argv"]]
    assert out["code"] == 0, out["stderr"]
    rows = list(csv.reader(io.StringIO(Path(out["argv"][-1]).read_text(encoding="utf-8"))))
    cells = [cell for row in rows for cell in row]
    assert any("HYPERLINK" in c for c in cells)
    assert not [c for c in cells if c[:1] in ("=", "+", "@")]
