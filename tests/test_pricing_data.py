"""The shipped tables in pricing/: complete, coherent and true to the facts file.

Spot checks name their oracle: the vendor figures typed in by hand from the source
(compiled 2026-11-24) that the expected figure was copied from by hand.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
import yaml

from costmodel.prices.catalog import CatalogModel, load_catalog
from costmodel.prices.schema import InferencePrices
from costmodel.report.price_list import render_docs
from costmodel.tokens.tokenizers import tokenizer_for

ROOT = Path(__file__).resolve().parent.parent
PRICING = ROOT / "pricing"
FILES = sorted(PRICING.glob("*.yaml"))
FACTS_DATE = dt.date(2026, 11, 24)
CATALOG = load_catalog([PRICING])
MODELS = list(CATALOG.values())
TUNABLE = [m for m in MODELS if m.role == "fine-tunable"]


def ids(models: list[CatalogModel]) -> list[str]:
    return [m.key for m in models]


def raw(path: Path) -> dict[str, Any]:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def model(key: str) -> CatalogModel:
    return CATALOG[key]


def prices(key: str) -> InferencePrices:
    found = model(key).inference
    assert found is not None, f"{key} has no base prices"
    return found


def ft_prices(key: str) -> InferencePrices:
    found = model(key).ft_inference
    assert found is not None, f"{key} has no fine-tuned prices"
    return found


def triple(p: InferencePrices) -> tuple[float | None, float | None, float]:
    return (p.input_usd_per_mtok, p.cached_input_usd_per_mtok, p.output_usd_per_mtok)


# --- every file and every model -------------------------------------------------------------------


def test_the_expected_providers_are_shipped() -> None:
    assert [f.stem for f in FILES] == [
        "anthropic",
        "azure",
        "bedrock",
        "cohere",
        "fireworks",
        "mistral",
        "openai",
        "together",
        "vertex",
    ]


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_each_file_loads_on_its_own_and_is_named_after_its_provider(path: Path) -> None:
    cat = load_catalog([path])
    assert len(cat) > 0
    assert {m.provider for m in cat.values()} == {path.stem}


@pytest.mark.parametrize("m", TUNABLE, ids=ids(TUNABLE))
def test_fine_tunable_models_have_training_and_serving_prices(m: CatalogModel) -> None:
    ft = m.entry.fine_tuning
    assert ft is not None
    training = ft.training
    # A price, or a stated reason why there is none: never a silent zero.
    priced = (training.usd_per_mtok or 0) > 0 or (training.usd_per_hour or 0) > 0
    assert priced or training.price_not_public or training.free_reason
    if ft.serving.call_price_not_public:
        # no public price for calling it: the engine asks for the user's (never free)
        assert ft.serving.missing_price or m.ft_inference is None
    elif ft.serving.mode == "dedicated":
        assert (ft.serving.gpu_usd_per_hour or 0) > 0
    else:
        assert m.ft_inference is not None
        assert m.ft_inference.input_usd_per_mtok > 0 and m.ft_inference.output_usd_per_mtok > 0
    assert m.base_model_key is not None and CATALOG[m.base_model_key].inference is not None


@pytest.mark.parametrize("m", MODELS, ids=ids(MODELS))
def test_base_models_have_input_and_output_prices(m: CatalogModel) -> None:
    if m.role == "base":
        assert m.inference is not None
    for p in (m.inference, m.ft_inference):
        if p is not None:
            assert p.input_usd_per_mtok > 0 and p.output_usd_per_mtok > 0


def price_blocks(m: CatalogModel) -> list[Any]:
    """Every price block of a model: base, fine-tuned, batch and long-context tiers."""
    blocks: list[Any] = []
    for p in (m.inference, m.ft_inference):
        if p is not None:
            blocks += [p, *p.long_context]
            if p.batch is not None:
                blocks.append(p.batch)
    return blocks


@pytest.mark.parametrize("m", MODELS, ids=ids(MODELS))
def test_cached_input_never_costs_more_than_input(m: CatalogModel) -> None:
    for block in price_blocks(m):
        cached = block.cached_input_usd_per_mtok
        assert cached is None or cached <= block.input_usd_per_mtok


@pytest.mark.parametrize("m", MODELS, ids=ids(MODELS))
def test_dates_parse_and_are_not_after_the_facts_were_compiled(m: CatalogModel) -> None:
    e = m.entry
    assert isinstance(e.as_of, dt.date) and e.as_of <= FACTS_DATE
    for source in e.more_sources:
        assert isinstance(source.as_of, dt.date) and source.as_of <= FACTS_DATE
    life = e.lifecycle
    for date in (life.released, life.training_ends, life.retires, life.ft_retires):
        assert date is None or isinstance(date, dt.date)


@pytest.mark.parametrize("m", MODELS, ids=ids(MODELS))
def test_sources_are_web_urls(m: CatalogModel) -> None:
    urls = [m.entry.source_url, *(s.url for s in m.entry.more_sources)]
    assert all(u.scheme in ("http", "https") and u.host for u in urls)
    assert all(s.covers.strip() for s in m.entry.more_sources)


def walk(node: Any, path: str) -> Any:
    """Follow a dotted path through the raw YAML, independently of the schema code."""
    for step in path.split("."):
        if isinstance(node, dict) and step in node:
            node = node[step]
        elif isinstance(node, list) and step.isdigit() and int(step) < len(node):
            node = node[int(step)]
        else:
            return None
    return node


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_unverified_paths_name_figures_written_in_the_file(path: Path) -> None:
    for model_id, fields in raw(path)["models"].items():
        for flag in fields.get("unverified", []):
            value = walk(fields, flag)
            assert value not in (None, [], {}), f"{model_id}: {flag} is not set"


@pytest.mark.parametrize("m", MODELS, ids=ids(MODELS))
def test_every_model_has_a_tokenizer(m: CatalogModel) -> None:
    choice = tokenizer_for(m.model_id)
    assert "no tokenizer is known" not in choice.reason
    openai_family = m.provider == "openai" or m.model_id.startswith(("gpt-", "o3-", "o4-"))
    assert choice.approximate is not openai_family


def test_no_name_leads_to_two_models() -> None:
    assert [i.message for i in CATALOG.issues(FACTS_DATE) if i.kind == "ambiguous"] == []


def test_no_shipped_figure_looks_like_a_typo() -> None:
    assert [(i.key, i.message) for i in CATALOG.issues(FACTS_DATE) if i.kind == "odd"] == []


def test_the_generated_docs_page_is_current() -> None:
    committed = (ROOT / "docs" / "pricing.md").read_text(encoding="utf-8")
    assert committed == render_docs(CATALOG), "run `costmodel pricing docs` and commit the result"


# --- spot checks against the vendors' published figures ---------------------------------


def test_openai_gpt_4_1_fine_tuning() -> None:
    # OpenAI pricing page: training $25.00; FT 3.00 / 0.75 / 12.00, FT batch 1.50 / 0.50 / 6.00;
    # base 2.00 / 0.50 / 8.00; 65,536 tokens per example (Azure's table)
    key = "openai/gpt-4.1-2025-04-14"
    assert CATALOG.resolve("gpt-4.1").key == key
    ft = model(key).entry.fine_tuning
    assert ft is not None
    assert ft.training.usd_per_mtok == 25.00
    assert ft.training.max_tokens_per_example == 65536
    assert triple(ft_prices(key)) == (3.00, 0.75, 12.00)
    batch = ft_prices(key).batch
    assert batch is not None
    assert (batch.input_usd_per_mtok, batch.cached_input_usd_per_mtok) == (1.50, 0.50)
    assert batch.output_usd_per_mtok == 6.00
    assert triple(prices(key)) == (2.00, 0.50, 8.00)


def test_openai_lifecycle() -> None:
    # OpenAI deprecations notice: new FT jobs stop 2027-01-06; 4.1/4o shut down 2027-01-14;
    # gpt-4.1-nano and o4-mini shut down 2026-10-23
    for key in ("openai/gpt-4.1-2025-04-14", "openai/gpt-4o-mini-2024-07-18"):
        life = model(key).entry.lifecycle
        assert (life.training_ends, life.retires) == (dt.date(2027, 1, 6), dt.date(2027, 1, 14))
    for key in ("openai/gpt-4.1-nano-2025-04-14", "openai/o4-mini-2025-04-16"):
        assert model(key).entry.lifecycle.retires == dt.date(2026, 10, 23)


def test_openai_gpt_4o_fine_tune_has_no_batch_price_because_the_page_is_wrong() -> None:
    # OpenAI pricing page prints 2.225 / 0.90 / 12.50 for FT batch: a page error, not used
    assert ft_prices("openai/gpt-4o-2024-08-06").batch is None
    assert ft_prices("openai/gpt-4o-2024-08-06").batch_discount is None
    assert triple(ft_prices("openai/gpt-4o-2024-08-06")) == (3.75, 1.875, 15.00)


def test_openai_reinforcement_fine_tuning_is_billed_per_hour() -> None:
    # OpenAI pricing page: o4-mini RFT $100/hour; FT 4.00 / 1.00 / 16.00; with data sharing
    # 2.00 / 0.50 / 8.00
    ft = model("openai/o4-mini-2025-04-16").entry.fine_tuning
    assert ft is not None and ft.training.usd_per_hour == 100 and ft.methods == ("rft",)
    assert triple(ft_prices("openai/o4-mini-2025-04-16")) == (4.00, 1.00, 16.00)
    sharing = model("openai/o4-mini-2025-04-16-data-sharing")
    assert sharing.base_model_key == "openai/o4-mini-2025-04-16"
    assert triple(ft_prices(sharing.key)) == (2.00, 0.50, 8.00)


def test_openai_gpt_5_6_cache_writes_cost_a_quarter_more() -> None:
    # OpenAI pricing page: gpt-5.6-terra 2.00 / 0.20 / write 2.50 / 12.00,
    # batch 1.00 / 0.10 / 1.25 / 6.00; gpt-5.6-sol promo "until at least 2026-11-21"
    p = prices("openai/gpt-5.6-terra")
    assert triple(p) == (2.00, 0.20, 12.00)
    assert p.cache_write_usd_per_mtok == 2.50
    assert p.batch is not None and p.batch.cache_write_usd_per_mtok == 1.25
    assert model("openai/gpt-5.6-sol").entry.promo_until == dt.date(2026, 11, 21)


def test_no_gpt_5_or_6_model_is_fine_tunable() -> None:
    # OpenAI deprecations notice: no GPT-5.x / GPT-6 model is offered for fine-tuning
    gpt_next = [m for m in MODELS if m.model_id.startswith(("gpt-5", "gpt-6"))]
    assert len(gpt_next) == 10
    assert all(m.role == "base" for m in gpt_next)


def test_anthropic_claude_sonnet_4_6_cache_prices() -> None:
    # Anthropic pricing page: 3.00 in, 3.75 5m write, 6.00 1h write, 0.30 read, 15.00 out;
    # minimum cacheable 2,048
    p = prices("anthropic/claude-sonnet-4-6")
    assert triple(p) == (3.00, 0.30, 15.00)
    assert (p.cache_write_usd_per_mtok, p.cache_write_1h_usd_per_mtok) == (3.75, 6.00)
    assert p.min_cacheable_tokens == 2048
    assert p.batch_discount == 0.5


def test_anthropic_haiku_5_5_long_context_tier() -> None:
    # Anthropic pricing page: prompt >100K bills the whole request at 0.50 / 0.05 / 2.50
    (tier,) = prices("anthropic/claude-haiku-5-5").long_context
    assert tier.above_prompt_tokens == 100_000
    assert (tier.input_usd_per_mtok, tier.cached_input_usd_per_mtok) == (0.50, 0.05)
    assert tier.output_usd_per_mtok == 2.50


def test_anthropic_and_cohere_sell_no_fine_tuning() -> None:
    # Cohere docs: fine-tuning deprecated 2025-09-15
    assert not [m for m in MODELS if m.provider in ("anthropic", "cohere") and m.role != "base"]


def test_mistral_minimum_job_fee_and_storage() -> None:
    # Mistral pricing: minimum $4 per job; storage $2 per model per month, $4 for Large 24.11
    nemo = model("mistral/open-mistral-nemo").entry.fine_tuning
    large = model("mistral/mistral-large-2411").entry.fine_tuning
    assert nemo is not None and large is not None
    assert nemo.training.min_job_usd == 4.00 and nemo.training.usd_per_mtok == 1.00
    assert nemo.serving.storage_usd_per_month == 2.00
    assert large.serving.storage_usd_per_month == 4.00
    assert large.training.usd_per_mtok == 9.00


def test_azure_hosting_and_developer_tier() -> None:
    # Azure fine-tuning cost docs: gpt-4.1 training $25.00 Global / $27.50 Regional /
    # $12.50 Developer;
    # $1.70/h hosting; Developer tier has no hosting fee; FT tokens = base Global 2.00/0.50/8.00
    ft = model("azure/gpt-4.1-ft-global").entry.fine_tuning
    dev = model("azure/gpt-4.1-ft-developer").entry.fine_tuning
    regional = model("azure/gpt-4.1-ft-regional").entry.fine_tuning
    assert ft is not None and dev is not None and regional is not None
    assert (ft.serving.mode, ft.serving.hosting_usd_per_hour) == ("hosted", 1.70)
    assert (dev.serving.mode, dev.serving.hosting_usd_per_hour) == ("serverless", None)
    assert (ft.training.usd_per_mtok, regional.training.usd_per_mtok) == (25.00, 27.50)
    assert dev.training.usd_per_mtok == 12.50
    assert triple(ft_prices("azure/gpt-4.1-ft-developer")) == (2.00, 0.50, 8.00)
    assert triple(prices("azure/gpt-4.1-ft-regional")) == (2.20, 0.55, 8.80)
    assert "24 hours" in (model("azure/gpt-4.1-ft-developer").entry.note or "")


def test_azure_reinforcement_jobs_pause_at_five_thousand_dollars() -> None:
    # Azure fine-tuning cost docs: o4-mini RFT $100/h Global, jobs pause at $5,000
    ft = model("azure/o4-mini-ft-global").entry.fine_tuning
    assert ft is not None
    assert (ft.training.usd_per_hour, ft.training.max_job_usd) == (100.00, 5000)


def test_vertex_tuned_models_cost_the_base_price() -> None:
    # Vertex AI pricing page: tuned endpoint = base prediction price; 2.5 Flash 0.30 / 0.03 / 2.50;
    # 2.5 Flash training $5 is unverified
    key = "vertex/gemini-2.5-flash"
    assert ft_prices(key) == prices(key)
    assert triple(prices(key)) == (0.30, 0.03, 2.50)
    assert model(key).entry.unverified == ("fine_tuning.training.usd_per_mtok",)


def test_bedrock_nova_micro_customisation() -> None:
    # Amazon Bedrock pricing: training $1.00/1M, storage $1.95/month, on-demand at base 0.035 / 0.14
    key = "bedrock/amazon.nova-micro-v1:0"
    ft = model(key).entry.fine_tuning
    assert ft is not None
    assert ft.training.usd_per_mtok == 1.00 and ft.serving.storage_usd_per_month == 1.95
    assert triple(ft_prices(key)) == (0.035, 0.00875, 0.14)


def test_together_bills_validation_and_serves_on_dedicated_gpus() -> None:
    # Together AI pricing: validation billed; dedicated endpoints $3.99 (1x H100) to $9.95 (B200)
    ft = model("together/llama-3.1-8b-lora-sft").entry.fine_tuning
    assert ft is not None
    assert ft.training.validation_billed is True
    assert (ft.serving.mode, ft.serving.gpu_usd_per_hour) == ("dedicated", 3.99)


def test_fireworks_lora_serving() -> None:
    # Fireworks AI pricing: LoRA SFT <=16B $0.50; dedicated H100 $8.00/h; GLM 5.3 Flash adapters
    # served serverless at the base price 0.15 / 0.03 / 0.50
    ft = model("fireworks/llama-v3p1-8b-instruct-lora-sft").entry.fine_tuning
    assert ft is not None and ft.training.usd_per_mtok == 0.50
    assert (ft.serving.mode, ft.serving.gpu_usd_per_hour) == ("dedicated", 8.00)
    glm = model("fireworks/glm-5p3-flash-lora-sft")
    assert glm.entry.fine_tuning is not None
    assert glm.entry.fine_tuning.serving.mode == "serverless"
    assert triple(ft_prices(glm.key)) == (0.15, 0.03, 0.50)
