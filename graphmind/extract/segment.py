"""Paragraph -> proposition units (character spans).

A unit is a clause that asserts something: a sentence, cut further only where a discourse cue
opens a clause of its own and both sides are propositions (each has a predicate — a finite
verb, a short form, a predicative, or a copular dash — and at least ``MIN_WORDS`` words). What
never cuts: relative pronouns, «это» and copular dashes (they are not cut points at all), a
correction «не X, а Y», an abbreviation's period, a condition ("if", «если») that limits its
statement. Line breaks inside a paragraph (list items) always cut. Boundaries come from
language data (``graphmind.lang.<code>``); this module knows no words of any language.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass
from typing import Callable

from .cues import Cues
from .morph import Morphology

MIN_WORDS = 3
_WORD = re.compile(r"\w+(?:[-'’]\w+)*")
_COPULAR_DASH = re.compile(r"\w\s+[—–]\s+\w")
#: a quotation within a sentence: what it quotes is mentioned, not asserted, so it is not cut
_QUOTED = re.compile(r'«[^«»\n]{1,400}»|“[^“”\n]{1,400}”|"[^"\n]{1,400}"')


#: how direct speech in quotation marks ends before the words that say who spoke
_SPEECH_ENDS = {p + q for p in "?!," for q in "\"”»"}


@dataclass(slots=True)
class Span:
    start: int
    end: int
    sentence: int
    first_in_sentence: bool
    line: int  # index of the line (list item) in the paragraph


def sentences(text: str, spans: list[tuple[int, int]], cues: Cues) -> list[tuple[int, int, int]]:
    """(start, end, line) of sentences: spaCy's sentence spans, joined again where a period
    belongs to an abbreviation or the next sentence starts in lower case, and cut at line
    breaks (each line of a list is a unit of its own)."""
    merged: list[list[int]] = []
    for s, e in spans:
        if merged:
            prev = text[merged[-1][0]:s]
            head = text[s:e].lstrip()
            final = head[:1].isupper() and cues.final_abbreviation_end.search(prev)  # "… etc. Then …"
            if "\n" not in text[merged[-1][1] - 1:s + 1] and not final and (
                cues.abbreviation_end.search(prev) or (head[:1].islower() and (
                    prev.rstrip()[-1:] in (".", "—", "–") or prev.rstrip()[-2:] in _SPEECH_ENDS))
            ):  # «— Ты опять лёг в два? — | спросила сестра», '"Did you sleep?" | she asked': the
                # words after direct speech belong to it
                merged[-1][1] = e
                continue
        merged.append([s, e])
    # "… банки и т. п. Владельцы …": a sentence the splitter ran on past an abbreviation that
    # ends it (the next word has a capital) is two
    cut = []
    for s, e in merged:
        for m in cues.final_abbreviation.finditer(text, s, e):
            if text[m.end()].isupper():
                cut.append([s, m.end()])
                s = m.end()
        cut.append([s, e])
    merged = cut
    # «… спросила сестра. — В час сорок, — ответил я», '… she asked. "Four hours," I said': a
    # dash or an opening quotation mark that ends a sentence opens the direct speech of the next
    # one; it is no part of the sentence before it
    for k in range(len(merged) - 1):
        s, e = merged[k]
        body = text[s:e].rstrip()
        if len(body) > 2 and body[-1] in "—–\"“«" and body[-2].isspace():
            merged[k][1] = s + len(body[:-1].rstrip())
    out = []
    line = 0
    for s, e in merged:
        pos = s
        while True:
            nl = text.find("\n", pos, e)
            if nl < 0:
                out.append((pos, e, line))
                break
            out.append((pos, nl, line))
            line += 1
            pos = nl + 1
    return [(s, e, ln) for s, e, ln in out if text[s:e].strip()]


class Segmenter:
    """Cuts paragraphs into proposition spans for one language."""

    def __init__(self, cues: Cues, morph: Morphology, can_be_verb: Callable[[str], bool] | None = None):
        """``can_be_verb``: whether a word form can be a verb (a lexicon's answer); after the
        language's ``VERB_AFTER_SUBJECTS`` such a word is read as the predicate."""
        self.cues = cues
        self.morph = morph
        self.subjects = cues.subject_pronouns
        self.can_be_verb = can_be_verb
        self.verb_after = cues.verb_after if can_be_verb is not None else frozenset()

    def is_proposition(self, text: str, a: int, b: int) -> bool:
        """Whether ``text[a:b]`` has a predicate and enough words to stand alone."""
        if len(_WORD.findall(text, a, b)) < MIN_WORDS:
            return False
        return self._has_predicate(text, a, b)

    def _has_predicate(self, text: str, a: int, b: int) -> bool:
        form = self.morph.form
        subjects = self.subjects
        prev, prev_end = "", a
        for m in _WORD.finditer(text, a, b):
            w = m.group(0)
            f = form(w)
            if f.predicate or f.pos == "COMP":  # «поезд дешевле»: a comparative is predicative
                return True
            plural = len(prev) > 3 and prev.endswith("s")
            if f.base_verb and (prev in subjects or plural):
                return True  # "we need", "habits matter": a base form after its subject
            if self.can_be_verb is not None and (prev in self.verb_after or (plural and text[prev_end:m.start()].isspace())) \
                    and self.can_be_verb(w.lower()):
                return True  # "it sounds", "politicians stress": a verb the short list lacks, after its subject
            prev, prev_end = w.lower(), m.end()
        return self.cues.lang == "ru" and bool(_COPULAR_DASH.search(text, a, b))

    def _has_verb(self, text: str, a: int, b: int) -> bool:
        """A predicate, or an infinitive («Что делать:», "What to try:"): the words state or ask
        something rather than label what follows."""
        if self._has_predicate(text, a, b):
            return True
        prev = ""
        for w in _WORD.findall(text, a, b):
            f = self.morph.form(w)
            if f.pos == "INFN" or (f.base_verb and prev == "to"):
                return True
            prev = w.lower()
        return False

    def _candidates(self, text: str) -> list[tuple[int, str]]:
        """(offset, cue) of every place a clause might start, sorted."""
        cues = self.cues
        found: dict[int, str] = {}
        for pat in (cues.clause_break, cues.bare_break):
            for m in pat.finditer(text):
                found.setdefault(m.end(), "")
        for m in cues.punct_break.finditer(text):
            before = text[max(0, m.start() - 3):m.start() + 1].rstrip()[-1:]
            if m.group(0).lstrip()[:1] in "—–" and before in (",", "?", "!"):
                continue  # "…, — это …", «— Ты лёг? — спросила сестра»: the dash goes on, it cuts nothing
            found.setdefault(m.end(), "punct")
        return sorted(found.items())

    def split(self, text: str, sent_spans: list[tuple[int, int]], lines_only: bool = False) -> list[Span]:
        """Proposition spans of ``text``; ``lines_only``: one unit per line (table rows)."""
        cues = self.cues
        sents = sentences(text, sent_spans, cues)
        if lines_only:
            sents = _whole_lines(text, sents)
        cands = [] if lines_only else self._candidates(text)
        if cands:
            cands = _outside_quotations(text, cands)
        spans: list[Span] = []
        k = 0
        for si, (s0, s1, line) in enumerate(sents):
            while k < len(cands) and cands[k][0] <= s0:
                k += 1
            cuts = []
            strong = set()  # cuts at a semicolon: clauses at a level above a comma's
            while k < len(cands) and cands[k][0] < s1:
                cuts.append(cands[k][0])
                if cands[k][1] == "punct" and text[max(s0, cands[k][0] - 8):cands[k][0]].rstrip().endswith(";"):
                    strong.add(cands[k][0])
                k += 1
            lead = cues.leading.match(text, s0, s1)
            if lead:
                c = self._after_leading(text, lead.end(), s0, s1)
                if c is not None and c not in cuts:
                    cuts.append(c)
                    cuts.sort()
            bounds = [s0]
            for j, c in enumerate(cuts):
                # the clause after a cut runs to the next cut; after a semicolon, to the next
                # semicolon ("… is the exam; understanding, or something like it, is …")
                nxt = next((x for x in cuts[j + 1:] if c not in strong or x in strong), s1)
                if not self.is_proposition(text, bounds[-1], c) or not self.is_proposition(text, c, nxt):
                    continue
                if self._correction(text, bounds[-1], c) or self._same_subject(text, c):
                    continue
                if self._asks_after_colon(text, bounds[-1], c, s1):
                    continue
                bounds.append(c)
            bounds.append(s1)
            first = True
            for j in range(len(bounds) - 1):
                a, b = bounds[j], bounds[j + 1]
                while a < b and text[a].isspace():
                    a += 1
                while b > a and text[b - 1].isspace():
                    b -= 1
                if j + 1 < len(bounds) - 1:  # a dash or colon we cut at is not part of the unit
                    while b > a and text[b - 1] in "—–:" or (b > a + 1 and text[b - 1].isspace()):
                        b -= 1
                if a == b or not _WORD.search(text, a, b):
                    continue
                spans.append(Span(a, b, si, first, line))
                first = False
        spans = self._join_lead_ins(text, spans)
        for _ in range(3):  # joined stubs may still be one ("Words? Letters?")
            joined = self._join_stubs(text, spans)
            if len(joined) == len(spans):
                break
            spans = joined
        return spans

    def _after_leading(self, text: str, at: int, s0: int, s1: int) -> int | None:
        """Where the main clause starts after an opening concession or reason ("Although X, Y"):
        after the first comma that closes a proposition and is not followed by a word that goes
        on with the opening clause («Даже если многие считают, что …, Y»; "Although X, and Z, Y"), nor
        the one that closes a relative clause inside it ("Although the plan, which nobody liked, failed, Y")."""
        cues = self.cues
        skip = 0  # commas still inside a relative clause
        for m in re.finditer(",", text[at:s1]):
            comma = at + m.start()
            if skip:
                skip -= 1
            elif cues.leading_embedded.match(text, comma):  # "…, which nobody liked, …"
                skip = 1
            elif not cues.leading_goes_on.match(text, comma) and self.is_proposition(text, s0, comma):
                c = comma + 1
                while c < s1 and text[c].isspace():
                    c += 1
                return c
        return None

    @staticmethod
    def _asks_after_colon(text: str, a: int, c: int, end: int) -> bool:
        """"Test after a month: do my posts still sound like me?", «Не понимаю: чем символ
        отличается от слова?»: a colon that opens the question its sentence ends with
        announces what is asked — one unit, a question."""
        return text[a:c].rstrip().endswith(":") and text[c:end].rstrip(" \"'»”)*_").endswith("?")

    def _join_stubs(self, text: str, spans: list[Span]) -> list[Span]:
        """A sentence of one or two words without a predicate ("OK.", «Спасибо!», "Words?") is
        no proposition: it joins the unit after it on the same line (or, when last, the one before)."""
        out: list[Span] = []
        i = 0
        while i < len(spans):
            s = spans[i]
            stub = len(_WORD.findall(text, s.start, s.end)) < MIN_WORDS and not self._has_predicate(text, s.start, s.end)
            if stub and i + 1 < len(spans) and spans[i + 1].line == s.line:
                out.append(_merged(s, spans[i + 1]))
                i += 2
                continue
            if stub and out and out[-1].line == s.line:
                out.append(_merged(out.pop(), s))
                i += 1
                continue
            out.append(s)
            i += 1
        return out

    def _join_lead_ins(self, text: str, spans: list[Span]) -> list[Span]:
        """A line that only labels what follows ("Example:", «Например:») opens the next unit; a
        short lead-in that states something ("It can:", «Она может:») is a unit of its own, and
        the items below attach to it."""
        def label(i: int) -> bool:
            s = spans[i]
            piece = text[s.start:s.end]
            return (i + 1 < len(spans) and piece.endswith(":") and len(_WORD.findall(piece)) <= 2
                    and spans[i + 1].line != s.line and not self._has_verb(text, s.start, s.end))

        out: list[Span] = []
        i = 0
        while i < len(spans):
            joined = label(i)
            out.append(_merged(spans[i], spans[i + 1]) if joined else spans[i])
            i += 2 if joined else 1
        return out

    def _same_subject(self, text: str, c: int) -> bool:
        """A plain "and" / «и» at ``c`` followed by a finite verb ("…, and found it closed",
        «…, и оказался неправ»): the clause goes on with the same subject; it is not cut."""
        words = [w.lower() for w in _WORD.findall(text, c, min(len(text), c + 60))[:3]]
        if len(words) < 2 or words[0] not in self.cues.coordinators:
            return False
        if self.cues.subject_after_verb and len(words) > 2 and words[2] in self.subjects:
            return False  # «и выглядят они тревожно»: the subject after its verb
        if words[1].endswith("ed"):
            return False  # "and frightened dogs flee": a participle before its noun
        f = self.morph.form(words[1])  # not an infinitive or a gerund: "and searching for them is …" has a subject
        return f.predicate or f.pos == "GRND"

    def _correction(self, text: str, a: int, c: int) -> bool:
        """«не X, а Y» / "not X but rather Y": the cue at ``c`` follows a negation in its clause;
        «X, а не Y» / "X, but not Y": the cue at ``c`` opens the negated half."""
        words = [w.lower() for w in _WORD.findall(text, c, min(len(text), c + 30))[:2]]
        if " ".join(words) in self.cues.correction_after:
            return True
        if not words or (words[0] not in self.cues.correction and " ".join(words) not in self.cues.correction):
            return False
        return bool(self.cues.negation.search(text, a, c))


def _outside_quotations(text: str, cands: list[tuple[int, str]]) -> list[tuple[int, str]]:
    """The candidate cuts that do not fall inside a quotation (quotations are found left to
    right, so they do not overlap: one bisection per candidate)."""
    quoted = [(m.start(), m.end()) for m in _QUOTED.finditer(text)]
    if not quoted:
        return cands
    starts = [q0 for q0, _ in quoted]
    out = []
    for c in cands:
        k = bisect_right(starts, c[0]) - 1
        if k < 0 or not (quoted[k][0] < c[0] < quoted[k][1]):
            out.append(c)
    return out


def _merged(first: Span, last: Span) -> Span:
    """One unit from ``first`` to the end of ``last``, where ``first`` stands."""
    return Span(first.start, last.end, first.sentence, first.first_in_sentence, first.line)


def _whole_lines(text: str, sents: list[tuple[int, int, int]]) -> list[tuple[int, int, int]]:
    """The sentences of each line joined again: one span per line."""
    out: list[list[int]] = []
    for s, e, line in sents:
        if out and out[-1][2] == line:
            out[-1][1] = e
        else:
            out.append([s, e, line])
    return [(s, e, ln) for s, e, ln in out]
