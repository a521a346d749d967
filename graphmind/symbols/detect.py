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
import sys
import unicodedata
from dataclasses import dataclass, field
from typing import Callable, Iterable, NamedTuple

import networkx as nx

from .. import ids
from ..export.language import ends_mid_sentence
from ..progress import Progress
from .declare import Declaration, declarations
from .found import FoundOptions, TooLarge, communities
from .glyphs import base, glyphs, key_of
from .source import GraphSource, SymbolSource
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
    kinds: dict[str, str] = field(default_factory=dict)  # member id -> "Unit" or "Concept"


def short_label(text: str, words: int = LABEL_WORDS) -> str:
    parts = text.split()
    return " ".join(parts[:words]) + ("…" if len(parts) > words else "")


def _nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


class UnitRow(NamedTuple):
    """What detection keeps of a unit once its text has been scanned."""
    paragraph_id: str | None
    document_id: str | None
    lang: str | None
    central: bool
    claim: bool  # typed claim or conclusion
    mid_sentence: bool  # its text stops where a sentence cannot


class _Names:
    """The names that evoke symbols (a whole word, any case), known before any unit is read."""

    def __init__(self, names: dict[str, str]):  # symbol key -> its name
        self.by_name: dict[str, list[str]] = {}
        for key, name in names.items():
            if name:
                self.by_name.setdefault(" ".join(_nfc(name).casefold().split()), []).append(key)
        words = sorted({_nfc(n) for n in names.values() if n}, key=len, reverse=True)
        self.pattern = re.compile(r"(?<!\w)(?:" + "|".join(re.escape(n) for n in words) + r")(?!\w)",
                                  re.IGNORECASE) if words else None

    def keys_in(self, text: str) -> Iterable[str]:
        if self.pattern is None:
            return
        for m in self.pattern.finditer(_nfc(text)):
            yield from self.by_name.get(" ".join(m.group(0).casefold().split()), ())


def _same(text: str | None) -> str | None:
    """One string object for every copy of an id: each row read from the store brings its own
    copies of the ids it names (a concept's id once per mention), and a vault has millions."""
    return sys.intern(text) if type(text) is str else text


class _Index:
    """What detection reads, in one streamed pass over each kind of row: per unit only a
    small row (``UnitRow``) and its place in reading order; texts are scanned as they
    arrive (declarations in paragraphs; glyphs, keywords and names in units) and dropped."""

    def __init__(self, source: SymbolSource, table: SymbolTable | None, ignore: set[str], arguments: bool,
                 progress: Progress):
        def rows(what: str, it, unit: str):
            return _counted(progress, f"symbols: {what}", it, unit)

        self.docs: dict[str, str] = {d: src or "" for d, src in rows("documents", source.documents(), "documents")}
        # paragraphs: keep their index; keep the declarations, in reading order
        self.par_index: dict[str, int] = {}
        found_decls = []
        for p, doc, index, lang, text in rows("declarations", source.paragraphs(), "paragraphs"):
            p = _same(p)
            self.par_index[p] = index
            decls = declarations(p, text or "", lang or "en")
            if decls:
                found_decls.append(((self.docs.get(doc, ""), index, p), p, doc, decls))
        found_decls.sort(key=lambda x: x[0])
        self.declared: list[tuple[str, str, Declaration, str]] = []  # (paragraph, document, declaration, key)
        seen: set[str] = set()
        for _, p, doc, decls in found_decls:
            for decl in decls:
                key = key_of(decl.glyph, decl.name)
                if key in seen or key in ignore:
                    continue  # the first declaration in reading order defines it; later ones use it
                seen.add(key)
                self.declared.append((p, doc, decl, key))
        names = {key: "" if decl.glyph else decl.name for _, _, decl, key in self.declared}
        for entry in table.entries if table else ():
            key = key_of(entry.glyph, entry.name)
            names[key] = (entry.name or names[key]) if key in names else entry.name
        name_index = _Names(names)
        keyword_patterns = [
            re.compile(r"(?<!\w)(?:" + "|".join(re.escape(_nfc(k)) for k in sorted(e.keywords, key=len, reverse=True))
                       + r")(?!\w)", re.IGNORECASE) if e.keywords else None
            for e in (table.entries if table else ())]
        declaring = {p for p, _, _, _ in self.declared}
        # units: a small row each, their order, and what their texts hold
        self.units: dict[str, UnitRow] = {}
        self.order: dict[str, tuple] = {}
        self.spans: dict[str, tuple[int, int]] = {}  # units of declaring paragraphs: (start, end)
        self.par_units: dict[str, list[str]] = {}  # ... and those paragraphs' units
        self.glyphs_of: dict[str, list[str]] = {}  # unit -> the glyphs its text writes, in order
        self.keyword_units: list[list[str]] = [[] for _ in keyword_patterns]
        self.evoked: dict[str, set[str]] = {}  # symbol key -> units that name it
        for u, p, doc, start, end, lang, central, typ, text in rows("units", source.units(), "units"):
            text = text or ""
            u, p, doc = _same(u), _same(p), _same(doc)
            self.units[u] = UnitRow(p, doc, _same(lang), bool(central), typ in ("claim", "conclusion"),
                                    ends_mid_sentence(text, lang))
            self.order[u] = (self.docs.get(doc, ""), self.par_index.get(p, 0), start or 0, u)
            if p in declaring:
                self.spans[u] = (start if start is not None else 0, end if end is not None else 0)
                self.par_units.setdefault(p, []).append(u)
            written = glyphs(text)
            if written:
                self.glyphs_of[u] = list(dict.fromkeys(written))
            for k, pattern in enumerate(keyword_patterns):
                if pattern is not None and pattern.search(_nfc(text)):
                    self.keyword_units[k].append(u)
            for key in name_index.keys_in(text):
                self.evoked.setdefault(key, set()).add(u)
        for p in self.par_units:
            self.par_units[p].sort(key=self.order.__getitem__)
        self.concepts: dict[str, tuple] = {_same(c): (lemma, label) for c, lemma, label
                                           in rows("concepts", source.concepts(), "concepts")}
        self.mentions: dict[str, list[str]] = {}
        for a, b in rows("mentions", source.mentions(), "edges"):
            if a in self.units and b in self.concepts:
                self.mentions.setdefault(_same(a), []).append(_same(b))
        # names also evoke through concepts whose lemma is the name
        lemma_of: dict[str, list[str]] = {}
        for c, (lemma, _) in self.concepts.items():
            lemma_of.setdefault(_nfc(str(lemma or "")).casefold(), []).append(c)
        for name, keys in name_index.by_name.items():
            concepts = set(lemma_of.get(name, ()))
            if concepts:
                for u, cs in self.mentions.items():
                    if concepts & set(cs):
                        for k in keys:
                            self.evoked.setdefault(k, set()).add(u)
        self.arguments: list[tuple[str, str, str]] = []
        if arguments:
            self.arguments = [(_same(a), _same(rel), _same(b)) for a, rel, b
                              in rows("arguments", source.arguments(), "edges") if a in self.units and b in self.units]

    def reading(self, units) -> list[str]:
        return sorted(units, key=self.order.__getitem__)

    def kind(self, n: str) -> str | None:
        return "Unit" if n in self.units else "Concept" if n in self.concepts else None


QueryRunner = Callable[[str, dict], list[list]]


def _counted(progress: Progress, name: str, rows, unit: str):
    """``rows``, counted on a stage of ``progress`` as they pass."""
    with progress.stage(name, unit=unit) as stage:
        for row in rows:
            stage.advance()
            yield row


def detect(graph: nx.MultiDiGraph | SymbolSource, table: SymbolTable | None = None, found: FoundOptions | None = None,
           run_query: QueryRunner | None = None, progress=None) -> Detected:
    """Every symbol of the graph (a networkx meaning graph, or a ``SymbolSource`` such as
    ``StoreSource``), in a stable order (declared and user symbols in the order they are
    defined, then found ones, then undefined glyphs). ``progress``: a ``graphmind.progress.Progress``
    that shows each read and the community search as a stage."""
    source = graph if hasattr(graph, "paragraphs") else GraphSource(graph)  # a SymbolSource, or a graph
    progress = progress if progress is not None else Progress(quiet=True)
    notes: list[str] = []
    by_key: dict[str, Symbol] = {}
    ignore = {key_of(x) for x in (table.ignore if table else ())}
    idx = _Index(source, table, ignore, arguments=found is not None, progress=progress)

    # -- declared in the notes ------------------------------------------------------------
    for p, doc, decl, key in idx.declared:
        units = idx.par_units.get(p, [])
        defining = next((u for u in units if idx.spans[u][0] <= decl.start < idx.spans[u][1]), None) or \
            next((u for u in units if idx.spans[u][0] <= decl.gloss_start < idx.spans[u][1]), None)
        members = [(u, "definition" if u == defining else "scene") for u in units]
        members += [(c, "definition") for c in sorted(set(idx.mentions.get(defining, ())))]
        name = "" if decl.glyph else decl.name  # a glyph's parenthesised note labels it, it is no name
        by_key[key] = Symbol(
            ids.make_id("sym", key), key, decl.glyph, name, decl.name or short_label(decl.gloss), decl.gloss,
            "declared", True, decl.lang, idx.docs.get(doc, ""), doc, defining or p, members)

    # -- the user's glyph table -------------------------------------------------------------
    for k, entry in enumerate(table.entries if table else ()):
        key = key_of(entry.glyph, entry.name)
        members: list[tuple[str, str]] = [(u, "keyword") for u in idx.reading(idx.keyword_units[k])]
        if entry.lemmas:
            wanted = {_nfc(x).casefold() for x in entry.lemmas}
            members += [(c, "lemma") for c in sorted(idx.concepts)
                        if _nfc(str(idx.concepts[c][0] or "")).casefold() in wanted]
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
    for u in idx.reading(idx.glyphs_of):
        for gl in idx.glyphs_of[u]:
            k = key_of(gl)
            written.setdefault(k, []).append(u)
            first_form.setdefault(k, base(gl))
    for s in by_key.values():
        gk = key_of(s.glyph) if s.glyph else None
        users = [u for u in written.get(gk, ()) if u != s.defined_by] if gk else []
        using = set(users)
        evokers = [u for u in idx.reading(idx.evoked.get(s.key, ()) if s.name else ())
                   if u not in using and u != s.defined_by]
        s.uses = [(u, "uses") for u in users] + [(u, "evokes") for u in evokers]
        if s.origin == "user" and not s.members and not s.uses:
            notes.append(f"{table.path}: {s.glyph or s.name}{' (' + s.name + ')' if s.glyph and s.name else ''} "
                         "matches nothing (no unit writes it or holds its keywords, no concept has its lemmas, "
                         "its query returned no unit or concept); no symbol was made")
    symbols = [s for s in by_key.values() if not (s.origin == "user" and not s.members and not s.uses)]
    defined_glyphs = {key_of(s.glyph) for s in symbols if s.glyph}

    # -- found in the graph ---------------------------------------------------------------------
    if found is not None:
        with progress.stage(f"symbols: communities ({found.method})", unit="communities") as stage:
            try:
                coms = communities(idx.units, idx.concepts, idx.arguments, idx.mentions, idx.order, found)
            except TooLarge as exc:
                coms = []
                notes.append(f"found symbols were not searched: the community graph has {exc.edges:,} edges, more "
                             f"than the limit of {exc.limit:,} (the search holds about 1 KB an edge, and takes "
                             "minutes over a million); raise it with `graphmind symbols build --max-community-edges "
                             "N`, or leave the search out with --no-found")
            stage.advance(len(coms))
        texts = source.texts([com.central for com in coms])
        for com in coms:
            labels = [str(idx.concepts[c][1] or idx.concepts[c][0] or c) for c in com.label_concepts]
            central = idx.units[com.central]
            gloss = texts.get(com.central) or ""
            key = "f:" + ids.make_id("com", *com.units)
            members = [(u, "community") for u in com.units] + [(c, "community") for c in com.concepts]
            symbols.append(Symbol(ids.make_id("sym", key), key, "", "", " · ".join(labels) or short_label(gloss),
                                  gloss, "found", True, central.lang or "", "graph", central.document_id,
                                  com.central, members))

    # -- glyphs nothing defines -------------------------------------------------------------------
    for k in sorted(written, key=lambda k: idx.order[written[k][0]]):
        if k in defined_glyphs or k in ignore:
            continue
        glyph = first_form[k]
        symbols.append(Symbol(ids.make_id("sym", k), k, glyph, "", glyph, "", "used", False, "", "", None, None, [],
                              [(u, "uses") for u in written[k]]))
    kinds = {n: idx.kind(n) for s in symbols for n, _ in s.members}
    return Detected(symbols, notes, {n: k for n, k in kinds.items() if k})


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
