"""Gold argument annotations: reading, normalising and checking them.

One JSON object per line, one paragraph (or short text) per object, in the schema of the
argumentative microtext files (see ``corpus/GUIDELINES.md``): ``units`` with character
offsets, exactly one central claim, a stance (``pro`` / ``opp``) per unit, and relations
from each other unit to the one it supports or attacks, so that the relations form one
tree rooted at the central claim. GraphMind's own corpus adds a rhetorical ``type`` per
unit (claim, premise, conclusion, metaphor, definition, example, analogy, question) and two
relation types of its own (``carries``, ``answered_by``).

``normalize`` fills in everything that follows from the units' texts and parents (the
paragraph text when absent, offsets, functions, relation records), so a record can be
written by hand as units with ``rel``/``to``; ``check`` lists what is wrong with a record.

    python -m graphmind.corpus check FILE...       # exit 1 and one line per problem
    python -m graphmind.corpus normalize FILE      # authoring form -> gold form, on stdout
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Iterable, Iterator

from .exceptions import InputError

#: relation type -> coarse family, for the microtext types and GraphMind's own
RELATION_COARSE = {
    "support": "support", "example": "support", "linked": None, "carries": "support",
    "rebut": "attack", "undercut": "attack", "answered_by": "structure",
}
UNIT_TYPES = ("claim", "premise", "conclusion", "metaphor", "definition", "example", "analogy", "question")
STANCES = ("pro", "opp")


def read_gold(paths: Iterable[str | Path]) -> Iterator[dict]:
    """Every record of the given JSONL files (``source_file`` and ``line`` added)."""
    for path in paths:
        path = Path(path)
        try:
            lines = path.read_text(encoding="utf-8").splitlines()
        except OSError as exc:
            raise InputError(f"{path}: cannot read ({exc.strerror}); check the path") from None
        for n, line in enumerate(lines, 1):
            if not line.strip():
                continue
            try:
                record = json.loads(line)
            except json.JSONDecodeError as exc:
                raise InputError(f"{path}:{n}: not JSON ({exc.msg}); one JSON object per line") from None
            record.setdefault("source_file", str(path))
            record.setdefault("line", n)
            yield record


def normalize(record: dict) -> dict:
    """The gold form of a record written as units with ``rel``/``to`` (idempotent on gold form).

    Unit texts are looked up in order in ``text`` (or joined with ``sep``, default a space,
    when the record has no ``text``). A unit's ``rel`` is its relation type and ``to`` the
    unit it attaches to; for ``undercut`` and ``linked`` ``to`` names the unit whose
    relation is undercut or joined, as in the microtext scheme."""
    units = record["units"]
    text = record.get("text")
    if text is None:
        text = record.get("sep", " ").join(u["text"] for u in units)
    out_units, pos = [], 0
    for u in units:
        start = text.find(u["text"], pos)
        if start < 0:
            raise InputError(f"{record.get('id')}: unit {u['id']} is not in the text after offset {pos}: {u['text']!r}")
        end = start + len(u["text"])
        pos = end
        out_units.append({"id": u["id"], "text": u["text"], "start": start, "end": end,
                          "central": bool(u.get("central")), "stance": u.get("stance", "pro"),
                          "type": u.get("type", "claim")})
    parent: dict[str, tuple[str, str]] = {}
    for u in units:
        if u.get("rel"):
            parent[u["id"]] = (u["rel"], u["to"])
    by_id = {r["id"]: r for r in record.get("relations", ())}
    for r in by_id.values():  # gold form: relations already given
        to = by_id[r["target"]]["source"] if r.get("target_kind") == "relation" else r["target"]
        parent.setdefault(r["source"], (r["type"], to))
    rel_id = {}
    for k, u in enumerate(out_units):
        if u["id"] in parent:
            rel_id[u["id"]] = f"c{k + 1}"
    relations = []

    def coarse_of(uid: str, seen=()) -> str:
        rel, to = parent[uid]
        c = RELATION_COARSE.get(rel)
        if c is None and to in parent and to not in seen:  # linked: the family of the joined relation
            return coarse_of(to, seen + (uid,))
        return c or "support"

    def target_unit_of(uid: str, seen=()) -> str:
        rel, to = parent[uid]
        if rel == "linked" and to in parent and to not in seen:
            return target_unit_of(to, seen + (uid,))
        return to

    for u in out_units:
        uid = u["id"]
        if uid not in parent:
            u["function"] = u["coarse_function"] = "central_claim" if u["central"] else "none"
            continue
        rel, to = parent[uid]
        coarse = coarse_of(uid)
        u["function"], u["coarse_function"] = rel, coarse
        if rel in ("undercut", "linked"):
            target, kind = rel_id.get(to, to), "relation"
        else:
            target, kind = to, "unit"
        relations.append({"id": rel_id[uid], "source": uid, "target": target, "target_kind": kind,
                          "type": rel, "coarse": coarse, "target_unit": target_unit_of(uid)})
    for u in out_units:
        u["role"] = "claim" if u["central"] else "premise"
    out = {k: v for k, v in record.items() if k not in ("units", "relations", "sep", "source_file", "line")}
    out["text"] = text
    out["units"] = out_units
    out["relations"] = relations
    return out


def check(record: dict) -> list[str]:
    """Problems of a gold record: offsets, one central claim, stances and types, relations
    between existing units, one tree rooted at the central claim."""
    rid = record.get("id", "?")
    problems = []
    text = record.get("text", "")
    units = record.get("units") or []
    if not units:
        return [f"{rid}: no units"]
    ids = [u.get("id") for u in units]
    if len(set(ids)) != len(ids):
        problems.append(f"{rid}: duplicate unit ids")
    for u in units:
        if u.get("implicit"):
            continue
        s, e = u.get("start"), u.get("end")
        if not isinstance(s, int) or not isinstance(e, int) or text[s:e] != u.get("text"):
            problems.append(f"{rid}: unit {u.get('id')} offsets [{s}:{e}] do not give its text")
        if u.get("stance") not in STANCES:
            problems.append(f"{rid}: unit {u.get('id')} stance {u.get('stance')!r} is not pro or opp")
        if "type" in u and u["type"] not in UNIT_TYPES:
            problems.append(f"{rid}: unit {u.get('id')} type {u['type']!r} is not one of {', '.join(UNIT_TYPES)}")
    spans = sorted((u["start"], u["end"], u["id"]) for u in units if isinstance(u.get("start"), int))
    for (s0, e0, a), (s1, e1, b) in zip(spans, spans[1:]):
        if s1 < e0:
            problems.append(f"{rid}: units {a} and {b} overlap")
    central = [u["id"] for u in units if u.get("central")]
    if len(central) != 1:
        problems.append(f"{rid}: {len(central)} central claims; exactly one is needed")
    known = set(ids)
    rel_ids = {r.get("id") for r in record.get("relations", ())}
    out_edges: dict[str, str] = {}
    for r in record.get("relations", ()):
        src, tu = r.get("source"), r.get("target_unit", r.get("target"))
        if r.get("type") not in RELATION_COARSE:
            problems.append(f"{rid}: relation {r.get('id')} type {r.get('type')!r} is unknown")
        if src not in known:
            problems.append(f"{rid}: relation {r.get('id')} source {src!r} is not a unit")
            continue
        target_ok = r.get("target") in (rel_ids if r.get("target_kind") == "relation" else known)
        if not target_ok or tu not in known:
            problems.append(f"{rid}: relation {r.get('id')} target {r.get('target')!r} does not exist")
            continue
        if src in out_edges:
            problems.append(f"{rid}: unit {src} has more than one outgoing relation")
        out_edges[src] = tu
    if len(central) == 1:
        root = central[0]
        if root in out_edges:
            problems.append(f"{rid}: the central claim {root} has an outgoing relation")
        for u in ids:
            if u == root:
                continue
            if u not in out_edges:
                problems.append(f"{rid}: unit {u} is attached to nothing (one tree is needed)")
                continue
            seen, cur = {u}, u
            while cur in out_edges:
                cur = out_edges[cur]
                if cur in seen:
                    problems.append(f"{rid}: unit {u} is on a cycle")
                    break
                seen.add(cur)
            else:
                if cur != root:
                    problems.append(f"{rid}: unit {u} does not reach the central claim")
    return problems


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if len(argv) < 2 or argv[0] not in ("check", "normalize"):
        print(__doc__.strip().split("\n\n")[-1], file=sys.stderr)
        return 2
    command, files = argv[0], argv[1:]
    try:
        records = list(read_gold(files))
        if command == "normalize":
            for r in records:
                print(json.dumps(normalize(r), ensure_ascii=False))
            return 0
    except InputError as exc:
        print(f"graphmind: error: {exc}", file=sys.stderr)
        return 1
    problems, seen = [], set()
    for r in records:
        problems.extend(f"{r['source_file']}:{r['line']}: {p}" for p in check(r))
        key = (r.get("lang"), r.get("id"))
        if key in seen:
            problems.append(f"{r['source_file']}:{r['line']}: duplicate record id {r.get('id')!r}")
        seen.add(key)
    for p in problems:
        print(p)
    print(f"{len(records)} records, {len(problems)} problems", file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    raise SystemExit(main())
