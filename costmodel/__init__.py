"""costmodel: fine-tune an LLM or keep prompting a base model? Break-even in numbers.

The package is the whole arithmetic and parsing core; the Streamlit dashboard
(``app.py``) and the command line only lay out what it returns.

>>> from costmodel import demo_scenario, evaluate, load_catalog
>>> result = evaluate(demo_scenario(), load_catalog())
>>> result.primary.breakeven.status
'breaks_even'
"""

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
from costmodel.tokens.tokenizers import count, count_chat, get_encoding, tokenizer_for

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
    "count",
    "count_chat",
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
