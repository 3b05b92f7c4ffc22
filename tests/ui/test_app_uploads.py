"""Uploads: good files fill the controls with the engine's counts; bad ones are explained."""

from __future__ import annotations

import json
import math
from pathlib import Path

from app_helpers import demo_data, edit_option, expected, fresh_app, headline, plain, shown, texts

from costmodel.engine.training import estimate_from_file
from costmodel.prices.catalog import load_catalog
from costmodel.tokens.stats import token_stats

TICKETS = [
    ("I was charged twice for order 1182.", "billing"),
    ("The parcel never arrived and tracking is stuck.", "shipping"),
    ("I cannot log in after resetting my password.", "account"),
    ("Please cancel my subscription box from next month.", "billing"),
]
SYSTEM = "You label support tickets for a shop. Categories: billing, shipping, account. " * 8


def _samples_jsonl() -> bytes:
    lines = [
        json.dumps(
            {
                "long_prompt": f"{SYSTEM}\nTicket: {text}",
                "short_prompt": f"Label: {text}",
                "output": json.dumps({"category": label}),
            }
        )
        for text, label in TICKETS * 5
    ]
    return "\n".join(lines).encode()


def _training_jsonl(examples: int) -> bytes:
    rows = []
    for i in range(examples):
        text, label = TICKETS[i % len(TICKETS)]
        rows.append(
            json.dumps(
                {
                    "messages": [
                        {"role": "system", "content": "Label the ticket."},
                        {"role": "user", "content": f"{text} (case {i})"},
                        {"role": "assistant", "content": label},
                    ]
                }
            )
        )
    return "\n".join(rows).encode()


def test_sample_prompts_fill_the_token_figures(tmp_path: Path) -> None:
    data = _samples_jsonl()
    at = fresh_app("Your data")
    at.file_uploader(key="samples_file").set_value(("mine.jsonl", data, "application/json"))
    at.run()
    assert not at.exception and not at.error
    path = tmp_path / "mine.jsonl"
    path.write_bytes(data)
    scenario = demo_data()
    scenario["strategies"][0]["tokens"].update(samples=str(path), samples_column="long")
    scenario["strategies"][1]["tokens"].update(samples=str(path), samples_column="short")
    want = expected(scenario)
    assert shown(at) == headline(want)
    base = want.tokens["Long prompt on GPT-6.1 Terra"]
    ft = want.tokens["Fine-tuned Nova Micro, short prompt"]
    assert at.number_input(key="base_prompt_tokens").value == base.prompt
    assert at.number_input(key="base_prefix_tokens").value == base.cacheable_prefix
    assert at.session_state["ft_prompt_tokens"] == ft.prompt
    assert at.session_state["ft_output_tokens"] == ft.output
    assert any(m.label == "Records" and m.value == "20" for m in at.metric)
    assert at.get("plotly_chart")  # the histogram is drawn
    assert "Tokens: mine.jsonl (20 records, o200k_base)" in texts(at.caption)
    edit_option(at, "ft").number_input(key="ft_prompt_tokens").set_value(70).run()
    assert "Tokens: edited after counting mine.jsonl" in texts(at.caption)


def test_a_text_file_changes_only_the_long_prompt(tmp_path: Path) -> None:
    data = b"First long prompt about billing.\n---\nSecond, a little longer, about shipping.\n"
    at = fresh_app("Your data")
    at.file_uploader(key="samples_file").set_value(("mine.txt", data, "text/plain")).run()
    path = tmp_path / "mine.txt"
    path.write_bytes(data)
    scenario = demo_data()
    scenario["strategies"][0]["tokens"].update(samples=str(path), samples_column="long")
    # No output column: the engine keeps the scenario's output figure, and so must the page.
    assert shown(at) == headline(expected(scenario))
    # ... and says which figures are still the demo's next to the user's file
    leftovers = [plain(w.value) for w in at.warning if "still the demo's" in plain(w.value)]
    assert leftovers == [
        "Next to your mine.txt, these figures are still the demo's: short prompt, "
        "output length, training plan. Set them in the sidebar or upload a file that has them."
    ]


def test_a_large_sample_file_shows_progress() -> None:
    data = b"\n".join([_samples_jsonl()] * 200)
    at = fresh_app("Your data")
    at.file_uploader(key="samples_file").set_value(("big.jsonl", data, "application/json"))
    at.run()
    assert [p.value for p in at.get("progress")] == [100]
    assert any(m.label == "Records" and m.value == "4,000" for m in at.metric)


def test_a_bad_sample_file_is_explained_and_changes_nothing() -> None:
    at = fresh_app("Your data")
    before = shown(at)
    bad = "prompt\ncaf\xe9 au lait\n".encode("cp1252")
    at.file_uploader(key="samples_file").set_value(("legacy.csv", bad, "text/csv")).run()
    assert not at.exception
    assert "UTF-8" in texts(at.error)
    assert shown(at) == before
    at.select_slider(key="monthly_requests").set_value(2_000_000).run()
    scenario = demo_data()
    scenario["workload"]["requests_per_month"] = 2e6
    assert shown(at) == headline(expected(scenario))


def test_a_training_file_fills_the_training_plan(tmp_path: Path) -> None:
    data = _training_jsonl(40)
    at = fresh_app("Your data")
    at.file_uploader(key="training_file").set_value(("train.jsonl", data, "application/json"))
    at.run()
    assert not at.exception and not at.error
    path = tmp_path / "train.jsonl"
    path.write_bytes(data)
    counted = estimate_from_file(path, "o200k_base", "auto", None)
    per_example = math.ceil(counted.billing_tokens_per_epoch / counted.examples)
    assert at.session_state["ft_examples"] == 40
    assert at.session_state["ft_tokens_per_example"] == per_example
    scenario = demo_data()
    scenario["strategies"][1]["training"].update(examples=40, tokens_per_example=per_example)
    assert shown(at) == headline(expected(scenario))
    # 40 examples: enough to train, too few for reliable gains.
    assert "40 training examples" in texts(at.markdown)


def test_training_format_errors_are_listed(tmp_path: Path) -> None:
    good = _training_jsonl(12)
    data = good + b'\n{"messages": [{"role": "user", "content": "no answer"}]}\nnot json\n'
    at = fresh_app("Your data")
    at.file_uploader(key="training_file").set_value(("train.jsonl", data, "application/json"))
    at.run()
    assert not at.exception
    problems = texts(at.error)
    assert "reject line 13: no assistant message" in problems
    assert "reject line 14: line 14 is not valid JSON" in problems
    path = tmp_path / "train.jsonl"
    path.write_bytes(data)
    counted = estimate_from_file(path, "o200k_base", "auto", None)
    assert at.session_state["ft_examples"] == counted.examples


def test_a_pricing_file_is_layered_over_the_catalog() -> None:
    text = "provider: vertex\nmodels:\n  gemini-2.5-flash:\n    inference:\n"
    text += "      input_usd_per_mtok: 0.6\n      cached_input_usd_per_mtok: 0.06\n"
    at = fresh_app("Prices")
    at.file_uploader(key="pricing_file").set_value(("mine.yaml", text.encode(), "text/yaml"))
    at.run()
    assert not at.exception and not at.error
    catalog = load_catalog(uploads=[("mine.yaml", text)])
    assert shown(at) == headline(expected(demo_data(), catalog))


def test_a_bad_pricing_file_is_explained_and_the_shipped_prices_stay() -> None:
    text = b"provider: vertex\nmodels:\n  gemini-2.5-flash:\n    inference:\n      input: -1\n"
    at = fresh_app("Prices")
    before = shown(at)
    at.file_uploader(key="pricing_file").set_value(("mine.yaml", text, "text/yaml")).run()
    assert not at.exception
    assert "not used" in plain(at.error[0].value)
    assert "gemini-2.5-flash" in plain(at.error[0].value)
    assert shown(at) == before


def test_short_prompts_from_their_own_file_set_every_fine_tuned_option(tmp_path: Path) -> None:
    lines = [json.dumps({"prompt": f"Label: {text}"}) for text, _ in TICKETS * 3]
    data = "\n".join(lines).encode()
    at = fresh_app("Your data")
    at.file_uploader(key="short_samples_file").set_value(("short.jsonl", data, "text/plain"))
    at.run()
    assert not at.exception and not at.error
    path = tmp_path / "short.jsonl"
    path.write_bytes(data)
    # the reference: the tokens module's own mean of the file, with the fine-tuned tokenizer
    mean = token_stats(path, model="amazon.nova-micro-v1:0").columns["long"].mean
    scenario = demo_data()
    for strategy in scenario["strategies"][1:]:
        strategy["tokens"].update(prompt_tokens=mean, cacheable_prefix_tokens=0.0)
    assert at.session_state["ft_prompt_tokens"] == at.session_state["s2_prompt_tokens"] == mean
    assert shown(at) == headline(expected(scenario))
    assert "Short prompts: short.jsonl (12 records)" in texts(at.caption)


def test_a_refused_file_after_a_good_one_leaves_the_good_ones_figures_in_use() -> None:
    at = fresh_app("Your data")
    at.file_uploader(key="samples_file").set_value(("good.jsonl", _samples_jsonl(), "x")).run()
    before = shown(at)
    garbage = b'{"prompt": "fine"}\n\x00\x01binary'
    at.file_uploader(key="samples_file").set_value(("bad.jsonl", garbage, "x")).run()
    assert not at.exception
    error = plain(at.error[0].value)
    assert error.startswith("bad.jsonl could not be counted: ")
    assert error.endswith("So the figures still come from good.jsonl.")
    assert "bad.jsonl: " not in error  # the file is named once
    assert not at.get("progress")  # no bar left counting a file that was refused
    assert shown(at) == before
    assert "Tokens: good.jsonl (20 records, o200k_base)" in texts(at.caption)  # the strip agrees
    assert any(m.label == "Records" and m.value == "20" for m in at.metric)  # and the data tab
    at.file_uploader(key="samples_file").set_value(None).run()  # the bad file taken away
    assert not at.error and shown(at) == before


def test_a_refused_pricing_file_after_a_good_one_keeps_the_good_prices() -> None:
    good = "provider: vertex\nmodels:\n  gemini-2.5-flash:\n    inference:\n"
    good += "      input_usd_per_mtok: 0.6\n      cached_input_usd_per_mtok: 0.06\n"
    at = fresh_app("Prices")
    at.file_uploader(key="pricing_file").set_value(("mine.yaml", good.encode(), "x")).run()
    before = shown(at)
    bad = b"provider: vertex\nmodels:\n  gemini-2.5-flash:\n    inference:\n      input: -1\n"
    at.file_uploader(key="pricing_file").set_value(("bad.yaml", bad, "x")).run()
    error = plain(at.error[0].value)
    assert error.startswith("Your prices in bad.yaml were not used: ")
    assert error.endswith("So the prices of mine.yaml stay.")
    assert "Prices from mine.yaml are layered over the shipped catalog." in texts(at.success)
    assert shown(at) == before
