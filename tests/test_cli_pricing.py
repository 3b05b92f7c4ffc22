"""``costmodel pricing validate | list | docs``: exact exit codes and output.

Listings use a made-up provider layered over the shipped tables with
``--pricing`` and a fixed ``--today``, so every expected line is written here.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from costmodel.cli import main

ROOT = Path(__file__).resolve().parent.parent
SHIPPED = sorted((ROOT / "pricing").glob("*.yaml"))
TODAY = "2026-11-24"

DEMO = """\
provider: demo
provider_name: Demo Cloud
models:
  big-1:
    name: Big 1
    source_url: https://example.com/pricing
    as_of: 2026-11-01
    unverified: [fine_tuning.training.usd_per_mtok]
    lifecycle: {training_ends: 2027-01-06, retires: 2027-01-14}
    inference: {input_usd_per_mtok: 2, cached_input_usd_per_mtok: 0.5, output_usd_per_mtok: 8}
    fine_tuning:
      methods: [sft]
      training: {usd_per_mtok: 25}
      inference: {input_usd_per_mtok: 3, cached_input_usd_per_mtok: 0.75, output_usd_per_mtok: 12}
  tiny-2:
    name: Tiny 2
    source_url: https://example.com/pricing
    as_of: 2026-03-01
    inference: {input_usd_per_mtok: 0.035, output_usd_per_mtok: 0.14}
  big-1-gpu:
    name: Big 1 on a GPU
    source_url: https://example.com/gpu
    as_of: 2026-11-01
    fine_tuning:
      methods: [rft]
      base_model: big-1
      training: {usd_per_hour: 100}
      serving: {mode: dedicated, gpu_usd_per_hour: 8, gpu_type: H100}
"""

HEADER = (
    "PROVIDER  MODEL      ROLE              IN  CACHED    OUT   FT TRAIN  FT IN  FT OUT  "
    "FT SERVING              AVAILABLE TO                                    AS OF (AGE)"
    "               FLAGS"
)
# big-1 is 23 days old on 2026-11-24 (2026-11-01 + 23), and its training closes first.
BIG = (
    "demo      big-1      fine-tunable   $2.00   $0.50  $8.00  $25.00/1M  $3.00  $12.00  "
    "serverless              new customers; training closed from 2027-01-06  2026-11-01 (23 d)"
    "         unverified, retires 2027-01-14, training closes 2027-01-06"
)
# tiny-2: 30 + 30 + 31 + 30 + 31 + 31 + 30 + 31 + 24 = 268 days since 2026-03-01, over 90: stale.
TINY = (
    "demo      tiny-2     base          $0.035       –  $0.14          –      –       –  "
    "–                       new customers                                   2026-03-01 (268 d)"
    " stale  –"
)
GPU = (
    "demo      big-1-gpu  fine-tunable   $2.00   $0.50  $8.00  $100.00/h      –       –  "
    "dedicated H100 $8.00/h  new customers                                   2026-11-01 (23 d)"
    "         –"
)
ALL_BUYABLE = "every model listed can be bought by a new customer on 2026-11-24"


@pytest.fixture
def demo(tmp_path: Path) -> Path:
    path = tmp_path / "demo.yaml"
    path.write_text(DEMO, encoding="utf-8")
    return path


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(["pricing", *argv])
    out = capsys.readouterr()
    return code, out.out, out.err


def shipped_counts() -> tuple[int, int]:
    """Models and fine-tunable models, counted straight from the YAML files."""
    models = [m for f in SHIPPED for m in yaml.safe_load(f.read_text("utf-8"))["models"].values()]
    return len(models), sum(1 for m in models if "fine_tuning" in m)


# --- validate -----------------------------------------------------------------------------------


def test_validate_the_shipped_tables(capsys) -> None:
    total, tunable = shipped_counts()
    code, out, err = run(capsys, "validate")
    assert (code, err) == (0, "")
    assert out == (
        f"pricing OK: 9 shipped files; 9 providers, {total} models "
        f"({total - tunable} base, {tunable} fine-tunable)\n"
    )


def test_validate_a_user_file_layered_over_the_shipped_tables(capsys, demo: Path) -> None:
    total, tunable = shipped_counts()
    code, out, _ = run(capsys, "validate", str(demo))
    assert code == 0
    assert out == (
        f"pricing OK: 9 shipped files + 1 user file; 10 providers, {total + 3} models "
        f"({total + 1 - tunable} base, {tunable + 2} fine-tunable)\n"
    )


def test_validate_accepts_a_partial_override_of_a_shipped_model(capsys, tmp_path: Path) -> None:
    partial = tmp_path / "cheaper.yaml"
    partial.write_text(
        "provider: openai\nmodels:\n  gpt-4.1-2025-04-14:\n"
        "    fine_tuning: {training: {usd_per_mtok: 20}}\n",
        encoding="utf-8",
    )
    code, out, _ = run(capsys, "validate", str(partial))
    assert code == 0
    assert "+ 1 user file;" in out


def test_validate_prints_suspicious_figures_as_warnings(capsys, tmp_path: Path) -> None:
    odd = tmp_path / "odd.yaml"
    odd.write_text(DEMO.replace("output_usd_per_mtok: 0.14", "output_usd_per_mtok: 0.01"), "utf-8")
    code, out, _ = run(capsys, "validate", str(odd))
    assert code == 0
    assert out.splitlines()[0] == (
        "warning: demo/tiny-2: base prices: output is cheaper than input (columns swapped?)"
    )


def test_validate_reports_broken_yaml_with_exit_2(capsys, tmp_path: Path) -> None:
    broken = tmp_path / "broken.yaml"
    broken.write_text("provider: demo\nmodels:\n  x: [1, 2\n", encoding="utf-8")
    code, out, err = run(capsys, "validate", str(broken))
    assert (code, out) == (2, "")
    assert err.startswith(f"costmodel: error: {broken}: line 4: invalid YAML: ")
    assert err.count("\n") == 1


def test_validate_names_file_model_and_field_of_a_bad_price(capsys, tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text(DEMO.replace("input_usd_per_mtok: 0.035", "input_usd_per_mtok: -0.035"), "utf-8")
    code, _, err = run(capsys, "validate", str(bad))
    assert code == 2
    assert err == (
        f"costmodel: error: {bad}: model tiny-2: field inference.input_usd_per_mtok: "
        "Input should be greater than or equal to 0 (got -0.035)\n"
    )


def test_validate_a_missing_path(capsys, tmp_path: Path) -> None:
    code, _, err = run(capsys, "validate", str(tmp_path / "nope.yaml"))
    assert code == 2
    assert err == f"costmodel: error: {tmp_path / 'nope.yaml'}: no such pricing file or folder\n"


# --- list ---------------------------------------------------------------------------------------


def test_list_prints_a_money_table_with_flags(capsys, demo: Path) -> None:
    code, out, err = run(
        capsys, "list", "--pricing", str(demo), "--provider", "demo", "--today", TODAY
    )
    assert (code, err) == (0, "")
    assert out.splitlines() == [HEADER, BIG, TINY, GPU, ALL_BUYABLE]


def test_list_filters_by_role(capsys, demo: Path) -> None:
    argv = ["list", "--pricing", str(demo), "--provider", "demo", "--today", TODAY]
    _, base_only, _ = run(capsys, *argv, "--role", "base")
    assert [line.split()[1] for line in base_only.splitlines()[1:-1]] == ["tiny-2"]
    _, tunable, _ = run(capsys, *argv, "--role", "fine-tunable")
    assert [line.split()[1] for line in tunable.splitlines()[1:-1]] == ["big-1", "big-1-gpu"]


def test_list_stale_days_moves_the_staleness_line(capsys, demo: Path) -> None:
    argv = ["list", "--pricing", str(demo), "--provider", "demo", "--today", TODAY, "--json"]
    # tiny-2 is 268 days old and big-1 23 days old on 2026-11-24
    code, out, _ = run(capsys, *argv, "--stale-days", "268")
    assert code == 0
    assert not any("stale" in row["flags"] for row in json.loads(out))
    _, out, _ = run(capsys, *argv, "--stale-days", "22")
    assert [row["model"] for row in json.loads(out) if "stale" in row["flags"]] == [
        "big-1",
        "tiny-2",
        "big-1-gpu",
    ]


def test_list_json_carries_numbers_and_the_base_of_a_separate_fine_tune(capsys, demo) -> None:
    code, out, _ = run(
        capsys, "list", "--pricing", str(demo), "--provider", "demo", "--today", TODAY, "--json"
    )
    assert code == 0
    rows = {row["model"]: row for row in json.loads(out)}
    assert rows["big-1"]["ft_cached_input_usd_per_mtok"] == 0.75
    assert rows["big-1"]["training_usd_per_mtok"] == 25
    assert rows["big-1"]["base_model"] is None
    assert rows["big-1"]["flags"] == [
        "unverified",
        "retires 2027-01-14",
        "training closes 2027-01-06",
    ]
    gpu = rows["big-1-gpu"]
    assert gpu["base_model"] == "demo/big-1"
    assert (gpu["input_usd_per_mtok"], gpu["output_usd_per_mtok"]) == (2, 8)
    assert (gpu["training_usd_per_hour"], gpu["ft_input_usd_per_mtok"]) == (100, None)
    assert gpu["ft_serving"] == "dedicated H100 $8.00/h"
    assert gpu["as_of"] == "2026-11-01"
    assert rows["tiny-2"]["cached_input_usd_per_mtok"] is None


def test_list_marks_a_past_shutdown_as_retired(capsys, demo: Path) -> None:
    argv = ["list", "--pricing", str(demo), "--provider", "demo", "--today", "2027-02-01"]
    code, out, _ = run(capsys, *argv, "--all-models")
    assert code == 0
    assert out.splitlines()[1].endswith("retired 2027-01-14, training closed 2027-01-06")
    assert "  retired  " in out.splitlines()[1]


def test_list_hides_what_a_new_customer_cannot_buy_and_says_so(capsys, demo: Path) -> None:
    argv = ["list", "--pricing", str(demo), "--provider", "demo", "--today", "2027-02-01"]
    _, out, _ = run(capsys, *argv)
    # big-1 retired on 2027-01-14; the GPU fine-tune runs its own weights and stays.
    assert [line.split()[1] for line in out.splitlines()[1:-1]] == ["tiny-2", "big-1-gpu"]
    assert out.splitlines()[-1] == (
        "1 more model cannot be bought by a new customer on 2027-02-01; --all-models lists it"
    )
    _, out, _ = run(capsys, *argv, "--json")
    assert [row["model"] for row in json.loads(out)] == ["tiny-2", "big-1-gpu"]


def test_list_json_carries_availability_and_age(capsys, demo: Path) -> None:
    argv = ["list", "--pricing", str(demo), "--provider", "demo", "--today", TODAY, "--json"]
    _, out, _ = run(capsys, *argv)
    big = {row["model"]: row for row in json.loads(out)}["big-1"]
    assert big["availability"] == "available"
    assert big["next_change"] == {"on": "2027-01-06", "becomes": "training-closed"}
    assert (big["age_days"], big["stale"]) == (23, False)


def test_list_of_the_shipped_tables_covers_every_provider(capsys) -> None:
    code, out, _ = run(capsys, "list", "--json", "--today", TODAY)
    assert code == 0
    assert {row["provider"] for row in json.loads(out)} == {p.stem for p in SHIPPED}


def test_list_rejects_an_unknown_provider(capsys) -> None:
    code, out, err = run(capsys, "list", "--provider", "acme-nope")
    assert (code, out) == (2, "")
    assert err.startswith("costmodel: error: provider 'acme-nope' is not in the catalog; known: ")


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--stale-days", "-1"], "argument --stale-days: -1 is negative"),
        (["--stale-days", "soon"], "argument --stale-days: 'soon' is not a whole number"),
        (["--today", "24/11/2026"], "argument --today: '24/11/2026' is not a date like 2026-11-24"),
        (["--role", "tuned"], "argument --role: invalid choice: 'tuned'"),
    ],
)
def test_list_rejects_bad_options_with_exit_2(capsys, argv: list[str], message: str) -> None:
    with pytest.raises(SystemExit) as info:
        main(["pricing", "list", *argv])
    assert info.value.code == 2
    assert message in capsys.readouterr().err


# --- docs ---------------------------------------------------------------------------------------


def test_the_committed_docs_page_passes_the_check(capsys) -> None:
    page = ROOT / "docs" / "pricing.md"
    code, out, err = run(capsys, "docs", "--check", "--output", str(page))
    assert (code, err) == (0, "")
    assert out == f"{page} is up to date\n"


def test_docs_writes_a_page_that_then_passes_the_check(capsys, tmp_path: Path) -> None:
    page = tmp_path / "out" / "pricing.md"
    code, out, _ = run(capsys, "docs", "--output", str(page))
    assert (code, out) == (0, f"wrote {page}\n")
    text = page.read_text(encoding="utf-8")
    assert text.startswith("# Pricing catalog\n")
    assert "## OpenAI (`openai`)" in text
    assert "| `gpt-4.1-2025-04-14` | fine-tunable | $2.00 / $0.50 / $8.00 |" in text
    # availability is written with dates only, so the page never depends on the day it is read
    assert (
        "| released 2025-04-14; fine-tuning closed to new customers 2026-05-07; "
        "training ends 2027-01-06; base model retires 2027-01-14 |"
    ) in text
    assert run(capsys, "docs", "--check", "--output", str(page))[0] == 0


def test_docs_check_fails_on_an_edited_or_missing_page(capsys, tmp_path: Path) -> None:
    page = tmp_path / "pricing.md"
    run(capsys, "docs", "--output", str(page))
    page.write_text(page.read_text(encoding="utf-8").replace("$25.00/1M", "$24.00/1M"), "utf-8")
    code, out, err = run(capsys, "docs", "--check", "--output", str(page))
    assert (code, out) == (1, "")
    assert err == (
        f"costmodel: {page} is out of date with pricing/; "
        "run `costmodel pricing docs` and commit the result\n"
    )
    assert run(capsys, "docs", "--check", "--output", str(tmp_path / "absent.md"))[0] == 1


def test_list_flags_a_promotional_price_before_and_after_its_date(capsys, tmp_path: Path) -> None:
    promo = tmp_path / "promo.yaml"
    promo.write_text(
        DEMO.replace(
            "    as_of: 2026-03-01\n", "    as_of: 2026-11-01\n    promo_until: 2026-11-21\n"
        ),
        "utf-8",
    )
    argv = ["list", "--pricing", str(promo), "--provider", "demo", "--role", "base", "--json"]
    _, before, _ = run(capsys, *argv, "--today", "2026-11-20")
    _, after, _ = run(capsys, *argv, "--today", "2026-11-22")
    assert json.loads(before)[0]["flags"] == ["promo until 2026-11-21"]
    assert json.loads(after)[0]["flags"] == ["promo was promised until 2026-11-21"]


def test_list_flags_a_figure_another_source_disputes(capsys) -> None:
    # Together's Llama 3.3 70B: 1.04 kept, genai-prices' 0.88 recorded as disputed
    argv = ["list", "--provider", "together", "--today", "2026-12-01", "--all", "--json"]
    _, out, _ = run(capsys, *argv)
    rows = {row["model"]: row for row in json.loads(out)}
    assert "disputed" in rows["llama-3.3-70b-instruct-turbo"]["flags"]
    assert "disputed" not in rows["qwen3.5-9b"]["flags"]


def test_list_over_a_horizon_hides_what_closes_inside_it(capsys, demo: Path) -> None:
    # big-1's training closes on 2027-01-06 and the model retires on 2027-01-14: on
    # 2026-12-01 a new customer can buy it for the day, not for the two months to 2027-01-31.
    argv = ["list", "--pricing", str(demo), "--provider", "demo", "--today", "2026-12-01"]
    _, out, _ = run(capsys, *argv)
    assert "big-1" in [line.split()[1] for line in out.splitlines()[1:-1]]
    _, out, _ = run(capsys, *argv, "--months", "2")
    assert "big-1" not in [line.split()[1] for line in out.splitlines()[1:-1]]
    assert "and kept for 2 months; --all-models lists" in out.splitlines()[-1]
