"""The query page of ``kg serve`` in a real browser (Debian's chromium driven by Playwright)."""
from __future__ import annotations

import os

import pytest

from kg.serve import SparqlServer

CHROMIUM = "/usr/bin/chromium"
if not os.access(CHROMIUM, os.X_OK):
    pytest.skip(f"{CHROMIUM} is not installed (tools/setup-browser.sh installs Debian's chromium)",
                allow_module_level=True)
sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed (pip install -e '.[test]')")


@pytest.fixture(scope="module")
def page(tmp_path_factory):
    path = tmp_path_factory.mktemp("page") / "g.nt"
    path.write_text("<http://example.org/a> <http://example.org/p> <javascript:alert(document.domain)> .\n"
                    "<http://example.org/a> <http://example.org/p> <JavaScript:alert(1)> .\n"
                    "<http://example.org/a> <http://example.org/p> <data:text/html,hi> .\n"
                    "<http://example.org/a> <http://example.org/p> <https://example.org/b> .\n")
    with SparqlServer(path, port=0, workers=1) as s, sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--headless", "--no-sandbox", "--disable-gpu"])
        pg = browser.new_page()
        pg.goto(s.url + "/")
        yield pg
        browser.close()


def test_serve_page_links_only_web_iris(page):
    page.fill("#q", "SELECT ?o WHERE { ?s <http://example.org/p> ?o } ORDER BY ?o")
    page.click("button[type=submit]")
    page.wait_for_selector("#out table")
    cells = page.eval_on_selector_all("#out td", "tds => tds.map(td => [td.textContent, td.querySelector('a')?.href ?? null])")
    assert sorted(cells) == sorted([["javascript:alert(document.domain)", None], ["JavaScript:alert(1)", None],
                                    ["data:text/html,hi", None], ["https://example.org/b", "https://example.org/b"]])


def test_serve_page_offers_the_named_queries(page):
    from kg.query import named_queries
    names = page.eval_on_selector_all("#named option", "os => os.map(o => o.value).filter(Boolean)")
    assert names == list(named_queries())
    page.select_option("#named", names[0])
    assert page.input_value("#q") == named_queries()[names[0]].text
