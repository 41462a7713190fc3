"""The request side of the SPARQL 1.1 Protocol for ``lithkg serve``: which format a request asks for, its parameters
checked, and CORS for the endpoint's routes.

* **Formats.** A query's answer is written in one of :data:`RESULT_ANSWERS` (SELECT, ASK) or :data:`GRAPH_ANSWERS`
  (CONSTRUCT, DESCRIBE). A client asks by the ``format`` (or ``output``) parameter, as SPARQLWrapper, Fuseki's and
  Virtuoso's clients send it (a short name such as ``json``, ``tsv``, ``rdf+xml``, ``n3``, or a media type; repeated
  values are read in order, the first that names a format of the query's kind wins), else by ``Accept``.
  ``Accept`` is matched by python-mimeparse (media ranges, wildcards, q-values; the most specific range that matches
  a type gives its q, so ``*/*, text/csv;q=0`` never gives CSV). A format's other common media types
  (``application/json``, ``application/xml``, ``text/plain`` for N-Triples...) count only when named exactly, so a
  wildcard picks the canonical types, in table order (JSON results, Turtle graphs first).
* **ASK in CSV and TSV** is written as Apache Jena (Fuseki) writes it: a header line naming the variable
  ``_askResult`` (``?_askResult`` in TSV), then ``true`` or ``false``; the CSV/TSV results specification defines no
  boolean form, and this one reads back as a table.
* **CORS** (:class:`EndpointCORS`): off unless origins are given (``lithkg serve --cors ORIGIN``); then Starlette's
  CORSMiddleware answers preflights and labels the answers of ``/sparql``, ``/queries`` and ``/id/`` for those
  origins only, never the pages or ``POST /corrections``.
"""
from __future__ import annotations

import dataclasses
import re

import mimeparse
from starlette.middleware.cors import CORSMiddleware

from ..rdf import formats


@dataclasses.dataclass(frozen=True)
class Answer:
    """A format the endpoint answers in: ``fmt`` writes it, ``media_type`` labels it; ``aliases`` are media types
    that ask for it when named exactly, ``names`` the short names a ``format`` parameter may give."""

    fmt: formats.Format
    media_type: str
    aliases: tuple[str, ...] = ()
    names: tuple[str, ...] = ()
    label: str = ""

    @property
    def shown(self) -> str:
        return self.label or self.media_type


RESULT_ANSWERS: tuple[Answer, ...] = (
    Answer(formats.get("sparql-json"), "application/sparql-results+json", ("application/json", "text/json"),
           ("json", "srj", "sparql-json")),
    Answer(formats.get("sparql-xml"), "application/sparql-results+xml", ("application/xml", "text/xml"),
           ("xml", "srx", "sparql-xml")),
    Answer(formats.get("sparql-csv"), "text/csv", (), ("csv", "sparql-csv")),
    Answer(formats.get("sparql-tsv"), "text/tab-separated-values", ("text/tsv",), ("tsv", "sparql-tsv")),
)
# Turtle is also valid N3: asked for N3 (``text/n3``), the endpoint sends Turtle labelled as N3.
GRAPH_ANSWERS: tuple[Answer, ...] = (
    Answer(formats.get("turtle"), "text/turtle", ("application/x-turtle", "application/turtle"), ("turtle", "ttl")),
    Answer(formats.get("json-ld"), "application/ld+json", ("application/json", "application/x-json+ld"),
           ("json-ld", "jsonld", "json")),
    Answer(formats.get("ntriples"), "application/n-triples", ("text/plain",), ("ntriples", "nt", "n-triples")),
    Answer(formats.get("rdf-xml"), "application/rdf+xml", ("application/xml", "text/xml"),
           ("rdf-xml", "rdf+xml", "rdfxml", "rdf", "xml")),
    Answer(formats.get("turtle"), "text/n3", ("text/rdf+n3",), ("n3",), "text/n3 (written as Turtle)"),
    Answer(formats.get("nquads"), "application/n-quads", (), ("nquads", "nq", "n-quads")),
    Answer(formats.get("trig"), "application/trig", (), ("trig",)),
)
FORMAT_PARAMETERS = ("format", "output")  # the names clients give the format parameter (SPARQLWrapper sends both)


def html_answer() -> Answer:
    """The HTML page of a data IRI (``/id/...``), offered before the RDF formats."""
    return Answer(formats.get("html", "page"), "text/html", ("application/xhtml+xml",))


def _media(value: str) -> str:
    """A media type as a parameter gives it: no parameters, lower case; a '+' that a form encoding turned into a
    space put back (``application/sparql-results json``)."""
    return value.split(";")[0].strip().lower().replace(" ", "+")


def accept_error(accept: str | None) -> str | None:
    """Why an ``Accept`` header cannot be read, or None."""
    if not accept:
        return None
    try:
        [mimeparse.parse_media_range(r) for r in accept.split(",") if r.strip()]
    except ValueError:
        shown = accept[:100].encode("unicode_escape").decode("ascii")
        return (f"the Accept header '{shown}' is not a list of media types: send e.g. 'Accept: "
                "application/sparql-results+json' or 'Accept: text/turtle'")
    return None


def negotiate(accept: str | None, offered) -> Answer | None:
    """The offered answer the ``Accept`` header prefers (the first offered when there is none), or None when it
    accepts none of them. Ranked by q, then by how specific the range is that matched, then by table order."""
    if not accept:
        return offered[0]
    ranges = [mimeparse.parse_media_range(r) for r in accept.split(",") if r.strip()]
    best, best_key = None, None
    for i, answer in enumerate(offered):
        for j, media in enumerate((answer.media_type, *answer.aliases)):
            q, fitness = mimeparse.quality_and_fitness_parsed(media, ranges)
            if q <= 0 or (j > 0 and fitness < 110):  # an alias counts only when named exactly
                continue
            key = (q, fitness, -i)
            if best_key is None or key > best_key:
                best, best_key = answer, key
    return best


def named(values, offered) -> Answer | None:
    """The first ``format`` parameter value that names one of ``offered`` (short name or media type), or None."""
    for value in values:
        key = _media(value)
        for answer in offered:
            if key in answer.names or key == answer.media_type or key in answer.aliases:
                return answer
    return None


def unknown_format(values) -> str | None:
    """An error line when a ``format`` parameter value names no format the endpoint writes (empty values, which
    some clients send, are ignored)."""
    given = [v for v in values if v.strip()]
    if not given or named(given, RESULT_ANSWERS + GRAPH_ANSWERS):
        return None
    shown = given[0][:100].encode("unicode_escape").decode("ascii")
    return (f"unknown format '{shown}': use format=json, xml, csv or tsv (SELECT, ASK) or turtle, json-ld, ntriples, "
            "rdf+xml, n3, nquads or trig (CONSTRUCT, DESCRIBE), or a media type")


def choose(accept: str | None, values, offered) -> Answer | None:
    """The answer a request asks for: by its ``format`` parameter values if any names one of ``offered``, else by
    ``Accept``."""
    given = [v for v in values if v.strip()]
    if given:
        found = named(given, offered)
        if found is not None:
            return found
        return None
    return negotiate(accept, offered)


def not_acceptable(what: str, offered, values=()) -> str:
    """The 406 line: what was asked (``what``: e.g. "SELECT and ASK results are") and what is available."""
    asked = [v for v in values if v.strip()]
    available = ", ".join(a.shown for a in offered)
    if asked:
        shown = asked[0][:100].encode("unicode_escape").decode("ascii")
        return f"format '{shown}' does not fit this query: {what} available as {available}"
    return f"no acceptable format: {what} available as {available}"


def boolean_table(value: bool, answer: Answer) -> bytes | None:
    """An ASK result in CSV or TSV as Jena writes it (a header line, then the boolean); None for other formats."""
    if answer.fmt.name == "sparql-csv":
        return b"_askResult\r\n" + (b"true" if value else b"false") + b"\r\n"
    if answer.fmt.name == "sparql-tsv":
        return b"?_askResult\n" + (b"true" if value else b"false") + b"\n"
    return None


def single(fields, key: str) -> tuple[str | None, str | None]:
    """The one value of parameter ``key`` among ``fields`` ((name, value) pairs), and an error line when it is given
    more than once."""
    values = [v for k, v in fields if k == key]
    if len(values) > 1:
        return None, f"the request gives {len(values)} '{key}' parameters: send one {key} per request"
    return (values[0] if values else None), None


ORIGIN_RE = re.compile(r"^(\*|[a-z][a-z0-9+.-]*://[^/?#\s]+)$", re.I)


def check_origins(origins) -> str | None:
    """Why a ``--cors`` value is not an origin (``scheme://host[:port]`` or ``*``), or None."""
    for origin in origins:
        if not ORIGIN_RE.match(origin):
            return f"--cors '{origin}' is not an origin: give scheme://host[:port] (e.g. http://127.0.0.1:8080) or *"
    return None


CORS_PATHS = ("/sparql", "/queries", "/id/")


class EndpointCORS:
    """CORS for the endpoint's routes (:data:`CORS_PATHS`) and only those, with Starlette's CORSMiddleware: GET and
    POST from ``origins`` (``*``: any), with whatever request headers the client asks for. Other paths pass untouched, so a
    preflight to them gets 405 as before."""

    def __init__(self, app, origins):
        self.app = app
        self.cors = CORSMiddleware(app, allow_origins=list(origins), allow_methods=["GET", "POST"],
                                   allow_headers=["*"],
                                   max_age=600)

    async def __call__(self, scope, receive, send):
        path = scope.get("path", "") if scope["type"] == "http" else ""
        if path.startswith(CORS_PATHS):
            await self.cors(scope, receive, send)
        else:
            await self.app(scope, receive, send)
