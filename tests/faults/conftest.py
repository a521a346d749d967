"""Fixtures of the fault suite (helpers in faultkit.py). tests/faults is a package, so that
this conftest does not stand in for tests/conftest.py where other test modules import from it."""

from __future__ import annotations

import json
import os

import pytest

from .faultkit import DATA_DIRS, EXAMPLES, TIMINGS, gm, make_corpus


@pytest.fixture(scope="session", autouse=True)
def timings():
    """With GRAPHMIND_FAULT_TIMINGS=FILE, what every process did and took is written there
    (benchmarks/faults.py)."""
    yield
    path = os.environ.get("GRAPHMIND_FAULT_TIMINGS")
    if path:
        with open(path, "w", encoding="utf-8") as f:
            json.dump(TIMINGS, f, ensure_ascii=False, indent=1)


@pytest.fixture(scope="session")
def shared_server(tmp_path_factory):
    """A bundled server left running (`db start`) with examples/ and a generated corpus stored."""
    data = tmp_path_factory.mktemp("fault-db")
    DATA_DIRS.append(data)
    assert gm("db", "start", "--heap", "512m", data_dir=data).code == 0
    corpus = make_corpus(tmp_path_factory.mktemp("corpus") / "notes", 30)
    for path in (EXAMPLES, corpus):
        proc = gm("ingest", path, data_dir=data)
        assert proc.code == 0, proc.stderr
    yield data
    gm("db", "stop", data_dir=data)


@pytest.fixture(scope="module")
def own_server(tmp_path_factory):
    """A bundled server of the module's own (its tests may clear it)."""
    data = tmp_path_factory.mktemp("fault-own-db")
    DATA_DIRS.append(data)
    assert gm("db", "start", "--heap", "512m", data_dir=data).code == 0
    yield data
    gm("db", "stop", data_dir=data)
