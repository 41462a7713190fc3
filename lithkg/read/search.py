"""What the browsing pages of ``lithkg serve`` read: search over all claims, the disputes with the page's filters, the
claims of one entity or one claim, and what the store says of the documents and sources they come from.

Search (:func:`search`) matches a query's words against each claim's subject (label and aliases), property (label
and aliases), qualifiers (labels and values) and quote: case-insensitive and accent-insensitive ("klaipeda" finds
"Klaipėda"), and every word must occur. The rows are those of :func:`lithkg.read.listings.claims` (the claims-listing
contract), each with the ``doc_title`` and ``doc_url`` of its document.
"""
from __future__ import annotations

import re

import pyoxigraph as ox

from ..errors import UsageError
from ..rdf.ontology import ascii_fold
from ..session import Session
from . import filters, listings

DCT_TITLE = "http://purl.org/dc/terms/title"


def fold(text) -> str:
    """``text`` case-folded with its accents taken off (search compares these)."""
    return ascii_fold(str(text or "").casefold())


def words(q: str) -> list[str]:
    """The words of a search query, folded (see :func:`fold`)."""
    return fold(q).split()


def starts_word(word: str) -> re.Pattern:
    """A pattern that finds ``word`` at the start of a word ("lith" finds "Lithuania"; "007" does not find "1007")."""
    return re.compile(r"(?<!\w)" + re.escape(word))


def documents(session: Session, iris, *, text: bool = False) -> dict[str, dict]:
    """Document version IRI -> {title, url, source, source_key, file, published, source_date, retrieved, version}
    for these versions, read in one query; with ``text``, each version's stored text too."""
    iris = sorted({i for i in iris if i})
    if not iris:
        return {}
    values = " ".join(str(ox.NamedNode(i)) for i in iris)
    out: dict[str, dict] = {}
    for r in session.store.select(f"""
SELECT ?doc ?file ?src ?key ?title ?url ?published ?sdate ?retrieved ?version ?text WHERE {{
  VALUES ?doc {{ {values} }}
  ?doc lkg:fileName ?file ; prov:specializationOf ?src .
  ?src lkg:sourceKey ?key .
  OPTIONAL {{ ?doc <{DCT_TITLE}> ?title }}
  OPTIONAL {{ ?src lkg:url ?url }}
  OPTIONAL {{ ?doc lkg:published ?published }}
  OPTIONAL {{ ?doc lkg:sourceDate ?sdate }}
  OPTIONAL {{ ?doc lkg:retrieved ?retrieved }}
  OPTIONAL {{ ?doc lkg:versionNumber ?version }}
  {"OPTIONAL { ?doc lkg:text ?text }" if text else ""}
}}"""):
        def value(name: str, r=r) -> str | None:
            return r[name].value if r.get(name) is not None else None
        out[r["doc"].value] = {
            "title": value("title"), "url": value("url"), "source": r["src"].value, "source_key": r["key"].value,
            "file": r["file"].value, "published": value("published"), "source_date": value("sdate"),
            "retrieved": value("retrieved"), "version": value("version"), **({"text": value("text")} if text else {})}
    return out


def with_documents(session: Session, rows: list[dict]) -> list[dict]:
    """Claims rows with ``doc_title`` and ``doc_url`` (None where the document has none)."""
    docs = documents(session, {r["document"] for r in rows})
    return [{**r, "doc_title": docs.get(r["document"], {}).get("title"),
             "doc_url": docs.get(r["document"], {}).get("url")} for r in rows]


def haystack(session: Session, row: dict) -> str:
    """The text a claim is found by: subject and property (labels and aliases), qualifiers, quote; folded."""
    ontology = session.ontology
    entity = ontology.entities.get(row["subject"])
    prop = ontology.properties.get(row["property"])
    parts = [row.get("subject_label"), row.get("property_label"), row.get("quote"),
             *(entity.aliases if entity else ()), *(prop.aliases if prop else ()), prop.name if prop else None]
    for k, v in (row.get("qualifiers") or {}).items():
        parts += [k, v]
    return fold(" ".join(str(p) for p in parts if p is not None))


def search(session: Session, q: str) -> list[dict]:
    """Every claim whose subject, property, qualifiers and quote together hold every word of ``q`` (see the module
    docstring; each word at the start of a word), in the order of the claims listing; nothing for a query with no words."""
    wanted = words(q)
    if not wanted:
        return []
    tests = [starts_word(w) for w in wanted]
    rows = [r for r in listings.claims(session) if _holds(haystack(session, r), tests)]
    return with_documents(session, rows)


def _holds(text: str, tests: list[re.Pattern]) -> bool:
    return all(t.search(text) for t in tests)


def sources(session: Session) -> list[dict]:
    """Every source: {key, label (its latest version's title, else its file name)}, by label."""
    rows = session.store.select(f"""
SELECT ?key ?file ?title WHERE {{
  ?src a lkg:Source ; lkg:sourceKey ?key ; lkg:latestVersion ?doc .
  ?doc lkg:fileName ?file .
  OPTIONAL {{ ?doc <{DCT_TITLE}> ?title }}
}}""")
    found = {r["key"].value: (r["title"] or r["file"]).value if r.get("title") else r["file"].value for r in rows}
    return sorted(({"key": k, "label": v} for k, v in found.items()), key=lambda s: (fold(s["label"]), s["key"]))


def disputes(session: Session, *, status: str | None = None, source: str | None = None, since: str | None = None,
             q: str | None = None) -> list[dict]:
    """The rows of :func:`lithkg.read.listings.conflicts` of the groups that pass the disputes page's filters
    (status, source and date as ``lithkg conflicts`` filters them; ``q``: every word in the group's heading), each
    with ``doc_title`` and ``doc_url``."""
    rows = filters.filter_conflicts(session, listings.conflicts(session), status=status or None,
                                    source=source or None, since=since or None)
    wanted = words(q or "")
    if wanted:
        tests = [starts_word(w) for w in wanted]
        rows = [r for r in rows if _holds(fold(r["group_label"]), tests)]
    return with_documents(session, rows)


def group_of(session: Session, claim: str) -> str | None:
    """The group IRI of the claim ``claim`` (None when it is no claim)."""
    found = list(session.store.pattern(subject=ox.NamedNode(claim), predicate=ox.NamedNode(
        "https://w3id.org/lithkg/ns#group")))
    return found[0].object.value if found else None


def claim(session: Session, iri: str) -> tuple[dict, list[dict]]:
    """The claims row of the claim ``iri`` (superseded claims too) and the rows of the other claims of its group;
    a UsageError when there is no such claim."""
    group = group_of(session, iri)
    rows = listings.claims(session, group=group, superseded=True) if group else []
    found = [r for r in rows if r["id"] == iri]
    if not found:
        raise UsageError(f"no claim <{iri}> in the store", hint="see 'lithkg claims' for ids")
    row = found[0]
    others = [r for r in rows if r["group"] == row["group"] and r["id"] != iri]
    return with_documents(session, [row])[0], with_documents(session, others)


def entity(session: Session, iri: str) -> dict:
    """An entity: {iri, label, aliases, types, same_as, claims (its claims rows, with their documents)}; the
    gazetteer's description, else what the store says (a minted entity's label)."""
    info = session.ontology.entities.get(iri)
    if info is not None:
        label, aliases, types, same = info.label, list(info.aliases), list(info.types), list(info.same_as)
    else:
        found = session.store.select("SELECT ?l WHERE { ?e rdfs:label ?l } ORDER BY ?l LIMIT 1",
                                     substitutions={ox.Variable("e"): ox.NamedNode(iri)})
        label, aliases, types, same = found[0]["l"].value if found else iri.rsplit("/", 1)[-1], [], [], []
    return {"iri": iri, "label": label, "aliases": aliases, "types": types, "same_as": same,
            "claims": with_documents(session, listings.claims(session, subject=iri))}
