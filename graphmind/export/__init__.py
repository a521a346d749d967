"""Export stage: walks → linearized examples → JSON Lines datasets.

``build_dataset`` turns a meaning graph (networkx, as read back from the store) into
records at three levels, inside per-level token budgets, filtered (fragments, one-step
chains, low confidence), deduplicated (exact, same units, near duplicates), checked (no
prompt with two answers), split by document into train and validation, mixed and
ordered; ``write_dataset`` writes ``train.jsonl``, ``val.jsonl``, ``stats.json`` and a
dataset card ``README.md``.

Formats: ``text`` (pretraining), ``chat`` and ``alpaca`` (instruction tuning: every record
is a task whose answer follows from its prompt, see ``prompts``), ``dpo`` (preference
pairs: the chat prompt, the chosen answer and a rejected one from a perturbed walk, see
``dpo``).
"""

from __future__ import annotations

import json
import math
import random
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import networkx as nx

from .. import __version__, ids
from ..exceptions import GraphMindError
from ..linearize import (Layout, Line, fold_layout, macro_layout, meso_layout, micro_layout, pack, render,
                         symbol_text, theme_lines, unfold_layout, walk_layout)
from ..schema import load_schema
from ..walk import (GraphView, Macro, Tree, macro_of, macro_walks, meso_roots, micro_walks, random_walks,
                    reasoning_tree, symbol_scene, symbols_with_scenes)
from . import contamination
from .dpo import perturb_macro, perturb_tree
from .filters import Fragments, NearDuplicates
from .language import export_language
from .prompts import Context, context_blocks, paragraphs_of
from .roles import assign_roles
from .tokens import CachedCounter, get_tokenizer

LEVELS = ("micro", "meso", "macro")
FORMATS = ("text", "chat", "alpaca", "dpo")
INSTRUCTION_FORMATS = ("chat", "alpaca", "dpo")
ANCHORS = ("claims", "symbols", "both")  # what macro examples are built around
GLOSSARY_SIZE = 8  # symbols a fold task offers to choose from
# Budgets count the whole record: for chat the system, user and assistant messages, for
# alpaca the three fields, for dpo the prompt and the longer answer, for text the text.
BUDGETS = {
    "text": {"micro": 128, "meso": 1024, "macro": 8192},
    "text --unpacked": {"micro": 1024, "meso": 2048, "macro": 8192},
    "instruction": {"micro": 1024, "meso": 2048, "macro": 8192},
}
WARN_SHARE = 0.10
NEAR_DUPLICATE_THRESHOLD = 0.9
REASONS = {
    "over_budget_with_prompt": "over the budget together with its prompt (the answer alone fits)",
    "unit_too_long": "a unit (or its paragraph) too long for the budget even alone",
    "fragment": "filtered: a fragment (under 3 words, or cut mid-sentence) where the example needs a whole unit",
    "one_step": "filtered: a one-step chain (every reason directly under the claim)",
    "min_confidence": "filtered: its relation is below --min-confidence",
    "untitled_link": "filtered: a cross-document walk to a document without a real title",
    "no_perturbation": "dpo: no perturbation applies (nothing to reject)",
    "no_scene": "a symbol whose scene has too few units left (unfold: under 2; fold: none besides its occurrences)",
    "duplicate": "an exact duplicate of an earlier example",
    "same_units": "quotes the same units as an earlier example of its level",
    "near_duplicate": "a near duplicate of an earlier answer of its level",
    "conflicting_prompt": "shares its prompt with a record whose answer differs (all such records removed)",
}


def default_budgets(fmt: str, unpacked: bool = False) -> dict[str, int]:
    if fmt in INSTRUCTION_FORMATS:
        return dict(BUDGETS["instruction"])
    return dict(BUDGETS["text --unpacked" if unpacked else "text"])


@dataclass
class ExportOptions:
    levels: tuple[str, ...] = LEVELS
    format: str = "text"
    mix: dict[str, float] | None = None
    order: str = "curriculum"
    val_fraction: float = 0.1
    seed: int = 0
    max_tokens: dict[str, int] = field(default_factory=dict)  # over the format's defaults
    tokenizer: str | None = None
    documents: tuple[str, ...] = ()
    source_prefixes: tuple[str, ...] = ()
    unpacked: bool = False
    walks_per_document: int = 2
    walk_length: int = 6
    min_confidence: float = 0.0
    drop_fragments: bool = True
    drop_one_step: bool = True
    near_duplicates: float | None = NEAR_DUPLICATE_THRESHOLD  # None: keep near duplicates
    check_against: tuple[str, ...] = ()
    license: str | None = None
    provenance: dict = field(default_factory=dict)  # what built the graph (extractor, command)
    anchor: str = "claims"  # claims: macro examples around the author's central claims; symbols: around symbols

    def __post_init__(self) -> None:
        bad = [lvl for lvl in self.levels if lvl not in LEVELS]
        if bad:
            raise GraphMindError(f"unknown level {bad[0]!r}; levels are {', '.join(LEVELS)}")
        if self.format not in FORMATS:
            raise GraphMindError(f"unknown format {self.format!r}; formats are {', '.join(FORMATS)}")
        if self.unpacked and self.format != "text":
            raise GraphMindError(f"--unpacked is for --format text: {self.format} records always carry the "
                                 "source paragraphs in their prompt; leave --unpacked out")
        if self.anchor not in ANCHORS:
            raise GraphMindError(f"--anchor is one of {', '.join(ANCHORS)}")
        if self.order not in ("curriculum", "shuffle"):
            raise GraphMindError("--order is curriculum or shuffle")
        if not 0 <= self.val_fraction < 1:
            raise GraphMindError("--val-fraction must be at least 0 and below 1")
        if not 0 <= self.min_confidence <= 1:
            raise GraphMindError("--min-confidence must be between 0 and 1")
        if self.near_duplicates is not None and not 0 < self.near_duplicates <= 1:
            raise GraphMindError("the near-duplicate threshold must be above 0 and at most 1")
        for level, n in self.max_tokens.items():
            if n <= 0:
                raise GraphMindError(f"--max-tokens {level}={n}: a budget is a positive number of tokens")
        self.max_tokens = {**default_budgets(self.format, self.unpacked), **self.max_tokens}


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
class Dataset:
    train: list[dict]
    val: list[dict]
    stats: dict
    messages: list[str]  # notes for the person running the export
    warnings: list[str] = field(default_factory=list)  # one line each: a level lost more than 10 %


def _units_of(lines: list[Line]) -> list[str]:
    seen, out = set(), []
    for line in lines:
        for u in line.unit_ids():
            if u not in seen:
                seen.add(u)
                out.append(u)
    return out


class _Builder:
    def __init__(self, view: GraphView, options: ExportOptions):
        self.view = view
        self.options = options
        self.fmt = options.format
        self.instruction = options.format in INSTRUCTION_FORMATS
        self.tokens = CachedCounter(get_tokenizer(options.tokenizer))
        self.exact_sum = getattr(self.tokens.tokenizer, "exact_sum", False)
        self.fragments = Fragments(view) if options.drop_fragments else None
        self.dropped: dict[str, Counter] = {lvl: Counter() for lvl in LEVELS}
        self.needed: dict[str, int] = {}  # smallest record dropped over budget, per level
        self.fragment_units_removed = 0
        self.perturbations = Counter()
        self.lengths: dict[str, int] = {}  # record id -> tokens
        self.over_budget = False  # the last task() was over its budget
        # unit sets of chains left out by a filter: a random walk over the same units says no more
        self.filtered_units: set[tuple[str, frozenset]] = set()
        # ids of records the filters are sure to keep ahead of any record made from now on, by
        # level (the paged export's micro records): a record with one of them is made without meta
        self.kept_ids: dict[str, set[str]] = {}
        self.schema = load_schema()

    def drop(self, level: str, reason: str, needed: int | None = None) -> None:
        self.dropped[level][reason] += 1
        if needed is not None:
            self.needed[level] = min(needed, self.needed.get(level, needed))

    # -- records ------------------------------------------------------------------------
    def lang(self, units: list[str]) -> str:
        par = self.view.paragraphs.get(self.view.units[units[0]].get("paragraph_id"), {}) if units else {}
        return par.get("lang") if par.get("lang") in ("en", "ru") else "en"

    def sources(self, units: list[str]) -> list[str]:
        return [self.view.paragraphs[p]["text"] for p in paragraphs_of(self.view, units)]

    def source_lines(self, units: list[str]) -> list[str]:
        """``[SOURCE] paragraph`` lines of a text --unpacked record."""
        marker = self.schema.marker("source")
        return [f"[{marker}] {s}" for s in self.sources(units)]

    def meta(self, level: str, kind: str, lines: list[Line], units: list[str], documents: list[str]) -> dict:
        view = self.view
        docs = [d for d in documents if any(view.units[u].get("document_id") == d for u in units)] or documents
        relations = []
        for line in lines:
            if line.edge:
                source, rel, target = line.edge
                data = view.relation(source, target, rel)
                relations.append({"source": source, "target": target, "type": rel, "cue": data["cue"],
                                  "confidence": data["confidence"]})
        unit_meta = []
        for u in units:
            data = view.units[u]
            entry = {"id": u, "paragraph_id": data["paragraph_id"], "type": data.get("type"),
                     "role": view.role(u), "cue": data.get("cue") or "", "start": data["start"], "end": data["end"]}
            # always present ("" outside chat exports): every record has the same fields of the same
            # types, so a JSON loader reads train and validation with one schema whichever documents
            # each split holds
            entry["speaker"] = view.paragraphs.get(data["paragraph_id"], {}).get("speaker") or ""
            unit_meta.append(entry)
        return {
            "kind": kind,
            "lang": self.lang(units),
            "documents": [{"id": d, "source": view.documents[d].get("source"),
                           "title": view.documents[d].get("title")} for d in docs],
            "paragraphs": sorted({view.units[u]["paragraph_id"] for u in units}),
            "units": unit_meta,
            "relations": relations,
            "min_confidence": min((r["confidence"] for r in relations), default=None),
        }

    def record(self, level: str, kind: str, lines: list[Line], documents: list[str], ctx: Context | None,
               rejected: list[Line] | None = None, context: tuple[str, ...] = ()) -> tuple[dict, int | None]:
        """The record, and its tokens when the tokenizer lets them be summed from cached
        parts (None: count the record itself). ``context``: ``[SOURCE]`` lines a packed text
        record puts first (the sentence of a clause it quotes)."""
        body = render(lines)
        units = _units_of(lines)
        count = self.tokens.count
        n = None
        if self.fmt == "text":
            text = body
            prefix = self.source_lines(units) if self.options.unpacked else list(context)
            if prefix:
                text = "\n".join(prefix) + "\n\n" + body
            content: dict = {"text": text}
            if self.exact_sum:
                n = self.piece_tokens(lines, context)
            key = (text,)
        else:
            lang = export_language(self.lang(units))
            instruction = lang.instructions.get(kind, lang.instructions[level])
            if ctx.via:
                instruction = lang.instructions["macro_link"].format(via=lang.labels["via"][ctx.via])
            blocks = context_blocks(self.view, ctx, lang, documents[0] if documents else None)
            given = "\n\n".join(blocks)
            user = instruction + "\n\n" + given
            if self.exact_sum:
                answer = sum(count(line.render()) for line in lines)
                if rejected is not None:
                    answer = max(answer, sum(count(line.render()) for line in rejected))
                n = (count(instruction) + sum(count(b) for b in blocks) + answer
                     + (count(lang.system) if self.fmt != "alpaca" else 0))
            if self.fmt == "chat":
                content = {"messages": [{"role": "system", "content": lang.system},
                                        {"role": "user", "content": user},
                                        {"role": "assistant", "content": body}]}
            elif self.fmt == "alpaca":
                content = {"instruction": instruction, "input": given, "output": body}
            else:
                content = {"prompt": [{"role": "system", "content": lang.system},
                                      {"role": "user", "content": user}],
                           "chosen": [{"role": "assistant", "content": body}],
                           "rejected": [{"role": "assistant", "content": render(rejected or [])}]}
            key = (self.fmt, lang.code, user, body, render(rejected or []))
        rid = ids.make_id("ex", level, *key)
        if n is not None and rid in self.kept_ids.get(level, ()):
            # the same content as a record already kept, so the same tokens: the filters drop it as
            # an exact duplicate, and its meta (all that would differ) is not made
            return {**content, "level": level, "id": rid, "meta": None}, n
        rec = {**content, "level": level, "id": rid, "meta": self.meta(level, kind, lines, units, documents)}
        return rec, n

    def record_tokens(self, rec: dict) -> int:
        if "text" in rec:
            return self.tokens.count(rec["text"])
        if "messages" in rec:
            return sum(self.tokens.count(m["content"]) for m in rec["messages"])
        if "prompt" in rec:
            return (sum(self.tokens.count(m["content"]) for m in rec["prompt"])
                    + max(self.tokens.count(rec["chosen"][0]["content"]),
                          self.tokens.count(rec["rejected"][0]["content"])))
        return sum(self.tokens.count(rec[k]) for k in ("instruction", "input", "output"))

    def piece_tokens(self, lines: list[Line], context: tuple[str, ...] = ()) -> int:
        """Tokens of a text record from its cached lines (for a tokenizer whose count of a
        text is the sum over its lines)."""
        total = sum(self.tokens.count(line.render()) for line in lines)
        if self.options.unpacked:
            total += sum(self.tokens.count(s) for s in self.source_lines(_units_of(lines)))
        return total + sum(self.tokens.count(s) for s in context)

    def answer_tokens(self, lines: list[Line]) -> int:
        return self.tokens.count(render(lines))

    # -- text format: pieces that fit -------------------------------------------------------
    def fits_factory(self, level: str, context: tuple[str, ...] = ()):
        limit = self.options.max_tokens[level] * (1.0 if self.exact_sum else 0.9)

        def fits(lines: list[Line]) -> bool:
            return self.piece_tokens(lines, context) <= limit

        return fits

    def text_examples(self, level: str, kind: str, layout: Layout, documents: list[str],
                      context: tuple[str, ...] = ()) -> list[dict]:
        budget = self.options.max_tokens[level]
        pieces, left_out = pack(layout, self.fits_factory(level, context))
        out = []
        for lines in pieces:
            rec, n = self.record(level, kind, lines, documents, None, context=context)
            n = n if n is not None else self.record_tokens(rec)
            if n <= budget:  # an inexact tokenizer can overshoot what ``fits`` estimated
                self.lengths[rec["id"]] = n
                out.append(rec)
        if not out:
            self.drop(level, "unit_too_long", self.tokens.count(render(layout.lines())))
        return out

    # -- instruction formats: one task, or nothing ----------------------------------------------
    def task(self, level: str, kind: str, layout: Layout, documents: list[str], ctx: Context,
             structure=None, report: bool = True) -> dict | None:
        """The record of a task when it fits its budget; otherwise None (and, with
        ``report``, the drop is counted with its reason)."""
        budget = self.options.max_tokens[level]
        rejected = None
        self.over_budget = False
        if self.fmt == "dpo":
            made = self.rejected(level, layout, structure)
            if made is None:
                if report:
                    self.drop(level, "no_perturbation")
                return None
            name, rejected = made
        rec, n = self.record(level, kind, layout.lines(), documents, ctx, rejected)
        n = n if n is not None else self.record_tokens(rec)
        if n <= budget:
            self.lengths[rec["id"]] = n
            if self.fmt == "dpo":
                rec["meta"]["perturbation"] = name
                self.perturbations[name] += 1
            return rec
        self.over_budget = True
        if report:
            alone = self.answer_tokens(layout.lines())
            self.drop(level, "over_budget_with_prompt" if alone <= budget else "unit_too_long", n)
        return None

    def rejected(self, level: str, layout: Layout, structure) -> tuple[str, list[Line]] | None:
        rng = random.Random(f"{self.options.seed}:{render(layout.lines())}")
        if isinstance(structure, Tree):
            made = perturb_tree(self.view, structure, rng)
            if made:
                name, tree, overlay = made
                return name, meso_layout(overlay, tree).lines()
        elif isinstance(structure, Macro):
            made = perturb_macro(self.view, structure, rng)
            if made:
                name, macro, overlay = made
                return name, macro_layout(overlay, macro).lines()
        return None

    # -- filters ----------------------------------------------------------------------------
    def clean_tree(self, tree: Tree) -> Tree | None:
        if not self.fragments:
            return tree
        cleaned, removed = self.fragments.clean_tree(tree)
        self.fragment_units_removed += removed
        return cleaned

    def clean_macro(self, macro: Macro) -> Macro | None:
        """The macro rebuilt without its fragments (None when nothing is left)."""
        if not self.fragments or macro is None:
            return macro
        if macro.kind == "cross_document":
            trees = []
            bad = self.fragments.of(set(macro.units()))
            for tree in macro.trees():
                if tree.unit in bad:
                    self.fragment_units_removed += tree.size()
                    return None
                trees.append(tree)
            cleaned = [self.clean_tree(t) for t in trees]
            if any(t is None for t in cleaned):
                return None
            links = [(via, label, t) for (via, label, _), t in zip(macro.links, cleaned[1 + len(macro.claims):])]
            return Macro(macro.kind, macro.documents, macro.section, cleaned[0], cleaned[1:1 + len(macro.claims)],
                         macro.paragraphs, links)
        exclude: set[str] = set()
        doc = macro.documents[0]
        total = len(macro.units())
        while True:
            bad = self.fragments.of(set(macro.units()))
            if not bad:
                self.fragment_units_removed += max(0, total - len(macro.units()))
                return macro
            exclude |= bad
            macro = macro_of(self.view, doc, macro.paragraphs, macro.kind, macro.section, exclude)
            if macro is None:
                self.fragment_units_removed += total
                return None

    def clause_context(self, pair: list[str]) -> tuple[str, ...]:
        """For a packed text record whose units are clauses of sentences it does not show:
        the ``[SOURCE]`` line of each such sentence, so the clauses are read whole — or ()
        when a unit stays a fragment even so (too short, or ending on a word no clause ends on)."""
        frag, view = self.fragments, self.view
        if self.instruction or self.options.unpacked:
            return ()
        units = set(pair)
        sentences = []
        for u in sorted(frag.of(units), key=view.order_key):
            sentence = frag.sentence(u)
            if sentence not in sentences:
                sentences.append(sentence)
            units.update(sentence)
        if frag.of(units):
            return ()
        marker = self.schema.marker("source")
        lines = []
        for sentence in sentences:
            first, last = view.units[sentence[0]], view.units[sentence[-1]]
            text = view.paragraphs.get(first.get("paragraph_id"), {}).get("text", "")
            lines.append(f"[{marker}] {text[first['start']:last['end']]}")
        return tuple(lines)

    # -- levels ----------------------------------------------------------------------------
    def micro(self) -> list[dict]:
        view, out = self.view, []
        for _ in range(view.excluded):
            self.drop("micro", "min_confidence")
        for tree in micro_walks(view):
            pair = [tree.unit, tree.children[0].unit]
            # an instruction prompt and a text --unpacked record quote the units' paragraphs whole
            shown = set(paragraphs_of(view, pair)) if self.instruction or self.options.unpacked else ()
            context: tuple[str, ...] = ()
            if self.fragments and self.fragments.of(set(pair), shown):
                context = self.clause_context(pair)
                if not context:
                    self.drop("micro", "fragment")
                    continue
            layout = micro_layout(view, tree)
            docs = sorted({view.units[u].get("document_id") for u in pair})
            if self.instruction:
                spans = sorted(pair, key=view.order_key)
                rec = self.task("micro", "relation", layout, docs, Context(paragraphs_of(view, pair), spans=spans))
                out += [rec] if rec else []
            else:
                out += self.text_examples("micro", "relation", layout, docs, context)
        return out

    def meso(self) -> list[dict]:
        out = self.chains()
        if self.instruction:
            return out  # a random walk is no task: its answer does not follow from a prompt
        opts = self.options
        count = opts.walks_per_document * max(1, len(self.view.documents))
        for walk in random_walks(self.view, count, opts.walk_length, opts.seed):
            out += self.walk_records(walk)
        return out

    def chains(self) -> list[dict]:
        """Meso examples: the reasoning tree under each conclusion or top claim."""
        view, opts, out = self.view, self.options, []
        for root in meso_roots(view):
            tree = reasoning_tree(view, root)
            if tree.size() < 3:
                continue  # one relation: a micro example, not a chain
            tree = self.clean_tree(tree)
            if tree is None or tree.size() < 3:
                self.drop("meso", "fragment")
                continue
            if opts.drop_one_step and tree.depth() < 2:
                self.drop("meso", "one_step")
                self.filtered_units.add(("meso", frozenset(tree.units())))
                continue
            layout = meso_layout(view, tree)
            docs = sorted({view.units[u].get("document_id") for u in tree.units()})
            if self.instruction:
                ctx = Context(paragraphs_of(view, tree.units()), claim=root)
                rec = self.task("meso", "chain", layout, docs, ctx, tree)
                out += [rec] if rec else []
            else:
                out += self.text_examples("meso", "chain", layout, docs)
        return out

    def walk_records(self, walk) -> list[dict]:
        """The text examples of one random walk (of at least 3 units)."""
        walk = self.clean_walk(walk)
        if len(walk) < 3:
            self.drop("meso", "fragment")
            return []
        docs = sorted({self.view.units[u].get("document_id") for _, u in walk})
        return self.text_examples("meso", "random_walk", walk_layout(self.view, walk), docs)

    def clean_walk(self, walk):
        if not self.fragments:
            return walk
        while True:
            bad = self.fragments.of({u for _, u in walk})
            if not bad:
                return walk
            cut = next(k for k, (_, u) in enumerate(walk) if u in bad)
            self.fragment_units_removed += len(walk) - cut
            walk = walk[:cut]

    def symbol_meta(self, records: list[dict], sym: str | None) -> list[dict]:
        """``meta.symbol`` of the records (every record of an export with --anchor symbols or
        both has one, with empty strings outside symbol examples, so that every record has the
        same fields of the same types)."""
        if sym is None:
            for rec in records:
                rec["meta"].setdefault("symbol", {"id": "", "glyph": "", "label": "", "origin": "", "gloss": ""})
            return records
        d = self.view.symbols[sym]
        for rec in records:
            rec["meta"]["symbol"] = {"id": sym, "glyph": d.get("glyph") or "", "label": d.get("label") or "",
                                     "origin": d.get("origin"), "gloss": d.get("gloss") or ""}
        return records

    def symbols(self) -> list[dict]:
        """Macro examples anchored on symbols: "unfold" (the symbol and its gloss → its scene)
        and "fold" (a scene → the symbol that compresses it, chosen from a glossary)."""
        syms = symbols_with_scenes(self.view)
        return [rec for sym in syms for rec in self.symbol_records(sym, syms)]

    def symbol_records(self, sym: str, syms: list[str]) -> list[dict]:
        """The unfold and fold examples of one symbol (``syms``: every symbol with a scene, in order)."""
        view, out = self.view, []
        docs_of = lambda units: sorted({view.units[u].get("document_id") for u in units})  # noqa: E731
        unfold = symbol_scene(view, sym)
        unfold.trees = [t for t in (self.clean_tree(t) for t in unfold.trees) if t is not None]
        if len(unfold.units()) < 2:
            self.drop("macro", "no_scene")
        else:
            layout = unfold_layout(view, unfold)
            docs = docs_of(unfold.units())
            if self.instruction:
                ctx = Context(paragraphs_of(view, unfold.units()), symbol=sym)
                rec = self.task("macro", "symbol_unfold", layout, docs, ctx)
                out += self.symbol_meta([rec] if rec else [], sym)
            else:
                out += self.symbol_meta(self.text_examples("macro", "symbol_unfold", layout, docs), sym)
        fold = symbol_scene(view, sym, without_occurrences=True)
        fold.trees = [t for t in (self.clean_tree(t) for t in fold.trees) if t is not None]
        if not fold.units():
            self.drop("macro", "no_scene")
            return out
        layout = fold_layout(view, fold, answer_only=self.instruction)
        docs = docs_of(fold.units())
        if self.instruction:
            rng = random.Random(f"{self.options.seed}:{sym}")
            others = [s for s in syms if s != sym and symbol_text(view, s) != symbol_text(view, sym)]
            choice = set(rng.sample(others, min(GLOSSARY_SIZE - 1, len(others)))) | {sym}
            ctx = Context([], quotes=fold.units(), glossary=[s for s in syms if s in choice])
            rec = self.task("macro", "symbol_fold", layout, docs, ctx)
            out += self.symbol_meta([rec] if rec else [], sym)
        else:
            out += self.symbol_meta(self.text_examples("macro", "symbol_fold", layout, docs), sym)
        return out

    def macro(self) -> list[dict]:
        out = self.claim_macros() if self.options.anchor in ("claims", "both") else []
        if self.options.anchor in ("symbols", "both") and self.fmt != "dpo":
            out += self.symbols()
        return out

    def build(self) -> dict[str, list[dict]]:
        by_level = self.levels()
        if self.options.anchor != "claims":
            for records in by_level.values():
                self.symbol_meta(records, None)
        return by_level

    def claim_macros(self) -> list[dict]:
        return self.macro_records(macro_walks(self.view))

    def macro_records(self, macros: list[Macro]) -> list[dict]:
        """The examples of macro walks around claims (documents, sections, cross-document)."""
        view, out = self.view, []
        for macro in macros:
            if macro.kind == "cross_document":
                other = view.units[macro.links[0][2].unit]["document_id"]
                if not theme_lines(view, other):
                    self.drop("macro", "untitled_link")
                    continue
            macro = self.clean_macro(macro)
            if macro is None:
                self.drop("macro", "fragment")
                continue
            layout = macro_layout(view, macro)
            if not self.instruction:
                out += self.text_examples("macro", macro.kind, layout, list(macro.documents))
                continue
            ctx = Context(macro.paragraphs, headings=True, section=macro.section,
                          via=macro.links[0][0] if macro.links else None)
            splittable = macro.kind in ("document", "section") and len(macro.paragraphs) > 1
            rec = self.task("macro", macro.kind, layout, list(macro.documents), ctx, macro, report=not splittable)
            if rec:
                out.append(rec)
            elif splittable and self.over_budget:
                out += self.windows(macro)
            elif splittable:
                self.drop("macro", "no_perturbation")
        return out

    def windows(self, macro: Macro) -> list[dict]:
        """A macro over its budget, as windows of consecutive paragraphs that each fit, each
        a whole task over its own text."""
        pars, doc, out = macro.paragraphs, macro.documents[0], []
        i = 0
        while i < len(pars):
            best = None
            for j in range(i, len(pars)):
                m = self.clean_macro(macro_of(self.view, doc, pars[i:j + 1], "window", macro.section))
                if m is None:
                    continue
                ctx = Context(pars[i:j + 1], headings=True, section=macro.section)
                rec = self.task("macro", "window", macro_layout(self.view, m), [doc], ctx, m, report=False)
                if rec is None and not self.over_budget:
                    continue  # nothing to pair this window with (dpo, counted); try a longer one
                if rec is None:
                    if best is None:  # the first paragraph with units does not fit alone
                        self.task("macro", "window", macro_layout(self.view, m), [doc], ctx, m)
                        best = (j, None)
                    break
                best = (j, rec)
            if best is None:
                break  # no units in the rest
            if best[1] is not None:
                out.append(best[1])
            i = best[0] + 1
        return out

    def levels(self) -> dict[str, list[dict]]:
        levels = self.options.levels
        return {"micro": self.micro() if "micro" in levels and self.fmt != "dpo" else [],
                "meso": self.meso() if "meso" in levels else [],
                "macro": self.macro() if "macro" in levels else []}


_WORDS = re.compile(r"\w+")


def prompt_and_answer(rec: dict) -> tuple[str | None, str]:
    """The prompt of an instruction record (None for text) and its answer."""
    if "messages" in rec:
        return "\x1f".join(m["content"] for m in rec["messages"][:-1]), rec["messages"][-1]["content"]
    if "prompt" in rec:
        return "\x1f".join(m["content"] for m in rec["prompt"]), rec["chosen"][0]["content"]
    if "instruction" in rec:
        return rec["instruction"] + "\x1f" + rec["input"], rec["output"]
    return None, rec["text"]


def layers_of(rec: dict) -> str:
    """The answer's layers (for text --unpacked, without the [SOURCE] lines)."""
    _, answer = prompt_and_answer(rec)
    if "text" in rec and answer.startswith("[" + load_schema().marker("source") + "]"):
        return answer.split("\n\n", 1)[-1]
    return answer


def _dedup(by_level: dict[str, list[dict]], builder: _Builder, near: float | None) -> None:
    """Exact duplicates (the record id hashes the level and the content), examples quoting
    the same units as an earlier one of their level, and near duplicates: MinHash LSH over
    meso and macro answers; for micro answers (two short lines) the same words in the same
    order, case and punctuation aside."""
    seen_ids, seen_micro = set(), set()
    seen_units = {(lvl, "", units) for lvl, units in builder.filtered_units}
    near_index = NearDuplicates(near) if near is not None and (by_level["meso"] or by_level["macro"]) else None
    for lvl in LEVELS:
        kept = []
        for rec in by_level[lvl]:
            if rec["id"] in seen_ids:
                builder.drop(lvl, "duplicate")
                continue
            kind = rec["meta"]["kind"]  # a symbol's unfold and fold may quote the same units: both stay
            units = (lvl, kind if kind.startswith("symbol_") else "", frozenset(u["id"] for u in rec["meta"]["units"]))
            if units in seen_units:
                builder.drop(lvl, "same_units")
                continue
            if near is not None:
                if lvl == "micro":
                    words = " ".join(_WORDS.findall(layers_of(rec).lower()))
                    if words in seen_micro:
                        builder.drop(lvl, "near_duplicate")
                        continue
                    seen_micro.add(words)
                elif near_index.seen(lvl, rec["id"], layers_of(rec)):
                    builder.drop(lvl, "near_duplicate")
                    continue
            seen_ids.add(rec["id"])
            seen_units.add(units)
            kept.append(rec)
        by_level[lvl] = kept


def conflicting_prompts(records: list[dict]) -> set[str]:
    """Prompts that have more than one answer among ``records``."""
    answers: dict[str, set[str]] = {}
    for rec in records:
        prompt, answer = prompt_and_answer(rec)
        if prompt is not None:
            answers.setdefault(prompt, set()).add(answer)
    return {p for p, a in answers.items() if len(a) > 1}


def _remove_conflicts(by_level: dict[str, list[dict]], builder: _Builder) -> None:
    bad = conflicting_prompts([r for lvl in LEVELS for r in by_level[lvl]])
    if not bad:
        return
    for lvl in LEVELS:
        kept = []
        for rec in by_level[lvl]:
            if prompt_and_answer(rec)[0] in bad:
                builder.drop(lvl, "conflicting_prompt")
            else:
                kept.append(rec)
        by_level[lvl] = kept


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
    keep = mix_keep({lvl: len(recs) for lvl, recs in records.items()}, mix, rng)
    if keep is None:
        return records
    return {lvl: [recs[k] for k in keep[lvl]] for lvl, recs in records.items()}


def mix_keep(counts: dict[str, int], mix: dict[str, float] | None, rng: random.Random) -> dict[str, list[int]] | None:
    """Which records of each level (by position, ``counts``: how many a level has) the mix
    keeps, in order; None: all of them (no mix asked for)."""
    if not mix:
        return None
    weights = {lvl: w for lvl, w in mix.items() if w > 0 and counts.get(lvl)}
    if not weights:
        return {lvl: [] for lvl in counts}
    total = sum(weights.values())
    weights = {lvl: w / total for lvl, w in weights.items()}
    size = min(counts[lvl] / w for lvl, w in weights.items())
    out = {}
    for lvl, count in counts.items():
        n = min(count, int(round(weights.get(lvl, 0) * size)))
        out[lvl] = sorted(rng.sample(range(count), n))
    return out


def _histogram(lengths: list[int], budget: int) -> dict[str, int]:
    edges = [0] + [2 ** k for k in range(4, max(5, math.ceil(math.log2(max(budget, 16)))) + 1)]
    hist = Counter()
    for n in lengths:
        upper = next((e for e in edges[1:] if n <= e), edges[-1])
        lower = edges[edges.index(upper) - 1]
        hist[f"{lower + 1}-{upper}"] += 1
    return {k: hist[k] for k in sorted(hist, key=lambda k: int(k.split("-")[0]))}


def sources_under(documents, prefixes: tuple[str, ...]) -> list[str]:
    """The ids of ``documents`` ((id, source) pairs) whose source is one of ``prefixes`` or lies under one."""
    import os

    wanted = [os.path.normpath(p) for p in prefixes]
    out = []
    for n, source in documents:
        source = os.path.normpath(source or "")
        if any(source == w or source.startswith(w.rstrip(os.sep) + os.sep) or w == "." for w in wanted):
            out.append(n)
    return sorted(out)


def chosen_documents(documents: list[tuple[str, str]], options: "ExportOptions") -> tuple[set[str], list[str]]:
    """The ids of ``documents`` ((id, source) pairs) that ``--document`` and ``--source-prefix``
    choose, and notes for the person running the export; an unknown ``--document`` is an error."""
    have = {d for d, _ in documents}
    missing = [d for d in options.documents if d not in have]
    if missing:
        raise GraphMindError(f"--document {missing[0]}: no such document in the graph "
                             "(list them with: graphmind query document_overview)")
    chosen, messages = set(options.documents), []
    if options.source_prefixes:
        found = sources_under(documents, options.source_prefixes)
        if not found:
            messages.append(f"no stored document has its source under {', '.join(options.source_prefixes)}")
        chosen |= set(found)
    return chosen, messages


def select_documents(g: nx.MultiDiGraph, documents: tuple[str, ...] | list[str]) -> nx.MultiDiGraph:
    """The subgraph of some documents: their paragraphs, units, relations and concepts."""
    keep = set(documents)
    keep |= {n for n, data in g.nodes(data=True) if data.get("document_id") in keep}
    keep |= {c for u in list(keep) for c in g.successors(u) if {"Concept", "Symbol"} & set(g.nodes[c].get("labels", ()))}
    keep |= {s for u in list(keep) for s in g.predecessors(u) if "Symbol" in g.nodes[s].get("labels", ())}
    return g.subgraph(keep).copy()


def build_dataset(g: nx.MultiDiGraph, options: ExportOptions | None = None) -> Dataset:
    options = options or ExportOptions()
    messages: list[str] = []
    if options.documents or options.source_prefixes:
        stored = [(n, data.get("source")) for n, data in g.nodes(data=True) if "Document" in data.get("labels", ())]
        chosen, messages = chosen_documents(stored, options)
        g = select_documents(g, sorted(chosen))
    for path in options.check_against:
        contamination.read_texts(path)  # a missing file is an error before any work
    view = GraphView(g, options.min_confidence)
    roles = assign_roles(view)
    builder = _Builder(view, options)
    by_level = builder.build() if view.units else {lvl: [] for lvl in LEVELS}
    if not view.units:
        messages.append("the graph has no units, so the dataset is empty; ingest some notes first "
                        "(graphmind ingest PATH)")
    if options.format == "dpo" and options.anchor != "claims" and "macro" in options.levels:
        messages.append("dpo: symbol examples (--anchor symbols) are not paired; they are left out")
    if options.anchor != "claims" and not view.symbols and "macro" in options.levels:
        messages.append("--anchor symbols: the graph has no symbols; run graphmind symbols build first")
    if options.format == "dpo" and "micro" in options.levels:
        messages.append("dpo: pairs are made for meso and macro examples; micro is left out")
    generated = {lvl: len(by_level[lvl]) for lvl in LEVELS}
    _dedup(by_level, builder, options.near_duplicates)
    _remove_conflicts(by_level, builder)
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
    stats = _stats(view, options, builder, train, val, val_docs, crossing, roles, generated)
    if options.check_against:
        stats["contamination"] = contamination.check(train + val, list(options.check_against))
        for path, found in stats["contamination"].items():
            messages.append(f"contamination: {found['examples']} of {found['of']} examples share a 13-gram with "
                            f"{path} ({found['shared_13grams']} distinct 13-grams)")
    return Dataset(train, val, stats, messages, _warnings(stats))


def _warnings(stats: dict) -> list[str]:
    out = []
    for lvl in LEVELS:
        dropped = stats["dropped"].get(lvl, {})
        lost = sum(dropped.values())
        total = stats["kept"].get(lvl, 0) + lost
        if not total or lost <= WARN_SHARE * total:
            continue
        reasons = ", ".join(f"{reason.replace('_', ' ')} {n}" for reason, n in
                            sorted(dropped.items(), key=lambda kv: (-kv[1], kv[0])))
        hint = ""
        if lvl in stats["smallest_dropped_over_budget"]:
            hint = (f"; the smallest one over budget needs {stats['smallest_dropped_over_budget'][lvl]} tokens "
                    f"(--max-tokens {lvl}=N)")
        out.append(f"{lvl}: {lost} of {total} examples dropped ({reasons}){hint}")
    return out


def _extractors(view: GraphView) -> dict[str, int]:
    """Units per extractor, from the stored property or the cue (model cues start with llm:)."""
    out = Counter()
    for data in view.units.values():
        name = data.get("extractor") or ("llm" if str(data.get("cue") or "").startswith("llm:") else "rules")
        out[name] += 1
    return dict(sorted(out.items()))


@dataclass
class GraphTally:
    """What the stats say about the graph exported, summed over the parts it was read in."""

    rel_counts: Counter = field(default_factory=Counter)  # argument relations kept, by name
    excluded: int = 0  # relations below --min-confidence
    unit_types: Counter = field(default_factory=Counter)
    extractors: Counter = field(default_factory=Counter)
    documents: int = 0
    sources: list = field(default_factory=list)
    symbols: int = 0

    def add(self, view: GraphView, symbols: bool = True) -> None:
        for edges in view.incoming.values():
            for rel, _ in edges:
                self.rel_counts[rel] += 1
        self.excluded += view.excluded
        self.unit_types.update(u.get("type") for u in view.units.values())
        self.extractors.update(_extractors(view))
        self.documents += len(view.documents)
        self.sources.extend(d.get("source") or "" for d in view.documents.values())
        if symbols:
            self.symbols += len(view.symbols)


@dataclass
class RecordTally:
    """What the stats say about the records written (train, then validation, in file order)."""

    train: Counter = field(default_factory=Counter)  # by level, in order of first appearance
    val: Counter = field(default_factory=Counter)
    lengths: dict = field(default_factory=lambda: {lvl: [] for lvl in LEVELS})
    kinds: Counter = field(default_factory=Counter)
    languages: Counter = field(default_factory=Counter)

    def add(self, rec: dict, tokens: int, split: str) -> None:
        self.count(rec["level"], rec["meta"]["kind"], rec["meta"]["lang"], tokens, split)

    def count(self, level: str, kind: str, lang: str, tokens: int, split: str) -> None:
        (self.train if split == "train" else self.val)[level] += 1
        self.lengths[level].append(tokens)
        self.kinds[kind] += 1
        self.languages[lang] += 1


def _stats(view, options, builder, train, val, val_docs, crossing, roles, generated) -> dict:
    graph = GraphTally()
    graph.add(view)
    records = RecordTally()
    for split, recs in (("train", train), ("val", val)):
        for rec in recs:
            n = builder.lengths.get(rec["id"])
            records.add(rec, n if n is not None else builder.record_tokens(rec), split)
    return stats_of(options, builder, graph, records, val_docs, crossing, roles, generated)


def stats_of(options, builder, graph: GraphTally, records: RecordTally, val_docs, crossing, roles, generated) -> dict:
    schema = load_schema()
    rel_counts = graph.rel_counts
    relations = sum(rel_counts.values()) + graph.excluded
    kept = records.train + records.val
    total = sum(kept.values())
    lengths = records.lengths
    after_filters = {lvl: kept[lvl] for lvl in LEVELS}
    stats = {
        "format": options.format,
        "tokenizer": builder.tokens.tokenizer.name,
        "seed": options.seed,
        "order": options.order,
        "levels": list(options.levels),
        "max_tokens": options.max_tokens,
        "budget_counts": ("the whole record: text" if options.format == "text" else
                          "the whole record: system + user + assistant" if options.format == "chat" else
                          "the whole record: instruction + input + output" if options.format == "alpaca" else
                          "the whole record: system + user + the longer of chosen and rejected"),
        "filters": {
            "fragments": {"on": options.drop_fragments, "min_words": 3,
                          "mid_sentence_endings": [",", ":", ";", "—", "–", "a conjunction, preposition or article"]},
            "one_step_chains": {"on": options.drop_one_step},
            "min_confidence": options.min_confidence,
            "near_duplicates": {"on": options.near_duplicates is not None, "threshold": options.near_duplicates,
                                "method": "MinHash LSH (datasketch) over word 5-grams of the answer, per level"},
            "same_units": True,
            "conflicting_prompts": "removed",
        },
        "examples": {"train": dict(records.train), "val": dict(records.val), "total": total},
        "kept": {lvl: kept[lvl] for lvl in LEVELS},
        "generated": generated,
        "dropped": {lvl: dict(sorted(builder.dropped[lvl].items())) for lvl in LEVELS},
        "dropped_reasons": REASONS,
        "smallest_dropped_over_budget": builder.needed,
        "relations": relations,
        "micro_per_relation": (round(after_filters["micro"] / relations, 4)
                               if relations and "micro" in options.levels and options.format != "dpo" else None),
        "relations_below_min_confidence": graph.excluded,
        "fragment_units_removed": builder.fragment_units_removed,
        "roles": roles,
        "examples_by_kind": dict(sorted(records.kinds.items())),
        "languages": dict(sorted(records.languages.items())),
        "token_length_histogram": {lvl: _histogram(n, options.max_tokens[lvl]) for lvl, n in lengths.items() if n},
        "token_length_max": {lvl: max(n) for lvl, n in lengths.items() if n},
        "unit_types": dict(sorted(graph.unit_types.items())),
        "relation_types": {r: rel_counts[r] for r in schema.argument_relations if rel_counts[r]},
        "documents": {"train": graph.documents - len(val_docs), "val": len(val_docs)},
        "val_documents": sorted(val_docs),
        "sources": sorted(graph.sources),
        "cross_split_left_out": crossing,
        "extractor": {"units": dict(sorted(graph.extractors.items())), **options.provenance},
        "graphmind_version": __version__,
        "license": options.license,
        "anchor": options.anchor,
        "symbols": graph.symbols,
    }
    if options.format == "dpo":
        stats["dpo_pairs"] = total
        stats["perturbations"] = dict(sorted(builder.perturbations.items()))
    return stats


DATASET_FILES = ("train.jsonl", "val.jsonl", "stats.json", "README.md")
# temporary files earlier versions wrote inside the dataset folder: not carried over
STRAY_FILES = tuple(name + ".tmp" for name in DATASET_FILES)


def write_dataset_files(dataset: Dataset, directory: str | Path) -> None:
    """The dataset's files, written into ``directory`` (a folder being prepared)."""
    from .card import dataset_card

    directory = Path(directory)
    with (directory / "train.jsonl").open("w", encoding="utf-8") as f:
        for rec in dataset.train:
            f.write(json.dumps(rec, ensure_ascii=False) + "\n")
    with (directory / "val.jsonl").open("w", encoding="utf-8") as f:
        for rec in dataset.val:
            f.write(json.dumps(rec, ensure_ascii=False) + "\n")
    (directory / "stats.json").write_text(json.dumps(dataset.stats, ensure_ascii=False, indent=2) + "\n",
                                          encoding="utf-8")
    (directory / "README.md").write_text(dataset_card(dataset), encoding="utf-8")


def write_dataset(dataset: Dataset, out_dir: str | Path) -> Path:
    """Write the dataset folder as a whole: a reader sees the old dataset or the new one,
    never a mix (``graphmind.fsio.atomic_dir``). Other files in the folder are kept."""
    from ..fsio import atomic_dir

    with atomic_dir(out_dir, drop=STRAY_FILES) as stage:
        write_dataset_files(dataset, stage)
    return Path(out_dir)
