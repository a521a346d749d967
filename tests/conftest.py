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


# -- the graph stores -------------------------------------------------------------
# Every store, query, export, map and RDF test runs once per backend named in
# GRAPHMIND_TEST_BACKENDS (default: both). Each server starts once per session.
import os  # noqa: E402
from dataclasses import dataclass, field  # noqa: E402

from graphmind.store import server as local_server  # noqa: E402
from graphmind.store.store import GraphStore  # noqa: E402

import neo4j_server  # noqa: E402

KNOWN_BACKENDS = ("arcadedb", "neo4j")
BACKENDS = [b.strip() for b in os.environ.get("GRAPHMIND_TEST_BACKENDS", "arcadedb,neo4j").split(",") if b.strip()]


def pytest_configure(config):
    unknown = sorted(set(BACKENDS) - set(KNOWN_BACKENDS))
    if unknown or not BACKENDS:
        raise pytest.UsageError(f"GRAPHMIND_TEST_BACKENDS={os.environ.get('GRAPHMIND_TEST_BACKENDS')!r}: "
                                f"name one or more of {', '.join(KNOWN_BACKENDS)}, comma-separated")


@dataclass
class Backend:
    """A running graph server the tests can reach over Bolt."""

    name: str
    uri: str
    user: str
    password: str
    database: str | None
    neo4j: neo4j_server.Neo4jServer | None = None  # the launcher, when the tests started it
    extra: dict = field(default_factory=dict)

    def connect(self, **overrides) -> GraphStore:
        args = dict(uri=self.uri, user=self.user, password=self.password, database=self.database)
        args.update(overrides)
        return GraphStore(**args)

    def env(self) -> dict[str, str | None]:
        """The environment README tells users to set for this server."""
        return {"GRAPHMIND_URI": self.uri, "GRAPHMIND_USER": self.user, "GRAPHMIND_PASSWORD": self.password,
                "GRAPHMIND_DATABASE": self.database}

    def cli(self, *args, env=None):
        """Run ``graphmind ARGS`` in-process against this server, reached through env()."""
        from click.testing import CliRunner

        from graphmind.cli import main

        full = self.env()
        full.update(env or {})
        return CliRunner().invoke(main, list(args), catch_exceptions=False, env=full)


@pytest.fixture(scope="session")
def arcadedb_backend(tmp_path_factory):
    """The real bundled local server (ArcadeDB over Bolt)."""
    data = tmp_path_factory.mktemp("arcadedb")
    state, _ = local_server.start(data, heap="512m")
    yield Backend("arcadedb", state.uri, state.user, state.password, state.database)
    local_server.stop(data)


@pytest.fixture(scope="session")
def neo4j_backend(tmp_path_factory):
    """A real Neo4j 5: the one at GRAPHMIND_TEST_URI (GRAPHMIND_TEST_USER, _PASSWORD,
    _DATABASE), or else the Community server of tests/neo4j started here (512 MB heap)."""
    uri = os.environ.get("GRAPHMIND_TEST_URI")
    if uri:
        yield Backend("neo4j", uri, os.environ.get("GRAPHMIND_TEST_USER", "neo4j"),
                      os.environ.get("GRAPHMIND_TEST_PASSWORD", ""), os.environ.get("GRAPHMIND_TEST_DATABASE") or None)
        return
    try:
        server = neo4j_server.start(tmp_path_factory.mktemp("neo4j"), heap="512m")
    except neo4j_server.Neo4jNotBuilt as exc:
        pytest.fail(str(exc))
    yield Backend("neo4j", server.uri, server.user, server.password, server.database, neo4j=server)
    server.stop()


@pytest.fixture(scope="session", params=BACKENDS)
def backend(request) -> Backend:
    return request.getfixturevalue(f"{request.param}_backend")


@pytest.fixture(scope="session")
def store_session(backend):
    store = backend.connect()
    store.apply_schema()
    yield store
    store.close()


@pytest.fixture
def store(store_session):
    store_session.clear()
    return store_session


@pytest.fixture
def cli(store, backend):
    """``graphmind ...`` against the backend's server, reached the way README says
    (GRAPHMIND_URI, GRAPHMIND_USER, GRAPHMIND_PASSWORD, GRAPHMIND_DATABASE); the graph starts empty."""
    return backend.cli
