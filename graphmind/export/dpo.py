"""Preference pairs: a rejected reading made by one realistic perturbation of the graph walk
the chosen answer comes from.

- ``support_to_attack``: a reason read as an objection (the unit attacks what it supports);
- ``attack_to_support``: an objection (or a rebuttal) read as a reason for what it attacks;
- ``wrong_attachment``: a reason, example, image or objection attached to the wrong unit;
- ``metaphor_as_definition``: a metaphor typed as a definition;
- ``swap_central``: the central claim swapped with one of its reasons (the reason becomes
  the anchor and the claim hangs under it) or, in a macro, with another claim.

Which perturbation and where is drawn from ``random.Random`` seeded with the export seed
and the example, so the same export gives the same pairs.
"""

from __future__ import annotations

import random
from dataclasses import replace

from ..walk import SUPPORT_RELATIONS, GraphView, Macro, Tree

PERTURBATIONS = ("support_to_attack", "attack_to_support", "wrong_attachment", "metaphor_as_definition",
                 "swap_central")


class _Units:
    """``view.units`` with some units' type replaced."""

    def __init__(self, base: dict, types: dict[str, str]):
        self._base, self._types = base, types

    def __getitem__(self, unit: str) -> dict:
        data = self._base[unit]
        return {**data, "type": self._types[unit]} if unit in self._types else data

    def get(self, unit: str, default=None):
        return self[unit] if unit in self._base else default

    def __contains__(self, unit: str) -> bool:
        return unit in self._base


class Overlay:
    """A view that reads like ``base`` except for the perturbed types and roles."""

    def __init__(self, base: GraphView, types: dict[str, str] | None = None, roles: dict[str, str] | None = None):
        self._base = base
        self.units = _Units(base.units, types or {})
        self._roles = roles or {}
        self.concessive = base.concessive - set(self._roles)

    def role(self, unit: str) -> str:
        return self._roles.get(unit) or self._base.role(unit)

    def __getattr__(self, name):
        return getattr(self._base, name)


def copy_tree(tree: Tree) -> Tree:
    return Tree(tree.unit, tree.rel, [copy_tree(c) for c in tree.children])


def _nodes(tree: Tree, parent: Tree | None = None) -> list[tuple[Tree, Tree | None]]:
    out = [(tree, parent)]
    for c in tree.children:
        out.extend(_nodes(c, tree))
    return out


def _tree_options(view: GraphView, tree: Tree, with_root: bool) -> dict[str, list]:
    nodes = _nodes(tree)
    options: dict[str, list] = {name: [] for name in PERTURBATIONS}
    for node, parent in nodes:
        if parent is None:
            continue
        if node.rel == "supports" and view.role(node.unit) == "pro":
            options["support_to_attack"].append(node.unit)
        if node.rel == "attacks":
            options["attack_to_support"].append(node.unit)
        if node.rel in SUPPORT_RELATIONS + ("attacks",) and len(nodes) - len(node.units()) > 1:
            options["wrong_attachment"].append(node.unit)  # somewhere else to hang it
        if view.units[node.unit].get("type") == "metaphor" and view.role(node.unit) == "pro":
            options["metaphor_as_definition"].append(node.unit)
    if with_root:
        for child in tree.children:
            if child.rel in SUPPORT_RELATIONS and view.role(child.unit) == "pro":
                options["swap_central"].append(child.unit)
    return options


def _find(tree: Tree, unit: str) -> tuple[Tree, Tree | None]:
    for node, parent in _nodes(tree):
        if node.unit == unit:
            return node, parent
    raise KeyError(unit)


def apply_perturbation(view: GraphView, tree: Tree, name: str, target: str, rng: random.Random) -> tuple[Tree, Overlay]:
    """A perturbed copy of ``tree`` (``name`` applied at the unit ``target``) and the view
    to read it with."""
    tree = copy_tree(tree)
    if name == "support_to_attack":
        node, _ = _find(tree, target)
        node.rel = "attacks"
        return tree, Overlay(view, roles={target: "opp"})
    if name == "attack_to_support":
        node, parent = _find(tree, target)
        node.rel = "supports"
        return tree, Overlay(view, roles={target: view.role(parent.unit)})  # on the side it attacked
    if name == "wrong_attachment":
        node, parent = _find(tree, target)
        inside = set(node.units())
        elsewhere = [other for other, _ in _nodes(tree) if other.unit not in inside and other is not parent]
        parent.children.remove(node)
        rng.choice(elsewhere).children.append(node)
        return tree, Overlay(view)
    if name == "metaphor_as_definition":
        return tree, Overlay(view, types={target: "definition"})
    # swap_central: the reason becomes the root and the old root hangs under it
    child = next(c for c in tree.children if c.unit == target)
    rest = [c for c in tree.children if c is not child]
    old_root = Tree(tree.unit, child.rel, rest)
    return Tree(child.unit, None, child.children + [old_root]), Overlay(view)


def perturb_tree(view: GraphView, tree: Tree, rng: random.Random) -> tuple[str, Tree, Overlay] | None:
    options = _tree_options(view, tree, with_root=True)
    names = [n for n in PERTURBATIONS if options[n]]
    if not names:
        return None
    name = rng.choice(names)
    perturbed, overlay = apply_perturbation(view, tree, name, rng.choice(options[name]), rng)
    return name, perturbed, overlay


def perturb_macro(view: GraphView, macro: Macro, rng: random.Random) -> tuple[str, Macro, Overlay] | None:
    trees = [macro.anchor, *macro.claims]
    per_tree = [_tree_options(view, t, with_root=(k == 0)) for k, t in enumerate(trees)]
    names = [n for n in PERTURBATIONS if any(o[n] for o in per_tree)]
    claims_pro = [k for k, c in enumerate(macro.claims) if view.role(c.unit) == "pro"]
    if claims_pro and "swap_central" not in names:
        names.append("swap_central")
    names = [n for n in PERTURBATIONS if n in names]
    if not names:
        return None
    name = rng.choice(names)
    if name == "swap_central" and claims_pro:
        k = rng.choice(claims_pro)
        claims = [macro.anchor] + [c for j, c in enumerate(macro.claims) if j != k]
        return name, replace(macro, anchor=macro.claims[k], claims=claims), Overlay(view)
    k = rng.choice([k for k, o in enumerate(per_tree) if o[name]])
    perturbed, overlay = apply_perturbation(view, trees[k], name, rng.choice(per_tree[k][name]), rng)
    new_trees = trees[:k] + [perturbed] + trees[k + 1:]
    return name, replace(macro, anchor=new_trees[0], claims=new_trees[1:]), overlay
