"""Per-session memory of results whose inputs have not changed since the last run.

Kept in the session's own state (never shared between users), one entry per
name: a new input replaces the old result, so memory stays bounded.
"""

from __future__ import annotations

from collections.abc import Callable, MutableMapping
from typing import Any, TypeVar

MEMO = "_memo"

T = TypeVar("T")


def remembered(
    state: MutableMapping[str, Any], name: str, ident: tuple[Any, ...], compute: Callable[[], T]
) -> T:
    """``compute()``, or its stored value when ``ident`` has not changed since."""
    memo = state.setdefault(MEMO, {})
    hit = memo.get(name)
    if hit is not None and hit[0] == ident:
        return hit[1]
    value = compute()
    memo[name] = (ident, value)
    return value
