"""The breakdown table shows each option's running costs at the user's volume, GPUs included."""

from __future__ import annotations

from app_helpers import demo_with_samples, expected, fresh_app

from costmodel.engine.comparison import running_costs
from costmodel.report.numbers import money


def test_strategies_table_counts_dedicated_gpus():
    at = fresh_app("Breakdown")
    (table,) = [d.value for d in at.dataframe if "Dedicated GPUs" in d.value.columns]
    result = expected(demo_with_samples())
    with_gpus = [s for s in result.strategies if s.gpu is not None]
    assert with_gpus, "the demo compares a fine-tune on dedicated GPUs"
    for s in result.strategies:
        row = table[table["Option"] == s.name].iloc[0]
        running, gpus = running_costs(s, result.volume)
        assert row["Per month at your volume"] == money(running)
        assert row["Dedicated GPUs"] == (str(gpus) if s.gpu is not None else "–")
    gpu_row = table[table["Option"] == with_gpus[0].name].iloc[0]
    assert gpu_row["Per month at your volume"] != "$0.00"
