"""``lithkg serve``: a read-only SPARQL 1.1 Protocol endpoint over the store (Starlette app, run by uvicorn).

* ``GET /sparql?query=...``, ``POST /sparql`` (``application/x-www-form-urlencoded`` or ``application/sparql-query``),
  with ``default-graph-uri`` / ``named-graph-uri``; without a query, the service description (Turtle).
* Content negotiation with q-values over :data:`lithkg.formats.FORMATS`: SPARQL results JSON, XML, CSV, TSV for
  SELECT/ASK; Turtle, JSON-LD, N-Triples, N-Quads, TriG for CONSTRUCT/DESCRIBE. 406 when nothing fits, 415 for
  other request bodies.
* Read-only and safe: updates get 403; SERVICE, LOAD and a remote FROM get 400 before anything runs; a query time
  limit (503) and a row cap; a syntax error gets 400 with the line and column. A body over 1 MiB (``max_body``)
  gets 413; a query string or body that is not UTF-8 gets 400.
* ``GET /queries/NAME?param=value``: the named queries of ``queries/``, in the same formats.

The store is opened read-only for each request, so ``lithkg ingest`` can keep writing in another process; each
request sees what had been committed when it began.
"""
from __future__ import annotations

import concurrent.futures
import io
import os
import threading
import urllib.parse
from pathlib import Path

import pyoxigraph as ox
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import HTMLResponse, PlainTextResponse, Response
from starlette.routing import Route

from . import exports, formats, pages, queries
from .errors import LithkgError, QueryError, StoreError, UsageError
from .iris import DEFAULT_IDS, Ids
from .store import OxigraphStore

RESULT_TYPES = [f for f in formats.FORMATS if f.kind == "results"]
GRAPH_TYPES = [f for f in formats.FORMATS if f.name in ("turtle", "json-ld", "ntriples", "nquads", "trig", "rdf-xml")]
_POOL = concurrent.futures.ThreadPoolExecutor(max_workers=4)


async def _in_thread(fn, timeout: float):
    import asyncio
    return await asyncio.wait_for(asyncio.get_running_loop().run_in_executor(_POOL, fn), timeout)


def negotiate(accept: str | None, offered: list[formats.Format]) -> formats.Format | None:
    """The offered format the Accept header prefers most (q-values, media ranges); the first offered for */*."""
    if not accept:
        return offered[0]
    best, best_q = None, 0.0
    for i, part in enumerate(accept.split(",")):
        fields = [x.strip() for x in part.split(";")]
        media, q = fields[0].lower(), 1.0
        for f in fields[1:]:
            if f.startswith("q="):
                try:
                    q = float(f[2:])
                except ValueError:
                    q = 0.0
        for fmt in offered:
            if media == "*/*" or media in fmt.media_types or (media.endswith("/*") and
                                                              fmt.media_type.startswith(media[:-1])):
                specificity = 0 if media == "*/*" else 1 if media.endswith("/*") else 2
                score = q + specificity * 1e-3 - i * 1e-6
                if q > 0 and score > best_q:
                    best, best_q = fmt, score
                break
    return best


def _error(status: int, message: str) -> PlainTextResponse:
    return PlainTextResponse(message + "\n", status_code=status)


MAX_BODY = 1024 * 1024  # bytes: the largest request body (a query) the endpoint reads; more gets 413


def _query_string_error(request: Request) -> PlainTextResponse | None:
    """400 when the query string's percent-encoded bytes are not UTF-8 (they would be read as U+FFFD)."""
    try:
        urllib.parse.unquote_to_bytes(request.scope.get("query_string", b"")).decode("utf-8")
    except UnicodeDecodeError:
        return _error(400, "the query string is not UTF-8: percent-encode the UTF-8 bytes of the query")
    return None


async def _read_body(request: Request, limit: int) -> bytes | PlainTextResponse:
    """The request body, or 413 past ``limit`` bytes (the rest is read and dropped, not kept, so that the client
    gets the answer)."""
    data, size = bytearray(), 0
    async for chunk in request.stream():
        size += len(chunk)
        if size <= limit:
            data += chunk
    if size > limit:
        return _error(413, f"the request body is {size:,} bytes, over the limit of {limit:,} bytes")
    return bytes(data)


SERVICE_DESCRIPTION = """@prefix sd: <http://www.w3.org/ns/sparql-service-description#> .
@prefix ff: <http://www.w3.org/ns/formats/> .
[] a sd:Service ;
   sd:endpoint <{endpoint}> ;
   sd:supportedLanguage sd:SPARQL11Query ;
   sd:resultFormat ff:SPARQL_Results_JSON, ff:SPARQL_Results_XML, ff:SPARQL_Results_CSV, ff:SPARQL_Results_TSV,
       ff:Turtle, ff:JSON-LD, ff:N-Triples, ff:N-Quads, ff:TriG ;
   sd:feature sd:UnionDefaultGraph ;
   sd:defaultDataset [ a sd:Dataset ] .
"""


def _files_signature(path: Path) -> tuple:
    try:
        return tuple(sorted((e.name, e.stat().st_size, e.stat().st_mtime_ns) for e in os.scandir(path)))
    except OSError:
        return ()


def create_app(store_path: str | Path, *, timeout: float = 10.0, row_cap: int = 10000,
               max_body: int = MAX_BODY) -> Starlette:
    """The endpoint's ASGI app over the store at ``store_path`` (request bodies up to ``max_body`` bytes)."""
    store_path = Path(store_path)

    opened: list = [None, None]  # (files signature, read-only handle)
    opened_lock = threading.Lock()

    def open_store() -> OxigraphStore:
        """A read-only handle that sees every commit made before this request: kept while the store's files are
        unchanged (any commit appends to its write-ahead log), opened again when they change."""
        signature = _files_signature(store_path)
        with opened_lock:
            if opened[1] is None or opened[0] != signature:
                opened[:] = [signature, OxigraphStore(store_path, read_only=True)]
            return opened[1]

    known_ids: list[Ids] = []

    def current_ids(store: OxigraphStore | None = None) -> Ids:
        """The store's base (fixed once recorded; the default one until its first ingest)."""
        if not known_ids:
            recorded = (store or open_store()).recorded_base()
            if recorded is None:
                return DEFAULT_IDS
            known_ids.append(Ids(recorded))
        return known_ids[0]

    def run(text: str, params: dict, declared, default_graphs: list[str], named: list[str]):
        try:  # default-graph-uri and named-graph-uri are checked as FROM and FROM NAMED are
            own_dataset = queries.check_safe(text, bases=(current_ids().base,), graphs=[*default_graphs, *named])
        except QueryError as exc:
            status = 403 if "only read the store" in exc.message else 400
            return _error(status, exc.format()), None
        store = open_store()
        resolve = None
        if declared:
            from .kg import KnowledgeGraph  # labels and prefixed names to IRIs, as the CLI does
            graph = KnowledgeGraph(store_path, read_only=True)
            graph._store = store
            resolve = graph._param_resolver
        ids = current_ids(store)
        subs = queries.bind(params, declared, resolve, prefixes=ids.prefixes) if params or declared else None
        kwargs = {}
        if default_graphs:
            kwargs["default_graph"] = [ox.NamedNode(g) for g in default_graphs]
        if named:
            kwargs["named_graphs"] = [ox.NamedNode(g) for g in named]
        try:
            union = not default_graphs and not own_dataset  # the union would override a FROM
            raw = store._store.query(text, prefixes=ids.prefixes, use_default_graph_as_union=union,
                                     substitutions=subs, **kwargs)
        except SyntaxError as exc:
            from .store import syntax_error
            return _error(400, syntax_error(exc).format()), None
        except (OSError, RuntimeError, ValueError) as exc:
            return _error(400, f"query failed: {exc}"), None
        if isinstance(raw, ox.QuerySolutions):
            variables = raw.variables
            rows = []
            for sol in raw:
                rows.append(sol)
                if len(rows) >= row_cap:
                    break
            return None, ("select", variables, rows)
        if isinstance(raw, ox.QueryBoolean):
            return None, ("ask", bool(raw), None)
        triples = []
        for t in raw:
            triples.append(t)
            if len(triples) >= row_cap:
                break
        return None, ("graph", triples, None)

    async def answer(request: Request, text: str, params: dict, declared=None) -> Response:
        accept = request.headers.get("accept")
        wanted = request.query_params.get("format")
        if wanted:  # a download link: ?format=csv|json|xml|tsv or an RDF format name
            try:
                accept = (formats.result_format(wanted) if wanted in formats.RESULT_SHORT_NAMES
                          else formats.get(wanted)).media_type
            except UsageError as exc:
                return _error(400, exc.format())
        default_graphs = request.query_params.getlist("default-graph-uri")
        named = request.query_params.getlist("named-graph-uri")
        future = _POOL.submit(run, text, params, declared, default_graphs, named)
        try:
            error, result = future.result(timeout=timeout)
        except concurrent.futures.TimeoutError:
            return _error(503, f"the query ran longer than the time limit ({timeout:g} s)")
        except (LithkgError, StoreError) as exc:
            return _error(400 if isinstance(exc, (UsageError, QueryError)) else 500, exc.format())
        if error is not None:
            return error
        kind = result[0]
        if kind in ("select", "ask"):
            fmt = negotiate(accept, RESULT_TYPES)
            if fmt is None:
                return _error(406, "no acceptable format: SELECT and ASK results are available as "
                                   + ", ".join(f.media_type for f in RESULT_TYPES))
            target = getattr(ox.QueryResultsFormat, fmt.oxigraph)
            if kind == "ask":
                body = queries.serialize_boolean(result[1], target)
            else:
                names = [v.value for v in result[1]]
                body = queries.serialize_solutions(names, [{n: sol[n] for n in names} for sol in result[2]], target)
            return Response(body, media_type=fmt.media_type)
        fmt = negotiate(accept, GRAPH_TYPES)
        if fmt is None:
            return _error(406, "no acceptable format: CONSTRUCT and DESCRIBE results are available as "
                               + ", ".join(f.media_type for f in GRAPH_TYPES))
        buf = io.BytesIO()
        try:
            exports.write([ox.Quad(t.subject, t.predicate, t.object) for t in result[1]], fmt, buf, ids=current_ids())
        except UsageError as exc:  # e.g. RDF/XML cannot carry a control character: ask for another format
            return _error(406, exc.format())
        return Response(buf.getvalue(), media_type=fmt.media_type)

    async def sparql(request: Request) -> Response:
        bad = _query_string_error(request)
        if bad is not None:
            return bad
        if request.method == "POST":
            body = await _read_body(request, max_body)
            if isinstance(body, Response):
                return body
        if request.method == "GET":
            text = request.query_params.get("query")
            if text is None:
                if request.query_params.get("update") is not None:
                    return _error(403, "updates are refused: this endpoint only reads the store")
                return Response(SERVICE_DESCRIPTION.format(endpoint=str(request.url).split("?")[0]),
                                media_type="text/turtle")
        else:
            ctype = request.headers.get("content-type", "").split(";")[0].strip().lower()
            if ctype == "application/x-www-form-urlencoded":
                try:
                    form = {k: v[0] for k, v in urllib.parse.parse_qs(body.decode("utf-8"), keep_blank_values=True,
                                                                      errors="strict").items()}
                except UnicodeDecodeError:
                    return _error(400, "the form is not UTF-8: percent-encode the UTF-8 bytes of the query")
                if form.get("update") is not None:
                    return _error(403, "updates are refused: this endpoint only reads the store")
                text = form.get("query")
                if text is None:
                    return _error(400, "the form has no 'query' field")
            elif ctype == "application/sparql-query":
                try:
                    text = body.decode("utf-8")
                except UnicodeDecodeError as exc:
                    return _error(400, f"the query is not UTF-8 (byte {exc.start})")
            elif ctype == "application/sparql-update":
                return _error(403, "updates are refused: this endpoint only reads the store")
            else:
                return _error(415, f"unsupported request body '{ctype or 'none'}': send "
                                   "application/x-www-form-urlencoded or application/sparql-query")
        return await answer(request, text, {})

    async def named_query(request: Request) -> Response:
        bad = _query_string_error(request)
        if bad is not None:
            return bad
        name = request.path_params["name"]
        nq = queries.named_queries().get(name)
        if nq is None:
            return _error(404, f"no named query '{name}'")
        params = {k: v for k, v in request.query_params.items()
                  if k not in ("default-graph-uri", "named-graph-uri", "format")}
        missing = [p.name for p in nq.params if not p.optional and p.name not in params]
        if missing:
            return _error(400, f"the query needs the parameter '{missing[0]}'")
        return await answer(request, nq.text, params, nq.params)

    async def queries_index(request: Request) -> Response:
        lines = [f"{q.name}\t{q.title}\t{', '.join(p.name for p in q.params)}\t{q.description}"
                 for q in queries.named_queries().values()]
        return PlainTextResponse("\n".join(lines) + "\n")

    def graph():
        from .kg import KnowledgeGraph
        kg = KnowledgeGraph(store_path, read_only=True)
        kg._store = open_store()
        return kg

    async def home(request: Request) -> Response:
        rows = await _in_thread(lambda: graph().conflicts(), timeout)
        return HTMLResponse(pages.disputes_page(rows, request.query_params.get("q", "")))

    async def source(request: Request) -> Response:
        doc = request.query_params.get("doc", "")
        rows = await _in_thread(lambda: graph().claims(source=doc), timeout)
        return HTMLResponse(pages.source_page(doc, rows), status_code=200 if rows else 404)

    async def analyses_view(request: Request) -> Response:
        from . import analyses

        def compute():
            kg = graph()
            sources = kg.network("sources")
            names, matrix = analyses.agreement_matrix(sources)
            found = analyses.agreement(sources)
            return pages.analyses_page(
                names, {n: sources.nodes[n]["label"] for n in names}, matrix, found.standalone, found.clusters,
                [d.as_row() for d in analyses.disputes(kg.network("disputes"))],
                analyses.central_entities(kg.network("entities"), 10))
        return HTMLResponse(await _in_thread(compute, timeout))

    async def query_editor(request: Request) -> Response:
        return HTMLResponse(pages.query_page(queries.named_queries()))

    async def describe(request: Request) -> Response:
        ids = current_ids()
        iri = ids.base + request.path_params["path"]
        if request.url.fragment:
            iri += "#" + request.url.fragment

        def collect():
            store = open_store()
            node = ox.NamedNode(iri)
            quads = list(store._store.quads_for_pattern(node, None, None, None))
            quads += [q for q in store._store.quads_for_pattern(None, None, None, None)
                      if isinstance(q.subject, ox.NamedNode) and q.subject.value.startswith(iri + "#")]
            quads += list(store._store.quads_for_pattern(None, None, node, None))
            return quads
        quads = await _in_thread(collect, timeout)
        if not quads:
            return _error(404, f"nothing is known about <{iri}>")
        accept = request.headers.get("accept", "")
        html_page = formats.get("html", "page")
        fmt = negotiate(accept, [html_page] + GRAPH_TYPES) if accept else html_page
        if fmt is None:
            return _error(406, "no acceptable format: text/html, " + ", ".join(f.media_type for f in GRAPH_TYPES))
        if fmt is html_page:
            triples = [(q.subject.value, q.predicate.value, q.object.value) for q in quads]
            return HTMLResponse(pages.describe_page(iri, triples, ids.base))
        buf = io.BytesIO()
        exports.write([ox.Quad(q.subject, q.predicate, q.object) for q in quads], fmt, buf, ids=ids)
        return Response(buf.getvalue(), media_type=fmt.media_type)

    return Starlette(routes=[
        Route("/", home, methods=["GET"]),
        Route("/source", source, methods=["GET"]),
        Route("/query", query_editor, methods=["GET"]),
        Route("/analyses", analyses_view, methods=["GET"]),
        Route("/id/{path:path}", describe, methods=["GET"]),
        Route("/sparql", sparql, methods=["GET", "POST"]),
        Route("/queries", queries_index, methods=["GET"]),
        Route("/queries/{name}", named_query, methods=["GET"]),
    ])
