"""The bundled server under concurrency and signals: one server per data folder, shared by the
commands that need it; its state file tells the truth; a server a command started for
itself is gone when the last such command ends, however it ends."""

from __future__ import annotations

import os
import re
import signal

import pytest

from graphmind.store import server as local_server

from .faultkit import DATA_DIRS, EXAMPLES, assert_interrupted, connect, gm, start, wait_for

pytestmark = pytest.mark.store


def alive(pid: int) -> bool:
    return local_server.pid_alive(pid)


def server_processes(data_dir) -> list[int]:
    """Live server processes of ``data_dir`` (from /proc, not from the state file)."""
    found = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/cmdline", "rb") as f:
                cmd = f.read().split(b"\0")
        except OSError:
            continue
        if b"graphmind.store.server" in cmd and str(data_dir).encode() in cmd and alive(int(entry)):
            found.append(int(entry))
    return found


def running(data_dir) -> bool:
    state = local_server.read_state(data_dir.resolve())
    return state is not None and state.status == "running"


@pytest.fixture
def fresh(tmp_path):
    data = tmp_path / "data"
    DATA_DIRS.append(data)
    yield data
    for pid in server_processes(data.resolve()):  # whatever a failed test left
        os.kill(pid, signal.SIGKILL)


def test_two_db_starts_at_once_share_one_server_that_db_stop_stops(fresh):
    first = start("db", "start", "--heap", "512m", data_dir=fresh)
    second = start("db", "start", "--heap", "512m", data_dir=fresh)
    first.wait(), second.wait()
    assert first.code == 0 and second.code == 0, first.stderr + second.stderr
    uris = {re.search(r"bolt://\S+", p.stdout).group(0) for p in (first, second)}
    assert len(uris) == 1
    assert sorted(p.stdout.split()[2] for p in (first, second)) == ["already", "started"]
    pids = server_processes(fresh.resolve())
    assert len(pids) == 1
    status = gm("db", "status", data_dir=fresh)
    assert status.code == 0 and f"pid {pids[0]}" in status.stdout
    assert gm("db", "stop", data_dir=fresh).code == 0
    assert server_processes(fresh.resolve()) == [] and not alive(pids[0])
    assert gm("db", "status", data_dir=fresh).code == 3


def test_two_ingests_at_once_on_a_fresh_folder_both_finish_with_the_sequential_totals(fresh, tmp_path):
    a = start("ingest", EXAMPLES, data_dir=fresh)
    b = start("ingest", EXAMPLES, data_dir=fresh)
    a.wait(), b.wait()
    assert a.code == 0 and b.code == 0, a.stderr + b.stderr
    assert "Traceback" not in a.stderr + b.stderr
    assert server_processes(fresh.resolve()) == []  # the last one out stopped the server
    assert gm("db", "start", "--heap", "512m", data_dir=fresh).code == 0
    try:
        with connect(fresh) as store:
            together = store.counts()
            store.clear()
        assert gm("ingest", EXAMPLES, data_dir=fresh).code == 0
        with connect(fresh) as store:
            assert store.counts() == together
    finally:
        gm("db", "stop", data_dir=fresh)


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT])
def test_a_signal_to_a_command_that_started_the_server_stops_the_server(fresh, signum):
    proc = start("ingest", EXAMPLES, data_dir=fresh)
    wait_for(lambda: running(fresh), what="the server to run", timeout=120)
    pid = local_server.read_state(fresh.resolve()).pid
    proc.signal(signum)
    proc.wait()
    if proc.code != 0:  # not finished before the signal
        assert_interrupted(proc, signum)
    assert not alive(pid) and server_processes(fresh.resolve()) == []
    assert local_server.read_state(fresh.resolve()) is None
    assert gm("db", "status", data_dir=fresh).code == 3


def test_a_killed_command_leaves_no_server_behind(fresh):
    proc = start("ingest", EXAMPLES, data_dir=fresh)
    wait_for(lambda: running(fresh), what="the server to run", timeout=120)
    pid = local_server.read_state(fresh.resolve()).pid
    proc.signal(signal.SIGKILL)
    proc.wait()
    wait_for(lambda: not alive(pid), timeout=60, what="the orphaned server to stop itself")
    assert local_server.read_state(fresh.resolve()) is None
    assert gm("db", "status", data_dir=fresh).code == 3


def test_db_start_keeps_a_server_a_command_started(fresh):
    proc = start("ingest", EXAMPLES, data_dir=fresh)
    wait_for(lambda: running(fresh), what="the server to run", timeout=120)
    kept = gm("db", "start", data_dir=fresh)
    assert kept.code == 0 and "already running" in kept.stdout
    proc.wait()
    assert proc.code == 0, proc.stderr
    status = gm("db", "status", data_dir=fresh)
    assert status.code == 0 and "running on" in status.stdout
    assert gm("db", "stop", data_dir=fresh).code == 0
    assert server_processes(fresh.resolve()) == []
