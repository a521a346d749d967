"""Contamination check: how much of a dataset overlaps given texts (e.g. an evaluation set)
in word 13-grams, the unit of overlap used for benchmark contamination reports.

Texts are read as UTF-8; in ``.json`` and ``.jsonl`` files every string value counts (a
JSON Lines file that does not parse is read as plain text). Words are lower-cased ``\\w+``
runs, so punctuation and spacing do not hide an overlap.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Iterable

from ..exceptions import GraphMindError

N = 13
_WORD = re.compile(r"\w+")


def ngrams(text: str, n: int = N) -> set[int]:
    words = _WORD.findall(text.lower())
    return {hash(" ".join(words[k:k + n])) for k in range(len(words) - n + 1)}


def _strings(value) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for v in value.values() for s in _strings(v)]
    if isinstance(value, list):
        return [s for v in value for s in _strings(v)]
    return []


def read_texts(path: str | Path) -> list[str]:
    path = Path(path)
    if not path.is_file():
        raise GraphMindError(f"--check-against {path}: no such file")
    try:
        raw = path.read_text(encoding="utf-8", errors="replace")
    except OSError as exc:
        raise GraphMindError(f"--check-against {path}: cannot read it ({exc.strerror})") from None
    if path.suffix.lower() in (".json", ".jsonl"):
        try:
            if path.suffix.lower() == ".json":
                return _strings(json.loads(raw))
            return [s for line in raw.splitlines() if line.strip() for s in _strings(json.loads(line))]
        except json.JSONDecodeError:
            pass
    return [raw]


def record_text(rec: dict) -> str:
    """Everything a model trained on the record reads."""
    keys = ("text", "messages", "instruction", "input", "output", "prompt", "chosen", "rejected")
    return "\n".join(s for k in keys if k in rec for s in _strings(rec[k]))


def check(records: Iterable[dict], paths: list[str]) -> dict[str, dict]:
    """Per file: how many examples share at least one 13-gram with it, how many distinct
    13-grams are shared, and the ids of the first 100 such examples. ``records`` is read
    once, one at a time (a paged export passes them as it reads its files back)."""
    found = []
    for path in paths:
        theirs: set[int] = set()
        for text in read_texts(path):
            theirs |= ngrams(text)
        found.append((str(path), theirs, set(), []))
    total = 0
    for rec in records:
        total += 1
        grams = ngrams(record_text(rec))
        for _, theirs, shared, hit_ids in found:
            common = grams & theirs
            if common:
                shared |= common
                hit_ids.append(rec["id"])
    return {path: {"examples": len(hit_ids), "of": total, "shared_13grams": len(shared), "example_ids": hit_ids[:100]}
            for path, _, shared, hit_ids in found}
