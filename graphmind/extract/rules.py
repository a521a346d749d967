"""The offline extractor: segment -> features -> scores -> decode -> records.

A paragraph is cut into proposition units (``segment``); each unit and each ordered pair of
units is described by named features (``features``); fitted log-linear models turn them into
probabilities — which unit is the central claim, what each unit attaches to, whether it
attacks, whether it voices the opponent, what rhetorical type it has (``scorer``); and one tree
per paragraph, rooted at the central claim, is decoded from those scores (``decode``). Unit
types, roles and relation types follow from the tree and the cues. Paragraph trees are then
joined into one tree per document (``document``).

The class keeps its historical name, ``RuleExtractor``: it is the offline default.
"""

from __future__ import annotations

import math
import re
from bisect import bisect_left
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Iterable, Iterator

import numpy as np

from .. import ids
from ..exceptions import DocumentFailed, GraphMindError, InputError
from ..lang import detect_language, language_data
from ..model import Concept, Document, Extraction, Link, Paragraph, Relation, Unit
from ..read import Note, iter_sources, read_note
from ..read.markdown import NEST_INDENT
from ..schema import load_schema
from .cues import STRICT_TYPES, Cues, compile_cues
from .decode import decode, decode_large
from .document import DocumentTree
from .features import UnitInfo, describe, pair_matrix, unit_matrix
from .images import lexicon, read_images, verb_reader
from .morph import morphology
from .nlp import load_pipeline
from .scorer import TREE_MAX_UNITS, TYPE_CLASSES, Weights, _sigmoid, default_weights, edge_scores, logit, score
from .segment import Segmenter, Span

MAX_CONCEPTS_PER_UNIT = 6
#: image constructions that make their unit a metaphor whatever the type model says of an
#: argument unit (it is too rare in the corpus to learn it): «память — это река», "as if …"
IMAGE_UNIT = frozenset({"copular", "simile"})
_SENTENCE_END = re.compile(r"(?<=[.!?…])\s+")


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


@dataclass
class Parsed:
    """The analysis of one paragraph, before it becomes records."""

    infos: list[UnitInfo]
    parent: list[int]
    attack: list[bool]
    types: list[str]
    roles: list[str]
    central: int
    unit_conf: list[float]
    rel_conf: list[float]
    type_cue: list[str] = field(default_factory=list)


def _depth(text: str, start: int) -> int:
    """The nesting depth of the list line that holds ``start``: its indentation in two-space
    levels (the reader indents a nested item's line by ``NEST_INDENT`` per level)."""
    line = text.rfind("\n", 0, start) + 1
    if line == 0:
        return 0
    k = line
    while k < start and text[k] == " ":
        k += 1
    return (k - line) // len(NEST_INDENT)


def analyse_units(text: str, spans: list[Span], toks: list, cues: Cues, morph,
                  emphasis: list[int] = ()) -> tuple[list[UnitInfo], np.ndarray, np.ndarray]:
    """Unit descriptions and feature matrices for given spans (predicted or gold)."""
    infos = [UnitInfo(s.start, s.end, s.sentence, s.first_in_sentence, s.line, _depth(text, s.start)) for s in spans]
    k, n = 0, len(toks)
    for u in infos:  # tokens are sorted by offset: give each unit its run of them
        while k < n and toks[k][0] < u.start:
            k += 1
        j = k
        while j < n and toks[j][0] < u.end:
            j += 1
        u.lemmas = frozenset(t[1] for t in toks[k:j])
        k = j
    if emphasis:
        pairs = list(zip(emphasis[0::2], emphasis[1::2]))
        for u in infos:
            covered = sum(max(0, min(b, u.end) - max(a, u.start)) for a, b in pairs)
            u.emphasis = covered >= 0.5 * (u.end - u.start)
    describe(text, infos, cues, morph)
    for u in infos:
        found, u.concrete = read_images(text, u.start, u.end, u.found, cues.lang)
        u.images = [(a, b) for a, b, _ in found]
        # the type model reads the constructions; a word read as a conventional metaphor on its
        # own ("lexical": "prices climb") is kept among the unit's image words but types nothing
        u.image_kinds = frozenset(k for _, _, k in found if k != "lexical")
        u.image = bool(u.image_kinds)
        if u.definition_frame and _names_a_thing(*u.definition_frame, cues.lang):
            u.definition_frame = ()  # «Метафора — это мост»: an idea said to be a thing is an image, not a definition
    return infos, unit_matrix(text, infos), pair_matrix(infos)


ANSWERED_CONCESSIONS = True  # off only to measure what the rule does
#: how concrete a definition's predicate noun must be, and its subject not, for "X is Y" to
#: name a thing for an idea (an image) rather than say what X is
THING, IDEA = 0.8, 0.6


def _names_a_thing(subject: str, predicate: str, lang: str) -> bool:
    """Whether "subject is predicate" says an idea is a thing («Метафора — это мост»), not what
    kind of thing it is («Токен — это кусок слова»: a genus word is no image)."""
    lang = lang if lang in ("en", "ru") else "en"
    lex = lexicon(lang)
    genus = _genus(lang)
    if predicate.lower() in genus or lex.verb_lemma(predicate.lower()) in genus:  # (Russian: the form's first lemma)
        return False
    s, p = lex.word(subject).noun, lex.word(predicate).noun
    return s is not None and p is not None and p[1] >= THING and s[1] < IDEA


@lru_cache(maxsize=None)
def _genus(lang: str) -> frozenset:
    return frozenset(getattr(language_data(lang), "DEFINITION_GENUS", ()))


def _answered_concessions(infos: list[UnitInfo], parent: list[int], attack: list[bool], order: list[int]) -> None:
    """"X, but Y": a unit opening with a contrast ("but", "however", «но», «однако») that
    attacks a unit is the author's answer to it, so what it answers is a consideration the
    author grants, not the author's own reason: a unit that supported its parent and is
    answered so attacks its parent instead (the concession of the annotation scheme). Then the
    roles read off the tree give the answer to the author and the granted point to the other
    side, instead of marking the author's own answer as the opponent's. Top-down, so an
    answer to an answer is seen with its parent's final relation. When the unit answered is
    the central claim, the answer takes its place (once): the central claim was the point
    granted.

    Measured (shipped weights): relation F1 and central accuracy move by at most 0.004 on the
    corpus and on microtexts; in the fixture notes and examples, units opening with a contrast
    voiced as the opponent went from 5 of 30 to 0."""
    swapped = False
    for i in order:
        p = parent[i]
        if p < 0 or not attack[i] or "contrast" not in infos[i].opening:
            continue
        if parent[p] >= 0 and not attack[p]:
            attack[p] = True
        elif parent[p] < 0 and not swapped:  # the central claim was the granted point
            parent[i], parent[p], attack[i], attack[p] = -1, i, False, True
            swapped = True


ANSWERED_OBJECTIONS = True  # off only to measure what the rule does


def _answers_to_objections(infos: list[UnitInfo], parent: list[int], attack: list[bool]) -> None:
    """"Of course X. But Y.": a unit opening with a contrast that the tree hangs as a support
    of the very unit that the unit just before it attacks answers that attack — it attacks
    the unit before it (the author's rebuttal) instead of repeating the support beside it."""
    for i in range(1, len(infos)):
        p, j = parent[i], i - 1
        if p >= 0 and not attack[i] and "contrast" in infos[i].opening and parent[j] == p and attack[j]:
            parent[i], attack[i] = j, True


UNANSWERED_QUESTIONS = True  # off only to measure what the rule does


def _unanswered_question(infos: list[UnitInfo], parent: list[int], attack: list[bool]) -> None:
    """"I can't focus for long. Is my attention span broken?": an answer comes after its
    question, so a paragraph that ends in its questions, the first hung on the central claim
    before it, asks and does not answer: the first question is the paragraph's central unit
    (GUIDELINES section 3), which what came before it supports — a chat turn that gives its
    context, then asks. Only a question that is a sentence of its own and not a quotation
    ("asking 'and then what?'", "Easy to check: …?"); a question with a statement after it is
    left to the parser (in an argument it is mostly rhetorical)."""
    c = parent.index(-1)
    asked = [q for q, u in enumerate(infos) if u.question]
    if not asked or asked[0] <= c:
        return  # no question, or the paragraph asked one before its central claim
    q = asked[0]
    if all(u.question for u in infos[q:]) and infos[q].first_in_sentence and not infos[q].quoted \
            and parent[q] == c:
        parent[q], parent[c], attack[q], attack[c] = -1, q, False, False


def _users_question(infos: list[UnitInfo], parent: list[int], attack: list[bool]) -> None:
    """A user's turn in a chat asks; it does not answer itself ("How do I protect a block of
    time? I work in an open office."): its first question (a sentence of its own, not a
    quotation) is the paragraph's central unit (GUIDELINES section 3), and what was central
    hangs on it — the context the question is asked in. Unless what was central is a view the
    user states as theirs ("What is a metaphor, then? I think metaphors only get in the way."):
    then the user argues, and the question leads up to the view. Re-rooting at a unit of the
    tree keeps it a tree: the units between the two still lead up to the old central unit,
    which leads to the question. Nothing the user says around their own question attacks it
    («Хорошо, допустим. Как посчитать …?»: granting the last answer leads up to the next question)."""
    c = parent.index(-1)
    q = next((k for k, u in enumerate(infos) if u.question and u.first_in_sentence and not u.quoted), None)
    if q is None or "opinion" in infos[c].opening:
        return
    if q != c:
        parent[q], parent[c], attack[q], attack[c] = -1, q, False, False
    for i, p in enumerate(parent):
        if p == q:  # «Хорошо, допустим. Как посчитать …?»: what leads up to one's own question does not attack it
            attack[i] = False


def parse(infos: list[UnitInfo], X: np.ndarray, P: np.ndarray, weights: Weights, user: bool = False) -> Parsed:
    """Decode one tree from the scores and read types and roles off it. ``user``: the paragraph
    is a user's turn in a chat export (which asks)."""
    n = len(infos)
    s = score(weights, X, P)
    edge, root, is_attack = edge_scores(weights, s)
    # a long block (a list cut into blocks) is decoded in O(n²); the trees are the same but for
    # a choice between trees of exactly equal score
    parent = decode(edge, root) if n <= TREE_MAX_UNITS else decode_large(edge, root)
    c = parent.index(-1)
    attack = [bool(parent[i] >= 0 and is_attack[i][parent[i]]) for i in range(n)]
    order = _top_down(parent, c)
    if ANSWERED_OBJECTIONS:
        _answers_to_objections(infos, parent, attack)
    if ANSWERED_CONCESSIONS:
        _answered_concessions(infos, parent, attack, order)
        c = parent.index(-1)
        order = _top_down(parent, c)
    if UNANSWERED_QUESTIONS:
        _unanswered_question(infos, parent, attack)
        if user:
            _users_question(infos, parent, attack)
        c = parent.index(-1)
        order = _top_down(parent, c)
    roles = ["pro"] * n
    for i in order[1:]:
        roles[i] = roles[parent[i]] if not attack[i] else ("opp" if roles[parent[i]] == "pro" else "pro")
    types, type_cue, unit_conf, rel_conf = [], [], [], []
    has_earlier_child = {parent[i] for i in range(n) if 0 <= parent[i] and i < parent[i] and not attack[i]}
    for i, u in enumerate(infos):
        k = int(np.argmax(s.types[i]))
        kind = TYPE_CLASSES[k]
        strict = next((t for cls, t in STRICT_TYPES.items() if cls in u.found), None)
        if strict and kind in ("argument", "definition", "example", "analogy"):
            kind = strict
        if kind == "definition" and u.defines_nothing:
            kind = "argument"  # "… what "it" refers to.": the cue ends the clause, nothing is defined
        if kind == "argument" and u.image_kinds & IMAGE_UNIT:
            kind = "metaphor"  # an abstract thing said to be, or compared to, a concrete one
        elif kind == "argument" and u.definition_frame and not {"evaluative", "normative"} & u.found.keys():
            kind = "definition"  # "An embedding is a list of numbers that …": what its subject is (not how good)
        if u.question:
            types.append("question")
            type_cue.append("?")
        elif kind != "argument":
            types.append(kind)
            type_cue.append(_type_cue(u, kind))
        elif i == c:
            concl = "conclusion" in u.opening or "conclusion" in u.found or (i == n - 1 and i in has_earlier_child
                                                                              and n > 2)
            types.append("conclusion" if concl else "claim")
            type_cue.append(u.cue if concl and u.cue else "")
        else:
            types.append("premise")
            type_cue.append("")
        unit_conf.append(float(s.central[i]) if i == c else float(s.types[i].max()))
        if parent[i] >= 0:
            pf = s.attack[i] if attack[i] else 1 - s.attack[i]
            rel_conf.append(float(s.attach[i, parent[i]] * pf))
        else:
            rel_conf.append(0.0)
    cal = weights.calibration
    if cal:  # Platt scaling of the relation confidences, fitted out of fold by `graphmind train`
        scaled = _sigmoid(cal["scale"] * logit(np.array(rel_conf)) + cal["shift"])
        rel_conf = [float(x) if parent[i] >= 0 else 0.0 for i, x in enumerate(scaled)]
    return Parsed(infos, parent, attack, types, roles, c, unit_conf, rel_conf, type_cue)


def _type_cue(u: UnitInfo, kind: str) -> str:
    for cls in {"metaphor": ("simile", "analogy", "copula"), "analogy": ("strict_analogy", "analogy", "simile"),
                "definition": ("strict_definition", "definition", "copula"),
                "example": ("strict_example", "example")}[kind]:
        if cls in u.found:
            return " ".join(u.found[cls].group(0).lower().split())
    if kind == "example" and "example" in u.opening:
        return u.cue
    return "image" if kind == "metaphor" and u.image else ""


def _top_down(parent: list[int], root: int) -> list[int]:
    children: dict[int, list[int]] = {}
    for i, p in enumerate(parent):
        if p >= 0:
            children.setdefault(p, []).append(i)
    order, stack = [], [root]
    while stack:
        v = stack.pop()
        order.append(v)
        stack.extend(reversed(children.get(v, [])))
    return order


def relation_type(source_type: str, attack: bool, backward: bool = False) -> str:
    """The GraphMind relation a tree edge becomes (``answers`` is turned around by the caller).
    ``backward``: the edge goes to an earlier unit. An answer comes after its question, so a
    question hung on what came before it is not answered by it: it asks on that unit's side
    (a rhetorical question, a chat turn's question after its context) and supports it."""
    if attack:
        return "attacks"
    if source_type == "question":
        return "supports" if backward else "answers"
    return {"example": "illustrates", "metaphor": "carries", "analogy": "carries"}.get(source_type, "supports")


class RuleExtractor:
    """Extract units, relations and concepts from paragraphs, offline.

    ``lang``: ``auto`` (detect per paragraph) or a fixed language code.
    ``trained``: use a trained spaCy pipeline when one is installed.
    ``max_chars``: longest text given to spaCy at once; longer paragraphs are split at
    sentence boundaries first (defaults to the pipeline's ``max_length``).
    ``weights``: parser weights for every language (default: the ones shipped per language).
    """

    name = "rules"

    def __init__(self, lang: str = "auto", trained: bool = True, max_chars: int | None = None,
                 weights: Weights | None = None):
        self.lang = lang
        self.trained = trained
        self.max_chars = max_chars
        self.weights = weights
        self.schema = load_schema()
        self._family = {name: rt.family for name, rt in self.schema.relation_types.items()}

    def weights_for(self, lang: str) -> Weights:
        return self.weights or default_weights(lang)

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

        Token attributes are read in bulk with ``Doc.to_array``; what a word form gives (its
        lemma, or nothing for a stop word) is worked out once per form (``morph``)."""
        from spacy.attrs import IDX, IS_ALPHA, IS_STOP, LENGTH, LOWER, POS, SENT_START

        nlp = self.nlp(lang)
        limit = min(self.max_chars or nlp.max_length, nlp.max_length)
        jobs: list[tuple[int, int, str]] = []  # (text index, offset, piece)
        for i, text in enumerate(texts):
            for offset, piece in self._chunks(text, limit):
                jobs.append((i, offset, piece))
        results: list[tuple[list, list]] = [([], []) for _ in texts]
        concept_of = self._concept_lemma(lang, nlp)
        has_pos = nlp.has_pipe("tagger") or nlp.has_pipe("morphologizer")
        attrs = [IDX, LENGTH, IS_ALPHA, IS_STOP, SENT_START, LOWER, POS]
        noun, propn = nlp.vocab.strings["NOUN"], nlp.vocab.strings["PROPN"]
        strings = nlp.vocab.strings
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
                mask &= (arr[:, 6] == noun) | (arr[:, 6] == propn)
            cand = arr[mask]
            for start, length, low in zip(cand[:, 0].tolist(), cand[:, 1].tolist(), cand[:, 5].tolist()):
                surface = piece[start:start + length]
                found = concept_of(surface, strings[low])
                if found is not None:
                    toks.append((start + offset, found, surface))
        return iter(results)

    def _concept_lemma(self, lang: str, nlp):
        """A function (surface, lower) -> the concept lemma of a word form, or None (a stop
        word, or for Russian not a noun)."""
        stop_extra = compile_cues(lang).stopwords if lang in ("en", "ru") else frozenset()
        morph = morphology(lang)
        memo: dict[str, str | None] = {}

        def concept(surface: str, lower: str) -> str | None:
            found = memo.get(lower, memo)
            if found is not memo:
                return found
            form = morph.form(lower)
            lemma = form.lemma
            if lemma in stop_extra or lower in stop_extra or (lang == "ru" and form.pos not in ("NOUN", "")):
                found = None
            else:
                found = lemma
            if len(memo) < 200_000:
                memo[lower] = found
            return found

        return concept

    # -- paragraphs and documents -------------------------------------------------
    def analyse(self, paragraphs: list[Paragraph]) -> tuple[list[Unit], list[Relation], dict]:
        """Units, relations and per-unit concept lemmas for paragraphs (any languages)."""
        mentions: dict[str, list[tuple[str, str]]] = {}
        by_lang: dict[str, list[Paragraph]] = {}
        for p in paragraphs:
            by_lang.setdefault(p.lang, []).append(p)
        out: dict[str, tuple[list[Unit], list[Relation]]] = {}
        for lang, group in by_lang.items():
            cue_lang = lang if lang in ("en", "ru") else "en"
            cues = compile_cues(cue_lang)
            morph = morphology(cue_lang)
            segmenter = Segmenter(cues, morph, verb_reader(cue_lang))
            weights = self.weights_for(cue_lang)
            for p, (sents, toks) in zip(group, self._analyses([p.text for p in group], lang)):
                out[p.id] = self._paragraph(p, sents, toks, cues, morph, segmenter, weights, mentions)
        units: list[Unit] = []
        relations: list[Relation] = []
        for p in paragraphs:
            pu, pr = out[p.id]
            units.extend(pu)
            relations.extend(pr)
        return units, relations, mentions

    def _paragraph(self, p: Paragraph, sents, toks, cues, morph, segmenter, weights, mentions):
        if p.kind == "heading" and (not segmenter.is_proposition(p.text, 0, len(p.text)) or (
                cues.topic_heading.match(p.text) and not p.text.rstrip().endswith("?"))):
            return [], []  # a heading that states nothing ("How a model reads text") is a theme, not a unit
        spans = segmenter.split(p.text, sents, lines_only=p.kind == "table")
        if not spans:
            return [], []
        infos, X, P = analyse_units(p.text, spans, toks, cues, morph, p.emphasis)
        parsed = parse(infos, X, P, weights, user=p.speaker == "user")
        units = []
        pid = p.id
        offsets = [t[0] for t in toks]  # sorted: each unit's tokens are one run of them
        for i, u in enumerate(infos):
            uid = ids.unit_id(pid, u.start, u.end)
            cue = parsed.type_cue[i] or u.cue
            units.append(Unit(uid, pid, parsed.types[i], p.text[u.start:u.end], u.start, u.end, cue,
                              round(parsed.unit_conf[i], 3), i == parsed.central, parsed.roles[i],
                              [x for span in u.images for x in span]))
            mentions[uid] = _first_concepts(toks[bisect_left(offsets, u.start):bisect_left(offsets, u.end)])
        relations = []
        family = self._family
        for i, t in enumerate(parsed.parent):
            if t < 0:
                continue
            rel = relation_type(parsed.types[i], parsed.attack[i], t < i)
            src, dst = (units[t].id, units[i].id) if rel == "answers" else (units[i].id, units[t].id)
            relations.append(Relation(ids.relation_id(src, dst, rel), src, dst, rel, family[rel],
                                      infos[i].cue, round(parsed.rel_conf[i], 3)))
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
            paragraphs.append(Paragraph(pid, doc_id, index, block.text, section, lang, block.kind, block.callout,
                                        getattr(block, "speaker", None), getattr(block, "turn", None),
                                        getattr(block, "timestamp", None), list(getattr(block, "emphasis", ()) or ())))
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
        tree, root = DocumentTree(self._family).build(paragraphs, units, mentions)
        relations.extend(tree)
        for u in units:  # a definition defines the first concept it mentions
            if u.type == "definition" and mentions.get(u.id):
                cid = ids.concept_id(lang_of[u.paragraph_id], mentions[u.id][0][0])
                rt = self.schema.relation_type("defines")
                relations.append(Relation(ids.relation_id(u.id, cid, "defines"), u.id, cid, "defines",
                                          rt.family, u.cue, 0.6))
        links = [Link(doc_id, l.target, l.alias) for l in note.links]
        return Extraction(
            document=Document(doc_id, note.source, note.title, doc_lang, root),
            paragraphs=paragraphs,
            units=units,
            relations=relations,
            concepts=sorted(concepts.values(), key=lambda c: c.id),
            links=links,
            notes=list(note.notes),
        )

    def parse_text(self, text: str, lang: str = "auto", source: str = "<text>") -> tuple[Paragraph, list[Unit],
                                                                                        list[Relation]]:
        """One paragraph's units and relations, the text taken exactly as given (no reading):
        offsets index ``text`` itself. For evaluation against gold offsets."""
        if lang == "auto":
            lang = self.lang if self.lang != "auto" else detect_language(text)
        doc_id = ids.document_id(source)
        p = Paragraph(ids.paragraph_id(doc_id, text, 0), doc_id, 0, text, "", lang)
        units, relations, _ = self.analyse([p])
        return p, units, relations

    def extract_notes(self, notes: Iterable[Note]) -> Iterator[Extraction | DocumentFailed]:
        """One Extraction per note, in order (the model extractor works ahead across notes);
        a note that could not be extracted gives a DocumentFailed instead."""
        for note in notes:
            yield self.extract_or_error(note)

    def document_failed(self, extraction: Extraction) -> str | None:
        """Why the extraction just made is no extraction at all (the model extractor: every
        paragraph failed), or None."""
        return None

    def extract_or_error(self, note: Note) -> Extraction | DocumentFailed:
        """``extract_note``, with what goes wrong confined to the note: a document whose
        extraction failed, or an unexpected error on this one note, comes back as a
        DocumentFailed (one line for the run's errors) and the next note goes on. Errors of
        the whole run (a refused API key, a bad setting) still stop it."""
        try:
            extraction = self.extract_note(note)
        except DocumentFailed as exc:
            return exc
        except GraphMindError:
            raise
        except Exception as exc:  # noqa: BLE001 - one hostile note must not end the run
            detail = " ".join(str(exc).split())[:160]
            return DocumentFailed(f"{note.source}: could not be analysed ({type(exc).__name__}"
                                  f"{': ' + detail if detail else ''}); skipped, please report this")
        why = self.document_failed(extraction)
        return DocumentFailed(f"{note.source}: {why}; not stored (a stored version is kept as it was)") if why \
            else extraction

    def extract_text(self, text: str, source: str = "<text>", title: str | None = None) -> Extraction:
        from ..read.markdown import parse_plain

        parsed = parse_plain(text)
        return self.extract_note(Note(source, title or source, parsed.blocks, parsed.links))


@dataclass
class RunReport:
    """What happened to the inputs of a run: skipped files, per-file problems, and what the
    reader left out of the notes (and why), counted over the run."""

    notes: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    documents: int = 0
    left_out: Counter = field(default_factory=Counter)

    def left_out_line(self) -> str | None:
        if not self.left_out:
            return None
        return "left out of the notes: " + ", ".join(f"{n:,} {what}" for what, n in sorted(self.left_out.items()))


def extract_paths(
    paths: Iterable[str], extractor: RuleExtractor | None = None, report: RunReport | None = None,
    input_format: str = "auto",
) -> Iterator[Extraction]:
    """Stream one Extraction per readable file. Unreadable files are recorded in
    ``report.errors`` and the rest goes on; a missing path raises InputError.
    ``input_format``: ``auto`` (Markdown when the content is Markdown), ``markdown`` or ``text``."""
    extractor = extractor or RuleExtractor()
    report = report if report is not None else RunReport()

    def notes() -> Iterator[Note]:
        for path, note in iter_sources(paths):
            if path is None:
                report.notes.append(note)
                continue
            try:
                parsed = read_note(Path(path), input_format)
            except InputError as exc:
                report.errors.append(str(exc))
                continue
            report.left_out.update(parsed.skipped)
            yield parsed

    for extraction in extractor.extract_notes(notes()):
        if isinstance(extraction, DocumentFailed):
            report.errors.append(str(extraction))
            continue
        report.notes.extend(extraction.notes)
        report.documents += 1
        yield extraction
