"""Turn a strategy's token settings into the figures the cost model prices.

Explicit figures are used as given. A ``samples`` file is counted exactly
with the model's tokenizer (approximately, and said so, where none is
public): its mean prompt and output lengths replace the figures, and for
long prompts the shared prefix of all samples becomes the cacheable prefix.
"""

from __future__ import annotations

from pathlib import Path

from costmodel.catalog import Catalog
from costmodel.request_cost import RequestTokens
from costmodel.scenario import Strategy
from costmodel.tokenstats import token_stats


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
    stats = token_stats(path, model=catalog.resolve(strategy.model).model_id)
    column = stats.columns.get(t.samples_column) or stats.columns["long"]
    output = stats.columns.get("output")
    prefix = stats.shared_prefix_tokens if t.samples_column == "long" else 0
    return RequestTokens(
        prompt=column.mean,
        cacheable_prefix=min(prefix, column.mean),
        output=output.mean if output is not None else t.output_tokens,
        reasoning=t.reasoning_tokens,
    )
