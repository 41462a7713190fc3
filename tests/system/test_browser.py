"""The pages in a real headless browser: Debian's Chromium, driven by Playwright (no browser download)."""
import os
import shutil
from pathlib import Path

import pytest

from helpers import server  # noqa: F401  (the running endpoint)

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]
SHOTS = Path(os.environ.get("LITHKG_SCREENSHOTS", "/tmp/lithkg-screenshots"))

playwright_api = pytest.importorskip("playwright.sync_api")


@pytest.fixture(scope="module")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.fail("Chromium is not installed: .ci/run installs Debian's chromium package")
    with playwright_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield b
        b.close()


def test_click_through_a_dispute(server, browser):  # noqa: F811
    SHOTS.mkdir(parents=True, exist_ok=True)
    page = browser.new_page()
    page.goto(server + "/")
    section = page.locator("section.group", has_text="National Cyber Security Index").first
    assert "★ 5" in section.inner_text()
    assert section.locator("svg circle").count() >= 3
    page.screenshot(path=str(SHOTS / "disputes.png"), full_page=True)
    section.locator("a.doc", has_text="Lithuania in brief").first.click()  # a source, cited by its title
    page.wait_for_load_state()
    assert page.inner_text("h1") == "Lithuania in brief: international cooperation"
    assert page.locator("table tr").count() > 5
    page.screenshot(path=str(SHOTS / "source.png"), full_page=True)
    page.goto(server + "/")
    page.fill("form.filters input[name=q]", "baltic way")
    page.click("#filter")
    page.wait_for_load_state()
    assert page.locator("section.group").count() == 2  # participants (disputed) and length (different figures)


def test_two_clicks_from_the_disputes_page_to_the_highlighted_sentence(server, browser):  # noqa: F811
    SHOTS.mkdir(parents=True, exist_ok=True)
    page = browser.new_page()
    page.goto(server + "/")
    page.click("h2 a.dispute:text-is('Baltic Way / participants')")
    page.wait_for_load_state()
    assert page.url.startswith(server + "/dispute/") and page.inner_text("h1") == "Baltic Way / participants"
    assert page.inner_text("article.claim .figure").startswith("★ more than 1,000,000 people")
    # the timeline's labels, as the browser draws them, never overlap
    boxes = page.eval_on_selector_all("svg.timeline text", "ts => ts.map(t => { const b = t.getBoundingClientRect();"
                                                           " return [b.left, b.top, b.right, b.bottom]; })")
    assert len(boxes) >= 8
    for i, a in enumerate(boxes):
        for b in boxes[i + 1:]:
            assert a[2] <= b[0] or b[2] <= a[0] or a[3] <= b[1] or b[3] <= a[1], (a, b)
    page.screenshot(path=str(SHOTS / "dispute.png"), full_page=True)
    source = page.locator("article.claim", has_text="about 2,000,000 people").locator("a.doc")
    assert source.inner_text() == "Thousands join hands from Vilnius to Medininkai"
    source.click()
    page.wait_for_load_state()
    claim = page.url.split("#claim-", 1)[1]
    assert page.url.startswith(server + "/source?doc=") and len(claim) == 20
    quote = "The Baltic Way of 1989 drew about two million people"  # marked in pieces: "1989" is a quote too
    anchored = page.locator(f"#claim-{claim}")
    assert anchored.evaluate("(a, n) => { let t = '', e = a; while (e && t.length < n) { t += e.textContent; "
                             "e = e.nextSibling; } return t; }", len(quote)) == quote
    mark = anchored.locator("mark")
    assert mark.evaluate("m => getComputedStyle(m).outlineStyle") == "solid"  # the sentence linked to, outlined
    assert mark.is_visible() and mark.bounding_box()["y"] < page.viewport_size["height"]
    page.screenshot(path=str(SHOTS / "source-quote.png"))


def test_query_editor_runs_a_named_query(server, browser):  # noqa: F811
    page = browser.new_page()
    page.goto(server + "/query")
    page.click("a:text-is('preferred')")
    page.wait_for_selector("#count")  # a named query without parameters runs at once
    assert "lkg:preferredClaim" in page.text_content("#text")
    assert int(page.inner_text("#count").split()[0]) >= 40
    assert page.locator("#results tr").count() >= 41
    assert page.get_attribute("#csv", "href").startswith("/queries/preferred?")
    page.screenshot(path=str(SHOTS / "query.png"), full_page=True)


def test_analyses_page_shows_the_agreement_matrix(server, browser):  # noqa: F811
    page = browser.new_page()
    page.goto(server + "/")
    page.click("nav a:text-is('Analyses')")
    page.wait_for_load_state()
    assert page.inner_text("h1") == "Analyses"
    assert page.locator("#agreement td.pair").count() == 10  # 5 agreeing or conflicting pairs, both ways
    assert "✓8 ✗1" in page.inner_text("#agreement")  # the cyber-index news and the official page
    assert page.locator("#disputes tr").nth(1).inner_text().startswith("Baltic Way / participants")
    page.click("#entities a:text-is('Lithuania')")
    page.wait_for_load_state()
    assert "National Cyber Security Index" in page.locator("section.group").first.inner_text()
    page.goto(server + "/analyses")
    page.screenshot(path=str(SHOTS / "analyses.png"), full_page=True)
