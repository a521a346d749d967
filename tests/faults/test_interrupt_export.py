"""An export interrupted at a random moment (SIGINT, SIGTERM or kill -9) over an earlier export
leaves that earlier dataset whole or the new one whole, never a mix, and no temporary files
once the next run is over; the next run converges to the new dataset."""

from __future__ import annotations

import os
import random
import shutil
import signal
import time
from pathlib import Path

import pytest

from .faultkit import assert_interrupted, env_for, gm, leftovers, start, tree_hash

pytestmark = pytest.mark.store


@pytest.fixture(scope="module")
def datasets(shared_server, tmp_path_factory):
    """The seed-11 and seed-31 datasets of the shared store, made cleanly, and how long one takes."""
    work = tmp_path_factory.mktemp("export")
    hashes, seconds = {}, 0.0
    for seed in (11, 31):
        t = time.monotonic()
        proc = gm("export", "--out", work / f"ref{seed}", "--seed", seed, data_dir=shared_server)
        seconds = max(seconds, time.monotonic() - t)
        assert proc.code == 0, proc.stderr
        hashes[seed] = tree_hash(work / f"ref{seed}")
    assert hashes[11] != hashes[31]
    return work, hashes, seconds


@pytest.mark.parametrize("trial, signum", [(1, signal.SIGINT), (2, signal.SIGKILL), (3, signal.SIGTERM)])
def test_interrupted_export_leaves_the_old_dataset_or_the_new_one(datasets, shared_server, trial, signum):
    work, hashes, seconds = datasets
    out = work / f"trial{trial}"
    shutil.copytree(work / "ref11", out)  # the seed-11 dataset, as its export wrote it
    assert tree_hash(out) == hashes[11]
    delay = random.Random(trial).uniform(0.3 * seconds, 1.0 * seconds)
    proc = start("export", "--out", out, "--seed", 31, data_dir=shared_server)
    time.sleep(delay)
    proc.signal(signum)
    proc.wait()
    if proc.code not in (0, -signal.SIGKILL):
        assert_interrupted(proc, signum)
    assert tree_hash(out) in (hashes[11], hashes[31]), f"a mixed dataset after {signum!r} at {delay:.2f} s"
    if signum != signal.SIGKILL:
        assert leftovers(out.parent) == []
    again = gm("export", "--out", out, "--seed", 31, data_dir=shared_server)
    assert again.code == 0, again.stderr
    assert tree_hash(out) == hashes[31]
    assert leftovers(out.parent) == []


IN_DRIVER = Path(__file__).parent / "signal_in_driver"  # its sitecustomize signals from inside the driver


def _in_driver_env(data_dir, **extra):
    path = os.pathsep.join(p for p in (str(IN_DRIVER), os.environ.get("PYTHONPATH", "")) if p)
    return env_for(data_dir, PYTHONPATH=path, **extra)


@pytest.fixture(scope="module")
def driver_reads(datasets, shared_server):
    """How many times an export of the shared store reads from its Bolt socket."""
    work, hashes, _ = datasets
    count = work / "driver-reads"
    proc = gm("export", "--out", work / "counted", "--seed", 31,
              env=_in_driver_env(shared_server, GRAPHMIND_TEST_COUNT_TO=count))
    assert proc.code == 0, proc.stderr
    assert tree_hash(work / "counted") == hashes[31]
    return int(count.read_text())


@pytest.mark.parametrize("at, signame", [(0.2, "INT"), (0.4, "TERM"), (0.6, "INT"), (0.8, "TERM"), (0.95, "INT")])
def test_a_signal_inside_a_driver_read_ends_the_export_cleanly(datasets, shared_server, driver_reads, at, signame):
    """A SIGINT or SIGTERM that lands while the driver is reading a page (bytes taken off the
    socket, not yet counted) ends the export with one line, the old dataset in place and no
    work folder: the driver's connection is not left out of step (which made the clean-up
    fail with a traceback, or wait on the socket for ever)."""
    work, hashes, _ = datasets
    out = work / f"in-driver-{signame}-{at}"
    shutil.copytree(work / "ref11", out)
    nth = int(at * driver_reads) | 1  # odd: a read of a chunk's body, after its header
    signum = getattr(signal, "SIG" + signame)
    proc = gm("export", "--out", out, "--seed", 31, timeout=120,
              env=_in_driver_env(shared_server, GRAPHMIND_TEST_SIGNAL_AT=nth, GRAPHMIND_TEST_SIGNAL=signame))
    assert_interrupted(proc, signum)
    assert tree_hash(out) == hashes[11]
    assert leftovers(out.parent) == []
    again = gm("export", "--out", out, "--seed", 31, data_dir=shared_server)
    assert again.code == 0, again.stderr
    assert tree_hash(out) == hashes[31]
