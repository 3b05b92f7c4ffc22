"""The built-in demo scenario the dashboard opens on and ``scenario example`` prints."""

from __future__ import annotations

from pathlib import Path

from costmodel.scenario import Scenario, parse_scenario

DEMO_DIR = Path(__file__).parent
DEMO_SCENARIO = DEMO_DIR / "scenario.yaml"


def example_scenario_text() -> str:
    """The demo scenario with its explanatory comments."""
    return DEMO_SCENARIO.read_text(encoding="utf-8")


def demo_scenario() -> Scenario:
    return parse_scenario(example_scenario_text(), str(DEMO_SCENARIO))
