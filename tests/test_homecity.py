"""Home city of an item and of a page."""
from __future__ import annotations

from kg.extract.homecity import Votes, choose, city_of
from kg.resolve import article_home_city


def _homes(result) -> list[str]:
    return [d.home_city for d in result.docs]


def test_homecity_a_county_bureau_makes_the_county_home(run_article):
    res = run_article("近日,山东省淄博市高青县公安局反诈中心成功拦截一起刷单诈骗。\n")
    assert res.home_city == "Place/370322"


def test_homecity_a_district_branch_makes_its_city_home(run_article):
    res = run_article("近日,晋安公安分局刑侦大队成功止付一名女子被骗的50万元。\n")
    assert res.home_city == "Place/350100"           # 晋安区 is a district of 福州市


def test_homecity_municipality_district_gives_the_municipality(run_article):
    res = run_article("本报讯 近日,浦东警方成功拦截一起冒充客服诈骗。\n")
    assert res.home_city == "Place/310000"


def test_homecity_dateline_names_the_city(run_article):
    res = run_article("小区里的反诈课\n本报宁波讯 近日,民警走进社区开展反诈宣传。记者在上海采访了一位专家。\n")
    assert res.home_city == "Place/330200"


def test_homecity_helping_and_directing_police_are_not_home(run_article):
    text = ("市公安局打掉一个车贷犯罪集团\n在金华市公安局的统一指挥下,我市公安局组织警力开展收网行动。"
            "我市警方表示,将持续推进平安义乌建设。\n")
    assert run_article(text).home_city == "Place/330782"     # 义乌市, not 金华市


def test_homecity_a_list_of_source_places_is_not_home(run_article):
    text = ("我市开展打击电诈专项行动\n此次行动重点整治广西宾阳、广东电白、湖南双峰等地域性职业犯罪源头地。"
            "市公安局成立专班,守护美丽瑞安。\n")
    assert run_article(text).home_city == "Place/330381"     # 瑞安市, not the listed places


def test_homecity_items_of_a_page_each_get_their_own(run_article):
    text = ("永州警方破获诈骗案\n本报讯 近日,永州市公安局零陵分局破获一起虚拟黄金诈骗案,抓获嫌疑人87名。"
            "办案民警经过十个月调查查清了团伙架构。\n\n"
            "株洲警方劝阻一起刷单诈骗\n本报讯 近日,株洲市公安局天元分局民警上门劝阻一名正在转账的市民。\n")
    res = run_article(text)
    assert len(res.docs) == 2
    assert _homes(res) == ["Place/431100", "Place/430200"]
    assert res.home_city == "Place/431100"                    # the longer story


def test_homecity_city_of_levels(kg_resources):
    gaz = kg_resources.gazetteer
    assert city_of(gaz, "330784") == "330784"      # county-level city: itself
    assert city_of(gaz, "330205") == "330200"      # district: its city
    assert city_of(gaz, "500105") == "500000"      # district of a municipality: the municipality
    assert city_of(gaz, "330000") is None          # a province is no home city
    assert city_of(gaz, "XX-柬埔寨") is None


def test_homecity_strong_item_evidence_beats_the_page():
    item = Votes((("330200", 3.0),), frozenset({"330200"}))
    page = Votes((("330700", 9.0), ("330200", 3.0)), frozenset({"330700"}))
    assert choose(item, page) == "330200"
    weak = Votes((("330200", 1.0),), frozenset())
    assert choose(weak, page) == "330700"
    assert choose(Votes(), Votes()) is None


def test_homecity_page_home_weights_items_by_length():
    from kg.model import Article, Doc
    art = Article("p", "p.txt", "p.txt", "", "0")

    def doc(i: int, home, n: int) -> Doc:
        return Doc(art, i, "", "字" * n, tuple(range(n + 1)), home_city=home)
    docs = (doc(0, "Place/330200", 50), doc(1, "Place/330700", 30), doc(2, "Place/330700", 30), doc(3, None, 500))
    assert article_home_city(docs) == "Place/330700"
    assert article_home_city(docs[:1] + docs[3:]) == "Place/330200"
    assert article_home_city(docs[3:]) is None
