"""Images: where a unit speaks of an idea through a concrete thing.

An image is a word whose basic meaning is concrete or physical put to work on an abstract one
(the Metaphor Identification Procedure's contrast between a basic and a contextual meaning,
read off a lexicon). Concreteness comes from data built by ``scripts/build_lexicons.py``:

- English: ``graphmind/lang/en/concreteness.tsv`` (WordNet 3.0 supersenses). Per lemma and part
  of speech, ``c`` — how concrete its usual senses are — and ``b`` — how concrete its basic
  sense is ("burden": usually a worry, basically a load);
- Russian: ``graphmind/lang/ru/concreteness.tsv`` (an abstract-concrete axis in the navec
  vectors, fitted on the hand lists of ``graphmind.lang.ru``); one probability per lemma.

The hand lists of the language data give roles over the lexicon: ``CONCRETE_NOUNS`` and
``PHYSICAL_VERBS`` are sources of images, never the abstract side; ``ABSTRACT_NOUNS`` and
``ABSTRACT_VERBS`` the reverse; ``PHYSICAL_ADJECTIVES`` (weight, heat, taste, light, texture) are
the only physical adjectives (WordNet has no adjective supersenses). ``LIGHT_VERBS`` and
``IMAGE_STOPWORDS`` never count as images, ``TIME_NOUNS`` and (Russian) animate nouns never as
the abstract side; a word the lexicon lacks is abstract when it ends in an abstract suffix
(-ness, -tion, «-ость», «-ние»). Thresholds are language data too (``IMAGE_THRESHOLDS``, chosen
on the project's own corpus by ``scripts/choose_image_thresholds.py``).

An image word is marked when it stands in one of these constructions with an abstract word:

- copular: an abstract subject, a concrete predicate noun ("attention is a garden",
  «память — это река», «память — не архив, а мастерская»);
- genitive: a concrete noun governing an abstract one ("the weight of tradition", "the
  model's breath", «горизонт дыхания модели»);
- modifier: a physical adjective on an abstract noun ("bitter truth", «горькая правда»), or
  said of it ("the idea was frozen"). (An abstract noun or relational adjective on a concrete
  one — "tax burden", «налоговое бремя» — is left out: most such compounds are literal, "tax
  office", «налоговая инспекция».)
- a physical verb whose subject or object is abstract ("poverty grips", «идея пустила корни»);
- a simile: the concrete nouns after "like a", "as if", "works like", «словно», «будто»,
  «всё равно что», a bare "like"/«как» + noun.

Beside the constructions, a word-level model reads conventional metaphors, the ones nobody
notices ("prices climb", "the burden of debt", «глубокий кризис»): a logistic regression over
how concrete a content word's usual and basic senses are and how abstract its partners (subject,
object, governed noun, the noun it qualifies) and its unit are (``LEXICAL_FEATURES``), fitted
by ``scripts/fit_metaphor.py`` on the project's own labelled sentences and words of real prose,
and shipped as data
(``graphmind/lang/<code>/metaphor.json``). Only a word with something abstract to be said of is
a candidate (an abstract partner; for a verb, an abstract noun in its unit); people, times and
words the lexicon lacks never are. Its marks (construction ``lexical``) are image words of the
unit, but they do not make the unit a metaphor: the type model reads the constructions only.

English parts of speech come from the words around (a determiner, "to", a copula) and else
from the most frequent reading in SemCor (the lexicon's ``prior``); Russian ones, cases and
animacy from pymorphy3. ``read_images`` returns a unit's image words with their construction
and the share of its nouns that name concrete things. Everything is a dictionary lookup,
remembered per word form.
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from ..lang import language_data
from .cues import Cues

_WORD = re.compile(r"\w+(?:[-'’]\w+)*")
_BREAK = re.compile(r"[,;:.!?()\[\]\"«»“”]|\s[—–-]\s")
_DASH = re.compile(r"[—–]|\s-\s")
_LANG_DIR = Path(__file__).resolve().parent.parent / "lang"
MEMO_LIMIT = 200_000
CONCRETE_USUAL = 0.8  # a noun whose usual senses are this concrete names a thing
WINDOW = 3

# English inflections, WordNet's "morphy" detachment rules: (suffix, replacement)
_DETACH = {
    "n": (("s", ""), ("ses", "s"), ("xes", "x"), ("zes", "z"), ("ches", "ch"), ("shes", "sh"),
          ("men", "man"), ("ies", "y")),
    "v": (("s", ""), ("ies", "y"), ("es", "e"), ("es", ""), ("ed", "e"), ("ed", ""), ("ing", "e"),
          ("ing", "")),
    "a": (("er", ""), ("est", ""), ("er", "e"), ("est", "e")),
}
_RU_POS = {"NOUN": "n", "INFN": "v", "VERB": "v", "PRTF": "v", "PRTS": "v", "GRND": "v", "ADJF": "a",
           "ADJS": "a", "COMP": "a"}


@dataclass(frozen=True, slots=True)
class Word:
    """What the image finder knows of a word form: per part of speech (c, b) or None."""

    noun: tuple | None = None
    verb: tuple | None = None
    adj: tuple | None = None
    kind: str = ""  # a function-word class: det, prep, pron, aux, conj, part, neg, rel, adv
    cases: frozenset = frozenset()  # Russian: the cases the noun reading can be in
    pos: str = ""  # Russian: the best parse's part of speech (n, v, a, or '')
    light: bool = False  # a delexicalised verb or a stop noun
    general: bool = False  # a stop noun ("thing", «вещь»): on neither side of an image
    suffix_abstract: bool = False  # not in the lexicon but ends in an abstract suffix
    agent: bool = False  # a time word, or (Russian) an animate noun: not the abstract side
    time: bool = False  # a word of time
    inf: bool = False  # Russian: an infinitive
    prior: str = ""  # English: its parts of speech, most frequent first (n, v, a, r)


def _cell(text: str) -> tuple | None:
    if not text:
        return None
    parts = text.split()
    c = float(parts[0])
    return (c, float(parts[1]) if len(parts) > 1 else c)


@lru_cache(maxsize=None)
def _table(lang: str) -> dict[str, str]:
    """lemma -> the rest of its line (cells parsed on demand)."""
    path = _LANG_DIR / lang / "concreteness.tsv"
    out: dict[str, str] = {}
    try:
        text = path.read_text(encoding="utf-8")
    except OSError:  # no lexicon: the hand lists and suffixes still work
        return out
    for line in text.splitlines():
        if line and line[0] != "#":
            lemma, _, rest = line.partition("\t")
            if lang == "ru":  # lemma, pos, p: several lines per lemma
                pos, _, p = rest.partition("\t")
                out[f"{lemma}\t{pos}"] = p
            else:
                out[lemma] = rest
    return out


@lru_cache(maxsize=None)
def _irregular(lang: str) -> dict[tuple[str, str], str]:
    path = _LANG_DIR / lang / "lemmas.tsv"
    out: dict[tuple[str, str], str] = {}
    if path.exists():
        for line in path.read_text(encoding="utf-8").splitlines():
            if line and line[0] != "#":
                form, pos, lemma = line.split("\t")
                out[(form, pos)] = lemma
    return out


class Lexicon:
    """Concreteness of word forms for one language, with the hand lists applied."""

    def __init__(self, lang: str, morph=None):
        d = language_data(lang)
        self.lang = lang
        self.morph = morph
        self.table = _table(lang)
        self.irregular = _irregular(lang)
        self.thresholds = dict(getattr(d, "IMAGE_THRESHOLDS", {}))
        self.suffixes = tuple(d.ABSTRACT_SUFFIXES)
        self.suffix_shift = float(getattr(d, "ABSTRACT_SUFFIX_SHIFT", 0.0))
        lists = {
            "n": (getattr(d, "CONCRETE_NOUNS", ()), getattr(d, "ABSTRACT_NOUNS", ())),
            "v": (getattr(d, "PHYSICAL_VERBS", ()), getattr(d, "ABSTRACT_VERBS", ())),
            "a": (getattr(d, "PHYSICAL_ADJECTIVES", ()), ()),
        }
        # the hand lists give roles: a concrete word can be a source (b = 1), an abstract one
        # is abstract in context (c = 0); the lexicon keeps the other number
        self.raise_b = {(w.lower(), pos) for pos, (concrete, _) in lists.items() for w in concrete}
        self.lower_c = {(w.lower(), pos) for pos, (_, abstract) in lists.items() for w in abstract}
        self.listed = frozenset(w for w, pos in self.raise_b | self.lower_c if pos == "n")
        self.light = frozenset(w.lower() for w in getattr(d, "LIGHT_VERBS", ()))
        self.stop = frozenset(w.lower() for w in getattr(d, "IMAGE_STOPWORDS", ()))
        self.time = frozenset(w.lower() for w in getattr(d, "TIME_NOUNS", ()))
        self.kinds: dict[str, str] = {}
        for kind, attr in (("det", "DETERMINERS"), ("prep", "PREPOSITIONS"), ("pron", "PRONOUNS"),
                           ("obj", "OBJECT_PRONOUNS"),
                           ("aux", "AUXILIARIES"), ("rel", "RELATIVES"), ("part", "PARTICLES"),
                           ("neg", "NEGATIONS"), ("conj", "CONJUNCTIONS")):
            for w in getattr(d, attr, ()):
                self.kinds.setdefault(w.lower(), kind)
        self.memo: dict[str, Word] = {}

    # -- lookups --------------------------------------------------------------------------
    def word(self, form: str) -> Word:
        low = form.lower()
        found = self.memo.get(low)
        if found is None:
            found = self._ru(low) if self.lang == "ru" else self._en(low)
            if len(self.memo) < MEMO_LIMIT:
                self.memo[low] = found
        return found

    def verb_lemma(self, form: str) -> str:
        """The infinitive of a Russian verb form (the form itself elsewhere)."""
        if self.lang == "ru" and self.morph is not None:
            parses = self.morph.parses(form)
            if parses:
                return parses[0].normal_form
        return form

    def _prior(self, lemma: str) -> str:
        row = self.table.get(lemma)
        cells = row.split("\t") if row is not None else ()
        return cells[3] if len(cells) > 3 else ""

    def _scores(self, lemma: str, pos: str) -> tuple | None:
        if self.lang == "ru":
            p = self.table.get(f"{lemma}\t{pos}")
            found = None if p is None else (float(p), float(p))
        else:
            row = self.table.get(lemma)
            cells = row.split("\t") if row is not None else ()
            found = _cell(cells["nva".index(pos)]) if len(cells) >= 3 else None
        key = (lemma, pos)
        if found is not None and self.suffix_shift and pos == "n" and len(lemma) >= 6 and lemma.endswith(self.suffixes):
            # an abstract suffix («частота», «-ость», «-ние») counts against the noun being concrete
            found = (max(found[0] - self.suffix_shift, 0.0), max(found[1] - self.suffix_shift, 0.0))
        if key in self.raise_b:  # a source, never the abstract side (an adjective: always physical)
            found = (max(found[0], 0.5) if found is not None and pos != "a" else 1.0, 1.0)
        if key in self.lower_c:  # abstract, never a source
            found = (0.0, min(found[1], 0.5) if found is not None else 0.0)
        return found

    def _known(self, lemma: str, pos: str) -> bool:
        return (lemma, pos) in self.raise_b or (lemma, pos) in self.lower_c or self._scores(lemma, pos) is not None

    def _en_lemma(self, low: str, pos: str) -> str | None:
        """WordNet's morphy: the form itself, an irregular form, or a detached suffix."""
        if self._known(low, pos):
            return low
        irregular = self.irregular.get((low, pos))
        if irregular is not None:
            return irregular
        return self._en_lemma_detached(low, pos)

    def _en_lemma_detached(self, low: str, pos: str) -> str | None:
        for suffix, repl in _DETACH[pos]:
            if low.endswith(suffix) and len(low) - len(suffix) >= 2:
                cand = low[: len(low) - len(suffix)] + repl
                if self._known(cand, pos):
                    return cand
        return None

    def _en(self, low: str) -> Word:
        kind = self.kinds.get(low, "")
        if kind or low.isdigit() or len(low) < 2:
            return Word(kind=kind or "other")
        if low.endswith("ly") and len(low) > 4 and self._en_lemma(low, "a") is None:
            return Word(kind="adv")
        found = {}
        for pos in "nva":
            lemma = self._en_lemma(low, pos)
            if lemma is not None:
                scores = self._scores(lemma, pos)
                if lemma == low and pos == "n":  # "roots", "hands": the plural has its own senses,
                    base = self._en_lemma_detached(low, pos)  # the singular keeps the basic one
                    other = self._scores(base, pos) if base else None
                    if other is not None and scores is not None:
                        scores = (scores[0], max(scores[1], other[1]))
                found[pos] = (scores, lemma)
        noun, verb, adj = (found.get(p, (None, None)) for p in "nva")
        general = bool(noun[1]) and (noun[1] in self.stop or (self._en_lemma_detached(low, "n") or "") in self.stop)
        light = ((verb[1] in self.light if verb[1] else False) or (noun[1] in self.stop if noun[1] else False)
                 or (adj[1] in self.stop if adj[1] else False))
        suffix = not found and len(low) >= 6 and low.endswith(self.suffixes)
        time = noun[1] in self.time
        prior = self._prior(low) or next((self._prior(lemma) for _, lemma in found.values()), "")
        return Word(noun[0], verb[0], adj[0], light=light, suffix_abstract=suffix, agent=time, time=time,
                    prior=prior, general=general)

    def _ru(self, low: str) -> Word:
        parses = self.morph.parses(low) if self.morph is not None else []
        if not parses:
            return Word(kind="other")
        best = parses[0]
        if best.normal_form not in self.listed:  # «горе», not «гора»; «правда», not the particle
            best = next((p for p in parses if p.tag.POS == "NOUN" and p.normal_form in self.listed), best)
        tag = str(best.tag.POS or "")
        kind = {"PREP": "prep", "CONJ": "conj", "PRCL": "part", "NPRO": "pron", "ADVB": "adv",
                "INTJ": "other", "NUMR": "other", "PRED": "adv"}.get(tag, "")
        if low in self.kinds:
            kind = self.kinds[low]
        if kind:
            return Word(kind=kind, pos="")
        pos = _RU_POS.get(tag, "")
        grammemes = best.tag.grammemes
        if "Apro" in grammemes or "Subx" in grammemes:  # весь, который, такой: pronoun-like
            return Word(kind="det" if tag != "NOUN" else "pron")
        lemma = best.normal_form
        noun = verb = adj = None
        cases: set[str] = set()
        if pos == "n":
            noun = self._scores(lemma, "n")
            cases = {str(p.tag.case) for p in parses if p.tag.POS == "NOUN" and p.normal_form == lemma and p.tag.case}
        elif pos == "v":
            verb = self._scores(lemma, "v")
        elif pos == "a":
            adj = self._scores(lemma, "a")
            cases = {str(p.tag.case) for p in parses if p.tag.POS == "ADJF" and p.tag.case}
        light = (pos == "v" and lemma in self.light) or (pos in "na" and lemma in self.stop)
        suffix = pos == "n" and noun is None and len(lemma) >= 6 and lemma.endswith(self.suffixes)
        time = pos == "n" and lemma in self.time
        agent = pos == "n" and ("anim" in grammemes or time)
        return Word(noun, verb, adj, cases=frozenset(cases), pos=pos, light=light, suffix_abstract=suffix,
                    agent=agent, time=time, inf=tag == "INFN", general=pos == "n" and lemma in self.stop)


@lru_cache(maxsize=None)
def lexicon(lang: str) -> Lexicon:
    from .morph import morphology

    return Lexicon(lang, morphology(lang) if lang == "ru" else None)


def verb_reader(lang: str):
    """Whether a word form can be a verb, by the English lexicon (WordNet's verbs, their
    irregular and suffixed forms); None for languages whose morphology already says it."""
    if lang != "en":
        return None
    lex = lexicon(lang)
    return lambda form: lex.word(form).verb is not None


# -- reading a unit ----------------------------------------------------------------------
@dataclass(slots=True)
class Tok:
    start: int
    end: int
    low: str
    w: Word
    brk: bool  # punctuation (a clause break) between this word and the one before
    role: str = ""  # n, v, a, or a function-word kind


class Finder:
    """The image constructions over one unit's words (see the module docstring)."""

    def __init__(self, lex: Lexicon, thresholds: dict | None = None, model: "MetaphorModel | None" = None):
        self.lex = lex
        self.model = model
        t = {**lex.thresholds, **(thresholds or {})}
        self.abstract_max = t.get("abstract", 0.3)
        self.source_min = t.get("source", 0.8)
        self.verb_min = t.get("verb", 0.8)
        self.verb_usual_min = t.get("verb_usual", 0.0)
        self.adj_min = t.get("adjective", 0.8)
        d = language_data(lex.lang)
        self.copulas = frozenset(w.lower() for w in getattr(d, "IMAGE_COPULAS", ()))
        self.coordinators = frozenset(w.lower() for w in getattr(d, "IMAGE_COORDINATORS", ()))
        self.simile_nouns = frozenset(w.lower() for w in getattr(d, "SIMILE_BARE", ()))
        self.simile_strong = frozenset(" ".join(w.lower().split()) for w in getattr(d, "SIMILE_STRONG", ()))
        self.comparisons = frozenset(" ".join(w.lower().split()) for w in getattr(d, "COMPARISON_CUES", ()))
        self.simile_blockers = frozenset(w.lower() for w in getattr(d, "SIMILE_BARE_BLOCKERS", ()))
        self.examples_after_noun = frozenset(w.lower() for w in getattr(d, "EXAMPLE_AFTER_NOUN", ()))
        self.clause_verbs = frozenset(w.lower() for w in getattr(d, "SIMILE_BARE_CLAUSE_VERBS", ()))

    # -- word classes ----------------------------------------------------------------------
    def abstract(self, t: Tok, time: bool = False) -> bool:
        """An abstract noun; ``time``: words of time count too (a copula's subject: "the day is
        a suitcase")."""
        if t.role != "n" or t.w.general or (t.w.agent and not (time and t.w.time)):
            return False
        n = t.w.noun
        return t.w.suffix_abstract if n is None else n[0] <= self.abstract_max

    def concrete(self, t: Tok) -> bool:
        n = t.w.noun
        return t.role == "n" and n is not None and n[1] >= self.source_min and not t.w.light and not t.w.time

    def physical_verb(self, t: Tok) -> bool:
        v = t.w.verb
        return (t.role == "v" and v is not None and v[1] >= self.verb_min and v[0] >= self.verb_usual_min
                and not t.w.light)

    def physical_adj(self, t: Tok) -> bool:
        a = t.w.adj
        return t.role == "a" and a is not None and min(a) >= self.adj_min and not t.w.light

    @staticmethod
    def in_pp(toks: list[Tok], j: int) -> bool:
        """Whether the noun at j is inside a prepositional phrase (a preposition before it,
        across determiners and adjectives)."""
        i = j - 1
        while i >= 0 and not toks[i + 1].brk and toks[i].role in ("det", "a", "adv"):
            i -= 1
        return i >= 0 and not toks[i + 1].brk and toks[i].role == "prep"

    # -- parts of speech in context ----------------------------------------------------------
    def tokens(self, text: str, start: int, end: int) -> list[Tok]:
        toks: list[Tok] = []
        word, brk_search = self.lex.word, _BREAK.search
        prev_end = -1
        for m in _WORD.finditer(text, start, end):
            a, b = m.span()
            form = m.group()
            gap = text[prev_end:a] if prev_end >= 0 else " "
            toks.append(Tok(a, b, form.lower(), word(form), gap != " " and brk_search(gap) is not None))
            prev_end = b
        if self.lex.lang == "ru":
            for t in toks:
                t.role = t.w.kind or t.w.pos
        else:
            self._roles_en(toks)
        return toks

    def _roles_en(self, toks: list[Tok]) -> None:
        """Each word's part of speech: from its function-word class, or, when the lexicon
        allows several, from the words around it, else from how often each is used (SemCor)."""
        copulas = self.copulas
        for k, t in enumerate(toks):
            w = t.w
            if w.kind:
                t.role = w.kind
                continue
            if t.low.endswith(("'s", "’s")) and w.noun is None and w.verb is None:
                t.role = "det"  # a possessive: "the model's breath"
                continue
            readings = [p for p, x in (("n", w.noun), ("v", w.verb), ("a", w.adj)) if x is not None]
            if w.suffix_abstract:
                readings.append("n")
            if "r" in w.prior:
                readings.append("r")
            if len(readings) <= 1:
                t.role = {"r": "adv"}.get(readings[0], readings[0]) if readings else "other"
                continue
            prev = toks[k - 1] if k and not t.brk else None
            nxt = toks[k + 1] if k + 1 < len(toks) and not toks[k + 1].brk else None
            low = t.low
            role = ""
            first = [p for p in w.prior if p in readings][:1]
            noun_next = nxt is not None and not nxt.w.kind and (nxt.w.noun is not None or nxt.w.suffix_abstract)
            if prev is not None and prev.low == "to" and "v" in readings:
                role = "v"  # an infinitive: "to digest bad news"
            elif nxt is not None and nxt.low in copulas and "n" in readings:
                role = "n"  # the subject of a copula: "trust is a bridge"
            elif noun_next and (prev is None or prev.role in ("det", "prep", "a")) and (
                    low.endswith(("ed", "ing")) or ("a" in readings and nxt.w.adj is None)):
                role = "a"  # a participle or adjective before its noun: "fixed prices", "bitter truth"
            elif low.endswith("ing") and "n" not in readings and (prev is None or prev.role in ("det", "prep")):
                role = "g"  # a gerund: "Cleaning those costs more", "the rules of queueing"
            elif prev is not None and prev.role in ("det", "prep"):
                role = "a" if "a" in readings and noun_next else ("n" if "n" in readings else "")
            elif prev is not None and prev.low in copulas:
                if "a" in readings and not low.endswith(("ed", "ing")):
                    role = "a"
                elif "v" in readings and low.endswith(("ed", "ing", "en")):
                    role = "v"
                elif "n" in readings:
                    role = "n"
            elif prev is not None and (prev.role in ("pron", "aux", "neg") or prev.low == "to"):
                role = "v" if "v" in readings and first != ["r"] else ""
            elif prev is not None and prev.role == "a":
                role = "n" if "n" in readings else ""
            elif prev is not None and prev.role == "n" and "v" in readings and first not in (["a"], ["r"]):
                if nxt is not None and nxt.w.kind in ("det", "obj", "prep", "part") and nxt.low != "of":
                    role = "v"
            if not role:
                order = [p for p in w.prior if p in readings] + readings
                role = order[0]
            t.role = {"r": "adv"}.get(role, role)

    # -- constructions ----------------------------------------------------------------------
    def find(self, text: str, start: int, end: int, found: dict) -> list[tuple[int, int, str]]:
        return self.read(text, start, end, found)[0]

    def read(self, text: str, start: int, end: int, found: dict) -> tuple[list[tuple[int, int, str]], float]:
        """(image words as (start, end, construction), the share of the unit's nouns that name
        concrete things). ``found``: the unit's cue matches by class (``features.describe``)."""
        toks, marks = self.constructions(text, start, end, found)
        nouns = [t for t in toks if t.role == "n"]
        share = sum(1 for t in nouns if t.w.noun is not None and t.w.noun[0] >= CONCRETE_USUAL) / len(nouns) \
            if nouns else 0.0
        if len(toks) < 2:
            return [], share
        if self.model is not None:
            for k, row in lexical_rows(self, toks, marks):
                if k not in marks and self.model.metaphorical(row):
                    marks[k] = "lexical"
        return sorted((toks[k].start, toks[k].end, kind) for k, kind in marks.items()), share

    def constructions(self, text: str, start: int, end: int, found: dict) -> tuple[list[Tok], dict[int, str]]:
        """The unit's words and the image constructions among them (word index -> kind)."""
        toks = self.tokens(text, start, end)
        marks: dict[int, str] = {}
        if len(toks) >= 2:
            self._copular(toks, marks, text)
            self._genitive(toks, marks)
            self._modifiers(toks, marks)
            self._verbs(toks, marks)
            self._similes(toks, marks, found)
        return toks, marks

    def _np_heads(self, toks: list[Tok], k: int) -> list[int]:
        """The head nouns of the noun phrase(s) starting at k (after a copula): skips
        determiners, adverbs, negations and adjectives, takes the last noun of an English noun
        run, and follows one coordinated or contrasted phrase («не X, а Y», "not X but Y")."""
        heads: list[int] = []
        n = len(toks)
        while len(heads) < 2:
            det = False
            while k < n and toks[k].role in ("det", "adv", "neg", "a", "part"):
                det = det or toks[k].role == "det"
                k += 1
            if k >= n or toks[k].role != "n":
                break
            if self.lex.lang == "en" and not det and toks[k].w.adj is not None:
                break  # "is roughly right", "were never deep": an adjective, not a noun phrase
            j = k
            if self.lex.lang == "en":
                while j + 1 < n and toks[j + 1].role == "n" and not toks[j + 1].brk:
                    j += 1
            heads.append(j)
            k = j + 1
            if k < n and toks[k].low in self.coordinators:
                while k < n and toks[k].low in self.coordinators:
                    k += 1
                if k < n and toks[k].role in ("rel", "conj", "pron"):
                    break  # "but that the first draft is …": a clause, not a noun phrase
                continue
            break
        return heads

    def _copular(self, toks: list[Tok], marks: dict, text: str) -> None:
        n = len(toks)
        for k, t in enumerate(toks):
            dash = self.lex.lang == "ru" and k and t.brk and _DASH.search(text, toks[k - 1].end, t.start)
            if not (t.low in self.copulas or dash):
                continue
            # the subject: the nouns of the clause just before the copula
            subj = self._subject(toks, k)
            if subj is None or not self.abstract(subj, time=True):
                continue
            first = k + 1 if not dash else k
            for h in self._np_heads(toks, first):
                if self.concrete(toks[h]):
                    marks.setdefault(h, "copular")
            # a physical property said of it: "the idea was frozen", «правда горька»
            j = first
            while j < n and toks[j].role in ("adv", "neg", "part") and not toks[j].brk:
                j += 1
            if j < n and not (j > first and toks[j].brk) and self.physical_adj(toks[j]) and (
                    j + 1 >= n or toks[j + 1].brk or toks[j + 1].role not in ("n", "a")):
                marks.setdefault(j, "copular")

    def _subject(self, toks: list[Tok], k: int) -> Tok | None:
        """The head noun of the clause before position k (at most six words back, not across a
        clause break): its first noun outside a prepositional phrase — in English the last of a
        noun run ("a book box"), in Russian not a genitive after a noun («идея справедливости»)."""
        j, head = k - 1, None
        en = self.lex.lang == "en"
        while j >= 0 and k - j <= 6:
            t = toks[j]
            if t.role == "n" and not self.in_pp(toks, j):
                after = toks[j + 1] if j + 1 < k else None
                before = toks[j - 1] if j and not t.brk else None
                if en and after is not None and after.role == "n" and not after.brk:
                    pass  # a modifier in a compound
                elif not en and before is not None and before.role == "n" and "gent" in t.w.cases:
                    pass  # a genitive dependent
                else:
                    head = t
            if t.brk or t.role in ("v", "conj", "rel"):
                break
            j -= 1
        return head

    def _genitive(self, toks: list[Tok], marks: dict) -> None:
        n = len(toks)
        for k, t in enumerate(toks):
            if not self.concrete(t):
                continue
            j = k + 1
            if self.lex.lang == "en":
                # "the weight of (the) tradition"; "the model's breath" is handled below
                if j < n and toks[j].low == "of" and not toks[j].brk:
                    j += 1
                    while j < n and toks[j].role in ("det", "a") and not toks[j].brk:
                        j += 1
                    if j < n and not toks[j].brk and self.abstract(toks[j]):
                        marks.setdefault(k, "genitive")
                if k and not t.brk:
                    p = toks[k - 1]
                    if p.low.endswith(("'s", "’s")) and (self.abstract(Tok(0, 0, "", self.lex.word(p.low[:-2]),
                                                                                 False, "n"))):
                        marks.setdefault(k, "genitive")
                continue
            # Russian: a genitive abstract noun right after (adjectives may stand between)
            while j < n and j <= k + WINDOW and toks[j].role == "a" and not toks[j].brk:
                j += 1
            if j < n and not toks[j].brk and "gent" in toks[j].w.cases and self.abstract(toks[j]):
                marks.setdefault(k, "genitive")

    def _modifiers(self, toks: list[Tok], marks: dict) -> None:
        """A physical adjective on an abstract noun: "bitter truth", «горькая правда» (one more
        adjective may stand between)."""
        n = len(toks)
        for k, t in enumerate(toks[:-1]):
            if toks[k + 1].brk or not self.physical_adj(t):
                continue
            j = k + 1
            if toks[j].role == "a" and j + 1 < n and not toks[j + 1].brk:
                j += 1
            if self.abstract(toks[j]):
                marks.setdefault(k, "modifier")

    def _verbs(self, toks: list[Tok], marks: dict) -> None:
        for k, t in enumerate(toks):
            if self.physical_verb(t) and any(self.abstract(toks[j]) for j in self.verb_args(toks, k)):
                marks.setdefault(k, "verb")

    def verb_args(self, toks: list[Tok], k: int) -> list[int]:
        """The subject and object of the verb at k, as word indices. Before it: the nearest noun
        outside a prepositional phrase (an infinitive has none of its own: «умение повесить
        полку», "to build"); after it: the first noun (in Russian also a subject after its
        verb), not inside a prepositional phrase; Russian nouns only in a case an argument
        takes."""
        n = len(toks)
        ru = self.lex.lang == "ru"
        t = toks[k]
        args: list[int] = []
        infinitive = (t.w.inf if ru else k and toks[k - 1].low == "to")
        j = k - 1
        while not infinitive and j >= 0 and k - j <= WINDOW + 1:
            if toks[j + 1].brk:
                break
            r = toks[j].role
            if r == "n":
                if not self.in_pp(toks, j) and (not ru or toks[j].w.cases & {"nomn", "accs", "ablt"}):
                    args.append(j)
                break
            if r in ("v", "conj", "rel", "pron", "obj") and toks[j].low not in self.copulas:
                break
            j -= 1
        j = k + 1
        while j < n and j - k <= WINDOW and not toks[j].brk:
            r = toks[j].role
            if r in ("prep", "v", "conj", "rel"):
                break
            if r == "n":
                if not ru or toks[j].w.cases & {"nomn", "accs", "ablt"}:
                    args.append(j)
                break
            j += 1
        return args

    def _similes(self, toks: list[Tok], marks: dict, found: dict) -> None:
        """The concrete nouns a comparison brings in: after a simile cue ("like a", «словно»),
        a comparing analogy cue ("is like", «всё равно что») or a bare "like"/«как» + noun —
        when the unit speaks of something abstract outside the comparison. "As if", «будто»
        need no abstract word: the comparison is counterfactual, hence figurative."""
        n = len(toks)
        starts: list[tuple[int, bool]] = []
        for cls in ("simile", "analogy"):
            m = found.get(cls)
            if m is None:
                continue
            cue = " ".join(m.group(0).lower().split())
            if cls == "analogy" and cue not in self.comparisons:
                continue
            starts.append((next((k for k, t in enumerate(toks) if t.start >= m.end()), n), cue in self.simile_strong))
        for k, t in enumerate(toks):  # bare "like"/«как» + a concrete noun: "like ink in water"
            if t.low not in self.simile_nouns:
                continue
            if any(x.low in self.simile_blockers for x in toks[max(0, k - 6):k]):
                continue  # «такие же …, как», "just like"
            if t.low in self.examples_after_noun and k and not t.brk and toks[k - 1].role == "n" \
                    and not self.in_pp(toks, k - 1):
                continue  # "a command like git": such as, an example ("spread through the room like ink" compares)
            if k and t.brk and toks[k - 1].role == "v" and self.lex.verb_lemma(toks[k - 1].low) in self.clause_verbs:
                continue  # «я видел, как …»: a clause, not a comparison
            j = k + 1
            while j < n and toks[j].role == "a" and j <= k + 2:
                j += 1
            if j < n and not toks[j].brk and self.concrete(toks[j]) and (
                    self.lex.lang != "ru" or "nomn" in toks[j].w.cases):
                starts.append((k + 1, False))
        for s, strong in starts:
            window = []
            for j in range(s, min(n, s + 6)):
                if j > s and toks[j].brk:
                    break
                window.append(j)
            inside = set(window)
            if not strong and not any(self.abstract(t, time=True) for j, t in enumerate(toks) if j not in inside):
                continue  # a comparison of two things ("owned by the city, like the buses")
            for j in window:
                if self.concrete(toks[j]):
                    marks.setdefault(j, "simile")


# -- conventional metaphors, word by word ---------------------------------------------------
#: what the word-level model reads of a content word in its unit (the weights name them)
LEXICAL_FEATURES = [
    "bias", "pos:n", "pos:v", "pos:a", "usual", "basic", "gap", "basic:any",
    "listed:source", "listed:abstract", "construction",
    "arg:abstract", "arg:concrete", "arg:none", "near:abstract", "near:concrete",
    "unit:abstract", "unit:concrete", "unit:alone", "basic*unit:abstract", "basic*arg:abstract", "basic*near:abstract",
    "gap*unit:abstract", "basic*arg:concrete",
]
_LEX_INDEX = {name: i for i, name in enumerate(LEXICAL_FEATURES)}
#: how concrete a word's basic sense must be for it to read as a metaphor (English adjectives
#: have no concreteness in WordNet, 0.5: only the hand-listed physical ones pass)
BASIC_MIN = 0.6


def _scores_of(t: Tok) -> tuple | None:
    w = t.w
    return {"n": w.noun, "v": w.verb, "g": w.verb, "a": w.adj}.get(t.role)


def lexical_rows(f: "Finder", toks: list[Tok], marks: dict) -> list[tuple[int, list[float]]]:
    """One feature row per candidate word of a unit: a noun, verb, gerund or adjective the
    lexicon knows, with a concrete basic sense, not a light word, a person or a time, and with
    something abstract to be said of (an abstract partner or a construction; a verb, whose
    arguments word order finds less surely, may do with an abstract noun in its unit). The row
    tells how concrete its usual and its basic senses are, and how abstract the words it goes
    with are — its subject and object, the noun it modifies or governs, the nouns near it and
    in the whole unit. A concrete basic sense among abstract partners is the mark of a
    conventional metaphor ("prices climb", "the burden of debt", «глубокий кризис»); with
    nothing abstract around it a word has no other meaning to be read in ("the coffee was
    bitter", "the government sold the land")."""
    nouns = [j for j, t in enumerate(toks) if t.role == "n"]
    abstract = {j for j in nouns if f.abstract(toks[j])}
    concrete = {j for j in nouns if f.concrete(toks[j])}
    ix = _LEX_INDEX
    rows = []
    for k, t in enumerate(toks):
        role = "v" if t.role == "g" else t.role
        if role not in ("n", "v", "a") or t.w.light or t.w.agent:
            continue
        sc = _scores_of(t)
        if sc is None or sc[1] < BASIC_MIN:
            continue
        usual, basic = sc
        args = _partners(f, toks, k, role)
        arg_abstract = float(any(j in abstract for j in args))
        others = len(nouns) - (t.role == "n")
        unit_abstract = (len(abstract) - (k in abstract)) / others if others > 0 else 0.0
        if not (arg_abstract or k in marks or (role == "v" and unit_abstract)):
            continue
        near = [j for j in nouns if j != k and abs(j - k) <= WINDOW]
        row = [0.0] * len(LEXICAL_FEATURES)
        row[ix["bias"]] = 1.0
        row[ix[f"pos:{role}"]] = 1.0
        row[ix["usual"]], row[ix["basic"]], row[ix["gap"]] = usual, basic, max(0.0, basic - usual)
        row[ix["basic:any"]] = max((x[1] for x in (t.w.noun, t.w.verb, t.w.adj) if x is not None), default=0.0)
        row[ix["listed:source"]] = float((t.low, role) in f.lex.raise_b)
        row[ix["listed:abstract"]] = float((t.low, role) in f.lex.lower_c)
        row[ix["construction"]] = float(k in marks)
        row[ix["arg:abstract"]] = arg_abstract
        row[ix["arg:concrete"]] = float(any(j in concrete for j in args))
        row[ix["arg:none"]] = float(not args)
        row[ix["near:abstract"]] = float(any(j in abstract for j in near))
        row[ix["near:concrete"]] = float(any(j in concrete for j in near))
        row[ix["unit:abstract"]] = unit_abstract
        if others > 0:
            row[ix["unit:concrete"]] = (len(concrete) - (k in concrete)) / others
        else:
            row[ix["unit:alone"]] = 1.0
        row[ix["basic*unit:abstract"]] = basic * unit_abstract
        row[ix["basic*arg:abstract"]] = basic * arg_abstract
        row[ix["basic*near:abstract"]] = basic * row[ix["near:abstract"]]
        row[ix["gap*unit:abstract"]] = row[ix["gap"]] * unit_abstract
        row[ix["basic*arg:concrete"]] = basic * row[ix["arg:concrete"]]
        rows.append((k, row))
    return rows


def _partners(f: "Finder", toks: list[Tok], k: int, role: str) -> list[int]:
    """The nouns a word goes with in its clause: a verb's subject and object (the nearest noun
    before it outside a prepositional phrase, the first noun after it); the noun an adjective
    stands before (or, after a copula, the subject it is said of); a noun's governed noun
    ("the weight of tradition", «бремя налогов») and, in English, a compound's modifier ("tax
    burden")."""
    n = len(toks)
    out: list[int] = []
    if role == "v":
        out = f.verb_args(toks, k)
    elif role == "a":
        j = k + 1
        while j < n and j - k <= 2 and not toks[j].brk and toks[j].role in ("a", "n"):
            if toks[j].role == "n":
                out.append(j)
                break
            j += 1
        if not out and k and toks[k - 1].low in f.copulas:
            s = f._subject(toks, k - 1)
            if s is not None:
                out.append(toks.index(s))
    else:
        j = k + 1
        en = f.lex.lang == "en"
        if en and j < n and toks[j].low == "of" and not toks[j].brk:
            j += 1
        elif en:
            j = n  # no governed noun without "of"
        while j < n and j - k <= WINDOW and toks[j].role in ("det", "a") and not toks[j].brk:
            j += 1
        if j < n and toks[j].role == "n" and not toks[j].brk and (en or "gent" in toks[j].w.cases):
            out.append(j)
        if en and k and not toks[k].brk and toks[k - 1].role == "n":
            out.append(k - 1)  # a compound's modifier ("tax burden")
    return out


class MetaphorModel:
    """The word-level model (``graphmind/lang/<code>/metaphor.json``, fitted by
    ``scripts/fit_metaphor.py`` on the project's own data): a logistic regression over
    ``LEXICAL_FEATURES`` and the probability above which a word reads as a metaphor."""

    FORMAT = "graphmind-metaphor-weights/1"

    def __init__(self, data: dict):
        if data.get("format") != self.FORMAT:
            raise ValueError(f"not a metaphor model (format {self.FORMAT} expected)")
        names = data["features"]
        self.w = [float(names.get(name, 0.0)) for name in LEXICAL_FEATURES]
        # p >= threshold  <=>  logit >= log(t / (1 - t)); no threshold: switched off
        t = data["threshold"]
        self.on = t is not None
        self.cut = math.log(float(t) / (1.0 - float(t))) if self.on else math.inf

    def logit(self, row: list[float]) -> float:
        return sum(w * x for w, x in zip(self.w, row) if x)

    def metaphorical(self, row: list[float]) -> bool:
        return self.logit(row) >= self.cut

    @classmethod
    def shipped(cls, lang: str) -> "MetaphorModel | None":
        path = _LANG_DIR / lang / "metaphor.json"
        if not path.exists():
            return None
        model = cls(json.loads(path.read_text(encoding="utf-8")))
        return model if model.on else None


@lru_cache(maxsize=None)
def finder(lang: str) -> Finder:
    return Finder(lexicon(lang), model=MetaphorModel.shipped(lang))


def find_images(text: str, start: int, end: int, found: dict, cues: Cues, morph=None) -> list[tuple[int, int]]:
    """Character spans of the image words in ``text[start:end]`` (``found``: the unit's cue
    matches by class, as ``features.describe`` fills them)."""
    return [(a, b) for a, b, _ in finder(cues.lang).find(text, start, end, found)]


def find_image_kinds(text: str, start: int, end: int, found: dict, lang: str) -> list[tuple[int, int, str]]:
    """(start, end, construction) of each image word: copular, genitive, modifier, verb, simile."""
    return finder(lang).find(text, start, end, found)


def read_images(text: str, start: int, end: int, found: dict, lang: str) -> tuple[list[tuple[int, int, str]], float]:
    """The image words of a unit (as ``find_image_kinds``) and the share of its nouns that
    name concrete things (extended metaphors talk of things)."""
    return finder(lang).read(text, start, end, found)
