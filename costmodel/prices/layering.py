"""A user's figures laid over listed ones: used by pricing files and by a scenario's overrides.

Both merge a partial model entry into the listed one, key by key down the
nested mappings, and take back the ``unverified`` flag of every figure the
user replaced: a figure the user wrote is the user's own, not a doubtful
listing.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any


def layer(base: dict[str, Any], fields: Mapping[str, Any]) -> dict[str, Any]:
    """``base`` with ``fields`` merged in, no longer flagging the figures ``fields`` set.

    >>> listed = {"inference": {"input_usd_per_mtok": 1.0, "output_usd_per_mtok": 4.0},
    ...           "unverified": ["inference.input_usd_per_mtok", "inference.output_usd_per_mtok"]}
    >>> layer(listed, {"inference": {"input_usd_per_mtok": 0.9}})["unverified"]
    ['inference.output_usd_per_mtok']
    """
    return _vouch(_deep_merge(base, fields), fields)


def _deep_merge(base: dict[str, Any], extra: Mapping[str, Any]) -> dict[str, Any]:
    merged = dict(base)
    for key, value in extra.items():
        if isinstance(value, Mapping) and isinstance(merged.get(key), dict):
            merged[key] = _deep_merge(merged[key], value)
        else:
            merged[key] = value
    return merged


def _leaf_paths(fields: Mapping[str, Any], prefix: str = "") -> Iterator[str]:
    """Dotted paths of every value an override sets (mappings are descended)."""
    for key, value in fields.items():
        path = f"{prefix}{key}"
        if isinstance(value, Mapping):
            yield from _leaf_paths(value, path + ".")
        else:
            yield path


def _vouch(merged: dict[str, Any], fields: Mapping[str, Any]) -> dict[str, Any]:
    """Drop ``unverified`` flags for figures the user's own file replaced."""
    flags = merged.get("unverified")
    if "unverified" in fields or not isinstance(flags, list | tuple):
        return merged
    touched = list(_leaf_paths(fields))
    kept = [
        flag
        for flag in flags
        if not any(flag == t or str(flag).startswith(t + ".") for t in touched)
    ]
    return {**merged, "unverified": kept}
