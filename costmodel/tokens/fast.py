"""Exact token counts faster than tiktoken, proven equal to it.

Two libraries, each where it pays (figures: benchmarks/bench_tokens.py):

* rs-bpe counts one text at a time, faster than tiktoken, and ships both
  vocabularies compiled into its wheel: it is ready in a tenth of a second,
  where tiktoken needs one to two seconds to parse the shipped file. It counts
  small inputs.
* fastokens encodes a whole batch in one call, several times faster again and
  without holding the GIL, so batches run on every core. Building its tables
  from the shipped ``.tiktoken`` file (after checking the file's sha256) takes
  seconds, all of it inside fastokens, so it is loaded in the background, only
  for large inputs (:func:`bulk_pays`, :meth:`ExactEncoder.start_bulk`), and
  used once ready. Counting with rs-bpe meanwhile on the other core was
  measured: on an idle machine it ended later (3.42-3.49 s against
  3.36-3.40 s for 48 MB), since what is left once fastokens is ready is then
  counted on this thread instead of on every core; on a busy one it also slowed
  the load itself.

Exactness is proven by tests, not assumed (tests/test_fast_counting.py):

* rs-bpe's vocabulary, written out in the ``.tiktoken`` format, has the very
  sha256 pinned for the shipped file, for both encodings (the version is pinned
  in pyproject.toml, so the proven vocabulary is the installed one); fastokens
  reads the shipped file itself;
* their counts equal tiktoken's ``encode_ordinary`` record by record on a
  varied corpus (prose, code, JSON, many scripts, emoji sequences,
  special-token strings, pathological runs, lone surrogates), and on generated
  text, for both encodings.

Two rules keep every input exact:

* Lone surrogates cannot be UTF-8 encoded. tiktoken then re-reads the text
  through UTF-16 with replacement (U+FFFD for each lone surrogate, a valid
  pair joined into one character); :func:`tiktoken_text` applies that same
  rule first.
* Any text the fast encoder refuses is counted by tiktoken itself, from the
  shipped, hash-checked file.

Where a library is not installed, the next one counts: slower, equal.
"""

from __future__ import annotations

import hashlib
import re
import threading
from typing import TYPE_CHECKING, Any, Protocol

from costmodel.tokens.tokenizers import ENCODING_SPECS, get_encoding

if TYPE_CHECKING:
    import numpy as np

# fastokens takes seconds to build its tables (about 2.5 s of CPU for o200k_base,
# 1.1 s for cl100k_base on a quiet machine), then counts several times cheaper than
# rs-bpe (measured on the varied corpus of benchmarks/bench_tokens.py: 0.02 against
# 0.12 s of CPU per MB for o200k_base, 0.012 against 0.10 for cl100k_base). The load
# is paid back from about 2.5 / (0.12 - 0.02) = 25 MB (o200k_base) and
# 1.1 / (0.10 - 0.012) = 12.5 MB (cl100k_base); below these sizes it is not loaded.
BULK_MIN_BYTES = {"o200k_base": 24 * 2**20, "cl100k_base": 12 * 2**20}
# Short records cost rs-bpe a call each, where fastokens takes a whole list in one:
# from about this many records (estimated from the first block read) the load pays.
BULK_MIN_RECORDS = {"o200k_base": 400_000, "cl100k_base": 150_000}

_SURROGATE = re.compile("[\ud800-\udfff]")
_NOT_LOADED = object()  # rs-bpe not looked for yet (None: looked for, not installed)


class Batch(Protocol):
    """A list of texts being counted: each one's count, and its ids on demand."""

    counts: list[int]

    def tokens(self, i: int) -> list[int]: ...

    def shared(self, reference: list[int], limit: int) -> int: ...


class Encoder(Protocol):
    """What counting needs from an encoding: token ids, or only their number."""

    name: str

    def encode_ordinary(self, text: str) -> list[int]: ...

    def count(self, text: str) -> int: ...

    def counts(self, texts: list[str]) -> list[int]: ...

    def encode_all(self, texts: list[str]) -> list[list[int]]: ...

    def batch(self, texts: list[str], ids: bool = False) -> Batch: ...

    @property
    def bulk(self) -> bool: ...

    @property
    def bulk_loading(self) -> bool: ...

    def start_bulk(self, wait: bool = False) -> None: ...


def tiktoken_text(text: str) -> str:
    """``text`` as tiktoken encodes it: lone surrogates replaced, pairs joined.

    >>> tiktoken_text("a\\ud800b") == "a\\ufffdb"
    True
    >>> tiktoken_text("\\ud83d\\ude00") == "\\U0001f600"
    True
    """
    if _SURROGATE.search(text) is None:
        return text
    return text.encode("utf-16", "surrogatepass").decode("utf-16", "replace")


class ExactEncoder:
    """rs-bpe where it can, tiktoken where it cannot; counts equal tiktoken's.

    >>> enc = exact_encoder("o200k_base")
    >>> enc.encode_ordinary("hello world"), enc.count("<|endoftext|>")
    ([24912, 2375], 7)
    """

    def __init__(self, name: str) -> None:
        self.name = name
        self._fast: Any = _NOT_LOADED
        self._bulk: Any = None
        self._bulk_started = False

    def _rs_bpe(self) -> Any:
        """rs-bpe's tokenizer, loaded on first use, or None where it is not installed.

        Not at construction: a large file starts loading fastokens first, and
        rs-bpe then loads on this thread while fastokens' tables are built on
        the other core.
        """
        if self._fast is _NOT_LOADED:
            with _lock:
                if self._fast is _NOT_LOADED:
                    self._fast = _load_fast(self.name)
        return self._fast

    @property
    def fast(self) -> bool:
        """Whether rs-bpe counts single texts (False: tiktoken does)."""
        return self._rs_bpe() is not None

    @property
    def bulk(self) -> bool:
        """Whether fastokens is loaded and counts batches."""
        return self._bulk is not None

    @property
    def bulk_loading(self) -> bool:
        """Whether fastokens is being loaded in the background."""
        return self._bulk_started and not self._loaded.is_set()

    def start_bulk(self, wait: bool = False) -> None:
        """Load fastokens in a background thread (once); ``wait`` blocks until it is done.

        The thread is not a daemon: a process whose count finishes first waits
        for the load at exit instead of finalizing the interpreter while the
        extension still runs in that thread (which can abort the process).
        """
        with _lock:
            if not self._bulk_started:
                self._bulk_started = True
                self._loaded = threading.Event()
                threading.Thread(target=self._load_bulk, daemon=False).start()
        if wait:
            self._loaded.wait()

    def _load_bulk(self) -> None:
        try:
            self._bulk = _load_bulk(self.name)
        finally:
            self._loaded.set()

    def batch(self, texts: list[str], ids: bool = False) -> Batch:
        """Count ``texts``: in one fastokens call when it is loaded, else one by one.

        ``ids``: their token ids will be asked for, so one by one they are
        encoded once (instead of counted, then encoded again).
        """
        if self._bulk is not None:
            flat = _attempt_flat(self._bulk, texts)
            if flat is not None:
                return flat
        return _OneByOne(self, texts, ids)

    def counts(self, texts: list[str]) -> list[int]:
        """``count`` of each text, in one C-level pass when rs-bpe takes them all."""
        fast = self._rs_bpe()
        if fast is not None:
            found = _attempt_each(fast.count, texts)
            if found is not None:
                return found
        return [self.count(text) for text in texts]

    def encode_all(self, texts: list[str]) -> list[list[int]]:
        """``encode_ordinary`` of each text, in one C-level pass when rs-bpe takes them all."""
        fast = self._rs_bpe()
        if fast is not None:
            found = _attempt_each(fast.encode, texts)
            if found is not None:
                return found
        return [self.encode_ordinary(text) for text in texts]

    def encode_ordinary(self, text: str) -> list[int]:
        """Token ids of ``text``, special-token strings read as ordinary text."""
        fast = self._rs_bpe()
        if fast is not None:
            tokens = _attempt(fast.encode, text)
            if tokens is not None:
                return list(tokens)
        return get_encoding(self.name).encode_ordinary(text)

    def count(self, text: str) -> int:
        """``len(encode_ordinary(text))`` without building the list where possible."""
        fast = self._rs_bpe()
        if fast is not None:
            n = _attempt(fast.count, text)
            if n is not None:
                return int(n)
        return len(get_encoding(self.name).encode_ordinary(text))


class _OneByOne:
    """A batch counted text by text; ids are kept when asked for up front, else encoded
    when asked for."""

    def __init__(self, enc: Encoder, texts: list[str], ids: bool = False) -> None:
        self._enc = enc
        self._texts = texts
        self._ids = enc.encode_all(texts) if ids else None
        self.counts = list(map(len, self._ids)) if self._ids is not None else enc.counts(texts)

    def tokens(self, i: int) -> list[int]:
        if self._ids is not None:
            return self._ids[i]
        return self._enc.encode_ordinary(self._texts[i])

    def shared(self, reference: list[int], limit: int) -> int:
        """How many leading tokens every text shares with ``reference`` (at most ``limit``).

        >>> batch = _OneByOne(exact_encoder("o200k_base"), ["hello world", "hello there"])
        >>> reference = exact_encoder("o200k_base").encode_ordinary("hello you")
        >>> batch.shared(reference, 5), batch.shared(reference, 0)
        (1, 0)
        """
        head = reference[:limit]
        for i in range(len(self.counts)):
            tokens = self.tokens(i)
            if tokens[: len(head)] != head:
                head = head[: _common_length(head, tokens)]
            if not head:
                break
        return len(head)


class _Flat:
    """A batch encoded in one call: all ids end to end, and where each text's start."""

    def __init__(self, ids: bytes, offsets: bytes) -> None:
        import numpy as np  # here: starting fastokens' load early must not wait for numpy

        self._ids: np.ndarray = np.frombuffer(ids, dtype="<u4")
        self._offsets: np.ndarray = np.frombuffer(offsets, dtype="<u8")
        self.counts = np.diff(self._offsets).tolist()

    def tokens(self, i: int) -> list[int]:
        return self._ids[self._offsets[i] : self._offsets[i + 1]].tolist()

    def shared(self, reference: list[int], limit: int) -> int:
        """:meth:`_OneByOne.shared`, one position of every text at a time (numpy)."""
        head = reference[:limit]
        starts = self._offsets[:-1]
        lengths = self._offsets[1:] - starts
        for j, token in enumerate(head):
            if (lengths <= j).any() or (self._ids[starts + j] != token).any():
                return j
        return len(head)


def _common_length(a: list[int], b: list[int]) -> int:
    """How many leading ids two lists share.

    >>> _common_length([1, 2, 3], [1, 2, 4, 5]), _common_length([1], [1, 2])
    (2, 1)
    """
    n = min(len(a), len(b))
    return next((i for i in range(n) if a[i] != b[i]), n)


def _attempt_flat(bulk: Any, texts: list[str]) -> _Flat | None:
    """One fastokens call for the batch, after tiktoken's surrogate rule; None if refused."""
    try:
        try:
            return _Flat(*bulk.encode_batch_flat(texts, split_special_tokens=True))
        except UnicodeEncodeError:
            fixed = [tiktoken_text(text) for text in texts]
            return _Flat(*bulk.encode_batch_flat(fixed, split_special_tokens=True))
    except (KeyboardInterrupt, SystemExit):
        raise
    except BaseException:
        return None


def _attempt_each(call: Any, texts: list[str]) -> list[Any] | None:
    """``call`` on every text in one C-level pass, or None when any text is refused.

    One refusal (a lone surrogate, a Rust panic) sends the whole list the
    careful way, text by text (:func:`_attempt`); the catch is as broad, for
    the same reason.
    """
    try:
        return list(map(call, texts))
    except (KeyboardInterrupt, SystemExit):
        raise
    except BaseException:
        return None


def _attempt(call: Any, text: str) -> Any:
    """``call(text)``, or None when the fast encoder refuses.

    A text holding lone surrogates cannot be UTF-8 encoded, so the encoder
    refuses it (UnicodeEncodeError) before counting anything; it is then
    counted again after tiktoken's surrogate rule. Texts without surrogates,
    nearly all of them, are never scanned for them.

    rs-bpe reports a Rust panic as an exception outside ``Exception``, so the
    catch is broad; an interrupt still stops the count.
    """
    try:
        try:
            return call(text)
        except UnicodeEncodeError:
            return call(tiktoken_text(text))
    except (KeyboardInterrupt, SystemExit):
        raise
    except BaseException:
        return None


_lock = threading.Lock()
_encoders: dict[str, ExactEncoder] = {}


def bulk_pays(name: str, size: int, records: int = 0) -> bool:
    """Whether loading fastokens pays for ``size`` bytes of about ``records`` records.

    >>> bulk_pays("o200k_base", 30 * 2**20), bulk_pays("o200k_base", 2**20, records=500_000)
    (True, True)
    >>> bulk_pays("o200k_base", 2**20, records=1_000)
    False
    """
    return size >= BULK_MIN_BYTES[name] or records >= BULK_MIN_RECORDS[name]


def exact_encoder(name: str) -> ExactEncoder:
    """The shared exact encoder of a shipped encoding (an unknown name is an error)."""
    if name not in ENCODING_SPECS:
        get_encoding(name)  # raises the uniform unknown-encoding error
    with _lock:
        if name not in _encoders:
            _encoders[name] = ExactEncoder(name)
        return _encoders[name]


def _load_bulk(name: str) -> Any:
    """fastokens' tokenizer built from the shipped file once its sha256 checks out, or None.

    The split pattern is fastokens' own for the encoding (``encoding=name``):
    its scanner, several times faster than a regular expression, is used only
    for the pattern in the form fastokens writes it. For cl100k_base that form
    differs from the one tiktoken ships (``pattern``, which fastokens runs
    through a regular expression: 2.6 s of CPU against 0.6 s for the varied
    corpus of benchmarks/bench_tokens.py); the counts are the same, as
    tests/test_fast_counting.py proves record by record for both encodings.
    """
    try:
        from fastokens import Tokenizer
    except ImportError:
        return None
    spec = ENCODING_SPECS[name]
    try:
        data = spec.path.read_bytes()
    except OSError:
        return None  # tiktoken, which counts instead, reports the missing file
    if hashlib.sha256(data).hexdigest() != spec.sha256:
        return None  # likewise: tiktoken refuses the file with a clear message
    return Tokenizer.from_tiktoken(str(spec.path), encoding=name)


def _load_fast(name: str) -> Any:
    """rs-bpe's tokenizer for ``name``, or None where the library is not installed."""
    try:
        from rs_bpe.bpe import openai
    except ImportError:
        return None
    make = getattr(openai, name, None)
    return make() if make is not None else None
