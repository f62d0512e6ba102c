"""SHACL validation of every build: clean graphs pass, broken ones say what, where and why."""
from __future__ import annotations

import time
from pathlib import Path

import pytest
from rdflib import Graph, Literal
from rdflib.namespace import RDF, RDFS

from kg.ns import FKG, FKGC, FKGR, FKGRULE
from kg.validate import Violation, source_sentence, validate

SEEDS = Path(__file__).resolve().parent.parent / "seeds"


@pytest.fixture(scope="module")
def seeds_build(tmp_path_factory):
    from kg.build import build
    out = tmp_path_factory.mktemp("seeds")
    t0 = time.perf_counter()
    report = build([SEEDS], out, html=False)
    return report, out, time.perf_counter() - t0


def _case_graph(*crime_types) -> Graph:
    """A small, valid article with one case, its sentence and evidence; crime types as given."""
    g = Graph()
    art, case, sent, ev = FKGR["article/t"], FKGR["case/t/c1"], FKGR["article/t/sentence/0-12"], FKGR["assertion/t/1"]
    g.add((art, RDF.type, FKG.Article))
    g.add((art, FKG.sourceFile, Literal("t.txt")))
    g.add((sent, RDF.type, FKG.Sentence))
    g.add((sent, FKG.text, Literal("甲县民警破获一起网络诈骗案。")))
    g.add((sent, FKG.inArticle, art))
    g.add((sent, FKG.startOffset, Literal(0)))
    g.add((sent, FKG.endOffset, Literal(14)))
    g.add((case, RDF.type, FKG.Case))
    g.add((case, RDFS.label, Literal("甲县网络诈骗案", lang="zh")))
    g.add((case, FKG.mentionedIn, art))
    for ct in crime_types:
        g.add((case, FKG.crimeType, ct))
    g.add((case, FKG.evidence, ev))
    g.add((ev, RDF.type, FKG.Assertion))
    g.add((ev, RDF.subject, case))
    g.add((ev, RDF.predicate, FKG.crimeType))
    g.add((ev, RDF.object, crime_types[0]))
    g.add((ev, FKG.inSentence, sent))
    rule = FKGRULE["case.test"]
    g.add((ev, FKG.rule, rule))
    g.add((rule, RDF.type, FKG.Rule))
    return g


def test_validate_seeds_build_conforms(seeds_build):
    report, out, _ = seeds_build
    assert report.articles > 0
    assert report.violations == [], "\n".join(map(str, report.violations[:10]))
    assert validate(Graph().parse(out / "kg.ttl")) == []


def test_validate_per_build_check_is_fast_enough(seeds_build):
    _, out, _ = seeds_build
    g = Graph().parse(out / "kg.ttl")   # (the build has imported pyshacl and parsed the shapes)
    t0 = time.perf_counter()
    validate(g)
    took = time.perf_counter() - t0
    assert took < max(10.0, len(g) / 2000), f"validating {len(g)} triples took {took:.1f} s"


def test_validate_small_valid_graph_conforms():
    assert validate(_case_graph(FKGC.RomanceFraud)) == []


def test_validate_case_with_two_crime_types_names_node_shape_and_sentence():
    violations = validate(_case_graph(FKGC.RomanceFraud, FKGC.LoanFraud))
    assert len(violations) == 1
    (v,) = violations
    assert isinstance(v, Violation)
    assert v.focus == str(FKGR["case/t/c1"])
    assert v.label == "甲县网络诈骗案"
    assert v.shape == "fkgsh:CaseShape / fkg:crimeType"
    assert v.constraint == "maxCount"
    assert "exactly one fkg:crimeType" in v.message
    assert v.sentence == "甲县民警破获一起网络诈骗案。"
    text = str(v)
    for part in ("甲县网络诈骗案", "fkgsh:CaseShape", "maxCount", "甲县民警破获一起网络诈骗案。"):
        assert part in text


def test_validate_accepts_plain_triples_and_reports_wrong_classes():
    g = _case_graph(FKGC.RomanceFraud)
    g.add((FKGR["case/t/c1"], FKG.handledBy, FKGR["person/t/x"]))   # not a PoliceUnit
    violations = validate(set(g))
    assert [(v.shape, v.constraint, v.value) for v in violations] == [
        ("fkgsh:CaseShape / fkg:handledBy", "class", f"<{FKGR['person/t/x']}>")]


def test_validate_sentence_found_through_mentions():
    g = _case_graph(FKGC.RomanceFraud)
    unit, m = FKGR["unit/甲县公安局"], FKGR["mention/t/1"]
    g.add((m, FKG.denotes, unit))
    g.add((m, FKG.inSentence, FKGR["article/t/sentence/0-12"]))
    assert source_sentence(g, unit) == "甲县民警破获一起网络诈骗案。"
    assert source_sentence(g, FKGR["nothing"]) is None


def test_validate_strict_build_fails_on_violations(tmp_path, monkeypatch):
    from click.testing import CliRunner

    import kg.validate
    from kg.cli import main
    fake = Violation(focus="https://w3id.org/fraudkg/resource/case/x/1", label="某案", shape="fkgsh:CaseShape / fkg:crimeType",
                     constraint="maxCount", message="one crime type", severity="Violation", value=None,
                     sentence="某句。")
    monkeypatch.setattr(kg.validate, "validate", lambda triples: [fake])
    (tmp_path / "a.txt").write_text("某县公安局民警破获一起诈骗案。\n", encoding="utf-8")
    runner = CliRunner()
    lenient = runner.invoke(main, ["build", str(tmp_path / "a.txt"), "--out", str(tmp_path / "o1"), "--no-html"])
    strict = runner.invoke(main, ["build", str(tmp_path / "a.txt"), "--out", str(tmp_path / "o2"), "--no-html",
                                  "--strict"])
    assert lenient.exit_code == 0, lenient.output
    assert strict.exit_code == 1
    for res in (lenient, strict):
        out = res.output + (res.stderr if hasattr(res, "stderr") else "")
        assert "breaks 1 constraint" in out and "某案" in out and "某句。" in out
