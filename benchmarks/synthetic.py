"""A synthetic graph with the shape of real output: the real graph of the seed and dev
articles, copied article by article with article-scoped IRIs renamed.

Each copy gets new articles, items, sentences, mentions, assertions, cases, people and
amounts; the shared nodes (places, police units, organisations, rules, crime types) stay
shared, as they are across real articles — so the hubs grow the way they would in a big
corpus of reports from the same regions.
"""
from __future__ import annotations

import tempfile
from pathlib import Path

import pyoxigraph as ox

from common import SOURCES


def article_graphs() -> tuple[list[tuple[str, str]], str]:
    """(article IRI segment, N-Triples of its graph) for each real article; and the scheme's N-Triples."""
    from kg.build import build
    from kg.store import SCHEME_GRAPH, GraphStore, iter_article_graphs
    with tempfile.TemporaryDirectory() as tmp:
        build([d for d in SOURCES if d.is_dir()], Path(tmp) / "out", html=False, store=Path(tmp) / "store")
        gs = GraphStore(Path(tmp) / "store", read_only=True)
        graphs, scheme = [], ""
        for g, quads in iter_article_graphs(gs):
            text = ox.serialize([q.triple for q in quads], format=ox.RdfFormat.N_TRIPLES).decode("utf-8")
            if g == str(SCHEME_GRAPH):
                scheme = text
            else:
                graphs.append((g.rsplit("/", 1)[1], text))
        del gs
    return graphs, scheme


def write_nquads(path: Path, min_triples: int) -> tuple[int, int]:
    """Write copies of the real graph as N-Quads until at least ``min_triples`` distinct triples;
    (triples, copies)."""
    graphs, scheme = article_graphs()
    seen: set[str] = set(scheme.splitlines())
    copies = 0
    with path.open("w", encoding="utf-8") as f:
        for line in scheme.splitlines():
            f.write(line[:-1] + "<https://w3id.org/fraudkg/crime-type/scheme> .\n")
        while len(seen) < min_triples:
            for seg, text in graphs:
                new = f"{seg}-c{copies}"
                text = text.replace(f"/{seg}/", f"/{new}/").replace(f"/{seg}>", f"/{new}>")
                graph = f" <https://w3id.org/fraudkg/resource/article/{new}> .\n"
                for line in text.splitlines():
                    seen.add(line)
                    f.write(line[:-2] + graph)
            copies += 1
    return len(seen), copies
