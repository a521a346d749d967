"""Linearize walks into a readable, regular text form with bracketed markers.

One line per unit: indentation (two spaces a level) shows the hierarchy, the marker says
what the unit is (``[PREMISE]``, ``[EXAMPLE]``, …, or ``[ERROR]`` for an attack), the
relation in parentheses says how it attaches to the line above it, and the unit's text
follows verbatim. Markers come from ``schemas/graph.json``.

An example is a header (repeated in every piece when it has to be split), a list of
blocks (a line and the blocks under it) and a footer (the synthesis). ``pack`` splits an
example that is over its token budget into coherent sub-trees without ever cutting a unit.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable

from .schema import load_schema
from .walk import GraphView, Macro, Tree

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

    def render(self) -> str:
        rel = f"({self.rel}) " if self.rel else ""
        return f"{INDENT * self.depth}[{self.marker}] {rel}{self.text}"

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


def _marker_for(view: GraphView, unit: str, rel: str | None) -> str:
    schema = load_schema()
    if rel == "attacks":
        return schema.marker("error")
    return schema.marker(view.units[unit].get("type", "claim"))


def tree_blocks(view: GraphView, tree: Tree, depth: int) -> list[Block]:
    """Blocks for the children of ``tree`` at ``depth``."""
    blocks = []
    for child in tree.children:
        line = Line(depth, _marker_for(view, child.unit, child.rel), view.text(child.unit), child.rel, child.unit)
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
    chain = longest_support_chain(tree)
    if len(chain) < 2:
        return []
    text = CHAIN_ARROW.join(view.text(u) for u in chain)
    return [Line(0, load_schema().marker("synthesis"), text, None, None, tuple(chain))]


def micro_layout(view: GraphView, tree: Tree) -> Layout:
    root = Line(0, _marker_for(view, tree.unit, None), view.text(tree.unit), None, tree.unit)
    return Layout([root], tree_blocks(view, tree, 1))


def meso_layout(view: GraphView, tree: Tree) -> Layout:
    anchor = Line(0, load_schema().marker("anchor"), view.text(tree.unit), None, tree.unit)
    return Layout([anchor], tree_blocks(view, tree, 1), synthesis(view, tree))


def walk_layout(view: GraphView, walk: list[tuple[str | None, str]]) -> Layout:
    first = walk[0][1]
    header = [Line(0, _marker_for(view, first, None), view.text(first), None, first)]
    blocks = [
        Block(Line(0, _marker_for(view, unit, step.strip("<->") if step else None), view.text(unit), step, unit))
        for step, unit in walk[1:]
    ]
    return Layout(header, blocks)


def macro_layout(view: GraphView, macro: Macro) -> Layout:
    schema = load_schema()
    theme = schema.marker("theme")
    header = [Line(0, theme, t) for t in macro.theme if t]
    header.append(Line(0, schema.marker("anchor"), view.text(macro.anchor.unit), None, macro.anchor.unit))
    blocks = tree_blocks(view, macro.anchor, 1)
    for claim in macro.claims:
        line = Line(0, _marker_for(view, claim.unit, None), view.text(claim.unit), None, claim.unit)
        blocks.append(Block(line, tree_blocks(view, claim, 1)))
    for via, label, other in macro.links:
        title = view.documents[view.units[other.unit]["document_id"]].get("title", "")
        link = Line(0, schema.marker("link"), f"{title}", f"{via}: {label}" if label else via)
        anchor = Line(1, schema.marker("anchor"), view.text(other.unit), None, other.unit)
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
