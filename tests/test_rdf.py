"""RDF export and import: round trips are isomorphic, exports conform to the SHACL shapes,
nothing touches the network, RDF/XML entities are refused."""

import socket

import pyshacl
import pytest
from click.testing import CliRunner
from rdflib import Graph, Literal, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import RDF

from graphmind import rdf
from graphmind.cli import main
from graphmind.exceptions import GraphMindError
from graphmind.schema import load_schema, resource_dir
from graphmind.walk.memory import to_networkx

from graphs import build, debate

TRICKY = ['She said "no" <b>twice</b> {really}.', "Line one\nline two: \\ back\\slash", "Память — это «река» {}."]


def tricky_graph():
    ex = build("odd.md", 'Odd "title" <x>', [[("claim", TRICKY[0], True), ("premise", TRICKY[1], False)],
                                             [("metaphor", TRICKY[2], True)]],
               [((0, 1), (0, 0), "supports"), ((1, 0), (0, 0), "carries")], concepts={"река": [(1, 0)]})
    return to_networkx(debate() + [ex])


def test_ontology_and_shapes_files_are_generated_from_the_schema():
    folder = resource_dir("schemas")
    assert isomorphic(Graph().parse(folder / "graphmind.ttl"), rdf.ontology_graph())
    assert (folder / "shapes.ttl").read_text(encoding="utf-8") == rdf.shapes_text()


def test_every_unit_type_and_relation_type_is_in_the_ontology():
    onto = rdf.ontology_graph()
    schema = load_schema()
    for t in schema.unit_types:
        assert (rdf.unit_class(t), RDF.type, URIRef("http://www.w3.org/2002/07/owl#Class")) in onto
    for r in schema.relation_types:
        assert (rdf.rel_property(r), RDF.type, URIRef("http://www.w3.org/2002/07/owl#ObjectProperty")) in onto


@pytest.mark.parametrize("fmt", ["turtle", "json-ld", "nt", "xml"])
def test_export_then_parse_is_isomorphic(fmt):
    g = rdf.to_rdf(tricky_graph())
    assert isomorphic(g, Graph().parse(data=rdf.serialize(g, fmt), format=rdf.FORMATS[fmt]))


@pytest.mark.parametrize("fmt", ["turtle", "json-ld", "nt", "xml"])
def test_tricky_text_survives_every_format(fmt):
    g = rdf.to_rdf(tricky_graph())
    back = Graph().parse(data=rdf.serialize(g, fmt), format=rdf.FORMATS[fmt])
    texts = {str(o) for o in back.objects(None, rdf.GM.text)}
    assert set(TRICKY) <= texts


def test_iris_never_contain_text():
    g = rdf.to_rdf(tricky_graph())
    for term in set(g.subjects()) | set(g.objects()):
        if isinstance(term, URIRef) and str(term).startswith(rdf.DEFAULT_BASE):
            assert all(ch.isalnum() or ch in "_:" for ch in str(term)), term


def test_base_iri_is_configurable():
    g = rdf.to_rdf(tricky_graph(), base="https://notes.example/id/")
    subjects = {str(s) for s in g.subjects() if isinstance(s, URIRef)}
    assert subjects and all(s.startswith("https://notes.example/id/") for s in subjects)


def test_export_conforms_to_the_shapes():
    conforms, _, report = pyshacl.validate(rdf.to_rdf(tricky_graph()), shacl_graph=rdf.shapes_graph(),
                                           ont_graph=rdf.ontology_graph(), inference="rdfs")
    assert conforms, report


@pytest.mark.parametrize("breakage", ["two types", "no text", "negative offset", "support to a paragraph"])
def test_a_broken_graph_does_not_conform(breakage):
    g = rdf.to_rdf(tricky_graph())
    unit = next(g.subjects(RDF.type, rdf.GM.Claim))
    if breakage == "two types":
        g.add((unit, RDF.type, rdf.GM.Premise))
    elif breakage == "no text":
        g.remove((unit, rdf.GM.text, None))
    elif breakage == "negative offset":
        g.set((unit, rdf.GM.startOffset, Literal(-3)))
    else:
        g.add((unit, rdf.GM.supports, next(g.subjects(RDF.type, rdf.GM.Paragraph))))
    conforms, _, _ = pyshacl.validate(g, shacl_graph=rdf.shapes_graph(), ont_graph=rdf.ontology_graph(),
                                      inference="rdfs")
    assert not conforms


def test_from_rdf_rebuilds_the_extractions():
    exs = debate()
    back = rdf.from_rdf(rdf.to_rdf(to_networkx(exs)))
    by_id = {e.document.id: e for e in back}
    for ex in exs:
        got = by_id[ex.document.id]
        assert [(u.id, u.type, u.text, u.start, u.end, u.central) for u in got.units] == \
            [(u.id, u.type, u.text, u.start, u.end, u.central) for u in ex.units]
        assert sorted(r.id for r in got.relations) == sorted(r.id for r in ex.relations)


@pytest.mark.parametrize("fmt", ["turtle", "json-ld", "nt", "xml"])
@pytest.mark.store
def test_export_import_export_through_the_store_is_isomorphic(store, tmp_path, fmt):
    store.ingest(debate())
    first = tmp_path / f"first.{fmt}"
    rdf.export_file(store.load_graph(), first, fmt)
    store.clear()
    store.ingest(rdf.from_rdf(rdf.parse_file(first, fmt)))
    second = tmp_path / f"second.{fmt}"
    rdf.export_file(store.load_graph(), second, fmt)
    assert isomorphic(rdf.parse_file(first, fmt), rdf.parse_file(second, fmt))


@pytest.mark.store
def test_import_is_idempotent(store, tmp_path):
    store.ingest(debate())
    path = tmp_path / "g.ttl"
    rdf.export_file(store.load_graph(), path)
    summary = store.ingest(rdf.from_rdf(rdf.parse_file(path)))
    assert summary.counts["units"]["written"] == 0 and summary.counts["documents"]["unchanged"] == 2


@pytest.fixture
def no_network(monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("a network connection was attempted")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)


@pytest.mark.parametrize("fmt", ["turtle", "json-ld", "nt", "xml"])
def test_export_and_parse_never_open_a_connection(no_network, tmp_path, fmt):
    path = tmp_path / f"g.{fmt}"
    rdf.export_file(tricky_graph(), path, fmt)
    assert len(rdf.parse_file(path, fmt)) > 0


def test_rdf_xml_with_external_entities_is_refused(tmp_path):
    evil = tmp_path / "evil.rdf"
    evil.write_text('<?xml version="1.0"?>\n<!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]>\n'
                    '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" '
                    'xmlns:gm="https://w3id.org/graphmind/ontology#"><rdf:Description rdf:about="urn:graphmind:u">'
                    '<gm:text>&x;</gm:text></rdf:Description></rdf:RDF>', encoding="utf-8")
    with pytest.raises(GraphMindError, match="external entities"):
        rdf.parse_file(evil)


def test_unparseable_file_is_a_clear_error(tmp_path):
    bad = tmp_path / "bad.ttl"
    bad.write_text("this is not turtle <<<", encoding="utf-8")
    with pytest.raises(GraphMindError, match="not valid turtle"):
        rdf.parse_file(bad)


@pytest.mark.store
def test_cli_export_and_import(cli, tmp_path):
    from conftest import EXAMPLES

    out = tmp_path / "g.jsonld"
    cli("ingest", str(EXAMPLES))
    result = cli("rdf", "export", "--out", str(out))
    assert result.exit_code == 0, result.output
    assert "triples" in result.stderr
    again = cli("rdf", "import", str(out))
    assert again.exit_code == 0 and "documents: 0 written" in again.stderr and "units: 0 written" in again.stderr
