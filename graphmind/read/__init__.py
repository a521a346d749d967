"""Read stage: paths → documents of prose blocks.

``iter_sources`` walks files and folders (recursively) and yields what can be read;
``read_note`` decodes one file and parses it as Markdown/Obsidian or plain text.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Iterator

from ..exceptions import InputError
from .encoding import decode_bytes
from .markdown import Block, Link, ParsedNote, parse_markdown, parse_plain

TEXT_SUFFIXES = {".md": "markdown", ".markdown": "markdown", ".txt": "text"}

__all__ = ["Block", "Link", "Note", "iter_sources", "read_note", "TEXT_SUFFIXES"]


@dataclass
class Note:
    source: str  # the path as the user gave it, normalised, with forward slashes
    title: str
    blocks: list[Block]
    links: list[Link]
    metadata: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def _source_name(path: Path) -> str:
    return Path(os.path.normpath(path)).as_posix()


def iter_sources(paths: Iterable[str | os.PathLike]) -> Iterator[tuple[Path | None, str]]:
    """Yield ``(path, "")`` for every readable file and ``(None, note)`` for every path
    that is skipped. Raises InputError, before yielding anything, when a path does not exist."""
    paths = list(paths)
    for raw in paths:  # fail before any work when a path is wrong
        if not Path(raw).exists():
            raise InputError(f"{raw}: no such file or folder; check the path")
    for raw in paths:
        path = Path(raw)
        if path.is_file():
            if path.suffix.lower() in TEXT_SUFFIXES:
                yield path, ""
            else:
                yield None, f"{_source_name(path)}: skipped (not .md, .markdown or .txt)"
            continue
        for dirpath, dirnames, filenames in os.walk(path):
            dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
            for name in sorted(filenames):
                child = Path(dirpath) / name
                if name.startswith("."):
                    continue
                if child.suffix.lower() in TEXT_SUFFIXES:
                    yield child, ""
                else:
                    yield None, f"{_source_name(child)}: skipped (not .md, .markdown or .txt)"


def read_note(path: Path) -> Note:
    """Decode and parse one file. Raises InputError for binary or unreadable files."""
    source = _source_name(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(f"{source}: cannot read ({exc.strerror}); check permissions") from None
    decoded = decode_bytes(data, source)
    if TEXT_SUFFIXES[path.suffix.lower()] == "markdown":
        parsed: ParsedNote = parse_markdown(decoded.text)
    else:
        parsed = parse_plain(decoded.text)
    return Note(
        source=source,
        title=parsed.title or path.stem,
        blocks=parsed.blocks,
        links=parsed.links,
        metadata=parsed.metadata,
        notes=decoded.notes,
    )
