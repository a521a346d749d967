"""The meaning-graph schema, read from ``schemas/graph.json`` (the one source of truth).

Nothing else in GraphMind lists node kinds, unit types or relation types: it asks this
module. Labels and relationship types used in Cypher come only from here.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from .exceptions import SchemaError

_PACKAGE_DIR = Path(__file__).resolve().parent


def resource_dir(name: str) -> Path:
    """Find a top-level project folder (``schemas`` or ``queries``) next to the package,
    or bundled inside it when installed from a wheel."""
    for candidate in (_PACKAGE_DIR.parent / name, _PACKAGE_DIR / "_data" / name):
        if candidate.is_dir():
            return candidate
    raise SchemaError(f"cannot find the '{name}' folder next to the graphmind package; reinstall GraphMind")


@dataclass(frozen=True)
class UnitType:
    name: str
    label: str
    marker: str
    color: str
    shape: str
    description: str


@dataclass(frozen=True)
class RelationType:
    name: str
    rel: str
    family: str
    source: tuple[str, ...]
    target: tuple[str, ...]
    description: str
    inverse: str = ""  # the relation read from target to source ("supported by")


@dataclass(frozen=True)
class Schema:
    version: int
    node_kinds: dict[str, str]
    unit_types: dict[str, UnitType]
    relation_types: dict[str, RelationType]
    argument_relations: tuple[str, ...]
    markers: dict[str, str]
    marker_descriptions: dict[str, str] = field(default_factory=dict)

    def marker(self, name: str) -> str:
        """A structural marker (theme, anchor, error, synthesis, source, link) or a unit type's."""
        if name in self.markers:
            return self.markers[name]
        return self.unit_type(name).marker

    def unit_type(self, name: str) -> UnitType:
        try:
            return self.unit_types[name]
        except KeyError:
            raise SchemaError(
                f"unknown unit type {name!r}; known types: {', '.join(self.unit_types)}"
            ) from None

    def relation_type(self, name: str) -> RelationType:
        try:
            return self.relation_types[name]
        except KeyError:
            raise SchemaError(
                f"unknown relation type {name!r}; known types: {', '.join(self.relation_types)}"
            ) from None

    def label(self, kind: str) -> str:
        """A node label from the closed set (node kinds and unit-type labels)."""
        if kind in self.node_kinds:
            return self.node_kinds[kind]
        if kind in self.unit_types:
            return self.unit_types[kind].label
        raise SchemaError(f"unknown node kind or unit type {kind!r}")

    @property
    def all_labels(self) -> frozenset[str]:
        return frozenset(self.node_kinds.values()) | {u.label for u in self.unit_types.values()}

    @property
    def all_rel_types(self) -> frozenset[str]:
        return frozenset(r.rel for r in self.relation_types.values())

    def families(self) -> tuple[str, ...]:
        return tuple(sorted({r.family for r in self.relation_types.values()}))


@lru_cache(maxsize=1)
def load_schema() -> Schema:
    path = resource_dir("schemas") / "graph.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    unit_types = {name: UnitType(name=name, **spec) for name, spec in data["unit_types"].items()}
    relation_types = {
        name: RelationType(
            name=name,
            rel=spec["rel"],
            family=spec["family"],
            source=tuple(spec["source"]),
            target=tuple(spec["target"]),
            description=spec["description"],
            inverse=spec.get("inverse", ""),
        )
        for name, spec in data["relation_types"].items()
    }
    for name in data["argument_relations"]:
        if name not in relation_types:
            raise SchemaError(f"schemas/graph.json: argument relation {name!r} is not a relation type")
    return Schema(
        version=data["version"],
        node_kinds={k: v["label"] for k, v in data["node_kinds"].items()},
        unit_types=unit_types,
        relation_types=relation_types,
        argument_relations=tuple(data["argument_relations"]),
        markers={k: v["marker"] for k, v in data["markers"].items()},
        marker_descriptions={k: v.get("description", "") for k, v in data["markers"].items()},
    )


def extraction_json_schema(schema: Schema | None = None) -> dict:
    """The JSON Schema of ``graphmind extract`` output, generated from the graph schema.
    ``schemas/extraction.schema.json`` is this, written by ``python -m graphmind.schema``
    (a test checks that the file is up to date)."""
    schema = schema or load_schema()
    string, integer = {"type": "string"}, {"type": "integer", "minimum": 0}
    nullable = {"type": ["string", "null"]}
    confidence = {"type": "number", "minimum": 0, "maximum": 1}
    argument = sorted(schema.argument_relations) + ["defines"]

    def obj(props: dict, required: list[str]) -> dict:
        return {"type": "object", "properties": props, "required": required, "additionalProperties": False}

    defs = {
        "document": obj({"id": string, "source": string, "title": string,
                         "lang": {"enum": ["en", "ru", "other"]}, "central": nullable},
                        ["id", "source", "title", "lang"]),
        "paragraph": obj({"id": string, "document_id": string, "index": integer, "text": string,
                          "section": string, "lang": {"enum": ["en", "ru", "other"]},
                          "kind": {"enum": ["paragraph", "list", "heading", "quote", "callout", "code", "table"]},
                          "callout": nullable, "speaker": nullable,
                          "turn": {"type": ["integer", "null"], "minimum": 0}, "timestamp": nullable,
                          "emphasis": {"type": "array", "items": integer}},
                         ["id", "document_id", "index", "text", "section", "lang"]),
        "unit": obj({"id": string, "paragraph_id": string, "type": {"enum": list(schema.unit_types)},
                     "text": {"type": "string", "minLength": 1}, "start": integer, "end": integer,
                     "cue": string, "confidence": confidence, "central": {"type": "boolean"},
                     "role": {"enum": ["pro", "opp"]}, "images": {"type": "array", "items": integer}},
                    ["id", "paragraph_id", "type", "text", "start", "end", "cue", "confidence"]),
        "relation": obj({"id": string, "source": string, "target": string, "type": {"enum": argument},
                         "family": {"enum": sorted({schema.relation_types[r].family for r in argument})},
                         "cue": string, "confidence": confidence},
                        ["id", "source", "target", "type", "family", "cue", "confidence"]),
        "concept": obj({"id": string, "label": string, "lemma": string,
                        "unit_ids": {"type": "array", "items": string, "minItems": 1}},
                       ["id", "label", "lemma", "unit_ids"]),
        "link": obj({"source_document": string, "target": string, "alias": nullable},
                    ["source_document", "target", "alias"]),
    }
    sections = {"documents": "document", "paragraphs": "paragraph", "units": "unit",
                "relations": "relation", "concepts": "concept", "links": "link"}
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "https://graphmind.invalid/schemas/extraction.schema.json",
        "title": "GraphMind extraction output",
        "description": "Generated from schemas/graph.json by `python -m graphmind.schema`; do not edit by hand.",
        "type": "object",
        "properties": {k: {"type": "array", "items": {"$ref": f"#/$defs/{v}"}} for k, v in sections.items()},
        "required": list(sections),
        "additionalProperties": False,
        "$defs": defs,
    }


def extraction_schema_text() -> str:
    return json.dumps(extraction_json_schema(), indent=2, ensure_ascii=False) + "\n"


if __name__ == "__main__":  # python -m graphmind.schema: regenerate the derived schema files
    (resource_dir("schemas") / "extraction.schema.json").write_text(extraction_schema_text(), encoding="utf-8")
    print("wrote schemas/extraction.schema.json")
