"""A full disk while writing any output: one line naming the path and what to do, exit 1, the
old output intact and no temporary file left. The full disk is a 64 KiB tmpfs mounted in a
private mount namespace (`unshare -m` as root, `unshare -rm` in a user namespace otherwise);
where the machine allows neither, those cases are skipped (said in the report) and only
/dev/full under standard output runs."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time

import pytest

from .faultkit import EXAMPLES, OUTPUTS, env_for, record

pytestmark = pytest.mark.store

OLD = "the old output"


def _namespace_prefix() -> list[str] | None:
    unshare = shutil.which("unshare")
    if not unshare:
        return None
    for flags in (["-m"], ["-rm"]):
        try:
            probe = subprocess.run([unshare, *flags, "sh", "-c", 'mount -t tmpfs -o size=16k tmpfs "$0"', "/tmp"],
                                   capture_output=True, timeout=30)
        except (OSError, subprocess.TimeoutExpired):
            continue
        if probe.returncode == 0:
            return [unshare, *flags]
    return None


PREFIX = _namespace_prefix()


def run_on_full_disk(folder, err_file, old_setup: str, command: list[str], show: str, env) -> tuple[int, list[str]]:
    """Mount a 64 KiB tmpfs on ``folder``, put the old output there and fill it but for a few
    KiB, run `graphmind COMMAND` in it; returns its exit status and what is in the folder
    afterwards (names, then the old output's text)."""
    script = ('mount -t tmpfs -o size=64k tmpfs "$0" && cd "$0" && ' + old_setup +
              ' && head -c 50000 /dev/zero > filler && "$@" 2>"$ERR"; echo "exit=$?"; ls -A; ' + show)
    t = time.monotonic()
    done = subprocess.run(PREFIX + ["sh", "-c", script, str(folder), sys.executable, "-m", "graphmind", *command],
                          capture_output=True, text=True, env=dict(env, ERR=str(err_file)), timeout=300)
    OUTPUTS.append(done.stdout + done.stderr + err_file.read_text())
    marker = next(line for line in done.stdout.splitlines() if line.startswith("exit="))
    record(os.environ.get("PYTEST_CURRENT_TEST", "").split(" ")[0], command, int(marker[5:]),
           time.monotonic() - t, err_file.read_text(), note="includes mounting the tmpfs")
    lines = done.stdout.splitlines()
    marker = next(line for line in lines if line.startswith("exit="))
    return int(marker[5:]), lines[lines.index(marker) + 1:]


@pytest.mark.skipif(PREFIX is None, reason="no private tmpfs mount on this machine (unshare -m / -rm refused)")
@pytest.mark.parametrize("command, kind", [
    (["extract", str(EXAMPLES), "-o", "out"], "file"),
    (["rdf", "export", "--out", "out", "--format", "turtle"], "file"),
    (["viz", "--out", "out", "--format", "html"], "file"),
    (["export", "--out", "out"], "folder"),
])
def test_full_disk_is_one_line_keeps_the_old_output_and_leaves_nothing(shared_server, tmp_path, command, kind):
    folder, err = tmp_path / "small", tmp_path / "stderr.txt"
    folder.mkdir()
    if kind == "file":
        setup, show = f"printf '{OLD}' > out", "cat out"
    else:
        setup, show = f"mkdir out && printf '{OLD}' > out/README.md", "ls -A out; cat out/README.md"
    code, after = run_on_full_disk(folder, err, setup, command, show, env_for(shared_server))
    stderr = err.read_text()
    assert code == 1, stderr
    assert "Traceback" not in stderr
    last = stderr.strip().splitlines()[-1]
    assert f"cannot write {folder}/out" in last or "cannot write out" in last, last
    assert "disk is full" in last and "choose another" in last and "nothing was written" in last
    if kind == "file":
        assert after == ["filler", "out", OLD], after
    else:
        assert after == ["filler", "out", "README.md", OLD], after


def test_full_standard_output_is_one_line():
    if not os.path.exists("/dev/full"):
        pytest.skip("no /dev/full on this machine")
    t = time.monotonic()
    with open("/dev/full", "w") as full:
        done = subprocess.run([sys.executable, "-m", "graphmind", "extract", str(EXAMPLES)], stdout=full,
                              stderr=subprocess.PIPE, text=True, env=env_for(), timeout=300)
    OUTPUTS.append(done.stderr)
    record(os.environ.get("PYTEST_CURRENT_TEST", "").split(" ")[0], ["extract", "examples", ">/dev/full"],
           done.returncode, time.monotonic() - t, done.stderr)
    assert done.returncode == 1, done.stderr
    assert "Traceback" not in done.stderr and "Exception ignored" not in done.stderr
    last = done.stderr.strip().splitlines()[-1]
    assert "cannot write to standard output" in last and "No space left" in last and "-o" in last
