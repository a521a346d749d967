"""What a word form is: its lemma, whether it can be a predicate, whether it is a noun and in
which case — worked out once per form and remembered.

Russian uses pymorphy3 (its compiled DAWG backend when ``DAWG2`` is installed); English uses
the verb lists of ``graphmind.lang.en``. A corpus repeats its word forms, so after the first
few thousand paragraphs almost every lookup is a dictionary hit. The memo is bounded so memory
stays flat on any input.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from ..lang import language_data

MEMO_LIMIT = 400_000


@dataclass(frozen=True, slots=True)
class Form:
    lemma: str  # the lemma as spaCy's blank pipeline gives it (lowercase)
    predicate: bool  # a finite verb, a short form or a predicative: the clause asserts
    noun: bool
    genitive: bool  # a noun or adjective that can be genitive (Russian)
    pos: str  # the main part-of-speech tag ('' when unknown)
    base_verb: bool = False  # English: a verb's base form, finite after a subject pronoun
    past: bool = False  # a past-tense verb form (narrative rather than a general statement)


def _lemma_en(word: str) -> str:
    """Approximate English lemma for the blank pipeline (plural nouns -> singular)."""
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 4 and word.endswith("s") and not word.endswith(("ss", "us", "is", "ous")):
        return word[:-1]
    return word


def _verb_forms(bases, irregular, auxiliaries) -> frozenset:
    forms = set(auxiliaries) | set(irregular)
    for v in bases:
        stem_e = v[:-1] if v.endswith("e") and not v.endswith(("ee", "ye", "oe")) else v
        third = v + "es" if v.endswith(("s", "sh", "ch", "x", "z", "o")) else (
            v[:-1] + "ies" if v.endswith("y") and v[-2:-1] not in "aeiou" else v + "s")
        past = v + "d" if v.endswith("e") else (v[:-1] + "ied" if v.endswith("y") and v[-2:-1] not in "aeiou"
                                                else v + "ed")
        forms.update({third, past})  # not the -ing form: a participle alone asserts nothing
    return frozenset(forms)


class Morphology:
    """Per-language word-form facts with a bounded memo."""

    def __init__(self, lang: str):
        self.lang = lang
        self.memo: dict[str, Form] = {}
        if lang == "ru":
            import pymorphy3

            self._morph = pymorphy3.MorphAnalyzer(lang="ru")
        elif lang == "en":
            d = language_data("en")
            self._finite = _verb_forms(d.VERBS, d.IRREGULAR_VERB_FORMS, d.AUXILIARIES)
            self._bases = frozenset(d.VERBS)
            self._past = frozenset(d.PAST_FORMS)

    def form(self, word: str) -> Form:
        found = self.memo.get(word)
        if found is None:
            found = self._analyse(word)
            if len(self.memo) < MEMO_LIMIT:
                self.memo[word] = found
        return found

    def parses(self, word: str) -> list:
        """Every pymorphy3 parse of a Russian word form, best first (empty for other languages)."""
        return self._morph.parse(word) if self.lang == "ru" else []

    def _analyse(self, word: str) -> Form:
        lower = word.lower()
        if self.lang == "ru":
            return self._analyse_ru(word, lower)
        if self.lang == "en":
            finite = lower in self._finite or (len(lower) > 5 and lower.endswith("ed")) or lower.endswith("n't")
            past = lower in self._past or (len(lower) > 4 and lower.endswith("ed") and lower[:-2] + "e" not in ("need",))
            return Form(_lemma_en(lower), finite, False, False, "VERB" if finite else "", lower in self._bases, past)
        return Form(lower, False, False, False, "")

    def _analyse_ru(self, word: str, lower: str) -> Form:
        parses = self._morph.parse(word)
        normal = {p.normal_form for p in parses}
        # the lemma spaCy's pymorphy3 lookup mode gives: the one normal form, else the word itself
        lemma = (next(iter(normal)) if len(normal) == 1 else word).lower()
        best = parses[0].tag if parses else None
        pos = str(best.POS) if best is not None and best.POS else ""
        known = [p for p in parses if p.is_known] or parses[:1]
        kinds = [str(p.tag.POS) if p.tag.POS else "" for p in known[:3]]
        predicate = any(k in ("VERB", "PRTS", "ADJS", "PRED") for k in kinds[:2]) and pos != "NOUN"
        noun = pos in ("NOUN", "NPRO")
        genitive = any("gent" in p.tag and k in ("NOUN", "ADJF", "PRTF", "NPRO") for p, k in zip(known, kinds))
        past = bool(best is not None and "past" in best and pos == "VERB")
        return Form(lemma, predicate, noun, genitive, pos, False, past)


@lru_cache(maxsize=None)
def morphology(lang: str) -> Morphology:
    return Morphology(lang)
