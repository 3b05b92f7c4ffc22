"""The closest known names to a mistyped one, best first, for "did you mean …?" hints.

One ranking serves model names, scenario keys and price-file fields. A known
name that *extends* what was typed ranks first, because that is how people
shorten names: ``gpt-4.1-mini`` for the dated ``gpt-4.1-mini-2025-04-14``.
The rest are ranked by similarity (difflib's ratio, 0–1), so a typo such as
``hit_rat`` finds ``hit_rate``.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable

MIN_SIMILARITY = 0.6


def closest(word: str, known: Iterable[str], n: int = 3) -> list[str]:
    """Up to ``n`` names from ``known`` most like ``word``, best first (case-insensitive).

    >>> closest("openai/gpt-4.1-mini", ["openai/gpt-5-mini", "openai/gpt-4.1-mini-2025-04-14"])
    ['openai/gpt-4.1-mini-2025-04-14', 'openai/gpt-5-mini']
    >>> closest("hit_rat", ["enabled", "hit_rate", "ttl"])
    ['hit_rate']
    >>> closest("zzz", ["hit_rate"])
    []
    """
    query = word.lower()
    scored = []
    for name in dict.fromkeys(known):
        candidate = name.lower()
        ratio = difflib.SequenceMatcher(None, query, candidate).ratio()
        score = 1 + ratio if query and candidate.startswith(query) else ratio
        if score >= MIN_SIMILARITY:
            scored.append((-score, name))
    return [name for _, name in sorted(scored)[:n]]


def did_you_mean(word: str, known: Iterable[str], n: int = 3) -> str:
    """``"; did you mean a, b?"`` for the closest names, or ``""`` when none is close.

    >>> did_you_mean("hit_rat", ["hit_rate", "ttl"])
    '; did you mean hit_rate?'
    """
    close = closest(word, known, n)
    return f"; did you mean {', '.join(close)}?" if close else ""
