"""Secrets never shown: a password in --uri is masked in every message, and nothing any process
of the fault suite printed (nor any server log it left) holds a planted secret or a bundled
server's generated password. Runs last in tests/faults (its name sorts last), so that it reads
what every other test printed."""

from __future__ import annotations

import pytest

from .faultkit import DATA_DIRS, OUTPUTS, PLANTED, URI_SECRET, gm

pytestmark = pytest.mark.store


@pytest.mark.parametrize("args", [
    ["ingest", "{tmp}"],
    ["query", "central_claims"],
    ["export", "--out", "{tmp}/dataset"],
    ["rdf", "export", "--out", "{tmp}/graph.ttl"],
])
def test_a_password_in_the_uri_is_masked_on_a_closed_port(tmp_path, args):
    uri = f"bolt://root:{URI_SECRET}@127.0.0.1:1"
    proc = gm(*[a.format(tmp=tmp_path) for a in args], "--uri", uri)
    assert proc.code != 0 and "Traceback" not in proc.stderr, proc.stderr
    assert URI_SECRET not in proc.stdout + proc.stderr
    assert "bolt://root:***@127.0.0.1:1" in proc.stderr, proc.stderr


def test_a_wrong_password_in_the_uri_is_masked_against_a_real_server(shared_server):
    from graphmind.store import server as local_server

    state = local_server.read_state(shared_server.resolve())
    host = state.uri.split("://", 1)[1]
    proc = gm("query", "central_claims", "--uri", f"bolt://root:{URI_SECRET}@{host}")
    assert proc.code == 1 and "Traceback" not in proc.stderr, proc.stderr
    assert URI_SECRET not in proc.stdout + proc.stderr
    assert len(proc.lines()) == 1, proc.stderr


def test_no_planted_secret_in_anything_the_suite_printed_or_logged():
    if len(OUTPUTS) < 20:
        pytest.skip("reads what the other fault tests printed: run it with the whole of tests/faults")
    texts = list(OUTPUTS)
    for data in DATA_DIRS:
        texts += [log.read_text(encoding="utf-8", errors="replace") for log in data.rglob("*.log")]
    secrets = list(PLANTED.values()) + [URI_SECRET]
    # the bundled servers' generated passwords (kept owner-only in each data folder)
    secrets += [(data / "password").read_text().strip() for data in DATA_DIRS if (data / "password").is_file()]
    leaks = [(s, t[max(0, t.find(s) - 200): t.find(s) + 50]) for t in texts for s in secrets if s in t]
    assert leaks == []
