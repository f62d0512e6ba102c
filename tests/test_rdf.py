"""Tests of kg/rdf.py: what the writer puts in the graph for a case's date, place and money."""
from __future__ import annotations

from rdflib import Graph, Literal
from rdflib.namespace import XSD

from kg.ns import FKG
from kg.pipeline import Pipeline
from kg.rdf import article_triples
from kg.validate import validate

STORY = ("7月18日晚,浙江省金华市永康市的孙女士接到自称客服的电话,对方称可办理退款,"
         "孙女士按对方要求转账6万元。永康市公安局反诈中心接警后紧急止付2万元,"
         "随后又为其追回1万元。")


def test_rdf_case_date_place_and_money_kinds(run_article, kg_resources):
    from kg.extract import DEFAULT_PIPELINE
    result = run_article(STORY, names=DEFAULT_PIPELINE)
    g = Graph()
    for t in article_triples(result, kg_resources):
        g.add(t)
    (case,) = set(g.subjects(FKG.crimeType, None))
    assert g.value(case, FKG.date) == Literal("--07-18", datatype=XSD.gMonthDay)
    place = g.value(case, FKG.occurredIn)
    assert place is not None and (place, FKG.adminCode, Literal("330784")) in g
    kinds = {(str(g.value(a, FKG.amountRole)), str(g.value(a, FKG.amountKind)), int(g.value(a, FKG.value)))
             for a in g.objects(case, FKG.amount)}
    assert {("recovered", "stopped", 20000), ("recovered", "returned", 10000)} <= kinds
    assert validate(set(g)) == []
