"""The named Cypher query library in ``queries/``: one ``.cypher`` file per question,
starting with a comment header::

    // description: what the query answers
    // params: name=default, other          (a parameter without default is required)
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache

from .exceptions import QueryError
from .schema import resource_dir

_HEADER = re.compile(r"^//\s*(description|params)\s*:\s*(.*)$")
_MISSING = object()


@dataclass(frozen=True)
class NamedQuery:
    name: str
    description: str
    params: tuple[tuple[str, object], ...]  # (name, default or _MISSING)
    text: str

    def bind(self, given: dict[str, object]) -> dict[str, object]:
        known = {name for name, _ in self.params}
        unknown = sorted(set(given) - known)
        if unknown:
            raise QueryError(
                f"query {self.name!r} has no parameter {unknown[0]!r}; "
                f"its parameters: {', '.join(sorted(known)) or 'none'}"
            )
        bound = {}
        for name, default in self.params:
            if name in given:
                bound[name] = given[name]
            elif default is _MISSING:
                raise QueryError(f"query {self.name!r} needs --param {name}=VALUE")
            else:
                bound[name] = default
        return bound


def parse_value(text: str) -> object:
    """``--param`` values: JSON when they parse as JSON (numbers, null, lists), else text."""
    try:
        return json.loads(text)
    except ValueError:
        return text


def parse_params(pairs: tuple[str, ...] | list[str]) -> dict[str, object]:
    out = {}
    for pair in pairs:
        if "=" not in pair:
            raise QueryError(f"--param {pair!r}: write it as key=value")
        key, value = pair.split("=", 1)
        out[key.strip()] = parse_value(value)
    return out


def _parse(name: str, text: str) -> NamedQuery:
    description, params = "", []
    for line in text.splitlines():
        m = _HEADER.match(line.strip())
        if not m:
            if line.strip().startswith("//"):
                continue
            break
        if m.group(1) == "description":
            description = m.group(2).strip()
        else:
            for item in filter(None, (p.strip() for p in m.group(2).split(","))):
                key, _, default = item.partition("=")
                params.append((key.strip(), parse_value(default.strip()) if default else _MISSING))
    if not description:
        raise QueryError(f"queries/{name}.cypher has no '// description:' header")
    return NamedQuery(name, description, tuple(params), text)


@lru_cache(maxsize=1)
def library() -> dict[str, NamedQuery]:
    folder = resource_dir("queries")
    return {p.stem: _parse(p.stem, p.read_text(encoding="utf-8")) for p in sorted(folder.glob("*.cypher"))}


def get(name: str) -> NamedQuery:
    try:
        return library()[name]
    except KeyError:
        raise QueryError(f"no query named {name!r}; list them with: graphmind query --list") from None


# -- results as plain data ----------------------------------------------------------------
NON_FINITE = {"nan": "NaN", "inf": "Infinity", "-inf": "-Infinity"}


def plain(value):
    """A query result value as plain JSON data: a node is ``{"id", "labels", "properties"}``
    (``id``: its GraphMind id, else the server's element id), a relationship
    ``{"type", "start", "end", "properties"}`` (its endpoints' ids the same way), a path
    ``{"nodes", "relationships"}``; a float that is not finite is the string ``"NaN"``,
    ``"Infinity"`` or ``"-Infinity"``; dates and times are ISO strings; bytes are hex."""
    import math

    from neo4j.graph import Node, Path, Relationship

    if value is None or isinstance(value, (bool, int, str)):
        return value
    if isinstance(value, float):
        return value if math.isfinite(value) else NON_FINITE[repr(value)]
    if isinstance(value, Node):
        return {"id": _node_id(value), "labels": sorted(value.labels), "properties": plain(dict(value))}
    if isinstance(value, Relationship):
        return {"type": value.type, "start": _node_id(value.start_node), "end": _node_id(value.end_node),
                "properties": plain(dict(value))}
    if isinstance(value, Path):
        return {"nodes": [plain(n) for n in value.nodes], "relationships": [plain(r) for r in value.relationships]}
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, set, frozenset)):
        return [plain(v) for v in value]
    if isinstance(value, (bytes, bytearray)):
        return bytes(value).hex()
    if hasattr(value, "iso_format"):  # neo4j.time Date, DateTime, Time, Duration
        return value.iso_format()
    return str(value)


def _node_id(node) -> str | None:
    if node is None:
        return None
    own = node.get("id") if hasattr(node, "get") else None
    return own if isinstance(own, str) else node.element_id
