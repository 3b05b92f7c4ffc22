"""Turn a strategy's token settings into the figures the cost model prices.

Explicit figures are used as given. A ``samples`` file is counted exactly
with the model's tokenizer (approximately, and said so, where none is
public): its mean prompt and output lengths replace the figures, and for
long prompts the shared prefix of all samples becomes the cacheable prefix.
"""

from __future__ import annotations

from pathlib import Path

from costmodel.engine.request_cost import RequestTokens
from costmodel.errors import ScenarioError
from costmodel.prices.catalog import Catalog
from costmodel.scenario import Strategy
from costmodel.tokens.prefill import sample_figures
from costmodel.tokens.stats import TokenStats, token_stats


def tokens_for(strategy: Strategy, catalog: Catalog, base_dir: Path | None = None) -> RequestTokens:
    """Token figures of one request of ``strategy``."""
    t = strategy.tokens
    if t.samples is None:
        return RequestTokens(
            prompt=t.prompt_tokens,
            cacheable_prefix=t.cacheable_prefix_tokens,
            output=t.output_tokens,
            reasoning=t.reasoning_tokens,
        )
    path = Path(t.samples)
    if not path.is_absolute() and base_dir is not None:
        path = base_dir / path
    return counted_tokens(
        strategy, token_stats(path, model=catalog.resolve(strategy.model).model_id)
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
    )
