"""What the model is asked (prompts and few-shot examples), how its quotes are placed in the
paragraph, and the structured-output helpers. No server."""

import json

import pytest

from graphmind.extract import examples as shots
from graphmind.extract import structured
from graphmind.extract.llm import Cache, ground, messages

PARAGRAPH = "Cities should plant more trees. Trees cool the streets in summer, and shade saves money on air conditioning."


def corpus_line(id_, lang, text, units, relations):
    out, pos = [], 0
    for k, (t, kind, central) in enumerate(units, 1):
        start = text.index(t, pos)
        pos = start + len(t)
        out.append({"id": f"a{k}", "text": t, "start": start, "end": pos, "central": central, "stance": "pro",
                    "type": kind})
    rels = [{"id": f"r{k}", "source": s, "target": t, "type": kind, "coarse": coarse}
            for k, (s, t, kind, coarse) in enumerate(relations, 1)]
    return json.dumps({"id": id_, "lang": lang, "text": text, "units": out, "relations": rels}, ensure_ascii=False)


@pytest.fixture
def corpus(tmp_path):
    folder = tmp_path / "corpus"
    folder.mkdir()
    lines = [
        corpus_line("c_en_long", "en", "Bikes are good. " * 40, [("Bikes are good.", "claim", True),
                                                                  ("Bikes are good.", "premise", False)],
                    [("a2", "a1", "supports", "support")]),
        corpus_line("c_en_1", "en", "Tea is better than coffee. It calms the mind.",
                    [("Tea is better than coffee.", "claim", True), ("It calms the mind.", "premise", False)],
                    [("a2", "a1", "support", "support")]),
        corpus_line("c_en_2", "en", "Is sleep a waste? No: it repairs the body.",
                    [("Is sleep a waste?", "question", False), ("No: it repairs the body.", "claim", True)],
                    [("a2", "a1", "answers", "support")]),
        corpus_line("c_ru_1", "ru", "Чай лучше кофе. Он успокаивает.",
                    [("Чай лучше кофе.", "claim", True), ("Он успокаивает.", "premise", False)],
                    [("a2", "a1", "supports", "support")]),
    ]
    broken = json.loads(corpus_line("c_en_0", "en", "Short. Bad.", [("Short.", "claim", True), ("Bad.", "premise", False)],
                                    [("a2", "a1", "supports", "support")]))
    broken["units"][1]["start"] += 1  # offsets that do not hold the text
    (folder / "a.jsonl").write_text("\n".join(lines[:2]) + "\nnot json\n", encoding="utf-8")
    (folder / "b.jsonl").write_text("\n".join(lines[2:] + [json.dumps(broken)]) + "\n", encoding="utf-8")
    shots.examples.cache_clear()
    yield folder
    shots.examples.cache_clear()


def test_examples_come_from_the_corpus_short_ones_first(corpus):
    chosen = shots.examples("en", corpus)
    assert [e.id for e in chosen] == ["c_en_2", "c_en_1"]


def test_broken_corpus_records_are_left_out(corpus):
    assert "c_en_0" not in {e.id for e in shots.examples("en", corpus, n=10)}


def test_example_answer_has_the_form_asked_of_the_model(corpus):
    ex = next(e for e in shots.examples("en", corpus) if e.id == "c_en_1")
    assert ex.answer == {"units": [{"id": "u1", "text": "Tea is better than coffee.", "type": "claim", "central": True},
                                   {"id": "u2", "text": "It calms the mind.", "type": "premise", "central": False}],
                         "relations": [{"source": "u2", "target": "u1", "type": "supports"}]}


def test_without_a_corpus_the_built_in_examples_are_used(tmp_path):
    empty = tmp_path / "none"
    empty.mkdir()
    chosen = shots.examples("ru", empty)
    assert chosen and all(e.id.startswith("builtin_ru") for e in chosen)


@pytest.mark.parametrize("line", shots.BUILTIN.read_text(encoding="utf-8").splitlines())
def test_built_in_examples_check_out(line):
    assert shots.to_example(json.loads(line)) is not None


def test_russian_paragraph_gets_the_russian_prompt_and_examples(corpus):
    chat = messages("ru", "Книги нужны всем.", corpus)
    assert chat[0]["role"] == "system" and "абзац" in chat[0]["content"].lower()
    assert [m["role"] for m in chat[1:]] == ["user", "assistant", "user"]
    assert "Чай лучше кофе." in chat[1]["content"] and chat[-1]["content"].startswith("Абзац:\nКниги нужны всем.")


def test_examples_are_earlier_turns_answered_in_json(corpus):
    chat = messages("en", PARAGRAPH, corpus)
    answers = [json.loads(m["content"]) for m in chat if m["role"] == "assistant"]
    assert len(answers) == 2 and all(set(a) == {"units", "relations"} for a in answers)


def test_new_examples_miss_the_cache(corpus, tmp_path):
    other = tmp_path / "other"
    other.mkdir()
    assert Cache.key("u", "m", "en", PARAGRAPH, corpus) != Cache.key("u", "m", "en", PARAGRAPH, other)


def test_exact_quote_is_placed_at_its_offsets():
    start, end, exact = ground("Trees cool the streets in summer,", PARAGRAPH, set())
    assert PARAGRAPH[start:end] == "Trees cool the streets in summer," and exact


def test_long_quote_with_a_dropped_word_takes_the_paragraphs_words():
    start, end, exact = ground("Trees cool the streets in summer, and shade saves money on conditioning.", PARAGRAPH,
                               set())
    assert PARAGRAPH[start:end] == "Trees cool the streets in summer, and shade saves money on air conditioning."
    assert not exact


def test_invented_sentence_is_not_placed():
    assert ground("Parks make people happier and healthier in every city.", PARAGRAPH, set()) is None


def test_short_quote_with_a_changed_word_is_not_placed():
    assert ground("Cities should plant more flowers.", PARAGRAPH, set()) is None


def test_quote_already_placed_is_not_placed_twice():
    first = ground("Cities should plant more trees.", PARAGRAPH, set())
    assert ground("Cities should plant more trees.", PARAGRAPH, {first[:2]}) is None


@pytest.mark.parametrize("content", [
    '{"a": 1}',
    'Sure! Here it is:\n```json\n{"a": 1}\n```',
    'The answer is {"a": 1} as asked.',
])
def test_json_is_taken_out_of_the_answer_text(content):
    assert structured.json_from_text(content) == {"a": 1}


def test_answer_without_json_is_an_error():
    with pytest.raises(ValueError):
        structured.json_from_text("I cannot do that.")


def test_memory_keeps_one_form_per_server(tmp_path):
    memory = structured.Memory(tmp_path)
    memory.put("http://a/v1", "json_object", "probed")
    memory.put("http://b/v1", "none", "probed")
    memory.forget("http://b/v1")
    assert structured.Memory(tmp_path).get("http://a/v1") == "json_object"
    assert memory.get("http://b/v1") is None


def test_unreadable_memory_means_probe_again(tmp_path):
    (tmp_path / structured.MEMORY_FILE).write_text("{not json", encoding="utf-8")
    assert structured.Memory(tmp_path).get("http://a/v1") is None


@pytest.mark.parametrize("status, message, refused", [
    (500, "Input should be 'text' or 'json_object' (body, response_format, type)", True),
    (400, "response_format json_schema is not supported", True),
    (400, "This model's maximum context length is 4096 tokens", False),
    (500, "CUDA out of memory", False),
])
def test_a_refused_form_is_told_from_other_errors(status, message, refused):
    assert structured.refuses_form(status, message) is refused
