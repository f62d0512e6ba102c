"""Tests of the ontology, the crime-type scheme, the SHACL shapes and the generated kg/ns.py."""
from __future__ import annotations

import importlib.util
import os
import re
from decimal import Decimal
from functools import cache
from pathlib import Path

import pytest
from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.collection import Collection
from rdflib.namespace import DCTERMS, OWL, RDF, RDFS, SH, SKOS

ROOT = Path(__file__).resolve().parent.parent
ONTOLOGY = ROOT / "ontology"
SHARED = Path(os.environ.get("FRAUDKG_SHARED", ROOT.parent / "shared"))

FKG = Namespace("https://w3id.org/fraudkg/ontology#")
FKGC = Namespace("https://w3id.org/fraudkg/crime-type/")
FKGSH = Namespace("https://w3id.org/fraudkg/shapes#")

# The fkg: terms of shared/eval/CONTRACT.md (the scorer reads these).
CONTRACT_CLASSES = ["Article", "PoliceUnit", "CriminalGroup", "Place", "Victim", "Suspect",
                    "PoliceOfficer", "Organization", "Case"]
CONTRACT_PROPERTIES = ["sourceFile", "homeCity", "mentionedIn", "partOf", "jurisdiction",
                       "locatedIn", "originPlace", "basedIn", "arrestedIn", "memberOf", "livesIn",
                       "worksFor", "victim", "suspect", "criminalGroup", "handledBy", "crimeType",
                       "amountLost", "amountRecovered"]
SCORED_TYPES = ["PoliceUnit", "CriminalGroup", "Victim", "Suspect", "PoliceOfficer", "Place",
                "Organization"]

# The crime-type labels of shared/eval/ANNOTATION.md, in its order; the first 13 are frauds.
CRIME_TYPE_LABELS = [
    "刷单返利诈骗", "虚假投资理财诈骗", "虚假网络贷款诈骗", "冒充电商物流客服诈骗", "冒充公检法诈骗",
    "虚假征信诈骗", "虚假购物服务诈骗", "冒充领导熟人诈骗", "网络游戏虚假交易诈骗", "网络婚恋交友诈骗",
    "机票退改签诈骗", "冒充军警及国家机关诈骗", "其他电信网络诈骗",
    "盗窃", "敲诈勒索", "非法吸收公众存款", "侵犯公民个人信息", "其他犯罪",
]
DECLARATIONS = (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty)


@cache
def _graph(*names: str) -> Graph:
    g = Graph()
    for name in names:
        g.parse(ONTOLOGY / name, format="turtle")
    return g


def onto() -> Graph:
    return _graph("fraudkg.ttl")


def crime_types() -> Graph:
    return _graph("crime-types.ttl")


def onto_and_types() -> Graph:
    return _graph("fraudkg.ttl", "crime-types.ttl")


def shapes() -> Graph:
    return _graph("shapes.ttl")


def _load_tool(name: str, path: Path):
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _declared(g: Graph) -> set[URIRef]:
    return {s for kind in DECLARATIONS for s in g.subjects(RDF.type, kind)
            if isinstance(s, URIRef) and s.startswith(str(FKG))}


def _texts(g: Graph, node, prop, lang: str) -> list[str]:
    return [str(o) for o in g.objects(node, prop) if isinstance(o, Literal) and o.language == lang]


# ------------------------------------------------------------------------------ the OWL file

def test_ontology_contract_terms_declared():
    g = onto()
    for name in CONTRACT_CLASSES:
        assert (FKG[name], RDF.type, OWL.Class) in g, f"fkg:{name} is not an owl:Class"
    for name in CONTRACT_PROPERTIES:
        kinds = set(g.objects(FKG[name], RDF.type))
        assert kinds & {OWL.ObjectProperty, OWL.DatatypeProperty}, f"fkg:{name} is not a property"
    assert str(FKG) == "https://w3id.org/fraudkg/ontology#"


def test_ontology_contract_terms_cover_shared_contract():
    contract = SHARED / "eval" / "CONTRACT.md"
    if not contract.exists():
        pytest.skip(f"{contract} not found (set FRAUDKG_SHARED)")
    used = set(re.findall(r"\bfkg:([A-Za-z]+)", contract.read_text(encoding="utf-8")))
    used.discard("City")  # CONTRACT.md's example of a subclass, not a term
    assert used <= set(CONTRACT_CLASSES + CONTRACT_PROPERTIES)
    assert {FKG[n] for n in used} <= _declared(onto())


def test_ontology_header_has_version_licence_description():
    g = onto()
    ont = URIRef("https://w3id.org/fraudkg/ontology")
    assert (ont, RDF.type, OWL.Ontology) in g
    assert list(g.objects(ont, OWL.versionInfo))
    assert URIRef("https://www.apache.org/licenses/LICENSE-2.0") in set(g.objects(ont, DCTERMS.license))
    for lang in ("zh", "en"):
        assert _texts(g, ont, DCTERMS.description, lang)


def test_ontology_terms_have_zh_en_labels_and_comments():
    g = onto()
    terms = _declared(g)
    assert len(terms) > 70
    for t in sorted(terms):
        for prop in (RDFS.label, RDFS.comment):
            for lang in ("zh", "en"):
                assert len(_texts(g, t, prop, lang)) == 1, f"{t} needs one {prop} @{lang}"


def test_ontology_every_fkg_iri_used_is_declared():
    declared = _declared(onto())
    for name in ("fraudkg.ttl", "crime-types.ttl", "shapes.ttl"):
        g = _graph(name)
        used = {n for triple in g for n in triple
                if isinstance(n, URIRef) and n.startswith(str(FKG))}
        assert used <= declared, f"{name} uses undeclared terms {sorted(used - declared)}"


def test_ontology_uses_http_wgs84_namespace():
    geo = "http://www.w3.org/2003/01/geo/wgs84_pos#"
    g = onto()
    assert (FKG.Place, RDFS.subClassOf, URIRef(geo + "SpatialThing")) in g
    text = "\n".join((ONTOLOGY / n).read_text(encoding="utf-8") for n in ("fraudkg.ttl", "shapes.ttl"))
    assert "https://www.w3.org/2003/01/geo" not in text


# ------------------------------------------------------------------- what the scorer sees

def _subclasses(g: Graph, cls: URIRef) -> set[URIRef]:
    """The scorer's subclass logic (shared/eval/score.py, graph_to_preds)."""
    q = "SELECT ?c WHERE { ?c rdfs:subClassOf* ?top }"
    return {r.c for r in g.query(q, initBindings={"top": cls}, initNs={"rdfs": RDFS})} | {cls}


def test_ontology_place_levels_count_as_places_for_the_scorer():
    places = _subclasses(onto(), FKG.Place)
    for level in ("Country", "Province", "Prefecture", "County", "Township", "Area"):
        assert FKG[level] in places
    assert FKG.NewsItem in _subclasses(onto(), FKG.Article)
    assert FKG.Suspect in _subclasses(onto(), FKG.Person)


def test_ontology_scored_classes_do_not_nest():
    g = onto_and_types()
    assert FKG.PoliceUnit not in _subclasses(g, FKG.Organization)
    assert FKG.CriminalGroup not in _subclasses(g, FKG.Organization)
    for a in SCORED_TYPES:
        for b in SCORED_TYPES:
            if a != b:
                assert FKG[a] not in _subclasses(g, FKG[b]), f"fkg:{a} would be scored as fkg:{b}"


def test_ontology_scorer_reads_a_small_kg(tmp_path):
    score_py = SHARED / "eval" / "score.py"
    if not score_py.exists():
        pytest.skip(f"{score_py} not found (set FRAUDKG_SHARED)")
    score = _load_tool("fraudkg_score", score_py)
    kg = tmp_path / "kg.ttl"
    kg.write_text(VALID_KG, encoding="utf-8")
    preds = score.read_rdf([kg], ONTOLOGY)
    pred = preds["000_test"]
    types = {e["type"]: e["labels"] for e in pred["entities"]}
    assert sorted(types["Place"]) == ["永康", "永康市"]
    assert types["PoliceUnit"] == ["永康市公安局"]
    assert types["Victim"] == ["梅女士"]
    (case,) = pred["cases"]
    assert case["crime_type"] == ["冒充电商物流客服诈骗"]  # one prefLabel, no English one
    assert case["amount_lost"] == [980.0]
    assert sorted(pred["home_city"]) == ["永康", "永康市"]


# ------------------------------------------------------------------------- the SKOS scheme

def test_ontology_crime_types_are_the_annotation_labels():
    g = crime_types()
    members = set(g.objects(FKGC.caseTypes, SKOS.member))
    labels = []
    for c in members:
        prefs = list(g.objects(c, SKOS.prefLabel))
        assert len(prefs) == 1 and prefs[0].language == "zh", f"{c}: exactly one prefLabel @zh"
        labels.append(str(prefs[0]))
    assert sorted(labels) == sorted(CRIME_TYPE_LABELS)
    annotation = SHARED / "eval" / "ANNOTATION.md"
    assert annotation.exists(), f"{annotation} is missing: check out ../shared beside the project"
    text = annotation.read_text(encoding="utf-8")
    listed = text.split("Crime types (use the label exactly):", 1)[1].strip().split("\n\n", 1)[0]
    assert [x.strip(" .\n") for x in listed.split(",")] == CRIME_TYPE_LABELS


def test_ontology_crime_types_13_narrower_than_telecom_fraud():
    g = crime_types()
    top = FKGC.TelecomNetworkFraud
    assert _texts(g, top, SKOS.prefLabel, "zh") == ["电信网络诈骗"]
    narrower = set(g.objects(top, SKOS.narrower))
    assert narrower == set(g.subjects(SKOS.broader, top))
    assert sorted(str(g.value(c, SKOS.prefLabel)) for c in narrower) == sorted(CRIME_TYPE_LABELS[:13])
    tops = set(g.objects(FKGC.scheme, SKOS.hasTopConcept))
    assert tops == set(g.subjects(SKOS.topConceptOf, FKGC.scheme))
    assert sorted(str(g.value(c, SKOS.prefLabel)) for c in tops - {top}) == sorted(CRIME_TYPE_LABELS[13:])


def test_ontology_crime_types_are_documented_concepts():
    g = crime_types()
    concepts = set(g.subjects(RDF.type, SKOS.Concept))
    assert len(concepts) == 19
    notations = [str(g.value(c, SKOS.notation)) for c in concepts]
    assert len(set(notations)) == 19
    for c in concepts:
        assert (c, RDF.type, FKG.CrimeType) in g
        assert (c, SKOS.inScheme, FKGC.scheme) in g
        assert re.fullmatch(r"[A-Za-z]+", c.removeprefix(str(FKGC)))
        for lang in ("zh", "en"):
            assert _texts(g, c, SKOS.definition, lang), f"{c} needs a definition @{lang}"
            assert _texts(g, c, RDFS.label, lang), f"{c} needs an rdfs:label @{lang}"
    mps = set(g.objects(FKGC.mpsHighIncidence, SKOS.member))
    assert len(mps) == 10 and mps < set(g.objects(FKGC.TelecomNetworkFraud, SKOS.narrower))
    for c in mps:
        assert any("公安部" in note for note in _texts(g, c, SKOS.scopeNote, "zh"))


def test_ontology_shapes_crime_type_list_matches_case_types():
    s, g = shapes(), crime_types()
    prop = next(p for p in s.subjects(SH.path, FKG.crimeType)
                if (FKGSH.CaseShape, SH.property, p) in s)
    allowed = set(Collection(s, s.value(prop, SH["in"])))
    assert allowed == set(g.objects(FKGC.caseTypes, SKOS.member))


# ------------------------------------------------------------------------- kg/ns.py

def test_ontology_ns_module_up_to_date():
    gen = _load_tool("gen_ns", ROOT / "tools" / "gen_ns.py")
    expected = gen.render(ONTOLOGY)
    assert (ROOT / "kg" / "ns.py").read_text(encoding="utf-8") == expected, (
        "kg/ns.py is stale: run python tools/gen_ns.py"
    )


def test_ontology_ns_check_mode_reports_stale_output(tmp_path):
    gen = _load_tool("gen_ns", ROOT / "tools" / "gen_ns.py")
    out = tmp_path / "ns.py"
    out.write_text("# stale\n", encoding="utf-8")
    assert gen.main(["--check", "--output", str(out)]) == 1
    assert gen.main(["--output", str(out)]) == 0
    assert gen.main(["--check", "--output", str(out)]) == 0


def test_ontology_ns_rejects_misspelt_term():
    from kg.ns import FKG as NS_FKG, FKGC as NS_FKGC

    with pytest.raises(AttributeError):
        NS_FKG.Misspelt
    with pytest.raises(AttributeError):
        NS_FKGC.Misspelt
    assert NS_FKG.PoliceUnit == FKG.PoliceUnit
    assert NS_FKGC.RebateTaskFraud == FKGC.RebateTaskFraud


def test_ontology_ns_has_every_declared_term():
    from kg.ns import FKG as NS_FKG, FKGC as NS_FKGC, GEO, PREFIXES

    assert {getattr(NS_FKG, n) for n in NS_FKG.__annotations__} == _declared(onto())
    concepts = {c for kind in (SKOS.Concept, SKOS.Collection, SKOS.ConceptScheme)
                for c in crime_types().subjects(RDF.type, kind)}
    assert {getattr(NS_FKGC, n) for n in NS_FKGC.__annotations__} == concepts
    assert GEO.lat == URIRef("http://www.w3.org/2003/01/geo/wgs84_pos#lat")
    assert str(PREFIXES["fkg"]) == str(FKG)


# ------------------------------------------------------------------------- SHACL shapes

VALID_KG = """
@prefix fkg: <https://w3id.org/fraudkg/ontology#> .
@prefix fkgc: <https://w3id.org/fraudkg/crime-type/> .
@prefix fkgr: <https://w3id.org/fraudkg/resource/> .
@prefix fkgrule: <https://w3id.org/fraudkg/rule/> .
@prefix rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix geo: <http://www.w3.org/2003/01/geo/wgs84_pos#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .

fkgr:article a fkg:NewsItem ;
    fkg:sourceFile "000_test.txt" ; fkg:itemIndex 0 ; fkg:title "永康警方破获一起诈骗案" ;
    fkg:contentHash "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855" ;
    fkg:homeCity fkgr:yongkang .
fkgr:sentence a fkg:Sentence ;
    fkg:text "永康市公安局接到梅女士报警。" ; fkg:inArticle fkgr:article ;
    fkg:startOffset 0 ; fkg:endOffset 14 ; fkg:sentenceIndex 0 .
fkgrule:unit_suffix a fkg:Rule ; rdfs:label "police unit by suffix"@en ; fkg:pattern "公安局" .
fkgr:m1 a fkg:Mention ;
    fkg:text "永康市公安局" ; fkg:startOffset 0 ; fkg:endOffset 6 ;
    fkg:inSentence fkgr:sentence ; fkg:rule fkgrule:unit_suffix ; fkg:denotes fkgr:unit ;
    fkg:confidence 0.9 .
fkgr:yongkang a fkg:County ; rdfs:label "永康市"@zh ; skos:altLabel "永康"@zh ;
    fkg:mentionedIn fkgr:article ; fkg:adminCode "330784" ; fkg:locatedIn fkgr:jinhua ;
    geo:lat 28.9 ; geo:long 120.05 .
fkgr:jinhua a fkg:Prefecture ; rdfs:label "金华市"@zh .  # background: no mentionedIn
fkgr:unit a fkg:PoliceUnit ; rdfs:label "永康市公安局"@zh ; fkg:mentionedIn fkgr:article ;
    fkg:jurisdiction fkgr:yongkang ; fkg:evidence fkgr:m1 .
fkgr:victim a fkg:Victim ; rdfs:label "梅女士"@zh ; fkg:mentionedIn fkgr:article ;
    fkg:livesIn fkgr:yongkang .
fkgr:amount a fkg:MonetaryAmount ; fkg:value 980 ; fkg:amountRole "lost" ; fkg:qualifier "exact" .
fkgr:case a fkg:Case ;
    fkg:crimeType fkgc:ECommerceCustomerServiceImpersonation ; fkg:mentionedIn fkgr:article ;
    fkg:victim fkgr:victim ; fkg:handledBy fkgr:unit ; fkg:occurredIn fkgr:yongkang ;
    fkg:amountLost 980.0 ; fkg:amountRecovered 0 ; fkg:amount fkgr:amount ;
    fkg:date "2023-05"^^xsd:gYearMonth ; fkg:datePrecision "month" .
fkgr:assertion a fkg:Assertion ;
    rdf:subject fkgr:unit ; rdf:predicate fkg:jurisdiction ; rdf:object fkgr:yongkang ;
    fkg:rule fkgrule:unit_suffix ; fkg:inSentence fkgr:sentence .
"""

R = Namespace("https://w3id.org/fraudkg/resource/")


def _validate(data: Graph):
    import pyshacl

    conforms, report, text = pyshacl.validate(
        data, shacl_graph=shapes(), ont_graph=onto_and_types(), inference="none",
    )
    return conforms, report, text


def _valid() -> Graph:
    return Graph().parse(data=VALID_KG, format="turtle")


def test_ontology_shapes_are_valid_shacl():
    import pyshacl

    conforms, _, text = pyshacl.validate(
        _valid(), shacl_graph=shapes(), ont_graph=onto_and_types(), inference="none",
        meta_shacl=True,
    )
    assert conforms, text


def test_ontology_shapes_accept_valid_graph():
    conforms, _, text = _validate(_valid())
    assert conforms, text


def test_ontology_shapes_accept_the_ontology_itself():
    conforms, _, text = _validate(onto_and_types())
    assert conforms, text


def test_ontology_shapes_have_bilingual_messages():
    s = shapes()
    node_params = (SH["class"], SH.pattern, SH["or"], SH.nodeKind, SH["in"])
    nodes = [n for n in s.subjects(RDF.type, SH.NodeShape)
             if any((n, p, None) in s for p in node_params)]
    for node in [*s.objects(None, SH.property), *nodes]:
        for lang in ("en", "zh"):
            assert _texts(s, node, SH.message, lang), f"{node} needs sh:message @{lang}"


def _drop(g: Graph, s, p) -> Graph:
    g.remove((s, p, None))
    return g


def _add(g: Graph, *triples) -> Graph:
    for t in triples:
        g.add(t)
    return g


def _set(g: Graph, s, p, o) -> Graph:
    g.set((s, p, o))
    return g


INVALID = {
    "case with two crime types": (
        lambda g: _add(g, (R.case, FKG.crimeType, FKGC.Theft)), R.case, SH.MaxCountConstraintComponent),
    "case with the grouping crime type": (
        lambda g: _set(g, R.case, FKG.crimeType, FKGC.TelecomNetworkFraud), R.case,
        SH.InConstraintComponent),
    "case without crime type": (
        lambda g: _drop(g, R.case, FKG.crimeType), R.case, SH.MinCountConstraintComponent),
    "mention with start = end": (
        lambda g: _set(g, R.m1, FKG.startOffset, Literal(6)), R.m1, SH.LessThanConstraintComponent),
    "mention with start > end": (
        lambda g: _set(g, R.m1, FKG.startOffset, Literal(9)), R.m1, SH.LessThanConstraintComponent),
    "mention without rule": (
        lambda g: _drop(g, R.m1, FKG.rule), R.m1, SH.MinCountConstraintComponent),
    "entity without mentionedIn": (
        lambda g: _drop(g, R.victim, FKG.mentionedIn), R.victim, SH.MinCountConstraintComponent),
    "entity without label": (
        lambda g: _drop(g, R.unit, RDFS.label), R.unit, SH.MinCountConstraintComponent),
    "place neither mentioned nor background": (
        lambda g: _add(g, (R.zhejiang, RDF.type, FKG.Province),
                       (R.zhejiang, RDFS.label, Literal("浙江省"))),
        R.zhejiang, SH.OrConstraintComponent),
    "article with two source files": (
        lambda g: _add(g, (R.article, FKG.sourceFile, Literal("other.txt"))), R.article,
        SH.MaxCountConstraintComponent),
    "negative amount": (
        lambda g: _set(g, R.case, FKG.amountLost, Literal(Decimal("-1"))), R.case,
        SH.MinInclusiveConstraintComponent),
    "amount as a string": (
        lambda g: _set(g, R.case, FKG.amountLost, Literal("980")), R.case, SH.OrConstraintComponent),
    "two amounts lost": (
        lambda g: _add(g, (R.case, FKG.amountLost, Literal(Decimal("5")))), R.case,
        SH.MaxCountConstraintComponent),
    "victim that is not a Victim": (
        lambda g: _set(g, R.case, FKG.victim, R.unit), R.case, SH.ClassConstraintComponent),
    "handledBy a place": (
        lambda g: _set(g, R.case, FKG.handledBy, R.yongkang), R.case, SH.ClassConstraintComponent),
    "partOf a place": (
        lambda g: _add(g, (R.unit, FKG.partOf, R.yongkang)), R.unit, SH.ClassConstraintComponent),
    "locatedIn from a police unit": (
        lambda g: _add(g, (R.unit, FKG.locatedIn, R.yongkang)), R.unit, SH.ClassConstraintComponent),
    "latitude out of range": (
        lambda g: _set(g, R.yongkang, URIRef("http://www.w3.org/2003/01/geo/wgs84_pos#lat"),
                       Literal(Decimal("128.9"))), R.yongkang, SH.MaxInclusiveConstraintComponent),
    "amount role not in the list": (
        lambda g: _set(g, R.amount, FKG.amountRole, Literal("stolen")), R.amount,
        SH.InConstraintComponent),
}


@pytest.mark.parametrize("case", sorted(INVALID))
def test_ontology_shapes_reject_invalid_graph(case):
    change, focus, component = INVALID[case]
    conforms, report, text = _validate(change(_valid()))
    assert not conforms
    results = {(report.value(r, SH.focusNode), report.value(r, SH.sourceConstraintComponent))
               for r in report.subjects(RDF.type, SH.ValidationResult)}
    assert (focus, component) in results, text
    for r in report.subjects(RDF.type, SH.ValidationResult):
        assert report.value(r, SH.resultMessage) is not None

