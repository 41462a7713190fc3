"""The evidence pages (dispute, document) of a real ``lithkg serve`` process, spoken to with httpx: on a copy of the
bundled store, and on a store holding a document whose title, text, quote and url carry script."""
import html.parser
import re

import httpx
import pytest

from conftest import DEFAULTS, ROOT, write
from helpers import free_port, serving, server  # noqa: F401  (server: the fixture)
from lithkg.kg import KnowledgeGraph
from lithkg.web.evidence import STATUSES


def dispute_links(page: str) -> dict[str, str]:
    """The disputes page's group headings: label -> the dispute page they link to."""
    return {label: href for href, label in re.findall(r"<h2><a class='dispute' href='(/dispute/[0-9a-f]{20})'>"
                                                      r"([^<]+)</a>", page)}


def test_every_group_heading_links_to_its_dispute_page(server):  # noqa: F811
    links = dispute_links(httpx.get(server + "/").text)
    assert set(links) == {"Baltic Way / participants", "Baltic Way / length",
                          "Lithuania / rank / index: National Cyber Security Index"}
    for label, href in links.items():
        r = httpx.get(server + href)
        assert r.status_code == 200 and f"<h1>{label}</h1>" in r.text


def test_a_dispute_page_shows_the_figures_as_stated_with_their_sources(server):  # noqa: F811
    page = httpx.get(server + dispute_links(httpx.get(server + "/").text)["Baltic Way / participants"]).text
    figures = re.findall(r"<p class='figure'>(★ )?<strong>([^<]+)</strong>", page)
    assert figures[0] == ("★ ", "more than 1,000,000 people")  # the preferred figure first
    assert sorted(figures[1:]) == [("", "about 1,000,000 people"), ("", "about 2,000,000 people"),
                                   ("", "more than 1,000,000 people")]
    # each source: title (to the document page, at the quote), site, date, a link to the original address
    assert ("<a class='doc' href='/source?doc=95b07a6e1d33e2fc1029#claim-" in page and
            ">Lithuania in brief: international cooperation</a> · <span class='site'>official.example</span> · "
            "<span class='date'>16 May 2022</span> · <a class='original' href='https://official.example/lithuania/"
            "facts' rel='noopener noreferrer nofollow'>original</a>" in page)
    # the quote marked inside its paragraph of the document text
    assert ("<blockquote class='context'>We have always struggled peacefully. During the Baltic Way of 1989, "
            "<mark>over a million people held hands from Vilnius to Tallinn</mark> to show" in page)
    # the status with its reason, the legend of every status, the timeline's axes
    assert "<span class='tag'>corroborated</span> <span class='reason'>same value (more than 1,000,000), as the " \
           "preferred claim" in page
    assert re.search(r"Preferred because: [^<]+", page)
    for status, _ in STATUSES:
        assert f"<span class='tag'>{status}</span></dt>" in page
    svg = page[page.index("<svg class='timeline'"):page.index("</svg>")]
    assert "valid time (year)" in svg and ">participants</text>" in svg
    assert re.findall(r"text-anchor='end'>([^<]+)</text>", svg)[-1] == "2 million"
    assert re.findall(r"text-anchor='middle'>(\d{4})</text>", svg) == ["1989", "1990"]


def test_the_dispute_page_of_ranks_reads_ordinals(server):  # noqa: F811
    page = httpx.get(server + dispute_links(httpx.get(server + "/").text)[
        "Lithuania / rank / index: National Cyber Security Index"]).text
    for figure in ("57th", "4th", "5th", "6th"):
        assert f"<strong>{figure} in the National Cyber Security Index</strong>" in page
    assert "<span class='tag disputed'>disputed</span>" in page
    assert ">1st</text>" in page  # the ordinal axis


def test_dispute_ids_prefixes_and_unknown_groups(server):  # noqa: F811
    href = dispute_links(httpx.get(server + "/").text)["Baltic Way / length"]
    short = href.rsplit("/", 1)[1]
    assert httpx.get(server + "/dispute/" + short[:6]).text == httpx.get(server + href).text
    r = httpx.get(server + "/dispute/c0ffee")
    assert r.status_code == 404 and "<p>no group &#x27;c0ffee&#x27; in the store" in r.text
    assert httpx.get(server + "/dispute/ab").status_code == 404
    # the group's /id/ page: people go to the dispute page, RDF clients get RDF
    r = httpx.get(server + "/id/group/" + short, headers={"Accept": "text/html"})
    assert r.status_code == 303 and r.headers["location"] == "/dispute/" + short
    r = httpx.get(server + "/id/group/" + short, headers={"Accept": "text/turtle"})
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/turtle") and "lkg:ClaimGroup" in r.text


def test_a_document_page_shows_its_text_with_every_quote_marked_and_its_versions(server):  # noqa: F811
    page = httpx.get(server + "/source", params={"doc": "95b07a"}).text
    assert "<h1>Lithuania in brief: international cooperation</h1>" in page
    assert "href='https://official.example/lithuania/facts' rel='noopener noreferrer nofollow'>original</a>" in page
    assert "<span class='date'>16 May 2022</span>" in page and "version 2 of 2" in page
    anchors = re.findall(r"id='claim-([0-9a-f]{20})'", page)
    rows = re.findall(r"<tr><td><a href='#claim-([0-9a-f]{20})'>", page)
    assert len(rows) == 33 and sorted(anchors) == sorted(rows)  # every claim's quote marked and anchored, once
    assert ("Today <a href='/id/claim/59e57e3584003633e068' id='claim-59e57e3584003633e068' title='claim "
            "59e57e3584003633e068'><mark>we hold 6th place worldwide in the National Cyber Security Index</mark></a>"
            in page)
    assert ">6th in the National Cyber Security Index</a></td><td>conflicting</td>" in page
    # the source's versions, and what changed between them, figures as stated
    assert "<a href='/source?doc=c3e9b1b41915fcc4f3bd'>Lithuania in brief: international cooperation</a>" in page
    assert ("<td>4th in the National Cyber Security Index → 6th in the National Cyber Security Index</td>" in page)
    assert page.count("<details open>") == 1
    # the same page at the document's /id/ address for people; RDF for clients
    assert httpx.get(server + "/id/doc/95b07a6e1d33e2fc1029").text == page
    r = httpx.get(server + "/id/doc/95b07a6e1d33e2fc1029", headers={"Accept": "application/n-triples"})
    assert r.status_code == 200 and "<https://w3id.org/lithkg/ns#fileName>" in r.text
    # a file name names the source's latest version
    assert httpx.get(server + "/source", params={"doc": "graph/sources/official-page-2022.md"}).text == page
    r = httpx.get(server + "/source", params={"doc": "https://nowhere.example/"})
    assert r.status_code == 404 and "no source &#x27;https://nowhere.example/&#x27; in the store" in r.text


# ------------------------------------------------------------------------------ text from documents is escaped
HOSTILE = """---
title: "<script>alert('title')</script> GIPL news"
url: "javascript:alert('url')"
published: 2022-06-01
---
# News <img src=x onerror=alert('heading')>

The GIPL pipeline is 600 km long <script>alert('text')</script> and it opened in May.
"""
HOSTILE_CLAIMS = """document: evil.md
claims:
  - subject: GIPL
    property: length
    value: 600
    unit: km
    quote: "The GIPL pipeline is 600 km long <script>alert('text')</script>"
"""


class Elements(html.parser.HTMLParser):
    """Every element of a page with its attributes."""

    def __init__(self):
        super().__init__()
        self.found: list[tuple[str, dict]] = []

    def handle_starttag(self, tag, attrs):
        self.found.append((tag, dict(attrs)))


@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    folder = tmp_path_factory.mktemp("hostile")
    write(folder / "docs" / "evil.md", HOSTILE)
    write(folder / "docs" / "evil.yaml", HOSTILE_CLAIMS)
    with KnowledgeGraph(folder / "store", settings=DEFAULTS) as graph:
        graph.ingest([ROOT / "graph/sources/gipl-report-2022.txt", ROOT / "graph/claims/gipl-report-2022.yaml"],
                     relative_to=ROOT)
        graph.ingest([folder / "docs"], relative_to=folder)
        doc = next(r["document"] for r in graph.claims() if r["source"] == "docs/evil.md")
        group = next(r["group"] for r in graph.claims() if r["source"] == "docs/evil.md" and r["value"] == 600)
    with serving(folder / "store", free_port()) as url:
        yield url, doc.rsplit("/", 1)[1], group.rsplit("/", 1)[1]


def test_no_page_runs_script_from_a_document(hostile):
    url, doc, group = hostile
    pages = {path: httpx.get(url + path).text for path in ("/", f"/dispute/{group}", f"/source?doc={doc}",
                                                           f"/id/doc/{doc}")}
    for path, page in pages.items():
        parser = Elements()
        parser.feed(page)
        tags = [t for t, _ in parser.found]
        assert "script" not in tags and "img" not in tags, path
        for tag, attrs in parser.found:
            assert not [k for k in attrs if k.startswith("on")], (path, tag, attrs)
            for key in ("href", "src", "action"):
                assert not (attrs.get(key) or "").strip().lower().startswith("javascript:"), (path, tag, attrs)
    dispute, document = pages[f"/dispute/{group}"], pages[f"/source?doc={doc}"]
    assert "&lt;script&gt;alert(&#x27;title&#x27;)&lt;/script&gt; GIPL news</a>" in dispute
    assert "<mark>The GIPL pipeline is 600 km long &lt;script&gt;alert(&#x27;text&#x27;)&lt;/script&gt;</mark>" in dispute
    assert "<span class='url'>javascript:alert(&#x27;url&#x27;)</span>" in dispute  # shown, never a link
    assert "<h1>&lt;script&gt;alert(&#x27;title&#x27;)&lt;/script&gt; GIPL news</h1>" in document
    assert "# News &lt;img src=x onerror=alert(&#x27;heading&#x27;)&gt;" in document


def test_the_legend_names_every_status_of_the_architecture_notes():
    text = (ROOT / "docs" / "architecture.md").read_text(encoding="utf-8")
    table = text[text.index("## Statuses"):].split("\n\n")[2]
    assert [s for s, _ in STATUSES] == re.findall(r"^\| `([a-z ]+)` \|", table, re.M)
