"""The argument-map layout, computed in Python before a map opens."""

import json
import random
import re

import pytest

from graphmind.viz import layout as L, render_map
from graphmind.viz.layout import LEdge, LUnit, layout_document, layout_map, overview_positions, wrap
from graphmind.viz.mapdata import collect
from graphmind.walk.memory import to_networkx

from graphs import argument_corpus, build, debate


def unit(uid, par="p0", k=0, central=False, text=None, doc="d"):
    return LUnit(uid, doc, par, (int(par[1:]), k), text or f"Unit {uid}.", central)


def overlaps(placed):
    boxes = sorted(((p.x - p.w / 2, p.y - p.h / 2, p.x + p.w / 2, p.y + p.h / 2, p.id) for p in placed.values()))
    found = []
    for i, a in enumerate(boxes):
        for b in boxes[i + 1:]:
            if b[0] >= a[2]:
                break
            if b[1] < a[3] and a[1] < b[3]:
                found.append((a[4], b[4]))
    return found


# -- wrapping ---------------------------------------------------------------------------------
def test_wrap_keeps_short_text_on_one_line():
    assert wrap("We should read every day.") == ["We should read every day."]


def test_wrap_breaks_at_about_forty_characters_and_keeps_every_word_in_order():
    text = "Therefore we should choose carefully what we read in the morning, because the first hour matters."
    lines = wrap(text)
    assert len(lines) == 3 and " ".join(lines) == text
    assert all(30 <= len(line) <= 48 for line in lines[:-1])


def test_wrap_stops_at_four_lines_with_an_ellipsis():
    lines = wrap("word " * 200)
    assert len(lines) == L.MAX_LINES and lines[-1].endswith("…")
    assert all(L.text_width(line) <= L.TEXT_W for line in lines)


def test_wrap_cuts_a_word_longer_than_a_line():
    lines = wrap("x" * 120)
    assert "".join(lines) == "x" * 120 and all(L.text_width(line) <= L.TEXT_W for line in lines)


def test_wide_glyphs_take_more_room_than_latin_letters():
    assert len(wrap("a" * 30)) == 1 and len(wrap("漢" * 30)) == 2


def test_wrap_drops_control_characters_and_collapses_white_space():
    assert wrap("a\x00b\x1b[31m  c\n\td") == ["ab[31m c d"]


# -- one document --------------------------------------------------------------------------------
def test_what_supports_or_attacks_a_unit_is_one_row_below_it():
    units = [unit("a", central=True), unit("b", k=1), unit("c", k=2), unit("d", k=3)]
    edges = [LEdge("b", "a"), LEdge("c", "a"), LEdge("d", "b")]
    placed, *_ = layout_document(units, edges)
    assert [placed[u].row for u in "abcd"] == [0, 1, 1, 2]
    assert placed["b"].parent == placed["c"].parent == "a" and placed["d"].parent == "b"
    assert placed["a"].y < placed["b"].y == placed["c"].y < placed["d"].y


def test_a_parent_is_centred_over_its_children_and_siblings_keep_reading_order():
    units = [unit("a", central=True)] + [unit(f"c{k}", k=k + 1) for k in range(3)]
    placed, *_ = layout_document(units, [LEdge(f"c{k}", "a") for k in range(3)])
    xs = [placed[f"c{k}"].x for k in range(3)]
    assert xs == sorted(xs) and placed["a"].x == pytest.approx((xs[0] + xs[-1]) / 2)
    assert min(b - a for a, b in zip(xs, xs[1:])) >= L.BOX_W + L.H_GAP


def test_a_unit_with_two_targets_sits_below_the_lower_one():
    units = [unit("a", central=True), unit("b", k=1), unit("c", k=2)]
    edges = [LEdge("b", "a"), LEdge("c", "a"), LEdge("c", "b")]
    placed, *_ = layout_document(units, edges)
    assert placed["c"].row == 2 and placed["c"].parent == "b"
    assert placed["c"].y > placed["b"].y > placed["a"].y


def test_a_unit_without_relations_hangs_below_its_paragraphs_central_unit():
    units = [unit("a", central=True), unit("b", k=1), unit("lone", k=2), unit("other", par="p1")]
    placed, *_ = layout_document(units, [LEdge("b", "a")])
    assert placed["lone"].parent == "a" and placed["lone"].row == 1
    assert placed["other"].parent is None  # its paragraph has no central unit


def test_cycles_are_broken_and_every_other_relation_points_up():
    units = [unit(x, k=k, central=(k == 0)) for k, x in enumerate("abcd")]
    edges = [LEdge("b", "a"), LEdge("c", "b"), LEdge("b", "c"), LEdge("d", "c"), LEdge("a", "d")]
    placed, _, _, _, back = layout_document(units, edges)
    assert set(placed) == set("abcd") and len(back) >= 1
    kept = [(e.source, e.target) for e in edges if (e.source, e.target) not in back]
    assert all(placed[s].row > placed[t].row for s, t in kept)
    assert overlaps(placed) == []


def test_a_long_chain_is_laid_out_without_recursion():
    n = 5000
    units = [unit(f"u{k}", k=k, central=(k == 0)) for k in range(n)]
    placed, _, h, *_ = layout_document(units, [LEdge(f"u{k}", f"u{k - 1}") for k in range(1, n)])
    assert placed[f"u{n - 1}"].row == n - 1 and h > n * L.V_GAP


def test_layout_is_deterministic_and_does_not_depend_on_input_order():
    g = to_networkx(argument_corpus(200))
    first = collect(g).layout
    units = list(first.units)
    again = collect(g).layout
    assert {u: (p.x, p.y) for u, p in first.units.items()} == {u: (p.x, p.y) for u, p in again.units.items()}
    lu = [LUnit(u, "d", "p0", (0, k), "t") for k, u in enumerate(sorted(units)[:30])]
    rnd = random.Random(1)
    edges = [LEdge(lu[k].id, lu[rnd.randrange(k)].id) for k in range(1, 30)]
    a = layout_document(lu, edges)[0]
    b = layout_document(list(reversed(lu)), list(reversed(edges)))[0]
    assert {u: (p.x, p.y) for u, p in a.items()} == {u: (p.x, p.y) for u, p in b.items()}


def test_no_boxes_overlap_in_a_random_forest_with_long_texts():
    rnd = random.Random(5)
    for trial in range(20):
        units, edges = [], []
        for k in range(rnd.randint(5, 80)):
            par = f"p{k // 6}"
            text = " ".join("word" for _ in range(rnd.randint(1, 60)))
            units.append(unit(f"u{k}", par=par, k=k, central=(k % 6 == 0), text=text))
            if k and rnd.random() < 0.8:
                edges.append(LEdge(f"u{k}", f"u{rnd.randrange(k)}"))
        placed, w, h, *_ = layout_document(units, edges)
        assert overlaps(placed) == [], trial
        assert all(0 <= p.x - p.w / 2 and p.x + p.w / 2 <= w + 1e-6 and p.y + p.h / 2 <= h + 1e-6
                   for p in placed.values())


# -- documents and the overview ---------------------------------------------------------------------
def test_documents_do_not_overlap_and_the_largest_comes_first():
    g = to_networkx(argument_corpus(200))
    lay = collect(g).layout
    blocks = sorted(lay.documents.values(), key=lambda b: (b.y, b.x))
    assert blocks[0].units == max(b.units for b in blocks)
    for i, a in enumerate(blocks):
        for b in blocks[i + 1:]:
            assert a.x + a.w <= b.x or b.x + b.w <= a.x or a.y + a.h <= b.y or b.y + b.h <= a.y
    assert overlaps(lay.units) == []


def test_the_overview_links_documents_by_wikilinks_and_shared_concepts():
    a, b = debate()
    links = {(x, y): kinds for x, y, kinds, _, _ in collect(to_networkx([a, b])).links}
    pair = tuple(sorted((a.document.id, b.document.id)))
    assert links[pair]["wikilink"] == 2  # each links to the other
    assert links[pair]["concepts"] == 2  # attention, mind


def test_the_overview_counts_relations_across_documents():
    a = build("a.md", "A", [[("claim", "Tea is good.", True)]], [])
    b = build("b.md", "B", [[("claim", "Tea is bad.", True)]], [])
    g = to_networkx([a, b])
    g.add_edge(b.units[0].id, a.units[0].id, key="r", rel="ATTACKS", id="r", type="attacks", family="attack")
    links = collect(g).links
    assert [(kinds.get("relations"), direction) for _, _, kinds, direction, _ in links] == [(1, 0)]


def test_overview_positions_are_distinct_and_keep_linked_documents_close():
    docs = [f"d{k}" for k in range(60)]
    pos = overview_positions(docs, {d: 1 for d in docs}, [("d0", "d59", 3.0)])
    assert len(set(pos.values())) == 60
    dist = abs(pos["d0"][0] - pos["d59"][0]) + abs(pos["d0"][1] - pos["d59"][1])
    assert dist <= L.OVERVIEW_CELL[0] + L.OVERVIEW_CELL[1]


def test_a_unit_whose_paragraph_and_document_are_missing_is_still_placed():
    a, _ = debate()
    g = to_networkx([a])
    lone = a.units[0]
    g.remove_node(lone.paragraph_id)
    g.remove_node(a.document.id)
    data = collect(g)
    assert set(data.layout.units) == {u.id for u in a.units}
    assert overlaps(data.layout.units) == []
    page = render_map(g)
    units = json.loads(re.search(r'<script id="gm-data" type="application/json">(.*?)</script>', page, re.S).group(1))["units"]
    row = next(r for r in units if r[0] == lone.id)
    assert row[1] == -1 and row[15] == lone.text  # no paragraph: the unit carries its own text
