"""costmodel: fine-tune an LLM or keep prompting a base model? Break-even in numbers.

The package is the whole arithmetic and parsing core; the Streamlit dashboard
(``app.py``) and the command line only lay out what it returns.
"""

from costmodel.catalog import Catalog, CatalogModel, load_catalog
from costmodel.errors import (
    CostModelError,
    PricingError,
    SampleFileError,
    ScenarioError,
    TokenizerError,
    TrainingError,
)
from costmodel.tokenizers import count, count_chat, get_encoding, tokenizer_for

__all__ = [
    "Catalog",
    "CatalogModel",
    "CostModelError",
    "PricingError",
    "SampleFileError",
    "ScenarioError",
    "TokenizerError",
    "TrainingError",
    "count",
    "count_chat",
    "get_encoding",
    "load_catalog",
    "tokenizer_for",
]
