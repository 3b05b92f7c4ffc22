"""Exact token counts of a sample file, per column, with the statistics the model needs.

Three columns can be present: ``long`` (the long prompt for the base model),
``short`` (the short prompt for the fine-tuned model) and ``output``. Each gets
records, total, mean, min, p50, p90, p95 and max, plus the per-record counts as
an array for histograms. Percentiles are nearest-rank (numpy's
``inverted_cdf``), so every percentile is a count some record really has.

Plain text is counted with ``encode_ordinary``: ``<|endoftext|>`` and other
special-token strings are ordinary text. Chat prompts use OpenAI's framing
(:func:`costmodel.tokens.tokenizers.count_chat`); an output is its text alone.

``shared_prefix_tokens`` is how many leading tokens every long prompt has in
common — the static part that prompt caching can reuse — measured on the token
sequences themselves (chat framing included), so it is exact. A file with a
single record reports 0: one prompt says nothing about what repeats.

Speed. Records are parsed in batches of about a million characters. A large
file is counted by fastokens on a thread per core while this thread parses on
(it releases the GIL); a smaller one by rs-bpe, in worker processes on the
command line (see :func:`count_samples` and :mod:`costmodel.tokens.fast`).
Templated corpora (one long system prompt and few-shot block, then a varying
ticket) are counted by encoding the shared block once and only the rest of
each prompt, with totals identical to encoding every prompt whole; see
:func:`safe_cut` for why that split is exact.
"""

from __future__ import annotations

import multiprocessing
import os
from array import array
from collections import deque
from collections.abc import Callable, Iterable, Mapping
from concurrent.futures import (
    BrokenExecutor,
    Executor,
    Future,
    ProcessPoolExecutor,
    ThreadPoolExecutor,
)
from contextlib import nullcontext
from dataclasses import dataclass, field
from functools import partial
from itertools import chain
from types import MappingProxyType
from typing import Any, NamedTuple

import numpy as np

from costmodel.tokens.fast import Encoder, ExactEncoder, bulk_pays, exact_encoder
from costmodel.tokens.samples import (
    Prompt,
    Sample,
    SampleSet,
    SampleSource,
    SampleStream,
    TextBlock,
)
from costmodel.tokens.tokenizers import REPLY_PRIMING_TOKENS, TokenizerChoice, choose

LONG, SHORT, OUTPUT = "long", "short", "output"
COLUMNS = (LONG, SHORT, OUTPUT)

ProgressCallback = Callable[[int, int], None]

MIN_PREFIX_CHARS = 512
RECENT_TEXTS = 8
MAX_PREFIXES = 16
BATCH_CHARS = 1024 * 1024
BATCH_JOBS = 8192
CHUNKS_PER_WORKER = 4
MAX_PENDING_CHUNKS_PER_WORKER = 8
# Below this, starting worker processes costs more than they save.
PROCESS_MIN_BYTES = 4 * 2**20
# While fastokens loads, parsed texts wait for it rather than being counted by rs-bpe,
# up to about this much memory (then the count waits for the load): rs-bpe would
# spend more CPU on them than the load itself (measured on the varied corpus,
# o200k_base: 4.0-4.6 s of CPU for the whole process waiting, 6.5-6.7 s counting
# meanwhile). A held text is reckoned at its characters plus TEXT_OVERHEAD_BYTES,
# the string object's own size, which dominates for millions of tiny records.
HELD_BYTES = 64 * 2**20
TEXT_OVERHEAD_BYTES = 64

# Stand-ins for the chat framing tokens, so chat prompts become token sequences
# that can be compared for a shared prefix. Negative: never a real token id.
_START, _SEP, _END, _NAME, _PRIMING = [-1], [-2], [-3], [-4], [-5] * REPLY_PRIMING_TOKENS

Part = str | list[int]


@dataclass(frozen=True)
class ColumnStats:
    """Token statistics of one column; ``counts`` holds one read-only entry per record."""

    name: str
    records: int
    total: int
    mean: float
    min: int
    p50: int
    p90: int
    p95: int
    max: int
    counts: np.ndarray = field(repr=False, compare=False)

    @classmethod
    def of(cls, name: str, counts: np.ndarray) -> ColumnStats:
        """Summarise non-empty per-record counts.

        Hand-checked: nearest-rank p50 of 1..10 is 5, p90 is 9, p95 is 10.

        >>> s = ColumnStats.of("long", np.arange(1, 11))
        >>> (s.total, s.mean, s.p50, s.p90, s.p95, s.min, s.max)
        (55, 5.5, 5, 9, 10, 1, 10)
        """
        frozen = np.array(counts, dtype=np.int64)
        frozen.setflags(write=False)
        p50, p90, p95 = (int(v) for v in np.percentile(frozen, [50, 90, 95], method="inverted_cdf"))
        return cls(
            name=name,
            records=int(frozen.size),
            total=int(frozen.sum()),
            mean=float(frozen.mean()),
            min=int(frozen.min()),
            p50=p50,
            p90=p90,
            p95=p95,
            max=int(frozen.max()),
            counts=frozen,
        )

    def as_dict(self) -> dict[str, int | float]:
        """The figures as JSON-ready numbers (the counts array stays out)."""
        return {
            "records": self.records,
            "total_tokens": self.total,
            "mean": self.mean,
            "min": self.min,
            "p50": self.p50,
            "p90": self.p90,
            "p95": self.p95,
            "max": self.max,
        }


@dataclass(frozen=True)
class TokenStats:
    """Everything counted in one sample file, and how (which encoding, exact or not)."""

    source: str
    format: str
    model: str
    encoding: str
    approximate: bool
    reason: str
    columns: Mapping[str, ColumnStats]
    shared_prefix_tokens: int
    warnings: tuple[str, ...]

    @property
    def long(self) -> ColumnStats:
        return self.columns[LONG]

    @property
    def records(self) -> int:
        return self.long.records

    def as_dict(self) -> dict[str, Any]:
        """Long-prompt figures at top level, every column under ``columns``."""
        return {
            "file": self.source,
            "format": self.format,
            **self.long.as_dict(),
            "model": self.model,
            "encoding": self.encoding,
            "approximate": self.approximate,
            "reason": self.reason,
            "shared_prefix_tokens": self.shared_prefix_tokens,
            "columns": {name: col.as_dict() for name, col in self.columns.items()},
            "warnings": list(self.warnings),
        }


def token_stats(
    source: SampleSource,
    *,
    model: str | None = None,
    encoding: str | None = None,
    progress: ProgressCallback | None = None,
    processes: bool = False,
) -> TokenStats:
    """Count a sample file (a path or ``(bytes, filename)``) as a stream.

    ``progress(done, total)`` is called as bytes are consumed; ``processes``
    allows worker processes (see :func:`count_samples`).

    >>> stats = token_stats((b'{"prompt": "hello world"}\\n', "a.jsonl"), model="gpt-4o")
    >>> stats.long.total, stats.encoding, stats.approximate
    (2, 'o200k_base', False)
    """
    choice = choose(model, encoding)
    return count_samples(SampleStream(source), choice, progress, processes=processes)


def count_samples(
    samples: SampleStream | SampleSet,
    choice: TokenizerChoice,
    progress: ProgressCallback | None = None,
    *,
    processes: bool = False,
) -> TokenStats:
    """Count already-opened samples (a stream, or a set the dashboard loaded).

    A large stream, or one of many short records
    (:func:`costmodel.tokens.fast.bulk_pays`), starts loading fastokens in the
    background unless it already is (the command line starts it before reading
    anything); batches parsed meanwhile wait for it (up to
    :data:`HELD_BYTES`), and all are counted on a thread per core while this
    thread parses on. Smaller streams are counted by rs-bpe, which holds the
    interpreter lock: with
    ``processes`` (the command line, a process of its own) a stream of at least
    :data:`PROCESS_MIN_BYTES` is counted in worker processes, one per core,
    while this one parses on. The dashboard's server keeps to threads: it
    serves many sessions and must not fork.
    """
    if isinstance(samples, SampleSet):
        records: Iterable[Sample | TextBlock] = samples.samples
        total = len(samples)

        def position(done: int) -> tuple[int, int]:
            return done, total

    else:
        stream = samples
        records = stream.batches()

        def position(done: int) -> tuple[int, int]:
            return stream.position, stream.size

    enc = exact_encoder(choice.encoding)
    size = samples.size if isinstance(samples, SampleStream) else 0
    items = iter(records)
    first = next(items, None)
    if isinstance(samples, SampleStream) and _bulk_pays(choice.encoding, samples, first):
        enc.start_bulk()
    workers = _workers()
    done = 0
    with _pool(enc, workers, processes and size >= PROCESS_MIN_BYTES) as pool:
        counter = _Counter(enc, pool, workers)
        for item in chain([first] if first is not None else [], items):
            if isinstance(item, TextBlock):
                counter.add_texts(item)
                done += item.records
            else:
                counter.add(item)
                done += 1
            if counter.flushed and progress:
                progress(*position(done))
        counter.finish()
    if progress:
        progress(*position(done))
    columns = {
        name: ColumnStats.of(name, np.frombuffer(counts, dtype=np.int64))
        for name, counts in counter.counts.items()
        if len(counts)
    }
    return TokenStats(
        source=samples.name,
        format=samples.format,
        model=choice.model,
        encoding=choice.encoding,
        approximate=choice.approximate,
        reason=choice.reason,
        columns=MappingProxyType(columns),
        shared_prefix_tokens=counter.shared_prefix() if columns[LONG].records > 1 else 0,
        warnings=samples.warnings,
    )


def _bulk_pays(encoding: str, stream: SampleStream, first: Sample | TextBlock | None) -> bool:
    """Whether loading fastokens pays for this stream: a large file, or many records.

    The number of records is estimated from the first block: its records times
    the file's size over the bytes read so far.

    >>> stream = SampleStream((b'{"prompt": "hi"}\\n' * 3, "a.jsonl"))
    >>> _bulk_pays("o200k_base", stream, next(stream.batches()))
    False
    """
    if not isinstance(first, TextBlock):
        return bulk_pays(encoding, stream.size)
    return bulk_pays(encoding, stream.size, first.records * stream.size // max(stream.position, 1))


def _workers() -> int:
    """One counting thread or process per core, capped."""
    return max(1, min(4, os.cpu_count() or 1))


def _pool(enc: ExactEncoder, workers: int, processes: bool) -> Any:
    """Where batches are counted: fastokens' threads, worker processes, or here (None)."""
    if enc.bulk or enc.bulk_loading:
        return ThreadPoolExecutor(workers)
    if processes and workers > 1 and "fork" in multiprocessing.get_all_start_methods():
        # fork: the workers start in milliseconds with the encoder already loaded
        # (where a system has no fork, this process counts alone).
        return ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork"))
    return nullcontext()


def safe_cut(text: str, limit: int) -> int:
    """The largest cut ≤ ``limit`` after which ``text`` may be counted in two parts.

    A cut qualifies when ``text[cut - 1]`` is a newline and ``text[cut]`` is a
    letter (or the text ends there). Then, for both o200k_base and cl100k_base,
    ``count_tokens(text[:cut]) + count_tokens(text[cut:]) == count_tokens(text)``:

    * BPE merges never cross the pre-tokenizer's regex chunks, so the split is
      exact when both halves chunk as they do inside the whole text.
    * No alternative of either pattern matches a newline followed by a letter:
      letter runs may start with one non-letter, but never ``\\r``/``\\n``;
      punctuation runs end with ``[\\r\\n/]*`` (o200k) or ``[\\r\\n]*`` (cl100k);
      the remaining alternatives are whitespace only. So a chunk ends at the cut.
    * Before the cut, only lookahead could differ between the prefix alone and
      inside the text: ``\\s+(?!\\S)`` (both) and ``\\s++$`` (cl100k). In a
      whitespace run that ends with the newline, ``\\s*[\\r\\n]+`` (o200k) or
      ``\\s*[\\r\\n]`` (cl100k) reaches the cut first in both cases — cl100k's
      ``\\s++$`` takes the same run when the prefix ends there. After the cut no
      pattern looks behind, so the rest chunks as it does alone.

    tests/test_tokenstats.py checks the identity with hypothesis for both encodings.

    >>> safe_cut("Rules\\nBe brief.\\n\\n12 Ticket", 25)
    6
    >>> safe_cut("no newline", 10)
    0
    """
    end = min(limit, len(text))
    while end > 0:
        newline = text.rfind("\n", 0, end)
        cut = newline + 1
        if cut == 0:
            return 0
        if cut == len(text) or text[cut].isalpha():
            return cut
        end = newline
    return 0


def _common_prefix_len(a: str, b: str) -> int:
    """Length of the common prefix by bisection on C-level comparisons, not a char loop.

    >>> _common_prefix_len("system\\nticket A", "system\\nticket B")
    14
    """
    hi = min(len(a), len(b))
    if a[:hi] == b[:hi]:
        return hi
    lo = 0  # a[:lo] == b[:lo] and a[:hi] != b[:hi]
    while hi - lo > 1:
        mid = (lo + hi) // 2
        if b.startswith(a[:mid]):
            lo = mid
        else:
            hi = mid
    return lo


class _Prefix(NamedTuple):
    text: str
    tokens: list[int]


class _PrefixCache:
    """Long prefixes recently shared by two texts, each counted once and cut safely.

    Holds at most ``MAX_PREFIXES`` prefixes and ``RECENT_TEXTS`` texts, so memory
    stays bounded however big the file.
    """

    def __init__(self, enc: Encoder) -> None:
        self._enc = enc
        self._prefixes: list[_Prefix] = []
        self._recent: deque[str] = deque(maxlen=RECENT_TEXTS)

    def split(self, text: str) -> list[Part]:
        """``text`` as parts to count: known prefix tokens plus the rest, or whole."""
        if len(text) < MIN_PREFIX_CHARS:
            return [text]
        for known in self._prefixes:
            if _splits_at(text, known.text):
                return _parts(known, text)
        learned = self._learn(text)
        if learned is None:
            self._recent.append(text)
            return [text]
        return _parts(learned, text)

    def _learn(self, text: str) -> _Prefix | None:
        """Find a long safe prefix that ``text`` shares with a recent text."""
        head = text[:MIN_PREFIX_CHARS]
        for other in self._recent:
            if not other.startswith(head):
                continue
            cut = safe_cut(text, _common_prefix_len(text, other))
            if cut >= MIN_PREFIX_CHARS:
                prefix = _Prefix(text[:cut], self._enc.encode_ordinary(text[:cut]))
                self._prefixes.append(prefix)
                self._prefixes.sort(key=lambda p: -len(p.text))
                del self._prefixes[MAX_PREFIXES:]
                return prefix
        return None


def _splits_at(text: str, prefix: str) -> bool:
    """``text`` starts with ``prefix`` and the cut there is safe (see :func:`safe_cut`)."""
    cut = len(prefix)
    return text.startswith(prefix) and (cut == len(text) or text[cut].isalpha())


def _parts(prefix: _Prefix, text: str) -> list[Part]:
    rest = text[len(prefix.text) :]
    return [prefix.tokens, rest] if rest else [prefix.tokens]


class _Counter:
    """Turns samples into encoding jobs and counts them a large batch at a time.

    Without a pool, each batch is counted here as soon as it is parsed. While
    fastokens loads, batches are held for it (see :meth:`_release`). Otherwise
    a batch is split into
    chunks for the pool, and this thread parses on while the pool counts
    (fastokens releases the GIL; worker processes have their own): at most
    ``MAX_PENDING_CHUNKS_PER_WORKER`` chunks per worker wait for their
    result, so memory stays bounded however big the file. Should the worker
    processes die, the chunks are counted here instead, with the same
    counts. Results
    are taken in order, so counts stay in record order. A chunk counted while
    an earlier one is still out uses a shared-prefix bound that may be too
    high; that only means more comparing, since the result is a minimum over
    every chunk.
    """

    def __init__(self, enc: Encoder, pool: Executor | None, workers: int):
        self._enc = enc
        self._pool = pool
        self._workers = workers
        self._prefixes = {name: _PrefixCache(enc) for name in COLUMNS}
        self.counts: dict[str, array[int]] = {name: array("q") for name in COLUMNS}
        self._reference: list[int] = []
        self._shared = 0
        self._jobs: list[tuple[str, list[Part]]] = []
        self._chars = 0
        self._pending: deque[tuple[_Chunk, Future[_Result]]] = deque()
        self._held: list[_Chunk] = []
        self._held_bytes = 0
        self.flushed = False

    def add(self, sample: Sample) -> None:
        """Queue one record's columns; count the batch once it is big enough."""
        self.flushed = False
        prompt = sample.long_prompt
        if self._reference and type(prompt) is str and len(prompt) < MIN_PREFIX_CHARS:
            # A short text is counted whole (see _PrefixCache.split): the common case
            # of files with millions of records, so it skips the general path.
            self._jobs.append((LONG, [prompt]))
            self._chars += len(prompt)
            if sample.short_prompt is not None or sample.output is not None:
                self._add_others(sample)
            elif self._chars >= BATCH_CHARS or len(self._jobs) >= BATCH_JOBS:
                self.flush()
            return
        long = self._prompt_parts(LONG, prompt)
        if not self._reference:
            self._reference = [t for part in long for t in self._tokens(part)]
            self._shared = len(self._reference)
        self._queue(LONG, long)
        self._add_others(sample)

    def add_texts(self, block: TextBlock) -> None:
        """Count a block of plain-text records, each column in one batch.

        A block holding a text of :data:`MIN_PREFIX_CHARS` or more (which may
        share a prefix worth counting once) goes the record-by-record way
        instead. The file's first prompt is the reference for the shared prefix.
        """
        columns = ((LONG, block.long), (SHORT, block.short), (OUTPUT, block.output))
        if not self._reference and len(block.long[0]) < MIN_PREFIX_CHARS:
            self._reference = self._enc.encode_ordinary(block.long[0])
            self._shared = len(self._reference)
        if not self._reference or any(
            max(map(len, texts), default=0) >= MIN_PREFIX_CHARS for _, texts in columns
        ):
            for text in block.long:
                self.add(Sample(0, None, text, None, None))
            for column, texts in columns[1:]:
                for text in texts:
                    self._queue(column, self._prefixes[column].split(text))
            self.flushed = True
            if self._chars >= BATCH_CHARS or len(self._jobs) >= BATCH_JOBS:
                self.flush()
            return
        self.flush()  # records queued before this block first, so columns keep file order
        for column, texts in columns:
            if texts:
                self._held.append(_Texts(column, texts))
                self._held_bytes += sum(map(len, texts)) + TEXT_OVERHEAD_BYTES * len(texts)
        self._release()

    def _release(self, wait: bool = False) -> None:
        """Send the held work on, in order, unless fastokens is loading and it is small.

        While it loads, work waits for it (up to :data:`HELD_BYTES`); with
        ``wait`` (or more held) the count waits for the load to end.
        """
        if not self._held:
            return
        if self._enc.bulk_loading:
            if not wait and self._held_bytes < HELD_BYTES:
                return
            self._enc.start_bulk(wait=True)
        held, self._held, self._held_bytes = self._held, [], 0
        for chunk in held:
            self._send(chunk, len(chunk.texts) if isinstance(chunk, _Texts) else len(chunk))

    def _add_others(self, sample: Sample) -> None:
        """Queue the short prompt and the output; count the batch once it is big enough."""
        if sample.short_prompt is not None:
            self._queue(SHORT, self._prompt_parts(SHORT, sample.short_prompt))
        if sample.output is not None:
            self._queue(OUTPUT, self._prefixes[OUTPUT].split(sample.output))
        if self._chars >= BATCH_CHARS or len(self._jobs) >= BATCH_JOBS:
            self.flush()

    def flush(self) -> None:
        """Count the queued jobs here, or hand them to the pool once fastokens is loaded."""
        jobs, chars = self._jobs, self._chars
        self._jobs, self._chars = [], 0
        self.flushed = True
        if jobs:
            self._held.append(jobs)
            self._held_bytes += chars + TEXT_OVERHEAD_BYTES * len(jobs)
            self._release()

    def _send(self, work: _Jobs | _Texts, size: int) -> None:
        """Count ``work`` here, or split into chunks for the pool; ``size`` is its length."""
        count = self._pooled()
        if self._pool is None or count is None:
            while self._pending:  # earlier records first
                self._take(*self._oldest())
            self._take(work, self._here(work))
            return
        step = -(-size // (self._workers * CHUNKS_PER_WORKER))
        for i in range(0, size, step):
            chunk = _piece(work, i, i + step)
            self._pending.append((chunk, self._submit(count, chunk)))
        while len(self._pending) > self._workers * MAX_PENDING_CHUNKS_PER_WORKER:
            self._take(*self._oldest())

    def _pooled(self) -> Callable[[_Chunk], _Result] | None:
        """How the pool counts a chunk, or None while it cannot (fastokens still loading)."""
        reference, limit = self._reference[: self._shared], self._shared
        if isinstance(self._pool, ProcessPoolExecutor):
            return partial(_count_in_process, self._enc.name, reference=reference, limit=limit)
        if self._pool is not None and self._enc.bulk:
            return partial(_count_chunk, self._enc, reference=reference, limit=limit)
        return None

    def _submit(self, count: Callable[[_Chunk], _Result], chunk: _Chunk) -> Future[_Result]:
        """The chunk handed to the pool; once the pool is broken, a future that says so."""
        if self._pool is not None:
            try:
                return self._pool.submit(count, chunk)
            except BrokenExecutor:
                self._pool = None
        failed: Future[_Result] = Future()
        failed.set_exception(BrokenExecutor())
        return failed

    def _here(self, chunk: _Chunk) -> _Result:
        return _count_chunk(self._enc, chunk, self._reference, self._shared)

    def finish(self) -> None:
        """Count what is queued and wait for every chunk still out."""
        self.flush()
        self._release(wait=True)
        while self._pending:
            self._take(*self._oldest())

    def _oldest(self) -> tuple[_Chunk, _Result]:
        chunk, future = self._pending.popleft()
        try:
            return chunk, future.result()
        except BrokenExecutor:  # a worker process died (out of memory, killed)
            self._pool = None
            return chunk, self._here(chunk)

    def _take(self, chunk: _Chunk, result: _Result) -> None:
        counts, shared = result
        if isinstance(chunk, _Texts):
            self.counts[chunk.column].extend(counts)
        else:
            for (column, _), n in zip(chunk, counts, strict=True):
                self.counts[column].append(n)
        self._shared = min(self._shared, shared)

    def shared_prefix(self) -> int:
        return self._shared

    def _tokens(self, part: Part) -> list[int]:
        return part if isinstance(part, list) else self._enc.encode_ordinary(part)

    def _prompt_parts(self, column: str, prompt: Prompt) -> list[Part]:
        """A text's parts, or a chat's framing stand-ins and texts in request order."""
        if isinstance(prompt, str):
            return self._prefixes[column].split(prompt)
        split = self._prefixes[column].split
        parts: list[Part] = []
        for message in prompt:
            parts.append(_START)
            parts.append(message.role)
            if message.name is not None:
                parts.append(_NAME)
                parts.append(message.name)
            parts.append(_SEP)
            if message.content:
                parts.extend(split(message.content))
            parts.append(_END)
        parts.append(_PRIMING)
        return parts

    def _queue(self, column: str, parts: list[Part]) -> None:
        self._jobs.append((column, parts))
        for part in parts:
            if isinstance(part, str):
                self._chars += len(part)


_Result = tuple[list[int], int]
_Jobs = list[tuple[str, list[Part]]]


class _Texts(NamedTuple):
    """Plain texts of one column, counted in one batch (see :meth:`_Counter.add_texts`)."""

    column: str
    texts: list[str]


_Chunk = _Jobs | _Texts


def _piece(work: _Chunk, start: int, stop: int) -> _Chunk:
    """Items ``start`` to ``stop`` of a chunk of either kind."""
    if isinstance(work, _Texts):
        return _Texts(work.column, work.texts[start:stop])
    return work[start:stop]


def _count_chunk(enc: Encoder, chunk: _Chunk, reference: list[int], limit: int) -> _Result:
    """Count a chunk of either kind (see :func:`_count_jobs` for the shared prefix)."""
    if not isinstance(chunk, _Texts):
        return _count_jobs(enc, chunk, reference, limit)
    comparing = chunk.column == LONG and limit > 0
    batch = enc.batch(chunk.texts, ids=comparing)
    return batch.counts, batch.shared(reference, limit) if comparing else limit


def _count_jobs(
    enc: Encoder, jobs: list[tuple[str, list[Part]]], reference: list[int], limit: int
) -> _Result:
    """Count each job, and how many leading tokens long prompts share with ``reference``.

    Every text of the chunk is counted in one batch; ids are asked for only
    while a long prompt still agrees with the reference. The returned share is
    ``min(limit, shortest agreement)``; since ``limit`` is itself a minimum over
    earlier records, the overall minimum stays exact.
    """
    texts = [part for _, parts in jobs for part in parts if isinstance(part, str)]
    batch = enc.batch(texts, ids=limit > 0)
    indexes = iter(range(len(batch.counts)))
    counts = []
    # Shared prefix and framing lists recur in every record, and so may whole texts
    # (the same question asked many times): compare each once per batch. Lists are
    # keyed on id(), which is safe because ``jobs`` keeps them alive; texts on their value.
    seen: dict[tuple[int | str, int, int], tuple[int, bool]] = {}
    for column, parts in jobs:
        total = 0
        agreed, comparing = 0, column == LONG and limit > 0
        for part in parts:
            if isinstance(part, list):
                total += len(part)
                if comparing:
                    bound = min(limit, len(reference))
                    listed: tuple[int | str, int, int] = (id(part), agreed, bound)
                    if listed not in seen:
                        seen[listed] = _agree(reference, bound, agreed, part)
                    agreed, comparing = seen[listed]
                continue
            i = next(indexes)
            total += batch.counts[i]
            if comparing:
                bound = min(limit, len(reference))
                key: tuple[int | str, int, int] = (part, agreed, bound)
                if key not in seen:
                    seen[key] = (
                        _agree(reference, bound, agreed, batch.tokens(i))
                        if agreed < bound
                        else (agreed, False)
                    )
                agreed, comparing = seen[key]
        if column == LONG:
            limit = min(limit, agreed)
        counts.append(total)
    return counts, limit


def _count_in_process(encoding: str, chunk: _Chunk, reference: list[int], limit: int) -> _Result:
    """:func:`_count_chunk` in a worker process, with that process's own encoder."""
    return _count_chunk(exact_encoder(encoding), chunk, reference, limit)


def _agree(reference: list[int], limit: int, agreed: int, tokens: list[int]) -> tuple[int, bool]:
    """Extend the agreement with ``reference`` by ``tokens``; False once it stops.

    >>> _agree([1, 2, 3, 4], 4, 1, [2, 3])
    (3, True)
    >>> _agree([1, 2, 3, 4], 4, 1, [2, 9])
    (2, False)
    """
    room = limit - agreed
    if room <= 0:
        return agreed, False
    head = tokens[:room]
    expected = reference[agreed : agreed + len(head)]
    if head == expected:
        return agreed + len(head), len(head) == len(tokens)
    first_difference = next(
        i for i, pair in enumerate(zip(head, expected, strict=True)) if pair[0] != pair[1]
    )
    return agreed + first_difference, False
