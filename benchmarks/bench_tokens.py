"""Token-counting throughput of ``costmodel`` against a plain tiktoken loop.

Run by hand: ``python benchmarks/bench_tokens.py [--quick]``. Two corpora, each
written to a JSONL file:

(a) varied prompts: costmodel reads and parses the file and counts it; the
    baseline encodes the same strings, already in memory, one by one with
    ``encode_ordinary``. Goal: ratio ≥ 0.9.
(b) templated prompts: 5,000 prompts sharing a ~3,000-token system prompt and
    few-shot block, then a ticket. Goal: ratio ≥ 5, totals identical.

Each timing is the best of several runs, interleaved, because the machine is
shared and noisy. Nothing here is a test; it prints a table.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import random
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from costmodel.tokens.stats import token_stats  # noqa: E402
from costmodel.tokens.tokenizers import get_encoding  # noqa: E402

ENCODING = "o200k_base"
WORDS = [
    "the",
    "a",
    "to",
    "of",
    "and",
    "order",
    "refund",
    "invoice",
    "parcel",
    "login",
    "password",
    "shipping",
    "crashed",
    "again",
    "please",
    "help",
    "account",
    "charged",
    "twice",
    "subscription",
    "warehouse",
    "courier",
    "tracking",
    "delayed",
    "über",
    "naïve",
    "café",
    "日本語",
    "Ελληνικά",
    "2024",
    "19.99",
    "$120",
    "#4411",
    "(see",
    "attached)",
    "error:",
    "500",
    "--",
    "don't",
    "can't",
    "we'll",
    "I'm",
]


def varied_corpus(count: int, seed: int = 1) -> list[str]:
    """Prompts of very different lengths, with lines, numbers and non-ASCII text."""
    rng = random.Random(seed)
    texts = []
    for _ in range(count):
        lines = []
        for _ in range(rng.choice([1, 2, 4, 8, 16])):
            lines.append(" ".join(rng.choice(WORDS) for _ in range(rng.randint(4, 40))))
        texts.append("\n".join(lines))
    return texts


def templated_corpus(count: int, block_tokens: int, seed: int = 2) -> list[str]:
    """The demo's support-ticket prompt, grown with more worked examples to the block size."""
    spec = importlib.util.spec_from_file_location("make_demo", REPO / "costmodel/demo/make_demo.py")
    assert spec and spec.loader
    demo = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(demo)
    rng = random.Random(seed)
    enc = get_encoding(ENCODING)
    head, _, _ = demo.SYSTEM_PROMPT.rpartition("Now label the following ticket.")
    examples = []
    while len(enc.encode_ordinary(head + "".join(examples))) < block_tokens:
        ticket, label = demo.make_ticket(rng)
        examples.append(f"Ticket:\n{ticket}\nAnswer: {json.dumps(label)}\n\n")
    block = head + "".join(examples) + "Now label the following ticket.\n\nTicket:\n"
    return [block + demo.make_ticket(rng)[0] for _ in range(count)]


def write_jsonl(path: Path, texts: list[str]) -> None:
    with path.open("w", encoding="utf-8") as f:
        for text in texts:
            f.write(json.dumps({"prompt": text}, ensure_ascii=False) + "\n")


def best_of(runs: int, *fns: Callable[[], int]) -> list[tuple[float, int]]:
    """Best wall time of each function over interleaved runs, with its result."""
    best = [(float("inf"), 0)] * len(fns)
    for _ in range(runs):
        for i, fn in enumerate(fns):
            start = time.perf_counter()
            result = fn()
            elapsed = time.perf_counter() - start
            best[i] = (min(best[i][0], elapsed), result)
    return best


def measure(name: str, texts: list[str], folder: Path, runs: int, goal: float) -> list[str]:
    path = folder / f"{name}.jsonl"
    write_jsonl(path, texts)
    enc = get_encoding(ENCODING)

    def plain_loop() -> int:
        return sum(len(enc.encode_ordinary(s)) for s in texts)

    def costmodel() -> int:
        return token_stats(path, encoding=ENCODING).long.total

    (loop_s, loop_total), (ours_s, ours_total) = best_of(runs, plain_loop, costmodel)
    assert ours_total == loop_total, f"{name}: totals differ: {ours_total} != {loop_total}"
    ratio = loop_s / ours_s
    size = path.stat().st_size / 2**20
    verdict = "ok" if ratio >= goal else "below goal"
    return [
        name,
        f"{len(texts):,}",
        f"{size:,.1f}",
        f"{loop_total:,}",
        f"{loop_s:.3f}",
        f"{ours_s:.3f}",
        f"{ratio:.2f}x",
        f"≥{goal:g}x {verdict}",
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="smaller corpora, fewer runs")
    parser.add_argument("--runs", type=int, default=5, help="timed runs per measurement")
    args = parser.parse_args()
    scale = 5 if args.quick else 1
    runs = 2 if args.quick else args.runs
    get_encoding(ENCODING)  # load once, outside every timing
    rows = [["corpus", "prompts", "MB", "tokens", "loop s", "costmodel s", "ratio", "goal"]]
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        rows.append(measure("varied", varied_corpus(20_000 // scale), folder, runs, 0.9))
        templated = templated_corpus(5_000 // scale, block_tokens=3_000)
        rows.append(measure("templated", templated, folder, runs, 5.0))
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    for row in rows:
        print(
            "  ".join(
                cell.rjust(w) if i else cell.ljust(w)
                for i, (cell, w) in enumerate(zip(row, widths, strict=True))
            )
        )
    load = os.getloadavg()[0]
    print(
        f"best of {runs} interleaved runs; {ENCODING}; totals identical in both corpora; "
        f"{os.cpu_count()} cores, load average {load:.2f} at the end"
    )


if __name__ == "__main__":
    main()
