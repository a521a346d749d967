"""The user's glyph table (``symbols.toml``): each ``[[symbol]]`` maps a glyph or a name to
keywords, concept lemmas or a read-only Cypher query (with parameters), and may give a
gloss; ``ignore = [...]`` lists glyphs that are typography in these notes.

```toml
ignore = ["✨"]

[[symbol]]
glyph = "🜂"
name = "fire"
gloss = "heat, purification, compression, catharsis"
keywords = ["catharsis", "жар"]
lemmas = ["огонь", "очищение"]

[[symbol]]
name = "Horizon"
query = "MATCH (u:Unit)-[:MENTIONS]->(:Concept {lemma: $lemma}) RETURN u.id"
params = { lemma = "horizon" }
```
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from ..exceptions import GraphMindError

DEFAULT_NAME = "symbols.toml"
ENV = "GRAPHMIND_SYMBOLS"
KEYS = ("glyph", "name", "gloss", "keywords", "lemmas", "query", "params")


@dataclass(frozen=True)
class TableEntry:
    index: int  # 1-based position in the file, for messages
    glyph: str
    name: str
    gloss: str
    keywords: tuple[str, ...] = ()
    lemmas: tuple[str, ...] = ()
    query: str | None = None
    params: dict = field(default_factory=dict)

    def title(self) -> str:
        both = " ".join(x for x in (self.glyph, f"({self.name})" if self.glyph and self.name else self.name) if x)
        return both or f"symbol {self.index}"


@dataclass(frozen=True)
class SymbolTable:
    path: str
    entries: tuple[TableEntry, ...]
    ignore: frozenset[str] = frozenset()


def default_path(explicit: str | os.PathLike | None = None) -> Path | None:
    """The table to read: ``explicit``, else $GRAPHMIND_SYMBOLS, else ./symbols.toml when
    it exists (None: no table)."""
    if explicit:
        return Path(explicit)
    if os.environ.get(ENV):
        return Path(os.environ[ENV])
    here = Path(DEFAULT_NAME)
    return here if here.is_file() else None


def _strings(value, where: str, key: str) -> tuple[str, ...]:
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise GraphMindError(f"{where}: {key} must be a list of non-empty strings")
    return tuple(v.strip() for v in value)


def read_table(path: str | os.PathLike) -> SymbolTable:
    path = Path(path)
    if not path.is_file():
        raise GraphMindError(f"{path}: no such glyph table; create it (see README, Symbols) or pass another --table")
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except UnicodeDecodeError:
        raise GraphMindError(f"{path}: not UTF-8 text; save the glyph table as UTF-8") from None
    except tomllib.TOMLDecodeError as exc:
        raise GraphMindError(f"{path}: not valid TOML ({exc}); fix the table") from None
    unknown = sorted(set(data) - {"symbol", "ignore"})
    if unknown:
        raise GraphMindError(f"{path}: unknown key {unknown[0]!r}; the table holds [[symbol]] entries and ignore = [...]")
    entries = []
    raw = data.get("symbol", [])
    if not isinstance(raw, list):
        raise GraphMindError(f"{path}: write each symbol as a [[symbol]] table")
    for k, item in enumerate(raw, start=1):
        where = f"{path}: symbol {k}"
        bad = sorted(set(item) - set(KEYS))
        if bad:
            raise GraphMindError(f"{where}: unknown key {bad[0]!r}; known keys: {', '.join(KEYS)}")
        for key in ("glyph", "name", "gloss", "query"):
            if key in item and not isinstance(item[key], str):
                raise GraphMindError(f"{where}: {key} must be a string")
        glyph, name = (item.get("glyph") or "").strip(), (item.get("name") or "").strip()
        if not glyph and not name:
            raise GraphMindError(f"{where}: give it a glyph or a name")
        params = item.get("params", {})
        if not isinstance(params, dict):
            raise GraphMindError(f"{where}: params must be a table, e.g. params = {{ lemma = \"fire\" }}")
        if params and not item.get("query"):
            raise GraphMindError(f"{where}: params without a query; add query = \"...\" or remove params")
        entries.append(TableEntry(
            k, glyph, name, (item.get("gloss") or "").strip(),
            _strings(item.get("keywords", []), where, "keywords"), _strings(item.get("lemmas", []), where, "lemmas"),
            (item.get("query") or "").strip() or None, dict(params)))
    ignore = _strings(data.get("ignore", []), f"{path}", "ignore") if "ignore" in data else ()
    return SymbolTable(str(path), tuple(entries), frozenset(ignore))
