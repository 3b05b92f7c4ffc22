"""What a user waits for when counting a sample file, against a bare tiktoken loop.

Run by hand: ``python benchmarks/bench_tokens.py [--mb 40] [--runs 5] [--linear] [--records N]``.

The corpus is generated here (tests/varied_corpus.py: prose, man pages, Python,
C, minified JavaScript, JSON, CJK and other scripts, emoji sequences,
special-token strings, pathological runs, lone surrogates) and written as JSONL.

* costmodel: the whole ``costmodel tokens FILE --json`` process, as a user runs
  it: interpreter start, imports, loading the encoder, parsing, counting.
* baseline: a bare single-thread loop of tiktoken's ``encode_ordinary`` over
  the same strings, already in memory, with the encoding already built.

The two alternate run by run and each figure is the median, because the
machine is shared and noisy; CPU seconds are printed too, since a busy machine
stretches wall time for parallel work more than for a single thread. Totals
must be identical or the benchmark stops. ``--linear`` then counts the file
repeated 5 and 25 times (about 1 GB at the default size) once each, for
seconds per MB and peak memory; ``--records N`` counts N short one-line records
of about 20 tokens, as JSONL and as CSV (the cost per record, not per byte), both
with the command line and the way the dashboard counts an upload (in one
process, from bytes in memory, with a progress callback). Peak memory is that of
the largest process (the worker processes share the encoder's pages with the
main one). Nothing here is a test; it prints tables.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "tests"))

from varied_corpus import records, write_jsonl  # noqa: E402

from costmodel.tokens.tokenizers import get_encoding  # noqa: E402

Timing = tuple[float, float, int]  # wall s, CPU s, total tokens


# The dashboard's way: the upload's bytes in memory, counted in this process with
# a progress callback (ui/uploads.py calls token_stats the same way).
DASHBOARD = """
import json, sys
from pathlib import Path
from costmodel.tokens.stats import token_stats
path = Path(sys.argv[1])
upload = (path.read_bytes(), path.name)
stats = token_stats(upload, encoding=sys.argv[2], progress=lambda done, total: None)
print(json.dumps({"total_tokens": stats.long.total}))
"""


def costmodel_run(
    path: Path, encoding: str, dashboard: bool = False
) -> tuple[float, float, int, int]:
    """Wall and CPU seconds, total tokens and peak memory (MiB) of one process."""
    command = [sys.executable, "-m", "costmodel", "tokens", str(path), "--encoding", encoding]
    if dashboard:
        command = [sys.executable, "-c", DASHBOARD, str(path), encoding]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    out = subprocess.run(
        [*command, "--json"] if not dashboard else command,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
    return wall, cpu, json.loads(out)["total_tokens"], after.ru_maxrss // 1024


def loop_run(texts: list[str], encoding: str) -> Timing:
    enc = get_encoding(encoding)
    start_cpu, start = time.process_time(), time.perf_counter()
    total = sum(len(enc.encode_ordinary(text)) for text in texts)
    return time.perf_counter() - start, time.process_time() - start_cpu, total


def alternate(runs: int, *fns: Callable[[], Timing]) -> list[list[Timing]]:
    """Each function ``runs`` times, interleaved, so drift in load hits both alike."""
    results: list[list[Timing]] = [[] for _ in fns]
    for _ in range(runs):
        for i, fn in enumerate(fns):
            results[i].append(fn())
    return results


def median(timings: list[Timing], field: int) -> float:
    return statistics.median(t[field] for t in timings)


def measure(
    path: Path,
    texts: list[str],
    encoding: str,
    runs: int,
    dashboard: bool = False,
    label: str = "",
) -> list[str]:
    get_encoding(encoding)  # built once, outside every baseline timing
    peaks: list[int] = []

    def ours() -> Timing:
        wall, cpu, total, peak = costmodel_run(path, encoding, dashboard)
        peaks.append(peak)
        return wall, cpu, total

    loop, mine = alternate(runs, lambda: loop_run(texts, encoding), ours)
    totals = {t[2] for t in loop + mine}
    if len(totals) != 1:
        raise SystemExit(f"{encoding}: totals differ: {sorted(totals)}")
    mb = path.stat().st_size / 1e6
    loop_wall, my_wall = median(loop, 0), median(mine, 0)
    return [
        label or encoding,
        f"{mb:,.1f}",
        f"{totals.pop():,}",
        f"{loop_wall:.2f}",
        f"{my_wall:.2f}",
        f"{loop_wall / my_wall:.2f}x",
        f"{median(loop, 1) / median(mine, 1):.2f}x",
        f"{mb / my_wall:.1f}",
        f"{max(peaks)}",
    ]


def linear(path: Path, encoding: str, folder: Path, repeats: tuple[int, ...]) -> list[list[str]]:
    """One run per size: the file repeated ``n`` times."""
    rows = []
    for n in repeats:
        big = folder / f"x{n}.jsonl"
        with big.open("wb") as out:
            for _ in range(n):
                with path.open("rb") as src:
                    shutil.copyfileobj(src, out)
        wall, cpu, total, peak = costmodel_run(big, encoding)
        mb = big.stat().st_size / 1e6
        rows.append(
            [
                f"x{n}",
                f"{mb:,.0f}",
                f"{total:,}",
                f"{wall:.1f}",
                f"{cpu:.1f}",
                f"{wall / mb:.3f}",
                f"{peak}",
            ]
        )
        big.unlink()
    return rows


def table(rows: list[list[str]]) -> None:
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    for row in rows:
        cells = enumerate(zip(row, widths, strict=True))
        print("  ".join(c.rjust(w) if i else c.ljust(w) for i, (c, w) in cells))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mb", type=float, default=40, help="corpus size in millions of chars")
    parser.add_argument("--runs", type=int, default=5, help="alternating runs per measurement")
    parser.add_argument(
        "--encodings", nargs="+", default=["o200k_base", "cl100k_base"], metavar="NAME"
    )
    parser.add_argument("--linear", action="store_true", help="also count 5x and 25x the file")
    parser.add_argument(
        "--records",
        type=int,
        default=0,
        metavar="N",
        help="also count N short one-line records (e.g. 2000000), the per-record cost",
    )
    args = parser.parse_args()
    load_at_start = os.getloadavg()[0]
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        path = folder / "varied.jsonl"
        # A prompt of only spaces is skipped as blank by design; none is generated.
        texts = [text for _, text in records(int(args.mb * 1e6))]
        write_jsonl(path, texts)
        print(f"varied corpus: {len(texts):,} prompts, {path.stat().st_size / 1e6:,.1f} MB JSONL")
        rows = [["encoding", "MB", "tokens", "loop s", "costmodel s", "wall ratio",
                 "CPU ratio", "MB/s", "peak MiB"]]  # fmt: skip
        rows += [measure(path, texts, enc, args.runs) for enc in args.encodings]
        table(rows)
        print(
            f"medians of {args.runs} alternating runs; loop = bare single-thread tiktoken "
            f"encode_ordinary over in-memory strings; costmodel = whole `costmodel tokens` "
            f"process; {os.cpu_count()} cores, load average {load_at_start:.2f} at the start, "
            f"{os.getloadavg()[0]:.2f} at the end"
        )
        if args.records:
            tickets = [
                f"Ticket {i}: the printer on floor {i % 9} is offline again, please send "
                "someone to fix it today"
                for i in range(args.records)
            ]
            short = folder / "short.jsonl"
            write_jsonl(short, tickets)
            table_file = folder / "short.csv"
            with table_file.open("w", newline="", encoding="utf-8") as out:
                writer = csv.writer(out)
                writer.writerow(["prompt"])
                writer.writerows([ticket] for ticket in tickets)
            print(f"\nshort records: {len(tickets):,} prompts of about 20 tokens")
            rows = [["encoding, file, way", "MB", "tokens", "loop s", "costmodel s",
                     "wall ratio", "CPU ratio", "MB/s", "peak MiB"]]  # fmt: skip
            for path in (short, table_file):
                for dashboard in (False, True):
                    way = "dashboard" if dashboard else "CLI"
                    label = f"{args.encodings[0]}, {path.suffix[1:]}, {way}"
                    rows.append(
                        measure(path, tickets, args.encodings[0], args.runs, dashboard, label)
                    )
            table(rows)
        if args.linear:
            print()
            rows = [["size", "MB", "tokens", "wall s", "CPU s", "s per MB", "peak MiB"]]
            rows += linear(path, args.encodings[0], folder, (1, 5, 25))
            table(rows)


if __name__ == "__main__":
    main()
