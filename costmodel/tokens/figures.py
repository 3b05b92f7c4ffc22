"""Turn a strategy's token settings into the figures the cost model prices.

Explicit figures are used as given. A ``samples`` file is counted exactly
with the model's tokenizer (approximately, and said so, where none is
public): its mean prompt and output lengths replace the figures, and for
long prompts the shared prefix of all samples becomes the cacheable prefix.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from costmodel.errors import ScenarioError
from costmodel.prices.catalog import Catalog
from costmodel.scenario import Counted, Strategy
from costmodel.tokens.stats import LONG, OUTPUT, SHORT, TokenStats, token_stats


@dataclass(frozen=True)
class RequestTokens:
    """Token figures of one request (means over a sample are fine: costs are linear)."""

    prompt: float
    cacheable_prefix: float = 0.0
    output: float = 0.0
    reasoning: float = 0.0
    # Where the figures were counted (file, records, encoding); None when written by hand.
    counted: Counted | None = field(default=None, compare=False)

    def __post_init__(self) -> None:
        for name in ("prompt", "cacheable_prefix", "output", "reasoning"):
            if getattr(self, name) < 0:
                raise ValueError(f"{name} tokens cannot be negative")
        if self.cacheable_prefix > self.prompt:
            raise ValueError("the cacheable prefix cannot be longer than the prompt")

    @property
    def processed(self) -> float:
        """Every token the model reads or writes (sizes dedicated GPUs)."""
        return self.prompt + self.output + self.reasoning


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


def progress_share(done: int, total: int) -> float:
    """How far the reading of a file has got, between 0 and 1 (an empty file is done).

    >>> progress_share(50, 200), progress_share(0, 0), progress_share(300, 200)
    (0.25, 1.0, 1.0)
    """
    return 1.0 if total <= 0 else min(1.0, max(0.0, done / total))


def tokens_for(strategy: Strategy, catalog: Catalog, base_dir: Path | None = None) -> RequestTokens:
    """Token figures of one request of ``strategy`` (its sample file counted when it names one)."""
    return token_figures(strategy, read_samples(strategy, catalog, base_dir))


def read_samples(
    strategy: Strategy, catalog: Catalog, base_dir: Path | None = None
) -> TokenStats | None:
    """The sample file ``strategy`` names, counted with its model's tokenizer (None: no file).

    A relative path resolves against ``base_dir`` (the scenario file's folder).
    """
    t = strategy.tokens
    if t.samples is None:
        return None
    path = Path(t.samples)
    if not path.is_absolute() and base_dir is not None:
        path = base_dir / path
    return token_stats(path, model=catalog.resolve(strategy.model).model_id)


def token_figures(strategy: Strategy, stats: TokenStats | None) -> RequestTokens:
    """Token figures of ``strategy``: counted from ``stats``, else the figures it writes."""
    if stats is not None:
        return counted_tokens(strategy, stats)
    t = strategy.tokens
    return RequestTokens(
        prompt=t.prompt_tokens,
        cacheable_prefix=t.cacheable_prefix_tokens,
        output=t.output_tokens,
        reasoning=t.reasoning_tokens,
        counted=t.counted,
    )


def counted_tokens(strategy: Strategy, stats: TokenStats) -> RequestTokens:
    """Token figures of ``strategy`` read from its counted sample file.

    The ``samples_column`` picks the long or the short prompts; the file's mean
    output replaces ``output_tokens`` when the file has outputs.
    """
    t = strategy.tokens
    figures = sample_figures(stats)
    if t.samples_column == "long":
        prompt, prefix = figures.long_prompt, figures.cacheable_prefix
    elif figures.short_prompt is None:
        raise ScenarioError(
            f"strategy {strategy.name!r}: {t.samples} has no short prompts "
            "(a 'short_prompt' column or key)"
        )
    else:
        prompt, prefix = figures.short_prompt, 0.0
    return RequestTokens(
        prompt=prompt,
        cacheable_prefix=prefix,
        output=figures.output if figures.output is not None else t.output_tokens,
        reasoning=t.reasoning_tokens,
        counted=counted_from(stats),
    )


def counted_from(stats: TokenStats) -> Counted:
    """Where figures taken from ``stats`` were counted: file name, records and encoding."""
    return Counted(file=Path(stats.source).name, records=stats.records, encoding=stats.encoding)
