"""What one supervised fine-tuning job will cost, from a chat JSONL file or from parameters.

The file is checked the way OpenAI's data-preparation cookbook checks training
files, streamed line by line so a large file is never held in memory. Each
countable example is measured with :func:`costmodel.tokens.tokenizers.count_chat`
(OpenAI's chat framing: +3 tokens per message, +1 per ``name``, +3 to prime
the reply), then capped at the model's per-example limit, because longer
examples are truncated and billed at the cap.

Billing (OpenAI's fine-tuning billing guide; Together AI bills validation tokens)::

    billing_tokens_per_epoch = Σ min(tokens_i, cap)
    charged_tokens           = billing_tokens_per_epoch × epochs
                               + validation_tokens × n_evals   (only if validation is billed)
    cost_usd (per token)     = max(min_job_usd, charged_tokens / 1e6 × usd_per_mtok)
    cost_usd (per hour)      = max(min_job_usd, training_hours × usd_per_hour)

Preference (DPO) records (``input`` / ``preferred_output`` /
``non_preferred_output``) are reported as the format error
``dpo_record_unsupported`` and left out of the estimate: how their paired
outputs are billed is not documented, and a guessed count would look exact.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field, fields
from enum import StrEnum
from pathlib import Path
from types import MappingProxyType
from typing import BinaryIO, Literal

from costmodel.errors import SampleFileError, TrainingError
from costmodel.parsing import bounded_lines, loads_json
from costmodel.prices.schema import TrainingPrices
from costmodel.tokens.tokenizers import count_chat

Epochs = int | Literal["auto"]
EpochsSource = Literal["heuristic", "given"]

# OpenAI cookbook estimate of n_epochs="auto" (fine-tuning data-preparation notebook).
TARGET_EPOCHS = 3
MIN_TARGET_EXAMPLES = 100
MAX_TARGET_EXAMPLES = 25_000
MIN_AUTO_EPOCHS = 1
MAX_AUTO_EPOCHS = 25

# OpenAI's minimum dataset and the size from which it usually sees improvements.
MIN_EXAMPLES = 10
RECOMMENDED_EXAMPLES = 100

MAX_LINES_SHOWN = 20
MAX_LINE_BYTES = 32 * 2**20  # one example; far beyond any model's context window

MESSAGE_KEYS = frozenset(
    {"role", "content", "name", "function_call", "tool_calls", "weight", "refusal", "tool_call_id"}
)
ROLES = frozenset({"system", "user", "assistant", "function", "tool", "developer"})
_ALLOWED_KEYS = ", ".join(sorted(MESSAGE_KEYS))
_ROLES = ", ".join(sorted(ROLES))
DPO_KEYS = frozenset({"input", "preferred_output", "non_preferred_output"})


class IssueCode(StrEnum):
    """Every problem a training file or job can have; :mod:`costmodel.report.wording` words them.

    The format errors follow the categories of OpenAI's data-preparation cookbook.
    """

    INVALID_JSON = "invalid_json"
    RECORD_NOT_OBJECT = "record_not_object"
    DPO_RECORD_UNSUPPORTED = "dpo_record_unsupported"
    MISSING_MESSAGES_LIST = "missing_messages_list"
    MESSAGE_MISSING_KEY = "message_missing_key"
    MESSAGE_UNRECOGNIZED_KEY = "message_unrecognized_key"
    UNRECOGNIZED_ROLE = "unrecognized_role"
    MISSING_CONTENT = "missing_content"
    EXAMPLE_MISSING_ASSISTANT_MESSAGE = "example_missing_assistant_message"
    TOO_FEW_EXAMPLES = "too_few_examples"
    OVER_TOKEN_LIMIT = "over_token_limit"
    UNCOUNTED_TOKENS = "uncounted_tokens"
    SMALL_DATASET = "small_dataset"
    TRAINING_HOURS_IGNORED = "training_hours_ignored"
    VALIDATION_BILLING_UNKNOWN = "validation_billing_unknown"
    OVER_MAX_JOB = "over_max_job"


class CostBasis(StrEnum):
    """How a job's cost was found, or why it has none; the figures are in ``cost_values``."""

    NO_MODEL = "no_model"
    NO_EXAMPLES = "no_examples"
    PRICE_NOT_PUBLIC = "price_not_public"
    FREE = "free"
    PER_TOKEN = "per_token"
    PER_HOUR = "per_hour"
    HOURS_MISSING = "hours_missing"


Values = Mapping[str, str | int | float]


@dataclass(frozen=True)
class Issue:
    """One kind of problem, how many examples it touches, and the first lines (1-based).

    ``count`` is 0 and ``lines`` empty for remarks about the whole job; ``values``
    holds the figures of the first occurrence (a line number, the keys found).
    """

    category: IssueCode
    count: int
    lines: tuple[int, ...] = ()
    values: Values = field(default_factory=lambda: MappingProxyType({}))


def _by_category(issues: Iterable[Issue]) -> dict[str, dict[str, object]]:
    """The report shape ``{category: {count, lines, values}}`` used by the CLI and JSON."""
    return {
        i.category: {"count": i.count, "lines": list(i.lines), "values": dict(i.values)}
        for i in issues
    }


class _Tally:
    """Counts each category at most once per line while a file streams past."""

    def __init__(self) -> None:
        self._counts: dict[IssueCode, int] = {}
        self._lines: dict[IssueCode, list[int]] = {}
        self._values: dict[IssueCode, Values] = {}
        self._last: dict[IssueCode, int] = {}

    def add(self, category: IssueCode, line: int, values: Values | None = None) -> None:
        if self._last.get(category) == line:
            return
        self._last[category] = line
        self._counts[category] = self._counts.get(category, 0) + 1
        seen = self._lines.setdefault(category, [])
        if len(seen) < MAX_LINES_SHOWN:
            seen.append(line)
        self._values.setdefault(category, MappingProxyType(dict(values or {})))

    def issues(self) -> tuple[Issue, ...]:
        return tuple(
            Issue(c, n, tuple(self._lines[c]), self._values[c]) for c, n in self._counts.items()
        )


@dataclass(frozen=True)
class DatasetScan:
    """Token totals and problems of one training or validation set."""

    examples: int
    tokens: int
    billing_tokens: int
    format_errors: tuple[Issue, ...] = ()
    warnings: tuple[Issue, ...] = ()


@dataclass(frozen=True)
class ValidationEstimate:
    """The validation set's tokens, reported whether or not the provider bills them."""

    examples: int
    billing_tokens_per_pass: int
    evals: int
    billed: bool | None
    charged_tokens: int
    format_errors: tuple[Issue, ...]
    warnings: tuple[Issue, ...]


@dataclass(frozen=True)
class TrainingEstimate:
    """Tokens and price of one fine-tuning job; ``cost_usd`` is None when no price applies."""

    examples: int
    tokens_per_example_mean: float
    max_tokens_per_example: int | None
    billing_tokens_per_epoch: int
    epochs: int
    epochs_source: EpochsSource
    charged_tokens: int
    cost_usd: float | None
    cost_basis: CostBasis
    cost_values: Values
    min_fee_applied: bool
    training_hours: float | None
    format_errors: tuple[Issue, ...]
    warnings: tuple[Issue, ...]
    validation: ValidationEstimate | None = None

    @property
    def has_format_errors(self) -> bool:
        """True when the training or validation file would be rejected as it stands."""
        return bool(self.format_errors or (self.validation and self.validation.format_errors))

    def to_dict(self) -> dict[str, object]:
        """Plain JSON-ready data, with issues keyed by category."""
        data: dict[str, object] = {f.name: getattr(self, f.name) for f in fields(self)}
        data["cost_values"] = dict(self.cost_values)
        data["format_errors"] = _by_category(self.format_errors)
        data["warnings"] = _by_category(self.warnings)
        if self.validation is not None:
            val = {f.name: getattr(self.validation, f.name) for f in fields(self.validation)}
            val["format_errors"] = _by_category(self.validation.format_errors)
            val["warnings"] = _by_category(self.validation.warnings)
            data["validation"] = val
        return data


def auto_epochs(examples: int) -> int:
    """OpenAI's cookbook estimate of ``n_epochs="auto"``: aim for 3 epochs, within bounds.

    epochs = 3, except min(25, 100 // n) when 3n < 100 and max(1, 25,000 // n)
    when 3n > 25,000. n = 0 takes the formula's limit (25) so the result is
    always in [1, 25]; the service itself picks the final value.

    >>> [auto_epochs(n) for n in (10, 40, 10_000, 30_000)]
    [10, 3, 2, 1]
    """
    if examples < 0:
        raise TrainingError(f"the number of examples cannot be negative, got {examples}")
    if examples == 0:
        return MAX_AUTO_EPOCHS
    if examples * TARGET_EPOCHS < MIN_TARGET_EXAMPLES:
        return min(MAX_AUTO_EPOCHS, MIN_TARGET_EXAMPLES // examples)
    if examples * TARGET_EPOCHS > MAX_TARGET_EXAMPLES:
        return max(MIN_AUTO_EPOCHS, MAX_TARGET_EXAMPLES // examples)
    return TARGET_EPOCHS


def resolve_epochs(epochs: Epochs, examples: int) -> tuple[int, EpochsSource]:
    """The epoch count to bill and where it came from (the user or the heuristic).

    >>> resolve_epochs("auto", 20), resolve_epochs(4, 20)
    ((5, 'heuristic'), (4, 'given'))
    """
    if epochs == "auto":
        return auto_epochs(examples), "heuristic"
    if not (isinstance(epochs, int) and not isinstance(epochs, bool) and epochs >= 1):
        raise TrainingError(
            f"epochs must be a whole number of at least 1 or 'auto', got {epochs!r}"
        )
    return epochs, "given"


def estimate_from_parameters(
    examples: int,
    tokens_per_example: int,
    epochs: Epochs,
    prices: TrainingPrices | None,
    training_hours: float | None = None,
    *,
    max_tokens_per_example: int | None = None,
    validation_examples: int = 0,
    validation_tokens_per_example: int = 0,
    n_evals: int | None = None,
) -> TrainingEstimate:
    """Estimate a job for users without a file: every example has the same token count.

    billing tokens per epoch = examples × min(tokens_per_example, cap); the rest
    as in the module docstring. Hand check: 100 × 1,000 tokens × 3 epochs at
    $10 per 1M = 300,000 / 1e6 × 10 = $3.00.

    >>> p = TrainingPrices(usd_per_mtok=10.0)
    >>> e = estimate_from_parameters(100, 1_000, "auto", p)
    >>> e.epochs, e.charged_tokens, e.cost_usd
    (3, 300000, 3.0)
    """
    for label, value in (
        ("examples", examples),
        ("tokens_per_example", tokens_per_example),
        ("validation_examples", validation_examples),
        ("validation_tokens_per_example", validation_tokens_per_example),
    ):
        if value < 0:
            raise TrainingError(f"{label} cannot be negative, got {value}")
    cap = _cap(max_tokens_per_example, prices)
    train = _uniform_scan(examples, tokens_per_example, cap)
    validation = (
        _uniform_scan(validation_examples, validation_tokens_per_example, cap)
        if validation_examples
        else None
    )
    return estimate_from_scan(
        train, epochs, prices, training_hours, cap=cap, validation=validation, n_evals=n_evals
    )


def estimate_from_file(
    source: Path | BinaryIO,
    encoding: str,
    epochs: Epochs,
    prices: TrainingPrices | None,
    training_hours: float | None = None,
    *,
    max_tokens_per_example: int | None = None,
    validation: Path | BinaryIO | None = None,
    n_evals: int | None = None,
) -> TrainingEstimate:
    """Check a chat JSONL training file (and optional validation file) and price the job.

    ``source`` is a path or an open binary file (e.g. a dashboard upload). The
    cap is ``max_tokens_per_example`` if given, else the model's, else none.
    """
    cap = _cap(max_tokens_per_example, prices)
    train = scan_file(source, encoding, cap)
    val = scan_file(validation, encoding, cap) if validation is not None else None
    return estimate_from_scan(
        train, epochs, prices, training_hours, cap=cap, validation=val, n_evals=n_evals
    )


def estimate_from_scan(
    train: DatasetScan,
    epochs: Epochs,
    prices: TrainingPrices | None,
    training_hours: float | None = None,
    *,
    cap: int | None = None,
    validation: DatasetScan | None = None,
    n_evals: int | None = None,
) -> TrainingEstimate:
    """The arithmetic both entry points share (formulas in the module docstring).

    >>> scan = DatasetScan(examples=10, tokens=5_000, billing_tokens=4_000)
    >>> e = estimate_from_scan(scan, 2, TrainingPrices(usd_per_mtok=10.0, min_job_usd=4.0))
    >>> e.charged_tokens, e.cost_usd, e.min_fee_applied
    (8000, 4.0, True)
    """
    if training_hours is not None and not (math.isfinite(training_hours) and training_hours >= 0):
        raise TrainingError(
            f"training hours must be a finite number of at least 0, got {training_hours}"
        )
    if n_evals is not None and n_evals < 0:
        raise TrainingError(f"n_evals cannot be negative, got {n_evals}")
    n_epochs, source = resolve_epochs(epochs, train.examples)
    val = _validation(validation, prices, n_epochs if n_evals is None else n_evals)
    charged = train.billing_tokens * n_epochs + (val.charged_tokens if val else 0)
    cost, basis, values, min_fee = _price(charged, train.examples, prices, training_hours)
    return TrainingEstimate(
        examples=train.examples,
        tokens_per_example_mean=train.tokens / train.examples if train.examples else 0.0,
        max_tokens_per_example=cap,
        billing_tokens_per_epoch=train.billing_tokens,
        epochs=n_epochs,
        epochs_source=source,
        charged_tokens=charged,
        cost_usd=cost,
        cost_basis=basis,
        cost_values=values,
        min_fee_applied=min_fee,
        training_hours=training_hours,
        format_errors=train.format_errors + _size_errors(train.examples),
        warnings=train.warnings + _job_warnings(train.examples, cost, prices, training_hours, val),
        validation=val,
    )


def _cap(override: int | None, prices: TrainingPrices | None) -> int | None:
    """The per-example cap: the user's, else the model's, else none."""
    if override is not None and override < 1:
        raise TrainingError(f"the per-example token cap must be at least 1, got {override}")
    if override is not None:
        return override
    return prices.max_tokens_per_example if prices else None


def _billed(tokens: int, cap: int | None) -> int:
    """Tokens billed for one example: truncated at the cap."""
    return tokens if cap is None else min(tokens, cap)


def _uniform_scan(examples: int, tokens_per_example: int, cap: int | None) -> DatasetScan:
    """A dataset of identical examples, with the cap warning a file would give."""
    over = cap is not None and tokens_per_example > cap and examples > 0
    warnings = (Issue(IssueCode.OVER_TOKEN_LIMIT, examples),) if over else ()
    return DatasetScan(
        examples=examples,
        tokens=examples * tokens_per_example,
        billing_tokens=examples * _billed(tokens_per_example, cap),
        warnings=warnings,
    )


def _validation(
    scan: DatasetScan | None, prices: TrainingPrices | None, evals: int
) -> ValidationEstimate | None:
    """Validation tokens × evals, charged only when the provider bills them."""
    if scan is None:
        return None
    billed = prices.validation_billed if prices else None
    return ValidationEstimate(
        examples=scan.examples,
        billing_tokens_per_pass=scan.billing_tokens,
        evals=evals,
        billed=billed,
        charged_tokens=scan.billing_tokens * evals if billed else 0,
        format_errors=scan.format_errors,
        warnings=scan.warnings,
    )


def _price(
    charged: int, examples: int, prices: TrainingPrices | None, hours: float | None
) -> tuple[float | None, CostBasis, Values, bool]:
    """(cost, basis, its figures, min fee applied); cost is None when no price applies."""
    if prices is None:
        return None, CostBasis.NO_MODEL, {}, False
    if examples == 0:
        return None, CostBasis.NO_EXAMPLES, {}, False
    if prices.price_not_public:
        return None, CostBasis.PRICE_NOT_PUBLIC, {}, False
    if prices.free_reason:
        return 0.0, CostBasis.FREE, {"why": prices.free_reason}, False
    values: dict[str, str | int | float]
    if prices.usd_per_mtok is not None:
        raw = charged / 1e6 * prices.usd_per_mtok
        basis, values = (
            CostBasis.PER_TOKEN,
            {"tokens": charged, "usd_per_mtok": prices.usd_per_mtok},
        )
    else:
        rate = prices.usd_per_hour or 0.0  # the schema guarantees one of the two units
        if hours is None:
            return None, CostBasis.HOURS_MISSING, {"usd_per_hour": rate}, False
        raw = hours * rate
        basis, values = CostBasis.PER_HOUR, {"hours": hours, "usd_per_hour": rate}
    if raw < prices.min_job_usd:
        return prices.min_job_usd, basis, {**values, "min_job_usd": prices.min_job_usd}, True
    return raw, basis, values, False


def _size_errors(examples: int) -> tuple[Issue, ...]:
    """OpenAI rejects training sets below its minimum of 10 examples."""
    if examples >= MIN_EXAMPLES:
        return ()
    values = {"examples": examples, "minimum": MIN_EXAMPLES}
    return (Issue(IssueCode.TOO_FEW_EXAMPLES, examples, (), values),)


def _job_warnings(
    examples: int,
    cost: float | None,
    prices: TrainingPrices | None,
    hours: float | None,
    val: ValidationEstimate | None,
) -> tuple[Issue, ...]:
    """Remarks that do not block the job but change how far to trust the figure."""
    found: list[Issue] = []
    if MIN_EXAMPLES <= examples < RECOMMENDED_EXAMPLES:
        found.append(Issue(IssueCode.SMALL_DATASET, examples, (), {"examples": examples}))
    if prices is not None and prices.usd_per_mtok is not None and hours is not None:
        found.append(Issue(IssueCode.TRAINING_HOURS_IGNORED, 0))
    if val is not None and prices is not None and val.billed is None:
        found.append(Issue(IssueCode.VALIDATION_BILLING_UNKNOWN, val.examples))
    cap = prices.max_job_usd if prices else None
    if cost is not None and cap is not None and cost > cap:
        found.append(Issue(IssueCode.OVER_MAX_JOB, 0, (), {"max_job_usd": cap}))
    return tuple(found)


@contextmanager
def _binary_lines(source: str | Path | BinaryIO) -> Iterator[BinaryIO]:
    """Yield the raw lines of a path or an open binary file, with one clear read error."""
    if not isinstance(source, str | Path):
        yield source
        return
    try:
        with Path(source).open("rb") as handle:
            yield handle
    except OSError as exc:
        raise SampleFileError(f"{source}: cannot read ({exc.strerror or exc})") from None


def scan_file(source: Path | BinaryIO, encoding: str, cap: int | None) -> DatasetScan:
    """Stream a chat JSONL file: count each example and flag every format problem.

    Examples are the lines holding an object with a non-empty ``messages``
    list; their tokens count even when a message has a flaw, so the estimate
    is the job's cost once the flaws are fixed. Blank lines are skipped.
    """
    name = str(getattr(source, "name", source))
    errors, warnings = _Tally(), _Tally()
    examples = tokens = billing = nonblank = parsed = 0
    with _binary_lines(source) as lines:
        for number, raw in enumerate(bounded_lines(lines, MAX_LINE_BYTES), start=1):
            if len(raw) > MAX_LINE_BYTES:
                raise SampleFileError(
                    f"{name}: line {number} is over {MAX_LINE_BYTES // 2**20} MB, "
                    "longer than any training example"
                )
            text = _decode(raw, number, name)
            if not text.strip():
                continue
            nonblank += 1
            record = _parse(text, number, errors)
            if record is None:
                continue
            parsed += 1
            messages = _check_record(record, number, errors, warnings)
            if messages is None:
                continue
            n = count_chat(messages, encoding)
            if cap is not None and n > cap:
                warnings.add(IssueCode.OVER_TOKEN_LIMIT, number)
            examples, tokens, billing = examples + 1, tokens + n, billing + _billed(n, cap)
    if nonblank == 0:
        raise SampleFileError(f"{name} is empty: expected one JSON chat example per line")
    if parsed == 0:
        raise SampleFileError(f"{name} is not JSON Lines: no line holds valid JSON")
    return DatasetScan(examples, tokens, billing, errors.issues(), warnings.issues())


def _decode(raw: bytes, number: int, name: str) -> str:
    """One line as text; binary or non-UTF-8 content stops the scan with a clear error."""
    if b"\x00" in raw:
        raise SampleFileError(f"{name} looks binary (NUL byte on line {number}), not JSONL text")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise SampleFileError(f"{name}: line {number} is not UTF-8 text") from None
    return text.removeprefix("\ufeff") if number == 1 else text


def _parse(text: str, number: int, errors: _Tally) -> object | None:
    """The line's JSON value, or None after recording ``invalid_json``."""
    try:
        return loads_json(text)
    except json.JSONDecodeError as exc:
        errors.add(IssueCode.INVALID_JSON, number, {"line": number, "syntax": exc.msg})
    except ValueError as exc:
        errors.add(IssueCode.INVALID_JSON, number, {"line": number, "limit": str(exc)})
    return None


def _check_record(
    record: object, number: int, errors: _Tally, warnings: _Tally
) -> list[dict[str, object]] | None:
    """Flag a record's format errors; return its messages when its tokens can be counted."""
    if not isinstance(record, dict):
        errors.add(IssueCode.RECORD_NOT_OBJECT, number)
        return None
    messages = record.get("messages")
    if not isinstance(messages, list) or not messages:
        dpo = record.keys() >= DPO_KEYS
        code = IssueCode.DPO_RECORD_UNSUPPORTED if dpo else IssueCode.MISSING_MESSAGES_LIST
        errors.add(code, number)
        return None
    for message in messages:
        for category, values in _message_problems(message):
            errors.add(category, number, values)
    if not any(isinstance(m, dict) and m.get("role") == "assistant" for m in messages):
        errors.add(IssueCode.EXAMPLE_MISSING_ASSISTANT_MESSAGE, number)
    if _has_uncounted_tokens(record, messages):
        warnings.add(IssueCode.UNCOUNTED_TOKENS, number)
    return [m for m in messages if isinstance(m, dict)]


def _message_problems(message: object) -> Iterator[tuple[IssueCode, Values | None]]:
    """(category, figures) for each flaw of one message, in OpenAI's cookbook categories.

    An assistant message that calls a tool or function may omit ``content``
    or leave it null, as OpenAI's function-calling training format does.
    """
    if not isinstance(message, dict):
        yield IssueCode.MESSAGE_MISSING_KEY, None
        return
    calls = "tool_calls" in message or "function_call" in message
    if "role" not in message or ("content" not in message and not calls):
        yield IssueCode.MESSAGE_MISSING_KEY, None
    unknown = sorted(set(message) - MESSAGE_KEYS)
    if unknown:
        found = ", ".join(repr(k) for k in unknown)
        yield IssueCode.MESSAGE_UNRECOGNIZED_KEY, {"keys": found, "allowed": _ALLOWED_KEYS}
    role = message.get("role")
    if "role" in message and not (isinstance(role, str) and role in ROLES):
        yield IssueCode.UNRECOGNIZED_ROLE, {"roles": _ROLES}
    if "content" in message and not _is_content(message["content"], calls):
        yield IssueCode.MISSING_CONTENT, None


def _is_content(value: object, calls: bool) -> bool:
    """Text, or a non-empty list of part objects; empty or null only beside a tool call."""
    if calls and value in (None, ""):
        return True
    if isinstance(value, str):
        return bool(value)
    return (
        isinstance(value, list)
        and bool(value)
        and all(isinstance(p, dict) and isinstance(p.get("text", ""), str) for p in value)
    )


def _has_uncounted_tokens(record: dict[str, object], messages: list[object]) -> bool:
    """Tool schemas, tool calls and non-text parts are billed but outside the chat formula."""
    if record.get("tools") or record.get("functions"):
        return True
    for m in messages:
        if not isinstance(m, dict):
            continue
        if m.get("tool_calls") or m.get("function_call"):
            return True
        content = m.get("content")
        if isinstance(content, list) and any(
            isinstance(p, dict) and "text" not in p for p in content
        ):
            return True
    return False


@dataclass(frozen=True)
class TrainingFigures:
    """The training-plan fields a checked training file fills in."""

    examples: int
    tokens_per_example: int


def training_figures(estimate: TrainingEstimate) -> TrainingFigures:
    """Examples and billed tokens per example (capped, then rounded up).

    ``examples × tokens_per_example`` is at least the file's billed tokens per
    epoch and exceeds it by less than one token per example.
    """
    examples = estimate.examples
    per_example = math.ceil(estimate.billing_tokens_per_epoch / examples) if examples else 0
    return TrainingFigures(examples, per_example)
