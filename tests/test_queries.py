"""Every named query runs on a hand-built graph and returns the rows it should; every
query is valid Neo4j 5 Cypher by Neo4j's own grammar."""

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from graphmind import queries
from graphmind.exceptions import QueryError
from graphmind.schema import resource_dir

from graphs import debate

LINT = Path(__file__).resolve().parent / "cypher_lint"


def rows(store, name, **params):
    q = queries.get(name)
    keys, values = store.run(q.text, q.bind(params))
    return [dict(zip(keys, v)) for v in values]


def col(result, key):
    return sorted(r[key] for r in result)


@pytest.fixture
def graph(store):
    a, b = debate()
    store.ingest([a, b])
    return store, a, b


EXPECTED = {
    "unsupported_claims": lambda r, a, b: col(r, "text") == [
        "Because reading builds the mind.", "Cats sleep a lot.", "Critics say reading is slow."],
    "most_attacked_claims": lambda r, a, b: sorted((x["text"], x["attacks"]) for x in r) == [
        ("Critics say reading is slow.", 1), ("We should read every day.", 1)],
    "reasoning_chains": lambda r, a, b: [(x["chain"], x["steps"]) for x in r] == [
        (["Attention is scarce.", "Reading trains attention.", "We should read every day."], 2)],
    "metaphors_and_claims": lambda r, a, b: [(x["kind"], x["image"], x["claim"]) for x in r] == [
        ("metaphor", "A book is a gym for the mind.", "We should read every day.")],
    "definitions_per_concept": lambda r, a, b: [(x["concept"], x["definitions"]) for x in r] == [
        ("attention", ["Attention is the focus of the mind."])],
    "circular_support": lambda r, a, b: sorted((x["text"], x["cycle_length"]) for x in r) == [
        ("A form needs writing.", 2), ("Thinking needs a form.", 2)],
    "isolated_units": lambda r, a, b: col(r, "text") == ["Attention is the focus of the mind.", "Cats sleep a lot."],
    "linked_documents": lambda r, a, b: sorted((x["source"], x["target"], x["via"], x["detail"]) for x in r) == sorted([
        ("Reading", "Writing", "wikilink", "on writing"), ("Writing", "Reading", "wikilink", ""),
        tuple(sorted([("Reading", a.document.id), ("Writing", b.document.id)], key=lambda t: t[1])[i][0]
              for i in (0, 1)) + ("concepts", "2")]),
    "cooccurring_concepts": lambda r, a, b: r == [],  # no pair shares two units at the default threshold
    "argument_tree": None,  # needs a parameter: see its own test
    "supported_and_attacked": lambda r, a, b: [(x["text"], x["supports"], x["attacks"]) for x in r] == [
        ("We should read every day.", 1, 1)],
    "questions_and_answers": lambda r, a, b: [(x["question"], x["answers"]) for x in r] == [
        ("Why read at all?", ["Because reading builds the mind."])],
    "document_overview": lambda r, a, b: [
        (x["title"], x["paragraphs"], x["units"], x["claims"], x["premises"], x["images"]) for x in r] == [
        ("Reading", 3, 10, 4, 3, 1), ("Writing", 1, 3, 1, 2, 0)],
    "symbol_members": None,  # symbol queries: tests/test_symbols.py, on a graph with symbols
    "document_symbols": None,
    "bridging_symbols": None,
    "undefined_symbols": None,
    "central_claims": lambda r, a, b: [(x["text"], x["supports"], x["attacks"]) for x in r] == [
        ("We should read every day.", 1, 1), ("Writing clarifies thinking.", 1, 0)],
}


def test_every_query_file_has_an_expectation():
    assert set(queries.library()) == set(EXPECTED)
    assert len(queries.library()) >= 12


@pytest.mark.store
@pytest.mark.parametrize("name", sorted(n for n, check in EXPECTED.items() if check))
def test_query_returns_expected_rows(graph, name):
    store, a, b = graph
    result = rows(store, name)
    assert EXPECTED[name](result, a, b), result


@pytest.mark.store
def test_argument_tree_lists_one_document_in_reading_order(graph):
    store, a, b = graph
    result = rows(store, "argument_tree", document=a.document.id)
    assert [r["text"] for r in result if r["relation"] is None or True][0] == "We should read every day."
    assert {r["text"] for r in result} == {u.text for u in a.units}
    assert {"text": "Reading trains attention.", "relation": "SUPPORTS", "target": "We should read every day."}.items() <= \
        next(r for r in result if r["text"] == "Reading trains attention.").items()


@pytest.mark.store
def test_cooccurring_concepts_with_lower_threshold(graph):
    store, *_ = graph
    pairs = {frozenset((r["concept"], r["other"])) for r in rows(store, "cooccurring_concepts", min_count=1)}
    assert pairs == {frozenset(("attention", "mind")), frozenset(("attention", "read"))}


def test_missing_required_parameter_is_a_clear_error():
    with pytest.raises(QueryError, match="--param document="):
        queries.get("argument_tree").bind({})


def test_unknown_parameter_is_a_clear_error():
    with pytest.raises(QueryError, match="no parameter 'nope'"):
        queries.get("unsupported_claims").bind({"nope": 1})


def _lint(*files):
    node = shutil.which("node")
    if not node or not (LINT / "node_modules").is_dir():
        pytest.fail("the Cypher grammar check needs node and `npm ci` in tests/cypher_lint (make test does it)")
    return subprocess.run([node, str(LINT / "lint.mjs"), *map(str, files)], capture_output=True, text=True)


def test_every_query_is_valid_neo4j_cypher():
    files = sorted(resource_dir("queries").glob("*.cypher"))
    result = _lint(*files)
    assert result.returncode == 0, result.stdout + result.stderr
    assert set(json.loads(result.stdout)) == {str(f) for f in files}


def test_grammar_check_catches_a_broken_query(tmp_path):
    bad = tmp_path / "bad.cypher"
    bad.write_text("MATCH (n:Unit RETURN n", encoding="utf-8")
    result = _lint(bad)
    assert result.returncode == 1
    assert json.loads(result.stdout)[str(bad)][0]["message"].startswith("Invalid input")


def test_chat_turns_answered_and_the_tree_root_are_found(store):
    from graphmind.extract.rules import RuleExtractor, extract_paths

    notes = Path(__file__).resolve().parent / "fixtures" / "notes" / "ru-chat-sleep.txt"
    ex, = extract_paths([str(notes)], RuleExtractor(trained=False))
    store.ingest([ex])
    answered = {r["question"]: r["answers"] for r in rows(store, "questions_and_answers")}
    users = [u for u in ex.units if u.central and next(p for p in ex.paragraphs if p.id == u.paragraph_id).speaker
             == "user"]
    assert all(answered.get(u.text) for u in users)  # each user turn's claim or question has its answer
    tree = rows(store, "argument_tree", document=ex.document.id)
    assert [r["text"] for r in tree if r["root"]] == [next(u.text for u in ex.units if u.id == ex.document.central)]
    assert {r["speaker"] for r in tree} == {"user", "assistant"}
