import pytest

from graphmind import ids


@pytest.mark.parametrize("par_id, start, end", [("par_0123", 0, 5), ("par_x", 12, 80), ("пар\ud800", 1, 2)])
def test_unit_id_is_make_id_of_its_parts(par_id, start, end):
    assert ids.unit_id(par_id, start, end) == ids.make_id("unit", par_id, start, end)


@pytest.mark.parametrize("rel_type", ["supports", "attacks", "illustrates"])
def test_relation_id_is_make_id_of_its_parts(rel_type):
    assert ids.relation_id("unit_a", "unit_b", rel_type) == ids.make_id("rel", "unit_a", "unit_b", rel_type)


def test_ids_differ_when_any_part_differs():
    base = ids.unit_id("par_x", 1, 10)
    assert len({base, ids.unit_id("par_y", 1, 10), ids.unit_id("par_x", 2, 10), ids.unit_id("par_x", 1, 11)}) == 4
    assert ids.relation_id("a", "b", "supports") != ids.relation_id("b", "a", "supports")


def test_parts_are_separated_so_boundaries_matter():
    assert ids.make_id("x", "ab", "c") != ids.make_id("x", "a", "bc")
