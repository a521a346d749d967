"""Images: where a unit speaks of an idea through a concrete thing.

An image is a word from a concrete source domain (``CONCRETE_NOUNS``, ``PHYSICAL_VERBS`` in
the language data) put to work on an abstract one (``ABSTRACT_NOUNS``, or a noun with an
abstract suffix such as -ness, -tion, «-ость», «-ние»):

- a copular image: an abstract subject and a concrete predicate noun ("attention is a garden",
  «память — это река», «память — река»);
- a genitive image: a concrete noun governing an abstract one ("the weight of tradition",
  «горизонт дыхания модели»);
- a physical verb with an abstract noun beside it ("poverty grips", «идея пустила корни»);
- a simile: the words after "like a", "as if", «словно», «будто».

``find_images`` returns the character spans of the image words of a unit.
"""

from __future__ import annotations

import re

from .cues import Cues

_WORD = re.compile(r"\w+(?:[-'’]\w+)*")
_DASH = re.compile(r"\s[—–]\s")
WINDOW = 3


def _stems(lower: str) -> tuple[str, ...]:
    """English verb forms reduced to candidate base forms (grips, gripped, gripping -> grip)."""
    out = [lower]
    for suffix, repl in (("ing", ""), ("ing", "e"), ("ed", ""), ("ed", "e"), ("es", ""), ("s", ""),
                         ("ied", "y"), ("ies", "y")):
        if lower.endswith(suffix) and len(lower) - len(suffix) >= 3:
            out.append(lower[: len(lower) - len(suffix)] + repl)
    if len(out) > 1 and len(out[1]) >= 4 and out[1][-1] == out[1][-2]:  # stopped -> stopp -> stop
        out.append(out[1][:-1])
    return tuple(out)


def _is_abstract(lemma: str, cues: Cues) -> bool:
    return lemma in cues.abstract_nouns or (len(lemma) >= 6 and lemma.endswith(cues.abstract_suffixes)
                                            and lemma not in cues.concrete_nouns)


def find_images(text: str, start: int, end: int, found: dict, cues: Cues, morph) -> list[tuple[int, int]]:
    words = []
    for m in _WORD.finditer(text, start, end):
        w = m.group(0)
        form = morph.form(w)
        lemma = form.lemma if cues.lang == "ru" else w.lower()
        words.append((m.start(), m.end(), w.lower(), lemma, form))
    if len(words) < 2:
        return []
    concrete = [(lem in cues.concrete_nouns or low in cues.concrete_nouns) for _, _, low, lem, _ in words]
    abstract = [(_is_abstract(lem, cues) or _is_abstract(low, cues)) and not concrete[k]
                for k, (_, _, low, lem, _) in enumerate(words)]
    images: list[tuple[int, int]] = []
    # copular: an abstract subject, a concrete predicate
    split = None
    if "copula" in found:
        split = found["copula"].start(), found["copula"].end()
    elif cues.lang == "ru":
        dash = _DASH.search(text, start, end)
        if dash:
            split = dash.start(), dash.end()
    if split is not None:
        head = [k for k, w in enumerate(words) if w[1] <= split[0]]
        tail = [k for k, w in enumerate(words) if w[0] >= split[1]]
        if any(abstract[k] for k in head):
            for k in tail[:4]:
                if concrete[k]:
                    images.append((words[k][0], words[k][1]))
                    break
    # genitive: a concrete noun governing an abstract one
    for k, w in enumerate(words):
        if not concrete[k]:
            continue
        nxt = words[k + 1:k + 1 + WINDOW]
        if cues.lang == "ru":
            if any(abstract[k + 1 + j] and x[4].genitive for j, x in enumerate(nxt)):
                images.append((w[0], w[1]))
        elif nxt and nxt[0][2] in cues.genitive_link and any(abstract[k + 2 + j] for j in range(len(nxt) - 1)):
            images.append((w[0], w[1]))
    # a physical verb beside an abstract noun
    for k, w in enumerate(words):
        low, lemma = w[2], w[3]
        physical = lemma in cues.physical_verbs if cues.lang == "ru" else any(
            s in cues.physical_verbs for s in _stems(low))
        if physical and not concrete[k]:
            lo, hi = max(0, k - WINDOW), min(len(words), k + WINDOW + 1)
            if any(abstract[j] for j in range(lo, hi) if j != k):
                images.append((w[0], w[1]))
    # simile: what comes after the cue
    if "simile" in found:
        m = found["simile"]
        after = [w for w in words if w[0] >= m.end()][:3]
        if after:
            images.append((m.start(), after[-1][1]))
    return sorted(set(images))
