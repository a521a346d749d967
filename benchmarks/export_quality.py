"""What a trainer gets from the export, measured on examples/ and on a generated corpus.

    python benchmarks/export_quality.py [--notes 1000] [--formats text,text-unpacked,chat,alpaca,dpo] [--show 0]

The generated corpus (``benchmarks/notes.py``: >= 1,000 Markdown notes in English and
Russian built from text the project owns) is written to a temporary folder and read by the
real reader and rules extractor; the graph is the shape the store reads back
(``graphmind.walk.memory``). Each format is exported with its default options, and the
records are checked here, independently of the export's own checks:

- examples kept per level, and the micro level as a share of the argument relations, with the
  default filters and with the filters off (fragments, one-step chains, near duplicates: what
  the budgets alone keep);
- prompts with more than one distinct answer (target 0);
- answer lines quoting text that is not in their prompt (target 0): unit text, ``[SYNTHESIS]``
  parts, ``[THEME]`` / ``[LINK]`` lines as Markdown headings of the prompt;
- fragments kept (target 0): units under 3 words, or ending on , : ; — – or a conjunction
  while no other unit of the same record continues their sentence; and, for information, units
  ending on a comma that are kept because the next unit of their sentence is in the record;
- what was dropped and why, near duplicates removed, dpo pairs written, export seconds.

``--show N`` prints N chat records of the generated corpus, one by one, for reading.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from graphmind.export import LEVELS, ExportOptions, build_dataset  # noqa: E402
from graphmind.extract.rules import RuleExtractor, extract_paths  # noqa: E402
from graphmind.walk.memory import to_networkx  # noqa: E402
from notes import make_notes  # noqa: E402
from synthetic import peak_rss_mib  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
LINE = re.compile(r"^(?P<indent> *)\[(?P<marker>[A-Z]+)\] (?:\((?P<rel>[^)]*)\) )?(?P<text>.*)$")
OPEN_END = (",", ":", ";", "—", "–", "-")
DANGLING = {"and", "or", "but", "nor", "because", "although", "though", "whereas", "unless", "if", "which", "whose",
            "the", "a", "an", "of", "и", "а", "но", "или", "либо", "чтобы", "потому", "если", "хотя", "когда",
            "который", "которая", "которое", "которые", "ведь", "зато", "в", "на", "с", "к", "по", "из", "от",
            "для", "не"}


def prompt_answers(rec: dict) -> tuple[str | None, list[str]]:
    if "messages" in rec:
        return rec["messages"][0]["content"] + "\n" + rec["messages"][1]["content"], [rec["messages"][2]["content"]]
    if "prompt" in rec:
        return (rec["prompt"][0]["content"] + "\n" + rec["prompt"][1]["content"],
                [rec["chosen"][0]["content"], rec["rejected"][0]["content"]])
    if "instruction" in rec:
        return rec["instruction"] + "\n" + rec["input"], [rec["output"]]
    return None, [rec["text"]]


def ungrounded(rec: dict) -> int:
    prompt, answers = prompt_answers(rec)
    if prompt is None:
        return 0
    bad = 0
    for answer in answers:
        for line in answer.split("\n"):
            m = LINE.match(line)
            if not m:
                bad += 1
            elif m["marker"] in ("THEME", "LINK"):
                bad += not re.search(r"^#+ " + re.escape(m["text"]) + "$", prompt, re.M)
            else:
                bad += any(part not in prompt for part in m["text"].split(" ⇐ "))
    return bad


def fragments(rec: dict, g) -> tuple[int, int]:
    """(fragments kept, comma-ended units kept with the rest of their sentence: the next unit of
    the paragraph in the example, or, for a unit ending on a punctuation mark, its paragraph
    quoted whole in the prompt or its sentence, from the unit to the next sentence end, quoted
    in a [SOURCE] line)."""
    units = rec["meta"]["units"]
    starts = {(u["paragraph_id"], u["start"]) for u in units}
    prompt = prompt_answers(rec)[0]
    if prompt is None:  # text: --unpacked quotes paragraphs, packed text a clause's sentence ([SOURCE] lines)
        prompt = rec["text"] if rec["text"].startswith("[SOURCE] ") else ""
    cut = joined = 0
    for u in units:
        text = g.nodes[u["id"]]["text"].rstrip()
        words = re.findall(r"\w+", text)
        dangling = bool(words) and words[-1].lower() in DANGLING and not text.endswith((".", "!", "?", "…"))
        open_end = text.endswith(OPEN_END) or dangling
        if len(words) < 3:
            cut += 1
            continue
        if not open_end:
            continue
        paragraph = g.nodes[u["paragraph_id"]]["text"]
        if not dangling and " ".join(paragraph.split()) in " ".join(prompt.split()):
            joined += 1
            continue
        rest = paragraph[u["start"]:]
        end = re.search(r"[.!?…](?=\s|$)", rest[len(text):])
        sentence = rest[:len(text) + end.end()] if end else rest
        if not dangling and " ".join(sentence.split()) in " ".join(prompt.split()):
            joined += 1  # the rest of its sentence is quoted (a packed text record's [SOURCE] line)
            continue
        gap = len(paragraph[u["end"]:]) - len(paragraph[u["end"]:].lstrip())
        if (u["paragraph_id"], u["end"] + gap) in starts:
            joined += 1
        else:
            cut += 1
    return cut, joined


def conflicts(records: list[dict]) -> int:
    answers: dict[str, set[str]] = {}
    for rec in records:
        prompt, found = prompt_answers(rec)
        if prompt is not None:
            answers.setdefault(prompt, set()).add(found[0])
    return sum(1 for a in answers.values() if len(a) > 1)


def measure(name: str, g, formats: list[str]) -> list[dict]:
    rows = []
    for fmt in formats:
        t0 = time.perf_counter()
        base, _, unpacked = fmt.partition("-")  # text-unpacked: --format text --unpacked
        ds = build_dataset(g, ExportOptions(format=base, unpacked=bool(unpacked)))
        seconds = time.perf_counter() - t0
        records = ds.train + ds.val
        s = ds.stats
        cut = joined = 0
        for rec in records:
            c, j = fragments(rec, g)
            cut, joined = cut + c, joined + j
        unfiltered = build_dataset(g, ExportOptions(format=base, unpacked=bool(unpacked), drop_fragments=False, drop_one_step=False,
                                                    near_duplicates=None)).stats["micro_per_relation"]
        rows.append({
            "corpus": name, "format": fmt, "seconds": seconds, "micro_share_unfiltered": unfiltered,
            "kept": {lvl: s["kept"].get(lvl, 0) for lvl in LEVELS},
            "relations": s["relations"], "micro_share": s["micro_per_relation"],
            "dropped": s["dropped"],
            "conflicts": conflicts(records),
            "ungrounded": sum(ungrounded(r) for r in records),
            "fragments": cut, "comma_joined": joined,
            "near_duplicates": sum(s["dropped"][lvl].get("near_duplicate", 0) for lvl in LEVELS),
            "same_units": sum(s["dropped"][lvl].get("same_units", 0) for lvl in LEVELS),
            "dpo_pairs": s.get("dpo_pairs", 0), "perturbations": s.get("perturbations", {}),
            "warnings": ds.warnings,
        })
    return rows


def show(g, n: int, seed: int = 1) -> None:
    ds = build_dataset(g, ExportOptions(format="chat"))
    records = ds.train + ds.val
    rng = random.Random(seed)
    by_level = {lvl: [r for r in records if r["level"] == lvl] for lvl in LEVELS}
    picked = []
    for k in range(n):
        pool = by_level[LEVELS[k % 3]]
        if pool:
            picked.append(pool.pop(rng.randrange(len(pool))))
    for k, rec in enumerate(picked, 1):
        print(f"===== {k}: {rec['level']} {rec['meta']['kind']} ({rec['meta']['documents'][0]['source']})")
        print(rec["messages"][1]["content"])
        print("-----")
        print(rec["messages"][2]["content"])
        print()


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--notes", type=int, default=1000)
    ap.add_argument("--formats", default="text,text-unpacked,chat,alpaca,dpo")
    ap.add_argument("--show", type=int, default=0)
    args = ap.parse_args(argv)
    formats = args.formats.split(",")
    extractor = RuleExtractor(trained=False)
    os.chdir(ROOT)  # sources are "examples/…" wherever the project lies
    graphs = {"examples/": to_networkx(extract_paths(["examples"], extractor))}
    here = os.getcwd()
    with tempfile.TemporaryDirectory() as tmp:
        os.chdir(tmp)  # sources are "notes/…" in every run: the same ids, the same dataset
        try:
            make_notes("notes", args.notes)
            t0 = time.perf_counter()
            graphs[f"{args.notes} generated notes"] = to_networkx(extract_paths(["notes"], extractor))
        finally:
            os.chdir(here)
        print(f"generated and extracted {args.notes} notes in {time.perf_counter() - t0:.1f} s", file=sys.stderr)
    if args.show:
        show(graphs[f"{args.notes} generated notes"], args.show)
        return 0
    rows = [row for name, g in graphs.items() for row in measure(name, g, formats)]
    for name, g in graphs.items():
        units = sum(1 for _, d in g.nodes(data=True) if "Unit" in d.get("labels", ()))
        docs = sum(1 for _, d in g.nodes(data=True) if "Document" in d.get("labels", ()))
        print(f"{name}: {docs} documents, {units} units")
    print()
    print("| corpus | format | micro | meso | macro | micro / relations | micro / relations, filters off "
          "| conflicting prompts | lines not in prompt | fragments kept | comma-ended, sentence complete "
          "| near dup. removed | same units removed | dpo pairs | seconds |")
    print("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|")
    for r in rows:
        k = r["kept"]
        share = f"{100 * r['micro_share']:.1f} % of {r['relations']}" if r["micro_share"] is not None else "-"
        off = (f"{100 * r['micro_share_unfiltered']:.1f} %" if r["micro_share_unfiltered"] is not None else "-")
        print(f"| {r['corpus']} | {r['format']} | {k['micro']} | {k['meso']} | {k['macro']} | {share} | {off} | "
              f"{r['conflicts']} | {r['ungrounded']} | {r['fragments']} | {r['comma_joined']} | "
              f"{r['near_duplicates']} | {r['same_units']} | {r['dpo_pairs'] or '-'} | {r['seconds']:.1f} |")
    print()
    print("| corpus | format | level | dropped, by reason |")
    print("|---|---|---|---|")
    for r in rows:
        for lvl in LEVELS:
            reasons = ", ".join(f"{k} {n}" for k, n in sorted(r["dropped"][lvl].items(), key=lambda kv: -kv[1]))
            print(f"| {r['corpus']} | {r['format']} | {lvl} | {reasons or '-'} |")
    print()
    for r in rows:
        if r["perturbations"]:
            print(f"{r['corpus']} dpo perturbations: {json.dumps(r['perturbations'])}")
    print(f"peak resident memory of this process: {peak_rss_mib():.0f} MiB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
