"""The SHACL check in parts (each article's own nodes, then the shared nodes) = the whole-graph check."""
from __future__ import annotations

import random
from pathlib import Path

import pytest
from rdflib import BNode, Literal, URIRef
from rdflib.namespace import RDF, RDFS, XSD

from kg.checksplit import check_articles, is_local, splittable
from kg.ns import FKG
from kg.ontology import scheme_triples, shapes_graph
from kg.validate import validate

ROOT = Path(__file__).resolve().parent.parent
CORPUS = [ROOT / "seeds", ROOT.parent / "shared" / "corpus" / "dev" / "articles"]


@pytest.fixture(scope="module")
def article_graphs():
    """(article IRI, triples) of the seed and dev articles."""
    from kg.build import BuildReport, read_articles
    from kg.parallel import process_article
    from kg.pipeline import Pipeline, Resources
    from kg.rdf import article_iri
    from kg.serialize import parse_ntriples
    files = sorted(f for d in CORPUS for f in d.glob("*.txt"))
    pipeline = Pipeline.default(Resources())
    return [(str(article_iri(a.id)), parse_ntriples(process_article(a, pipeline).ntriples))
            for a in read_articles(files, BuildReport())]


def _break(graphs, seed: int):
    """Each article's triples with random damage: triples dropped, odd values on its own and on
    shared nodes, and shared nodes given other classes by one article only."""
    rng = random.Random(seed)
    odd = [Literal("x"), Literal(-5), Literal("abc", datatype=XSD.integer), Literal("标签", lang="en"),
           Literal(""), Literal(2.5), BNode("b1"), URIRef("https://w3id.org/fraudkg/rule/x#y"), Literal("day")]
    classes = [FKG.Case, FKG.Place, FKG.County, FKG.PoliceUnit, FKG.Victim, FKG.Rule, FKG.MonetaryAmount]
    out = []
    for iri, triples in graphs:
        ts = sorted(triples, key=str)
        preds = sorted({p for _, p, _ in ts}, key=str)
        for _ in range(12):
            k = rng.random()
            if k < 0.3:
                ts.pop(rng.randrange(len(ts)))
            elif k < 0.55:
                s, p, _ = rng.choice(ts)
                ts.append((s, p, rng.choice(odd)))
            elif k < 0.7:
                s, _, o = rng.choice(ts)
                ts.append((s, rng.choice(preds), o))
            else:      # a class for a node, often a shared one
                shared = [s for s, _, _ in ts if not is_local(str(s))]
                s = rng.choice(shared) if shared and rng.random() < 0.7 else rng.choice(ts)[0]
                ts.append((s, RDF.type, rng.choice(classes)))
        out.append((iri, set(ts)))
    return out


def test_checksplit_applies_to_our_shapes():
    from kg.shacl import native_shapes
    assert splittable(native_shapes(shapes_graph()))


def test_checksplit_same_violations_as_the_whole_graph_check(article_graphs):
    union = set(scheme_triples()).union(*(t for _, t in article_graphs))
    assert check_articles(article_graphs) == validate(union) == []
    kinds = set()
    for seed in range(3):
        broken = _break(article_graphs, seed)
        whole = validate(set(scheme_triples()).union(*(t for _, t in broken)))
        assert check_articles(broken) == whole
        kinds |= {(is_local(v.focus), v.constraint) for v in whole}
    # both sides of the split were exercised, with class checks among them
    assert {(True, "class"), (False, "class")} <= kinds and len(kinds) >= 8


def test_checksplit_a_class_given_by_another_article_is_seen():
    """Article A points its case at a unit that only article B calls a police unit."""
    from kg.ns import FKGR
    case_graphs = []
    unit = FKGR["unit/某县公安局"]
    for seg in ("a", "b"):
        art = FKGR[f"article/{seg}"]
        case_graphs.append((str(art), {(art, RDF.type, FKG.Article), (art, FKG.sourceFile, Literal(f"{seg}.txt")),
                                       (unit, RDFS.label, Literal("某县公安局", lang="zh"))}))
    case = FKGR["case/a/c1"]
    case_graphs[0][1].update({(case, RDF.type, FKG.Case), (case, FKG.handledBy, unit)})
    case_graphs[1][1].add((unit, RDF.type, FKG.PoliceUnit))
    whole = validate(set(scheme_triples()).union(*(t for _, t in case_graphs)))
    assert check_articles(case_graphs) == whole
    assert not any(v.constraint == "class" and v.focus == str(case) for v in whole)
