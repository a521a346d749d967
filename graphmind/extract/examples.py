"""Few-shot examples for the model prompts: a few short annotated paragraphs per language.

They come from the project's own annotated corpus (``corpus/*.jsonl``, one paragraph per
line: ``{"id", "lang", "text", "units": [{"id", "text", "start", "end", "central", "stance",
"type"}], "relations": [{"id", "source", "target", "type", "coarse"}]}``) when it has any for
the language, else from the small built-in set in ``prompts/examples.jsonl`` (written for
GraphMind, in the same format). Each example becomes one user turn (the paragraph) and one
assistant turn (the answer, in the exact form the model is asked for).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from ..schema import load_schema

BUILTIN = Path(__file__).resolve().parent / "prompts" / "examples.jsonl"
SHOTS = 2  # examples per prompt
MAX_CHARS = 400  # longest example paragraph taken
_COARSE = {"support": "supports", "attack": "attacks"}


@dataclass(frozen=True)
class Example:
    id: str
    lang: str
    text: str
    answer: dict  # {"units": [{"id", "text", "type", "central"}], "relations": [{"source", "target", "type"}]}


def default_corpus() -> Path | None:
    """``corpus/`` next to the package (a source checkout), if it is there."""
    path = Path(__file__).resolve().parent.parent.parent / "corpus"
    return path if path.is_dir() else None


def to_example(record: dict) -> Example | None:
    """The record as a prompt example, or None when it does not check out (a unit whose text
    is not at its offsets, an unknown unit type, no relation between its units)."""
    schema = load_schema()
    try:
        text = record["text"]
        units = sorted(record["units"], key=lambda u: (u["start"], u["end"]))
        if not units or any(text[u["start"]:u["end"]] != u["text"] or u["type"] not in schema.unit_types
                            for u in units):
            return None
        new_id = {u["id"]: f"u{k}" for k, u in enumerate(units, 1)}
        relations = []
        for r in record.get("relations", []):
            target = r["target"] if r["target"] in new_id else r.get("target_unit")
            kind = r["type"] if r["type"] in schema.argument_relations else _COARSE.get(r.get("coarse"))
            if r["source"] in new_id and target in new_id and kind and r["source"] != target:
                relations.append({"source": new_id[r["source"]], "target": new_id[target], "type": kind})
        if not relations:
            return None
        answer = {"units": [{"id": new_id[u["id"]], "text": u["text"], "type": u["type"], "central": bool(u["central"])}
                            for u in units],
                  "relations": relations}
        return Example(str(record["id"]), record["lang"], text, answer)
    except (KeyError, TypeError, AttributeError):
        return None


def _records(paths: list[Path]):
    for path in paths:
        try:
            lines = path.read_text(encoding="utf-8").splitlines()
        except (OSError, UnicodeDecodeError):
            continue
        for line in lines:
            try:
                record = json.loads(line)
            except ValueError:
                continue
            if isinstance(record, dict):
                yield record


def pick(candidates: list[Example], n: int = SHOTS) -> list[Example]:
    """``n`` short examples, shortest first, each preferably showing a unit or relation type
    the ones before it did not."""
    pool = sorted((e for e in candidates if len(e.text) <= MAX_CHARS), key=lambda e: (len(e.text), e.id))
    chosen: list[Example] = []
    seen: set[str] = set()
    while pool and len(chosen) < n:
        kinds = [{u["type"] for u in e.answer["units"]} | {r["type"] for r in e.answer["relations"]} for e in pool]
        best = next((k for k, ks in enumerate(kinds) if ks - seen), 0)
        chosen.append(pool.pop(best))
        seen |= kinds[best]
    return chosen


@lru_cache(maxsize=None)
def examples(lang: str, corpus: Path | None = None, n: int = SHOTS) -> tuple[Example, ...]:
    """The examples for ``lang``: from ``corpus`` (default: the project's ``corpus/``) when it
    has usable ones for the language, else the built-in ones."""
    lang = lang if lang in ("en", "ru") else "en"
    corpus = corpus if corpus is not None else default_corpus()
    if corpus is not None:
        files = sorted(corpus.glob("*.jsonl")) if corpus.is_dir() else [corpus]
        found = [e for e in map(to_example, _records(files)) if e is not None and e.lang == lang]
        chosen = pick(found, n)
        if chosen:
            return tuple(chosen)
    builtin = [e for e in map(to_example, _records([BUILTIN])) if e is not None and e.lang == lang]
    return tuple(pick(builtin, n))
