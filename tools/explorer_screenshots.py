"""Screenshots of the explorer for docs/: the graph, the map and the timeline views.

    kg build seeds ../shared/corpus/dev/articles --out /tmp/sd --no-validate
    .venv/bin/python tools/explorer_screenshots.py /tmp/sd/graph.html docs/
"""
from __future__ import annotations

import sys
from pathlib import Path

from playwright.sync_api import sync_playwright


def main(page_path: str, out: str) -> None:
    out_dir = Path(out)
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path="/usr/bin/chromium", args=["--headless", "--no-sandbox", "--disable-gpu"])
        page = b.new_page(viewport={"width": 1500, "height": 920})
        page.goto(Path(page_path).resolve().as_uri())
        page.wait_for_function("window.kgExplorer !== undefined")
        page.wait_for_timeout(500)
        # the largest police unit selected: its facts and their sentences in the panel
        page.evaluate("""() => { const k = window.kgExplorer;
            const u = k.data.nodes.filter(n => n.kind === 'PoliceUnit').sort((a, b) => b.size - a.size)[0];
            if (u) k.select(u.id, false); }""")
        page.wait_for_timeout(300)
        page.screenshot(path=str(out_dir / "graph.png"))
        page.click("#view-map")
        page.wait_for_timeout(300)
        page.screenshot(path=str(out_dir / "map.png"))
        page.click("#view-graph")
        page.evaluate("window.kgExplorer.select(null, false)")
        bars = page.locator("#timeline .tl-bar:not(.shown)")
        if bars.count() >= 2:            # brush the first half of the dated months
            first, last = bars.nth(0).bounding_box(), bars.nth(max(1, bars.count() // 2)).bounding_box()
            page.mouse.move(first["x"] + 1, first["y"] + 5)
            page.mouse.down()
            page.mouse.move(last["x"] + last["width"] - 1, first["y"] + 5, steps=5)
            page.mouse.up()
        page.wait_for_timeout(300)
        page.screenshot(path=str(out_dir / "timeline.png"))
        b.close()


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
