"""The store interface: what lithkg asks of a store, which the embedded Oxigraph store
(:class:`lithkg.store.oxigraph.OxigraphStore`) and any SPARQL 1.1 server (:class:`lithkg.store.remote.RemoteStore`)
both implement, and the SPARQL text both write with.

::

    Store                       query, select, has_graph, contains, graph_quads, quads, named_graphs,
    ├── OxigraphStore           __len__, graphs_ntriples, recorded_base, apply, flush, close
    └── RemoteStore
"""
from __future__ import annotations

import abc
import re
from typing import Iterable, Iterator

import pyoxigraph as ox

from ..errors import QueryError
from ..rdf.exports import ntriples_by_graph
from ..rdf.mapping import PREFIXES


def syntax_error(exc: SyntaxError, path: str = "query") -> QueryError:
    """A pyoxigraph SPARQL syntax error as a QueryError with the line and column it names."""
    text = str(exc.msg if getattr(exc, "msg", None) else exc)
    m = re.match(r"error at (\d+):(\d+): (.*)", text, re.S)
    if m:
        return QueryError(f"SPARQL syntax error: {m.group(3)}", path=path, line=int(m.group(1)),
                          column=int(m.group(2)), hint="fix the query")
    return QueryError(f"SPARQL syntax error: {text}", path=path, hint="fix the query")


def insert_data(quads: Iterable[ox.Quad], block: int = 1000, *, verb: str = "INSERT DATA") -> str:
    """SPARQL ``INSERT DATA`` (or ``verb="DELETE DATA"``) for quads, grouped by graph (terms in N-Triples syntax,
    valid SPARQL), at most ``block`` triples per ``GRAPH`` block, the operations joined by ``;`` (one request:
    Virtuoso refuses a block of about 5,000 triples; Oxigraph applies the whole request as one transaction)."""
    by_graph: dict[str, list[str]] = {}
    for q in quads:
        by_graph.setdefault(str(q.graph_name), []).append(
            f"{q.subject} {q.predicate} {q.object} .")
    ops = []
    for g, lines in by_graph.items():
        for start in range(0, len(lines), block):
            ops.append(f"{verb} {{\nGRAPH {g} {{\n" + "\n".join(lines[start:start + block]) + "\n}\n}")
    return " ;\n".join(ops)


class Store(abc.ABC):
    """A store of named graphs that answers SPARQL 1.1 queries over the union of its graphs and replaces graphs in
    one transaction. ``select``, ``graphs_ntriples`` and ``recorded_base`` are written once here over ``query`` and
    ``quads``."""

    read_only: bool = False

    @abc.abstractmethod
    def query(self, sparql: str, *, substitutions: dict | None = None, prefixes: dict | None = None,
              union: bool = True, default_graph: list | None = None, named_graphs: list | None = None,
              base_iri: str | None = None):
        """Run a SPARQL query (the union of all graphs as the default graph unless ``union=False``; relative IRIs
        resolved against ``base_iri``); SELECT gives
        solutions with ``variables``, ASK a boolean, CONSTRUCT / DESCRIBE triples. Raises QueryError."""

    @abc.abstractmethod
    def has_graph(self, iri: str) -> bool:
        """Whether the named graph ``iri`` holds anything."""

    @abc.abstractmethod
    def contains(self, quad: ox.Quad) -> bool:
        """Whether the store holds ``quad``."""

    @abc.abstractmethod
    def graph_quads(self, iri: str) -> list[ox.Quad]:
        """Every quad of the named graph ``iri``."""

    @abc.abstractmethod
    def quads(self) -> Iterable[ox.Quad]:
        """Every quad of the store."""

    @abc.abstractmethod
    def named_graphs(self) -> list[str]:
        """The named graphs' IRIs, in order."""

    @abc.abstractmethod
    def __len__(self) -> int:
        """How many quads the store holds."""

    @abc.abstractmethod
    def apply(self, *, drop_graphs: Iterable[str] = (), insert: Iterable[ox.Quad] = ()) -> None:
        """Replace graphs: drop ``drop_graphs`` and insert ``insert``, in one transaction."""

    @abc.abstractmethod
    def flush(self) -> None:
        """Make what was written durable."""

    @abc.abstractmethod
    def close(self) -> None:
        """Release the store."""

    def select(self, sparql: str, **kw) -> list[dict]:
        """Rows of a SELECT with the standard prefixes predeclared, as dicts of variable name -> term."""
        results = self.query(sparql, prefixes=PREFIXES, **kw)
        names = [v.value for v in results.variables]
        return [{n: sol[n] for n in names if sol[n] is not None} for sol in results]

    def graphs_ntriples(self) -> Iterator[tuple[str | None, bytes]]:
        """Each graph's triples in N-Triples, graph by graph in IRI order (from :meth:`quads`, read in one go: a
        remote server answers one request, not one per document version)."""
        return ntriples_by_graph(self.quads())

    def recorded_base(self) -> str | None:
        """The base this store mints data IRIs under (written with the ontology at its first ingest)."""
        rows = self.select("SELECT ?b WHERE { GRAPH ?g { ?g lkg:idBase ?b } }")
        return rows[0]["b"].value if rows else None
