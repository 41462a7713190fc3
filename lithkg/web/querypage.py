"""The query page of ``lithkg serve`` (``/query``): server-rendered, no script needed.

* ``/query?query=TEXT``: runs a SPARQL query (as ``/sparql`` does: read-only, in a worker, the row cap) and shows
  the result as a table that scrolls sideways; IRIs are links, to their pages here (``/id/...``) for the store's own.
* ``/query?name=NAME&PARAM=VALUE...``: a named query of ``queries/`` with an input field for each of its parameters
  (the ``# param:`` lines: name, kind, optional); it runs once every required parameter is given (or the form is
  sent, ``run=1``).

The address of the page reproduces the query and its parameters (a link to share is shown), with CSV and JSON
downloads of the same result. An error is one line, with the line and column in the query for a syntax error.
"""
from __future__ import annotations

import re
import urllib.parse

import pyoxigraph as ox

from ..errors import QueryError, UpdateRefused, UsageError
from ..read import sandbox, sparql
from .pages import esc, page

HTML = "text/html; charset=utf-8"
EXAMPLE = ("SELECT ?group ?value ?source WHERE {\n  ?c lkg:group ?group ; lkg:value ?value ;\n"
           "     prov:wasDerivedFrom/lkg:fileName ?source .\n} LIMIT 20")
CSS = """<style>
.scroll{overflow-x:auto;max-width:100%;border:1px solid #eee} .scroll table{width:auto;min-width:100%}
.scroll td{white-space:nowrap;max-width:40rem;overflow:hidden;text-overflow:ellipsis} p.error{color:#a00}
form.params label{display:block;margin:.3rem 0} .muted{color:#666;font-size:.85rem} pre{white-space:pre-wrap}
ul.named li.current{font-weight:bold}
</style>"""


def chosen(args: dict) -> tuple[sparql.NamedQuery | None, str, dict]:
    """The named query asked for (None: an ad hoc one), the query's text and the parameters given (non-empty)."""
    name = (args.get("name") or "").strip()
    if not name:
        return None, args.get("query") or "", {}
    nq = sparql.named_queries().get(name)
    if nq is None:
        raise UsageError(f"no named query '{name[:60]}'", hint="pick one from the list")
    return nq, nq.text, {p.name: args[p.name].strip() for p in nq.params if (args.get(p.name) or "").strip()}


def error_line(exc: QueryError | UsageError, text: str) -> str:
    """An error as one line; a syntax error with its line and column and the text the parser stopped after."""
    if exc.line is not None and exc.column is not None and exc.message.startswith("SPARQL syntax error"):
        lines = text.splitlines() or [""]
        before = lines[min(exc.line, len(lines)) - 1][:max(exc.column - 1, 0)].split()[-3:]
        detail = exc.message.split(":", 1)[1].strip()
        detail = "a prefix that is not declared" if "Prefix not found" in detail else detail
        where = f"after “{' '.join(before)}”" if before else "at the start of the line"
        return (f"line {exc.line}, column {exc.column}: the query does not parse {where}"
                + (f" ({detail})" if len(detail) <= 80 else ""))
    return exc.message + (f" ({exc.hint})" if exc.hint else "")


def compact(iri: str, prefixes: dict[str, str]) -> str:
    """``iri`` as prefix:local with the longest namespace that fits, else the IRI."""
    best = max((ns for ns in prefixes.values() if iri.startswith(ns)), key=len, default=None)
    if best is None or not re.fullmatch(r"[\w./-]*", iri[len(best):]):
        return iri
    return next(p for p, ns in prefixes.items() if ns == best) + ":" + iri[len(best):]


def cell(term, base: str, prefixes: dict[str, str]) -> str:
    """One result term as HTML: an IRI as a link (to its page here when it is the store's), a literal as text."""
    if term is None:
        return ""
    if isinstance(term, ox.NamedNode):
        iri = term.value
        text = esc(compact(iri, prefixes))
        if iri.startswith(base):
            href = "/id/" + urllib.parse.quote(iri[len(base):], safe="/:@!$&'()*+,;=-._~")
        elif re.match(r"^https?://", iri, re.I):
            href = iri
        else:
            return f"<span title='{esc(iri)}'>{text}</span>"
        return f"<a href='{esc(href)}' title='{esc(iri)}'>{text}</a>"
    if isinstance(term, ox.BlankNode):
        return esc("_:" + term.value)
    lang = f" <span class='muted'>@{esc(term.language)}</span>" if term.language else ""
    return esc(term.value) + lang


def results(raw, base: str, prefixes: dict[str, str], row_cap: int) -> str:
    """A query's result as HTML: a table of rows (SELECT) or triples (CONSTRUCT, DESCRIBE), or yes / no (ASK)."""
    if isinstance(raw, (bool, ox.QueryBoolean)):
        return f"<p id='answer'>{'yes' if bool(raw) else 'no'}</p>"
    if isinstance(raw, ox.QuerySolutions):
        names = [v.value for v in raw.variables]
        rows = []
        for sol in raw:
            if len(rows) >= row_cap:
                break
            rows.append([sol[n] for n in names])
    else:
        names, rows = ["subject", "predicate", "object"], []
        for t in raw:
            if len(rows) >= row_cap:
                break
            rows.append([t.subject, t.predicate, t.object])
    head = "".join(f"<th>{esc(n)}</th>" for n in names)
    body = "".join("<tr>" + "".join(f"<td>{cell(t, base, prefixes)}</td>" for t in r) + "</tr>" for r in rows)
    capped = f" (the first {row_cap}: the server's row cap)" if len(rows) >= row_cap else ""
    return (f"<div class='scroll'><table id='results'><tr>{head}</tr>{body}</table></div>"
            f"<p id='count'>{len(rows)} row(s){capped}</p>")


def links(nq, text: str, params: dict) -> str:
    """The link that reproduces the query, and its CSV and JSON downloads."""
    if nq is not None:
        share = "/query?" + urllib.parse.urlencode({"name": nq.name, **params})
        data = f"/queries/{urllib.parse.quote(nq.name)}?" + urllib.parse.urlencode(params)
    else:
        share = "/query?" + urllib.parse.urlencode({"query": text})
        data = "/sparql?" + urllib.parse.urlencode({"query": text})
    sep = "&" if not data.endswith("?") else ""
    return (f"<p class='links'><a id='share' href='{esc(share)}'>link to this query</a> · download "
            f"<a id='csv' download href='{esc(data + sep + 'format=csv')}'>CSV</a> "
            f"<a id='json' download href='{esc(data + sep + 'format=json')}'>JSON</a></p>")


def form(args: dict, nq, text: str, params: dict, out: str = "") -> str:
    """The form (a named query's parameter fields, or the editor), then ``out`` (the result or the error), then the
    list of named queries."""
    named = sparql.named_queries()
    items = "".join(f"<li{' class=current' if nq is not None and q.name == nq.name else ''}>"
                    f"<a href='/query?name={urllib.parse.quote(q.name)}'>{esc(q.name)}</a> — {esc(q.title)}</li>"
                    for q in named.values())
    if nq is None:
        editor = (f"<form method='get' action='/query'><p class='muted'>Standard prefixes (lkg:, lke:, lp:, lps:, "
                  f"ldt:, prov:, oa:, rdfs: ...) are predeclared.</p><textarea id='q' name='query' "
                  f"aria-label='SPARQL query'>{esc(text or EXAMPLE)}</textarea><p><button id='run'>Run</button></p>"
                  f"</form>")
    else:
        fields = "".join(
            f"<label>{esc(p.name)} <input name='{esc(p.name)}' value='{esc(params.get(p.name, ''))}'"
            f"{'' if p.optional else ' required'}> <span class='muted'>{esc(p.type)}"
            f"{', optional' if p.optional else ''}: {esc(p.description)}</span></label>" for p in nq.params)
        editor = (f"<h2>{esc(nq.title)}</h2><p>{esc(nq.description)}</p><form method='get' action='/query' "
                  f"class='params'><input type='hidden' name='name' value='{esc(nq.name)}'>"
                  f"<input type='hidden' name='run' value='1'>{fields}<p><button id='run'>Run</button></p></form>"
                  f"<details><summary>The query</summary><pre id='text'>{esc(text)}</pre><a href='/query?"
                  f"{esc(urllib.parse.urlencode({'query': text}))}'>edit a copy</a></details>")
    return f"{CSS}{editor}{out}<h2>Named queries</h2><ul class='named'>{items}</ul>"


@sandbox.task
def render(session, args: dict, row_cap: int) -> tuple:
    """The query page for the request's parameters ``args``: (status, media type, body)."""
    try:
        nq, text, params = chosen(args)
    except UsageError as exc:
        return 404, HTML, error_page(args, error_line(exc, "")).encode()
    missing = [p.name for p in nq.params if not p.optional and p.name not in params] if nq else []
    run = bool(text.strip()) and (nq is None or not missing or bool(args.get("run")))
    status, out = 200, ""
    if run and missing:
        status, out = 400, f"<p class='error' id='error'>the query needs the parameter '{esc(missing[0])}'</p>"
    elif run:
        try:
            raw = sparql.execute(session, text, params=params, declared=nq.params if nq else None)
            out = results(raw, session.ids.base, session.ids.prefixes, row_cap) + links(nq, text, params)
        except (QueryError, UsageError) as exc:
            status = 403 if isinstance(exc, UpdateRefused) else 400
            out = f"<p class='error' id='error'>{esc(error_line(exc, text))}</p>"
    title = f"Query: {nq.name}" if nq else "Query"
    return status, HTML, page(title, form(args, nq, text, params, out)).encode()


def error_page(args: dict, message: str) -> str:
    """The query page with one error line (a time limit, a busy server) above the form as it was sent."""
    try:
        nq, text, params = chosen(args)
    except UsageError:
        nq, text, params = None, args.get("query") or "", {}
    return page("Query", form(args, nq, text, params, f"<p class='error' id='error'>{esc(message)}</p>"))
