"""Named SPARQL queries (``queries/*.rq``) and running any query safely on a :class:`~lithkg.session.Session` (the
same code for ``lithkg query``, the facade and the endpoint's workers).

A named query starts with a header of comment lines::

    # title: Conflicts
    # description: Claim groups whose sources give different values ...
    # param: subject iri optional  Only claims about this entity

Parameters are bound with SPARQL variable substitution (``?subject`` is replaced by the term), never by
pasting text into the query. Queries that would reach the network (``SERVICE``, ``LOAD``, a remote ``FROM``)
or change the store (updates) are refused before they run (:mod:`lithkg.read.querycheck`); on the embedded store
:func:`run_query` runs a user's query in a worker with no network (:mod:`lithkg.read.sandbox`).
"""
from __future__ import annotations

import dataclasses
import io
import re
from pathlib import Path

import pyoxigraph as ox

from . import sandbox
from ..config import data_dir
from ..errors import QueryError, QueryTimeout, UsageError
from ..model import Value
from ..rdf import exports, formats
from ..rdf.mapping import PREFIXES, XSD
from ..session import Session
from .querycheck import MAX_NESTING, check_graph, check_nesting, check_safe

PARAM_TYPES = ("iri", "string", "integer", "decimal", "date")
SETTING_HINT = "narrow the query, or raise LITHKG_QUERY_TIMEOUT"  # what a user of lithkg query can change
_HEADER_RE = re.compile(r"^#\s*(title|description|param):\s*(.*)$")


@dataclasses.dataclass(frozen=True)
class Param:
    name: str
    type: str
    optional: bool
    description: str


@dataclasses.dataclass(frozen=True)
class NamedQuery:
    name: str
    path: Path
    title: str
    description: str
    params: tuple[Param, ...]
    text: str


def parse_named_query(path: Path) -> NamedQuery:
    text = path.read_text(encoding="utf-8")
    title, description, params = path.stem, "", []
    for line in text.splitlines():
        m = _HEADER_RE.match(line.strip())
        if not m:
            if line.strip() and not line.strip().startswith("#"):
                break
            continue
        key, value = m.groups()
        if key == "title":
            title = value.strip()
        elif key == "description":
            description = value.strip()
        else:
            pm = re.match(r"^(\w+)\s+(\w+)(\s+optional)?\s*(.*)$", value.strip())
            if not pm or pm.group(2) not in PARAM_TYPES:
                raise UsageError(f"bad '# param:' header '{value.strip()}'", path=str(path),
                                 hint=f"write '# param: NAME TYPE [optional] description', TYPE one of {PARAM_TYPES}")
            params.append(Param(pm.group(1), pm.group(2), bool(pm.group(3)), pm.group(4).strip()))
    return NamedQuery(path.stem, path, title, description, tuple(params), text)


def named_queries(folder: Path | None = None) -> dict[str, NamedQuery]:
    folder = folder or data_dir("queries")
    return {p.stem: parse_named_query(p) for p in sorted(folder.glob("*.rq"))}


def run_with_time_limit(fn, seconds: float, *, path: str = "query"):
    """``fn()`` with a time limit (``seconds``; 0: none): a QueryError naming ``path`` when it has not returned by
    then. Oxigraph cannot cancel a query, so ``fn`` runs in a daemon thread that is abandoned at the limit: use this
    where the process ends soon after (``lithkg query``); the server keeps its own worker threads."""
    if not seconds:
        return fn()
    import threading

    box: dict = {}

    def target():
        try:
            box["result"] = fn()
        except BaseException as exc:  # handed to the caller's thread
            box["error"] = exc

    worker = threading.Thread(target=target, name="lithkg-query", daemon=True)
    worker.start()
    worker.join(seconds)
    if worker.is_alive():
        raise QueryTimeout(seconds, path=path, hint=SETTING_HINT)
    if "error" in box:
        raise box["error"]
    return box["result"]


def parse_param(value: str, type_: str, resolve_iri=None, *, prefixes: dict[str, str] = PREFIXES
                ) -> ox.NamedNode | ox.Literal:
    """A parameter's text as an RDF term of its declared type (``resolve_iri`` maps names to IRIs, ``prefixes``
    expands ``prefix:local``)."""
    if type_ == "iri":
        text = value.strip()
        if text.startswith("<") and text.endswith(">"):
            text = text[1:-1]
        prefix, _, local = text.partition(":")
        if prefix in prefixes and not local.startswith("//"):
            text = prefixes[prefix] + local
        elif resolve_iri is not None and not re.match(r"^[a-z][a-z0-9+.-]*:", text, re.I):
            text = resolve_iri(text)
        if not re.match(r"^[a-z][a-z0-9+.-]*:[^\s<>\"{}|\\^`]*$", text, re.I):
            raise UsageError(f"'{value}' is not an IRI")
        return ox.NamedNode(text)
    if type_ == "integer":
        if not re.match(r"^[+-]?\d+$", value.strip()):
            raise UsageError(f"'{value}' is not an integer")
        return ox.Literal(value.strip(), datatype=ox.NamedNode(XSD + "integer"))
    if type_ == "decimal":
        if not re.match(r"^[+-]?(\d+\.?\d*|\.\d+)$", value.strip()):
            raise UsageError(f"'{value}' is not a number")
        return ox.Literal(value.strip(), datatype=ox.NamedNode(XSD + "decimal"))
    if type_ == "date":
        from ..model import date_datatype, parse_iso_date
        try:
            text = parse_iso_date(value)
        except ValueError as exc:
            raise UsageError(str(exc)) from None
        return ox.Literal(text, datatype=ox.NamedNode(XSD + date_datatype(text)))
    return ox.Literal(value)


def bind(params: dict[str, str], declared: tuple[Param, ...] | None, resolve=None, *,
         prefixes: dict[str, str] = PREFIXES) -> dict:
    """Substitutions for a query: declared parameters by their type; undeclared ones as IRIs when they look like
    one (``<...>``, ``http(s)://...`` or a known prefix such as ``lke:lithuania``), else as plain strings."""
    declared_by_name = {p.name: p for p in declared or ()}
    if declared is not None:
        missing = [p.name for p in declared if not p.optional and p.name not in params]
        if missing:
            raise UsageError(f"the query needs --param {missing[0]}=VALUE")
    subs = {}
    for name, value in params.items():
        if not re.match(r"^[A-Za-z_]\w*$", name):
            raise UsageError(f"'{name}' is not a variable name")
        p = declared_by_name.get(name)
        if declared is not None and p is None:
            known = ", ".join(declared_by_name) or "none"
            raise UsageError(f"the query has no parameter '{name}'", hint=f"its parameters: {known}")
        try:
            if p is not None:
                term = parse_param(value, p.type, (lambda v, n=name: resolve(n, v)) if resolve else None,
                                   prefixes=prefixes)
            elif re.match(r"^<.*>$", value) or re.match(r"^https?://", value) or \
                    value.partition(":")[0] in prefixes and value.partition(":")[1] and " " not in value:
                term = parse_param(value, "iri", prefixes=prefixes)
            else:
                term = ox.Literal(value)
        except UsageError as exc:  # name the parameter whose value is refused
            raise UsageError(f"parameter '{name}': {exc.message}", hint=exc.hint) from None
        subs[ox.Variable(name)] = term
    return subs


def serialize_solutions(variables: list[str], rows: list[dict], target) -> bytes:
    """SELECT rows (variable name -> term) in a SPARQL results format, through Oxigraph's writers."""
    import json

    bindings = []
    for row in rows:
        b = {}
        for name, term in row.items():
            if term is None:
                continue
            if isinstance(term, ox.NamedNode):
                b[name] = {"type": "uri", "value": term.value}
            elif isinstance(term, ox.BlankNode):
                b[name] = {"type": "bnode", "value": term.value}
            else:
                d = {"type": "literal", "value": term.value}
                if term.language:
                    d["xml:lang"] = term.language
                elif term.datatype and term.datatype.value != XSD + "string":
                    d["datatype"] = term.datatype.value
                b[name] = d
        bindings.append(b)
    data = json.dumps({"head": {"vars": list(variables)}, "results": {"bindings": bindings}},
                      ensure_ascii=False).encode("utf-8")
    if target == ox.QueryResultsFormat.JSON:
        return data + b"\n"
    return ox.parse_query_results(data, format=ox.QueryResultsFormat.JSON).serialize(format=target)


def inline_values(text: str, subs: dict) -> str | None:
    """The query with its bound parameters as a ``VALUES`` block opening its first ``WHERE {`` (Oxigraph plans
    joins around it, where a pre-bound substitution is applied after planning: several times faster on the
    named queries), or None when the text has no ``WHERE {`` to put it in. A list of terms for the one
    variable bound gives a row each (one query for many sources, say)."""
    if not subs:
        return text
    m = re.search(r"\bWHERE\s*\{", text, re.I)
    if m is None:
        return None
    names = sorted(subs, key=lambda v: v.value)
    if len(names) == 1 and isinstance(subs[names[0]], list):
        rows = " ".join(str(t) for t in subs[names[0]])
        block = f" VALUES ?{names[0].value} {{ {rows} }} "
    else:  # on the same line, so that the line numbers of a syntax error stay the file's own
        block = f" VALUES ({' '.join('?' + n.value for n in names)}) {{ ({' '.join(str(subs[n]) for n in names)}) }} "
    return text[:m.end()] + block + text[m.end():]


def serialize_boolean(value: bool, target) -> bytes:
    """An ASK result in a SPARQL results format."""
    import json

    data = json.dumps({"head": {}, "boolean": value}).encode()
    return ox.parse_query_results(data, format=ox.QueryResultsFormat.JSON).serialize(format=target)


# ---------------------------------------------------------------------------------------------- running on a session
@dataclasses.dataclass
class QueryResult:
    """The result of a query: rows (SELECT), a boolean (ASK) or triples (CONSTRUCT/DESCRIBE)."""

    kind: str
    variables: list[str] = dataclasses.field(default_factory=list)
    rows: list[dict] = dataclasses.field(default_factory=list)
    terms: list[dict] = dataclasses.field(default_factory=list)
    boolean: bool | None = None
    triples: list = dataclasses.field(default_factory=list)
    raw: object = None


def json_value(lexical: str):
    """A lexical form as JSON: a number where it is one lithkg reads, else the text."""
    try:
        return Value.number(lexical).json()
    except ValueError:
        return lexical


def term_json(term):
    """A store term as JSON: numbers as numbers, booleans as booleans, everything else as its text."""
    if term is None:
        return None
    if isinstance(term, ox.Literal):
        dt = term.datatype.value if term.datatype else ""
        if dt.endswith(("#integer", "#nonNegativeInteger", "#int", "#long", "#decimal", "#double", "#float")):
            return json_value(term.value)  # a number out of lithkg's range stays its text
        if dt.endswith("#boolean"):
            return term.value == "true"
        return term.value
    return term.value


def execute(session: Session, text: str, *, params: dict[str, str] | None = None, declared=None,
            default_graphs=(), named_graphs=(), inline: bool = True, base_iri: str | None = None):
    """Check a query (:func:`check_safe`), bind its parameters (:func:`bind`; ``declared``: a named query's) and run
    it on the session's store (standard prefixes predeclared): the store's own result. ``default_graphs`` and
    ``named_graphs`` (the protocol's ``default-graph-uri`` and ``named-graph-uri``) are checked as FROM and FROM
    NAMED are. With ``inline``, a named query's parameters become a VALUES block, planned with the rest of it.
    ``base_iri``: what relative IRIs in the query resolve against (the endpoint gives the store's base)."""
    prefixes = session.ids.prefixes
    own_dataset = check_safe(text, bases=(session.base,), prefixes=prefixes,
                             graphs={"default-graph-uri": list(default_graphs), "named-graph-uri": list(named_graphs)})
    subs = bind(params or {}, declared, session.resolve_param, prefixes=prefixes)
    inlined = inline_values(text, subs) if inline and declared is not None and subs else None
    if inlined is not None:  # a named query: its parameters are planned with the rest of the query
        return session.store.query(inlined, prefixes=prefixes)
    dataset = {}  # the protocol's dataset, for the embedded store (a remote one is given none)
    if default_graphs or named_graphs:
        dataset = {"default_graph": [ox.NamedNode(g) for g in default_graphs] or None,
                   "named_graphs": [ox.NamedNode(g) for g in named_graphs] or None}
    # a query with its own FROM / FROM NAMED (or a dataset given) gets that dataset, not the union of all graphs
    if base_iri:
        dataset["base_iri"] = base_iri
    return session.store.query(text, substitutions=subs or None, prefixes=prefixes,
                               union=not default_graphs and not own_dataset, **dataset)


def query(session: Session, text: str, *, params: dict[str, str] | None = None, declared=None) -> QueryResult:
    """Run a read-only SPARQL query (standard prefixes predeclared) with safely bound parameters."""
    raw = execute(session, text, params=params, declared=declared)
    if isinstance(raw, (bool, ox.QueryBoolean)):
        return QueryResult("ask", boolean=bool(raw), raw=raw)
    if hasattr(raw, "variables"):  # pyoxigraph's QuerySolutions, or a remote store's Solutions
        names = [v.value for v in raw.variables]
        terms = [{n: sol[n] for n in names if sol[n] is not None} for sol in raw]
        rows = [{n: term_json(t.get(n)) for n in names} for t in terms]
        return QueryResult("select", variables=names, rows=rows, terms=terms)
    return QueryResult("graph", triples=list(raw))


def run_named(session: Session, name: str, params: dict | None = None) -> QueryResult:
    """The named query ``name`` (``queries/NAME.rq``) with its typed parameters."""
    nq = named_queries().get(name)
    if nq is None:
        raise UsageError(f"no named query '{name}'", hint="see 'lithkg query --list'")
    return query(session, nq.text, params=params or {}, declared=nq.params)


@sandbox.task
def query_task(session: Session, text: str | None, name: str | None, params: dict) -> QueryResult:
    """:func:`run_query`'s work, in a worker: the result without the engine's own objects."""
    result = run_named(session, name, params) if name else query(session, text, params=params)
    result.raw = None
    return result


def run_query(session: Session, text: str | None = None, *, name: str | None = None,
              params: dict[str, str] | None = None, timeout: float | None = None) -> QueryResult:
    """A user's query (``text``, or the named query ``name``), as ``lithkg query`` runs it. On the embedded store
    it runs in a worker process of its own (:mod:`lithkg.read.sandbox`): with no network, whatever the query says,
    and killed at ``timeout`` seconds (default: the ``query_timeout`` setting; 0: no limit), which raises a
    QueryError. On a SPARQL server the query is that server's to run, within the same limit."""
    seconds = session.settings.query_timeout if timeout is None else timeout
    if session.remote:
        run = (lambda: run_named(session, name, params)) if name else (lambda: query(session, text, params=params))
        return run_with_time_limit(run, seconds, path=name or "query")
    try:
        return sandbox.call_once(session.settings, query_task, text, name, params or {}, timeout=seconds,
                                 limit_hint=SETTING_HINT)
    except QueryError as exc:
        if name and exc.path == "query":
            exc.path = name
        raise


def serialize_result(session: Session, result: QueryResult, fmt: formats.Format) -> bytes:
    """A query result in a result format (SELECT/ASK) or an RDF format (CONSTRUCT/DESCRIBE)."""
    if result.kind == "graph":
        if not fmt.is_rdf:
            raise UsageError(f"a CONSTRUCT or DESCRIBE result is RDF, not '{fmt.name}'",
                             hint="use --format turtle, ntriples, json-ld, nquads or trig")
        buf = io.BytesIO()
        exports.write([ox.Quad(t.subject, t.predicate, t.object) for t in result.triples], fmt, buf, ids=session.ids)
        return buf.getvalue()
    if fmt.kind != "results":
        raise UsageError(f"a SELECT or ASK result cannot be written as '{fmt.name}'",
                         hint="use --format table, csv, tsv, json or xml")
    target = getattr(ox.QueryResultsFormat, fmt.oxigraph)
    if result.kind == "ask":
        return serialize_boolean(bool(result.boolean), target)
    return serialize_solutions(result.variables, result.terms, target)


__all__ = ["NamedQuery", "Param", "named_queries", "check_safe", "check_graph", "check_nesting", "MAX_NESTING", "bind",
           "serialize_solutions", "serialize_boolean", "QueryResult", "term_json", "execute", "query", "run_named",
           "run_query", "serialize_result", "query_task"]
