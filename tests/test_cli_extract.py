import json

from click.testing import CliRunner

from graphmind.cli import main
from graphmind.output import validate_extraction

from conftest import EXAMPLES


def run(*args):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def test_extract_json_validates_against_the_schema():
    result = run("extract", str(EXAMPLES), "--format", "json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    validate_extraction(data)
    assert {d["lang"] for d in data["documents"]} == {"en", "ru"}
    assert data["units"] and data["relations"] and data["concepts"] and data["links"]


def test_extract_jsonl_is_one_valid_extraction_per_document():
    result = run("extract", str(EXAMPLES), "--format", "jsonl")
    assert result.exit_code == 0
    lines = result.stdout.strip().split("\n")
    assert len(lines) == len([p for p in EXAMPLES.rglob("*") if p.is_file()])
    for line in lines:
        data = json.loads(line)
        validate_extraction(data)
        assert len(data["documents"]) == 1


def test_extract_reports_a_binary_file_and_exits_nonzero(tmp_path):
    (tmp_path / "good.md").write_text("We should rest, because sleep heals.", encoding="utf-8")
    (tmp_path / "bad.md").write_bytes(b"\x00\x00garbage")
    result = run("extract", str(tmp_path))
    assert result.exit_code == 1
    errors = [l for l in result.stderr.splitlines() if "error" in l]
    assert len(errors) == 1 and "bad.md" in errors[0]
    assert len(json.loads(result.stdout)["documents"]) == 1


def test_extract_missing_path_is_one_line_error(tmp_path):
    result = run("extract", str(tmp_path / "missing.md"))
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr.strip().count("\n") == 0 and "no such file" in result.stderr


def test_extract_lang_override():
    result = run("extract", str(EXAMPLES / "plain-essay.txt"), "--lang", "ru")
    assert {p["lang"] for p in json.loads(result.stdout)["paragraphs"]} == {"ru"}


def test_help_explains_the_command():
    result = run("extract", "--help")
    assert "schemas/extraction.schema.json" in result.output and "--format" in result.output
