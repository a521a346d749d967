"""Score an OpenAI-compatible model on the gold microtexts, next to the rules extractor.

    python benchmarks/llm_extraction.py BASE_URL MODEL [--langs en,ru] [--sample N | --limit N] [--hybrid]
                                        [--structured auto|json_schema|json_object|none]

Same corpora and metrics as benchmarks/extraction_quality.py (segmentation F1, central-claim
accuracy, directed support/attack relation F1), one table per language with one row per
extractor, plus model requests, tokens per paragraph, failed paragraphs, units dropped as not
in the paragraph, and seconds per paragraph. ``--sample N`` takes N texts spread evenly over
each file (``--limit N``: the first N). The API key comes from OPENAI_API_KEY or
GRAPHMIND_LLM_API_KEY. Answers are cached under --cache (default .graphmind/llm-cache-bench):
a second run sends nothing (and so times nothing but the cache: use a new --cache to time).
The hybrid extractor sends the same requests as the model alone, so after the ``llm`` row its
answers come from the cache and its time is the rules' and the merge's.

The gold files are non-commercial (CC BY-NC-SA 4.0): read from ../shared for evaluation only.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from extraction_quality import DEFAULT_SHARED, score_file  # noqa: E402
from graphmind.extract.llm import LLMConfig, LLMExtractor, LLMReport  # noqa: E402
from graphmind.extract.rules import RuleExtractor  # noqa: E402


def sample(path: Path, n: int | None, limit: int | None) -> Path:
    """A temporary copy of ``path`` with ``n`` lines spread evenly (or the first ``limit``)."""
    lines = path.read_text(encoding="utf-8").splitlines()
    if n:
        step = len(lines) / n
        lines = [lines[int(k * step)] for k in range(min(n, len(lines)))]
    elif limit:
        lines = lines[:limit]
    out = Path(tempfile.mkdtemp(prefix="gm-bench-")) / path.name
    out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return out


def estimate(args, lang: str, path: Path) -> tuple[int, int, int]:
    """What --estimate says for the sample: (requests, tokens in, tokens out), against an
    empty cache (the structured form as probed: a server that took json_schema counts the
    schema in the prompt)."""
    import json

    from graphmind import ids
    from graphmind.read import Note
    from graphmind.read.markdown import parse_plain

    import shutil

    from graphmind.extract.structured import MEMORY_FILE

    empty = tempfile.mkdtemp()
    if (Path(args.cache) / MEMORY_FILE).exists():  # the probed form, without the answers
        shutil.copy(Path(args.cache) / MEMORY_FILE, empty)
    cfg = LLMConfig.from_env(base_url=args.base_url, model=args.model, cache_dir=empty,
                             structured=args.structured, tokenizer=args.tokenizer)
    ex = LLMExtractor(cfg, lang=lang, trained=False)
    total = [0, 0, 0]
    for line in path.read_text(encoding="utf-8").splitlines():
        item = json.loads(line)
        note = Note(item["id"], item["id"], parse_plain(item["text"]).blocks, [])
        for k, v in enumerate(ex.estimate_tokens(ex.paragraphs_of(note, ids.document_id(item["id"])))):
            total[k] += v
    return tuple(total)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("base_url")
    ap.add_argument("model")
    ap.add_argument("--langs", default="en,ru")
    ap.add_argument("--sample", type=int, default=None, help="N texts spread evenly over each file")
    ap.add_argument("--limit", type=int, default=None, help="only the first N texts of each file")
    ap.add_argument("--hybrid", action="store_true", help="also score the hybrid extractor")
    ap.add_argument("--structured", default=None, help="auto|json_schema|json_object|none (default: auto)")
    ap.add_argument("--shared", type=Path, default=DEFAULT_SHARED)
    ap.add_argument("--cache", default=".graphmind/llm-cache-bench")
    ap.add_argument("--concurrency", type=int, default=1)
    ap.add_argument("--timeout", type=float, default=None,
                    help="seconds per request (default: GRAPHMIND_LLM_TIMEOUT or 60); a slow CPU server needs more")
    ap.add_argument("--tokenizer", default=None,
                    help="also print --estimate's tokens per paragraph, counted with this (approx, a .gguf file, "
                         "a tokenizer.json)")
    args = ap.parse_args(argv)
    for lang in args.langs.split(","):
        gold = args.shared / f"microtexts.{lang}.jsonl"
        if not gold.exists():
            print(f"{gold}: missing; pass --shared DIR with the gold corpora", file=sys.stderr)
            return 2
        path = sample(gold, args.sample, args.limit)
        rows = []
        t0 = time.perf_counter()
        rows.append(("rules", score_file(path, lang, RuleExtractor(lang=lang, trained=False)),
                     time.perf_counter() - t0, None))
        for mode in ["llm"] + (["hybrid"] if args.hybrid else []):
            report = LLMReport()
            cfg = LLMConfig.from_env(base_url=args.base_url, model=args.model, cache_dir=args.cache,
                                     concurrency=args.concurrency, structured=args.structured, timeout=args.timeout)
            ex = LLMExtractor(cfg, mode=mode, lang=lang, trained=False, report=report)
            t0 = time.perf_counter()
            rows.append((mode, score_file(path, lang, ex, None), time.perf_counter() - t0, report))
        n = rows[0][1]["texts"]
        estimated = estimate(args, lang, path) if args.tokenizer else None
        print(f"\n## microtexts.{lang}.jsonl ({n} texts), model {args.model}\n")
        if rows[1][3].structured:
            print(f"structured output: {rows[1][3].structured}\n")
        print("| extractor | segmentation F1 | central-claim acc. | relation F1 | requests | tokens in / out per "
              "paragraph | failed | units dropped | s per paragraph |")
        print("|---|---|---|---|---|---|---|---|---|")
        for name, res, sec, rep in rows:
            req = f"{rep.requests} (+{rep.cache_hits} cached)" if rep else "0"
            tok = f"{rep.prompt_tokens / n:.0f} / {rep.completion_tokens / n:.0f}" if rep else "-"
            failed = len(rep.failures) if rep else 0
            dropped = f"{rep.ungrounded_units} + {rep.repeated_units} repeated" if rep else "-"
            print(f"| {name} | {res['segmentation'][2]:.3f} | {res['central_accuracy']:.3f} | "
                  f"{res['relations'][2]:.3f} | {req} | {tok} | {failed} | {dropped} | {sec / n:.2f} |")
        if estimated:
            print(f"\n--estimate ({args.tokenizer.rsplit('/', 1)[-1]}): {estimated[1] / n:.0f} / {estimated[2] / n:.0f} "
                  "tokens in / out per paragraph")
        for name, _, _, rep in rows[1:]:
            for source, _, reason in rep.failures:
                print(f"- {name}: {source}: {reason}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
