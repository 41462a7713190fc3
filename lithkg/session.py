"""An open store with what every part of lithkg needs beside it: the settings, the ontology (under the store's base),
the ids that mint data IRIs, and the resolution of names (entity labels, property names) to IRIs, and of claims,
claim groups and document versions by their short ids (:meth:`Session.resolve_id`: the one resolver every command,
page and facade method that names one of them uses).

:class:`Session` is what the ingest, the derivations, the listings and the server receive; the facade
(:class:`lithkg.kg.KnowledgeGraph`) holds one. The store is opened on first use: the embedded Oxigraph store
(:class:`lithkg.store.oxigraph.OxigraphStore`) or, with the ``endpoint`` setting, a SPARQL 1.1 server
(:class:`lithkg.store.remote.RemoteStore`); both implement :class:`lithkg.store.base.Store`.
"""
from __future__ import annotations

import re
from pathlib import Path

import pyoxigraph as ox

from .config import Settings, load_settings
from .errors import UsageError
from .rdf.iris import DEFAULT_BASE, Ids
from .rdf.mapping import LKG, ONTOLOGY_GRAPH, XSD
from .rdf.ontology import Ontology, load as load_ontology
from .store.base import Store
from .store.oxigraph import OxigraphStore


MIN_SHORT_ID = 6
"""The fewest characters of a short id that name a claim, group or document (see :meth:`Session.resolve_id`)."""

ID_KINDS = {
    # kind: (the IRI's path segment, its rdf:type, where a person finds the ids)
    "claim": ("claim", LKG + "Claim", "see 'lithkg claims' for ids"),
    "group": ("group", LKG + "ClaimGroup", "see 'lithkg conflicts' for group ids"),
    "document": ("doc", LKG + "DocumentVersion", "see 'lithkg log' for document ids"),
    "correction": ("correction", LKG + "Correction", "see 'lithkg corrections' for ids"),
}
_HEX = re.compile(r"[0-9a-fA-F]+")


def short_id(iri: str | None) -> str | None:
    """A data IRI's short id: the hash after its last '/' (``.../claim/59e57e3584003633e068`` ->
    ``59e57e3584003633e068``). :meth:`Session.resolve_id` takes it back, or any unique prefix of it of at least
    :data:`MIN_SHORT_ID` characters."""
    return iri.rsplit("/", 1)[-1] if iri else iri


class Session:
    """The store at ``settings.store`` (or ``settings.endpoint``), its ontology, ids and settings.

    :param settings: settings (default: read from pyproject.toml and the environment)
    :param read_only: open the store for reading only (other processes may write meanwhile)
    :param ontology: an ontology already loaded (its base is then the session's)
    """

    def __init__(self, settings: Settings | None = None, *, read_only: bool = False,
                 ontology: Ontology | None = None):
        self.settings = settings or load_settings()
        self.read_only = read_only
        self._store: Store | None = None
        self._ontology = ontology
        self._base: str | None = ontology.ids.base if ontology is not None else None

    @property
    def ontology(self) -> Ontology:
        """The ontology (the package's and the user's files of the ``ontology`` setting), its entities under this
        store's base."""
        if self._ontology is None:
            self._ontology = load_ontology(base=self.base, user_files=self.settings.ontology)
        return self._ontology

    @property
    def loaded_ontology(self) -> Ontology | None:
        """The ontology if it has been loaded (None: not yet), without loading it."""
        return self._ontology

    @property
    def ids(self) -> Ids:
        """Mints this store's data IRIs (claims, groups, documents, sources, unlinked entities)."""
        return self.ontology.ids

    @property
    def base(self) -> str:
        """The base data IRIs are minted under: the one the store was built with; for a new store the ``base``
        setting, else :data:`~lithkg.rdf.iris.DEFAULT_BASE`. A setting that differs from the store's is an error."""
        if self._base is None:
            recorded = self._recorded_base()
            wanted = self.settings.base
            if recorded and wanted and recorded != wanted:
                raise UsageError(f"the store {self.where} mints IRIs under {recorded}, not {wanted}",
                                 hint="drop the base setting to use the store's, or build a new store")
            self._base = recorded or wanted or DEFAULT_BASE
        return self._base

    def _recorded_base(self) -> str | None:
        if not self.remote and not self.read_only and not Path(self.settings.store).exists():
            return None
        if not self.remote and self._store is None and not self.read_only:
            # a read-only look: opening the store for writing changes its files, and an ingest that is then
            # refused (a bad claim, a quote not found) must leave the store byte-for-byte as it was
            if not (Path(self.settings.store) / "CURRENT").exists():  # an empty folder: a new store
                return None
            return OxigraphStore(self.settings.store, read_only=True).recorded_base()
        return self.store.recorded_base()

    def base_quad(self) -> ox.Quad:
        """The statement that records the store's base (in the ontology graph)."""
        g = ox.NamedNode(ONTOLOGY_GRAPH)
        return ox.Quad(g, ox.NamedNode(LKG + "idBase"), ox.Literal(self.base, datatype=ox.NamedNode(XSD + "anyURI")), g)

    @property
    def remote(self) -> bool:
        """True when the store is a SPARQL server (``--endpoint``), not the embedded one."""
        return bool(self.settings.endpoint)

    @property
    def store(self) -> Store:
        """The embedded Oxigraph store, or a :class:`~lithkg.store.remote.RemoteStore` with ``--endpoint``."""
        if self._store is None:
            if self.remote:
                from .store.remote import RemoteStore
                self._store = RemoteStore(self.settings.endpoint, update_url=self.settings.update_endpoint,
                                          graph_store_url=self.settings.graph_store, read_only=self.read_only)
            else:
                self._store = OxigraphStore(self.settings.store, read_only=self.read_only)
        return self._store

    @property
    def where(self) -> str:
        """What error messages name as the store: its path, or the endpoint's URL."""
        return self.settings.endpoint or str(self.settings.store)

    def dataset(self):
        """An rdflib ``Dataset`` view of the store (through oxrdflib), with the union of all graphs as its default
        graph. A remote store is copied into memory first."""
        import oxrdflib
        import rdflib

        if self.remote:
            copy = ox.Store()
            copy.extend(self.store.quads())
            return rdflib.Dataset(store=oxrdflib.OxigraphStore(store=copy), default_union=True)
        return rdflib.Dataset(store=oxrdflib.OxigraphStore(store=self.store.engine), default_union=True)

    def close(self) -> None:
        if self._store is not None:
            self._store.flush()
            self._store.close()
            self._store = None

    # ------------------------------------------------------------------ names to IRIs
    def resolve_entity(self, name: str) -> str:
        """An entity's IRI from a label or alias of the gazetteer, a label in the store, or an IRI."""
        if name.startswith(("http://", "https://", "urn:")):
            return name
        info = self.ontology.entity(name)
        if info is not None:
            return info.iri
        rows = self.store.select("SELECT ?e ?name WHERE { ?e a lkg:Entity ; rdfs:label ?l . "
                                 "FILTER(LCASE(STR(?l)) = ?name) }",
                                 substitutions={ox.Variable("name"): ox.Literal(" ".join(name.lower().split()))})
        if rows:
            return rows[0]["e"].value
        raise UsageError(f"unknown entity '{name}'", hint="use a label or alias from ontology/entities.ttl, or an IRI")

    def resolve_property(self, name: str) -> str:
        """A property's (or qualifier's) IRI from its name in ontology/frames.ttl, or an IRI."""
        if name.startswith(("http://", "https://")):
            return name
        info = self.ontology.property(name) or self.ontology.qualifier(name)
        if info is None:
            raise UsageError(f"unknown property '{name}'", hint="use a property from ontology/frames.ttl")
        return info.iri

    def resolve_param(self, name: str, value: str) -> str:
        """The IRI a named query's ``iri`` parameter names: a property or qualifier for ``property`` and
        ``qualifier``; a claim, group or document for ``claim``, ``group``, ``document`` or ``doc`` (short ids
        resolved, see :meth:`resolve_id`); else an entity (labels and aliases resolved)."""
        if name in ("property", "qualifier"):
            return self.resolve_property(value)
        kind = {"claim": "claim", "group": "group", "document": "document", "doc": "document"}.get(name)
        if kind:
            return self.resolve_id(kind, value)
        return self.resolve_entity(value)

    # ------------------------------------------------------------------ short ids to IRIs
    def match_ids(self, kind: str, ref: str) -> list[str]:
        """The stored IRIs of ``kind`` (``claim``, ``group`` or ``document``) that ``ref`` names, sorted: ``ref``
        itself when it is such an IRI in the store; else those whose short id (:func:`short_id`) starts with ``ref``
        (hex digits, at least :data:`MIN_SHORT_ID` of them, any case; ``claim/``, ``group/`` or ``doc/`` before them
        is allowed). Nothing is refused here: a name that is no id gives ``[]``."""
        if kind not in ID_KINDS:
            raise UsageError(f"no kind of id '{kind}'", hint="use " + ", ".join(ID_KINDS))
        segment, rdf_type, _ = ID_KINDS[kind]
        ref = ref.strip()
        if ref.startswith("<") and ref.endswith(">"):
            ref = ref[1:-1]
        if re.match(r"^[a-z][a-z0-9+.-]*:", ref, re.I):
            found = self.store.select(f"SELECT ?x WHERE {{ ?x a <{rdf_type}> }} LIMIT 1",
                                      substitutions={ox.Variable("x"): ox.NamedNode(ref)}) if _plain_iri(ref) else []
            return [ref] if found else []
        if ref.startswith(segment + "/"):
            ref = ref[len(segment) + 1:]
        if not _HEX.fullmatch(ref) or len(ref) < MIN_SHORT_ID:
            return []
        prefix = ox.Literal(f"{self.base}{segment}/{ref.lower()}")  # (hex digits only after the base)
        rows = self.store.select(f"SELECT DISTINCT ?x WHERE {{ ?x a <{rdf_type}> . "
                                 f"FILTER(STRSTARTS(STR(?x), {prefix})) }} ORDER BY ?x")
        return [r["x"].value for r in rows]

    def resolve_id(self, kind: str, ref: str) -> str:
        """The IRI of the claim, group or document (``kind``) that ``ref`` names: its IRI, or its short id (the hash
        after the last '/'), or a unique prefix of that of at least :data:`MIN_SHORT_ID` characters. Every command
        and facade method that takes a claim, group or document resolves it here. An unknown, too short or
        ambiguous id is a :class:`~lithkg.errors.UsageError` (exit 2) that says what to do::

            no claim 'abc123' in the store (see 'lithkg claims' for ids)
            'abc1' is too short for a claim id (give at least 6 of its characters)
            '59e57e' names 3 claims (give more characters)
        """
        found = self.match_ids(kind, ref)
        segment, _, where = ID_KINDS[kind]
        text = ref.strip()
        if len(found) == 1:
            return found[0]
        if found:
            raise UsageError(f"'{text}' names {len(found)} {kind}s", hint="give more characters")
        bare = text[len(segment) + 1:] if text.startswith(segment + "/") else text
        if _HEX.fullmatch(bare) and len(bare) < MIN_SHORT_ID:
            raise UsageError(f"'{text}' is too short for a {kind} id",
                             hint=f"give at least {MIN_SHORT_ID} of its characters")
        raise UsageError(f"no {kind} '{text}' in the store", hint=where)

    def resolve_claim(self, ref: str) -> str:
        """A claim's IRI from its IRI or short id (see :meth:`resolve_id`)."""
        return self.resolve_id("claim", ref)

    def resolve_group(self, ref: str) -> str:
        """A claim group's IRI from its IRI or short id (see :meth:`resolve_id`)."""
        return self.resolve_id("group", ref)

    def resolve_document(self, ref: str) -> str:
        """A document version's IRI from its IRI or short id (see :meth:`resolve_id`)."""
        return self.resolve_id("document", ref)


def _plain_iri(text: str) -> bool:
    return bool(re.match(r"^[a-z][a-z0-9+.-]*:[^\s<>\"{}|\\^`]*$", text, re.I))
