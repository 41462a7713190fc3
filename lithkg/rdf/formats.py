"""The one table of formats: names, aliases, file extensions, media types and what each can carry.

The CLI's ``--format`` options, the exports, file-extension guessing and (later) HTTP content negotiation
all read :data:`FORMATS`.

kinds:
    ``dataset``  RDF with named graphs (TriG, N-Quads)
    ``graph``    RDF triples only (Turtle, N-Triples, JSON-LD, RDF/XML): exported as the union of all graphs
    ``results``  SPARQL SELECT/ASK results (JSON, XML, CSV, TSV)
    ``tabular``  lithkg's own listings (table, csv, tsv, json, jsonl)
    ``page``     the server's HTML pages (content negotiation of IRIs: HTML for browsers, RDF otherwise)
    ``network``  analysis graphs (``lithkg graph``): GraphML, GEXF, DOT, JSON node-link
    ``picture``  plots (``lithkg plot``): PNG, SVG

A name may stand for formats of different kinds (``json`` is a listing, or a node-link graph); :func:`get`
with kinds picks the one of that kind.
"""
from __future__ import annotations

import dataclasses
from pathlib import Path

from ..errors import UsageError


@dataclasses.dataclass(frozen=True)
class Format:
    name: str
    kind: str
    aliases: tuple[str, ...] = ()
    extensions: tuple[str, ...] = ()
    media_types: tuple[str, ...] = ()
    oxigraph: str | None = None  # the pyoxigraph RdfFormat / QueryResultsFormat attribute name

    @property
    def media_type(self) -> str:
        return self.media_types[0] if self.media_types else "text/plain"

    @property
    def is_rdf(self) -> bool:
        return self.kind in ("dataset", "graph")


FORMATS: tuple[Format, ...] = (
    Format("turtle", "graph", ("ttl",), (".ttl",), ("text/turtle", "application/x-turtle"), "TURTLE"),
    Format("trig", "dataset", (), (".trig",), ("application/trig",), "TRIG"),
    Format("nquads", "dataset", ("nq", "n-quads"), (".nq",), ("application/n-quads",), "N_QUADS"),
    Format("ntriples", "graph", ("nt", "n-triples"), (".nt",), ("application/n-triples",), "N_TRIPLES"),
    Format("json-ld", "graph", ("jsonld",), (".jsonld",), ("application/ld+json",), None),
    Format("rdf-xml", "graph", ("rdfxml", "rdf", "owl"), (".rdf", ".owl"), ("application/rdf+xml",), "RDF_XML"),
    Format("sparql-json", "results", ("srj",), (".srj", ".json"), ("application/sparql-results+json",), "JSON"),
    Format("sparql-xml", "results", ("srx",), (".srx", ".xml"), ("application/sparql-results+xml",), "XML"),
    Format("sparql-csv", "results", (), (".csv",), ("text/csv",), "CSV"),
    Format("sparql-tsv", "results", (), (".tsv",), ("text/tab-separated-values",), "TSV"),
    Format("table", "tabular", (), (".txt",), ("text/plain",)),
    Format("csv", "tabular", (), (".csv",), ("text/csv",)),
    Format("tsv", "tabular", (), (".tsv",), ("text/tab-separated-values",)),
    Format("json", "tabular", (), (".json",), ("application/json",)),
    Format("jsonl", "tabular", ("ndjson",), (".jsonl", ".ndjson"), ("application/x-ndjson",)),
    Format("html", "page", ("htm",), (".html",), ("text/html", "application/xhtml+xml")),
    Format("graphml", "network", (), (".graphml",), ("application/graphml+xml",)),
    Format("gexf", "network", (), (".gexf",), ("application/gexf+xml",)),
    Format("dot", "network", ("gv", "graphviz"), (".dot", ".gv"), ("text/vnd.graphviz",)),
    Format("node-link", "network", ("json",), (".json",), ("application/json",)),
    Format("png", "picture", (), (".png",), ("image/png",)),
    Format("svg", "picture", (), (".svg",), ("image/svg+xml",)),
)

_BY_NAME: dict[str, list[Format]] = {}
for _f in FORMATS:
    for _n in (_f.name, *_f.aliases):
        _BY_NAME.setdefault(_n, []).append(_f)


def names(*kinds: str) -> list[str]:
    """Format names (without aliases) of the given kinds, in table order."""
    return [f.name for f in FORMATS if not kinds or f.kind in kinds]


def get(name: str, *kinds: str) -> Format:
    """The format called ``name`` (or one of its aliases), restricted to ``kinds`` if given."""
    fmt = next((f for f in _BY_NAME.get(name.strip().lower(), ()) if not kinds or f.kind in kinds), None)
    if fmt is None:
        allowed = ", ".join(names(*kinds))
        raise UsageError(f"unknown format '{name}'", hint=f"use one of: {allowed}")
    return fmt


def from_path(path: str | Path, *kinds: str) -> Format | None:
    """The format a file name's extension names, or None."""
    suffix = Path(str(path)).suffix.lower()
    for fmt in FORMATS:
        if suffix in fmt.extensions and (not kinds or fmt.kind in kinds):
            return fmt
    return None


GZIP = ".gz"


def extensions(*kinds: str) -> list[str]:
    """The file extensions of the formats of ``kinds``, in table order, each once."""
    return list(dict.fromkeys(e for f in FORMATS if not kinds or f.kind in kinds for e in f.extensions))


def for_output(path: str | Path, *kinds: str) -> tuple[Format | None, bool]:
    """The format a file name to write asks for, and whether it asks for gzip: ``kg.nt`` is N-Triples, ``kg.nt.gz``
    N-Triples compressed with gzip, ``kg`` (no extension) names no format (None: the command's default). An extension
    that names no format of ``kinds`` (``kg.xyz``, or ``kg.gz`` alone) is refused with the extensions known."""
    name = Path(str(path)).name.lower()
    gzip = name.endswith(GZIP)
    stem = name[:-len(GZIP)] if gzip else name
    if not Path(stem).suffix and not gzip:
        return None, False
    fmt = from_path(stem, *kinds)
    if fmt is None:
        known = ", ".join(extensions(*kinds))
        raise UsageError(f"cannot tell the format to write from the name '{path}'",
                         hint=f"end the name in one of {known}, and {GZIP} after it for gzip; or give --format")
    return fmt, gzip


def from_media_type(media_type: str, *kinds: str) -> Format | None:
    mt = media_type.split(";")[0].strip().lower()
    for fmt in FORMATS:
        if mt in fmt.media_types and (not kinds or fmt.kind in kinds):
            return fmt
    return None


# ``lithkg query --format`` speaks of SELECT/ASK results with the short names users type.
RESULT_SHORT_NAMES = {"json": "sparql-json", "xml": "sparql-xml", "csv": "sparql-csv", "tsv": "sparql-tsv"}


def result_format(name: str) -> Format:
    """A SELECT/ASK result format by short or full name (``table`` is lithkg's own aligned table)."""
    key = name.strip().lower()
    if key == "table":
        return get("table")
    return get(RESULT_SHORT_NAMES.get(key, key), "results")
