"""Read sample prompts from .txt, .csv/.tsv, .json and .jsonl files.

File types (chosen by the file-name extension, case-insensitive):

``.txt``
    Prompts separated by lines that hold only ``---`` (spaces around it are
    allowed). Without any separator line the whole file is one prompt. Line
    breaks at the start and end of each prompt are dropped; a separator on the
    first or last line does not create an empty prompt. Text files carry long
    prompts only.
``.csv`` / ``.tsv``
    A header row names the columns, then one record per row. Quoted fields may
    span lines. A ``.csv`` whose header has no comma but has semicolons or tabs
    uses that delimiter instead.
``.json``
    A list of records, or an object with a ``"records"`` list. It is read whole,
    so it may be at most :data:`MAX_JSON_BYTES`; larger inputs belong in JSONL.
``.jsonl`` / ``.ndjson``
    One record per line, read as a stream (a 200 MB file is fine). Blank lines
    are allowed.

A record is an object (a JSON object or a CSV row) or, in JSON and JSONL, a
bare string, which is a long prompt. Field names are matched case-insensitively,
with spaces and hyphens read as underscores:

* long prompt: ``long_prompt``, ``prompt``, ``input``, ``text``;
* short prompt for the fine-tuned model (optional): ``short_prompt``;
* expected output (optional): ``output``, ``completion``, ``response``,
  ``expected_output``;
* chat records (JSON/JSONL): ``messages``, a list of ``{"role", "content"}``
  messages (roles system, developer, user, assistant, tool; an optional
  ``name``). The prompt is every message before a final assistant message, and
  that final message is the output. ``short_messages`` is the optional chat
  form of the short prompt (a trailing assistant message in it is not part of
  the prompt). Only text content is counted.

When several names for one field are present, the first in the lists above
wins and a warning says so. Other fields are ignored, and a warning lists
them. Records whose prompt is empty or blank are skipped and counted in a
warning. Files must be UTF-8 (a byte-order mark is fine); anything else raises
:class:`~costmodel.errors.SampleFileError` naming the byte offset rather than
guessing a legacy encoding. A single record may hold up to
:data:`MAX_RECORD_CHARS` characters, far beyond any model's context window.
"""

from __future__ import annotations

import csv
import io
import json
import os
from collections.abc import Iterator
from dataclasses import dataclass
from itertools import chain
from operator import itemgetter
from pathlib import Path
from typing import IO, Any, Literal, NamedTuple

from costmodel.errors import SampleFileError
from costmodel.parsing import loads_json, loads_text_records
from costmodel.tokens.tokenizers import message_text

MAX_JSON_BYTES = 64 * 2**20
MAX_RECORD_CHARS = 32 * 2**20
SNIFF_BYTES = 8192

LONG_KEYS = ("long_prompt", "prompt", "input", "text")
SHORT_KEYS = ("short_prompt",)
OUTPUT_KEYS = ("output", "completion", "response", "expected_output")
CHAT_KEY = "messages"
SHORT_CHAT_KEY = "short_messages"
ROLES = frozenset({"system", "developer", "user", "assistant", "tool"})

FORMATS = {
    ".txt": "txt",
    ".csv": "csv",
    ".tsv": "tsv",
    ".json": "json",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
}
_SHOWN_LOCATIONS = 5
_MAX_LAYOUTS = 64

SampleSource = str | os.PathLike[str] | tuple[bytes, str]


class ChatMessage(NamedTuple):
    """One chat message, reduced to the fields OpenAI's chat framing counts."""

    role: str
    content: str
    name: str | None = None


Chat = tuple[ChatMessage, ...]
Prompt = str | Chat


class TextBlock(NamedTuple):
    """Consecutive records that are plain text, column by column.

    How files of millions of short records travel: one block per read block
    (about a megabyte) instead of one :class:`Sample` per record. ``records``
    is how many records the block holds; ``long`` has one prompt for each, and
    ``short`` and ``output`` hold only the records' non-blank values, in order.
    """

    records: int
    long: list[str]
    short: list[str]
    output: list[str]


class Sample(NamedTuple):
    """One record: a tuple, so it is immutable and cheap to build by the million.

    ``record`` is the 1-based position among all records of the file (skipped
    ones included); ``line`` is the line where it starts (``None`` in .json).
    """

    record: int
    line: int | None
    long_prompt: Prompt
    short_prompt: Prompt | None
    output: str | None


@dataclass(frozen=True)
class SampleSet:
    """Every usable record of one file, with the detected format and warnings."""

    name: str
    format: str
    samples: tuple[Sample, ...]
    warnings: tuple[str, ...]

    def __len__(self) -> int:
        return len(self.samples)


def read_samples(source: SampleSource) -> SampleSet:
    """Load a whole sample file: what the dashboard shows and the tests inspect.

    >>> s = read_samples((b"prompt,output\\nhello,hi\\n", "demo.csv"))
    >>> s.format, s.samples[0].long_prompt, s.samples[0].output
    ('csv', 'hello', 'hi')
    """
    stream = SampleStream(source)
    samples = tuple(stream)
    return SampleSet(stream.name, stream.format, samples, stream.warnings)


class SampleStream:
    """A sample file read lazily, one record at a time, so size costs no memory.

    Iterating yields :class:`Sample` objects; :meth:`batches` yields the same
    records with runs of plain-text ones grouped in :class:`TextBlock` objects.
    ``position`` tells how many bytes were read (for progress bars) and
    ``warnings`` is complete once iteration ends. Iterating again re-reads the
    file.
    """

    def __init__(self, source: SampleSource) -> None:
        self._origin: bytes | Path
        if isinstance(source, tuple):
            data, filename = source
            self._origin = bytes(data)
            self.name = Path(filename).name or "upload"
            self.size = len(self._origin)
            suffix = Path(filename).suffix
        else:
            self._origin = Path(source)
            self.name = self._origin.name
            self.size = _file_size(self._origin)
            suffix = self._origin.suffix
        self.format = _format_for(self.name, suffix)
        if self.format == "json" and self.size > MAX_JSON_BYTES:
            raise SampleFileError(
                f"{self.name}: {self.size / 2**20:.0f} MB is over the "
                f"{MAX_JSON_BYTES // 2**20} MB limit for .json files, which are read whole; "
                "save the records as JSON Lines (.jsonl), which is streamed"
            )
        self.position = 0
        self._warnings: list[str] = []

    @property
    def warnings(self) -> tuple[str, ...]:
        return tuple(self._warnings)

    def __iter__(self) -> Iterator[Sample]:
        for item in self._items(quick=False):
            if isinstance(item, Sample):
                yield item

    def batches(self) -> Iterator[Sample | TextBlock]:
        """The records in file order, runs of plain-text ones as :class:`TextBlock`.

        A block of lines (JSONL) or rows (CSV, TSV) whose records are all objects
        of non-blank text fields with the same keys comes as one TextBlock; any
        other block (chat records, blank or missing prompts, a line to report)
        comes record by record, read exactly as iterating reads it, so messages
        and warnings are the same either way.

        >>> stream = SampleStream((b"prompt,output\\nhi,yes\\nbye,\\n", "a.csv"))
        >>> list(stream.batches())
        [TextBlock(records=2, long=['hi', 'bye'], short=[], output=['yes'])]
        >>> stream.warnings
        ('output missing in 1 of 2 records; its statistics cover the other 1',)
        """
        try:
            yield from self._items(quick=True)
        except _RereadError:
            for _ in self._items(quick=False):
                pass  # stops at the file's first problem, with its message
            raise SampleFileError(f"{self.name}: cannot be read") from None

    def _items(self, quick: bool) -> Iterator[Sample | TextBlock]:
        self.position = 0
        self._warnings = []
        with self._open() as raw:
            head = raw.read(SNIFF_BYTES)
            _check_head(self.name, head)
            raw.seek(0)
            records = _RecordBuilder(self.name, self.format)
            if self.format == "json":
                yield from records.build(self._json_rows(raw))
            else:
                lines = _Lines(self.name, raw, self)
                if self.format == "jsonl":
                    yield from _jsonl_items(self.name, lines, records, quick)
                elif self.format == "txt":
                    yield from records.build(_txt_rows(self.name, lines))
                else:
                    delimiter = "\t" if self.format == "tsv" else ","
                    yield from _csv_items(self.name, lines, delimiter, records, quick)
            records.finish()
            self._warnings.extend(records.summary())

    def _open(self) -> IO[bytes]:
        """Open the bytes; a path that cannot be read is a user error, not a crash."""
        if isinstance(self._origin, bytes):
            return io.BytesIO(self._origin)
        try:
            return self._origin.open("rb")
        except OSError as exc:
            raise SampleFileError(f"{self.name}: cannot be read ({exc.strerror})") from exc

    def _json_rows(self, raw: IO[bytes]) -> Iterator[tuple[int, int | None, Any]]:
        data = raw.read()
        self.position = len(data)
        records = _json_records(self.name, _decode_all(self.name, data))
        for number, record in enumerate(records, start=1):
            yield number, None, record


def _file_size(path: Path) -> int:
    try:
        info = path.stat()
    except OSError as exc:
        raise SampleFileError(f"{path.name}: no such file ({path})") from exc
    if not path.is_file():
        raise SampleFileError(f"{path.name}: is not a file ({path})")
    return info.st_size


def _format_for(name: str, suffix: str) -> str:
    fmt = FORMATS.get(suffix.lower())
    if fmt is None:
        known = ", ".join(sorted(FORMATS))
        shown = f"'{suffix}'" if suffix else "no extension"
        raise SampleFileError(f"{name}: unsupported file type ({shown}); use one of {known}")
    return fmt


def _check_head(name: str, head: bytes) -> None:
    """Reject empty, UTF-16 and binary files before parsing produces odd errors."""
    if not head.strip() and len(head) < SNIFF_BYTES:
        raise SampleFileError(f"{name}: the file is empty")
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise SampleFileError(f"{name}: is UTF-16 encoded; save it as UTF-8")
    nul = head.find(b"\x00")
    if nul >= 0:
        raise SampleFileError(
            f"{name}: looks like a binary file (NUL byte at offset {nul}), not a text sample file"
        )


def _decode(name: str, raw: bytes, offset: int, first_line: int) -> str:
    """Strict UTF-8: a wrong byte is reported by offset and line, never replaced or guessed."""
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = first_line + raw.count(b"\n", 0, exc.start)
        raise SampleFileError(
            f"{name}: is not valid UTF-8: byte 0x{raw[exc.start]:02X} at offset "
            f"{offset + exc.start} (line {line}); save the file as UTF-8"
        ) from None


def _decode_all(name: str, data: bytes) -> str:
    bom = data.startswith(b"\xef\xbb\xbf")
    return _decode(name, data[3:] if bom else data, 3 if bom else 0, 1)


class _Lines:
    """Decoded lines of a byte stream, with line numbers, checked for NULs and UTF-8.

    The stream is read a block of whole lines at a time (:func:`_line_blocks`),
    and a block is checked and decoded in one step: a file of millions of short
    lines costs no per-line work here. A block holding a problem (a NUL, a byte
    that is not UTF-8, a line over :data:`MAX_RECORD_CHARS`) is read again line
    by line, so the message names the first such line exactly as it comes.
    """

    def __init__(self, name: str, raw: IO[bytes], tracker: SampleStream) -> None:
        self.name = name
        self._raw = raw
        self._tracker = tracker
        self.number = 0  # lines yielded by iterating
        self._read = 0  # lines handed out by texts()

    def __iter__(self) -> Iterator[str]:
        for text in self.texts():
            lines = text.split("\n")
            last = lines.pop()
            for line in lines:
                self.number += 1
                yield line + "\n"
            if last:
                self.number += 1
                yield last

    def texts(self) -> Iterator[str]:
        """The stream decoded in pieces of whole lines: a block, or one checked line.

        Every piece but the file's last ends with a newline.
        """
        offset = 0
        for block in _line_blocks(self._raw, MAX_RECORD_CHARS):
            start, offset = offset, offset + len(block)
            if start == 0 and block.startswith(b"\xef\xbb\xbf"):
                block, start = block[3:], 3
            text = self._quick(block)
            self._tracker.position = offset
            if text is None:
                yield from self._checked(block, start)
            else:
                yield text
                self._read += text.count("\n") + (not text.endswith("\n"))

    @staticmethod
    def _quick(block: bytes) -> str | None:
        """The block decoded, or None when it holds anything to report."""
        first = block.find(b"\n")
        if (first + 1 if first >= 0 else len(block)) > MAX_RECORD_CHARS or b"\x00" in block:
            return None
        try:
            return block.decode("utf-8")
        except UnicodeDecodeError:
            return None

    def _checked(self, block: bytes, offset: int) -> Iterator[str]:
        """The block's lines one by one, each checked, the first problem reported."""
        parts = block.split(b"\n")
        last = parts.pop()
        raw_lines = [part + b"\n" for part in parts] + ([last] if last else [])
        for raw_line in raw_lines:
            self._read += 1
            start, offset = offset, offset + len(raw_line)
            if len(raw_line) > MAX_RECORD_CHARS:
                raise SampleFileError(
                    f"{self.name}: line {self._read} is over {MAX_RECORD_CHARS // 2**20} MB, "
                    "longer than any model's context window"
                )
            nul = raw_line.find(b"\x00")
            if nul >= 0:
                raise SampleFileError(
                    f"{self.name}: NUL byte at offset {start + nul} (line {self._read}); "
                    "the file looks binary"
                )
            yield _decode(self.name, raw_line, start, self._read)


BLOCK_BYTES = 2**20


def _line_blocks(stream: IO[bytes], limit: int) -> Iterator[bytes]:
    """The stream in blocks that end at a line end (the last one at the end of the file).

    A line still open after ``limit`` bytes ends the blocks with its first
    ``limit + 1`` bytes, so the reader refuses it without a gigabyte line ever
    being held in memory.

    >>> import io
    >>> list(_line_blocks(io.BytesIO(b"a\\nb\\nc"), 10))
    [b'a\\nb\\n', b'c']
    >>> list(_line_blocks(io.BytesIO(b"a\\n" + b"x" * 20), 10))
    [b'a\\n', b'xxxxxxxxxxx']
    """
    tail = b""
    while True:
        data = stream.read(BLOCK_BYTES)
        if not data:
            if tail:
                yield tail
            return
        chunk = tail + data if tail else data
        cut = chunk.rfind(b"\n") + 1
        if cut:
            yield chunk[:cut]
        tail = chunk[cut:]
        if len(tail) > limit:
            yield tail[: limit + 1]
            return


def _jsonl_items(
    name: str, lines: _Lines, records: _RecordBuilder, quick: bool
) -> Iterator[Sample | TextBlock]:
    """Records of a JSON Lines file: a read block at a time, or (``quick`` off, or a
    block that is not all plain text) line by line."""
    number = 0  # records so far (blank lines are none)
    line_number = 0
    for text in lines.texts():
        block_lines = text.split("\n")
        if not block_lines[-1]:
            block_lines.pop()
        values = loads_text_records(block_lines) if quick else None
        block = None
        if values is not None and values:
            block = records.plain_block(values, number + 1, line_number + 1)
        if block is not None:
            number += len(block_lines)
            line_number += len(block_lines)
            yield block
            continue
        for line in block_lines:
            line_number += 1
            if not line or line.isspace():
                continue
            number += 1
            sample = records.take(number, line_number, _json_line(name, line, line_number))
            if sample is not None:
                yield sample


def _json_line(name: str, line: str, line_number: int) -> Any:
    """One line's record; a line that is not JSON is an error naming it."""
    try:
        return loads_json(line.strip())
    except json.JSONDecodeError as exc:
        column = exc.colno + len(line) - len(line.lstrip())
        raise SampleFileError(
            f"{name}: line {line_number} is not valid JSON: {exc.msg} (column {column})"
        ) from None
    except ValueError as exc:
        raise SampleFileError(f"{name}: line {line_number}: {exc}") from None


def _txt_rows(name: str, lines: _Lines) -> Iterator[tuple[int, int | None, Any]]:
    """Split at ``---`` lines; empty pieces at either end of the file are not records."""
    parts: list[str] = []
    size = 0
    start = 1
    number = 0
    for text in lines:
        if text.strip() == "---":
            if number or "".join(parts).strip():
                number += 1
                yield number, start, "".join(parts).strip("\r\n")
            parts, size, start = [], 0, lines.number + 1
            continue
        parts.append(text)
        size += len(text)
        if size > MAX_RECORD_CHARS:
            raise SampleFileError(
                f"{name}: the prompt starting at line {start} is over "
                f"{MAX_RECORD_CHARS // 2**20} MB; separate prompts with lines holding only ---"
            )
    tail = "".join(parts).strip("\r\n")
    if tail.strip() or not number:
        yield number + 1, start, tail


def _csv_items(
    name: str, lines: _Lines, delimiter: str, records: _RecordBuilder, quick: bool
) -> Iterator[Sample | TextBlock]:
    """Rows as records keyed by the header; a row of the wrong width is an error, not a guess.

    Rows come in chunks (:func:`_csv_chunks`). With ``quick``, a chunk of
    full-width rows of plain text becomes one :class:`TextBlock`; any other
    chunk is read row by row, each row's first line found from the line breaks
    inside the rows before it.
    """
    if csv.field_size_limit() < MAX_RECORD_CHARS:
        csv.field_size_limit(MAX_RECORD_CHARS)
    texts = lines.texts()
    first = next(texts, "")
    delimiter = _guess_delimiter(first[: first.find("\n") + 1] or first, delimiter)
    chunks = _csv_chunks(name, chain((first,), texts), delimiter, quick)
    head, head_lines = next(chunks, ([], 0))
    header = head[0] if head else None
    if not header or not any(cell.strip() for cell in header):
        raise SampleFileError(f"{name}: the first line must be a header row naming columns")
    twice = sorted({c for c in header if header.count(c) > 1})
    if twice:
        raise SampleFileError(f"{name}: column {twice[0]!r} appears twice in the header")
    width = len(header)
    number = 0
    end = _lines_of(header)
    for rows, taken in chain(((head[1:], head_lines - end),), chunks):
        block = records.plain_rows(header, rows, number + 1) if quick and rows else None
        if block is not None:
            number += len(rows)
            end += taken
            yield block
            continue
        for row in rows:
            start = end + 1
            end += _lines_of(row)
            if not row or (len(row) == 1 and not row[0].strip()):
                continue
            number += 1
            if len(row) != width:
                raise SampleFileError(
                    f"{name}: line {start} has {_fields(len(row))} but the header has "
                    f"{_fields(width)}; check delimiters and quotes"
                )
            sample = records.take(number, start, dict(zip(header, row, strict=True)))
            if sample is not None:
                yield sample
    if number == 0:
        raise SampleFileError(f"{name}: has a header row but no data rows")


def _lines_of(row: list[str]) -> int:
    """How many lines a parsed row took: one, plus the line breaks inside quoted fields.

    >>> _lines_of(["a", "two\\nlines"]), _lines_of([])
    (2, 1)
    """
    return 1 + sum(cell.count("\n") for cell in row)


def _csv_chunks(
    name: str, pieces: Iterator[str], delimiter: str, quick: bool
) -> Iterator[tuple[list[list[str]], int]]:
    """The rows of decoded pieces of the file, in chunks, each with the lines it took.

    Record by record (``quick`` off), one reader reads every row, and a row that
    breaks the quoting rules is reported with its line. Quick, each piece (a
    read block of whole lines) is one chunk: without quotes, carriage returns
    or blank lines its rows are its lines split at the delimiter, which is what
    the reader makes of them; otherwise a reader of its own reads it. A piece
    that ends inside a quoted field is joined to the next. A piece that breaks
    the rules raises :class:`_RereadError`: rows before the break may hold an
    earlier problem, so the file is read again record by record for the first.
    """
    if not quick:
        reader = csv.reader(
            chain.from_iterable(map(io.StringIO, pieces)), delimiter=delimiter, strict=True
        )
        try:
            for row in reader:
                yield [row], _lines_of(row)
        except csv.Error as exc:
            raise SampleFileError(
                f"{name}: line {reader.line_num} is not valid CSV: {exc}; check the quotes"
            ) from None
        return
    carry = ""
    for piece in pieces:
        text = carry + piece
        if not carry and '"' not in text and "\r" not in text and not _has_blank_line(text):
            split = text.split("\n")
            if not split[-1]:
                split.pop()
            yield [line.split(delimiter) for line in split], len(split)
            continue
        try:
            rows = list(csv.reader(io.StringIO(text), delimiter=delimiter, strict=True))
        except csv.Error as exc:
            if str(exc) != "unexpected end of data" or len(text) > MAX_RECORD_CHARS:
                raise _RereadError from None
            carry = text
            continue
        carry = ""
        yield rows, text.count("\n") + (not text.endswith("\n"))
    if carry:
        raise _RereadError


def _has_blank_line(text: str) -> bool:
    """Whether ``text`` holds an empty line (which the CSV reader reads as no row).

    >>> _has_blank_line("a\\n\\nb\\n"), _has_blank_line("a\\nb\\n")
    (True, False)
    """
    return text.startswith("\n") or "\n\n" in text


class _RereadError(Exception):
    """A quick read met a problem that only a record-by-record read words right."""


def _fields(n: int) -> str:
    return f"{n} field" if n == 1 else f"{n} fields"


def _guess_delimiter(header_line: str, default: str) -> str:
    """Excel writes ';' in many locales: use it (or a tab) when the header has no comma.

    >>> _guess_delimiter("prompt;output", ",")
    ';'
    >>> _guess_delimiter("prompt,output", ",")
    ','
    """
    if default == "," and "," not in header_line:
        for candidate in (";", "\t"):
            if candidate in header_line:
                return candidate
    return default


def _json_records(name: str, text: str) -> list[Any]:
    try:
        data = loads_json(text)
    except json.JSONDecodeError as exc:
        hint = ""
        if exc.msg == "Extra data":
            hint = "; it looks like one record per line: name the file .jsonl"
        raise SampleFileError(
            f"{name}: is not valid JSON: {exc.msg} at line {exc.lineno}, column {exc.colno}{hint}"
        ) from None
    except ValueError as exc:
        raise SampleFileError(f"{name}: {exc}") from None
    if isinstance(data, dict):
        records = {k.strip().lower(): v for k, v in data.items()}.get("records")
        if isinstance(records, list):
            return records
    if isinstance(data, list):
        return data
    raise SampleFileError(
        f'{name}: expected a list of records or an object with a "records" list, '
        f"got {_type_name(data)}"
    )


def _type_name(value: object) -> str:
    """JSON's own vocabulary, so messages match what the user sees in the file."""
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "an object"
    if value is None:
        return "null"
    return "text"


def normalise_key(key: str) -> str:
    """Field names match loosely: case, outer spaces, inner spaces and hyphens.

    >>> normalise_key(" Long-Prompt ")
    'long_prompt'
    """
    return key.strip().lower().replace(" ", "_").replace("-", "_")


class _Layout(NamedTuple):
    """Which raw field of a record plays which role, worked out once per key set."""

    long: str
    long_chat: bool
    short: str | None
    short_chat: bool
    output: str | None
    notes: tuple[str, ...]
    ignored: tuple[str, ...]


def _pick(found: dict[str, str], names: tuple[str, ...], role: str, notes: list[str]) -> str | None:
    """The raw key for the first accepted name present; a note if others were passed over."""
    present = [found[n] for n in names if n in found]
    if len(present) > 1:
        others = ", ".join(repr(k) for k in present[1:])
        notes.append(f"using {present[0]!r} as the {role}; ignoring {others}")
    return present[0] if present else None


def _layout(name: str, keys: list[str], where: str, kind: str) -> _Layout:
    """Map a record's keys (or a CSV header) to long/short/output fields."""
    found: dict[str, str] = {}
    for key in keys:
        found.setdefault(normalise_key(key), key)
    notes: list[str] = []
    long_key = _pick(found, LONG_KEYS, "long prompt", notes)
    short_key = _pick(found, SHORT_KEYS, "short prompt", notes)
    output_key = _pick(found, OUTPUT_KEYS, "output", notes)
    chat_key = found.get(CHAT_KEY) if kind != "csv" else None
    short_chat_key = found.get(SHORT_CHAT_KEY) if kind != "csv" else None
    if chat_key and long_key:
        raise SampleFileError(
            f"{name}: {where} has both {chat_key!r} and {long_key!r}; keep one of them"
        )
    if short_chat_key and short_key:
        raise SampleFileError(
            f"{name}: {where} has both {short_chat_key!r} and {short_key!r}; keep one of them"
        )
    long = chat_key or long_key
    if long is None:
        shown = ", ".join(repr(k) for k in keys) or "none"
        what = "columns" if kind == "csv" else "fields"
        accepted = ", ".join(LONG_KEYS) + ("" if kind == "csv" else f", or {CHAT_KEY}")
        raise SampleFileError(
            f"{name}: {where} has no prompt {what[:-1]}; {what} found: {shown}; "
            f"accepted names (any case): {accepted}"
        )
    named = set(LONG_KEYS + SHORT_KEYS + OUTPUT_KEYS)
    used = {long, short_chat_key or short_key, output_key}
    ignored = tuple(
        k
        for k in keys
        if k not in used and not (normalise_key(k) in named and found.get(normalise_key(k)) == k)
    )
    return _Layout(
        long=long,
        long_chat=chat_key is not None,
        short=short_chat_key or short_key,
        short_chat=short_chat_key is not None,
        output=output_key,
        notes=tuple(notes),
        ignored=ignored,
    )


class _Where(NamedTuple):
    """Where a record is, worded only when a message needs it (most records need none).

    >>> str(_Where(3, 7)), str(_Where(3, None, "messages item 2"))
    ('line 7', 'record 3: messages item 2')
    """

    number: int
    line: int | None
    detail: str = ""

    def __str__(self) -> str:
        place = f"line {self.line}" if self.line is not None else f"record {self.number}"
        return f"{place}: {self.detail}" if self.detail else place


def _filled(text: str) -> bool:
    """Not empty or blank, without copying the text as ``text.strip()`` would.

    >>> _filled(" x "), _filled(" \t"), _filled("")
    (True, False, False)
    """
    return bool(text) and not text.isspace()


class _RecordBuilder:
    """Turns raw records into Samples and keeps the tallies behind the warnings."""

    def __init__(self, name: str, fmt: str) -> None:
        self.name = name
        self.format = fmt
        self._layouts: dict[tuple[str, ...], _Layout] = {}
        self._notes: dict[str, None] = {}
        self._ignored: dict[str, None] = {}
        self._empty: list[str] = []  # the first few locations, for the warning
        self._empties = 0
        self._kept = 0
        self._with_short = 0
        self._with_output = 0
        self._dropped_parts = 0
        self._dropped_keys: dict[str, None] = {}

    def where(self, number: int, line: int | None) -> _Where:
        return _Where(number, line)

    def build(self, rows: Iterator[tuple[int, int | None, Any]]) -> Iterator[Sample]:
        for number, line, record in rows:
            sample = self.take(number, line, record)
            if sample is not None:
                yield sample

    def take(self, number: int, line: int | None, record: Any) -> Sample | None:
        """One raw record as a Sample, or None (tallied) when its prompt is empty."""
        sample = self._sample(number, line, record)
        if sample is None:
            self._empties += 1
            if len(self._empty) < _SHOWN_LOCATIONS:
                self._empty.append(str(self.where(number, line)))
            return None
        self._kept += 1
        self._with_short += sample.short_prompt is not None
        self._with_output += sample.output is not None
        return sample

    def finish(self) -> None:
        """A file without a single prompt is an error, not an empty result."""
        if not self._kept:
            skipped = f" ({self._empties} records with an empty prompt)" if self._empties else ""
            raise SampleFileError(f"{self.name}: contains no prompts{skipped}")

    def plain_block(self, values: list[Any], number: int, line: int) -> TextBlock | None:
        """JSON records (the first is record ``number`` on ``line``) as one TextBlock,
        or None unless every one is an object with the same keys and text fields."""
        first = values[0]
        if type(first) is not dict:
            return None
        keys = tuple(first)
        if set(map(type, values)) != {dict} or list(map(tuple, values)).count(keys) != len(values):
            return None
        return self._plain_columns(self._layout_for(first, number, line), values)

    def plain_rows(self, header: list[str], rows: list[list[str]], number: int) -> TextBlock | None:
        """Full-width CSV rows (the first is record ``number``) as one TextBlock, or None."""
        width = len(header)
        if set(map(len, rows)) != {width}:
            return None
        positions = {key: i for i, key in enumerate(header)}
        layout = self._layout_for(dict.fromkeys(header), number, None)
        return self._plain_columns(layout, rows, positions)

    def _plain_columns(
        self, layout: _Layout, records: list[Any], positions: dict[str, int] | None = None
    ) -> TextBlock | None:
        """The columns of records that all have a non-blank text prompt, or None.

        ``positions`` maps field names to row positions for CSV rows (lists).
        A short prompt or output that is missing, null or blank is absent, as
        record by record; any other type, or a chat field, gives None.
        """
        if layout.long_chat or layout.short_chat:
            return None

        def column(key: str) -> list[Any]:
            return list(map(itemgetter(key if positions is None else positions[key]), records))

        long = column(layout.long)
        if set(map(type, long)) != {str} or not all(long) or any(map(str.isspace, long)):
            return None
        present = []
        for key in (layout.short, layout.output):
            values = column(key) if key is not None else []
            if not set(map(type, values)) <= {str, type(None)}:
                return None
            texts = list(filter(None, values))  # neither null nor empty
            if any(map(str.isspace, texts)):
                texts = [text for text in texts if not text.isspace()]
            present.append(texts)
        self._kept += len(long)
        self._with_short += len(present[0])
        self._with_output += len(present[1])
        return TextBlock(len(long), long, present[0], present[1])

    def _sample(self, number: int, line: int | None, record: Any) -> Sample | None:
        if isinstance(record, str):
            return Sample(number, line, record, None, None) if _filled(record) else None
        if not isinstance(record, dict):
            raise SampleFileError(
                f"{self.name}: {self.where(number, line)} should be an object or a string, "
                f"got {_type_name(record)}"
            )
        layout = self._layout_for(record, number, line)
        if not (layout.long_chat or layout.short_chat):
            plain = self._plain(record, layout, number, line)
            if plain is not False:
                return plain
        where = self.where(number, line)
        output = self._text(record, layout.output, where)
        long: Prompt | None
        if layout.long_chat:
            long, reply = self._chat(record, layout.long, where)
            if reply is not None:
                if output is not None:
                    raise SampleFileError(
                        f"{self.name}: {where} has both {layout.output!r} and a final "
                        "assistant message; keep one of them"
                    )
                output = reply
        else:
            long = self._text(record, layout.long, where)
        if not long:
            return None
        short: Prompt | None
        if layout.short_chat:
            short = self._chat(record, layout.short, where)[0] or None
        else:
            short = self._text(record, layout.short, where)
        return Sample(number, line, long, short, output)

    def _plain(
        self, record: dict[str, Any], layout: _Layout, number: int, line: int | None
    ) -> Sample | Literal[False] | None:
        """A record of text fields in one step, or False when a field is not text.

        The common case of files with millions of records; a field of any
        other type goes the general way, which words the error.
        """
        long = record[layout.long]
        short = record[layout.short] if layout.short else None
        output = record[layout.output] if layout.output else None
        if not (
            type(long) is str
            and (short is None or type(short) is str)
            and (output is None or type(output) is str)
        ):
            return False
        if not _filled(long):
            return None
        return Sample(
            number,
            line,
            long,
            short if short and not short.isspace() else None,
            output if output and not output.isspace() else None,
        )

    def _layout_for(self, record: dict[str, Any], number: int, line: int | None) -> _Layout:
        keys = tuple(record)
        layout = self._layouts.get(keys)
        if layout is None:
            kind = "csv" if self.format in ("csv", "tsv") else "json"
            where = "the header" if kind == "csv" else str(self.where(number, line))
            layout = _layout(self.name, list(keys), where, kind)
            if len(self._layouts) < _MAX_LAYOUTS:
                self._layouts[keys] = layout
            self._notes.update(dict.fromkeys(layout.notes))
            self._ignored.update(dict.fromkeys(layout.ignored))
        return layout

    def _text(self, record: dict[str, Any], key: str | None, where: _Where) -> str | None:
        """A text field: None or blank means absent; any other type is an error."""
        if key is None:
            return None
        value = record.get(key)
        if value is None:
            return None
        if not isinstance(value, str):
            raise SampleFileError(
                f"{self.name}: {where}: field {key!r} must be text, got {_type_name(value)}"
            )
        return value if _filled(value) else None

    def _chat(
        self, record: dict[str, Any], key: str | None, where: _Where
    ) -> tuple[Chat, str | None]:
        """Split messages into the prompt and the final assistant reply (if any)."""
        value = record.get(key) if key else None
        if value is None:
            return (), None
        if not isinstance(value, list):
            raise SampleFileError(
                f"{self.name}: {where}: {key!r} must be a list of messages, got {_type_name(value)}"
            )
        messages = tuple(
            self._message(item, _Where(where.number, where.line, f"{key} item {i}"))
            for i, item in enumerate(value, 1)
        )
        reply = None
        if messages and messages[-1].role == "assistant":
            reply = messages[-1].content if _filled(messages[-1].content) else None
            messages = messages[:-1]
        if not any(_filled(m.content) for m in messages):
            return (), reply
        return messages, reply

    def _message(self, item: Any, where: _Where) -> ChatMessage:
        if not isinstance(item, dict):
            raise SampleFileError(f"{self.name}: {where} must be an object, got {_type_name(item)}")
        role = item.get("role")
        if role not in ROLES:
            allowed = ", ".join(sorted(ROLES))
            raise SampleFileError(
                f"{self.name}: {where} has role {role!r}; expected one of {allowed}"
            )
        content = item.get("content")
        if content is not None and not isinstance(content, str | list):
            raise SampleFileError(
                f"{self.name}: {where}: content must be text or a list of parts, "
                f"got {_type_name(content)}"
            )
        if isinstance(content, list):
            for i, part in enumerate(content, 1):
                text = part.get("text") if isinstance(part, dict) else None
                if isinstance(part, dict) and "text" in part and not isinstance(text, str):
                    raise SampleFileError(
                        f"{self.name}: {where}: content part {i}: 'text' must be text, "
                        f"got {_type_name(text)}"
                    )
            self._dropped_parts += sum(
                1 for part in content if not (isinstance(part, dict) and "text" in part)
            )
        name = item.get("name")
        if name is not None and not isinstance(name, str):
            raise SampleFileError(
                f"{self.name}: {where}: name must be text, got {_type_name(name)}"
            )
        extra = item.keys() - {"role", "content", "name", "weight"}
        if extra:
            self._dropped_keys.update(dict.fromkeys(sorted(extra)))
        return ChatMessage(role, message_text(content), name)

    def summary(self) -> list[str]:
        """Warnings for everything read but not counted, with numbers."""
        out = list(self._notes)
        if self._ignored:
            out.append("ignored fields: " + ", ".join(repr(k) for k in self._ignored))
        if self._empties:
            shown = ", ".join(self._empty)
            more = ", …" if self._empties > _SHOWN_LOCATIONS else ""
            out.append(f"skipped {self._empties} record(s) with an empty prompt ({shown}{more})")
        for count, what in ((self._with_short, "short prompt"), (self._with_output, "output")):
            if 0 < count < self._kept:
                out.append(
                    f"{what} missing in {self._kept - count} of {self._kept} records; "
                    f"its statistics cover the other {count}"
                )
        if self._dropped_parts:
            out.append(
                f"{self._dropped_parts} non-text message part(s) (images, audio…) not counted"
            )
        if self._dropped_keys:
            keys = ", ".join(repr(k) for k in self._dropped_keys)
            out.append(f"message fields not counted: {keys}")
        return out
