"""The share-link encoding: compressed JSON in base64url, strictly validated on the way back."""

from __future__ import annotations

import base64
import json
import random
import zlib

import pytest
from streamlit.testing.v1 import AppTest

from costmodel.demo import demo_scenario
from costmodel.errors import ScenarioError
from costmodel.scenario import Scenario, scenario_to_dict
from ui.share import MAX_PARAM_CHARS, decode, encode, link_problem

BASE64URL = set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")


def test_a_link_gives_back_the_scenario() -> None:
    scenario = demo_scenario()
    link = encode(scenario)
    assert link.startswith("z1.") and set(link[3:]) <= BASE64URL
    assert decode(link) == scenario


def test_a_link_made_before_compression_still_opens() -> None:
    scenario = demo_scenario()
    text = json.dumps(scenario_to_dict(scenario), separators=(",", ":"))
    old = base64.urlsafe_b64encode(text.encode()).decode().rstrip("=")
    assert decode(old) == scenario
    assert len(encode(scenario)) < len(old) / 2  # the demo's link is less than half as long


def _z1(data: bytes) -> str:
    return "z1." + base64.urlsafe_b64encode(data).decode().rstrip("=")


@pytest.mark.parametrize(
    ("param", "words"),
    [
        ("%%%", "damaged"),
        (base64.urlsafe_b64encode(b"\xff\xfe").decode(), "damaged"),
        (base64.urlsafe_b64encode(b"[1, 2]").decode(), "does not hold a scenario"),
        (base64.urlsafe_b64encode(b'{"strategies": []}').decode(), "strategies"),
        (base64.urlsafe_b64encode(b"cos\nsystem\n(S'ls'\ntR.").decode(), "damaged"),
        ("A" * (MAX_PARAM_CHARS + 1), "too long"),
        (_z1(b"not zlib"), "damaged"),
        (_z1(zlib.compress(b'{"name": "x"}')[:-3]), "damaged"),
        (_z1(zlib.compress(b"[" + b" " * 3 * 2**20 + b"]", 9)), "expands to over 1 MB"),
    ],
)
def test_a_bad_link_says_what_is_wrong(param: str, words: str) -> None:
    with pytest.raises(ScenarioError, match=words):
        decode(param)


def _huge(seed: int = 1) -> Scenario:
    """The demo under a name of 60,000 random letters: no compression makes it a short link."""
    rng = random.Random(seed)
    name = "".join(rng.choice("abcdefghijklmnopqrstuvwxyz") for _ in range(60_000))
    return demo_scenario().model_copy(update={"name": name})


def test_only_a_link_the_server_accepts_is_offered() -> None:
    assert link_problem(encode(demo_scenario())) == ""
    huge = encode(_huge())
    assert len(huge) > MAX_PARAM_CHARS
    assert "too large for a link" in link_problem(huge)
    assert "Download the scenario file" in link_problem(huge)


def _page(huge: bool) -> None:
    import random

    from costmodel.demo import demo_scenario
    from ui import share

    scenario = demo_scenario()
    if huge:
        rng = random.Random(1)
        name = "".join(rng.choice("abcdefghijklmnopqrstuvwxyz") for _ in range(60_000))
        scenario = scenario.model_copy(update={"name": name})
    share.sync_link(scenario)
    share.render_downloads(scenario, None)


def test_a_scenario_too_large_for_a_link_says_so_and_leaves_the_address_bare() -> None:
    at = AppTest.from_function(_page, kwargs={"huge": True}, default_timeout=60)
    at.query_params["scenario"] = encode(demo_scenario())  # an older, now stale link
    at.run()
    assert not at.exception
    assert "too large for a link" in at.warning[0].value
    assert "scenario" not in at.query_params
    assert not at.code


def test_a_scenario_that_fits_is_in_the_address_bar() -> None:
    at = AppTest.from_function(_page, kwargs={"huge": False}, default_timeout=60)
    at.run()
    assert not at.exception and not at.warning
    assert decode(at.query_params["scenario"]) == demo_scenario()
    assert at.code[0].value.endswith(at.query_params["scenario"])
