"""Quality filters: fragments, repeated examples, and prompts that would teach a model to guess.

- A **fragment** is a unit of fewer than 3 words, or one that ends where its sentence cannot
  (on ``,`` ``:`` ``;`` ``—`` or a conjunction, preposition or article) while the rest of the
  sentence (the unit right after it in the paragraph) is not in the same example. A unit that
  ends on a punctuation mark is a clause of its sentence, and whole when the example shows the
  sentence: an instruction prompt that quotes the unit's paragraph (micro tasks) does. One that
  ends on a conjunction, preposition or article is cut whatever the company.
- **Same units**: two examples of one level quoting the same set of units (a chain and a random
  walk over the same three units, a document and its only section): the first is kept.
- **Near duplicates**: answers whose word 5-gram sets (5-grams within a line) have an estimated
  Jaccard similarity of at least the threshold (MinHash with locality-sensitive hashing,
  ``datasketch``), per level.
- **Conflicting prompts**: records that share a prompt but not an answer are all removed (none
  of them can be learnt from the prompt alone).
"""

from __future__ import annotations

import re
import zlib
from array import array

from ..walk import GraphView, Tree
from .language import MID_SENTENCE_ENDINGS, ends_mid_sentence, word_count

MIN_WORDS = 3
_SENTENCE_END = re.compile(r"[.!?…][\"'»”’)\]*_]*\s*$")
SHINGLE = 5
NUM_PERM = 64
LINE_CACHE = 50_000  # lines whose shingles are remembered


class Fragments:
    """Which units are fragments in the company of which other units."""

    def __init__(self, view: GraphView):
        self.view = view
        self.short: set[str] = set()
        self.open_end: set[str] = set()
        self.dangling: set[str] = set()  # ends on a word no clause ends on
        self.continuation: dict[str, str | None] = {}
        by_par: dict[str, list[str]] = {}
        for u, data in view.units.items():
            text = data.get("text", "")
            if word_count(text) < MIN_WORDS:
                self.short.add(u)
            if ends_mid_sentence(text, data.get("lang")):
                self.open_end.add(u)
                if not text.rstrip().endswith(MID_SENTENCE_ENDINGS):
                    self.dangling.add(u)
                by_par.setdefault(data.get("paragraph_id"), []).append(u)
        for par, units in by_par.items():
            text = view.paragraphs.get(par, {}).get("text", "")
            starts = sorted((view.units[v]["start"], v) for v in view.units_of_paragraph(par))
            for u in units:
                end = view.units[u]["end"]
                nxt = next((v for s, v in starts if s >= end), None)
                if nxt is not None and text[end:view.units[nxt]["start"]].strip():
                    nxt = None  # words between them belong to no unit: the sentence stays cut
                self.continuation[u] = nxt
        self.paragraph_units = {par: [v for _, v in sorted((view.units[v]["start"], v) for v in view.units_of_paragraph(par))]
                                for par in by_par}

    @classmethod
    def union(cls, view: GraphView, parts: list["Fragments"]) -> "Fragments":
        """The fragments of ``view``, the union of the views of ``parts`` (disjoint paragraphs:
        what a unit's fragment needs to be judged lies within its paragraph)."""
        if len(parts) == 1 and parts[0].view is view:
            return parts[0]
        out = cls.__new__(cls)
        out.view = view
        out.short, out.open_end, out.dangling = set(), set(), set()
        out.continuation, out.paragraph_units = {}, {}
        for part in parts:
            out.short |= part.short
            out.open_end |= part.open_end
            out.dangling |= part.dangling
            out.continuation.update(part.continuation)
            out.paragraph_units.update(part.paragraph_units)
        return out

    def of(self, units, shown=frozenset()) -> set[str]:
        """The fragments among ``units`` (a set), judged in their own company; ``shown``: the
        paragraphs whose whole text the example also gives."""
        return {u for u in units if u in self.short
                or (u in self.open_end and self.continuation.get(u) not in units
                    and (u in self.dangling or self.view.units[u].get("paragraph_id") not in shown))}

    def sentence(self, unit: str) -> list[str]:
        """The units of the sentence ``unit`` is a clause of, in order: the units of its
        paragraph next to it, on the same line, up to the ones that end the sentence (on
        ``.`` ``!`` ``?`` ``…``) before and after it."""
        view = self.view
        par = view.units[unit].get("paragraph_id")
        order = self.paragraph_units.get(par, [unit])
        text = view.paragraphs.get(par, {}).get("text", "")
        k = order.index(unit)

        def ends(v):
            return _SENTENCE_END.search(view.units[v].get("text", "")) is not None

        def joined(a, b):  # only white space, and no line break, between units a and b
            gap = text[view.units[a]["end"]:view.units[b]["start"]]
            return not gap.strip() and "\n" not in gap

        first = last = k
        while first > 0 and not ends(order[first - 1]) and joined(order[first - 1], order[first]):
            first -= 1
        while last + 1 < len(order) and not ends(order[last]) and joined(order[last], order[last + 1]):
            last += 1
        return order[first:last + 1]

    def clean_tree(self, tree: Tree) -> tuple[Tree | None, int]:
        """``tree`` without the subtrees of its fragments (again until none is left); None
        when the root itself is one. Returns the tree and how many units were removed."""
        removed = 0
        while True:
            units = set(tree.units())
            bad = self.of(units)
            if not bad:
                return tree, removed
            if tree.unit in bad:
                return None, removed + len(units)
            tree = prune(tree, bad)
            removed += len(units) - tree.size()


def prune(tree: Tree, bad: set[str]) -> Tree:
    return Tree(tree.unit, tree.rel, [prune(c, bad) for c in tree.children if c.unit not in bad])


_WORD = re.compile(r"\w+")
_MASK = 0xFFFFFFFF


def answer_shingles(text: str) -> frozenset[int]:
    """32-bit hashes of a text's word 5-grams (lower-cased ``\\w+`` words; a text of fewer
    words is one shingle). Words hash with CRC-32 and 5-grams as tuples of those integers,
    so the values are the same in every run."""
    words = [zlib.crc32(w.encode()) for w in _WORD.findall(text.lower())] or [0]
    if len(words) < SHINGLE:
        return frozenset((hash(tuple(words)) & _MASK,))
    return frozenset(hash(t) & _MASK for t in zip(*(words[k:] for k in range(SHINGLE))))


# MinHash LSH as ``datasketch`` 2 computes it (``MinHash(num_perm=64, hashfunc=int, seed=1,
# scheme="affine32")`` and ``MinHashLSH(threshold, num_perm=64)``), done here with numpy alone:
# importing datasketch loads scipy (about 45 MiB of a process, for the one integral that picks
# the bands), and its index keeps a set per bucket. ``tests/test_export.py`` checks the two agree.
_SEED = 1
_FMIX32 = (16, 0x85EBCA6B, 13, 0xC2B2AE35, 16)  # the MurmurHash3 finalizer, 32 bits
# (bands, rows) that minimise the equally weighted false positive and false negative
# probabilities (``datasketch.lsh._optimal_param``), for the thresholds the CLI uses
BANDS = {(0.9, 64): (3, 21)}


def _bands(threshold: float, num_perm: int) -> tuple[int, int]:
    found = BANDS.get((threshold, num_perm))
    if found is None:  # another threshold: datasketch's own search (it needs scipy)
        from datasketch.lsh import _optimal_param

        found = BANDS[(threshold, num_perm)] = _optimal_param(threshold, num_perm, 0.5, 0.5)
    return found


def _permutations(num_perm: int):
    import numpy as np

    gen = np.random.RandomState(_SEED)
    a = gen.randint(0, 1 << 31, num_perm, dtype=np.uint32) * np.uint32(2) + np.uint32(1)
    b = gen.randint(0, 1 << 32, num_perm, dtype=np.uint32)
    return a, b


class NearDuplicates:
    """Per-level MinHash LSH over answers: ``seen(level, text)`` is True when an earlier
    answer of that level is a near duplicate (one of its bands equals an earlier answer's),
    and remembers this one otherwise (its bands only, as bytes)."""

    def __init__(self, threshold: float):
        import numpy as np

        self._np = np
        self.threshold = threshold
        self.b, self.r = _bands(threshold, NUM_PERM)
        self._a, self._b = _permutations(NUM_PERM)
        self._fmix = tuple(np.uint32(c) for c in _FMIX32)
        self.indexes: dict[str, list[set[bytes]]] = {}
        self._lines: dict[str, array] = {}
        self._item = np.dtype(f"=u{array('I').itemsize}")  # an array("I")'s items, as numpy reads them

    def _line_shingles(self, text: str) -> list[array]:
        """The 5-gram hashes of each line of an answer (lines recur across answers, so each
        line is hashed once)."""
        out = []
        for line in text.split("\n"):
            found = self._lines.get(line)
            if found is None:
                if len(self._lines) >= LINE_CACHE:  # a bounded cache: an export's memory stays flat
                    self._lines.clear()
                # kept as 32-bit values, not a set of int objects: 8 times smaller
                found = self._lines[line] = array("I", answer_shingles(line))
            out.append(found)
        return out

    def shingles(self, text: str) -> list[int]:
        """The 5-gram hashes of an answer: those of its lines, in a fixed order."""
        out: set[int] = set()
        for found in self._line_shingles(text):
            out.update(found)
        return sorted(out)

    def signature(self, values):
        """The MinHash of ``values`` (32-bit integers; a list, or a numpy array): per
        permutation, the least of ``a * fmix(v) + b`` modulo 2**32 (so neither their order
        nor a repeated value changes it)."""
        np = self._np
        hv = np.asarray(values, dtype=np.uint32).reshape(-1, 1)
        s1, m1, s2, m2, s3 = self._fmix
        hv = hv ^ (hv >> s1)
        hv = hv * m1
        hv = hv ^ (hv >> s2)
        hv = hv * m2
        hv = hv ^ (hv >> s3)
        return (hv * self._a + self._b).min(axis=0)

    def seen(self, level: str, key: str, text: str) -> bool:
        bands = self.indexes.get(level)
        if bands is None:
            bands = self.indexes[level] = [set() for _ in range(self.b)]
        # the lines' hashes as they are: the least value of each permutation is that of their set
        np = self._np
        sig = self.signature(np.concatenate([np.frombuffer(found, dtype=self._item)
                                             for found in self._line_shingles(text)]))
        r = self.r
        keys = [sig[k * r:(k + 1) * r].tobytes() for k in range(self.b)]
        if any(h in band for h, band in zip(keys, bands)):
            return True
        for h, band in zip(keys, bands):
            band.add(h)
        return False
