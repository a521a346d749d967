"""Write extractions as JSON or JSON Lines, validated against
``schemas/extraction.schema.json``. Streams: memory does not grow with the corpus."""

from __future__ import annotations

import json
import tempfile
from functools import lru_cache
from typing import IO, Iterable

import jsonschema

from .model import Extraction
from .schema import resource_dir

SECTIONS = Extraction.SECTIONS


@lru_cache(maxsize=1)
def _schema() -> dict:
    return json.loads((resource_dir("schemas") / "extraction.schema.json").read_text(encoding="utf-8"))


@lru_cache(maxsize=None)
def _validator(section: str):
    full = _schema()
    item = full["properties"][section]["items"]
    return jsonschema.Draft202012Validator({**item, "$defs": full["$defs"]})


def validate_record(section: str, record: dict) -> None:
    """Raise jsonschema.ValidationError when a record does not fit the schema."""
    _validator(section).validate(record)


def validate_extraction(data: dict) -> None:
    jsonschema.Draft202012Validator(_schema()).validate(data)


def _dump(record: dict) -> str:
    return json.dumps(record, ensure_ascii=False, sort_keys=False)


def write_json(extractions: Iterable[Extraction], out: IO[str]) -> dict[str, int]:
    """One JSON object with the six arrays; sections are spooled to temporary files so
    that a large corpus never sits in memory."""
    counts = {s: 0 for s in SECTIONS}
    spools = {s: tempfile.TemporaryFile("w+", encoding="utf-8") for s in SECTIONS}
    try:
        for ex in extractions:
            for section, record in ex.records():
                validate_record(section, record)
                spool = spools[section]
                spool.write(("" if counts[section] == 0 else ",\n") + "  " + _dump(record))
                counts[section] += 1
        out.write("{\n")
        for k, section in enumerate(SECTIONS):
            spool = spools[section]
            spool.seek(0)
            out.write(f'"{section}": [\n' if counts[section] else f'"{section}": [')
            while chunk := spool.read(1 << 16):
                out.write(chunk)
            out.write("\n]" if counts[section] else "]")
            out.write(",\n" if k < len(SECTIONS) - 1 else "\n")
        out.write("}\n")
    finally:
        for spool in spools.values():
            spool.close()
    return counts


def write_jsonl(extractions: Iterable[Extraction], out: IO[str]) -> dict[str, int]:
    """One line per document, each a complete extraction of the same shape as the JSON
    output (so every line validates against the extraction schema)."""
    counts = {s: 0 for s in SECTIONS}
    for ex in extractions:
        data: dict[str, list] = {s: [] for s in SECTIONS}
        for section, record in ex.records():
            data[section].append(record)
            counts[section] += 1
        validate_extraction(data)
        out.write(_dump(data) + "\n")
    return counts
