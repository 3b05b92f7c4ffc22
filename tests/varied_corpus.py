"""A varied, seeded corpus of prompts: every kind of text a sample file may hold.

Shared by the exactness tests (a small corpus, every class, both encodings) and
``benchmarks/bench_tokens.py`` (the same classes, about 40 MB). Everything is
generated here from a seed; no text is copied from anywhere.

Classes: prose, man-page-like text, Python, C, minified JavaScript, JSON, CJK
and other scripts, emoji (ZWJ sequences, flags, skin tones), special-token
strings such as ``<|endoftext|>``, pathological runs (spaces, digits, one
letter, punctuation, newlines) and lone surrogates.
"""

from __future__ import annotations

import itertools
import json
import random
import re
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

_SYLLABLES = [
    "ka",
    "ro",
    "mi",
    "te",
    "lan",
    "sor",
    "vel",
    "dra",
    "pin",
    "co",
    "mu",
    "ter",
    "ex",
    "ple",
    "an",
    "ion",
    "ing",
    "ment",
    "con",
    "pro",
    "per",
    "sta",
    "tis",
    "ver",
    "com",
    "de",
    "re",
    "un",
    "in",
    "ab",
    "ly",
    "ous",
    "ful",
    "ness",
    "ter",
    "ble",
    "tion",
    "ate",
    "ist",
]
_COMMON = [
    "the",
    "a",
    "to",
    "of",
    "and",
    "in",
    "is",
    "that",
    "for",
    "it",
    "as",
    "with",
    "was",
    "on",
    "be",
    "by",
    "this",
    "are",
    "from",
    "at",
    "or",
    "an",
    "not",
    "have",
    "but",
    "which",
    "one",
    "all",
    "their",
    "there",
    "been",
    "has",
    "when",
    "would",
    "will",
    "more",
    "no",
    "if",
    "out",
    "so",
    "what",
    "up",
    "can",
    "about",
    "into",
    "than",
    "them",
    "only",
    "other",
    "new",
    "some",
    "could",
    "time",
    "these",
    "two",
    "may",
]
_SCRIPTS = {
    "cjk": "的一是不了人我在有他这中大来上国个到说们为子和你地出道也时年得就那要下以生会自着去之过家学对可她里后小么心多天而能好都然没日于起还发成事只作当想看文无开手十用主行方又如前所本见经头面公同三已老从动两长知民样现分将外但身些与高意进把法此实回二理美点月明其种声全工己话儿者向情部正名定女问力机给等几很业最间新什打便位因重被走电四第门相次东政海口使教西再平真听世气信北少关并内加化由却代军产入先山五太水万市眼体别处总才场师书比住员九笑性通目华报立马命张活难神数件安表原车白应路期叫死常提感金何更反合放做系计或司利受光王果亲界及今京务制解各任至清物台象记边共风战干接它许八特觉望直服毛林题建南度统色字请交爱让认算论百吃义科怎元社术结六功指思非流每青管夫连远资队跟带花快条院变联言权往展该领传近留红治决周保达办运武半候七必城父强步完革深区即求品士转量空甚众技轻程告江语英基派满式李息写呢识极令黄德收脸钱党倒未持取设始版双历越史商千片容研像找友孩站广改议形委早房音火际则首单据导影失拿网香似斯专石若兵弟谁校读志飞观争究包组造落视济喜离虽坐集编宝谈府拉黑且随格尽剑讲布杀微怕母调局根曾准团段终乐切级克精哪官示冷域读",  # noqa: E501
    "ja": "これはテストの文章ですカタカナとひらがなが混ざっていますそして漢字も少し",
    "ko": "한국어문장은음절블록으로구성되며띄어쓰기가있습니다데이터처리속도",
    "ru": "съешь же ещё этих мягких французских булок да выпей чаю широкая",
    "ar": "هذا نص تجريبي مكتوب باللغة العربية من اليمين إلى اليسار مع أرقام",
    "hi": "यह एक परीक्षण वाक्य है जिसमें देवनागरी लिपि के अक्षर और मात्राएँ हैं",
    "th": "ภาษาไทยไม่มีการเว้นวรรคระหว่างคำทำให้การตัดคำยากขึ้น",
    "el": "Ελληνικά γράμματα με τόνους και διαλυτικά όπως ϊ ΰ και άλλα",
    "he": "זהו טקסט לדוגמה בעברית עם ניקוד חלקי ומספרים",
    "mixed": "Ωmega ñandú façade Zürich naïve coöperate ﬁnance Ǆ ǅ ǆ ﬀ № ™ ½ ① Ⅻ",
}
_EMOJI = [
    "\U0001f468\u200d\U0001f469\u200d\U0001f467\u200d\U0001f466",
    "\U0001f3f3\ufe0f\u200d\U0001f308",
    "\U0001f9d1\U0001f3fd\u200d\U0001f4bb",
    "\U0001f1ef\U0001f1f5",
    "\U0001f1fa\U0001f1f8",
    "\u2764\ufe0f\u200d\U0001f525",
    "\U0001f44d\U0001f3ff",
    "\U0001f600",
    "\U0001f926\u200d\u2640\ufe0f",
    "1\ufe0f\u20e3",
    "\U0001faf1\U0001f3fb\u200d\U0001faf2\U0001f3ff",
]
_SPECIAL = [
    "<|endoftext|>",
    "<|endofprompt|>",
    "<|fim_prefix|>",
    "<|fim_middle|>",
    "<|fim_suffix|>",
    "<|im_start|>",
    "<|im_end|>",
    "<|endoftext|",
    "<|",
    "|>",
]
_SURROGATE = re.compile("[\ud800-\udfff]")
_SURROGATES = ["\ud800", "\udfff", "\udc00x", "a\ud83d", "\ude00b"]


def _invented_words(count: int) -> list[str]:
    rng = random.Random(0)
    return ["".join(rng.choices(_SYLLABLES, k=rng.randint(1, 4))) for _ in range(count)]


# A vocabulary with a long tail: common words first, weights falling as 1/rank.
_VOCAB = _COMMON + _invented_words(4000)
_CUM_WEIGHTS = list(itertools.accumulate(1 / rank for rank in range(1, len(_VOCAB) + 1)))


def _word(rng: random.Random) -> str:
    return rng.choices(_VOCAB, cum_weights=_CUM_WEIGHTS)[0]


def _sentence(rng: random.Random) -> str:
    words = rng.choices(_VOCAB, cum_weights=_CUM_WEIGHTS, k=rng.randint(4, 24))
    words[0] = words[0].capitalize()
    if rng.random() < 0.2:
        words.insert(rng.randrange(len(words)), str(rng.randint(0, 99999)))
    if rng.random() < 0.15:
        words.insert(rng.randrange(len(words)), rng.choice(["don't", "we'll", "I'M", "it's"]))
    return " ".join(words) + rng.choice([".", ".", "?", "!", ":", ";", "..."])


def prose(rng: random.Random, size: int) -> str:
    paragraphs: list[str] = []
    used = 0
    while used < size:
        paragraph = " ".join(_sentence(rng) for _ in range(rng.randint(2, 8)))
        paragraphs.append(paragraph)
        used += len(paragraph)
    return "\n\n".join(paragraphs)


def man_page(rng: random.Random, size: int) -> str:
    name = "".join(rng.choice(_SYLLABLES) for _ in range(2))
    lines = [f"{name.upper()}(1)\t\tUser Commands\t\t{name.upper()}(1)", "", "NAME"]
    lines.append(f"       {name} - {_sentence(rng).lower()}")
    used = 0
    while used < size:
        lines += ["", rng.choice(["SYNOPSIS", "DESCRIPTION", "OPTIONS", "EXIT STATUS"])]
        for _ in range(rng.randint(2, 6)):
            flag = rng.choice("abcdefghijklmnopqrstuvwxyz")
            lines.append(f"       -{flag}, --{_word(rng)}=FILE")
            lines.append(f"              {_sentence(rng)}  See  {_word(rng)}(5).")
            used += len(lines[-1]) + len(lines[-2])
    return "\n".join(lines) + "\n"


def _fill(parts: list[str], size: int, make: Callable[[], str]) -> str:
    """``parts`` extended with ``make()`` until they hold ``size`` characters."""
    used = sum(map(len, parts))
    while used < size:
        parts.append(make())
        used += len(parts[-1])
    return "".join(parts)


def python_code(rng: random.Random, size: int) -> str:
    out: list[str] = ["import os\nfrom typing import Any\n\n"]
    return _fill(out, size, lambda: _python_function(rng))


def _python_function(rng: random.Random) -> str:
    fn = "_".join(_word(rng) for _ in range(2))
    arg = _word(rng)
    return (
        f"def {fn}({arg}: list[int], *, limit: int = {rng.randint(1, 999)}) -> dict[str, Any]:\n"
        f'    """{_sentence(rng)}"""\n'
        f"    result = {{}}\n"
        f"    for i, value in enumerate({arg}):\n"
        f"        if value % {rng.randint(2, 9)} == 0 and i < limit:\n"
        f'            result[f"{{i:04d}}"] = value ** 2  # {_sentence(rng).lower()}\n'
        f"        elif value < -{rng.randint(1, 50)}:\n"
        f"            raise ValueError(f'bad {{value!r}}')\n"
        f"    return result\n\n\n"
    )


def c_code(rng: random.Random, size: int) -> str:
    out: list[str] = ["#include <stdio.h>\n#include <stdint.h>\n\n"]
    return _fill(out, size, lambda: _c_function(rng))


def _c_function(rng: random.Random) -> str:
    fn = "_".join(_word(rng) for _ in range(2))
    return (
        f"static int {fn}(const uint8_t *buf, size_t len)\n{{\n"
        f"\tint acc = 0x{rng.randint(0, 0xFFFF):04x};\n"
        f"\tfor (size_t i = 0; i < len; ++i) {{\n"
        f"\t\tacc = (acc << {rng.randint(1, 7)}) ^ buf[i];\t/* {_sentence(rng)} */\n"
        f"\t\tif (acc > {rng.randint(100, 99999)}) acc &= 0xff;\n"
        f"\t}}\n\treturn acc;\n}}\n\n"
    )


def minified_js(rng: random.Random, size: int) -> str:
    out: list[str] = ['"use strict";']
    return _fill(out, size, lambda: _js_function(rng))


def _js_function(rng: random.Random) -> str:
    a, b, c = (rng.choice("abcdefghijklmnopqrstuvwxyz$_") for _ in range(3))
    return (
        f"function {a}{b}({c},e){{var t={rng.randint(0, 999)};for(var n=0;n<{c}.length;n++)"
        f't=t*31+{c}.charCodeAt(n)|0;return e?t>>>0:t}}var {a}={a}{b}("{_word(rng)}",'
        f"!{rng.randint(0, 1)}),{b}={{x:{rng.random():.6f},y:[{rng.randint(0, 9)},null]}};"
    )


def json_text(rng: random.Random, size: int) -> str:
    items = []
    used = 0
    while used < size:
        item = {
            "id": rng.randint(0, 10**9),
            "name": _word(rng),
            "price": round(rng.random() * 1000, 2),
            "tags": [_word(rng) for _ in range(rng.randint(0, 4))],
            "nested": {"ok": rng.random() < 0.5, "note": _sentence(rng), "v": None},
        }
        text = json.dumps(item, indent=rng.choice([None, 2]))
        items.append(text)
        used += len(text)
    return "[" + ",".join(items) + "]"


def scripts(rng: random.Random, size: int) -> str:
    parts: list[str] = []
    used = 0
    while used < size:
        key = rng.choice(list(_SCRIPTS))
        text = _SCRIPTS[key]
        start = rng.randrange(len(text))
        piece = text[start : start + rng.randint(5, 60)]
        if rng.random() < 0.3:
            piece += " " + _sentence(rng)
        parts.append(piece)
        used += len(piece)
    return rng.choice([" ", "\n", "。", ""]).join(parts)


def emoji(rng: random.Random, size: int) -> str:
    parts: list[str] = []
    used = 0
    while used < size:
        piece = rng.choice(_EMOJI) * rng.randint(1, 3)
        if rng.random() < 0.5:
            piece += " " + _word(rng)
        parts.append(piece)
        used += len(piece)
    return rng.choice([" ", "", "\n"]).join(parts)


def special_tokens(rng: random.Random, size: int) -> str:
    parts: list[str] = []
    used = 0
    while used < size:
        piece = rng.choice(_SPECIAL) + rng.choice(["", " ", "\n", _word(rng)])
        if rng.random() < 0.3:
            piece = _sentence(rng) + piece
        parts.append(piece)
        used += len(piece)
    return "".join(parts)


def pathological(rng: random.Random, size: int) -> str:
    """Long runs that stress a pre-tokenizer or a quadratic merge loop."""
    unit = rng.choice([" ", "0123456789", "7", "a", "Z", "é", "!", "\n", "\t", " \n", "ab", "日"])
    run = unit * max(1, rng.randint(size // 4, size) // len(unit))
    if unit.isspace() or rng.random() < 0.5:  # an all-blank prompt would be skipped
        return _sentence(rng) + run + _sentence(rng)
    return run


def surrogates(rng: random.Random, size: int) -> str:
    parts: list[str] = []
    used = 0
    while used < size:
        piece = rng.choice(_SURROGATES)
        if rng.random() < 0.7:
            piece = _sentence(rng) + piece + rng.choice(["", " ", "\n", _word(rng)])
        parts.append(piece)
        used += len(piece)
    return "".join(parts)


Generator = Callable[[random.Random, int], str]
CLASSES: dict[str, Generator] = {
    "prose": prose,
    "man_page": man_page,
    "python": python_code,
    "c": c_code,
    "minified_js": minified_js,
    "json": json_text,
    "scripts": scripts,
    "emoji": emoji,
    "special_tokens": special_tokens,
    "pathological": pathological,
    "surrogates": surrogates,
}
# Share of records per class: mostly everyday text, every class present.
WEIGHTS = {
    "prose": 26,
    "man_page": 10,
    "python": 12,
    "c": 8,
    "minified_js": 6,
    "json": 10,
    "scripts": 12,
    "emoji": 4,
    "special_tokens": 4,
    "pathological": 4,
    "surrogates": 4,
}
SIZES = (40, 200, 1_000, 3_000, 8_000, 20_000)


def records(total_chars: int, seed: int = 1) -> Iterator[tuple[str, str]]:
    """``(class, text)`` pairs until about ``total_chars`` characters, every class first."""
    rng = random.Random(seed)
    names = list(CLASSES)
    used = 0
    first = iter(names)
    while used < total_chars:
        name = next(first, None) or rng.choices(names, [WEIGHTS[n] for n in names])[0]
        text = CLASSES[name](rng, rng.choice(SIZES))
        if rng.random() < 0.2:
            text = _splice(rng, text)
        used += len(text)
        yield name, text


def _splice(rng: random.Random, text: str) -> str:
    """Another class spliced into ``text``, as real prompts mix code, data and prose."""
    cut = rng.randrange(len(text) + 1)
    name = rng.choice(list(CLASSES))
    return text[:cut] + CLASSES[name](rng, 100) + text[cut:]


def write_jsonl(path: Path, texts: Iterable[str]) -> int:
    """One ``{"prompt": ...}`` per line, UTF-8 (lone surrogates as JSON escapes); returns bytes."""
    with path.open("w", encoding="utf-8") as f:
        for text in texts:
            ascii_only = _SURROGATE.search(text) is not None
            f.write(json.dumps({"prompt": text}, ensure_ascii=ascii_only) + "\n")
    return path.stat().st_size
