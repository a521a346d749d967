"""A model server that fails in every way a network service can: each failure is one line per
paragraph, a document whose every paragraph failed is not stored (the version stored before
stays as it was), and `extract -o` writes nothing and exits 1 when nothing was extracted."""

from __future__ import annotations

import pytest

from .faultkit import Proc, connect, env_for, store_hash
from .fault_llm import FaultServer, closed_url

pytestmark = pytest.mark.store

MODES = ["closed", "500", "not_json", "truncated", "slow", "malformed"]
PARAGRAPHS = ["Cities should plant more trees because shade cools the streets.",
              "Trees also clean the air, so every street gains from them."]
LLM_OPTIONS = ["--extractor", "llm", "--llm-timeout", "1", "--llm-max-retries", "1", "--llm-structured", "json_object"]


@pytest.fixture(scope="module")
def servers():
    running = {mode: FaultServer(mode, delay=3) for mode in MODES if mode != "closed"}
    urls = {mode: s.url for mode, s in running.items()}
    urls["closed"] = closed_url()
    yield urls
    for s in running.values():
        s.close()


@pytest.fixture
def note(tmp_path):
    path = tmp_path / "notes" / "trees.md"
    path.parent.mkdir()
    path.write_text("\n\n".join(PARAGRAPHS) + "\n", encoding="utf-8")
    return path


def llm_env(url, data_dir):
    return env_for(data_dir, GRAPHMIND_LLM_BASE_URL=url, GRAPHMIND_LLM_MODEL="test-model")


def test_every_failure_mode_is_one_line_per_paragraph_and_extract_o_writes_nothing(servers, note, tmp_path):
    out = {mode: tmp_path / f"{mode}.json" for mode in MODES}
    out["500"].write_text("an old extraction")
    procs = {mode: Proc(["extract", note, *LLM_OPTIONS, "-o", out[mode]],
                        llm_env(servers[mode], tmp_path / f"data-{mode}"))
             for mode in MODES}  # all at once: the suite waits for the slowest, not the sum
    for mode, proc in procs.items():
        proc.wait()
        assert proc.code == 1 and "Traceback" not in proc.stderr, (mode, proc.stderr)
        failed = [line for line in proc.lines() if line.startswith("graphmind: failed: ")]
        assert [line.rsplit(" paragraph ", 1)[1].split(":")[0] for line in failed] == ["0", "1"], (mode, proc.stderr)
        assert "every paragraph failed with the model" in proc.stderr, (mode, proc.stderr)
        assert proc.lines()[-1].startswith("graphmind: error: nothing was extracted"), (mode, proc.stderr)
    assert out["500"].read_text() == "an old extraction"
    assert not any(out[mode].exists() for mode in MODES if mode != "500")
    reasons = {mode: next(line for line in procs[mode].lines() if "failed: " in line) for mode in MODES}
    assert "cannot connect" in reasons["closed"] and "server error (500)" in reasons["500"]
    assert "not JSON" in reasons["not_json"] and "broke off" in reasons["truncated"]
    assert "timed out" in reasons["slow"] and "malformed answer" in reasons["malformed"]


@pytest.mark.parametrize("mode", ["500", "truncated"])
def test_a_document_whose_paragraphs_all_failed_keeps_its_stored_version(servers, note, shared_server, tmp_path,
                                                                         mode):
    first = Proc(["ingest", note], env_for(shared_server)).wait()  # stored by the rules
    assert first.code == 0, first.stderr
    with connect(shared_server) as store:
        before = store_hash(store)
    note.write_text("\n\n".join(PARAGRAPHS) + "\n\nA third paragraph changes the file.\n", encoding="utf-8")
    proc = Proc(["ingest", note, *LLM_OPTIONS], llm_env(servers[mode], shared_server)).wait()
    assert proc.code == 1 and "Traceback" not in proc.stderr, proc.stderr
    assert "not stored (a stored version is kept as it was)" in proc.stderr
    assert "documents: 0 written" in proc.stderr
    with connect(shared_server) as store:
        assert store_hash(store) == before
