"""Offline, hash-verified tokenizers and the model → encoding map.

The two OpenAI encodings ship inside the package and are read from it,
checked against the sha256 that tiktoken itself pins, so counting never needs
the network or tiktoken's cache folder. Models whose vendor publishes no
tokenizer (Claude, Gemini, Llama, …) are counted with a declared reference
encoding and every result carries ``approximate=True``.
"""

from __future__ import annotations

import base64
import hashlib
import re
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from costmodel.errors import TokenizerError

if TYPE_CHECKING:
    import tiktoken

ENCODINGS_DIR = Path(__file__).parent.parent / "encodings"

# Facts of each encoding: the pinned file hash, split pattern and special tokens
# (identical to tiktoken_ext.openai_public; tests/test_tokenizers.py checks it).
_O200K_PATTERN = "|".join(
    [
        r"[^\r\n\p{L}\p{N}]?[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]*[\p{Ll}\p{Lm}\p{Lo}\p{M}]+"
        r"(?i:'s|'t|'re|'ve|'m|'ll|'d)?",
        r"[^\r\n\p{L}\p{N}]?[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]+[\p{Ll}\p{Lm}\p{Lo}\p{M}]*"
        r"(?i:'s|'t|'re|'ve|'m|'ll|'d)?",
        r"\p{N}{1,3}",
        r" ?[^\s\p{L}\p{N}]+[\r\n/]*",
        r"\s*[\r\n]+",
        r"\s+(?!\S)",
        r"\s+",
    ]
)
_CL100K_PATTERN = (
    r"'(?i:[sdmt]|ll|ve|re)|[^\r\n\p{L}\p{N}]?+\p{L}++|\p{N}{1,3}+| ?[^\s\p{L}\p{N}]++[\r\n]*+"
    r"|\s++$|\s*[\r\n]|\s+(?!\S)|\s"
)


@dataclass(frozen=True)
class EncodingSpec:
    """How to rebuild one tiktoken encoding from a file shipped in the package."""

    name: str
    sha256: str
    pattern: str
    special_tokens: dict[str, int]

    @property
    def path(self) -> Path:
        return ENCODINGS_DIR / f"{self.name}.tiktoken"


ENCODING_SPECS: dict[str, EncodingSpec] = {
    "o200k_base": EncodingSpec(
        name="o200k_base",
        sha256="446a9538cb6c348e3516120d7c08b09f57c36495e2acfffe59a5bf8b0cfb1a2d",
        pattern=_O200K_PATTERN,
        special_tokens={"<|endoftext|>": 199999, "<|endofprompt|>": 200018},
    ),
    "cl100k_base": EncodingSpec(
        name="cl100k_base",
        sha256="223921b76ee99bde995b7ff738513eef100fb51d18c93597a113bcffe865b2a7",
        pattern=_CL100K_PATTERN,
        special_tokens={
            "<|endoftext|>": 100257,
            "<|fim_prefix|>": 100258,
            "<|fim_middle|>": 100259,
            "<|fim_suffix|>": 100260,
            "<|endofprompt|>": 100276,
        },
    ),
}

_lock = threading.Lock()
_loaded: dict[str, tiktoken.Encoding] = {}


def get_encoding(name: str) -> tiktoken.Encoding:
    """Return the shipped encoding ``name``, loading and hash-checking it once.

    >>> get_encoding("o200k_base").encode_ordinary("hello world")
    [24912, 2375]
    """
    spec = ENCODING_SPECS.get(name)
    if spec is None:
        known = ", ".join(sorted(ENCODING_SPECS))
        raise TokenizerError(f"unknown encoding {name!r}; known encodings: {known}")
    with _lock:
        if name not in _loaded:
            _loaded[name] = _build(spec)
        return _loaded[name]


def _build(spec: EncodingSpec) -> tiktoken.Encoding:
    """The encoding from the file shipped in the package, checked against its pinned sha256.

    The file is read directly (one ``base64-token rank`` pair per line), never
    through tiktoken's download cache, so an unset, read-only or missing
    ``TIKTOKEN_CACHE_DIR`` cannot stop counting.
    """
    import tiktoken  # here, so reading a file's fields or --help never loads it

    if not spec.path.is_file():
        raise TokenizerError(f"encoding file {spec.path} is missing from the package")
    try:
        data = spec.path.read_bytes()
    except OSError as exc:
        raise TokenizerError(
            f"encoding file {spec.path} cannot be read ({exc.strerror or exc}); "
            "reinstall the package"
        ) from None
    if hashlib.sha256(data).hexdigest() != spec.sha256:
        raise TokenizerError(
            f"encoding file {spec.path} does not match the sha256 tiktoken pins for "
            f"{spec.name}; reinstall the package"
        )
    ranks = {
        base64.b64decode(token): int(rank)
        for token, rank in (line.split() for line in data.splitlines() if line)
    }
    return tiktoken.Encoding(
        spec.name,
        pat_str=spec.pattern,
        mergeable_ranks=ranks,
        special_tokens=spec.special_tokens,
    )


@dataclass(frozen=True)
class TokenizerChoice:
    """Which encoding counts a model's tokens, and whether the count is exact."""

    model: str
    encoding: str
    approximate: bool
    reason: str


# Ordered (pattern, encoding, exact) rules; the first match wins. Fine-tuned ids
# such as ``ft:gpt-4.1-2025-04-14:org::abc`` are matched on their base name.
_MODEL_RULES: tuple[tuple[re.Pattern[str], str, bool], ...] = tuple(
    (re.compile(p), enc, exact)
    for p, enc, exact in [
        (
            r"^(gpt-4o|gpt-4\.1|gpt-4\.5|gpt-5|gpt-6|gpt-oss|o1|o3|o4|chatgpt-4o)",
            "o200k_base",
            True,
        ),
        (r"^(gpt-4|gpt-3\.5|gpt-35|text-embedding-3|text-embedding-ada)", "cl100k_base", True),
        (r"^(davinci-002|babbage-002)$", "cl100k_base", True),
        (
            r"^(claude|gemini|mistral|ministral|codestral|open-mistral|magistral|command|"
            r"llama|meta-llama|meta\.llama|amazon\.|nova|titan|qwen|deepseek|glm|kimi|mixtral|gemma|"
            r"translation-llm|anthropic\.|cohere|phi)",
            "o200k_base",
            False,
        ),
    ]
)


def _base_name(model: str) -> str:
    """Strip provider prefixes and the ``ft:`` wrapper so rules see the family name.

    >>> _base_name("ft:gpt-4.1-mini-2025-04-14:acme::9xYz")
    'gpt-4.1-mini-2025-04-14'
    >>> _base_name("openai/gpt-4o-2024-08-06")
    'gpt-4o-2024-08-06'
    """
    name = model.strip().lower()
    if name.startswith("ft:"):
        name = name[3:].split(":", 1)[0]
    return name.rsplit("/", 1)[-1]


def tokenizer_for(model: str, reference_encoding: str = "o200k_base") -> TokenizerChoice:
    """Pick the encoding for ``model``; unknown or closed models are approximate.

    >>> tokenizer_for("ft:gpt-4.1-2025-04-14:acme::x1").encoding
    'o200k_base'
    >>> tokenizer_for("gpt-3.5-turbo-0125").encoding
    'cl100k_base'
    >>> tokenizer_for("claude-sonnet-5").approximate
    True
    """
    if reference_encoding not in ENCODING_SPECS:
        get_encoding(reference_encoding)  # raises the uniform unknown-encoding error
    base = _base_name(model)
    for pattern, encoding, exact in _MODEL_RULES:
        if pattern.search(base):
            if exact:
                return TokenizerChoice(model, encoding, False, f"{encoding} is {base}'s tokenizer")
            return TokenizerChoice(
                model,
                reference_encoding,
                True,
                f"{base} has no public tokenizer; approximated with {reference_encoding}",
            )
    return TokenizerChoice(
        model,
        reference_encoding,
        True,
        f"no tokenizer is known for {base}; approximated with {reference_encoding}",
    )


def choose(model: str | None, encoding: str | None) -> TokenizerChoice:
    """Resolve the CLI's ``--model`` / ``--encoding`` pair (encoding alone is exact).

    With a model that has no public tokenizer, ``encoding`` is the reference
    to approximate with; with a model whose tokenizer is known, a different
    ``encoding`` is an error rather than a silent override.

    >>> choose("claude-sonnet-4", "cl100k_base").encoding
    'cl100k_base'
    >>> choose("gpt-4o", "cl100k_base")
    Traceback (most recent call last):
    costmodel.errors.TokenizerError: encoding cl100k_base conflicts with model gpt-4o, \
which uses o200k_base; give only one of them
    """
    if model:
        choice = tokenizer_for(model, encoding or "o200k_base")
        if encoding and not choice.approximate and choice.encoding != encoding:
            raise TokenizerError(
                f"encoding {encoding} conflicts with model {model}, which uses "
                f"{choice.encoding}; give only one of them"
            )
        return choice
    name = encoding or "o200k_base"
    if name not in ENCODING_SPECS:
        get_encoding(name)  # raises the uniform unknown-encoding error
    return TokenizerChoice(
        model="", encoding=name, approximate=False, reason=f"counted with {name}"
    )


def count_tokens(text: str, encoding: str) -> int:
    """Count ``text`` as ordinary text: special-token strings are not special.

    >>> count_tokens("<|endoftext|>", "o200k_base") > 1
    True
    """
    return len(get_encoding(encoding).encode_ordinary(text))


# OpenAI's documented chat framing for gpt-3.5-turbo and later: every message is
# wrapped in 3 tokens, a ``name`` costs 1 more, and 3 tokens prime the reply.
TOKENS_PER_MESSAGE = 3
TOKENS_PER_NAME = 1
REPLY_PRIMING_TOKENS = 3


def message_text(value: object) -> str:
    """The countable text of a message field: a string, or the text parts of a list.

    Image, audio and tool parts carry no ``text`` string and add nothing here;
    the readers of sample and training files report them as not counted.
    """
    if isinstance(value, str):
        return value
    if isinstance(value, list):
        return "".join(
            part["text"]
            for part in value
            if isinstance(part, dict) and isinstance(part.get("text"), str)
        )
    return ""


def count_chat(messages: list[dict[str, object]], encoding: str) -> int:
    """Prompt tokens of a chat request, framing included (OpenAI's formula).

    Oracle: OpenAI's token-counting cookbook reports 129 prompt tokens for its
    six-message jargon example on gpt-4 (cl100k_base) and 124 on gpt-4o
    (o200k_base), both confirmed by the API (see tests/test_tokenizers.py).

    >>> count_chat([{"role": "user", "content": "hi"}], "o200k_base")
    8
    """
    enc = get_encoding(encoding)
    total = REPLY_PRIMING_TOKENS
    for message in messages:
        total += TOKENS_PER_MESSAGE
        for key, value in message.items():
            if key in ("weight", "tool_calls", "function_call"):
                continue
            total += len(enc.encode_ordinary(message_text(value)))
            if key == "name":
                total += TOKENS_PER_NAME
    return total
