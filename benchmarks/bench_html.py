"""Time to write the HTML explorer (kg.viz.write_html) for about 1 k, 5 k and 20 k nodes.

    .venv/bin/python benchmarks/bench_html.py [--work /tmp/kg-bench]
"""
from __future__ import annotations

import argparse
import time
from pathlib import Path

import pyoxigraph as ox

from synthetic import article_graphs


def graph_with_copies(graphs, scheme: str, copies: int) -> list[tuple]:
    from kg.store import from_ox
    lines = scheme
    for k in range(copies):
        for seg, text in graphs:
            lines += text.replace(f"/{seg}/", f"/{seg}-c{k}/").replace(f"/{seg}>", f"/{seg}-c{k}>")
    return list({tuple(from_ox(x) for x in (t.subject, t.predicate, t.object))
                 for t in ox.parse(lines.encode("utf-8"), format=ox.RdfFormat.N_TRIPLES)})


def node_count(triples) -> int:
    from kg.analysis import read_view
    from kg.viz import explorer_data
    data = explorer_data(read_view(triples))
    nodes = data.get("nodes") if isinstance(data, dict) else None
    return len(nodes) if nodes is not None else -1


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--work", type=Path, default=Path("/tmp/kg-bench"))
    ap.add_argument("--sizes", type=int, nargs="+", default=[1_000, 5_000, 20_000])
    args = ap.parse_args()
    args.work.mkdir(parents=True, exist_ok=True)
    from kg.viz import write_html
    graphs, scheme = article_graphs()
    one, two = (node_count(graph_with_copies(graphs, scheme, k)) for k in (1, 2))
    per_copy = max(1, two - one)   # shared places and units appear once; people and cases per copy
    print(f"one copy of the real articles: {one} nodes, each further copy adds {per_copy}")
    for target in args.sizes:
        copies = max(1, 1 + round((target - one) / per_copy))
        triples = graph_with_copies(graphs, scheme, copies)
        t0 = time.perf_counter()
        path = write_html(triples, args.work / f"graph-{target}.html")
        secs = time.perf_counter() - t0
        print(f"~{target:>6} nodes (actual {node_count(triples)}, {len(triples)} triples): write_html {secs:.2f} s, "
              f"{path.stat().st_size / 1e6:.1f} MB")


if __name__ == "__main__":
    main()
