"""Token statistics: exact counts, the shared-prefix shortcut's identity, and the figures."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from costmodel.errors import SampleFileError, TokenizerError
from costmodel.tokens import fast, samples
from costmodel.tokens import stats as tokenstats
from costmodel.tokens.samples import read_samples
from costmodel.tokens.stats import (
    count_samples,
    safe_cut,
    token_stats,
)
from costmodel.tokens.tokenizers import choose, count_chat, get_encoding

ENCODINGS = ["o200k_base", "cl100k_base"]
DEMO = Path(__file__).parents[1] / "costmodel" / "demo" / "support_prompts.jsonl"

# Pieces chosen to hit every alternative of both split patterns: whitespace
# runs, CR/LF mixes, punctuation with trailing newlines or slashes, digits,
# contractions, non-ASCII letters and marks, emoji and special-token text.
PIECES = [
    " ", "  ", "\t", "\n", "\r\n", "\n\n", "\r", " \n", "\u00a0", "\u2028", "\x0b",
    ".", ",", "!", "?", "/", "//", ":", "-", "'", '"', "(", ")", "{", "}", "#", "$",
    "'s", "'ll", "'T", "0", "7", "12", "123", "4567",
    "a", "Z", "word", "Word", "WORD", "é", "ß", "日本", "Ω", "ǅ", "ʰ", "ا", "\u0301",
    "🙂", "<|endoftext|>", "<|endofprompt|>",
]  # fmt: skip
mixed_text = st.lists(st.sampled_from(PIECES) | st.text(max_size=2), max_size=40).map("".join)
letters = st.sampled_from(["a", "Z", "é", "ß", "日", "Ω", "ǅ", "ʰ", "ا"]) | st.characters(
    categories=("Lu", "Ll", "Lt", "Lm", "Lo")
)


def n_tokens(text: str, encoding: str) -> int:
    return len(get_encoding(encoding).encode_ordinary(text))


def jsonl(texts: list[str], **extra: str) -> bytes:
    return "".join(json.dumps({"prompt": t, **extra}) + "\n" for t in texts).encode()


def common_token_prefix(texts: list[str], encoding: str) -> int:
    """Brute force: compare every prompt's full token list with the first one."""
    enc = get_encoding(encoding)
    first = enc.encode_ordinary(texts[0])
    shared = len(first)
    for text in texts[1:]:
        tokens = enc.encode_ordinary(text)
        same = 0
        while same < min(len(tokens), shared) and tokens[same] == first[same]:
            same += 1
        shared = same
    return shared


# --- the identity behind the shortcut ----------------------------------------


@pytest.mark.parametrize("encoding", ENCODINGS)
@settings(max_examples=400, deadline=None)
@given(prefix=mixed_text, letter=letters, suffix=mixed_text)
def test_split_after_newline_before_letter_is_exact(encoding, prefix, letter, suffix):
    text = prefix + "\n" + letter + suffix
    cut = len(prefix) + 1
    assert safe_cut(text, cut) == cut
    assert n_tokens(text[:cut], encoding) + n_tokens(text[cut:], encoding) == n_tokens(
        text, encoding
    )


@pytest.mark.parametrize("encoding", ENCODINGS)
@settings(max_examples=400, deadline=None)
@given(text=mixed_text, fraction=st.floats(0, 1))
def test_any_cut_safe_cut_returns_is_exact(encoding, text, fraction):
    limit = int(len(text) * fraction)
    cut = safe_cut(text, limit)
    assert 0 <= cut <= limit
    if cut:
        assert text[cut - 1] == "\n"
        assert n_tokens(text[:cut], encoding) + n_tokens(text[cut:], encoding) == n_tokens(
            text, encoding
        )


@pytest.mark.parametrize("encoding", ENCODINGS)
def test_newline_before_newline_is_not_a_safe_cut(encoding):
    """The test can fail: a cut inside a newline run changes the count."""
    text = "x\n\ny"
    assert n_tokens("x\n", encoding) + n_tokens("\ny", encoding) != n_tokens(text, encoding)
    assert safe_cut(text, 2) == 0


@pytest.mark.parametrize("encoding", ENCODINGS)
def test_deterministic_split_of_a_few_shot_prompt(encoding):
    prefix = "Rules:\n1. Be brief.\n  Example:\n\nTicket: <|endoftext|> 42!\n"
    for ticket in ["Refund please", "Über alles", "ǅemal", "a"]:
        text = prefix + ticket
        assert safe_cut(text, len(prefix)) == len(prefix)
        assert n_tokens(prefix, encoding) + n_tokens(ticket, encoding) == n_tokens(text, encoding)


# --- the whole pipeline with the shortcut ------------------------------------


@pytest.mark.parametrize("encoding", ENCODINGS)
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    shared=mixed_text,
    letter_tails=st.lists(st.tuples(letters, mixed_text), min_size=2, max_size=6),
    other_tails=st.lists(st.tuples(st.sampled_from(PIECES), mixed_text), max_size=4),
    outliers=st.lists(mixed_text, max_size=2),
)
def test_prefix_shortcut_totals_equal_whole_encoding(
    encoding, shared, letter_tails, other_tails, outliers
):
    """Texts share a block. Those continuing with a letter teach the counter the block;
    those continuing otherwise start with it too but must still be counted whole."""
    tails = letter_tails + other_tails
    texts = [shared + "\n" + first + rest for first, rest in tails] + outliers
    kept = [t for t in texts if t.strip()]
    assume(kept)
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(tokenstats, "MIN_PREFIX_CHARS", 1)
        stats = token_stats((jsonl(texts), "t.jsonl"), encoding=encoding)
    expected = [n_tokens(t, encoding) for t in kept]
    assert stats.long.counts.tolist() == expected
    assert stats.long.total == sum(expected)
    shared_tokens = common_token_prefix(kept, encoding) if len(kept) > 1 else 0
    assert stats.shared_prefix_tokens == shared_tokens


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    shared=mixed_text,
    tails=st.lists(
        st.tuples(letters | st.sampled_from(PIECES), mixed_text), min_size=2, max_size=5
    ),
    user=mixed_text,
)
def test_chat_contents_split_by_the_shortcut_still_match_count_chat(shared, tails, user):
    chats = [
        [
            {"role": "system", "content": shared + "\n" + first + rest},
            {"role": "user", "name": "dana", "content": "Q" + user},
        ]
        for first, rest in tails
    ]
    data = "".join(json.dumps({"messages": c}) + "\n" for c in chats).encode()
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(tokenstats, "MIN_PREFIX_CHARS", 1)
        stats = token_stats((data, "c.jsonl"), encoding="cl100k_base")
    assert stats.long.counts.tolist() == [count_chat(c, "cl100k_base") for c in chats]


class SpyEncoding:
    """Records how many characters went through the tokenizer (tiktoken behind it)."""

    def __init__(self, name: str) -> None:
        self._enc = get_encoding(name)
        self.chars = 0

    def encode_ordinary(self, text: str) -> list[int]:
        self.chars += len(text)
        return self._enc.encode_ordinary(text)

    def count(self, text: str) -> int:
        return len(self.encode_ordinary(text))

    def counts(self, texts: list[str]) -> list[int]:
        return [self.count(text) for text in texts]

    def encode_all(self, texts: list[str]) -> list[list[int]]:
        return [self.encode_ordinary(text) for text in texts]

    def batch(self, texts: list[str], ids: bool = False) -> fast._OneByOne:
        return fast._OneByOne(self, texts, ids)

    bulk = bulk_loading = False


def test_demo_corpus_counts_match_and_the_shared_block_is_encoded_once(monkeypatch):
    spy = SpyEncoding("o200k_base")
    monkeypatch.setattr(tokenstats, "exact_encoder", lambda name: spy)
    stats = token_stats(DEMO, encoding="o200k_base")
    prompts = [json.loads(line)["long_prompt"] for line in DEMO.read_text().splitlines()]
    expected = [n_tokens(p, "o200k_base") for p in prompts]
    assert stats.long.counts.tolist() == expected
    assert stats.shared_prefix_tokens == common_token_prefix(prompts, "o200k_base")
    long_chars = sum(map(len, prompts))
    assert spy.chars < long_chars / 5, "the shared system prompt should be encoded once"


def test_varied_prompts_are_encoded_whole():
    texts = [f"{'x' * 600} number {i}" for i in range(3)] + ["y" * 700]
    stats = token_stats((jsonl(texts), "v.jsonl"), encoding="cl100k_base")
    assert stats.long.counts.tolist() == [n_tokens(t, "cl100k_base") for t in texts]
    assert stats.shared_prefix_tokens == common_token_prefix(texts, "cl100k_base")


# --- figures -----------------------------------------------------------------


def test_columns_figures_against_direct_counts():
    records = [
        {"prompt": f"Summarise ticket {i}: " + "late parcel " * i, "short_prompt": f"T{i}"}
        for i in range(1, 21)
    ]
    records[3]["output"] = "shipping"
    data = "".join(json.dumps(r) + "\n" for r in records).encode()
    stats = token_stats((data, "f.jsonl"), encoding="o200k_base")
    long = sorted(n_tokens(r["prompt"], "o200k_base") for r in records)
    assert set(stats.columns) == {"long", "short", "output"}
    assert stats.records == 20
    assert stats.long.total == sum(long)
    assert stats.long.mean == pytest.approx(sum(long) / 20)
    # nearest rank on 20 values: p50 is the 10th, p90 the 18th, p95 the 19th
    assert (stats.long.p50, stats.long.p90, stats.long.p95) == (long[9], long[17], long[18])
    assert (stats.long.min, stats.long.max) == (long[0], long[-1])
    assert stats.columns["short"].total == sum(
        n_tokens(r["short_prompt"], "o200k_base") for r in records
    )
    assert stats.columns["output"].records == 1
    assert stats.columns["output"].total == n_tokens("shipping", "o200k_base")


def test_counts_are_read_only_arrays():
    stats = token_stats((jsonl(["one", "two words"]), "r.jsonl"))
    assert isinstance(stats.long.counts, np.ndarray)
    with pytest.raises(ValueError):
        stats.long.counts[0] = 7


def test_chat_records_use_openai_framing_and_output_is_the_reply_text():
    source = Path(__file__).parent / "fixtures" / "samples" / "chat.jsonl"
    raw = [json.loads(line) for line in source.read_text().splitlines()]
    stats = token_stats(source, model="gpt-4")
    assert stats.encoding == "cl100k_base"
    expected_long = [count_chat(raw[0]["messages"][:-1], "cl100k_base")]
    expected_long.append(count_chat(raw[1]["messages"], "cl100k_base"))
    assert stats.long.counts.tolist() == expected_long
    assert stats.columns["short"].total == count_chat(raw[0]["short_messages"], "cl100k_base")
    assert stats.columns["output"].total == n_tokens(
        raw[0]["messages"][-1]["content"], "cl100k_base"
    )


def test_chat_shared_prefix_covers_framing_system_message_and_common_user_tokens():
    system = {"role": "system", "content": "You label tickets."}
    chats = [
        {"messages": [system, {"role": "user", "content": "Refund order 1"}]},
        {"messages": [system, {"role": "user", "content": "Refund order 2"}]},
    ]
    data = "".join(json.dumps(c) + "\n" for c in chats).encode()
    stats = token_stats((data, "c.jsonl"), encoding="o200k_base")
    user_shared = common_token_prefix(["Refund order 1", "Refund order 2"], "o200k_base")
    system_message = (
        3 + n_tokens("system", "o200k_base") + n_tokens("You label tickets.", "o200k_base")
    )
    # second message: its opening framing token, the role, the separator, then the text
    assert (
        stats.shared_prefix_tokens
        == system_message + 2 + n_tokens("user", "o200k_base") + user_shared
    )


def test_special_token_text_is_counted_as_ordinary_text():
    stats = token_stats((jsonl(["<|endoftext|>"]), "s.jsonl"), encoding="cl100k_base")
    assert stats.long.total == n_tokens("<|endoftext|>", "cl100k_base") > 1


def test_single_record_reports_no_shared_prefix():
    assert token_stats((jsonl(["only one prompt"]), "o.jsonl")).shared_prefix_tokens == 0


def test_result_carries_encoding_exactness_and_reason():
    stats = token_stats((jsonl(["hi"]), "m.jsonl"), model="claude-opus-4", encoding="cl100k_base")
    assert (stats.encoding, stats.approximate, stats.model) == (
        "cl100k_base",
        True,
        "claude-opus-4",
    )
    assert stats.reason == "claude-opus-4 has no public tokenizer; approximated with cl100k_base"
    assert stats.long.total == n_tokens("hi", "cl100k_base")


@pytest.mark.parametrize("words", [400, 3], ids=["long prompts", "short prompts"])
def test_progress_reports_bytes_up_to_the_file_size(monkeypatch, words):
    """Progress comes as each block of the file is counted (blocks made small here)."""
    monkeypatch.setattr(samples, "BLOCK_BYTES", 100_000)
    texts = [f"ticket {i}: " + "words " * words for i in range(400 * 400 // words)]
    data = jsonl(texts)
    calls: list[tuple[int, int]] = []
    token_stats((data, "p.jsonl"), progress=lambda done, total: calls.append((done, total)))
    assert len(calls) > 2
    assert all(total == len(data) for _, total in calls)
    assert [done for done, _ in calls] == sorted(done for done, _ in calls)
    assert calls[-1] == (len(data), len(data))


def test_loaded_sample_set_counts_the_same_and_reports_records():
    data = jsonl([f"prompt {i}" for i in range(5)])
    calls: list[tuple[int, int]] = []
    loaded = read_samples((data, "s.jsonl"))
    stats = count_samples(loaded, choose(None, None), lambda d, t: calls.append((d, t)))
    assert stats.long.counts.tolist() == token_stats((data, "s.jsonl")).long.counts.tolist()
    assert calls[-1] == (5, 5)


def test_bad_file_raises_sample_file_error():
    with pytest.raises(SampleFileError, match="line 1 is not valid JSON"):
        token_stats((b"{oops\n", "b.jsonl"))


# --- tokenizer choice ---------------------------------------------------------


def test_conflicting_encoding_for_an_exact_model_is_an_error():
    with pytest.raises(TokenizerError, match="conflicts with model gpt-4o"):
        choose("gpt-4o", "cl100k_base")


def test_matching_encoding_for_an_exact_model_is_fine():
    choice = choose("gpt-4o", "o200k_base")
    assert (choice.encoding, choice.approximate) == ("o200k_base", False)


def test_default_is_o200k_exact():
    choice = choose(None, None)
    assert (choice.encoding, choice.approximate) == ("o200k_base", False)


# --- blocks of plain records read as one, the same as record by record ---------

CELL = st.sampled_from(
    ["hi there", "", "  ", "Ticket 7: printer", "a\nb", "x" * 600, "日本", "1", "lone \ud800 half"]
)
VALUE = st.one_of(CELL, st.none(), st.integers(0, 9), st.just([{"role": "user", "content": "q"}]))


def _outcome(read: object) -> object:
    """Counts, shared prefix and warnings of a read, or the message it stops with."""
    try:
        stats = read()  # type: ignore[operator]
    except SampleFileError as exc:
        return str(exc)
    columns = {name: col.counts.tolist() for name, col in stats.columns.items()}
    return columns, stats.shared_prefix_tokens, stats.warnings


def _both_ways(data: bytes, name: str) -> tuple[object, object]:
    choice = choose(None, "o200k_base")
    quick = _outcome(lambda: token_stats((data, name), encoding="o200k_base"))
    careful = _outcome(lambda: count_samples(read_samples((data, name)), choice))
    return quick, careful


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    rows=st.lists(st.tuples(CELL, VALUE, VALUE, st.booleans()), min_size=1, max_size=40),
    block=st.integers(16, 400),
)
def test_jsonl_blocks_read_as_record_by_record(rows, block):
    """Blank lines, empty prompts, nulls, numbers, chats and keys that change, in blocks
    of any size: the quick read counts and reports exactly what the careful read does."""
    lines = []
    for prompt, short, output, blank in rows:
        record = {"prompt": prompt, "short_prompt": short, "output": output}
        if output == "1":
            record = {"text": prompt}
        lines.append(json.dumps(record) + ("\n\n" if blank else "\n"))
    data = "".join(lines).encode()
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(samples, "BLOCK_BYTES", block)
        quick, careful = _both_ways(data, "b.jsonl")
    assert quick == careful


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    rows=st.lists(st.tuples(CELL, CELL, st.booleans()), min_size=1, max_size=40),
    ending=st.sampled_from(["\n", "\r\n"]),
    block=st.integers(16, 400),
)
def test_csv_blocks_read_as_record_by_record(rows, ending, block):
    """Quoted line breaks and quotes, CRLF, blank rows, empty prompts and short rows, read in
    blocks of any size (so a quoted field may span two): the quick read counts and reports
    exactly what the careful read does."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator=ending)
    writer.writerow(["prompt", "output"])
    for prompt, output, odd in rows:
        if odd and not prompt:
            out.write(ending)
        elif odd and prompt == "1":
            writer.writerow(["only one field"])
        else:
            writer.writerow([prompt, output.replace("1", 'said "one", then left')])
    data = out.getvalue().encode("utf-8", "surrogatepass")  # a lone half: not UTF-8
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(samples, "BLOCK_BYTES", block)
        quick, careful = _both_ways(data, "b.csv")
    assert quick == careful
