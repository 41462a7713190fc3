"""One statement, one claim: the claims every extractor read in one document version, those that are the same
statement made one.

Two claims of one version are the same statement when they come from different extractors, their quotes overlap
(character spans in the document text), they have the same subject and the same value: numbers equal, dates equal
or one a more precise form of the other ("2022" and "2022-05"), the same entity, the same text (any case).
Such claims become one claim, the one of the extractor that ranks first (``curated`` first, then the others by
name and version): its fields (property, qualifiers, unit, bound, time, quote span, value) are the claim's, so its
IRI is the one it has alone. The others are kept on it: ``also_read_by`` names them (in the RDF, one
``prov:wasGeneratedBy`` per extraction run) and ``disagreements`` says, one text per extractor, every field it read
otherwise ("frames@1 read property inception, time 2022 (inferred)"; ``lkg:extractorDisagreement``).

A claim joins at most one claim of another extractor, and an extractor's own claims are never merged with each
other (two curated entries on one quote are two statements because someone wrote two). Where a claim could join
several, it joins the one with its property, then the one whose quote overlaps it most, then the one whose quote
comes first. The result depends on the claims alone, not on their order (nor the order the extractors ran in), so
the same inputs give the same claims.
"""
from __future__ import annotations

import dataclasses
from typing import Callable

from ..model import Claim, Value, shorten

FIRST = "curated"  # the extractor whose reading wins where extractors disagree


def rank(claim: Claim) -> tuple:
    """The order extractors win in: curated first, then by name and version."""
    return (claim.extractor != FIRST, claim.extractor, claim.extractor_version)


def same_value(a: Value, b: Value) -> bool:
    """Whether two values say the same: numbers equal, dates equal or one a more precise form of the other, the same
    entity, the same text (any case, any white space)."""
    if a.kind != b.kind:
        return False
    if a.kind == "number":
        return a.decimal == b.decimal
    if a.kind == "date":
        short, long = sorted((a.lexical, b.lexical), key=len)
        return long == short or long.startswith(short + "-")
    if a.kind == "text":
        return " ".join(a.lexical.casefold().split()) == " ".join(b.lexical.casefold().split())
    return a.lexical == b.lexical


def overlap(a: Claim, b: Claim) -> int:
    """How many characters two claims' quotes share (0: none; a quote of no characters inside the other: 1)."""
    lo, hi = max(a.evidence.start, b.evidence.start), min(a.evidence.end, b.evidence.end)
    if hi > lo:
        return hi - lo
    inside = a.evidence.start <= b.evidence.start < a.evidence.end or b.evidence.start <= a.evidence.start < \
        b.evidence.end
    return 1 if inside else 0


def same_statement(a: Claim, b: Claim) -> bool:
    """Whether two claims of one version are one statement (their extractors aside)."""
    return a.subject.iri == b.subject.iri and same_value(a.value, b.value) and overlap(a, b) > 0


def merge(claims: list[Claim], unit_label: Callable[[str], str | None] | None = None) -> list[Claim]:
    """The claims of one document version with each statement once (see the module docstring), in the order of
    the claims that stand for them; ``unit_label`` names a unit IRI in the disagreements (default: the IRI)."""
    def key(i: int) -> tuple:  # by content, not by place: the same claims in any order give the same statements
        c = claims[i]
        return rank(c), c.evidence.start, c.evidence.end, repr(c)

    order = sorted(range(len(claims)), key=key)
    heads: list[int] = []                  # the index of each statement's winning claim, in the order made
    members: dict[int, list[Claim]] = {}   # winning claim's index -> the other extractors' claims it took
    for i in order:
        claim = claims[i]
        best, best_key = None, None
        for h in heads:
            head = claims[h]
            if head.extractor == claim.extractor or not same_statement(head, claim):
                continue
            if any(m.extractor == claim.extractor for m in members[h]) or \
                    any(name == claim.extractor for name, _ in head.also_read_by):
                continue
            fit = (head.property.iri != claim.property.iri, -overlap(head, claim), key(h))
            if best_key is None or fit < best_key:
                best, best_key = h, fit
        if best is None:
            heads.append(i)
            members[i] = []
        else:
            members[best].append(claim)
    out = []
    for h in sorted(heads):
        head, others = claims[h], members[h]
        if not others:
            out.append(head)
            continue
        others.sort(key=rank)
        out.append(dataclasses.replace(
            head, also_read_by=head.also_read_by + tuple((c.extractor, c.extractor_version) for c in others),
            disagreements=head.disagreements + tuple(
                t for t in (disagreement(head, c, unit_label) for c in others) if t)))
    return out


def disagreement(winner: Claim, other: Claim, unit_label: Callable[[str], str | None] | None = None) -> str | None:
    """What ``other`` read otherwise than ``winner``, field by field ("frames@1 read time 2022 (inferred),
    property inception"); None when it read every field alike."""
    def unit(iri):
        return (unit_label(iri) if unit_label else None) or iri

    def quals(c: Claim):
        return tuple((q.property.iri, q.value.lexical) for q in c.qualifiers)

    def time(c: Claim):
        shown = c.time.display()
        return "no time" if shown is None else f"time {shown}" + (" (inferred)" if c.time.inferred else "")

    def when(c: Claim):
        return c.time.point, c.time.start, c.time.end, c.time.inferred and not c.time.is_empty

    fields = []
    if other.value.lexical != winner.value.lexical:
        fields.append(f"value {other.value.display()}")
    if other.property.iri != winner.property.iri:
        fields.append(f"property {other.property.label}")
    if quals(other) != quals(winner):
        fields.append("qualifiers [" + "; ".join(f"{q.property.label}: {q.value.display()}"
                                                for q in other.qualifiers) + "]" if other.qualifiers else
                      "no qualifiers")
    if other.unit != winner.unit:
        fields.append(f"unit {unit(other.unit)}" if other.unit else "no unit")
    if other.bound != winner.bound:
        fields.append(f"bound {other.bound}" if other.bound else "no bound")
    if when(other) != when(winner):
        fields.append(time(other))
    if (other.evidence.start, other.evidence.end) != (winner.evidence.start, winner.evidence.end):
        fields.append(f"quote \"{shorten(other.evidence.quote)}\" at {other.evidence.start}-{other.evidence.end}")
    if not fields:
        return None
    return f"{other.extractor}@{other.extractor_version} read " + ", ".join(fields)
