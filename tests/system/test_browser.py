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
    section.locator("a", has_text="official-page-2022.md").first.click()
    page.wait_for_load_state()
    assert "What graph/sources/official-page-2022.md claims" in page.inner_text("h1")
    assert page.locator("table tr").count() > 5
    page.screenshot(path=str(SHOTS / "source.png"), full_page=True)
    page.goto(server + "/")
    page.fill("form.filters input[name=q]", "baltic way")
    page.click("#filter")
    page.wait_for_load_state()
    assert page.locator("section.group").count() == 2  # participants (disputed) and length (different figures)


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
