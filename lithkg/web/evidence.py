"""The evidence pages of ``lithkg serve``: what a reader checks a figure against, server-rendered, no script.

* ``/dispute/GROUP``: one claim group (its short id, a unique prefix of it, or its IRI): each figure as the text
  stated it (:func:`lithkg.read.stated.stated`), each source with its title, site, date and a link to the original
  address, the quote highlighted inside its paragraph of the document text, the status with its reason, a legend
  of the statuses and a timeline (:mod:`lithkg.web.timeline`);
* ``/source?doc=DOC`` and the HTML view of ``/id/doc/HASH``: one document version, its title, original address and
  date, its text with every claim's quote highlighted and linked to the claim (``#claim-SHORT`` anchors the quote),
  its claims, and the source's versions with what changed between them (:func:`lithkg.read.diff.diff`).

Everything taken from a document (titles, quotes, text, addresses) is escaped; an address becomes a link only when
it is an ``http`` or ``https`` URL.
"""
from __future__ import annotations

import re
import urllib.parse

from ..errors import UsageError
from ..read import diff as diffs
from ..read import listings, search
from ..read.stated import date as date_text
from ..read.stated import stated, value_kind
from ..session import short_id
from . import timeline
from .pages import esc, page

# The statuses of docs/architecture.md#statuses, in its order, each with what it tells a reader.
STATUSES = [
    ("rejected", "a person rejected this claim, with a reason"),
    ("amended", "a person set what the claim says right; the corrected claim takes its place"),
    ("withdrawn", "made by a correction that is no longer in force; it states nothing"),
    ("no longer stated", "a newer version of the same source no longer states it (kept, never deleted)"),
    ("retracted", "its source withdrew it (read as 'no longer stated' in older stores)"),
    ("conflicting", "another source gives a different value for an overlapping or unknown time"),
    ("deprecated", "a person ranked it down"),
    ("preferred", "the group's preferred value, when nothing conflicts with it"),
    ("updated", "a later claim gives another value: a change over time, not a contradiction"),
    ("outranked", "a later value than the one a person preferred"),
    ("corroborated", "the same value as the preferred claim"),
    ("compatible", "a different figure whose bounds overlap the preferred one's: no contradiction"),
]
EVIDENCE_STYLE = """
.figure{font-size:1.25rem;margin:.2rem 0} .claim{border-top:1px solid #ddd;padding:.6rem 0}
.context{margin:.4rem 0;padding:.4rem .8rem;border-left:3px solid #ccc;background:#fcfcfc;white-space:pre-wrap}
mark{background:#ffe58a;padding:0 .1rem} .meta{color:#555;font-size:.9rem} dl.legend{display:grid;
grid-template-columns:max-content 1fr;gap:.2rem 1rem;font-size:.85rem} dl.legend dd{margin:0}
.doctext{white-space:pre-wrap;line-height:1.5;max-width:48rem} .doctext a{color:inherit;text-decoration:none}
.doctext mark:target,.doctext a:target mark{outline:2px solid #c77d00} .timeline text.axis-title{fill:#333}
.swatch{display:inline-block;width:.7rem;height:.7rem;border-radius:50%;margin-right:.3rem;vertical-align:middle}
details{margin:.4rem 0} .doctext [id]{scroll-margin-top:30vh}
"""
CONTEXT = 600  # characters of a paragraph shown either side of a quote at most


class NotFound(Exception):
    """Nothing in the store by that name: the page answers 404 with this message."""


def safe_url(url) -> str | None:
    """``url`` when it is an http(s) URL a page may link to (no control characters, no other scheme); else None."""
    text = str(url or "").strip()
    if not re.match(r"^https?://[^\s/]", text, re.I) or any(ord(c) < 32 or ord(c) == 127 for c in text):
        return None
    return text


def site(url) -> str | None:
    """The site a URL is on, as a reader names it: its host without ``www.``."""
    link = safe_url(url)
    host = urllib.parse.urlsplit(link).hostname if link else None
    return host[4:] if host and host.startswith("www.") else host


def documents_info(session, docs) -> dict[str, dict]:
    """Each document version's title (its file name when it has none), file, text, dates (``date``: published, else
    its source date), original address and source key (``key``), read in one query
    (:func:`lithkg.read.search.documents`)."""
    return {doc: {**info, "document": doc, "key": info["source_key"],
                  "title": info["title"] or info["file"].rsplit("/", 1)[-1],
                  "date": info["published"] or info["source_date"]}
            for doc, info in search.documents(session, docs, text=True).items()}


def document_info(session, doc: str) -> dict:
    """One document version as :func:`documents_info` gives it; :class:`NotFound` when the store has no such
    version."""
    found = documents_info(session, [doc]).get(doc)
    if found is None:
        raise NotFound(f"no document version <{doc}> in the store")
    return found


def source_line(info: dict, anchor: str | None = None) -> str:
    """A source as a reader cites it: its title (linked to the document page, at ``anchor``), site, date and a
    link to the original address."""
    href = f"/source?doc={short_id(info['document'])}" + (f"#{anchor}" if anchor else "")
    parts = [f"<a class='doc' href='{esc(href)}'>{esc(info['title'])}</a>"]
    host = site(info.get("url"))
    if host:
        parts.append(f"<span class='site'>{esc(host)}</span>")
    if info.get("date"):
        parts.append(f"<span class='date'>{esc(date_text(info['date']))}</span>")
    link = safe_url(info.get("url"))
    if link:
        parts.append(f"<a class='original' href='{esc(link)}' rel='noopener noreferrer nofollow'>original</a>")
    elif info.get("url"):
        parts.append(f"<span class='url'>{esc(info['url'])}</span>")
    return " · ".join(parts)


def locate(text: str, start, end, quote: str) -> tuple[int, int] | None:
    """Where a quote is in the document text: its stored span when that holds the quote, else its first match."""
    try:
        a, b = int(start), int(end)
    except (TypeError, ValueError):
        a = b = -1
    if 0 <= a < b <= len(text) and text[a:b] == quote:
        return a, b
    found = text.find(quote) if quote else -1
    return (found, found + len(quote)) if found >= 0 else None


def in_paragraph(text: str, start, end, quote: str) -> str:
    """The quote highlighted (``<mark>``) inside its paragraph of the document text (at most :data:`CONTEXT`
    characters of it either side); the quote alone when the text does not hold it."""
    span = locate(text or "", start, end, quote)
    if span is None:
        return f"<mark>{esc(quote)}</mark>"
    a, b = span
    head = max(text.rfind("\n\n", 0, a), text.rfind("\n#", 0, a))
    head = 0 if head < 0 else head + 1
    tail = min([i for i in (text.find("\n\n", b), text.find("\n#", b)) if i >= 0] or [len(text)])
    before, after = text[head:a].lstrip("\n"), text[b:tail]
    if len(before) > CONTEXT:
        before = "…" + before[-CONTEXT:].split(" ", 1)[-1]
    if len(after) > CONTEXT:
        after = after[:CONTEXT].rsplit(" ", 1)[0] + "…"
    return f"{esc(before)}<mark>{esc(text[a:b])}</mark>{esc(after)}"


def highlighted(text: str, claims: list[dict]) -> str:
    """The whole document text with every claim's quote marked and linked to its claim page; the first piece of
    each quote carries the anchor ``claim-SHORT``. Overlapping quotes are cut where they overlap."""
    spans = {}
    for c in claims:
        span = locate(text, c.get("start"), c.get("end"), c.get("quote") or "")
        if span:
            spans.setdefault(short_id(c["id"]), span)
    cuts = sorted({0, len(text), *(p for s in spans.values() for p in s)})
    out = []
    for a, b in zip(cuts, cuts[1:]):
        piece = esc(text[a:b])
        covering = sorted((k for k, (s, e) in spans.items() if s <= a and b <= e),
                          key=lambda k: (spans[k][1] - spans[k][0], k))  # the innermost quote first
        if not covering:
            out.append(piece)
            continue
        starting = sorted(k for k in covering if spans[k][0] == a)  # each quote's anchor where it starts
        anchor = f" id='claim-{starting[0]}'" if starting else ""
        out.append("".join(f"<span id='claim-{k}'></span>" for k in starting[1:])
                   + f"<a href='/id/claim/{covering[0]}'{anchor} title='claim {' '.join(covering)}'><mark>{piece}"
                     f"</mark></a>")
    return "".join(out)


def legend() -> str:
    items = "".join(f"<dt><span class='swatch' style='background:{timeline.COLOURS.get(s, '#777')}'></span>"
                    f"<span class='tag'>{esc(s)}</span></dt><dd>{esc(meaning)}</dd>" for s, meaning in STATUSES)
    return f"<h2 id='statuses'>What the statuses mean</h2><dl class='legend'>{items}</dl>"


def figure_timeline(rows: list[dict], ontology, *, quiet: bool = False) -> str:
    """The group's timeline (:func:`lithkg.web.timeline.render`), or a line saying why there is none (``quiet``:
    nothing)."""
    numeric = [r for r in rows if isinstance(r["value"], (int, float)) and not isinstance(r["value"], bool)]
    points = []
    kinds = {value_kind(r, ontology) for r in numeric}
    ordinal_axis = kinds == {"Ordinal"}
    for r in numeric:
        when = timeline.year_of(r["time"]) if r.get("time") else None
        if when is None:
            continue
        points.append(timeline.Point(when, float(r["value"]), timeline.short_label(r["value"], r.get("bound"),
                                                                                   ordinal_axis),
                                     r.get("status"), f"{stated(r, ontology)} ({r['time']}), {r['source']}"))
    if len({(p.when, p.value) for p in points}) < 2 and len(points) < 2:
        return "" if quiet else \
            "<p class='meta'>No timeline: fewer than two figures of this group are numbers with a time.</p>"
    unit = rows[0].get("unit_label")
    title = (rows[0].get("property_label") or "value") + (f" ({unit})" if unit else "")
    svg, _ = timeline.render(points, ordinal_axis=ordinal_axis, y_title=title)
    left_out = len(rows) - len(points)
    note = f"<p class='meta'>{left_out} figure(s) without a time or a number are not plotted.</p>" if left_out else ""
    return f"<figure>{svg}</figure>{note}"


def _order(row: dict) -> tuple:
    return (row.get("status") != "preferred", str(row.get("time") or ""), str(row.get("source") or ""), row["id"])


def dispute_page(session, ref: str) -> str:
    """The page of one claim group (``ref``: its short id, a unique prefix of it, or its IRI)."""
    try:
        group = session.resolve_group(ref)
    except UsageError as exc:
        raise NotFound(exc.format()) from None
    label, reason = listings.group_label(session, group)
    rows = sorted(listings.claims(session, group=group), key=_order)
    ontology = session.ontology
    docs = documents_info(session, {r["document"] for r in rows})
    statuses = {r["status"] for r in rows}
    values = {(r["value"], r.get("unit"), r.get("bound")) for r in rows if r["status"] not in ("no longer stated",)}
    verdict = "disputed" if "conflicting" in statuses else "changed over time" if "updated" in statuses else \
        "different figures" if len(values) > 1 else "one figure"
    head = (f"<p class='meta'><span class='tag{' disputed' if verdict == 'disputed' else ''}'>{verdict}</span> "
            f"{len(rows)} claim(s) from {len({r['source_key'] for r in rows})} source(s). "
            + (f"Preferred because: {esc(reason)}" if reason else "") + "</p>")
    items = []
    for r in rows:
        info = docs[r["document"]]
        cid = short_id(r["id"])
        star = "★ " if r.get("status") == "preferred" else ""
        when = f" <span class='meta'>for {esc(date_text(r['time']))}</span>" if r.get("time") else ""
        items.append(
            f"<article class='claim' id='claim-{esc(cid)}' data-status='{esc(r['status'])}'>"
            f"<p class='figure'>{star}<strong>{esc(stated(r, ontology))}</strong>{when}</p>"
            f"<p class='source'>{source_line(info, f'claim-{cid}')}</p>"
            f"<blockquote class='context'>{in_paragraph(info.get('text') or '', r['start'], r['end'], r['quote'])}"
            f"</blockquote><p><span class='tag'>{esc(r['status'])}</span> "
            f"<span class='reason'>{esc(r.get('status_reason'))}</span></p>"
            f"<p class='meta'>claim <a class='id' href='/id/claim/{esc(cid)}'>{esc(cid)}</a></p></article>")
    body = (f"{head}{figure_timeline(rows, ontology)}<h2>The figures and their sources</h2>{''.join(items)}"
            f"{legend()}<p class='meta'>Group <a class='id' href='/id/group/{esc(short_id(group))}'>"
            f"{esc(short_id(group))}</a> (as RDF by content negotiation).</p>")
    return page(label, f"<style>{EVIDENCE_STYLE}</style>{body}")


def _changes(session, rows: list[dict], known: dict[str, dict]) -> str:
    """What changed from one version to the next (``rows``: as :func:`lithkg.read.diff.diff` gives them; ``known``:
    claims rows by id, for their figures as stated)."""
    if not rows:
        return "<p class='meta'>No claim changed.</p>"
    ontology = session.ontology

    def figure(claim, value, label):
        return stated(known[claim], ontology) if claim in known else label or value
    items = []
    for r in rows:
        old_v = figure(r.get("old_claim"), r.get("old_value"), r.get("old_value_label"))
        new_v = figure(r.get("new_claim"), r.get("new_value"), r.get("new_value_label"))
        what = f"{esc(old_v)} → {esc(new_v)}" if r["change"] == "changed" else esc(new_v if new_v is not None else old_v)
        group = (f"<a href='/dispute/{esc(short_id(r['group']))}'>{esc(r['group_label'])}</a>" if r.get("group")
                 else esc(r.get("group_label")))
        items.append(f"<tr><td>{esc(r['change'])}</td><td>{group}</td><td>{what}</td>"
                     f"<td><q>{esc(r.get('new_quote') or r.get('old_quote'))}</q></td></tr>")
    return (f"<table class='changes'><tr><th>change</th><th>claim group</th><th>value</th><th>quote</th></tr>"
            f"{''.join(items)}</table>")


def document_page(session, ref: str) -> str:
    """The page of one document version (``ref``: its IRI, short id or a unique prefix of it; or its file name,
    source key or url, which name the source's latest version)."""
    ref = (ref or "").strip()
    if not ref:
        raise NotFound("name a document version: /source?doc=ID (see 'lithkg log')")
    found = session.match_ids("document", ref)
    if len(found) > 1:
        raise NotFound(f"'{ref}' names {len(found)} document versions: give more characters")
    try:
        doc = found[0] if found else listings.log(session, ref)[-1]["document"]
    except UsageError as exc:
        raise NotFound(exc.format()) from None
    info = document_info(session, doc)
    known = {r["id"]: r for r in listings.claims(session, source=info["key"], superseded=True)}  # every version's
    rows = sorted((r for r in known.values() if r["document"] == doc and r["status"] not in listings.SUPERSEDED),
                  key=lambda r: (int(r["start"] or 0), r["id"]))
    ontology = session.ontology
    versions = listings.log(session, info["key"])
    meta = [f"<p class='meta'>{source_line(info)}</p>",
            f"<p class='meta'>file <code>{esc(info['file'])}</code> · version {esc(info.get('version') or '?')} "
            f"of {len(versions)} · document <a class='id' href='/id/doc/{esc(short_id(doc))}'>"
            f"{esc(short_id(doc))}</a></p>"]
    claims = "".join(
        f"<tr><td><a href='#claim-{esc(short_id(r['id']))}'>{esc(r['subject_label'])} / {esc(r['property_label'])}"
        f"</a></td><td><a href='/dispute/{esc(short_id(r['group']))}'>{esc(stated(r, ontology))}</a></td>"
        f"<td>{esc(r['status'])}</td><td><a class='id' href='/id/claim/{esc(short_id(r['id']))}'>"
        f"{esc(short_id(r['id']))}</a></td></tr>" for r in rows)
    version_rows = "".join(
        f"<tr><td>{esc(v.get('version'))}</td><td>"
        + (f"<strong>{esc(v.get('title') or v['file'])}</strong>" if v["document"] == doc else
           f"<a href='/source?doc={esc(short_id(v['document']))}'>{esc(v.get('title') or v['file'])}</a>")
        + f"</td><td>{esc(date_text(v['source_date']) if v.get('source_date') else '')}</td>"
          f"<td>{esc(v.get('claims'))}</td></tr>" for v in versions)
    steps = list(zip(versions, versions[1:]))
    changed = diffs.changes(session, [(before["document"], after["document"]) for before, after in steps])
    changes = []
    for (before, after), rows_changed in zip(steps, changed):
        opened = " open" if doc in (before["document"], after["document"]) else ""
        changes.append(f"<details{opened}><summary>version {esc(before.get('version'))} → "
                       f"{esc(after.get('version'))}</summary>{_changes(session, rows_changed, known)}</details>")
    body = ("".join(meta)
            + f"<h2>The text</h2><p class='meta'>{len(rows)} claim(s); every quote is marked and links to its "
              f"claim.</p><div class='doctext'>{highlighted(info.get('text') or '', rows)}</div>"
            + f"<h2>Its claims</h2><table><tr><th>claim</th><th>figure (its dispute page)</th><th>status</th>"
              f"<th>id</th></tr>{claims}</table>"
            + f"<h2>Versions of this source</h2><table><tr><th>version</th><th>title</th><th>date</th>"
              f"<th>claims</th></tr>{version_rows}</table>"
            + ("<h2>What changed between versions</h2>" + "".join(changes) if changes else ""))
    return page(info["title"], f"<style>{EVIDENCE_STYLE}</style>{body}")
