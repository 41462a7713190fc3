"""The filters of ``lithkg conflicts`` (and ``conflicts --possible``): which claim groups to show.

The listing shows claim groups side by side, so the filters pick groups, never single values: a group is kept, whole,
when one of its claims passes every filter given:

- ``subject``, ``property``: the claim's subject and property (labels, aliases and IRIs resolved as ``lithkg claims``
  resolves them);
- ``source``: the claim's document belongs to that source (its key, its url, a file name of one of its versions, or
  a version's IRI or short id);
- ``status``: the claim's status in its group;
- ``since``: the claim's valid time (its point in time, start or end) or its document's source date is on or after
  that date (at the precision given: 2022 counts up to its end, so ``since=2022-06`` keeps a claim for 2022).

A pair of possibly-the-same groups is kept when a claim of either group passes. The filters read the rows the
listings give (their ``claim``, ``group`` and ``status``) and the store; they never change a listing's rows.
"""
from __future__ import annotations

import dataclasses

from ..errors import UsageError
from ..model import STATUSES
from ..session import Session
from .listings import day


@dataclasses.dataclass
class ClaimFacts:
    """What a filter asks of one claim beside its listing row."""
    subject: str
    property: str
    document: str
    dates: list[str]  # its point in time, start, end, and its document's source date (those it has)


def claim_facts(session: Session, claims=None) -> dict[str, ClaimFacts]:
    """Each claim's (every claim's, or those of ``claims``) subject, property, document and dates: claim IRI ->
    :class:`ClaimFacts`."""
    out: dict[str, ClaimFacts] = {}
    only = "" if claims is None else "VALUES ?claim { " + " ".join(f"<{c}>" for c in sorted(claims)) + " }"
    for r in session.store.select("""
SELECT ?claim ?subject ?property ?doc ?point ?start ?end ?sdate WHERE { """ + only + """
  ?claim a lkg:Claim ; lkg:subject ?subject ; lkg:property ?property ; prov:wasDerivedFrom ?doc .
  OPTIONAL { ?claim lkg:pointInTime ?point }
  OPTIONAL { ?claim lkg:startTime ?start }
  OPTIONAL { ?claim lkg:endTime ?end }
  OPTIONAL { ?doc lkg:sourceDate ?sdate }
}"""):
        facts = out.setdefault(r["claim"].value, ClaimFacts(r["subject"].value, r["property"].value, r["doc"].value,
                                                            []))
        facts.dates += [r[k].value for k in ("point", "start", "end", "sdate") if r.get(k) is not None]
    return out


def source_documents(session: Session, source: str) -> set[str]:
    """The document versions of the source ``source`` names (its key, its url, a version's file name, IRI or short
    id); an unknown source is a UsageError."""
    rows = session.store.select("""
SELECT ?doc ?key ?file ?url WHERE {
  ?doc a lkg:DocumentVersion ; prov:specializationOf ?src ; lkg:fileName ?file .
  ?src lkg:sourceKey ?key .
  OPTIONAL { ?src lkg:url ?url }
}""")
    named = set(session.match_ids("document", source)) | {source}
    keys = {r["key"].value for r in rows
            if {r["doc"].value, r["key"].value, r["file"].value, r["url"].value if r.get("url") else None} & named}
    if not keys:
        raise UsageError(f"no source '{source}' in the store", hint="see 'lithkg log'")
    return {r["doc"].value for r in rows if r["key"].value in keys}


def _on_or_after(dates: list[str], since: str) -> bool:
    for d in dates:
        try:
            if day(d, end=True) >= since:
                return True
        except UsageError:  # (a date the store holds that is no ISO date: it says nothing about the filter)
            continue
    return False


def claim_test(session: Session, *, subject: str | None = None, property: str | None = None,
               source: str | None = None, status: str | None = None, since: str | None = None, claims=None):
    """A test of one listing row (its ``claim`` and ``status``) against the filters, or None when no filter is given.
    Names are resolved (and refused) before anything is read; ``claims``: the claims it will test (only theirs are
    read)."""
    if not any((subject, property, source, status, since)):
        return None
    want_subject = session.resolve_entity(subject) if subject else None
    want_property = session.resolve_property(property) if property else None
    if status and status not in STATUSES:
        raise UsageError(f"unknown status '{status}'", hint="use one of: " + ", ".join(STATUSES))
    try:
        since_day = day(since) if since else None
    except UsageError:
        raise UsageError(f"--since '{since}' is not a date", hint="write YYYY, YYYY-MM or YYYY-MM-DD") from None
    documents = source_documents(session, source) if source else None
    facts = claim_facts(session, claims) if (subject or property or source or since) else None

    def test(row: dict) -> bool:
        if status and row.get("status") != status:
            return False
        if facts is None:
            return True
        f = facts.get(row["claim"])
        if f is None:
            return False
        return ((want_subject is None or f.subject == want_subject)
                and (want_property is None or f.property == want_property)
                and (documents is None or f.document in documents)
                and (since_day is None or _on_or_after(f.dates, since_day)))
    return test


def filter_conflicts(session: Session, rows: list[dict], *, subject: str | None = None, property: str | None = None,
                     source: str | None = None, status: str | None = None, since: str | None = None) -> list[dict]:
    """The rows of :func:`lithkg.read.listings.conflicts` of the groups that pass the filters (see the module
    docstring): each group kept whole, the rows in their order."""
    test = claim_test(session, subject=subject, property=property, source=source, status=status, since=since,
                      claims={r["claim"] for r in rows})
    if test is None:
        return rows
    keep = {r["group"] for r in rows if test(r)}
    return [r for r in rows if r["group"] in keep]


def filter_links(session: Session, links: list[dict], *, subject: str | None = None, property: str | None = None,
                 source: str | None = None, status: str | None = None, since: str | None = None) -> list[dict]:
    """The links of :func:`lithkg.read.possible.possible_links` where a claim of either group passes the filters."""
    test = claim_test(session, subject=subject, property=property, source=source, status=status, since=since,
                      claims={c["claim"] for link in links for c in link["claims"] + link["other_claims"]})
    if test is None:
        return links
    return [link for link in links if any(test(c) for c in link["claims"] + link["other_claims"])]
