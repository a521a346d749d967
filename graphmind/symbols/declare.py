"""Symbols declared in the notes: a sentence such as «⟁ = внутреннее восхождение через
распад», «🜂 (алхимия — огонь) → указывает на жар, очищение, сжатие, катарсис», «Символ
Горизонт — это …» or "⟁ stands for …" declares a symbol, with the definition as its gloss.

The cue patterns are language data (``graphmind/lang/<code>/symbols.json``); this module
only applies them. Before matching, every glyph of the sentence is masked with private-use
characters of the same length (one opening character, one continuing character per further
code point), so ``{glyph}`` in a pattern matches any glyph, however many code points it
has, and match offsets are offsets in the paragraph.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from .glyphs import glyph_spans, is_typographic

LANG_DIR = Path(__file__).resolve().parent.parent / "lang"
OPEN, CONT = "\ue000", "\ue001"
EXPAND = {
    "{glyph}": f"(?P<glyph>{OPEN}{CONT}*)",
    "{quoted}": "[«\"“„'‘](?P<quoted>[^«»\"“”„'‘’\\n]{1,40})[»\"”“'’]",
    "{gloss}": "(?P<gloss>\\S.*?)",
}
_SENTENCE_END = re.compile(r"(?<=[.!?…])\s+(?=\S)")
_BULLET = re.compile(r"^\s*(?:[-*+•·]\s+|\d+[.)]\s+)?")
_TRAILING = ".;,:!? \t"


@dataclass(frozen=True)
class Declaration:
    paragraph_id: str
    start: int  # where the symbol is written in the paragraph
    end: int
    glyph: str  # "" for a symbol declared by name
    name: str  # the name, or the parenthesised note, or ""
    gloss: str  # the definition, verbatim from the paragraph
    gloss_start: int
    lang: str


@dataclass(frozen=True)
class _Cues:
    patterns: tuple[re.Pattern, ...]
    not_names: frozenset[str]


@lru_cache(maxsize=None)
def cues(lang: str) -> _Cues:
    path = LANG_DIR / lang / "symbols.json"
    if not path.is_file():
        path = LANG_DIR / "en" / "symbols.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    patterns = []
    for text in data["declarations"]:
        for key, value in EXPAND.items():
            text = text.replace(key, value)
        patterns.append(re.compile(text))
    return _Cues(tuple(patterns), frozenset(w.casefold() for w in data.get("not_names", ())))


def _mask(text: str) -> str:
    chars = list(text)
    for s, e in glyph_spans(text):
        if is_typographic(text[s:e]):
            continue  # arrows, bullets and check marks stay what they are
        chars[s] = OPEN
        for k in range(s + 1, e):
            chars[k] = CONT
    return "".join(chars)


def _pieces(text: str):
    """(start, end) of each line and, within it, each sentence."""
    pos = 0
    for line in text.split("\n"):
        start = pos
        pos += len(line) + 1
        cut = start
        for m in _SENTENCE_END.finditer(line):
            yield cut, start + m.start()
            cut = start + m.end()
        yield cut, start + len(line)


def declarations(paragraph_id: str, text: str, lang: str) -> list[Declaration]:
    """The symbols a paragraph declares, in order (the first declaration of a symbol in
    the paragraph counts)."""
    if not text:
        return []
    masked = _mask(text)
    out, seen = [], set()
    for language in dict.fromkeys((lang if lang in ("en", "ru") else "en", "en", "ru")):
        c = cues(language)
        for s, e in _pieces(masked):
            b = _BULLET.match(masked, s, e)
            s = b.end() if b else s
            piece = masked[s:e]
            for pattern in c.patterns:
                m = pattern.match(piece)
                if not m:
                    continue
                groups = m.groupdict()
                if groups.get("glyph"):
                    gs, ge = m.span("glyph")
                    glyph, name = text[s + gs:s + ge], ""
                else:
                    key = "quoted" if groups.get("quoted") else "name"
                    if not groups.get(key):
                        continue
                    gs, ge = m.span(key)
                    glyph, name = "", text[s + gs:s + ge].strip()
                    if name.casefold() in c.not_names:
                        continue
                if groups.get("note"):
                    ns, ne = m.span("note")
                    name = name or text[s + ns:s + ne].strip()
                qs, qe = m.span("gloss")
                gloss = text[s + qs:s + qe].rstrip(_TRAILING)
                if not gloss or (s + gs) in seen:
                    continue
                seen.add(s + gs)
                out.append(Declaration(paragraph_id, s + gs, s + ge, glyph, name, gloss, s + qs, language))
                break
    out.sort(key=lambda d: d.start)
    return out
