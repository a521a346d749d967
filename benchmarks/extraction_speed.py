"""Time the rule-based extractor against a bare spaCy pass over the same text.

    python benchmarks/extraction_speed.py [--paragraphs 20000] [--langs en,ru] [--repeat 3] [--old WORKTREE]

For each language a corpus of generated paragraphs (sentences combined at random from
word lists, with and without discourse cues), made before any timing, is processed in the
same run by:
1. bare spaCy: the same pipeline GraphMind uses (``nlp.pipe``), no GraphMind logic;
2. GraphMind: ``RuleExtractor.extract_note`` on documents of 20 paragraphs each
   (segmentation, typing, relations, concepts, ids);
3. records only: the paragraph, unit and relation records GraphMind returns for the
   same corpus, and their content-hash ids, built again from the finished analysis
   (no segmentation, typing, relations or concepts). No implementation in Python that
   returns these records can cost less than this; it is the floor under (2).
Each pass runs ``--repeat`` times, interleaved, and the fastest run counts (the least
disturbed by other work on the machine). It prints paragraphs/s and each pass's time
as a multiple of the bare pass (target for GraphMind: <= 1.5x), then the peak resident
memory of a fresh process streaming a quarter of the corpus and one streaming the whole
corpus (flat memory: the two peaks are about the same).

With ``--old WORKTREE`` (an older GraphMind, ``git worktree add DIR REV``), the same notes
are also extracted by that version in its own interpreter, interleaved with the current one,
and the table gives current time / old time per paragraph — on the generated paragraphs and
on real prose (the paragraphs of ``corpus/``, repeated to the same size).
"""

from __future__ import annotations

import argparse
import gc
import random
import sys
import time
import subprocess
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from graphmind import ids  # noqa: E402
from graphmind.extract.nlp import load_pipeline  # noqa: E402
from graphmind.model import Paragraph, Relation, Unit  # noqa: E402
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


def prepared(lang: str, n: int) -> tuple[list[str], list[Note]]:
    """The corpus made before any timing: its paragraph texts, and the same paragraphs as
    notes of 20 paragraphs each."""
    docs = list(notes(lang, n))
    return [block.text for note in docs for block in note.blocks], docs


def bare_pass(lang: str, texts: list[str]) -> float:
    nlp = load_pipeline(lang, trained=False)
    t0 = time.perf_counter()
    for _ in nlp.pipe(texts):
        pass
    return time.perf_counter() - t0


def graphmind_pass(lang: str, docs) -> float:
    ex = RuleExtractor(lang=lang, trained=False)
    t0 = time.perf_counter()
    for note in docs:
        ex.extract_note(note)
    return time.perf_counter() - t0


def records_plan(lang: str, docs: list[Note]) -> list:
    """What the records pass rebuilds: per document, its paragraphs, and its units and
    relations as positions and values, taken from GraphMind's own output."""
    ex = RuleExtractor(lang=lang, trained=False)
    plan = []
    for note in docs:
        e = ex.extract_note(note)
        par_pos = {p.id: k for k, p in enumerate(e.paragraphs)}
        unit_pos = {u.id: k for k, u in enumerate(e.units)}
        plan.append((
            e.document.id,
            [(p.text, p.index, p.section, p.lang) for p in e.paragraphs],
            [(par_pos[u.paragraph_id], u.type, u.start, u.end, u.cue, u.confidence, u.central) for u in e.units],
            [(unit_pos[r.source], unit_pos[r.target], r.type, r.family, r.cue, r.confidence)
             for r in e.relations if r.target in unit_pos],
        ))
    return plan


def records_pass(plan: list) -> float:
    t0 = time.perf_counter()
    for doc_id, pars, units, rels in plan:
        ps = [Paragraph(ids.paragraph_id(doc_id, text, 0), doc_id, index, text, section, lang)
              for text, index, section, lang in pars]
        us = []
        for k, typ, start, end, cue, conf, central in units:
            p = ps[k]
            us.append(Unit(ids.unit_id(p.id, start, end), p.id, typ, p.text[start:end], start, end, cue, conf, central))
        for a, b, typ, family, cue, conf in rels:
            src, dst = us[a].id, us[b].id
            Relation(ids.relation_id(src, dst, typ), src, dst, typ, family, cue, conf)
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


def _settle() -> None:
    """Keep the prepared corpus out of the collector's way: the cyclic GC would otherwise
    scan it again and again during every pass, whatever the pass does."""
    gc.collect()
    gc.freeze()


_OLD = r"""
import json, sys, time
sys.path.insert(0, sys.argv[1])
from graphmind.extract.rules import RuleExtractor
from graphmind.read import Note
from graphmind.read.markdown import Block
lang, repeat = sys.argv[3], int(sys.argv[4])
docs = [Note(d["source"], d["title"], [Block(t, ()) for t in d["texts"]], []) for d in json.load(open(sys.argv[2]))]
ex = RuleExtractor(lang=lang, trained=False)
for note in docs[:5]:
    ex.extract_note(note)
best = float("inf")
for _ in range(repeat):
    t0 = time.perf_counter()
    for note in docs:
        ex.extract_note(note)
    best = min(best, time.perf_counter() - t0)
print(best)
"""


def old_pass(worktree: str, lang: str, docs: list[Note], repeat: int = 1) -> float:
    """The fastest of ``repeat`` passes of an older GraphMind over the same notes (its own process)."""
    import json
    import tempfile

    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False, encoding="utf-8") as f:
        json.dump([{"source": d.source, "title": d.title, "texts": [b.text for b in d.blocks]} for d in docs], f)
    try:
        out = subprocess.run([sys.executable, "-c", _OLD, worktree, f.name, lang, str(repeat)],
                             capture_output=True, text=True, check=True, cwd=worktree)
    finally:
        Path(f.name).unlink()
    return float(out.stdout.strip().splitlines()[-1])


def real_notes(lang: str, n: int, per_doc: int = 20) -> list[Note]:
    """The corpus's paragraphs of ``lang`` (real prose), repeated to ``n``, in notes of ``per_doc``."""
    import json

    path = Path(__file__).resolve().parent.parent / "corpus" / f"{lang}.jsonl"
    texts = [json.loads(line)["text"] for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    texts = [texts[k % len(texts)] for k in range(n)]
    return [Note(f"corpus/{lang}/{k}.md", f"doc {k}", [Block(t, ()) for t in texts[k:k + per_doc]], [])
            for k in range(0, n, per_doc)]


def compare_old(worktree: str, langs: list[str], n: int, repeat: int) -> None:
    print("| lang | text | current par/s | old par/s | current time / old time |")
    print("|---|---|---|---|---|")
    for lang in langs:
        for kind, docs in (("generated", prepared(lang, n)[1]), ("corpus prose", real_notes(lang, n))):
            graphmind_pass(lang, docs[:5])
            new = old = float("inf")
            for _ in range(repeat):  # interleaved: the machine's load falls on both alike
                new = min(new, graphmind_pass(lang, docs))
                old = min(old, old_pass(worktree, lang, docs))
            print(f"| {lang} | {kind} | {n / new:,.0f} | {n / old:,.0f} | {new / old:.2f} |", flush=True)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--paragraphs", type=int, default=20000, help="corpus size")
    ap.add_argument("--langs", default="en,ru")
    ap.add_argument("--repeat", type=int, default=3, help="runs of each pass; the fastest counts")
    ap.add_argument("--rss", nargs=2, metavar=("LANG", "N"), help=argparse.SUPPRESS)
    ap.add_argument("--old", default=None, help="a git worktree of an older GraphMind: compare with it")
    args = ap.parse_args(argv)
    if args.rss:
        _rss(args.rss[0], int(args.rss[1]))
        return 0
    if args.old:
        compare_old(args.old, args.langs.split(","), args.paragraphs, args.repeat)
        return 0
    langs = args.langs.split(",")
    n = args.paragraphs
    print("| lang | paragraphs | bare spaCy par/s | GraphMind par/s | records only par/s "
          "| GraphMind time / bare time | records only time / bare time |")
    print("|---|---|---|---|---|---|---|")
    for lang in langs:
        texts, docs = prepared(lang, n)
        plan = records_plan(lang, docs)  # also warms up both passes
        _settle()
        best = {"bare": float("inf"), "gm": float("inf"), "rec": float("inf")}
        for _ in range(args.repeat):
            best["bare"] = min(best["bare"], bare_pass(lang, texts))
            best["gm"] = min(best["gm"], graphmind_pass(lang, docs))
            best["rec"] = min(best["rec"], records_pass(plan))
        del plan, texts, docs
        gc.unfreeze()
        bare, gm, rec = best["bare"], best["gm"], best["rec"]
        print(f"| {lang} | {n} | {n / bare:,.0f} | {n / gm:,.0f} | {n / rec:,.0f} | {gm / bare:.2f} | {rec / bare:.2f} |",
              flush=True)
    print()
    print("| lang | peak RSS, 1/4 of the corpus (MiB) | peak RSS, whole corpus (MiB) |")
    print("|---|---|---|")
    for lang in langs:
        small, full = peak_memory(lang, n // 4), peak_memory(lang, n)
        print(f"| {lang} | {small:.1f} | {full:.1f} |", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
