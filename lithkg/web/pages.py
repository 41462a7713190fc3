"""The HTML pages of ``lithkg serve``: plain server-rendered HTML with a little JavaScript, no CDN.

* ``/``: the disputes first (claim groups with more than one value: the values side by side with source, date and
  quote, the preferred one marked and the reason given, and a small timeline of each group's values), with a search
  box over entities and properties;
* ``/dispute/GROUP``, ``/source?doc=IRI``: a claim group's and a document's evidence pages (:mod:`lithkg.web.evidence`);
  each group heading here links to its dispute page;
* ``/analyses``: the source agreement matrix, clusters of sources, the ranked disputes and the central entities;
* ``/query``, ``/search``, the filters of ``/`` and the claim and entity pages: :mod:`lithkg.web.querypage` and
  :mod:`lithkg.web.browse`;
* ``/id/...``: any claim, group, entity or document IRI, described (HTML here; RDF by content negotiation); a claim,
  group or document also by a unique prefix of its short id (``/id/claim/59e57e``). The disputes page links each
  group's and each claim's short id to its page.
"""
from __future__ import annotations

import html
import urllib.parse

from ..read.tabular import fold_by_source
from ..session import short_id

STYLE = """
body{font-family:system-ui,sans-serif;margin:1.5rem auto;max-width:70rem;color:#222;padding:0 1rem}
h1{font-size:1.4rem} h2{font-size:1.1rem;margin-top:1.6rem} table{border-collapse:collapse;width:100%;margin:.4rem 0}
td,th{border-bottom:1px solid #ddd;padding:.3rem .5rem;text-align:left;vertical-align:top;font-size:.9rem}
tr.preferred{background:#eef7ee} .reason{color:#555;font-size:.85rem} .tag{font-size:.75rem;padding:.1rem .4rem;
border-radius:.3rem;background:#eee} .disputed{background:#fbe3e3} nav a{margin-right:1rem} q{font-style:italic}
textarea{width:100%;height:10rem;font-family:monospace} svg{background:#fafafa;border:1px solid #eee}
a.id{font-family:monospace;font-size:.75rem;color:#666}
"""


def esc(value) -> str:
    return html.escape("" if value is None else str(value))


def page(title: str, body: str) -> str:
    return (f"<!doctype html><html lang='en'><head><meta charset='utf-8'><title>{esc(title)} · lithkg</title>"
            f"<style>{STYLE}</style></head><body><nav><a href='/'>Disputes</a><a href='/analyses'>Analyses</a><a href='/query'>Query</a><a href='/search'>Search</a></nav>"
            f"<h1>{esc(title)}</h1>{body}</body></html>")


def id_link(kind: str, iri: str, text: str | None = None) -> str:
    """A claim's, group's or document's page by its short id (``/id/claim/HASH``), named by ``text`` or, in the
    ids' small type, by the short id."""
    short = short_id(iri)
    cls = " class='id'" if text is None else ""
    return f"<a{cls} href='/id/{esc(kind)}/{esc(short)}' title='{esc(iri)}'>{esc(text or short)}</a>"


def disputes_page(rows: list[dict], q: str = "", controls: str | None = None, *, shown=None, cite=None,
                  draw=None, footer: str = "") -> str:
    """The disputes; ``controls`` (the filters, paging and downloads of :mod:`lithkg.web.browse`, which has picked
    ``rows``) replace the plain heading filter ``q``. ``shown``, ``cite`` and ``draw`` say how a figure reads, how
    its source is cited and how a group's timeline is drawn (default: the value and unit, the file name, none);
    ``footer`` closes the page."""
    shown = shown or (lambda m: f"{m.get('value_label') or m['value']} {m.get('unit_label') or ''}".strip())
    cite = cite or (lambda m: f"<a href='/source?doc={urllib.parse.quote(m.get('document') or '', safe='')}'>"
                              f"{esc(m['source'])}</a><br><span class='reason'>{esc(m['source_date'])}</span>")
    groups: dict[str, list[dict]] = {}
    for r in rows:
        groups.setdefault(r["group"], []).append(r)
    if q:
        groups = {g: ms for g, ms in groups.items() if q.casefold() in (ms[0]["group_label"] or "").casefold()}
    parts = [controls] if controls is not None else [
        f"<form method='get' action='/'><input name='q' value='{esc(q)}' placeholder='entity or property'"
        f" aria-label='search'> <button>Search</button></form>",
        f"<p>{len(groups)} claim group(s) with more than one value.</p>"]
    for g, members in groups.items():
        head = members[0]
        verdict = head.get("verdict") or ("disputed" if head["disputed"] else "changed over time")
        items = []
        for m in fold_by_source(members):
            cls = "preferred" if m.get("relation") == "preferred" else ""
            mark = "★ " if m.get("relation") == "preferred" else ""
            items.append(
                f"<tr class='{cls}'><td>{mark}{esc(shown(m))}</td><td>{esc(m['time'])}</td><td>{cite(m)}</td>"
                f"<td><q>{esc(m['quote'])}</q></td>"
                f"<td><span class='tag'>{esc(m['status'])}</span><div class='reason'>{esc(m['reason'])}</div>"
                + "".join(dict.fromkeys(f"<div class='reason'>conflicts with {esc(c['value'])} in {esc(c['source'])}: "
                          f"{esc(c['reason'])}</div>" for c in (m["conflicts_with"] if cls else [])))
                + f"{id_link('claim', m['claim'])}</td></tr>")
        parts.append(f"<section class='group' data-group='{esc(g)}'><h2><a class='dispute' href='/dispute/"
                     f"{esc(short_id(g))}'>{esc(head['group_label'])}</a> "
                     f"<span class='tag {'disputed' if head['disputed'] else ''}'>{verdict}</span> "
                     f"{id_link('group', g)}</h2>"
                     f"{draw(members) if draw else ''}<table><tr><th>value</th><th>time</th><th>source</th><th>quote</th>"
                     f"<th>status and reason</th></tr>{''.join(items)}</table></section>")
    return page("Disputes", "".join(parts) + footer)




def analyses_page(names: list[str], labels: dict[str, str], matrix: list[list[tuple[int, int] | None]],
                  standalone: list[str], clusters: list[list[str]], disputes: list[dict], entities: list[dict]) -> str:
    """The analyses: who agrees with whom (corroborated / conflicting groups per pair of sources), the ranked
    disputes and the entities the corpus is most about."""
    short = {n: f"S{i + 1}" for i, n in enumerate(names)}
    head = "".join(f"<th title='{esc(labels[n])}'>{short[n]}</th>" for n in names)
    body = []
    for n, row in zip(names, matrix):
        cells = []
        for cell in row:
            if cell is None:
                cells.append("<td class='none'>·</td>")
                continue
            agree, conflict = cell
            share = agree / (agree + conflict) if agree + conflict else 0
            colour = f"hsl({int(120 * share)},60%,88%)"
            cells.append(f"<td class='pair' style='background:{colour}' title='{agree} group(s) agree, {conflict} "
                         f"conflict'>✓{agree} ✗{conflict}</td>")
        body.append(f"<tr><th>{short[n]}</th><td>{esc(labels[n])}</td>{''.join(cells)}</tr>")
    matrix_html = (f"<table id='agreement'><tr><th></th><th>source</th>{head}</tr>{''.join(body)}</table>"
                   "<p class='reason'>Each cell counts the claim groups in which two sources corroborate each other "
                   "(✓) and conflict (✗); a change over time is not a disagreement.</p>")
    alone = ", ".join(esc(labels[n]) for n in standalone) or "none"
    cluster_html = "".join(f"<li>{', '.join(esc(labels[n]) for n in c)}</li>" for c in clusters) or "<li>none</li>"
    dispute_rows = "".join(f"<tr><td>{esc(d['dispute'])}</td><td>{d['sources']}</td><td>{esc(d['values'])}</td>"
                           f"<td>{d['spread']:g}</td></tr>" for d in disputes)
    entity_rows = "".join(f"<tr><td><a href='/?q={urllib.parse.quote(e['label'])}'>{esc(e['label'])}</a></td>"
                          f"<td>{e['links']}</td><td>{e['strength']}</td><td>{e['betweenness']:g}</td></tr>"
                          for e in entities)
    return page("Analyses", f"<h2>Source agreement</h2>{matrix_html}"
                f"<p>Stand alone (corroborate no other source): {alone}</p>"
                f"<p>Clusters (sources that agree more than they conflict):</p><ul id='clusters'>{cluster_html}</ul>"
                f"<h2>Disputes, most sources first</h2><table id='disputes'><tr><th>dispute</th><th>sources</th>"
                f"<th>values</th><th>spread</th></tr>{dispute_rows}</table>"
                f"<h2>What the corpus is about</h2><table id='entities'><tr><th>entity</th><th>linked entities</th>"
                f"<th>claims on the links</th><th>betweenness</th></tr>{entity_rows}</table>")


def describe_page(iri: str, triples: list[tuple[str, str, str]], base: str) -> str:
    """What the store says of one data IRI; IRIs under ``base`` link to their own page here."""
    rows = "".join(f"<tr><td>{_link(p, base)}</td><td>{_link(o, base)}</td></tr>" for s, p, o in triples if s == iri)
    incoming = "".join(f"<tr><td>{_link(s, base)}</td><td>{_link(p, base)}</td></tr>"
                       for s, p, o in triples if o == iri)
    return page(iri.rsplit("/", 2)[-2] + " " + iri.rsplit("/", 1)[-1],
                f"<p><code>{esc(iri)}</code></p><table>{rows}</table>"
                + (f"<h2>Pointing here</h2><table>{incoming}</table>" if incoming else ""))


def _link(value: str, base: str) -> str:
    if value.startswith(base):
        local = "/id/" + value[len(base):]
        return f"<a href='{esc(local.replace('#', '%23'))}'>{esc(value)}</a>"
    return esc(value)
