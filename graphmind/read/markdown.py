"""Markdown and Obsidian notes → blocks of prose.

Headings become sections; callouts (``> [!type] title``, also the chat-export style
``>[!nexus_user] **User** - date``) become paragraphs attributed to the callout's type;
HTML comments and front matter are metadata; ``[[wikilinks]]`` and ``[[target|alias]]``
are recorded as links (the alias is the visible text); fenced code and tables are not
prose; each list item is a paragraph.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

_COMMENT = re.compile(r"<!--(.*?)-->", re.S)
_FRONT_MATTER = re.compile(r"\A---[ \t]*\n(.*?)\n(?:---|\.\.\.)[ \t]*(?:\n|\Z)", re.S)
_HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")
_FENCE = re.compile(r"^\s*(`{3,}|~{3,})")
_CALLOUT = re.compile(r"^\s*>\s*\[!([^\]\s]+)\][+-]?\s*(.*)$")
_QUOTE = re.compile(r"^\s*>\s?(.*)$")
_LIST_ITEM = re.compile(r"^(\s*)(?:[-*+]|\d{1,3}[.)])\s+(?:\[[ xX]\]\s+)?(.*)$")
_TABLE_ROW = re.compile(r"^\s*\|.*\|\s*$")
_RULE = re.compile(r"^\s*(?:[-*_]\s*){3,}$")
_WIKILINK = re.compile(r"(!?)\[\[([^\]|#]*)(#[^\]|]*)?(?:\|([^\]]*))?\]\]")
_MDLINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
_EMPHASIS = re.compile(r"(\*\*|__|\*|_|~~|==)(?=\S)(.+?)(?<=\S)\1")
_CODE_SPAN = re.compile(r"`([^`]*)`")
_TAG = re.compile(r"</?[A-Za-z][^>]*>")
_SPACES = re.compile(r"\s+")
_TITLE_KEY = re.compile(r"^title\s*:\s*(.+?)\s*$", re.M)


@dataclass
class Block:
    text: str
    section: tuple[str, ...]
    kind: str = "paragraph"  # paragraph | list | heading | quote | callout | code | table
    callout: str | None = None
    callout_title: str | None = None


@dataclass
class Link:
    target: str
    alias: str | None


@dataclass
class ParsedNote:
    title: str | None
    blocks: list[Block] = field(default_factory=list)
    links: list[Link] = field(default_factory=list)
    metadata: list[str] = field(default_factory=list)


def link_key(target: str) -> str:
    """The name a wikilink target resolves by: last path part, no Markdown suffix, lowercase
    (matched against a document's file stem or title)."""
    key = target.strip().replace("\\", "/").split("/")[-1]
    if key.lower().endswith((".md", ".markdown")):
        key = key.rsplit(".", 1)[0]
    return key.lower()


def visible_text(raw: str, links: list[Link]) -> str:
    """Inline Markdown → the text a reader sees; wikilinks are recorded in ``links``."""

    def wikilink(m: re.Match) -> str:
        embed, target, heading, alias = m.group(1), m.group(2).strip(), m.group(3), m.group(4)
        if target:
            links.append(Link(target=target, alias=alias.strip() if alias else None))
        if embed:
            return ""
        if alias:
            return alias.strip()
        return target or (heading or "").lstrip("#")

    text = _WIKILINK.sub(wikilink, raw)
    text = _MDLINK.sub(lambda m: m.group(1), text)
    text = _CODE_SPAN.sub(lambda m: m.group(1), text)
    for _ in range(2):  # nested emphasis such as ***x***
        text = _EMPHASIS.sub(lambda m: m.group(2), text)
    text = _TAG.sub(" ", text)
    return _SPACES.sub(" ", text).strip()


def _strip_metadata(text: str, metadata: list[str]) -> tuple[str, str | None]:
    title = None
    fm = _FRONT_MATTER.match(text)
    if fm:
        metadata.append(fm.group(1))
        t = _TITLE_KEY.search(fm.group(1))
        if t:
            title = t.group(1).strip().strip("\"'")
        text = "\n" * fm.group(0).count("\n") + text[fm.end():]

    def comment(m: re.Match) -> str:
        metadata.append(m.group(1).strip())
        return "\n" * m.group(0).count("\n")

    return _COMMENT.sub(comment, text), title


def parse_markdown(text: str) -> ParsedNote:
    metadata: list[str] = []
    text, title = _strip_metadata(text, metadata)
    note = ParsedNote(title=title, metadata=metadata)
    _parse_lines(text.split("\n"), (), None, None, note)
    if note.title is None:
        for line in text.split("\n"):
            h = _HEADING.match(line)
            if h and len(h.group(1)) == 1:
                note.title = visible_text(h.group(2), [])
                break
    return note


def _parse_lines(
    lines: list[str],
    section: tuple[str, ...],
    callout: str | None,
    callout_title: str | None,
    note: ParsedNote,
) -> tuple[str, ...]:
    buf: list[str] = []
    kind = "paragraph"

    def flush() -> None:
        nonlocal buf, kind
        if buf:
            text = visible_text(" ".join(s.strip() for s in buf), note.links)
            if text:
                note.blocks.append(Block(text, section, "callout" if callout else kind, callout, callout_title))
        buf, kind = [], "paragraph"

    i, n = 0, len(lines)
    while i < n:
        line = lines[i]
        if not line.strip() or _RULE.match(line) and not buf:
            flush()
            i += 1
            continue
        fence = _FENCE.match(line)
        if fence:  # code is not prose: skip to the closing fence
            flush()
            mark = fence.group(1)
            i += 1
            while i < n and not lines[i].strip().startswith(mark[0] * len(mark)):
                i += 1
            i += 1
            continue
        heading = _HEADING.match(line)
        if heading:
            flush()
            level = len(heading.group(1))
            name = visible_text(heading.group(2), note.links)
            section = section[: level - 1] + ("",) * max(0, level - 1 - len(section)) + (name,)
            i += 1
            continue
        if _TABLE_ROW.match(line):
            flush()
            while i < n and _TABLE_ROW.match(lines[i]):
                i += 1
            continue
        call = _CALLOUT.match(line)
        if call or _QUOTE.match(line):
            flush()
            body: list[str] = []
            i += 1
            while i < n and _QUOTE.match(lines[i]) and not _CALLOUT.match(lines[i]):
                body.append(_QUOTE.match(lines[i]).group(1))
                i += 1
            if call:
                title = visible_text(call.group(2), note.links) or None
                _parse_lines(body, section, call.group(1).lower(), title, note)
            else:
                body.insert(0, _QUOTE.match(line).group(1))
                before = len(note.blocks)
                _parse_lines(body, section, callout, callout_title, note)
                for block in note.blocks[before:]:
                    if block.kind == "paragraph":
                        block.kind = "quote"
            continue
        item = _LIST_ITEM.match(line)
        if item:
            flush()
            kind = "list"
            buf.append(item.group(2))
            indent = len(item.group(1))
            i += 1
            while i < n and lines[i].strip() and not _LIST_ITEM.match(lines[i]) and (
                len(lines[i]) - len(lines[i].lstrip()) > indent
            ) and not _FENCE.match(lines[i]):
                buf.append(lines[i])
                i += 1
            flush()
            continue
        buf.append(line)
        i += 1
    flush()
    return section


def parse_plain(text: str) -> ParsedNote:
    """Plain text: paragraphs are separated by blank lines, in order."""
    note = ParsedNote(title=None)
    for chunk in re.split(r"\n[ \t]*\n", text):
        cleaned = _SPACES.sub(" ", chunk).strip()
        if cleaned:
            note.blocks.append(Block(cleaned, ()))
    return note
