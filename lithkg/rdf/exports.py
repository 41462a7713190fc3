"""Deterministic exports of the store, streamed: the same store gives byte-identical output in every format, and an
export holds one graph, or one sorted run of lines, in memory at a time, whatever the size of the store.

Every export starts from each graph's triples in N-Triples (for the embedded store Oxigraph writes them, graph by
graph, in IRI order) and puts lines in order as bytes:

* N-Quads and TriG keep the named graphs: graph after graph in IRI order, each graph's lines sorted;
* the graph formats (Turtle, N-Triples, JSON-LD, RDF/XML) carry the union of all graphs, which holds every claim
  with its qualifiers and provenance: the lines of all graphs are sorted and merged, a triple that several graphs
  hold written once. Runs of ``RUN_BYTES`` are sorted in memory and written to temporary files, then merged, so a
  store larger than memory exports in bounded memory (RDF/XML alone is built in memory, to refuse characters XML
  cannot carry before writing anything);
* JSON-LD is compacted with ``ontology/context.jsonld``, read from disk, and written as a flat ``@graph`` of nodes
  in the order of their subjects' N-Triples text, one node at a time.
"""
from __future__ import annotations

import functools
import heapq
import json
import os
import re
import tempfile
from typing import IO, Iterable, Iterator

import pyoxigraph as ox

from ..config import data_dir
from ..errors import UsageError
from .formats import Format
from .iris import DEFAULT_BASE, DEFAULT_IDS, RDF, XSD, Ids

_CANONICAL_INT = re.compile(r"-?(0|[1-9][0-9]*)")
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
RUN_BYTES = 64 * 2 ** 20  # N-Triples bytes sorted in memory at once by a union export; more goes to temporary runs
_PARSE_BATCH = 20000      # lines handed to Oxigraph's N-Triples parser at once

GraphChunks = Iterable[tuple["str | None", bytes]]  # (graph IRI or None for the default graph, its N-Triples)



def ntriples_by_graph(quads: Iterable[ox.Quad]) -> Iterator[tuple[str | None, bytes]]:
    """Quads grouped by graph, each graph's triples in N-Triples: the default graph (None) first, then the named
    graphs in IRI order. What an export reads (see :meth:`lithkg.store.base.Store.graphs_ntriples`)."""
    by_graph: dict[str | None, list[ox.Triple]] = {}
    for q in quads:
        g = q.graph_name.value if isinstance(q.graph_name, ox.NamedNode) else None
        by_graph.setdefault(g, []).append(ox.Triple(q.subject, q.predicate, q.object))
    for g in sorted(by_graph, key=lambda g: (g is not None, g or "")):
        yield g, ox.serialize(by_graph.pop(g), format=ox.RdfFormat.N_TRIPLES) or b""


def _lines(ntriples: bytes) -> list[bytes]:
    """The distinct lines of N-Triples (or N-Quads) text, sorted as bytes, without their line ends."""
    lines = set(ntriples.split(b"\n"))
    lines.discard(b"")
    return sorted(lines)


def merged_lines(chunks: Iterable[bytes], *, run_bytes: int = RUN_BYTES) -> Iterator[bytes]:
    """The distinct lines of many N-Triples chunks in byte order. Up to ``run_bytes`` are sorted in memory; beyond
    that, sorted runs go to temporary files (under ``TMPDIR``) that are merged and removed at the end."""
    with tempfile.TemporaryDirectory(prefix="lithkg-export-") as tmp:
        runs: list[str] = []
        pending: list[bytes] = []
        size = 0
        for chunk in chunks:
            pending.append(chunk)
            size += len(chunk)
            if size >= run_bytes:
                runs.append(_write_run(tmp, len(runs), pending))
                pending, size = [], 0
        if not runs:
            yield from _lines(b"\n".join(pending))
            return
        if pending:
            runs.append(_write_run(tmp, len(runs), pending))
        files = [open(path, "rb") for path in runs]
        try:
            last = None
            for line in heapq.merge(*files):
                if line != last:
                    yield line[:-1]
                    last = line
        finally:
            for fh in files:
                fh.close()


def _write_run(tmp: str, i: int, chunks: list[bytes]) -> str:
    path = os.path.join(tmp, f"run-{i:05d}.nt")
    with open(path, "wb") as fh:
        for line in _lines(b"\n".join(chunks)):
            fh.write(line + b"\n")
    return path


def _triples(lines: Iterable[bytes]) -> Iterator[ox.Triple]:
    """N-Triples lines parsed back into triples, in their order (blank node labels are kept across batches)."""
    batch: list[bytes] = []
    for line in lines:
        batch.append(line)
        if len(batch) >= _PARSE_BATCH:
            yield from (q.triple for q in ox.parse(b"\n".join(batch), format=ox.RdfFormat.N_TRIPLES))
            batch = []
    if batch:
        yield from (q.triple for q in ox.parse(b"\n".join(batch), format=ox.RdfFormat.N_TRIPLES))


class _Counter:
    def __init__(self, items: Iterable):
        self.items, self.n = items, 0

    def __iter__(self):
        for item in self.items:
            self.n += 1
            yield item


def write(quads: Iterable[ox.Quad], fmt: Format, out: IO[bytes], *, ids: Ids = DEFAULT_IDS) -> int:
    """Write quads held in memory in ``fmt``; returns the number of statements written (see :func:`write_graphs`)."""
    return write_graphs(ntriples_by_graph(quads), fmt, out, ids=ids)


def write_graphs(chunks: GraphChunks, fmt: Format, out: IO[bytes], *, ids: Ids = DEFAULT_IDS,
                 run_bytes: int = RUN_BYTES) -> int:
    """Stream graphs, given as (graph IRI or None, N-Triples) in graph order, to ``out`` in ``fmt`` (``lke:`` and
    ``lkd:`` under the base of ``ids``); returns the number of statements written."""
    if not fmt.is_rdf or (fmt.oxigraph is None and fmt.name != "json-ld"):
        raise UsageError(f"'{fmt.name}' is not an RDF format", hint="use turtle, json-ld, trig, nquads or ntriples")
    rdf_format = getattr(ox.RdfFormat, fmt.oxigraph or "N_TRIPLES")
    if fmt.name == "nquads":
        n = 0
        for g, nt in chunks:
            tail = b"<" + g.encode("utf-8") + b"> .\n" if g is not None else b".\n"
            lines = _lines(nt)
            out.write(b"".join(line[:-1] + tail for line in lines))
            n += len(lines)
        return n
    if fmt.kind == "dataset":  # TriG
        def quads():
            for g, nt in chunks:
                name = ox.NamedNode(g) if g is not None else ox.DefaultGraph()
                for t in _triples(_lines(nt)):
                    yield ox.Quad(t.subject, t.predicate, t.object, name)
        items = _Counter(quads())
        ox.serialize(items, out, format=rdf_format, prefixes=ids.prefixes)
        return items.n
    lines = merged_lines((nt for _g, nt in chunks), run_bytes=run_bytes)
    if fmt.name == "ntriples":
        n = 0
        for line in lines:
            out.write(line + b"\n")
            n += 1
        return n
    if fmt.name == "json-ld":
        return write_jsonld(_triples(lines), out, ids=ids)
    if fmt.name == "rdf-xml":  # XML 1.0 has no way to write most control characters, not even escaped
        items = list(_triples(lines))
        bad = next((t for t in items if isinstance(t.object, ox.Literal) and _NOT_XML.search(t.object.value)), None)
        if bad is not None:
            char = _NOT_XML.search(bad.object.value).group()
            raise UsageError(f"RDF/XML cannot carry the character U+{ord(char):04X} in a literal of {bad.subject}",
                             hint="export as turtle, ntriples, json-ld, trig or nquads")
        ox.serialize(items, out, format=rdf_format, prefixes=ids.prefixes)
        return len(items)
    items = _Counter(_triples(lines))
    ox.serialize(items, out, format=rdf_format, prefixes=ids.prefixes)
    return items.n


@functools.lru_cache(maxsize=4)
def context(base: str = DEFAULT_BASE) -> dict:
    """The JSON-LD context of the export (``ontology/context.jsonld``), ``lke:`` and ``lkd:`` under ``base``."""
    path = data_dir("ontology") / "context.jsonld"
    ctx = json.loads(path.read_text(encoding="utf-8"))["@context"]
    ids = Ids(base)
    return {**ctx, "lke": ids.entity, "lkd": ids.base} if not ids.default else ctx


class _Compactor:
    def __init__(self, ctx: dict):
        self.prefixes = sorted(((v, k) for k, v in ctx.items() if isinstance(v, str) and v[-1:] in "/#"),
                               key=lambda kv: -len(kv[0]))
        self.terms: dict[tuple[str, str | None], str] = {}
        self.term_names = set(ctx)
        for term, definition in ctx.items():
            if isinstance(definition, dict) and "@id" in definition:
                iri = self.expand(definition["@id"], ctx)
                self.terms.setdefault((iri, definition.get("@type")), term)

    @staticmethod
    def expand(curie: str, ctx: dict) -> str:
        prefix, sep, local = curie.partition(":")
        if sep and isinstance(ctx.get(prefix), str) and not local.startswith("//"):
            return ctx[prefix] + local
        return curie

    def iri(self, iri: str) -> str:
        for ns, prefix in self.prefixes:
            if iri.startswith(ns) and len(iri) > len(ns):
                local = iri[len(ns):]
                if not local.startswith("//") and ":" not in local and local not in self.term_names:
                    return f"{prefix}:{local}"
        return iri

    def predicate(self, iri: str, obj) -> tuple[str, bool]:
        """The key for a predicate and whether the object can be written bare (typed by the term)."""
        if isinstance(obj, ox.NamedNode) and (iri, "@id") in self.terms:
            return self.terms[(iri, "@id")], True
        if isinstance(obj, ox.Literal) and obj.datatype is not None:
            dt = self.iri(obj.datatype.value)
            if (iri, dt) in self.terms:
                return self.terms[(iri, dt)], True
        if (iri, None) in self.terms:
            return self.terms[(iri, None)], False
        return self.iri(iri), False

    def value(self, obj, bare: bool):
        if isinstance(obj, ox.NamedNode):
            return self.iri(obj.value) if bare else {"@id": self.iri(obj.value)}
        if bare:
            return obj.value
        if obj.language:
            return {"@value": obj.value, "@language": obj.language}
        dt = obj.datatype.value if obj.datatype else XSD + "string"
        if dt == XSD + "string":
            return obj.value
        if dt == XSD + "boolean" and obj.value in ("true", "false"):
            return obj.value == "true"
        if dt == XSD + "integer" and _CANONICAL_INT.fullmatch(obj.value) and abs(int(obj.value)) < 2 ** 53:
            return int(obj.value)
        return {"@value": obj.value, "@type": self.iri(dt)}


def write_jsonld(triples: Iterable[ox.Triple], out: IO[bytes], *, ids: Ids = DEFAULT_IDS) -> int:
    """JSON-LD compacted with lithkg's context, as ``json.dump(..., indent=1)`` writes it: ``@context``, then a flat
    ``@graph`` of nodes, one per subject in the order the triples come (all of a subject's triples together).
    Written node by node; returns the number of triples."""
    ctx = context(ids.base)
    c = _Compactor(ctx)
    head = json.dumps({"@context": ctx}, ensure_ascii=False, indent=1)[:-2]
    out.write((head + ',\n "@graph": [').encode("utf-8"))
    n, first, subject, node = 0, True, None, {}
    for t in triples:
        n += 1
        if t.subject != subject:
            if subject is not None:
                out.write(_node_text(node, first))
                first = False
            subject = t.subject
            sid = c.iri(t.subject.value) if isinstance(t.subject, ox.NamedNode) else f"_:{t.subject.value}"
            node = {"@id": sid}
        if t.predicate.value == RDF + "type" and isinstance(t.object, ox.NamedNode):
            node.setdefault("@type", []).append(c.iri(t.object.value))
            continue
        key, bare = c.predicate(t.predicate.value, t.object)
        node.setdefault(key, []).append(c.value(t.object, bare))
    if subject is not None:
        out.write(_node_text(node, first))
    out.write(b"\n ]\n}\n" if subject is not None else b"]\n}\n")
    return n


def _node_text(node: dict, first: bool) -> bytes:
    out = {"@id": node.pop("@id")}
    if "@type" in node:
        types = sorted(node.pop("@type"))
        out["@type"] = types[0] if len(types) == 1 else types
    for key in sorted(node):
        values = sorted(node[key], key=lambda v: json.dumps(v, sort_keys=True, ensure_ascii=False))
        out[key] = values[0] if len(values) == 1 else values
    text = json.dumps(out, ensure_ascii=False, indent=1).replace("\n", "\n  ")
    return (("\n  " if first else ",\n  ") + text).encode("utf-8")
