"""One document's argument map as a static SVG (for Obsidian notes and documents): the same
layout and styles as the HTML map, every piece of text escaped for XML, no script, no
external reference."""

from __future__ import annotations

import re
from xml.sax.saxutils import escape, quoteattr

import networkx as nx

from ..exceptions import GraphMindError
from ..schema import load_schema
from . import layout as L
from .mapdata import collect, unit_tooltip
from .style import FONT_STACK, HANG_COLOR, TEXT_COLOR, fill, relation_style, tag

MARGIN = 30
LEGEND_H = 46
# characters XML 1.0 does not allow, even escaped
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def _text(value) -> str:
    return escape(_NOT_XML.sub("\ufffd", str(value)))


def _attr(value) -> str:
    return quoteattr(_NOT_XML.sub("\ufffd", str(value)), {"\n": "&#10;", "\r": "&#13;", "\t": "&#9;"})


def document_subgraph(g: nx.MultiDiGraph, document: str | None) -> tuple[nx.MultiDiGraph, str]:
    """The units of one document (the one with most units when ``document`` is None), with
    their paragraphs, the document node and the relations among them."""
    counts: dict[str, int] = {}
    for _, d in g.nodes(data=True):
        if "Unit" in d.get("labels", ()):
            doc = d.get("document_id") or ""
            counts[doc] = counts.get(doc, 0) + 1
    if not counts:
        raise GraphMindError("the graph has no units to draw; ingest some notes first (graphmind ingest PATH)")
    if document is None:
        document = min(counts, key=lambda k: (-counts[k], k))
    elif document not in counts:
        raise GraphMindError(f"no units found for document {document}; "
                             "list documents with: graphmind query document_overview")
    keep = {document} if document in g else set()
    for n, d in g.nodes(data=True):
        if d.get("document_id") == document and ({"Unit", "Paragraph"} & set(d.get("labels", ()))):
            keep.add(n)
    units = [n for n in keep if "Unit" in g.nodes[n].get("labels", ())]
    keep |= {s for u in units for s in list(g.predecessors(u)) + list(g.successors(u))
             if "Symbol" in g.nodes[s].get("labels", ())}
    return g.subgraph(keep).copy(), document


def render_svg(g: nx.MultiDiGraph, document: str | None = None, heading: str | None = None) -> tuple[str, str]:
    """The SVG text and the id of the document drawn."""
    sub, document = document_subgraph(g, document)
    data = collect(sub)
    schema = load_schema()
    block = data.layout.documents[document]
    doc = data.doc_props.get(document, {})
    title = heading or doc.get("title") or document
    symbols = data.symbols
    width = max(block.w, 420) + 2 * MARGIN
    height = block.h + 2 * MARGIN + LEGEND_H + (SYMBOL_ROW * (len(symbols) + 1) if symbols else 0)
    ox, oy = MARGIN - block.x, MARGIN - block.y
    out = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width:.0f}" height="{height:.0f}" '
        f'viewBox="0 0 {width:.0f} {height:.0f}" font-family={_attr(FONT_STACK)} role="img">',
        f"<title>{_text(title)} — argument map</title>",
        "<defs>",
    ]
    for name in schema.argument_relations:
        color, _, _ = relation_style(name, schema.relation_types[name].family)
        out.append(f'<marker id="arrow-{name}" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="6" '
                   f'markerHeight="6" markerUnits="strokeWidth" orient="auto"><path d="M0,0 L10,5 L0,10 z" '
                   f'fill="{color}"/></marker>')
    out += ["</defs>", f'<rect width="{width:.0f}" height="{height:.0f}" fill="#ffffff"/>']
    n_units = len(data.graph_units)
    out.append(f'<text x="{MARGIN}" y="{MARGIN + L.HEADER_H / 2 + 2:.1f}" font-size="{L.TITLE_FONT}" '
               f'font-weight="bold" fill="{TEXT_COLOR}">{_text(title)}<tspan font-size="{L.TAG_FONT + 3}" '
               f'font-weight="normal" fill="#666666">  · {n_units} unit{"s" if n_units != 1 else ""}</tspan></text>')
    pos = {u: (p.x + ox, p.y + oy, p.w, p.h) for u, p in data.layout.units.items()}
    out.append('<g fill="none">')
    related = set()
    for a, b, name, d in data.edges:
        related.add((a, b))
        color, dashes, w = relation_style(name, schema.relation_types[name].family)
        tip = name + (f" · cue: {d['cue']}" if d.get("cue") else "") + f" · confidence {float(d.get('confidence') or 0):.2f}"
        out.append(f'<path class="relation {name}" d="{_curve(pos[a], pos[b])}" stroke="{color}" stroke-width="{w}"'
                   + (f' stroke-dasharray="{" ".join(map(str, dashes))}"' if dashes else "")
                   + f' marker-end="url(#arrow-{name})"><title>{_text(tip)}</title></path>')
    for u, p in data.layout.units.items():  # units without relations hang below their paragraph's central unit
        if p.parent is not None and (u, p.parent) not in related:
            out.append(f'<path d="{_curve(pos[u], pos[p.parent])}" stroke="{HANG_COLOR}" stroke-width="1" '
                       'stroke-dasharray="2 4"/>')
    out.append("</g>")
    for u in data.graph_units:
        d = data.unit_props[u]
        x, y, w, h = pos[u]
        t = schema.unit_type(d.get("type", "claim"))
        left, top = x - w / 2, y - h / 2
        central, opp = bool(d.get("central")), d.get("role") == "opp"
        label = t.label.upper() + (" · CENTRAL" if central else "") + (" · OPPOSING VOICE" if opp else "")
        tip = unit_tooltip(d, t.label, doc, data.par_props.get(d.get("paragraph_id"), {}))
        out.append(f"<g id={_attr(u)} class={_attr('unit ' + t.name)}><title>{_text(tip)}</title>")
        out.append(f'<rect x="{left:.1f}" y="{top:.1f}" width="{w:.0f}" height="{h:.0f}" rx="7" fill="{fill(t.color)}" '
                   f'stroke="{t.color}" stroke-width="{2.6 if central else 1.3}"'
                   + (' stroke-dasharray="6 4"' if opp else "") + "/>")
        out.append(f'<text x="{left + L.PAD:.1f}" y="{top + L.PAD + L.TAG_FONT - 1:.1f}" font-size="{L.TAG_FONT}" '
                   f'font-weight="bold" fill="{tag(t.color)}">{_text(label)}</text>')
        badges = "".join(sym["glyph"] for sym in symbols if sym["glyph"] and u in sym["members"])
        if badges:  # the glyphs of the symbols that stand for this unit
            out.append(f'<text class="symbol-badge" x="{left + w - L.PAD:.1f}" y="{top + L.PAD + L.TAG_FONT + 1:.1f}" '
                       f'font-size="{L.TAG_FONT + 4}" text-anchor="end" fill="#7b1fa2">{_text(badges)}</text>')
        lines = data.layout.units[u].lines
        first = top + L.PAD + L.TAG_H + L.FONT - 1
        tspans = "".join(f'<tspan x="{left + L.PAD:.1f}" y="{first + k * L.LINE:.1f}">{_text(line)}</tspan>'
                         for k, line in enumerate(lines))
        out.append(f'<text font-size="{L.FONT}" fill="{TEXT_COLOR}">{tspans}</text></g>')
    out.append(_legend(schema, MARGIN, block.h + 2 * MARGIN + 14))
    if symbols:
        out.append(_symbols(symbols, MARGIN, block.h + 2 * MARGIN + LEGEND_H))
    out.append("</svg>")
    return "\n".join(out) + "\n", document


def _curve(src: tuple, dst: tuple) -> str:
    """A vertical cubic curve from the source box to the target box (up when the target is higher)."""
    sx, sy, _, sh = src
    tx, ty, tw, th = dst
    # arrows into one box arrive side by side along its edge, each towards where it comes from
    tx += max(-(tw / 2 - 18), min(tw / 2 - 18, (sx - tx) * 0.2))
    if sy > ty:
        y0, y1 = sy - sh / 2, ty + th / 2
    elif sy < ty:
        y0, y1 = sy + sh / 2, ty - th / 2
    else:
        y0 = y1 = sy - sh / 2
    bend = max(abs(y1 - y0) * 0.45, 30) * (-1 if y1 <= y0 else 1)
    return f"M{sx:.1f},{y0:.1f} C{sx:.1f},{y0 + bend:.1f} {tx:.1f},{y1 - bend:.1f} {tx:.1f},{y1:.1f}"


SYMBOL_ROW = 20


def _symbols(symbols: list[dict], x: float, y: float) -> str:
    """The symbols that stand for units of the drawing or are written in them: glyph,
    label and gloss (the gloss also in the row's title)."""
    parts = [f'<g class="symbols" font-size="13" fill="{TEXT_COLOR}">',
             f'<text x="{x:.0f}" y="{y:.0f}" font-weight="bold" fill="#7b1fa2">Symbols</text>']
    for k, sym in enumerate(symbols, start=1):
        head = " ".join(p for p in (sym["glyph"], sym["label"] if sym["label"] != sym["glyph"] else "") if p)
        gloss = sym["gloss"] or ("(undefined)" if not sym["defined"] else "")
        tip = head + (f" — {gloss}" if gloss else "") + f" · {len(sym['members'])} units, {len(sym['uses'])} uses"
        parts.append(f'<text class="symbol" x="{x:.0f}" y="{y + k * SYMBOL_ROW:.0f}"><title>{_text(tip)}</title>'
                     f'<tspan font-weight="bold" fill="#7b1fa2">{_text(head)}</tspan>'
                     + (f"<tspan> — {_text(gloss)}</tspan>" if gloss and gloss != sym["label"] else "") + "</text>")
    parts.append("</g>")
    return "".join(parts)


def _legend(schema, x: float, y: float) -> str:
    parts = ['<g font-size="12" fill="#444444">']
    for name in schema.argument_relations:
        color, dashes, w = relation_style(name, schema.relation_types[name].family)
        parts.append(f'<line x1="{x:.0f}" y1="{y:.0f}" x2="{x + 28:.0f}" y2="{y:.0f}" stroke="{color}" stroke-width="{w}"'
                     + (f' stroke-dasharray="{" ".join(map(str, dashes))}"' if dashes else "") + "/>")
        parts.append(f'<text x="{x + 34:.0f}" y="{y + 4:.0f}">{_text(name)}</text>')
        x += 34 + L.text_width(name, 12) + 22
    parts.append("</g>")
    return "".join(parts)
