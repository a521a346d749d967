"""Bytes → text for real notes: UTF-8 (with or without BOM), Windows-1251, and
double-encoded UTF-8 (mojibake such as ``Ð¢Ð¾`` or ``–¢–æ``) repaired.

Nothing is dropped silently: every repair and every undecodable byte is reported as a
note for the file.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import ftfy

from ..exceptions import InputError

_CYRILLIC = re.compile(r"[\u0400-\u04FF]")
_LETTER = re.compile(r"[^\W\d_]")
_SPACES = re.compile(r"\s+")
# anything but letters, digits (\w: str.isalnum() and "_") and ordinary punctuation
_NOT_PLAIN = re.compile(r"[^\w.,;:!?\-—–«»\"'()\[\]/*#>|`]+")
# code pages whose mojibake of UTF-8 ftfy does not undo on its own
_MOJIBAKE_PAGES = ("mac_roman", "mac_cyrillic", "cp1252", "latin-1", "cp1251")


@dataclass
class Decoded:
    text: str
    encoding: str
    notes: list[str] = field(default_factory=list)


def looks_binary(data: bytes) -> bool:
    head = data[:8192]
    if b"\x00" in head:
        return True
    if not head:
        return False
    control = sum(1 for b in head if b < 32 and b not in (9, 10, 12, 13, 27))
    return control / len(head) > 0.05


def _cyrillic_share(text: str) -> float:
    letters = len(_LETTER.findall(text))
    return len(_CYRILLIC.findall(text)) / letters if letters else 0.0


def _plausibility(text: str) -> float:
    """Share of letters, digits and ordinary punctuation among non-space characters."""
    visible = len(_SPACES.sub("", text))  # counted in C: linear and fast on megabytes
    if not visible:
        return 1.0
    return len(_NOT_PLAIN.sub("", text)) / visible


def repair_mojibake(text: str) -> tuple[str, str | None]:
    """Undo UTF-8 that was read in another code page and saved again.
    Returns the text and the code page that was undone (None when nothing changed)."""
    fixed = ftfy.fix_encoding(text)
    if fixed != text:
        return fixed, "ftfy"
    best, best_page, best_score = text, None, None
    for page in _MOJIBAKE_PAGES:
        try:
            candidate = text.encode(page).decode("utf-8")
        except (UnicodeEncodeError, UnicodeDecodeError):
            continue
        if len(candidate) >= len(text):  # nothing was double-encoded (e.g. plain ASCII): not a repair
            continue
        if best_score is None:
            best_score = _plausibility(text)
        score = _plausibility(candidate)
        if score > best_score + 0.05:
            best, best_page, best_score = candidate, page, score
    return best, best_page


def decode_bytes(data: bytes, name: str) -> Decoded:
    """Decode a file's bytes; raise InputError for binary content."""
    if looks_binary(data):
        raise InputError(f"{name}: binary or unreadable file, skipped (GraphMind reads .md, .markdown and .txt text)")
    notes: list[str] = []
    if data.startswith(b"\xef\xbb\xbf"):
        text, encoding = data[3:].decode("utf-8", errors="replace"), "utf-8-sig"
    else:
        try:
            text, encoding = data.decode("utf-8"), "utf-8"
        except UnicodeDecodeError:
            candidate = data.decode("cp1251", errors="replace")
            if _cyrillic_share(candidate) > 0.5:
                text, encoding = candidate, "cp1251"
                notes.append(f"{name}: decoded as Windows-1251")
            else:
                text, encoding = data.decode("utf-8", errors="replace"), "utf-8"
    bad = text.count("\ufffd")
    if bad:
        notes.append(f"{name}: {bad} undecodable byte sequence(s) replaced with U+FFFD")
    repaired, page = repair_mojibake(text)
    if page:
        how = "mojibake undone with ftfy" if page == "ftfy" else f"UTF-8 read as {page}"
        notes.append(f"{name}: repaired double-encoded text ({how})")
        text = repaired
    return Decoded(text=text, encoding=encoding, notes=notes)
