"""Map stage: the meaning graph as an argument map, in one self-contained, offline, safe
HTML file (or a static SVG of one document).

The layout is computed here, in Python, before the page opens (``layout.py``): one tree per
document with the main claim on top and what supports or attacks a unit below it. The page
draws it with vis-network (inlined from the pyvis wheel, physics off), so nothing is
simulated and the map opens at once. Every piece of text reaches the page as JSON inside a
``<script type="application/json">`` block with ``<`` escaped, and is shown with
``textContent``, canvas ``fillText`` or vis-network's plain-text tooltips; a
Content-Security-Policy forbids loading anything, and the file makes no request at all.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

import networkx as nx
from jinja2 import Environment, FileSystemLoader, select_autoescape

from ..exceptions import GraphMindError
from ..schema import load_schema
from . import layout as L
from .mapdata import LINK_KINDS
from .pagemap import build_map_data, document_order
from .style import FONT_STACK, HANG_COLOR, TEXT_COLOR, fill, relation_style, tag

OVERVIEW_ABOVE = 2000  # units: bigger maps open on the overview (one node per document)
ALL_TREES_MAX = 5000  # units: up to this many, every document's map can be shown side by side
MIN_SCREEN_FONT = 12  # px: the first view zooms so that a box's text is at least this big
INVERSE = {"supports": "supported by", "attacks": "attacked by", "illustrates": "illustrated by",
           "carries": "carried by", "answers": "answered by"}


def _vis_assets() -> tuple[str, str]:
    lib = Path(resources.files("pyvis")) / "templates" / "lib" / "vis-9.1.2"
    return (lib / "vis-network.min.js").read_text(encoding="utf-8"), (lib / "vis-network.css").read_text(encoding="utf-8")


def page_head(heading: str) -> dict:
    """The page data's keys before the documents: what the page's script needs to draw."""
    schema = load_schema()
    relations = []
    for name in schema.argument_relations:
        family = schema.relation_types[name].family
        color, dashes, width = relation_style(name, family)
        relations.append([name, family, color, dashes, width, INVERSE.get(name, name)])
    return {
        "heading": heading,
        "font": {"font": L.FONT, "line": L.LINE, "tag": L.TAG_FONT, "tagH": L.TAG_H, "pad": L.PAD, "boxW": L.BOX_W,
                 "textW": L.TEXT_W, "title": L.TITLE_FONT, "headerH": L.HEADER_H, "face": FONT_STACK,
                 "textColor": TEXT_COLOR, "hang": HANG_COLOR, "minScreen": MIN_SCREEN_FONT},
        "types": [[n, t.label, t.color, fill(t.color), tag(t.color)] for n, t in schema.unit_types.items()],
        "relations": relations,
    }


def page_tail(units: int, start: str) -> dict:
    """The page data's keys after the links (``start``: auto opens big maps on the overview)."""
    if start == "auto":
        start = "overview" if units > OVERVIEW_ABOVE else "map"
    return {"linkKinds": list(LINK_KINDS), "limits": {"overviewAbove": OVERVIEW_ABOVE, "allTrees": ALL_TREES_MAX},
            "start": start}


def render_map(g: nx.MultiDiGraph, heading: str = "GraphMind map", start: str = "auto") -> str:
    """The whole page. ``start``: "map" (every document's argument map side by side),
    "overview" (one node per document), or "auto" (the overview above OVERVIEW_ABOVE units)."""
    import io

    buf = io.StringIO()
    for piece in map_pieces(g, heading, start):
        buf.write(piece)
    return buf.getvalue()


_DATA_SLOT = "\x00graphmind-data\x00"


def map_pieces(g: nx.MultiDiGraph, heading: str = "GraphMind map", start: str = "auto"):
    """The page of a graph in memory as consecutive pieces of text (see ``render_map``)."""
    from ..store.store import Page

    return pages_pieces([Page.of_graph(g)], heading, start)


def pages_pieces(pages, heading: str = "GraphMind map", start: str = "auto"):
    """The page as pieces of text, its data built from ``pages`` of the graph in the map's
    document order (``pagemap.document_order``) one at a time (memory: one page, plus what
    spans documents)."""
    if start not in ("auto", "map", "overview"):
        raise GraphMindError("--start is auto, map or overview")
    script, css = _vis_assets()
    env = Environment(loader=FileSystemLoader(Path(__file__).parent), autoescape=select_autoescape(["html"]))
    page = env.get_template("map.html").render(
        heading=heading, data=_DATA_SLOT,
        vis_script=script.replace("</script", "<\\/script"), vis_css=css.replace("</style", "<\\/style"),
    )
    head, tail = page.split(_DATA_SLOT)
    yield head
    yield from build_map_data(pages, page_head(heading), lambda units: page_tail(units, start))
    yield tail


def write_map_from_store(store, path: str | Path, heading: str = "GraphMind map", start: str = "auto",
                         documents: list[str] | None = None, on_page=None, on_total=None,
                         page_size: int | None = None, also=None) -> tuple[Path, int]:
    """The map of the stored graph (or of these documents), read a page of documents at a
    time in the map's order and written piece by piece beside ``path``, then renamed; memory
    does not grow with the store. ``also``: called with each page as it is read (another
    writer of the same pages: ``graphmind build`` writes the RDF so). Returns the path and the
    number of units drawn."""
    from ..store import cypher
    from ..store.store import PAGE_DOCUMENTS

    size = page_size or PAGE_DOCUMENTS
    rows = [(r["id"], r["source"]) for r in store.read(cypher.ALL_DOCUMENT_SOURCES)]
    if documents is not None:
        wanted = set(documents)
        rows = [r for r in rows if r[0] in wanted]
    order = document_order(rows)
    if on_total:
        on_total(len(order))
    counted = {"units": 0}

    def pages():
        for page in store.pages_of((order[k:k + size] for k in range(0, len(order), size)), on_page=on_page):
            counted["units"] += sum(1 for _, labels, _ in page.nodes if "Unit" in labels)
            if also is not None:
                also(page)
            yield page

    return write_text_atomically(path, pages_pieces(pages(), heading, start)), counted["units"]


def write_text_atomically(path: str | Path, text) -> Path:
    """Write beside the final place and rename: a reader sees the old file or the new one.
    ``text``: a string, or pieces of one."""
    from .. import fsio

    with fsio.atomic_file(path) as f:
        if isinstance(text, str):
            f.write(text)
        else:
            for piece in text:
                f.write(piece)
    return Path(path)


def write_map(g: nx.MultiDiGraph, path: str | Path, **kwargs) -> Path:
    """Write the page piece by piece beside its final place, then rename."""
    return write_text_atomically(path, map_pieces(g, **kwargs))


def write_svg(g: nx.MultiDiGraph, path: str | Path, document: str | None = None, heading: str | None = None) -> tuple[Path, str]:
    """One document's argument map as SVG; without ``document``, the largest one. Returns
    the path and the document drawn."""
    from .svg import render_svg

    text, doc = render_svg(g, document, heading)
    return write_text_atomically(path, text), doc


def query_subgraph(g: nx.MultiDiGraph, rows: list[list]) -> nx.MultiDiGraph:
    """The nodes a query's rows name (any value that is a node id), with their documents
    and paragraphs (for provenance) and the relations among them."""
    picked = {v for row in rows for v in row if isinstance(v, str) and v in g}
    keep = set(picked)
    for n in picked:
        for key in ("document_id", "paragraph_id"):
            ref = g.nodes[n].get(key)
            if ref in g:
                keep.add(ref)
    return g.subgraph(keep).copy()
