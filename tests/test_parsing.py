"""Bounded YAML and JSON: every limit refuses with one sentence, ordinary documents pass."""

from __future__ import annotations

import itertools
import json
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from costmodel.demo import demo_scenario, example_scenario_text
from costmodel.errors import CostModelError, PricingError, SampleFileError, ScenarioError
from costmodel.parsing import MAX_DEPTH, MAX_YAML_BYTES, load_yaml, loads_json, read_text
from costmodel.prices.catalog import load_catalog
from costmodel.scenario import dump_scenario, parse_scenario
from costmodel.tokens.samples import read_samples


def laughs(levels: int = 9) -> str:
    """The "billion laughs": nine lists of nine aliases of the list before, 9**9 leaves."""
    text = "a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n"
    names = "abcdefghij"
    for prev, name in itertools.pairwise(names[:levels]):
        text += f"{name}: &{name} [{', '.join([f'*{prev}'] * 9)}]\n"
    return text


def refused(text: str) -> str:
    with pytest.raises(CostModelError) as info:
        load_yaml(text, "f.yaml", CostModelError)
    message = str(info.value)
    assert "\n" not in message and message.startswith("f.yaml: ")
    return message


def test_an_alias_bomb_is_refused_while_composing() -> None:
    # Level 6 holds 9**6 = 531,441 leaves, past the 200,000 bound; level 5 (59,049) is not.
    assert refused(laughs()) == "f.yaml: line 6: its aliases expand to more than 200,000 values"


def test_a_few_aliases_are_fine() -> None:
    assert load_yaml("a: &x [1, 2]\nb: *x\n", "f.yaml", CostModelError) == {
        "a": [1, 2],
        "b": [1, 2],
    }


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("a: " + "[" * 100_000 + "]" * 100_000, "nest"),
        ("".join("  " * i + f"k{i}:\n" for i in range(MAX_DEPTH + 5)), "nested deeper than 64"),
        ("a: &a [*a]\n", "alias *a refers to itself"),
        ("a: &a {b: *a}\n", "alias *a refers to itself"),
        ("x: 1\ny: 2\nx: 3\n", "line 3: key 'x' appears twice (lines 1 and 3)"),
        ("start_date: 2026-02-30\n", "line 1: field 'start_date': 2026-02-30 is not a date"),
        ("v: " + "9" * 5000 + "\n", "field 'v': integer of 5000 characters"),
        ("v: .inf\n", "field 'v': .inf refused: not a finite number"),
        ("v: -.inf\n", "not a finite number"),
        ("v: .nan\n", "not a finite number"),
        ("v: 1e308\n", "1e308 refused: magnitude above 1e+15"),
        ("v: 2.0e16\n", "magnitude above 1e+15"),
        ("a: [1, 2\n", "invalid YAML"),
    ],
)
def test_each_limit_has_its_sentence(text: str, words: str) -> None:
    assert words in refused(text)


def test_an_exponent_without_a_dot_is_a_number() -> None:
    # YAML 1.1 would read 1e6 as text; it is a number here, so its magnitude is checked.
    assert load_yaml("v: 1e6\n", "f.yaml", CostModelError) == {"v": 1e6}


def test_a_merge_key_is_not_a_duplicate() -> None:
    text = "base: &b {x: 1, y: 2}\nchild:\n  <<: *b\n  y: 3\n"
    assert load_yaml(text, "f.yaml", CostModelError)["child"] == {"x": 1, "y": 3}


def test_a_large_file_is_refused_before_it_is_read(tmp_path: Path) -> None:
    path = tmp_path / "big.yaml"
    path.write_bytes(b"#" * (MAX_YAML_BYTES + 1))
    with pytest.raises(PricingError, match="over 1 MB"):
        read_text(path, MAX_YAML_BYTES, PricingError)


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("[" * 100_000 + "]" * 100_000, "nested deeper than 64 levels"),
        ('{"a": NaN}', "NaN refused"),
        ('{"a": -Infinity}', "-Infinity refused"),
        ("[1e400]", "not a finite number"),
        ("[2e15]", "magnitude above"),
        ("[" + "9" * 5000 + "]", "integer of 5000 digits"),
    ],
)
def test_json_limits(text: str, words: str) -> None:
    with pytest.raises(ValueError, match=words):
        loads_json(text)


def test_json_nesting_bound_is_exact() -> None:
    """64 levels of arrays and objects are read; the 65th is refused, either kind."""
    assert loads_json("[" * MAX_DEPTH + "]" * MAX_DEPTH) is not None
    for deep in ("[" * 65 + "]" * 65, '{"a": ' * 64 + "[]" + "}" * 64):
        with pytest.raises(ValueError, match="nested deeper than 64 levels"):
            loads_json(deep)


def test_brackets_inside_strings_are_not_nesting() -> None:
    text = json.dumps({"prompt": "[" * 500 + "{" * 500})
    assert loads_json(text) == json.loads(text)


JSON = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-(10**15), 10**15)
    | st.floats(-1e15, 1e15, allow_nan=False)
    | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4),
    max_leaves=30,
)


@given(JSON)
def test_bounded_json_reads_what_the_standard_reader_reads(value: object) -> None:
    text = json.dumps(value)
    assert loads_json(text) == json.loads(text)


def test_the_scenario_file_format_round_trips_through_the_bounded_loader() -> None:
    scenario = demo_scenario()
    assert parse_scenario(dump_scenario(scenario)) == scenario


# The baseline's prompt figure exactly as the demo file writes it.
DEMO_PROMPT_TOKENS = f"prompt_tokens: {demo_scenario().strategies[0].tokens.prompt_tokens!r}"


@pytest.mark.parametrize(
    ("change", "words"),
    [
        (("horizon_months: 12", "horizon_months: 12\nhorizon_months: 24"), "appears twice"),
        (("start_date: null", "start_date: 2026-02-30"), "line {start}: field 'start_date'"),
        (("start_date: null", "start_date: 1900-01-01"), "outside the years"),
        (("requests_per_month: 1000000", "requests_per_month: 1e308"), "magnitude"),
        ((DEMO_PROMPT_TOKENS, "prompt_tokens: .inf"), "not a finite number"),
        (("requests_per_month: 1000000", "requests_per_month: " + "9" * 5000), "integer"),
    ],
)
def test_scenario_files_are_bounded(change: tuple[str, str], words: str) -> None:
    text = example_scenario_text()
    old, new = change
    assert old in text
    start = next(n for n, line in enumerate(text.splitlines(), 1) if "start_date:" in line)
    words = words.format(start=start)
    with pytest.raises(ScenarioError, match=words) as info:
        parse_scenario(text.replace(old, new, 1), "demo.yaml")
    assert "\n" not in str(info.value)


def test_a_misspelled_key_in_a_price_override_is_an_error() -> None:
    upload = b"provider: openai\nmodles:\n  gpt-4.1:\n    inference: {input_usd_per_mtok: 1}\n"
    with pytest.raises(PricingError, match="unknown key 'modles'"):
        load_catalog(uploads=[("mine.yaml", upload)])


def test_an_infinite_price_is_refused() -> None:
    upload = b"provider: openai\nmodels:\n  gpt-4.1:\n    inference: {input_usd_per_mtok: .inf}\n"
    with pytest.raises(PricingError, match="not a finite number"):
        load_catalog(uploads=[("mine.yaml", upload)])


def test_a_price_file_bomb_is_refused() -> None:
    with pytest.raises(PricingError, match="aliases expand"):
        load_catalog(uploads=[("bomb.yaml", laughs().encode())])


@pytest.mark.parametrize(
    "line",
    [
        b'{"messages": [{"role": "user", "content": [{"type": "text", "text": 5}]}]}',
        b'{"messages": [{"role": "user", "content": [{"type": "text", "text": null}]}]}',
    ],
)
def test_a_chat_part_whose_text_is_not_text_is_named(line: bytes) -> None:
    with pytest.raises(SampleFileError, match="content part 1: 'text' must be text"):
        read_samples((line + b"\n", "chat.jsonl"))


def test_image_and_tool_parts_are_reported_as_not_counted() -> None:
    line = (
        b'{"messages": [{"role": "user", "content": [{"type": "text", "text": "look"}, '
        b'{"type": "image_url", "image_url": {"url": "https://x.example/a.png"}}]}, '
        b'{"role": "assistant", "content": null, "tool_calls": [{"id": "1"}]}]}\n'
    )
    warnings = " ".join(read_samples((line, "chat.jsonl")).warnings)
    assert "1 non-text message part(s)" in warnings and "'tool_calls'" in warnings


def test_the_readme_states_the_limits_in_force() -> None:
    from costmodel import parsing
    from costmodel.engine.training import MAX_LINE_BYTES
    from costmodel.tokens.samples import MAX_JSON_BYTES, MAX_RECORD_CHARS
    from ui import share

    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    table = readme[readme.index("## Limits on input") :]
    assert f"| {parsing.MAX_YAML_BYTES // 2**20} MB, checked before reading" in table
    assert f"nesting {parsing.MAX_DEPTH} levels" in table
    assert f"{parsing.MAX_ALIASES} aliases, expanding to at most" in table
    assert f"{parsing.MAX_EXPANDED_NODES:,} values" in table
    assert f"magnitude at most {parsing.MAX_MAGNITUDE:.0e}".replace("e+", "e") in table
    assert f"at most {parsing.MAX_INT_DIGITS} digits" in table
    assert f"at most {MAX_JSON_BYTES // 2**20} MB (read whole)" in table
    assert f"one record at most {MAX_RECORD_CHARS // 2**20} MB" in table
    assert f"one line at most {MAX_LINE_BYTES // 2**20} MB" in table
    assert f"| {share.MAX_PARAM_CHARS:,} characters (the scenario is compressed" in table
    assert f"expanding to at most {share.MAX_JSON_BYTES // 2**20} MB" in table
