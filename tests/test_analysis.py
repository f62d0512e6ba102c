"""Network analysis: the entity graph read from RDF, key players, groups, evidenced paths."""
from __future__ import annotations

import networkx as nx
import pytest
from click.testing import CliRunner

from kg.analysis import (communities, ego_nodes, entity_graph, key_players, load_triples, pagerank,
                         read_view, shortest_path)
from kg.cli import main
from kg.errors import QueryError
from kg.layout import layout

R = "https://w3id.org/fraudkg/resource/"


@pytest.fixture
def view(small_kg):
    return read_view(load_triples(small_kg))


def test_analysis_view_holds_entities_and_cases_not_provenance(view):
    types = {n.type for n in view.nodes.values()}
    assert types == {"PoliceUnit", "CriminalGroup", "Victim", "Suspect", "Place", "Case"}
    assert len(view.nodes) == 24        # 7 places, 4 units, 3 groups, 2 suspects, 4 victims, 4 cases
    zhang = view.nodes[R + "person/a1/zhang"]
    assert (zhang.label, zhang.articles) == ("张某", ["a1.txt"])
    unit = view.nodes[R + "unit/wx"]
    assert unit.names == ["杭州市公安局西湖区分局文新派出所", "文新派出所"]
    case = view.nodes[R + "case/a1/c1"]
    assert (case.crime_type, case.amount_lost, case.amount_recovered) == ("刷单返利诈骗", 50000, 20000)


def test_analysis_edges_carry_the_sentence_of_their_assertion(view):
    e = next(e for e in view.edges if e.relation == "memberOf")
    assert (e.source, e.target) == (R + "person/a1/zhang", R + "group/a1/g")
    assert e.sentences == ("张某系该诈骗团伙成员，在杭州落网。",)
    assert next(e for e in view.edges if e.relation == "originPlace").sentences == ()


def test_analysis_key_players_finds_the_bridge(view):
    # 张某 is the one actor linking the Zhejiang cases to Shenzhen (home) and his gang
    players = key_players(entity_graph(view), top=3)
    assert players.rows[0]["label"] == "张某"
    assert players.sampled is None
    assert all(r["type"] not in ("Place", "Case") for r in players.rows)


def test_analysis_key_players_samples_betweenness_on_large_graphs(monkeypatch):
    import kg.analysis as analysis
    g = nx.path_graph(60)
    nx.set_node_attributes(g, "Suspect", "type")
    nx.set_node_attributes(g, {v: str(v) for v in g}, "label")
    monkeypatch.setattr(analysis, "BETWEENNESS_BUDGET", 60 * 20)     # n + m = 119: 10 sources
    monkeypatch.setattr(analysis, "MIN_SAMPLE", 20)
    players = analysis.key_players(g, top=5)
    assert players.sampled == 20
    monkeypatch.setattr(analysis, "BETWEENNESS_BUDGET", 60 * 119)
    assert analysis.key_players(g, top=5).sampled is None
    assert len(players.rows) == 5


def test_analysis_communities_separate_unlinked_sides(view):
    g = entity_graph(view)
    groups = communities(g)
    where = {v: i for i, grp in enumerate(groups) for v in grp}
    assert where[R + "unit/wx"] == where[R + "unit/xh"]
    assert where[R + "person/a2/sun"] == where[R + "unit/sz"]
    assert where[R + "person/a2/sun"] != where[R + "person/a1/wang"]
    assert all(g.nodes[v]["type"] not in ("Place", "Case") for grp in groups for v in grp)


def test_analysis_shortest_path_gives_each_hop_with_its_sentence(view):
    hops = shortest_path(view, entity_graph(view), "王女士", "深圳市公安局")
    assert [(h.source, h.relation, h.target, h.forward) for h in hops] == [
        ("王女士", "victim", "王女士 刷单返利诈骗案", False),
        ("王女士 刷单返利诈骗案", "suspect", "张某", True),
        ("张某", "livesIn", "深圳市", True),
        ("深圳市", "jurisdiction", "深圳市公安局", False)]
    assert [h.sentence for h in hops] == ["王女士在家中被骗5万元。", "嫌疑人张某被抓获。", "张某家住深圳。",
                                          "深圳市公安局负责深圳全市治安。"]


def test_analysis_shortest_path_errors_name_the_problem(view):
    g = entity_graph(view)
    with pytest.raises(QueryError, match="no entity or case is named"):
        shortest_path(view, g, "王女士", "不存在的人")
    with pytest.raises(QueryError, match="no chain"):
        shortest_path(view, g, "王女士", "钱某犯罪团伙")   # Jiangsu side is not linked


def test_analysis_pagerank_matches_the_definition():
    g = nx.star_graph(4)
    pr = pagerank(g)
    assert abs(sum(pr.values()) - 1) < 1e-9
    # centre: (1-d)/n + d * (sum of leaves' rank), leaves share the centre's rank
    c, leaf = pr[0], pr[1]
    assert abs(c - (0.15 / 5 + 0.85 * 4 * leaf)) < 1e-6
    assert abs(leaf - (0.15 / 5 + 0.85 * c / 4)) < 1e-6


def test_analysis_ego_nodes_stop_at_the_hop_limit():
    g = nx.path_graph(6)
    assert ego_nodes(g, [0], 2) == {0, 1, 2}
    assert ego_nodes(g, [0, 5], 1) == {0, 1, 4, 5}


def test_analysis_layout_places_every_node_apart_and_is_deterministic():
    g = nx.barabasi_albert_graph(400, 1, seed=3)
    g.add_edges_from([(1000, 1001), (1002, 1003)])
    g.add_node(2000)
    pos = layout(g)
    assert set(pos) == set(g) and pos == layout(g)
    assert len(set(pos.values())) == len(pos)


def test_analysis_cli_analyze_and_path(small_kg):
    r = CliRunner().invoke(main, ["analyze", str(small_kg), "--top", "3"])
    assert r.exit_code == 0, r.output
    assert "1. 张某" in r.output and "betweenness exact" in r.output and "Groups of connected actors" in r.output
    r = CliRunner().invoke(main, ["path", str(small_kg), "王女士", "深圳市公安局"])
    assert r.exit_code == 0, r.output
    assert "4 hops" in r.output and "「张某家住深圳。」" in r.output
    r = CliRunner().invoke(main, ["path", str(small_kg), "王女士", "无此人"])
    assert r.exit_code == 2 and "Error: no entity or case is named" in r.output


def test_analysis_reads_a_store_folder_like_a_file(small_kg, tmp_path):
    import pyoxigraph as ox
    store = ox.Store(str(tmp_path / "store"))
    store.bulk_load(path=str(small_kg), format=ox.RdfFormat.TURTLE, to_graph=ox.NamedNode("https://example.org/g/1"))
    store.flush()
    del store
    assert load_triples(tmp_path / "store") == load_triples(small_kg)
