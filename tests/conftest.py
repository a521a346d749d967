from __future__ import annotations

from pathlib import Path

import pytest

from graphmind.extract.rules import RuleExtractor

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
EXAMPLES = ROOT / "examples"


@pytest.fixture(scope="session")
def extractor() -> RuleExtractor:
    return RuleExtractor(lang="auto", trained=False)


@pytest.fixture
def fixtures() -> Path:
    return FIXTURES


# -- the graph store -------------------------------------------------------------
import os  # noqa: E402

from graphmind.store import server as local_server  # noqa: E402
from graphmind.store.store import GraphStore  # noqa: E402


@pytest.fixture(scope="session")
def store_session(tmp_path_factory):
    """The real bundled local server (or GRAPHMIND_TEST_URI, e.g. a Neo4j 5 server)."""
    uri = os.environ.get("GRAPHMIND_TEST_URI")
    if uri:
        store = GraphStore(uri, os.environ.get("GRAPHMIND_TEST_USER", "neo4j"),
                           os.environ.get("GRAPHMIND_TEST_PASSWORD", ""),
                           os.environ.get("GRAPHMIND_TEST_DATABASE") or None)
        store.apply_schema()
        yield store
        store.close()
        return
    data = tmp_path_factory.mktemp("graphdb")
    state, _ = local_server.start(data, heap="512m")
    store = GraphStore(state.uri, state.user, state.password, state.database)
    store.apply_schema()
    yield store
    store.close()
    local_server.stop(data)


@pytest.fixture
def store(store_session):
    store_session.clear()
    return store_session
