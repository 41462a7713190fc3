"""``lithkg diff``: what changed between two document versions, as rows (claims added, retracted and changed, with both
quotes) or as RDF (a graph of the statements removed and one of those added).

The comparison itself is :func:`lithkg.versioning.rules.compare`; the claims of the versions are read with
:func:`lithkg.versioning.stored.source_claims_of`.
"""
from __future__ import annotations

import io

import pyoxigraph as ox

from ..errors import UsageError
from ..model import VersionClaim
from ..rdf import exports, formats, mapping
from ..session import Session
from ..versioning import rules, stored
from .listings import group_labels, log
from .sparql import json_value, run_named


def version_of(session: Session, ref: str) -> str:
    """A stored document version's IRI from its IRI, its short id (see :meth:`lithkg.session.Session.resolve_id`) or
    its file name."""
    rows = [r for r in run_named(session, "sources").rows if ref in (r["document"], r["file"])]
    if rows:
        return rows[0]["document"]
    found = session.match_ids("document", ref)
    if len(found) > 1:
        session.resolve_document(ref)  # (says that the id is ambiguous)
    if not found:
        raise UsageError(f"no document version '{ref}' in the store", hint="give a document id or file name from "
                                                                            "'lithkg log'")
    return found[0]


def version_claims(session: Session, *docs: str) -> dict[str, list[VersionClaim]]:
    """The claims of some document versions, reading each of their sources once."""
    sources = {r["src"].value for d in docs for r in session.store.select(
        "SELECT ?doc ?src WHERE { ?doc prov:specializationOf ?src }",
        substitutions={ox.Variable("doc"): ox.NamedNode(d)})}
    out: dict[str, list[VersionClaim]] = {d: [] for d in docs}
    for claims in stored.source_claims_of(session, sorted(sources), exclude_document=stored.NO_DOCUMENT).values():
        for c in claims:
            if c.document in out:
                out[c.document].append(c)
    return out


def diff(session: Session, a: str, b: str | None = None) -> list[dict]:
    """What changed between two document versions: claims added, retracted and changed (old value -> new value,
    with both quotes). With one argument, a source's two latest versions."""
    if b is None:
        versions = log(session, a)
        if len(versions) < 2:
            raise UsageError(f"source '{a}' has {len(versions)} version(s); a diff needs two",
                             hint="give two document versions")
        old, new = versions[-2]["document"], versions[-1]["document"]
    else:
        old, new = version_of(session, a), version_of(session, b)
    return changes(session, [(old, new)])[0]


def changes(session: Session, pairs: list[tuple[str, str]]) -> list[list[dict]]:
    """What changed within each pair (old, new) of stored document versions (their IRIs), as :func:`diff` gives it:
    the versions' claims, the group labels and the entity names are read once for all the pairs."""
    claims = version_claims(session, *sorted({d for pair in pairs for d in pair}))
    labels = group_labels(session)
    names = {r["e"].value: r["l"].value for r in session.store.select(
        "SELECT ?e ?l WHERE { ?e a lkg:Entity ; rdfs:label ?l }")}

    def row(change, new_c, old_c, old, new):
        c = new_c or old_c
        return {"change": change, "group": c.group, "group_label": labels.get(c.group),
                "old_value": json_value(old_c.value) if old_c else None,
                "new_value": json_value(new_c.value) if new_c else None,
                "old_value_label": names.get(old_c.value) if old_c else None,
                "new_value_label": names.get(new_c.value) if new_c else None,
                "old_quote": old_c.quote if old_c else None, "new_quote": new_c.quote if new_c else None,
                "old_claim": old_c.claim if old_c else None, "new_claim": new_c.claim if new_c else None,
                "extractor": c.extractor, "old_document": old, "new_document": new}
    out = []
    for old, new in pairs:
        cmp = rules.compare(claims[old], claims[new])
        rows = [row("changed", n, o, old, new) for n, o in cmp.changed]
        rows += [row("no longer stated", None, o, old, new) for o in cmp.retracted]
        rows += [row("added", n, None, old, new) for n in cmp.added]
        rows.sort(key=lambda r: (("changed", "no longer stated", "added").index(r["change"]), r["group_label"] or "",
                                 r["extractor"], r["old_claim"] or "", r["new_claim"] or ""))
        out.append(rows)
    return out


def diff_patch(session: Session, rows: list[dict], fmt: str = "trig") -> bytes:
    """A diff as RDF: a graph of the statements removed and one of those added (retracted and added claims,
    and both sides of a change), for tools that apply RDF patches."""
    ids = session.ids
    removed = {r["old_claim"] for r in rows if r["old_claim"] and r["change"] != "added"}
    added = {r["new_claim"] for r in rows if r["new_claim"]}
    key = mapping.digest(*(sorted(removed) + ["|"] + sorted(added)))
    out = []
    for claims, name in ((removed, "removed"), (added, "added")):
        g = ox.NamedNode(f"{ids.base}diff/{key}/{name}")
        for q in session.store.quads():
            subj = q.subject.value if isinstance(q.subject, ox.NamedNode) else ""
            if subj.split("#")[0] in claims and q.graph_name.value.startswith(ids.base + "doc/"):
                out.append(ox.Quad(q.subject, q.predicate, q.object, g))
    buf = io.BytesIO()
    exports.write(out, formats.get(fmt, "dataset"), buf, ids=ids)
    return buf.getvalue()
