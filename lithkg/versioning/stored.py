"""The store reads derivation needs, as functions of a :class:`~lithkg.session.Session`: every SPARQL query the
claim-group and version derivations run is in this module (or, for the claims of a source's versions, in the named
query ``queries/version-claims.rq``).

* :func:`members`: the claims of some claim groups as :class:`~lithkg.model.GroupMember` (labels of entity values
  and rank overrides read with them), what :func:`lithkg.versioning.rules.derive` works on;
* :func:`source_claims_of`, :func:`versions_of`, :func:`lineages`: the versions of sources and their claims, what
  :func:`lithkg.versioning.rules.lineage` and :func:`~lithkg.versioning.rules.compare` work on;
* :func:`group_description`, :func:`claim_group`, :func:`source_keys`: what a group, a claim or a source is.

Each reads many groups or sources in one query (a ``VALUES`` block), never the whole graph.
"""
from __future__ import annotations

import dataclasses
import re

import pyoxigraph as ox

from ..config import data_dir
from ..errors import CheckFailed
from ..model import Claim, Evidence, GroupMember, Qualifier, Term, TimeSpec, VersionClaim, text_key
from ..rdf import mapping
from ..rdf.mapping import LPQ
from . import rules
from .corrections import Correction, claim_effects

NO_DOCUMENT = "urn:lithkg:none"  # exclude_document when no document is left out


def _values(variable: str, iris) -> str:
    return f"VALUES ?{variable} {{ " + " ".join(f"<{i}>" for i in iris) + " }"


def members(session, groups: list[str], exclude_document: str = NO_DOCUMENT, *, fixes: bool | None = None
            ) -> dict[str, list[GroupMember]]:
    """The stored members of each group (groups without any are left out), but the claims of ``exclude_document``
    (the version being written again); entity values carry their label, claims their latest rank override and what
    the analyst corrections in force make of them (``fixes``: whether the store holds any, when the caller knows)."""
    if not groups:
        return {}
    values = " ".join(f"<{g}>" for g in groups)
    rows = session.store.select(f"""
SELECT ?g ?claim ?value ?unit ?bound ?point ?start ?end ?doc ?src ?sdate ?rt ?cited ?retracted ?file WHERE {{
  VALUES ?g {{ {values} }}
  ?claim lkg:group ?g ; lkg:value ?value ; prov:wasDerivedFrom ?doc .
  FILTER(?doc != <{exclude_document}>)
  ?doc prov:specializationOf ?src ; lkg:recordTime ?rt .
  OPTIONAL {{ ?doc lkg:sourceDate ?sdate }}
  OPTIONAL {{ ?doc lkg:fileName ?file }}
  OPTIONAL {{ ?claim lkg:unit ?unit }}
  OPTIONAL {{ ?claim lkg:bound ?bound }}
  OPTIONAL {{ ?claim lkg:pointInTime ?point }}
  OPTIONAL {{ ?claim lkg:startTime ?start }}
  OPTIONAL {{ ?claim lkg:endTime ?end }}
  OPTIONAL {{ ?claim lpq:citedSource ?cited }}
  OPTIONAL {{ ?claim lkg:noLongerStatedIn|lkg:retractedIn ?retracted }}  # lkg:retractedIn: stores built before
}}""")
    out: dict[str, dict[str, GroupMember]] = {}
    for r in rows:
        val = r.get
        m = GroupMember(
            claim=r["claim"].value, value=mapping.term_to_value(r["value"]),
            unit=val("unit").value if val("unit") else None,
            bound=mapping.BOUND_NAMES.get(val("bound").value) if val("bound") else None,
            time=TimeSpec(point=val("point").value if val("point") else None,
                          start=val("start").value if val("start") else None,
                          end=val("end").value if val("end") else None),
            document=r["doc"].value, source=r["src"].value,
            source_date=val("sdate").value if val("sdate") else None, record_time=r["rt"].value,
            cited_source=val("cited").value if val("cited") else None, retracted=bool(val("retracted")),
            label=val("file").value if val("file") else None)
        out.setdefault(r["g"].value, {})[m.claim] = m
    names = labels(session, {m.value.lexical for ms in out.values() for m in ms.values() if m.value.kind == "entity"})
    for ms in out.values():  # an entity value read back carries its label, as a newly extracted one does
        for c, m in ms.items():
            if m.value.kind == "entity" and m.value.lexical in names:
                ms[c] = dataclasses.replace(m, value=dataclasses.replace(m.value, label=names[m.value.lexical]))
    ranks = overrides(session, groups)
    claims = [c for ms in out.values() for c in ms]
    fixed, made, dropped = {}, {}, set()
    if claims and (has_corrections(session) if fixes is None else fixes):  # (most stores hold none)
        fixed, made = corrections_of(session, claims, known=True), amended(session, claims)
        dropped = dropped_statements(session, sorted(set(made.values())))
    return {g: [dataclasses.replace(m, override=ranks[m.claim][0] if m.claim in ranks else None,
                                    correction=fixed.get(m.claim), amends=made.get(m.claim),
                                    retracted=m.retracted or made.get(m.claim) in dropped)
                for m in ms.values()] for g, ms in out.items()}


def corrections(session, *, claims: list[str] | None = None, records: list[str] | None = None) -> list[Correction]:
    """The analyst corrections stored, oldest first: all of them, or those about ``claims``, or the ``records``
    named; with the undos of those. :func:`lithkg.versioning.corrections.effective` says which are in force."""
    if claims is not None:  # the records about the claims, and those that made them
        scope = _values("about", claims) + " { ?x lkg:claim ?about } UNION { ?about lkg:amends ?o ; " \
                                           "prov:wasGeneratedBy ?x }"
    elif records is not None:
        scope = _values("x", records)
    else:
        scope = ""
    if (claims is not None and not claims) or (records is not None and not records):
        return []
    rows = session.store.select(f"""
SELECT ?r ?kind ?reason ?at ?by ?claim ?group ?withdraws ?made ?changes WHERE {{
  {{ SELECT DISTINCT (?x AS ?r) WHERE {{ {scope} ?x a lkg:Correction . }} }}
  UNION
  {{ SELECT DISTINCT ?r WHERE {{ {scope} ?x a lkg:Correction . ?r lkg:withdraws ?x }} }}
  ?r a ?kind ; lkg:reason ?reason ; prov:generatedAtTime ?at ; prov:wasAttributedTo/rdfs:label ?by .
  FILTER(?kind != lkg:Correction)
  OPTIONAL {{ ?r lkg:claim ?claim }}
  OPTIONAL {{ ?r lkg:aboutGroup ?group }}
  OPTIONAL {{ ?r lkg:withdraws ?withdraws }}
  OPTIONAL {{ ?r lkg:changes ?changes }}
  OPTIONAL {{ ?made prov:wasGeneratedBy ?r ; lkg:amends ?claim }}
}} ORDER BY ?at ?r ?claim ?group""")
    found: dict[str, dict] = {}
    for row in rows:
        kind = mapping.CORRECTION_KIND.get(row["kind"].value)
        if kind is None:
            continue
        r = found.setdefault(row["r"].value, {"kind": kind, "reason": row["reason"].value, "at": row["at"].value,
                                              "by": row["by"].value, "claims": [], "groups": [], "made": {},
                                              "withdraws": row["withdraws"].value if row.get("withdraws") else None,
                                              "changes": row["changes"].value if row.get("changes") else ""})
        if row.get("made") is not None:
            r["made"][row["claim"].value] = row["made"].value
        for key, var in (("claims", "claim"), ("groups", "group")):
            if row.get(var) is not None and row[var].value not in r[key]:
                r[key].append(row[var].value)
    return sorted((Correction(iri, f["kind"], f["reason"], f["by"], f["at"], tuple(sorted(f["claims"])),
                              tuple(sorted(f["groups"])), f["withdraws"],
                              tuple(f["made"][c] for c in sorted(f["claims"]) if c in f["made"]), f["changes"])
                   for iri, f in found.items()),
                  key=lambda c: (c.at, c.iri))


def latest_correction_time(session) -> str:
    """The record time of the latest correction stored ("" when there is none)."""
    rows = session.store.select("SELECT (MAX(STR(?at)) AS ?m) WHERE { ?r a lkg:Correction ; prov:generatedAtTime ?at }")
    return rows[0]["m"].value if rows and rows[0].get("m") is not None else ""


def correction(session, iri: str) -> tuple[Correction | None, bool]:
    """One stored correction (None: no such record) and whether a later record undid it."""
    found = corrections(session, records=[iri])
    return next((c for c in found if c.iri == iri), None), any(c.withdraws == iri for c in found)


def has_corrections(session) -> bool:
    """Whether the store holds any analyst correction (most stores hold none: then nothing more is read)."""
    return bool(session.store.select("SELECT ?r WHERE { ?r a lkg:Correction } LIMIT 1"))


def continued(session, claims: list[str], *, depth: int = 64) -> dict[str, list[str]]:
    """The claims each of ``claims`` continues, back through its source's versions (one step a query, so that every
    SPARQL 1.1 server runs it; at most ``depth`` versions back)."""
    out: dict[str, list[str]] = {}
    frontier = {c: [c] for c in claims}  # an earlier claim -> the claims of ``claims`` that reach it
    for _ in range(depth):
        if not frontier:
            break
        step: dict[str, list[str]] = {}
        for r in session.store.select(f"SELECT ?c ?old WHERE {{ {_values('c', sorted(frontier))} ?c lkg:continues ?old }}"):
            for origin in frontier[r["c"].value]:
                if r["old"].value not in out.setdefault(origin, []):
                    out[origin].append(r["old"].value)
                    step.setdefault(r["old"].value, []).append(origin)
        frontier = step
    return out


def corrections_of(session, claims: list[str], extra: list[Correction] = (), as_of: str | None = None, *,
                   known: bool = False) -> dict[str, str]:
    """What the corrections in force (those stored, and ``extra`` ones about to be written; at the moment ``as_of``
    when given) say of each of these claims ("rejected" or "confirmed"). A claim that continues an earlier one (the
    same statement in a later version of its source) keeps what was decided about the earlier one, unless a
    correction is about it itself. Claims no correction is about are left out. ``known``: the caller has seen that
    the store holds corrections (the probe is not run again)."""
    if not claims or (not extra and not known and not has_corrections(session)):
        return {}
    earlier = continued(session, claims)
    about = sorted(set(claims) | {o for olds in earlier.values() for o in olds})
    effects = claim_effects(corrections(session, claims=about) + list(extra), as_of)
    out = {}
    for c in claims:
        if c in effects:
            out[c] = effects[c][0]
            continue
        inherited = [effects[o] for o in earlier.get(c, ()) if o in effects]
        if inherited:
            out[c] = max(inherited, key=lambda e: (e[1].at, e[1].iri))[0]
    return out


def amended(session, claims: list[str]) -> dict[str, str]:
    """Of these claims, those a correction made (an amend, merge or split): claim -> the claim it replaces."""
    if not claims:
        return {}
    return {r["c"].value: r["o"].value for r in session.store.select(
        f"SELECT ?c ?o WHERE {{ {_values('c', claims)} ?c lkg:amends ?o }}")}


def replacement_groups(session, claims: list[str]) -> list[str]:
    """The groups of the claims corrections made in place of any of these claims (so that a new version of their
    source, which may stop stating one, derives those groups again)."""
    if not claims:
        return []
    return sorted({r["g"].value for r in session.store.select(
        f"SELECT DISTINCT ?g WHERE {{ {_values('o', claims)} ?c lkg:amends ?o ; lkg:group ?g }}")})


def dropped_statements(session, claims: list[str], *, depth: int = 64) -> set[str]:
    """Of these claims, those whose statement their source no longer makes: the claim, or the last claim of a later
    version that continues it, is no longer stated (one step a query, as :func:`continued`)."""
    latest = {c: c for c in claims}  # a claim -> the latest claim continuing its statement
    frontier = set(claims)
    for _ in range(depth):
        if not frontier:
            break
        step = {r["old"].value: r["new"].value for r in session.store.select(
            f"SELECT ?old ?new WHERE {{ {_values('old', sorted(frontier))} ?new lkg:continues ?old }}")}
        latest = {c: step.get(n, n) for c, n in latest.items()}
        frontier = set(step.values())
    ends = sorted(set(latest.values()))
    gone = {r["c"].value for r in session.store.select(
        f"SELECT ?c WHERE {{ {_values('c', ends)} ?c lkg:noLongerStatedIn|lkg:retractedIn ?v }}")} if ends else set()
    return {c for c, n in latest.items() if n in gone}


def claim_of(session, claim: str):
    """A stored claim as the :class:`~lithkg.model.Claim` it was written from (entity labels read back; a text
    qualifier's group key is its text's, :func:`lithkg.model.text_key`), with its document version and group; None:
    no such claim. What an amend, merge or split starts from."""
    rows = session.store.select(f"""
SELECT ?s ?sl ?p ?pl ?value ?vl ?unit ?bound ?point ?start ?end ?inferred ?ex ?conf ?doc ?g ?quote ?prefix ?suffix
       ?from ?to ?q ?qv ?qvl WHERE {{
  <{claim}> a lkg:Claim ; lkg:subject ?s ; lkg:property ?p ; lkg:value ?value ; lkg:extractor ?ex ;
      lkg:confidence ?conf ; prov:wasDerivedFrom ?doc ; lkg:group ?g ; lkg:evidence ?ev .
  ?ev oa:hasSelector ?qs, ?ps . ?qs oa:exact ?quote . ?ps oa:start ?from ; oa:end ?to .
  OPTIONAL {{ ?qs oa:prefix ?prefix }} OPTIONAL {{ ?qs oa:suffix ?suffix }}
  OPTIONAL {{ ?s rdfs:label ?sl }} OPTIONAL {{ ?p rdfs:label ?pl }} OPTIONAL {{ ?value rdfs:label ?vl }}
  OPTIONAL {{ <{claim}> lkg:unit ?unit }} OPTIONAL {{ <{claim}> lkg:bound ?bound }}
  OPTIONAL {{ <{claim}> lkg:pointInTime ?point }} OPTIONAL {{ <{claim}> lkg:startTime ?start }}
  OPTIONAL {{ <{claim}> lkg:endTime ?end }} OPTIONAL {{ <{claim}> lkg:timeInferred ?inferred }}
  OPTIONAL {{ <{claim}> ?q ?qv . FILTER(STRSTARTS(STR(?q), "{LPQ}")) OPTIONAL {{ ?qv rdfs:label ?qvl }} }}
}} ORDER BY ?q ?qv""")
    if not rows:
        return None
    r = rows[0]

    def text(var: str) -> str | None:
        return r[var].value if r.get(var) is not None else None
    value = mapping.term_to_value(r["value"])
    if value.kind == "entity":
        value = dataclasses.replace(value, label=text("vl"))
    scoping = {q.property.iri for q in group_description(session, r["g"].value)[2]}
    qualifiers = []
    for row in rows:
        if row.get("q") is not None:
            qv = mapping.term_to_value(row["qv"])
            if qv.kind == "entity":
                qv = dataclasses.replace(qv, label=row["qvl"].value if row.get("qvl") else None)
            iri = mapping.LKGP + row["q"].value[len(LPQ):]
            qualifiers.append(Qualifier(Term(iri, row["q"].value[len(LPQ):]), qv, iri in scoping,
                                        text_key(qv.lexical) if qv.kind == "text" else None))
    found = Claim(
        subject=Term(r["s"].value, text("sl") or r["s"].value), property=Term(r["p"].value, text("pl") or ""),
        value=value, evidence=Evidence(r["quote"].value, int(r["from"].value), int(r["to"].value),
                                       text("prefix") or "", text("suffix") or ""),
        extractor=r["ex"].value, unit=text("unit"),
        bound=mapping.BOUND_NAMES.get(text("bound")) if text("bound") else None,
        time=TimeSpec(text("point"), text("start"), text("end"), text("inferred") == "true"),
        qualifiers=tuple(dict.fromkeys(qualifiers)), confidence=float(r["conf"].value))
    return found, r["doc"].value, r["g"].value


def find_group(session, subject: str, prop: str, scoping: dict[str, str], value: str | None = None) -> str | None:
    """The stored group of this subject, property and scoping qualifiers (qualifier IRI -> value, its IRI or
    lexical form; and ``value``, an entity value, for a relation's group), if there is one."""
    rows = session.store.select(f"""
SELECT ?g ?q ?v WHERE {{
  {{ SELECT DISTINCT ?g WHERE {{ ?c lkg:subject <{subject}> ; lkg:property <{prop}> ; lkg:group ?g
     {f"; lkg:value <{value}>" if value else ""} }} }}
  OPTIONAL {{ ?g ?q ?v . FILTER(STRSTARTS(STR(?q), "{LPQ}")) }}
}} ORDER BY ?g""")
    found: dict[str, dict[str, str]] = {}
    for r in rows:
        quals = found.setdefault(r["g"].value, {})
        if r.get("q") is not None:
            quals[mapping.LKGP + r["q"].value[len(LPQ):]] = mapping.term_to_value(r["v"]).lexical
    return next((g for g, quals in found.items() if quals == scoping), None)


def labels(session, iris: set[str]) -> dict[str, str]:
    """The label of each entity (the least, where an unlinked one was written several ways)."""
    if not iris:
        return {}
    values = " ".join(f"<{i}>" for i in sorted(iris))
    rows = session.store.select(f"SELECT ?e (MIN(STR(?l)) AS ?label) WHERE {{ VALUES ?e {{ {values} }} "
                                f"?e rdfs:label ?l }} GROUP BY ?e")
    return {r["e"].value: r["label"].value for r in rows if "label" in r}


def overrides(session, groups: list[str]) -> dict[str, tuple[str, str]]:
    """The latest rank override (rank, reason) of each claim of these groups."""
    if not groups:
        return {}
    values = " ".join(f"<{g}>" for g in groups)
    rows = session.store.select(f"""
SELECT ?claim ?rank ?at ?reason WHERE {{
  VALUES ?g {{ {values} }}
  ?o a lkg:RankOverride ; lkg:claim ?claim ; lkg:statementRank ?rank ; prov:generatedAtTime ?at ; lkg:reason ?reason .
  ?claim lkg:group ?g .
}} ORDER BY ?claim ?at ?o""")
    names = {v: k for k, v in mapping.RANK_IRIS.items()}
    return {r["claim"].value: (names[r["rank"].value], r["reason"].value) for r in rows}


def claim_group(session, claim: str) -> str | None:
    """The group of a stored claim (None: no such claim)."""
    rows = session.store.select("SELECT ?claim ?g WHERE { ?claim a lkg:Claim ; lkg:group ?g }",
                                substitutions={ox.Variable("claim"): ox.NamedNode(claim)})
    return rows[0]["g"].value if rows else None


def group_description(session, group: str) -> tuple[str, str, list[Qualifier], str]:
    """Subject, property, scoping qualifiers and label of a stored group."""
    rows = session.store.select(f"""
SELECT ?s ?p ?label ?q ?v WHERE {{
  <{group}> lkg:subject ?s ; lkg:property ?p ; rdfs:label ?label .
  OPTIONAL {{ <{group}> ?q ?v . FILTER(STRSTARTS(STR(?q), "{LPQ}")) }}
}}""")
    if not rows:
        raise CheckFailed(f"claim group {group} has lost its description", hint="run 'lithkg validate'")
    scoping = [Qualifier(Term(mapping.LKGP + r["q"].value[len(LPQ):], r["q"].value[len(LPQ):]),
                         mapping.term_to_value(r["v"]), True) for r in rows if r.get("q")]
    return rows[0]["s"].value, rows[0]["p"].value, scoping, rows[0]["label"].value


def source_keys(session, sources: list[str]) -> dict[str, tuple[str, str | None]]:
    """The key and url of each source that has them stored (a source whose graph is lost has neither)."""
    if not sources:
        return {}
    rows = session.store.select(f"SELECT ?src ?key ?url WHERE {{ {_values('src', sources)} ?src lkg:sourceKey ?key . "
                                f"OPTIONAL {{ ?src lkg:url ?url }} }}")
    out: dict[str, tuple[str, str | None]] = {}
    for r in rows:
        out.setdefault(r["src"].value, (r["key"].value, r["url"].value if "url" in r else None))
    return out


def _version_claims_query(sources: list[str]) -> str:
    """``queries/version-claims.rq`` with its ``?source`` bound to each of ``sources`` (a ``VALUES`` block opening
    its ``WHERE``, as :func:`lithkg.read.sparql.inline_values` binds a named query's parameter)."""
    text = (data_dir("queries") / "version-claims.rq").read_text(encoding="utf-8")
    m = re.search(r"\bWHERE\s*\{", text, re.I)
    return text[:m.end()] + f" {_values('source', sources)} " + text[m.end():]


def source_claims(session, source: str, exclude_document: str) -> list[VersionClaim]:
    """The claims of every version of a source (but one), for comparing versions."""
    return source_claims_of(session, [source], exclude_document).get(source, [])


def source_claims_of(session, sources: list[str], exclude_document: str = NO_DOCUMENT
                     ) -> dict[str, list[VersionClaim]]:
    """The claims of every version (but ``exclude_document``) of each of several sources, read in one query."""
    if not sources:
        return {}
    out: dict[str, list[VersionClaim]] = {}
    for r in session.store.select(_version_claims_query(sources)):
        if r["doc"].value == exclude_document:
            continue
        inferred = r.get("inferred") is not None and r["inferred"].value == "true"
        time = TimeSpec(point=r["point"].value if r.get("point") else None,
                        start=r["start"].value if r.get("start") else None,
                        end=r["end"].value if r.get("end") else None)
        out.setdefault(r["source"].value, []).append(VersionClaim(
            r["claim"].value, r["doc"].value, r["g"].value, mapping.term_to_value(r["value"]).lexical,
            r["unit"].value if r.get("unit") else None,
            mapping.BOUND_NAMES.get(r["bound"].value) if r.get("bound") else None,
            None if inferred else time.display(), r["ex"].value, r["quote"].value, int(r["pos"].value)))
    return out


def versions(session, source: str, doc_iri: str | None = None, source_date: str | None = None,
             record_time: str = "") -> list[str]:
    """The versions of a source, oldest first (by source date, then record time), with ``doc_iri`` among them."""
    extra = {doc_iri: (source_date or "", record_time)} if doc_iri is not None else {}
    return versions_of(session, [source], extra).get(source, [])


def versions_of(session, sources: list[str], extra: dict | None = None) -> dict[str, list[str]]:
    """The versions of each of several sources, oldest first (by source date, then record time), read in one
    query; ``extra`` maps a version not yet stored to its (source date, record time), added to every source."""
    if not sources:
        return {}
    rows = session.store.select(f"""
SELECT ?src ?doc ?sdate ?rt WHERE {{
  {_values('src', sources)}
  ?doc prov:specializationOf ?src ; a lkg:DocumentVersion ; lkg:recordTime ?rt .
  OPTIONAL {{ ?doc lkg:sourceDate ?sdate }}
}}""")
    by_source: dict[str, dict[str, tuple[str, str]]] = {s: dict(extra or {}) for s in sources}
    for r in rows:
        by_source[r["src"].value][r["doc"].value] = (r["sdate"].value if r.get("sdate") else "", r["rt"].value)
    return {s: sorted(v, key=lambda d, v=v: (v[d][0], v[d][1], d)) for s, v in by_source.items()}


def lineages(session, sources: list[str]) -> dict[str, tuple[list[str], dict]]:
    """Each source's versions (oldest first) and how their claims continue, revise and retract each other (see
    :func:`lithkg.versioning.rules.lineage`), for many sources in two queries: what a source's derived graph holds."""
    found = versions_of(session, sources)
    several = [s for s in sources if len(found[s]) > 1]
    claims = source_claims_of(session, several, exclude_document="")
    return {s: (found[s], rules.lineage(found[s], claims.get(s, [])) if len(found[s]) > 1 else {})
            for s in sources}
