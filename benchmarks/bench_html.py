"""The HTML explorer at about 1 k, 5 k and 20 k nodes: `kg viz` (wall time, peak memory),
then the page in Debian's chromium (time to open, time to answer a selection).

    .venv/bin/python benchmarks/bench_html.py [--work /tmp/kg-bench] [--sizes 1000 5000 20000]

Two kinds of graph: ``--kind light`` is made up (``synthetic_nt``): per case a victim, a
suspect in one of the gangs, a handling unit, a date and an amount, places with coordinates
— about 3.5 nodes a case, with the relations of a real graph but no evidence. ``--kind real``
copies the real graph of the seed and dev articles (``synthetic.article_graphs``), with all
its mentions, sentences and assertions: about 190 triples a node.
"""
from __future__ import annotations

import argparse
import os
import random
import statistics
import subprocess
import sys
import time
from pathlib import Path

FKG = "https://w3id.org/fraudkg/ontology#"
RES = "https://w3id.org/fraudkg/resource/"
CHROMIUM = "/usr/bin/chromium"


def synthetic_nt(n_cases: int, seed: int = 1) -> str:
    rng = random.Random(seed)
    out = []

    def t(s, p, o):
        out.append(f"<{RES}{s}> <{p}> {o} .\n")

    def ent(kind, i, cls, label):
        t(f"{kind}/{i}", "http://www.w3.org/1999/02/22-rdf-syntax-ns#type", f"<{FKG}{cls}>")
        t(f"{kind}/{i}", "http://www.w3.org/2000/01/rdf-schema#label", f'"{label}"@zh')
        return f"<{RES}{kind}/{i}>"

    places = []
    for i in range(max(2, n_cases // 10)):
        p = ent("place", i, "Place", f"地点{i}")
        t(f"place/{i}", "http://www.w3.org/2003/01/geo/wgs84_pos#lat", f'"{rng.uniform(22, 40):.3f}"^^<http://www.w3.org/2001/XMLSchema#decimal>')
        t(f"place/{i}", "http://www.w3.org/2003/01/geo/wgs84_pos#long", f'"{rng.uniform(100, 121):.3f}"^^<http://www.w3.org/2001/XMLSchema#decimal>')
        if i:
            t(f"place/{i}", FKG + "locatedIn", places[rng.randrange(max(1, i // 4))])
        places.append(p)
    units = [ent("unit", i, "PoliceUnit", f"公安局{i}") for i in range(n_cases // 5 + 1)]
    for i, u in enumerate(units):
        t(f"unit/{i}", FKG + "jurisdiction", rng.choice(places))
    gangs = [ent("group", i, "CriminalGroup", f"团伙{i}") for i in range(n_cases // 5 + 1)]
    for i in range(n_cases):
        ent("case", i, "Case", f"案件{i}")
        t(f"case/{i}", FKG + "victim", ent("person/v", i, "Victim", f"受害人{i}"))
        s = ent("person/s", i, "Suspect", f"嫌疑人{i}")
        t(f"case/{i}", FKG + "suspect", s)
        t(f"person/s/{i}", FKG + "memberOf", rng.choice(gangs))
        t(f"case/{i}", FKG + "handledBy", rng.choice(units))
        t(f"case/{i}", FKG + "occurredIn", rng.choice(places))
        t(f"case/{i}", FKG + "amountLost", f'"{rng.randint(1, 100) * 1000}"^^<http://www.w3.org/2001/XMLSchema#integer>')
        t(f"case/{i}", FKG + "date", f'"2024-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"^^<http://www.w3.org/2001/XMLSchema#date>')
    return "".join(out)


def real_nt(target: int, work: Path) -> Path:
    """Copies of the real graph of the seed and dev articles, article IRIs renamed per copy,
    until about ``target`` nodes; written as N-Triples."""
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from synthetic import article_graphs
    graphs, scheme = article_graphs()
    per_copy, one = 89, 285          # nodes a copy adds, nodes of one copy (seeds + dev, measured)
    copies = max(1, 1 + round((target - one) / per_copy))
    out = work / f"real-{target}.nt"
    with out.open("w", encoding="utf-8") as f:
        f.write(scheme)
        for k in range(copies):
            for seg, text in graphs:
                f.write(text.replace(f"/{seg}/", f"/{seg}-c{k}/").replace(f"/{seg}>", f"/{seg}-c{k}>"))
    return out


def kg_viz(src: Path, out: Path) -> tuple[float, float, float]:
    """Wall seconds, CPU seconds (user + system: what a quiet machine would take, near
    enough) and peak resident MB of `kg viz SRC --out OUT` as a child process."""
    kg = Path(sys.executable).with_name("kg")
    t0 = time.perf_counter()
    proc = subprocess.Popen([str(kg), "viz", str(src), "--out", str(out)], stdout=subprocess.DEVNULL)
    _pid, status, usage = os.wait4(proc.pid, 0)
    secs = time.perf_counter() - t0
    if status:
        raise SystemExit(f"kg viz failed on {src}")
    return secs, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024


SELECT = """(id) => { const k = window.kgExplorer, t0 = performance.now(); k.select(id, false);
    const t1 = performance.now();
    return new Promise(r => requestAnimationFrame(() => requestAnimationFrame(() => r([t1 - t0, performance.now() - t0])))); }"""


def in_browser(browser, page_path: Path) -> tuple[float, float, float, int]:
    """Seconds to open (until the page's script has run and two frames are drawn), and the
    median milliseconds of five selections: the call itself, and until the next frame."""
    page = browser.new_page(viewport={"width": 1400, "height": 900})
    t0 = time.perf_counter()
    page.goto(page_path.as_uri())
    page.wait_for_function("window.kgExplorer !== undefined", timeout=300_000)
    page.evaluate("new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))")
    opened = time.perf_counter() - t0
    n = page.evaluate("window.kgExplorer.data.nodes.length")
    rng = random.Random(7)
    runs = [page.evaluate(SELECT, rng.randrange(n)) for _ in range(5)]
    page.close()
    return opened, statistics.median(r[0] for r in runs), statistics.median(r[1] for r in runs), n


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--work", type=Path, default=Path("/tmp/kg-bench"))
    ap.add_argument("--sizes", type=int, nargs="+", default=[1_000, 5_000, 20_000])
    ap.add_argument("--kind", choices=["light", "real"], default="light")
    args = ap.parse_args()
    args.work.mkdir(parents=True, exist_ok=True)
    from playwright.sync_api import sync_playwright
    print(f"load average at start: {open('/proc/loadavg').read().split()[:3]}")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--headless", "--no-sandbox", "--disable-gpu"])
        for target in args.sizes:
            if args.kind == "real":
                src = real_nt(target, args.work)
            else:
                src = args.work / f"graph-{target}.nt"
                src.write_text(synthetic_nt(round(target / 3.5)), encoding="utf-8")
            out = args.work / f"{args.kind}-{target}.html"
            secs, cpu, mb = kg_viz(src, out)
            opened, sel, frame, n = in_browser(browser, out)
            print(f"{args.kind} ~{target:>6} nodes (actual {n}, {src.stat().st_size / 1e6:.0f} MB of N-Triples): kg viz {secs:.2f} s ({cpu:.2f} s CPU), {mb:.0f} MB peak, page {out.stat().st_size / 1e6:.1f} MB; "
                  f"open {opened:.2f} s; selection {sel:.1f} ms (to next frame {frame:.1f} ms)")
        browser.close()
    print(f"load average at end: {open('/proc/loadavg').read().split()[:3]}")


if __name__ == "__main__":
    main()
