"""Compile a language's cue lists (pure data in graphmind.lang.<code>) into regexes."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from ..lang import language_data


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


@dataclass(frozen=True)
class Cues:
    lang: str
    clause_break: re.Pattern
    bare_break: re.Pattern
    leading_subordinate: re.Pattern
    abstract_nouns: frozenset
    concrete_nouns: frozenset
    stopwords: frozenset
    start: re.Pattern  # every start-of-unit cue at once; group 1 is the cue
    start_role: dict  # cue (lowercase, single spaces) -> role
    anywhere: re.Pattern  # every anywhere cue at once
    anywhere_kind: dict  # cue -> kind
    definition_phrases: frozenset  # copulas that also define ("X — это Y")

    def role_at_start(self, text: str, start: int = 0, end: int | None = None) -> tuple[str, str]:
        """(role, cue) of the cue that opens ``text[start:end]``, or ("", "")."""
        m = self.start.match(text, start, len(text) if end is None else end)
        if not m:
            return "", ""
        cue = " ".join(m.group(1).lower().split())
        return self.start_role[cue], cue

    def kind_of(self, m: re.Match) -> str:
        """The kind of an ``anywhere`` match."""
        cue = m.group(0).lower()
        kind = self.anywhere_kind.get(cue)
        return kind if kind is not None else self.anywhere_kind[" ".join(cue.split())]


@lru_cache(maxsize=None)
def compile_cues(lang: str) -> Cues:
    d = language_data(lang)
    lead = "and" if lang == "en" else "и|а"
    concessive = [c for c in d.LEADING_SUBORDINATE if c in d.CONCESSION_START]
    # one phrase, one role: earlier entries win where lists overlap
    start_role: dict[str, str] = {}
    for role, phrases in (
        ("conclusion", d.CONCLUSION_START), ("objection", concessive), ("reason", d.PREMISE_START),
        ("counter", d.CONTRAST_START), ("objection", d.CONCESSION_START), ("additive", d.ADDITIVE_START),
        ("condition", d.LEADING_SUBORDINATE),
    ):
        for phrase in phrases:
            start_role.setdefault(phrase.lower(), role)
    anywhere_kind: dict[str, str] = {}
    for kind, phrases in (
        ("conclusion", d.CONCLUSION), ("example", d.EXAMPLE), ("analogy", d.ANALOGY), ("simile", d.SIMILE),
        ("copula", d.COPULAS), ("definition", d.DEFINITION), ("normative", d.NORMATIVE),
    ):
        for phrase in phrases:
            anywhere_kind.setdefault(phrase.lower(), kind)
    return Cues(
        lang=lang,
        clause_break=re.compile(rf"(?:[,;:]|\s[—–-])\s+(?=(?:{_alternation(d.CLAUSE_BREAKS)})(?!\w))", re.I),
        bare_break=re.compile(rf"(?<=\w)\s+(?=(?:{_alternation(d.BARE_BREAKS)})(?!\w))", re.I),
        leading_subordinate=_at_start(d.LEADING_SUBORDINATE, lead),
        abstract_nouns=frozenset(d.ABSTRACT_NOUNS),
        concrete_nouns=frozenset(d.CONCRETE_NOUNS),
        stopwords=frozenset(d.STOPWORDS_EXTRA),
        start=_at_start(start_role, lead),
        start_role=start_role,
        anywhere=_anywhere(anywhere_kind),
        anywhere_kind=anywhere_kind,
        definition_phrases=frozenset(p.lower() for p in d.DEFINITION),
    )
