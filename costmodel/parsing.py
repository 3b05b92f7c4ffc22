"""Bounded reading of untrusted text: every YAML and JSON document the package reads.

Price files, scenarios, share links, sample files and training files may come
from anyone. Each limit below is checked while the document is read, before
anything large is built, and a breach is one sentence naming the file and,
where there is one, the line:

* size: a YAML file is at most :data:`MAX_YAML_BYTES` (the largest shipped
  price table is about 24 KB), checked before it is read whole;
* nesting: at most :data:`MAX_DEPTH` levels of mappings and lists;
* aliases: at most :data:`MAX_ALIASES` per YAML document, and the document as
  its aliases expand may hold at most :data:`MAX_EXPANDED_NODES` values, so a
  "billion laughs" file is refused after composing a few hundred nodes;
  an alias to a node that contains it is refused;
* duplicate keys: an error naming the key and both lines, never "last wins";
* numbers: finite, of magnitude at most :data:`MAX_MAGNITUDE`, and integers of
  at most :data:`MAX_INT_DIGITS` digits (``.inf``, ``.nan``, ``NaN``,
  ``Infinity``, ``1e308`` and 5,000-digit integers are refused);
* dates: an impossible date (30 February) names its file, line and field.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import math
import re
from collections.abc import Iterator
from itertools import chain
from pathlib import Path
from typing import IO, Any

from costmodel.errors import CostModelError

MAX_YAML_BYTES = 2**20
MAX_DEPTH = 64
MAX_ALIASES = 200
MAX_EXPANDED_NODES = 200_000
MAX_MAGNITUDE = 1e15
MAX_INT_DIGITS = 16


def number_problem(value: float | int) -> str:
    """Why a number read from a file is refused, or ``""`` when it is acceptable.

    >>> number_problem(1e6), number_problem(float("inf")), number_problem(1e308)
    ('', 'not a finite number', 'magnitude above 1e+15')
    >>> number_problem(10**20)
    'integer of 21 digits (at most 16)'
    """
    if isinstance(value, int):
        digits = len(str(abs(value))) if abs(value) >= 10**MAX_INT_DIGITS else 0
        return f"integer of {digits} digits (at most {MAX_INT_DIGITS})" if digits else ""
    if not math.isfinite(value):
        return "not a finite number"
    if abs(value) > MAX_MAGNITUDE:
        return f"magnitude above {MAX_MAGNITUDE:g}"
    return ""


@functools.cache
def _yaml() -> Any:
    """PyYAML and the bounded loader built on it, imported on first use.

    ``costmodel --help`` and commands that read no YAML never import PyYAML.
    """
    import yaml
    from yaml.composer import Composer
    from yaml.constructor import ConstructorError, SafeConstructor
    from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode
    from yaml.parser import Parser
    from yaml.reader import Reader
    from yaml.resolver import Resolver
    from yaml.scanner import Scanner

    try:
        from yaml._yaml import CParser
    except ImportError:  # pragma: no cover - PyYAML built without libyaml
        CParser = None  # type: ignore[misc,assignment]  # noqa: N806 - PyYAML's name

    class LimitError(yaml.YAMLError):
        """A YAML document breaks one of the limits (raised while composing, before building)."""

        def __init__(self, message: str, node_or_mark: Any = None) -> None:
            mark = getattr(node_or_mark, "start_mark", node_or_mark)
            super().__init__(message)
            self.problem = message
            self.problem_mark = mark

    class _Bounded(Composer, SafeConstructor, Resolver):
        """Safe composing and building that counts nesting, aliases and expanded size.

        It reads parser events from libyaml when PyYAML was built with it (a
        megabyte in well under a second) and from PyYAML's own parser otherwise.
        """

        def _start(self) -> None:
            Composer.__init__(self)
            SafeConstructor.__init__(self)
            Resolver.__init__(self)
            self._depth = 0
            self._aliases = 0
            self._sizes: dict[int, int] = {}
            self._field: Any = None

        def compose_document(self) -> Node | None:
            self._aliases = 0
            self._sizes = {}
            return super().compose_document()

        def compose_node(self, parent: Node | None, index: Any) -> Node | None:
            # the parser half of this mixin (PyYAML's Parser or CParser) supplies the events
            if self.check_event(yaml.AliasEvent):  # type: ignore[attr-defined]
                event = self.peek_event()  # type: ignore[attr-defined]
                self._aliases += 1
                if self._aliases > MAX_ALIASES:
                    raise LimitError(f"more than {MAX_ALIASES} aliases (*name)", event.start_mark)
                anchored = self.anchors.get(event.anchor)
                if anchored is not None and id(anchored) not in self._sizes:
                    raise LimitError(f"alias *{event.anchor} refers to itself", event.start_mark)
                return super().compose_node(parent, index)
            self._depth += 1
            if self._depth > MAX_DEPTH:
                raise LimitError(
                    f"nested deeper than {MAX_DEPTH} levels",
                    self.peek_event().start_mark,  # type: ignore[attr-defined]
                )
            try:
                node = super().compose_node(parent, index)
            finally:
                self._depth -= 1
            if node is not None:
                self._sizes[id(node)] = self._size(node)
            return node

        def _size(self, node: Node) -> int:
            """Values ``node`` stands for once every alias inside it is expanded."""
            if isinstance(node, ScalarNode):
                return 1
            parts = (
                node.value
                if isinstance(node, SequenceNode)
                else [p for kv in node.value for p in kv]
            )
            size = 1 + sum(self._sizes.get(id(p), 1) for p in parts)
            if size > MAX_EXPANDED_NODES:
                raise LimitError(
                    f"its aliases expand to more than {MAX_EXPANDED_NODES:,} values", node
                )
            return size

        def construct_mapping(self, node: MappingNode, deep: bool = False) -> dict[Any, Any]:
            seen: dict[Any, int] = {}
            for key_node, _ in node.value:
                if (
                    not isinstance(key_node, ScalarNode)
                    or key_node.tag == "tag:yaml.org,2002:merge"
                ):
                    continue
                key = (key_node.tag, key_node.value)
                line = key_node.start_mark.line + 1
                if key in seen:
                    raise LimitError(
                        f"key {key_node.value!r} appears twice (lines {seen[key]} and {line})",
                        key_node,
                    )
                seen[key] = line
            self.flatten_mapping(node)
            mapping: dict[Any, Any] = {}
            for key_node, value_node in node.value:
                key = self.construct_object(key_node, deep=deep)
                try:
                    hash(key)
                except TypeError:
                    raise ConstructorError(
                        None, None, "a mapping key must be a plain value", key_node.start_mark
                    ) from None
                self._field = key
                mapping[key] = self.construct_object(value_node, deep=deep)
            self._field = None
            return mapping

        def construct_yaml_int(self, node: ScalarNode) -> int:
            if len(node.value) > MAX_INT_DIGITS + 4:
                raise LimitError(self._where(f"integer of {len(node.value)} characters"), node)
            return self._checked(super().construct_yaml_int(node), node)

        def construct_yaml_float(self, node: ScalarNode) -> float:
            return self._checked(super().construct_yaml_float(node), node)

        def construct_yaml_timestamp(self, node: ScalarNode) -> dt.date:
            try:
                return super().construct_yaml_timestamp(node)
            except ValueError as exc:
                raise LimitError(self._where(f"{node.value} is not a date ({exc})"), node) from None

        def _checked(self, value: Any, node: ScalarNode) -> Any:
            problem = number_problem(value)
            if problem:
                raise LimitError(self._where(f"{node.value} refused: {problem}"), node)
            return value

        def _where(self, message: str) -> str:
            return f"field {self._field!r}: {message}" if self._field is not None else message

    _Bounded.add_constructor("tag:yaml.org,2002:int", _Bounded.construct_yaml_int)  # type: ignore[type-var]
    _Bounded.add_constructor("tag:yaml.org,2002:float", _Bounded.construct_yaml_float)  # type: ignore[type-var]
    _Bounded.add_constructor("tag:yaml.org,2002:timestamp", _Bounded.construct_yaml_timestamp)  # type: ignore[type-var]
    # YAML 1.2 reads 1e6 and 2.0e16 as numbers (YAML 1.1 as text): their magnitude is checked.
    _Bounded.add_implicit_resolver(
        "tag:yaml.org,2002:float",
        re.compile(r"^[-+]?(?:[0-9][0-9_]*(?:\.[0-9_]*)?|\.[0-9_]+)[eE][-+]?[0-9]+$"),
        list("-+0123456789"),
    )

    if CParser is not None:

        class BoundedLoader(_Bounded, CParser):
            """The bounded loader on libyaml's parser."""

            def __init__(self, stream: str) -> None:
                CParser.__init__(self, stream)
                self._start()

    else:  # pragma: no cover - PyYAML built without libyaml

        class BoundedLoader(_Bounded, Reader, Scanner, Parser):  # type: ignore[no-redef]
            """The bounded loader on PyYAML's own parser."""

            def __init__(self, stream: str) -> None:
                Reader.__init__(self, stream)
                Scanner.__init__(self)
                Parser.__init__(self)
                self._start()

            def fetch_flow_collection_start(self, token_class: Any) -> None:
                """Refuse deep ``[[[…`` while scanning: the look-ahead grows with the depth."""
                super().fetch_flow_collection_start(token_class)
                if self.flow_level > MAX_DEPTH:
                    raise LimitError(f"nested deeper than {MAX_DEPTH} levels", self.get_mark())

    return yaml, LimitError, BoundedLoader


def load_yaml(text: str, name: str, error: type[CostModelError]) -> Any:
    """One YAML document, within every limit; ``error`` names the file and the line.

    >>> load_yaml("a: 1\\nb: [x, y]\\n", "ok.yaml", CostModelError)
    {'a': 1, 'b': ['x', 'y']}
    >>> load_yaml("a: 1\\na: 2\\n", "twice.yaml", CostModelError)
    Traceback (most recent call last):
    costmodel.errors.CostModelError: twice.yaml: line 2: key 'a' appears twice (lines 1 and 2)
    """
    if len(text) > MAX_YAML_BYTES:
        raise error(f"{name}: over {MAX_YAML_BYTES // 2**20} MB; a YAML file here is far smaller")
    yaml, limit_error, loader_class = _yaml()
    loader = loader_class(text)
    try:
        return loader.get_single_data()
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" line {mark.line + 1}:" if mark is not None else ""
        problem = getattr(exc, "problem", None) or "not readable"
        kind = "" if isinstance(exc, limit_error) else "invalid YAML: "
        raise error(f"{name}:{where} {kind}{problem}") from None
    except RecursionError:
        raise error(f"{name}: nested too deeply") from None
    finally:
        loader.dispose()


def read_text(path: Path, limit: int, error: type[CostModelError]) -> str:
    """A UTF-8 file of at most ``limit`` bytes, refused before it is read whole."""
    try:
        with Path(path).open("rb") as handle:
            data = handle.read(limit + 1)
    except OSError as exc:
        raise error(f"{path}: cannot read ({exc.strerror or exc})") from None
    if len(data) > limit:
        raise error(f"{path}: over {limit // 2**20} MB; a file of this kind is far smaller")
    return decode_text(data, str(path), error)


def decode_text(data: bytes, name: str, error: type[CostModelError]) -> str:
    """Bytes as UTF-8 text (a byte-order mark is dropped); a binary file fails with its name."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise error(f"{name}: is UTF-16 encoded; save it as UTF-8")
    if b"\x00" in data:
        raise error(f"{name}: looks binary (it holds NUL bytes), not text")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise error(f"{name}: not UTF-8 text (undecodable byte at offset {exc.start})") from None


def bounded_lines(stream: IO[bytes], limit: int) -> Iterator[bytes]:
    """The lines of a binary stream, each read at most ``limit + 1`` bytes at a time.

    A line longer than ``limit`` comes back ``limit + 1`` bytes long, so the
    caller refuses it without a gigabyte line ever being held in memory.
    """
    return iter(lambda: stream.readline(limit + 1), b"")


def deeper_than(value: Any, limit: int) -> bool:
    """Whether parsed JSON nests its arrays and objects more than ``limit`` levels.

    Walks the parsed value, not the text, so a long string full of brackets
    costs nothing: strings are leaves.

    >>> deeper_than({"a": [1, {"b": "[[["}]}, 2), deeper_than({"a": [1, {"b": "[[["}]}, 3)
    (True, False)
    """
    level = [value]  # the values at one level of nesting, the document's own first
    for _ in range(limit):
        level = [
            child
            for node in level
            if isinstance(node, dict | list)
            for child in (node.values() if isinstance(node, dict) else node)
        ]
        if not level:
            return False
    return any(isinstance(node, dict | list) for node in level)


def loads_json(text: str) -> Any:
    """``json.loads`` within the limits; raises ``ValueError`` saying which one.

    Nesting is measured on the parsed value, and only for a text with more
    than :data:`MAX_DEPTH` brackets: a document nested deeper than the
    interpreter's recursion limit stops the parser itself (RecursionError),
    before it builds anything large. ``NaN``, ``Infinity`` and out-of-range
    numbers are refused as they are read.

    >>> loads_json('{"a": [1, 2.5]}')
    {'a': [1, 2.5]}
    >>> loads_json('[NaN]')
    Traceback (most recent call last):
    ValueError: NaN refused: not a finite number
    """
    nested = f"nested deeper than {MAX_DEPTH} levels"
    decoder = _decoder()
    try:
        try:  # one document filling the text, the common case, in one call
            value, end = decoder.raw_decode(text)
            if end != len(text):
                raise json.JSONDecodeError("Extra data", text, end)
        except json.JSONDecodeError:  # the full reader allows outer spaces and words errors
            value = decoder.decode(text)
    except RecursionError:
        raise ValueError(nested) from None
    if text.count("[") + text.count("{") > MAX_DEPTH and deeper_than(value, MAX_DEPTH):
        raise ValueError(nested)
    return value


def loads_text_records(lines: list[str]) -> list[Any] | None:
    """Each line as one JSON record of text, in one pass, or None when any needs :func:`loads_json`.

    The quick way for millions of short lines: orjson (several times faster
    than the standard library's reader, which costs more than counting a
    short record's tokens) reads every line; the result is used only when
    every record is text or an object whose every value is text or null, where
    both readers agree exactly. A line that is blank, invalid, or holds a
    number or a nested value gives None, and the caller reads the lines one by
    one with :func:`loads_json`, its limits and its messages (as every line is
    where orjson is not installed: slower, equal). A line orjson refuses that
    the standard reader takes whole (a lone surrogate escape, which orjson does
    not decode) is read by the standard reader.

    >>> loads_text_records(['{"a": "x", "b": null}', '"y"'])
    [{'a': 'x', 'b': None}, 'y']
    >>> loads_text_records(['{"a": "x"}', '{"a": 1}']) is None
    True
    """
    orjson = _orjson()
    if orjson is None:
        return None
    try:
        values = list(map(orjson.loads, lines))
    except orjson.JSONDecodeError:
        values = [_one_record(orjson, line) for line in lines]
        if _REFUSED in values:
            return None
    objects = [value for value in values if type(value) is not str]
    if not set(map(type, objects)) <= {dict}:
        return None
    if not set(map(type, chain.from_iterable(map(dict.values, objects)))) <= {str, type(None)}:
        return None
    return values


_REFUSED = object()


def _one_record(orjson: Any, line: str) -> Any:
    """One line by orjson, else by the standard reader whole, else :data:`_REFUSED`.

    >>> import orjson
    >>> _one_record(orjson, '"a\\\\ud800"') == "a\\ud800", _one_record(orjson, " [") is _REFUSED
    (True, True)
    """
    try:
        return orjson.loads(line)
    except orjson.JSONDecodeError:
        pass
    try:
        value, end = _decoder().raw_decode(line)
    except (ValueError, RecursionError):
        return _REFUSED
    return value if end == len(line) else _REFUSED


@functools.cache
def _orjson() -> Any:
    """orjson, imported on first use (``--help`` never loads it), or None."""
    try:
        import orjson
    except ImportError:
        return None
    return orjson


@functools.cache
def _decoder() -> json.JSONDecoder:
    """One decoder with the number checks, built once: ``json.loads`` with hooks builds
    a new one per call, which costs more than decoding a short record."""
    return json.JSONDecoder(
        parse_int=_json_int, parse_float=_json_float, parse_constant=_json_constant
    )


def _json_int(text: str) -> int:
    if len(text.lstrip("-")) > MAX_INT_DIGITS:
        raise ValueError(f"integer of {len(text.lstrip('-'))} digits (at most {MAX_INT_DIGITS})")
    return int(text)


def _json_float(text: str) -> float:
    value = float(text)
    problem = number_problem(value)
    if problem:
        raise ValueError(f"{text[:20]} refused: {problem}")
    return value


def _json_constant(text: str) -> float:
    raise ValueError(f"{text} refused: not a finite number")
