"""Relations of people: worksFor, livesIn, originPlace, arrestedIn, with rule and evidence."""
from __future__ import annotations

from kg.extract import create
from kg.model import Mention

PIPE = ("places", "police_units", "home_city", "persons", "organizations", "relations")


def _links(result, predicate: str) -> list[tuple[str, str, str]]:
    """(subject label, object key, rule) of every link with ``predicate``."""
    out = []
    for d in result.docs:
        labels = {e.key: e.label for e in d.entities}
        for l in d.links:
            if l.predicate == predicate:
                out.append((labels.get(l.subject, l.subject), l.object, l.rule))
    return out


def _relations(kg_resources, doc):
    return create("relations", kg_resources)(doc)


def test_relations_officer_works_for_the_unit_before_the_title(run_article):
    res = run_article("杭州市公安局西湖区分局北山派出所民警李建华接到报警后赶到现场。\n", PIPE)
    got = _links(res, "worksFor")
    assert len(got) == 1
    name, unit, rule = got[0]
    assert name == "李建华" and unit.startswith("PoliceUnit/") and unit.endswith("北山派出所")
    assert rule == "relation.worksFor.title"


def test_relations_works_for_with_given_mentions(kg_resources, doc_of):
    text = "北山派出所民警李建华说,劝阻成功。"
    unit = Mention(0, 5, "北山派出所", "PoliceUnit", "test", "PoliceUnit/某市公安局北山派出所")
    officer = Mention(7, 10, "李建华", "PoliceOfficer", "test", "PoliceOfficer/t/李建华")
    doc = _relations(kg_resources, doc_of(text, mentions=[unit, officer]))
    assert [(l.subject, l.predicate, l.object) for l in doc.links] == [
        ("PoliceOfficer/t/李建华", "worksFor", "PoliceUnit/某市公安局北山派出所")]
    link = doc.links[0]
    assert (link.start, link.end) == (0, len(text))          # the sentence is the evidence


def test_relations_victim_lives_in_the_place_before_her(run_article):
    res = run_article("近日,杭州市西湖区的王女士报警称,她在网上刷单被骗3万元。\n", PIPE)
    assert [(n, o) for n, o, _ in _links(res, "livesIn")] == [("王女士", "Place/330106")]


def test_relations_resident_lives_in_the_area_of_the_unit(run_article):
    res = run_article("杭州市公安局西湖区分局接到辖区居民孙先生报警称被骗2万元。\n", PIPE)
    got = _links(res, "livesIn")
    assert [(n, o) for n, o, _ in got] == [("孙先生", "Place/330106")]
    assert got[0][2] == "relation.livesIn.unit_area"


def test_relations_suspect_origin_and_shared_origin(run_article):
    res = run_article("民警在调查中锁定了福建的林某和黄某,二人均有重大作案嫌疑。\n", PIPE)
    assert sorted((n, o) for n, o, _ in _links(res, "originPlace")) == [
        ("林某", "Place/350000"), ("黄某", "Place/350000")]


def test_relations_origin_after_ji(run_article):
    res = run_article("警方打掉一个以广东籍男子陈某某为首的诈骗团伙,抓获犯罪嫌疑人5名。\n", PIPE)
    assert ("陈某某", "Place/440000") in [(n, o) for n, o, _ in _links(res, "originPlace")]


def test_relations_suspect_arrested_where_the_police_went(run_article):
    res = run_article("杭州市公安局专案组民警赴广东省深圳市,于5月3日将犯罪嫌疑人赵某抓获。\n", PIPE)
    assert [(n, o) for n, o, _ in _links(res, "arrestedIn")] == [("赵某", "Place/440300")]


def test_relations_no_arrest_place_without_an_arrest(run_article):
    res = run_article("杭州市民赵女士在深圳市旅游时接到诈骗电话,被骗2万元。嫌疑人钱某仍在逃。\n", PIPE)
    assert _links(res, "arrestedIn") == []


def test_relations_every_link_has_a_rule_and_keys_declared(run_article):
    res = run_article("杭州市西湖区的王女士报警称被骗。西湖区分局民警李建华赴广东省深圳市将犯罪嫌疑人赵某抓获。\n", PIPE)
    for d in res.docs:
        keys = {e.key for e in d.entities}
        for l in d.links:
            assert l.rule and l.subject in keys and l.object in keys
            assert 0 <= l.start < l.end <= len(d.text)


def test_relations_bureau_chief_works_for_the_city_bureau(kg_resources, doc_of):
    text = "会议由市委常委、公安局长孙建国主持,西湖区分局作交流发言。"
    city = Mention(18, 23, "西湖区分局", "PoliceUnit", "test", "PoliceUnit/杭州市公安局西湖区分局")
    head = Mention(0, 2, "会议", "PoliceUnit", "test", "PoliceUnit/杭州市公安局")   # stands for a mention elsewhere
    chief = Mention(12, 15, "孙建国", "PoliceOfficer", "test", "PoliceOfficer/t/孙建国")
    doc = _relations(kg_resources, doc_of(text, mentions=[head, city, chief]))
    assert [(l.subject, l.object, l.rule) for l in doc.links if l.predicate == "worksFor"] == [
        ("PoliceOfficer/t/孙建国", "PoliceUnit/杭州市公安局", "relation.worksFor.bureau_chief")]


def test_relations_city_resident_lives_in_the_city(run_article):
    res = run_article("杭州市民赵女士接到冒充客服的电话,被骗2万元。\n", PIPE)
    assert [(n, o) for n, o, _ in _links(res, "livesIn")] == [("赵女士", "Place/330100")]


def test_relations_origin_before_a_full_suspect_title_is_shared_by_the_list(run_article):
    res = run_article("7月中旬,专案组赶赴广东东莞,将湖南邵东籍犯罪嫌疑人雷某、施某某和蒋明辉抓获。\n", PIPE)
    origins = {(name, key) for name, key, _ in _links(res, "originPlace")}
    assert origins == {("雷某", "Place/430582"), ("施某某", "Place/430582"), ("蒋明辉", "Place/430582")}


def test_relations_victim_lives_where_she_runs_a_shop_or_after_her_occupation(run_article):
    res = run_article("杭州市公安局西湖区分局讯 6月初,在留下街道经营一家小超市的钱先生报警称被骗2万元。"
                      "家住蒋村街道的初二学生小雨被骗500元。\n", PIPE)
    lives = {(name, key) for name, key, _ in _links(res, "livesIn")}
    assert lives == {("钱先生", "Place/330106-留下街道"), ("小雨", "Place/330106-蒋村街道")}


def test_relations_arrest_on_a_route_is_where_it_starts(run_article):
    res = run_article("抓捕组于9月3日在江苏省宿迁市至徐州市的客车上将犯罪嫌疑人赵某抓获。\n", PIPE)
    assert [(n, o) for n, o, _ in _links(res, "arrestedIn")] == [("赵某", "Place/321300")]


def test_relations_no_person_arrest_place_from_a_list(run_article):
    res = run_article("专案组在贵州铜仁、湖南娄底等地同步收网,将犯罪嫌疑人赵某、钱某抓获。\n", PIPE)
    assert _links(res, "arrestedIn") == []


def test_relations_listed_officers_share_the_unit_of_the_first(run_article):
    text = ("杭州市公安局西湖区分局北山派出所接到报警。当晚,杭州市公安局西湖区分局刑侦大队民警林海、"
            "范志刚和辅警孔祥将嫌疑人抓获。\n")
    got = {(n, o.rsplit("/", 1)[-1]) for n, o, _ in _links(run_article(text, PIPE), "worksFor")}
    assert got == {("林海", "杭州市公安局西湖区分局刑侦大队"), ("范志刚", "杭州市公安局西湖区分局刑侦大队"),
                   ("孔祥", "杭州市公安局西湖区分局刑侦大队")}


def test_relations_officer_works_for_the_most_specific_unit_named_earlier(run_article):
    text = ("杭州市公安局西湖区分局北山派出所近日破获一起盗窃案。记者从杭州市公安局获悉此事。\n"
            "前段时间,辖区内自行车被盗案件频发。\n凌晨时分,蹲守的民警梁文涛发现了嫌疑人。\n")
    got = {(n, o.rsplit("/", 1)[-1]) for n, o, _ in _links(run_article(text, PIPE), "worksFor")}
    assert got == {("梁文涛", "杭州市公安局西湖区分局北山派出所")}


def test_relations_resident_in_a_sentence_without_a_unit_lives_in_the_units_area(run_article):
    text = "杭州市公安局西湖区分局近日破获一起诈骗案。3月2日,辖区居民孙先生接到陌生电话,被骗2万元。\n"
    assert [(n, o) for n, o, _ in _links(run_article(text, PIPE), "livesIn")] == [("孙先生", "Place/330106")]


def test_relations_victim_after_a_county_and_an_occupation_lives_there(run_article):
    text = "近日,淳安县农民周某接到冒充公检法的电话,被骗3万元。景宁县居民吴女士也被骗2万元。\n"
    got = {(n, o) for n, o, _ in _links(run_article(text, PIPE), "livesIn")}
    assert got == {("周某", "Place/330127"), ("吴女士", "Place/331127")}


def test_relations_bare_citizen_gets_no_home_from_a_unit_elsewhere(run_article):
    text = "杭州市公安局西湖区分局近日破获一起诈骗案。昨日,市民孙先生来到分局,感谢民警帮他追回被骗的2万元。\n"
    assert _links(run_article(text, PIPE), "livesIn") == []


def test_relations_suspect_native_place_in_his_description(run_article):
    text = "经查,犯罪嫌疑人钟某现年31岁,江西省上饶市人,有盗窃前科。\n"
    assert {(n, o) for n, o, _ in _links(run_article(text, PIPE), "originPlace")} == {("钟某", "Place/361100")}
