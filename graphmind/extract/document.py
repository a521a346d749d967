"""Paragraph trees -> one argument tree per document.

One level up from the paragraph parser, with the same decoder: the nodes are the central
units of the paragraphs (a heading that states something is a paragraph of its own). Within
each section, the paragraphs' central units are decoded into a tree rooted at the section's
claim; the section claims are decoded into a tree rooted at the document's central claim. In
a chat export each turn is decoded the same way, an assistant turn ``answers`` the user turn
before it and a later user turn ``follows`` the answer it reacts to; the first user turn's
claim or question is the document's root.

Headings carry roles (``HEADING_ROLES`` in the language data: «Тезис», «Вывод», «Пример»,
«Возражение», "Why", "Objection", "Open questions", …): the paragraphs under an example heading
illustrate the claim above them, those under an objection heading attack it (and voice the opponent) —
unless the paragraph answers the objection itself (it holds the opposing voice and the
author's reply to it: "It is true that … However, …"), which is the author's side — a
thesis or conclusion heading marks its section's claim as a candidate for the document's.

The scores below are structural priors written by hand (the corpus has no document-level
trees to fit them on); they are data, in one place.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from .. import ids
from ..lang import language_data
from ..model import Paragraph, Relation, Unit
from .cues import compile_cues
from .decode import decode

#: paragraphs of one section decoded as one tree; a longer section (no real note has one: a
#: 15 MB file without headings has ~9,000) is decoded in parts of this many, because the
#: decoding grows with the square of the paragraphs and more (minutes and gigabytes beyond it)
MAX_SECTION_NODES = 500

#: how much each property of a paragraph's central unit counts for being a section's claim
SECTION_CLAIM = {
    "heading_unit": 3.0,  # a heading that states something
    "conclusion_cue": 2.0,  # opens with therefore / поэтому
    "last_with_conclusion": 1.5,
    "emphasis": 1.0,  # bold
    "normative": 0.5,
    "first": 0.75,
    "claim_type": 0.5,  # claim or conclusion (not a premise that lost its paragraph)
    "example": -1.5,
    "question": -1.0,
    "code_or_table": -2.0,
    "opposing_cue": -2.0,  # opens with a concession or a reported objection
    "list": -0.25,
    "answering_cue": -0.5,
}
#: how much a section claim counts for being the document's central claim
DOCUMENT_CLAIM = {"role:claim": 3.0, "role:conclusion": 2.0, "heading_unit": 1.0, "first": 1.0, "emphasis": 0.5,
                  "conclusion_cue": 1.0, "normative": 0.5, "role:other": -2.0, "role:objection": -3.0}
#: edge scores between candidates: attach to a strong candidate, nearby, sharing words; a fenced
#: example attaches to the paragraph that introduces it
EDGE = {"target": 1.0, "previous": 0.5, "earlier": 0.25, "overlap": 0.5, "example_to_lead_in": 10.0,
        "answer_to_opposing": 10.0}
ROLE_RELATION = {"example": "illustrates", "analogy": "carries", "metaphor": "carries", "objection": "attacks",
                 "premise": "supports", "definition": "supports", "question": "answers",
                 "open question": "follows"}
#: what a question counts for being the claim of a section of open questions (the section is its questions)
OPEN_QUESTION_CLAIM = 3.0
CONFIDENCE = 0.5
_STRIP = re.compile(r"^[\W\d_]+|[\W_]+$")


@dataclass
class _Node:
    unit: Unit
    paragraph: Paragraph
    features: set = field(default_factory=set)
    lemmas: frozenset = frozenset()


def heading_role(text: str, lang: str) -> str | None:
    """The role a heading's words give the section under it, or None."""
    roles = getattr(language_data(lang if lang in ("en", "ru") else "en"), "HEADING_ROLES", {})
    words = _STRIP.sub("", text.lower()).replace(":", " ").split()
    for k in (3, 2, 1):
        key = " ".join(words[:k])
        if key in roles:
            return roles[key]
    return None


def _features(node: _Node, first: bool, last: bool) -> set:
    u, p = node.unit, node.paragraph
    cues = compile_cues(p.lang if p.lang in ("en", "ru") else "en")
    classes, _ = cues.opening(p.text, u.start, u.end)
    f = set()
    if p.kind == "heading":
        f.add("heading_unit")
    if "conclusion" in classes:
        f.add("conclusion_cue")
        if last:
            f.add("last_with_conclusion")
    if {"concession", "report"} & set(classes):
        f.add("opposing_cue")
    if {"contrast", "undercut"} & set(classes):
        f.add("answering_cue")
    if first:
        f.add("first")
    if u.type in ("claim", "conclusion"):
        f.add("claim_type")
    if u.type in ("example", "question"):
        f.add(u.type)
    if p.kind in ("code", "table"):
        f.add("code_or_table")
    if p.kind == "list":
        f.add("list")
    pairs = list(zip(p.emphasis[0::2], p.emphasis[1::2]))
    if any(a < u.end and u.start < b for a, b in pairs):
        f.add("emphasis")
    for m in cues.anywhere.finditer(p.text, u.start, u.end):
        if "normative" in cues.classes_of(m):
            f.add("normative")
            break
    return f


def _tree(nodes: list[_Node], root_score: list[float]) -> list[int]:
    """The section's tree over ``nodes``; the edge scores of all pairs at once (a section part
    has up to MAX_SECTION_NODES paragraphs), the same sums as pair by pair."""
    import numpy as np

    n = len(nodes)
    vocab: dict[str, int] = {}
    for node in nodes:
        for lem in node.lemmas:
            vocab.setdefault(lem, len(vocab))
    B = np.zeros((n, max(len(vocab), 1)))
    for i, node in enumerate(nodes):
        B[i, [vocab[lem] for lem in node.lemmas]] = 1.0
    overlap = np.minimum(B @ B.T, 2)  # shared lemmas, counted exactly
    idx = np.arange(n)
    previous = idx[None, :] == idx[:, None] - 1  # j == i - 1
    edge = (EDGE["target"] * np.asarray(root_score, dtype=float)[None, :] + EDGE["previous"] * previous
            + EDGE["earlier"] * (idx[None, :] < idx[:, None]) + EDGE["overlap"] * overlap)
    for i in range(1, n):
        if nodes[i].paragraph.kind == "code":
            edge[i, i - 1] += EDGE["example_to_lead_in"]
        if "answering_cue" in nodes[i].features and "opposing_cue" in nodes[i - 1].features:
            edge[i, i - 1] += EDGE["answer_to_opposing"]  # "But …" answers the concession before it
    edge[idx, idx] = 0.0
    return decode(edge.tolist(), root_score)


def _score(table: dict, feats: set) -> float:
    return sum(table.get(f, 0.0) for f in feats)


class DocumentTree:
    """Relations that join the paragraph trees of one document into one tree."""

    def __init__(self, family: dict[str, str]):
        self.family = family

    def build(self, paragraphs: list[Paragraph], units: list[Unit], mentions: dict) -> tuple[list[Relation], str | None]:
        central = {u.paragraph_id: u for u in units if u.central}
        self._units_of: dict[str, list[Unit]] = {}
        for u in units:
            self._units_of.setdefault(u.paragraph_id, []).append(u)
        heading_text: dict[tuple, str] = {}
        for p in paragraphs:
            if p.kind == "heading":
                heading_text[(p.turn, p.section)] = p.text
        relations: list[Relation] = []
        turn_roots: list[tuple[int | None, _Node]] = []
        for turn, group in _by_turn(paragraphs):
            root = self._sections(group, central, heading_text, mentions, relations)
            if root is not None:
                turn_roots.append((turn, root))
        if not turn_roots:
            return relations, None
        doc_root = self._turns(turn_roots, relations)
        return relations, doc_root.unit.id

    # -- inside one turn (or the whole note) ------------------------------------------------
    def _sections(self, group: list[Paragraph], central: dict, heading_text: dict, mentions: dict,
                  relations: list[Relation]) -> _Node | None:
        sections: dict[str, list[_Node]] = {}
        order: list[str] = []
        for p in group:
            u = central.get(p.id)
            if u is None:
                continue
            if p.section not in sections:
                sections[p.section] = []
                order.append(p.section)
            sections[p.section].append(_Node(u, p, lemmas=frozenset(l for l, _ in mentions.get(u.id, ()))))
        if not order:
            return None
        claims: list[tuple[str, _Node, str | None]] = []
        for name in order:
            nodes = sections[name]
            lang = nodes[0].paragraph.lang
            title = name.split(" / ")[-1] if name else ""
            role = heading_role(title, lang) if title else None
            for k, node in enumerate(nodes):
                node.features = _features(node, k == 0, k == len(nodes) - 1)
            # a section beyond MAX_SECTION_NODES paragraphs is decoded in parts of that many,
            # each part's claim going up like a section's: the work per section stays bounded
            for start in range(0, len(nodes), MAX_SECTION_NODES):
                part = nodes[start:start + MAX_SECTION_NODES]
                scores = [_score(SECTION_CLAIM, node.features)
                          + (OPEN_QUESTION_CLAIM if role == "open question" and "question" in node.features else 0.0)
                          for node in part]
                parent = _tree(part, scores)
                top = parent.index(-1)
                for i, j in enumerate(parent):
                    if j >= 0:
                        self._relate(part[i], part[j], None, relations, "section", section_role=role)
                claims.append((name, part[top], role))
        # the section claims, one level up: nested headings hang under their parents first
        top_nodes = [c[1] for c in claims]
        roles = [c[2] for c in claims]
        scores = []
        for k, (name, node, role) in enumerate(claims):
            f = set(node.features) | {"first"} if k == 0 else set(node.features) - {"first"}
            if role in ("claim", "conclusion"):
                f.add(f"role:{role}")
            elif role is not None:
                f.add("role:other")
                if role == "objection":  # the other side's voice is the last thing to be the point
                    f.add("role:objection")
            scores.append(_score(DOCUMENT_CLAIM, f))
        if len(top_nodes) == 1:
            return top_nodes[0]
        parent = _tree(top_nodes, scores)
        root = parent.index(-1)
        depth = {name: name.count(" / ") for name, _, _ in claims}
        for i, j in enumerate(parent):
            if j < 0:
                continue
            # a section attaches to the nearest section above it that encloses it, when there is one
            name = claims[i][0]
            enclosing = [k for k in range(i - 1, -1, -1)
                         if claims[k][0] and name.startswith(claims[k][0] + " / ") and depth[claims[k][0]] < depth[name]]
            target = top_nodes[enclosing[0]] if enclosing and roles[i] not in ("claim", "conclusion") else top_nodes[j]
            if target is top_nodes[i]:
                target = top_nodes[j]
            self._relate(top_nodes[i], target, roles[i], relations, "document")
        return top_nodes[root]

    # -- chat turns -----------------------------------------------------------------------------
    def _turns(self, roots: list[tuple[int | None, _Node]], relations: list[Relation]) -> _Node:
        speakers = [node.paragraph.speaker for _, node in roots]
        first_user = next((k for k, s in enumerate(speakers) if s == "user"), 0)
        doc_root = roots[first_user][1]
        prev: _Node | None = None
        for k, (turn, node) in enumerate(roots):
            if node is doc_root:
                prev = node
                continue
            if prev is None:  # content before the first user turn (a preamble): under the root
                self._add(node, doc_root, "supports", "document preamble", relations)
            elif node.paragraph.speaker == "assistant" and prev.paragraph.speaker != "assistant":
                self._add(prev, node, "answers", "chat turn", relations, reverse=True)
            else:
                self._add(node, prev, "follows", "chat turn", relations)
            prev = node
        return doc_root

    # -- relations ------------------------------------------------------------------------------
    def _relate(self, child: _Node, parent: _Node, role: str | None, relations: list[Relation], level: str,
                section_role: str | None = None) -> None:
        if section_role == "objection" and self._answers(child.paragraph):
            # under an objection heading, a paragraph that grants and then answers it ("That is
            # true, but …") is the author's reply: it attacks the objection, on the author's side
            self._add(child, parent, "attacks", f"{level} structure: answer to the objection", relations)
            return
        if section_role == "open question":
            # questions the author leaves open: what comes after them in their section follows
            # them, it does not answer them
            self._add(child, parent, "follows", f"{level} structure: open question", relations)
            return
        own = child.unit.type
        if role == "objection" and any(u.role == "opp" for u in self._units_of.get(child.paragraph.id, ())):
            role = "answered objection"  # the objection and the author's reply in one paragraph: the author's side
        if child.paragraph.kind in ("code", "table") and role is None:
            own = "example"
        if role in ROLE_RELATION:
            rel = ROLE_RELATION[role]
        elif "opposing_cue" in child.features:
            rel = "attacks"
        elif "answering_cue" in child.features and "opposing_cue" in parent.features:
            rel = "attacks"
        else:
            rel = {"example": "illustrates", "metaphor": "carries", "analogy": "carries",
                   "question": "answers"}.get(own, "supports")
        cue = f"{level} structure" + (f": {role}" if role else "")
        if rel == "attacks" and parent.unit.role == child.unit.role:  # the paragraph voices the other side
            for u in self._units_of.get(child.paragraph.id, ()):
                u.role = "opp" if u.role == "pro" else "pro"
        if rel == "answers" and parent.paragraph.index < child.paragraph.index:
            rel = "supports"  # what came before a question does not answer it: the question asks on its side
        if rel == "answers":  # the parent, after the question, answers it
            self._add(parent, child, rel, cue, relations)
        else:
            self._add(child, parent, rel, cue, relations)

    def _answers(self, paragraph: Paragraph) -> bool:
        """Whether a paragraph turns against what came before it: a unit opens with "but" or
        "however", or goes on with one after a comma («Это правда, но только …»)."""
        lang = paragraph.lang if paragraph.lang in ("en", "ru") else "en"
        cues = compile_cues(lang)
        inside = _answer_breaks(lang)
        for u in self._units_of.get(paragraph.id, ()):
            classes, _ = cues.opening(paragraph.text, u.start, u.end)
            if {"contrast", "undercut"} & set(classes) or inside.search(paragraph.text, u.start, u.end):
                return True
        return False

    def _add(self, source: _Node, target: _Node, rel: str, cue: str, relations: list[Relation],
             reverse: bool = False) -> None:
        if reverse:  # ``source`` is the answer's target: the relation goes target -> source
            source, target = target, source
        if source.unit.id == target.unit.id:
            return
        s, t = source.unit.id, target.unit.id
        relations.append(Relation(ids.relation_id(s, t, rel), s, t, rel, self.family[rel], cue, CONFIDENCE))


@lru_cache(maxsize=None)
def _answer_breaks(lang: str) -> re.Pattern:
    """A comma, semicolon or dash followed by one of the language's ``ANSWER_BREAKS``."""
    words = sorted(getattr(language_data(lang), "ANSWER_BREAKS", ()), key=len, reverse=True) or ["\x00"]
    return re.compile(r"[,;:—–]\s*(?:" + "|".join(r"\s+".join(map(re.escape, w.split())) for w in words) + r")(?!\w)", re.I)


def _by_turn(paragraphs: list[Paragraph]):
    groups: list[tuple[int | None, list[Paragraph]]] = []
    for p in paragraphs:
        if groups and groups[-1][0] == p.turn:
            groups[-1][1].append(p)
        else:
            groups.append((p.turn, [p]))
    return groups
