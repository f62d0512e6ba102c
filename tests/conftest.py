"""Shared fixtures and options for the test suite.

``--slow`` runs the tests marked ``@pytest.mark.slow`` (large inputs, long fuzzing runs);
without it they are skipped so that CI stays fast.
"""
from __future__ import annotations

import pytest


def pytest_addoption(parser):
    parser.addoption("--slow", action="store_true", default=False,
                     help="also run the slow tests (large inputs, long fuzzing)")


def pytest_configure(config):
    config.addinivalue_line("markers", "slow: a long test, run only with --slow")


def pytest_collection_modifyitems(config, items):
    if config.getoption("--slow"):
        return
    skip = pytest.mark.skip(reason="slow: run with --slow")
    for item in items:
        if "slow" in item.keywords:
            item.add_marker(skip)


@pytest.fixture
def slow(request) -> bool:
    """True under ``--slow``: property tests then try many more examples."""
    return bool(request.config.getoption("--slow"))


# The prefixes of the hand-written test graphs below.
TTL_PREFIXES = """
@prefix fkg: <https://w3id.org/fraudkg/ontology#> .
@prefix fkgc: <https://w3id.org/fraudkg/crime-type/> .
@base <https://w3id.org/fraudkg/resource/> .
@prefix rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
"""


# ---------------------------------------------------------------- a small graph (explorer,
# named queries, analysis, docs): two articles, Zhejiang and Guangdong sides bridged by one
# suspect and his gang. Names are invented; places are real divisions.
SMALL_KG_TTL = TTL_PREFIXES + """@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .

fkgc:RebateTaskFraud a skos:Concept ; skos:prefLabel "刷单返利诈骗"@zh .
fkgc:InvestmentFraud a skos:Concept ; skos:prefLabel "虚假投资理财诈骗"@zh .
fkgc:Theft a skos:Concept ; skos:prefLabel "盗窃"@zh .

<article/a1> a fkg:Article ; fkg:sourceFile "a1.txt" ; fkg:homeCity <place/330100> .
<article/a2> a fkg:Article ; fkg:sourceFile "a2.txt" ; fkg:homeCity <place/440300> .

<place/330000> a fkg:Place, fkg:Province ; rdfs:label "浙江省"@zh ; skos:altLabel "浙江"@zh .
<place/330100> a fkg:Place, fkg:Prefecture ; rdfs:label "杭州市"@zh ; skos:altLabel "杭州"@zh ; fkg:locatedIn <place/330000> .
<place/330106> a fkg:Place, fkg:County ; rdfs:label "西湖区"@zh ; fkg:locatedIn <place/330100> .
<place/440000> a fkg:Place, fkg:Province ; rdfs:label "广东省"@zh ; skos:altLabel "广东"@zh .
<place/440300> a fkg:Place, fkg:Prefecture ; rdfs:label "深圳市"@zh ; skos:altLabel "深圳"@zh ; fkg:locatedIn <place/440000> .
<place/320000> a fkg:Place, fkg:Province ; rdfs:label "江苏省"@zh .
<place/320100> a fkg:Place, fkg:Prefecture ; rdfs:label "南京市"@zh ; fkg:locatedIn <place/320000> .

<unit/hz> a fkg:PoliceUnit ; rdfs:label "杭州市公安局"@zh ; fkg:jurisdiction <place/330100> ; fkg:mentionedIn <article/a1> .
<unit/xh> a fkg:PoliceUnit ; rdfs:label "杭州市公安局西湖区分局"@zh ; skos:altLabel "西湖区分局"@zh ;
    fkg:partOf <unit/hz> ; fkg:jurisdiction <place/330106> ; fkg:mentionedIn <article/a1> .
<unit/wx> a fkg:PoliceUnit ; rdfs:label "杭州市公安局西湖区分局文新派出所"@zh ; skos:altLabel "文新派出所"@zh ;
    fkg:partOf <unit/xh> ; fkg:mentionedIn <article/a1> .
<unit/sz> a fkg:PoliceUnit ; rdfs:label "深圳市公安局"@zh ; fkg:jurisdiction <place/440300> ; fkg:mentionedIn <article/a2> .

<group/a1/g> a fkg:CriminalGroup ; rdfs:label "张某诈骗团伙"@zh ; fkg:originPlace <place/440300> ; fkg:mentionedIn <article/a1> .
<group/a2/g> a fkg:CriminalGroup ; rdfs:label "钱某犯罪团伙"@zh ; fkg:originPlace <place/320100> ; fkg:mentionedIn <article/a2> .
<group/a2/h> a fkg:CriminalGroup ; rdfs:label "吴某团伙"@zh ; fkg:originPlace <place/440000> ; fkg:mentionedIn <article/a2> .

<person/a1/zhang> a fkg:Suspect, fkg:Person ; rdfs:label "张某"@zh ; fkg:memberOf <group/a1/g> ;
    fkg:livesIn <place/440300> ; fkg:arrestedIn <place/330100> ; fkg:mentionedIn <article/a1> .
<person/a1/li> a fkg:Suspect, fkg:Person ; rdfs:label "李某"@zh ; fkg:livesIn <place/330100> ;
    fkg:arrestedIn <place/330106> ; fkg:mentionedIn <article/a1> .
<person/a1/wang> a fkg:Victim ; rdfs:label "王女士"@zh ; fkg:mentionedIn <article/a1> .
<person/a1/zhao> a fkg:Victim ; rdfs:label "赵先生"@zh ; fkg:mentionedIn <article/a1> .
<person/a2/sun> a fkg:Victim ; rdfs:label "孙女士"@zh ; fkg:mentionedIn <article/a2> .
<person/a2/zhou> a fkg:Victim ; rdfs:label "周先生"@zh ; fkg:mentionedIn <article/a2> .

<case/a1/c1> a fkg:Case ; rdfs:label "王女士 刷单返利诈骗案"@zh ; fkg:crimeType fkgc:RebateTaskFraud ;
    fkg:victim <person/a1/wang> ; fkg:suspect <person/a1/zhang> ; fkg:criminalGroup <group/a1/g> ;
    fkg:handledBy <unit/wx> ; fkg:occurredIn <place/330106> ;
    fkg:amountLost 50000.0 ; fkg:amountRecovered 20000.0 ; fkg:mentionedIn <article/a1> ; fkg:reportingCity <place/330100> .
<case/a1/c2> a fkg:Case ; rdfs:label "赵先生 虚假投资理财诈骗案"@zh ; fkg:crimeType fkgc:InvestmentFraud ;
    fkg:victim <person/a1/zhao> ; fkg:handledBy <unit/xh> ; fkg:amountLost 100000.0 ; fkg:mentionedIn <article/a1> ;
    fkg:reportingCity <place/330100> .
<case/a2/c1> a fkg:Case ; rdfs:label "孙女士 刷单返利诈骗案"@zh ; fkg:crimeType fkgc:RebateTaskFraud ;
    fkg:victim <person/a2/sun> ; fkg:handledBy <unit/sz> ; fkg:amountRecovered 30000.0 ; fkg:mentionedIn <article/a2> ;
    fkg:reportingCity <place/440300> .
<case/a2/c2> a fkg:Case ; rdfs:label "周先生 盗窃案"@zh ; fkg:crimeType fkgc:Theft ;
    fkg:victim <person/a2/zhou> ; fkg:amountLost 8000.0 ; fkg:mentionedIn <article/a2> ; fkg:reportingCity <place/440300> .

<figure/a1/f1> a fkg:ReportedFigure ; fkg:measure "破获电诈案件"@zh ; fkg:value 120.0 ; fkg:unit "起" ;
    fkg:period "2024年" ; fkg:reportedBy <unit/hz> .
<figure/a2/f1> a fkg:ReportedFigure ; fkg:measure "止付冻结资金"@zh ; fkg:value 3500000.0 ; fkg:unit "元" ;
    fkg:period "2024年上半年" ; fkg:reportedBy <unit/sz> .

<article/a1/sentence/0-20> a fkg:Sentence ; fkg:text "张某系该诈骗团伙成员，在杭州落网。" .
<article/a1/sentence/20-40> a fkg:Sentence ; fkg:text "王女士在家中被骗5万元。" .
<article/a1/sentence/40-60> a fkg:Sentence ; fkg:text "文新派出所民警迅速止付2万元。" .
<article/a1/sentence/60-80> a fkg:Sentence ; fkg:text "张某家住深圳。" .
<article/a2/sentence/0-20> a fkg:Sentence ; fkg:text "深圳市公安局负责深圳全市治安。" .
<article/a1/sentence/80-90> a fkg:Sentence ; fkg:text "嫌疑人张某被抓获。" .

<assertion/a1/1> a fkg:Assertion ; rdf:subject <person/a1/zhang> ; rdf:predicate fkg:memberOf ;
    rdf:object <group/a1/g> ; fkg:inSentence <article/a1/sentence/0-20> .
<assertion/a1/2> a fkg:Assertion ; rdf:subject <person/a1/zhang> ; rdf:predicate fkg:arrestedIn ;
    rdf:object <place/330100> ; fkg:inSentence <article/a1/sentence/0-20> .
<assertion/a1/3> a fkg:Assertion ; rdf:subject <case/a1/c1> ; rdf:predicate fkg:victim ;
    rdf:object <person/a1/wang> ; fkg:inSentence <article/a1/sentence/20-40> .
<assertion/a1/4> a fkg:Assertion ; rdf:subject <case/a1/c1> ; rdf:predicate fkg:handledBy ;
    rdf:object <unit/wx> ; fkg:inSentence <article/a1/sentence/40-60> .
<assertion/a1/5> a fkg:Assertion ; rdf:subject <person/a1/zhang> ; rdf:predicate fkg:livesIn ;
    rdf:object <place/440300> ; fkg:inSentence <article/a1/sentence/60-80> .
<assertion/a2/1> a fkg:Assertion ; rdf:subject <unit/sz> ; rdf:predicate fkg:jurisdiction ;
    rdf:object <place/440300> ; fkg:inSentence <article/a2/sentence/0-20> .
<assertion/a1/6> a fkg:Assertion ; rdf:subject <case/a1/c1> ; rdf:predicate fkg:suspect ;
    rdf:object <person/a1/zhang> ; fkg:inSentence <article/a1/sentence/80-90> .
<person/a1/zhang> fkg:evidence <assertion/a1/1>, <assertion/a1/2>, <assertion/a1/5> .
<case/a1/c1> fkg:evidence <assertion/a1/3>, <assertion/a1/4>, <assertion/a1/6> .
<unit/sz> fkg:evidence <assertion/a2/1> .
"""

# Hostile text, as an article could carry it: markup, a closing script tag, quotes, a
# javascript: URL and the line separators that end a JavaScript string.
HOSTILE_KG_TTL = TTL_PREFIXES + """
<article/evil> a fkg:Article ; fkg:sourceFile "javascript:window.__pwned=4//.txt" .
<person/evil/x> a fkg:Victim ; rdfs:label "<script>window.__pwned=1</script>恶意"@zh ;
    skos:altLabel "<img src=x onerror=\\"window.__pwned=2\\">"@zh ; fkg:mentionedIn <article/evil> .
<case/evil/c> a fkg:Case ; rdfs:label "</script><script>window.__pwned=3</script>"@zh ;
    fkg:crimeType fkgc:Theft ; fkg:victim <person/evil/x> ; fkg:mentionedIn <article/evil> .
<article/evil/sentence/0-9> a fkg:Sentence ;
    fkg:text "</script><img src=x onerror=window.__pwned=5> \\"引号\\" 'single' javascript:window.__pwned=6 \\u2028 line\\u2029end" .
<assertion/evil/1> a fkg:Assertion ; rdf:subject <case/evil/c> ; rdf:predicate fkg:victim ;
    rdf:object <person/evil/x> ; fkg:inSentence <article/evil/sentence/0-9> .
"""


@pytest.fixture
def small_kg(tmp_path):
    """The small graph as a Turtle file."""
    path = tmp_path / "small.ttl"
    path.write_text(SMALL_KG_TTL, encoding="utf-8")
    return path


@pytest.fixture
def hostile_kg(tmp_path):
    """The small graph plus an article whose names and sentences try to run script."""
    path = tmp_path / "hostile.ttl"
    path.write_text(SMALL_KG_TTL + HOSTILE_KG_TTL.split("\n\n", 1)[1], encoding="utf-8")
    return path


# ---------------------------------------------------------------- small corpus (store, parallel, serve, push)
SMALL_CORPUS = {
    "hz_shuadan.txt": "杭州市公安局西湖区分局近日破获一起刷单返利诈骗案。\n受害人张女士在网上做兼职刷单，"
                      "先后被骗5万元。犯罪嫌疑人李某已被抓获。\n",
    "bj_kefu.txt": "北京市朝阳区公安分局通报：市民王先生接到冒充客服的电话，被骗12万元。\n"
                   "警方提醒市民谨防冒充客服诈骗。\n",
    "cd_tuanhuo.txt": "成都市武侯区警方捣毁一个跨境电信网络诈骗团伙，抓获犯罪嫌疑人15名，涉案金额300余万元。\n",
    "gz_quanzu.txt": "广州市天河区公安分局民警成功劝阻一起冒充公检法诈骗，为群众挽回损失8万元。\n",
}


@pytest.fixture
def small_corpus(tmp_path):
    """A folder of four short reports written for the tests (real divisions, invented people)."""
    folder = tmp_path / "corpus"
    folder.mkdir()
    for name, text in SMALL_CORPUS.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


def synthetic_triples(n_cases: int = 1000, seed: int = 1) -> set:
    """A made-up graph of about 5 × n_cases entities and cases (victims, suspects, gangs,
    units, places) for the explorer's scale tests."""
    import random
    from rdflib import Literal, URIRef
    from rdflib.namespace import RDF, RDFS
    from kg.ns import FKG, FKGC, FKGR
    rng = random.Random(seed)
    t = set()

    def ent(kind, cls, i, label):
        iri = URIRef(f"{FKGR}{kind}/{i}")
        t.add((iri, RDF.type, cls))
        t.add((iri, RDFS.label, Literal(label, lang="zh")))
        return iri

    places = [ent("place", FKG.Place, i, f"地点{i}") for i in range(n_cases // 10 + 1)]
    for p in places[1:]:
        t.add((p, FKG.locatedIn, rng.choice(places[: max(1, places.index(p) // 4)])))
    units = [ent("unit", FKG.PoliceUnit, i, f"公安局{i}") for i in range(n_cases // 5 + 1)]
    for u in units:
        t.add((u, FKG.jurisdiction, rng.choice(places)))
    gangs = [ent("group", FKG.CriminalGroup, i, f"团伙{i}") for i in range(n_cases // 5 + 1)]
    for i in range(n_cases):
        case = ent("case", FKG.Case, i, f"案件{i}")
        t.add((case, FKG.crimeType, rng.choice([FKGC.RebateTaskFraud, FKGC.Theft])))
        t.add((case, FKG.victim, ent("person/v", FKG.Victim, i, f"受害人{i}")))
        suspect = ent("person/s", FKG.Suspect, i, f"嫌疑人{i}")
        t.add((case, FKG.suspect, suspect))
        t.add((suspect, FKG.memberOf, rng.choice(gangs)))
        t.add((case, FKG.handledBy, rng.choice(units)))
        t.add((case, FKG.amountLost, Literal(rng.randint(1, 100) * 1000)))
    return t


# ---------------------------------------------------------------- places, units, home city:
# the shared resources (gazetteer loaded once) and a helper that runs the first extractors
# over an article written in the test.
@pytest.fixture(scope="session")
def kg_resources():
    """One ``Resources`` (gazetteer, tables) for the whole session."""
    from kg.pipeline import Resources
    return Resources()


@pytest.fixture
def run_article(kg_resources, tmp_path):
    """``run_article(text, names=(...))`` → the ``ArticleResult`` of those extractors on
    ``text`` saved as an article file."""
    from kg.ingest import read_article
    from kg.pipeline import Pipeline

    def run(text: str, names=("places", "police_units", "home_city"), stem: str = "t"):
        path = tmp_path / f"{stem}.txt"
        path.write_text(text, encoding="utf-8")
        return Pipeline(names, kg_resources)(read_article(path))
    return run


# ---------------------------------------------------------------- money, dates, groups, cases:
# a news item written in the test, with the mentions earlier extractors would have added.
@pytest.fixture
def doc_of():
    """``doc_of(text, mentions=())`` → a one-item ``Doc`` of ``text`` (offsets = positions),
    its sentences split as ingestion does, with ``mentions`` already on it."""
    from kg.ingest import split_sentences
    from kg.model import Article, Doc

    def make(text: str, mentions=(), home_city=None, title: str = ""):
        art = Article(id="t", source_file="t.txt", path="t.txt", raw=text, content_hash="0")
        doc = Doc(article=art, item=0, title=title, text=text, offsets=tuple(range(len(text) + 1)),
                  sentences=tuple(split_sentences(text)), home_city=home_city)
        return doc.add(mentions=mentions)
    return make


@pytest.fixture(scope="session")
def virtuoso(tmp_path_factory):
    """The base URL of a Virtuoso server (Debian's package, installed when missing; one for
    the session). Its Graph Store endpoint is {url}/sparql-graph-crud-auth (Digest, dba/dba)."""
    from _virtuoso import executable, serve
    exe = executable()
    if exe is None:
        pytest.skip("Virtuoso is not installed and tools/setup-virtuoso.sh could not install it")
    yield from serve(exe, tmp_path_factory.mktemp("virtuoso"))
