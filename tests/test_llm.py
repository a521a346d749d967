"""The LLM extractor against a local server that speaks the chat-completions protocol and
plays recorded answers. Nothing leaves loopback."""

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from graphmind.cli import main
from graphmind.exceptions import GraphMindError
from graphmind.extract.llm import LLMConfig, LLMExtractor, answer_budget, llm_schema_text
from graphmind.output import validate_extraction
from graphmind.schema import resource_dir

from llm_server import FakeOpenAI

ANSWERS = json.loads((Path(__file__).parent / "fixtures" / "llm" / "answers.json").read_text(encoding="utf-8"))
SECRET = "sk-test-do-not-print-1234"


@pytest.fixture
def server():
    s = FakeOpenAI()
    for name, spec in ANSWERS.items():
        s.scenarios[spec["paragraph"]] = spec["steps"]
    yield s
    s.close()


def extractor(server, tmp_path, **kw):
    """An extractor for the recorded server; it speaks strict json_schema (as OpenAI) unless
    ``structured`` says otherwise."""
    cfg = LLMConfig(base_url=server.url, model="test-model", api_key=SECRET, timeout=kw.pop("timeout", 5),
                    max_retries=kw.pop("max_retries", 2), concurrency=2, cache_dir=str(tmp_path / "cache"),
                    structured=kw.pop("structured", "json_schema"), max_tokens=kw.pop("max_tokens", None))
    return LLMExtractor(cfg, trained=False, **kw)


def run(ex, name):
    out = ex.extract_text(ANSWERS[name]["paragraph"], source=f"{name}.txt")
    return out


def record_dicts(out):
    data = {s: [] for s in ("documents", "paragraphs", "units", "relations", "concepts", "links")}
    for section, rec in out.records():
        data[section].append(rec)
    return data


@pytest.mark.parametrize("name, lang", [("good_en", "en"), ("good_ru", "ru")])
def test_good_answer_is_grounded_in_the_paragraph(server, tmp_path, name, lang):
    ex = extractor(server, tmp_path)
    out = run(ex, name)
    text = out.paragraphs[0].text
    assert out.paragraphs[0].lang == lang
    assert [u.text for u in out.units] == [u["text"] for u in ANSWERS[name]["steps"][0]["content"]["units"]]
    for u in out.units:
        assert text[u.start:u.end] == u.text and u.cue == "llm"
    assert len(out.relations) == len(ANSWERS[name]["steps"][0]["content"]["relations"])
    validate_extraction(record_dicts(out))
    assert ex.report.failures == []


def test_request_carries_the_schema_in_strict_mode(server, tmp_path):
    run(extractor(server, tmp_path), "good_en")
    fmt = server.requests[0]["response_format"]
    assert fmt["type"] == "json_schema" and fmt["json_schema"]["strict"] is True
    assert fmt["json_schema"]["schema"] == json.loads(llm_schema_text())


def test_schema_file_is_generated_from_the_graph_schema():
    assert (resource_dir("schemas") / "llm_output.schema.json").read_text(encoding="utf-8") == llm_schema_text()


def test_hallucinated_unit_is_dropped_and_counted(server, tmp_path):
    ex = extractor(server, tmp_path)
    out = run(ex, "hallucinated")
    assert [u.text for u in out.units] == ["Reading every day builds attention.", "It is a habit worth keeping."]
    assert ex.report.ungrounded_units == 1
    assert ex.report.invalid_relations == 2  # the one from the dropped unit and the one to u9
    assert [(r.type) for r in out.relations] == ["supports"]


def test_wrong_types_get_one_repair_request(server, tmp_path):
    ex = extractor(server, tmp_path)
    out = run(ex, "wrong_types")
    assert [u.type for u in out.units] == ["premise", "conclusion"]
    assert len(server.requests) == 2
    assert "not valid" in server.requests[1]["messages"][-1]["content"]


def test_malformed_json_twice_is_reported_and_nothing_stored(server, tmp_path):
    ex = extractor(server, tmp_path)
    out = run(ex, "malformed")
    assert out.units == [] and out.relations == []
    assert len(server.requests) == 2
    assert "malformed answer" in ex.report.failures[0][2]


def test_truncated_answer_is_retried_on_the_halves(server, tmp_path):
    ex = extractor(server, tmp_path)
    out = run(ex, "truncated")
    text = out.paragraphs[0].text
    assert [u.text for u in out.units] == ["Music helps memory.", "Songs are easy to recall.",
                                           "Therefore teachers should use songs.", "Rhymes work too."]
    assert all(text[u.start:u.end] == u.text for u in out.units)
    assert sum(u.central for u in out.units) == 1
    assert ex.report.failures == []


def test_truncated_single_sentence_is_reported(server, tmp_path):
    ex = extractor(server, tmp_path)
    out = run(ex, "truncated_short")
    assert out.units == [] and "cut off" in ex.report.failures[0][2]


@pytest.mark.parametrize("name, reason", [("refusal", "refused"), ("content_filter", "content filter")])
def test_refusal_and_content_filter_are_reported_not_retried(server, tmp_path, name, reason):
    ex = extractor(server, tmp_path)
    out = run(ex, name)
    assert out.units == [] and len(server.requests) == 1
    assert reason in ex.report.failures[0][2]


def test_rate_limit_is_retried_then_succeeds(server, tmp_path):
    ex = extractor(server, tmp_path)
    out = run(ex, "rate_limited")
    assert len(out.units) == 2 and len(server.requests) == 2 and ex.report.failures == []


def test_server_errors_are_retried_within_the_limit(server, tmp_path):
    ex = extractor(server, tmp_path, max_retries=2)
    run(ex, "server_error")
    assert len(server.requests) == 3
    assert "server error (500)" in ex.report.failures[0][2]


def test_bad_request_is_not_retried(server, tmp_path):
    ex = extractor(server, tmp_path)
    run(ex, "bad_request")
    assert len(server.requests) == 1 and "400" in ex.report.failures[0][2]


def test_a_hang_hits_the_timeout(server, tmp_path):
    ex = extractor(server, tmp_path, timeout=0.3, max_retries=1)
    out = run(ex, "hang")
    assert out.units == [] and "timed out" in ex.report.failures[0][2]


def test_fallback_rules_extracts_failed_paragraphs(server, tmp_path):
    ex = extractor(server, tmp_path, fallback="rules")
    out = run(ex, "malformed")
    assert out.units and all(u.cue != "llm" for u in out.units)
    assert ex.report.fallbacks == 1 and len(ex.report.failures) == 1


def test_cache_makes_the_second_run_send_nothing(server, tmp_path):
    run(extractor(server, tmp_path), "good_en")
    sent = len(server.requests)
    second = extractor(server, tmp_path)
    out = run(second, "good_en")
    assert len(server.requests) == sent and len(out.units) == 4 and second.report.cache_hits == 1


def formats(server):
    return [(r.get("response_format") or {}).get("type") for r in server.requests]


def test_auto_probes_a_strict_server_once_and_remembers_it(server, tmp_path):
    run(extractor(server, tmp_path, structured="auto"), "good_en")
    assert formats(server) == ["json_schema", "json_schema"]  # the probe, then the paragraph
    second = extractor(server, tmp_path, structured="auto")
    run(second, "good_ru")
    assert formats(server)[2:] == ["json_schema"] and "remembered" in second.report.structured


def test_auto_takes_json_object_with_the_schema_from_a_server_that_answers_500(server, tmp_path):
    server.structured = "llama"
    ex = extractor(server, tmp_path, structured="auto")
    out = run(ex, "good_en")
    assert len(out.units) == 4 and ex.report.failures == []
    assert formats(server) == ["json_schema", "json_object", "json_object"]  # no retries of the refused form
    assert server.requests[-1]["response_format"]["schema"]["properties"]["units"]["maxItems"] > 0
    assert ex.report.structured.startswith("json_object")


def test_auto_keeps_json_object_when_the_server_ignores_the_schema(server, tmp_path):
    server.structured = "json_only"
    ex = extractor(server, tmp_path, structured="auto")
    assert len(run(ex, "good_en").units) == 4
    assert formats(server)[-1] == "json_object"
    assert "did not hold it to the schema" in ex.report.structured


def test_auto_falls_back_to_json_in_the_text(server, tmp_path):
    server.structured = "plain"
    ex = extractor(server, tmp_path, structured="auto")
    out = run(ex, "prose_wrapped")
    assert [u.text for u in out.units] == ["Gardens calm the mind.", "People who garden sleep better."]
    assert "response_format" not in server.requests[-1]
    assert ex.report.structured.startswith("none")


def test_remembered_form_that_is_refused_is_probed_again(server, tmp_path):
    run(extractor(server, tmp_path, structured="auto"), "good_en")  # remembers json_schema
    server.structured = "400"  # the same URL now serves another server
    server.requests.clear()
    ex = extractor(server, tmp_path, structured="auto")
    out = run(ex, "good_ru")
    assert len(out.units) == 2 and ex.report.failures == []
    assert formats(server) == ["json_schema", "json_schema", "json_object", "json_object"]


def test_forced_form_the_server_refuses_is_one_clear_error(server, tmp_path):
    server.structured = "400"
    ex = extractor(server, tmp_path, structured="json_schema")
    with pytest.raises(GraphMindError, match="--llm-structured auto"):
        run(ex, "good_en")


def test_answer_budget_is_sent_as_max_tokens(server, tmp_path):
    run(extractor(server, tmp_path), "good_en")
    run(extractor(server, tmp_path / "b", max_tokens=77), "good_ru")
    assert server.requests[0]["max_tokens"] == answer_budget(ANSWERS["good_en"]["paragraph"])
    assert server.requests[1]["max_tokens"] == 77


def test_estimate_counts_requests_without_calling(server, tmp_path):
    ex = extractor(server, tmp_path)
    from graphmind.read.markdown import parse_plain
    from graphmind.read import Note

    note = Note("e.txt", "e", parse_plain(ANSWERS["good_en"]["paragraph"] + "\n\n" + ANSWERS["good_ru"]["paragraph"]).blocks, [])
    requests, tokens = ex.estimate(ex.paragraphs_of(note, "doc_e"))
    assert requests == 2 and tokens > 100 and server.requests == []


def test_hybrid_keeps_rule_spans_and_takes_model_types(server, tmp_path):
    ex = extractor(server, tmp_path, mode="hybrid")
    out = run(ex, "good_ru")
    by_text = {u.text: u for u in out.units}
    assert by_text["Поэтому мысли нужно записывать сразу."].type == "conclusion"
    assert any(u.cue.startswith("llm") for u in out.units)
    assert sum(u.central for u in out.units) == 1
    assert any(r.type == "carries" for r in out.relations)


def test_no_model_configured_is_a_clear_error(tmp_path):
    with pytest.raises(GraphMindError, match="GRAPHMIND_LLM_MODEL"):
        LLMExtractor(LLMConfig(cache_dir=str(tmp_path)), trained=False)


def test_cli_reports_failures_exits_nonzero_and_never_prints_the_key(server, tmp_path):
    notes = tmp_path / "notes"
    notes.mkdir()
    (notes / "a.txt").write_text(ANSWERS["good_en"]["paragraph"] + "\n\n" + ANSWERS["refusal"]["paragraph"],
                                 encoding="utf-8")
    env = {"GRAPHMIND_LLM_BASE_URL": server.url, "GRAPHMIND_LLM_MODEL": "test-model", "OPENAI_API_KEY": SECRET,
           "GRAPHMIND_DATA_DIR": str(tmp_path / "data"), "GRAPHMIND_LLM_PRICES": "1.0,2.0"}
    result = CliRunner().invoke(main, ["extract", str(notes), "--extractor", "llm"], env=env)
    assert result.exit_code == 1
    assert "failed: " in result.stderr and "paragraph 1" in result.stderr and "refused" in result.stderr
    assert "cost:" in result.stderr
    assert SECRET not in result.stdout + result.stderr
    data = json.loads(result.stdout)
    assert {u["text"] for u in data["units"]} >= {"Cities should plant more trees."}
    ok = CliRunner().invoke(main, ["extract", str(notes), "--extractor", "llm", "--fallback", "rules"], env=env)
    assert ok.exit_code == 0 and "with the rules instead" in ok.stderr


def test_cli_estimate_calls_nothing(server, tmp_path):
    notes = tmp_path / "n.txt"
    notes.write_text(ANSWERS["good_en"]["paragraph"], encoding="utf-8")
    env = {"GRAPHMIND_LLM_BASE_URL": server.url, "GRAPHMIND_LLM_MODEL": "test-model",
           "GRAPHMIND_DATA_DIR": str(tmp_path / "data")}
    result = CliRunner().invoke(main, ["extract", str(notes), "--extractor", "llm", "--estimate"], env=env)
    assert result.exit_code == 0 and "1 request" in result.output and server.requests == []


def test_concurrency_spans_notes_of_one_paragraph(server, tmp_path):
    notes = tmp_path / "notes"
    notes.mkdir()
    for k in range(6):
        text = f"Note {k} says that walking helps thinking."
        server.scenarios[text] = [{"delay": 0.3, "content": {"units": [
            {"id": "u1", "text": text, "type": "claim", "central": True}], "relations": []}}]
        (notes / f"n{k}.md").write_text(text + "\n", encoding="utf-8")
    from graphmind.extract.rules import extract_paths

    ex = extractor(server, tmp_path)
    extractions = list(extract_paths([str(notes)], ex))
    assert [len(e.units) for e in extractions] == [1] * 6
    assert [e.document.source.rsplit("/", 1)[-1] for e in extractions] == [f"n{k}.md" for k in range(6)]
    assert server.max_in_flight == ex.config.concurrency == 2


def test_cli_structured_option_reaches_the_request(server, tmp_path):
    note = tmp_path / "n.txt"
    note.write_text(ANSWERS["good_en"]["paragraph"], encoding="utf-8")
    env = {"GRAPHMIND_LLM_BASE_URL": server.url, "GRAPHMIND_LLM_MODEL": "test-model",
           "GRAPHMIND_DATA_DIR": str(tmp_path / "data")}
    result = CliRunner().invoke(main, ["extract", str(note), "--extractor", "llm", "--llm-structured", "none"], env=env)
    assert result.exit_code == 0 and [("response_format" in r) for r in server.requests] == [False]


def test_unknown_structured_setting_is_a_clear_error(tmp_path):
    env = {"GRAPHMIND_LLM_MODEL": "m", "GRAPHMIND_LLM_STRUCTURED": "xml", "GRAPHMIND_DATA_DIR": str(tmp_path)}
    result = CliRunner().invoke(main, ["extract", str(tmp_path), "--extractor", "llm"], env=env)
    assert result.exit_code == 1
    assert "GRAPHMIND_LLM_STRUCTURED" in result.stderr and "json_object" in result.stderr
