"""Deterministic identifiers: a prefix and a hash of content and source.

The same input always gives the same id, so re-runs are idempotent and outputs are
reproducible; an unchanged paragraph keeps its ids when the rest of its file changes.
"""

from __future__ import annotations

import hashlib
from functools import lru_cache

_blake2b = hashlib.blake2b


def make_id(prefix: str, *parts: object) -> str:
    data = "\x1f".join(map(str, parts)).encode("utf-8", "surrogatepass") + b"\x1f"
    return f"{prefix}_{hashlib.blake2b(data, digest_size=10).hexdigest()}"


def document_id(source: str) -> str:
    return make_id("doc", source)


def paragraph_id(doc_id: str, text: str, occurrence: int = 0) -> str:
    return make_id("par", doc_id, text, occurrence)


def section_id(doc_id: str, path: tuple[str, ...]) -> str:
    return make_id("sec", doc_id, *path)


# The two ids made most often (several per paragraph) spell out make_id's encoding
# inline: the same strings, without the generic join.
def unit_id(par_id: str, start: int, end: int) -> str:
    data = f"{par_id}\x1f{start}\x1f{end}\x1f".encode("utf-8", "surrogatepass")
    return "unit_" + _blake2b(data, digest_size=10).hexdigest()


def relation_id(source: str, target: str, rel_type: str) -> str:
    data = f"{source}\x1f{target}\x1f{rel_type}\x1f".encode("utf-8", "surrogatepass")
    return "rel_" + _blake2b(data, digest_size=10).hexdigest()


@lru_cache(maxsize=65536)
def concept_id(lang: str, lemma: str) -> str:
    return make_id("con", lang, lemma)
