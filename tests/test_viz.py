"""Interactive maps, tested in a real headless Chromium (Debian's, driven by Playwright)."""

import shutil
from pathlib import Path

import pytest

from graphmind.viz import COLLAPSE_ABOVE, render_map, write_map
from graphmind.walk.memory import to_networkx

from graphs import build, debate

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]
ARTIFACTS = Path(__file__).resolve().parent / "artifacts"
XSS = ["<img src=x onerror=\"window.__xss=1\">", "</script><script>window.__xss=2</script>",
       "\" onmouseover=\"window.__xss=3\" x=\""]

# polls inside the page: the map's Content-Security-Policy forbids eval, which
# Playwright's wait_for_function relies on
WAIT_STABLE = """() => new Promise((resolve) => {
  const check = () => (window.gm && window.gm.stabilized) ? resolve(true) : setTimeout(check, 20);
  check();
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
    page.on("request", lambda r: page.requests.append(r.url))
    page.on("dialog", lambda d: (page.dialogs.append(d.message), d.dismiss()))
    page.goto(path.as_uri())
    page.set_default_timeout(30000)
    page.evaluate(WAIT_STABLE)
    return page


def hover(page, node_id):
    box = page.locator("#map canvas").bounding_box()
    pos = page.evaluate("id => gm.network.canvasToDOM(gm.network.getPosition(id))", node_id)
    page.mouse.move(box["x"] + pos["x"], box["y"] + pos["y"])
    page.wait_for_selector("div.vis-tooltip", state="visible", timeout=5000)
    return page.inner_text("div.vis-tooltip")


@pytest.fixture(scope="module")
def debate_map(tmp_path_factory):
    g = to_networkx(debate())
    return write_map(g, tmp_path_factory.mktemp("map") / "map.html"), g


def units_of(g):
    return [n for n, d in g.nodes(data=True) if "Unit" in d["labels"]]


def test_network_has_every_unit_and_relation(browser, debate_map):
    path, g = debate_map
    page = open_map(browser, path)
    argument = [e for e in g.edges(data=True) if e[2].get("id") and e[2]["rel"] != "DEFINES"]
    assert page.evaluate("[gm.nodes.length, gm.edges.length]") == [len(units_of(g)), len(argument)]
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "map.png"))


def test_hovering_a_unit_shows_its_full_text(browser, debate_map):
    path, g = debate_map
    page = open_map(browser, path)
    unit = next(n for n in units_of(g) if g.nodes[n]["text"] == "Critics say reading is slow.")
    text = hover(page, unit)
    assert "Critics say reading is slow." in text and "Claim" in text and "Reading" in text


def test_filtering_a_type_hides_it(browser, debate_map):
    path, g = debate_map
    page = open_map(browser, path)
    premises = sum(1 for n in units_of(g) if g.nodes[n]["type"] == "premise")
    before = page.evaluate("gm.visibleNodeCount()")
    page.uncheck("input[data-type=premise]")
    assert page.evaluate("gm.visibleNodeCount()") == before - premises
    assert page.evaluate("gm.nodes.get({filter: n => n.unit_type === 'premise' && !n.hidden}).length") == 0


def test_filtering_by_document_shows_only_it(browser, debate_map):
    path, g = debate_map
    page = open_map(browser, path)
    a, b = debate()
    page.select_option("#doc-filter", b.document.id)
    assert page.evaluate("gm.visibleNodeCount()") == len(b.units)


def test_collapsing_a_document_reduces_the_visible_nodes_and_expanding_restores(browser, debate_map):
    path, g = debate_map
    page = open_map(browser, path)
    a, _ = debate()
    total = page.evaluate("gm.visibleNodeCount()")
    page.click(f"button[data-document='{a.document.id}']")
    assert page.evaluate("gm.visibleNodeCount()") == total - len(a.units) + 1
    page.click(f"button[data-document='{a.document.id}']")
    assert page.evaluate("gm.visibleNodeCount()") == total


def test_search_selects_matching_units(browser, debate_map):
    path, g = debate_map
    page = open_map(browser, path)
    page.fill("#search", "attention")
    assert page.inner_text("#search-result") == "3 units"
    assert len(page.evaluate("gm.network.getSelectedNodes()")) == 3


def test_attack_edges_are_red_and_dashed_and_support_solid(browser, debate_map):
    path, _ = debate_map
    page = open_map(browser, path)
    styles = page.evaluate("gm.edges.get().map(e => [e.family, e.color, Array.isArray(e.dashes)])")
    assert {tuple(s) for s in styles if s[0] == "attack"} == {("attack", "#d32f2f", True)}
    assert {tuple(s) for s in styles if s[0] == "support"} == {("support", "#2e7d32", False)}


def test_large_map_starts_collapsed_by_document(browser, tmp_path):
    exs = [build(f"d{k}.md", f"Doc {k}", [[("claim", f"Claim {k}.{j}.", j == 0) for j in range(40)]], [])
           for k in range(COLLAPSE_ABOVE // 40 + 2)]
    path = write_map(to_networkx(exs), tmp_path / "big.html")
    page = open_map(browser, path)
    assert page.evaluate("gm.data.nodes.length") > COLLAPSE_ABOVE
    assert page.evaluate("gm.visibleNodeCount()") == len(exs)
    page.evaluate(f"gm.expand('{exs[0].document.id}')")
    assert page.evaluate("gm.visibleNodeCount()") == len(exs) - 1 + len(exs[0].units)


def xss_map(tmp_path):
    ex = build("x.md", XSS[0] + " title " + XSS[1],
               [[("claim", f"Payload {k}: {p}", k == 0) for k, p in enumerate(XSS)]],
               [((0, 1), (0, 0), "attacks"), ((0, 2), (0, 0), "supports")])
    ex.paragraphs[0].section = XSS[2]
    return write_map(to_networkx([ex]), tmp_path / "xss.html", heading=XSS[1] + XSS[0]), ex


def test_nothing_executes_on_load_hover_or_click(browser, tmp_path):
    path, ex = xss_map(tmp_path)
    page = open_map(browser, path)
    for u in ex.units:
        hover(page, u.id)
        box = page.locator("#map canvas").bounding_box()
        pos = page.evaluate("id => gm.network.canvasToDOM(gm.network.getPosition(id))", u.id)
        page.mouse.click(box["x"] + pos["x"], box["y"] + pos["y"])
    page.hover("#heading")
    for sel in ["#docs span", "#doc-filter"]:
        page.hover(sel)
    assert page.evaluate("window.__xss === undefined")
    assert page.dialogs == []
    assert page.locator("img").count() == 0


def test_payloads_are_shown_as_text(browser, tmp_path):
    path, ex = xss_map(tmp_path)
    page = open_map(browser, path)
    assert page.inner_text("#heading") == XSS[1] + XSS[0]
    assert XSS[0] in page.inner_text("#docs")
    tip = hover(page, ex.units[1].id)
    assert f"Payload 1: {XSS[1]}" in tip and XSS[2] in tip


def test_the_page_makes_no_request_beyond_its_own_file(browser, debate_map):
    path, _ = debate_map
    page = open_map(browser, path)
    hover(page, units_of(debate_map[1])[0])
    assert page.requests and all(u.startswith(("file:", "data:")) for u in page.requests), page.requests


def test_hierarchical_layout_puts_premises_below_claims(browser, tmp_path):
    ex = build("h.md", "H", [[("claim", "Top claim.", True), ("premise", "A reason.", False),
                               ("premise", "A deeper reason.", False)]],
               [((0, 1), (0, 0), "supports"), ((0, 2), (0, 1), "supports")])
    path = write_map(to_networkx([ex]), tmp_path / "h.html", layout="hierarchical")
    page = open_map(browser, path)
    y = [page.evaluate("id => gm.network.getPosition(id).y", u.id) for u in ex.units]
    assert y[0] < y[1] < y[2]


def test_html_has_no_external_references():
    html = render_map(to_networkx(debate()))
    assert "cdn." not in html and "<link" not in html and "src=\"http" not in html
