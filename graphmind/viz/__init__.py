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

import json
from importlib import resources
from pathlib import Path

import networkx as nx
from jinja2 import Environment, FileSystemLoader, select_autoescape

from ..exceptions import GraphMindError
from ..schema import load_schema
from . import layout as L
from .mapdata import LINK_KINDS, MapData, collect, page_units
from .style import FONT_STACK, HANG_COLOR, TEXT_COLOR, fill, relation_style, tag

OVERVIEW_ABOVE = 2000  # units: bigger maps open on the overview (one node per document)
ALL_TREES_MAX = 5000  # units: up to this many, every document's map can be shown side by side
MIN_SCREEN_FONT = 12  # px: the first view zooms so that a box's text is at least this big
INVERSE = {"supports": "supported by", "attacks": "attacked by", "illustrates": "illustrated by",
           "carries": "carried by", "answers": "answered by"}


def _vis_assets() -> tuple[str, str]:
    lib = Path(resources.files("pyvis")) / "templates" / "lib" / "vis-9.1.2"
    return (lib / "vis-network.min.js").read_text(encoding="utf-8"), (lib / "vis-network.css").read_text(encoding="utf-8")


def _json_for_script(value) -> str:
    """JSON that is safe inside a <script> element: no "<" can end it or open a comment."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def page_data(data: MapData, heading: str, start: str = "auto") -> dict:
    schema = load_schema()
    pars, units, edges, docs, concepts = page_units(data)
    if start == "auto":
        start = "overview" if len(units) > OVERVIEW_ABOVE else "map"
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
        "documents": docs,
        "paragraphs": pars,
        "units": units,
        "edges": edges,
        "concepts": concepts,
        "symbols": symbol_rows(data),
        "links": [[a, b, [kinds.get(k, 0) for k in LINK_KINDS], direction, detail]
                  for a, b, kinds, direction, detail in data.links],
        "linkKinds": list(LINK_KINDS),
        "limits": {"overviewAbove": OVERVIEW_ABOVE, "allTrees": ALL_TREES_MAX},
        "start": start,
    }


def symbol_rows(data: MapData) -> list[list]:
    """Symbols for the page: [id, glyph, label, gloss, origin, defined, member unit indexes,
    member concept labels, indexes of the units that write or name it]."""
    index = {u: k for k, u in enumerate(data.graph_units)}
    return [[s["id"], s["glyph"], s["label"], s["gloss"], s["origin"], s["defined"],
             sorted(index[u] for u in s["members"]), s["concepts"], sorted(index[u] for u in s["uses"])]
            for s in data.symbols]


def render_map(g: nx.MultiDiGraph, heading: str = "GraphMind map", start: str = "auto") -> str:
    """The whole page. ``start``: "map" (every document's argument map side by side),
    "overview" (one node per document), or "auto" (the overview above OVERVIEW_ABOVE units)."""
    import io

    buf = io.StringIO()
    for piece in map_pieces(g, heading, start):
        buf.write(piece)
    return buf.getvalue()


_DATA_SLOT = "\x00graphmind-data\x00"
_CHUNK = 512  # list items encoded at once


def _json_pieces(value):
    """``_json_for_script(value)`` in pieces: long lists are encoded some items at a time, so
    the page's data never sits in memory as one string (the same bytes)."""
    if isinstance(value, dict):
        yield "{"
        for k, (key, item) in enumerate(value.items()):
            yield ("," if k else "") + _json_for_script(key) + ":"
            yield from _json_pieces(item)
        yield "}"
    elif isinstance(value, list) and len(value) > _CHUNK:
        yield "["
        for k in range(0, len(value), _CHUNK):
            yield ("," if k else "") + _json_for_script(value[k:k + _CHUNK])[1:-1]
        yield "]"
    else:
        yield _json_for_script(value)


def map_pieces(g: nx.MultiDiGraph, heading: str = "GraphMind map", start: str = "auto"):
    """The page as consecutive pieces of text (see ``render_map``)."""
    if start not in ("auto", "map", "overview"):
        raise GraphMindError("--start is auto, map or overview")
    data = page_data(collect(g), heading, start)
    script, css = _vis_assets()
    env = Environment(loader=FileSystemLoader(Path(__file__).parent), autoescape=select_autoescape(["html"]))
    page = env.get_template("map.html").render(
        heading=heading, data=_DATA_SLOT,
        vis_script=script.replace("</script", "<\\/script"), vis_css=css.replace("</style", "<\\/style"),
    )
    head, tail = page.split(_DATA_SLOT)
    yield head
    yield from _json_pieces(data)
    yield tail


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


# What the HTML map reads of the graph (``collect``, ``page_units``): read only this, the
# graph of a vault is a fraction of its whole (no sections, no structural edges, no unused
# properties, ids shared).
MAP_FIELDS = {
    "Unit": ("document_id", "paragraph_id", "text", "start", "end", "central", "role", "type", "cue", "confidence"),
    "Paragraph": ("document_id", "index", "text", "section", "speaker", "kind"),
    "Document": ("id", "title", "source"),
    "Concept": ("label",),
    "Symbol": ("glyph", "label", "gloss", "origin", "defined"),
}


def map_edge_fields() -> dict[str, tuple[str, ...]]:
    schema = load_schema()
    out = {schema.relation_types[name].rel: ("cue", "confidence") for name in schema.argument_relations}
    out[schema.relation_types["links_to"].rel] = ("alias",)
    for name in ("mentions", "defines", "symbolizes", "uses", "evokes"):
        out[schema.relation_types[name].rel] = ()
    return out


def read_map_graph(store, documents: list[str] | None = None, on_page=None):
    """The part of the stored graph the HTML map draws (``MAP_FIELDS``), as ``GraphStore.load_graph``
    reads it: ``write_map`` over it writes the same page as over the whole graph."""
    return store.load_graph(documents=documents, on_page=on_page, fields=MAP_FIELDS, edge_fields=map_edge_fields())


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
