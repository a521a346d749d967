import json

from graphmind.schema import extraction_schema_text, load_schema, resource_dir


def test_extraction_schema_file_is_generated_from_graph_schema():
    on_disk = (resource_dir("schemas") / "extraction.schema.json").read_text(encoding="utf-8")
    assert on_disk == extraction_schema_text(), "run: python -m graphmind.schema"


def test_unit_type_enum_comes_from_graph_schema():
    schema = json.loads(extraction_schema_text())
    assert schema["$defs"]["unit"]["properties"]["type"]["enum"] == list(load_schema().unit_types)


def test_every_relation_type_has_a_known_family_and_endpoints():
    schema = load_schema()
    for rel in schema.relation_types.values():
        assert rel.family in ("support", "attack", "structure")
        assert set(rel.source) | set(rel.target) <= set(schema.node_kinds)


def test_relationship_types_are_upper_snake_case():
    for rel in load_schema().relation_types.values():
        assert rel.rel == rel.name.upper()
