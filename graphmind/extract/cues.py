"""Compile a language's cue lists (pure data in graphmind.lang.<code>) into regexes."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from ..lang import language_data


def _alternation(phrases) -> str:
    parts = sorted({p.lower() for p in phrases}, key=len, reverse=True)
    return "|".join(re.escape(p).replace(r"\ ", r"\s+") for p in parts)


def _anywhere(phrases) -> re.Pattern:
    return re.compile(rf"(?<!\w)(?:{_alternation(phrases)})(?!\w)", re.I)


def _at_start(phrases, lead: str) -> re.Pattern:
    return re.compile(rf"^[\W_]*(?:(?:{lead})\s+)?({_alternation(phrases)})(?!\w)", re.I)


@dataclass(frozen=True)
class Cues:
    lang: str
    clause_break: re.Pattern
    bare_break: re.Pattern
    leading_subordinate: re.Pattern
    concessive_subordinate: re.Pattern
    conclusion: re.Pattern
    conclusion_start: re.Pattern
    premise_start: re.Pattern
    additive_start: re.Pattern
    contrast_start: re.Pattern
    concession_start: re.Pattern
    example: re.Pattern
    simile: re.Pattern
    analogy: re.Pattern
    definition: re.Pattern
    normative: re.Pattern
    copula: re.Pattern
    abstract_nouns: frozenset
    concrete_nouns: frozenset
    stopwords: frozenset


@lru_cache(maxsize=None)
def compile_cues(lang: str) -> Cues:
    d = language_data(lang)
    lead = "and" if lang == "en" else "и|а"
    concessive = [c for c in d.LEADING_SUBORDINATE if c in d.CONCESSION_START]
    return Cues(
        lang=lang,
        clause_break=re.compile(rf"(?:[,;:]|\s[—–-])\s+(?=(?:{_alternation(d.CLAUSE_BREAKS)})(?!\w))", re.I),
        bare_break=re.compile(rf"(?<=\w)\s+(?=(?:{_alternation(d.BARE_BREAKS)})(?!\w))", re.I),
        leading_subordinate=_at_start(d.LEADING_SUBORDINATE, lead),
        concessive_subordinate=_at_start(concessive, lead),
        conclusion=_anywhere(d.CONCLUSION),
        conclusion_start=_at_start(d.CONCLUSION_START, lead),
        premise_start=_at_start(d.PREMISE_START, lead),
        additive_start=_at_start(d.ADDITIVE_START, lead),
        contrast_start=_at_start(d.CONTRAST_START, lead),
        concession_start=_at_start(d.CONCESSION_START, lead),
        example=_anywhere(d.EXAMPLE),
        simile=_anywhere(d.SIMILE),
        analogy=_anywhere(d.ANALOGY),
        definition=_anywhere(d.DEFINITION),
        normative=_anywhere(d.NORMATIVE),
        copula=_anywhere(d.COPULAS),
        abstract_nouns=frozenset(d.ABSTRACT_NOUNS),
        concrete_nouns=frozenset(d.CONCRETE_NOUNS),
        stopwords=frozenset(d.STOPWORDS_EXTRA),
    )
