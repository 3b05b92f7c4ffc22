"""The share-link encoding: plain JSON in base64url, strictly validated on the way back."""

from __future__ import annotations

import base64

import pytest

from costmodel.demo import demo_scenario
from costmodel.errors import ScenarioError
from ui.share import MAX_PARAM_CHARS, decode, encode


def test_a_link_gives_back_the_scenario() -> None:
    scenario = demo_scenario()
    link = encode(scenario)
    assert set(link) <= set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")
    assert decode(link) == scenario


@pytest.mark.parametrize(
    ("param", "words"),
    [
        ("%%%", "damaged"),
        (base64.urlsafe_b64encode(b"\xff\xfe").decode(), "damaged"),
        (base64.urlsafe_b64encode(b"[1, 2]").decode(), "does not hold a scenario"),
        (base64.urlsafe_b64encode(b'{"strategies": []}').decode(), "strategies"),
        (base64.urlsafe_b64encode(b"cos\nsystem\n(S'ls'\ntR.").decode(), "damaged"),
        ("A" * (MAX_PARAM_CHARS + 1), "too long"),
    ],
)
def test_a_bad_link_says_what_is_wrong(param: str, words: str) -> None:
    with pytest.raises(ScenarioError, match=words):
        decode(param)
