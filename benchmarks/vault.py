"""A vault of N notes, timed stage by stage as whole processes (issue 17).

    python benchmarks/vault.py --notes 2000 --variants old,jobs1,jobs2 [--stages ...] [--keep]
    python benchmarks/vault.py --notes 2000 --dask        # LocalCluster(2) against --jobs 2
    python benchmarks/vault.py --notes 2000 --neo4j-import

The vault is generated from text the project owns — the paragraphs of ``corpus/*.jsonl``
(the project's annotated corpus, MIT), of ``tests/fixtures/notes`` and of ``examples/`` — as
Markdown notes the way people keep them (a front-matter title, a heading or only a file name;
sections; lists; chat exports with speakers), about 62 % Russian, 8 paragraphs a note. Never
the gold corpora.

Each stage runs as its own process (the command a person types), against one local graph
server started for the variant (its memory is the server's, not the stage's): first build
(``ingest``), rebuild after editing one note, rebuild with nothing changed, ``export``,
``viz``, ``rdf export`` (Turtle). For each: wall seconds, peak resident memory of the
command's whole process tree (workers included; sampled every 0.1 s), CPU % (user + system
CPU time of the tree over wall time; 200 % is both cores). Variants:

- ``old``: the baseline, commit 4d5f79a checked out at ``../old-rules`` (beside the checkout) (``--old PATH``),
  run with this checkout's interpreter (``PYTHONPATH``), with its own defaults;
- ``jobs1`` / ``jobs2``: this version with ``--jobs 1`` / ``--jobs 2``.
"""

from __future__ import annotations

import argparse
import tempfile
import json
import os
import random
import re
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PY = sys.executable
RU_SHARE = 0.62


# -- the vault ----------------------------------------------------------------------------
def _pools() -> dict[str, list[str]]:
    pools: dict[str, list[str]] = {"en": [], "ru": []}
    for lang in ("en", "ru"):
        for line in (ROOT / "corpus" / f"{lang}.jsonl").read_text(encoding="utf-8").splitlines():
            if line.strip():
                pools[lang].append(" ".join(json.loads(line)["text"].split()))
    for folder in (ROOT / "tests" / "fixtures" / "notes", ROOT / "examples"):
        for path in sorted(folder.rglob("*")):
            if not path.is_file():
                continue
            for block in re.split(r"\n\s*\n", path.read_text(encoding="utf-8")):
                text = " ".join(block.split())
                if len(text) < 80 or not re.match(r"[A-Za-zА-Яа-яЁё«\"]", text):
                    continue  # headings, callout lines, lists, fences: the note forms come from below
                cyr = len(re.findall(r"[А-Яа-яЁё]", text))
                pools["ru" if cyr > len(text) / 4 else "en"].append(text)
    return pools


HEADINGS = {"en": ["Why it matters", "The argument", "Objections", "What follows", "An example", "Notes"],
            "ru": ["Почему это важно", "Довод", "Возражения", "Что из этого следует", "Пример", "Заметки"]}
LEADS = {"en": "There are three reasons:", "ru": "Причин три:"}


def _note(rnd: random.Random, pools, lang: str, k: int) -> str:
    pars = [rnd.choice(pools[lang]) for _ in range(rnd.randint(6, 10))]
    form = rnd.random()
    out = []
    if form < 0.15:  # a chat export: turns as callouts
        for i, p in enumerate(pars):
            who = ("nexus_user", "User") if i % 2 == 0 else ("nexus_agent", "Assistant")
            out.append(f">[!{who[0]}] **{who[1]}** - 07.0{1 + k % 9}.2025 at 1{k % 10}:{10 + i:02d}\n> {p}\n"
                       f"<!-- UID: {k:06d}-{i} -->")
        return "\n\n".join(out) + "\n"
    if form < 0.5:
        out.append(f"---\ntitle: \"{pars[0].split('.')[0][:60]}\"\ntags: [vault]\n---")
    elif form < 0.8:
        out.append(f"# {pars[0].split('.')[0][:60]}")
    heads = rnd.sample(HEADINGS[lang], 2)
    for i, p in enumerate(pars):
        if i in (2, 6) and heads:
            out.append(f"## {heads.pop()}")
        if i == 4 and rnd.random() < 0.4:  # a list with its lead-in
            items = [s.strip() for s in re.split(r"(?<=[.!?])\s+", p) if s.strip()][:3]
            out.append(LEADS[lang] + "\n" + "\n".join(f"- {s}" for s in items))
            continue
        out.append(p)
    if k % 7 == 0 and k:  # a wikilink to an earlier note
        out.append(f"See also [[note-{k - 1:05d}]].")
    return "\n\n".join(out) + "\n"


def make_vault(folder: Path, n: int, seed: int = 17) -> dict:
    rnd = random.Random(seed)
    pools = _pools()
    if folder.exists():
        shutil.rmtree(folder)
    for k in range(n):
        lang = "ru" if rnd.random() < RU_SHARE else "en"
        sub = folder / ("ru" if lang == "ru" else "en") / f"topic-{k % 20:02d}"
        sub.mkdir(parents=True, exist_ok=True)
        (sub / f"note-{k:05d}.md").write_text(_note(rnd, pools, lang, k), encoding="utf-8")
    files = sorted(folder.rglob("*.md"))
    return {"notes": len(files), "bytes": sum(f.stat().st_size for f in files),
            "ru": sum(1 for f in files if "/ru/" in f.as_posix())}


def edit_one(folder: Path) -> Path:
    first = sorted(folder.rglob("*.md"))[0]
    first.write_text(first.read_text(encoding="utf-8") + "\nOne more paragraph, added by the benchmark, because "
                     "an edited note must be read again.\n", encoding="utf-8")
    return first


# -- timing a process tree ------------------------------------------------------------------
def measure(cmd: list[str], cwd: Path, env: dict, log: Path) -> dict:
    import psutil

    start = time.monotonic()
    with log.open("a", encoding="utf-8") as err:
        err.write(f"\n$ {' '.join(cmd)}\n")
        err.flush()
        proc = subprocess.Popen(cmd, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=err)
        ps = psutil.Process(proc.pid)
        peak, cpu = 0, {}
        stop = threading.Event()

        def sample():
            nonlocal peak
            while not stop.is_set():
                try:
                    tree = [ps] + ps.children(recursive=True)
                    rss = 0
                    for p in tree:
                        try:
                            rss += p.memory_info().rss
                            t = p.cpu_times()
                            cpu[p.pid] = t.user + t.system + t.children_user + t.children_system
                        except psutil.Error:
                            pass
                    peak = max(peak, rss)
                except psutil.Error:
                    pass
                stop.wait(0.1)

        th = threading.Thread(target=sample, daemon=True)
        th.start()
        code = proc.wait()
        stop.set()
        th.join()
    wall = time.monotonic() - start
    import resource

    ru = resource.getrusage(resource.RUSAGE_CHILDREN)
    return {"wall": wall, "peak_mib": peak / 2**20, "cpu_tree": sum(cpu.values()), "code": code,
            "rusage_cpu": ru.ru_utime + ru.ru_stime}


def variant_command(variant: str, old: Path) -> tuple[list[str], dict, list[str]]:
    env = dict(os.environ)
    env.pop("GRAPHMIND_URI", None)
    if variant == "old":
        env["PYTHONPATH"] = str(old)
        return [PY, "-m", "graphmind.cli"], env, []
    env.pop("PYTHONPATH", None)
    jobs = {"jobs1": "1", "jobs2": "2"}[variant]
    return [PY, "-m", "graphmind.cli"], env, ["--jobs", jobs]


def _server_cpu(data: Path) -> float:
    """CPU seconds used so far by the graph server of ``data`` (a separate JVM process)."""
    import psutil

    try:
        pid = json.loads((data / "server.json").read_text(encoding="utf-8"))["pid"]
        t = psutil.Process(pid).cpu_times()
        return t.user + t.system
    except (OSError, KeyError, ValueError, psutil.Error):
        return 0.0


STAGES = ("first", "edit", "unchanged", "export", "viz", "rdf")  # also: extract_ru, extract_all, dask, neo4j_import,
# symbols (`graphmind symbols build`, the symbol stage of `build`: Louvain communities over the whole graph)


def run_variant(variant: str, work: Path, n: int, old: Path, stages, log: Path) -> dict:
    base, env, jobs = variant_command(variant, old)
    data = work / f"db-{variant}"
    shutil.rmtree(data, ignore_errors=True)
    if not (work / "vault").exists() or "first" in stages:
        make_vault(work / "vault", n)
    out = work / f"out-{variant}"
    shutil.rmtree(out, ignore_errors=True)
    out.mkdir()
    subprocess.run(base + ["db", "start", "--data-dir", str(data), "--heap", "2g"], cwd=work, env=env, check=True,
                   stdout=subprocess.DEVNULL)
    import resource

    ru = resource.getrusage(resource.RUSAGE_CHILDREN)
    rusage_before = ru.ru_utime + ru.ru_stime
    results = {}
    try:
        for stage in stages:
            if stage == "edit":
                edit_one(work / "vault")
            cmd = {
                "first": base + ["ingest", "vault", "--data-dir", str(data)] + jobs,
                "edit": base + ["ingest", "vault", "--data-dir", str(data)] + jobs,
                "unchanged": base + ["ingest", "vault", "--data-dir", str(data)] + jobs,
                "export": base + ["export", "--out", str(out / "dataset"), "--data-dir", str(data)],
                "viz": base + ["viz", "--out", str(out / "map.html"), "--data-dir", str(data)],
                "rdf": base + ["rdf", "export", "--out", str(out / "graph.ttl"), "--data-dir", str(data)],
                # Russian extraction alone (no store): 5 of the 20 Russian topic folders
                "extract_ru": base + ["extract"] + [f"vault/ru/topic-{k:02d}" for k in range(5)]
                + ["--format", "jsonl", "-o", str(out / "ru.jsonl")] + jobs,
                # the whole vault without a store: local workers, and the same on a Dask LocalCluster
                "extract_all": base + ["extract", "vault", "--format", "jsonl", "-o", str(out / "all.jsonl")] + jobs,
                "dask": base + ["extract", "vault", "--engine", "dask", "--out-dir", str(out / "shards")] + jobs,
                "symbols": base + ["symbols", "build", "--data-dir", str(data)],
                "neo4j_import": base + ["export", "--format", "neo4j-import", "--out", str(out / "import"),
                                        "--data-dir", str(data)],
            }[stage]
            server_before = _server_cpu(data)
            r = measure(cmd, work, env, log)
            r["server_cpu"] = _server_cpu(data) - server_before  # the graph server's own CPU seconds
            r["cpu"] = r["rusage_cpu"] - rusage_before  # every descendant, including short-lived workers
            rusage_before = r["rusage_cpu"]
            r["cpu_pct"] = 100 * r["cpu"] / r["wall"] if r["wall"] else 0
            if stage == "extract_ru" and (out / "ru.jsonl").exists():
                with (out / "ru.jsonl").open(encoding="utf-8") as f:
                    r["paragraphs"] = sum(len(json.loads(line)["paragraphs"]) for line in f)
                r["paragraphs_per_s"] = r["paragraphs"] / r["wall"]
            if stage == "neo4j_import":
                r["bytes"] = sum(f.stat().st_size for f in (out / "import").glob("*.csv"))
            if stage == "rdf" and (out / "graph.ttl").exists():
                r["bytes"] = (out / "graph.ttl").stat().st_size
            results[stage] = r
            print(f"{variant:8} {stage:12} {r['wall']:8.1f} s {r['peak_mib']:8.0f} MiB {r['cpu_pct']:5.0f} % "
                  f"{r['cpu']:7.1f} CPU s (server {r['server_cpu']:.1f}) exit {r['code']}", flush=True)
    finally:
        subprocess.run(base + ["db", "stop", "--data-dir", str(data)], cwd=work, env=env, stdout=subprocess.DEVNULL)
    return results


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--notes", type=int, default=2000)
    ap.add_argument("--variants", default="old,jobs1,jobs2")
    ap.add_argument("--stages", default=",".join(STAGES))
    ap.add_argument("--old", default=str(Path(__file__).resolve().parents[2] / "old-rules"))
    ap.add_argument("--work", default=None, help="working folder [default: gm-vault-N in the temporary folder]")
    ap.add_argument("--results", default=None, help="append the results as JSON lines here")
    ap.add_argument("--make-only", action="store_true", help="only write the vault into --work")
    args = ap.parse_args()
    work = Path(args.work or Path(tempfile.gettempdir()) / f"gm-vault-{args.notes}").resolve()
    work.mkdir(parents=True, exist_ok=True)
    if args.make_only:
        print(make_vault(work / "vault", args.notes))
        return
    print(f"vault of {args.notes} notes: {make_vault(work / 'vault', args.notes)}; load average "
          f"{os.getloadavg()[0]:.1f} on {os.cpu_count()} cores", flush=True)
    log = work / "stderr.log"
    for variant in args.variants.split(","):
        res = run_variant(variant, work, args.notes, Path(args.old), args.stages.split(","), log)
        if args.results:
            with open(args.results, "a", encoding="utf-8") as f:
                f.write(json.dumps({"notes": args.notes, "variant": variant, "load": os.getloadavg(),
                                    "results": res}) + "\n")


if __name__ == "__main__":
    main()
