from lithkg.model import GroupMember, TimeSpec, Value
from decimal import Decimal

from lithkg.versioning.rules import derive, pair_relations, relate, same_number, values_agree, values_compatible


def m(claim, value, *, time=None, bound=None, source_date="2022", doc=None, unit=None, retracted=False, cited=None,
      record="2026-01-01T00:00:00Z", override=None):
    v = Value.number(value) if isinstance(value, (int, float)) else Value.date(value)
    return GroupMember(claim=claim, value=v, unit=unit, bound=bound, time=TimeSpec(point=time), document=doc or claim,
                       source="s", source_date=source_date, record_time=record, retracted=retracted,
                       cited_source=cited, override=override, label=f"{claim}.md")


def test_the_same_value_within_rounding_and_the_same_bound_corroborates():
    assert values_agree(m("a", 1690000000), m("b", 1692000000)) == \
        "the same value within rounding (1,690,000,000 and 1,692,000,000)"
    assert values_agree(m("a", 5.2), m("b", 5.24)) is not None
    assert values_agree(m("a", 1000000, bound="lower"), m("b", 1000000, bound="lower")) == \
        "same value (more than 1,000,000)"
    assert values_agree(m("a", 1000000, bound="lower"), m("b", 1000000)) is None  # another bound
    assert values_agree(m("a", "1989"), m("b", "1989-08-23")) == "same date at different precision (1989 and 1989-08-23)"
    assert values_agree(m("a", 5, unit="u:km"), m("b", 5, unit="u:mi")) is None


def test_round_figures_meant_as_written_are_not_rounded_into_each_other():
    # one significant digit, or an integer below 1,000 (ranks, counts): different figures
    assert not same_number(Decimal(10), Decimal(12))
    assert not same_number(Decimal(120), Decimal(123))
    assert not same_number(Decimal(2000000), Decimal(2400000))
    assert same_number(Decimal("1.6E9"), Decimal(1552000000))
    assert not same_number(Decimal("1.6E9"), Decimal(1549000000))


def test_different_figures_whose_bounds_overlap_are_compatible_not_corroborating():
    a, b = m("a", 1000000, bound="lower"), m("b", 2000000, bound="approx")
    assert values_agree(a, b) is None
    assert values_compatible(a, b) == ("different figures whose bounds overlap (more than 1,000,000 and about "
                                       "2,000,000): compatible, not the same figure")
    r = relate(a, b)
    assert (r.kind, r.source, r.target) == ("compatible", "a", "b")
    assert values_compatible(m("a", 30, bound="approx"), m("b", 31)) is not None
    assert values_compatible(m("a", 30, bound="approx"), m("b", 34)) is None
    assert relate(m("a", 1000000, bound="approx"), m("b", 2000000, bound="approx")).kind == "conflicts"


def test_a_later_valid_time_is_an_update_not_a_conflict():
    r = relate(m("old", 4, time="2021"), m("new", 6, time="2022"))
    assert (r.kind, r.source, r.target) == ("updates", "new", "old")
    assert r.reason == ("a later valid time (2022 after 2021) and a different value (6 instead of 4): "
                        "a change over time, not a contradiction")


def test_overlapping_time_and_different_values_conflict_with_cited_sources_named():
    r = relate(m("a", 6, time="2022", cited="X"), m("b", 5, time="2022-03", cited="Y"))
    assert r.kind == "conflicts"
    assert r.reason == ("different values (6 and 5) for overlapping valid time (2022 and 2022-03); "
                        "they cite different sources (X / Y)")


def test_without_valid_time_the_source_date_decides():
    r = relate(m("a", 4, source_date="2021-06-01"), m("b", 6, source_date="2022-05-02"))
    assert r.kind == "updates" and r.source == "b"
    assert "later date (2022-05-02 after 2021-06-01)" in r.reason


def test_derive_statuses_preferred_and_counts():
    g = derive("g", [m("c57", 57, time="2017"), m("c4", 4, time="2021"), m("c6", 6, time="2022"),
                     m("c6b", 6, time="2022"), m("c5", 5, time="2022")])
    statuses = dict(g.statuses)
    assert g.preferred == "c6b"
    assert statuses["c57"] == statuses["c4"] == "updated"
    # the preferred claim too: 5 and 6 for 2022 conflict, whatever is preferred
    assert statuses["c6"] == statuses["c6b"] == statuses["c5"] == "conflicting"
    assert dict(g.ranks) == {"c57": "normal", "c4": "normal", "c6": "normal", "c6b": "preferred", "c5": "normal"}
    assert g.distinct_values == 4 and g.disputed
    assert g.conflicts == (("c5", "c6"), ("c5", "c6b"))
    # the store keeps each claim's relation to the preferred claim, not every pair
    kinds = {(r.kind, r.source, r.target) for r in g.relations}
    assert ("corroborates", "c6", "c6b") in kinds and ("updates", "c6b", "c4") in kinds and len(kinds) == 4
    assert dict(g.reasons)["c5"] == ("conflicts with 6 (2022) in c6.md; 6 (2022) in c6b.md: different values for "
                                     "an overlapping or unknown time, against 5 (2022)")
    assert dict(g.reasons)["c4"].startswith("updated by 6 (2022) in c6b.md: a later valid time (2022 after 2021)")


def test_a_claim_no_longer_stated_is_never_preferred_and_takes_no_part():
    g = derive("g", [m("old", 1, time="2020"), m("new", 2, time="2022", retracted=True),
                     m("same", 3, time="2020", retracted=True)])
    assert g.preferred == "old"
    assert dict(g.statuses) == {"old": "preferred", "new": "no longer stated", "same": "no longer stated"}
    assert dict(g.ranks)["new"] == "deprecated"
    assert dict(g.reasons)["new"] == "a newer version of its source no longer states it"
    assert not g.disputed and g.distinct_values == 1


def test_single_claim_group():
    g = derive("g", [m("only", 3)])
    assert g.preferred == "only" and g.relations == () and g.distinct_values == 1 and not g.disputed
    assert dict(g.reasons) == {"only": "the only claim of its group"}


def test_large_groups_relate_overlaps_neighbours_and_the_preferred_only():
    members = [m(f"c{i:03}", i, time=str(1900 + i)) for i in range(100)] + [m("x", 500, time="1950")]
    assert len(pair_relations(members)) < 3 * len(members)
    g = derive("g", members)
    assert g.preferred == "c099"
    statuses = dict(g.statuses)
    assert statuses["c050"] == statuses["x"] == "conflicting"  # the overlap is found in a large group too
    assert all(s == "updated" for c, s in statuses.items() if c not in ("c099", "c050", "x"))


def test_a_conflict_is_named_whatever_the_preferred_claim():
    """Three versions: 2nd and 3rd for one year from two sources conflict even when a later claim is preferred."""
    g = derive("g", [m("a2", 2, time="2021"), m("b3", 3, time="2021"), m("c4", 4, time="2022")])
    assert g.preferred == "c4"
    assert dict(g.statuses) == {"a2": "conflicting", "b3": "conflicting", "c4": "preferred"}
    assert g.disputed and g.conflicts == (("a2", "b3"),)
    assert dict(g.reasons)["a2"].startswith("conflicts with 3 (2021) in b3.md: a different value")


def test_a_manual_rank_never_hides_a_conflict_nor_calls_a_change_a_conflict():
    members = [m("old", 4, time="2021", override="preferred"), m("new", 6, time="2022")]
    g = derive("g", members, {"old": "the index's own page"})
    assert g.preferred == "old"
    assert dict(g.statuses) == {"old": "preferred", "new": "outranked"}
    assert dict(g.reasons)["old"] == "preferred by a person: the index's own page"
    assert "a change over time, not a contradiction" in dict(g.reasons)["new"]
    conflict = [m("a", 5, time="2022", override="preferred"), m("b", 6, time="2022", override="deprecated")]
    g = derive("g", conflict)
    assert dict(g.statuses) == {"a": "conflicting", "b": "conflicting"}
    assert dict(g.ranks) == {"a": "preferred", "b": "deprecated"} and g.disputed


def test_a_vaguer_later_figure_keeps_a_change_over_time_visible():
    g = derive("g", [m("a", 588000, time="2021"), m("b", 592000, time="2022"),
                     m("c", 600000, bound="approx", time="2023")])
    assert g.preferred == "c" and g.distinct_values == 3 and not g.disputed
    assert dict(g.statuses) == {"a": "updated", "b": "compatible", "c": "preferred"}
    # and a duplicate of an earlier figure does not merge the two figures either
    g = derive("g", [m("a", 588000, time="2021"), m("b", 592000, time="2022"), m("a2", 588000, time="2021")])
    assert g.distinct_values == 2 and dict(g.statuses)["a2"] == "updated"


def test_compatible_figures_are_their_own_status():
    g = derive("g", [m("lo", 1000000, bound="lower", time="1989"), m("about", 2000000, bound="approx", time="1989"),
                     m("same", 1000000, bound="lower", time="1989", record="2027-01-01T00:00:00Z")])
    assert g.preferred == "same"
    assert dict(g.statuses) == {"lo": "corroborated", "about": "compatible", "same": "preferred"}
    assert g.distinct_values == 2 and not g.disputed
