"""Outputs that cannot be written: a missing folder, a path that is a folder (or a file where
a folder is needed), a read-only file system. One line naming the path and what to do, exit
status 1, nothing written — and the check comes before the work (no store is even needed)."""

from __future__ import annotations

import os
import subprocess
import sys
import time

import pytest
from click.testing import CliRunner

from graphmind.cli import main

from .faultkit import EXAMPLES, OUTPUTS, env_for, record
from .test_disk_full import PREFIX


def run(*args):
    t = time.monotonic()
    result = CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)
    OUTPUTS.append(result.output)
    record(os.environ.get("PYTEST_CURRENT_TEST", "").split(" ")[0], args, result.exit_code, time.monotonic() - t,
           result.stderr, note="in-process (CliRunner): no interpreter start-up")
    return result


def one_line(result) -> str:
    assert result.exit_code == 1, result.output
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, result.stderr
    return lines[0]


@pytest.mark.parametrize("args", [
    ["extract", EXAMPLES, "-o", "{tmp}/missing/out.json"],
    ["rdf", "export", "--out", "{tmp}/missing/graph.ttl", "--uri", "bolt://127.0.0.1:1"],
    ["viz", "--out", "{tmp}/missing/map.html", "--uri", "bolt://127.0.0.1:1"],
    ["export", "--out", "{tmp}/missing/dataset", "--uri", "bolt://127.0.0.1:1"],
    ["train", EXAMPLES / "en" / "attention.md", "--out", "{tmp}/missing/weights.json"],
])
def test_missing_output_folder(tmp_path, args):
    line = one_line(run(*[str(a).format(tmp=tmp_path) for a in args]))
    assert f"the folder {tmp_path}/missing does not exist; create it or choose another" in line
    assert not (tmp_path / "missing").exists()


@pytest.mark.parametrize("args", [
    ["extract", EXAMPLES, "-o", "{tmp}"],
    ["rdf", "export", "--out", "{tmp}", "--uri", "bolt://127.0.0.1:1"],
    ["viz", "--out", "{tmp}", "--uri", "bolt://127.0.0.1:1"],
])
def test_output_path_that_is_a_folder(tmp_path, args):
    line = one_line(run(*[str(a).format(tmp=tmp_path) for a in args]))
    assert f"cannot write {tmp_path}: it is a folder; name a file with" in line
    assert list(tmp_path.iterdir()) == []


def test_dataset_path_that_is_a_file(tmp_path):
    target = tmp_path / "dataset"
    target.write_text("keep me")
    line = one_line(run("export", "--out", target, "--uri", "bolt://127.0.0.1:1"))
    assert f"cannot write {target}: it is a file, not a folder" in line
    assert target.read_text() == "keep me"


@pytest.mark.skipif(PREFIX is None, reason="no private tmpfs mount on this machine (unshare -m / -rm refused)")
def test_read_only_file_system(tmp_path):
    folder = tmp_path / "ro"
    folder.mkdir()
    script = 'mount -t tmpfs -o ro,size=16k tmpfs "$0" && cd "$0" && "$@"'
    t = time.monotonic()
    done = subprocess.run(PREFIX + ["sh", "-c", script, str(folder), sys.executable, "-m", "graphmind", "extract",
                                    str(EXAMPLES), "-o", "out.json"],
                          capture_output=True, text=True, env=env_for(), timeout=300)
    OUTPUTS.append(done.stdout + done.stderr)
    record(os.environ.get("PYTEST_CURRENT_TEST", "").split(" ")[0], ["extract", "examples", "-o", "out.json"],
           done.returncode, time.monotonic() - t, done.stderr, note="includes mounting the tmpfs")
    assert done.returncode == 1, done.stderr
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and "cannot write out.json" in lines[0], done.stderr
    assert "read-only" in lines[0] or "permission denied" in lines[0]
