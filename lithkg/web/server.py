"""``lithkg serve``: a read-only SPARQL 1.1 Protocol endpoint over the store (Starlette app, run by uvicorn).

* ``POST /corrections``: an analyst's correction, only when the server was started with ``--edit`` and only with its
  editing token (:mod:`lithkg.web.editing`); otherwise 403.

* ``GET /sparql?query=...``, ``POST /sparql`` (``application/x-www-form-urlencoded`` or ``application/sparql-query``),
  with ``default-graph-uri`` / ``named-graph-uri`` (graphs of this store only); without a query, the service
  description (Turtle). One ``query`` per request (400 otherwise); relative IRIs resolve against the store's base.
* The answer's format by the ``format`` parameter or ``Accept`` (:mod:`lithkg.web.protocol`): SPARQL results JSON,
  XML, CSV, TSV for SELECT/ASK; Turtle, JSON-LD, N-Triples, RDF/XML, N3, N-Quads, TriG for CONSTRUCT/DESCRIBE. 406
  when nothing fits, 415 for other request bodies. CORS only for the origins given (``cors``).
* Read-only and safe: updates get 403; SERVICE, LOAD and a remote FROM get 400 before anything runs; a query time
  limit (503) and a row cap; a syntax error gets 400 with the line and column. A body over 1 MiB (``max_body``)
  gets 413; a query string or body that is not UTF-8 gets 400; a dataset graph that is not an absolute IRI gets 400.
* ``GET /queries/NAME?param=value``: the named queries of ``queries/``, in the same formats.
* The pages (``/``, ``/disputes.csv`` and ``.json``, ``/search``, ``/query``, ``/source``, ``/analyses``, and the HTML
  of ``/id/...``): :mod:`lithkg.web.browse`, :mod:`lithkg.web.querypage` and :mod:`lithkg.web.pages`.
* ``GET /id/claim/HASH`` (``group``, ``doc``): what the store says of a data IRI; a unique prefix of a claim's,
  group's or document's short id (6 characters or more) names it too, as it does a document in ``/source?doc=``.

Everything that reads the store (queries, named queries, the pages) runs in the worker processes of a
:class:`lithkg.read.sandbox.Pool`: they have no network, a query is killed at the time limit and its worker replaced, and
the event loop only parses requests and waits, so other requests keep their latency while slow queries run. When
every worker is busy a request gets 503 with ``Retry-After`` at once. Each worker opens the store read-only, so
``lithkg ingest`` can keep writing in another process; each request sees what had been committed when it began.

The HTTP layer is bounded too (:func:`protocol`): a client must send its request head within ``header_timeout``
seconds and its body within ``body_timeout``, and may hold at most ``max_client_connections`` open connections.
"""
from __future__ import annotations

import asyncio
import concurrent.futures
import contextlib
import io
import re
import urllib.parse

import pyoxigraph as ox
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import HTMLResponse, PlainTextResponse, RedirectResponse, Response
from starlette.routing import Route

from ..rdf import exports
from . import browse, editing, evidence, pages, querypage
from . import protocol as proto
from ..read import listings, sparql, sandbox
from ..errors import LithkgError, QueryError, QueryTimeout, UpdateRefused, UsageError
from ..session import ID_KINDS

MAX_BODY = 1024 * 1024  # bytes: the largest request body (a query) the endpoint reads; more gets 413
MAX_DESCRIBE = 10000  # statements an /id/ page shows at most
Reply = tuple  # (status, media type, body bytes): what a task hands back to the event loop


def _text(status: int, message: str) -> Reply:
    return (status, "text/plain; charset=utf-8", (message + "\n").encode("utf-8"))


def _error(status: int, message: str, headers: dict | None = None) -> PlainTextResponse:
    return PlainTextResponse(message + "\n", status_code=status, headers=headers)


def _is_iri(text: str) -> bool:
    """An absolute IRI Oxigraph accepts."""
    if not re.match(r"^[a-z][a-z0-9+.-]*:", text, re.I):
        return False
    try:
        ox.NamedNode(text)
    except ValueError:
        return False
    return True


# ----------------------------------------------------------------------------------- tasks (in the workers)
def _answer(session, raw, accept: str | None, wanted: list[str], row_cap: int) -> Reply:
    """A query's raw result in the format asked for (``wanted``: the ``format`` parameter's values, else ``accept``),
    at most ``row_cap`` rows or triples."""
    if isinstance(raw, (ox.QuerySolutions, ox.QueryBoolean)):
        answer = proto.choose(accept, wanted, proto.RESULT_ANSWERS)
        if answer is None:
            return _text(406, proto.not_acceptable("SELECT and ASK results are", proto.RESULT_ANSWERS, wanted))
        target = getattr(ox.QueryResultsFormat, answer.fmt.oxigraph)
        if isinstance(raw, ox.QueryBoolean):
            body = proto.boolean_table(bool(raw), answer) or sparql.serialize_boolean(bool(raw), target)
            return (200, answer.media_type, body)
        names = [v.value for v in raw.variables]
        rows = []
        for sol in raw:
            rows.append({n: sol[n] for n in names})
            if len(rows) >= row_cap:
                break
        return (200, answer.media_type, sparql.serialize_solutions(names, rows, target))
    answer = proto.choose(accept, wanted, proto.GRAPH_ANSWERS)
    if answer is None:
        return _text(406, proto.not_acceptable("CONSTRUCT and DESCRIBE results are", proto.GRAPH_ANSWERS, wanted))
    quads = []
    for t in raw:
        quads.append(ox.Quad(t.subject, t.predicate, t.object))
        if len(quads) >= row_cap:
            break
    buf = io.BytesIO()
    try:
        exports.write(quads, answer.fmt, buf, ids=session.ids)
    except UsageError as exc:  # e.g. RDF/XML cannot carry a control character: ask for another format
        return _text(406, exc.format())
    return (200, answer.media_type, buf.getvalue())


@sandbox.task
def sparql_task(session, text: str, params: dict, name: str | None, default_graphs: list[str], named: list[str],
                accept: str | None, wanted: list[str], row_cap: int) -> Reply:
    """One SPARQL query (``name``: a named query, whose parameters ``params`` are typed) as an HTTP reply. Relative
    IRIs in the query resolve against the store's base; a dataset graph outside it is refused, naming the
    parameter that gave it."""
    declared = sparql.named_queries()[name].params if name else None
    try:
        raw = sparql.execute(session, text, params=params, declared=declared, default_graphs=default_graphs,
                             named_graphs=named, inline=False, base_iri=session.base)
    except QueryError as exc:
        return _text(403 if isinstance(exc, UpdateRefused) else 400, exc.format())
    try:
        return _answer(session, raw, accept, wanted, row_cap)
    except QueryError as exc:
        return _text(400, exc.format())


@sandbox.task
def page_task(session, name: str, args: dict) -> Reply:
    """One of the HTML pages that read the store."""
    if name == "source":
        return evidence_task(session, "document", args.get("doc", ""))
    if name == "analyses":
        from ..read import analyses
        sources = listings.network(session, "sources")
        names, matrix = analyses.agreement_matrix(sources)
        found = analyses.agreement(sources)
        html = pages.analyses_page(
            names, {n: sources.nodes[n]["label"] for n in names}, matrix, found.standalone, found.clusters,
            [d.as_row() for d in analyses.disputes(listings.network(session, "disputes"))],
            analyses.central_entities(listings.network(session, "entities"), 10))
        return (200, "text/html; charset=utf-8", html.encode())
    raise UsageError(f"no page '{name}'")


@sandbox.task
def evidence_task(session, name: str, ref: str) -> Reply:
    """An evidence page (:mod:`lithkg.web.evidence`): ``dispute`` (a claim group) or ``document``; 404 when the
    store has nothing by that name."""
    render = {"dispute": evidence.dispute_page, "document": evidence.document_page}[name]
    try:
        return (200, "text/html; charset=utf-8", render(session, ref).encode("utf-8"))
    except evidence.NotFound as exc:
        return (404, "text/html; charset=utf-8", pages.page("Not found", f"<p>{pages.esc(exc)}</p>").encode("utf-8"))


SHORT_ID_PAGES = {segment: kind for kind, (segment, _, _) in ID_KINDS.items() if kind != "correction"}


def _prefers(accept: str | None, offered):
    """What ``Accept`` prefers of ``offered``; None also when it cannot be read (the task answers that)."""
    try:
        return proto.negotiate(accept, offered)
    except (UsageError, ValueError):
        return None


@sandbox.task
def describe_task(session, local: str, accept: str | None) -> Reply:
    """What the store says of the data IRI ``base + local``: its statements, those of the nodes it owns (``IRI#...``
    and blank nodes it points at), and the statements pointing at it; read by index, at most MAX_DESCRIBE. A claim,
    group or document may be named by a unique prefix of its short id (``/id/claim/59e57e``): the page is then the
    one of the IRI it names."""
    iri = session.ids.base + local
    kind = SHORT_ID_PAGES.get(local.split("/", 1)[0])
    if kind and re.fullmatch(r"[a-z]+/[0-9a-fA-F]{6,19}", local):  # (a whole short id has 20)
        found = session.match_ids(kind, local)
        if len(found) > 1:
            session.resolve_id(kind, local)  # (400: the prefix names several)
        iri = found[0] if found else iri
    shown = iri if len(iri) <= 200 else iri[:200] + "..."
    if not _is_iri(iri):
        return _text(404, f"nothing is known about <{shown!s}>".encode("unicode_escape").decode("ascii"))
    node = ox.NamedNode(iri)
    quads, todo, seen = [], [node], {node}
    while todo and len(quads) < MAX_DESCRIBE:
        for q in session.store.pattern(subject=todo.pop()):
            quads.append(q)
            o = q.object
            if o not in seen and (isinstance(o, ox.BlankNode) or isinstance(o, ox.NamedNode) and
                                  o.value.startswith(iri + "#")):
                seen.add(o)
                todo.append(o)
    for q in session.store.pattern(object=node):
        if len(quads) >= MAX_DESCRIBE:
            break
        quads.append(q)
    if not quads:
        return _text(404, f"nothing is known about <{shown}>".encode("unicode_escape").decode("ascii"))
    offered = (proto.html_answer(), *proto.GRAPH_ANSWERS)
    answer = proto.negotiate(accept, offered)
    if answer is None:
        return _text(406, proto.not_acceptable("this IRI's statements are", offered))
    if answer is offered[0]:
        triples = [(q.subject.value, q.predicate.value, q.object.value) for q in quads]
        body = browse.readable_page(session, iri, triples) or pages.describe_page(iri, triples, session.ids.base)
        return (200, "text/html; charset=utf-8", body.encode("utf-8"))
    buf = io.BytesIO()
    try:
        exports.write([ox.Quad(q.subject, q.predicate, q.object) for q in quads], answer.fmt, buf, ids=session.ids)
    except UsageError as exc:
        return _text(406, exc.format())
    return (200, answer.media_type, buf.getvalue())


# ----------------------------------------------------------------------------------- the HTTP side (event loop)
def _query_string_error(request: Request) -> PlainTextResponse | None:
    """400 when the query string's percent-encoded bytes are not UTF-8 (they would be read as U+FFFD)."""
    try:
        urllib.parse.unquote_to_bytes(request.scope.get("query_string", b"")).decode("utf-8")
    except UnicodeDecodeError:
        return _error(400, "the query string is not UTF-8: percent-encode the UTF-8 bytes of the query")
    return None


async def _read_body(request: Request, limit: int, seconds: float) -> bytes | PlainTextResponse:
    """The request body, or 413 past ``limit`` bytes (the rest is read and dropped, not kept, so that the client
    gets the answer), or 408 when it has not all come within ``seconds``."""
    data, size = bytearray(), 0

    async def read():
        nonlocal size
        async for chunk in request.stream():
            size += len(chunk)
            if size <= limit:
                data.extend(chunk)
    try:
        await asyncio.wait_for(read(), seconds)
    except asyncio.TimeoutError:
        return _error(408, f"the request body did not arrive within {seconds:g} s")
    if size > limit:
        return _error(413, f"the request body is {size:,} bytes, over the limit of {limit:,} bytes")
    return bytes(data)


SERVICE_DESCRIPTION = """@prefix sd: <http://www.w3.org/ns/sparql-service-description#> .
@prefix ff: <http://www.w3.org/ns/formats/> .
[] a sd:Service ;
   sd:endpoint <{endpoint}> ;
   sd:supportedLanguage sd:SPARQL11Query ;
   sd:resultFormat ff:SPARQL_Results_JSON, ff:SPARQL_Results_XML, ff:SPARQL_Results_CSV, ff:SPARQL_Results_TSV,
       ff:Turtle, ff:JSON-LD, ff:N-Triples, ff:RDF_XML, ff:N3, ff:N-Quads, ff:TriG ;
   sd:feature sd:UnionDefaultGraph ;
   sd:defaultDataset [ a sd:Dataset ] .
"""


class Endpoint:
    """The routes of ``lithkg serve``: each handler parses its request on the event loop and hands whatever reads the
    store to a worker of ``pool`` (:meth:`in_worker`), so the loop never waits on a query."""

    def __init__(self, pool: sandbox.Pool, *, own_pool: bool, row_cap: int, max_body: int, body_timeout: float,
                 editor: editing.Editor | None = None):
        self.pool = pool
        self.editor = editor  # None: read-only (the default); else corrections with its token
        self.own_pool = own_pool  # started with the app and closed when it stops
        self.row_cap = row_cap
        self.max_body = max_body
        self.body_timeout = body_timeout
        self.threads = concurrent.futures.ThreadPoolExecutor(max_workers=pool.max_workers + pool.queue + 2,
                                                             thread_name_prefix="lithkg-wait")

    async def in_worker(self, fn, *args) -> Response:
        """Run a task in a worker without blocking the event loop; its reply, or 503 / 500 with one line."""
        try:
            status, media, body = await asyncio.get_running_loop().run_in_executor(
                self.threads, lambda: self.pool.call(fn, *args))
        except sandbox.BusyError as exc:
            return _error(503, exc.format(), {"Retry-After": "2"})
        except sandbox.WorkerDied as exc:
            return _error(503, exc.format())
        except QueryTimeout as exc:
            return _error(503, exc.format())
        except QueryError as exc:
            return _error(400, exc.format())
        except UsageError as exc:
            return _error(400, exc.format())
        except LithkgError as exc:
            return _error(500, exc.format())
        return Response(body, status_code=status, media_type=media)

    async def answer(self, request: Request, text: str, params: dict, name: str | None = None,
                     fields: list | None = None) -> Response:
        """Run ``text`` in a worker and answer in the format asked for. ``fields``: the request's parameters as
        (name, value) pairs (the query string's, and a POSTed form's); the dataset and format are read from them."""
        fields = list(request.query_params.multi_items()) if fields is None else fields
        accept = request.headers.get("accept")
        bad = proto.accept_error(accept)
        wanted = [v for k, v in fields if k in proto.FORMAT_PARAMETERS]  # ?format=csv, SPARQLWrapper's format=...
        bad = bad or proto.unknown_format(wanted)
        if bad:
            return _error(400, bad)
        default_graphs = [v for k, v in fields if k == "default-graph-uri"]
        named = [v for k, v in fields if k == "named-graph-uri"]
        for key, values in (("default-graph-uri", default_graphs), ("named-graph-uri", named)):
            for value in values:
                if not _is_iri(value):
                    shown = value[:200].encode("unicode_escape").decode("ascii")
                    return _error(400, f"{key} '{shown}' is not an absolute IRI (name a graph of this store)")
        return await self.in_worker(sparql_task, text, params, name, default_graphs, named, accept, wanted,
                                    self.row_cap)

    async def sparql_endpoint(self, request: Request) -> Response:
        bad = _query_string_error(request)
        if bad is not None:
            return bad
        fields = list(request.query_params.multi_items())
        if request.method == "POST":
            body = await _read_body(request, self.max_body, self.body_timeout)
            if isinstance(body, Response):
                return body
            ctype, _, options = request.headers.get("content-type", "").partition(";")
            ctype = ctype.strip().lower()
            charset = re.search(r"charset\s*=\s*\"?([^\";\s]+)", options, re.I)
            if charset and charset.group(1).lower() not in ("utf-8", "utf8"):
                return _error(415, f"the request body is in {charset.group(1)}: send it as UTF-8")
            if ctype == "application/x-www-form-urlencoded":
                try:
                    fields += urllib.parse.parse_qsl(body.decode("utf-8"), keep_blank_values=True, errors="strict")
                except UnicodeDecodeError:
                    return _error(400, "the form is not UTF-8: percent-encode the UTF-8 bytes of the query")
            elif ctype == "application/sparql-query":
                if any(k == "query" for k, _ in fields):
                    return _error(400, "the query is both in the URL and in the body: send it once")
                try:
                    fields.append(("query", body.decode("utf-8")))
                except UnicodeDecodeError as exc:
                    return _error(400, f"the query is not UTF-8 (byte {exc.start})")
            elif ctype == "application/sparql-update":
                return _error(403, "updates are refused: this endpoint only reads the store")
            else:
                return _error(415, f"unsupported request body '{ctype or 'none'}': send "
                                   "application/x-www-form-urlencoded or application/sparql-query")
        if any(k == "update" for k, _ in fields):
            return _error(403, "updates are refused: this endpoint only reads the store")
        text, bad = proto.single(fields, "query")
        if bad:
            return _error(400, bad)
        if text is None:
            if request.method == "POST":
                return _error(400, "the form has no 'query' field")
            return Response(SERVICE_DESCRIPTION.format(endpoint=str(request.url).split("?")[0]),
                            media_type="text/turtle")
        return await self.answer(request, text, {}, fields=fields)

    async def named_query(self, request: Request) -> Response:
        bad = _query_string_error(request)
        if bad is not None:
            return bad
        name = request.path_params["name"]
        nq = sparql.named_queries().get(name)
        if nq is None:
            return _error(404, f"no named query '{name}'")
        params = {k: v for k, v in request.query_params.items()
                  if k not in ("default-graph-uri", "named-graph-uri", *proto.FORMAT_PARAMETERS)}
        missing = [p.name for p in nq.params if not p.optional and p.name not in params]
        if missing:
            return _error(400, f"the query needs the parameter '{missing[0]}'")
        return await self.answer(request, nq.text, params, name)

    async def queries_index(self, request: Request) -> Response:
        lines = [f"{q.name}\t{q.title}\t{', '.join(p.name for p in q.params)}\t{q.description}"
                 for q in sparql.named_queries().values()]
        return PlainTextResponse("\n".join(lines) + "\n")

    async def home(self, request: Request) -> Response:
        """``/`` and ``/disputes.csv``, ``/disputes.json``: the disputes, filtered and paged (:mod:`.browse`)."""
        fmt = request.url.path.rpartition(".")[2] if request.url.path.startswith("/disputes.") else None
        return _query_string_error(request) or await self.in_worker(browse.disputes, dict(request.query_params), fmt)

    async def search(self, request: Request) -> Response:
        return _query_string_error(request) or await self.in_worker(browse.search_page, dict(request.query_params))

    async def source(self, request: Request) -> Response:
        return await self.in_worker(page_task, "source", {"doc": request.query_params.get("doc", "")})

    async def analyses_view(self, request: Request) -> Response:
        return await self.in_worker(page_task, "analyses", {})

    async def query_editor(self, request: Request) -> Response:
        """``/query``: the query page (:mod:`.querypage`); an error from the pool (a time limit) shown on it."""
        args = dict(request.query_params)
        reply = _query_string_error(request) or await self.in_worker(querypage.render, args, min(self.row_cap, 1000))
        if not (reply.media_type or "").startswith("text/html"):
            return HTMLResponse(querypage.error_page(args, reply.body.decode().strip()), reply.status_code)
        return reply

    async def dispute(self, request: Request) -> Response:
        return await self.in_worker(evidence_task, "dispute", request.path_params["ref"])

    async def describe(self, request: Request) -> Response:
        local = request.path_params["path"]
        if request.url.fragment:
            local += "#" + request.url.fragment
        kind, _, rest = local.partition("/")
        accept, offered = request.headers.get("accept"), (proto.html_answer(), *proto.GRAPH_ANSWERS)
        if kind in ("group", "doc") and re.fullmatch(r"[0-9a-fA-F]{6,20}", rest) and \
                _prefers(accept, offered) is offered[0]:
            if kind == "group":  # a person's view of a group is its dispute page; RDF stays by content negotiation
                return RedirectResponse(f"/dispute/{rest}", status_code=303)
            return await self.in_worker(evidence_task, "document", rest)
        reply = await self.in_worker(describe_task, local, request.headers.get("accept"))
        if self.editor is not None and local.startswith("claim/") and reply.status_code == 200 and \
                (reply.media_type or "").startswith("text/html"):  # editing on: the claim's page carries the form
            page = reply.body.decode("utf-8").replace("</body>", editing.claim_form(local.split("/")[1]) + "</body>", 1)
            return HTMLResponse(page)
        return reply

    async def corrections(self, request: Request) -> Response:
        """``POST /corrections``: record a correction (kind, claim or correction, reason, by) with the editing
        token; 403 when editing is off or the token is missing or wrong."""
        if self.editor is None:
            return _error(403, "this server is read-only: start it with 'lithkg serve --edit' to record corrections")
        body = await _read_body(request, 64 * 1024, self.body_timeout)
        if isinstance(body, Response):
            return body
        try:
            fields = {k: v[-1] for k, v in urllib.parse.parse_qs(body.decode("utf-8"), keep_blank_values=True,
                                                                   max_num_fields=16).items()}
        except (UnicodeDecodeError, ValueError):
            return _error(400, "send the correction as an application/x-www-form-urlencoded UTF-8 form")
        if not self.editor.allowed(request.headers.get("x-lithkg-token") or fields.get("token")):
            return _error(403, "a correction needs this server's editing token (printed when 'lithkg serve --edit' "
                               "started)")
        status, line, about = await asyncio.to_thread(self.editor.correct, fields)
        if status == 200 and about and "text/html" in (request.headers.get("accept") or ""):
            return Response(status_code=303, headers={"Location": f"/id/claim/{about}"})
        return PlainTextResponse(line + "\n") if status == 200 else _error(status, line)

    def routes(self) -> list[Route]:
        return [
            Route("/", self.home, methods=["GET"]),
            Route("/disputes.csv", self.home, methods=["GET"]),
            Route("/disputes.json", self.home, methods=["GET"]),
            Route("/search", self.search, methods=["GET"]),
            Route("/source", self.source, methods=["GET"]),
            Route("/dispute/{ref}", self.dispute, methods=["GET"]),
            Route("/query", self.query_editor, methods=["GET"]),
            Route("/analyses", self.analyses_view, methods=["GET"]),
            Route("/id/{path:path}", self.describe, methods=["GET"]),
            Route("/sparql", self.sparql_endpoint, methods=["GET", "POST"]),
            Route("/queries", self.queries_index, methods=["GET"]),
            Route("/queries/{name}", self.named_query, methods=["GET"]),
            Route("/corrections", self.corrections, methods=["POST"]),
        ]

    @contextlib.asynccontextmanager
    async def lifespan(self, app):
        if self.own_pool:
            await asyncio.to_thread(self.pool.start)
        try:
            yield
        finally:
            if self.own_pool:
                self.pool.close()
            self.threads.shutdown(wait=False, cancel_futures=True)


def create_app(store_path=None, *, settings=None, timeout: float = 10.0, row_cap: int = 10000,
               max_body: int = MAX_BODY, workers: int = 2, max_workers: int = 8, queue: int = 32,
               body_timeout: float = 30.0, edit_token: str | None = None,
               pool: sandbox.Pool | None = None, cors: tuple[str, ...] = ()) -> Starlette:
    """The endpoint's ASGI app over the store at ``store_path`` (or ``settings.store``).

    Store reads run in a :class:`lithkg.read.sandbox.Pool` (``workers`` kept started, at most ``max_workers`` at once
    and ``queue`` more waiting up to ``timeout`` seconds for one, each killed at ``timeout`` seconds); request bodies
    are read up to ``max_body`` bytes within ``body_timeout`` seconds. ``app.state.pool`` is the pool (started with
    the app, closed when it stops); the routes are an :class:`Endpoint`'s. With ``edit_token`` the server records
    corrections sent with that token (:mod:`lithkg.web.editing`); without, it is read-only. With ``cors`` (origins,
    or ``*``) pages of those origins may read the endpoint's answers (:class:`lithkg.web.protocol.EndpointCORS`);
    without, no CORS header is sent and a preflight gets 405."""
    from ..config import load_settings
    bad = proto.check_origins(cors)
    if bad:
        raise UsageError(bad)
    settings = settings or load_settings()
    if store_path is not None:
        settings = settings.replace(store=store_path)
    own_pool = pool is None
    pool = pool or sandbox.Pool(settings, timeout=timeout, spare=workers, max_workers=max_workers, queue=queue,
                                start="forkserver")  # the server has threads: never fork it
    editor = editing.Editor(settings, edit_token) if edit_token else None
    endpoint = Endpoint(pool, own_pool=own_pool, row_cap=row_cap, max_body=max_body, body_timeout=body_timeout,
                        editor=editor)
    app = Starlette(routes=endpoint.routes(), lifespan=endpoint.lifespan,
                    middleware=[Middleware(proto.EndpointCORS, origins=tuple(cors))] if cors else None)
    app.state.pool = pool
    return app


def protocol(*, header_timeout: float = 10.0, max_client_connections: int = 16):
    """uvicorn's h11 protocol with two bounds it lacks: a client that has not sent a whole request head within
    ``header_timeout`` seconds of connecting (or of its previous response) is disconnected, and a client (by
    address) may hold at most ``max_client_connections`` open connections; one more is answered 429 and closed."""
    import h11
    from uvicorn.protocols.http.h11_impl import H11Protocol

    open_by_client: dict[str, int] = {}

    class BoundedH11Protocol(H11Protocol):
        _timer = None
        _counted = None

        def connection_made(self, transport):
            super().connection_made(transport)
            host = self.client[0] if self.client else ""
            if open_by_client.get(host, 0) >= max_client_connections:
                body = f"too many open connections from {host} (at most {max_client_connections})\n".encode()
                transport.write(b"HTTP/1.1 429 Too Many Requests\r\ncontent-type: text/plain; charset=utf-8\r\n"
                                b"retry-after: 2\r\nconnection: close\r\ncontent-length: "
                                + str(len(body)).encode() + b"\r\n\r\n" + body)
                transport.close()
                return
            open_by_client[host] = open_by_client.get(host, 0) + 1
            self._counted = host
            self._arm()

        def _arm(self):
            if self._timer is not None:
                self._timer.cancel()
            self._timer = self.loop.call_later(header_timeout, self._head_timeout)

        def _head_timeout(self):
            self._timer = None
            if self.conn.their_state == h11.IDLE and not self.transport.is_closing():
                self.transport.close()  # no whole request head in time: drop the connection

        def on_response_complete(self):
            super().on_response_complete()
            self._arm()

        def connection_lost(self, exc):
            if self._timer is not None:
                self._timer.cancel()
                self._timer = None
            if self._counted is not None:
                left = open_by_client.get(self._counted, 1) - 1
                if left:
                    open_by_client[self._counted] = left
                else:
                    open_by_client.pop(self._counted, None)
                self._counted = None
            super().connection_lost(exc)

    return BoundedH11Protocol
