"""Every sentence the product says about a result, in one place.

The engine returns codes and numbers (:mod:`costmodel.engine.notes`,
:mod:`costmodel.engine.comparison`, :mod:`costmodel.engine.lifecycle`); this
module words them once, so the dashboard headline, the CLI text, JSON and the
CSV ``verdict`` column read the same.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import numpy as np

from costmodel.engine.comparison import Comparison, Reason, Sides, Status, fixed_totals
from costmodel.engine.evaluate import ScenarioResult
from costmodel.engine.lifecycle import Closure, Cut, CutCode, Horizon
from costmodel.engine.notes import Note, NoteCode
from costmodel.engine.readiness import Check, Topic
from costmodel.engine.simulation import Simulation
from costmodel.engine.strategy_costs import StrategyCosts
from costmodel.engine.training import CostBasis, EpochsSource, Issue, IssueCode, TrainingEstimate
from costmodel.report.numbers import count, money, percent, significant
from costmodel.uncertain import PossiblePriceChange

_NOTES: dict[NoteCode, str] = {
    NoteCode.LONG_CONTEXT_TIER: "prompt above {above} tokens: long-context prices apply",
    NoteCode.NO_1H_WRITE_PRICE: "no 1-hour cache-write price: the standard write price is used",
    NoteCode.NO_CACHED_PRICE: "no cached-input price: the prefix is billed as ordinary input",
    NoteCode.PREFIX_BELOW_CACHE_MINIMUM: (
        "the cacheable prefix of {prefix} tokens is below the {minimum}-token caching minimum: "
        "no cache hits"
    ),
    NoteCode.CACHE_MINIMUM_UNKNOWN: "minimum cacheable length unknown: caching assumed to apply",
    NoteCode.SERVICE_TIER: "{tier} service tier: standard prices × {factor}",
    NoteCode.REGIONAL_UPLIFT: "data-residency endpoint: prices {uplift} higher",
    NoteCode.CACHE_STEPS: (
        "the cache grows in {step}-token steps: {cached} of the {prefix} prefix tokens are cached"
    ),
    NoteCode.BATCH_TIER_SCALED: (
        "batch prices for the long-context tier are not published: "
        "scaled by the batch/standard input ratio"
    ),
    NoteCode.NO_BATCH_PRICE: (
        "no batch price for this model: batch traffic billed at standard prices"
    ),
    NoteCode.GPU_BILLED_BY_HOUR: "no per-token price: dedicated GPUs bill by the hour",
    NoteCode.APPROXIMATE_TOKENS: "token counts are approximate ({reason})",
    NoteCode.TOKENS_COUNTED: (
        "token figures are the means of {file} ({records} records, counted with {encoding})"
    ),
    NoteCode.OTHER_ENCODING: (
        "token figures were counted with {encoding}, not the model's {model_encoding}: approximate"
    ),
    NoteCode.TRAINING_FROM_FILE: (
        "training plan read from {file}: {tokens_per_example} billed tokens per example, "
        "{examples} in all"
    ),
    NoteCode.PRICES_FAR_FROM_START: (
        "prices read on {as_of} are applied from {start}, more than a year {direction} "
        "({days} days): no price is known to hold that long"
    ),
    NoteCode.TRAINING_FILE_ERRORS: (
        "training examples with format problems the provider would reject: {examples}; "
        "priced as if fixed"
    ),
}


def note_text(note: Note) -> str:
    """One engine note as a sentence fragment; counts get thousands separators.

    >>> note_text(Note(NoteCode.PREFIX_BELOW_CACHE_MINIMUM, {"prefix": 697.0, "minimum": 1024}))
    'the cacheable prefix of 697 tokens is below the 1,024-token caching minimum: no cache hits'
    """
    values = {k: count(v) if isinstance(v, int | float) else v for k, v in note.values.items()}
    return _NOTES[note.code].format(**values)


def plural(n: int | float, word: str, many: str | None = None) -> str:
    """``n`` and the word, singular for exactly one.

    >>> plural(1, "month"), plural(0, "retraining"), plural(12, "month"), plural(2, "time")
    ('1 month', '0 retrainings', '12 months', '2 times')
    """
    return f"{count(n)} {word if n == 1 else (many or word + 's')}"


def requests(volume: float | None) -> str:
    """A monthly request volume.

    >>> requests(1), requests(589_152)
    ('1 request a month', '589,152 requests a month')
    """
    return f"{plural(volume or 0, 'request')} a month"


_REASONS: dict[Reason, str] = {
    Reason.SAVES_PER_REQUEST: "it costs less per request and more up front",
    Reason.GPU_STEPS: "dedicated GPUs bill by the GPU, so costs step with volume",
    Reason.CHEAPER_ALL_ROUND: "it costs no more per request and no more up front",
    Reason.SAME_PER_REQUEST_LOWER_FIXED: "same cost per request and lower fixed costs",
    Reason.GAP_TOO_SMALL: "it costs less up front and the gap per request is negligible",
    Reason.CHEAPER_UP_FRONT: "it costs less up front but more per request",
    Reason.NO_PER_REQUEST_SAVING: "no per-request saving",
    Reason.NO_SAVING_HIGHER_FIXED: "no per-request saving and higher fixed costs",
    Reason.SAVING_TOO_SMALL: (
        "the saving per request is too small: it would need more than 10 trillion requests a month"
    ),
    Reason.GPU_OUTWEIGHS: "dedicated GPU time per request outweighs the per-request saving",
    Reason.SAME_COSTS: "same cost per request and same fixed costs",
    Reason.EMPTY_HORIZON: "the horizon is empty",
    Reason.MODEL_UNAVAILABLE: "a model cannot be used on the start date",
}


def reason_phrase(reason: str) -> str:
    """A reason code in words, without figures (tables of many pairs).

    >>> reason_phrase("no_per_request_saving")
    'no per-request saving'
    """
    return _REASONS[Reason(reason)]


def reason_text(c: Comparison) -> str:
    """Why the break-even status came out as it did, with the figures behind it.

    For an unavailable pair, the lifecycle events that block it.
    """
    be, a, b = c.breakeven, c.a, c.b
    if be.status == Status.UNAVAILABLE:
        return "; ".join(cut_text(u) for u in c.horizon.unavailable)
    phrase = _REASONS[be.reason]
    if be.reason == Reason.SAVES_PER_REQUEST:
        extra = fixed_total(b, c.horizon.months) - fixed_total(a, c.horizon.months)
        saving = a.per_request_usd - b.per_request_usd
        return f"{phrase}: {money(saving)} a request against {money(extra)} of extra fixed costs"
    if be.reason == Reason.NO_PER_REQUEST_SAVING:
        return f"{phrase}: {money(b.per_request_usd)} against {money(a.per_request_usd)} a request"
    return phrase


def breakeven_value(c: Comparison) -> str:
    """The break-even volume as a headline figure (unit in the label), never a bare float.

    Covers every status.
    """
    be = c.breakeven
    match be.status:
        case Status.BREAKS_EVEN:
            return count(be.requests_per_month)
        case Status.CHEAPER_BELOW:
            return f"below {count(be.requests_per_month)}"
        case Status.ALWAYS:
            return "any volume"
        case Status.EQUAL:
            return "same cost"
        case Status.UNAVAILABLE:
            return "not available"
    return "never"


def payback_value(c: Comparison) -> str:
    """The payback month as a headline figure."""
    if not c.available:
        return "not available"
    if c.payback.month is None:
        return f"not within {plural(c.horizon.months, 'month')}"
    return f"month {c.payback.month}"


def fixed_total(s: StrategyCosts, months: int) -> float:
    """One strategy's volume-independent total, as the engine computes it."""
    return float(fixed_totals(Sides.of([s]), np.array([months]))[0])


def cut_text(cut: Cut) -> str:
    """One lifecycle event as a sentence fragment.

    >>> import datetime as dt
    >>> from costmodel.engine.lifecycle import Cut, CutCode
    >>> cut_text(Cut(CutCode.RETIRES, "ft", "OpenAI gpt-4.1", dt.date(2027, 1, 14), 1))
    'OpenAI gpt-4.1 retires on 2027-01-14: the comparison stops after 1 month'
    """
    day = f"{cut.date:%Y-%m-%d}"
    if cut.code == CutCode.RETIRED:
        return f"{cut.model_label} was retired on {day}"
    if cut.code == CutCode.TRAINING_CLOSED:
        return f"{cut.model_label} accepts no new fine-tuning jobs since {day}"
    if cut.code == CutCode.NOT_RELEASED:
        return f"{cut.model_label} was released on {day}, after the start date"
    stops = f"the comparison stops after {plural(cut.months, 'month')}"
    if cut.code == CutCode.RETIRES:
        return f"{cut.model_label} retires on {day}: {stops}"
    return (
        f"{cut.model_label} accepts no training jobs after {day}, so the retraining due in "
        f"month {cut.due_month} cannot run: {stops}"
    )


def status_text(c: Comparison) -> str:
    """The break-even status as a short phrase for tables.

    Covers every status; the volume has its unit.
    """
    be, b = c.breakeven, c.b.name
    match be.status:
        case Status.BREAKS_EVEN:
            return f"{b} pays off from {requests(be.requests_per_month)}"
        case Status.ALWAYS:
            return f"{b} is cheaper at any volume"
        case Status.CHEAPER_BELOW:
            return f"{b} is cheaper only below {requests(be.requests_per_month)}"
        case Status.EQUAL:
            return f"{c.a.name} and {b} cost the same at every volume"
        case Status.UNAVAILABLE:
            return f"{b} cannot be compared with {c.a.name}"
        case _:
            return f"{b} never breaks even"


def payback_text(c: Comparison) -> str:
    """When the challenger pays back at the user's volume, or why it does not."""
    pb = c.payback
    if not c.available:
        return "not available"
    if pb.month is None:
        return f"does not pay back within {plural(c.horizon.months, 'month')}"
    if pb.cumulative_savings_usd <= 0:
        return (
            f"ahead in month {pb.month}, behind again by month {c.horizon.months} "
            "(later costs outweigh the saving)"
        )
    return f"pays back in month {pb.month}"


def verdict(c: Comparison) -> str:
    """The decision in one or two sentences, keyed on the totals at the user's volume.

    Recommends switching only when the challenger's total over the horizon is
    lower; then says from which volume it pays and how much it saves. A model
    a new customer cannot buy, or keep for the horizon, is named first.
    """
    return _closed_sentence(c.horizon) + _decision(c)


def _decision(c: Comparison) -> str:
    """The verdict proper: switch or keep, the saving, the threshold and any cut."""
    if not c.available:
        return f"{c.a.name} and {c.b.name} cannot be compared: {reason_text(c)}."
    months = plural(c.horizon.months, "month")
    at = f"at {requests(c.volume)}"
    savings = c.payback.cumulative_savings_usd
    if c.breakeven.status == Status.EQUAL:
        sentence = f"{c.a.name} and {c.b.name} cost the same at every volume."
    elif c.challenger_cheaper:
        sentence = (
            f"Switch to {c.b.name}: {at} it saves {money(savings)} over {months} "
            f"and {payback_text(c)}. {_threshold(c)}"
        )
    elif savings == 0:
        sentence = f"{c.a.name} and {c.b.name} cost the same {at}. {_threshold(c)}"
    else:
        sentence = (
            f"Keep {c.a.name}: {at} {c.b.name} would cost {money(-savings)} more over "
            f"{months}. {_threshold(c)}"
        )
        if c.payback.month is not None:
            sentence += (
                f" It is ahead in month {c.payback.month}, but later costs (a retraining, "
                "shrinking traffic) put it behind by the end."
            )
    return sentence + _cut_sentence(c.horizon)


def _threshold(c: Comparison) -> str:
    """The status as a sentence: from which volume it pays, or why it never does."""
    be = c.breakeven
    if be.status == Status.NEVER:
        return f"{status_text(c)}: {reason_text(c)}."
    if be.status == Status.BREAKS_EVEN and be.crosses_back:
        return f"{status_text(c)}. At higher volumes the GPU steps put it behind again."
    return f"{status_text(c)}."


def _cut_sentence(h: Horizon) -> str:
    cut = h.cut_by
    if cut is None:
        return ""
    verb = "counts" if h.months == 1 else "count"
    return f" Only {plural(h.months, 'month')} of {h.requested_months} {verb}: {cut_text(cut)}."


TOPICS: dict[Topic, str] = {
    Topic.VOLUME: "Volume",
    Topic.TRAINING_DATA: "Training data",
    Topic.REQUIREMENT_CHANGES: "Requirement changes",
    Topic.LIFECYCLE: "Model lifecycle",
    Topic.PRICES: "Prices",
}


def times(ratio: float) -> str:
    """A multiple, readable at any size.

    >>> times(2.5), times(37.2), times(1234.0)
    ('2.5×', '37×', '1,234×')
    """
    return f"{ratio:.2g}×" if ratio < 10 else f"{ratio:,.0f}×"


def check_text(check: Check) -> str:
    """One readiness check as a sentence."""
    v = check.values
    words = {
        Topic.VOLUME: _volume_check,
        Topic.TRAINING_DATA: _training_check,
        Topic.REQUIREMENT_CHANGES: _retraining_check,
        Topic.LIFECYCLE: _lifecycle_check,
        Topic.PRICES: _prices_check,
    }
    return words[check.topic](check.code, v)


def _volume_check(code: str, v: Mapping[str, Any]) -> str:
    at, threshold = requests(v["volume"]), requests(v["threshold"])
    match code:
        case "never":
            return f"{v['challenger']} never pays off here at any volume."
        case "equal":
            return "Both options cost the same at every volume."
        case "always":
            return f"{v['challenger']} is cheaper at any volume."
        case "cheaper_below":
            return f"{v['challenger']} is cheaper only below {threshold}; you expect {at}."
        case "above_breakeven":
            return f"{at} is {times(v['ratio'])} the break-even of {threshold}."
        case "no_traffic":
            return f"No traffic yet: the break-even is {threshold}."
    return (
        f"{at} is {v['ratio']:.0%} of the break-even of {threshold}: traffic must grow "
        f"{times(1 / v['ratio'])} before fine-tuning pays."
    )


def _training_check(code: str, v: Mapping[str, Any]) -> str:
    if code == "no_fine_tune":
        return "No fine-tuned option in this comparison."
    have = plural(v["examples"], "training example")
    match code:
        case "below_minimum":
            return f"{have}: providers refuse jobs with fewer than {v['minimum']}."
        case "below_first_gains":
            return (
                f"{have}: enough to start a job, but gains usually appear only from "
                f"{v['first_gains']}–{v['recommended']} examples."
            )
        case "first_gains":
            return (
                f"{have}: expect first gains; most tasks need several hundred good examples "
                "to match a long prompt reliably."
            )
    return f"{have}: in the several-hundred range most tasks need."


def _retraining_check(code: str, v: Mapping[str, Any]) -> str:
    if code == "no_fine_tune":
        return "No fine-tuned option: a change is a prompt edit."
    if code == "no_retraining":
        return (
            "No retraining planned. Each change to labels, rules or format needs a new "
            f"training run of about {money(v['retrain_usd'])}; with prompting it is a prompt edit."
        )
    schedule = (
        f"Retraining every {plural(v['every'], 'month')} costs {money(v['retrain_usd'])} each, "
        f"about {money(v['per_month_usd'])} a month at that pace "
        f"({plural(v['times'], 'retraining')} in {plural(v['months'], 'month')}: "
        f"{money(v['times'] * v['retrain_usd'])})"
    )
    saving = v["saving_usd"]
    if code == "retraining_covered":
        return f"{schedule}, covered by the {money(saving)} monthly saving."
    if saving <= 0:
        return (
            f"{schedule}, and there is no monthly saving to cover it "
            f"(month 1 costs {money(-saving)} more). If requirements change this often, "
            "keep prompting."
        )
    return (
        f"{schedule}, more than the {money(saving)} monthly saving. If requirements change "
        "this often, keep prompting."
    )


_CLOSURES = {
    "existing-customers": "is open to existing customers only",
    "training-closed": "accepts no new training",
    "retired": "is retired",
    "not-released": "is not released yet",
}


def closure_text(closure: Closure) -> str:
    """A model a new customer cannot buy, or keep, over the horizon.

    >>> import datetime as dt
    >>> closure_text(Closure("OpenAI · GPT-4.1 mini", "existing-customers", dt.date(2026, 12, 1)))
    'OpenAI · GPT-4.1 mini is open to existing customers only on 2026-12-01'
    """
    if closure.later:
        return f"{_closure_clause(closure)}, inside the horizon, for a new customer"
    return _closure_clause(closure)


def _closure_clause(closure: Closure) -> str:
    """The model, what it becomes and from when, without saying for whom."""
    on = "from" if closure.later else "on"
    return f"{closure.model_label} {_CLOSURES[closure.state]} {on} {closure.date:%Y-%m-%d}"


def _closed_sentence(h: Horizon) -> str:
    """The verdict's first sentence when a new customer could not follow it.

    An existing customer may still buy the option, so the figures stand; the
    sentence comes first so that nobody acts on the rest without reading it.
    """
    closures = h.new_customer_closures
    if not closures:
        return ""
    clauses = "; ".join(_closure_clause(c) for c in closures)
    if all(c.later for c in closures):
        return f"A new customer could not keep this for the whole horizon: {clauses}. "
    return f"A new customer cannot buy this: {clauses}. "


def _lifecycle_check(code: str, v: Mapping[str, Any]) -> str:
    h: Horizon = v["horizon"]
    if code == "unavailable":
        return " ".join(f"{cut_text(u)}." for u in h.unavailable)
    if code == "cut":
        events = [cut_text(c) for c in h.cuts] + [closure_text(c) for c in h.new_customer_closures]
        return "; ".join(events) + "."
    return f"Neither model retires and training stays open for the {plural(h.months, 'month')}."


def _prices_check(code: str, v: Mapping[str, Any]) -> str:
    if code == "sourced":
        return "Every price in use has a source and a recent date."
    found = "; ".join(f"{label}: {message}" for label, message in v["issues"])
    return f"{found}. Check them or override them."


def strategy_notes(result: ScenarioResult, name: str) -> list[str]:
    """Every engine note about one strategy: its prices and its token counts."""
    s = next(x for x in result.strategies if x.name == name)
    notes = [note_text(n) for n in s.notes]
    notes += [note_text(n) for who, n in result.input_notes if who == name]
    return [f"{name}: {n}" for n in notes]


def comparison_notes(result: ScenarioResult, c: Comparison) -> list[str]:
    """Every note behind one comparison: both strategies' notes, then its lifecycle events."""
    notes = strategy_notes(result, c.a.name) + strategy_notes(result, c.b.name)
    return notes + [cut_text(cut) for cut in c.horizon.cuts + c.horizon.unavailable]


def scenario_notes(result: ScenarioResult) -> list[str]:
    """Every note of a scenario once: each strategy's, then each comparison's lifecycle events."""
    notes = [n for s in result.strategies for n in strategy_notes(result, s.name)]
    for c in result.comparisons:
        notes += [cut_text(cut) for cut in c.horizon.cuts + c.horizon.unavailable]
    return list(dict.fromkeys(notes))


_INPUTS = {
    "prompt_prefix": "Static prompt prefix",
    "prompt_rest": "Variable prompt part",
    "cache_hit_rate": "Cache-hit rate",
    "output_tokens": "Output tokens",
    "failure_rate": "Failure rate",
    "training_examples": "Training examples",
    "training_tokens_per_example": "Tokens per training example",
    "training_runs": "Training runs",
    "data_prep_per_example": "Data preparation per example",
    "evaluation_per_run": "Evaluation per run",
    "training_price": "Training price",
    "batch_share": "Batch share",
    "monthly_fixed": "Other running costs per month",
    "inference_price": "Price per token",
    "retrain_interval": "Months between retrainings",
    "hosting_price": "Hosting fee per hour",
    "gpu_price": "GPU price per hour",
    "gpu_throughput": "GPU throughput",
    "gpu_utilization": "GPU utilisation",
    "volume": "Requests per month",
    "monthly_growth": "Monthly growth",
    "horizon": "Horizon",
}


def input_label(code: str, side: str) -> str:
    """A tornado input and the side of the main comparison it belongs to.

    >>> input_label("training_price", "challenger"), input_label("horizon", "workload")
    ('Training price (challenger)', 'Horizon')
    """
    return _INPUTS[code] if side == "workload" else f"{_INPUTS[code]} ({side})"


_ISSUES: dict[IssueCode, str] = {
    IssueCode.RECORD_NOT_OBJECT: "the line holds JSON but not an object",
    IssueCode.DPO_RECORD_UNSUPPORTED: (
        "preference (DPO) record: only supervised examples with a 'messages' list are "
        "estimated, since how DPO pairs are billed is not documented"
    ),
    IssueCode.MISSING_MESSAGES_LIST: "no non-empty 'messages' list",
    IssueCode.MESSAGE_MISSING_KEY: "a message is not an object with both 'role' and 'content'",
    IssueCode.MESSAGE_UNRECOGNIZED_KEY: "unrecognised message key {keys}; allowed: {allowed}",
    IssueCode.UNRECOGNIZED_ROLE: "a message's role is not one of {roles}",
    IssueCode.MISSING_CONTENT: "a message's content is empty or neither text nor a list of parts",
    IssueCode.EXAMPLE_MISSING_ASSISTANT_MESSAGE: "no assistant message to learn from",
    IssueCode.TOO_FEW_EXAMPLES: "{examples} examples; OpenAI requires at least {minimum}",
    IssueCode.OVER_TOKEN_LIMIT: "over the per-example token cap: truncated and billed at the cap",
    IssueCode.UNCOUNTED_TOKENS: (
        "tool definitions, tool calls or non-text parts are billed but not counted here, "
        "so these examples are under-estimated"
    ),
    IssueCode.SMALL_DATASET: (
        "{examples} examples: OpenAI usually sees improvements from 50–100 examples, "
        "and more with several hundred"
    ),
    IssueCode.TRAINING_HOURS_IGNORED: (
        "training hours ignored: this model is priced per training token"
    ),
    IssueCode.VALIDATION_BILLING_UNKNOWN: (
        "whether validation tokens are billed is not documented; they are not included"
    ),
    IssueCode.OVER_MAX_JOB: "the provider pauses a job at {max_job}; this estimate is above it",
}


def training_issue_text(issue: Issue) -> str:
    """One problem of a training file or job, with the figures of its first occurrence.

    >>> few = Issue(IssueCode.TOO_FEW_EXAMPLES, 5, (), {"examples": 5, "minimum": 10})
    >>> training_issue_text(few)
    '5 examples; OpenAI requires at least 10'
    >>> broken = Issue(IssueCode.INVALID_JSON, 1, (2,), {"line": 2, "syntax": "Expecting value"})
    >>> training_issue_text(broken)
    'line 2 is not valid JSON: Expecting value'
    """
    v = issue.values
    if issue.category is IssueCode.INVALID_JSON:
        if "syntax" in v:
            return f"line {v['line']} is not valid JSON: {v['syntax']}"
        return f"line {v['line']}: {v['limit']}"
    if issue.category is IssueCode.OVER_MAX_JOB:
        return _ISSUES[issue.category].format(max_job=money(float(v["max_job_usd"]), exact=True))
    return _ISSUES[issue.category].format(**v)


_EPOCHS_SOURCES: dict[EpochsSource, str] = {"heuristic": "auto heuristic", "given": "given"}


def epochs_source_text(source: EpochsSource) -> str:
    """Where the epoch count came from.

    >>> epochs_source_text("heuristic")
    'auto heuristic'
    """
    return _EPOCHS_SOURCES[source]


def training_cost_text(e: TrainingEstimate) -> str:
    """How a job's cost was found, or why there is none.

    Hand check: 300,000 tokens at $10 per 1M is $3.00, below a $4 minimum fee.

    >>> from costmodel.engine.training import estimate_from_parameters
    >>> from costmodel.prices.schema import TrainingPrices
    >>> e = estimate_from_parameters(100, 1_000, 3, TrainingPrices(usd_per_mtok=10, min_job_usd=4))
    >>> training_cost_text(e)
    '300,000 tokens × $10.00 per 1M; the $4.00 minimum applies'
    """
    v = e.cost_values
    match e.cost_basis:
        case CostBasis.NO_MODEL:
            return "no training price applies: no model was chosen"
        case CostBasis.NO_EXAMPLES:
            return "no examples: there is nothing to train"
        case CostBasis.PRICE_NOT_PUBLIC:
            return (
                "the provider publishes no training price for this model: give yours as "
                "fine_tuning.training.usd_per_mtok (or usd_per_hour) in a price override"
            )
        case CostBasis.FREE:
            return f"free: {v['why']}"
        case CostBasis.HOURS_MISSING:
            rate = money(float(v["usd_per_hour"]), exact=True)
            return f"priced at {rate} per wall-clock training hour: give the hours per run"
        case CostBasis.PER_TOKEN:
            rate = money(float(v["usd_per_mtok"]), exact=True)
            text = f"{int(v['tokens']):,} tokens × {rate} per 1M"
        case CostBasis.PER_HOUR:
            rate = money(float(v["usd_per_hour"]), exact=True)
            text = f"{float(v['hours']):g} h × {rate} per hour"
    if e.min_fee_applied:
        text += f"; the {money(float(v['min_job_usd']), exact=True)} minimum applies"
    return text


# --- how sure the answer is (the simulation) -------------------------------------------------


def chance(share: float) -> str:
    """A share of simulated futures as a whole percentage, never a false 0 % or 100 %.

    Only when every draw agrees is it 0 % or 100 %; otherwise the extremes
    read "under 1 %" and "over 99 %".

    >>> chance(0.834), chance(0.004), chance(0.996), chance(1.0), chance(0.0)
    ('83 %', 'under 1 %', 'over 99 %', '100 %', '0 %')
    """
    if 0 < share < 0.01:
        return "under 1 %"
    if 0.99 < share < 1:
        return "over 99 %"
    return f"{share * 100:.0f} %"


def volume_or_never(volume: float, digits: int = 2) -> str:
    """A break-even percentile: a request count, or "never" for draws that never pay off.

    Simulated figures are rounded to ``digits`` significant figures.

    >>> volume_or_never(592_417), volume_or_never(float("inf")), volume_or_never(0.0)
    ('590,000', 'never', 'any volume')
    """
    if np.isinf(volume):
        return "never"
    return "any volume" if volume == 0 else count(significant(volume, digits))


def breakeven_band(sim: Simulation) -> str | None:
    """The break-even's 10th–90th percentile band, e.g. "420k–910k, 80 % of outcomes".

    None when no draw pays off from a volume up (see :func:`simulation_lines`).
    """
    band = sim.breakeven_percentiles()
    if band is None:
        return None
    for digits in (2, 3):
        low, high = (volume_or_never(v, digits) for v in (band[0], band[2]))
        if low != high:
            return f"{low}–{high}, 80 % of outcomes"
    return f"about {low} in at least 80 % of outcomes"


def cheaper_clause(sim: Simulation) -> str:
    """ "cheaper in 83 % of simulated futures at your volume"."""
    if not sim.available:
        return "not available in any simulated future"
    return f"cheaper in {chance(sim.cheaper_share)} of simulated futures at your volume"


def simulation_headline(c: Comparison, sim: Simulation) -> str:
    """The point break-even with its range and the probability, for the headline.

    "Pays off from 590,000 (420,000–910,000, 80 % of outcomes) — cheaper in
    83 % of simulated futures at your volume."
    """
    band = breakeven_band(sim)
    point = f"{status_text(c)[0].upper()}{status_text(c)[1:]}"
    if band is None:
        return f"{point} — {cheaper_clause(sim)}."
    return f"{point} ({band}) — {cheaper_clause(sim)}."


_STATUS_COUNTS: dict[Status, str] = {
    Status.BREAKS_EVEN: "pays off from a volume",
    Status.ALWAYS: "cheaper at any volume",
    Status.NEVER: "never pays off",
    Status.CHEAPER_BELOW: "cheaper only below a volume",
    Status.EQUAL: "costs the same",
    Status.UNAVAILABLE: "not available",
}


def status_counts_text(sim: Simulation) -> str:
    """How many draws ended in each status, all of them named (none dropped).

    e.g. "pays off from a volume in 3,700 of 4,000 futures, never pays off in 300": the
    total is said once, so a count is never read as a year.
    """
    parts = [
        f"{_STATUS_COUNTS[status]} in {count(n)}" for status, n in sim.status_counts().items() if n
    ]
    parts[0] += f" of {count(sim.draws)} futures"
    return ", ".join(parts)


def payback_distribution_text(sim: Simulation) -> str:
    """Payback months by share of draws, e.g. "month 1 in 55 %, month 2 in 36 %, …"."""
    parts = []
    for month, n in sim.payback_counts().items():
        label = "not within the horizon" if month == 0 else f"month {month}"
        parts.append(f"{label} in {chance(n / sim.draws)}")
    return ", ".join(parts)


def price_factor(factor: float) -> str:
    """A price factor as people write it: "×0.5", "×1.25".

    >>> price_factor(0.5), price_factor(1.0), price_factor(1.2500001)
    ('×0.5', '×1', '×1.25')
    """
    return f"×{significant(factor, 3):g}"


def _span(low: float, high: float, show: Callable[[float], str]) -> str:
    return show(low) if low == high else f"{show(low)} to {show(high)}"


_PRICE_NAMES = {
    "input": "input price",
    "cached_input": "cached input price",
    "output": "output price",
    "training": "training price",
    "hosting": "hosting fee per hour",
    "gpu": "GPU price per hour",
}


def price_name(price: str) -> str:
    """What a possible change's ``price`` is called: "input price", "hosting fee per hour"."""
    return _PRICE_NAMES[price]


def price_change_text(change: PossiblePriceChange) -> str:
    """One possible price change in words.

    >>> from costmodel.uncertain import PossiblePriceChange
    >>> price_change_text(PossiblePriceChange(strategy="Base", price="input",
    ...     factor={"low": 0.5, "high": 1}, month={"low": 4, "high": 9}, probability=0.3))
    "Base's input price ×0.5 to ×1 from month 4 to 9, with probability 30 %"
    >>> price_change_text(PossiblePriceChange(strategy="Tuned", price="hosting",
    ...     factor=1.2, month=7, probability=1))
    "Tuned's hosting fee per hour ×1.2 from month 7, with probability 100 %"
    """
    factor, month = change.factor_spread, change.month_spread
    if factor.ends is not None:
        size = _span(*factor.ends, price_factor)
    else:
        size = f"about {price_factor(factor.point)} (lognormal, σ {factor.sigma:g})"
    months = _span(*(month.ends or (month.point, month.point)), lambda m: f"{m:g}")
    price = price_name(change.price)
    return (
        f"{change.strategy}'s {price} {size} from month {months}, "
        f"with probability {chance(change.probability)}"
    )


def unsimulated_changes_text(n: int) -> str:
    """Said when a scenario's possible price changes are not drawn (no simulation).

    >>> unsimulated_changes_text(2)[:66]
    "the scenario's 2 possible price changes are drawn only with --simu"
    """
    what = "possible price change is" if n == 1 else f"{n} possible price changes are"
    return (
        f"the scenario's {what} drawn only with --simulate on the main comparison; "
        "these figures keep today's prices"
    )


def repriced_text(sim: Simulation) -> str | None:
    """How many simulated futures had a possible price change; None when none was written.

    e.g. "a price change within the horizon in 1,187 of them"
    """
    if not sim.price_changes:
        return None
    return f"a price change within the horizon in {count(sim.repriced_draws)} of them"


def simulation_lines(sim: Simulation) -> list[str]:
    """The simulation's figures as text lines (CLI), every count and percentile named."""
    lines = [
        f"Simulated futures: {count(sim.draws)} draws with seed {sim.seed}, "
        f"{sim.challenger} against {sim.baseline}",
        f"  {cheaper_clause(sim)} (standard error "
        f"{sim.cheaper_standard_error * 100:.1f} percentage points)",
    ]
    band = sim.breakeven_percentiles()
    if band is not None:
        p10, p50, p90 = (volume_or_never(v) for v in band)
        lines.append(
            f"  break-even (requests a month): 10th percentile {p10}, median {p50}, "
            f"90th percentile {p90}"
        )
    lines.append(f"  outcomes: {status_counts_text(sim)}")
    if sim.available:
        s10, s50, s90 = (money(significant(v), cents=False) for v in sim.savings_percentiles())
        lines.append(
            f"  savings over the horizon at your volume: 10th percentile {s10}, "
            f"median {s50}, 90th percentile {s90}"
        )
        lines.append(f"  payback: {payback_distribution_text(sim)}")
    if sim.drawn:
        lines.append(f"  inputs drawn from their ranges: {', '.join(sim.drawn)}")
    elif not sim.resampled and not sim.price_changes:
        lines.append(
            "  no input is written as a range and no sample file is resampled: every draw "
            "is the point estimate"
        )
    for name, records in sim.resampled.items():
        how = " (bootstrap mean from its normal limit)" if name in sim.normal_limit else ""
        lines.append(
            f"  token figures of {name} resampled from its {count(records)} sample "
            f"records in every draw{how}"
        )
    for change, n in sim.price_changes:
        lines.append(
            f"  possible price change: {price_change_text(change)} — happened within the "
            f"horizon in {count(n)} of {count(sim.draws)} draws"
        )
    if sim.price_changes:
        lines.append(
            "  the point estimate keeps today's prices; only the simulated futures carry "
            "the possible price changes"
        )
    for path, n in sim.clipped.items():
        lines.append(f"  {count(n)} draws of {path} fell outside its legal values and were clipped")
    return lines


_TORNADO_UNITS: dict[str, str] = {
    "prompt_prefix": "tokens",
    "prompt_rest": "tokens",
    "output_tokens": "tokens",
    "training_tokens_per_example": "tokens",
    "cache_hit_rate": "share",
    "failure_rate": "share",
    "batch_share": "share",
    "gpu_utilization": "share",
    "monthly_growth": "growth",
    "monthly_fixed": "money",
    "data_prep_per_example": "money",
    "evaluation_per_run": "money",
    "inference_price": "factor",
    "training_price": "factor",
    "hosting_price": "factor",
    "gpu_price": "factor",
    "training_examples": "count",
    "training_runs": "count",
    "retrain_interval": "months",
    "horizon": "months",
    "volume": "requests",
    "gpu_throughput": "rate",
}


def swing_value(code: str, value: float) -> str:
    """One value a tornado bar tested, in the input's unit.

    >>> swing_value("cache_hit_rate", 0.675), swing_value("inference_price", 1.25)
    ('67.5%', '125% of the listed price')
    >>> swing_value("horizon", 9), swing_value("prompt_prefix", 776.25)
    ('9 months', '776 tokens')
    """
    unit = _TORNADO_UNITS[code]
    if unit == "share":
        return percent(value)
    if unit == "growth":
        return f"{percent(value)} a month"
    if unit == "money":
        return money(value)
    if unit == "factor":
        return f"{percent(value)} of the listed price"
    if unit == "months":
        return plural(value, "month")
    if unit == "tokens":
        return f"{count(value)} tokens"
    if unit == "requests":
        return f"{count(value)} requests a month"
    if unit == "rate":
        return f"{count(value)} tokens a second"
    return count(value)


_CLIFFS: dict[str, str] = {
    NoteCode.PREFIX_BELOW_CACHE_MINIMUM.value: (
        "the prefix falls below the minimum cacheable length"
    ),
    NoteCode.LONG_CONTEXT_TIER.value: "the prompt crosses into long-context prices",
    NoteCode.CACHE_STEPS.value: "the cached part changes step",
}


def swing_range_text(code: str, low: float, high: float, clipped_low: bool, clipped_high: bool,
                      cliff_low: str = "", cliff_high: str = "") -> str:  # fmt: skip
    """What a tornado bar tested: its low and high, clipped values and cliffs named.

    >>> swing_range_text("cache_hit_rate", 0.675, 1.0, False, True)
    '67.5% to 100% (clipped)'
    >>> swing_range_text("prompt_prefix", 776.25, 1293.75, False, False,
    ...                   "cache_steps,prefix_below_cache_minimum")
    '776 tokens to 1,294 tokens; at the low end the prefix falls below the minimum cacheable length'
    """
    text = (
        f"{swing_value(code, low)}{' (clipped)' if clipped_low else ''} to "
        f"{swing_value(code, high)}{' (clipped)' if clipped_high else ''}"
    )
    for end, codes in (("low", cliff_low), ("high", cliff_high)):
        named = [_CLIFFS[c] for c in codes.split(",") if c in _CLIFFS]
        if named and named[0] == _CLIFFS[NoteCode.CACHE_STEPS.value] and len(named) > 1:
            named = named[1:]
        if named:
            text += f"; at the {end} end {' and '.join(named)}"
    return text
