"""Shipped encodings: offline, hash-checked, identical to tiktoken's, and golden counts."""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
import tiktoken
import tiktoken.load
import tiktoken_ext.openai_public

from costmodel.errors import TokenizerError
from costmodel.tokens import tokenizers
from costmodel.tokens.tokenizers import (
    ENCODING_SPECS,
    choose,
    count_chat,
    count_tokens,
    get_encoding,
    tokenizer_for,
)

REPO = Path(__file__).parents[1]

# OpenAI cookbook, "How to count tokens with tiktoken": six chat messages whose
# prompt the API bills as 129 tokens on gpt-4 (cl100k_base) and 124 on gpt-4o
# (o200k_base).
COOKBOOK_MESSAGES: list[dict[str, object]] = [
    {
        "role": "system",
        "content": "You are a helpful, pattern-following assistant that translates corporate "
        "jargon into plain English.",
    },
    {
        "role": "system",
        "name": "example_user",
        "content": "New synergies will help drive top-line growth.",
    },
    {
        "role": "system",
        "name": "example_assistant",
        "content": "Things working well together will increase revenue.",
    },
    {
        "role": "system",
        "name": "example_user",
        "content": "Let's circle back when we have more bandwidth to touch base on opportunities "
        "for increased leverage.",
    },
    {
        "role": "system",
        "name": "example_assistant",
        "content": "Let's talk later when we're less busy about how to do better.",
    },
    {
        "role": "user",
        "content": "This late pivot means we don't have time to boil the ocean for the client "
        "deliverable.",
    },
]

SAMPLE_TEXTS = [
    "hello world",
    "tiktoken is great!",
    "  leading spaces\n\n\ttabs and\r\nCRLF  ",
    "numbers 1234567 and 3.14159, prices $19.99",
    "Ünïcödé: 日本語のテキスト, emoji 🙂, Ελληνικά",
    "don't won't I'LL we've",
    "<|endoftext|> and <|endofprompt|> as plain text",
    "",
]


# --- offline -----------------------------------------------------------------


def _no_network(*args: object, **kwargs: object) -> None:
    raise OSError("network is blocked in this test")


def test_counting_needs_no_network_and_no_cache_in_process(monkeypatch, tmp_path):
    monkeypatch.setattr(socket, "socket", _no_network)
    monkeypatch.setattr(socket, "create_connection", _no_network)
    monkeypatch.setenv("TIKTOKEN_CACHE_DIR", str(tmp_path / "empty-cache"))
    monkeypatch.setattr(tokenizers, "_loaded", {})
    # hand-checked: "hello world" is the word and the space-prefixed word.
    assert count_tokens("hello world", "o200k_base") == 2
    assert count_tokens("hello world", "cl100k_base") == 2


def test_an_unwritable_cache_folder_does_not_stop_counting(monkeypatch, tmp_path):
    # The "folder" is a file: nothing can be created in it.
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("x", encoding="utf-8")
    monkeypatch.setenv("TIKTOKEN_CACHE_DIR", str(blocked / "cache"))
    monkeypatch.setattr(tokenizers, "_loaded", {})
    assert count_tokens("hello world", "o200k_base") == 2


def test_counting_needs_no_network_in_a_fresh_process(tmp_path):
    """A new interpreter has nothing loaded: the encodings must come from the package."""
    cache = tmp_path / "empty-cache"
    cache.mkdir()
    code = textwrap.dedent(
        """
        import json, socket

        def blocked(*args, **kwargs):
            raise OSError("network is blocked in this test")

        socket.socket = blocked
        socket.create_connection = blocked
        from costmodel.tokens import tokenizers
        assert tokenizers._loaded == {}
        print(json.dumps([tokenizers.count_tokens("tiktoken is great!", "cl100k_base"),
                          tokenizers.count_tokens("hello world", "o200k_base")]))
        """
    )
    env = {**os.environ, "TIKTOKEN_CACHE_DIR": str(cache), "PYTHONPATH": str(REPO)}
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True
    )
    assert json.loads(done.stdout) == [6, 2]


# --- integrity ---------------------------------------------------------------


def test_corrupted_encoding_file_fails_its_hash_check(monkeypatch, tmp_path):
    spec = ENCODING_SPECS["cl100k_base"]
    corrupted = tmp_path / spec.path.name
    shutil.copyfile(spec.path, corrupted)
    data = bytearray(corrupted.read_bytes())
    data[100] ^= 0x01
    corrupted.write_bytes(bytes(data))
    monkeypatch.setattr(tokenizers, "ENCODINGS_DIR", tmp_path)
    monkeypatch.setenv("TIKTOKEN_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setattr(tokenizers, "_loaded", {})
    with pytest.raises(TokenizerError, match="does not match the sha256"):
        get_encoding("cl100k_base")


def test_missing_encoding_file_is_a_tokenizer_error(monkeypatch, tmp_path):
    monkeypatch.setattr(tokenizers, "ENCODINGS_DIR", tmp_path)
    monkeypatch.setattr(tokenizers, "_loaded", {})
    with pytest.raises(TokenizerError, match="missing from the package"):
        get_encoding("o200k_base")


def test_unknown_encoding_names_the_known_ones():
    with pytest.raises(TokenizerError, match="known encodings: cl100k_base, o200k_base"):
        get_encoding("p50k_base")


@pytest.mark.parametrize("name", sorted(ENCODING_SPECS))
def test_shipped_encodings_equal_tiktoken_own_definitions(monkeypatch, name):
    """tiktoken's constructor, fed our file instead of a download, builds the same encoding."""
    spec = ENCODING_SPECS[name]
    pinned: list[str] = []

    def from_package(url: str, expected_hash: str | None = None) -> dict[bytes, int]:
        assert url.endswith(f"/{name}.tiktoken")
        pinned.append(str(expected_hash))
        return tiktoken.load.load_tiktoken_bpe(str(spec.path), expected_hash=expected_hash)

    monkeypatch.setattr(tiktoken_ext.openai_public, "load_tiktoken_bpe", from_package)
    theirs = getattr(tiktoken_ext.openai_public, name)()
    assert pinned == [spec.sha256]
    assert theirs["pat_str"] == spec.pattern
    assert theirs["special_tokens"] == spec.special_tokens
    reference = tiktoken.Encoding(**theirs)
    ours = get_encoding(name)
    assert ours.n_vocab == reference.n_vocab
    for text in SAMPLE_TEXTS:
        assert ours.encode_ordinary(text) == reference.encode_ordinary(text), text


# --- golden counts -----------------------------------------------------------


def test_cookbook_chat_example_on_gpt4_is_129_tokens():
    assert count_chat(COOKBOOK_MESSAGES, "cl100k_base") == 129


def test_cookbook_chat_example_on_gpt4o_is_124_tokens():
    assert count_chat(COOKBOOK_MESSAGES, "o200k_base") == 124


def test_cookbook_string_example():
    # OpenAI cookbook: "tiktoken is great!" is 6 tokens in cl100k_base.
    assert get_encoding("cl100k_base").encode_ordinary("tiktoken is great!") == [
        83,
        1609,
        5963,
        374,
        2294,
        0,
    ]


@pytest.mark.parametrize(
    ("text", "pieces"),
    [
        # hand-checked: common words are single tokens, spaces attach to the next word
        ("hello world", [b"hello", b" world"]),
        # hand-checked: digits are chunked in threes before BPE
        ("1234567", [b"123", b"456", b"7"]),
        # hand-checked: a newline run is its own chunk
        ("a\n\nb", [b"a", b"\n\n", b"b"]),
        ("", []),
    ],
)
@pytest.mark.parametrize("name", sorted(ENCODING_SPECS))
def test_hand_checked_pieces(name, text, pieces):
    enc = get_encoding(name)
    assert [enc.decode_single_token_bytes(t) for t in enc.encode_ordinary(text)] == pieces


@pytest.mark.parametrize("name", sorted(ENCODING_SPECS))
def test_special_token_strings_count_as_text(name):
    enc = get_encoding(name)
    tokens = enc.encode_ordinary("<|endoftext|>")
    assert enc.eot_token not in tokens
    assert len(tokens) > 1
    assert count_tokens("<|endoftext|>", name) == len(tokens)
    assert enc.decode(tokens) == "<|endoftext|>"


def test_chat_framing_adds_three_per_message_one_per_name_and_three_for_the_reply():
    enc = get_encoding("o200k_base")
    plain = len(enc.encode_ordinary("user")) + len(enc.encode_ordinary("hi"))
    named = plain + len(enc.encode_ordinary("dana"))
    assert count_chat([{"role": "user", "content": "hi"}], "o200k_base") == 3 + plain + 3
    message = {"role": "user", "content": "hi", "name": "dana"}
    assert count_chat([message], "o200k_base") == 3 + named + 1 + 3


# --- model → encoding --------------------------------------------------------


def test_fine_tuned_gpt41_id_maps_to_o200k_exactly():
    choice = tokenizer_for("ft:gpt-4.1-2025-04-14:org::id")
    assert (choice.encoding, choice.approximate) == ("o200k_base", False)
    assert choice.reason == "o200k_base is gpt-4.1-2025-04-14's tokenizer"


@pytest.mark.parametrize(
    ("model", "encoding"), [("gpt-4", "cl100k_base"), ("gpt-4o-mini", "o200k_base")]
)
def test_openai_models_are_exact(model, encoding):
    choice = tokenizer_for(model)
    assert (choice.encoding, choice.approximate) == (encoding, False)


@pytest.mark.parametrize("model", ["claude-sonnet-4-5", "gemini-2.5-pro"])
def test_closed_tokenizers_are_approximate_with_a_reason(model):
    choice = tokenizer_for(model, "cl100k_base")
    assert (choice.encoding, choice.approximate) == ("cl100k_base", True)
    assert choice.reason == f"{model} has no public tokenizer; approximated with cl100k_base"


def test_unknown_model_is_approximate_and_says_so():
    choice = tokenizer_for("my-own-model")
    assert choice.approximate
    assert "no tokenizer is known for my-own-model" in choice.reason


def test_encoding_alone_is_exact():
    choice = choose(None, "cl100k_base")
    assert (choice.encoding, choice.approximate) == ("cl100k_base", False)
