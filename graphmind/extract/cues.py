"""Compile a language's data (pure data in graphmind.lang.<code>) into regexes, once."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from ..lang import language_data

#: cue classes that open a unit, and the data lists they come from
START_CLASSES = {
    "conclusion": "CONCLUSION_START", "reason": "PREMISE_START", "additive": "ADDITIVE_START",
    "contrast": "CONTRAST_START", "concession": "CONCESSION_START", "report": "REPORT_START",
    "undercut": "UNDERCUT_START", "opinion": "OPINION_START", "condition": "CONDITION_START",
    "example": "EXAMPLE_START", "restatement": "RESTATEMENT_START", "agreement": "AGREEMENT_START",
}
#: cue classes found anywhere in a unit
ANYWHERE_CLASSES = {
    "conclusion": "CONCLUSION", "example": "EXAMPLE", "simile": "SIMILE", "analogy": "ANALOGY",
    "definition": "DEFINITION", "normative": "NORMATIVE", "evaluative": "EVALUATIVE",
    "hedge": "HEDGES", "first_person": "FIRST_PERSON", "copula": "COPULAS", "negation": "NEGATIONS",
    "strict_definition": "DEFINITION_STRICT", "strict_example": "EXAMPLE_STRICT", "strict_analogy": "ANALOGY_STRICT",
    "report": "REPORTING", "concession": "CONCESSION_INSIDE",
}
#: the anywhere classes that settle a unit's type
STRICT_TYPES = {"strict_definition": "definition", "strict_example": "example", "strict_analogy": "analogy"}


def _alternation(phrases) -> str:
    """One regex alternation for many phrases, factored as a trie (so the engine branches
    on the next character instead of trying every phrase), longest match first; a space
    in a phrase matches any run of white space."""
    trie: dict = {}
    for phrase in {p.lower() for p in phrases}:
        node = trie
        for ch in phrase:
            node = node.setdefault(ch, {})
        node[""] = True

    def emit(node: dict) -> str:
        end = node.get("") is True
        branches = []
        for ch in sorted(k for k in node if k):
            piece = r"\s+" if ch == " " else re.escape(ch)
            branches.append(piece + emit(node[ch]))
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 and not end else "(?:" + "|".join(branches) + ")"
        return body + "?" if end else body

    return emit(trie)


def _anywhere(phrases) -> re.Pattern:
    return re.compile(rf"(?<!\w)(?:{_alternation(phrases)})(?!\w)", re.I)


def _at_start(phrases, lead: str) -> re.Pattern:
    """A cue opening a unit; use ``.match(text, start, end)`` (no ``^``, so it anchors at ``start``)."""
    return re.compile(rf"[\W_]*(?:(?:{lead})\s+)?({_alternation(phrases)})(?!\w)", re.I)


def _abbreviations(items) -> str:
    """An alternation of abbreviations without their final period; a space inside one
    ("т. е") matches any white space or none."""
    forms = sorted({a.lower().rstrip(".") for a in items}, key=len, reverse=True)
    return "|".join(r"\s*".join(re.escape(part) for part in a.split()) for a in forms)


def _definition_frame(copulas, not_subject, not_predicate, qualifiers, more_words: int) -> re.Pattern:
    """A unit's start: a subject of one to ``1 + more_words`` words (the first not one of
    ``not_subject``), one of ``copulas`` and a word not one of ``not_predicate`` — then, when
    ``qualifiers`` are given, one of them within the next four words; use ``.match(text, start, end)``."""
    tail = rf"(?:\s+[\w'’-]+){{0,4}}?\s+(?:{_alternation(qualifiers)})(?!\w)" if qualifiers else ""
    return re.compile(rf"[\W_]*(?!(?:{_alternation(not_subject)})(?!\w))(?P<subject>\w[\w'’-]*(?:,?\s+[\w'’-]+){{0,{more_words}}}),?\s+"
                      rf"(?:{_alternation(copulas)})\s+(?!(?:{_alternation(not_predicate)})(?!\w))(?P<predicate>\w[\w'’-]*){tail}", re.I)


def _not_before(phrases) -> str:
    """A lookahead that fails before any of ``phrases`` (nothing when there are none)."""
    return rf"(?!(?:{_alternation(phrases)})(?!\w))" if phrases else ""


def _key(phrase: str) -> str:
    return " ".join(phrase.lower().split())


@dataclass(frozen=True)
class Cues:
    lang: str
    clause_break: re.Pattern  # punctuation then a clause cue: a candidate cut at the cue
    punct_break: re.Pattern  # semicolon, colon or dash between clauses: a candidate cut after it
    bare_break: re.Pattern  # a clause cue without punctuation
    leading: re.Pattern  # a sentence opening with a concession or a reason
    leading_goes_on: re.Pattern  # a comma after which such an opening clause goes on
    leading_embedded: re.Pattern  # a comma that opens a relative clause inside it (closed by the next comma)
    correction: frozenset  # cues that do not cut after a negation («не X, а Y»)
    coordinators: frozenset  # a plain "and" / «и»: cuts only before a clause with its own subject
    subject_after_verb: bool  # «и выглядят они»: a subject after the verb makes a clause of its own
    final_abbreviation_end: re.Pattern  # one a sentence can end with ("etc.", «т. д.»)
    final_abbreviation: re.Pattern  # such an abbreviation and the word after it (a sentence end before a capital)
    asking: re.Pattern  # a verb that says who asked ("she asked", «спросила»)
    correction_after: frozenset  # two words that open a correction the other way round («X, а не Y»)
    negation: re.Pattern
    abbreviation_end: re.Pattern  # text ending in an abbreviation and its period
    start: re.Pattern  # every start cue at once; group 1 is the cue
    anaphor: re.Pattern  # a unit opening by pointing back ("this", «это»): not a cue of its relation
    start_classes: dict  # cue -> tuple of classes
    anywhere: re.Pattern  # every anywhere cue at once
    anywhere_classes: dict  # cue -> tuple of classes
    abstract_nouns: frozenset
    abstract_suffixes: tuple
    concrete_nouns: frozenset
    physical_verbs: frozenset
    genitive_link: frozenset
    definition_phrases: frozenset
    stopwords: frozenset
    subject_pronouns: frozenset
    verb_after: frozenset  # words after which any form a verb can take is a predicate
    topic_heading: re.Pattern  # a heading opening like an indirect question names a topic
    definition_frame: re.Pattern  # "An embedding is a list …", «Токен — это кусок слова»: says what its subject is

    def opening(self, text: str, start: int, end: int) -> tuple[tuple[str, ...], str]:
        """(classes, cue) of the cue that opens ``text[start:end]``, or ((), "")."""
        m = self.start.match(text, start, end)
        if not m:
            return (), ""
        cue = _key(m.group(1))
        return self.start_classes[cue], cue

    def classes_of(self, m: re.Match) -> tuple[str, ...]:
        """The classes of an ``anywhere`` match."""
        return self.anywhere_classes[_key(m.group(0))]


def _classes(d, table: dict) -> dict[str, tuple[str, ...]]:
    out: dict[str, list[str]] = {}
    for cls, attr in table.items():
        for phrase in getattr(d, attr, ()):
            out.setdefault(_key(phrase), [])
            if cls not in out[_key(phrase)]:
                out[_key(phrase)].append(cls)
    return {k: tuple(v) for k, v in out.items()}


@lru_cache(maxsize=None)
def compile_cues(lang: str) -> Cues:
    d = language_data(lang)
    start_classes = _classes(d, START_CLASSES)
    anywhere_classes = _classes(d, ANYWHERE_CLASSES)
    final_abbreviations = getattr(d, "FINAL_ABBREVIATIONS", ()) or ["\x00"]
    return Cues(
        lang=lang,
        clause_break=re.compile(rf"(?:[,;:]|\s[—–-])\s+{_not_before(d.CLAUSE_NOT_BREAKS)}(?=(?:{_alternation(d.CLAUSE_BREAKS)})(?!\w))", re.I),
        punct_break=re.compile(r"(?:[;:]|\s[—–])\s+(?=\w)"),
        bare_break=re.compile(rf"(?<=\w)\s+(?=(?:{_alternation(d.BARE_BREAKS)})(?!\w))", re.I),
        leading=_at_start(d.LEADING_SUBORDINATE, d.START_LEAD),
        leading_goes_on=re.compile(rf",\s*(?:{_alternation(d.LEADING_GOES_ON)})(?!\w)", re.I),
        leading_embedded=re.compile(rf",\s*(?:{_alternation(d.LEADING_EMBEDDED)})(?!\w)", re.I),
        correction=frozenset(_key(c) for c in d.CORRECTION_BREAKS),
        coordinators=frozenset(_key(c) for c in d.COORDINATORS),
        subject_after_verb=bool(d.SUBJECT_AFTER_VERB_IS_NEW),
        correction_after=frozenset(_key(c) for c in getattr(d, "CORRECTION_AFTER", ())),
        asking=_anywhere(getattr(d, "ASKING", ()) or ["\x00"]),
        negation=_anywhere(d.NEGATIONS),
        abbreviation_end=re.compile(rf"(?<![\w.])(?:{_abbreviations(d.ABBREVIATIONS)})\.\s*$", re.I),
        final_abbreviation_end=re.compile(rf"(?<![\w.])(?:{_abbreviations(final_abbreviations)})\.\s*$", re.I),
        final_abbreviation=re.compile(rf"(?<![\w.])(?:{_abbreviations(final_abbreviations)})\.[ \t]+(?=\w)", re.I),
        start=_at_start(start_classes, d.START_LEAD),
        start_classes=start_classes,
        anaphor=_at_start(getattr(d, "ANAPHORA_START", ()) or ["\x00"], d.START_LEAD),
        anywhere=_anywhere(anywhere_classes),
        anywhere_classes=anywhere_classes,
        abstract_nouns=frozenset(d.ABSTRACT_NOUNS),
        abstract_suffixes=tuple(d.ABSTRACT_SUFFIXES),
        concrete_nouns=frozenset(d.CONCRETE_NOUNS),
        physical_verbs=frozenset(d.PHYSICAL_VERBS),
        genitive_link=frozenset(d.GENITIVE_LINK),
        definition_phrases=frozenset(_key(p) for p in d.DEFINITION),
        stopwords=frozenset(d.STOPWORDS_EXTRA),
        subject_pronouns=frozenset(getattr(d, "SUBJECT_PRONOUNS", ())),
        verb_after=frozenset(getattr(d, "VERB_AFTER_SUBJECTS", ())),
        topic_heading=_at_start(d.TOPIC_HEADING_START, d.START_LEAD),
        definition_frame=_definition_frame(d.DEFINITION_COPULA, d.DEFINITION_NOT_SUBJECT, d.DEFINITION_NOT_PREDICATE,
                                           d.DEFINITION_QUALIFIER, 3 if lang == "en" else 1),
    )
