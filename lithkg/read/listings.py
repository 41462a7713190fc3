"""The listings of ``lithkg claims``, ``conflicts``, ``history``, ``stale``, ``log``, ``blame`` and ``stats``: rows read
from a :class:`~lithkg.session.Session` with the named queries of ``queries/`` (and a few counts), as the dicts of
the listing contracts (see DESIGN.md).

``claims`` reads three time axes, which combine: ``as_of`` (record time: what had been ingested by then),
``valid_at`` (the claims whose own time holds at that date) and ``source_date_before`` (what sources dated before it
said); with any of them, statuses are derived again (:func:`lithkg.versioning.rules.derive`) over just those claims.
"""
from __future__ import annotations

import datetime as _dt
import json
import re

import pyoxigraph as ox

from ..errors import UsageError
from ..model import GroupMember, TimeSpec, Value, date_interval, parse_iso_date
from ..rdf import mapping
from ..rdf.mapping import LPQ
from ..session import Session, short_id
from ..versioning import rules, stored
from ..versioning.stored import corrections as stored_corrections
from .sparql import run_named, term_json

GROUPS_PER_QUERY = 400
FEW = 2000  # rows of a filtered listing whose qualifiers and extractors are read by their IRIs
SUPERSEDED = ("amended", "withdrawn")  # statuses the claims listing leaves out unless asked (see claims)
RANK_NAMES = {v: k for k, v in mapping.RANK_IRIS.items()}


def status_name(status: str | None, dropped_in) -> str | None:
    """A stored status as the listings name it: a store built before calls "retracted" a claim that a newer version
    of its source no longer states (it has lkg:retractedIn); that is "no longer stated"."""
    return "no longer stated" if status == "retracted" and dropped_in else status


# ---------------------------------------------------------------------------------------------- the time axes
def day(text: str, end: bool = False) -> str:
    """An ISO date or date-time at any precision as a comparable day: '2022' -> 2022-01-01 (or -12-31)."""
    text = str(text)[:10]
    try:
        lo, hi = date_interval(parse_iso_date(text))
    except ValueError:
        raise UsageError(f"'{text}' is not an ISO date (YYYY, YYYY-MM or YYYY-MM-DD)") from None
    return (hi if end else lo).isoformat()


def known(record_time: str, source_date: str | None, as_of, source_date_before) -> bool:
    """Whether something recorded at ``record_time`` from a source dated ``source_date`` is within the record-time
    and source-time bounds (a date, or a moment such as 2022-05-02T10:00:00Z, for ``as_of``)."""
    if as_of and "T" in as_of:  # a moment: what had been recorded by then
        if record_time > as_of.replace("+00:00", "Z"):
            return False
    elif as_of and record_time[:10] > day(as_of, end=True):
        return False
    if source_date_before and (not source_date or day(source_date) >= day(source_date_before)):
        return False
    return True


def time_filter(row: dict, as_of, valid_at, source_date_before) -> bool:
    """Whether a claims row is within the three time axes."""
    if not known(row["record_time"], row["source_date"], as_of, source_date_before):
        return False
    if valid_at:
        start = row["time"] if row["valid_from"] is None else row["valid_from"]
        if not start:
            return False
        lo, hi = day(start), day(row["valid_until"] or row["time"] or "9999", end=True)
        if row["valid_from"] and not row["valid_until"]:
            hi = "9999-12-31"
        if not lo <= day(valid_at) <= hi:
            return False
    return True


def restatus(rows: list[dict], as_of: str | None = None, source_date_before: str | None = None,
             corrected: dict[str, str] | None = None) -> list[dict]:
    """Statuses derived again over a subset of claims (what was known, or held, at some time); a retraction
    counts only if the version that made it is itself within the same bounds; ``corrected`` holds what the analyst
    corrections in force then say of claims ("rejected", "confirmed")."""
    by_group: dict[str, list[GroupMember]] = {}
    for r in rows:
        v = Value.number(r["value"]) if isinstance(r["value"], (int, float)) else \
            Value("date", r["value"]) if r["value"] and re.match(r"^\d{4}(-\d\d){0,2}$", str(r["value"])) else \
            Value("entity" if str(r["value"]).startswith("http") else "text", str(r["value"]))
        by_group.setdefault(r["group"], []).append(GroupMember(
            claim=r["id"], value=v, unit=r["unit"], bound=r["bound"],
            time=TimeSpec(point=r["time"] if not r["valid_from"] else None, start=r["valid_from"],
                          end=r["valid_until"]),
            document=r["document"], source=r["source_key"], source_date=r["source_date"],
            record_time=r["record_time"], label=r["source"], retracted=bool(r.get("retracted_in")) and known(
                r["retracted_recorded"], r["retracted_source_date"], as_of, source_date_before),
            correction=(corrected or {}).get(r["id"])))
    statuses, reasons, ranks = {}, {}, {}
    for g, members in by_group.items():
        derived = rules.derive(g, members)
        statuses.update(dict(derived.statuses))
        reasons.update(dict(derived.reasons))
        ranks.update(dict(derived.ranks))
    return [{**r, "status": statuses.get(r["id"], r["status"]), "status_reason": reasons.get(r["id"], r["status_reason"]),
             "rank": ranks.get(r["id"], r["rank"])} for r in rows]


# ---------------------------------------------------------------------------------------------- claims
def _only(claims: list[str] | None) -> str:
    """A VALUES block binding ``?claim`` to ``claims`` (none: every claim)."""
    return "" if claims is None else "VALUES ?claim { " + " ".join(f"<{c}>" for c in claims) + " }"


def claim_qualifiers(session: Session, claims: list[str] | None = None) -> dict[str, dict]:
    """The qualifiers of every claim (or of ``claims``): claim IRI -> {qualifier label: value (its label, if it has
    one)}."""
    rows = session.store.select(f"""
SELECT ?claim ?q ?v ?vl WHERE {{ {_only(claims)}
  ?claim a lkg:Claim ; ?q ?v . FILTER(STRSTARTS(STR(?q), "{LPQ}"))
  OPTIONAL {{ ?v rdfs:label ?vl }}
}} ORDER BY ?claim ?q ?v""")
    out: dict[str, dict] = {}
    for r in rows:
        local = r["q"].value[len(LPQ):]
        info = session.ontology.properties.get(mapping.LKGP + local)
        label = info.label if info else local
        value = r["vl"].value if r.get("vl") else term_json(r["v"])
        out.setdefault(r["claim"].value, {})[label] = value
    return out


def claim_extractors(session: Session, claims: list[str] | None = None
                     ) -> tuple[dict[str, list[str]], dict[str, list[str]]]:
    """Every extractor that read each claim (claim IRI -> ["curated@1", "frames@1"], sorted) and where they read it
    otherwise (claim IRI -> its lkg:extractorDisagreement texts). Three plain lookups: the runs' extractors (a few
    per document), each claim's runs, the disagreements."""
    store = session.store
    labels = {r["run"].value: r["label"].value for r in store.select(
        "SELECT ?run ?label WHERE { ?run a lkg:ExtractionRun ; prov:wasAssociatedWith ?agent . "
        "?agent rdfs:label ?label }")}
    readers: dict[str, list[str]] = {}
    for r in store.select(f"SELECT ?claim ?run WHERE {{ {_only(claims)} ?claim prov:wasGeneratedBy ?run }}"):
        label = labels.get(r["run"].value)
        if label:
            readers.setdefault(r["claim"].value, []).append(label)
    disagreements: dict[str, list[str]] = {}
    for r in store.select(f"SELECT ?claim ?text WHERE {{ {_only(claims)} ?claim lkg:extractorDisagreement ?text }} "
                          "ORDER BY ?claim ?text"):
        disagreements.setdefault(r["claim"].value, []).append(r["text"].value)
    return {c: sorted(names) for c, names in readers.items()}, disagreements


def extractors_of(row: dict, readers: dict[str, list[str]]) -> list[str]:
    """A claim's extractors as the listing gives them: the one it is named by (``extractor``) first."""
    names = readers.get(row["id"]) or [row["extractor"]]
    return sorted(names, key=lambda n: (n.rsplit("@", 1)[0] != row["extractor"], n))


def claims(session: Session, *, subject: str | None = None, property: str | None = None, source: str | None = None,
           status: str | None = None, group: str | None = None, as_of: str | None = None,
           valid_at: str | None = None, source_date_before: str | None = None, superseded: bool = False
           ) -> list[dict]:
    """Every claim as a dict with the keys of the claims-listing contract (see the module docstring for the time
    axes). ``source`` is a source key, url or file name, or a document version's IRI or short id; ``group`` a claim
    group's IRI or short id (see :meth:`lithkg.session.Session.resolve_id`). A claim an analyst's correction
    replaced (``amended``: the claim the correction made is listed in its place) and a claim a correction not in
    force made (``withdrawn``) are left out, unless ``status`` or ``superseded`` asks for them."""
    if as_of or valid_at or source_date_before:
        rows = claims(session, subject=subject, property=property, source=source, group=group, superseded=True)
        rows = [r for r in rows if time_filter(r, as_of, valid_at, source_date_before)]
        moment = None if not as_of else as_of if "T" in as_of else f"{day(as_of, end=True)}T23:59:59Z"
        rows = restatus(rows, as_of, source_date_before,
                        stored.corrections_of(session, [r["id"] for r in rows], as_of=moment))
        return [r for r in rows if r["status"] == status or not status and r["status"] not in SUPERSEDED]
    params = {}
    group = session.resolve_group(group) if group else None
    versions = set(session.match_ids("document", source)) if source else set()  # (a version's short id)
    if subject:
        params["subject"] = session.resolve_entity(subject)
    if property:
        params["property"] = session.resolve_property(property)
    if group:
        params["group"] = group
    def wanted(r) -> bool:
        if source and source not in (term_json(r["source"]), term_json(r["source_key"]), r["document"].value) and \
                r["document"].value not in versions:
            return False
        shown = status_name(term_json(r.get("status")), r.get("retracted_in"))
        return not (status and shown != status or not (status or superseded) and shown in SUPERSEDED)
    terms = [r for r in run_named(session, "claims", params).terms if wanted(r)]
    filtered = bool(params or source or status)
    some = sorted({r["claim"].value for r in terms}) if filtered and len(terms) <= FEW else None
    quals = claim_qualifiers(session, some)  # (of the claims kept, when they are few)
    readers, disagreements = claim_extractors(session, some)
    ontology = session.ontology
    rows = []
    for r in terms:
        cid = r["claim"].value
        value = mapping.term_to_value(r["value"])
        row = {
            "id": cid, "group": r["group"].value,
            "subject": r["subject"].value, "subject_label": term_json(r.get("subject_label")),
            "property": r["property"].value, "property_label": term_json(r.get("property_label")),
            "value": value.json(), "unit": term_json(r.get("unit")),
            "unit_label": ontology.unit_symbol(term_json(r.get("unit"))),
            "bound": mapping.BOUND_NAMES.get(r["bound"].value) if r.get("bound") else None,
            "time": term_json(r.get("time")), "valid_from": term_json(r.get("valid_from")),
            "valid_until": term_json(r.get("valid_until")),
            "time_inferred": bool(term_json(r.get("time_inferred"))),
            "qualifiers": quals.get(cid, {}),
            "document": r["document"].value, "source": term_json(r["source"]),
            "source_key": term_json(r["source_key"]), "source_date": term_json(r.get("source_date")),
            "record_time": term_json(r["record_time"]),
            "quote": term_json(r["quote"]), "start": term_json(r["start"]), "end": term_json(r["end"]),
            "status": status_name(term_json(r.get("status")), r.get("retracted_in")),
            "status_reason": term_json(r.get("status_reason")), "extractor": term_json(r["extractor"]),
            "extractors": None, "disagreements": disagreements.get(cid, []),
            "rank": RANK_NAMES.get(r["rank"].value) if r.get("rank") else None,
            "confidence": term_json(r["confidence"]),
            "no_longer_stated_in": term_json(r.get("retracted_file")),
            "retracted_in": term_json(r.get("retracted_in")),
            "retracted_recorded": term_json(r.get("retracted_recorded")),
            "retracted_source_date": term_json(r.get("retracted_source_date")),
        }
        row["extractors"] = extractors_of(row, readers)
        if value.kind == "entity":
            row["value_label"] = ontology.label(value.lexical)
        rows.append(row)
    return rows


def relation_name(kind: str | None) -> str | None:
    """A group relation's name in the listings: Update -> updates, Conflict -> conflicts, ..."""
    return {"Update": "updates", "Conflict": "conflicts", "Corroboration": "corroborates", "Compatibility": "compatible",
            "preferred": "preferred"}.get(kind or "", kind)


def group_members(session: Session, groups) -> dict[str, list[GroupMember]]:
    """The stored members of these groups (see :func:`lithkg.versioning.stored.members`), read in chunks."""
    groups = sorted(set(groups))
    out: dict[str, list[GroupMember]] = {}
    fixes = stored.has_corrections(session) if groups else False  # (probed once, not for each chunk)
    for start in range(0, len(groups), GROUPS_PER_QUERY):
        out.update(stored.members(session, groups[start:start + GROUPS_PER_QUERY], fixes=fixes))
    return out


def conflicts(session: Session) -> list[dict]:
    """Claim groups with more than one value: each claim with source, time, quote, status, its relation to the
    preferred claim and the reason for its status; ``conflicts_with`` names every claim it conflicts with and why,
    derived on read from the group's stated claims with the same rules as ingest (the store keeps the conflicting
    pairs, not their reasons); ``verdict``: disputed, changed over time or different figures."""
    ontology = session.ontology
    rows = []
    for r in run_named(session, "conflicts").terms:
        value = mapping.term_to_value(r["value"])
        rows.append({
            "group": r["group"].value, "group_label": term_json(r["group_label"]),
            "disputed": term_json(r["disputed"]), "claim": r["claim"].value,
            "value": value.json(), "value_label": ontology.label(value.lexical) if value.kind == "entity" else None,
            "unit": term_json(r.get("unit")), "unit_label": ontology.unit_symbol(term_json(r.get("unit"))),
            "bound": mapping.BOUND_NAMES.get(r["bound"].value) if r.get("bound") else None,
            "time": term_json(r.get("time")), "document": term_json(r.get("document")),
            "source": term_json(r["source"]),
            "source_date": term_json(r.get("source_date")), "quote": term_json(r["quote"]),
            "status": status_name(term_json(r["status"]), r.get("dropped_in")),
            "relation": relation_name(term_json(r.get("relation"))),
            "reason": term_json(r.get("reason")), "conflicts_with": [],
            "property": r["property"].value,  # (after the columns scripts cut by position)
        })
    by_claim = {r["claim"]: r for r in rows}
    verdicts = {}
    for g, members in group_members(session, {r["group"] for r in rows}).items():
        kinds = set()
        for rel in rules.pair_relations([m for m in members if rules.states(m)]):
            kinds.add(rel.kind)
            if rel.kind != "conflicts":
                continue
            for a, b in ((rel.source, rel.target), (rel.target, rel.source)):
                if a in by_claim and b in by_claim:
                    other = by_claim[b]
                    by_claim[a]["conflicts_with"].append({"claim": b, "value": other["value"], "bound": other["bound"],
                                                          "source": other["source"], "reason": rel.reason})
        verdicts[g] = "disputed" if "conflicts" in kinds else "changed over time" if "updates" in kinds \
            else "different figures"
    for r in rows:
        r["verdict"] = verdicts.get(r["group"], "disputed" if r["disputed"] else "different figures")
        r["conflicts_with"].sort(key=lambda c: (str(c["source"]), c["claim"]))
    return rows


def history(session: Session, subject: str, property: str, *,
            qualifiers: dict[str, str] | None = None) -> list[dict]:
    """Every value claimed for one subject and property, by group and valid time; each with its relation to the
    value before it in its group (derived on read with the rules of ingest)."""
    params = {"subject": session.resolve_entity(subject), "property": session.resolve_property(property)}
    ontology = session.ontology
    rows = []
    result = run_named(session, "history", params).terms
    members = {m.claim: m for ms in group_members(session, {r["group"].value for r in result}).values() for m in ms}
    previous: dict[str, str] = {}
    for r in result:
        row = {k: (mapping.term_to_value(v).json() if k == "value" else term_json(v)) for k, v in r.items()
               if k != "dropped_in"}
        row["status"] = status_name(row.get("status"), r.get("dropped_in"))
        row["unit_label"] = ontology.unit_symbol(row.get("unit"))
        if isinstance(r.get("value"), ox.NamedNode):
            row["value_label"] = ontology.label(r["value"].value)
        prev = previous.get(row["group"])
        relation = rules.relate(members[row["claim"]], members[prev]).kind \
            if prev in members and row["claim"] in members else None
        row["relation_to_previous"] = "no longer stated" if row.get("status") == "no longer stated" else relation
        previous[row["group"]] = row["claim"]
        rows.append(row)
    if qualifiers:
        wanted = {}
        for k, v in qualifiers.items():
            q = ontology.qualifier(k)
            if q is None:
                raise UsageError(f"unknown qualifier '{k}'", hint="use a qualifier from ontology/frames.ttl")
            wanted[q.label] = v
        keep = set()
        for g in {r["group"] for r in rows}:
            label = next(r["group_label"] for r in rows if r["group"] == g)
            if all(f"{k}: {v}".casefold() in (label or "").casefold() for k, v in wanted.items()):
                keep.add(g)
        rows = [r for r in rows if r["group"] in keep]
    return rows


def pair_relations(session: Session) -> list[dict]:
    """Every relation between two claims of one group (rows as the ``relations`` query gives them), derived on
    read from each group's members: the edges of the dispute and source graphs."""
    labels = group_labels(session)
    multi = [r["g"].value for r in session.store.select(
        "SELECT ?g (COUNT(?c) AS ?n) WHERE { ?c a lkg:Claim ; lkg:group ?g } GROUP BY ?g HAVING (COUNT(?c) > 1)")]
    rows = []
    for g, members in sorted(group_members(session, multi).items()):
        dropped = {m.claim for m in members if not rules.states(m)}  # no longer stated, or
        # rejected by a person: it conflicts with nothing
        rows += [{"relation": None, "kind": rel.kind, "from": rel.source, "to": rel.target, "group": g,
                  "group_label": labels.get(g), "reason": rel.reason} for rel in rules.pair_relations(members)
                 if not (rel.kind == "conflicts" and {rel.source, rel.target} & dropped)]
    return rows


PAST_BY_NATURE = ("orderAmong", "length")  # "the first country to ...", a built length: they do not go stale
DONE = re.compile(r"\b(?:built|completed?|finished|actual|opened|in (?:operation|service))\b", re.I)
PLANNED = re.compile(r"\b(?:planned|projected|proposed|expected|forecast|target)\b", re.I)


def past_by_nature(row: dict) -> bool:
    """Whether a claim's value holds for a time past by nature, so it never goes stale: an ordinal ("the first
    country to leave the Soviet Union"), a length (of something built: a planned one says so in its status), or
    a figure whose status qualifier says built or completed. Dates and entities are skipped before this."""
    status = str(row.get("qualifier_status") or "")
    if DONE.search(status):
        return True
    local = str(row.get("property") or "").rsplit("/", 1)[-1]
    return local in PAST_BY_NATURE and not PLANNED.search(status)


def stale(session: Session, *, older_than: str = "2y", now: str | None = None) -> list[dict]:
    """Figures the latest version of a source presents as current (no time, or a time resolved from the document's
    date: "currently", present tense) that are older than ``older_than`` ("2y", "18m", "90d") at ``now`` (default
    today), or that a newer claim of another source has updated: what an editor fixes first. Values past by nature
    are never listed (dates, ordinals, built lengths: see :func:`past_by_nature`), nor a figure with an explicit
    time ("the 4th position it held in 2021": history, not a current figure)."""
    m = re.fullmatch(r"\s*(\d+)\s*([ymd])\s*", older_than or "")
    if not m:
        raise UsageError(f"'{older_than}' is not an age", hint="write e.g. 2y, 18m or 90d")
    days = int(m.group(1)) * {"y": 365, "m": 30, "d": 1}[m.group(2)]
    today = _dt.date.fromisoformat(day(now)) if now else _dt.date.today()
    cutoff = (today - _dt.timedelta(days=days)).isoformat()
    out: dict[str, dict] = {}
    for r in run_named(session, "stale").rows:
        reasons = []
        if not isinstance(r["value"], (int, float)) or past_by_nature(r):
            continue  # figures go stale; when something happened, or what is related to what, does not
        # "current": no time, or a time resolved from the document's own date ("currently", present tense)
        current = r["time"] is None or bool(r["time_inferred"] and r["source_date"]
                                             and str(r["time"])[:4] == str(r["source_date"])[:4])
        if not current:
            continue
        when = r["time"] or r["source_date"]
        if when and day(when, end=True) < cutoff:
            reasons.append(f"presented as current, but its time is {when}, older than {older_than}")
        if r["newer"]:
            reasons.append(f"updated by {r['newer_value']} ({r['newer_time'] or 'no date'}) in {r['newer_source']}")
        if not reasons:
            continue
        row = out.setdefault(r["claim"], {k: r[k] for k in ("claim", "group_label", "value", "unit", "time",
                                                             "source", "source_date", "quote", "status")})
        row["reason"] = "; ".join(sorted(set(row.get("reason", "").split("; ")) - {""} | set(reasons)))
    return sorted(out.values(), key=lambda r: (r["source"], r["group_label"] or "", r["claim"]))


# ---------------------------------------------------------------------------------------------- versions
def log(session: Session, source: str | None = None) -> list[dict]:
    """The versions of every source (or of one: its key, url, a file name, or a version's IRI or short id), with their
    dates, record time and claim counts, oldest first."""
    rows = run_named(session, "sources").rows
    if source:
        named = set(session.match_ids("document", source)) | {source}
        keys = {r["source_key"] for r in rows if {r["source_key"], r["file"], r["document"]} & named}
        if not keys:
            raise UsageError(f"no source '{source}' in the store", hint="see 'lithkg log'")
        rows = [r for r in rows if r["source_key"] in keys]
    return rows


def blame(session: Session, claim: str) -> list[dict]:
    """Every source version that made this claim (its IRI or short id; the claim and those it continues or that
    continue it), first to last."""
    claim = session.resolve_claim(claim)
    rows = run_named(session, "blame", {"claim": claim}).terms
    if not rows:
        raise UsageError(f"no claim '{claim}' in the store", hint="see 'lithkg claims' for ids")
    return [{"claim": r["c"].value, "document": r["doc"].value, "source": r["file"].value,
             "version": term_json(r.get("version")), "source_date": term_json(r.get("sdate")),
             "record_time": term_json(r["rt"]), "quote": r["quote"].value} for r in rows]


def stats(session: Session) -> dict:
    """Counts of what the store holds."""
    store = session.store
    counts = store.select("""
SELECT
  (COUNT(DISTINCT ?src) AS ?sources) (COUNT(DISTINCT ?doc) AS ?versions) WHERE {
  OPTIONAL { ?doc a lkg:DocumentVersion ; prov:specializationOf ?src }
}""")[0]
    claim_counts = store.select("""
SELECT (COUNT(DISTINCT ?c) AS ?claims) (COUNT(DISTINCT ?g) AS ?groups) (COUNT(DISTINCT ?s) AS ?entities) WHERE {
  OPTIONAL { ?c a lkg:Claim ; lkg:group ?g ; lkg:subject ?s }
}""")[0]
    groups = store.select("""
SELECT (COUNT(DISTINCT ?multi) AS ?multi_valued) (COUNT(DISTINCT ?disputed) AS ?disputed) WHERE {
  OPTIONAL { ?multi a lkg:ClaimGroup ; lkg:distinctValues ?n . FILTER(?n > 1) }
  OPTIONAL { ?disputed a lkg:ClaimGroup ; lkg:disputed true }
}""")[0]
    by_ex = store.select("SELECT ?ex (COUNT(?c) AS ?n) WHERE { ?c a lkg:Claim ; lkg:extractor ?ex } "
                         "GROUP BY ?ex ORDER BY ?ex")
    return {
        "sources": term_json(counts["sources"]), "document_versions": term_json(counts["versions"]),
        "claims": term_json(claim_counts["claims"]), "claim_groups": term_json(claim_counts["groups"]),
        "groups_with_several_values": term_json(groups["multi_valued"]),
        "disputed_groups": term_json(groups["disputed"]), "subjects": term_json(claim_counts["entities"]),
        "quads": len(store), "named_graphs": len(store.named_graphs()),
        "claims_by_extractor": {r["ex"].value: term_json(r["n"]) for r in by_ex},
    }


# ---------------------------------------------------------------------------------------------- claim groups
def group_labels(session: Session) -> dict[str, str]:
    """Every claim group's label: group IRI -> label."""
    return {r["g"].value: r["l"].value for r in session.store.select(
        "SELECT ?g ?l WHERE { ?g a lkg:ClaimGroup ; rdfs:label ?l }")}


def find_group(session: Session, text: str) -> str:
    """A claim group by its IRI or short id (or a unique prefix of it, see :meth:`Session.resolve_id`), by the IRI or
    short id of one of its claims, or by words of its label (all of them, any case): exactly one must match."""
    text = text.strip()
    for kind in ("group", "claim"):
        found = session.match_ids(kind, text)
        if len(found) > 1:
            session.resolve_id(kind, text)  # (says that the id is ambiguous)
        if found and kind == "group":
            return found[0]
        if found:
            return session.store.select("SELECT ?c ?g WHERE { ?c lkg:group ?g } LIMIT 1",
                                        substitutions={ox.Variable("c"): ox.NamedNode(found[0])})[0]["g"].value
    groups = group_labels(session)
    words = text.casefold().split()
    found = sorted((label, g) for g, label in groups.items() if words and all(w in label.casefold() for w in words))
    if len(found) == 1:
        return found[0][1]
    if not found:
        raise UsageError(f"no claim group matches '{text}'", hint="give words of a group label as 'lithkg "
                                                                  "conflicts' shows it, or a group's id")
    labels = "; ".join(label for label, _ in found[:4]) + ("; ..." if len(found) > 4 else "")
    raise UsageError(f"{len(found)} claim groups match '{text}': {labels}", hint="add words to pick one")


def group_label(session: Session, group: str) -> tuple[str, str | None]:
    """A group's label (the group by its IRI or short id) and the reason its preferred value is preferred (None when
    it has none)."""
    group = session.resolve_group(group)
    rows = session.store.select("SELECT ?g ?l ?r WHERE { ?g rdfs:label ?l . OPTIONAL { ?g lkg:reason ?r } }",
                                substitutions={ox.Variable("g"): ox.NamedNode(group)})
    if not rows:
        raise UsageError(f"no claim group <{group}>")
    return rows[0]["l"].value, rows[0]["r"].value if "r" in rows[0] else None


def group_claims(session: Session, group: str) -> list[dict]:
    """Every claim of one group (found as :func:`find_group` does), retracted ones included."""
    return claims(session, group=find_group(session, group))


def network(session: Session, kind: str, *, by: str = "source"):
    """An analysis graph (networkx) over the whole store: ``disputes``, ``sources`` (``by`` source or version),
    ``entities`` or ``lineage``; see :mod:`lithkg.read.analyses`. networkx is imported on first use."""
    from . import analyses
    if kind == "disputes":
        return analyses.dispute_graph(claims(session), pair_relations(session))
    if kind == "sources":
        if by not in ("source", "version"):
            raise UsageError(f"cannot group sources by '{by}'", hint="use --by source or --by version")
        return analyses.source_graph(claims(session), pair_relations(session), by=by)
    if kind == "entities":
        return analyses.entity_graph(run_named(session, "entity-links").rows, claims(session))
    if kind == "lineage":
        return analyses.lineage_graph(run_named(session, "sources").rows, run_named(session, "lineage").rows)
    raise UsageError(f"unknown analysis '{kind}'", hint="use one of: " + ", ".join(analyses.KINDS))


# ---------------------------------------------------------------------------------------------- corrections
def corrections(session: Session, *, as_of: str | None = None) -> list[dict]:
    """Every analyst correction recorded (by ``as_of``, a date or a moment, when given), oldest first: its id, kind,
    the claims or groups it is about, why, who, when, and whether it is in force or which record undid it."""
    records = [r for r in stored_corrections(session) if not as_of or known(r.at, None, as_of, None)]
    undone = {r.withdraws: r.iri for r in records if r.kind == "undo"}
    return [correction_row(r, undone.get(r.iri)) for r in records]


def correction_row(record, undone_by: str | None = None) -> dict:
    """A correction record (:class:`lithkg.versioning.corrections.Correction`) as ``lithkg corrections`` lists it."""
    return {"id": record.iri, "kind": record.kind, "claims": list(record.claims), "groups": list(record.groups),
            "withdraws": record.withdraws, "made": list(record.made),
            "changes": json.loads(record.changes) if record.changes else None,
            "reason": record.reason, "by": record.by, "at": record.at,
            "in_force": record.kind != "undo" and undone_by is None, "undone_by": undone_by}


def correction_about(row: dict) -> list[str]:
    """What a correction (a :func:`correction_row`) is about, as its line and the tables name it: a merge's groups,
    else its claims or groups."""
    return row["groups"] if row["kind"] == "merge" else row["claims"] or row["groups"]


def correction_line(row: dict) -> str:
    """The one line that says a correction was recorded (the command line's and the editing pages')."""
    what = short_id(row["withdraws"]) if row["kind"] == "undo" else \
        ", ".join(short_id(c) for c in correction_about(row))
    made = f"; made {', '.join(short_id(c) for c in row['made'])}" if row["made"] else ""
    return f"{row['kind']} {what}: correction {short_id(row['id'])}{made} " \
           f"(by {row['by']} at {row['at']}: {row['reason']})"
