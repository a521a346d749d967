"""The stored graph as the files ``neo4j-admin database import full`` loads: the documented way
to put millions of nodes into a new Neo4j database (or a cluster's seed) without Bolt.

One header file and one data file per node kind and per relationship type, written as the
graph streams out of the store (rows are spooled beside them, so that each header can hold
every property any of its rows has)::

    nodes-Unit-header.csv        id:ID,:LABEL,text,start:int,end:int,confidence:double,central:boolean,...
    nodes-Unit.csv               unit_1a2b...,Claim;Unit,"The text, quoted",0,42,0.93,true,...
    relationships-SUPPORTS-header.csv   :START_ID,:END_ID,:TYPE,id,cue,confidence:double,...
    relationships-SUPPORTS.csv
    import.sh                    the neo4j-admin command that loads them

The header follows Neo4j's import tool: ``:ID`` (one id space: GraphMind ids are unique
across kinds), ``:LABEL`` (labels joined by ``;``), ``:START_ID``/``:END_ID``/``:TYPE``, and
``name:type`` for properties (``int``, ``long``, ``double``, ``boolean``, ``string``; an array
as ``type[]`` with ``;`` between items). Fields are quoted with ``"`` (doubled inside), texts
may hold line breaks (``--multiline-fields=true``), and an empty field is no property.
"""

from __future__ import annotations

import csv
import json
import os
import re
import shlex
from dataclasses import dataclass, field
from pathlib import Path

from .exceptions import GraphMindError
from .schema import load_schema

ARRAY_DELIMITER = ";"
# property -> type for the properties GraphMind stores (anything else is a string)
TYPES = {
    "index": "int", "start": "int", "end": "int", "turn": "int", "units": "int", "relations": "int",
    "confidence": "double", "central": "boolean", "emphasis": "int[]", "images": "int[]",
    "link_keys": "string[]", "link_aliases": "string[]",
}
KINDS = ("Document", "Section", "Paragraph", "Unit", "Concept", "Symbol")


@dataclass
class Written:
    nodes: int = 0
    relationships: int = 0
    files: list[str] = field(default_factory=list)
    command: str = ""


def _kind(labels) -> str:
    for k in KINDS:
        if k in labels:
            return k
    raise GraphMindError(f"a node with labels {sorted(labels)} is not a GraphMind node kind")


def _type_of(key: str, value) -> str:
    if key in TYPES:
        return TYPES[key]
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "long"
    if isinstance(value, float):
        return "double"
    if isinstance(value, list):
        inner = {_type_of("", v) for v in value} or {"string"}
        return (inner.pop() if len(inner) == 1 else "string") + "[]"
    return "string"


def _cell(value, kind: str):
    """A field: None is written as an empty unquoted field (no property); every string, the
    empty one too, is quoted (the import tool reads \"\" as an empty string); numbers bare."""
    if value is None:
        return None
    if kind.endswith("[]"):
        if not value:
            return None
        items = ["" if v is None else str(_cell(v, kind[:-2])) for v in value]
        if kind == "string[]" and any(ARRAY_DELIMITER in v for v in items):
            raise GraphMindError(f"an array item holds {ARRAY_DELIMITER!r}; cannot write it for neo4j-admin")
        return ARRAY_DELIMITER.join(items)
    if kind == "boolean":
        return "true" if value else "false"
    if kind in ("int", "long"):
        return int(value)
    if kind in ("double", "float"):
        return float(value)
    return str(value)


def _field(value) -> str:
    """None: an empty bare field (no property); a string: quoted, quotes doubled; a number: bare."""
    if value is None:
        return ""
    if isinstance(value, str):
        return '"' + value.replace('"', '""') + '"'
    return repr(value) if isinstance(value, float) else str(value)


class _Table:
    """One header file and one data file. Rows are spooled (JSON lines beside the files) as they
    come; the columns are every property any row has (a symbol's or a link's properties vary from
    row to row), each typed by its first value, and the CSV is written from the spool at the end."""

    def __init__(self, folder: Path, name: str, lead: list[str], skip: set[str]):
        self.folder, self.name, self.lead, self.skip = folder, name, lead, skip
        self.types: dict[str, str] = {}
        self.path = folder / f"{name}.csv"
        self.spool_path = folder / f".{name}.spool"
        self.spool = self.spool_path.open("w", encoding="utf-8")
        self.rows = 0

    def write(self, lead_values: list[str], props: dict) -> None:
        for k, v in props.items():
            if k not in self.skip and v is not None and k not in self.types:
                self.types[k] = _type_of(k, v)
        self.spool.write(json.dumps([lead_values, {k: v for k, v in props.items() if k not in self.skip}],
                                    ensure_ascii=False) + "\n")
        self.rows += 1

    def close(self) -> Path:
        self.spool.close()
        columns = sorted(self.types.items())
        try:
            with self.spool_path.open(encoding="utf-8") as rows, self.path.open("w", encoding="utf-8", newline="") as f:
                for line in rows:
                    lead_values, props = json.loads(line)
                    f.write(",".join(map(_field, lead_values + [_cell(props.get(k), t) for k, t in columns])) + "\n")
        finally:
            self.spool_path.unlink(missing_ok=True)
        header = self.folder / f"{self.name}-header.csv"
        cols = self.lead + [k if t == "string" else f"{k}:{t}" for k, t in columns]
        with header.open("w", encoding="utf-8", newline="") as f:
            csv.writer(f, lineterminator="\n").writerow(cols)
        return header

    def discard(self) -> None:
        self.spool.close()
        self.spool_path.unlink(missing_ok=True)


def write(pages, out: str | os.PathLike, database: str = "neo4j") -> Written:
    """Write the graph (pages from ``GraphStore.pages`` or ``whole``) as neo4j-admin import
    files into the folder ``out``."""
    schema = load_schema()
    known_rels = set(schema.all_rel_types)
    folder = Path(out)
    folder.mkdir(parents=True, exist_ok=True)
    written = Written()
    nodes: dict[str, _Table] = {}
    rels: dict[str, _Table] = {}
    seen: set[str] = set()  # concepts come with every page that mentions them (symbols once, to be sure)
    try:
        for page in pages:
            for nid, labels, props in page.nodes:
                kind = _kind(labels)
                if kind in ("Concept", "Symbol"):
                    if nid in seen:
                        continue
                    seen.add(nid)
                table = nodes.get(kind)
                if table is None:
                    table = nodes[kind] = _Table(folder, f"nodes-{kind}", ["id:ID", ":LABEL"], {"id"})
                table.write([nid, ARRAY_DELIMITER.join(sorted(labels))], props)
                written.nodes += 1
            for source, rel, target, props in page.edges:
                if rel not in known_rels:
                    raise GraphMindError(f"relationship type {rel!r} is not in schemas/graph.json")
                table = rels.get(rel)
                if table is None:
                    table = rels[rel] = _Table(folder, f"relationships-{rel}", [":START_ID", ":END_ID", ":TYPE"],
                                               set())
                table.write([source, target, rel], props)
                written.relationships += 1
    except BaseException:
        for table in list(nodes.values()) + list(rels.values()):
            table.discard()  # the caller drops the folder; no spool is left in it
        raise
    args = []
    for kind, table in sorted(nodes.items()):
        header = table.close()
        args.append(f"--nodes={header.name},{table.path.name}")
        written.files += [header.name, table.path.name]
    for rel, table in sorted(rels.items()):
        header = table.close()
        args.append(f"--relationships={header.name},{table.path.name}")
        written.files += [header.name, table.path.name]
    command = ["neo4j-admin", "database", "import", "full", shlex.quote(database), "--multiline-fields=true",
               f"--array-delimiter={ARRAY_DELIMITER}", "--overwrite-destination"] + args
    written.command = f"cd {shlex.quote(str(folder))} && " + " ".join(command)
    (folder / "import.sh").write_text(
        "#!/bin/sh\n# Load these files into a new Neo4j database (stop the database first; see README: a cluster).\n"
        "set -e\ncd \"$(dirname \"$0\")\"\n" + " \\\n  ".join(command) + "\n", encoding="utf-8")
    return written


# -- reading the files back (the round trip the tests make through a Bolt server) ---------------
def read_table(header: Path, data: Path):
    """(names, kinds, rows) of one header + data pair, each row a list of Python values
    decoded the way the import tool reads them; empty fields are None."""
    with header.open(encoding="utf-8", newline="") as f:
        cols = next(csv.reader(f))
    names, kinds = [], []
    for col in cols:
        name, _, kind = col.partition(":")
        names.append(name or ":" + kind.split("(")[0])
        kinds.append(kind if name else "")

    def decode(value: str, kind: str, quoted: bool = False):
        if value == "" and not quoted:  # an empty bare field is no property; "" is an empty string
            return None
        if kind.endswith("[]"):
            return [decode(v, kind[:-2], True) for v in value.split(ARRAY_DELIMITER)]
        if kind in ("int", "long"):
            return int(value)
        if kind in ("double", "float"):
            return float(value)
        if kind == "boolean":
            return value == "true"
        return value

    text = data.read_text(encoding="utf-8")
    row: list = []
    for m in _FIELD.finditer(text):
        quoted, bare, end = m.group(1), m.group(2), m.group(3)
        if quoted is not None:
            row.append(decode(quoted[1:-1].replace('""', '"'), kinds[len(row)], True))
        else:
            row.append(decode(bare, kinds[len(row)]))
        if end != ",":
            yield names, row
            row = []
            if m.end() >= len(text):
                break


# a field (quoted, with "" inside, or bare) and what ends it: a comma, a line break or the end
_FIELD = re.compile(r'(?:("(?:[^"]|"")*")|([^,"\n]*))(,|\n|$)')
