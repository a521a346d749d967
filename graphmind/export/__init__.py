"""Export stage: walks → linearized examples → JSON Lines datasets.

``build_dataset`` turns a meaning graph (networkx, as read back from the store) into
records at three levels, inside per-level token budgets, split by document into train and
validation, deduplicated, mixed and ordered; ``write_dataset`` writes ``train.jsonl``,
``val.jsonl``, ``stats.json`` and a dataset card ``README.md``.
"""

from __future__ import annotations

import json
import math
import random
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import networkx as nx

from .. import ids
from ..exceptions import GraphMindError
from ..lang import language_data
from ..linearize import Layout, Line, macro_layout, meso_layout, micro_layout, pack, render, walk_layout
from ..schema import load_schema
from ..walk import GraphView, macro_walks, meso_walks, micro_walks, random_walks
from .tokens import CachedCounter, get_tokenizer

LEVELS = ("micro", "meso", "macro")
FORMATS = ("text", "chat", "alpaca")
DEFAULT_BUDGETS = {"micro": 128, "meso": 1024, "macro": 8192}


@dataclass
class ExportOptions:
    levels: tuple[str, ...] = LEVELS
    format: str = "text"
    mix: dict[str, float] | None = None
    order: str = "curriculum"
    val_fraction: float = 0.1
    seed: int = 0
    max_tokens: dict[str, int] = field(default_factory=lambda: dict(DEFAULT_BUDGETS))
    tokenizer: str | None = None
    documents: tuple[str, ...] = ()
    unpacked: bool = False
    walks_per_document: int = 2
    walk_length: int = 6

    def __post_init__(self) -> None:
        bad = [lvl for lvl in self.levels if lvl not in LEVELS]
        if bad:
            raise GraphMindError(f"unknown level {bad[0]!r}; levels are {', '.join(LEVELS)}")
        if self.format not in FORMATS:
            raise GraphMindError(f"unknown format {self.format!r}; formats are {', '.join(FORMATS)}")
        if self.order not in ("curriculum", "shuffle"):
            raise GraphMindError("--order is curriculum or shuffle")
        if not 0 <= self.val_fraction < 1:
            raise GraphMindError("--val-fraction must be at least 0 and below 1")
        self.max_tokens = {**DEFAULT_BUDGETS, **self.max_tokens}


def parse_levels_map(text: str | None, kind=float) -> dict[str, float]:
    """``micro=0.5,meso=0.3`` → {"micro": 0.5, "meso": 0.3}."""
    out: dict[str, float] = {}
    for part in filter(None, (p.strip() for p in (text or "").split(","))):
        key, sep, value = part.partition("=")
        if not sep or key.strip() not in LEVELS:
            raise GraphMindError(f"{part!r}: write LEVEL=VALUE with LEVEL one of {', '.join(LEVELS)}")
        try:
            out[key.strip()] = kind(value)
        except ValueError:
            raise GraphMindError(f"{part!r}: {value!r} is not a number") from None
    return out


@dataclass
class Example:
    level: str
    kind: str
    lines: list[Line]
    units: list[str]
    documents: list[str]


@dataclass
class Dataset:
    train: list[dict]
    val: list[dict]
    stats: dict
    messages: list[str]


class _Builder:
    def __init__(self, view: GraphView, options: ExportOptions):
        self.view = view
        self.options = options
        self.tokens = CachedCounter(get_tokenizer(options.tokenizer))
        self.exact_sum = getattr(self.tokens.tokenizer, "exact_sum", False)
        self.dropped = Counter()

    # -- sources and prompts ----------------------------------------------------------
    def lang(self, units: list[str]) -> str:
        par = self.view.paragraphs.get(self.view.units[units[0]].get("paragraph_id"), {}) if units else {}
        return par.get("lang") if par.get("lang") in ("en", "ru") else "en"

    def sources(self, units: list[str]) -> list[str]:
        pars = sorted({self.view.units[u]["paragraph_id"] for u in units if u in self.view.units},
                      key=lambda p: (self.view.paragraphs.get(p, {}).get("source", ""),
                                     self.view.paragraphs.get(p, {}).get("index", 0), p))
        return [self.view.paragraphs[p]["text"] for p in pars if p in self.view.paragraphs]

    def record(self, ex: Example) -> dict:
        body = render(ex.lines)
        sources = self.sources(ex.units)
        lang = language_data(self.lang(ex.units))
        fmt = self.options.format
        marker = load_schema().marker("source")
        if fmt == "text":
            content: dict = {"text": "\n".join(f"[{marker}] {s}" for s in sources) + "\n\n" + body
                             if self.options.unpacked else body}
        elif fmt == "chat":
            content = {"messages": [
                {"role": "system", "content": lang.EXPORT_SYSTEM},
                {"role": "user", "content": lang.EXPORT_INSTRUCTION[ex.level] + "\n\n" + "\n\n".join(sources)},
                {"role": "assistant", "content": body},
            ]}
        else:
            content = {"instruction": lang.EXPORT_INSTRUCTION[ex.level], "input": "\n\n".join(sources),
                       "output": body}
        meta = {
            "kind": ex.kind,
            "lang": self.lang(ex.units),
            "documents": [{"id": d, "source": self.view.documents[d].get("source"),
                           "title": self.view.documents[d].get("title")} for d in ex.documents],
            "paragraphs": sorted({self.view.units[u]["paragraph_id"] for u in ex.units}),
            "units": [{"id": u, "paragraph_id": self.view.units[u]["paragraph_id"],
                       "type": self.view.units[u].get("type"),
                       "start": self.view.units[u]["start"], "end": self.view.units[u]["end"]} for u in ex.units],
        }
        return {**content, "level": ex.level, "id": ids.make_id("ex", ex.level, body), "meta": meta}

    def record_tokens(self, rec: dict) -> int:
        if "text" in rec:
            return self.tokens.count(rec["text"])
        if "messages" in rec:
            return sum(self.tokens.count(m["content"]) for m in rec["messages"])
        return sum(self.tokens.count(rec[k]) for k in ("instruction", "input", "output"))

    # -- budgets ------------------------------------------------------------------------
    def fits_factory(self, level: str, units_lang: list[str]):
        budget = self.options.max_tokens[level]
        fmt = self.options.format
        lang = language_data(self.lang(units_lang))
        fixed = 0
        if fmt == "chat":
            fixed = self.tokens.count(lang.EXPORT_SYSTEM) + self.tokens.count(lang.EXPORT_INSTRUCTION[level])
        elif fmt == "alpaca":
            fixed = self.tokens.count(lang.EXPORT_INSTRUCTION[level])
        with_sources = fmt != "text" or self.options.unpacked
        margin = 1.0 if self.exact_sum else 0.9

        def fits(lines: list[Line]) -> bool:
            total = fixed + sum(self.tokens.count(line.render()) for line in lines)
            if with_sources:
                total += sum(self.tokens.count(s) for s in self.sources(_units_of(lines)))
            return total <= budget * margin

        return fits

    def examples(self, level: str, kind: str, layout: Layout, documents: list[str]) -> list[dict]:
        all_units = _units_of(layout.lines())
        if not all_units:
            return []
        budget = self.options.max_tokens[level]
        out = []
        pieces, dropped = pack(layout, self.fits_factory(level, all_units))
        self.dropped[level] += dropped
        for lines in pieces:
            units = _units_of(lines)
            docs = [d for d in documents if any(self.view.units[u].get("document_id") == d for u in units)]
            rec = self.record(Example(level, kind, lines, units, docs or documents))
            if self.record_tokens(rec) <= budget:
                out.append(rec)
            else:  # an inexact tokenizer can still overshoot: never emit it
                self.dropped[level] += 1
        return out

    # -- levels ----------------------------------------------------------------------------
    def build(self) -> dict[str, list[dict]]:
        view, opts = self.view, self.options
        doc_of = lambda u: view.units[u].get("document_id")  # noqa: E731
        out: dict[str, list[dict]] = {lvl: [] for lvl in LEVELS}
        if "micro" in opts.levels:
            for tree in micro_walks(view):
                out["micro"] += self.examples("micro", "relation", micro_layout(view, tree),
                                              sorted({doc_of(u) for u in tree.units()}))
        if "meso" in opts.levels:
            for tree in meso_walks(view):
                out["meso"] += self.examples("meso", "chain", meso_layout(view, tree),
                                             sorted({doc_of(u) for u in tree.units()}))
            count = opts.walks_per_document * max(1, len(view.documents))
            for walk in random_walks(view, count, opts.walk_length, opts.seed):
                units = [u for _, u in walk]
                out["meso"] += self.examples("meso", "random_walk", walk_layout(view, walk),
                                             sorted({doc_of(u) for u in units}))
        if "macro" in opts.levels:
            for macro in macro_walks(view):
                out["macro"] += self.examples("macro", macro.kind, macro_layout(view, macro), list(macro.documents))
        return out


def _units_of(lines: list[Line]) -> list[str]:
    seen, out = set(), []
    for line in lines:
        for u in line.unit_ids():
            if u not in seen:
                seen.add(u)
                out.append(u)
    return out


def _content_key(rec: dict) -> str:
    return json.dumps({k: rec[k] for k in ("text", "messages", "instruction", "input", "output") if k in rec},
                      ensure_ascii=False, sort_keys=True)


def _split_documents(docs: list[str], fraction: float, seed: int) -> set[str]:
    """The documents that go to validation: a seeded choice, at least one when asked for
    and possible, never all of them."""
    docs = sorted(docs)
    if fraction <= 0 or len(docs) < 2:
        return set()
    rng = random.Random(seed)
    shuffled = docs[:]
    rng.shuffle(shuffled)
    n = min(len(docs) - 1, max(1, round(fraction * len(docs))))
    return set(shuffled[:n])


def _mix(records: dict[str, list[dict]], mix: dict[str, float] | None, rng: random.Random) -> dict[str, list[dict]]:
    """Sample levels down to the asked proportions (never up: no example is repeated)."""
    if not mix:
        return records
    weights = {lvl: w for lvl, w in mix.items() if w > 0 and records.get(lvl)}
    if not weights:
        return {lvl: [] for lvl in records}
    total = sum(weights.values())
    weights = {lvl: w / total for lvl, w in weights.items()}
    size = min(len(records[lvl]) / w for lvl, w in weights.items())
    out = {}
    for lvl, recs in records.items():
        n = min(len(recs), int(round(weights.get(lvl, 0) * size)))
        keep = sorted(rng.sample(range(len(recs)), n))
        out[lvl] = [recs[k] for k in keep]
    return out


def _histogram(lengths: list[int], budget: int) -> dict[str, int]:
    edges = [0] + [2 ** k for k in range(4, max(5, math.ceil(math.log2(max(budget, 16)))) + 1)]
    hist = Counter()
    for n in lengths:
        upper = next((e for e in edges[1:] if n <= e), edges[-1])
        lower = edges[edges.index(upper) - 1]
        hist[f"{lower + 1}-{upper}"] += 1
    return {k: hist[k] for k in sorted(hist, key=lambda k: int(k.split("-")[0]))}


def build_dataset(g: nx.MultiDiGraph, options: ExportOptions | None = None) -> Dataset:
    options = options or ExportOptions()
    if options.documents:
        missing = [d for d in options.documents if d not in g]
        if missing:
            raise GraphMindError(f"--document {missing[0]}: no such document in the graph")
        keep = set()
        for d in options.documents:
            keep.add(d)
            keep |= {n for n, data in g.nodes(data=True) if data.get("document_id") == d}
        keep |= {c for u in list(keep) for c in g.successors(u) if "Concept" in g.nodes[c].get("labels", ())}
        g = g.subgraph(keep).copy()
    view = GraphView(g)
    messages: list[str] = []
    builder = _Builder(view, options)
    by_level = builder.build() if view.units else {lvl: [] for lvl in LEVELS}
    if not view.units:
        messages.append("the graph has no units, so the dataset is empty; ingest some notes first "
                        "(graphmind ingest PATH)")
    seen, duplicates = set(), 0
    for lvl in LEVELS:
        unique = []
        for rec in by_level[lvl]:
            key = _content_key(rec)
            if key in seen:
                duplicates += 1
                continue
            seen.add(key)
            unique.append(rec)
        by_level[lvl] = unique
    rng = random.Random(options.seed)
    by_level = _mix(by_level, options.mix, rng)
    val_docs = _split_documents(list(view.documents), options.val_fraction, options.seed)
    train, val, crossing = [], [], 0
    for lvl in LEVELS:
        for rec in by_level[lvl]:
            docs = {d["id"] for d in rec["meta"]["documents"]}
            if docs <= val_docs:
                val.append(rec)
            elif not docs & val_docs:
                train.append(rec)
            else:
                crossing += 1
    if options.order == "shuffle":
        rng.shuffle(train)
        rng.shuffle(val)
    if crossing:
        messages.append(f"{crossing} cross-document example(s) left out: their documents fall in both splits")
    stats = _stats(view, options, builder, train, val, val_docs, duplicates, crossing)
    return Dataset(train, val, stats, messages)


def _stats(view, options, builder, train, val, val_docs, duplicates, crossing) -> dict:
    schema = load_schema()
    lengths: dict[str, list[int]] = {lvl: [] for lvl in LEVELS}
    for rec in train + val:
        lengths[rec["level"]].append(builder.record_tokens(rec))
    rel_counts = Counter()
    for u, edges in view.incoming.items():
        for rel, _ in edges:
            rel_counts[rel] += 1
    return {
        "format": options.format,
        "tokenizer": builder.tokens.tokenizer.name,
        "seed": options.seed,
        "order": options.order,
        "max_tokens": options.max_tokens,
        "examples": {"train": dict(Counter(r["level"] for r in train)), "val": dict(Counter(r["level"] for r in val)),
                     "total": len(train) + len(val)},
        "examples_by_kind": dict(sorted(Counter(r["meta"]["kind"] for r in train + val).items())),
        "token_length_histogram": {lvl: _histogram(n, options.max_tokens[lvl]) for lvl, n in lengths.items() if n},
        "token_length_max": {lvl: max(n) for lvl, n in lengths.items() if n},
        "unit_types": dict(sorted(Counter(u.get("type") for u in view.units.values()).items())),
        "relation_types": {r: rel_counts[r] for r in schema.argument_relations if rel_counts[r]},
        "documents": {"train": len(view.documents) - len(val_docs), "val": len(val_docs)},
        "val_documents": sorted(val_docs),
        "duplicates_removed": duplicates,
        "dropped_over_budget": dict(builder.dropped),
        "cross_split_left_out": crossing,
    }


def write_dataset(dataset: Dataset, out_dir: str | Path) -> Path:
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    for name, records in (("train.jsonl", dataset.train), ("val.jsonl", dataset.val)):
        tmp = out / (name + ".tmp")
        with open(tmp, "w", encoding="utf-8") as f:
            for rec in records:
                f.write(json.dumps(rec, ensure_ascii=False) + "\n")
        tmp.replace(out / name)
    (out / "stats.json").write_text(json.dumps(dataset.stats, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    (out / "README.md").write_text(dataset_card(dataset), encoding="utf-8")
    return out


def dataset_card(dataset: Dataset) -> str:
    s = dataset.stats
    schema = load_schema()
    markers = ", ".join(f"`[{m}]`" for m in list(schema.markers.values()) +
                        [u.marker for u in schema.unit_types.values()])
    rows = "\n".join(
        f"| {lvl} | {s['examples']['train'].get(lvl, 0)} | {s['examples']['val'].get(lvl, 0)} | "
        f"{s['max_tokens'][lvl]} | {s['token_length_max'].get(lvl, 0)} |" for lvl in LEVELS)
    return f"""# GraphMind dataset

Linearized walks over a meaning graph built by GraphMind from the source notes: each example
quotes units of the source text verbatim and marks their roles and relations.

- format: `{s['format']}` (`train.jsonl`, `val.jsonl`; one JSON object per line with `level`,
  `id` and `meta` — provenance: documents, paragraph ids, unit ids and character offsets)
- levels: micro (one relation), meso (a reasoning chain, or a seeded random walk), macro (a whole
  document or section, or two linked documents)
- markers: {markers}; indentation shows the hierarchy, `(relation)` how a unit attaches to
  the line above it
- tokenizer: `{s['tokenizer']}`; seed {s['seed']}; order `{s['order']}`
- split by document: {s['documents']['train']} train, {s['documents']['val']} validation
  documents (no document's units in both)

| level | train | val | budget (tokens) | longest |
|---|---|---|---|---|
{rows}

Exact duplicates removed: {s['duplicates_removed']}. Examples dropped because a single unit did
not fit the budget: {sum(s['dropped_over_budget'].values())}. Statistics: `stats.json`.

The text comes from the notes it was built from: their licence and privacy apply to it.
"""
