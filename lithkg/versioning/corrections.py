"""Analyst corrections: dated, attributed, reasoned records, each in a named graph of its own, never edited.

A correction says what a person decided about the graph the extractors made:

========== ============================================================ =====================================
kind       what it records                                              what derivation does with it
========== ============================================================ =====================================
reject     the claim is wrong (the extractor misread the text)          status ``rejected``, deprecated rank,
                                                                        never preferred, in no conflict
confirm    a person checked the claim against its quote                 preferred before unconfirmed claims of
                                                                        its group; listed as confirmed
accept     two groups a "possibly the same quantity" link joins are     the link is listed as accepted
           one quantity (``lithkg conflicts --possible``)
refuse     they are not                                                 the link is no longer suggested
amend      the claim, with some of its subject, property, qualifiers,   the claim is ``amended`` (deprecated,
           value, unit, bound or time set right by hand                 states nothing); a new claim with the
                                                                        fields set right (the record's
                                                                        ``made``) takes its place
merge      two groups hold one quantity: the claims of the second move  each claim of the second group is
           into the first                                               ``amended`` into one of the first
split      the claim holds a quantity of its own: it leaves its group   the claim is ``amended`` into a new
                                                                        group of its own
undo       withdraws an earlier correction (a later record, so the      the earlier record has no effect from
           history stays whole)                                         then on
========== ============================================================ =====================================

The claims an amend, merge or split makes (see :mod:`lithkg.versioning.amending`) live in the record's own graph,
each ``lkg:amends`` the claim it replaces and is derived from the same document version and quote; while the
record is in force they state what the claim they replace no longer does, and a withdrawn record's claims are
``withdrawn``: they state nothing (and before the record was made they did not exist).

Records are read back as :class:`Correction`; :func:`effective` says which hold at a moment (record time), so
``--as-of`` before a correction shows the graph without it. The store side (quads, reads) is
:func:`lithkg.rdf.mapping.correction_quads` and :func:`lithkg.versioning.stored.corrections`; the one writer is
:meth:`lithkg.versioning.deriver.Deriver.correct`, which writes the record and the derived graphs it changes in one
transaction.
"""
from __future__ import annotations

import dataclasses

CLAIM_KINDS = ("reject", "confirm")
REPLACING_KINDS = ("amend", "merge", "split")  # the claims they are about are replaced by claims the record makes
LINK_KINDS = ("accept", "refuse")
KINDS = CLAIM_KINDS + REPLACING_KINDS + LINK_KINDS + ("undo",)
# what a claim correction makes of the claim, in GroupMember.correction and the listings
CLAIM_EFFECT = {"reject": "rejected", "confirm": "confirmed", "amend": "amended", "merge": "amended",
                "split": "amended"}
# the corrections under which a claim states nothing (it takes part in no conflict and is never preferred)
NOT_STATING = frozenset({"rejected", "amended", "withdrawn"})


@dataclasses.dataclass(frozen=True)
class Correction:
    """One correction record: its IRI, kind, what it is about (claims, or two groups for a link or a merge, or the
    record it withdraws), why, who and when (an ISO date-time in UTC). An amend, merge or split also has the claims
    it made (``made``, in the order of ``claims``) and what it set (``changes``, a JSON object as text: see
    :mod:`lithkg.versioning.amending`)."""

    iri: str
    kind: str
    reason: str
    by: str
    at: str
    claims: tuple[str, ...] = ()
    groups: tuple[str, ...] = ()
    withdraws: str | None = None
    made: tuple[str, ...] = ()
    changes: str = ""


def effective(records: list[Correction], as_of: str | None = None) -> list[Correction]:
    """The records in force at ``as_of`` (a date-time; None: now): recorded by then and not withdrawn by an undo
    recorded by then, oldest first."""
    known = [r for r in records if as_of is None or r.at <= as_of]
    withdrawn = {r.withdraws for r in known if r.kind == "undo"}
    return sorted((r for r in known if r.kind != "undo" and r.iri not in withdrawn), key=lambda r: (r.at, r.iri))


def claim_effects(records: list[Correction], as_of: str | None = None) -> dict[str, tuple[str, Correction]]:
    """Each corrected claim's standing ("rejected", "confirmed" or "amended") and the record that set it: the
    latest record in force about it wins. A claim an amend, merge or split made is "withdrawn" while its record
    is not in force (undone, or not yet made at ``as_of``)."""
    out: dict[str, tuple[str, Correction]] = {c: ("withdrawn", r) for r in records for c in r.made}
    for r in effective(records, as_of):
        for c in r.made:
            out.pop(c, None)
        if r.kind in CLAIM_EFFECT:
            for c in r.claims:
                out[c] = (CLAIM_EFFECT[r.kind], r)
    return out


def link_effects(records: list[Correction], as_of: str | None = None) -> dict[frozenset, tuple[str, Correction]]:
    """Each decided link (the pair of groups) and its decision ("accepted" or "refused"), the latest in force."""
    out: dict[frozenset, tuple[str, Correction]] = {}
    for r in effective(records, as_of):
        if r.kind in LINK_KINDS:
            out[frozenset(r.groups)] = ("accepted" if r.kind == "accept" else "refused", r)
    return out
