"""The explorer in a real browser: Debian's chromium driven by Playwright.

Skipped, with the reason, only when chromium is not installed (tools/setup-browser.sh
installs it; CI runs that first). Playwright's own browser downloads are never used.
"""
from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from kg.analysis import load_triples
from kg.viz import write_html

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--no-first-run"]
LOCAL = ("file:", "data:", "about:")

if not os.access(CHROMIUM, os.X_OK):
    pytest.skip(f"{CHROMIUM} is not installed (tools/setup-browser.sh installs Debian's chromium)",
                allow_module_level=True)
sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed (pip install -e '.[test]')")


@pytest.fixture(scope="module")
def browser():
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield b
        b.close()


class Page:
    """A page of the explorer with everything it logs and every request it tries."""

    def __init__(self, browser, path: Path):
        self.errors: list[str] = []
        self.requests: list[str] = []
        self.page = browser.new_page(viewport={"width": 1400, "height": 900})
        self.page.on("console", lambda m: m.type in ("error", "warning") and self.errors.append(f"{m.type}: {m.text}"))
        self.page.on("pageerror", lambda e: self.errors.append(f"pageerror: {e}"))
        self.page.route("**/*", self._route)
        self.page.goto(path.as_uri())
        self.page.wait_for_function("window.kgExplorer !== undefined")

    def _route(self, route):
        url = route.request.url
        if url.startswith(LOCAL):
            route.continue_()
        else:
            self.requests.append(url)
            route.abort()

    def js(self, expr: str):
        return self.page.evaluate(expr)


@pytest.fixture
def page(browser, hostile_kg, tmp_path):
    out = write_html(load_triples(hostile_kg), tmp_path / "graph.html")
    p = Page(browser, out)
    yield p
    p.page.close()


def test_browser_page_loads_without_errors_or_requests(page):
    page.page.wait_for_timeout(300)
    assert page.errors == []
    assert page.requests == []
    assert page.js("window.kgExplorer.nodes.length") == 26


def test_browser_search_focuses_the_node(page):
    page.page.fill("#search", "文新派出所")                 # an altLabel
    page.page.click("#search-form button")
    sel = page.js("window.kgExplorer.state.selected")
    assert page.js(f"window.kgExplorer.network.getSelectedNodes()") == [sel]
    assert page.page.inner_text("#panel h2") == "杭州市公安局西湖区分局文新派出所"
    # the view is centred on it
    pos = page.js(f"window.kgExplorer.network.getViewPosition()")
    node = page.js(f"window.kgExplorer.network.getPosition({sel})")
    assert abs(pos["x"] - node["x"]) < 1 and abs(pos["y"] - node["y"]) < 1
    page.page.fill("#search", "没有这个名字")
    page.page.click("#search-form button")
    assert page.page.inner_text("#search-status") == "Not found"


def test_browser_type_filter_hides_that_type(page):
    visible = "window.kgExplorer.nodes.get({filter: n => !n.hidden}).length"
    assert page.js(visible) == 26
    page.page.uncheck("input[name='type-Place']")
    assert page.js(visible) == 26 - 7
    hidden = page.js("window.kgExplorer.nodes.get({filter: n => n.hidden}).map(n => n.id)")
    kinds = page.js("JSON.parse(document.getElementById('kg-data').textContent).nodes.filter(n => n.kind === 'Place').map(n => n.id)")
    assert sorted(hidden) == sorted(kinds)
    page.page.check("input[name='type-Place']")
    assert page.js(visible) == 26


def test_browser_crime_filter_hides_those_cases_and_their_only_actors(page):
    page.page.uncheck("input[name='crime-盗窃']")
    hidden = page.js("window.kgExplorer.nodes.get({filter: n => n.hidden}).map(n => n.label)")
    # the two theft cases, and their victims, who are tied to no other case
    assert sorted(hidden) == sorted(["周先生 盗窃案", "周先生", "</script><scrip…", "<script>window.…"])


def test_browser_hostile_text_stays_text(page, tmp_path):
    for name in ("<script>window.__pwned=1</script>恶意", "</script><script>window.__pwned=3</script>"):
        page.page.fill("#search", name)
        page.page.click("#search-form button")
        assert page.page.inner_text("#panel h2") == name
    panel = page.page.inner_text("#panel")
    assert "</script><img src=x onerror=window.__pwned=5>" in panel       # the sentence, shown as text
    assert "javascript:window.__pwned=4//.txt" in panel                   # the article name, not a link
    assert page.js("document.querySelectorAll('#panel img, #panel script, #panel a').length") == 0
    page.page.hover("#graph", position={"x": 400, "y": 300})
    page.page.click("#physics")
    page.page.wait_for_timeout(300)
    assert page.js("window.__pwned") is None
    assert page.errors == [] and page.requests == []


def test_browser_physics_toggles_and_neighbourhood_fades(page):
    page.page.click("#physics")
    assert page.page.inner_text("#physics") == "Physics: on"
    page.page.click("#physics")
    assert page.page.inner_text("#physics") == "Physics: off"
    page.page.fill("#search", "张某")
    page.page.click("#search-form button")
    faded = page.js("window.kgExplorer.nodes.get({filter: n => n.opacity === 0.15}).length")
    assert faded == 26 - 5                   # 张某 and its four neighbours stay


def test_browser_screenshot(page, tmp_path):
    page.page.fill("#search", "张某")
    page.page.click("#search-form button")
    shot = tmp_path / "explorer.png"
    page.page.screenshot(path=str(shot))
    assert shot.stat().st_size > 10_000
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_browser_harness_notices_a_request(browser, tmp_path):
    """The request check can fail: a page that asks for a remote image is caught (and the
    request is aborted before it leaves the browser)."""
    path = tmp_path / "leaky.html"
    path.write_text('<!DOCTYPE html><img src="http://example.invalid/x.png"><script>window.kgExplorer = 1</script>',
                    encoding="utf-8")
    p = Page(browser, path)
    p.page.wait_for_timeout(200)
    assert p.requests == ["http://example.invalid/x.png"]
    p.page.close()


def test_browser_tooltip_shows_hostile_names_as_text(page):
    xy = page.page.evaluate("""(name) => {
        const k = window.kgExplorer, n = k.find(name);
        k.network.focus(n.id, {scale: 1.2, animation: false});
        const p = k.network.canvasToDOM(k.network.getPosition(n.id));
        const r = document.getElementById('graph').getBoundingClientRect();
        return [p.x + r.left, p.y + r.top]; }""", "恶意")
    page.page.mouse.move(xy[0] - 3, xy[1] - 3)
    page.page.mouse.move(xy[0], xy[1])
    page.page.wait_for_selector("div.vis-tooltip", state="visible")
    tip = page.page.inner_text("div.vis-tooltip")
    assert tip.startswith('<script>window.__pwned=1</script>恶意 / <img src=x onerror="window.__pwned=2">')
    assert page.js("document.querySelectorAll('div.vis-tooltip img, div.vis-tooltip script').length") == 0
    assert page.js("window.__pwned") is None


def test_browser_five_thousand_nodes_open_and_respond(browser, tmp_path):
    import time
    from conftest import synthetic_triples
    out = write_html(synthetic_triples(1450), tmp_path / "big.html")
    t0 = time.perf_counter()
    p = Page(browser, out)
    loaded = time.perf_counter() - t0
    assert p.js("window.kgExplorer.nodes.length") > 5000
    t0 = time.perf_counter()
    p.page.fill("#search", "嫌疑人77")
    p.page.click("#search-form button")
    searched = time.perf_counter() - t0
    assert p.page.inner_text("#panel h2") == "嫌疑人77"
    assert p.errors == [] and p.requests == []
    assert loaded < 30 and searched < 10, (loaded, searched)   # seconds, on a 2-core CI machine
    p.page.close()


def test_browser_panel_marks_both_ends_in_each_sentence(page):
    page.page.fill("#search", "张某")
    page.page.click("#search-form button")
    marks = page.js("[...document.querySelectorAll('#panel blockquote mark')].map(m => m.textContent)")
    assert {"张某", "深圳"} <= set(marks)          # 深圳 is an altLabel of 深圳市
    quotes = page.js("[...document.querySelectorAll('#panel blockquote')].map(q => q.textContent)")
    assert "张某家住深圳。" in quotes                 # marking keeps the text as it was


def test_browser_policy_refuses_a_script_that_got_in(page):
    """Defence in depth: even a script element that reached the DOM does not run."""
    page.js("""(() => { const s = document.createElement('script');
                 s.textContent = 'window.__pwned = 7'; document.body.appendChild(s);
                 const i = document.createElement('img'); i.setAttribute('onerror', 'window.__pwned = 8');
                 i.src = 'data:,x'; document.body.appendChild(i); })()""")
    page.page.wait_for_timeout(200)
    assert page.js("window.__pwned") is None
    assert any("Content Security Policy" in e for e in page.errors)
