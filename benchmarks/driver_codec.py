"""The Bolt driver's Rust codec (``neo4j-rust-ext``) against its pure-Python one, on the
output stages of a stored vault (issue 17).

    python benchmarks/driver_codec.py --data-dir DB [--stages export,viz,rdf] [--repeat 2]

``DB``: the data folder of a bundled server holding a vault (``benchmarks/vault.py`` leaves one
in ``--work``/db-jobs2). Each stage runs as a whole process (``graphmind export``, ``viz``,
``rdf export``), alternately with the Rust codec (as installed) and with it hidden from the
driver (``neo4j._rust`` made unimportable before ``neo4j`` loads, so the driver falls back to
its pure-Python packstream), ``--repeat`` times each; the fastest run of each counts. Prints
wall seconds, the ratio pure / Rust, and whether the two wrote byte-identical files.
"""

from __future__ import annotations

import argparse
import filecmp
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

PY = sys.executable
PURE = "import sys; sys.modules['neo4j._rust'] = None; from graphmind.cli import main; main()"
RUST = "from graphmind.cli import main; main()"
STAGES = {
    "export": ["export", "--out", "{out}/dataset"],
    "viz": ["viz", "--out", "{out}/map.html"],
    "rdf": ["rdf", "export", "--out", "{out}/graph.ttl"],
}


def same(a: Path, b: Path) -> bool:
    if a.is_file():
        return filecmp.cmp(a, b, shallow=False)
    return all(filecmp.cmp(a / n.name, b / n.name, shallow=False) for n in a.iterdir())


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data-dir", required=True)
    ap.add_argument("--stages", default=",".join(STAGES))
    ap.add_argument("--repeat", type=int, default=2)
    args = ap.parse_args()
    try:
        import neo4j._rust  # noqa: F401
    except ImportError:
        print("neo4j-rust-ext is not installed: pip install neo4j-rust-ext (the version of neo4j)", file=sys.stderr)
        return 2
    env = {k: v for k, v in os.environ.items() if k != "GRAPHMIND_URI"}
    data = str(Path(args.data_dir).resolve())
    subprocess.run([PY, "-m", "graphmind.cli", "db", "start", "--data-dir", data, "--heap", "2g"], env=env,
                   check=True, stdout=subprocess.DEVNULL)
    print(f"load average {os.getloadavg()[0]:.1f}; fastest of {args.repeat}\n")
    print("| stage | pure-Python codec s | Rust codec s | pure / Rust | same files |\n|---|---|---|---|---|")
    try:
        with tempfile.TemporaryDirectory() as tmp:
            for stage in args.stages.split(","):
                best = {"pure": float("inf"), "rust": float("inf")}
                for _ in range(args.repeat):
                    for variant, code in (("pure", PURE), ("rust", RUST)):
                        out = Path(tmp) / variant
                        out.mkdir(exist_ok=True)
                        cmd = [PY, "-c", code] + [a.format(out=out) for a in STAGES[stage]] + ["--data-dir", data,
                                                                                               "--quiet"]
                        start = time.perf_counter()
                        subprocess.run(cmd, env=env, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
                        best[variant] = min(best[variant], time.perf_counter() - start)
                name = STAGES[stage][STAGES[stage].index("--out") + 1].split("/")[-1]
                ok = same(Path(tmp) / "pure" / name, Path(tmp) / "rust" / name)
                print(f"| `{' '.join(STAGES[stage][:2 if stage == 'rdf' else 1])}` | {best['pure']:.1f} | "
                      f"{best['rust']:.1f} | {best['pure'] / best['rust']:.2f} | {ok} |", flush=True)
    finally:
        subprocess.run([PY, "-m", "graphmind.cli", "db", "stop", "--data-dir", data], env=env, stdout=subprocess.DEVNULL)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
