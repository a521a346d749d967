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


@lru_cache(maxsize=None)
def _quick_check(section: str):
    full = _schema()
    return _compile(full["properties"][section]["items"], full["$defs"])


def validate_record(section: str, record: dict) -> None:
    """Raise jsonschema.ValidationError when a record does not fit the schema.

    A record first goes through a check compiled from the schema (``_compile``), which
    accepts only what the schema accepts; whatever it does not accept is validated by
    jsonschema, which says what is wrong. jsonschema alone took a third of the time of
    extracting a long list to JSON."""
    if not _quick_check(section)(record):
        _validator(section).validate(record)


_TYPES = {"string": lambda v: type(v) is str, "integer": lambda v: type(v) is int,
          "number": lambda v: type(v) is int or type(v) is float, "boolean": lambda v: type(v) is bool,
          "null": lambda v: v is None, "array": lambda v: type(v) is list, "object": lambda v: type(v) is dict}
_IGNORED = {"description", "title", "$id", "$schema", "$comment"}


def _compile(node: dict, defs: dict):
    """A function value -> bool that is True only for values the schema ``node`` accepts
    (stricter where that is simpler: plain ``int``/``float``/``str``/``list``/``dict`` only,
    and any keyword it does not know makes it False for every value)."""
    if "$ref" in node:
        ref = node["$ref"]
        if not ref.startswith("#/$defs/") or len(node) > 1:
            return lambda v: False
        return _compile(defs[ref[len("#/$defs/"):]], defs)
    checks = []
    for key, arg in node.items():
        if key in _IGNORED:
            continue
        if key == "type":
            names = [arg] if isinstance(arg, str) else list(arg)
            if any(name not in _TYPES for name in names):
                return lambda v: False
            tests = [_TYPES[name] for name in names]
            checks.append(lambda v, tests=tests: any(t(v) for t in tests))
        elif key == "enum":
            allowed = [(type(e), e) for e in arg if type(e) in (str, int, bool) or e is None]
            if len(allowed) != len(arg):
                return lambda v: False
            checks.append(lambda v, allowed=allowed: (type(v), v) in allowed)
        elif key in ("minimum", "maximum"):
            op = (lambda v, m=arg: v >= m) if key == "minimum" else (lambda v, m=arg: v <= m)
            checks.append(lambda v, op=op: not (type(v) is int or type(v) is float) or op(v))
        elif key == "minLength":
            checks.append(lambda v, k=arg: type(v) is not str or len(v) >= k)
        elif key == "minItems":
            checks.append(lambda v, k=arg: type(v) is not list or len(v) >= k)
        elif key == "items" and isinstance(arg, dict):
            item = _compile(arg, defs)
            checks.append(lambda v, item=item: type(v) is not list or all(item(x) for x in v))
        elif key == "required":
            checks.append(lambda v, keys=tuple(arg): type(v) is not dict or all(k in v for k in keys))
        elif key == "properties":
            props = {name: _compile(sub, defs) for name, sub in arg.items()}
            checks.append(lambda v, props=props: type(v) is not dict
                          or all(props[k](x) for k, x in v.items() if k in props))
        elif key == "additionalProperties" and arg is False:
            names = frozenset(node.get("properties", ()))
            checks.append(lambda v, names=names: type(v) is not dict or names.issuperset(v))
        else:
            return lambda v: False
    return lambda v: all(check(v) for check in checks)


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
