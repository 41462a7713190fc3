"""Claim groups and what lithkg derives within them, with reasons. Pure functions over claims.

Within a group (same subject, property and scoping qualifiers) each pair of claims is related:

* *corroborates*: the values agree, within the text's bounds and rounding ("more than a million" and
  1,200,000; "about 30%" and 31%; 1989 and 1989-08-23);
* *updates*: different values whose valid times do not overlap; the later one updates the earlier
  (a change over time, not a contradiction);
* *conflicts*: different values for overlapping (or unknown) valid times.

A claim's valid time is its own time qualifier, else its source's date. The preferred claim of a group is the
one with the latest valid time, then the latest source date, then the latest record time; it gets the
preferred rank and the truthy triple. Retracted claims get the deprecated rank and are never preferred.
Large groups relate each claim to its neighbour in time and to the preferred claim instead of to every other
claim, so the work per group stays linear.
"""
from __future__ import annotations

import dataclasses
import datetime as _dt
import itertools
from decimal import Decimal

from ..model import ClaimGroup, GroupMember, Relation, TimeSpec, VersionClaim, date_interval

APPROX_TOLERANCE = Decimal("0.10")  # "about 30%" covers 27% .. 33%
ALL_PAIRS_LIMIT = 30


def _interval(value: GroupMember) -> tuple[Decimal, Decimal]:
    v = value.value.decimal
    if value.bound == "lower":
        return v, Decimal("Infinity")
    if value.bound == "upper":
        return Decimal("-Infinity"), v
    if value.bound == "approx":
        return v - abs(v) * APPROX_TOLERANCE, v + abs(v) * APPROX_TOLERANCE
    return v, v


def _fmt(m: GroupMember) -> str:
    text = m.value.display()
    if m.value.kind == "number":
        d = m.value.decimal
        text = f"{d:,}" if d == d.to_integral_value() and abs(d) >= 10000 else text
        prefix = {"lower": "more than ", "upper": "less than ", "approx": "about "}.get(m.bound or "", "")
        return prefix + text
    return text


def values_agree(a: GroupMember, b: GroupMember) -> str | None:
    """Why two values agree, or None when they differ."""
    if a.value.kind != b.value.kind:
        return None
    if a.value.kind == "number":
        if (a.unit or "") != (b.unit or ""):
            return None
        if a.value.decimal == b.value.decimal and a.bound == b.bound:
            return f"same value ({_fmt(a)})"
        lo1, hi1 = _interval(a)
        lo2, hi2 = _interval(b)
        if lo1 <= hi2 and lo2 <= hi1:
            return f"values agree within their bounds ({_fmt(a)} and {_fmt(b)})"
        return None
    if a.value.kind == "date":
        x, y = a.value.lexical, b.value.lexical
        if x == y:
            return f"same date ({x})"
        if x.startswith(y) or y.startswith(x):
            return f"same date at different precision ({min(x, y, key=len)} and {max(x, y, key=len)})"
        return None
    if a.value.lexical == b.value.lexical:
        return f"same value ({a.value.display()})"
    return None


def valid_time(m: GroupMember) -> tuple[tuple[_dt.date, _dt.date] | None, str, str | None]:
    """A member's valid-time interval, how it was found ('valid time' or 'source date'), and its text."""
    interval = m.time.interval()
    if interval is not None:
        return interval, "valid time", m.time.display()
    if m.source_date:
        return date_interval(m.source_date), "source date", m.source_date
    return None, "no date", None


def _order_key(m: GroupMember):
    interval, _, _ = valid_time(m)
    start = interval[0] if interval else _dt.date.min
    end = interval[1] if interval else _dt.date.min
    src = date_interval(m.source_date)[0] if m.source_date else _dt.date.min
    return (start, end, src, m.record_time, m.claim)


def relate(a: GroupMember, b: GroupMember) -> Relation:
    """The relation between two claims of one group, oriented from the later to the earlier for updates."""
    agree = values_agree(a, b)
    if agree:
        first, second = sorted((a, b), key=lambda m: m.claim)
        return Relation("corroborates", first.claim, second.claim, agree)
    (ia, _, ta), (ib, _, tb) = valid_time(a), valid_time(b)
    cited = ""
    if a.cited_source and b.cited_source and a.cited_source != b.cited_source:
        cited = f"; they cite different sources ({a.cited_source} / {b.cited_source})"
    if ia is not None and ib is not None and (ia[1] < ib[0] or ib[1] < ia[0]):
        new, old = (a, b) if ia[0] > ib[0] else (b, a)
        (_, how_n, tn), (_, how_o, to) = valid_time(new), valid_time(old)
        basis = "valid time" if how_n == how_o == "valid time" else "date"
        return Relation("updates", new.claim, old.claim,
                        f"a later {basis} ({tn} after {to}) and a different value "
                        f"({_fmt(new)} instead of {_fmt(old)}): a change over time, not a contradiction{cited}")
    first, second = sorted((a, b), key=lambda m: m.claim)
    when = ta if ta == tb and ta else (f"{ta or 'no date'} and {tb or 'no date'}")
    overlap = "overlapping valid time" if ia is not None and ib is not None else "no valid time to tell them apart"
    return Relation("conflicts", first.claim, second.claim,
                    f"different values ({_fmt(first)} and {_fmt(second)}) for {overlap} ({when}){cited}")


def _value_classes(members: list[GroupMember]) -> list[list[GroupMember]]:
    classes: list[list[GroupMember]] = []
    for m in members:
        for cls in classes:
            if values_agree(cls[0], m):
                cls.append(m)
                break
        else:
            classes.append([m])
    return classes


def derive(group: str, members: list[GroupMember]) -> ClaimGroup:
    """The derived state of one group: preferred claim, statuses, relations with reasons."""
    ordered = sorted(members, key=_order_key)
    live = [m for m in ordered if not m.retracted and m.override != "deprecated" and m.correction != "rejected"]
    chosen = [m for m in live if m.override == "preferred"] or [m for m in live if m.correction == "confirmed"]
    preferred = chosen[-1] if chosen else (live[-1] if live else None)
    if len(ordered) <= ALL_PAIRS_LIMIT:
        pairs = itertools.combinations(ordered, 2)
    else:
        neighbours = list(zip(ordered, ordered[1:]))
        to_pref = [(m, preferred) for m in ordered if preferred and m is not preferred]
        pairs = {(a.claim, b.claim): (a, b) for a, b in neighbours + to_pref}.values()
    relations = sorted({relate(a, b) for a, b in pairs},
                       key=lambda r: (r.source, r.target, r.kind))
    statuses = {}
    for m in ordered:
        if m.correction == "rejected":
            statuses[m.claim] = "rejected"
        elif m.override == "deprecated" and m is not preferred:
            statuses[m.claim] = "deprecated"
        elif m.retracted:
            statuses[m.claim] = "retracted"
        elif preferred is None or m is preferred:
            statuses[m.claim] = "preferred"
        else:
            rel = relate(m, preferred)
            statuses[m.claim] = {"corroborates": "corroborated", "updates": "updated",
                                 "conflicts": "conflicting"}[rel.kind]
            if rel.kind == "updates" and rel.source == m.claim:  # a retraction left an older value preferred
                statuses[m.claim] = "conflicting"
    classes = _value_classes(live)
    disputed = any(r.kind == "conflicts" for r in relations
                   if statuses.get(r.source) not in ("retracted", "rejected")
                   and statuses.get(r.target) not in ("retracted", "rejected"))
    return ClaimGroup(iri=group, members=tuple(sorted(m.claim for m in members)),
                      preferred=preferred.claim if preferred else None,
                      statuses=tuple(sorted(statuses.items())), relations=tuple(relations),
                      distinct_values=max(1, len(classes)), disputed=disputed)


def preference_reason(preferred: GroupMember, members: list[GroupMember], override_reason: str | None = None) -> str:
    """Why the preferred claim is preferred, in words."""
    if preferred.override == "preferred":
        return f"preferred by a person: {override_reason}" if override_reason else "preferred by a person"
    if len(members) == 1:
        return "the only claim of its group"
    interval, how, when = valid_time(preferred)
    tied = [m for m in members if m is not preferred and not m.retracted and valid_time(m)[0] == interval]
    if how == "valid time" and tied:
        return f"the latest valid time ({when}), and of the claims for that time the latest source date " \
               f"({preferred.source_date or 'none'})"
    if how == "valid time":
        return f"the latest valid time ({when})"
    if how == "source date":
        return f"the latest source date ({when}); the claim states no valid time"
    return "the most recently recorded claim; no claim of the group has a date"


@dataclasses.dataclass(frozen=True)
class Comparison:
    """How a newer version of a source stands to an older one."""

    continued: tuple[tuple[VersionClaim, VersionClaim], ...]   # (new, old): the same statement again
    changed: tuple[tuple[VersionClaim, VersionClaim], ...]     # (new, old): the same quantity, another value
    added: tuple[VersionClaim, ...]
    retracted: tuple[VersionClaim, ...]                        # old claims the new version no longer makes


def compare(old: list[VersionClaim], new: list[VersionClaim]) -> Comparison:
    """Pair the claims of two versions of one source: equal statements continue, claims of one group with other
    values change (paired in text order), the rest are added or retracted."""
    old_left = sorted(old, key=lambda c: (c.start, c.claim))
    new_left = sorted(new, key=lambda c: (c.start, c.claim))
    continued, changed = [], []
    by_key: dict[tuple, list[VersionClaim]] = {}
    for c in old_left:
        by_key.setdefault(c.key, []).append(c)
    rest_new = []
    for c in new_left:
        match = by_key.get(c.key)
        if match:
            continued.append((c, match.pop(0)))
        else:
            rest_new.append(c)
    matched_old = {o.claim for _, o in continued}
    rest_old = [c for c in old_left if c.claim not in matched_old]
    by_group: dict[str, list[VersionClaim]] = {}
    for c in rest_old:
        by_group.setdefault(c.group, []).append(c)
    added = []
    for c in rest_new:
        olds = by_group.get(c.group)
        if olds:
            o = olds.pop(0)
            same = (c.value == o.value or (c.value[:4].isdigit() and (c.value.startswith(o.value) or
                                                                      o.value.startswith(c.value)))) \
                and (c.unit or "") == (o.unit or "") and (c.bound or "") == (o.bound or "")
            (continued if same else changed).append((c, o))  # the same value, said again in other words
        else:
            added.append(c)
    paired = {o.claim for _, o in changed} | {o.claim for _, o in continued}
    retracted = [c for c in rest_old if c.claim not in paired]
    return Comparison(tuple(continued), tuple(changed), tuple(added), tuple(retracted))


def lineage(versions: list[str], claims: list[VersionClaim]) -> dict:
    """Compare each version of a source with the one before it: what each claim continues or revises, and at
    which version each claim was retracted."""
    by_doc: dict[str, list[VersionClaim]] = {v: [] for v in versions}
    for c in claims:
        by_doc.setdefault(c.document, []).append(c)
    continues, revises, retracted = [], [], {}
    for older, newer in zip(versions, versions[1:]):
        cmp = compare(by_doc[older], by_doc[newer])
        continues += [(n.claim, o.claim) for n, o in cmp.continued]
        revises += [(n.claim, o.claim) for n, o in cmp.changed]
        retracted.update({c.claim: newer for c in cmp.retracted})
    return {"continues": sorted(continues), "revises": sorted(revises), "retracted": dict(sorted(retracted.items()))}


__all__ = ["derive", "relate", "values_agree", "valid_time", "preference_reason", "compare", "lineage", "TimeSpec"]
