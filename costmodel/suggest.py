"""Helpful answers to mistakes: the closest known names, and pydantic errors in plain words.

One ranking serves model names, scenario keys and price-file fields. A known
name that *extends* what was typed ranks first, because that is how people
shorten names: ``gpt-4.1-mini`` for the dated ``gpt-4.1-mini-2025-04-14``.
The rest are ranked by similarity (difflib's ratio, 0–1), so a typo such as
``hit_rat`` finds ``hit_rate``. :func:`plain_message` words one pydantic
error for a user, with that hint for an unknown key, so the scenario and the
price-file loaders say the same thing the same way.
"""

from __future__ import annotations

import datetime as dt
import difflib
import inspect
import types
import typing
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from pydantic import BaseModel

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


def plain_message(err: Mapping[str, Any], model: type[BaseModel]) -> str:
    """One pydantic error of ``model`` in plain words, showing the offending value.

    An unknown key names the closest accepted field, or lists them all when
    none is close; a missing one says so; a non-finite number is refused. A
    validator's own message (``value_error``) already names its value.
    """
    kind = err["type"]
    if kind == "missing":
        return "is required but missing"
    if kind == "extra_forbidden":
        return "is not a known field" + key_hint(model, err["loc"])
    if kind == "finite_number":
        return f"must be a finite number (got {err.get('input')!r})"
    msg = str(err["msg"]).removeprefix("Value error, ")
    value = err.get("input")
    shown = isinstance(value, int | float | str | dt.date) and not isinstance(value, bool)
    return f"{msg} (got {value!r})" if shown and kind != "value_error" else msg


def key_hint(model: type[BaseModel], loc: Sequence[int | str]) -> str:
    """ "; did you mean …?" for an unknown key at ``loc``, else the fields accepted there.

    >>> from costmodel.scenario import Scenario
    >>> key_hint(Scenario, ("strategies", 0, "cache", "hitrate"))
    '; did you mean hit_rate?'
    >>> key_hint(Scenario, ("strategies", 0, "cache", "zzz"))
    '; known fields: enabled, hit_rate, requests_per_lifetime, ttl'
    """
    known = known_keys(model, loc)
    hint = did_you_mean(str(loc[-1]), known, n=1) if loc else ""
    if hint or not known:
        return hint
    return f"; known fields: {', '.join(known)}"


def known_keys(model: type[BaseModel], loc: Sequence[int | str]) -> list[str]:
    """Keys ``model`` accepts where the last step of ``loc`` was found.

    ``loc`` is pydantic's error location: field names, list indices and
    mapping keys down to the offending key itself.
    """
    node: Any = model
    for step in loc[:-1]:
        node = _step(node, step)
        if node is None:
            return []
    found = [m for m in _members(node) if _is_model(m)]
    return list(found[0].model_fields) if found else []


def _step(annotation: Any, step: int | str) -> Any:
    """The annotation one step down: a model's field, a sequence's item, a mapping's value."""
    for member in _members(annotation):
        if _is_model(member):
            if isinstance(step, str) and step in member.model_fields:
                return member.model_fields[step].annotation
            continue
        origin, args = typing.get_origin(member), typing.get_args(member)
        if origin in (tuple, list) and isinstance(step, int) and args:
            return args[0]
        if origin is dict and args:
            return args[1]
    return None


def _members(annotation: Any) -> list[Any]:
    """The types an annotation allows: a union's members, an ``Annotated``'s type."""
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        return _members(typing.get_args(annotation)[0])
    if origin in (typing.Union, types.UnionType):
        return [m for arg in typing.get_args(annotation) for m in _members(arg)]
    return [annotation]


def _is_model(annotation: Any) -> bool:
    return inspect.isclass(annotation) and issubclass(annotation, BaseModel)
