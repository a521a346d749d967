"""Features of units and of ordered pairs of units: pure functions of the paragraph text, the
unit spans and the language's cues. Named features (strings) so that weights are readable data.

``unit_features`` gives, per unit, the names of its active binary features (plus a few real
values); ``pair_matrix`` gives the attachment features of every ordered pair (source, target)
as one numpy array, built by broadcasting over the unit features.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field

import numpy as np

from .cues import ANYWHERE_CLASSES, START_CLASSES, Cues

_WORD = re.compile(r"\w+(?:[-'’]\w+)*")
#: a question in direct speech with the words that say who asked after it: «— Ты лёг? —
#: спросила сестра.», '"Did you sleep?" she asked.'
_SPEECH_ASKED = re.compile(r"\?(?:[\"'»”](?:\s*[—–])?|\s*[—–])\s*[^\W\d_A-ZА-ЯЁ][^?!]*$")

#: image constructions that carry a paragraph's image (its other units may extend it)
STRONG_IMAGES = frozenset({"copular", "simile"})

#: opening-cue classes that say where a unit points (used in pair features)
POINTING = ("conclusion", "reason", "additive", "contrast", "concession", "report", "undercut",
            "example", "restatement", "condition", "opinion", "agreement")


#: opening classes of a source and a target whose combination says something about attachment
PAIR_SOURCE = ("contrast", "undercut", "reason", "example", "additive", "concession", "report", "conclusion",
               "restatement", "none")
PAIR_TARGET = ("concession", "report", "contrast", "conclusion", "reason", "example", "opinion", "none")


def unit_feature_names() -> list[str]:
    names = ["bias", "pos:first", "pos:last", "pos:middle", "pos:only", "pos:rel", "sent:first",
             "sent:in_first_sentence", "sent:in_last_sentence", "line:item", "line:lead_in", "line:nested", "q", "excl",
             "len:log", "len:short", "emph", "colon_end", "image", "units:few", "units:many",
             "image:copular", "image:genitive", "image:modifier", "image:verb", "image:simile",
             "image:paragraph", "concrete:share",
             "open:none", "comma_end", "overlap:degree", "overlap:top", "q:last",
             "past", "number", "name", "abstract:share", "abstract:none",
             "concession:answered", "concession:unanswered", "report:answered", "report:unanswered",
             "after_leading:reason", "after_leading:concession", "after_leading:condition",
             "leading:reason", "leading:concession", "anaphor", "report:voiced"]
    names += [f"open:{c}" for c in START_CLASSES]
    names += [f"any:{c}" for c in ANYWHERE_CLASSES]
    names += [f"next_open:{c}" for c in POINTING] + ["next_open:none", "next:none"]
    names += [f"prev_open:{c}" for c in POINTING] + ["prev_open:none", "prev:none"]
    names += [f"open_any:{c}" for c in ("concession", "report", "contrast", "undercut")]
    return names


def pair_feature_names() -> list[str]:
    names = ["d:-1", "d:-2", "d:-3+", "d:+1", "d:+2", "d:+3+", "t:first", "t:last", "same_sent",
             "same_line", "t:q", "s:q", "overlap", "overlap:any", "t:normative", "t:open:none",
             "item_to_lead", "t:earlier_item", "t:list_parent", "t:sent_first", "t:cc", "t:cc_best", "s:cc",
             "t:opp", "s:opp", "role_differs", "t:opp_nearest", "s:pro>t:opp_nearest"]
    names += [f"s:{c}:back" for c in POINTING] + [f"s:{c}:fwd" for c in POINTING]
    names += [f"s:{c}:adj" for c in POINTING]
    names += [f"t:open:{c}" for c in POINTING]
    names += ["s:none:back", "s:none:fwd", "s:none:adj", "s:anaphor:adj", "s:anaphor:far", "s:anaphor:fwd"]
    names += [f"pair:{a}>{b}" for a in PAIR_SOURCE for b in PAIR_TARGET]
    return names


UNIT_FEATURES = unit_feature_names()
PAIR_FEATURES = pair_feature_names()
UNIT_INDEX = {n: i for i, n in enumerate(UNIT_FEATURES)}
PAIR_INDEX = {n: i for i, n in enumerate(PAIR_FEATURES)}


@dataclass(slots=True)
class UnitInfo:
    """What the features see of a unit."""

    start: int
    end: int
    sentence: int
    first_in_sentence: bool
    line: int
    depth: int = 0  # how deep the unit's line is nested in a list (two spaces of indentation a level)
    opening: tuple[str, ...] = ()
    cue: str = ""
    anaphor: bool = False  # opens by pointing back at what was said ("this", «это»)
    found: dict = field(default_factory=dict)  # anywhere class -> first match
    lemmas: frozenset = frozenset()
    words: int = 0
    emphasis: bool = False
    image: bool = False
    question: bool = False
    quoted: bool = False  # ends in a closing quotation mark (a question quoted, not asked)
    past: bool = False
    number: bool = False
    name: bool = False
    abstract: float = 0.0  # share of content words that name ideas
    images: list = field(default_factory=list)  # (start, end) of image words
    image_kinds: frozenset = frozenset()  # the constructions they stand in (copular, verb, …)
    concrete: float = 0.0  # the share of its nouns that name concrete things
    defines_nothing: bool = False  # a definition cue ends it ("… decide what "it" refers to.")
    definition_frame: tuple = ()  # it says what its short subject is ("An embedding is a list …"): (subject, predicate) words


def describe(text: str, units: list[UnitInfo], cues: Cues, morph=None) -> None:
    """Fill in each unit's opening cue, the cues inside it (one scan of the paragraph) and, with
    ``morph``, what its words say about it: told in the past, with numbers or names, how much
    of it names ideas rather than things."""
    for u in units:
        u.opening, u.cue = cues.opening(text, u.start, u.end)
        u.anaphor = not u.opening and cues.anaphor.match(text, u.start, u.end) is not None
        words = _WORD.findall(text, u.start, u.end)
        u.words = len(words)
        if morph is not None:
            _words(u, words, cues, morph)
        tail = text[u.start:u.end].rstrip(" *_")
        u.question = tail.rstrip(" \"'»”)*_").endswith("?") or bool(
            _SPEECH_ASKED.search(tail) and cues.asking.search(tail))
        u.quoted = tail.endswith(("\"", "'", "»", "”"))
        frame = cues.definition_frame.match(text, u.start, u.end)
        u.definition_frame = (frame.group("subject").split()[-1], frame.group("predicate")) if frame else ()
    k, n = 0, len(units)
    for m in cues.anywhere.finditer(text):
        start = m.start()
        while k < n and units[k].end <= start:
            k += 1
        if k == n:
            break
        if units[k].start <= start and m.end() <= units[k].end:
            for cls in cues.classes_of(m):
                units[k].found.setdefault(cls, m)
                if cls == "definition" and _WORD.search(text, m.end(), units[k].end) is None:
                    units[k].defines_nothing = True


def _words(u: UnitInfo, words: list[str], cues: Cues, morph) -> None:
    content = abstract = 0
    for k, w in enumerate(words):
        if w[0].isdigit():
            u.number = True
            continue
        f = morph.form(w)
        if f.past:
            u.past = True
        if k and w[0].isupper() and not w.isupper():
            u.name = True
        if len(w) < 4:
            continue
        lemma = f.lemma
        if lemma in cues.stopwords:
            continue
        content += 1
        if lemma in cues.abstract_nouns or (len(lemma) >= 6 and lemma.endswith(cues.abstract_suffixes)):
            abstract += 1
    u.abstract = abstract / content if content else 0.0


def unit_matrix(text: str, units: list[UnitInfo]) -> np.ndarray:
    """The unit features of a paragraph's units, one row each."""
    n = len(units)
    X = np.zeros((n, len(UNIT_FEATURES)))
    ix = UNIT_INDEX
    last_sentence = units[-1].sentence if units else 0
    # what depends on the whole paragraph is counted once (a list block has dozens of units)
    degree = _overlap_degree(units)
    top = max(degree) if degree else 0
    strong = [bool(u.image_kinds & STRONG_IMAGES) for u in units]
    strong_total = sum(strong)
    opened = set().union(*(u.opening for u in units)) if units else set()
    open_any = [f"open_any:{c}" for c in ("concession", "report", "contrast", "undercut") if c in opened]
    answered_after = [False] * n  # a unit after i opens with a contrast or an undercut
    for i in range(n - 2, -1, -1):
        v = units[i + 1]
        answered_after[i] = answered_after[i + 1] or "contrast" in v.opening or "undercut" in v.opening
    for i, u in enumerate(units):
        row = X[i]
        row[ix["bias"]] = 1.0
        if n == 1:
            row[ix["pos:only"]] = 1.0
        elif i == 0:
            row[ix["pos:first"]] = 1.0
        elif i == n - 1:
            row[ix["pos:last"]] = 1.0
        else:
            row[ix["pos:middle"]] = 1.0
        row[ix["pos:rel"]] = i / (n - 1) if n > 1 else 0.0
        row[ix["sent:first"]] = u.first_in_sentence
        row[ix["sent:in_first_sentence"]] = u.sentence == units[0].sentence
        row[ix["sent:in_last_sentence"]] = u.sentence == last_sentence
        row[ix["line:item"]] = u.line > 0
        row[ix["line:lead_in"]] = u.line == 0 and units[-1].line > 0
        row[ix["line:nested"]] = u.depth > 0
        tail = text[u.end - 1:u.end]
        row[ix["q"]] = u.question
        row[ix["q:last"]] = u.question and i == n - 1
        row[ix["past"]] = u.past
        row[ix["number"]] = u.number
        row[ix["name"]] = u.name
        row[ix["abstract:share"]] = u.abstract
        row[ix["abstract:none"]] = u.abstract == 0.0
        row[ix["excl"]] = tail == "!"
        row[ix["colon_end"]] = tail == ":"
        row[ix["comma_end"]] = tail in ",;—–-"
        row[ix["len:log"]] = math.log1p(u.words) / 3.0
        row[ix["len:short"]] = u.words < 5
        row[ix["emph"]] = u.emphasis
        row[ix["anaphor"]] = u.anaphor
        row[ix["image"]] = u.image
        for kind in u.image_kinds:
            row[ix[f"image:{kind}"]] = 1.0
        row[ix["image:paragraph"]] = strong_total - strong[i] > 0
        row[ix["concrete:share"]] = u.concrete
        row[ix["overlap:degree"]] = degree[i] / (n - 1) if n > 1 else 0.0
        row[ix["overlap:top"]] = top > 0 and degree[i] == top
        row[ix["units:few"]] = n <= 3
        row[ix["units:many"]] = n >= 7
        if u.opening:
            for c in u.opening:
                row[ix[f"open:{c}"]] = 1.0
        else:
            row[ix["open:none"]] = 1.0
        for c in u.found:
            row[ix[f"any:{c}"]] = 1.0
        said, me = u.found.get("report"), u.found.get("first_person")
        row[ix["report:voiced"]] = said is not None and (me is None or me.start() > said.start())
        for other, prefix in ((units[i + 1] if i + 1 < n else None, "next"), (units[i - 1] if i else None, "prev")):
            if other is None:
                row[ix[f"{prefix}:none"]] = 1.0
                continue
            pointing = [c for c in other.opening if c in POINTING]
            if not pointing:
                row[ix[f"{prefix}_open:none"]] = 1.0
            for c in pointing:
                row[ix[f"{prefix}_open:{c}"]] = 1.0
        for name in open_any:
            row[ix[name]] = 1.0
        # a sentence opening with a reason or a concession, and the main clause after it
        for c in ("reason", "concession", "condition"):
            if i and units[i - 1].sentence == u.sentence and units[i - 1].first_in_sentence \
                    and c in units[i - 1].opening:
                row[ix[f"after_leading:{c}"]] = 1.0
            if c != "condition" and u.first_in_sentence and c in u.opening and i + 1 < n \
                    and units[i + 1].sentence == u.sentence:
                row[ix[f"leading:{c}"]] = 1.0
        for c in ("concession", "report"):  # an opposing voice is answered by a later "but"
            if c in u.opening:
                answered = answered_after[i]
                row[ix[f"{c}:{'answered' if answered else 'unanswered'}"]] = 1.0
    return X


def _overlap_degree(units: list[UnitInfo]) -> list[int]:
    """For each unit, how many other units share a content lemma with it."""
    vocab: dict[str, int] = {}
    for u in units:
        for lem in u.lemmas:
            vocab.setdefault(lem, len(vocab))
    if not vocab:
        return [0] * len(units)
    B = np.zeros((len(units), len(vocab)))
    for i, u in enumerate(units):
        B[i, [vocab[lem] for lem in u.lemmas]] = 1.0
    shares = (B @ B.T) > 0
    return (shares.sum(axis=1) - shares.diagonal()).tolist()


def _one_hot(units: list[UnitInfo], classes: tuple, with_none: bool) -> np.ndarray:
    """Which of ``classes`` each unit opens with (a last column for none of them)."""
    out = np.zeros((len(units), len(classes) + with_none))
    index = {c: k for k, c in enumerate(classes)}
    for i, u in enumerate(units):
        hit = False
        for c in u.opening:
            k = index.get(c)
            if k is not None:
                out[i, k] = 1.0
                hit = True
        if with_none and not hit:
            out[i, -1] = 1.0
    return out


def list_parents(units: list[UnitInfo]) -> list[tuple[int, int]]:
    """(i, j): unit i opens a nested list item's line and unit j opens the line it is nested
    under (the nearest line before it that is less deep)."""
    out = []
    opener: list[tuple[int, int]] = []  # (depth, unit) of the lines seen, the latest last
    for i, u in enumerate(units):
        if i and units[i - 1].line == u.line:
            continue
        if u.depth > 0:
            j = next((k for d, k in reversed(opener) if d < u.depth), None)
            if j is not None:
                out.append((i, j))
        opener.append((u.depth, i))
    return out


def pair_matrix(units: list[UnitInfo]) -> np.ndarray:
    """Attachment features for every ordered pair: ``P[i, j]`` describes "unit i attaches to
    unit j" (zeros on the diagonal)."""
    n = len(units)
    ix = PAIR_INDEX
    P = np.zeros((n, n, len(PAIR_FEATURES)))
    idx = np.arange(n)
    d = idx[None, :] - idx[:, None]  # target - source
    P[..., ix["d:-1"]] = d == -1
    P[..., ix["d:-2"]] = d == -2
    P[..., ix["d:-3+"]] = d <= -3
    P[..., ix["d:+1"]] = d == 1
    P[..., ix["d:+2"]] = d == 2
    P[..., ix["d:+3+"]] = d >= 3
    P[:, 0, ix["t:first"]] = 1.0
    P[:, n - 1, ix["t:last"]] = 1.0
    sent = np.array([u.sentence for u in units])
    line = np.array([u.line for u in units])
    P[..., ix["same_sent"]] = sent[:, None] == sent[None, :]
    P[..., ix["same_line"]] = line[:, None] == line[None, :]
    P[..., ix["item_to_lead"]] = (line[:, None] > 0) & (line[None, :] == 0) & (line[-1] > 0)
    P[..., ix["t:earlier_item"]] = (line[:, None] > line[None, :]) & (line[None, :] > 0)
    for i, j in list_parents(units):
        P[i, j, ix["t:list_parent"]] = 1.0
    t_q = np.array([u.question for u in units], dtype=float)
    P[..., ix["t:q"]] = t_q[None, :]
    P[..., ix["s:q"]] = t_q[:, None]
    P[..., ix["t:normative"]] = np.array([("normative" in u.found) for u in units], dtype=float)[None, :]
    P[..., ix["t:sent_first"]] = np.array([u.first_in_sentence for u in units], dtype=float)[None, :]
    # lexical overlap of content lemmas: a unit x lemma matrix, multiplied by itself
    vocab: dict[str, int] = {}
    for u in units:
        for lem in u.lemmas:
            vocab.setdefault(lem, len(vocab))
    if vocab:
        B = np.zeros((n, len(vocab)))
        for i, u in enumerate(units):
            for lem in u.lemmas:
                B[i, vocab[lem]] = 1.0
        common = B @ B.T
        P[..., ix["overlap"]] = np.minimum(common, 3) / 3.0
        P[..., ix["overlap:any"]] = common > 0
    back, fwd, adj = (d < 0), (d > 0), (d == -1)
    src = _one_hot(units, POINTING, with_none=True)  # (n, classes + none)
    names = list(POINTING) + ["none"]
    for k, c in enumerate(names):
        col = src[:, k][:, None]
        P[..., ix[f"s:{c}:back"]] = col * back
        P[..., ix[f"s:{c}:fwd"]] = col * fwd
        P[..., ix[f"s:{c}:adj"]] = col * adj
    tgt = _one_hot(units, POINTING, with_none=True)
    for k, c in enumerate(POINTING):
        P[..., ix[f"t:open:{c}"]] = tgt[:, k][None, :]
    P[..., ix["t:open:none"]] = tgt[:, -1][None, :]
    ana = np.array([u.anaphor for u in units], dtype=float)[:, None]
    P[..., ix["s:anaphor:adj"]] = ana * adj
    P[..., ix["s:anaphor:far"]] = ana * (d < -1)
    P[..., ix["s:anaphor:fwd"]] = ana * fwd
    s_pair = _one_hot(units, PAIR_SOURCE[:-1], with_none=True)  # PAIR_SOURCE ends with "none"
    t_pair = _one_hot(units, PAIR_TARGET[:-1], with_none=True)
    block = (s_pair[:, None, :, None] * t_pair[None, :, None, :]).reshape(n, n, -1)
    first = ix[f"pair:{PAIR_SOURCE[0]}>{PAIR_TARGET[0]}"]
    P[..., first:first + block.shape[2]] = block
    P[idx, idx, :] = 0.0
    return P
