"""Named questions: each shipped .rq answers correctly on a small graph of known content,
and parameters are bound as RDF terms, never pasted into the query text."""
from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import TTL_PREFIXES
from kg.cli import main
from kg.errors import QueryError
from kg.query import (bind_params, bind_text, get_named, load_store, named_queries, order_rows, parse_named, run, run_named,
                      split_order, with_prefixes)

QUERIES = Path(__file__).resolve().parent.parent / "kg" / "queries"


def rows(store, query, **params):
    res = run_named(store, query, params)
    return [dict(zip(res.variables, r)) for r in res.rows]


@pytest.fixture
def store(small_kg):
    return load_store(small_kg)


def test_queries_every_file_has_a_header_naming_it_after_the_file():
    files = sorted(QUERIES.glob("*.rq"))
    assert len(files) >= 9
    for f in files:
        q = parse_named(f.read_text(encoding="utf-8"), str(f))
        assert q.name == f.stem
        assert q.description and "\n" not in q.description
    assert set(named_queries()) == {f.stem for f in files}


def test_queries_cases_by_crime_type_counts_cases_and_sums_money(store):
    got = {r["crimeType"]: (r["cases"], float(r["amountLost"]), float(r["amountRecovered"]))
           for r in rows(store, "cases-by-crime-type")}
    assert got == {"刷单返利诈骗": ("2", 50000.0, 50000.0), "虚假投资理财诈骗": ("1", 100000.0, 0.0),
                   "盗窃": ("1", 8000.0, 0.0)}


def test_queries_cases_by_crime_type_filters_by_the_crime_parameter(store):
    got = rows(store, "cases-by-crime-type", crime="盗窃")
    assert [r["crimeType"] for r in got] == ["盗窃"]
    assert "crime" not in got[0]          # the parameter column is not shown


def test_queries_gangs_by_origin_province_rolls_cities_up(store):
    got = {r["province"]: (r["groups"], set(r["names"].split(", "))) for r in rows(store, "gangs-by-origin-province")}
    assert got == {"广东省": ("2", {"张某诈骗团伙", "吴某团伙"}), "江苏省": ("1", {"钱某犯罪团伙"})}


def test_queries_units_by_cases_counts_sub_units(store):
    got = {r["unit"]: (r["cases"], r["handledDirectly"]) for r in rows(store, "units-by-cases")}
    assert got == {"杭州市公安局": ("2", "0"), "杭州市公安局西湖区分局": ("2", "1"),
                   "杭州市公安局西湖区分局文新派出所": ("1", "1"), "深圳市公安局": ("1", "1")}


def test_queries_cases_by_place_follows_the_documented_place_rule(store):
    # c1 occurredIn 西湖区; c2 via its unit's jurisdiction (西湖区); c3 via 深圳市公安局's
    # jurisdiction; c4 has neither, so its article's home city (深圳市).
    prov = {r["region"]: (r["cases"], float(r["amountLost"]), float(r["amountRecovered"]))
            for r in rows(store, "cases-by-place")}
    assert prov == {"浙江省": ("2", 150000.0, 20000.0), "广东省": ("2", 8000.0, 30000.0)}
    pref = {r["region"]: r["cases"] for r in rows(store, "cases-by-place", level="prefecture")}
    assert pref == {"杭州市": "2", "深圳市": "2"}
    county = {r["region"]: r["cases"] for r in rows(store, "cases-by-place", level="county")}
    assert county == {"西湖区": "2"}


def test_queries_entity_gives_each_fact_with_its_sentence(store):
    got = rows(store, "entity", name="张某")
    facts = {(r["direction"], r["relation"], r["value"]): r["sentence"] for r in got}
    assert facts[("→", "memberOf", "张某诈骗团伙")] == "张某系该诈骗团伙成员，在杭州落网。"
    assert facts[("→", "livesIn", "深圳市")] == "张某家住深圳。"
    assert facts[("←", "suspect", "王女士 刷单返利诈骗案")] == "嫌疑人张某被抓获。"
    assert ("→", "mentionedIn", "a1.txt") in facts


def test_queries_entity_matches_an_alt_label(store):
    got = rows(store, "entity", name="文新派出所")
    assert {r["entity"] for r in got} == {"https://w3id.org/fraudkg/resource/unit/wx"}
    assert any(r["relation"] == "partOf" and r["value"] == "杭州市公安局西湖区分局" for r in got)


def test_queries_suspects_caught_away_only_lists_other_provinces(store):
    got = rows(store, "suspects-caught-away")
    assert got == [{"suspect": "张某", "homeProvince": "广东省", "homeFrom": "own", "arrestedIn": "杭州市",
                    "arrestProvince": "浙江省"}]      # 李某 lives in 杭州 and was arrested in 西湖区: at home


def test_queries_suspects_caught_away_fall_back_on_their_group_s_origin(small_kg):
    # 钱某's home is his gang's origin (南京 → 江苏); 吴某 lives in 深圳, so his gang's origin
    # (also 江苏) is not his home
    extra = TTL_PREFIXES + """
    <person/a2/qian> a fkg:Suspect ; rdfs:label "钱某"@zh ; fkg:memberOf <group/a2/g> ; fkg:arrestedIn <place/440300> .
    <person/a2/wu> a fkg:Suspect ; rdfs:label "吴某"@zh ; fkg:memberOf <group/a2/g> ; fkg:livesIn <place/440300> ;
        fkg:arrestedIn <place/330100> .
    """
    import pyoxigraph as ox
    graph = load_store(small_kg)
    graph.load(extra.encode("utf-8"), format=ox.RdfFormat.TURTLE)
    got = [(r["suspect"], r["homeProvince"], r["homeFrom"], r["arrestedIn"], r["arrestProvince"])
           for r in rows(graph, "suspects-caught-away")]
    assert got == [("吴某", "广东省", "own", "杭州市", "浙江省"), ("张某", "广东省", "own", "杭州市", "浙江省"),
                   ("钱某", "江苏省", "group", "深圳市", "广东省")]


def test_queries_suspects_caught_away_else_away_from_the_unit_that_handled_the_case(small_kg):
    # a group of unknown origin, arrested in 深圳 (广东) for a case a 杭州 unit (浙江) handled:
    # caught away; a second group arrested in 杭州 by that unit is at home; a person named in
    # the case who lives nowhere known and was arrested in 深圳 by 深圳's police is at home
    extra = TTL_PREFIXES + """
    <group/a1/far> a fkg:CriminalGroup ; rdfs:label "某某团伙"@zh ; fkg:arrestedIn <place/440300> .
    <group/a1/near> a fkg:CriminalGroup ; rdfs:label "另一团伙"@zh ; fkg:arrestedIn <place/330100> .
    <case/a1/c1> fkg:criminalGroup <group/a1/far>, <group/a1/near> .
    <person/a2/sun2> a fkg:Suspect ; rdfs:label "孙某"@zh ; fkg:arrestedIn <place/440300> .
    <case/a2/c1> fkg:suspect <person/a2/sun2> .
    """
    import pyoxigraph as ox
    graph = load_store(small_kg)
    graph.load(extra.encode("utf-8"), format=ox.RdfFormat.TURTLE)
    got = [(r["suspect"], r["homeProvince"], r["homeFrom"], r["arrestedIn"], r["arrestProvince"])
           for r in rows(graph, "suspects-caught-away")]
    assert got == [("张某", "广东省", "own", "杭州市", "浙江省"), ("某某团伙", "浙江省", "handling unit", "深圳市", "广东省")]


def test_queries_recovered_by_unit_sums_per_unit(store):
    got = {r["unit"]: float(r["amountRecovered"]) for r in rows(store, "recovered-by-unit")}
    assert got == {"深圳市公安局": 30000.0, "杭州市公安局西湖区分局文新派出所": 20000.0}


def test_queries_recovered_by_unit_shares_a_case_among_its_units_so_the_column_adds_up(small_kg):
    import pyoxigraph as ox
    graph = load_store(small_kg)        # a second unit on the case that recovered 20,000
    graph.load((TTL_PREFIXES + "<case/a1/c1> fkg:handledBy <unit/hz> .").encode("utf-8"), format=ox.RdfFormat.TURTLE)
    got = {r["unit"]: (r["cases"], r["casesShared"], float(r["amountRecovered"]), float(r["amountInCases"]))
           for r in rows(graph, "recovered-by-unit")}
    assert got == {"深圳市公安局": ("1", "0", 30000.0, 30000.0),
                   "杭州市公安局西湖区分局文新派出所": ("1", "1", 10000.0, 20000.0),
                   "杭州市公安局": ("1", "1", 10000.0, 20000.0)}
    assert sum(v[2] for v in got.values()) == 50000.0        # what the cases recovered


def test_queries_reported_figures_filter_by_unit_alias_and_period(store):
    assert len(rows(store, "reported-figures")) == 2
    by_unit = rows(store, "reported-figures", unit="深圳市公安局")
    assert [(r["measure"], float(r["value"]), r["unitOfMeasure"]) for r in by_unit] == [("止付冻结资金", 3500000.0, "元")]
    by_period = rows(store, "reported-figures", period="2024年")
    assert [r["reporter"] for r in by_period] == ["杭州市公安局"]
    assert rows(store, "reported-figures", unit="杭州市公安局", period="2024年上半年") == []


def test_queries_dissuaded_victims_have_recovered_but_no_loss(store):
    got = rows(store, "dissuaded-victims")
    assert [(r["victim"], r["handledBy"], float(r["amountRecovered"])) for r in got] == [("孙女士", "深圳市公安局", 30000.0)]


def test_queries_entity_leaves_out_the_reporting_city_written_for_cases_by_place(store):
    got = rows(store, "entity", name="深圳市")
    assert ("←", "livesIn", "张某") in {(r["direction"], r["relation"], r["value"]) for r in got}
    assert all(r["relation"] != "reportingCity" for r in got)
    assert all(r["relation"] != "reportingCity" for r in rows(store, "entity", name="周先生 盗窃案"))


# Two news items of one page, each with its own home city and a case (names invented).
PAGE = ("永州警方破获刷单诈骗案\n本报讯 近日,永州市公安局零陵分局接到受害人王女士报警,王女士在网上做兼职刷单,"
        "先后被骗5万元。\n\n株洲警方劝阻一起诈骗\n本报讯 近日,株洲市公安局天元分局接到市民李先生报警,"
        "李先生接到冒充客服的电话,被骗12万元。\n")


def _reporting_cities(result, resources) -> list[tuple]:
    """Each case's fkg:reportingCity beside the city cases-by-place used to look up for it:
    the fkg:homeCity of its news item, else of its article."""
    import pyoxigraph as ox
    from kg.rdf import article_ntriples
    graph = ox.Store()
    graph.load(article_ntriples(result, resources)[0], format=ox.RdfFormat.N_TRIPLES)
    res = run(graph, with_prefixes("""
        SELECT ?case ?written ?rule WHERE {
          ?case a fkg:Case .
          OPTIONAL { ?case fkg:reportingCity ?written }
          OPTIONAL { ?case fkg:mentionedIn ?item . ?item a fkg:NewsItem ; fkg:homeCity ?itemCity }
          OPTIONAL { ?case fkg:mentionedIn ?article . ?article a fkg:Article ; fkg:homeCity ?articleCity }
          BIND(COALESCE(?itemCity, ?articleCity) AS ?rule)
        } ORDER BY ?case"""))
    return [tuple(r[1:]) for r in res.rows]


def test_queries_reporting_city_is_the_item_home_city_else_the_article_s(run_article, kg_resources):
    from dataclasses import replace
    from kg.extract import DEFAULT_PIPELINE
    res = run_article(PAGE, names=DEFAULT_PIPELINE)
    assert [len(d.cases) for d in res.docs] == [1, 1]
    assert [d.home_city for d in res.docs] == ["Place/431100", "Place/430200"] and res.home_city == "Place/431100"
    yongzhou, zhuzhou = (f"https://w3id.org/fraudkg/resource/place/{c}" for c in ("431100", "430200"))
    assert _reporting_cities(res, kg_resources) == [(yongzhou, yongzhou), (zhuzhou, zhuzhou)]
    # an item without a home city of its own: its case takes the page's
    res = replace(res, docs=(res.docs[0], replace(res.docs[1], home_city=None)))
    assert _reporting_cities(res, kg_resources) == [(yongzhou, yongzhou), (yongzhou, yongzhou)]


# every named query, with the parameters the tests above use
CALLS = [("cases-by-crime-type", {}), ("cases-by-crime-type", {"crime": "盗窃"}), ("cases-by-place", {}),
         ("cases-by-place", {"level": "county"}), ("dissuaded-victims", {}), ("entity", {"name": "张某"}),
         ("entity", {"name": "文新派出所"}), ("gangs-by-origin-province", {}), ("recovered-by-unit", {}),
         ("reported-figures", {}), ("reported-figures", {"unit": "深圳市公安局"}),
         ("reported-figures", {"period": "2024年"}), ("suspects-caught-away", {}), ("units-by-cases", {})]


def test_queries_calls_cover_every_named_query():
    assert {name for name, _ in CALLS} == set(named_queries())


@pytest.mark.parametrize("name,params", CALLS)
def test_queries_rows_come_in_the_order_sparql_would_give(store, name, params):
    # run_named drops the final ORDER BY and sorts in Python; pyoxigraph's own sort must agree
    query = get_named(name)
    assert split_order(query.text)[1], f"{name} ends without an ORDER BY run_named can apply"
    ordered = run(store, with_prefixes(bind_text(query, params)))
    hidden = {p.name for p in query.params}
    keep = [i for i, v in enumerate(ordered.variables) if v not in hidden]
    assert run_named(store, name, params).rows == [[r[i] for i in keep] for r in ordered.rows]


def test_queries_split_order_takes_only_a_final_order_by_of_variables():
    assert split_order("SELECT ?a ?b WHERE { ?a ?p ?b }\nORDER BY DESC(?b) ?a asc(?p)\n") == (
        "SELECT ?a ?b WHERE { ?a ?p ?b }\n", [("b", True), ("a", False), ("p", False)])
    for text in ("SELECT ?a WHERE { ?a ?p ?b }\nORDER BY ?a\nLIMIT 3",          # a LIMIT after it
                 "SELECT ?a WHERE { ?a ?p ?b }\nORDER BY STR(?a)",                # an expression
                 "SELECT ?a WHERE { ?a ?p ?b }  # ORDER BY ?a",                    # a comment
                 "SELECT ?a WHERE { { SELECT ?a WHERE { ?a ?p ?b }\nORDER BY ?a } }"):
        assert split_order(text) == (text, [])


def test_queries_python_order_follows_sparql_and_refuses_mixed_literals():
    import pyoxigraph as ox
    graph = ox.Store()
    graph.add(ox.Quad(ox.BlankNode("n"), ox.NamedNode("http://x/p"), ox.Literal("o")))
    query = ('SELECT ?v WHERE { { VALUES ?v { UNDEF "b" "a" "10" "é" "b"@zh "a"@zh "a"@en "a"@zh-Hant "" ""@zh '
             '<http://x/b> <http://x/a> } } UNION { ?v <http://x/p> "o" } }')
    cells = [[c] for c in graph.query(query).serialize(format=ox.QueryResultsFormat.TSV).decode().split("\n")[1:-1]]
    terms = [str(s["v"]) for s in graph.query(query)]          # "a"@zh and "a" apart
    expected = [str(s["v"]) for s in graph.query(query + " ORDER BY ?v")]
    assert len(terms) == 14 and terms != expected
    assert [terms[i] for i in order_rows(["v"], cells, [("v", False)])] == expected
    assert [terms[i] for i in order_rows(["v"], cells, [("v", True)])] == [
        str(s["v"]) for s in graph.query(query + " ORDER BY DESC(?v)")]
    numbers = [["2"], ['"10"^^<http://www.w3.org/2001/XMLSchema#integer>'], ["1.5"], [""]]
    assert order_rows(["n"], numbers, [("n", True)]) == [1, 0, 2, 3]      # by value; unbound last in DESC
    assert order_rows(["n"], numbers + [['"x"']], [("n", False)]) is None   # numbers and strings
    assert order_rows(["n"], [["true"], ["false"]], [("n", False)]) is None
    assert order_rows(["n"], [["1"]], [("m", False)]) is None               # not a column


def test_queries_values_read_back_as_the_text_of_each_term():
    import pyoxigraph as ox
    graph = ox.Store()
    query = ('SELECT ?v ?w WHERE { VALUES (?v ?w) { (1 UNDEF) (1.5 "") (1.0e3 "a\\tb\\nc\\"d\\\\e\\u00e9") '
             '("x"@zh-Hant <http://a/b>) ("2020-01-01"^^<http://www.w3.org/2001/XMLSchema#date> true) } }')
    texts = [[None if t is None else t.value for t in solution] for solution in graph.query(query)]
    assert run(graph, query).rows == texts
    assert texts[2][1] == 'a\tb\nc"d\\eé'
    blank = run(graph, "SELECT ?b WHERE { BIND(BNODE() AS ?b) }").rows[0][0]
    assert blank.startswith("_:") and len(blank) > 2


@pytest.mark.parametrize("hostile", ['"} ; DROP ALL ; #', "张某\" } UNION { ?s ?p ?o } #", "<x> ?p ?o", "'",
                                     '\\"} UNION { ?s ?p ?o } #'])
def test_queries_a_parameter_is_a_term_not_query_text(store, hostile):
    before = len(store)
    assert rows(store, "entity", name=hostile) == []
    with pytest.raises(QueryError, match="not a value"):
        rows(store, "cases-by-crime-type", crime=hostile)
    assert len(store) == before


def test_queries_an_unknown_parameter_value_is_an_error_that_lists_the_allowed_ones(store):
    with pytest.raises(QueryError, match="level='city'.*province、prefecture、county"):
        rows(store, "cases-by-place", level="city")
    with pytest.raises(QueryError, match="刷单返利诈骗"):           # from the graph's crime types
        rows(store, "cases-by-crime-type", crime="电信诈骗")
    with pytest.raises(QueryError, match="2024年上半年"):
        rows(store, "reported-figures", period="2023年")


def test_queries_are_standard_sparql_with_parameter_slots():
    for q in named_queries().values():
        assert "LATERAL" not in q.text.upper(), q.name
        for p in q.params:
            assert f"VALUES ?{p.name} {{ UNDEF }}" in q.text
    text = bind_text(get_named("cases-by-place"), {"level": "county"})
    assert 'VALUES ?level { "county" }' in text and "UNDEF" not in text
    with pytest.raises(QueryError, match="never used"):
        parse_named("# name: t\n# description: d\n# param: n string a name\nSELECT ?n WHERE { ?s ?p ?n }")


def test_queries_parameter_errors_are_ours():
    q = get_named("entity")
    with pytest.raises(QueryError, match="needs --param name"):
        bind_params(q, {})
    with pytest.raises(QueryError, match="no parameter 'nme'"):
        bind_params(q, {"name": "x", "nme": "y"})
    with pytest.raises(QueryError, match="no named query"):
        get_named("no-such-question")
    typed = parse_named("# name: t\n# description: d\n# param: n integer how many\nSELECT ?n WHERE { VALUES ?n { UNDEF } }")
    with pytest.raises(QueryError, match="must be integer"):
        bind_params(typed, {"n": "1; DROP ALL"})
    assert str(next(iter(bind_params(typed, {"n": "42"}).values()))) == '"42"^^<http://www.w3.org/2001/XMLSchema#integer>'


def test_queries_header_rejects_an_unknown_parameter_type():
    with pytest.raises(QueryError, match="unknown type"):
        parse_named("# name: t\n# description: d\n# param: n number how many\nSELECT * WHERE {}")


def test_queries_cli_lists_and_runs_named_queries(small_kg):
    r = CliRunner().invoke(main, ["query", "--list"])
    assert r.exit_code == 0
    for name in named_queries():
        assert name in r.output
    r = CliRunner().invoke(main, ["query", str(small_kg), "--name", "entity", "--param", "name=张某", "--format", "csv"])
    assert r.exit_code == 0, r.output
    assert "张某家住深圳。" in r.output
    r = CliRunner().invoke(main, ["query", str(small_kg), "--name", "entity", "--param", "name"])
    assert r.exit_code == 2 and "key=value" in r.output
