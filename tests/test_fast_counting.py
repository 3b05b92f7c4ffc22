"""The fast counting paths are exact: same vocabulary, same count for every record.

Reference: tiktoken's ``encode_ordinary`` over the shipped, hash-checked files.
The corpus (tests/varied_corpus.py) holds every class of text a sample file
may hold, lone surrogates and special-token strings included; a few extreme
records are added by hand.
"""

from __future__ import annotations

import base64
import hashlib
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from varied_corpus import CLASSES, records, write_jsonl

from costmodel.tokens import fast
from costmodel.tokens import stats as tokenstats
from costmodel.tokens.stats import token_stats
from costmodel.tokens.tokenizers import ENCODING_SPECS, get_encoding

REPO = Path(__file__).parents[1]
ENCODINGS = ["o200k_base", "cl100k_base"]
EXTREMES = [
    "a" * 60_000,
    " " * 50_000 + "x",
    "9" * 40_001,
    "\n" * 30_000 + "end",
    "!" * 30_000,
    "日" * 20_000,
    "\U0001f468\u200d\U0001f469\u200d\U0001f467" * 3_000,
    "\ud83d\ude00 joined pair, lone \ud800 and \udfff",
    "<|endoftext|><|endofprompt|><|fim_prefix|>",
    "",
]


@pytest.fixture(scope="module")
def corpus() -> list[str]:
    return [text for _, text in records(1_500_000, seed=7)] + EXTREMES


def test_corpus_has_every_class():
    assert {name for name, _ in records(1_500_000, seed=7)} == set(CLASSES)


@pytest.mark.parametrize("name", ENCODINGS)
def test_rs_bpe_vocabulary_is_the_shipped_file(name):
    """rs-bpe's compiled-in vocabulary, written as a .tiktoken file, has the pinned sha256."""
    from rs_bpe.bpe import openai

    spec = ENCODING_SPECS[name]
    ranks = spec.path.read_bytes().count(b"\n")
    decode = getattr(openai, name)().bpe().decode_tokens
    text = b"".join(base64.b64encode(decode([i])) + b" %d\n" % i for i in range(ranks))
    assert hashlib.sha256(text).hexdigest() == spec.sha256


@pytest.mark.parametrize("name", ENCODINGS)
def test_one_by_one_counts_equal_tiktoken_record_by_record(name, corpus):
    enc = fast.ExactEncoder(name)
    assert enc.fast, "rs-bpe is a dependency: the fast path must be the one tested"
    tiktoken = get_encoding(name)
    for text in corpus:
        expected = tiktoken.encode_ordinary(text)
        assert enc.count(text) == len(expected), text[:80]
        assert enc.encode_ordinary(text) == expected, text[:80]


@pytest.fixture(scope="module")
def bulk_encoders() -> dict[str, fast.ExactEncoder]:
    encoders = {name: fast.ExactEncoder(name) for name in ENCODINGS}
    for enc in encoders.values():
        enc.start_bulk(wait=True)
    return encoders


@pytest.mark.parametrize("name", ENCODINGS)
def test_batch_counts_equal_tiktoken_record_by_record(name, corpus, bulk_encoders):
    enc = bulk_encoders[name]
    assert enc.bulk, "fastokens is a dependency: the batch path must be the one tested"
    tiktoken = get_encoding(name)
    batch = enc.batch(corpus)
    assert isinstance(batch, fast._Flat)
    for i, text in enumerate(corpus):
        expected = tiktoken.encode_ordinary(text)
        assert batch.counts[i] == len(expected), text[:80]
        assert batch.tokens(i) == expected, text[:80]


PIECES = [
    *"aZé日ع 0\n\t!'s<|>",
    "\u200d",
    "\U0001f600",
    "\ud800",
    "\udc00",
    "\r\n",
    "<|endoftext|>",
]
TEXT = st.lists(st.sampled_from(PIECES), max_size=300).map("".join)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(texts=st.lists(TEXT, min_size=1, max_size=8))
def test_generated_text_counts_equal_tiktoken(texts, bulk_encoders):
    for name, enc in bulk_encoders.items():
        tiktoken = get_encoding(name)
        expected = [len(tiktoken.encode_ordinary(t)) for t in texts]
        assert enc.batch(texts).counts == expected
        assert fast._OneByOne(enc, texts).counts == expected


class Refusing:
    """A fast encoder that refuses everything, the way a Rust panic surfaces."""

    class Panic(BaseException):
        pass

    def count(self, text: str) -> int:
        raise self.Panic

    encode = count

    def encode_batch_flat(self, texts: list[str], split_special_tokens: bool) -> None:
        raise self.Panic


def test_refused_texts_are_counted_by_tiktoken():
    enc = fast.ExactEncoder("o200k_base")
    enc._fast = enc._bulk = Refusing()
    texts = ["hello world", "a\ud800b"]
    expected = [get_encoding("o200k_base").encode_ordinary(t) for t in texts]
    assert enc.batch(texts).counts == [len(t) for t in expected]
    assert [enc.encode_ordinary(t) for t in texts] == expected


def test_an_interrupt_is_not_swallowed():
    class Interrupting:
        def count(self, text: str) -> int:
            raise KeyboardInterrupt

    enc = fast.ExactEncoder("o200k_base")
    enc._fast = Interrupting()
    with pytest.raises(KeyboardInterrupt):
        enc.count("x")


def test_a_large_file_is_counted_exactly_through_the_batch_path(tmp_path, monkeypatch):
    """Streams past the size threshold wait for fastokens here, so the pool path runs."""
    path = tmp_path / "varied.jsonl"
    texts = [text for _, text in records(600_000, seed=3) if text.strip()]
    write_jsonl(path, texts)
    monkeypatch.setitem(fast.BULK_MIN_BYTES, "cl100k_base", 0)
    enc = fast.exact_encoder("cl100k_base")
    enc.start_bulk(wait=True)
    stats = token_stats(path, encoding="cl100k_base")
    tiktoken = get_encoding("cl100k_base")
    assert stats.long.counts.tolist() == [len(tiktoken.encode_ordinary(t)) for t in texts]


def test_fastokens_reads_only_the_shipped_file_with_the_network_blocked(tmp_path):
    """A fresh interpreter, sockets refused, empty caches: the tables come from the package."""
    code = textwrap.dedent(
        """
        import json, socket

        def blocked(*args, **kwargs):
            raise OSError("network is blocked in this test")

        socket.socket = blocked
        socket.create_connection = blocked
        from costmodel.tokens import fast
        enc = fast.ExactEncoder("o200k_base")
        enc.start_bulk(wait=True)
        print(json.dumps([enc.bulk, enc.batch(["hello world"]).counts]))
        """
    )
    empty = tmp_path / "empty"
    empty.mkdir()
    env = {
        **os.environ,
        "PYTHONPATH": str(REPO),
        "TIKTOKEN_CACHE_DIR": str(empty),
        "HF_HOME": str(empty),
        "XDG_CACHE_HOME": str(empty),
        "HOME": str(empty),
        "HF_HUB_OFFLINE": "1",
    }
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True
    )
    assert done.stdout.strip() == "[true, [2]]"
    assert list(empty.iterdir()) == []  # nothing was downloaded or cached


def _die(*args: object, **kwargs: object) -> None:
    os._exit(3)  # a worker process killed mid-count


@pytest.mark.parametrize("worker", ["counts", "dies"])
def test_worker_processes_count_exactly(tmp_path, monkeypatch, worker):
    """The command line's worker processes give tiktoken's counts record by record, and
    the same shared prefix as counting in one process; if they die, this one counts."""
    path = tmp_path / "varied.jsonl"
    prefix = "You label support tickets.\n" * 40
    texts = [text for _, text in records(400_000, seed=5) if text.strip()]
    texts = [prefix + "Ticket: " + text for text in texts]
    write_jsonl(path, texts)
    monkeypatch.setattr(tokenstats, "PROCESS_MIN_BYTES", 0)
    monkeypatch.setattr(tokenstats, "BATCH_JOBS", 16)  # many chunks in flight
    if worker == "dies":
        monkeypatch.setattr(tokenstats, "_count_in_process", _die)
    pooled = token_stats(path, encoding="o200k_base", processes=True)
    alone = token_stats(path, encoding="o200k_base")
    tiktoken = get_encoding("o200k_base")
    assert pooled.long.counts.tolist() == [len(tiktoken.encode_ordinary(t)) for t in texts]
    assert pooled.shared_prefix_tokens == alone.shared_prefix_tokens > 0
