"""``costmodel training FILE``: check a chat fine-tuning file and price the training job."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING, Any

from costmodel.cli import COMMAND_HELP
from costmodel.cli.common import add_pricing_option, catalog_from_args, print_json
from costmodel.errors import PricingError

if TYPE_CHECKING:
    from costmodel.engine.training import Epochs, Issue, TrainingEstimate
    from costmodel.prices.catalog import CatalogModel
    from costmodel.prices.schema import TrainingPrices

EXIT_FORMAT_ERRORS = 1
LABEL_WIDTH = 24

EPILOG = """\
Tokens per example follow OpenAI's chat framing (+3 per message, +1 per name,
+3 reply priming); tool schemas, tool calls and images are not counted.
Without --model no price applies and the cost is null.

exit codes:
  0  the file is valid; the estimate is printed
  1  the file has format errors; they are listed and the estimate is still printed
  2  a file cannot be read at all, or an option or model is unusable
"""


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the ``training`` sub-command."""
    parser = subparsers.add_parser(
        "training",
        help=COMMAND_HELP["training"],
        description="Check a chat fine-tuning JSONL file the way OpenAI does and price the job.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("file", type=Path, metavar="FILE", help="chat JSONL training file")
    parser.add_argument(
        "--model", metavar="ID", help="catalog model to price the job (provider/id or id)"
    )
    parser.add_argument(
        "--encoding",
        metavar="NAME",
        help="tokenizer when no model is given, or for models without a public one "
        "(o200k_base or cl100k_base)",
    )
    parser.add_argument(
        "--epochs",
        type=_epochs,
        default="auto",
        metavar="N|auto",
        help="passes over the training file; auto follows the provider's rule (default: auto)",
    )
    parser.add_argument(
        "--max-tokens-per-example",
        type=int,
        metavar="N",
        help="tokens per example above which the provider truncates "
        "(default: the model's cap, else none)",
    )
    parser.add_argument("--validation", type=Path, metavar="FILE", help="validation JSONL file")
    parser.add_argument(
        "--n-evals",
        type=int,
        metavar="N",
        help="validation passes over the validation file, where validation is billed "
        "(default: one per epoch)",
    )
    parser.add_argument(
        "--training-hours",
        type=float,
        metavar="H",
        help="wall-clock hours of the job, for models priced per training hour",
    )
    add_pricing_option(parser)
    parser.add_argument("--json", action="store_true", help="print JSON instead of a summary")
    parser.set_defaults(func=run)


def _epochs(text: str) -> Epochs:
    """``auto`` or a whole number; the core checks the range."""
    if text == "auto":
        return "auto"
    try:
        return int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"expected a whole number or 'auto', got {text!r}"
        ) from None


def _training_prices(model: CatalogModel) -> TrainingPrices:
    """The model's training prices; a model without them cannot be priced as a job."""
    if model.entry.fine_tuning is None:
        raise PricingError(f"{model.key} cannot be fine-tuned: the catalog has no training price")
    return model.entry.fine_tuning.training


def run(args: argparse.Namespace) -> int:
    """Estimate, print, and exit 1 when the file has format errors."""
    from costmodel.engine.training import estimate_from_file
    from costmodel.tokens.tokenizers import choose

    model = catalog_from_args(args).resolve(args.model) if args.model else None
    choice = choose(model.model_id if model else None, args.encoding)
    estimate = estimate_from_file(
        args.file,
        choice.encoding,
        args.epochs,
        _training_prices(model) if model else None,
        args.training_hours,
        max_tokens_per_example=args.max_tokens_per_example,
        validation=args.validation,
        n_evals=args.n_evals,
    )
    header = {
        "file": str(args.file),
        "model": model.key if model else None,
        "encoding": choice.encoding,
        "approximate": choice.approximate,
        "tokenizer_note": choice.reason,
    }
    if args.json:
        print_json({**header, **_json(estimate)})
    else:
        print("\n".join(_summary(header, estimate)))
    return EXIT_FORMAT_ERRORS if estimate.has_format_errors else 0


def _json(e: TrainingEstimate) -> dict[str, Any]:
    """The estimate's data, every code also worded: ``cost_reason``, a ``message`` per issue."""
    from costmodel.report.wording import training_cost_text

    data = e.to_dict()
    data["cost_reason"] = training_cost_text(e)
    _word_issues(data, e.format_errors, e.warnings)
    if e.validation is not None:
        _word_issues(data["validation"], e.validation.format_errors, e.validation.warnings)
    return data


def _word_issues(data: Any, errors: tuple[Issue, ...], warnings: tuple[Issue, ...]) -> None:
    """Add each issue's sentence beside its code and figures."""
    from costmodel.report.wording import training_issue_text

    for kind, issues in (("format_errors", errors), ("warnings", warnings)):
        for issue in issues:
            data[kind][issue.category]["message"] = training_issue_text(issue)


def _row(label: str, value: str) -> str:
    return f"{label:<{LABEL_WIDTH}}{value}"


def _summary(header: dict[str, Any], e: TrainingEstimate) -> list[str]:
    """The aligned human summary, then the format errors and warnings."""
    from costmodel.report.numbers import money
    from costmodel.report.wording import epochs_source_text, training_cost_text

    tokenizer = header["encoding"] + (" (approximate)" if header["approximate"] else "")
    cap = f", capped at {e.max_tokens_per_example:,}" if e.max_tokens_per_example else ""
    rows = [
        _row("File", header["file"]),
        _row("Model", header["model"] or "none (no price applies)"),
        _row("Tokenizer", tokenizer),
        _row("Examples", f"{e.examples:,}"),
        _row("Tokens per example", f"{e.tokens_per_example_mean:,.1f} mean{cap}"),
        _row("Billing tokens / epoch", f"{e.billing_tokens_per_epoch:,}"),
        _row("Epochs", f"{e.epochs} ({epochs_source_text(e.epochs_source)})"),
        _row("Charged tokens", f"{e.charged_tokens:,}"),
        _row("Cost", f"{money(e.cost_usd)}  ({training_cost_text(e)})"),
    ]
    if e.validation is not None:
        v = e.validation
        billed = {True: f"billed × {v.evals}", False: "not billed", None: "billing unknown"}
        value = f"{v.examples:,} examples, {v.billing_tokens_per_pass:,} tokens per pass"
        value += f", {billed[v.billed]}"
        rows.append(_row("Validation", value))
    rows += _issues("Format errors (the provider would reject the file)", e.format_errors)
    if e.validation is not None:
        rows += _issues("Validation format errors", e.validation.format_errors)
        rows += _issues("Validation warnings", e.validation.warnings)
    rows += _issues("Warnings", e.warnings)
    return rows


def _issues(title: str, issues: tuple[Issue, ...]) -> list[str]:
    """A titled block, one issue per line with its line numbers."""
    from costmodel.report.wording import training_issue_text

    if not issues:
        return []
    lines = [f"{title}:"]
    for issue in issues:
        where = ""
        if issue.lines:
            more = issue.count - len(issue.lines)
            where = ("line " if issue.count == 1 else "lines ") + ", ".join(map(str, issue.lines))
            where += f" and {more:,} more" if more else ""
            where += ": "
        lines.append(f"  {issue.category:<34}{where}{training_issue_text(issue)}")
    return lines
