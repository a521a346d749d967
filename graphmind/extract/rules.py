"""The rule-based extractor (the offline default).

A paragraph is split into sentences by spaCy and into clauses at discourse cues; each
unit is typed from its cues (graphmind.lang.<code>), its position and copular patterns;
relations link reasons to what they support, objections to what they attack, examples
to what they illustrate, metaphors and analogies to the claim they carry. Every unit
and relation records the cue that produced it and a confidence.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Iterator

import numpy as np

from .. import ids
from ..exceptions import InputError
from ..lang import detect_language
from ..model import Concept, Document, Extraction, Link, Paragraph, Relation, Unit
from ..read import Note, iter_sources, read_note
from ..schema import load_schema
from .cues import Cues, compile_cues
from .nlp import load_pipeline
from spacy.attrs import IDX, IS_ALPHA, IS_STOP, LEMMA, LENGTH, LOWER, POS, SENT_START

MIN_CLAUSE_WORDS = 3
MAX_CONCEPTS_PER_UNIT = 6
_WORD = re.compile(r"\w+")
_SENTENCE_END = re.compile(r"(?<=[.!?…])\s+")
_SEMICOLON = re.compile(r";\s+")
_UNSEEN = object()


@dataclass(slots=True)
class _Seg:
    """A unit in the making."""

    start: int
    end: int
    text: str
    sentence: int
    first_in_sentence: bool
    role: str = "plain"  # plain | conclusion | reason | additive | counter | objection | condition
    type: str = "claim"
    cue: str = ""
    normative: bool = False
    lemmas: list[tuple[int, str, str]] = field(default_factory=list)  # (offset, lemma, surface)


def _first_concepts(toks) -> list[tuple[str, str]]:
    """(lemma, surface) of the first distinct lemmas among a unit's tokens
    (offset, lemma, surface), at most MAX_CONCEPTS_PER_UNIT."""
    seen: dict[str, str] = {}
    for _, lemma, surface in toks:
        if lemma not in seen:
            seen[lemma] = surface
            if len(seen) == MAX_CONCEPTS_PER_UNIT:
                break
    return list(seen.items())


def _lemma_en(word: str) -> str:
    """Approximate English lemma for the blank pipeline (plural nouns → singular)."""
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 4 and word.endswith("s") and not word.endswith(("ss", "us", "is", "ous")):
        return word[:-1]
    return word


class RuleExtractor:
    """Extract units, relations and concepts from paragraphs with rules over spaCy.

    ``lang``: ``auto`` (detect per paragraph) or a fixed language code.
    ``trained``: use a trained spaCy pipeline when one is installed.
    ``max_chars``: longest text given to spaCy at once; longer paragraphs are split at
    sentence boundaries first (defaults to the pipeline's ``max_length``).
    """

    name = "rules"

    def __init__(self, lang: str = "auto", trained: bool = True, max_chars: int | None = None):
        self.lang = lang
        self.trained = trained
        self.max_chars = max_chars
        self.schema = load_schema()
        self._lemma_memo: dict = {}
        self._family = {name: rt.family for name, rt in self.schema.relation_types.items()}

    # -- spaCy -----------------------------------------------------------------
    def nlp(self, lang: str):
        return load_pipeline(lang if lang in ("en", "ru") else "other", self.trained)

    def _chunks(self, text: str, limit: int) -> list[tuple[int, str]]:
        """Split an over-long text at sentence boundaries into pieces under ``limit``."""
        if len(text) <= limit:
            return [(0, text)]
        pieces, start = [], 0
        bounds = [m.end() for m in _SENTENCE_END.finditer(text)] + [len(text)]
        last = 0
        for b in bounds:
            if b - start > limit and last > start:
                pieces.append((start, text[start:last]))
                start = last
            while b - start > limit:  # one sentence longer than the limit: cut at a space
                cut = text.rfind(" ", start, start + limit) + 1 or start + limit
                if cut <= start:
                    cut = start + limit
                pieces.append((start, text[start:cut]))
                start = cut
            last = b
        if start < len(text):
            pieces.append((start, text[start:]))
        return pieces

    def _analyses(self, texts: list[str], lang: str) -> Iterator[tuple[list[tuple[int, int]], list]]:
        """For each text: sentence spans and content tokens (offset, lemma, surface).

        Token attributes are read in bulk with ``Doc.to_array`` and only the candidate
        tokens reach Python; what a word form gives (its lemma, or nothing for a stop
        word) is worked out once per form and remembered."""
        nlp = self.nlp(lang)
        limit = min(self.max_chars or nlp.max_length, nlp.max_length)
        jobs: list[tuple[int, int, str]] = []  # (text index, offset, piece)
        for i, text in enumerate(texts):
            for offset, piece in self._chunks(text, limit):
                jobs.append((i, offset, piece))
        results: list[tuple[list, list]] = [([], []) for _ in texts]
        memo, resolve, use_lemma = self._form_lemmas(lang, nlp)
        has_pos = nlp.has_pipe("tagger") or nlp.has_pipe("morphologizer")
        attrs = [IDX, LENGTH, IS_ALPHA, IS_STOP, SENT_START, LOWER, LEMMA, POS]
        noun, propn = nlp.vocab.strings["NOUN"], nlp.vocab.strings["PROPN"]
        for (i, offset, piece), doc in zip(jobs, nlp.pipe(p for _, _, p in jobs)):
            sents, toks = results[i]
            if not len(doc):
                continue
            arr = doc.to_array(attrs)
            first = (arr[:, 4] == 1).nonzero()[0]
            if not len(first) or first[0] != 0:
                first = np.concatenate(([0], first))
            starts = (arr[first, 0] + offset).tolist()
            ends = (arr[first[1:] - 1, 0] + arr[first[1:] - 1, 1] + offset).tolist() + [len(piece) + offset]
            sents.extend(zip(starts, ends))
            mask = (arr[:, 2] == 1) & (arr[:, 3] == 0) & (arr[:, 1] >= 4)
            if has_pos:
                mask &= (arr[:, 7] == noun) | (arr[:, 7] == propn)
            cand = arr[mask]
            lowers = cand[:, 5].tolist()
            keys = zip(lowers, cand[:, 6].tolist()) if use_lemma else lowers
            for start, length, key in zip(cand[:, 0].tolist(), cand[:, 1].tolist(), keys):
                found = memo.get(key, _UNSEEN)
                if found is _UNSEEN:
                    found = resolve(key)
                if found is not None:
                    toks.append((start + offset, found, piece[start:start + length]))
        return iter(results)

    def _form_lemmas(self, lang: str, nlp):
        """(memo, resolve, use_lemma): the concept lemma of a word form, or None for a
        stop word, keyed by the form's LOWER hash (and LEMMA hash when the pipeline
        lemmatises). ``resolve`` works one out and remembers it, up to a bound, so
        memory stays flat on any corpus; a corpus repeats its word forms."""
        if lang not in self._lemma_memo:
            strings = nlp.vocab.strings
            stop_extra = compile_cues(lang).stopwords if lang in ("en", "ru") else frozenset()
            use_lemma = lang != "en" or nlp.has_pipe("lemmatizer")
            memo: dict = {}

            def resolve(k) -> str | None:
                lower = strings[k[0] if use_lemma else k]
                lemma = (strings[k[1]].lower() or lower) if use_lemma else _lemma_en(lower)
                found = None if lemma in stop_extra or lower in stop_extra else lemma
                if len(memo) < 200_000:
                    memo[k] = found
                return found

            self._lemma_memo[lang] = (memo, resolve, use_lemma)
        return self._lemma_memo[lang]

    # -- segmentation and typing ------------------------------------------------
    def _segment(self, text: str, sents: list[tuple[int, int]], cues: Cues) -> list[_Seg]:
        """Units of a paragraph: its sentences, cut into clauses at discourse cues.

        Each break pattern scans the whole paragraph once; its cut points are then
        dealt out to the sentences they fall in. Offsets are into ``text`` throughout."""
        cut_points = sorted({m.end() for pat in (cues.clause_break, cues.bare_break, _SEMICOLON)
                             for m in pat.finditer(text)})
        count = _WORD.findall
        segs: list[_Seg] = []
        k = 0
        for si, (s0, s1) in enumerate(sents):
            while k < len(cut_points) and cut_points[k] <= s0:
                k += 1
            cuts = []
            while k < len(cut_points) and cut_points[k] < s1:
                cuts.append(cut_points[k])
                k += 1
            lead = cues.leading_subordinate.match(text, s0, s1)
            if lead:
                comma = text.find(",", lead.end(), s1)
                if comma > 0 and comma + 1 not in cuts:
                    cuts.append(comma + 1)
                    cuts.sort()
            bounds = [s0]
            for c in cuts:
                if len(count(text, bounds[-1], c)) >= MIN_CLAUSE_WORDS and len(count(text, c, s1)) >= MIN_CLAUSE_WORDS:
                    bounds.append(c)
            bounds.append(s1)
            for j in range(len(bounds) - 1):
                a, b = bounds[j], bounds[j + 1]
                while a < b and text[a].isspace():
                    a += 1
                while b > a and text[b - 1].isspace():
                    b -= 1
                if a == b or not _WORD.search(text, a, b):
                    continue
                segs.append(_Seg(a, b, text[a:b], si, j == 0))
        return segs

    def _type(self, text: str, seg: _Seg, found: dict[str, re.Match], cues: Cues) -> None:
        """Role and rhetorical type of a unit; ``found`` holds the first match of each
        kind of cue inside the unit (offsets into ``text``)."""
        seg.normative = "normative" in found
        role, cue = cues.role_at_start(text, seg.start, seg.end)
        if "conclusion" in found and role != "conclusion":
            role, cue = "conclusion", found["conclusion"].group(0).lower()
        if role == "condition" and seg.normative:
            role, cue = "", ""
        if role:
            seg.role, seg.cue = role, cue
        # rhetorical type, independent of the argumentative role
        if seg.text.rstrip().endswith("?"):
            seg.type, seg.cue = "question", seg.cue or "?"
        elif kind := next((k for k in ("example", "analogy", "simile") if k in found), None):
            seg.type = "metaphor" if kind == "simile" else kind
            seg.cue = found[kind].group(0).lower()
        elif "copula" in found and self._copular_metaphor(text, seg, found["copula"], cues):
            seg.type, seg.cue = "metaphor", "abstract is concrete"
        elif seg.role == "plain" and (m := found.get("definition") or found.get("copula")):
            cue = " ".join(m.group(0).lower().split())
            if m is found.get("definition") or cue in cues.definition_phrases:
                seg.type, seg.cue = "definition", cue

    @staticmethod
    def _copular_metaphor(text: str, seg: _Seg, copula: re.Match, cues: Cues) -> bool:
        """``X is Y`` where X is an abstract noun and Y a concrete image."""
        cut = copula.start()
        head = {lem for off, lem, _ in seg.lemmas if off < cut}
        head.update(w.lower() for w in _WORD.findall(text, seg.start, cut))
        tail = {lem for off, lem, _ in seg.lemmas if off >= cut}
        tail.update(w.lower() for w in _WORD.findall(text, copula.end(), seg.end))
        return bool(head & cues.abstract_nouns) and bool(tail & cues.concrete_nouns)

    @staticmethod
    def _cues_in(text: str, segs: list[_Seg], cues: Cues) -> list[dict[str, re.Match]]:
        """For each unit, {kind: first match} of the cues inside it, from one scan of
        the paragraph."""
        found: list[dict[str, re.Match]] = [{} for _ in segs]
        k, n = 0, len(segs)
        for m in cues.anywhere.finditer(text):
            start = m.start()
            while k < n and segs[k].end <= start:
                k += 1
            if k == n:
                break
            if segs[k].start <= start and m.end() <= segs[k].end:
                found[k].setdefault(cues.kind_of(m), m)
        return found

    # -- relations ---------------------------------------------------------------
    @staticmethod
    def _central(segs: list[_Seg]) -> int:
        for i, s in enumerate(segs):
            if s.role == "conclusion" and s.type not in ("question", "example"):
                return i
        candidates = [i for i, s in enumerate(segs) if s.type not in ("question", "example")]
        for i in candidates:
            if segs[i].normative and segs[i].role in ("plain", "counter", "additive"):
                return i
        for i in candidates:
            if segs[i].role == "plain":
                return i
        return candidates[0] if candidates else 0

    def _relate(self, segs: list[_Seg], c: int) -> list[tuple[int, int, str, str, float]]:
        """(source, target, relation type, cue, confidence) by index into ``segs``."""
        target: dict[int, tuple[int, str, str, float]] = {}
        n = len(segs)
        for i, s in enumerate(segs):
            if i == c:
                continue
            prev = i - 1
            if s.type == "question":
                if i + 1 < n:
                    target[i + 1] = (i, "answers", "?", 0.5)
                continue
            if s.type == "example":
                target[i] = (prev if prev >= 0 else c, "illustrates", s.cue, 0.7)
                continue
            if s.type in ("metaphor", "analogy"):
                target[i] = (prev if prev >= 0 and prev != i else c, "carries", s.cue, 0.6)
                continue
            if s.role == "objection":
                target[i] = (c, "attacks", s.cue, 0.6)
            elif s.role == "counter":
                p = segs[prev] if prev >= 0 else None
                if p is None:
                    target[i] = (c, "attacks", s.cue, 0.4)
                elif prev == c or target.get(prev, (None, ""))[1] == "attacks":
                    target[i] = (prev, "attacks", s.cue, 0.6)
                else:  # what came before was conceded: it attacks the claim, this attacks it
                    target[prev] = (c, "attacks", s.cue + " (conceded)", 0.5)
                    segs[prev].role = "objection"
                    target[i] = (prev, "attacks", s.cue, 0.6)
            elif s.role == "condition":
                nxt = i + 1 if i + 1 < n and segs[i + 1].sentence == s.sentence else c
                target[i] = (nxt, "supports", s.cue, 0.6)
            elif s.role == "reason":
                same_sentence = not s.first_in_sentence and prev >= 0
                if same_sentence or (prev > c and segs[prev].role in ("reason", "plain") and prev != c):
                    target[i] = (prev, "supports", s.cue, 0.6)
                else:
                    target[i] = (c, "supports", s.cue, 0.6)
            elif s.role == "additive":
                t = target.get(prev)
                if t and t[1] == "supports":
                    target[i] = (t[0], "supports", s.cue, 0.5)
                else:
                    target[i] = (c, "supports", s.cue, 0.5)
            else:
                t = target.get(prev)
                if prev >= 0 and prev != c and segs[prev].role == "counter" and t and t[1] == "attacks":
                    target[i] = (prev, "supports", "", 0.4)
                elif (c > i and segs[c].role == "counter" and s.role == "plain"
                      and all(segs[k].role in ("plain", "objection") for k in range(i, c))):
                    target[i] = (c, "attacks", segs[c].cue + " (conceded)", 0.4)
                else:
                    target[i] = (c, "supports", "", 0.4)
        out = []
        for i, (t, rel, cue, conf) in sorted(target.items()):
            if t != i and 0 <= t < n:
                out.append((i, t, rel, cue, conf))
        return out

    # -- paragraphs and documents -------------------------------------------------
    def analyse(self, paragraphs: list[Paragraph]) -> tuple[list[Unit], list[Relation], dict]:
        """Units, relations and per-unit concept lemmas for paragraphs (any languages)."""
        units: list[Unit] = []
        relations: list[Relation] = []
        mentions: dict[str, list[tuple[str, str]]] = {}
        by_lang: dict[str, list[Paragraph]] = {}
        for p in paragraphs:
            by_lang.setdefault(p.lang, []).append(p)
        order = {p.id: k for k, p in enumerate(paragraphs)}
        results: list[tuple[int, list[Unit], list[Relation]]] = []
        for lang, group in by_lang.items():
            cue_lang = lang if lang in ("en", "ru") else "en"
            cues = compile_cues(cue_lang)
            for p, (sents, toks) in zip(group, self._analyses([p.text for p in group], lang)):
                pu, pr = self._paragraph(p, sents, toks, cues, mentions)
                results.append((order[p.id], pu, pr))
        for _, pu, pr in sorted(results, key=lambda r: r[0]):
            units.extend(pu)
            relations.extend(pr)
        return units, relations, mentions

    def _paragraph(self, p: Paragraph, sents, toks, cues: Cues, mentions) -> tuple[list[Unit], list[Relation]]:
        segs = self._segment(p.text, sents, cues)
        if not segs:
            return [], []
        k, n = 0, len(toks)
        for s in segs:  # tokens are sorted by offset: give each unit its run of them
            while k < n and toks[k][0] < s.start:
                k += 1
            j = k
            while j < n and toks[j][0] < s.end:
                j += 1
            s.lemmas = toks[k:j]
            k = j
        for s, found in zip(segs, self._cues_in(p.text, segs, cues)):
            self._type(p.text, s, found, cues)
        c = self._central(segs)
        central = segs[c]
        if central.type not in ("question", "example", "metaphor", "analogy", "definition"):
            if central.role == "conclusion":
                central.type = "conclusion"
            elif c == len(segs) - 1 and len(segs) > 1 and central.normative:
                central.type, central.cue = "conclusion", central.cue or "closing position"
        rels = self._relate(segs, c)
        reasons = {i for i, _, rel, _, _ in rels if rel == "supports"}
        for i in reasons:  # a claim given as a reason for another unit is a premise
            if segs[i].type == "claim" and i != c and segs[i].role != "objection":
                segs[i].type = "premise"
        units = []
        pid = p.id
        for i, s in enumerate(segs):
            uid = ids.unit_id(pid, s.start, s.end)
            if s.cue:
                cue, conf = s.cue, 0.7
            else:
                cue, conf = ("topic sentence" if c == 0 else "position") if i == c else "", 0.4
            units.append(Unit(uid, pid, s.type, s.text, s.start, s.end, cue, conf, i == c))
            mentions[uid] = _first_concepts(s.lemmas)
        relations = []
        family = self._family
        for i, t, rel, cue, conf in rels:
            src, dst = units[i].id, units[t].id
            relations.append(Relation(ids.relation_id(src, dst, rel), src, dst, rel, family[rel], cue, conf))
        return units, relations

    def mentions_for(self, paragraphs: list[Paragraph], units: list[Unit]) -> dict:
        """Concept lemmas per unit for units found by other means (the LLM extractor)."""
        by_par: dict[str, list[Unit]] = {}
        for u in units:
            by_par.setdefault(u.paragraph_id, []).append(u)
        mentions: dict[str, list[tuple[str, str]]] = {}
        by_lang: dict[str, list[Paragraph]] = {}
        for p in paragraphs:
            if p.id in by_par:
                by_lang.setdefault(p.lang, []).append(p)
        for lang, group in by_lang.items():
            for p, (_, toks) in zip(group, self._analyses([p.text for p in group], lang)):
                for u in by_par[p.id]:  # units from a model may overlap: filter, don't split
                    mentions[u.id] = _first_concepts(t for t in toks if u.start <= t[0] < u.end)
        return mentions

    def paragraphs_of(self, note: Note, doc_id: str) -> list[Paragraph]:
        paragraphs, seen = [], Counter()
        for index, block in enumerate(note.blocks):
            lang = self.lang if self.lang != "auto" else detect_language(block.text)
            seen[block.text] += 1
            pid = ids.paragraph_id(doc_id, block.text, seen[block.text] - 1)
            section = " / ".join(s for s in block.section if s)
            paragraphs.append(Paragraph(pid, doc_id, index, block.text, section, lang, block.kind, block.callout))
        return paragraphs

    def extract_note(self, note: Note) -> Extraction:
        doc_id = ids.document_id(note.source)
        paragraphs = self.paragraphs_of(note, doc_id)
        langs = Counter(p.lang for p in paragraphs)
        doc_lang = langs.most_common(1)[0][0] if langs else (self.lang if self.lang != "auto" else "other")
        units, relations, mentions = self.analyse(paragraphs)
        concepts: dict[str, Concept] = {}
        lang_of = {p.id: p.lang for p in paragraphs}
        for u in units:
            for lemma, surface in mentions.get(u.id, ()):
                cid = ids.concept_id(lang_of[u.paragraph_id], lemma)
                concept = concepts.get(cid)
                if concept is None:  # Russian lemmas are dictionary forms: the better label
                    label = lemma if lang_of[u.paragraph_id] == "ru" else surface.lower()
                    concept = concepts[cid] = Concept(cid, label, lemma, [])
                concept.unit_ids.append(u.id)
        for u in units:  # a definition defines the first concept it mentions
            if u.type == "definition" and mentions.get(u.id):
                cid = ids.concept_id(lang_of[u.paragraph_id], mentions[u.id][0][0])
                rt = self.schema.relation_type("defines")
                relations.append(Relation(ids.relation_id(u.id, cid, "defines"), u.id, cid, "defines",
                                          rt.family, u.cue, 0.6))
        links = [Link(doc_id, l.target, l.alias) for l in note.links]
        return Extraction(
            document=Document(doc_id, note.source, note.title, doc_lang),
            paragraphs=paragraphs,
            units=units,
            relations=relations,
            concepts=sorted(concepts.values(), key=lambda c: c.id),
            links=links,
            notes=list(note.notes),
        )

    def extract_notes(self, notes: Iterable[Note]) -> Iterator[Extraction]:
        """One Extraction per note, in order (the model extractor works ahead across notes)."""
        for note in notes:
            yield self.extract_note(note)

    def extract_text(self, text: str, source: str = "<text>", title: str | None = None) -> Extraction:
        from ..read.markdown import parse_plain

        parsed = parse_plain(text)
        return self.extract_note(Note(source, title or source, parsed.blocks, parsed.links))


@dataclass
class RunReport:
    """What happened to the inputs of a run: skipped files and per-file problems."""

    notes: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    documents: int = 0


def extract_paths(
    paths: Iterable[str], extractor: RuleExtractor | None = None, report: RunReport | None = None
) -> Iterator[Extraction]:
    """Stream one Extraction per readable file. Unreadable files are recorded in
    ``report.errors`` and the rest goes on; a missing path raises InputError."""
    extractor = extractor or RuleExtractor()
    report = report if report is not None else RunReport()

    def notes() -> Iterator[Note]:
        for path, note in iter_sources(paths):
            if path is None:
                report.notes.append(note)
                continue
            try:
                yield read_note(Path(path))
            except InputError as exc:
                report.errors.append(str(exc))

    for extraction in extractor.extract_notes(notes()):
        report.notes.extend(extraction.notes)
        report.documents += 1
        yield extraction
