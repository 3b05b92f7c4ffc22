"""``costmodel tokens FILE``: exact token counts and statistics of a sample file."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from costmodel.cli import COMMAND_HELP
from costmodel.cli.common import (
    add_pricing_option,
    catalog_from_args,
    print_json,
    print_warnings,
)
from costmodel.errors import PricingError
from costmodel.tokens.samples import (
    CHAT_KEY,
    LONG_KEYS,
    OUTPUT_KEYS,
    SHORT_CHAT_KEY,
    SHORT_KEYS,
    SampleStream,
)

if TYPE_CHECKING:
    from costmodel.tokens.stats import ColumnStats, TokenStats

DESCRIPTION = """\
Count the long prompts, short prompts and expected outputs of a sample file
exactly, with per-column records, total, mean, min, p50, p90, p95 and max, and
the number of leading tokens every long prompt shares (what prompt caching can
reuse).

Tokenizer: --model names a model of the pricing catalog and picks its own
encoding. Models without a public tokenizer (Claude, Gemini, Llama, ...) are
approximated with --encoding (default o200k_base) and the result says
approximate. For a model whose tokenizer is known, an --encoding that differs
from it is an error. A model the catalog does not know is an error, unless
--encoding is given: then that encoding approximates it. With --encoding
alone, that encoding counts exactly.
"""


def _names(keys: tuple[str, ...]) -> str:
    return ", ".join(keys)


EPILOG = f"""\
accepted fields (CSV header or JSON keys; any case, spaces and hyphens read as _):
  long prompt     {_names(LONG_KEYS)}
  short prompt    {_names(SHORT_KEYS)} (optional)
  output          {_names(OUTPUT_KEYS)} (optional)
  chat (JSON)     {CHAT_KEY}, {SHORT_CHAT_KEY}: lists of {{"role", "content"}} messages
A .txt file holds long prompts separated by lines of ---. Other fields are
ignored with a warning.
"""
_HEADINGS = ("column", "records", "total", "mean", "min", "p50", "p90", "p95", "max")


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "tokens",
        help=COMMAND_HELP["tokens"],
        description=DESCRIPTION,
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("file", type=Path, metavar="FILE", help="sample file to count")
    parser.add_argument(
        "--model",
        metavar="ID",
        help="catalog model (provider/id or id), e.g. gpt-4o or claude-sonnet-4-6",
    )
    parser.add_argument(
        "--encoding",
        metavar="NAME",
        help="o200k_base or cl100k_base; the reference for models without a public tokenizer",
    )
    add_pricing_option(parser)
    parser.add_argument("--json", action="store_true", help="print JSON instead of a table")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Count the file; a large one starts fastokens' load before anything else.

    Its tables take seconds to build, on a core of their own, so they start
    before the counting modules (numpy and the rest) are imported and before
    the first record is read.
    """
    from costmodel.tokens.fast import bulk_pays, exact_encoder
    from costmodel.tokens.tokenizers import choose

    choice = choose(_model_id(args), args.encoding)
    stream = SampleStream(args.file)
    if bulk_pays(choice.encoding, stream.size):
        exact_encoder(choice.encoding).start_bulk()
    from costmodel.tokens.stats import count_samples

    stats = count_samples(stream, choice, processes=True)
    if args.json:
        print_json(stats.as_dict())
        return 0
    print_warnings(stats.warnings)
    sys.stdout.write(render(stats))
    return 0


def _model_id(args: argparse.Namespace) -> str | None:
    """The provider's id of ``--model``, which picks its tokenizer.

    A name the catalog does not know is refused (with the closest names),
    unless an encoding was asked for: then it is counted approximately.
    """
    if not args.model:
        return None
    try:
        return catalog_from_args(args).resolve(args.model).model_id
    except PricingError as exc:
        if args.encoding:
            return str(args.model)
        raise PricingError(f"{exc} (to count with an encoding anyway, add --encoding)") from None


def render(stats: TokenStats) -> str:
    """The human report: a header, an aligned table and the shared prefix."""
    exactness = "approximate" if stats.approximate else "exact"
    lines = [
        f"{stats.source} ({stats.format}, {stats.records:,} records)",
        f"tokenizer: {stats.encoding}, {exactness}: {stats.reason}",
        "",
        *_table([_row(col) for col in stats.columns.values()]),
        "",
        f"shared prefix: {stats.shared_prefix_tokens:,} tokens at the start of every long prompt",
    ]
    return "\n".join(lines) + "\n"


def _row(col: ColumnStats) -> tuple[str, ...]:
    numbers = (col.records, col.total, col.mean, col.min, col.p50, col.p90, col.p95, col.max)
    return (col.name, *(f"{n:,.1f}" if isinstance(n, float) else f"{n:,}" for n in numbers))


def _table(rows: list[tuple[str, ...]]) -> list[str]:
    """Left-align the column names, right-align the numbers.

    >>> _table([("long", "1,024")])
    ['column  records', 'long      1,024']
    """
    cells = [_HEADINGS[: len(rows[0])], *rows]
    widths = [max(len(row[i]) for row in cells) for i in range(len(cells[0]))]
    return [
        "  ".join(
            cell.ljust(width) if i == 0 else cell.rjust(width)
            for i, (cell, width) in enumerate(zip(row, widths, strict=True))
        )
        for row in cells
    ]
