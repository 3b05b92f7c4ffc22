"""Every sentence the product says about a result, in one place.

The engine returns codes and numbers (:mod:`costmodel.engine.notes`,
:mod:`costmodel.engine.comparison`, :mod:`costmodel.engine.lifecycle`); this
module words them once, so the dashboard headline, the CLI text, JSON and the
CSV ``verdict`` column read the same.
"""

from __future__ import annotations

from costmodel.engine.notes import Note, NoteCode
from costmodel.report.numbers import count

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
}


def note_text(note: Note) -> str:
    """One engine note as a sentence fragment; counts get thousands separators.

    >>> note_text(Note(NoteCode.PREFIX_BELOW_CACHE_MINIMUM, {"prefix": 697.0, "minimum": 1024}))
    'the cacheable prefix of 697 tokens is below the 1,024-token caching minimum: no cache hits'
    """
    values = {k: count(v) if isinstance(v, int | float) else v for k, v in note.values.items()}
    return _NOTES[note.code].format(**values)
