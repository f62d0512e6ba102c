"""The explorer page, read as text: self-contained, data escaped, the right nodes, fast."""
from __future__ import annotations

import json
import re
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import synthetic_triples
from kg.analysis import load_triples, read_view
from kg.cli import main
from kg.errors import QueryError
from kg.viz import explorer_data, json_for_html, write_html

ASSETS = Path(__file__).resolve().parent.parent / "kg" / "viz_assets"


def page_data(html: str) -> dict:
    m = re.search(r'<script type="application/json" id="kg-data">(.*?)</script>', html, re.S)
    return json.loads(m.group(1))


@pytest.fixture
def hostile_page(hostile_kg, tmp_path):
    out = write_html(load_triples(hostile_kg), tmp_path / "graph.html")
    return out.read_text(encoding="utf-8")


def test_viz_page_loads_nothing_from_the_network(hostile_page):
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", hostile_page, re.I)
    assert "<link" not in hostile_page.lower()
    assert not re.search(r"<script[^>]+src=", hostile_page, re.I)
    assert not re.search(r"url\(\s*['\"]?(https?:)?//", hostile_page, re.I)
    assert "cdnjs" not in hostile_page and "jsdelivr" not in hostile_page
    assert "default-src 'none'" in hostile_page      # the page forbids itself any fetch
    policy = re.search(r"script-src ([^;]*);", hostile_page).group(1)
    assert "unsafe" not in policy and policy.count("'sha256-") == 2


def test_viz_hostile_text_never_becomes_markup(hostile_page):
    # exactly our four script elements close; the data's own tags are escaped in the JSON
    assert len(re.findall(r"</script", hostile_page, re.I)) == 4
    assert "<img" not in hostile_page and "window.__pwned=1</script>" not in hostile_page
    assert "\u2028" not in hostile_page and "\u2029" not in hostile_page
    data = page_data(hostile_page)
    labels = {n["id"]: n for n in data["nodes"]}
    evil = next(n for n in labels.values() if n["kind"] == "Victim" and "恶意" in n["names"][0])
    assert evil["names"] == ["<script>window.__pwned=1</script>恶意", '<img src=x onerror="window.__pwned=2">']
    assert any("\u2028 line\u2029end" in s for s in data["sentences"])


def test_viz_script_builds_text_with_textcontent_only():
    js = "\n".join(p.read_text(encoding="utf-8") for p in sorted(ASSETS.glob("*.js")))
    assert "innerHTML" not in js and "outerHTML" not in js and "insertAdjacentHTML" not in js
    assert "document.write" not in js and "eval(" not in js
    assert "textContent" in js


def test_viz_json_for_html_escapes_what_ends_a_script():
    text = json_for_html({"a": "</script><!-- & \u2028\u2029 >"})
    assert not set("<>&\u2028\u2029") & set(text)
    assert json.loads(text) == {"a": "</script><!-- & \u2028\u2029 >"}


def test_viz_nodes_are_entities_and_cases_with_style_and_position(small_kg):
    data = explorer_data(read_view(load_triples(small_kg)))
    kinds = {n["kind"] for n in data["nodes"]}
    assert kinds == {"PoliceUnit", "CriminalGroup", "Victim", "Suspect", "Place", "Case"}
    assert len(data["nodes"]) == 24
    for n in data["nodes"]:
        assert {"x", "y", "size", "color", "shape", "label"} <= set(n)
    styles = {(n["kind"], n["color"], n["shape"]) for n in data["nodes"]}
    assert len(styles) == len(kinds)                         # one colour and shape per type
    assert {e["label"] for e in data["edges"]} >= {"partOf", "memberOf", "victim", "handledBy", "locatedIn"}
    assert data["options"]["physics"]["enabled"] is False
    member = next(e for e in data["edges"] if e["label"] == "memberOf")
    assert [data["sentences"][i] for i in member["ev"]] == ["张某系该诈骗团伙成员，在杭州落网。"]


def test_viz_summary_counts_types_crimes_and_money(small_kg):
    s = explorer_data(read_view(load_triples(small_kg)))["summary"]
    assert dict(s["types"])["Case"] == 4 and dict(s["types"])["Place"] == 7
    assert dict(s["crimes"]) == {"刷单返利诈骗": 2, "虚假投资理财诈骗": 1, "盗窃": 1}
    assert (s["lost"], s["recovered"]) == ("158,000 元", "50,000 元")


def test_viz_focus_keeps_only_the_neighbourhood(small_kg):
    view = read_view(load_triples(small_kg))
    one = {n["names"][0] for n in explorer_data(view, focus="张某", hops=1)["nodes"]}
    assert one == {"张某", "张某诈骗团伙", "深圳市", "杭州市", "王女士 刷单返利诈骗案"}
    two = explorer_data(view, focus="张某", hops=2)["nodes"]
    assert len(two) > len(one) and "钱某犯罪团伙" not in {n["names"][0] for n in two}
    with pytest.raises(QueryError, match="no entity"):
        explorer_data(view, focus="没有这个名字")


def test_viz_size_follows_the_chosen_measure(small_kg):
    view = read_view(load_triples(small_kg))
    sizes = {m: {n["names"][0]: n["size"] for n in explorer_data(view, size=m)["nodes"]}
             for m in ("degree", "pagerank", "betweenness")}
    assert sizes["degree"] != sizes["betweenness"]
    assert max(sizes["betweenness"], key=sizes["betweenness"].get) in {"张某", "深圳市", "杭州市"}
    with pytest.raises(QueryError):
        explorer_data(view, size="colour")


def test_viz_five_thousand_nodes_are_written_in_seconds(tmp_path):
    triples = synthetic_triples(1450)
    t0 = time.perf_counter()
    out = write_html(triples, tmp_path / "big.html")
    elapsed = time.perf_counter() - t0
    data = page_data(out.read_text(encoding="utf-8"))
    assert len(data["nodes"]) > 5000
    assert elapsed < 30, f"{elapsed:.1f} s for {len(data['nodes'])} nodes"


def test_viz_cli_writes_the_page(small_kg, tmp_path):
    out = tmp_path / "ego.html"
    r = CliRunner().invoke(main, ["viz", str(small_kg), "--out", str(out), "--focus", "深圳市公安局",
                                  "--hops", "1", "--size", "pagerank"])
    assert r.exit_code == 0, r.output
    names = {n["names"][0] for n in page_data(out.read_text(encoding="utf-8"))["nodes"]}
    assert names == {"深圳市公安局", "深圳市", "孙女士 刷单返利诈骗案"}


def test_viz_page_is_the_same_whatever_the_hash_seed(hostile_kg, tmp_path):
    import subprocess
    import sys
    code = ("import sys; from kg.analysis import load_triples; from kg.viz import write_html; "
            "t = load_triples(sys.argv[1]); write_html(t, sys.argv[2], size='pagerank'); "
            "write_html(t, sys.argv[2] + '.ego.html', size='betweenness', focus='张某', hops=2)")
    pages = []
    for seed in ("1", "2", "random"):
        out = tmp_path / f"g{seed}.html"
        env = {**__import__("os").environ, "PYTHONHASHSEED": seed}
        subprocess.run([sys.executable, "-c", code, str(hostile_kg), str(out)], check=True, env=env)
        pages.append((out.read_bytes(), Path(f"{out}.ego.html").read_bytes()))
    assert pages[0] == pages[1] == pages[2]


def test_viz_empty_graph_gives_an_empty_page(tmp_path):
    data = page_data(write_html(set(), tmp_path / "empty.html").read_text(encoding="utf-8"))
    assert data["nodes"] == [] and data["edges"] == []
    assert data["summary"] == {"types": [], "crimes": [], "lost": "0 元", "recovered": "0 元", "kept": []}


def test_viz_summary_keeps_recovered_money_apart_by_kind(tmp_path):
    kg = tmp_path / "kinds.ttl"
    kg.write_text("""@prefix fkg: <https://w3id.org/fraudkg/ontology#> .
@prefix fkgc: <https://w3id.org/fraudkg/crime-type/> .
@prefix r: <https://w3id.org/fraudkg/resource/> .
r:c1 a fkg:Case ; fkg:crimeType fkgc:RebateTaskFraud ; fkg:amountRecovered 20000 ;
    fkg:amount r:m1 , r:m2 , r:m3 ; fkg:date "--07-30"^^<http://www.w3.org/2001/XMLSchema#gMonthDay> .
r:m1 a fkg:MonetaryAmount ; fkg:value 20000 ; fkg:amountRole "recovered" ; fkg:amountKind "stopped" .
r:m2 a fkg:MonetaryAmount ; fkg:value 5000 ; fkg:amountRole "recovered" ; fkg:amountKind "returned" .
r:m3 a fkg:MonetaryAmount ; fkg:value 60000 ; fkg:amountRole "lost" .
r:c2 a fkg:Case ; fkg:crimeType fkgc:LoanFraud ; fkg:amountRecovered 3000 ; fkg:amount r:m4 .
r:m4 a fkg:MonetaryAmount ; fkg:value 3000 ; fkg:amountRole "recovered" ; fkg:amountKind "stopped" .
""", encoding="utf-8")
    data = explorer_data(read_view(load_triples(kg)))
    s = data["summary"]
    assert s["recovered"] == "23,000 元"
    assert s["kept"] == [["returned", "5,000 元"], ["stopped or frozen", "23,000 元"]]
    c1 = next(n for n in data["nodes"] if n["iri"].endswith("/c1"))
    assert c1["kept"] == {"returned": 5000.0, "stopped or frozen": 20000.0}
    # a day without its year is shown, not placed on the timeline
    assert c1["date"] is None and c1["day"] == "07-30"


def test_viz_each_sentence_is_embedded_once(small_kg):
    data = explorer_data(read_view(load_triples(small_kg)))
    assert len(data["sentences"]) == len(set(data["sentences"])) == 6     # 7 assertions, 6 sentences
    member = next(e for e in data["edges"] if e["label"] == "memberOf")
    arrest = next(e for e in data["edges"] if e["label"] == "arrestedIn" and e["from"] == member["from"])
    assert member["ev"] == arrest["ev"] == [data["sentences"].index("张某系该诈骗团伙成员，在杭州落网。")]


def test_viz_load_view_reads_the_same_view_as_the_triples(tmp_path):
    from explorer_graph import explorer_ttl
    from kg.analysis import load_view
    src = tmp_path / "known.ttl"
    src.write_text(explorer_ttl(), encoding="utf-8")
    a, b = read_view(load_triples(src)), load_view(src)
    assert a.nodes == b.nodes and a.edges == b.edges and a.sentences == b.sentences
    case = next(n for n in b.nodes.values() if n.label == "王女士 刷单返利诈骗案")
    hz = next(n for n in b.nodes.values() if n.label == "杭州市")
    assert (case.date, hz.level, hz.lat, hz.lon) == ("2024-03-05", "Prefecture", 30.27, 120.16)


def test_viz_data_carries_regions_map_places_gangs_and_evidence_offsets(tmp_path):
    from explorer_graph import ARTICLES, explorer_ttl
    from kg.analysis import load_view
    src = tmp_path / "known.ttl"
    src.write_text(explorer_ttl(), encoding="utf-8")
    data = explorer_data(load_view(src))
    by_name = {n["names"][0]: n for n in data["nodes"]}
    name = {n["id"]: n["names"][0] for n in data["nodes"]}
    assert {name[r] for r in by_name["王女士"]["reg"]} == {"浙江省", "杭州市"}          # through her case
    assert name[by_name["王女士 刷单返利诈骗案"]["at"]] == "西湖区"
    assert name[by_name["孙女士"]["at"]] == "深圳市"
    assert [[name[i] for i in g] for g in data["gangs"]] == [["张某诈骗团伙", "昆明市", "杭州市"]]
    assert {n["names"][0] for n in data["nodes"] if n.get("lone")} == {"某0科技有限公司", "某1科技有限公司", "某2科技有限公司"}
    origin = next(e for e in data["edges"] if e["label"] == "originPlace")
    (s, start, end), = origin["sp"]
    art, s0, _e0 = data["where"][s]
    assert data["articles"][art] == "a1.txt" and data["sentences"][s][start - s0:end - s0] == "昆明"
    kept = [t for t in ARTICLES["a1.txt"] if t]
    assert all(t in data["sentences"] for t in kept)       # the article can be read in the page


def test_viz_cli_names_a_broken_file(tmp_path):
    bad = tmp_path / "broken.ttl"
    bad.write_text("<a> <b> .\n", encoding="utf-8")
    r = CliRunner().invoke(main, ["viz", str(bad), "--out", str(tmp_path / "g.html")])
    assert r.exit_code != 0 and "broken.ttl" in r.output and "Traceback" not in r.output
    assert not (tmp_path / "g.html").exists()
