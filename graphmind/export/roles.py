"""Dialectical roles: whose view each unit states, which decides its marker.

- ``pro``: the author's own view; ``opp``: an opposing voice the author reports.
- An ``opp`` unit the author grants (its cue is concessive: of course, admittedly, it is
  true that, конечно, хотя, ...) is a concession; any other ``opp`` unit is an objection
  (``[ERROR]``). A ``pro`` unit attacking an ``opp`` unit is the author's rebuttal; a ``pro``
  unit attacking another ``pro`` unit is a correction.

Roles come from the store (the unit property ``role``) in every document where the
extractor marked at least one unit ``opp``. In a document where none is marked (the
property is missing, or all ``pro``: what an extractor that does not assign roles writes),
they are derived from the attack structure:
1. a unit with a concessive or reporting cue that attacks or is attacked is ``opp``;
2. a unit that attacks a ``pro`` unit is ``opp``, one that attacks an ``opp`` unit is
   ``pro`` (roles alternate along a chain of attacks);
3. a unit that supports, illustrates or carries an ``opp`` unit is ``opp`` too (part of the
   opposing view); everything else is ``pro``.
"""

from __future__ import annotations

from ..walk import SUPPORT_RELATIONS, GraphView
from .language import export_language

MAX_CHAIN = 200


def _lang(view: GraphView, unit: str) -> str | None:
    return view.units[unit].get("lang")


def assign_roles(view: GraphView) -> dict[str, int]:
    """Set ``view.roles`` and ``view.concessive``; returns how many documents kept their
    stored roles and how many had them derived."""
    by_doc: dict[str, list[str]] = {}
    for u in view.units:
        by_doc.setdefault(view.units[u].get("document_id") or "", []).append(u)
    attacked = {u for u, edges in view.incoming.items() if any(r == "attacks" for r, _ in edges)}
    attacking = {u for u, edges in view.outgoing.items() if any(r == "attacks" for r, _ in edges)}

    def signals(u: str) -> tuple[bool, bool]:
        data = view.units[u]
        lang = export_language(_lang(view, u))
        return (lang.is_concessive(data.get("cue", ""), data.get("text", "")),
                lang.is_reported(data.get("cue", ""), data.get("text", "")))

    given = derived = 0
    roles: dict[str, str] = {}
    for doc in sorted(by_doc):
        units = by_doc[doc]
        if any(view.units[u].get("role") == "opp" for u in units):
            given += 1
            for u in units:
                roles[u] = "opp" if view.units[u].get("role") == "opp" else "pro"
            continue
        derived += 1
        seeds = {u for u in units if (u in attacked or u in attacking) and any(signals(u))}
        memo: dict[str, str] = {}

        def role(u: str, depth: int = 0, path: frozenset = frozenset()) -> str:
            if u in memo:
                return memo[u]
            if u in seeds:
                r = "opp"
            elif u in path or depth > MAX_CHAIN:
                return "pro"
            else:
                inner = path | {u}
                targets = [t for rel, t in view.outgoing[u] if rel == "attacks"]
                if targets:
                    r = "opp" if role(targets[0], depth + 1, inner) == "pro" else "pro"
                else:
                    backed = [t for rel, t in view.outgoing[u] if rel in SUPPORT_RELATIONS]
                    r = "opp" if any(role(t, depth + 1, inner) == "opp" for t in backed) else "pro"
            memo[u] = r
            return r

        for u in units:
            roles[u] = role(u)
    view.roles = roles
    view.concessive = {u for u, r in roles.items() if r == "opp" and signals(u)[0]}
    return {"documents_with_stored_roles": given, "documents_with_derived_roles": derived}
