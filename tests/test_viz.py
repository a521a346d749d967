"""Interactive maps, tested in a real headless Chromium (Debian's, driven by Playwright).

The maps of ``examples/`` (extracted by the rules) and of a generated 200-unit corpus are
checked at the view they open on: legible text, no overlapping boxes, support and attack
arrows pointing up the tree. Screenshots land in tests/artifacts/.
"""

import json
import shutil
from pathlib import Path

import pytest

from graphmind.extract.rules import RuleExtractor, extract_paths
from graphmind.viz import OVERVIEW_ABOVE, render_map, write_map
from graphmind.walk.memory import to_networkx

from graphs import argument_corpus, build, debate

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]
ARTIFACTS = Path(__file__).resolve().parent / "artifacts"
EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
XSS = ["<img src=x onerror=\"window.__xss=1\">", "</script><script>window.__xss=2</script>",
       "\" onmouseover=\"window.__xss=3\" x=\""]
LEGIBLE_PX = 11

# polls inside the page: the map's Content-Security-Policy forbids eval, which
# Playwright's wait_for_function relies on
WAIT_READY = """() => new Promise((resolve) => {
  const check = () => (window.gm && window.gm.ready) ? resolve(true) : setTimeout(check, 20);
  check();
})"""
# every unit box in the network that is not hidden: id, bounding box, font size
BOXES = """() => gm.nodes.get({filter: (n) => n.kind === 'unit' && !n.hidden}).map((n) => {
  const b = gm.network.getBoundingBox(n.id);
  return [n.id, b.left, b.top, b.right, b.bottom, gm.network.body.nodes[n.id].options.font.size];
})"""

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def browser():
    if not shutil.which(CHROMIUM) and not Path(CHROMIUM).exists():
        pytest.fail("Debian chromium is missing: .ci/run installs it (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield b
        b.close()


def open_map(browser, path):
    page = browser.new_page(viewport={"width": 1400, "height": 900})
    page.requests = []
    page.dialogs = []
    page.errors = []
    page.on("request", lambda r: page.requests.append(r.url))
    page.on("dialog", lambda d: (page.dialogs.append(d.message), d.dismiss()))
    page.on("pageerror", lambda e: page.errors.append(str(e)))
    page.goto(path.as_uri())
    page.set_default_timeout(30000)
    page.evaluate(WAIT_READY)
    return page


def screen_pos(page, node_id):
    box = page.locator("#map canvas").bounding_box()
    pos = page.evaluate("id => gm.network.canvasToDOM(gm.network.getPosition(id))", node_id)
    return box["x"] + pos["x"], box["y"] + pos["y"]


def hover(page, node_id):
    page.mouse.move(*screen_pos(page, node_id))
    page.wait_for_selector("div.vis-tooltip", state="visible", timeout=5000)
    return page.inner_text("div.vis-tooltip")


def click_unit(page, node_id):
    page.evaluate("id => gm.network.focus(id, {scale: Math.max(gm.network.getScale(), 0.9), animation: false})", node_id)
    page.mouse.click(*screen_pos(page, node_id))


def shot(page, name):
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / name))


def units_of(g):
    return [n for n, d in g.nodes(data=True) if "Unit" in d["labels"]]


@pytest.fixture(scope="module")
def debate_map(tmp_path_factory):
    g = to_networkx(debate())
    return write_map(g, tmp_path_factory.mktemp("map") / "map.html"), g


@pytest.fixture(scope="module")
def examples_map(tmp_path_factory):
    g = to_networkx(extract_paths([EXAMPLES], RuleExtractor(lang="auto", trained=False)))
    return write_map(g, tmp_path_factory.mktemp("examples") / "map.html"), g


@pytest.fixture(scope="module")
def corpus_map(tmp_path_factory):
    g = to_networkx(argument_corpus(200))
    assert len(units_of(g)) == 200
    return write_map(g, tmp_path_factory.mktemp("corpus") / "map.html"), g


@pytest.fixture(params=["examples", "corpus"])
def first_view(request, browser, examples_map, corpus_map):
    """A page at the view it opens on (every document's map), with its graph."""
    path, g = examples_map if request.param == "examples" else corpus_map
    page = open_map(browser, path)
    shot(page, f"map-{request.param}.png")
    yield page, g
    assert page.errors == []
    page.close()


# -- the first view -----------------------------------------------------------------------
def test_first_view_shows_every_documents_argument_map(first_view):
    page, g = first_view
    assert page.evaluate("gm.view().kind") == "tree"
    assert len(page.evaluate(BOXES)) == len(units_of(g))


def test_every_unit_label_is_drawn_at_a_legible_size(first_view):
    page, _ = first_view
    scale = page.evaluate("gm.network.getScale()")
    sizes = {font * scale for *_, font in page.evaluate(BOXES)}
    assert sizes and min(sizes) >= LEGIBLE_PX


def test_no_two_unit_boxes_overlap(first_view):
    page, _ = first_view
    boxes = sorted(page.evaluate(BOXES), key=lambda b: b[1])
    assert all(b[3] - b[1] > 100 and b[4] - b[2] > 20 for b in boxes)  # real boxes, not points
    overlaps = []
    for i, a in enumerate(boxes):  # sweep by left edge
        for b in boxes[i + 1:]:
            if b[1] >= a[3]:
                break
            if b[2] < a[4] and a[2] < b[4]:
                overlaps.append((a[0], b[0]))
    assert overlaps == []


def test_support_and_attack_arrows_point_up_the_tree(first_view):
    page, g = first_view
    rows = page.evaluate("""() => gm.edges.get({filter: (e) => e.relation === 'supports' || e.relation === 'attacks'})
        .map((e) => [e.from, e.to, gm.network.getPosition(e.from).y, gm.network.getPosition(e.to).y])""")
    expected = [(a, b) for a, b, d in g.edges(data=True) if d.get("type") in ("supports", "attacks")]
    assert sorted((a, b) for a, b, *_ in rows) == sorted(expected)
    assert [r for r in rows if not r[2] > r[3]] == []


def test_the_first_view_holds_the_largest_documents_main_claim(first_view):
    page, g = first_view
    docs = page.evaluate("gm.data.documents")
    largest = max(docs, key=lambda d: d[3])
    main = page.evaluate(f"gm.data.units[{largest[9]}][0]")
    assert g.nodes[main]["document_id"] == largest[0]
    x, y = page.evaluate("id => gm.network.canvasToDOM(gm.network.getPosition(id))", main).values()
    width, height = page.evaluate("[document.getElementById('map').clientWidth, document.getElementById('map').clientHeight]")
    assert 0 < x < width and 0 < y < height


# -- the overview ----------------------------------------------------------------------------
def test_overview_lists_every_document_with_its_links(browser, examples_map):
    path, g = examples_map
    page = open_map(browser, path)
    page.click("#crumb-overview")
    shot(page, "map-overview.png")
    docs = {n for n, d in g.nodes(data=True) if "Document" in d["labels"]}
    shown = page.evaluate("gm.nodes.get().map((n) => n.document)")
    assert sorted(shown) == sorted(docs)
    wikilinks = {frozenset((a, b)) for a, b, d in g.edges(data=True) if d["rel"] == "LINKS_TO"}
    assert wikilinks
    edges = page.evaluate("""gm.edges.get().map((e) => [gm.nodes.get(e.from).document, gm.nodes.get(e.to).document,
                                                         e.counts.wikilink, e.label])""")
    linked = {frozenset((a, b)): (n, label) for a, b, n, label in edges if n}
    assert set(linked) == wikilinks
    for pair, (n, label) in linked.items():
        assert n == sum(1 for a, b, d in g.edges(data=True) if d["rel"] == "LINKS_TO" and {a, b} == pair)
        assert label.startswith(f"{n} link")


def test_clicking_a_document_in_the_overview_opens_its_map_and_the_breadcrumb_goes_back(browser, examples_map):
    path, g = examples_map
    page = open_map(browser, path)
    page.click("#crumb-overview")
    doc = page.evaluate("gm.data.documents[1][0]")
    page.mouse.click(*screen_pos(page, page.evaluate(f"gm.nodes.get({{filter: (n) => n.document === '{doc}'}})[0].id")))
    assert page.evaluate("gm.view()") == {"kind": "tree", "documents": [doc]}
    assert len(page.evaluate(BOXES)) == sum(1 for u in units_of(g) if g.nodes[u]["document_id"] == doc)
    assert g.nodes[doc]["title"] in page.inner_text("#crumbs")
    page.click("#crumb-overview")
    assert page.evaluate("gm.view().kind") == "overview"


def test_a_large_map_opens_on_the_overview(browser, tmp_path):
    exs = [build(f"d{k}.md", f"Doc {k}", [[("claim", f"Claim {k}.{j}.", j == 0) for j in range(40)]], [])
           for k in range(OVERVIEW_ABOVE // 40 + 2)]
    path = write_map(to_networkx(exs), tmp_path / "big.html")
    page = open_map(browser, path)
    assert page.evaluate("gm.view().kind") == "overview"
    assert page.evaluate("gm.visibleNodeCount()") == len(exs)
    page.evaluate(f"gm.showDocument('{exs[0].document.id}')")
    assert page.evaluate("gm.visibleNodeCount()") == 1 + len(exs[0].units)  # its title and its units


# -- the reading panel -------------------------------------------------------------------------
def test_clicking_a_unit_fills_the_reading_panel(browser, debate_map):
    path, g = debate_map
    page = open_map(browser, path)
    unit = next(n for n in units_of(g) if g.nodes[n]["text"] == "Critics say reading is slow.")
    assert page.is_hidden("#panel")
    click_unit(page, unit)
    shot(page, "map-panel.png")
    assert page.is_visible("#panel")
    assert page.inner_text("#panel-text") == "Critics say reading is slow."
    par = g.nodes[g.nodes[unit]["paragraph_id"]]
    assert page.inner_text("#panel-par") == par["text"]
    assert page.inner_text("#panel-par mark") == "Critics say reading is slow."
    assert "Section: Main" in page.inner_text("#panel-where")
    rels = page.inner_text("#panel-rels")
    assert "attacks →" in rels and "We should read every day." in rels  # what it attacks
    assert "← attacked by" in rels and "But slow is the point." in rels  # what attacks it
    assert "confidence 0.50" in rels


def test_the_panel_shows_the_speaker_when_there_is_one(browser, tmp_path):
    ex = build("chat.md", "Chat", [[("claim", "Tea beats coffee.", True), ("premise", "It is gentler.", False)]],
               [((0, 1), (0, 0), "supports")])
    ex.paragraphs[0].speaker = "assistant"
    page = open_map(browser, write_map(to_networkx([ex]), tmp_path / "chat.html"))
    click_unit(page, ex.units[1].id)
    assert "Speaker: assistant" in page.inner_text("#panel-where")


def test_a_relation_in_the_panel_steps_to_the_other_unit(browser, debate_map):
    path, g = debate_map
    page = open_map(browser, path)
    unit = next(n for n in units_of(g) if g.nodes[n]["text"] == "Critics say reading is slow.")
    target = next(n for n in units_of(g) if g.nodes[n]["text"] == "We should read every day.")
    click_unit(page, unit)
    page.click(f"#panel-rels button[data-unit='{target}']")
    assert page.inner_text("#panel-text") == "We should read every day."
    assert page.evaluate("gm.network.getSelectedNodes()") == [target]


def test_arrow_keys_move_to_parent_children_and_siblings(browser, debate_map):
    path, g = debate_map
    page = open_map(browser, path)
    by_text = {g.nodes[n]["text"]: n for n in units_of(g)}
    click_unit(page, by_text["We should read every day."])
    steps = []
    for key in ["ArrowDown", "ArrowRight", "ArrowRight", "ArrowUp", "ArrowDown", "ArrowDown"]:
        page.keyboard.press(key)
        steps.append(page.inner_text("#panel-text"))
    # below the claim, in reading order: its reason, the objection to it, the metaphor
    assert steps == ["Reading trains attention.", "Critics say reading is slow.", "A book is a gym for the mind.",
                     "We should read every day.", "Reading trains attention.", "Attention is scarce."]


def test_collapsing_a_subtree_hides_what_is_below_it(browser, debate_map):
    path, g = debate_map
    page = open_map(browser, path)
    by_text = {g.nodes[n]["text"]: n for n in units_of(g)}
    before = len(page.evaluate(BOXES))
    click_unit(page, by_text["Reading trains attention."])
    page.click("#panel-fold")
    assert len(page.evaluate(BOXES)) == before - 1  # "Attention is scarce." is below it
    page.keyboard.press("+")
    assert len(page.evaluate(BOXES)) == before


# -- what stays from the first maps: hover, filters, search, collapse, safety ------------------
def test_hovering_a_unit_shows_its_full_text(browser, debate_map):
    path, g = debate_map
    page = open_map(browser, path)
    unit = next(n for n in units_of(g) if g.nodes[n]["text"] == "Critics say reading is slow.")
    page.evaluate("id => gm.network.focus(id, {scale: 1, animation: false})", unit)
    text = hover(page, unit)
    assert "Critics say reading is slow." in text and "Claim" in text and "Reading" in text and "paragraph 1" in text


def test_filtering_a_type_hides_it(browser, debate_map):
    path, g = debate_map
    page = open_map(browser, path)
    premises = sum(1 for n in units_of(g) if g.nodes[n]["type"] == "premise")
    before = len(page.evaluate(BOXES))
    page.uncheck("input[data-type=premise]")
    assert len(page.evaluate(BOXES)) == before - premises
    assert page.evaluate("gm.nodes.get({filter: n => n.unit_type === 'premise' && !n.hidden}).length") == 0


def test_choosing_a_document_shows_only_its_map(browser, debate_map):
    path, g = debate_map
    page = open_map(browser, path)
    a, b = debate()
    page.select_option("#doc-filter", b.document.id)
    assert sorted(i for i, *_ in page.evaluate(BOXES)) == sorted(u.id for u in b.units)


def test_collapsing_a_document_hides_its_units_and_expanding_restores_them(browser, debate_map):
    path, g = debate_map
    page = open_map(browser, path)
    a, _ = debate()
    total = page.evaluate("gm.visibleNodeCount()")
    page.click(f"button[data-document='{a.document.id}']")
    assert page.evaluate("gm.visibleNodeCount()") == total - len(a.units)  # its title stays
    page.click(f"button[data-document='{a.document.id}']")
    assert page.evaluate("gm.visibleNodeCount()") == total


def test_search_selects_matching_units_and_lists_them(browser, debate_map):
    path, g = debate_map
    page = open_map(browser, path)
    page.fill("#search", "attention")
    assert page.inner_text("#search-result") == "3 units"
    assert len(page.evaluate("gm.network.getSelectedNodes()")) == 3
    assert page.locator("#hits li").count() == 3


def test_attack_edges_are_red_and_dashed_and_support_solid_green(browser, debate_map):
    path, _ = debate_map
    page = open_map(browser, path)
    styles = page.evaluate("gm.edges.get().map(e => [e.relation, e.color.color, Array.isArray(e.dashes)])")
    assert {tuple(s) for s in styles if s[0] == "attacks"} == {("attacks", "#d32f2f", True)}
    assert {tuple(s) for s in styles if s[0] == "supports"} == {("supports", "#2e7d32", False)}


def xss_map(tmp_path):
    ex = build("x.md", XSS[0] + " title " + XSS[1],
               [[("claim", f"Payload {k}: {p}", k == 0) for k, p in enumerate(XSS)]],
               [((0, 1), (0, 0), "attacks"), ((0, 2), (0, 0), "supports")])
    ex.paragraphs[0].section = XSS[2]
    ex.paragraphs[0].speaker = XSS[0]
    return write_map(to_networkx([ex]), tmp_path / "xss.html", heading=XSS[1] + XSS[0]), ex


def test_nothing_executes_on_load_hover_click_or_search(browser, tmp_path):
    path, ex = xss_map(tmp_path)
    page = open_map(browser, path)
    for u in ex.units:
        hover(page, u.id)
        click_unit(page, u.id)
    page.fill("#search", "payload")
    page.hover("#heading")
    page.click("#crumb-overview")
    hover(page, page.evaluate("gm.nodes.getIds()[0]"))
    assert page.evaluate("window.__xss === undefined")
    assert page.dialogs == [] and page.errors == []
    assert page.locator("img").count() == 0


def test_payloads_are_shown_as_text(browser, tmp_path):
    path, ex = xss_map(tmp_path)
    page = open_map(browser, path)
    assert page.inner_text("#heading") == XSS[1] + XSS[0]
    assert XSS[0] in page.inner_text("#docs")
    tip = hover(page, ex.units[1].id)
    assert f"Payload 1: {XSS[1]}" in tip and XSS[2] in tip
    click_unit(page, ex.units[2].id)
    assert page.inner_text("#panel-text") == f"Payload 2: {XSS[2]}"
    assert f"Speaker: {XSS[0]}" in page.inner_text("#panel-where")
    assert page.inner_text("#panel-par mark") == f"Payload 2: {XSS[2]}"


def test_the_page_makes_no_request_beyond_its_own_file(browser, debate_map):
    path, g = debate_map
    page = open_map(browser, path)
    unit = units_of(g)[0]
    click_unit(page, unit)
    hover(page, unit)
    page.click("#crumb-overview")
    assert page.requests and all(u.startswith(("file:", "data:")) for u in page.requests), page.requests


def test_html_has_no_external_references_and_its_data_cannot_end_the_script():
    path_text = render_map(to_networkx(debate()), heading="</script><script>x()</script>")
    assert "cdn." not in path_text and "<link" not in path_text and "src=\"http" not in path_text
    data = path_text.split('<script id="gm-data" type="application/json">', 1)[1].split("</script>", 1)[0]
    assert "<" not in data and json.loads(data)["heading"] == "</script><script>x()</script>"
