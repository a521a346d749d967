"""Read stage: paths → documents of prose blocks.

``iter_sources`` walks files and folders (recursively) and yields what can be read;
``read_note`` decodes one file and parses it as Markdown/Obsidian or plain text. A ``.txt``
or extension-less file whose content is Markdown (callouts, headings, fences, comments,
wikilinks, lists) is read as Markdown; ``input_format`` overrides the decision.
"""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Iterator

from ..exceptions import InputError
from .encoding import decode_bytes, looks_binary
from .markdown import (Block, Link, ParsedNote, first_sentence, id_like, looks_like_markdown, parse_markdown,
                       parse_plain)

TEXT_SUFFIXES = {".md": "markdown", ".markdown": "markdown", ".txt": "text", "": "text"}
INPUT_FORMATS = ("auto", "markdown", "text")
MAX_FILE_MB = 16.0  # real notes never come near this; GRAPHMIND_MAX_FILE_MB changes it

__all__ = ["Block", "Link", "Note", "iter_sources", "read_note", "TEXT_SUFFIXES", "INPUT_FORMATS"]


@dataclass
class Note:
    source: str  # the path as the user gave it, normalised, with forward slashes
    title: str
    blocks: list[Block]
    links: list[Link]
    metadata: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    skipped: dict = field(default_factory=dict)  # what was left out -> how many
    input_format: str = "markdown"


def _source_name(path: Path) -> str:
    return Path(os.path.normpath(path)).as_posix()


def _readable(path: Path) -> bool:
    return path.suffix.lower() in TEXT_SUFFIXES


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
            if _readable(path):
                yield path, ""
            else:
                yield None, f"{_source_name(path)}: skipped (not .md, .markdown, .txt or a file without extension)"
            continue
        for dirpath, dirnames, filenames in os.walk(path):
            dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
            for name in sorted(filenames):
                child = Path(dirpath) / name
                if name.startswith("."):
                    continue
                if not _readable(child):
                    yield None, f"{_source_name(child)}: skipped (not .md, .markdown, .txt or a file without extension)"
                elif child.suffix == "" and _binary_file(child):
                    yield None, f"{_source_name(child)}: skipped (binary file without extension)"
                else:
                    yield child, ""


def _binary_file(path: Path) -> bool:
    if not path.is_file():  # opening a pipe would wait for a writer; read_note reports it
        return False
    try:
        with path.open("rb") as f:
            return looks_binary(f.read(4096))
    except OSError:
        return False


def max_file_bytes() -> int:
    try:
        return int(float(os.environ.get("GRAPHMIND_MAX_FILE_MB", MAX_FILE_MB)) * 1_000_000)
    except ValueError:
        raise InputError("GRAPHMIND_MAX_FILE_MB must be a number of megabytes, e.g. 32") from None


def read_note(path: Path, input_format: str = "auto", max_bytes: int | None = None) -> Note:
    """Decode and parse one file. Raises InputError for binary, unreadable or too large files."""
    source = _source_name(path)
    max_bytes = max_file_bytes() if max_bytes is None else max_bytes
    try:
        st = path.stat()
        if not stat.S_ISREG(st.st_mode):  # a pipe would block the run, a device never end
            raise InputError(f"{source}: skipped: not a regular file (a pipe, socket or device)")
        size = st.st_size
        if size > max_bytes:
            raise InputError(f"{source}: skipped: {size / 1e6:.1f} MB is over the {max_bytes / 1e6:.0f} MB limit "
                             f"for one note; split the file or raise GRAPHMIND_MAX_FILE_MB")
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(f"{source}: cannot read ({exc.strerror}); check permissions") from None
    decoded = decode_bytes(data, source)
    notes = list(decoded.notes)
    if input_format == "auto":
        kind = TEXT_SUFFIXES.get(path.suffix.lower(), "text")
        if kind == "text" and looks_like_markdown(decoded.text):
            kind = "markdown"
            notes.append(f"{source}: read as Markdown (its content is Markdown; --input-format text reads it as "
                         f"plain text)")
    else:
        kind = input_format
    parsed: ParsedNote = parse_markdown(decoded.text) if kind == "markdown" else parse_plain(decoded.text)
    title = parsed.title
    if not title:  # the file's name, unless it is an identifier: then the first sentence
        stem = path.stem
        first = next((b.text for b in parsed.blocks), "")
        title = first_sentence(first) if id_like(stem) and first else stem
    return Note(
        source=source,
        title=title,
        blocks=parsed.blocks,
        links=parsed.links,
        metadata=parsed.metadata,
        notes=notes,
        skipped=dict(parsed.skipped),
        input_format=kind,
    )
