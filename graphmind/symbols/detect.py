"""Detecting symbols in a meaning graph (``networkx`` as ``GraphStore.load_graph`` or
``walk.memory.to_networkx`` gives it): declared in the notes, declared by the user's glyph
table, found as communities, and glyphs used without any definition.

Members (``SYMBOLIZES``):
- declared: the unit that declares it (``definition``), the other units of its paragraph
  (``scene``: the paragraph that declares a symbol is its scene) and the concepts the
  declaring unit mentions (``definition``);
- the glyph table: units whose text holds a keyword as a whole word (``keyword``), concepts
  with one of its lemmas (``lemma``), units and concepts its query returns (``query``);
- found: the community's units and concepts (``community``).
Occurrences: a unit whose text writes the glyph ``USES`` the symbol; one that names it by its
name (a whole word, any case, or a concept whose lemma is the name) ``EVOKES`` it. A glyph
written in the notes that nothing defines becomes an undefined symbol (origin ``used``) with
its uses, so it can be found and defined.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from typing import Callable

import networkx as nx

from .. import ids
from .declare import declarations
from .found import ARGUMENT, FoundOptions, communities
from .glyphs import base, glyphs, key_of
from .table import SymbolTable

ORIGINS = ("declared", "user", "found", "used")
LABEL_WORDS = 6


@dataclass
class Symbol:
    id: str
    key: str
    glyph: str
    name: str
    label: str
    gloss: str
    origin: str
    defined: bool
    lang: str
    source: str
    document_id: str | None = None
    defined_by: str | None = None  # the unit (or paragraph) that declares it, or the found community's central claim
    members: list[tuple[str, str]] = field(default_factory=list)  # (unit or concept id, via), sorted
    uses: list[tuple[str, str]] = field(default_factory=list)  # (unit id, "uses" | "evokes"), sorted

    def display(self) -> str:
        """The glyph and label, as a map or a list shows it."""
        if self.glyph and self.label and self.label != self.glyph:
            return f"{self.glyph} {self.label}"
        return self.glyph or self.label

    def props(self) -> dict:
        return {"id": self.id, "key": self.key, "glyph": self.glyph, "name": self.name, "label": self.label,
                "gloss": self.gloss, "origin": self.origin, "defined": self.defined, "lang": self.lang,
                "source": self.source, "document_id": self.document_id, "defined_by": self.defined_by,
                "members": len(self.members), "uses": len(self.uses)}


@dataclass
class Detected:
    symbols: list[Symbol]
    notes: list[str]  # one line each, for the person running it


def short_label(text: str, words: int = LABEL_WORDS) -> str:
    parts = text.split()
    return " ".join(parts[:words]) + ("…" if len(parts) > words else "")


def _nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


class _Index:
    """What detection reads from the graph, in reading order."""

    def __init__(self, g: nx.MultiDiGraph):
        self.units: dict[str, dict] = {}
        self.pars: dict[str, dict] = {}
        self.docs: dict[str, dict] = {}
        self.concepts: dict[str, dict] = {}
        for n, d in g.nodes(data=True):
            labels = d.get("labels", ())
            if "Unit" in labels:
                self.units[n] = d
            elif "Paragraph" in labels:
                self.pars[n] = d
            elif "Document" in labels:
                self.docs[n] = d
            elif "Concept" in labels:
                self.concepts[n] = d
        self.mentions: dict[str, list[str]] = {}
        self.arguments: list[tuple[str, str, str]] = []
        for a, b, d in g.edges(data=True):
            rel = d.get("rel")
            if rel in ("MENTIONS", "DEFINES") and a in self.units and b in self.concepts:
                self.mentions.setdefault(a, []).append(b)
            elif rel in ARGUMENT and a in self.units and b in self.units:
                self.arguments.append((a, rel, b))
        self.order: dict[str, tuple] = {}
        for u, d in self.units.items():
            par = self.pars.get(d.get("paragraph_id"), {})
            doc = self.docs.get(d.get("document_id"), {})
            self.order[u] = (doc.get("source") or "", par.get("index", 0), d.get("start") or 0, u)
        self.par_units: dict[str, list[str]] = {}
        for u in sorted(self.units, key=self.order.__getitem__):
            self.par_units.setdefault(self.units[u].get("paragraph_id"), []).append(u)

    def reading(self, units) -> list[str]:
        return sorted(units, key=self.order.__getitem__)

    def paragraphs_in_order(self) -> list[str]:
        def key(p: str) -> tuple:
            d = self.pars[p]
            return (self.docs.get(d.get("document_id"), {}).get("source") or "", d.get("index", 0), p)
        return sorted(self.pars, key=key)


QueryRunner = Callable[[str, dict], list[list]]


def detect(g: nx.MultiDiGraph, table: SymbolTable | None = None, found: FoundOptions | None = None,
           run_query: QueryRunner | None = None) -> Detected:
    """Every symbol of the graph, in a stable order (declared and user symbols in the order
    they are defined, then found ones, then undefined glyphs)."""
    idx = _Index(g)
    notes: list[str] = []
    by_key: dict[str, Symbol] = {}
    ignore = {key_of(x) for x in (table.ignore if table else ())}

    # -- declared in the notes ------------------------------------------------------------
    for p in idx.paragraphs_in_order():
        par = idx.pars[p]
        for decl in declarations(p, par.get("text") or "", par.get("lang") or "en"):
            key = key_of(decl.glyph, decl.name)
            if key in by_key or key in ignore:
                continue  # the first declaration in reading order defines it; later ones use it
            units = idx.par_units.get(p, [])
            defining = next((u for u in units if idx.units[u].get("start", 0) <= decl.start < idx.units[u].get("end", 0)),
                            None) or next((u for u in units if idx.units[u].get("start", 0) <= decl.gloss_start
                                           < idx.units[u].get("end", 0)), None)
            members = [(u, "definition" if u == defining else "scene") for u in units]
            members += [(c, "definition") for c in sorted(set(idx.mentions.get(defining, ())))]
            doc = par.get("document_id")
            name = "" if decl.glyph else decl.name  # a glyph's parenthesised note labels it, it is no name
            by_key[key] = Symbol(
                ids.make_id("sym", key), key, decl.glyph, name, decl.name or short_label(decl.gloss), decl.gloss,
                "declared", True,
                decl.lang, idx.docs.get(doc, {}).get("source") or "", doc, defining or p, members)

    # -- the user's glyph table -------------------------------------------------------------
    for entry in table.entries if table else ():
        key = key_of(entry.glyph, entry.name)
        members: list[tuple[str, str]] = []
        if entry.keywords:
            pattern = re.compile(r"(?<!\w)(?:" + "|".join(re.escape(_nfc(k)) for k in sorted(entry.keywords, key=len,
                                                                                                reverse=True))
                                 + r")(?!\w)", re.IGNORECASE)
            members += [(u, "keyword") for u in idx.reading(u for u, d in idx.units.items()
                                                              if pattern.search(_nfc(d.get("text") or "")))]
        if entry.lemmas:
            wanted = {_nfc(x).casefold() for x in entry.lemmas}
            members += [(c, "lemma") for c in sorted(idx.concepts)
                        if _nfc(str(idx.concepts[c].get("lemma") or "")).casefold() in wanted]
        if entry.query and run_query is not None:
            try:
                rows = run_query(entry.query, entry.params)
            except Exception as exc:  # a store error: say so, and go on with the rest
                notes.append(f"{table.path}: {entry.title()}: its query failed ({str(exc).splitlines()[0][:160]}); "
                             "the symbol keeps what its keywords and lemmas matched")
                rows = []
            got = {v for row in rows for v in row if isinstance(v, str) and (v in idx.units or v in idx.concepts)}
            members += [(n, "query") for n in sorted(got, key=lambda n: idx.order.get(n, ("~", 0, 0, n)))]
        seen: set[str] = set()
        members = [(n, via) for n, via in members if not (n in seen or seen.add(n))]
        old = by_key.get(key)
        if old is not None:  # declared in the notes too: one symbol, the table's words win
            known = {n for n, _ in old.members}
            old.members += [(n, via) for n, via in members if n not in known]
            old.origin = "user"
            old.source = table.path
            old.gloss = entry.gloss or old.gloss
            old.name = entry.name or old.name
            old.label = entry.name or old.label
            old.glyph = old.glyph or entry.glyph
            continue
        label = entry.name or (short_label(entry.gloss) if entry.gloss else entry.glyph)
        by_key[key] = Symbol(ids.make_id("sym", key), key, entry.glyph, entry.name, label, entry.gloss, "user", True,
                             "", table.path, None, None, members)

    # -- occurrences --------------------------------------------------------------------------
    written: dict[str, list[str]] = {}  # glyph key -> units writing it
    first_form: dict[str, str] = {}
    for u in idx.reading(idx.units):
        for gl in dict.fromkeys(glyphs(idx.units[u].get("text") or "")):
            k = key_of(gl)
            written.setdefault(k, []).append(u)
            first_form.setdefault(k, base(gl))
    named = {s.key: s for s in by_key.values() if s.name}
    name_re = None
    if named:
        names = sorted({_nfc(s.name) for s in named.values()}, key=len, reverse=True)
        name_re = re.compile(r"(?<!\w)(?:" + "|".join(re.escape(n) for n in names) + r")(?!\w)", re.IGNORECASE)
    evoked: dict[str, set[str]] = {}
    if name_re is not None:
        by_name = {}
        for s in named.values():
            by_name.setdefault(" ".join(_nfc(s.name).casefold().split()), []).append(s.key)
        for u, d in idx.units.items():
            for m in name_re.finditer(_nfc(d.get("text") or "")):
                for k in by_name.get(" ".join(m.group(0).casefold().split()), ()):
                    evoked.setdefault(k, set()).add(u)
        lemma_of = {}
        for c, d in idx.concepts.items():
            lemma_of.setdefault(_nfc(str(d.get("lemma") or "")).casefold(), []).append(c)
        for name, keys in by_name.items():
            concepts = set(lemma_of.get(name, ()))
            if concepts:
                for u, cs in idx.mentions.items():
                    if concepts & set(cs):
                        for k in keys:
                            evoked.setdefault(k, set()).add(u)
    for s in by_key.values():
        gk = key_of(s.glyph) if s.glyph else None
        users = [u for u in written.get(gk, ()) if u != s.defined_by] if gk else []
        using = set(users)
        evokers = [u for u in idx.reading(evoked.get(s.key, ())) if u not in using and u != s.defined_by]
        s.uses = [(u, "uses") for u in users] + [(u, "evokes") for u in evokers]
        if s.origin == "user" and not s.members and not s.uses:
            notes.append(f"{table.path}: {s.glyph or s.name}{' (' + s.name + ')' if s.glyph and s.name else ''} "
                         "matches nothing (no unit writes it or holds its keywords, no concept has its lemmas, "
                         "its query returned no unit or concept); no symbol was made")
    symbols = [s for s in by_key.values() if not (s.origin == "user" and not s.members and not s.uses)]
    defined_glyphs = {key_of(s.glyph) for s in symbols if s.glyph}

    # -- found in the graph ---------------------------------------------------------------------
    if found is not None:
        for com in communities(idx.units, idx.concepts, idx.arguments, idx.mentions, idx.order, found):
            labels = [str(idx.concepts[c].get("label") or idx.concepts[c].get("lemma") or c) for c in com.label_concepts]
            central = idx.units[com.central]
            key = "f:" + ids.make_id("com", *com.units)
            members = [(u, "community") for u in com.units] + [(c, "community") for c in com.concepts]
            symbols.append(Symbol(ids.make_id("sym", key), key, "", "", " · ".join(labels) or short_label(
                central.get("text") or ""), central.get("text") or "", "found", True, central.get("lang") or "", "graph",
                central.get("document_id"), com.central, members))

    # -- glyphs nothing defines -------------------------------------------------------------------
    for k in sorted(written, key=lambda k: idx.order[written[k][0]]):
        if k in defined_glyphs or k in ignore:
            continue
        glyph = first_form[k]
        symbols.append(Symbol(ids.make_id("sym", k), k, glyph, "", glyph, "", "used", False, "", "", None, None, [],
                              [(u, "uses") for u in written[k]]))
    return Detected(symbols, notes)


def with_symbols(g: nx.MultiDiGraph, symbols: list[Symbol]) -> nx.MultiDiGraph:
    """``g`` with ``symbols`` added in the shape ``GraphStore.load_graph`` reads them back
    (for benchmarks and experiments without a database)."""
    for s in symbols:
        g.add_node(s.id, **{k: v for k, v in s.props().items() if v is not None}, labels=["Symbol"])
        for n, via in s.members:
            if n in g:
                g.add_edge(s.id, n, key="SYMBOLIZES", rel="SYMBOLIZES", via=via)
        for u, rel in s.uses:
            g.add_edge(u, s.id, key=rel.upper(), rel=rel.upper())
    return g
