"""Deterministic exports of the store: the same store gives byte-identical output in every format.

Quads are sorted (graph, subject, predicate, object) before they are written, except in the line-based N-Quads
and N-Triples, whose lines are sorted as bytes (subject first; Oxigraph writes the lines, which is several times
faster, and a repeated triple of the union is one line); the graph formats
(Turtle, N-Triples, JSON-LD, RDF/XML) carry the union of all graphs, which holds every claim with its
qualifiers and provenance; TriG and N-Quads keep the named graphs. JSON-LD is compacted with
``ontology/context.jsonld``, read from disk, and written as a flat ``@graph`` of nodes sorted by ``@id``.
"""
from __future__ import annotations

import functools
import io
import json
import re
from typing import IO, Iterable

import pyoxigraph as ox

from .config import data_dir
from .errors import UsageError
from .formats import Format
from .iris import DEFAULT_BASE, DEFAULT_IDS, RDF, XSD, Ids

_CANONICAL_INT = re.compile(r"-?(0|[1-9][0-9]*)")
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _key(term) -> tuple:
    return (0 if isinstance(term, ox.NamedNode) else 1, str(term))


def sorted_quads(quads: Iterable[ox.Quad]) -> list[ox.Quad]:
    return sorted(quads, key=lambda q: (str(q.graph_name), _key(q.subject), str(q.predicate), _key(q.object)))


def union_triples(quads: Iterable[ox.Quad]) -> list[ox.Triple]:
    seen = {ox.Triple(q.subject, q.predicate, q.object) for q in quads}
    return sorted(seen, key=lambda t: (_key(t.subject), str(t.predicate), _key(t.object)))


def sorted_lines(nquads: bytes) -> tuple[bytes, int]:
    """N-Quads or N-Triples in a canonical order: the lines sorted as bytes, each once. Returns the text and its line
    count. (Sorting the lines Oxigraph wrote is much faster than sorting term objects in Python.)"""
    lines = nquads.split(b"\n")
    if lines and not lines[-1]:
        lines.pop()
    lines = sorted(set(lines))
    return (b"\n".join(lines) + b"\n" if lines else b""), len(lines)


def write(quads: Iterable[ox.Quad], fmt: Format, out: IO[bytes], *, ids: Ids = DEFAULT_IDS) -> int:
    """Write quads in ``fmt`` (``lke:`` and ``lkd:`` under the base of ``ids``); returns the number of
    statements written."""
    quads = list(quads)
    if fmt.name == "json-ld":
        triples = union_triples(quads)
        out.write(jsonld_bytes(triples, ids=ids))
        return len(triples)
    if fmt.oxigraph is None or not fmt.is_rdf:
        raise UsageError(f"'{fmt.name}' is not an RDF format", hint="use turtle, json-ld, trig, nquads or ntriples")
    rdf_format = getattr(ox.RdfFormat, fmt.oxigraph)
    if fmt.name in ("nquads", "ntriples"):  # line-based: Oxigraph writes the lines, only the lines are sorted
        items = quads if fmt.kind == "dataset" else [ox.Triple(q.subject, q.predicate, q.object) for q in quads]
        data, n = sorted_lines(ox.serialize(items, format=rdf_format) or b"")
        out.write(data)
        return n
    prefixes = ids.prefixes if fmt.name in ("turtle", "trig", "rdf-xml") else None
    if fmt.kind == "dataset":
        items = sorted_quads(quads)
    else:
        items = union_triples(quads)
    if fmt.name == "rdf-xml":  # XML 1.0 has no way to write most control characters, not even escaped
        bad = next((t for t in items if isinstance(t.object, ox.Literal) and _NOT_XML.search(t.object.value)), None)
        if bad is not None:
            char = _NOT_XML.search(bad.object.value).group()
            raise UsageError(f"RDF/XML cannot carry the character U+{ord(char):04X} in a literal of {bad.subject}",
                             hint="export as turtle, ntriples, json-ld, trig or nquads")
    data = ox.serialize(items, format=rdf_format, prefixes=prefixes)
    out.write(data)
    return len(items)


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


def jsonld_bytes(triples: list[ox.Triple], *, ids: Ids = DEFAULT_IDS) -> bytes:
    ctx = context(ids.base)
    c = _Compactor(ctx)
    nodes: dict[str, dict] = {}
    for t in triples:
        sid = c.iri(t.subject.value) if isinstance(t.subject, ox.NamedNode) else f"_:{t.subject.value}"
        node = nodes.setdefault(sid, {"@id": sid})
        if t.predicate.value == RDF + "type" and isinstance(t.object, ox.NamedNode):
            node.setdefault("@type", []).append(c.iri(t.object.value))
            continue
        key, bare = c.predicate(t.predicate.value, t.object)
        node.setdefault(key, []).append(c.value(t.object, bare))
    graph = []
    for sid in sorted(nodes):
        node = nodes[sid]
        out = {"@id": node.pop("@id")}
        if "@type" in node:
            types = sorted(node.pop("@type"))
            out["@type"] = types[0] if len(types) == 1 else types
        for key in sorted(node):
            values = sorted(node[key], key=lambda v: json.dumps(v, sort_keys=True, ensure_ascii=False))
            out[key] = values[0] if len(values) == 1 else values
        graph.append(out)
    doc = {"@context": ctx, "@graph": graph}
    buf = io.StringIO()
    json.dump(doc, buf, ensure_ascii=False, indent=1)
    buf.write("\n")
    return buf.getvalue().encode("utf-8")
