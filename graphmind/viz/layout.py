"""Argument-map layout, computed once in Python so the page opens without simulating anything.

Each document becomes a forest drawn top-down: the claim a unit supports, attacks,
illustrates, carries (or the question it answers) stands above it. Rows come from the
longest path over the argument relations (cycles are broken first), so every relation that
is not part of a cycle points from a lower row to a higher one. Each unit hangs below one
of its targets (its tree parent); units with no argument relation hang below the central
unit of their paragraph. Siblings are placed side by side with a tidy-tree pass over
subtree contours, connected groups of trees are packed onto shelves under the document's
title, and documents are packed the same way, largest first.

Everything here is plain data in, plain data out; the same result feeds the HTML map and the
SVG export. Sizes are in canvas pixels at zoom 1.
"""

from __future__ import annotations

import math
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache

# -- boxes ------------------------------------------------------------------------------
FONT = 14  # statement text
LINE = 18  # line height of the statement text
TAG_FONT = 10  # the small type tag above the text
TAG_H = 16
TITLE_FONT = 22  # a document's title above its map
HEADER_H = 40
PAD = 10
BOX_W = 300
TEXT_W = BOX_W - 2 * PAD
MAX_LINES = 4
H_GAP = 26  # between neighbouring boxes of one row
V_GAP = 56  # between rows
BLOCK_GAP = 70  # between groups of trees of one document
DOC_GAP = 180  # between documents
ASPECT = 1.6  # shelves aim at this width:height

# Advance widths in 1/1000 em of Helvetica/Arial (and of Liberation Sans, metric-compatible
# with Arial and the first face of the page's font stack on Debian) for printable ASCII,
# from space to tilde; other scripts are estimated. Close enough to wrap text to the box.
_ASCII = [278, 278, 355, 556, 556, 889, 667, 191, 333, 333, 389, 584, 278, 333, 278, 278,
          556, 556, 556, 556, 556, 556, 556, 556, 556, 556, 278, 278, 584, 584, 584, 556,
          1015, 667, 667, 722, 722, 667, 611, 778, 722, 278, 500, 667, 556, 833, 722, 778,
          667, 778, 722, 667, 611, 722, 667, 944, 667, 667, 611, 278, 278, 278, 469, 556,
          333, 556, 556, 500, 556, 556, 278, 556, 556, 222, 222, 500, 222, 833, 556, 556,
          556, 556, 333, 500, 278, 556, 500, 722, 500, 500, 500, 334, 260, 334, 584]
_CYRILLIC_WIDE = set("жшщюфыЖШЩЮФЫмМ")


def _char_em(ch: str) -> float:
    o = ord(ch)
    if 32 <= o < 127:
        return _ASCII[o - 32] / 1000
    if unicodedata.combining(ch) or unicodedata.category(ch) == "Cf":
        return 0.0
    if unicodedata.east_asian_width(ch) in ("W", "F"):
        return 1.0
    if "\u0400" <= ch <= "\u04ff":
        return 0.83 if ch in _CYRILLIC_WIDE else 0.72 if ch.isupper() else 0.57
    base = unicodedata.normalize("NFD", ch)[0]
    if base != ch and 32 <= ord(base) < 127:  # é, ö, ñ, ...
        return _ASCII[ord(base) - 32] / 1000
    if ch in "\u2014\u2026":  # em dash, ellipsis
        return 1.0
    return 0.6


_EM: dict[str, float] = {}


def char_em(ch: str) -> float:
    em = _EM.get(ch)
    if em is None:
        em = _EM[ch] = _char_em(ch)
    return em


@lru_cache(maxsize=65536)
def _word_em(word: str) -> float:
    return sum(map(char_em, word))


def text_width(text: str, size: float = FONT) -> float:
    return size * (_word_em(text) if len(text) <= 40 else sum(map(char_em, text)))


def _clean(text: str) -> str:
    """One line of printable text: white space collapsed, control characters and lone
    surrogates dropped (format characters such as the zero-width joiner stay)."""
    if not text.isprintable():
        text = "".join(c for c in text if unicodedata.category(c) not in ("Cc", "Cs") or c in "\t\n\r")
    return " ".join(text.split())


def wrap(text: str, width: float = TEXT_W - 6, size: float = FONT, max_lines: int = MAX_LINES) -> list[str]:
    """Word-wrap ``text`` to lines no wider than ``width`` pixels (about 40 characters at the
    map's font); a word longer than a line is cut; more than ``max_lines`` lines end in "…"."""
    words = _clean(text).split(" ")
    lines: list[str] = []
    line, used = "", 0.0
    space = text_width(" ", size)
    for word in words:
        w = text_width(word, size)
        if line and used + space + w <= width:
            line, used = line + " " + word, used + space + w
            continue
        if line:
            lines.append(line)
        line, used = word, w
        while used > width:  # a word longer than the line: cut it
            cut, acc = 0, 0.0
            for k, ch in enumerate(line):
                acc += text_width(ch, size)
                if acc > width:
                    cut = max(k, 1)
                    break
            lines.append(line[:cut])
            line = line[cut:]
            used = text_width(line, size)
        if len(lines) > max_lines:
            break
    if line:
        lines.append(line)
    if len(lines) > max_lines:
        last = lines[max_lines - 1]
        while last and text_width(last + " …", size) > width:
            last = last[:-1]
        lines = lines[: max_lines - 1] + [last.rstrip(" ,;:") + "…"]
    return lines or [""]


def box_height(lines: int) -> float:
    return PAD + TAG_H + lines * LINE + PAD - 4


# -- input and output -------------------------------------------------------------------
@dataclass
class LUnit:
    """What the layout needs to know of a unit."""

    id: str
    document: str
    paragraph: str
    order: tuple  # reading order within its document (paragraph index, start)
    text: str
    central: bool = False


@dataclass
class LEdge:
    """An argument relation: ``source`` hangs below ``target`` (answers: the answer below the question)."""

    source: str
    target: str


@dataclass
class Placed:
    id: str
    x: float  # centre
    y: float  # centre
    w: float
    h: float
    row: int
    parent: str | None  # the unit it hangs below (None: a root of its document)
    lines: list[str]


@dataclass
class DocBlock:
    id: str
    x: float  # top-left
    y: float
    w: float
    h: float
    title_y: float  # centre of the title line
    root: str | None  # the document's main claim: the root of its largest tree
    units: int = 0


@dataclass
class Layout:
    units: dict[str, Placed] = field(default_factory=dict)
    documents: dict[str, DocBlock] = field(default_factory=dict)
    back_edges: set = field(default_factory=set)  # (source, target) pairs left out to break cycles


# -- one document -----------------------------------------------------------------------
def _break_cycles(nodes: list[str], out: dict[str, list[str]]) -> set[tuple[str, str]]:
    """Edges that close a cycle, found by a depth-first search in reading order."""
    state: dict[str, int] = {}  # 1 on the stack, 2 done
    back = set()
    for start in nodes:
        if start in state:
            continue
        state[start] = 1
        stack = [(start, iter(out[start]))]
        while stack:
            node, it = stack[-1]
            nxt = next(it, None)
            if nxt is None:
                state[node] = 2
                stack.pop()
            elif state.get(nxt) == 1:
                back.add((node, nxt))
            elif nxt not in state:
                state[nxt] = 1
                stack.append((nxt, iter(out[nxt])))
    return back


def _rows(nodes: list[str], out: dict[str, list[str]]) -> dict[str, int]:
    """Longest path to a sink over an acyclic ``out``: sinks are row 0."""
    row: dict[str, int] = {}
    for start in nodes:
        if start in row:
            continue
        stack = [start]
        while stack:
            node = stack[-1]
            todo = [t for t in out[node] if t not in row]
            if todo:
                stack.extend(todo)
                continue
            stack.pop()
            if node not in row:
                row[node] = 1 + max((row[t] for t in out[node]), default=-1)
    return row


class _Contour:
    """Leftmost and rightmost extent per row of a placed subtree, relative to ``shift``."""

    __slots__ = ("rows", "shift")

    def __init__(self, row: int, half: float):
        self.rows = {row: [-half, half]}
        self.shift = 0.0


def _tidy(root_children: list[str], children: dict[str, list[str]], row: dict[str, int],
          width: dict[str, float]) -> dict[str, float]:
    """x of every node below a virtual root: each parent centred over its children,
    neighbouring subtrees pushed apart row by row until no two boxes are closer than
    H_GAP. Contours are merged small into large, so the pass is O(n log n)."""
    rel: dict[str, float] = {}  # offset of a node from its parent
    contour: dict[str, _Contour] = {}
    order: list[str] = []  # post-order, iteratively
    stack = [(c, False) for c in reversed(root_children)]
    while stack:
        node, done = stack.pop()
        if done:
            order.append(node)
            continue
        stack.append((node, True))
        stack.extend((c, False) for c in reversed(children.get(node, ())))

    def place(kids: list[str]) -> tuple[_Contour | None, float]:
        """Place sibling subtrees left to right; returns their merged contour and the
        midpoint of the first and last sibling (before centring)."""
        acc: _Contour | None = None
        offsets = []
        for c in kids:
            cc = contour.pop(c)
            if acc is None:
                off = 0.0
            else:
                small, large = (cc, acc) if len(cc.rows) <= len(acc.rows) else (acc, cc)
                off = -math.inf
                for r in small.rows:
                    if r in large.rows:
                        right = acc.rows[r][1] + acc.shift
                        left = cc.rows[r][0] + cc.shift
                        off = max(off, right - left + H_GAP)
                if off == -math.inf:
                    off = 0.0
                off = max(off, offsets[-1])  # keep reading order left to right
            offsets.append(off)
            if acc is None:
                acc = cc
                continue
            cc.shift += off
            # merge the smaller contour into the larger one
            if len(cc.rows) > len(acc.rows):
                keep, other, other_is_right = cc, acc, False
            else:
                keep, other, other_is_right = acc, cc, True
            for r, (lo, hi) in other.rows.items():
                lo, hi = lo + other.shift - keep.shift, hi + other.shift - keep.shift
                mine = keep.rows.get(r)
                if mine is None:
                    keep.rows[r] = [lo, hi]
                elif other_is_right:
                    mine[1] = hi
                else:
                    mine[0] = lo
            acc = keep
        for c, off in zip(kids, offsets):
            rel[c] = off
        return acc, (offsets[0] + offsets[-1]) / 2 if offsets else 0.0

    for node in order:
        kids = children.get(node, [])
        half = width[node] / 2
        if not kids:
            contour[node] = _Contour(row[node], half)
            continue
        acc, mid = place(kids)
        for c in kids:
            rel[c] -= mid
        acc.shift -= mid
        mine = acc.rows.get(row[node])
        if mine is None:
            acc.rows[row[node]] = [-half - acc.shift, half - acc.shift]
        else:  # cannot happen in a tree whose children are one row down; kept safe
            mine[0] = min(mine[0], -half - acc.shift)
            mine[1] = max(mine[1], half - acc.shift)
        contour[node] = acc
    acc, mid = place(root_children)
    xs: dict[str, float] = {}
    for c in root_children:
        xs[c] = rel[c] - mid
    for node in reversed(order):  # parents before children
        for c in children.get(node, ()):
            xs[c] = xs[node] + rel[c]
    return xs


def _shelves(blocks: list[tuple[float, float]], gap: float, max_width: float) -> tuple[list[tuple[float, float]], float, float]:
    """Top-left corners for blocks (w, h) packed left to right onto shelves of at most
    ``max_width``, in the given order; also the total width and height."""
    pos, x, y, shelf_h, total_w = [], 0.0, 0.0, 0.0, 0.0
    for w, h in blocks:
        if x > 0 and x + w > max_width:
            y += shelf_h + gap
            x, shelf_h = 0.0, 0.0
        pos.append((x, y))
        x += w + gap
        shelf_h = max(shelf_h, h)
        total_w = max(total_w, x - gap)
    return pos, total_w, y + shelf_h


def _shelf_width(blocks: list[tuple[float, float]], gap: float) -> float:
    area = sum((w + gap) * (h + gap) for w, h in blocks)
    return max(max((w for w, _ in blocks), default=0.0), math.sqrt(area * ASPECT))


def layout_document(units: list[LUnit], edges: list[LEdge]) -> tuple[dict[str, Placed], float, float, str | None, set]:
    """One document's map, with its top-left corner at (0, 0) and the title line above
    the boxes. Returns the placed units, the width and height, the main claim (root of the
    largest tree, central ones first) and the edges left out to break cycles."""
    units = sorted(units, key=lambda u: u.order)
    ids = [u.id for u in units]
    by_id = {u.id: u for u in units}
    rank = {u: k for k, u in enumerate(ids)}
    out: dict[str, list[str]] = {u: [] for u in ids}
    touched = set()
    for e in edges:
        if e.source in by_id and e.target in by_id and e.source != e.target and e.target not in out[e.source]:
            out[e.source].append(e.target)
            touched.update((e.source, e.target))
    for u in ids:
        out[u].sort(key=rank.__getitem__)
    back = _break_cycles(ids, out)
    dag = {u: [t for t in out[u] if (u, t) not in back] for u in ids}
    row = _rows(ids, dag)
    parent: dict[str, str | None] = {}
    for u in ids:
        if dag[u]:
            best = row[u] - 1
            same = [t for t in dag[u] if row[t] == best]
            pref = [t for t in same if by_id[t].paragraph == by_id[u].paragraph] or same
            parent[u] = pref[0]
        else:
            parent[u] = None
    # units without any argument relation hang below their paragraph's central unit
    central_of: dict[str, str] = {}
    for u in units:
        if u.central and u.paragraph not in central_of:
            central_of[u.paragraph] = u.id
    for u in units:
        if u.id not in touched:
            c = central_of.get(u.paragraph)
            if c is not None and c != u.id:
                parent[u.id] = c
                row[u.id] = row[c] + 1
    children: dict[str, list[str]] = {}
    for u in ids:  # ids are in reading order, so children are too
        if parent[u] is not None:
            children.setdefault(parent[u], []).append(u)
    roots = [u for u in ids if parent[u] is None]
    # groups of trees joined by any relation are laid out together, so that every relation
    # between them keeps pointing upwards; separate groups are packed onto shelves
    group = {u: u for u in ids}

    def find(a: str) -> str:
        while group[a] != a:
            group[a] = group[group[a]]
            a = group[a]
        return a

    for u in ids:
        for t in out[u]:
            ra, rb = find(u), find(t)
            if ra != rb:
                group[max(ra, rb, key=rank.__getitem__)] = min(ra, rb, key=rank.__getitem__)
        if parent[u] is not None:
            ra, rb = find(u), find(parent[u])
            if ra != rb:
                group[max(ra, rb, key=rank.__getitem__)] = min(ra, rb, key=rank.__getitem__)
    groups: dict[str, list[str]] = {}
    for r in roots:
        groups.setdefault(find(r), []).append(r)
    lines = {u.id: wrap(u.text) for u in units}
    height = {u: box_height(len(lines[u])) for u in ids}
    width = {u: float(BOX_W) for u in ids}
    members: dict[str, list[str]] = {}
    for u in ids:
        members.setdefault(find(u), []).append(u)
    blocks = []  # (group key, xs, row tops, w, h)
    for key, group_roots in groups.items():
        xs = _tidy(group_roots, children, row, width)
        nodes = members[key]
        left = min(xs[n] - width[n] / 2 for n in nodes)
        right = max(xs[n] + width[n] / 2 for n in nodes)
        row_h: dict[int, float] = {}
        for n in nodes:
            row_h[row[n]] = max(row_h.get(row[n], 0.0), height[n])
        tops, y = {}, 0.0
        for r in range(max(row_h) + 1):
            tops[r] = y
            y += row_h.get(r, 0.0) + V_GAP
        blocks.append((key, {n: xs[n] - left for n in nodes}, tops, right - left, y - V_GAP))
    count = {u: 1 for u in ids}  # subtree sizes: a child is always one row below its parent
    for u in sorted(ids, key=lambda n: -row[n]):
        if parent[u] is not None:
            count[parent[u]] += count[u]
    main = max(roots, key=lambda r: (by_id[r].central, count[r], -rank[r])) if roots else None
    if main is not None:  # the main claim's group comes first: top left, where the map opens
        blocks.sort(key=lambda b: b[0] != find(main))
    sizes = [(w, h) for _, _, _, w, h in blocks]
    pos, total_w, total_h = _shelves(sizes, BLOCK_GAP, _shelf_width(sizes, BLOCK_GAP))
    placed: dict[str, Placed] = {}
    for (key, xs, tops, _, _), (bx, by) in zip(blocks, pos):
        for n, x in xs.items():
            top = HEADER_H + by + tops[row[n]]
            placed[n] = Placed(n, bx + x, top + height[n] / 2, width[n], height[n], row[n], parent[n], lines[n])
    return placed, max(total_w, BOX_W), HEADER_H + total_h, main, back


def layout_map(units: list[LUnit], edges: list[LEdge], documents: list[str]) -> Layout:
    """Every document's map, documents packed onto shelves, the largest first (ties: the
    order of ``documents``)."""
    by_doc: dict[str, list[LUnit]] = {d: [] for d in documents}
    for u in units:
        by_doc.setdefault(u.document, []).append(u)
    doc_of = {u.id: u.document for u in units}
    edges_of: dict[str, list[LEdge]] = {}
    for e in edges:
        d = doc_of.get(e.source)
        if d is not None and d == doc_of.get(e.target):
            edges_of.setdefault(d, []).append(e)
    out = Layout()
    made = []
    for d in documents:
        if not by_doc[d]:
            continue
        placed, w, h, main, back = layout_document(by_doc[d], edges_of.get(d, []))
        made.append((d, placed, w, h, main, len(by_doc[d])))
        out.back_edges |= back
    rank = {d: k for k, d in enumerate(documents)}
    made.sort(key=lambda m: (-m[5], rank[m[0]]))
    sizes = [(w, h) for _, _, w, h, _, _ in made]
    pos, _, _ = _shelves(sizes, DOC_GAP, _shelf_width(sizes, DOC_GAP))
    for (d, placed, w, h, main, n), (x, y) in zip(made, pos):
        for p in placed.values():
            p.x += x
            p.y += y
            out.units[p.id] = p
        out.documents[d] = DocBlock(d, x, y, w, h, y + HEADER_H / 2 - 6, main, n)
    return out


# -- the overview: one node per document --------------------------------------------------
OVERVIEW_CELL = (260, 170)
CIRCLE_MAX = 24


def overview_positions(documents: list[str], sizes: dict[str, int],
                       links: list[tuple[str, str, float]]) -> dict[str, tuple[float, float]]:
    """Positions of the overview's documents that keep linked ones close: each connected
    group walked breadth-first from its largest document, strongest links first, and placed
    in a block of its own. Deterministic and linear in documents plus links."""
    rank = {d: k for k, d in enumerate(documents)}
    adj: dict[str, list[tuple[float, str]]] = {d: [] for d in documents}
    for a, b, w in links:
        if a in adj and b in adj and a != b:
            adj[a].append((w, b))
            adj[b].append((w, a))
    for d in adj:
        adj[d].sort(key=lambda t: (-t[0], -sizes.get(t[1], 0), rank[t[1]]))
    seen: set[str] = set()
    comps: list[list[str]] = []
    for start in sorted(documents, key=lambda d: (-sizes.get(d, 0), rank[d])):
        if start in seen:
            continue
        seen.add(start)
        comp, queue, k = [], [start], 0
        while k < len(queue):
            d = queue[k]
            k += 1
            comp.append(d)
            for _, n in adj[d]:
                if n not in seen:
                    seen.add(n)
                    queue.append(n)
        comps.append(comp)
    comps.sort(key=lambda c: (-sum(sizes.get(d, 0) for d in c), -len(c), rank[c[0]]))
    # each group of linked documents gets a block of its own (a circle when small, so that no
    # link passes through a document; a grid in breadth-first order when large); blocks are
    # packed onto shelves, the largest first
    cw, ch = OVERVIEW_CELL
    blocks = []
    for comp in comps:
        if len(comp) == 1:
            blocks.append(({comp[0]: (cw / 2, ch / 2)}, cw, ch))
        elif len(comp) <= CIRCLE_MAX:
            r = max(cw * len(comp) / (2 * math.pi), cw * 0.6)
            spots = {d: (r + cw / 2 + r * math.sin(2 * math.pi * k / len(comp)),
                         r + ch / 2 - r * math.cos(2 * math.pi * k / len(comp))) for k, d in enumerate(comp)}
            blocks.append((spots, 2 * r + cw, 2 * r + ch))
        else:
            cols = max(1, math.ceil(math.sqrt(len(comp) * ASPECT * ch / cw)))
            spots = {d: ((k % cols) * cw + cw / 2, (k // cols) * ch + ch / 2) for k, d in enumerate(comp)}
            blocks.append((spots, cols * cw, math.ceil(len(comp) / cols) * ch))
    sizes_ = [(w, h) for _, w, h in blocks]
    corners, _, _ = _shelves(sizes_, 0.0, _shelf_width(sizes_, 0.0))
    out: dict[str, tuple[float, float]] = {}
    for (spots, _, _), (x, y) in zip(blocks, corners):
        for d, (dx, dy) in spots.items():
            out[d] = (round(x + dx, 1), round(y + dy, 1))
    return out
