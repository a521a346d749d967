"""Walks over the meaning graph: one behaviour per test."""

import pytest

from graphmind.walk import GraphView, meso_walks, micro_walks, random_walk, random_walks, reasoning_tree
from graphmind.walk.memory import to_networkx

from graphs import build, debate


@pytest.fixture(scope="module")
def view():
    return GraphView(to_networkx(debate()))


def unit(view, text):
    return next(u for u, d in view.units.items() if d["text"] == text)


def test_same_seed_gives_the_same_walk(view):
    start = unit(view, "We should read every day.")
    assert random_walk(view, start, 6, seed=5) == random_walk(view, start, 6, seed=5)


def test_different_seeds_can_take_different_branches(view):
    start = unit(view, "We should read every day.")
    walks = {tuple(random_walk(view, start, 3, seed=s)) for s in range(20)}
    assert len(walks) > 1


def test_walk_stops_at_a_dead_end(view):
    leaf = unit(view, "Attention is scarce.")
    walk = random_walk(view, leaf, 50, seed=1)
    assert len(walk) < 50
    assert len({u for _, u in walk}) == len(walk)


def test_unknown_start_raises(view):
    with pytest.raises(KeyError):
        random_walk(view, "unit_nope", 5, seed=0)


def test_random_walks_are_reproducible_as_a_set(view):
    assert random_walks(view, 10, 5, seed=3) == random_walks(view, 10, 5, seed=3)


def test_one_micro_walk_per_argument_relation(view):
    a, b = debate()
    argument = [r for r in a.relations + b.relations if r.type != "defines"]
    assert len(micro_walks(view)) == len(argument)


def test_support_cycle_terminates_and_visits_each_unit_once(view):
    root = unit(view, "Writing clarifies thinking.")
    tree = reasoning_tree(view, root)
    assert sorted(view.text(u) for u in tree.units()) == [
        "A form needs writing.", "Thinking needs a form.", "Writing clarifies thinking."]


def test_meso_walk_reaches_leaf_premises_and_attacks(view):
    tree = next(t for t in meso_walks(view) if view.text(t.unit) == "We should read every day.")
    texts = {view.text(u) for u in tree.units()}
    assert {"Attention is scarce.", "But slow is the point.", "A book is a gym for the mind."} <= texts


def test_reasoning_tree_of_unknown_unit_raises(view):
    with pytest.raises(KeyError):
        reasoning_tree(view, "unit_nope")


def test_graph_without_argument_edges_has_no_walks():
    ex = build("x.md", "X", [[("claim", "Alone here.", True)]], [])
    v = GraphView(to_networkx([ex]))
    assert micro_walks(v) == [] and meso_walks(v) == [] and random_walks(v, 5, 4, seed=0) == []


def test_a_forward_step_arrives_at_what_the_unit_before_it_points_to(view):
    start = unit(view, "Attention is scarce.")
    walk = random_walk(view, start, 4, seed=0)
    for (_, before), (step, after) in zip(walk, walk[1:]):
        rel, forward = step
        source, target = (before, after) if forward else (after, before)
        assert (rel, source) in view.incoming[target]


def test_the_union_of_two_documents_views_is_the_view_of_both_but_for_the_links_between_them():
    from graphmind.store.store import Page, graph_of

    def view_of(extractions):  # as the export builds a view: rows in id order
        page = Page.of_graph(to_networkx(extractions))
        return GraphView(graph_of(page.nodes, page.edges))

    first, second = debate()
    both = view_of([first, second])
    union = GraphView.union([view_of([first]), view_of([second])])
    for name in ("units", "paragraphs", "documents", "incoming", "outgoing", "concepts", "doc_units",
                 "doc_paragraphs", "roles", "_order"):
        assert getattr(union, name) == getattr(both, name), name
        assert list(getattr(union, name)) == list(getattr(both, name)), name  # the same order
    assert union.par_units == both.par_units and union.rel_data == both.rel_data
    assert union.argument_units() == both.argument_units()
    assert any(both.links.values()) and not any(union.links.values())  # the link joins the two
