"""Scores -> one tree: the maximum spanning arborescence with exactly one root.

``decode(edge, root)`` takes ``edge[i][j]``, the score of "unit i attaches to unit j", and
``root[i]``, the score of "unit i is the root", and returns ``parent`` with ``parent[r] == -1``
for the one root and a tree over every unit. It is Chu–Liu/Edmonds over a virtual root whose
edges carry a large penalty, so the best tree uses exactly one of them. Plain Python over
small dense lists: a paragraph has a handful of units, and a document a few dozen paragraphs.

Larger graphs (a section of a thousand paragraphs) go through the same contractions in numpy,
one level after another instead of recursively: the same tree, in bounded memory and without
Python's recursion limit.

``decode_large`` is the paragraph parser's decoder for long blocks (a block of a long list:
dozens of units): Tarjan's contraction in numpy (``_edmonds_dense``), O(n²) however the
cycles nest. The penalised virtual root makes the recursive version cubic there: when the
best heads hang every unit off one cycle (list items attach to the first item, and it to
one of them), each contraction can only swallow one more unit (the one way out is the
penalised root): n levels of O(n²) each. ``decode_large`` also decodes without the penalty
first: when that best tree has one root, it is the best one-root tree too (every one-root
tree is a candidate of the unconstrained problem); only otherwise is the penalised graph
decoded. It finds a tree of the same score as ``decode``, and may choose another only
between trees of exactly equal score.
"""

from __future__ import annotations

import math

_NEG = -math.inf
_LARGE = 48  # from this many nodes on, the numpy version


def decode(edge: list[list[float]], root: list[float]) -> list[int]:
    n = len(root)
    if n == 0:
        return []
    if n == 1:
        return [-1]
    spread = 1.0 + sum(abs(x) for x in root) + sum(abs(x) for row in edge for x in row if x > _NEG)
    big = 2.0 * spread
    # w[v][u]: score of the edge u -> v (u is v's parent); node n is the virtual root
    w = [[_NEG] * (n + 1) for _ in range(n + 1)]
    for v in range(n):
        row = edge[v]
        wv = w[v]
        for u in range(n):
            if u != v:
                wv[u] = row[u]
        wv[n] = root[v] - big
    parent = _edmonds(w, n) if n + 1 < _LARGE else _edmonds_levels(w, n)
    return [-1 if parent[v] == n else parent[v] for v in range(n)]


def _edmonds(w: list[list[float]], r: int) -> list[int]:
    """Maximum spanning arborescence rooted at ``r`` of the dense graph ``w`` (w[v][u] is the
    edge u -> v); returns each node's parent (``-1`` for ``r``)."""
    size = len(w)
    best = [-1] * size
    for v in range(size):
        if v == r:
            continue
        wv = w[v]
        b, bu = _NEG, -1
        for u in range(size):
            if u != v and wv[u] > b:
                b, bu = wv[u], u
        best[v] = bu
    cycle = _find_cycle(best, r)
    if cycle is None:
        return best
    in_cycle = set(cycle)
    # contract the cycle into one node c; the other nodes keep their order
    others = [v for v in range(size) if v not in in_cycle]
    new_index = {v: k for k, v in enumerate(others)}
    c = len(others)
    m = c + 1
    w2 = [[_NEG] * m for _ in range(m)]
    enter_from: dict[int, tuple[int, int]] = {}  # outside parent -> (cycle node entered, score)
    leave_to: dict[int, int] = {}  # outside child -> the cycle node it hangs from
    for v in others:
        nv = new_index[v]
        wv = w[v]
        for u in others:
            if u != v:
                w2[nv][new_index[u]] = wv[u]
        bu, b = -1, _NEG
        for u in cycle:
            if wv[u] > b:
                b, bu = wv[u], u
        w2[nv][c] = b
        leave_to[v] = bu
    for u in others:
        b, bv = _NEG, -1
        for v in cycle:
            s = w[v][u] - w[v][best[v]]
            if s > b:
                b, bv = s, v
        w2[c][new_index[u]] = b
        enter_from[u] = (bv, b)
    sub = _edmonds(w2, new_index[r])
    parent = [-1] * size
    for v in others:
        if v == r:
            continue
        p = sub[new_index[v]]
        parent[v] = leave_to[v] if p == c else others[p]
    entry_parent = others[sub[c]]
    entered = enter_from[entry_parent][0]
    for v in cycle:
        parent[v] = best[v]
    parent[entered] = entry_parent
    return parent


def _edmonds_levels(w: list[list[float]], r: int) -> list[int]:
    """``_edmonds`` for large graphs: the same contractions (the first cycle found, the
    first of equal scores), in numpy, with the levels kept on a list instead of the stack.
    A level keeps only what expanding it needs, so memory stays quadratic."""
    import numpy as np

    m = np.array(w, dtype=float)
    levels = []
    while True:
        size = len(m)
        top = m.max(axis=1)
        best = np.where(top > _NEG, m.argmax(axis=1), -1)  # argmax: the first of equal scores
        best[r] = -1
        best = best.tolist()
        cycle = _find_cycle(best, r)
        if cycle is None:
            break
        cyc = np.array(cycle)
        mask = np.ones(size, dtype=bool)
        mask[cyc] = False
        others = np.flatnonzero(mask)
        c = len(others)
        into = m[np.ix_(others, cyc)]  # v outside -> the cycle node it would hang from
        into_top = into.max(axis=1)
        leave_to = np.where(into_top > _NEG, cyc[into.argmax(axis=1)], -1).tolist()
        gain = m[np.ix_(cyc, others)] - m[cyc, [best[v] for v in cycle]][:, None]  # entering the cycle at v from u
        gain_top = gain.max(axis=0)
        enter_at = np.where(gain_top > _NEG, cyc[gain.argmax(axis=0)], -1).tolist()
        m2 = np.full((c + 1, c + 1), _NEG)
        m2[:c, :c] = m[np.ix_(others, others)]
        m2[:c, c] = into_top
        m2[c, :c] = gain_top
        others = others.tolist()
        levels.append((size, r, others, cycle, [best[v] for v in cycle], leave_to, enter_at))
        r = others.index(r)
        m = m2
    parent = best
    for size, r, others, cycle, cycle_best, leave_to, enter_at in reversed(levels):
        sub, c = parent, len(others)
        parent = [-1] * size
        for k, v in enumerate(others):
            if v != r:
                p = sub[k]
                parent[v] = leave_to[k] if p == c else others[p]
        for v, b in zip(cycle, cycle_best):
            parent[v] = b
        parent[enter_at[sub[c]]] = others[sub[c]]
    return parent


def decode_large(edge, root) -> list[int]:
    """``decode`` for the paragraph parser's long blocks (list blocks of dozens of units): a
    best tree in O(n²), in numpy. It finds a tree of the same score as ``decode``; between
    trees of exactly equal score it may choose another (``decode`` keeps its own choice for
    the document level, whose hand-written scores tie often)."""
    if len(root) <= 1:
        return [-1] * len(root)
    import numpy as np

    n = len(root)
    w = np.full((n + 1, n + 1), _NEG)
    w[:n, :n] = np.asarray(edge, dtype=float)
    w[np.arange(n), np.arange(n)] = _NEG
    w[:n, n] = np.asarray(root, dtype=float)
    parent = _edmonds_dense(w, n)
    if parent.count(n) != 1:  # more than one root: decode again with the penalty
        finite = w[:n, :n][w[:n, :n] > _NEG]
        big = 2.0 * (1.0 + float(np.abs(w[:n, n]).sum()) + float(np.abs(finite).sum()))
        w[:n, n] -= big
        parent = _edmonds_dense(w, n)
    return [-1 if p == n else p for p in parent[:n]]


def _edmonds_dense(m, r: int) -> list[int]:
    """Maximum spanning arborescence rooted at ``r`` of the dense graph ``m`` (a numpy array,
    ``m[v, u]`` the edge u -> v, ``-inf`` for none; every node but ``r`` must have an
    incoming edge) in O(n²): Tarjan's contractions, with the incoming scores of a contracted
    cycle kept as one row over the original sources (Camerini, Fratta and Maffioli's form),
    then the cycles expanded from the outermost in. Returns each node's parent (``-1`` for
    ``r``)."""
    import numpy as np

    size = len(m)
    every = np.arange(size)
    rows = list(m)  # supernode -> its incoming scores from each original node
    into: list = [None] * size  # contracted supernode -> for each original source, the original node it enters
    comp = np.arange(size)  # original node -> the supernode that holds it now
    members: list[list[int]] = [[] for _ in range(size)]  # contracted supernode -> the supernodes of its cycle
    up = [-1] * size  # supernode -> the supernode that contracted it
    weak = list(range(size))  # union-find over supernodes joined by chosen edges
    first = m.argmax(axis=1).tolist()  # original nodes: the best source, the diagonal being -inf
    enter: list = [None] * size  # supernode -> (original target, original source, score in its row)

    def find(x: int) -> int:
        while weak[x] != x:
            weak[x] = weak[weak[x]]
            x = weak[x]
        return x

    queue = [v for v in range(size - 1, -1, -1) if v != r]
    while queue:
        s = queue.pop()
        if s < size:
            u = first[s]
            enter[s] = (s, u, float(m[s, u]))
        else:
            masked = np.where(comp == s, _NEG, rows[s])
            u = int(masked.argmax())
            enter[s] = (int(into[s][u]), u, float(masked[u]))
        a, b = find(int(comp[u])), find(s)
        if a != b:
            weak[b] = a
            continue
        cycle = [s]  # s closes a cycle through the chosen edges back from u
        t = int(comp[u])
        while t != s:
            cycle.append(t)
            t = int(comp[enter[t][1]])
        x = len(rows)
        stack = np.array([rows[c] - enter[c][2] for c in cycle])
        k = stack.argmax(axis=0)  # the first of equal scores
        rows.append(stack[k, every])
        targets = np.array([np.full(size, c) if c < size else into[c] for c in cycle])
        into.append(targets[k, every])
        comp[np.isin(comp, cycle)] = x
        members.append(cycle)
        for c in cycle:
            up[c] = x
        up.append(-1)
        enter.append(None)
        weak.append(x)
        weak[find(s)] = x
        queue.append(x)
    # expand: a top supernode takes its entering edge; a cycle entered through one member
    # keeps the chosen edges of its other members, which are expanded the same way
    parent = [-1] * size
    todo = [s for s in range(len(rows)) if up[s] == -1 and s != r]
    while todo:
        s = todo.pop()
        v, u, _ = enter[s]
        parent[v] = u
        t = v
        while t != s:
            x = up[t]
            todo.extend(c for c in members[x] if c != t)
            t = x
    return parent


def _find_cycle(parent: list[int], r: int) -> list[int] | None:
    size = len(parent)
    state = [0] * size  # 0 unseen, 1 on the current path, 2 done
    for start in range(size):
        if state[start]:
            continue
        path = []
        v = start
        while v != -1 and v != r and state[v] == 0:
            state[v] = 1
            path.append(v)
            v = parent[v]
        if v != -1 and v != r and state[v] == 1:
            return path[path.index(v):]
        for x in path:
            state[x] = 2
    return None
