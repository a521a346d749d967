"""Linearize walks into a readable, regular text form with bracketed markers.

One line per unit: indentation (two spaces a level) shows the hierarchy, the marker says
what the unit is (``[PREMISE]``, ``[EXAMPLE]``, …; ``[ERROR]`` for an objection the author
rejects, ``[CONCESSION]`` for one the author grants, ``[REBUTTAL]`` for the author's answer
to either, ``[CORRECTION]`` for the author's unit attacking another of the author's), the
relation in parentheses says how it attaches to the line above it, and the unit's text
follows verbatim. Markers come from ``schemas/graph.json``.

An example is a header (repeated in every piece when it has to be split), a list of
blocks (a line and the blocks under it) and a footer (the synthesis). ``pack`` splits an
example that is over its token budget into coherent sub-trees without ever cutting a unit.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Callable

from .schema import load_schema
from .walk import GraphView, Macro, Scene, Step, Tree

INDENT = "  "
CHAIN_ARROW = " ⇐ "


@dataclass(frozen=True)
class Line:
    depth: int
    marker: str
    text: str
    rel: str | None = None
    unit: str | None = None  # the unit whose verbatim text this line carries
    units: tuple[str, ...] = ()  # all units quoted on the line (synthesis lines quote several)
    edge: tuple[str, str, str] | None = None  # (source, relation, target) the line shows

    def render(self) -> str:
        # a line is rendered again and again (each time ``pack`` tries a piece, and to count its
        # tokens): the text is made once and kept beside the fields (not one of them)
        text = self.__dict__.get("_rendered")
        if text is None:
            rel = f"({self.rel}) " if self.rel else ""
            text = f"{INDENT * self.depth}[{self.marker}] {rel}{self.text}"
            object.__setattr__(self, "_rendered", text)
        return text

    def unit_ids(self) -> tuple[str, ...]:
        return self.units or ((self.unit,) if self.unit else ())


@dataclass
class Block:
    line: Line
    children: list["Block"] = field(default_factory=list)

    def lines(self) -> list[Line]:
        out = [self.line]
        for child in self.children:
            out.extend(child.lines())
        return out


@dataclass
class Layout:
    header: list[Line]
    blocks: list[Block]
    footer: list[Line] = field(default_factory=list)

    def lines(self) -> list[Line]:
        out = list(self.header)
        for b in self.blocks:
            out.extend(b.lines())
        return out + list(self.footer)


def render(lines: list[Line]) -> str:
    return "\n".join(line.render() for line in lines)


def marker_for(view: GraphView, unit: str, rel: str | None = None, parent: str | None = None) -> str:
    """What a line says its unit is. An opposing unit is an objection (``[ERROR]``) or, when
    the author grants it, a concession; the author's unit attacking an opposing one is a
    rebuttal, attacking one of the author's own a correction; any other unit is marked by
    its type (``[PREMISE]``, ``[EXAMPLE]``, ...)."""
    schema = load_schema()
    if view.role(unit) == "opp":
        return schema.marker("concession" if unit in view.concessive else "error")
    if rel == "attacks":
        return schema.marker("rebuttal" if parent is not None and view.role(parent) == "opp" else "correction")
    return schema.marker(view.units[unit].get("type", "claim"))


def anchor_marker(view: GraphView, unit: str) -> str:
    """``[ANCHOR]`` for the author's central claim; an opposing unit keeps its own marker."""
    return load_schema().marker("anchor") if view.role(unit) == "pro" else marker_for(view, unit)


def tree_blocks(view: GraphView, tree: Tree, depth: int) -> list[Block]:
    """Blocks for the children of ``tree`` at ``depth``."""
    blocks = []
    for child in tree.children:
        line = Line(depth, marker_for(view, child.unit, child.rel, tree.unit), view.text(child.unit), child.rel,
                    child.unit, edge=(child.unit, child.rel, tree.unit) if child.rel else None)
        blocks.append(Block(line, tree_blocks(view, child, depth + 1)))
    return blocks


def longest_support_chain(tree: Tree) -> list[str]:
    """The longest chain of reasons under ``tree``: ``supports`` edges first, examples and
    images only where no reason continues the chain."""
    best: list[str] = []
    best_rank = (-1, -1)
    for child in tree.children:
        if child.rel in ("supports", "illustrates", "carries"):
            chain = longest_support_chain(child)
            rank = (child.rel == "supports", len(chain))
            if rank > best_rank:
                best, best_rank = chain, rank
    return [tree.unit] + best


def synthesis(view: GraphView, tree: Tree) -> list[Line]:
    if view.role(tree.unit) != "pro":
        return []
    chain = longest_support_chain(tree)
    if len(chain) < 2:
        return []
    text = CHAIN_ARROW.join(view.text(u) for u in chain)
    return [Line(0, load_schema().marker("synthesis"), text, None, None, tuple(chain))]


def micro_layout(view: GraphView, tree: Tree) -> Layout:
    root = Line(0, marker_for(view, tree.unit), view.text(tree.unit), None, tree.unit)
    return Layout([root], tree_blocks(view, tree, 1))


def meso_layout(view: GraphView, tree: Tree) -> Layout:
    anchor = Line(0, anchor_marker(view, tree.unit), view.text(tree.unit), None, tree.unit)
    return Layout([anchor], tree_blocks(view, tree, 1), synthesis(view, tree))


def walk_layout(view: GraphView, walk: list[tuple[Step | None, str]]) -> Layout:
    """A random walk, one line per unit, each attached to the line above it: ``(supports)``
    when the line's unit supports the one above (as in trees), ``(supported by)`` when the
    one above supports it."""
    schema = load_schema()
    first = walk[0][1]
    header = [Line(0, marker_for(view, first), view.text(first), None, first)]
    blocks = []
    previous = first
    for step, unit in walk[1:]:
        rel, forward = step
        if forward:  # the unit above is the source: this line is e.g. "supported by" it
            marker = marker_for(view, unit)
            label, edge = schema.relation_type(rel).inverse or rel, (previous, rel, unit)
        else:
            marker = marker_for(view, unit, rel, previous)
            label, edge = rel, (unit, rel, previous)
        blocks.append(Block(Line(0, marker, view.text(unit), label, unit, edge=edge)))
        previous = unit
    return Layout(header, blocks)


_ID_LIKE = re.compile(r"[0-9a-f]*\d[0-9a-f]*", re.IGNORECASE)


def usable_title(title: str | None) -> bool:
    """A title a reader would recognise as one: it has letters and is not a file id
    (``001_9670482e435a26bd``, a UUID, a date)."""
    if not title or not any(ch.isalpha() for ch in title):
        return False
    return not any(len(tok) >= 8 and _ID_LIKE.fullmatch(tok) for tok in re.split(r"[\W_]+", title))


def theme_lines(view: GraphView, doc: str, section: tuple[str, ...] = ()) -> list[str]:
    """The theme of a document or section as its text shows it: the document's title (when
    it is a real title) and the section's headings below it."""
    title = view.documents.get(doc, {}).get("title") or ""
    lines = [title] if usable_title(title) else []
    for heading in section:
        if heading and heading not in lines and usable_title(heading):
            lines.append(heading)
    return lines


def macro_layout(view: GraphView, macro: Macro) -> Layout:
    schema = load_schema()
    theme = schema.marker("theme")
    header = [Line(0, theme, t) for t in theme_lines(view, macro.documents[0], macro.section)]
    header.append(Line(0, anchor_marker(view, macro.anchor.unit), view.text(macro.anchor.unit), None,
                       macro.anchor.unit))
    blocks = tree_blocks(view, macro.anchor, 1)
    for claim in macro.claims:
        line = Line(0, marker_for(view, claim.unit), view.text(claim.unit), None, claim.unit)
        blocks.append(Block(line, tree_blocks(view, claim, 1)))
    for via, _label, other in macro.links:
        other_doc = view.units[other.unit]["document_id"]
        title = " / ".join(theme_lines(view, other_doc))
        link = Line(0, schema.marker("link"), title, via)
        anchor = Line(1, anchor_marker(view, other.unit), view.text(other.unit), None, other.unit)
        blocks.append(Block(link, [Block(anchor, tree_blocks(view, other, 2))]))
    return Layout(header, blocks, synthesis(view, macro.anchor))


# -- fitting a budget ----------------------------------------------------------------
def pack(layout: Layout, fits: Callable[[list[Line]], bool]) -> tuple[list[list[Line]], int]:
    """Split ``layout`` into pieces that each ``fits``. Every piece repeats the header; a
    block too big for a piece is split under its own line (repeated too); the footer (the
    synthesis) closes each piece it still fits in. Returns (pieces, number of blocks
    dropped because even alone under their parents' lines they do not fit)."""
    whole = layout.lines()
    if fits(whole):
        return [whole], 0
    dropped = 0

    def go(prefix: list[Line], blocks: list[Block]) -> list[list[Line]]:
        nonlocal dropped
        pieces: list[list[Line]] = []
        current: list[Line] = []
        for block in blocks:
            lines = block.lines()
            if fits(prefix + current + lines):
                current += lines
                continue
            if current:
                pieces.append(prefix + current)
                current = []
            if fits(prefix + lines):
                current = list(lines)
            elif block.children and fits(prefix + [block.line]):
                pieces.extend(go(prefix + [block.line], block.children))
            else:
                dropped += 1
        if current:
            pieces.append(prefix + current)
        return pieces

    pieces = go(list(layout.header), layout.blocks)
    if layout.footer:
        pieces = [p + layout.footer if fits(p + layout.footer) else p for p in pieces]
    return pieces, dropped


# -- symbols ----------------------------------------------------------------------------
SYMBOL_DASH = " — "


def symbol_text(view: GraphView, symbol: str) -> str:
    """How a symbol is written on its line: its glyph (or, without one, its name or label),
    then its gloss."""
    d = view.symbols[symbol]
    head = d.get("glyph") or d.get("name") or d.get("label") or ""
    return head + (SYMBOL_DASH + d["gloss"] if d.get("gloss") else "")


def symbol_line(view: GraphView, symbol: str, depth: int = 0, rel: str | None = None,
                units: tuple[str, ...] = ()) -> Line:
    return Line(depth, load_schema().marker("symbol"), symbol_text(view, symbol), rel, None, units)


def _scene_blocks(view: GraphView, scene: Scene, depth: int) -> list[Block]:
    blocks = []
    for tree in scene.trees:
        line = Line(depth, marker_for(view, tree.unit), view.text(tree.unit), scene.how.get(tree.unit), tree.unit)
        blocks.append(Block(line, tree_blocks(view, tree, depth + 1)))
    return blocks


def unfold_layout(view: GraphView, scene: Scene) -> Layout:
    """The symbol (the example's anchor) and, under it, the scene it compresses: each tree's
    root says how it attaches to the symbol (symbolized by, uses, evokes)."""
    return Layout([symbol_line(view, scene.symbol)], _scene_blocks(view, scene, 1))


def fold_layout(view: GraphView, scene: Scene, answer_only: bool = False) -> Layout:
    """The scene, then the symbol that compresses it (``answer_only``: the symbol's line
    alone, the answer of a task whose prompt quotes the scene)."""
    line = symbol_line(view, scene.symbol, 0, None, tuple(scene.units()))
    if answer_only:
        return Layout([line], [])
    return Layout([], _scene_blocks(view, Scene(scene.symbol, scene.trees, {}), 0), [line])
