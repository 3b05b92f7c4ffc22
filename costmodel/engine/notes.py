"""What the engine notes about a price or a comparison, as codes with their numbers.

The engine never words a note: :mod:`costmodel.report.wording` turns each
:class:`Note` into one sentence, so the dashboard, the CLI text, JSON and CSV
all say the same thing.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from types import MappingProxyType


class NoteCode(StrEnum):
    """Every assumption or limit the engine can report."""

    LONG_CONTEXT_TIER = "long_context_tier"
    NO_1H_WRITE_PRICE = "no_1h_write_price"
    NO_CACHED_PRICE = "no_cached_price"
    PREFIX_BELOW_CACHE_MINIMUM = "prefix_below_cache_minimum"
    CACHE_MINIMUM_UNKNOWN = "cache_minimum_unknown"
    CACHE_STEPS = "cache_steps"
    SERVICE_TIER = "service_tier"
    REGIONAL_UPLIFT = "regional_uplift"
    BATCH_TIER_SCALED = "batch_tier_scaled"
    NO_BATCH_PRICE = "no_batch_price"
    GPU_BILLED_BY_HOUR = "gpu_billed_by_hour"
    APPROXIMATE_TOKENS = "approximate_tokens"
    TOKENS_COUNTED = "tokens_counted"
    OTHER_ENCODING = "other_encoding"
    TRAINING_FROM_FILE = "training_from_file"
    TRAINING_FILE_ERRORS = "training_file_errors"
    PRICES_FAR_FROM_START = "prices_far_from_start"


@dataclass(frozen=True)
class Note:
    """One note: its code and the figures the sentence needs.

    >>> note = Note(NoteCode.PREFIX_BELOW_CACHE_MINIMUM, {"prefix": 697, "minimum": 1024})
    >>> note.values["minimum"]
    1024
    """

    code: NoteCode
    values: Mapping[str, str | float | int] = field(default_factory=lambda: MappingProxyType({}))
