"""Claim groups and what lithkg derives within them, with reasons. Pure functions over claims.

Within a group (same subject, property and scoping qualifiers) two claims are related as one of:

* *corroborates*: the same value, within the text's rounding and with the same bound (1,690,000,000 and
  1,692,000,000 when the first is given to three significant digits; "more than a million" twice; 1989 and
  1989-08-23, one date at two precisions);
* *compatible*: different figures whose bounds overlap ("more than a million" and "about two million"; "about 30%"
  and 31%): they do not contradict each other, but they are not the same figure;
* *updates*: different values whose valid times do not overlap; the later one updates the earlier
  (a change over time, not a contradiction);
* *conflicts*: different values for overlapping (or unknown) valid times.

A claim's valid time is its own time qualifier, else its source's date. The preferred claim of a group is the one
a person preferred, else the one with the latest valid time, then the latest source date, then the latest record
time; it gets the preferred rank and the truthy triple. A claim a newer version of its source no longer states
is *no longer stated* (deprecated rank) and takes no part in the other rules.

Each stated claim's status comes from its relations with every other stated claim of its group, not only with the
preferred one (see :data:`STATUS_TABLE`): *conflicting* when another claim gives a different value for an
overlapping or unknown time (whatever the ranks; its reason names those claims), else *deprecated* when a person
said so, else *preferred*, else *updated* when a later claim gives another value, else *outranked* (a later value
than the claim a person preferred), else *corroborated* or *compatible* as it stands to the preferred claim.
Large groups relate each claim to the claims whose time overlaps its own, to its neighbour in time and to the
preferred claim instead of to every other claim.
"""
from __future__ import annotations

import dataclasses
import datetime as _dt
import itertools
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from ..model import ClaimGroup, GroupMember, Relation, TimeSpec, VersionClaim, date_interval
from .corrections import NOT_STATING

APPROX_TOLERANCE = Decimal("0.10")  # "about 30%" covers 27% .. 33%
ALL_PAIRS_LIMIT = 30
NAMED_CONFLICTS = 5  # a conflicting claim's reason names at most this many of the claims it conflicts with

# status -> (rank, meaning): the one table of statuses (docs/architecture.md and ontology/lithkg.ttl say the same)
STATUS_TABLE = {
    "preferred": ("preferred", "the group's preferred claim: a person preferred it, else it has the latest valid "
                               "time; no other claim conflicts with it"),
    "corroborated": ("normal", "the same value as the preferred claim, within the text's rounding"),
    "compatible": ("normal", "a different figure whose bounds overlap the preferred claim's (\"more than a million\" "
                             "and \"about two million\"): no contradiction, not the same figure"),
    "updated": ("normal", "a later claim of the group gives another value: a change over time"),
    "outranked": ("normal", "a later value than the claim a person preferred"),
    "conflicting": ("normal", "another claim of the group gives a different value for an overlapping or unknown "
                              "time; the reason names those claims (the preferred claim keeps its preferred rank, a "
                              "deprecated one its deprecated rank)"),
    "no longer stated": ("deprecated", "a newer version of the same source no longer states it (the version is "
                                       "lkg:noLongerStatedIn); kept, never deleted"),
    "retracted": ("deprecated", "its source withdrew it (nothing produces this yet; stores built before read their "
                                "\"retracted\" claims as no longer stated)"),
    "deprecated": ("deprecated", "a person gave it the deprecated rank (lithkg rank)"),
}


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


def same_number(a: Decimal, b: Decimal) -> bool:
    """Whether two figures are the same within rounding: equal, or equal once the more precise is rounded to the
    significant digits of the less precise (1.69e9 and 1,692,000,000; 5.2 and 5.24). The less precise must give
    at least two significant digits, and be a fraction or at least 1,000: 10 and 12, 120 and 123, 2,000,000 and
    2,400,000 are different figures (ranks, counts and round millions are meant as written)."""
    if a == b:
        return True
    try:
        na, nb = a.normalize(), b.normalize()
        coarse, fine = (na, nb) if na.as_tuple().exponent > nb.as_tuple().exponent else (nb, na)
        digits = coarse.as_tuple()
        if len(digits.digits) < 2 or (digits.exponent >= 0 and abs(coarse) < 1000):
            return False
        return fine.quantize(Decimal(1).scaleb(digits.exponent), rounding=ROUND_HALF_UP) == coarse
    except (InvalidOperation, ValueError):
        return False


def values_agree(a: GroupMember, b: GroupMember) -> str | None:
    """Why two values are the same (the claims corroborate each other), or None when they differ."""
    if a.value.kind != b.value.kind:
        return None
    if a.value.kind == "number":
        if (a.unit or "") != (b.unit or "") or (a.bound or "") != (b.bound or ""):
            return None
        if a.value.decimal == b.value.decimal:
            return f"same value ({_fmt(a)})"
        if same_number(a.value.decimal, b.value.decimal):
            return f"the same value within rounding ({_fmt(a)} and {_fmt(b)})"
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


def values_compatible(a: GroupMember, b: GroupMember) -> str | None:
    """Why two different figures are compatible (their bounds overlap), or None (the same value, or apart)."""
    if a.value.kind != "number" or b.value.kind != "number" or (a.unit or "") != (b.unit or ""):
        return None
    if values_agree(a, b):
        return None
    (lo1, hi1), (lo2, hi2) = _interval(a), _interval(b)
    if lo1 <= hi2 and lo2 <= hi1:
        return f"different figures whose bounds overlap ({_fmt(a)} and {_fmt(b)}): compatible, not the same figure"
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
    first, second = sorted((a, b), key=lambda m: m.claim)
    agree = values_agree(a, b)
    if agree:
        return Relation("corroborates", first.claim, second.claim, agree)
    compatible = values_compatible(first, second)
    if compatible:
        return Relation("compatible", first.claim, second.claim, compatible)
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
    when = ta if ta == tb and ta else (f"{ta or 'no date'} and {tb or 'no date'}")
    overlap = "overlapping valid time" if ia is not None and ib is not None else "no valid time to tell them apart"
    return Relation("conflicts", first.claim, second.claim,
                    f"different values ({_fmt(first)} and {_fmt(second)}) for {overlap} ({when}){cited}")


def _pairs(ordered: list[GroupMember], preferred: GroupMember | None):
    """The pairs of claims to relate: every pair in a small group; in a large one each claim with the claims whose
    time overlaps its own (or that have none), with its neighbour in time and with the preferred claim."""
    if len(ordered) <= ALL_PAIRS_LIMIT:
        return list(itertools.combinations(ordered, 2))
    pairs = {}
    timed = [(valid_time(m)[0], m) for m in ordered]
    untimed = [m for iv, m in timed if iv is None]
    timed = [(iv, m) for iv, m in timed if iv is not None]  # ordered by start
    for i, (iv, m) in enumerate(timed):
        for iv2, m2 in timed[i + 1:]:
            if iv2[0] > iv[1]:
                break
            pairs[(m.claim, m2.claim)] = (m, m2)
    for m in untimed:
        for m2 in ordered:
            if m2 is not m:
                pairs[tuple(sorted((m.claim, m2.claim)))] = (m, m2)
    for a, b in zip(ordered, ordered[1:]):
        pairs[(a.claim, b.claim)] = (a, b)
    for m in ordered:
        if preferred is not None and m is not preferred:
            pairs[tuple(sorted((m.claim, preferred.claim)))] = (m, preferred)
    return list(pairs.values())


def pair_relations(members: list[GroupMember]) -> list[Relation]:
    """The relations between the claims of one group (every pair of a small group; see :func:`_pairs`), what the
    listings derive on read: the store keeps only each claim's relation to the preferred claim."""
    ordered = sorted(members, key=_order_key)
    preferred = _choose(ordered)
    return sorted({relate(a, b) for a, b in _pairs(ordered, preferred)}, key=lambda r: (r.source, r.target, r.kind))


CORRECTED_REASONS = {
    "rejected": "a person rejected it (see 'lithkg corrections' for who and why)",
    "amended": "a person amended it: the claim their correction made takes its place (see 'lithkg corrections')",
    "withdrawn": "made by a correction that is not in force (undone, or not yet made): it states nothing",
}


def dropped(claim: str, lineage: dict) -> bool:
    """Whether a source no longer states ``claim``'s statement, by its lineage (see :func:`lineage`): the claim,
    or the last claim of a later version that continues it, is no longer stated."""
    later = {old: new for new, old in lineage.get("continues", ())}
    seen = {claim}
    while claim in later and later[claim] not in seen:
        claim = later[claim]
        seen.add(claim)
    return claim in lineage.get("retracted", {})


def states(m: GroupMember) -> bool:
    """Whether a claim states its value now: not dropped by a newer version of its source, and not rejected,
    amended or withdrawn by an analyst's correction."""
    return not m.retracted and m.correction not in NOT_STATING


def _choose(ordered: list[GroupMember]) -> GroupMember | None:
    """The preferred claim: a person's preferred rank first, then a claim a person confirmed, then the latest;
    never a claim no longer stated, deprecated or rejected."""
    choosable = [m for m in ordered if not m.retracted and m.override != "deprecated" and m.correction not in NOT_STATING]
    chosen = [m for m in choosable if m.override == "preferred"] or \
        [m for m in choosable if m.correction == "confirmed"]
    return chosen[-1] if chosen else (choosable[-1] if choosable else None)


def _when(m: GroupMember) -> str:
    return valid_time(m)[2] or "no date"


def _named(m: GroupMember) -> str:
    return f"{_fmt(m)} ({_when(m)}) in {m.label or m.document}"


def derive(group: str, members: list[GroupMember], override_reasons: dict[str, str] | None = None) -> ClaimGroup:
    """The derived state of one group: preferred claim, each claim's status, rank and reason, its relation to the
    preferred claim, the pairs that conflict (see the module docstring). ``override_reasons``: why a person ranked
    a claim (claim -> reason), for the preferred claim's reason."""
    ordered = sorted(members, key=_order_key)
    stated = [m for m in ordered if states(m)]
    preferred = _choose(ordered)
    by_claim = {m.claim: m for m in ordered}
    conflicts: dict[str, list[GroupMember]] = {}
    updated_by: dict[str, list[GroupMember]] = {}
    pairs = set()
    for a, b in _pairs(stated, preferred):
        r = relate(a, b)
        if r.kind == "conflicts":
            conflicts.setdefault(a.claim, []).append(b)
            conflicts.setdefault(b.claim, []).append(a)
            pairs.add((r.source, r.target))
        elif r.kind == "updates":
            updated_by.setdefault(r.target, []).append(by_claim[r.source])
    to_preferred = {m.claim: relate(m, preferred) for m in ordered if preferred is not None and m is not preferred}
    statuses, reasons, ranks = {}, {}, {}
    for m in ordered:
        rel = to_preferred.get(m.claim)
        ranks[m.claim] = "preferred" if m is preferred else \
            "deprecated" if m.retracted or m.override == "deprecated" or m.correction in NOT_STATING else "normal"
        others = sorted(conflicts.get(m.claim, []), key=_order_key)
        if m.correction in NOT_STATING:
            status, reason = m.correction, CORRECTED_REASONS[m.correction]
        elif m.retracted:
            status, reason = "no longer stated", "a newer version of its source no longer states it"
        elif others:
            names = list(dict.fromkeys(_named(o) for o in others))  # a figure read twice from one text: named once
            named = "; ".join(names[:NAMED_CONFLICTS])
            more = f" and {len(names) - NAMED_CONFLICTS} more" if len(names) > NAMED_CONFLICTS else ""
            status = "conflicting"
            reason = f"conflicts with {named}{more}: {'a different value' if len(names) == 1 else 'different values'}" \
                     f" for an overlapping or unknown time, against {_fmt(m)} ({_when(m)})"
        elif m.override == "deprecated":
            status, reason = "deprecated", "a person gave it the deprecated rank"
        elif m is preferred:
            status, reason = "preferred", preference_reason(m, members, (override_reasons or {}).get(m.claim))
        elif updated_by.get(m.claim):
            newer = sorted(updated_by[m.claim], key=_order_key)[-1]
            status, reason = "updated", f"updated by {_named(newer)}: {relate(newer, m).reason}"
        elif rel is not None and rel.kind == "updates" and rel.source == m.claim:
            status, reason = "outranked", f"{rel.reason}; a person preferred {_named(preferred)}"
        elif rel is not None and rel.kind == "corroborates":
            status, reason = "corroborated", f"{values_agree(m, preferred)}, as the preferred claim ({_named(preferred)})"
        elif rel is not None and rel.kind == "compatible":
            status = "compatible"
            reason = f"{values_compatible(m, preferred)}, against the preferred claim ({_named(preferred)})"
        else:  # an update from a claim the large-group pairs did not reach
            status, reason = "updated", rel.reason if rel is not None else "a later claim gives another value"
        statuses[m.claim], reasons[m.claim] = status, reason
    classes = _value_classes(stated)
    return ClaimGroup(iri=group, members=tuple(sorted(m.claim for m in members)),
                      preferred=preferred.claim if preferred else None,
                      statuses=tuple(sorted(statuses.items())),
                      relations=tuple(sorted(to_preferred.values(), key=lambda r: (r.source, r.target, r.kind))),
                      distinct_values=max(1, len(classes)), disputed=bool(pairs),
                      ranks=tuple(sorted(ranks.items())), reasons=tuple(sorted(reasons.items())),
                      conflicts=tuple(sorted(pairs)))


def _value_classes(members: list[GroupMember]) -> list[list[GroupMember]]:
    """The claims grouped by value: the same value within rounding, never merely compatible figures, so a vaguer
    figure ("about 600,000") does not merge a change (588,000 then 592,000) into one value."""
    classes: list[list[GroupMember]] = []
    for m in members:
        for cls in classes:
            if values_agree(cls[0], m):
                cls.append(m)
                break
        else:
            classes.append([m])
    return classes


def preference_reason(preferred: GroupMember, members: list[GroupMember], override_reason: str | None = None) -> str:
    """Why the preferred claim is preferred, in words."""
    if preferred.override == "preferred":
        return f"preferred by a person: {override_reason}" if override_reason else "preferred by a person"
    if preferred.correction == "confirmed":
        return "a person confirmed it against its quote (see 'lithkg corrections'); confirmed claims come first"
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


__all__ = ["derive", "relate", "pair_relations", "values_agree", "values_compatible", "same_number", "STATUS_TABLE", "valid_time", "preference_reason", "compare", "lineage", "TimeSpec"]
