"""Markdown and Obsidian notes -> a document of blocks, as their author wrote them.

A note becomes: turns (chat-export callouts, with speaker and time) -> sections (headings) ->
blocks: a paragraph; a list together with the lead-in that introduces it (one block, items
separated by line breaks); a heading (kept as a block: the extractor makes it a unit when it
states something, a theme otherwise); a fenced block that holds prose (an example for the
lead-in before it); a table, read row by row with its header as context; a quote. Inline
markup becomes plain text plus bold spans (``graphmind.read.inline``). Front matter and HTML
comments are metadata. What is not prose (code, embeds, navigation links) is counted in
``skipped`` so the run can say what it left out and why.

The parser is iterative (no recursion on nesting depth), and linear in the input size.
"""

from __future__ import annotations

import os
import re
from collections import Counter
from dataclasses import dataclass, field

from ..exceptions import InputError
from .inline import Link, visible

__all__ = ["Block", "Link", "ParsedNote", "parse_markdown", "parse_plain", "link_key", "visible_text",
           "looks_like_markdown"]

MAX_QUOTE_DEPTH = 32
#: what a nested list item's line starts with, once per level of nesting
NEST_INDENT = "  "
LIST_MAX_ITEMS = 40  # a longer list is read as several blocks of this many items
# list items and table rows read from one note; the rest is counted in `skipped`, not parsed.
# A list this long is data (a log, a word list), not notes; GRAPHMIND_MAX_LIST_ITEMS changes it
MAX_NOTE_ITEMS = 5_000
MAX_BLOCK_CHARS = 20_000  # a longer paragraph is cut at sentence ends
# ... and so is one of more sentences than this: the parser's work grows faster than linearly
# with the units of one paragraph (a 400-sentence paragraph takes seconds), real ones stay far below
MAX_BLOCK_SENTENCES = 50

_COMMENT = re.compile(r"<!--(.*?)-->", re.S)
_FRONT_MATTER = re.compile(r"\A\ufeff?---[ \t]*\r?\n(.*?)\r?\n(?:---|\.\.\.)[ \t]*(?:\r?\n|\Z)", re.S)
_HEADING = re.compile(r"^ {0,3}(#{1,6})(?:[ \t]+(.*?))?[ \t]*#*[ \t]*$")
_SETEXT = re.compile(r"^ {0,3}(=+|-+)[ \t]*$")
_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})\s*([\w+#.-]*)")
_QUOTE_PREFIX = re.compile(r"^[ \t]{0,3}>[ \t]?")
_CALLOUT = re.compile(r"^\[!([^\]\s]+)\][+-]?[ \t]*(.*)$")
_LIST_ITEM = re.compile(
    r"^([ \t]*)(?:[-*+•▪◦‣·]|\d{1,3}[.)]|[a-zA-Z][.)](?=\s)|[✔✓✅❌✗✘➡→⇒►▶☑☐🔹🔸👉⚠❗❓]\ufe0f?)[ \t]+(?:\[[ xX]\][ \t]+)?(.*)$")
_TABLE_ROW = re.compile(r"^\s*\|.*\|\s*$|^\s*[^|\s][^|]*(?:\|[^|]*){1,}$")
_TABLE_SEP = re.compile(r"^\s*\|?\s*:?-{2,}:?\s*(?:\|\s*:?-{2,}:?\s*)*\|?\s*$")
_RULE = re.compile(r"^ {0,3}(?:(?:-[ \t]*){3,}|(?:\*[ \t]*){3,}|(?:_[ \t]*){3,})$")
_ONLY_LINKS = re.compile(r"^\s*(?:(?:!?\[\[[^\]]*\]\]|!?\[[^\]]*\]\([^)]*\)|#[\w/-]+)[\s,;·|]*)+$")
_HEADING_NUMBER = re.compile(r"^\s*(?:(?:\d{1,3}\.)+\d{0,3}|\d{1,3}\)|[IVXLC]{1,6}\.|[A-Za-z]\))\s+")
_SENTENCE_END = re.compile(r"(?<=[.!?…])\s+")
_SPEAKER_USER = re.compile(r"user|human|me\b|question|вопрос|я\b", re.I)
_SPEAKER_AI = re.compile(r"agent|assistant|ai\b|bot|gpt|claude|gemini|model|answer|ответ|ассистент", re.I)
_TIMESTAMP = re.compile(r"\d{1,4}[./-]\d{1,2}[./-]\d{1,4}(?:\s*(?:at|в|,)?\s*\d{1,2}:\d{2}(?::\d{2})?)?"
                        r"|\d{1,2}:\d{2}(?::\d{2})?")
_ID_LIKE = re.compile(r"^[\w-]*\d[\w-]*$")
_PROSE_FENCES = {"", "text", "txt", "markdown", "md", "plain", "plaintext", "quote", "example", "prose"}
_CODE_CHARS = re.compile(r"[{}()\[\];=<>$#|\\/@^&*_]")
_CODE_LINE = re.compile(r"^\s*(?:def |class |import |from \S+ import|function |const |let |var |return\b|#include|"
                        r"SELECT |INSERT |CREATE |MATCH |public |private |if\s*\(|for\s*\(|\$ |>>> |[\w.]+\(.*\)\s*;?$)")
_FOOTNOTE_DEF = re.compile(r"^ {0,3}\[\^[^\]]+\]:\s*")
_YAML_TITLE = re.compile(r"^title\s*:\s*(.+?)\s*$", re.M)


@dataclass
class Block:
    text: str
    section: tuple[str, ...]
    kind: str = "paragraph"  # paragraph | list | heading | quote | callout | code | table
    callout: str | None = None
    callout_title: str | None = None
    speaker: str | None = None
    turn: int | None = None
    timestamp: str | None = None
    emphasis: list[int] = field(default_factory=list)
    level: int = 0  # heading level (heading blocks)


@dataclass
class ParsedNote:
    title: str | None
    blocks: list[Block] = field(default_factory=list)
    links: list[Link] = field(default_factory=list)
    metadata: list[str] = field(default_factory=list)
    skipped: Counter = field(default_factory=Counter)  # what was left out, and why
    first_user_turn: str | None = None


def max_note_items() -> int:
    """MAX_NOTE_ITEMS, or GRAPHMIND_MAX_LIST_ITEMS when it is set (a whole number)."""
    raw = os.environ.get("GRAPHMIND_MAX_LIST_ITEMS")
    if raw is None:
        return MAX_NOTE_ITEMS
    try:
        return max(0, int(raw))
    except ValueError:
        raise InputError("GRAPHMIND_MAX_LIST_ITEMS must be a whole number of list items, e.g. 20000") from None


def link_key(target: str) -> str:
    """The name a wikilink target resolves by: last path part, no Markdown suffix, lowercase
    (matched against a document's file stem or title)."""
    key = target.strip().replace("\\", "/").split("/")[-1]
    if key.lower().endswith((".md", ".markdown")):
        key = key.rsplit(".", 1)[0]
    return key.lower()


def visible_text(raw: str, links: list[Link]) -> str:
    """Inline Markdown -> the text a reader sees; wikilinks are recorded in ``links``."""
    return visible(raw, links)[0]


def looks_like_markdown(text: str) -> bool:
    """Whether a text file holds Markdown: callouts, headings, fences, HTML comments, wikilinks,
    or several list items or bold spans. Cheap: only the first 200 lines are looked at."""
    lines = text.split("\n", 200)[:200]
    strong = weak = 0
    for line in lines:
        s = line.strip()
        if not s:
            continue
        if re.match(r"^>\s*\[![^\]]+\]", s) or s.startswith("<!--") or _FENCE.match(line) or \
                re.match(r"^#{1,6}\s+\S", s) or "[[" in s:
            strong += 1
        elif _LIST_ITEM.match(line) or "**" in s or s.startswith(">") or _TABLE_SEP.match(s):
            weak += 1
    return strong >= 1 or weak >= 3


def _yaml_escape(m: re.Match) -> str:
    e = m.group(1)
    if len(e) == 1:
        return {"n": "\n", "t": "\t", "r": "\r", "0": "\0"}.get(e, e)
    code = int(e[1:], 16)
    return chr(code) if code <= 0x10FFFF and not 0xD800 <= code <= 0xDFFF else m.group(0)


def _yaml_scalar(raw: str) -> str:
    raw = raw.strip()
    if len(raw) >= 2 and raw[0] == raw[-1] == "'":
        return raw[1:-1].replace("''", "'")
    if len(raw) >= 2 and raw[0] == raw[-1] == '"':
        body = raw[1:-1]
        return re.sub(r'\\(x[0-9a-fA-F]{2}|u[0-9a-fA-F]{4}|U[0-9a-fA-F]{8}|["\\/ntr0])', _yaml_escape, body)
    return raw.split(" #")[0].strip()


def _strip_metadata(text: str, metadata: list[str]) -> tuple[str, str | None]:
    title = None
    fm = _FRONT_MATTER.match(text)
    if fm:
        metadata.append(fm.group(1))
        t = _YAML_TITLE.search(fm.group(1))
        if t:
            title = _yaml_scalar(t.group(1)) or None
        text = "\n" * fm.group(0).count("\n") + text[fm.end():]

    def comment(m: re.Match) -> str:
        metadata.append(m.group(1).strip())
        return "\n" * m.group(0).count("\n")

    return _COMMENT.sub(comment, text), title


@dataclass
class _Line:
    text: str  # content after the quote markers of its container
    depth: int  # quote depth inside its container (0: the container's own text)
    turn: int | None  # the chat turn (top-level callout) it belongs to


@dataclass
class _Turn:
    callout: str
    title: str | None
    speaker: str | None
    timestamp: str | None


_DMY = re.compile(r"(\d{1,2})[./](\d{1,2})[./](\d{4})(?:\D+(\d{1,2}):(\d{2}))?")
_YMD = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})(?:\D+(\d{1,2}):(\d{2}))?")


def iso_time(stamp: str) -> str:
    """``07.07.2025 at 18:11`` -> ``2025-07-07T18:11`` (day.month.year, as chat exports write it);
    anything else is kept as written."""
    m = _DMY.search(stamp)
    if m:
        d, mo, y, h, mi = m.groups()
    else:
        m = _YMD.search(stamp)
        if not m:
            return stamp
        y, mo, d, h, mi = m.groups()
    out = f"{int(y):04d}-{int(mo):02d}-{int(d):02d}"
    return out + (f"T{int(h):02d}:{mi}" if h else "")


def _speaker(kind: str, title: str) -> str:
    for probe in (kind, title):
        if _SPEAKER_AI.search(probe):
            return "assistant"
        if _SPEAKER_USER.search(probe):
            return "user"
    return kind


def _quote_depth(line: str) -> tuple[int, str]:
    depth = 0
    while depth < 10_000:
        m = _QUOTE_PREFIX.match(line)
        if not m:
            break
        line = line[m.end():]
        depth += 1
    return depth, line


def _containers(lines: list[str], note: ParsedNote, turns: list[_Turn]) -> list[_Line]:
    """Assign every line to a chat turn (a top-level callout) or to the note itself, with the
    quote depth that remains inside it; lazy continuation lines stay in their quote."""
    out: list[_Line] = []
    turn: int | None = None
    turn_depth = 0
    prev_quoted_text = False
    for raw in lines:
        depth, content = _quote_depth(raw)
        if depth > MAX_QUOTE_DEPTH:
            note.skipped[f"quote levels deeper than {MAX_QUOTE_DEPTH} read as level {MAX_QUOTE_DEPTH}"] += 1
            depth = MAX_QUOTE_DEPTH
        call = _CALLOUT.match(content.strip()) if depth else None
        if call and (turn is None or depth <= turn_depth):
            links: list[Link] = []
            title, _ = visible(call.group(2), links)
            note.links.extend(links)
            kind = call.group(1).lower()
            stamp = _TIMESTAMP.search(call.group(2))
            turns.append(_Turn(kind, title or None, _speaker(kind, title or ""),
                               iso_time(stamp.group(0)) if stamp else None))
            turn, turn_depth = len(turns) - 1, depth
            out.append(_Line("", 0, turn))  # a break before the body
            prev_quoted_text = False
            continue
        if turn is not None:
            if depth >= turn_depth:
                out.append(_Line(content, depth - turn_depth, turn))
                prev_quoted_text = bool(content.strip())
                continue
            if depth == 0 and content.strip() and prev_quoted_text and not _starts_block(content):
                out.append(_Line(content, 0, turn))  # lazy continuation of the turn's paragraph
                continue
            turn = None
        if depth and content.strip() == "" and out and out[-1].depth and out[-1].turn is None:
            out.append(_Line("", depth, None))
            prev_quoted_text = False
            continue
        if depth == 0 and content.strip() and prev_quoted_text and out and out[-1].depth and not _starts_block(content):
            out.append(_Line(content, out[-1].depth, None))  # lazy continuation of a quote
            continue
        out.append(_Line(content, depth, None))
        prev_quoted_text = bool(depth and content.strip())
    return out


def _starts_block(line: str) -> bool:
    return bool(_HEADING.match(line) or _FENCE.match(line) or _LIST_ITEM.match(line) or _RULE.match(line)
                or _QUOTE_PREFIX.match(line))


class _Builder:
    """Turns the lines of one container run (same turn, same quote level) into blocks."""

    def __init__(self, note: ParsedNote, turns: list[_Turn]):
        self.note = note
        self.turns = turns
        self.max_items = max_note_items()
        self.items_left = self.max_items
        self.doc_section: tuple[str, ...] = ()
        self.turn_section: dict[int, tuple[str, ...]] = {}

    def section(self, turn: int | None) -> tuple[str, ...]:
        return self.turn_section.get(turn, self.doc_section) if turn is not None else self.doc_section

    def set_section(self, turn: int | None, level: int, name: str) -> None:
        base = self.section(turn)
        new = base[: level - 1] + ("",) * max(0, level - 1 - len(base)) + (name,)
        if turn is None:
            self.doc_section = new
        else:
            self.turn_section[turn] = new

    def take_items(self, items: list) -> list:
        """The items of one list or table that are still within the note's item limit; the others
        are counted as left out."""
        if len(items) > self.items_left:
            self.note.skipped[f"list items and table rows after the first {self.max_items:,} of the note "
                              f"(raise GRAPHMIND_MAX_LIST_ITEMS to read them)"] += len(items) - self.items_left
            items = items[:self.items_left]
        self.items_left -= len(items)
        return items

    def emit(self, raw_text: str, kind: str, turn: int | None, quoted: bool, emphasis=None, text=None,
             level: int = 0) -> None:
        if text is None:
            links: list[Link] = []
            text, emphasis = visible(raw_text, links)
            self.note.links.extend(links)
        if not text:
            return
        t = self.turns[turn] if turn is not None else None
        if quoted and kind == "paragraph":
            kind = "quote"
        for offset, piece in _cut_long(text):
            spans = [x - offset for x in (emphasis or ()) if offset <= x <= offset + len(piece)]
            spans = spans if len(spans) % 2 == 0 else []
            self.note.blocks.append(Block(
                piece, self.section(turn), kind,
                t.callout if t else None, t.title if t else None, t.speaker if t else None,
                turn, t.timestamp if t else None, spans, level))
            if t is not None and t.speaker == "user" and self.note.first_user_turn is None and kind != "heading":
                self.note.first_user_turn = piece

    def run(self, lines: list[_Line]) -> None:
        i, n = 0, len(lines)
        para: list[str] = []
        para_turn: int | None = None
        para_quoted = False

        def flush() -> None:
            nonlocal para
            if para:
                raw = " ".join(s.strip() for s in para)
                if _ONLY_LINKS.match(raw):
                    links: list[Link] = []
                    visible(raw, links)
                    self.note.links.extend(links)
                    self.note.skipped["lines holding only links or tags"] += 1
                else:
                    self.emit(raw, "paragraph", para_turn, para_quoted)
            para = []

        while i < n:
            ln = lines[i]
            line, turn, quoted = ln.text, ln.turn, ln.depth > 0
            if para and (turn != para_turn or quoted != para_quoted):
                flush()
            if not line.strip():
                flush()
                i += 1
                continue
            fence = _FENCE.match(line)
            if fence:
                flush()
                i = self._fence(lines, i, fence, turn, quoted)
                continue
            heading = _HEADING.match(line)
            if heading:
                flush()
                self._heading(heading.group(2) or "", len(heading.group(1)), turn, quoted)
                i += 1
                continue
            if para and _SETEXT.match(line) and not (line.strip().startswith("-") and len(para) == 0):
                level = 1 if line.strip().startswith("=") else 2
                raw = " ".join(s.strip() for s in para)
                para = []
                self._heading(raw, level, turn, quoted)
                i += 1
                continue
            if _RULE.match(line):
                flush()
                i += 1
                continue
            if _TABLE_ROW.match(line) and i + 1 < n and _TABLE_SEP.match(lines[i + 1].text) and "|" in line:
                flush()
                i = self._table(lines, i, turn, quoted)
                continue
            if _LIST_ITEM.match(line):
                lead = None
                if para and para[-1].rstrip().endswith(":"):
                    lead = " ".join(s.strip() for s in para)
                    para = []
                flush()
                i = self._list(lines, i, lead, turn, quoted)
                continue
            footnote = _FOOTNOTE_DEF.match(line)
            if footnote:  # a footnote's text is a paragraph of its own, without its label
                flush()
                line = line[footnote.end():]
            if not para:
                para_turn, para_quoted = turn, quoted
            para.append(line)
            i += 1
        flush()

    def _heading(self, raw: str, level: int, turn: int | None, quoted: bool) -> None:
        links: list[Link] = []
        text, emphasis = visible(raw, links)
        self.note.links.extend(links)
        numbered = _HEADING_NUMBER.match(text)
        if numbered:
            cut = numbered.end()
            text = text[cut:]
            emphasis = [max(0, x - cut) for x in emphasis]
        name = text.strip()
        self.set_section(turn, level, name)
        if name:
            self.emit("", "heading", turn, quoted, emphasis, name, level)

    def _fence(self, lines: list[_Line], i: int, fence: re.Match, turn, quoted) -> int:
        mark, lang = fence.group(1), fence.group(2).lower()
        body = []
        i += 1
        while i < len(lines) and not lines[i].text.strip().startswith(mark[0] * len(mark)):
            body.append(lines[i].text)
            i += 1
        i += 1
        content = "\n".join(body).strip()
        if not content:
            return i
        if lang in _PROSE_FENCES and _is_prose(content):
            text = " ".join(content.split())
            self.emit("", "code", turn, quoted, [], text)
        else:
            self.note.skipped["code blocks (code, not prose)"] += 1
        return i

    def _table(self, lines: list[_Line], i: int, turn, quoted) -> int:
        header = [c for c in _cells(lines[i].text)]
        i += 2
        rows = []
        while i < len(lines) and lines[i].text.strip() and "|" in lines[i].text and lines[i].turn == turn:
            cells = _cells(lines[i].text)
            parts = []
            for k, cell in enumerate(cells):
                value = visible_text(cell, self.note.links)
                if not value:
                    continue
                name = visible_text(header[k], []) if k < len(header) else ""
                parts.append(f"{name}: {value}" if name else value)
            if parts:
                rows.append("; ".join(parts))
            i += 1
        rows = self.take_items(rows)
        for start in range(0, len(rows), LIST_MAX_ITEMS):
            chunk = rows[start:start + LIST_MAX_ITEMS]
            self.emit("", "table", turn, quoted, [], "\n".join(chunk))
        return i

    def _list(self, lines: list[_Line], i: int, lead: str | None, turn, quoted) -> int:
        items: list[tuple[str, list[int], int]] = []  # (text, emphasis, nesting depth)
        current: list[str] = []
        indents: list[int] = []  # the indentation of the open levels of nesting
        depth = 0

        def close_item() -> None:
            nonlocal current
            if current:
                links: list[Link] = []
                text, emph = visible(" ".join(s.strip() for s in current), links)
                self.note.links.extend(links)
                if text:
                    items.append((text, emph, depth))
            current = []

        n = len(lines)
        while i < n and lines[i].turn == turn and (lines[i].depth > 0) == quoted:
            line = lines[i].text
            m = _LIST_ITEM.match(line)
            if m:
                close_item()
                indent = len(m.group(1).expandtabs(4))
                while indents and indent < indents[-1]:
                    indents.pop()
                if not indents or indent > indents[-1]:
                    indents.append(indent)
                depth = len(indents) - 1
                current = [m.group(2)]
                i += 1
                continue
            if not line.strip():
                # a blank line ends the list unless the next line is another item or indented
                j = i + 1
                if j < n and lines[j].turn == turn and (_LIST_ITEM.match(lines[j].text) or
                                                       (lines[j].text.startswith((" ", "\t")) and lines[j].text.strip())):
                    i = j
                    continue
                break
            if _FENCE.match(line) or _HEADING.match(line) or _RULE.match(line):
                break
            if current:
                current.append(line)  # continuation (indented or lazy)
                i += 1
                continue
            break
        close_item()
        items = self.take_items(items)
        chunks = [items[k:k + LIST_MAX_ITEMS] for k in range(0, len(items), LIST_MAX_ITEMS)] or [[]]
        for k, chunk in enumerate(chunks):
            parts, emphasis, pos = [], [], 0
            head = [(lead, None, 0)] if lead is not None and k == 0 else []
            top = min((d for _, _, d in chunk), default=0)  # a block cut from a long list starts at its own level
            for raw, pre, d in head + chunk:
                if pre is None:
                    links: list[Link] = []
                    text, emph = visible(raw, links)
                    self.note.links.extend(links)
                else:
                    text, emph = raw, pre
                if not text:
                    continue
                if parts:
                    pos += 1
                # a nested item keeps its depth as two spaces per level at the start of its line
                text = NEST_INDENT * max(0, d - top) + text if pre is not None else text
                indent = len(text) - len(text.lstrip(" ")) if pre is not None else 0
                emphasis.extend(x + pos + indent for x in emph)
                parts.append(text)
                pos += len(text)
            if parts:
                self.emit("", "list", turn, quoted, emphasis, "\n".join(parts))
        return i


def _cells(row: str) -> list[str]:
    row = row.strip()
    if row.startswith("|"):
        row = row[1:]
    if row.endswith("|"):
        row = row[:-1]
    return [c.strip() for c in re.split(r"(?<!\\)\|", row)]


def _is_prose(content: str) -> bool:
    """A fenced block that holds quoted prose (an example sentence, a definition) rather than code."""
    words = re.findall(r"[^\W\d_]{2,}", content)
    if len(words) < 4:
        return False
    lines = [l for l in content.split("\n") if l.strip()]
    if sum(bool(_CODE_LINE.match(l)) for l in lines) > len(lines) / 4:
        return False
    symbols = len(_CODE_CHARS.findall(content))
    return symbols / max(1, len(content)) < 0.03


def _cut_long(text: str) -> list[tuple[int, str]]:
    """Pieces of at most MAX_BLOCK_CHARS and MAX_BLOCK_SENTENCES, cut after sentence ends
    (or at a space); a text within both limits is one piece."""
    if len(text) <= MAX_BLOCK_CHARS and text.count(".") + text.count("!") + text.count("?") + text.count("…") \
            < MAX_BLOCK_SENTENCES:
        return [(0, text)]
    out, start = [], 0
    while start < len(text):
        stop = min(len(text), start + MAX_BLOCK_CHARS)
        ends = []
        for m in _SENTENCE_END.finditer(text, start, stop):
            ends.append(m.end())
            if len(ends) == MAX_BLOCK_SENTENCES:
                break
        if len(ends) == MAX_BLOCK_SENTENCES:
            cut = ends[-1]
        elif stop == len(text):
            cut = stop
        elif ends and ends[-1] - start > MAX_BLOCK_CHARS // 4:
            cut = ends[-1]
        else:
            cut = text.rfind(" ", start, stop) + 1 or stop
        out.append((start, text[start:cut].strip()))
        start = cut
    return [(o, p) for o, p in out if p]


def _title_from(note: ParsedNote) -> str | None:
    """The first H1, else the first heading, else the first user turn's first sentence."""
    headings = [b for b in note.blocks if b.kind == "heading"]
    for b in headings:
        if b.level == 1:
            return b.text
    if headings:
        return headings[0].text
    return first_sentence(note.first_user_turn) if note.first_user_turn else None


def first_sentence(text: str, limit: int = 80) -> str:
    first = _SENTENCE_END.split(text.strip(), 1)[0]
    return first if len(first) <= limit else first[:limit - 3].rsplit(" ", 1)[0] + "…"


def parse_markdown(text: str) -> ParsedNote:
    metadata: list[str] = []
    text, title = _strip_metadata(text, metadata)
    note = ParsedNote(title=title, metadata=metadata)
    turns: list[_Turn] = []
    lines = _containers(text.replace("\r\n", "\n").replace("\r", "\n").split("\n"), note, turns)
    _Builder(note, turns).run(lines)
    if note.title is None:
        note.title = _title_from(note)
    return note


def parse_plain(text: str) -> ParsedNote:
    """Plain text: paragraphs are separated by blank lines, in order."""
    note = ParsedNote(title=None)
    for chunk in re.split(r"\n[ \t]*\n", text):
        cleaned = " ".join(chunk.split())
        if cleaned:
            for _, piece in _cut_long(cleaned):
                note.blocks.append(Block(piece, ()))
    return note


def id_like(name: str) -> bool:
    """A file name that is an identifier rather than a title (``001_9670482e435a26bd``)."""
    return bool(_ID_LIKE.match(name)) and sum(c.isdigit() for c in name) >= 3
