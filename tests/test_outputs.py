"""The committed outputs/ are what the current code builds from seeds/ (compared as graphs)."""
from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Graph
from rdflib.compare import graph_diff, isomorphic, to_isomorphic

from kg.build import build

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session")
def seeds_build(tmp_path_factory):
    out = tmp_path_factory.mktemp("seeds_out")
    report = build([ROOT / "seeds"], out)
    return out, report


def test_outputs_kg_ttl_is_up_to_date_with_the_seeds(seeds_build):
    out, _ = seeds_build
    committed = ROOT / "outputs" / "kg.ttl"
    assert committed.is_file(), "outputs/kg.ttl is missing: run `kg build seeds --out outputs`"
    fresh, old = Graph().parse(out / "kg.ttl"), Graph().parse(committed)
    if not isomorphic(fresh, old):
        _, only_new, only_old = graph_diff(to_isomorphic(fresh), to_isomorphic(old))
        sample = sorted(map(str, only_new))[:5] + ["…"] + sorted(map(str, only_old))[:5]
        pytest.fail("outputs/kg.ttl is stale — regenerate with `kg build seeds --out outputs`.\n"
                    f"{len(only_new)} triples only in a fresh build, {len(only_old)} only in outputs/:\n"
                    + "\n".join(sample))


def test_outputs_graph_html_exists_and_matches_a_fresh_build(seeds_build):
    out, _ = seeds_build
    committed = ROOT / "outputs" / "graph.html"
    assert committed.is_file(), "outputs/graph.html is missing: run `kg build seeds --out outputs`"
    assert committed.read_bytes() == (out / "graph.html").read_bytes(), \
        "outputs/graph.html is stale — regenerate with `kg build seeds --out outputs`"


def test_outputs_seeds_build_reads_all_five_articles(seeds_build):
    _, report = seeds_build
    assert report.articles == 5 and not report.skipped
