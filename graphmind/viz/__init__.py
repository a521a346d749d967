"""Map stage: the meaning graph as one self-contained, offline, safe HTML file.

pyvis builds the network (nodes, edges, options) and ships vis-network; GraphMind renders
it with its own template (``map.html`` beside this file) because pyvis's templates load
Bootstrap from a CDN and insert titles and the heading as raw HTML. Here every piece of
text reaches the page as JSON inside an HTML-escaped attribute and is shown with
``textContent`` / vis-network's plain-text tooltips; the vis-network script and styles are
inlined, so the file makes no request at all.
"""

from __future__ import annotations

import json
from importlib import resources
from pathlib import Path

import networkx as nx
from jinja2 import Environment, FileSystemLoader, select_autoescape
from pyvis.network import Network

from ..exceptions import GraphMindError
from ..schema import load_schema

COLLAPSE_ABOVE = 2000  # units: bigger maps start collapsed by document
LABEL_CHARS = 42
FAMILY_STYLE = {
    "support": {"color": "#2e7d32", "dashes": False, "width": 2},
    "attack": {"color": "#d32f2f", "dashes": [8, 6], "width": 2.5},
    "structure": {"color": "#9e9e9e", "dashes": [2, 4], "width": 1},
}


class _IdList(list):
    """pyvis keeps node ids in a list and tests membership in it on every add_node and
    add_edge, which is quadratic; this is the same list with set-backed membership."""

    def __init__(self) -> None:
        super().__init__()
        self._members: set = set()

    def append(self, item) -> None:
        super().append(item)
        self._members.add(item)

    def __contains__(self, item) -> bool:
        return item in self._members


def _vis_assets() -> tuple[str, str]:
    lib = Path(resources.files("pyvis")) / "templates" / "lib" / "vis-9.1.2"
    return (lib / "vis-network.min.js").read_text(encoding="utf-8"), (lib / "vis-network.css").read_text(encoding="utf-8")


def _label(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= LABEL_CHARS else text[: LABEL_CHARS - 1].rstrip() + "…"


def _options(layout: str, units: int) -> dict:
    big = units > 500
    physics = {
        "enabled": True,
        # a bounded number of iterations: the layout settles, then physics is switched off
        # (each iteration costs O(n log n), so fewer of them on bigger maps)
        "stabilization": {"enabled": True, "iterations": 250 if units <= 500 else 150 if units <= 1000 else 60,
                          "updateInterval": 50, "fit": True},
    }
    opts = {
        "interaction": {"hover": True, "tooltipDelay": 120, "hideEdgesOnDrag": big, "multiselect": True},
        # "dynamic" smoothing adds a physics node per edge: curved but cheap "continuous" instead
        "edges": {"arrows": {"to": {"enabled": True, "scaleFactor": 0.6}},
                  "smooth": {"enabled": not big, "type": "continuous"},
                  "font": {"size": 10, "align": "middle"}},
        "nodes": {"font": {"size": 13}, "borderWidth": 1},
        "layout": {"improvedLayout": units <= 100, "randomSeed": 7},
    }
    if layout == "hierarchical":
        opts["layout"]["hierarchical"] = {"enabled": True, "direction": "DU", "sortMethod": "directed",
                                          "levelSeparation": 130, "nodeSpacing": 180, "shakeTowards": "roots"}
        physics.update({"solver": "hierarchicalRepulsion", "hierarchicalRepulsion": {"nodeDistance": 170}})
        if big:  # the levels already place every node; repulsion between thousands of them is slow
            physics["enabled"] = False
    else:
        physics.update({"solver": "barnesHut",
                        "barnesHut": {"gravitationalConstant": -4000, "springLength": 120, "avoidOverlap": 0.1}})
    opts["physics"] = physics
    return opts


def build_network(g: nx.MultiDiGraph, layout: str = "force", concepts: bool = False) -> tuple[Network, dict]:
    """A pyvis Network of the units (and optionally concepts) of ``g``, plus the page data
    (documents, legend) that the template needs."""
    if layout not in ("force", "hierarchical"):
        raise GraphMindError("--layout is hierarchical or force")
    schema = load_schema()
    rel_name = {r.rel: name for name, r in schema.relation_types.items()}
    net = Network(directed=True, height="100%", width="100%", cdn_resources="remote")
    net.node_ids = _IdList()
    docs = {n: d for n, d in g.nodes(data=True) if "Document" in d.get("labels", ())}
    pars = {n: d for n, d in g.nodes(data=True) if "Paragraph" in d.get("labels", ())}
    units = sorted(n for n, d in g.nodes(data=True) if "Unit" in d.get("labels", ()))
    for u in units:
        d = g.nodes[u]
        t = schema.unit_type(d.get("type", "claim"))
        doc = docs.get(d.get("document_id"), {})
        par = pars.get(d.get("paragraph_id"), {})
        where = f"paragraph {par.get('index', '?')}"
        if par.get("section"):
            where = f"{par['section']}, {where}"
        tooltip = (f"{d['text']}\n\n{t.label}" + (f" · cue: {d['cue']}" if d.get("cue") else "")
                   + f"\n{doc.get('title', '')} — {where}, characters {d.get('start')}–{d.get('end')}")
        inside = t.shape in ("box", "ellipse", "circle", "database", "text")
        net.add_node(u, label=_label(d["text"]), title=tooltip, color=t.color, shape=t.shape,
                     font={"color": "#ffffff" if inside else "#222222"},
                     kind="unit", unit_type=d.get("type"), document=d.get("document_id", ""),
                     text=d["text"], borderWidth=3 if d.get("central") else 1)
    unit_set = set(units)
    concept_ids = set()
    for a, b, d in sorted(g.edges(data=True), key=lambda e: (e[0], e[1], e[2].get("rel", ""))):
        name = rel_name.get(d.get("rel"))
        if name is None:
            continue
        if a in unit_set and b in unit_set and name in schema.argument_relations:
            family = schema.relation_types[name].family
            style = FAMILY_STYLE[family]
            net.add_edge(a, b, label=name, title=f"{name}" + (f" · cue: {d['cue']}" if d.get("cue") else ""),
                         color=style["color"], dashes=style["dashes"], width=style["width"], family=family)
        elif concepts and a in unit_set and name in ("mentions", "defines") and b in g:
            if b not in concept_ids:
                c = g.nodes[b]
                net.add_node(b, label=_label(c.get("label", "")), title=f"concept: {c.get('label', '')}",
                             color="#cfd8dc", shape="dot", size=6, kind="concept", unit_type="concept",
                             document="", text=c.get("label", ""), font={"size": 9})
                concept_ids.add(b)
            net.add_edge(a, b, color="#cfd8dc", width=0.5, family="concept", title=name)
    used_docs = sorted({g.nodes[u].get("document_id") for u in units} - {None},
                       key=lambda d: docs.get(d, {}).get("source", d))
    page = {
        "documents": [{"id": d, "title": docs.get(d, {}).get("title", d), "source": docs.get(d, {}).get("source", "")}
                      for d in used_docs],
        "types": [{"name": n, "label": t.label, "color": t.color, "shape": t.shape}
                  for n, t in schema.unit_types.items()],
        "families": [{"name": f, "color": s["color"], "dashed": bool(s["dashes"])}
                     for f, s in FAMILY_STYLE.items()],
        "collapse": len(units) > COLLAPSE_ABOVE,
        "units": len(units),
    }
    net.options = _options(layout, len(units))
    return net, page


def query_subgraph(g: nx.MultiDiGraph, rows: list[list]) -> nx.MultiDiGraph:
    """The nodes a query's rows name (any value that is a node id), with their documents
    and paragraphs (for tooltips) and the relations among them."""
    picked = {v for row in rows for v in row if isinstance(v, str) and v in g}
    keep = set(picked)
    for n in picked:
        for key in ("document_id", "paragraph_id"):
            ref = g.nodes[n].get(key)
            if ref in g:
                keep.add(ref)
    return g.subgraph(keep).copy()


def render_map(g: nx.MultiDiGraph, heading: str = "GraphMind map", layout: str = "force",
               concepts: bool = False) -> str:
    net, page = build_network(g, layout, concepts)
    data = {"nodes": net.nodes, "edges": net.edges, "options": net.options, **page}
    script, css = _vis_assets()
    env = Environment(loader=FileSystemLoader(Path(__file__).parent), autoescape=select_autoescape(["html"]))
    return env.get_template("map.html").render(
        heading=heading, data=json.dumps(data, ensure_ascii=False, separators=(",", ":")),
        vis_script=script.replace("</script", "<\\/script"), vis_css=css.replace("</style", "<\\/style"),
    )


def write_map(g: nx.MultiDiGraph, path: str | Path, **kwargs) -> Path:
    path = Path(path)
    if path.parent and not path.parent.exists():
        path.parent.mkdir(parents=True)
    path.write_text(render_map(g, **kwargs), encoding="utf-8")
    return path
