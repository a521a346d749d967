"""Time the rule-based extractor against a bare spaCy pass over the same text.

    python benchmarks/extraction_speed.py [--paragraphs 20000] [--langs en,ru]

For each language a corpus of generated paragraphs (sentences combined at random from
word lists, with and without discourse cues) is processed twice in the same run:
1. bare spaCy: the same pipeline GraphMind uses (``nlp.pipe``), no GraphMind logic;
2. GraphMind: ``RuleExtractor.extract_note`` on documents of 20 paragraphs each
   (segmentation, typing, relations, concepts, ids).
It prints paragraphs/s for both and their ratio (target: GraphMind <= 1.5x the bare pass),
then the peak resident memory of a fresh process streaming a quarter of the corpus and one
streaming the whole corpus (flat memory: the two peaks are about the same).
"""

from __future__ import annotations

import argparse
import random
import sys
import time
import subprocess
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from graphmind.extract.nlp import load_pipeline  # noqa: E402
from synthetic import peak_rss_mib  # noqa: E402
from graphmind.extract.rules import RuleExtractor  # noqa: E402
from graphmind.read import Note  # noqa: E402
from graphmind.read.markdown import Block  # noqa: E402

WORDS = {
    "en": {
        "subj": ["the city", "our school", "every writer", "the government", "a good teacher", "most readers",
                 "the new law", "public transport", "a healthy diet", "the internet", "memory", "science"],
        "verb": ["should change", "improves", "damages", "needs", "supports", "ignores", "shapes", "costs",
                 "protects", "explains", "reduces", "creates"],
        "obj": ["the way we learn", "our daily habits", "public health", "the quality of work", "local business",
                "the cost of living", "young people", "long-term planning", "trust in experts", "free time"],
        "cue": ["", "", "Therefore ", "However, ", "For example, ", "Because of this, ", "Moreover, ",
                "Of course, ", "Thus ", "But "],
        "tail": ["", ", because it matters", ", but the costs are high", ", although few agree", ""],
    },
    "ru": {
        "subj": ["город", "наша школа", "каждый писатель", "правительство", "хороший учитель", "многие читатели",
                 "новый закон", "общественный транспорт", "здоровое питание", "интернет", "память", "наука"],
        "verb": ["должен изменить", "улучшает", "разрушает", "требует", "поддерживает", "игнорирует",
                 "формирует", "стоит", "защищает", "объясняет", "сокращает", "создаёт"],
        "obj": ["способ учиться", "наши привычки", "общественное здоровье", "качество работы", "местный бизнес",
                "стоимость жизни", "молодых людей", "долгосрочное планирование", "доверие к экспертам",
                "свободное время"],
        "cue": ["", "", "Поэтому ", "Однако ", "Например, ", "Кроме того, ", "Конечно, ", "Итак, ", "Но ", ""],
        "tail": ["", ", потому что это важно", ", но это дорого", ", хотя не все согласны", ""],
    },
}


def paragraphs(lang: str, n: int, seed: int = 7):
    rnd = random.Random(seed)
    w = WORDS[lang]
    for _ in range(n):
        sentences = []
        for _ in range(rnd.randint(3, 6)):
            s = f"{rnd.choice(w['cue'])}{rnd.choice(w['subj'])} {rnd.choice(w['verb'])} {rnd.choice(w['obj'])}{rnd.choice(w['tail'])}."
            sentences.append(s[0].upper() + s[1:])
        yield " ".join(sentences)


def notes(lang: str, n: int, per_doc: int = 20):
    batch = []
    for k, text in enumerate(paragraphs(lang, n)):
        batch.append(Block(text, ()))
        if len(batch) == per_doc:
            yield Note(f"gen/{lang}/{k // per_doc}.md", f"doc {k // per_doc}", batch, [])
            batch = []
    if batch:
        yield Note(f"gen/{lang}/last.md", "last", batch, [])


def bare_pass(lang: str, n: int) -> float:
    nlp = load_pipeline(lang, trained=False)
    t0 = time.perf_counter()
    for _ in nlp.pipe(paragraphs(lang, n)):
        pass
    return time.perf_counter() - t0


def graphmind_pass(lang: str, n: int) -> float:
    ex = RuleExtractor(lang=lang, trained=False)
    t0 = time.perf_counter()
    units = 0
    for note in notes(lang, n):
        units += len(ex.extract_note(note).units)
    return time.perf_counter() - t0


def peak_memory(lang: str, n: int) -> float:
    """Peak resident memory (MiB) of a fresh process that streams ``n`` paragraphs."""
    out = subprocess.run([sys.executable, __file__, "--rss", lang, str(n)], capture_output=True, text=True, check=True)
    return float(out.stdout.strip().splitlines()[-1])


def _rss(lang: str, n: int) -> None:
    ex = RuleExtractor(lang=lang, trained=False)
    for note in notes(lang, n):
        ex.extract_note(note)
    print(peak_rss_mib())


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--paragraphs", type=int, default=20000)
    ap.add_argument("--langs", default="en,ru")
    ap.add_argument("--rss", nargs=2, metavar=("LANG", "N"), help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.rss:
        _rss(args.rss[0], int(args.rss[1]))
        return 0
    n = args.paragraphs
    print("| lang | paragraphs | bare spaCy par/s | GraphMind par/s | ratio (GraphMind time / bare time) |")
    print("|---|---|---|---|---|")
    rows = []
    for lang in args.langs.split(","):
        load_pipeline(lang, trained=False)
        graphmind_pass(lang, 200)  # warm up both
        bare = bare_pass(lang, n)
        gm = graphmind_pass(lang, n)
        print(f"| {lang} | {n} | {n / bare:,.0f} | {n / gm:,.0f} | {gm / bare:.2f} |", flush=True)
        rows.append(lang)
    print()
    print("| lang | peak RSS, 1/4 of the corpus (MiB) | peak RSS, whole corpus (MiB) |")
    print("|---|---|---|")
    for lang in rows:
        small, full = peak_memory(lang, n // 4), peak_memory(lang, n)
        print(f"| {lang} | {small:.1f} | {full:.1f} |", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
