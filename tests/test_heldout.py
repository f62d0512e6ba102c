"""Held-out yardstick: build each article of tests/corpus/heldout alone and score it.

The corpus (16 articles with gold, see tests/corpus/heldout/README.md) was written
independently of the extractors and is used only to *measure* them. The floors below are
10 points under what the system scored when the corpus was added: a regression fails, an
honest improvement passes. Run ``pytest tests/test_heldout.py -s`` to see the figures.
"""
from __future__ import annotations

import importlib.util
import json
import shutil
from collections import Counter
from pathlib import Path

import pytest

from kg.build import build
from kg.pipeline import Pipeline

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "tests" / "corpus" / "heldout"
ONTOLOGY = ROOT / "ontology"
SCORER = ROOT.parent / "shared" / "eval" / "score.py"

# F1 (entities, relations, cases) and accuracy (home city) must stay above these: about 10 points
# under the committed code's scores (raised on 2026-11-22 after the quality branches: entities
# .993, relations .953, cases .847, home city 13/13; before them .957/.905/.802, first set at
# fdd2d3c: .930, .827, .630).
# Raise them as the system improves; never lower them to pass.
FLOORS = {"entities": 0.89, "relations": 0.85, "cases": 0.75, "home_city": 0.90}

CRIME_TYPES = {
    "刷单返利诈骗", "虚假投资理财诈骗", "虚假网络贷款诈骗", "冒充电商物流客服诈骗", "冒充公检法诈骗",
    "虚假征信诈骗", "虚假购物服务诈骗", "冒充领导熟人诈骗", "网络游戏虚假交易诈骗", "网络婚恋交友诈骗",
    "机票退改签诈骗", "冒充军警及国家机关诈骗", "其他电信网络诈骗", "盗窃", "敲诈勒索", "非法吸收公众存款",
    "侵犯公民个人信息", "其他犯罪",
}


def _load_scorer():
    """The shared scorer module, imported from its file (it is not a package)."""
    assert SCORER.exists(), f"the shared scorer is missing at {SCORER}: check out ../shared beside the project"
    spec = importlib.util.spec_from_file_location("fraudkg_score", SCORER)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _golds() -> dict[str, dict]:
    return {p.stem: json.loads(p.read_text(encoding="utf-8")) for p in sorted((CORPUS / "gold").glob("*.json"))}


def _print_report(result: dict) -> None:
    """Per-type figures and the most frequent kinds of error, for ``pytest -s``."""
    print("\nheld-out corpus:", result["articles"], "articles")
    for name, m in [*result["per_type"].items(), *((k.upper(), result[k]) for k in ("entities", "relations", "cases"))]:
        print(f"  {name:14} P {m['p']:.3f}  R {m['r']:.3f}  F1 {m['f1']:.3f}   {m['tp']}/{m['fp']}/{m['fn']}")
    h = result["home_city"]
    print(f"  home city      {h['correct']}/{h['of']}")
    kinds = Counter(line.split("\t")[1] for line in result["details"])
    print("  errors by kind:", ", ".join(f"{k} {n}" for k, n in kinds.most_common()))


@pytest.fixture(scope="module")
def heldout_result(tmp_path_factory) -> dict:
    """Build every article on its own (as evaluate.sh does) and score the graphs."""
    score = _load_scorer()
    work = tmp_path_factory.mktemp("heldout")
    pipeline = Pipeline.default()          # one pipeline: the gazetteer automaton is built once
    graphs = []
    for article in sorted((CORPUS / "articles").glob("*.txt")):
        src = work / "in" / article.stem
        src.mkdir(parents=True)
        shutil.copy(article, src)
        report = build([src], work / "out" / article.stem, html=False, pipeline=pipeline,
                       validate=False)       # the SHACL check does not change the graph
        assert not report.skipped, report.skipped
        graphs.append(work / "out" / article.stem / "kg.ttl")
    preds = score.read_rdf(graphs, ONTOLOGY)
    result = score.score(_golds(), preds)
    _print_report(result)
    return result


def test_heldout_corpus_is_consistent():
    """Every article has gold and back; names used in relations and cases are entities."""
    articles = {p.stem for p in (CORPUS / "articles").glob("*.txt")}
    golds = _golds()
    assert articles == set(golds) and len(articles) == 16
    for stem, gold in golds.items():
        assert gold["doc"] == stem
        names = [e["name"] for e in gold["entities"]]
        assert len(names) == len(set(names)), stem
        for s, _, o in gold["relations"]:
            assert s in names and o in names, (stem, s, o)
        for case in gold["cases"]:
            assert case["crime_type"] in CRIME_TYPES, (stem, case["crime_type"])
            for field in ("victims", "suspects", "groups", "handled_by"):
                assert set(case[field]) <= set(names), (stem, field, case[field])


def test_heldout_all_articles_in_graph(heldout_result):
    assert heldout_result["articles_missing_from_kg"] == []


def test_heldout_entities_above_floor(heldout_result):
    assert heldout_result["entities"]["f1"] >= FLOORS["entities"]


def test_heldout_relations_above_floor(heldout_result):
    assert heldout_result["relations"]["f1"] >= FLOORS["relations"]


def test_heldout_cases_above_floor(heldout_result):
    assert heldout_result["cases"]["f1"] >= FLOORS["cases"]


def test_heldout_home_city_above_floor(heldout_result):
    assert heldout_result["home_city"]["accuracy"] >= FLOORS["home_city"]
