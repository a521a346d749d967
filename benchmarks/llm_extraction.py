"""Score an OpenAI-compatible model on the gold microtexts, next to the rules extractor.

    python benchmarks/llm_extraction.py BASE_URL MODEL [--langs en,ru] [--limit N] [--hybrid]

Same corpora and metrics as benchmarks/extraction_quality.py (segmentation F1, central-claim
accuracy, directed support/attack relation F1), one table per language with one row per
extractor, plus model requests, tokens and wall time. The API key comes from OPENAI_API_KEY
or GRAPHMIND_LLM_API_KEY. Answers are cached under --cache (default
.graphmind/llm-cache-bench), so a second run costs nothing. This needs a reachable model
server: it cannot run in CI here.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from extraction_quality import DEFAULT_SHARED, score_file  # noqa: E402
from graphmind.extract.llm import LLMConfig, LLMExtractor, LLMReport  # noqa: E402
from graphmind.extract.rules import RuleExtractor  # noqa: E402


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("base_url")
    ap.add_argument("model")
    ap.add_argument("--langs", default="en,ru")
    ap.add_argument("--limit", type=int, default=None, help="only the first N texts of each file")
    ap.add_argument("--hybrid", action="store_true", help="also score the hybrid extractor")
    ap.add_argument("--shared", type=Path, default=DEFAULT_SHARED)
    ap.add_argument("--cache", default=".graphmind/llm-cache-bench")
    ap.add_argument("--concurrency", type=int, default=4)
    args = ap.parse_args(argv)
    for lang in args.langs.split(","):
        path = args.shared / f"microtexts.{lang}.jsonl"
        rows = []
        t0 = time.perf_counter()
        rows.append(("rules", score_file(path, lang, RuleExtractor(lang=lang, trained=False), args.limit),
                     time.perf_counter() - t0, None))
        for mode in ["llm"] + (["hybrid"] if args.hybrid else []):
            report = LLMReport()
            cfg = LLMConfig.from_env(base_url=args.base_url, model=args.model, cache_dir=args.cache,
                                     concurrency=args.concurrency)
            ex = LLMExtractor(cfg, mode=mode, lang=lang, trained=False, report=report)
            t0 = time.perf_counter()
            rows.append((mode, score_file(path, lang, ex, args.limit), time.perf_counter() - t0, report))
        print(f"\n## microtexts.{lang}.jsonl ({rows[0][1]['texts']} texts), model {args.model}\n")
        print("| extractor | segmentation F1 | central-claim acc. | relation F1 | requests | tokens in/out | failed | seconds |")
        print("|---|---|---|---|---|---|---|---|")
        for name, res, sec, rep in rows:
            req = f"{rep.requests} (+{rep.cache_hits} cached)" if rep else "0"
            tok = f"{rep.prompt_tokens}/{rep.completion_tokens}" if rep else "-"
            failed = len(rep.failures) if rep else 0
            print(f"| {name} | {res['segmentation'][2]:.3f} | {res['central_accuracy']:.3f} | "
                  f"{res['relations'][2]:.3f} | {req} | {tok} | {failed} | {sec:.1f} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
