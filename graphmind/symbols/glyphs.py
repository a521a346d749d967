"""Glyphs in text: a glyph is one user-perceived character that is a symbol (Unicode
categories So and Sm outside ASCII), with everything that belongs to it: variation
selectors, combining marks, skin-tone modifiers, tag characters, zero-width-joiner
sequences (🧑‍🚀) and regional-indicator pairs (flags, 🇫🇷). Text is compared after NFC
normalisation; the glyph itself is never changed.

Typographic glyphs (bullets, check marks, arrows, box drawing, common math signs) are
not symbols: the list is data (``glyphs.json``).
"""

from __future__ import annotations

import json
import unicodedata
from functools import lru_cache
from pathlib import Path

_DATA = Path(__file__).resolve().parent / "glyphs.json"
ZWJ = "\u200d"


@lru_cache(maxsize=1)
def _ignored() -> tuple[frozenset[str], tuple[tuple[int, int], ...]]:
    data = json.loads(_DATA.read_text(encoding="utf-8"))
    return frozenset(data["ignore"]), tuple((int(a, 16), int(b, 16)) for a, b in data["ignore_ranges"])


def _regional(ch: str) -> bool:
    return 0x1F1E6 <= ord(ch) <= 0x1F1FF


def _extends(ch: str) -> bool:
    """A character that belongs to the glyph before it."""
    o = ord(ch)
    return (unicodedata.category(ch) in ("Mn", "Me") or 0xFE00 <= o <= 0xFE0F or 0x1F3FB <= o <= 0x1F3FF
            or 0xE0020 <= o <= 0xE007F or 0xE0100 <= o <= 0xE01EF)


@lru_cache(maxsize=4096)
def is_symbol_char(ch: str) -> bool:
    return ord(ch) > 0x7F and unicodedata.category(ch) in ("So", "Sm")


def glyph_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of every glyph in ``text``, in order (code-point offsets)."""
    out = []
    i, n = 0, len(text)
    while i < n:
        ch = text[i]
        if not is_symbol_char(ch):
            i += 1
            continue
        start = i
        i += 1
        if _regional(ch) and i < n and _regional(text[i]):
            i += 1
        while i < n:
            c = text[i]
            if _extends(c):
                i += 1
            elif c == ZWJ and i + 1 < n:
                i += 2
            else:
                break
        out.append((start, i))
    return out


def base(glyph: str) -> str:
    """The glyph without variation selectors (🜂︎ and 🜂 are one symbol)."""
    return "".join(ch for ch in glyph if not 0xFE00 <= ord(ch) <= 0xFE0F)


def is_typographic(glyph: str) -> bool:
    ignore, ranges = _ignored()
    b = base(glyph)
    if b in ignore or glyph in ignore:
        return True
    return len(b) == 1 and any(lo <= ord(b) <= hi for lo, hi in ranges)


def glyphs(text: str) -> list[str]:
    """The symbol glyphs ``text`` writes, in order, typography left out."""
    out = []
    for s, e in glyph_spans(text):
        g = text[s:e]
        if not is_typographic(g):
            out.append(g)
    return out


def key_of(glyph: str = "", name: str = "") -> str:
    """What identifies a symbol: its glyph (NFC, without variation selectors), else its name
    (NFC, case-folded, spaces collapsed)."""
    if glyph:
        return "g:" + base(unicodedata.normalize("NFC", glyph))
    return "n:" + " ".join(unicodedata.normalize("NFC", name).casefold().split())


def is_glyph_text(text: str) -> bool:
    """The whole text is one or more glyphs (a symbol written with glyphs, not words)."""
    spans = glyph_spans(text)
    return bool(spans) and spans[0][0] == 0 and spans[-1][1] == len(text) and \
        all(a[1] == b[0] for a, b in zip(spans, spans[1:]))
