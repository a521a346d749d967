"""Peak memory of the output stages against a baseline, on a generated vault (issue 17).

    python benchmarks/stream_outputs.py --notes 2000 --base ../wt-stream-base [--work DIR] [--stages export,viz]

Makes the vault of ``benchmarks/vault.py`` (same seed), ingests it once with this checkout
(``--jobs 2``) into a bundled server of its own, then runs each output stage as a whole
process — ``export`` (text, the defaults), ``export --format chat``, ``viz`` — once with the
baseline checkout (``--base``: a ``git worktree`` of the commit before the change, run with
this checkout's interpreter through ``PYTHONPATH``) and once with this one, against the same
server. Prints wall seconds, peak RSS of the command's process tree (sampled every 0.1 s) and
CPU %, and whether the two variants wrote byte-identical files.
"""

from __future__ import annotations

import argparse
import tempfile
import filecmp
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from vault import PY, make_vault, measure  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
STAGES = {
    "export": ["export", "--out", "{out}/dataset"],
    "export_chat": ["export", "--format", "chat", "--out", "{out}/dataset-chat"],
    "viz": ["viz", "--out", "{out}/map.html"],
}


def same_files(a: Path, b: Path) -> bool:
    if a.is_file():
        return filecmp.cmp(a, b, shallow=False)
    names = sorted(p.name for p in a.iterdir())
    return names == sorted(p.name for p in b.iterdir()) and all(filecmp.cmp(a / n, b / n, shallow=False) for n in names)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--notes", type=int, default=2000)
    ap.add_argument("--base", required=True, help="checkout of the baseline commit (a git worktree)")
    ap.add_argument("--work", default=None, help="working folder [default: gm-stream-N in the temporary folder]")
    ap.add_argument("--stages", default=",".join(STAGES))
    ap.add_argument("--reuse", action="store_true", help="keep the vault and store already in --work")
    ap.add_argument("--results", default=None, help="append the results as JSON lines here")
    args = ap.parse_args()
    work = Path(args.work or Path(tempfile.gettempdir()) / f"gm-stream-{args.notes}").resolve()
    work.mkdir(parents=True, exist_ok=True)
    data, log = work / "db", work / "stderr.log"
    env = dict(os.environ)
    env.pop("GRAPHMIND_URI", None)
    env.pop("PYTHONPATH", None)
    base = [PY, "-m", "graphmind.cli"]
    subprocess.run(base + ["db", "start", "--data-dir", str(data), "--heap", "2g"], cwd=work, env=env, check=True,
                   stdout=subprocess.DEVNULL)
    try:
        if not (args.reuse and (work / "vault").exists()):
            print(f"vault: {make_vault(work / 'vault', args.notes)}", flush=True)
            shutil.rmtree(data / "databases", ignore_errors=True)
            r = measure(base + ["ingest", "vault", "--data-dir", str(data), "--jobs", "2"], work, env, log)
            print(f"ingest {r['wall']:.1f} s, exit {r['code']}", flush=True)
        for stage in args.stages.split(","):
            outs = {}
            for variant in ("base", "this"):
                venv = dict(env)
                if variant == "base":
                    venv["PYTHONPATH"] = str(Path(args.base).resolve())
                out = work / f"out-{variant}"
                out.mkdir(exist_ok=True)
                cmd = base + [a.format(out=out) for a in STAGES[stage]] + ["--data-dir", str(data)]
                load = os.getloadavg()[0]
                r = measure(cmd, work, venv, log)
                r["cpu_pct"] = 100 * r["cpu_tree"] / r["wall"] if r["wall"] else 0
                outs[variant] = out / STAGES[stage][STAGES[stage].index("--out") + 1].split("/")[-1]
                print(f"{stage:12} {variant:5} {r['wall']:8.1f} s {r['peak_mib']:8.0f} MiB {r['cpu_pct']:5.0f} % "
                      f"load {load:.1f} exit {r['code']}", flush=True)
                if args.results:
                    with open(args.results, "a", encoding="utf-8") as f:
                        f.write(json.dumps({"notes": args.notes, "stage": stage, "variant": variant, "load": load,
                                            **r}) + "\n")
            print(f"{stage:12} identical files: {same_files(outs['base'], outs['this'])}", flush=True)
    finally:
        subprocess.run(base + ["db", "stop", "--data-dir", str(data)], cwd=work, env=env, stdout=subprocess.DEVNULL)


if __name__ == "__main__":
    main()
