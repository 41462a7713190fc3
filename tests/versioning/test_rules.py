from lithkg.model import GroupMember, TimeSpec, Value
from lithkg.versioning.rules import derive, relate, values_agree


def m(claim, value, *, time=None, bound=None, source_date="2022", doc=None, unit=None, retracted=False, cited=None,
      record="2026-01-01T00:00:00Z"):
    v = Value.number(value) if isinstance(value, (int, float)) else Value.date(value)
    return GroupMember(claim=claim, value=v, unit=unit, bound=bound, time=TimeSpec(point=time), document=doc or claim,
                       source="s", source_date=source_date, record_time=record, retracted=retracted,
                       cited_source=cited)


def test_values_agree_within_bounds_and_precision():
    assert values_agree(m("a", 1000000, bound="lower"), m("b", 1200000)) == \
        "values agree within their bounds (more than 1,000,000 and 1,200,000)"
    assert values_agree(m("a", 30, bound="approx"), m("b", 31)) is not None
    assert values_agree(m("a", 30, bound="approx"), m("b", 34)) is None
    assert values_agree(m("a", 1000000, bound="approx"), m("b", 2000000, bound="approx")) is None
    assert values_agree(m("a", "1989"), m("b", "1989-08-23")) == "same date at different precision (1989 and 1989-08-23)"
    assert values_agree(m("a", 5, unit="u:km"), m("b", 5, unit="u:mi")) is None


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
    assert g.preferred in ("c6", "c6b", "c5")
    assert statuses["c57"] == statuses["c4"] == "updated"
    assert g.distinct_values == 4 and g.disputed
    kinds = {(r.kind, r.source, r.target) for r in g.relations}
    assert ("corroborates", "c6", "c6b") in kinds
    assert ("updates", "c4", "c57") in kinds


def test_retracted_claims_are_never_preferred():
    g = derive("g", [m("old", 1, time="2020"), m("new", 2, time="2022", retracted=True)])
    assert g.preferred == "old"
    assert dict(g.statuses) == {"old": "preferred", "new": "retracted"}
    assert not g.disputed


def test_single_claim_group():
    g = derive("g", [m("only", 3)])
    assert g.preferred == "only" and g.relations == () and g.distinct_values == 1 and not g.disputed


def test_large_groups_relate_neighbours_and_the_preferred_only():
    members = [m(f"c{i:03}", i, time=str(1900 + i)) for i in range(100)]
    g = derive("g", members)
    assert len(g.relations) < 2 * len(members)
    assert g.preferred == "c099"
    assert all(s == "updated" for c, s in g.statuses if c != "c099")
