"""Share and keep a scenario: a link that restores it, the YAML file, the break-even CSV.

The link carries the scenario in the ``scenario`` query parameter as compact
JSON — plain data validated by the same strict schema as a scenario file,
never pickle — compressed with zlib and base64url-encoded behind the version
prefix ``z1.`` (``.`` is not a base64url character, so the prefix cannot be
mistaken for data). Links made before compression, base64url JSON without a
prefix, still open. A parameter that is too long, damaged, not JSON or not a
valid scenario is reported in one sentence.

Length. A web server refuses an address far longer than :data:`MAX_PARAM_CHARS`
before the dashboard sees it (the page then fails to load at all), so the
dashboard never puts a longer link in the address bar: for such a scenario it
says so and offers the scenario file instead (:func:`link_problem`).
"""

from __future__ import annotations

import base64
import binascii
import json
import zlib
from collections.abc import MutableMapping
from typing import Any

import streamlit as st

from costmodel.engine.evaluate import ScenarioResult
from costmodel.errors import CostModelError, ScenarioError
from costmodel.parsing import loads_json
from costmodel.report.export import breakeven_csv, schedule_csv
from costmodel.report.numbers import count
from costmodel.scenario import Scenario, dump_scenario, scenario_from_dict, scenario_to_dict
from ui import state as ui_state
from ui.results import md
from ui.uploads import file_digest, read_scenario

PARAM = "scenario"
MAX_PARAM_CHARS = 32_000
# Compressed JSON expands by a bounded factor for real scenarios; a link that
# would expand past this is refused before it is read, so no small link can
# become a large document in memory.
MAX_JSON_BYTES = 2**20
COMPRESSED = "z1."
LOADED = "_scenario_upload"


def encode(scenario: Scenario) -> str:
    """The scenario as a URL-safe string: ``z1.`` and base64url of the zlib-compressed JSON."""
    text = json.dumps(scenario_to_dict(scenario), separators=(",", ":"), ensure_ascii=False)
    packed = zlib.compress(text.encode("utf-8"), 9)
    return COMPRESSED + base64.urlsafe_b64encode(packed).decode("ascii").rstrip("=")


def decode(param: str) -> Scenario:
    """The scenario a share link carries; ``ScenarioError`` says what is wrong with it."""
    if len(param) > MAX_PARAM_CHARS:
        raise ScenarioError(
            f"the shared link is too long ({len(param):,} characters; at most {MAX_PARAM_CHARS:,})"
        )
    compressed = param.startswith(COMPRESSED)
    body = param.removeprefix(COMPRESSED)
    try:
        raw = base64.urlsafe_b64decode(body + "=" * (-len(body) % 4))
        if compressed:
            raw = _inflate(raw)
        data = loads_json(raw.decode("utf-8"))
    except (json.JSONDecodeError, UnicodeDecodeError, zlib.error):
        raise ScenarioError("the shared link is damaged: its scenario cannot be read") from None
    except (binascii.Error, ValueError) as exc:
        reason = "it is not base64" if isinstance(exc, binascii.Error) else str(exc)
        raise ScenarioError(f"the shared link cannot be read: {reason}") from None
    if not isinstance(data, dict):
        raise ScenarioError("the shared link does not hold a scenario")
    return scenario_from_dict(data, "shared link")


def _inflate(packed: bytes) -> bytes:
    """Decompressed link data, refused once it passes :data:`MAX_JSON_BYTES`."""
    inflater = zlib.decompressobj()
    raw = inflater.decompress(packed, MAX_JSON_BYTES + 1)
    if len(raw) > MAX_JSON_BYTES:
        raise ValueError(f"it expands to over {MAX_JSON_BYTES // 2**20} MB")
    if not inflater.eof:
        raise zlib.error("truncated")
    return raw


def link_problem(link: str) -> str:
    """Why the dashboard does not offer ``link`` as a link, or ``""`` when it does.

    >>> link_problem("z1.abc")
    ''
    >>> link_problem("z1." + "a" * 40_000)[:60]
    'This scenario is too large for a link (40,003 characters aft'
    """
    if len(link) <= MAX_PARAM_CHARS:
        return ""
    return (
        f"This scenario is too large for a link ({count(len(link))} characters after "
        f"compression; a link holds at most {count(MAX_PARAM_CHARS)}). Download the scenario "
        "file instead and open it here with “Open a scenario file”."
    )


def sync_link(scenario: Scenario) -> None:
    """Keep the address bar equal to the scenario on screen, so copying it shares it."""
    value = encode(scenario)
    if link_problem(value):
        # A longer address would be refused by the server: keep none rather than
        # a stale one (the Save tab says why and offers the file).
        if PARAM in st.query_params:
            del st.query_params[PARAM]
    elif st.query_params.get(PARAM) != value:
        st.query_params[PARAM] = value


def render_upload(state: MutableMapping[str, Any]) -> None:
    """Load a scenario YAML file into every control (before the controls are drawn)."""
    upload = st.file_uploader(
        "Open a scenario file (YAML)",
        type=["yaml", "yml"],
        key="scenario_file",
        help="A file saved from here or written for the command line.",
    )
    if upload is None:
        return
    data = upload.getvalue()
    digest = file_digest(data)
    if state.get(LOADED, ("", ""))[0] != digest:
        try:
            ui_state.load_into(state, read_scenario(data, upload.name))
        except CostModelError as exc:
            state[LOADED] = (digest, str(exc))
        else:
            state[LOADED] = (digest, "")
    problem = state[LOADED][1]
    if problem:
        st.error(md(f"This scenario was not loaded: {problem}"))
    else:
        st.success(md(f"Loaded {upload.name}."))


def render_downloads(scenario: Scenario, result: ScenarioResult | None) -> None:
    """The scenario file, the break-even CSV and the share link."""
    slug = _slug(scenario.name)
    files = [
        (
            "Download scenario (YAML)",
            dump_scenario(scenario),
            f"{slug}.yaml",
            "application/x-yaml",
            "download_scenario",
            "Open it here later, or run `costmodel breakeven --scenario` on it.",
        )
    ]
    if result is not None:
        files += [
            (
                "Download break-even (CSV)",
                breakeven_csv(result),
                f"{slug}-breakeven.csv",
                "text/csv",
                "download_csv",
                "The same file `costmodel breakeven --scenario … --out` writes.",
            ),
            (
                "Download schedule (CSV)",
                schedule_csv(result),
                f"{slug}-schedule.csv",
                "text/csv",
                "download_schedule",
                "Month by month, per option: requests, each cost part and the running total "
                "(`costmodel breakeven --schedule` writes the same file).",
            ),
        ]
    for column, (label, data, name, mime, widget_key, help_text) in zip(
        st.columns(3), files, strict=False
    ):
        column.download_button(
            label,
            data,
            file_name=name,
            mime=mime,
            key=widget_key,
            on_click="ignore",
            help=help_text,
        )
    link = encode(scenario)
    problem = link_problem(link)
    if problem:
        st.warning(md(problem))
        return
    st.caption("Share link: the address bar always holds this scenario. Copy it, or this:")
    page = (st.context.url or "").split("?")[0]
    st.code(f"{page}?{PARAM}={link}", language=None, wrap_lines=False)


def _slug(name: str) -> str:
    """A file name from a scenario name: letters, digits and dashes.

    >>> _slug("Support-ticket classifier!")
    'support-ticket-classifier'
    """
    words = "".join(c.lower() if c.isalnum() else " " for c in name).split()
    return "-".join(words) or "scenario"
