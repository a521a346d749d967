"""Inline Markdown -> the text a reader sees, plus annotations with offsets into it.

``visible(raw, links)`` returns ``(text, emphasis)``: the visible text with white space
collapsed, and the bold spans as a flat ``[start, end, ...]`` list into that text. Wikilinks
(``[[target|alias]]``) and Markdown links are recorded in ``links``; the alias or the link
text is what remains visible. Code spans keep their text verbatim (nothing inside them is
read as markup). Footnote markers (``[^1]``, ``[3]``), HTML tags and the bodies of
``<script>``/``<style>`` are not text. Emphasis follows CommonMark's flanking rules closely
enough for notes: ``_`` inside a word (``snake_case``, ``148_делая_этот_раздел``) is not emphasis.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

# private-use sentinels: they survive every substitution and mark where bold starts and ends
_B_OPEN, _B_CLOSE = "\ue000", "\ue001"
_CODE = "\ue002"  # a code span placeholder; its text is kept aside

_CODE_SPAN = re.compile(r"(`+)(.+?)\1", re.S)
_SCRIPT = re.compile(r"<(script|style|iframe|noscript|template)\b[^>]*>.*?</\1\s*>", re.I | re.S)
_OPEN_SCRIPT = re.compile(r"<(script|style|iframe|noscript|template)\b[^>]*>.*", re.I | re.S)
_WIKILINK = re.compile(r"(!?)\[\[([^\]|#^]*)((?:#|\^)[^\]|]*)?(?:\|([^\]]*))?\]\]")
_FOOTNOTE = re.compile(r"\[\^[^\]\s]+\]|(?<=[\w.,;:!?)»”\"'])\[\d{1,3}(?:[,–-]\s?\d{1,3})*\]")
_TAG = re.compile(r"</?[A-Za-z][^<>]*>|<br\s*/?>", re.I)
_ESCAPE = re.compile(r"\\([\\`*_{}\[\]()#+\-.!|~=<>])")
_SPACES = re.compile(r"[ \t\r\n\f\v\u00a0]+")
_STRONG = re.compile(r"(?<![\\*])(\*\*|__)(?=[^\s*_])(.+?)(?<=[^\s\\])\1(?!\*)", re.S)
_EM_STAR = re.compile(r"(?<![\\*\w])\*(?=[^\s*])(.+?)(?<=[^\s\\*])\*(?!\*)", re.S)
_EM_UNDER = re.compile(r"(?<![\\\w])_(?=[^\s_])(.+?)(?<=[^\s\\_])_(?!\w)", re.S)
_OTHER = re.compile(r"(~~|==)(?=\S)(.+?)(?<=\S)\1", re.S)
_STRAY = re.compile(r"(?<!\w)(\*\*|__)(?!\w)|(?<=\s)\*\*|\*\*(?=\s|$)")


@dataclass
class Link:
    target: str
    alias: str | None


def _md_links(text: str, links: list[Link]) -> str:
    """``[text](url)`` and ``![alt](url)`` -> text (images -> nothing); URLs may hold balanced
    parentheses (``javascript:f('x')``), so they are scanned, not matched by one regex."""
    out, i, n = [], 0, len(text)
    while i < n:
        start = text.find("[", i)
        if start < 0:
            break
        close = _matching(text, start, "[", "]")
        if close < 0 or close + 1 >= n or text[close + 1] != "(":
            out.append(text[i:start + 1])
            i = start + 1
            continue
        end = _matching(text, close + 1, "(", ")")
        if end < 0:
            out.append(text[i:start + 1])
            i = start + 1
            continue
        image = start > 0 and text[start - 1] == "!"
        out.append(text[i:start - 1] if image else text[i:start])
        if not image:
            out.append(text[start + 1:close])
        i = end + 1
    out.append(text[i:])
    return "".join(out)


def _matching(text: str, i: int, open_: str, close: str) -> int:
    depth = 0
    for k in range(i, min(len(text), i + 2000)):
        c = text[k]
        if c == "\\":
            continue
        if c == open_:
            depth += 1
        elif c == close:
            depth -= 1
            if depth == 0:
                return k
    return -1


def visible(raw: str, links: list | None = None) -> tuple[str, list[int]]:
    links = links if links is not None else []
    codes: list[str] = []

    def keep(text: str) -> str:  # a placeholder that nothing else reads as markup
        codes.append(text)
        return _CODE + chr(0xF0000 + len(codes) - 1)

    def code(m: re.Match) -> str:
        return keep(m.group(2).strip() if m.group(2).strip() else m.group(2))

    # each pattern runs only when the character it starts with is there (plain prose skips them all)
    text = _CODE_SPAN.sub(code, raw) if "`" in raw else raw
    if "<" in text:
        text = _SCRIPT.sub(" ", text)
        text = _OPEN_SCRIPT.sub(" ", text)

    def wikilink(m: re.Match) -> str:
        embed, target, anchor, alias = m.group(1), m.group(2).strip(), m.group(3), m.group(4)
        if target:
            links.append(Link(target=target, alias=alias.strip() if alias else None))
        if embed:
            return ""
        if alias:
            return alias.strip()
        return target or (anchor or "").lstrip("#^")

    # wikilink text may hold underscores: protect it from emphasis like code
    def protected_wikilink(m: re.Match) -> str:
        return keep(wikilink(m))

    if "[" in text:
        text = _WIKILINK.sub(protected_wikilink, text)
        text = _md_links(text, links)
        text = _FOOTNOTE.sub("", text)
    if "<" in text:
        text = _TAG.sub(" ", text)
    for _ in range(3 if any(c in text for c in "*_~=") else 0):  # nested emphasis such as ***x*** or **a _b_ c**
        before = text
        text = _STRONG.sub(lambda m: _B_OPEN + m.group(2) + _B_CLOSE, text)
        text = _EM_STAR.sub(lambda m: m.group(1), text)
        text = _EM_UNDER.sub(lambda m: m.group(1), text)
        text = _OTHER.sub(lambda m: m.group(2), text)
        if text == before:
            break
    if "*" in text or "_" in text:
        text = _STRAY.sub("", text)  # an unmatched ** (e.g. bold cut by a line break) is not text
    if "\\" in text:
        text = _ESCAPE.sub(r"\1", text)
    if "&" in text:
        text = html.unescape(text)
    if codes:
        text = re.sub(_CODE + "(.)", lambda m: codes[ord(m.group(1)) - 0xF0000], text)
    text = _SPACES.sub(" ", text).strip()
    # read off the bold spans and drop the sentinels
    if _B_OPEN not in text and _B_CLOSE not in text:  # no bold: nothing to read off (and no char loop)
        return text, []
    out, emphasis, stack = [], [], []
    pos = 0
    for ch in text:
        if ch == _B_OPEN:
            stack.append(pos)
        elif ch == _B_CLOSE:
            if stack:
                start = stack.pop()
                if not stack:
                    emphasis.extend((start, pos))
        else:
            out.append(ch)
            pos += 1
    text = "".join(out)
    # trim spans to the text (white space at their ends)
    spans = []
    for a, b in zip(emphasis[0::2], emphasis[1::2]):
        while a < b and text[a].isspace():
            a += 1
        while b > a and text[b - 1].isspace():
            b -= 1
        if a < b:
            spans.extend((a, b))
    if text != text.strip():
        lead = len(text) - len(text.lstrip())
        text = text.strip()
        spans = [max(0, x - lead) for x in spans]
    return text, spans
