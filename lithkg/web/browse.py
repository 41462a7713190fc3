"""The browsing pages of ``lithkg serve``: a claim's and an entity's page for people, search over all claims, and the
disputes page's filters, paging and downloads.

* ``/id/claim/HASH`` (HTML): the claim as a sentence of labels (subject, property, value as the text states it,
  qualifiers), its quote, its source (title, date, site, a link to the original address and to what the document
  claims), its status and the reason, the other values of its group; the statements themselves below, folded.
* ``/id/entity/NAME`` (HTML): the entity's label, aliases and links, and its claims grouped by property, each figure
  with its source.
* ``/search?q=WORDS``: every claim whose subject, property, qualifiers and quote hold every word, linked to the
  claim's and its group's pages, paged.
* ``/?status=&source=&since=&q=&page=&per_page=``: the disputes, filtered and paged; the same parameters with
  ``format=csv`` or ``format=json`` (or ``/disputes.csv``, ``/disputes.json``) give exactly the rows shown.

Every text from documents, queries and the store goes through :func:`esc`. How a value reads is decided in one place,
:func:`shown_value`. The RDF of every ``/id/`` page stays one content negotiation away (``Accept: text/turtle``).
"""
from __future__ import annotations

import io
import re
import urllib.parse

from ..errors import UsageError
from ..model import STATUSES
from ..read import sandbox, search
from ..read.stated import stated
from ..read.tabular import fold_by_source, write_rows
from ..session import short_id
from . import evidence
from .pages import disputes_page, esc, id_link, page

HTML = "text/html; charset=utf-8"
PER_PAGE, MAX_PER_PAGE = 50, 500
CSS = """<style>
.scroll{overflow-x:auto;max-width:100%} .scroll table{width:auto;min-width:100%} mark{background:#fff3a8}
dl.claim{display:grid;grid-template-columns:max-content 1fr;gap:.3rem 1rem} dl.claim dt{color:#555}
dl.claim dd{margin:0} blockquote{margin:.3rem 0;padding:.3rem .8rem;border-left:3px solid #ccc;font-style:italic}
form.filters label{margin-right:.8rem} .pager a{margin:0 .4rem} .muted{color:#666;font-size:.85rem}
</style>"""
DOWNLOAD_COLUMNS = ["group", "group_label", "verdict", "claim", "value", "shown", "unit", "bound", "time", "source",
                    "doc_title", "doc_url", "source_date", "quote", "status", "relation", "reason"]


def shown_value(row: dict) -> str:
    """How a claim's value reads on the pages (the one place that decides it): as the text stated it."""
    return stated(row)


def local_link(iri: str, base: str, text: str | None = None, cls: str = "") -> str:
    """A link to the page of ``iri`` here (``/id/...`` for the store's own IRIs, else the IRI itself)."""
    href = "/id/" + iri[len(base):] if iri.startswith(base) else iri
    attr = f" class='{cls}'" if cls else ""
    return (f"<a{attr} href='{esc(href.replace('#', '%23') if iri.startswith(base) else href)}' "
            f"title='{esc(iri)}'>{esc(text if text is not None else iri)}</a>")


def source_cell(row: dict) -> str:
    """A claim's source for people (:func:`lithkg.web.evidence.source_line`): the document's title, linked to the
    claim's quote in its text, its site, its date and a link to the original address."""
    claim = row.get("id") or row.get("claim") or ""
    return evidence.source_line({"document": row.get("document") or "",
                                 "title": row.get("doc_title") or row.get("source"),
                                 "url": row.get("doc_url"), "date": row.get("source_date")},
                                anchor=f"claim-{short_id(claim)}" if claim else None)


def qualifiers_text(row: dict) -> str:
    return "; ".join(f"{k}: {v}" for k, v in (row.get("qualifiers") or {}).items())


def marked(text: str | None, wanted: list[str]) -> str:
    """``text`` escaped, the words of a search marked (case-insensitively)."""
    text = text or ""
    if not wanted:
        return esc(text)
    pattern = re.compile(r"(?<!\w)(?:" + "|".join(re.escape(w) for w in sorted(wanted, key=len, reverse=True)) + ")",
                         re.I)
    out, at = [], 0
    for m in pattern.finditer(text):
        out += [esc(text[at:m.start()]), f"<mark>{esc(m.group(0))}</mark>"]
        at = m.end()
    return "".join(out) + esc(text[at:])


# ---------------------------------------------------------------------------------------------- paging
def paging(args: dict) -> tuple[int | None, int]:
    """The page asked for (None: all) and the page size, from ``page`` and ``per_page``; a UsageError otherwise."""
    raw_page, raw_per = (args.get("page") or "1").strip(), (args.get("per_page") or str(PER_PAGE)).strip()
    if not re.fullmatch(r"\d{1,6}", raw_per) or not 1 <= int(raw_per) <= MAX_PER_PAGE:
        raise UsageError(f"'per_page' must be a whole number from 1 to {MAX_PER_PAGE}, not '{raw_per[:40]}'")
    if raw_page == "all":
        return None, int(raw_per)
    if not re.fullmatch(r"\d{1,9}", raw_page) or int(raw_page) < 1:
        raise UsageError(f"'page' must be a whole number from 1 (or 'all'), not '{raw_page[:40]}'")
    return int(raw_page), int(raw_per)


def query_string(args: dict, **changes) -> str:
    """The page's parameters (empty ones left out) with ``changes``, as a query string."""
    merged = {k: v for k, v in {**args, **changes}.items() if v not in (None, "")}
    return urllib.parse.urlencode(merged)


def pager(path: str, args: dict, number: int | None, per: int, total: int, noun: str) -> str:
    """'groups 51–100 of 230', with previous and next links that keep the other parameters."""
    if number is None or total <= per:
        return f"<p class='pager'>{total} {noun}</p>"
    pages = (total + per - 1) // per
    first, last = (number - 1) * per + 1, min(number * per, total)
    prev = f"<a rel='prev' href='{path}?{esc(query_string(args, page=number - 1))}'>‹ previous</a>" \
        if number > 1 else ""
    nxt = f"<a rel='next' href='{path}?{esc(query_string(args, page=number + 1))}'>next ›</a>" \
        if number < pages else ""
    every = f"<a href='{path}?{esc(query_string(args, page='all'))}'>all</a>"
    span = f"{first}–{last} of {total}" if first <= total else f"none of {total} (page {number} of {pages})"
    return f"<p class='pager'>{noun} {span} {prev}{nxt} · {every}</p>"


def page_of(items: list, number: int | None, per: int) -> list:
    return items if number is None else items[(number - 1) * per:number * per]


# ---------------------------------------------------------------------------------------------- the disputes page
FILTERS = ("status", "source", "since", "q")


@sandbox.task
def disputes(session, args: dict, fmt: str | None = None) -> tuple:
    """The disputes page (or, with ``fmt`` csv or json, exactly the rows it shows) for the parameters ``args``."""
    fmt = fmt or args.get("format") or "html"
    if fmt not in ("html", "csv", "json"):
        raise UsageError(f"unknown format '{fmt[:40]}' for the disputes", hint="use format=csv or format=json")
    wanted = {k: (args.get(k) or "").strip() for k in FILTERS}
    if wanted["status"] and wanted["status"] not in STATUSES:
        raise UsageError(f"unknown status '{wanted['status'][:40]}'", hint="use one of: " + ", ".join(STATUSES))
    number, per = paging(args)
    rows = search.disputes(session, **wanted)
    groups: dict[str, list[dict]] = {}
    for r in rows:
        groups.setdefault(r["group"], []).append(r)
    shown = page_of(list(groups), number, per)
    shown_rows = [r for g in shown for r in groups[g]]
    if fmt != "html":
        out = io.StringIO()
        data = [{**m, "shown": shown_value(m)} for g in shown for m in fold_by_source(groups[g])]
        write_rows(data if fmt == "csv" else [{k: m.get(k) for k in DOWNLOAD_COLUMNS + ["conflicts_with"]}
                                               for m in data], fmt, out, DOWNLOAD_COLUMNS)
        return 200, "text/csv; charset=utf-8" if fmt == "csv" else "application/json", out.getvalue().encode()
    params = {**{k: v for k, v in wanted.items() if v}, **{k: args[k] for k in ("page", "per_page") if args.get(k)}}
    paged = pager("/", params, number, per, len(groups), "claim groups")
    footer = f"<style>{evidence.EVIDENCE_STYLE}</style>{evidence.legend()}" + (
        paged if number is not None and len(groups) > per else "")
    body = disputes_page(shown_rows, controls=filter_form(session, wanted, per) + paged + downloads(params),
                         shown=shown_value, cite=source_cell, footer=footer,
                         draw=lambda members: _timeline(members, session.ontology))
    return 200, HTML, body.encode()


def _timeline(members: list[dict], ontology) -> str:
    """A group's timeline on the disputes page (that of its dispute page), or nothing when it has none."""
    named = [{**m, "property_label": m.get("property_label") or ontology.label(m["property"])} if m.get("property")
             else m for m in members]  # (the y axis is titled by the property)
    return evidence.figure_timeline(named, ontology, quiet=True)


def filter_form(session, wanted: dict, per: int) -> str:
    """The search box (over all claims) and the filters of the disputes page: plain GET forms."""
    statuses = "".join(f"<option value='{esc(s)}'{' selected' if s == wanted['status'] else ''}>{esc(s)}</option>"
                       for s in STATUSES)
    sources = "".join(f"<option value='{esc(s['key'])}'{' selected' if s['key'] == wanted['source'] else ''}>"
                      f"{esc(s['label'])}</option>" for s in search.sources(session))
    return (f"{CSS}<form method='get' action='/search' role='search'><input name='q' placeholder='search all claims: "
            f"entity, property, qualifier or quote words' aria-label='search all claims' size='50'> "
            f"<button id='search'>Search claims</button></form>"
            f"<form method='get' action='/' class='filters'><label>status <select name='status'>"
            f"<option value=''>any</option>{statuses}</select></label><label>source <select name='source'>"
            f"<option value=''>any</option>{sources}</select></label><label>since <input name='since' size='10' "
            f"placeholder='YYYY-MM-DD' value='{esc(wanted['since'])}'></label><label>words in the heading <input name='q' value='{esc(wanted['q'])}' size='18'></label>"
            f"<label>per page <input name='per_page' value='{per}' size='4'></label>"
            f"<button id='filter'>Filter</button> <a href='/'>clear</a></form>")


def downloads(params: dict) -> str:
    qs = esc(query_string(params))
    sep = "?" if qs else ""
    return (f"<p class='downloads'>Download what is shown: <a id='csv' download href='/disputes.csv{sep}{qs}'>CSV</a> "
            f"<a id='json' download href='/disputes.json{sep}{qs}'>JSON</a></p>")


# ---------------------------------------------------------------------------------------------- search
@sandbox.task
def search_page(session, args: dict) -> tuple:
    q = (args.get("q") or "").strip()
    number, per = paging(args)
    rows = search.search(session, q) if q else []
    wanted = search.words(q)
    items = "".join(
        f"<tr><td>{esc(r['subject_label'])} · {esc(r['property_label'])}"
        + (f"<div class='muted'>{marked(qualifiers_text(r), wanted)}</div>" if r.get("qualifiers") else "")
        + f"<div>{id_link('group', r['group'], 'group ' + short_id(r['group'])[:8])}</div></td>"
        f"<td>{id_link('claim', r['id'], shown_value(r))}</td><td>{esc(r['time'])}</td><td>{source_cell(r)}</td>"
        f"<td><q>{marked(r['quote'], wanted)}</q></td><td><span class='tag'>{esc(r['status'])}</span></td></tr>"
        for r in page_of(rows, number, per))
    groups = len({r["group"] for r in rows})
    params = {k: v for k, v in {"q": q, "page": args.get("page"), "per_page": args.get("per_page")}.items() if v}
    head = (f"{CSS}<form method='get' action='/search' role='search'><input name='q' value='{esc(q)}' size='50' "
            f"aria-label='search all claims' placeholder='entity, property, qualifier or quote words'> "
            f"<button id='search'>Search</button></form>")
    if not q:
        return 200, HTML, page("Search claims", head + "<p>Every word must occur in a claim's subject, property, "
                                                      "qualifiers or quote (case and accents ignored).</p>").encode()
    summary = f"<p id='found'>{len(rows)} claim(s) in {groups} group(s) match <q>{esc(q)}</q>.</p>"
    table = (f"<div class='scroll'><table id='results'><tr><th>subject · property</th><th>value</th><th>time</th>"
             f"<th>source</th><th>quote</th><th>status</th></tr>{items}</table></div>") if rows else ""
    return 200, HTML, page(f"Search: {q}", head + summary + pager("/search", params, number, per, len(rows),
                                                                   "claims") + table).encode()


# ---------------------------------------------------------------------------------------------- claim and entity
def readable_page(session, iri: str, triples: list[tuple[str, str, str]]) -> str | None:
    """The page for people of a claim or an entity IRI (None for other IRIs: the statements page serves them)."""
    base = session.ids.base
    kind = iri[len(base):].split("/", 1)[0] if iri.startswith(base) else ""
    try:
        if kind == "claim":
            return claim_page(session, iri, triples)
        if kind == "entity":
            return entity_page(session, iri, triples)
    except UsageError:  # (a claim the listing does not read: its statements are its page)
        return None
    return None


def statements(iri: str, triples: list[tuple[str, str, str]], base: str) -> str:
    """The stored statements, IRIs as links, folded away below the page."""
    rows = "".join(f"<tr><td>{local_link(p, base)}</td><td>{local_link(o, base) if _is_link(o) else esc(o)}</td></tr>"
                   for s, p, o in triples if s == iri)
    return (f"<details><summary>All statements ({len(triples)}); as RDF with <code>Accept: text/turtle</code> or "
            f"<code>application/ld+json</code></summary><div class='scroll'><table>{rows}</table></div></details>")


def _is_link(value: str) -> bool:
    return bool(re.match(r"^https?://\S+$", value))


def claim_page(session, iri: str, triples) -> str:
    row, others = search.claim(session, iri)
    base = session.ids.base
    title = f"{row['subject_label']} · {row['property_label']}: {shown_value(row)}"
    quals = "".join(f"<li>{esc(k)}: {esc(v)}</li>" for k, v in (row.get("qualifiers") or {}).items())
    fields = [
        ("value", f"<strong>{esc(shown_value(row))}</strong>"),
        ("subject", local_link(row["subject"], base, row["subject_label"])),
        ("property", esc(row["property_label"])),
        ("qualifiers", f"<ul>{quals}</ul>" if quals else "<span class='muted'>none</span>"),
        ("time", esc(row["time"] or "not stated")),
        ("quote", f"<blockquote id='quote'>{esc(row['quote'])}</blockquote>"),
        ("source", source_cell(row)),
        ("status", f"<span class='tag'>{esc(row['status'])}</span> <span class='reason'>"
                   f"{esc(row['status_reason'])}</span>"),
        ("group", id_link("group", row["group"], f"all values of {row['subject_label']} · {row['property_label']}")),
        ("read by", esc(", ".join(row.get("extractors") or []))),
    ]
    dl = "".join(f"<dt>{name}</dt><dd>{value}</dd>" for name, value in fields)
    other = "".join(f"<tr><td>{id_link('claim', o['id'], shown_value(o))}</td><td>{esc(o['time'])}</td>"
                    f"<td>{source_cell(o)}</td><td><span class='tag'>{esc(o['status'])}</span></td></tr>"
                    for o in others)
    more = (f"<h2>The other claims of its group</h2><div class='scroll'><table id='others'><tr><th>value</th>"
            f"<th>time</th><th>source</th><th>status</th></tr>{other}</table></div>") if others else ""
    return page(title, f"{CSS}<dl class='claim'>{dl}</dl>{more}{statements(iri, triples, base)}")


def entity_page(session, iri: str, triples) -> str:
    e = search.entity(session, iri)
    base = session.ids.base
    by_property: dict[str, list[dict]] = {}
    for r in e["claims"]:
        by_property.setdefault(r["property_label"] or r["property"], []).append(r)
    sections = []
    for prop in sorted(by_property, key=search.fold):
        rows = "".join(
            f"<tr><td>{id_link('claim', r['id'], shown_value(r))}</td><td>{esc(qualifiers_text(r))}</td>"
            f"<td>{esc(r['time'])}</td><td>{source_cell(r)}</td><td><q>{esc(r['quote'])}</q></td>"
            f"<td><span class='tag'>{esc(r['status'])}</span></td></tr>" for r in by_property[prop])
        sections.append(f"<section class='property'><h2>{esc(prop)}</h2><div class='scroll'><table><tr><th>value</th>"
                        f"<th>qualifiers</th><th>time</th><th>source</th><th>quote</th><th>status</th></tr>{rows}"
                        f"</table></div></section>")
    aliases = f"<p>Also called: {esc(', '.join(e['aliases']))}</p>" if e["aliases"] else ""
    same = "".join(f" <a href='{esc(u)}' rel='noopener noreferrer'>{esc(u)}</a>" for u in e["same_as"] if evidence.safe_url(u))
    links = f"<p>The same as:{same}</p>" if same else ""
    count = f"<p>{len(e['claims'])} claim(s) about {esc(e['label'])}, by property.</p>"
    return page(e["label"], CSS + aliases + links + count + "".join(sections) + statements(iri, triples, base))
