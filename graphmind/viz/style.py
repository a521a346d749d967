"""Colours and line styles shared by the HTML map and the SVG export.

Unit colours come from ``schemas/graph.json``; a box is filled with a light tint of its
type's colour, bordered with the colour itself, and its type tag is written in a darker
shade so that it stays readable on the tint.
"""

from __future__ import annotations

FONT_STACK = "Arial, 'Liberation Sans', Helvetica, 'DejaVu Sans', sans-serif"
TEXT_COLOR = "#1b1f24"
HANG_COLOR = "#b0b7bf"  # the thin line from a unit without relations to its paragraph's central unit

# per relation type: colour, dash pattern (None: solid), width
RELATION_STYLE = {
    "supports": ("#2e7d32", None, 2.2),
    "attacks": ("#d32f2f", [8, 6], 2.6),
    "illustrates": ("#558b2f", [2, 5], 2.0),
    "carries": ("#ef6c00", [10, 4, 2, 4], 2.0),
    "answers": ("#546e7a", None, 1.6),
}
FAMILY_STYLE = {  # the legend and anything else that only knows the family
    "support": ("#2e7d32", None, 2.2),
    "attack": ("#d32f2f", [8, 6], 2.6),
    "structure": ("#546e7a", None, 1.6),
}


def relation_style(name: str, family: str) -> tuple[str, list[int] | None, float]:
    return RELATION_STYLE.get(name) or FAMILY_STYLE.get(family) or FAMILY_STYLE["structure"]


def _rgb(color: str) -> tuple[int, int, int]:
    c = color.lstrip("#")
    if len(c) == 3:
        c = "".join(ch * 2 for ch in c)
    return int(c[0:2], 16), int(c[2:4], 16), int(c[4:6], 16)


def _hex(rgb) -> str:
    return "#" + "".join(f"{max(0, min(255, round(v))):02x}" for v in rgb)


def mix(color: str, other: str, share: float) -> str:
    """``color`` moved ``share`` of the way towards ``other``."""
    a, b = _rgb(color), _rgb(other)
    return _hex(x + (y - x) * share for x, y in zip(a, b))


def fill(color: str) -> str:
    return mix(color, "#ffffff", 0.86)


def tag(color: str) -> str:
    return mix(color, "#000000", 0.38)
