"""Scenario figures taken from the user's own files, the way the engine would count them.

Sample prompts give each request's token figures: the mean long prompt, its
shared prefix (what prompt caching can reuse, never more than the mean), the
mean short prompt and the mean output — the same reading
:func:`costmodel.tokens.figures.tokens_for` makes of a ``samples`` file. A
chat training file gives the number of examples and the billed tokens per
example, rounded up so the priced job is never smaller than the file's.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from costmodel.engine.training import TrainingEstimate
from costmodel.tokens.stats import LONG, OUTPUT, SHORT, TokenStats


@dataclass(frozen=True)
class SampleFigures:
    """Per-request token figures from a sample file (None where a column is absent)."""

    long_prompt: float
    cacheable_prefix: float
    short_prompt: float | None
    output: float | None


def sample_figures(stats: TokenStats) -> SampleFigures:
    """Mean token figures of a counted sample file."""
    long = stats.columns[LONG]
    short = stats.columns.get(SHORT)
    output = stats.columns.get(OUTPUT)
    return SampleFigures(
        long_prompt=long.mean,
        cacheable_prefix=float(min(stats.shared_prefix_tokens, long.mean)),
        short_prompt=short.mean if short is not None else None,
        output=output.mean if output is not None else None,
    )


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


def progress_share(done: int, total: int) -> float:
    """How far the reading of a file has got, between 0 and 1 (an empty file is done).

    >>> progress_share(50, 200), progress_share(0, 0), progress_share(300, 200)
    (0.25, 1.0, 1.0)
    """
    return 1.0 if total <= 0 else min(1.0, max(0.0, done / total))
