"""SHACL validation of every build: clean graphs pass, broken ones say what, where and why."""
from __future__ import annotations

import time
from pathlib import Path

import pytest
from rdflib import Graph, Literal
from rdflib.namespace import RDF, RDFS

from kg.ns import FKG, FKGC, FKGR, FKGRULE, GEO
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
    monkeypatch.setattr(kg.validate, "validate", lambda triples: [fake])      # a check on the whole graph
    monkeypatch.setattr("kg.checksplit.Checker.shared", lambda self, *args: [fake])   # in parts
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


# ----------------------------------------------------------------- the native engine = pyshacl

OUTPUTS_KG = Path(__file__).resolve().parent.parent / "outputs" / "kg.ttl"


def _broken_graphs(seed: int, rounds: int, n: int):
    """The committed graph with ``n`` random breakages per round: triples dropped, values
    swapped for wrong kinds, duplicated, nodes given wrong classes."""
    import random
    from rdflib import BNode, URIRef
    from rdflib.namespace import XSD
    base = sorted(Graph().parse(OUTPUTS_KG), key=str)
    rng = random.Random(seed)
    preds = sorted({p for _, p, _ in base}, key=str)
    subjects = sorted({s for s, _, _ in base}, key=str)
    objects = [o for _, _, o in base]
    classes = [FKG.Place, FKG.Article, FKG.Sentence, FKG.Mention, FKG.Case, FKG.PoliceUnit, FKG.Victim,
               FKG.Rule, FKG.CrimeType, FKG.MonetaryAmount, FKG.Assertion, FKG.County, FKG.ReportedFigure]
    odd = [Literal("x"), Literal(-5), Literal("3.5", datatype=XSD.decimal), Literal("abc", datatype=XSD.integer),
           Literal("标签", lang="en"), Literal(""), Literal(True), Literal(2.5), BNode(), Literal(200),
           URIRef("https://w3id.org/fraudkg/rule/x#y"), Literal("day"), Literal("day", datatype=XSD.string)]
    from rdflib.namespace import SKOS
    mentions = {s for s, p, o in base if p == RDF.type and o == FKG.Mention}
    targeted = [next(t for t in base if t[1] == FKG.amountRole), next(t for t in base if t[1] == SKOS.prefLabel),
                next(t for t in base if t[1] == FKG.text and t[0] in mentions), next(t for t in base if t[1] == GEO.lat)]
    for _ in range(rounds):
        ts = list(base)
        (s1, p1, _), (s2, p2, _), (s3, p3, _), (s4, p4, _) = targeted   # sh:in, languageIn, minLength, maxInclusive
        ts += [(s1, p1, Literal("stolen")), (s2, p2, Literal("fraud", lang="en")), (s3, p3, Literal("")),
               (s4, p4, Literal("123.5", datatype=XSD.decimal))]
        for _ in range(n):
            k = rng.random()
            if k < 0.3:
                ts.pop(rng.randrange(len(ts)))
            elif k < 0.5:
                s, p, _ = rng.choice(ts)
                ts.append((s, p, rng.choice(objects + odd)))
            elif k < 0.65:
                s, _, o = rng.choice(ts)
                ts.append((s, rng.choice(preds), o if rng.random() < .5 else rng.choice(odd)))
            elif k < 0.8:
                ts.append((rng.choice(subjects), RDF.type, rng.choice(classes)))
            else:
                i = rng.randrange(len(ts))
                ts[i] = (ts[i][0], ts[i][1], rng.choice(odd + objects))
        yield set(ts)


def test_validate_native_engine_reports_exactly_what_pyshacl_reports():
    from kg.shacl import CHECKS as _CHECKS
    seen = set()
    for g in _broken_graphs(seed=7, rounds=3, n=60):
        native, reference = validate(g, engine="native"), validate(g, engine="pyshacl")
        assert native == reference
        seen |= {v.constraint for v in native}
    assert seen == set(_CHECKS)     # the comparison covered every kind of constraint the shapes use


def test_validate_falls_back_to_pyshacl_for_shapes_it_does_not_know(monkeypatch):
    import kg.validate
    from kg.ontology import shapes_graph
    from rdflib.namespace import SH
    shapes = Graph()
    for t in shapes_graph():
        shapes.add(t)
    shapes.add((FKGR["shape/extra"], SH.targetNode, FKGR["case/t/c1"]))
    shapes.add((FKGR["shape/extra"], SH.property, FKGR["shape/extra-label"]))
    shapes.add((FKGR["shape/extra-label"], SH.path, RDFS.label))
    shapes.add((FKGR["shape/extra-label"], SH.maxLength, Literal(1000)))     # not handled natively
    monkeypatch.setattr("kg.ontology.shapes_graph", lambda: shapes)
    assert kg.validate.native_engine_fits(shapes) is False
    violations = validate(_case_graph(FKGC.RomanceFraud, FKGC.LoanFraud))
    assert [(v.shape, v.constraint) for v in violations] == [("fkgsh:CaseShape / fkg:crimeType", "maxCount")]
