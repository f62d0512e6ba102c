"""Places: gazetteer names disambiguated by context, false hits refused, zones and links."""
from __future__ import annotations


def _places(result) -> dict[str, set[str]]:
    """Place key → surfaces, over all items."""
    out: dict[str, set[str]] = {}
    for d in result.docs:
        for m in d.labelled("Place"):
            out.setdefault(m.key, set()).add(m.text)
    return out


def test_places_jiangbei_in_ningbo_and_in_chongqing_are_different(run_article):
    ningbo = _places(run_article("宁波市民张先生住在江北区,上周在宁波火车站附近丢了钱包。\n", ("places",)))
    chongqing = _places(run_article("重庆市民李先生住在江北区,上周在解放碑附近丢了钱包。\n", ("places",)))
    assert "Place/330205" in ningbo and "Place/500105" not in ningbo
    assert "Place/500105" in chongqing and "Place/330205" not in chongqing


def test_places_short_name_follows_the_province_named_before_it(run_article):
    got = _places(run_article("警方在辽宁朝阳抓获两名嫌疑人,随后押回审查。\n", ("places",)))
    assert "Place/211300" in got                        # 辽宁省朝阳市
    assert "Place/110105" not in got and "Place/220104" not in got


def test_places_chaoyang_district_of_beijing(run_article):
    got = _places(run_article("北京市朝阳区一名女子接到冒充客服的电话,被骗3万元。\n", ("places",)))
    assert "Place/110105" in got and "Place/211300" not in got


def test_places_township_counts_under_its_named_county(run_article, kg_resources):
    got = _places(run_article("近日,弥渡县新街镇一名村民报警称被骗2万元。\n", ("places",)))
    assert "Place/532925-新街镇" in got                 # the 新街镇 of 弥渡县, not another
    assert sum(1 for k in got if k.endswith("-新街镇")) == 1


def test_places_township_without_its_county_is_not_guessed(run_article):
    got = _places(run_article("一名男子在新街镇的一家超市门口被民警抓获。\n", ("places",)))
    assert not any(k.endswith("-新街镇") for k in got)


def test_places_township_only_inside_a_station_name_is_no_place(run_article):
    got = _places(run_article("弥渡县公安局新街派出所民警当天找到了失主。\n", ("places",)))
    assert "Place/532925" in got
    assert not any(k.endswith("-新街镇") for k in got)


def test_places_person_named_like_a_township_is_no_place(run_article, kg_resources):
    gaz = kg_resources.gazetteer
    county = next(d for d in gaz if d.level == "county" and d.name.endswith("县") and not d.historical
                  and any(c.name == "高峰镇" for c in gaz.children(d.code)))
    text = f"{county.name}公安局民警高峰介绍,{county.name}今年电诈发案下降。\n"
    got = _places(run_article(text, ("places",)))
    assert f"Place/{county.code}" in got
    assert not any(gaz.get(k.split("/", 1)[1]).level == "township" for k in got)


def test_places_word_that_is_also_a_division_needs_strong_evidence(run_article):
    got = _places(run_article("警方持续推进平安建设,守护一方安宁与和平。\n", ("places",)))
    assert got == {}
    got = _places(run_article("兰州安宁警方近日返还了追缴资金。\n", ("places",)))
    assert "Place/620105" in got                        # 兰州市安宁区, not 安宁市 in Yunnan


def test_places_roads_and_estates_named_after_places_are_no_places(run_article):
    got = _places(run_article("嫌疑人在南京路一家手机店和青岛花园小区之间来回取款。\n", ("places",)))
    assert "Place/320100" not in got and "Place/370200" not in got


def test_places_the_police_word_is_not_the_county_gongan(run_article):
    got = _places(run_article("公安机关提醒市民,公安民警不会要求转账。\n", ("places",)))
    assert "Place/421022" not in got


def test_places_foreign_country_from_the_gazetteer(run_article):
    got = _places(run_article("该团伙盘踞在柬埔寨,诱骗国内群众赴缅北从事诈骗。\n", ("places",)))
    assert "Place/XX-柬埔寨" in got and "Place/XX-缅甸-缅北" in got


def test_places_development_zone_by_grammar_with_located_in(run_article):
    res = run_article("宁波高新区某公司财务人员被冒充老板的骗子骗走20万元。\n", ("places",))
    doc = res.docs[0]
    zone = doc.entity("Place/宁波高新技术产业开发区")
    assert zone is not None and "宁波高新区" in zone.aliases
    assert any(l.subject == zone.key and l.predicate == "locatedIn" and l.object == "Place/330200"
               for l in doc.links)


def test_places_located_in_the_nearest_named_place_when_not_the_parent(run_article):
    doc = run_article("警方在广东电白抓获嫌疑人三名。\n", ("places",)).docs[0]
    # 电白区 is in 茂名市, which the text does not name: the nearest named place is 广东省
    assert any(l.subject == "Place/440904" and l.predicate == "locatedIn" and l.object == "Place/440000"
               for l in doc.links)
    doc = run_article("警方在广东茂名电白抓获嫌疑人三名。\n", ("places",)).docs[0]
    assert not any(l.subject == "Place/440904" for l in doc.links)   # the parent: rdf.py writes it


def test_places_mentions_point_at_their_text(run_article):
    doc = run_article("山东省淄博市高青县一名居民遭遇刷单诈骗。\n", ("places",)).docs[0]
    assert doc.mentions
    for m in doc.mentions:
        assert doc.text[m.start:m.end] == m.text
        assert doc.entity(m.key).get("code") == m.key.split("/", 1)[1]


def test_places_given_name_after_a_surname_is_no_place(run_article):
    got = _places(run_article("金华市民王永康接到冒充客服的电话,被骗2万元。\n", ("places",)))
    assert "Place/330700" in got and "Place/330784" not in got
    got = _places(run_article("市委提出建设平安义乌,市公安局全力推进。\n", ("places",)))
    assert "Place/330782" in got                        # 安 ends 平安 here, it is no surname


def test_places_city_name_before_a_station_is_no_place(run_article):
    got = _places(run_article("家住青羊区的刘先生赶到新乡派出所报警。\n", ("places",)))
    assert "Place/410700" not in got and "Place/410721" not in got


def test_places_name_opening_a_known_organisation_is_no_place(kg_resources):
    from kg.extract.places import PlaceRules, find_places
    rules = PlaceRules(kg_resources)
    text = "他在新乡银行办理转账。"
    assert any(h.code == "410700" for h in find_places(text, kg_resources.gazetteer, rules))
    rules.org_names = {"新乡": ("新乡银行",)}          # as if the table listed such a bank
    assert not find_places(text, kg_resources.gazetteer, rules)


def test_places_district_after_a_city_bureau_belongs_to_that_city(run_article):
    got = _places(run_article("包头市民李先生报警后，武汉市公安局青山分局迅速立案。\n", ("places",)))
    assert "Place/420107" in got and "Place/150204" not in got


def test_places_repeated_name_keeps_the_meaning_it_had(run_article):
    got = _places(run_article("包头市民李先生报警后，武汉市公安局青山分局迅速立案。据悉，嫌疑人住在青山区。\n",
                              ("places",)))
    assert got.get("Place/420107", set()) >= {"青山", "青山区"} and "Place/150204" not in got


def test_places_namesake_county_carries_its_city_in_an_alias(run_article):
    res = run_article("包头市青山区一名市民被骗。宾阳县警方提醒市民。\n", ("places",))
    qingshan = res.docs[0].entity("Place/150204")
    binyang = res.docs[0].entity("Place/450126")
    assert "包头市青山区" in qingshan.aliases
    assert not any(a.endswith("宾阳县") and a != "宾阳县" for a in binyang.aliases)


def test_places_short_form_of_an_autonomous_county_with_its_suffix(run_article):
    res = run_article("景宁县居民吴女士报警称被骗2万元。\n")
    assert set(_places(res)) == {"Place/331127"}


def test_places_county_sharing_a_countrys_name_under_chinese_police(run_article):
    assert set(_places(run_article("近日,黑山警方破获一起电信诈骗案,抓获犯罪嫌疑人3名。\n"))) == {"Place/210726"}
    assert set(_places(run_article("他曾在黑山和塞尔维亚等国旅游,回国后被骗。\n"))) >= {"Place/XX-黑山"}


def test_places_ambiguous_city_name_after_a_motion_verb(run_article):
    assert set(_places(run_article("嫌疑人作案后准备逃往西安,被民警当场抓获。\n"))) == {"Place/610100"}
    assert set(_places(run_article("民警在西安路附近巡逻。\n"))) == set()


def test_places_township_written_with_a_newer_suffix(run_article):
    got = _places(run_article("淳安县威坪街道的周女士报警称被骗2万元。\n"))
    assert got.get("Place/330127-威坪镇") == {"威坪街道"}


def test_places_china_inside_a_law_title_is_not_named(run_article):
    assert set(_places(run_article("民警向群众宣传《中华人民共和国反电信网络诈骗法》。\n"))) == set()
    assert "Place/330000" in _places(run_article("他常读《浙江日报》。\n"))


def test_places_common_word_named_like_a_foreign_city_is_no_place(run_article):
    assert set(_places(run_article("她正和朋友在万象广场附近过马路。\n"))) == set()


def test_places_prefecture_police_is_the_citys_when_the_page_names_its_bureau(run_article):
    res = run_article("恩施警方破获一起敲诈勒索案\n昨日,恩施市公安局对外通报,该局民警快速侦破一起案件。\n",
                      ("places", "police_units", "home_city"))
    assert "Place/422800" not in _places(res)
    assert not any("自治州公安局" in k for d in res.docs for k in (e.key for e in d.entities))


def test_places_china_named_as_the_country(run_article):
    assert "Place/XX-中国" in _places(run_article("共抓获中国内地籍嫌疑人30名,被称为中国最大的网络赌博案。\n"))
    assert "Place/XX-中国" not in _places(run_article("她在中国银行取款,又浏览了中国浙江网。\n"))
