"""``lithkg serve``: the pages and the SPARQL 1.1 endpoint."""
from pathlib import Path

import click

from ..errors import UsageError
from .common import handle_errors, settings_of, store_option

@click.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on (loopback by default).")
@click.option("--port", default=8000, show_default=True, type=int, help="Port to listen on.")
@click.option("--timeout", default=10.0, show_default=True, type=click.FloatRange(0.1, 3600),
              help="Query time limit in seconds: the query's worker is killed then and the request gets 503.")
@click.option("--row-cap", default=10000, show_default=True, type=click.IntRange(1, 10_000_000),
              help="Most rows or triples a query returns.")
@click.option("--workers", default=2, show_default=True, type=click.IntRange(0, 64),
              help="Query worker processes kept started (with the store open).")
@click.option("--max-workers", default=8, show_default=True, type=click.IntRange(1, 256),
              help="Queries and pages that may run at once.")
@click.option("--queue", default=32, show_default=True, type=click.IntRange(0, 10_000),
              help="Requests that may wait (up to --timeout) for a busy worker; one more gets 503 with Retry-After.")
@click.option("--max-client-connections", default=16, show_default=True, type=click.IntRange(1, 10_000),
              help="Open connections one client address may hold; one more gets 429.")
@click.option("--header-timeout", default=10.0, show_default=True, type=click.FloatRange(0.1, 3600),
              help="Seconds a client has to send a request's head; then the connection is closed.")
@click.option("--cors", "cors", multiple=True, metavar="ORIGIN",
              help="Let pages of this origin (scheme://host[:port], or * for any) query /sparql, /queries and /id/ "
                   "from a browser (CORS); repeatable. None by default: no CORS headers, a preflight gets 405.")
@click.option("--edit", is_flag=True, help="Also record analysts' corrections sent with the editing token the "
                                           "server prints at start (POST /corrections, the form on a claim's page).")
@store_option
@click.pass_context
@handle_errors
def serve(ctx, host, port, timeout, row_cap, workers, max_workers, queue, max_client_connections, header_timeout,
          cors, edit, store_after):
    """Serve the store read-only over HTTP: pages for people and a SPARQL 1.1 Protocol endpoint at /sparql (the
    named queries at /queries/NAME).

    The pages: / the disputes (filters by status, source and date, paging, CSV and JSON downloads of what is shown);
    /search?q=WORDS over all claims (subject, property, qualifiers, quote); /query, a query page with input fields
    for the named queries' parameters and a link that reproduces each query; /analyses; /dispute/GROUP, one
    dispute with each source's quote in its paragraph; /source?doc=ID, a document's text with its quotes marked;
    and /id/... for every claim, group, entity and document (RDF by content negotiation).

    Queries and pages run in worker processes that cannot open network connections and are killed at the time
    limit; each opens the store read-only, so 'lithkg ingest' can keep writing meanwhile.

    With --edit the server also records analysts' corrections (reject, confirm, amend, split, merge, undo) sent to
    POST /corrections with the editing token it prints at start; a claim's page then carries a form for them.
    Without it, every correction gets 403."""
    import uvicorn

    from ..web.editing import new_token
    from ..web.server import create_app, protocol

    settings = settings_of(ctx, store_after)
    if settings.endpoint:
        raise UsageError("'lithkg serve' serves the embedded store", hint="query the SPARQL server itself; it is "
                                                                          "already an endpoint")
    if not Path(settings.store).exists():
        raise UsageError("no store here", path=str(settings.store), hint="run 'lithkg build' or 'lithkg ingest' first")
    token = new_token() if edit else None
    app = create_app(settings=settings, timeout=timeout, row_cap=row_cap, workers=workers,
                     max_workers=max(max_workers, workers), queue=queue, edit_token=token, cors=cors)
    pool = app.state.pool
    click.echo(f"serving {settings.store} at http://{host}:{port}/ (pages) and http://{host}:{port}/sparql",
               err=True)
    click.echo(f"pages: http://{host}:{port}/ (disputes), http://{host}:{port}/search, http://{host}:{port}/query, "
               f"http://{host}:{port}/analyses", err=True)
    click.echo("query workers: " + ("no network (a network namespace of their own)" if pool.start().isolated else
                                    f"NOT isolated from the network ({pool.problem}); only the query check keeps "
                                    "queries off it"), err=True)
    if token:
        click.echo(f"editing on: corrections need the token {token} (header X-Lithkg-Token, or the form on a claim's "
                   f"page)" + ("" if host in ("127.0.0.1", "localhost", "::1") else
                               f"; the server listens on {host}, beyond this machine"), err=True)
    else:
        click.echo("read-only: corrections are refused (start with --edit to record them)", err=True)
    if cors:
        click.echo("CORS: pages of " + ", ".join("any origin" if o == "*" else o for o in cors)
                   + " may query /sparql, /queries and /id/", err=True)
    uvicorn.run(app, host=host, port=port, log_level="warning", timeout_keep_alive=5,
                http=protocol(header_timeout=header_timeout, max_client_connections=max_client_connections),
                limit_concurrency=max(64, 4 * max_client_connections))
