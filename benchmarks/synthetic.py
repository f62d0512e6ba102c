"""A synthetic graph with the shape of real output: the real graph of the seed and dev
articles, copied article by article with article-scoped IRIs renamed.

Each copy gets new articles, items, sentences, mentions, assertions, cases, people and
amounts; the shared nodes (places, police units, organisations, rules, crime types) stay
shared, as they are across real articles — so the hubs grow the way they would in a big
corpus of reports from the same regions. As in a store (kg/store.py), the shared nodes'
facts are in graphs of their own, once; each copy adds only its articles' graphs.
"""
from __future__ import annotations

import tempfile
from pathlib import Path

import pyoxigraph as ox

from common import SOURCES


def article_graphs() -> tuple[list[tuple[str, str]], str]:
    """(article IRI segment, N-Triples of its graph) for each real article; and the N-Quads of
    every other graph of the store (the scheme, the shared nodes' graphs)."""
    from kg.build import build
    from kg.store import ARTICLE_GRAPH_PREFIX, GraphStore, iter_article_graphs
    with tempfile.TemporaryDirectory() as tmp:
        build([d for d in SOURCES if d.is_dir()], Path(tmp) / "out", html=False, store=Path(tmp) / "store")
        gs = GraphStore(Path(tmp) / "store", read_only=True)
        graphs, fixed = [], []
        for g, quads in iter_article_graphs(gs):
            if g.startswith(ARTICLE_GRAPH_PREFIX):
                text = ox.serialize([q.triple for q in quads], format=ox.RdfFormat.N_TRIPLES).decode("utf-8")
                graphs.append((g.rsplit("/", 1)[1], text))
            else:
                fixed.append(ox.serialize(quads, format=ox.RdfFormat.N_QUADS).decode("utf-8"))
        del gs
    return graphs, "".join(fixed)


def write_nquads(path: Path, min_triples: int) -> tuple[int, int]:
    """Write copies of the real graph as N-Quads until at least ``min_triples`` triples (each
    stored once); (triples, copies)."""
    graphs, fixed = article_graphs()
    count = fixed.count("\n")
    copies = 0
    with path.open("w", encoding="utf-8") as f:
        f.write(fixed)
        while count < min_triples:
            for seg, text in graphs:
                new = f"{seg}-c{copies}"
                text = text.replace(f"/{seg}/", f"/{new}/").replace(f"/{seg}>", f"/{new}>")
                graph = f" <https://w3id.org/fraudkg/resource/article/{new}> .\n"
                for line in text.splitlines():
                    count += 1
                    f.write(line[:-2] + graph)
            copies += 1
    return count, copies
