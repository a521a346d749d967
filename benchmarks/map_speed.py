"""Generate maps of 500, 2,000 and 10,000 units and open each in headless Chromium.

    python benchmarks/map_speed.py [--sizes 500,2000,10000] [--layout force]

Prints the HTML size, the time to generate it, and the time from navigation until the
network reports that its layout has stabilized (maps above 2,000 units start collapsed by
document, so for them this is the time until the collapsed view is laid out and
interactive). Targets: 2,000 units interactive in under 5 s; 10,000 units open in under 10 s.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from graphmind.viz import COLLAPSE_ABOVE, write_map  # noqa: E402
from graphmind.walk.memory import to_networkx  # noqa: E402
from synthetic import corpus  # noqa: E402

WAIT_STABLE = """() => new Promise((resolve) => {
  const check = () => (window.gm && window.gm.stabilized) ? resolve(true) : setTimeout(check, 20);
  check();
})"""
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sizes", default="500,2000,10000")
    ap.add_argument("--layout", default="force", choices=["force", "hierarchical"])
    args = ap.parse_args(argv)
    from playwright.sync_api import sync_playwright

    rows = []
    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
        for size in (int(s) for s in args.sizes.split(",")):
            g = to_networkx(corpus(size))
            path = Path(tmp) / f"map{size}.html"
            t0 = time.perf_counter()
            write_map(g, path, layout=args.layout)
            gen = time.perf_counter() - t0
            page = browser.new_page(viewport={"width": 1400, "height": 900})
            t0 = time.perf_counter()
            page.goto(path.as_uri())
            page.evaluate(WAIT_STABLE)  # polls inside the page: the map's CSP forbids eval
            ready = time.perf_counter() - t0
            visible = page.evaluate("gm.visibleNodeCount()")
            page.close()
            rows.append((size, path.stat().st_size / 2**20, gen, ready, visible, size > COLLAPSE_ABOVE))
        browser.close()
    print("| units | layout | HTML (MiB) | generate (s) | load → stabilized (s) | visible nodes | start |")
    print("|---|---|---|---|---|---|---|")
    for size, mib, gen, ready, visible, collapsed in rows:
        print(f"| {size} | {args.layout} | {mib:.1f} | {gen:.2f} | {ready:.2f} | {visible} | "
              f"{'collapsed by document' if collapsed else 'expanded'} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
