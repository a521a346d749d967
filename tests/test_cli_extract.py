import copy
import json
import random

import jsonschema
import pytest
from click.testing import CliRunner

from graphmind.cli import main
from graphmind.output import _quick_check, _validator, validate_extraction, validate_record

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


def test_the_quick_record_check_accepts_only_what_the_schema_accepts():
    """``validate_record`` trusts a check compiled from the schema and asks jsonschema only
    about what that check refuses: real records pass the quick check, and of thousands of
    damaged ones it passes none that jsonschema refuses (and validate_record raises for
    those)."""
    result = run("extract", str(EXAMPLES), "--format", "json")
    data = json.loads(result.stdout)
    rng = random.Random(7)
    odd = [None, True, 0, -1, 1.5, 2, "", "claim", "pro", [], [1], [-1], ["a"], {}, {"a": 1}, float("nan"), 1.0]
    refused = 0
    for section, records in data.items():
        quick, full = _quick_check(section), _validator(section)
        assert records and all(quick(r) for r in records)
        for _ in range(500):
            r = copy.deepcopy(rng.choice(records))
            key = rng.choice(list(r) + ["extra"])
            if rng.random() < 0.3 and key in r:
                del r[key]
            else:
                r[key] = rng.choice(odd)
            if quick(r):
                assert full.is_valid(r), (section, r)
            elif not full.is_valid(r):
                refused += 1
                with pytest.raises(jsonschema.ValidationError):
                    validate_record(section, r)
    assert refused > 1000


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
