"""costmodel: fine-tune an LLM or keep prompting a base model? Break-even in numbers.

The package is the whole arithmetic and parsing core; the Streamlit dashboard
(``app.py``) and the command line only lay out what it returns.

>>> from costmodel import demo_scenario, evaluate, load_catalog
>>> result = evaluate(demo_scenario(), load_catalog())
>>> result.primary.breakeven.status.value
'breaks_even'
"""

from __future__ import annotations

from importlib import import_module

# Not typing.TYPE_CHECKING: importing typing costs ``costmodel --help`` several
# milliseconds. Type checkers read this name the same way.
TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from costmodel.demo import demo_scenario
    from costmodel.engine.evaluate import ScenarioResult, evaluate
    from costmodel.engine.training import estimate_from_file, estimate_from_parameters
    from costmodel.errors import (
        CostModelError,
        PricingError,
        SampleFileError,
        ScenarioError,
        TokenizerError,
        TrainingError,
    )
    from costmodel.prices.catalog import Catalog, CatalogModel, load_catalog
    from costmodel.report.export import breakeven_csv
    from costmodel.scenario import Scenario, dump_scenario, load_scenario, parse_scenario
    from costmodel.tokens.stats import token_stats
    from costmodel.tokens.tokenizers import count_chat, count_tokens, get_encoding, tokenizer_for

# Where each public name lives. Importing the package imports none of them:
# ``costmodel --help`` must not pay for pandas, numpy or pydantic.
_HOMES = {
    "demo_scenario": "costmodel.demo",
    "ScenarioResult": "costmodel.engine.evaluate",
    "evaluate": "costmodel.engine.evaluate",
    "estimate_from_file": "costmodel.engine.training",
    "estimate_from_parameters": "costmodel.engine.training",
    "CostModelError": "costmodel.errors",
    "PricingError": "costmodel.errors",
    "SampleFileError": "costmodel.errors",
    "ScenarioError": "costmodel.errors",
    "TokenizerError": "costmodel.errors",
    "TrainingError": "costmodel.errors",
    "Catalog": "costmodel.prices.catalog",
    "CatalogModel": "costmodel.prices.catalog",
    "load_catalog": "costmodel.prices.catalog",
    "breakeven_csv": "costmodel.report.export",
    "Scenario": "costmodel.scenario",
    "dump_scenario": "costmodel.scenario",
    "load_scenario": "costmodel.scenario",
    "parse_scenario": "costmodel.scenario",
    "token_stats": "costmodel.tokens.stats",
    "count_chat": "costmodel.tokens.tokenizers",
    "count_tokens": "costmodel.tokens.tokenizers",
    "get_encoding": "costmodel.tokens.tokenizers",
    "tokenizer_for": "costmodel.tokens.tokenizers",
}


def __getattr__(name: str) -> Any:
    """Import a public name's module on first use (PEP 562)."""
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module 'costmodel' has no attribute {name!r}")
    value = getattr(import_module(home), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted([*globals(), *_HOMES])


__all__ = [
    "Catalog",
    "CatalogModel",
    "CostModelError",
    "PricingError",
    "SampleFileError",
    "Scenario",
    "ScenarioError",
    "ScenarioResult",
    "TokenizerError",
    "TrainingError",
    "breakeven_csv",
    "count_chat",
    "count_tokens",
    "demo_scenario",
    "dump_scenario",
    "estimate_from_file",
    "estimate_from_parameters",
    "evaluate",
    "get_encoding",
    "load_catalog",
    "load_scenario",
    "parse_scenario",
    "token_stats",
    "tokenizer_for",
]
