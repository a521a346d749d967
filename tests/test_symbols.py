"""Symbols: declared in prose (both languages) and linked to later uses, declared in the glyph
table (and reported when they match nothing), found as communities (deterministic), written
idempotently and removed when what defined them is gone, and queried."""

import json
import random
import re

import networkx as nx
import pytest

from graphmind import queries
from graphmind.exceptions import GraphMindError
from graphmind.extract.rules import RuleExtractor, extract_paths
from graphmind.symbols import FoundOptions, detect, read_table
from graphmind.symbols.declare import declarations
from graphmind.symbols.glyphs import glyphs
from graphmind.symbols.run import build_symbols
from graphmind.symbols.store import drop_orphans, stored_symbols
from graphmind.walk.memory import to_networkx

from graphs import GLYPHS, argument_corpus, symbolic

RU_NOTE = """# Восхождение

⟁ = внутреннее восхождение через распад. Сначала форма рушится, потом из обломков собирается новая ось.

🜂 (алхимия — огонь) → указывает на жар, очищение, сжатие, катарсис.

Каждый кризис — это ⟁, потому что старое распадается и возникает новое.
"""
EN_NOTE = """# Breath

🫁 stands for breath as attention that returns to itself.

When I lose the thread, I return to 🫁 because the breath is always here.

Every argument passes through ⟁ before it settles.
"""


def by_glyph(detected, glyph):
    return next(s for s in detected.symbols if s.glyph == glyph)


def texts(g, pairs):
    return [g.nodes[n].get("text") for n, _ in pairs]


# -- glyphs and declarations ----------------------------------------------------------------
@pytest.mark.parametrize("glyph", GLYPHS)
def test_a_glyph_is_found_whole(glyph):
    assert glyphs(f"before {glyph} after") == [glyph]


def test_typographic_glyphs_are_not_symbols():
    assert glyphs("✔️ done → next • item ✅") == []


@pytest.mark.parametrize("text, lang, glyph, name, gloss", [
    ("⟁ = внутреннее восхождение через распад.", "ru", "⟁", "", "внутреннее восхождение через распад"),
    ("🜂 (алхимия — огонь) → указывает на жар, очищение, сжатие, катарсис", "ru", "🜂", "алхимия — огонь",
     "указывает на жар, очищение, сжатие, катарсис"),
    ("Символ Горизонт — это предел, за которым модель перестаёт видеть.", "ru", "", "Горизонт",
     "предел, за которым модель перестаёт видеть"),
    ("We begin. ⟁ stands for the ascent through a threefold conflict.", "en", "⟁", "",
     "the ascent through a threefold conflict"),
    ("The symbol 🫁 means breath as attention.", "en", "🫁", "", "breath as attention"),
    ("Phoenix stands for rebirth from ashes.", "en", "", "Phoenix", "rebirth from ashes"),
])
def test_declaration_cues(text, lang, glyph, name, gloss):
    (d,) = declarations("p", text, lang)
    assert (d.glyph, d.name, d.gloss) == (glyph, name, gloss)
    assert text[d.start:d.end] == (glyph or name)


@pytest.mark.parametrize("text, lang", [("This stands for nothing.", "en"), ("Это означает, что всё плохо.", "ru"),
                                        ("Каждый кризис — это ⟁, и всё.", "ru"), ("A → B means c.", "en")])
def test_ordinary_sentences_declare_nothing(text, lang):
    assert declarations("p", text, lang) == []


@pytest.mark.parametrize("lang, note, glyph, later", [
    ("ru", RU_NOTE, "⟁", "Каждый кризис — это ⟁"),
    ("en", EN_NOTE, "🫁", "When I lose the thread, I return to 🫁"),
])
def test_a_symbol_declared_in_prose_is_linked_to_later_uses(tmp_path, lang, note, glyph, later):
    (tmp_path / f"{lang}.md").write_text(note, encoding="utf-8")
    (tmp_path / "other.md").write_text("# Other\n\nLater, " + glyph + " returns in another note.\n", encoding="utf-8")
    g = to_networkx(extract_paths([tmp_path], RuleExtractor(lang="auto", trained=False)))
    symbol = by_glyph(detect(g), glyph)
    assert symbol.origin == "declared" and symbol.lang == lang
    assert symbol.gloss in g.nodes[symbol.defined_by]["text"] or symbol.gloss in \
        next(d["text"] for n, d in g.nodes(data=True) if n == g.nodes[symbol.defined_by]["paragraph_id"])
    users = texts(g, symbol.uses)
    assert any(t.startswith(later) for t in users)
    assert any("returns in another note" in t for t in users)


def test_later_declarations_of_the_same_glyph_use_the_first():
    g = to_networkx(symbolic())
    assert [s.glyph for s in detect(g).symbols].count("⟁") == 1


def test_a_word_symbol_is_evoked_by_name():
    g = to_networkx(symbolic())
    axis = next(s for s in detect(g).symbols if s.name == "Ось")
    assert texts(g, axis.uses) == ["Ось держит форму, когда всё рушится."]
    assert [rel for _, rel in axis.uses] == ["evokes"]


def test_a_glyph_nothing_defines_is_an_undefined_symbol():
    g = to_networkx(symbolic())
    feather = by_glyph(detect(g), "🪶")
    assert (feather.origin, feather.defined, feather.members) == ("used", False, [])
    assert texts(g, feather.uses) == ["A feather 🪶 falls without a sound."]


# -- the glyph table ------------------------------------------------------------------------------
def write_table(tmp_path, text):
    path = tmp_path / "symbols.toml"
    path.write_text(text, encoding="utf-8")
    return read_table(path)


def test_a_table_symbol_attaches_to_keywords_and_lemmas(tmp_path):
    table = write_table(tmp_path, '[[symbol]]\nglyph = "🜁"\nname = "air"\nkeywords = ["ground"]\n'
                                  'lemmas = ["распад"]\ngloss = "what carries"\n')
    g = to_networkx(symbolic())
    air = by_glyph(detect(g, table), "🜁")
    assert air.origin == "user" and air.gloss == "what carries"
    assert {(g.nodes[n].get("text") or g.nodes[n].get("label"), via) for n, via in air.members} == {
        ("Leaving the map finds new ground.", "keyword"), ("New ground makes the explorer leave again.", "keyword"),
        ("распад", "lemma")}


def test_a_table_symbol_that_matches_nothing_makes_no_node_and_a_note(tmp_path):
    table = write_table(tmp_path, '[[symbol]]\nglyph = "🜄"\nname = "water"\nkeywords = ["ocean"]\n')
    found = detect(to_networkx(symbolic()), table)
    assert "🜄" not in {s.glyph for s in found.symbols}
    assert len(found.notes) == 1 and "🜄 (water) matches nothing" in found.notes[0]
    assert "no symbol was made" in found.notes[0]


def test_the_table_can_name_a_symbol_declared_in_the_notes(tmp_path):
    table = write_table(tmp_path, '[[symbol]]\nglyph = "⟁"\nname = "ascent"\n')
    g = to_networkx(symbolic())
    ascent = by_glyph(detect(g, table), "⟁")
    assert (ascent.label, ascent.origin, ascent.gloss) == ("ascent", "user", "the ascent through a threefold conflict")


@pytest.mark.parametrize("text, message", [
    ('[[symbol]]\nkeywords = ["x"]\n', "give it a glyph or a name"),
    ('[[symbol]]\nglyph = "⟁"\ncolour = "red"\n', "unknown key 'colour'"),
    ('[[symbol]\nglyph = "⟁"\n', "not valid TOML"),
    ('[[symbol]]\nglyph = "⟁"\nparams = { a = 1 }\n', "params without a query"),
])
def test_a_bad_table_is_a_clear_error(tmp_path, text, message):
    with pytest.raises(GraphMindError, match=message):
        write_table(tmp_path, text)


# -- found symbols ----------------------------------------------------------------------------------
def shuffled(g: nx.MultiDiGraph, seed: int) -> nx.MultiDiGraph:
    """The same graph with its nodes and edges inserted in another order."""
    rnd = random.Random(seed)
    nodes, edges = list(g.nodes(data=True)), list(g.edges(keys=True, data=True))
    rnd.shuffle(nodes)
    rnd.shuffle(edges)
    out = nx.MultiDiGraph()
    out.add_nodes_from(nodes)
    for a, b, k, d in edges:
        out.add_edge(a, b, key=k, **d)
    return out


def found_symbols(g, **options):
    return [(s.id, s.label, s.gloss, s.members) for s in detect(g, found=FoundOptions(**options)).symbols
            if s.origin == "found"]


def test_found_symbols_are_deterministic_for_a_seed():
    g = to_networkx(argument_corpus(200))
    first = found_symbols(g, min_size=5, seed=3)
    assert first and first == found_symbols(shuffled(g, 1), min_size=5, seed=3)


def test_found_symbols_respect_the_minimum_size():
    g = to_networkx(argument_corpus(200))
    for min_size in (3, 12):
        sizes = [sum(1 for n, _ in members if n.startswith("unit_")) for *_, members in found_symbols(g, min_size=min_size)]
        assert sizes and min(sizes) >= min_size


def test_a_higher_resolution_finds_more_smaller_communities():
    g = to_networkx(argument_corpus(200))
    assert len(found_symbols(g, min_size=2, resolution=3.0)) > len(found_symbols(g, min_size=2, resolution=0.3))


def test_a_community_graph_over_the_limit_is_not_searched_and_said_so():
    g = to_networkx(argument_corpus(200))
    skipped = detect(g, found=FoundOptions(min_size=3, max_edges=10))
    assert not [s for s in skipped.symbols if s.origin == "found"]
    note = next(n for n in skipped.notes if "found symbols were not searched" in n)
    assert "--max-community-edges" in note and "--no-found" in note
    edges = int(re.search(r"has ([\d,]+) edges", note).group(1).replace(",", ""))
    assert edges > 10
    # the limit is on that count: at it the search runs, one below it does not
    assert [s for s in detect(g, found=FoundOptions(min_size=3, max_edges=edges)).symbols if s.origin == "found"]
    below = detect(g, found=FoundOptions(min_size=3, max_edges=edges - 1))
    assert not [s for s in below.symbols if s.origin == "found"]
    assert any(f"has {edges:,} edges, more than the limit of {edges - 1:,}" in n for n in below.notes)


def test_a_symbol_over_a_support_cycle():
    g = to_networkx(symbolic())
    cycle = {"The 🧑\u200d🚀 leaves the map.", "Leaving the map finds new ground.",
             "New ground makes the explorer leave again."}
    found = next(s for s in detect(g, found=FoundOptions(min_size=3)).symbols
                 if s.origin == "found" and cycle <= set(texts(g, [m for m in s.members if m[0].startswith("unit_")])))
    assert found.gloss in cycle and found.label == "explorer"


# -- the store ---------------------------------------------------------------------------------------
def rows(store, name, **params):
    q = queries.get(name)
    keys, values = store.run(q.text, q.bind(params))
    return [dict(zip(keys, v)) for v in values]


@pytest.fixture
def stored(store):
    a, b = symbolic()
    store.ingest([a, b])
    build_symbols(store, found=None, use_table=False)
    return store, a, b


@pytest.mark.store
def test_reading_in_pages_brings_each_symbol_once_with_its_edges(stored):
    store = stored[0]
    whole = store.load_graph()
    for size in (1, 50):  # a page per document, and all in one
        paged = store.load_graph(documents=store.document_ids()) if size == 50 else \
            _paged(store, size)
        assert sorted(paged.nodes) == sorted(whole.nodes)
        assert _edge_set(paged) == _edge_set(whole)


def _edge_set(g):
    return sorted((a, b, sorted(d.items(), key=repr)) for a, b, d in g.edges(data=True))


def _paged(store, size):
    from graphmind.graph import MeaningGraph

    g = MeaningGraph()
    for page in store.pages(size=size):
        for n, labels, props in page.nodes:
            g.add_node(n, labels=sorted(labels), **props)
        for a, rel, b, props in page.edges:
            g.add_edge(a, b, key=props.get("id") or rel, rel=rel, **props)
    return g


@pytest.mark.store
def test_symbols_are_written_with_their_edges(stored):
    store, a, b = stored
    glyphs_stored = {p["glyph"] for p in stored_symbols(store) if p["glyph"]}
    assert set(GLYPHS) | {"🪶"} <= glyphs_stored
    g = store.load_graph()
    ascent = next(n for n, d in g.nodes(data=True) if d.get("glyph") == "⟁")
    users = sorted(g.nodes[u]["text"] for u, _, d in g.in_edges(ascent, data=True) if d["rel"] == "USES")
    assert users == ["Every crisis is a ⟁ in disguise.", "Спор проходит через ⟁ и 🜂."]


@pytest.mark.store
def test_symbols_build_twice_writes_nothing_the_second_time(stored):
    store, *_ = stored
    again = build_symbols(store, found=None, use_table=False)
    assert (again.summary.written, again.summary.removed) == (0, 0) and again.summary.unchanged > 0


@pytest.mark.store
def test_re_ingest_with_symbols_is_idempotent(stored):
    store, a, b = stored
    before = store.counts()
    summary = store.ingest([a, b])
    assert summary.counts["units"]["written"] == 0
    assert store.counts() == before
    assert build_symbols(store, found=None, use_table=False).summary.written == 0


@pytest.mark.store
def test_a_symbol_is_removed_when_its_declaration_is_gone(stored):
    store, a, b = stored
    b.paragraphs[0].text = "Огонь просто горит."
    for u in [u for u in b.units if u.paragraph_id == b.paragraphs[0].id]:
        u.text, u.end = "Огонь просто горит.", len("Огонь просто горит.")
    b.concepts = []
    store.ingest([a, b])
    result = build_symbols(store, found=None, use_table=False)
    fire = [p for p in stored_symbols(store) if p["glyph"] == "🜂"]
    assert result.summary.written >= 1
    assert [(p["origin"], p["defined"]) for p in fire] == [("used", False)]  # still written, no longer defined


@pytest.mark.store
def test_ingest_drops_symbols_whose_declaring_unit_is_gone(stored):
    store, a, b = stored
    store.prune(exists=lambda source: source != b.document.source)
    assert drop_orphans(store) == 2  # 🜂 and Ось were declared in the pruned note
    assert not [p for p in stored_symbols(store) if p["glyph"] == "🜂" or p["label"] == "Ось"]


@pytest.mark.store
def test_a_pruned_document_takes_its_symbols_with_it(stored):
    store, a, b = stored
    store.prune(exists=lambda source: source != a.document.source)
    build_symbols(store, found=None, use_table=False)
    left = {(p["glyph"] or p["label"], p["origin"]) for p in stored_symbols(store)}
    assert left == {("🜂", "declared"), ("Ось", "declared"), ("⟁", "used")}  # ⟁ is still written in the other note


@pytest.mark.store
def test_query_symbol_members(stored):
    store, *_ = stored
    result = rows(store, "symbol_members", symbol="⟁")
    assert {(r["role"], r["via"], r["text"]) for r in result} == {
        ("member", "definition", "⟁ = the ascent through a threefold conflict."),
        ("member", "scene", "Each conflict breaks an old form."),
        ("member", "definition", "conflict"),
        ("occurrence", "uses", "Every crisis is a ⟁ in disguise."),
        ("occurrence", "uses", "Спор проходит через ⟁ и 🜂.")}


@pytest.mark.store
def test_query_document_symbols(stored):
    store, a, b = stored
    result = rows(store, "document_symbols", document=b.document.id)
    assert {(r["glyph"] or r["symbol"], r["units"]) for r in result} == {("🜂", 2), ("⟁", 1), ("Ось", 2)}


@pytest.mark.store
def test_query_bridging_symbols(stored):
    store, a, b = stored
    result = rows(store, "bridging_symbols", a=a.document.id, b=b.document.id)
    assert [r["glyph"] for r in result] == ["⟁"]


@pytest.mark.store
def test_query_undefined_symbols(stored):
    store, *_ = stored
    assert [(r["glyph"], r["text"]) for r in rows(store, "undefined_symbols")] == [
        ("🪶", "A feather 🪶 falls without a sound.")]


# -- the command line -----------------------------------------------------------------------------------
@pytest.mark.store
def test_cli_symbols_build_list_show(cli, tmp_path):
    notes = tmp_path / "notes"
    notes.mkdir()
    (notes / "ru.md").write_text(RU_NOTE, encoding="utf-8")
    (tmp_path / "symbols.toml").write_text('[[symbol]]\nglyph = "🜄"\nname = "water"\nkeywords = ["ocean"]\n',
                                           encoding="utf-8")
    assert cli("ingest", str(notes)).exit_code == 0
    built = cli("symbols", "build", "--table", str(tmp_path / "symbols.toml"))
    assert built.exit_code == 0, built.output
    assert "🜄 (water) matches nothing" in built.stderr and "2 declared in the notes" in built.stderr
    # each step is shown as it goes (plain lines: stderr is not a terminal here)
    for step in ("symbols: declarations:", "symbols: units:", "symbols: communities (louvain):", "symbols: writing:"):
        assert step in built.stderr, built.stderr
    listed = json.loads(cli("symbols", "list", "--format", "json").stdout)
    assert {p["glyph"] for p in listed} == {"⟁", "🜂"}
    small = cli("symbols", "build", "--no-table", "--max-community-edges", "1")
    assert small.exit_code == 0 and "found symbols were not searched" in small.stderr, small.stderr
    assert "2 declared in the notes" in small.stderr
    bad = cli("symbols", "build", "--max-community-edges", "0")
    assert bad.exit_code != 0 and "--max-community-edges must be at least 1" in bad.output
    shown = cli("symbols", "show", "⟁")
    assert shown.exit_code == 0 and "внутреннее восхождение через распад" in shown.stdout
    missing = cli("symbols", "show", "🜄")
    assert missing.exit_code == 1 and "no symbol named '🜄'" in missing.stderr


@pytest.mark.store
def test_a_table_query_attaches_what_it_returns(stored, tmp_path):
    store, *_ = stored
    path = tmp_path / "symbols.toml"
    path.write_text('[[symbol]]\nname = "Form"\nquery = "MATCH (u:Unit)-[:MENTIONS]->(c:Concept {lemma: $lemma}) '
                    'RETURN u.id"\nparams = { lemma = "form" }\n', encoding="utf-8")
    result = build_symbols(store, str(path), found=None)
    form = next(s for s in result.detected.symbols if s.name == "Form")
    g = store.load_graph()
    assert sorted(g.nodes[n]["text"] for n, via in form.members if via == "query") == [
        "Each conflict breaks an old form.", "The old form must fall first."]


@pytest.mark.store
def test_a_table_query_that_writes_is_refused_and_reported(stored, tmp_path):
    store, *_ = stored
    path = tmp_path / "symbols.toml"
    path.write_text('[[symbol]]\nname = "Bad"\nkeywords = ["ground"]\n'
                    'query = "CREATE (c:Concept {id: $id}) RETURN c.id"\nparams = { id = "con_injected" }\n',
                    encoding="utf-8")
    result = build_symbols(store, str(path), found=None)
    assert any("Bad: its query failed" in note for note in result.detected.notes)
    assert store.run("MATCH (c:Concept {id: 'con_injected'}) RETURN count(c)")[1] == [[0]]
    assert any(s.name == "Bad" for s in result.detected.symbols)  # its keywords still matched


# -- RDF ------------------------------------------------------------------------------------------------
def rdf_of_symbols():
    from graphmind import rdf
    from graphmind.symbols import with_symbols

    g = to_networkx(symbolic())
    detected = detect(g, found=FoundOptions(min_size=3))
    return rdf, rdf.to_rdf(with_symbols(g, detected.symbols)), detected


def test_symbols_in_rdf_conform_to_the_shapes():
    import pyshacl

    rdf, graph, _ = rdf_of_symbols()
    conforms, _, report = pyshacl.validate(graph, shacl_graph=rdf.shapes_graph(), ont_graph=rdf.ontology_graph(),
                                           inference="rdfs")
    assert conforms, report


def test_a_symbol_with_an_unknown_origin_does_not_conform():
    import pyshacl
    from rdflib import Literal

    rdf, graph, _ = rdf_of_symbols()
    symbol = next(graph.subjects(rdf.GM.origin, Literal("declared")))
    graph.set((symbol, rdf.GM.origin, Literal("dreamt")))
    conforms, _, _ = pyshacl.validate(graph, shacl_graph=rdf.shapes_graph(), ont_graph=rdf.ontology_graph(),
                                      inference="rdfs")
    assert not conforms


def test_symbols_come_back_from_rdf_unchanged():
    from graphmind.symbols.store import symbol_hash

    rdf, graph, detected = rdf_of_symbols()
    back = {s.id: symbol_hash(s) for s in rdf.symbols_from_rdf(graph)}
    assert back == {s.id: symbol_hash(s) for s in detected.symbols}


@pytest.mark.parametrize("fmt", ["turtle", "nquads"])
def test_streamed_rdf_of_symbols_is_the_reference_mapping(tmp_path, fmt):
    from rdflib.compare import isomorphic

    from graphmind import rdf
    from graphmind.store.store import Page
    from graphmind.symbols import with_symbols

    g = to_networkx(symbolic())
    g = with_symbols(g, detect(g, found=FoundOptions(min_size=3)).symbols)
    path = tmp_path / f"s.{fmt}"
    n = rdf.export_pages([Page.of_graph(g)], path, fmt)
    reference = rdf.to_rdf_rdflib(g)
    assert n == len(reference) and isomorphic(rdf.parse_file(path, fmt), reference)


@pytest.mark.store
def test_detection_streamed_from_the_store_equals_detection_on_the_loaded_graph(store, tmp_path):
    from graphmind.symbols.source import StoreSource
    store.ingest(symbolic() + argument_corpus(120))
    path = tmp_path / "symbols.toml"
    path.write_text('[[symbol]]\nglyph = "⟁"\nname = "Ascent"\nkeywords = ["ascent"]\n', encoding="utf-8")
    table = read_table(str(path))
    options = FoundOptions(min_size=3)
    streamed = detect(StoreSource(store), table, options)
    loaded = detect(store.load_graph(), table, options)
    assert [s.origin for s in streamed.symbols].count("found") > 1
    assert streamed == loaded and streamed.kinds and set(streamed.kinds.values()) == {"Unit", "Concept"}
