"""A SPARQL 1.1 server as the store: any server that speaks the Protocol (queries), SPARQL Update and, for
bulk writes of a document version's graph, the Graph Store Protocol.

:class:`RemoteStore` has the methods of :class:`~lithkg.store.oxigraph.OxigraphStore` that lithkg uses, so every command
runs unchanged on it. Queries are checked locally first (against an empty in-memory Oxigraph store), so a syntax
error names its line and column the same way as on the embedded store and never reaches the server. Parameters are
bound with a trailing ``VALUES`` clause. The server must treat the default graph of a query as the union of its
named graphs (Virtuoso, GraphDB and Neptune do; ``oxigraph serve --union-default-graph``; Fuseki with
``tdb2:unionDefaultGraph true``).

Credentials come from the environment only, never from a flag: ``LITHKG_ENDPOINT_USER`` and
``LITHKG_ENDPOINT_PASSWORD``, with ``LITHKG_ENDPOINT_AUTH=basic`` (default) or ``digest``.
"""
from __future__ import annotations

import json
import os
import re
import urllib.parse
from typing import Iterable

import pyoxigraph as ox

from ..errors import EndpointError, QueryError, StoreError, UsageError
from .base import Store, insert_data, syntax_error

RESULTS_JSON = "application/sparql-results+json"
NTRIPLES = "application/n-triples"
XSD_BOOLEAN = "http://www.w3.org/2001/XMLSchema#boolean"
XSD_DECIMAL = "http://www.w3.org/2001/XMLSchema#decimal"
XSD_INTEGER = "http://www.w3.org/2001/XMLSchema#integer"
LITHKG_GRAPHS = "https://w3id.org/lithkg/graph/"
LITHKG_NS = "https://w3id.org/lithkg/"


class Solution:
    """One row of a SELECT result: ``row["name"]`` (or an ``ox.Variable``) is a term or None."""

    __slots__ = ("_terms",)

    def __init__(self, terms: dict[str, object]):
        self._terms = terms

    def __getitem__(self, key):
        return self._terms.get(key.value if isinstance(key, ox.Variable) else key)


class Solutions:
    """A SELECT result read from SPARQL results JSON, shaped like pyoxigraph's ``QuerySolutions``."""

    def __init__(self, variables: list[str], rows: list[Solution]):
        self.variables = [ox.Variable(v) for v in variables]
        self._rows = rows

    def __iter__(self):
        return iter(self._rows)


def term(binding: dict):
    """A SPARQL results JSON binding as a pyoxigraph term."""
    kind, value = binding.get("type"), binding.get("value", "")
    if kind == "uri":
        return ox.NamedNode(value)
    if kind == "bnode":
        return ox.BlankNode(re.sub(r"[^A-Za-z0-9_]", "_", value) or "b")
    if kind in ("literal", "typed-literal"):
        if binding.get("xml:lang"):
            return ox.Literal(value, language=binding["xml:lang"])
        datatype = binding.get("datatype")
        if datatype == XSD_BOOLEAN and value in ("1", "0"):  # Virtuoso writes booleans as 1 and 0
            value = "true" if value == "1" else "false"
        if datatype and datatype != "http://www.w3.org/2001/XMLSchema#string":
            return ox.Literal(value, datatype=ox.NamedNode(datatype))
        return ox.Literal(value)
    raise EndpointError(f"the endpoint sent a binding of unknown type '{kind}'")


def _restore(q: ox.Quad) -> ox.Quad:
    """Virtuoso keeps an xsd:integer beyond 32 bits as an xsd:decimal. lithkg writes every whole number it
    extracts as an integer, so under lithkg's own predicates such a decimal is put back (others are left alone)."""
    o = q.object
    if isinstance(o, ox.Literal) and o.datatype.value == XSD_DECIMAL and q.predicate.value.startswith(LITHKG_NS) \
            and re.fullmatch(r"-?\d{10,}", o.value) and abs(int(o.value)) >= 2 ** 31:
        return ox.Quad(q.subject, q.predicate, ox.Literal(o.value, datatype=ox.NamedNode(XSD_INTEGER)), q.graph_name)
    return q


def _auth():
    user, password = os.environ.get("LITHKG_ENDPOINT_USER"), os.environ.get("LITHKG_ENDPOINT_PASSWORD")
    if not user:
        return None
    import httpx
    scheme = os.environ.get("LITHKG_ENDPOINT_AUTH", "basic").lower()
    if scheme == "digest":
        return httpx.DigestAuth(user, password or "")
    if scheme != "basic":
        raise UsageError(f"LITHKG_ENDPOINT_AUTH '{scheme}' is not basic or digest")
    return httpx.BasicAuth(user, password or "")


class RemoteStore(Store):
    """A SPARQL 1.1 server at ``query_url`` (with ``update_url`` for writes and ``graph_store_url`` for bulk
    graph writes; without the latter, graphs are written through SPARQL Update). The graph is named with the
    standard ``?graph=IRI``, unless ``graph_store_url`` ends with ``=`` (Virtuoso: ``.../sparql-graph-crud?graph-uri=``),
    when the IRI is appended to it."""

    def __init__(self, query_url: str, *, update_url: str | None = None, graph_store_url: str | None = None,
                 read_only: bool = False, timeout: float = 120.0):
        import httpx

        for name, url in (("--endpoint", query_url), ("--update-endpoint", update_url),
                          ("--graph-store", graph_store_url)):
            if url is not None and not re.match(r"^https?://[^\s/]+", url):
                raise UsageError(f"{name} '{url}' is not an http(s) URL")
        self.query_url, self.update_url, self.graph_store_url = query_url, update_url, graph_store_url
        self.path = query_url  # what error messages name
        self.read_only = read_only
        self._http = httpx.Client(timeout=timeout, auth=_auth(), follow_redirects=True)
        self._local = ox.Store()  # empty: parses queries locally so syntax errors carry line and column

    # -- plumbing
    def _send(self, method: str, url: str, **kw):
        import httpx
        try:
            response = self._http.request(method, url, **kw)
        except httpx.HTTPError as exc:
            raise EndpointError(f"cannot reach the SPARQL endpoint: {exc}", path=url,
                                hint="check the URL and that the server is running") from None
        if response.status_code >= 400:
            body = " ".join(response.text.split())[:300]
            raise EndpointError(f"the endpoint answered {response.status_code}: {body}", path=url,
                                hint="nothing was changed by this request")
        return response

    def _writable(self) -> str:
        if self.read_only:
            raise StoreError("the store is open read-only", path=self.path)
        if not self.update_url:
            raise UsageError("writing to a SPARQL server needs --update-endpoint URL")
        return self.update_url

    @staticmethod
    def _prologue(prefixes: dict | None) -> str:
        return "".join(f"PREFIX {k}: <{v}>\n" for k, v in (prefixes or {}).items())

    # -- reading
    def query(self, sparql: str, *, substitutions: dict | None = None, prefixes: dict | None = None,
              union: bool = True, base_iri: str | None = None):
        """Run a query on the server: a :class:`Solutions`, a bool (ASK) or a list of triples. (``union`` is the
        server's setting; a FROM in the query is the server's to honour; ``base_iri`` is sent as BASE.)"""
        try:
            self._local.query(sparql, prefixes=prefixes, substitutions=substitutions, base_iri=base_iri)
        except SyntaxError as exc:
            raise syntax_error(exc) from None
        except (RuntimeError, ValueError) as exc:
            text = str(exc)
            hint = "a --param variable must appear in the SELECT clause" if "projection" in text else None
            raise QueryError(f"query failed: {text}", hint=hint) from None
        text = (f"BASE <{base_iri}>\n" if base_iri else "") + self._prologue(prefixes) + sparql
        if substitutions:
            names = sorted(substitutions, key=lambda v: v.value)
            row = " ".join(str(substitutions[n]) for n in names)
            text += f"\nVALUES ({' '.join('?' + n.value for n in names)}) {{ ({row}) }}"
        response = self._send("POST", self.query_url, data={"query": text},
                              headers={"Accept": f"{RESULTS_JSON}, {NTRIPLES};q=0.9, text/turtle;q=0.5"})
        media = response.headers.get("content-type", "").split(";")[0].strip()
        if media in (RESULTS_JSON, "application/json"):
            data = json.loads(response.content)
            if "boolean" in data:
                return bool(data["boolean"])
            names = data.get("head", {}).get("vars", [])
            rows = [Solution({k: term(v) for k, v in b.items()}) for b in data.get("results", {}).get("bindings", [])]
            return Solutions(names, rows)
        fmt = ox.RdfFormat.N_TRIPLES if media == NTRIPLES else ox.RdfFormat.TURTLE
        try:
            return [ox.Triple(q.subject, q.predicate, q.object) for q in ox.parse(response.content, format=fmt)]
        except SyntaxError as exc:
            raise EndpointError(f"the endpoint sent RDF that does not parse ({media}): {exc}") from None

    def has_graph(self, iri: str) -> bool:
        return bool(self.query(f"ASK {{ GRAPH <{iri}> {{ ?s ?p ?o }} }}"))

    def contains(self, quad: ox.Quad) -> bool:
        """Whether the server holds the quad (read through its graph: servers differ in matching typed literals)."""
        return quad in set(self.graph_quads(quad.graph_name.value))

    def graph_quads(self, iri: str) -> list[ox.Quad]:
        g = ox.NamedNode(iri)
        rows = self.query(f"SELECT ?s ?p ?o WHERE {{ GRAPH <{iri}> {{ ?s ?p ?o }} }}")
        return [_restore(ox.Quad(r["s"], r["p"], r["o"], g)) for r in rows]

    def _ours(self) -> str:
        """A FILTER keeping lithkg's graphs (its shared graphs and those under the store's base): a server may
        hold other data, and its own system graphs (Virtuoso's), which lithkg neither exports nor removes."""
        from ..rdf.iris import DEFAULT_BASE
        base = self.recorded_base() or DEFAULT_BASE
        return f'FILTER(STRSTARTS(STR(?g), "{LITHKG_GRAPHS}") || STRSTARTS(STR(?g), "{base}"))'

    def quads(self) -> Iterable[ox.Quad]:
        rows = self.query(f"SELECT ?s ?p ?o ?g WHERE {{ GRAPH ?g {{ ?s ?p ?o }} {self._ours()} }}")
        return [_restore(ox.Quad(r["s"], r["p"], r["o"], r["g"])) for r in rows]

    def named_graphs(self) -> list[str]:
        rows = self.query(f"SELECT DISTINCT ?g WHERE {{ GRAPH ?g {{ ?s ?p ?o }} {self._ours()} }}")
        return sorted(r["g"].value for r in rows if isinstance(r["g"], ox.NamedNode))

    def __len__(self) -> int:
        rows = list(self.query(f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH ?g {{ ?s ?p ?o }} {self._ours()} }}"))
        return int(rows[0]["n"].value) if rows else 0

    # -- writing
    def apply(self, *, drop_graphs: Iterable[str] = (), insert: Iterable[ox.Quad] = ()) -> None:
        """Drop graphs and insert quads in one SPARQL Update request."""
        url = self._writable()
        parts = [f"DROP SILENT GRAPH <{g}>" for g in sorted(set(drop_graphs))]
        data = insert_data(insert)
        if data:
            parts.append(data)
        if parts:
            self._send("POST", url, data={"update": " ;\n".join(parts)})

    def put_graph(self, iri: str, quads: Iterable[ox.Quad]) -> None:
        """Replace one named graph in one request: the Graph Store Protocol's PUT (N-Triples), else an update."""
        quads = list(quads)
        if not self.graph_store_url:
            self.apply(drop_graphs=[iri], insert=quads)
            return
        self._writable()
        # Long literals (a document's text) last: Virtuoso guesses the body's format from its first 64 KB.
        triples = sorted((ox.Triple(q.subject, q.predicate, q.object) for q in quads),
                         key=lambda t: isinstance(t.object, ox.Literal) and len(t.object.value) > 1000)
        body = ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES) or b""
        if self.graph_store_url.endswith("="):  # the server names the graph its own way: ...?graph-uri=
            url, params = self.graph_store_url + urllib.parse.quote(iri, safe=""), None
        else:
            url, params = self.graph_store_url, {"graph": iri}
        self._send("PUT", url, params=params, content=body, headers={"Content-Type": NTRIPLES})

    def clear(self) -> None:
        """Remove lithkg's graphs (and nothing else the server holds)."""
        graphs = self.named_graphs()
        if graphs:
            self.apply(drop_graphs=graphs)

    def flush(self) -> None:
        pass

    def close(self) -> None:
        self._http.close()
