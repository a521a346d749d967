"""The static SVG of one document's argument map: valid XML, text escaped, same layout as the
HTML map, glyphs that fit their boxes in a real browser."""

import os
import re
import shutil
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from graphmind.exceptions import GraphMindError
from graphmind.viz import layout as L
from graphmind.viz import write_svg
from graphmind.viz.mapdata import collect
from graphmind.viz.svg import render_svg
from graphmind.walk.memory import to_networkx

from graphs import argument_corpus, build, debate

NS = "{http://www.w3.org/2000/svg}"
XSS = ["<script>window.__xss=1</script>", "<img src=x onerror=\"window.__xss=2\">", "&amp; ]]> <!-- -->",
       "\" onload=\"window.__xss=3\" x=\""]
ARTIFACTS = Path(__file__).resolve().parent / "artifacts"


def unit_groups(root):
    return {g.get("id"): g for g in root.iter(f"{NS}g") if "unit" in (g.get("class") or "").split()}


def payload_graph():
    ex = build("x.md", XSS[0] + " title", [[("claim", f"Payload {k}: {p}", k == 0) for k, p in enumerate(XSS)]
                                            + [("premise", "Bell\x07 and\x0b tab\x1b and NUL\x00 end.", False)]],
               [((0, 1), (0, 0), "attacks"), ((0, 2), (0, 0), "supports"), ((0, 4), (0, 0), "supports")])
    ex.paragraphs[0].section = XSS[3]
    return to_networkx([ex]), ex


def test_the_svg_is_well_formed_xml_with_every_unit_of_the_document():
    g = to_networkx(debate())
    text, doc = render_svg(g)
    root = ET.fromstring(text.encode("utf-8"))
    assert root.tag == f"{NS}svg" and root.get("viewBox")
    units = {n for n, d in g.nodes(data=True) if "Unit" in d["labels"] and d["document_id"] == doc}
    assert set(unit_groups(root)) == units


def test_without_a_document_the_largest_is_drawn_and_with_one_that_one():
    a, b = debate()
    g = to_networkx([a, b])
    assert render_svg(g)[1] == a.document.id  # 10 units against 3
    text, doc = render_svg(g, b.document.id)
    assert doc == b.document.id and set(unit_groups(ET.fromstring(text))) == {u.id for u in b.units}


def test_an_unknown_document_is_a_clear_error():
    with pytest.raises(GraphMindError, match="no units found for document doc_nope"):
        render_svg(to_networkx(debate()), "doc_nope")


def test_text_is_escaped_and_nothing_active_is_made():
    g, ex = payload_graph()
    text, _ = render_svg(g)
    root = ET.fromstring(text)
    names = {el.tag.removeprefix(NS) for el in root.iter()}
    assert names <= {"svg", "title", "defs", "marker", "path", "rect", "text", "tspan", "g", "line"}
    assert not [a for el in root.iter() for a in el.attrib if a.lower().startswith("on")]
    shown = {(t.text or "") for t in root.iter(f"{NS}title")}
    for k, p in enumerate(XSS):  # the full text of each unit, in its tooltip, exactly as written
        assert any(s.startswith(f"Payload {k}: {p}") for s in shown)
    assert any(XSS[3] in s for s in shown)  # the section, in the tooltip's provenance


def test_characters_xml_cannot_hold_are_replaced_not_written():
    g, ex = payload_graph()
    text, _ = render_svg(g)
    assert not re.search("[\x00-\x08\x0b\x0c\x0e-\x1f]", text)
    tips = [t.text for t in ET.fromstring(text).iter(f"{NS}title")]
    assert any("Bell\ufffd and\ufffd tab\ufffd and NUL\ufffd end." in t for t in tips)


def test_cyrillic_emoji_and_cjk_are_kept_as_they_are():
    words = "Память — это река 🌊, 記憶は川"
    ex = build("r.md", "Река", [[("metaphor", words, True)]], [])
    root = ET.fromstring(render_svg(to_networkx([ex]))[0])
    assert words in "".join(root.itertext())


def test_the_svg_has_the_html_maps_layout():
    g = to_networkx(argument_corpus(200))
    text, doc = render_svg(g)
    placed = {u: p for u, p in collect(g).layout.units.items() if g.nodes[u]["document_id"] == doc}
    rects = {uid: grp.find(f"{NS}rect") for uid, grp in unit_groups(ET.fromstring(text)).items()}
    assert set(rects) == set(placed)
    first = min(placed, key=lambda u: (placed[u].y, placed[u].x))
    dx = float(rects[first].get("x")) - (placed[first].x - placed[first].w / 2)
    dy = float(rects[first].get("y")) - (placed[first].y - placed[first].h / 2)
    for u, p in placed.items():
        assert float(rects[u].get("x")) == pytest.approx(p.x - p.w / 2 + dx, abs=0.1)
        assert float(rects[u].get("y")) == pytest.approx(p.y - p.h / 2 + dy, abs=0.1)
        assert float(rects[u].get("height")) == p.h


def test_support_and_attack_paths_run_from_the_lower_box_up_to_the_higher():
    root = ET.fromstring(render_svg(to_networkx(argument_corpus(200)))[0])
    paths = [p for p in root.iter(f"{NS}path") if {"supports", "attacks"} & set((p.get("class") or "").split())]
    assert paths
    for p in paths:
        nums = [float(n) for n in re.findall(r"-?\d+(?:\.\d+)?", p.get("d"))]
        assert nums[1] > nums[-1], p.get("d")  # starts below where it ends


def test_write_svg_replaces_the_file_whole_with_the_usual_permissions(tmp_path):
    out = tmp_path / "map.svg"
    out.write_text("old")
    mask = os.umask(0o022)
    try:
        path, _ = write_svg(to_networkx(debate()), out)
    finally:
        os.umask(mask)
    assert path == out and out.read_text(encoding="utf-8").startswith("<?xml")
    assert [p.name for p in tmp_path.iterdir()] == ["map.svg"]
    assert out.stat().st_mode & 0o777 == 0o644  # not the owner-only file a temporary file starts as


def test_write_svg_to_an_unwritable_place_is_a_clear_error(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(GraphMindError, match="cannot write .*choose another --out"):
        write_svg(to_networkx(debate()), blocker / "map.svg")


@pytest.mark.browser
def test_every_line_fits_its_box_in_a_real_browser(tmp_path):
    if not Path("/usr/bin/chromium").exists() and not shutil.which("chromium"):
        pytest.fail("Debian chromium is missing: .ci/run installs it (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    texts = ["Память — это река, которая уносит всё, что мы не записали, и оставляет только смутное ощущение.",
             "WWWW MMMM WWWW MMMM WWWW MMMM WWWW MMMM WWWW MMMM WWWW MMMM WWWW MMMM",
             "Attention is a garden 🌱 that grows whatever we water, and weeds grow faster than roses do.",
             "illegible little lines of iiii llll iiii llll iiii llll iiii llll iiii llll iiii llll iiii"]
    ex = build("g.md", "Glyphs", [[("claim", t, k == 0) for k, t in enumerate(texts)]],
               [((0, k), (0, 0), "supports") for k in range(1, len(texts))])
    path, _ = write_svg(to_networkx([ex]), tmp_path / "glyphs.svg")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=["--headless", "--no-sandbox"])
        page = browser.new_page(viewport={"width": 1400, "height": 900})
        page.goto(path.as_uri())
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / "svg-glyphs.png"))
        widths = page.evaluate("""Array.from(document.querySelectorAll('g.unit')).map((g) => {
            const r = g.querySelector('rect').getBBox();
            return Array.from(g.querySelectorAll('tspan')).map((t) => {
                const b = t.getBBox(); return [b.x - r.x, r.x + r.width - (b.x + b.width)]; });
        })""")
        browser.close()
    lines = [w for group in widths for w in group]
    assert len(lines) >= 8
    assert all(left >= L.PAD - 1 and right >= 0 for left, right in lines), lines
