"""Turn a strategy's token settings into the figures the cost model prices."""

from __future__ import annotations

from pathlib import Path

from costmodel.catalog import Catalog
from costmodel.errors import ScenarioError
from costmodel.request_cost import RequestTokens
from costmodel.scenario import Strategy


def tokens_for(strategy: Strategy, catalog: Catalog, base_dir: Path | None = None) -> RequestTokens:
    """The strategy's explicit token figures (sample files are counted by the caller)."""
    t = strategy.tokens
    if t.samples is not None:
        raise ScenarioError(
            f"strategy {strategy.name!r}: sample file {t.samples!r} must be counted first"
        )
    return RequestTokens(
        prompt=t.prompt_tokens,
        cacheable_prefix=t.cacheable_prefix_tokens,
        output=t.output_tokens,
        reasoning=t.reasoning_tokens,
    )
