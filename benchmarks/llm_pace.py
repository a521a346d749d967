"""LLM extraction at the server's pace (issue 17): `graphmind extract --extractor llm` as a
whole process against a local chat-completions server that answers every request after a
fixed delay, for several `--llm-concurrency` values. With one request pool across the notes,
the requests per second come close to concurrency ÷ delay, whatever the notes' sizes; a
second run over the same notes is answered from the on-disk cache and sends nothing.

    python benchmarks/llm_pace.py [--notes 40] [--paragraphs 1,3] [--delay 0.5] [--concurrency 1,4,8]

The server is the loopback one of the tests (``tests/llm_server.py``, answers built here for
each paragraph); nothing leaves the machine. The notes are generated: one sentence a paragraph.
Columns: requests sent, wall seconds of the command (start-up included), requests per second
over the request phase (first request received to last answered, from the server's clock),
that rate over concurrency ÷ delay, and the cached second run (wall, requests sent).
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from llm_server import FakeOpenAI  # noqa: E402


class TimedServer(FakeOpenAI):
    """The recorded-answer server, noting when each answer request arrives and leaves."""

    def __init__(self):
        super().__init__()
        self.first = self.last = None
        self.clock = threading.Lock()

    def respond(self, body: dict):
        now = time.monotonic()
        with self.clock:
            self.first = now if self.first is None else min(self.first, now)
        out = super().respond(body)
        with self.clock:
            self.last = time.monotonic()
        return out


def make_notes(folder: Path, server: FakeOpenAI, notes: int, paragraphs: int, delay: float) -> int:
    topics = ["walking", "reading", "sleep", "cities", "trees", "music", "letters", "gardens"]
    count = 0
    for k in range(notes):
        pars = []
        for j in range(paragraphs):
            text = f"Note {k} paragraph {j} says that {topics[(k + j) % len(topics)]} helps thinking."
            server.scenarios[text] = [{"delay": delay, "content": {"units": [
                {"id": "u1", "text": text, "type": "claim", "central": True}], "relations": []}}]
            pars.append(text)
            count += 1
        (folder / f"note-{k:03d}.md").write_text("\n\n".join(pars) + "\n", encoding="utf-8")
    return count


def run(folder: Path, server: TimedServer, cache: Path, concurrency: int) -> tuple[float, int, float]:
    env = dict(os.environ, GRAPHMIND_LLM_BASE_URL=server.url, GRAPHMIND_LLM_MODEL="bench-model",
               GRAPHMIND_LLM_STRUCTURED="json_schema", GRAPHMIND_DATA_DIR=str(cache))
    env.pop("PYTHONPATH", None)
    sent_before = len(server.requests)
    server.first = server.last = None
    start = time.monotonic()
    subprocess.run([sys.executable, "-m", "graphmind.cli", "extract", str(folder), "--extractor", "llm",
                    "--llm-concurrency", str(concurrency), "--format", "jsonl", "-o", os.devnull, "--quiet"],
                   env=env, check=True, stderr=subprocess.DEVNULL)
    wall = time.monotonic() - start
    phase = (server.last - server.first) if server.first is not None else 0.0
    return wall, len(server.requests) - sent_before, phase


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--notes", type=int, default=40)
    ap.add_argument("--paragraphs", default="1,3", help="paragraphs a note, one table row set each")
    ap.add_argument("--delay", type=float, default=0.5, help="seconds the server takes for every answer")
    ap.add_argument("--concurrency", default="1,4,8")
    args = ap.parse_args()
    print(f"load average {os.getloadavg()[0]:.1f}; {args.notes} notes; server delay {args.delay} s a request")
    print("| paragraphs a note | --llm-concurrency | requests | wall s | requests/s (request phase) "
          "| ÷ (concurrency ÷ delay) | cached rerun: wall s, requests |")
    print("|---|---|---|---|---|---|---|")
    server = TimedServer()
    try:
        for per_note in (int(x) for x in args.paragraphs.split(",")):
            for c in (int(x) for x in args.concurrency.split(",")):
                work = Path(tempfile.mkdtemp(prefix="gm-llm-pace-"))
                try:
                    (work / "notes").mkdir()
                    make_notes(work / "notes", server, args.notes, per_note, args.delay)
                    wall, sent, phase = run(work / "notes", server, work / "data", c)
                    rate = sent / phase if phase else 0.0
                    again_wall, again_sent, _ = run(work / "notes", server, work / "data", c)
                    print(f"| {per_note} | {c} | {sent} | {wall:.1f} | {rate:.2f} | {rate / (c / args.delay):.2f} "
                          f"| {again_wall:.1f} s, {again_sent} |", flush=True)
                finally:
                    shutil.rmtree(work, ignore_errors=True)
    finally:
        server.close()


if __name__ == "__main__":
    main()
