"""`graphmind eval`, `graphmind train`, `--weights` and `--input-format`, through the CLI."""

import json

from click.testing import CliRunner

from graphmind.cli import main
from graphmind.corpus import normalize

GOLD = [normalize({"id": f"g{k}", "document": f"d{k}", "lang": "en", "units": [
    {"id": "a1", "text": f"Towns should keep their {thing}.", "central": True, "type": "claim"},
    {"id": "a2", "text": "People meet there every day.", "rel": "support", "to": "a1", "type": "premise"},
    {"id": "a3", "text": "Some say the upkeep costs too much.", "rel": "rebut", "to": "a1", "stance": "opp",
     "type": "premise"},
    {"id": "a4", "text": "But the upkeep is cheaper than a car park.", "rel": "rebut", "to": "a3",
     "type": "premise"}]}) for k, thing in enumerate(["markets", "libraries", "parks", "pools", "squares"])]


def write_gold(path):
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in GOLD), encoding="utf-8")
    return path


def test_eval_prints_a_table_per_language(tmp_path):
    gold = write_gold(tmp_path / "gold.jsonl")
    result = CliRunner().invoke(main, ["eval", str(gold)])
    assert result.exit_code == 0, result.stderr
    assert "| metric | en |" in result.stdout and "central-claim accuracy" in result.stdout


def test_eval_json_has_the_figures(tmp_path):
    gold = write_gold(tmp_path / "gold.jsonl")
    result = CliRunner().invoke(main, ["eval", str(gold), "--format", "json"])
    figures = json.loads(result.stdout)["en"]
    assert figures["texts"] == len(GOLD) and len(figures["segmentation"]) == 3


def test_train_writes_weights_that_extract_uses(tmp_path):
    gold = write_gold(tmp_path / "gold.jsonl")
    out = tmp_path / "w.json"
    runner = CliRunner()
    result = runner.invoke(main, ["train", str(gold), "--out", str(out)])
    assert result.exit_code == 0, result.stderr
    assert json.loads(out.read_text())["trained_on"]["records"] == len(GOLD)
    note = tmp_path / "n.md"
    note.write_text("Towns should keep their markets. People meet there every day.", encoding="utf-8")
    result = runner.invoke(main, ["extract", str(note), "--weights", str(out)])
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["units"]


def test_train_reports_cross_validation(tmp_path):
    gold = write_gold(tmp_path / "gold.jsonl")
    result = CliRunner().invoke(main, ["train", str(gold), "--out", str(tmp_path / "w.json"),
                                                       "--cv", "2"])
    assert result.exit_code == 0, result.stderr
    assert "relations P / R / F1" in result.stdout


def test_weights_that_are_not_weights_are_one_line_error(tmp_path):
    bad = tmp_path / "w.json"
    bad.write_text("{}", encoding="utf-8")
    note = tmp_path / "n.md"
    note.write_text("A claim here.", encoding="utf-8")
    result = CliRunner().invoke(main, ["extract", str(note), "--weights", str(bad)])
    assert result.exit_code == 1
    assert "not a GraphMind parser weights file" in result.stderr and "Traceback" not in result.stderr


def test_eval_of_a_file_that_is_not_jsonl_is_one_line_error(tmp_path):
    bad = tmp_path / "gold.jsonl"
    bad.write_text("not json\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["eval", str(bad)])
    assert result.exit_code == 1 and "not JSON" in result.stderr


def test_input_format_text_keeps_markdown_characters(tmp_path):
    note = tmp_path / "chat.txt"
    note.write_text(">[!nexus_user] **User** - 07.07.2025 at 18:11\n> Why do we forget names?\n", encoding="utf-8")
    runner = CliRunner()
    auto = json.loads(runner.invoke(main, ["extract", str(note)]).stdout)
    text = json.loads(runner.invoke(main, ["extract", str(note), "--input-format", "text"]).stdout)
    assert [p["speaker"] for p in auto["paragraphs"]] == ["user"]
    assert "[!nexus_user]" in text["paragraphs"][0]["text"]
