"""Hostile and huge input files, built on demand into a folder: one function per class.

Each class is something a careless or malicious user can hand the product:
deep nesting, alias bombs, giant numbers, impossible dates, duplicate keys,
huge lines, millions of lines, binary data, wrong encodings and formula-like
names. :func:`build` writes every class in the forms each reader takes
(``.yaml`` for price files and scenarios, ``.jsonl``/``.csv``/``.json`` for
samples, ``.jsonl`` for training files) and returns their paths by name.
"""

from __future__ import annotations

import itertools
import json
import random
from collections.abc import Callable
from pathlib import Path

from costmodel.demo import demo_scenario, example_scenario_text

DEPTH = 100_000
# Many short records: 50,000 keep the suite quick; the streaming code has no size-dependent
# path, so a larger file only takes proportionally longer.
MANY_LINES = 50_000


# The baseline's prompt figure exactly as the demo file writes it.
DEMO_PROMPT_TOKENS = f"prompt_tokens: {demo_scenario().strategies[0].tokens.prompt_tokens!r}"


def laughs() -> str:
    """The "billion laughs": nine lists of nine aliases of the list before (9**9 leaves)."""
    text = "a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n"
    for prev, name in itertools.pairwise("abcdefghi"):
        text += f"{name}: &{name} [{', '.join([f'*{prev}'] * 9)}]\n"
    return text


def _scenario(old: str, new: str) -> bytes:
    text = example_scenario_text()
    assert old in text, old
    return text.replace(old, new, 1).encode()


def _price(body: str) -> bytes:
    return f"provider: openai\nprovider_name: OpenAI\nmodels:\n{body}".encode()


YAML: dict[str, Callable[[], bytes]] = {
    "alias_bomb": lambda: laughs().encode(),
    "alias_bomb_in_scenario": lambda: _scenario("strategies:", laughs() + "strategies:"),
    "recursive_alias": lambda: b"provider: &p [*p]\nmodels: {}\n",
    "deep_flow": lambda: b"provider: " + b"[" * DEPTH + b"]" * DEPTH + b"\n",
    "deep_block": lambda: "".join("  " * i + f"k{i}:\n" for i in range(300)).encode(),
    "duplicate_key": lambda: _scenario(
        "horizon_months: 12", "horizon_months: 12\nhorizon_months: 6"
    ),
    "duplicate_model": lambda: _price("  gpt-4.1:\n    name: A\n  gpt-4.1:\n    name: B\n"),
    "impossible_date": lambda: _scenario("start_date: null", "start_date: 2026-02-30"),
    "ancient_date": lambda: _scenario("start_date: null", "start_date: 1900-01-01"),
    "giant_int": lambda: _scenario(
        "requests_per_month: 1000000", "requests_per_month: " + "9" * 5000
    ),
    "huge_float": lambda: _scenario("requests_per_month: 1000000", "requests_per_month: 1e308"),
    "infinite_tokens": lambda: _scenario(DEMO_PROMPT_TOKENS, "prompt_tokens: .inf"),
    "nan_rate": lambda: _scenario("rate: 0.04", "rate: .nan"),
    "misspelled_models": lambda: b"provider: openai\nmodles:\n  gpt-4.1:\n    name: x\n",
    "infinite_price": lambda: _price("  gpt-4.1:\n    inference: {input_usd_per_mtok: .inf}\n"),
    "huge_yaml": lambda: b"# padding\n" * 300_000,
}

JSONL: dict[str, Callable[[], bytes]] = {
    "deep_json": lambda: b"[" * DEPTH + b"]" * DEPTH + b"\n",
    "deep_json_in_record": lambda: (
        b'{"prompt": "x", "meta": ' + b"[" * DEPTH + b"]" * DEPTH + b"}\n"
    ),
    "giant_int_json": lambda: b'{"prompt": "x", "n": ' + b"9" * 5000 + b"}\n",
    "huge_float_json": lambda: b'{"prompt": "x", "n": 1e999}\n',
    "nan_json": lambda: b'{"prompt": "x", "n": NaN}\n',
    "chat_part_not_text": lambda: (
        json.dumps(
            {"messages": [{"role": "user", "content": [{"type": "text", "text": 5}]}]}
        ).encode()
        + b"\n"
    ),
    "chat_every_part_shape": lambda: (
        (
            json.dumps(
                {
                    "messages": [
                        {"role": "system", "content": "Label the ticket."},
                        {
                            "role": "user",
                            "content": [
                                {"type": "text", "text": "My screen is broken"},
                                {
                                    "type": "image_url",
                                    "image_url": {"url": "https://x.example/a.png"},
                                },
                            ],
                        },
                        {
                            "role": "assistant",
                            "content": None,
                            "tool_calls": [
                                {
                                    "id": "c1",
                                    "type": "function",
                                    "function": {"name": "label", "arguments": '{"l": "hw"}'},
                                }
                            ],
                        },
                        {"role": "tool", "content": "ok", "tool_call_id": "c1"},
                        {"role": "assistant", "content": "hardware"},
                    ]
                }
            ).encode()
            + b"\n"
        )
        * 10
    ),  # ten examples, the fewest a provider accepts: a valid training file
}

TEXT: dict[str, Callable[[], bytes]] = {
    "binary": lambda: bytes(random.Random(7).randrange(256) for _ in range(65_536)),
    "utf16": lambda: "prompt,output\nhello,hi\n".encode("utf-16"),
    "latin1": lambda: "prompt,output\ncafé au lait,oui\n".encode("cp1252"),
    "empty": lambda: b"",
    "huge_line": lambda: b'{"prompt": "' + b"a" * (33 * 2**20) + b'"}\n',
    "formula_names": lambda: (
        b"prompt,output\n"
        b'"=HYPERLINK(""https://x.example"",""click"")",=1+2\n'
        b"+cmd|' /C calc'!A0,@SUM(A1)\n"
        b"-2+3,ok\n"
    ),
}

MANY: dict[str, Callable[[], bytes]] = {
    "many_lines_csv": lambda: b"prompt\n" + b"hi there\n" * MANY_LINES,
    "many_lines_jsonl": lambda: b'{"prompt": "hi there"}\n' * MANY_LINES,
}

SUFFIXES = {
    "yaml": (".yaml",),
    "jsonl": (".jsonl", ".json"),
    "text": (".csv", ".jsonl", ".yaml"),
    "many": (".csv",),
}


def build(folder: Path) -> dict[str, Path]:
    """Write every hostile file into ``folder``; ``name.suffix`` → path."""
    groups = {"yaml": YAML, "jsonl": JSONL, "text": TEXT, "many": MANY}
    paths: dict[str, Path] = {}
    for group, makers in groups.items():
        for name, make in makers.items():
            data = make()
            suffixes = SUFFIXES[group]
            if name.endswith("_jsonl"):
                suffixes = (".jsonl",)
            for suffix in suffixes:
                path = folder / f"{name}{suffix}"
                path.write_bytes(data)
                paths[path.name] = path
    return paths
