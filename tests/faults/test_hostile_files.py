"""Hostile files among ordinary notes: each is one line (or read within its limits) and the
ordinary notes are still extracted and stored. Their timings are a benchmark
(benchmarks/hostile_input.py), not asserted here; a run that hangs fails on the timeout."""

from __future__ import annotations

import json
import os

import pytest

from .faultkit import connect, gm

pytestmark = pytest.mark.store

GOOD = "Cities should plant more trees because shade cools the streets."


@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    folder = tmp_path_factory.mktemp("hostile") / "notes"
    folder.mkdir()
    (folder / "good.md").write_text(GOOD + "\n", encoding="utf-8")
    (folder / "nested.md").write_text(">" * 10_000 + " A claim deep inside quotes.\n", encoding="utf-8")
    line = "Memory is a river because it flows. However, critics say this is wrong. "
    (folder / "one-line.md").write_text(line * 1_000 + "\n", encoding="utf-8")  # 75 KB, 2,000 sentences
    (folder / "list.md").write_text("".join(f"- item {i} is a claim.\n" for i in range(1_000)), encoding="utf-8")
    (folder / "long-list.md").write_text("".join(f"- item number {i} is a claim because it says so.\n"
                                                 for i in range(100_000)), encoding="utf-8")  # 5 MB
    (folder / "nul.md").write_bytes(b"Hello\x00world. NUL bytes inside.\n" * 100)
    (folder / "invalid-utf8.md").write_bytes(b"Valid start. \xff\xfe\xc3\x28 invalid \xe2\x82 bytes.\n" * 100)
    (folder / "loop.md").symlink_to("loop.md")
    (folder / "sub").mkdir()
    (folder / "sub" / "up").symlink_to("..")  # a folder loop
    os.mkfifo(folder / "pipe.md")
    return folder


def test_hostile_files_are_one_line_each_and_the_rest_is_extracted(hostile, tmp_path):
    out = tmp_path / "out.json"
    proc = gm("extract", hostile, "-o", out, timeout=600)
    assert proc.code == 1 and "Traceback" not in proc.stderr, proc.stderr
    errors = [line for line in proc.lines() if line.startswith("graphmind: error:")]
    assert sorted(e.split(":")[2].strip().rsplit("/", 1)[-1] for e in errors) == ["loop.md", "nul.md", "pipe.md"]
    notes = "\n".join(proc.lines())
    assert "95,000 list items and table rows after the first 5,000" in notes
    assert "quote levels deeper than 32" in notes and "invalid-utf8.md: " in notes and "U+FFFD" in notes
    data = json.loads(out.read_text(encoding="utf-8"))
    sources = {d["source"].rsplit("/", 1)[-1] for d in data["documents"]}
    assert sources == {"good.md", "nested.md", "one-line.md", "list.md", "long-list.md", "invalid-utf8.md"}
    assert GOOD in {p["text"] for p in data["paragraphs"]}
    longest = max(len(p["text"]) for p in data["paragraphs"])
    assert longest < 20_000  # the one-line file is read as many paragraphs


def test_hostile_files_do_not_keep_the_others_out_of_the_store(hostile, shared_server):
    proc = gm("ingest", hostile, data_dir=shared_server, timeout=600)
    assert proc.code == 1 and "Traceback" not in proc.stderr, proc.stderr
    with connect(shared_server) as store:
        found = store.read("MATCH (p:Paragraph {text: $t}) RETURN count(p) AS n", t=GOOD)
    assert found[0]["n"] == 1
