"""An open store with what every part of lithkg needs beside it: the settings, the ontology (under the store's base),
the ids that mint data IRIs, and the resolution of names (entity labels, property names) to IRIs.

:class:`Session` is what the ingest, the derivations, the listings and the server receive; the facade
(:class:`lithkg.kg.KnowledgeGraph`) holds one. The store is opened on first use: the embedded Oxigraph store
(:class:`lithkg.store.oxigraph.OxigraphStore`) or, with the ``endpoint`` setting, a SPARQL 1.1 server
(:class:`lithkg.store.remote.RemoteStore`); both implement :class:`lithkg.store.base.Store`.
"""
from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox

from .config import Settings, load_settings
from .errors import UsageError
from .rdf.iris import DEFAULT_BASE, Ids
from .rdf.mapping import LKG, ONTOLOGY_GRAPH, XSD
from .rdf.ontology import Ontology, load as load_ontology
from .store.base import Store
from .store.oxigraph import OxigraphStore


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

    def resolve_claim(self, text: str) -> str:
        """A claim's IRI from its IRI or its short id (the hash its IRI ends with)."""
        text = text.strip()
        iri = text if text.startswith(("http://", "https://", "urn:")) else f"{self.base}claim/{text}"
        rows = self.store.select("SELECT ?c WHERE { ?c a lkg:Claim }", substitutions={ox.Variable("c"): ox.NamedNode(iri)})
        if not rows:
            raise UsageError(f"no claim '{text}' in the store", hint="see 'lithkg claims' for claim ids")
        return iri

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
        ``qualifier``, else an entity (labels and aliases resolved)."""
        if name in ("property", "qualifier"):
            return self.resolve_property(value)
        return self.resolve_entity(value)
