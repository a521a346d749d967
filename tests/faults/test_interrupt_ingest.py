"""An ingest interrupted at a random moment (SIGINT, SIGTERM, kill -9) leaves a consistent
store (every unit under its paragraph, every paragraph under its document), and the next
run converges to exactly what one clean run stores."""

from __future__ import annotations

import random
import signal
import time

import pytest

from .faultkit import (EXAMPLES, assert_interrupted, connect, consistent, gm, make_corpus, start, store_hash, wait_for,
                       workers_of)

pytestmark = pytest.mark.store


@pytest.fixture(scope="module")
def reference(own_server, tmp_path_factory):
    corpus = make_corpus(tmp_path_factory.mktemp("ingest") / "notes", 80)
    t = time.monotonic()
    proc = gm("ingest", corpus, EXAMPLES, data_dir=own_server)
    seconds = time.monotonic() - t
    assert proc.code == 0, proc.stderr
    with connect(own_server) as store:
        return corpus, store_hash(store), seconds


@pytest.mark.parametrize("trial, signum", [(1, signal.SIGKILL), (2, signal.SIGINT), (3, signal.SIGTERM)])
def test_interrupted_ingest_converges_on_the_next_run(reference, own_server, trial, signum):
    corpus, expected, seconds = reference
    with connect(own_server) as store:
        store.clear()
    delay = random.Random(100 + trial).uniform(0.4 * seconds, 0.95 * seconds)
    proc = start("ingest", corpus, EXAMPLES, data_dir=own_server)
    time.sleep(delay)
    proc.signal(signum)
    proc.wait()
    if proc.code not in (0, -signal.SIGKILL):
        assert_interrupted(proc, signum)
    wait_for(lambda: workers_of(own_server) == [], timeout=30, what="the extraction workers to end with the command")
    with connect(own_server) as store:
        consistent(store)
    again = gm("ingest", corpus, EXAMPLES, data_dir=own_server)
    assert again.code == 0, again.stderr
    with connect(own_server) as store:
        consistent(store)
        assert store_hash(store) == expected
