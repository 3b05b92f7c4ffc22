"""Expected figures for the dashboard tests, computed with ``costmodel`` alone.

Nothing here reads the app: each expectation is a scenario written as plain
data, evaluated by the engine and formatted with ``costmodel.report.numbers``.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from pathlib import Path
from typing import Any

from streamlit.testing.v1 import AppTest

from costmodel.demo import DEMO_DIR, demo_scenario
from costmodel.engine.evaluate import ScenarioResult, evaluate
from costmodel.prices.catalog import Catalog, load_catalog
from costmodel.report.numbers import count, money
from costmodel.scenario import scenario_from_dict, scenario_to_dict
from ui.results import BREAKEVEN, HORIZON, MONTHLY, ONE_TIME, PAYBACK

ROOT = Path(__file__).resolve().parents[2]
APP = str(ROOT / "app.py")
DEMO_SAMPLES = DEMO_DIR / "support_prompts.jsonl"
TODAY = dt.date.today()


@functools.cache
def shipped() -> Catalog:
    return load_catalog()


def fresh_app(tab: str | None = None) -> AppTest:
    """The dashboard after its first run, which must not raise, with ``tab`` open.

    Only the open tab runs, so a test of a tab's content opens that tab.
    """
    at = AppTest.from_file(APP, default_timeout=60)
    if tab is not None:
        at.session_state["open_tab"] = tab
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def open_tab(at: AppTest, tab: str) -> AppTest:
    """Switch the page to ``tab`` (as a click on it does) and run."""
    at.session_state["open_tab"] = tab
    return at.run()


def edit_option(at: AppTest, sid: str) -> AppTest:
    """Open option ``sid`` (``base``, ``ft``, ``s2``…) in the sidebar's editor and run."""
    return at.radio(key="editing_option").set_value(sid).run()


def demo_with_samples() -> dict[str, Any]:
    """The demo scenario reading its token figures from the bundled samples.

    The engine counts the file itself: the long prompt for the prompt
    strategy, the short prompt for every fine-tuned one.
    """
    data = scenario_to_dict(demo_scenario())
    for strategy in data["strategies"]:
        column = "long" if strategy["kind"] == "prompt" else "short"
        strategy["tokens"].update(samples=str(DEMO_SAMPLES), samples_column=column)
    return data


def demo_data() -> dict[str, Any]:
    """The same scenario with the engine's counts written in, ready to be edited."""
    data = demo_with_samples()
    counted = _demo_tokens()
    for strategy in data["strategies"]:
        t = counted[strategy["name"]]
        strategy["tokens"].update(
            samples=None,
            samples_column="long",
            prompt_tokens=t.prompt,
            cacheable_prefix_tokens=t.cacheable_prefix,
            output_tokens=t.output,
        )
    return data


@functools.cache
def _demo_tokens() -> dict[str, Any]:
    return expected(demo_with_samples()).tokens


def expected(data: dict[str, Any], catalog: Catalog | None = None) -> ScenarioResult:
    return evaluate(scenario_from_dict(data), catalog or shipped(), today=TODAY)


def headline(result: ScenarioResult) -> dict[str, str]:
    """The five figures as the page must show them."""
    c = result.primary
    words = {"breaks_even": count(c.breakeven.requests_per_month), "never": "never"}
    payback = (
        f"month {c.payback.month}"
        if c.payback.month is not None
        else f"not within {result.horizon.months} month{'s' if result.horizon.months != 1 else ''}"
    )
    return {
        BREAKEVEN: words[c.breakeven.status],
        PAYBACK: payback,
        MONTHLY: money(c.payback.monthly_savings_usd),
        ONE_TIME: money(c.b.one_time_usd),
        HORIZON: money(c.payback.cumulative_savings_usd),
    }


def shown(at: AppTest) -> dict[str, str]:
    """The headline figures on screen, by label."""
    wanted = {BREAKEVEN, PAYBACK, MONTHLY, ONE_TIME, HORIZON}
    return {m.label: m.value for m in at.metric if m.label in wanted}


def plain(text: str) -> str:
    r"""Markdown source as the reader sees it: backslash escapes removed.

    >>> plain("\\$5 \\[a\\]")
    '$5 [a]'
    """
    return re.sub(r"\\(.)", r"\1", text)


def texts(elements: Any) -> str:
    """Every element's text as the reader sees it, one line each."""
    return "\n".join(plain(e.value) for e in elements)


def verdict(at: AppTest) -> str:
    """The verdict sentence, Markdown escapes removed."""
    boxes = [*at.success, *at.warning]
    return plain(boxes[0].value)


def verdict_of(result: ScenarioResult) -> str:
    """The verdict sentence the page must show for ``result``."""
    from costmodel.report.wording import verdict as word

    return word(result.primary)
