"""Glyphs survive every path byte for byte — the store, JSON, RDF, the HTML map, the SVG
and training JSONL — through the command line on a real local server; and a symbol on the
map is a cluster that collapses to its glyph and label and expands again, in a real browser."""

import json
import re
import xml.etree.ElementTree as ET

import pytest
from rdflib import Graph
from rdflib.namespace import SKOS

from graphmind.symbols import FoundOptions, detect, with_symbols
from graphmind.viz import write_map
from graphmind.walk.memory import to_networkx

from graphs import GLYPHS, symbolic
from test_viz import ARTIFACTS, browser, open_map, screen_pos, shot  # noqa: F401  (the browser fixture)

NOTE = "# Glyphs\n\n" + "".join(f"{g} = {m}.\n\n" for g, m in zip(GLYPHS, [
    "the ascent through a threefold conflict", "fire that purifies", "breath as attention",
    "the republic of letters", "the explorer who leaves the map"])) + \
    "Every crisis is a ⟁, and 🜂 burns while 🫁 keeps the pace.\n\nThen 🇺🇦 writes back to the 🧑\u200d🚀.\n"


@pytest.fixture(scope="module")
def built(tmp_path_factory, backend):
    """Notes declaring the five glyphs, ingested into the backend's server, with symbols
    built, and every output written through the command line."""
    tmp = tmp_path_factory.mktemp("glyphs")
    notes = tmp / "notes"
    notes.mkdir()
    (notes / "glyphs.md").write_text(NOTE, encoding="utf-8")
    store = backend.connect()
    store.apply_schema()
    store.clear()
    store.close()

    def run(*args):
        result = backend.cli(*args)
        assert result.exit_code == 0, result.output
        return result

    run("ingest", str(notes))
    run("symbols", "build", "--no-table")
    listed = run("symbols", "list", "--format", "json").stdout
    run("rdf", "export", "--out", str(tmp / "g.ttl"))
    run("viz", "--out", str(tmp / "map.html"))
    run("viz", "--out", str(tmp / "map.svg"))
    run("export", "--out", str(tmp / "data"), "--anchor", "symbols", "--format", "chat", "--val-fraction", "0")
    return tmp, listed


@pytest.mark.store
@pytest.mark.parametrize("glyph", GLYPHS)
def test_glyph_through_store_and_json(built, glyph):
    _, listed = built
    assert glyph in [p["glyph"] for p in json.loads(listed)]
    assert glyph.encode("utf-8") in listed.encode("utf-8")


@pytest.mark.store
@pytest.mark.parametrize("glyph", GLYPHS)
def test_glyph_through_rdf(built, glyph):
    tmp, _ = built
    assert glyph in {str(o) for o in Graph().parse(tmp / "g.ttl").objects(None, SKOS.notation)}


@pytest.mark.store
@pytest.mark.parametrize("glyph", GLYPHS)
def test_glyph_through_the_html_map(built, glyph):
    tmp, _ = built
    page = (tmp / "map.html").read_text(encoding="utf-8")
    data = json.loads(re.search(r'<script id="gm-data" type="application/json">(.*?)</script>', page, re.S).group(1))
    assert glyph in [s[1] for s in data["symbols"]]


@pytest.mark.store
@pytest.mark.parametrize("glyph", GLYPHS)
def test_glyph_through_the_svg(built, glyph):
    tmp, _ = built
    root = ET.parse(tmp / "map.svg").getroot()
    rows = ["".join(t.itertext()) for t in root.iter("{http://www.w3.org/2000/svg}text") if t.get("class") == "symbol"]
    assert any(row.startswith(glyph + " ") for row in rows)


@pytest.mark.store
@pytest.mark.parametrize("glyph", GLYPHS)
def test_glyph_through_training_jsonl(built, glyph):
    tmp, _ = built
    records = [json.loads(line) for line in (tmp / "data" / "train.jsonl").read_text(encoding="utf-8").splitlines()]
    unfold = [r for r in records if r["meta"]["kind"] == "symbol_unfold" and r["meta"]["symbol"]["glyph"] == glyph]
    assert len(unfold) == 1
    assert unfold[0]["messages"][2]["content"].startswith(f"[SYMBOL] {glyph} — ")


# -- the map in a browser -------------------------------------------------------------------------
@pytest.fixture(scope="module")
def symbol_map(tmp_path_factory):
    g = to_networkx(symbolic())
    g = with_symbols(g, detect(g, found=FoundOptions(min_size=3)).symbols)
    return write_map(g, tmp_path_factory.mktemp("symbols") / "map.html"), g


VISIBLE = "ids => ids.map((id) => { const n = gm.nodes.get(id); return n !== null && !n.hidden; })"
SYMBOL_NODES = "gm.nodes.get({filter: (n) => n.kind === 'symbol'}).map((n) => [n.id, n.label])"


@pytest.mark.browser
def test_a_symbol_collapses_to_its_glyph_and_expands_again(browser, symbol_map):  # noqa: F811
    path, g = symbol_map
    page = open_map(browser, path)
    ascent = next(n for n, d in g.nodes(data=True) if d.get("glyph") == "⟁")
    members = sorted(b for _, b, d in g.out_edges(ascent, data=True) if d["rel"] == "SYMBOLIZES" and b.startswith("unit_"))
    assert all(page.evaluate(VISIBLE, members))
    page.click(f'button[data-symbol="{ascent}"]')
    (node_id, label), = page.evaluate(SYMBOL_NODES)
    assert label.startswith("⟁ the ascent through a")
    assert not any(page.evaluate(VISIBLE, members))
    assert page.evaluate("gm.edges.get({filter: (e) => e.kind === 'symbol-edge' && e.label === 'uses'}).length") == 2
    shot(page, "map-symbol-collapsed.png")
    page.evaluate("id => gm.network.focus(id, {scale: 1, animation: false})", node_id)
    page.mouse.dblclick(*screen_pos(page, node_id))
    assert page.evaluate(SYMBOL_NODES) == []
    assert all(page.evaluate(VISIBLE, members))
    assert page.errors == []
    page.close()


@pytest.mark.browser
def test_the_overview_groups_by_symbol(browser, symbol_map):  # noqa: F811
    path, g = symbol_map
    page = open_map(browser, path)
    page.click("#crumb-overview")
    page.check("#group-by-symbol")
    groups = page.evaluate("gm.nodes.get({filter: (n) => n.kind === 'symbol-group'}).map((n) => n.label)")
    defined = [d for _, d in g.nodes(data=True) if "Symbol" in d["labels"] and d["defined"]]
    assert len(groups) == len(defined)
    links = page.evaluate("gm.edges.get({filter: (e) => e.kind === 'symbol-group-edge'}).map((e) => [e.from, e.to])")
    ascent_group = next(n for n in page.evaluate(
        "gm.nodes.get({filter: (n) => n.kind === 'symbol-group'}).map((n) => [n.id, n.label])") if n[1].startswith("⟁"))[0]
    assert sum(1 for a, _ in links if a == ascent_group) == 2  # ⟁ is in both documents
    shot(page, "map-overview-by-symbol.png")
    assert page.errors == []
    page.close()
