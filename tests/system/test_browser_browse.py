"""The browsing pages in a real headless browser (Debian's Chromium through Playwright, as tests/system/test_browser.py):
a search over all claims to a claim's page and its entity, and a parameterised named query run through its input
fields. Screenshots are kept in LITHKG_SCREENSHOTS (default /tmp/lithkg-screenshots)."""
import pytest

from helpers import server  # noqa: F401  (the running endpoint)
from test_browser import SHOTS, browser  # noqa: F401  (the browser fixture)

pytest.importorskip("playwright.sync_api")


def test_search_to_a_claim_and_its_entity(server, browser):  # noqa: F811
    SHOTS.mkdir(parents=True, exist_ok=True)
    page = browser.new_page()
    page.goto(server + "/")
    page.fill("form[role=search] input[name=q]", "GIPL length located")
    page.click("#search")
    page.wait_for_load_state()
    assert page.inner_text("#found") == "4 claim(s) in 2 group(s) match GIPL length located."
    assert page.locator("#results mark").count() >= 4
    page.screenshot(path=str(SHOTS / "search.png"), full_page=True)
    page.locator("#results a", has_text="165 km").first.click()
    page.wait_for_load_state()
    assert page.inner_text("h1") == "Gas Interconnection Poland–Lithuania · length: 165 km in Lithuania"
    assert "located in: Lithuania" in page.inner_text("dl.claim")
    assert page.inner_text("#quote") in ("165 km runs across Lithuania", "165 km lies in Lithuania")
    page.screenshot(path=str(SHOTS / "claim.png"), full_page=True)
    page.click("dl.claim a:text-is('Gas Interconnection Poland–Lithuania')")
    page.wait_for_load_state()
    assert page.inner_text("h1") == "Gas Interconnection Poland–Lithuania"
    assert page.locator("section.property h2", has_text="length").count() == 1
    page.screenshot(path=str(SHOTS / "entity.png"), full_page=True)


def test_a_named_query_through_its_input_fields(server, browser):  # noqa: F811
    page = browser.new_page(viewport={"width": 900, "height": 700})
    page.goto(server + "/query")
    page.click("a:text-is('history')")
    page.wait_for_load_state()
    assert page.locator("#results").count() == 0  # it needs its parameters first
    page.fill("input[name=subject]", "Lithuania")
    page.fill("input[name=property]", "rank")
    page.click("#run")
    page.wait_for_selector("#count")
    assert page.inner_text("#count") == "6 row(s)"
    scroll = page.locator("div.scroll").first
    assert scroll.evaluate("e => e.scrollWidth > e.clientWidth")  # the wide table scrolls inside its box
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")  # the page does not
    page.screenshot(path=str(SHOTS / "query-history.png"), full_page=True)
    shared = page.get_attribute("#share", "href")
    assert shared == "/query?name=history&subject=Lithuania&property=rank"
    page.locator("#results a", has_text="lke:lithuania").first.click()
    page.wait_for_load_state()
    assert page.inner_text("h1") == "Lithuania"
    page.goto(server + shared)
    assert page.inner_text("#count") == "6 row(s)" and page.input_value("input[name=subject]") == "Lithuania"
