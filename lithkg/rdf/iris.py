"""Namespaces and the data IRIs lithkg mints: one base per store, configurable (see :class:`Ids`).

Below extraction in the
import order, so extractors mint unlinked entities under the store's base.
"""
from __future__ import annotations

import hashlib
import unicodedata
from typing import TYPE_CHECKING

from ..config import check_base  # noqa: F401  (re-exported with the ids)

if TYPE_CHECKING:
    from ..model import Claim, Document

LKG = "https://w3id.org/lithkg/ns#"
LKGP = "https://w3id.org/lithkg/prop/"
LP = LKGP + "p/"
LPS = LKGP + "ps/"
LPQ = LKGP + "pq/"
LDT = LKGP + "direct/"
DEFAULT_BASE = "https://w3id.org/lithkg/id/"
LKD = DEFAULT_BASE
LKE = LKD + "entity/"
PROV = "http://www.w3.org/ns/prov#"
OA = "http://www.w3.org/ns/oa#"
DCT = "http://purl.org/dc/terms/"
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
XSD = "http://www.w3.org/2001/XMLSchema#"
ONTOLOGY_GRAPH = "https://w3id.org/lithkg/graph/ontology"
AGENTS_GRAPH = "https://w3id.org/lithkg/graph/agents"
ENTITIES_GRAPH = "https://w3id.org/lithkg/graph/entities"
# Every triple lives in exactly one graph (queries see the union as a bag, so a triple written into two
# graphs would count twice): a source is described in its derived graph, extractors and minted entities
# in the shared graphs above.

PREFIXES = {
    "lkg": LKG, "lkgp": LKGP, "lp": LP, "lps": LPS, "lpq": LPQ, "ldt": LDT, "lke": LKE, "lkd": LKD,
    "prov": PROV, "oa": OA, "dcterms": DCT, "rdf": RDF, "rdfs": RDFS, "xsd": XSD,
    "skos": "http://www.w3.org/2004/02/skos/core#", "owl": "http://www.w3.org/2002/07/owl#",
    "qudt": "http://qudt.org/schema/qudt/", "unit": "http://qudt.org/vocab/unit/",
    "cur": "http://qudt.org/vocab/currency/", "wd": "http://www.wikidata.org/entity/",
    "schema": "http://schema.org/", "sh": "http://www.w3.org/ns/shacl#",
}


def digest(*parts: object) -> str:
    """20 hex characters of the SHA-256 of the parts (the identity every data IRI is minted from)."""
    text = "\x1f".join(repr(p) if not isinstance(p, str) else p for p in parts)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:20]


class Ids:
    """The data IRIs of one store, minted under its base (default ``https://w3id.org/lithkg/id/``).

    Every IRI is ``<base><kind>/<hash>`` (entities ``<base>entity/<slug>``). The hash is taken over the parts
    with the base written as the default one, so a claim has the same local name under any base and moving a
    graph to another base is a plain prefix substitution.

    >>> Ids("https://kg.example.org/id/").source("graph/sources/a.md").startswith("https://kg.example.org/id/source/")
    True
    """

    def __init__(self, base: str = DEFAULT_BASE):
        self.base = check_base(base)
        self.entity = self.base + "entity/"
        self.default = self.base == DEFAULT_BASE

    def __repr__(self) -> str:
        return f"Ids({self.base!r})"

    def __eq__(self, other) -> bool:
        return isinstance(other, Ids) and other.base == self.base

    def __hash__(self) -> int:
        return hash(self.base)

    def _canonical(self, part):
        if self.default:
            return part
        if isinstance(part, tuple):
            return tuple(self._canonical(p) for p in part)
        if isinstance(part, str) and part.startswith(self.base):
            return DEFAULT_BASE + part[len(self.base):]
        return part

    def mint(self, kind: str, *parts: object) -> str:
        return f"{self.base}{kind}/{digest(*(self._canonical(p) for p in parts))}"

    def source(self, source_key: str) -> str:
        return self.mint("source", source_key)

    def document(self, doc: Document) -> str:
        return self.mint("doc", doc.source_key, doc.content_hash)

    def claim(self, claim: Claim, doc_iri: str) -> str:
        return self.mint("claim", *claim.identity(doc_iri))

    def group(self, claim: Claim) -> str:
        return self.mint("group", *_flatten(claim.group_key()))

    def derived_graph(self, group: str) -> str:
        return f"{self.base}derived/{group.rsplit('/', 1)[-1]}"

    def source_graph(self, source: str) -> str:
        return f"{self.base}derived/source/{source.rsplit('/', 1)[-1]}"

    def override_graph(self, claim: str) -> str:
        return f"{self.base}override/{claim.rsplit('/', 1)[-1]}"

    def correction_graph(self, record: str) -> str:
        """The named graph of one analyst correction record (one graph each: records are added, never edited)."""
        return f"{self.base}correction/{record.rsplit('/', 1)[-1]}"

    def agent(self, name: str, version: str) -> str:
        return f"{self.base}agent/{name}-{version}"

    def person(self, name: str) -> str:
        return f"{self.base}agent/person-{digest(name)}"

    def unlinked_entity(self, label: str) -> str:
        folded = unicodedata.normalize("NFKD", " ".join(label.casefold().split()))
        return f"{self.entity}u-{digest(''.join(c for c in folded if not unicodedata.combining(c)))}"

    def is_unlinked(self, iri: str) -> bool:
        return iri.startswith(self.entity + "u-")

    def local(self, iri: str) -> str | None:
        """The part of a data IRI after the base (``claim/ab12...``), or None for other IRIs."""
        return iri[len(self.base):] if iri.startswith(self.base) else None

    def rebase(self, iri: str) -> str:
        """An IRI written under the default base, moved under this one (entity IRIs of ``ontology/``)."""
        return self.base + iri[len(DEFAULT_BASE):] if not self.default and iri.startswith(DEFAULT_BASE) else iri

    @property
    def prefixes(self) -> dict[str, str]:
        """:data:`PREFIXES` with ``lke:`` and ``lkd:`` under this base."""
        return PREFIXES if self.default else {**PREFIXES, "lke": self.entity, "lkd": self.base}


DEFAULT_IDS = Ids()


def _flatten(key) -> list:
    out = []
    for item in key:
        if isinstance(item, tuple):
            out.extend(_flatten(item))
        else:
            out.append(item)
    return out
