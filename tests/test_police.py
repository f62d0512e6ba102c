"""Police units: fully qualified names, bare forms resolved, partOf and jurisdiction links,
and one node per unit across articles."""
from __future__ import annotations

from rdflib import Graph

from kg.ns import FKG


def _units(result) -> dict[str, set[str]]:
    """Unit key → surfaces, over all items."""
    out: dict[str, set[str]] = {}
    for d in result.docs:
        for m in d.labelled("PoliceUnit"):
            out.setdefault(m.key, set()).add(m.text)
    return out


def _links(result, predicate: str) -> set[tuple[str, str]]:
    return {(l.subject.split("/", 1)[1], l.object.split("/", 1)[1])
            for d in result.docs for l in d.links if l.predicate == predicate}


def test_police_bare_city_bureau_in_a_county_level_city_is_that_citys(run_article):
    res = run_article("本报讯 近日,义乌市公安局破获一起电信诈骗案。市公安局提醒广大市民提高警惕。\n")
    assert _units(res)["PoliceUnit/义乌市公安局"] == {"义乌市公安局", "市公安局"}
    assert ("义乌市公安局", "330782") in _links(res, "jurisdiction")


def test_police_district_branch_is_qualified_with_its_city(run_article):
    res = run_article("杭州市西湖区公安分局近日打掉一个诈骗团伙,西湖警方抓获嫌疑人12名。\n")
    units = _units(res)
    assert units["PoliceUnit/杭州市公安局西湖区分局"] == {"杭州市西湖区公安分局", "西湖警方"}
    assert ("杭州市公安局西湖区分局", "330106") in _links(res, "jurisdiction")
    ent = res.docs[0].entity("PoliceUnit/杭州市公安局西湖区分局")
    assert "杭州市公安局西湖分局" in ent.aliases and "西湖区公安分局" in ent.aliases


def test_police_county_bureau_and_its_station_and_squad(run_article):
    res = run_article("宾阳县公安局古辣派出所接到报警后,联合县公安局刑侦大队迅速展开侦查。\n")
    units = set(_units(res))
    assert {"PoliceUnit/宾阳县公安局", "PoliceUnit/宾阳县公安局古辣派出所",
            "PoliceUnit/宾阳县公安局刑侦大队"} <= units
    part_of = _links(res, "partOf")
    assert ("宾阳县公安局古辣派出所", "宾阳县公安局") in part_of
    assert ("宾阳县公安局刑侦大队", "宾阳县公安局") in part_of


def test_police_station_polices_its_township_only_when_named_as_a_place(run_article):
    named = run_article("家住古辣镇的王女士报警后,宾阳县公安局古辣派出所民警立即止付。\n")
    assert ("宾阳县公安局古辣派出所", "450126-古辣镇") in _links(named, "jurisdiction")
    unnamed = run_article("王女士报警后,宾阳县公安局古辣派出所民警立即止付。\n")
    assert not any(s.endswith("派出所") for s, _ in _links(unnamed, "jurisdiction"))


def test_police_county_bureau_under_its_prefecture_bureau_when_written_so(run_article):
    res = run_article("铁岭市公安局西丰县局反诈中心接到预警后立即行动。\n")
    units = set(_units(res))
    assert {"PoliceUnit/铁岭市公安局", "PoliceUnit/西丰县公安局", "PoliceUnit/西丰县公安局反诈中心"} <= units
    part_of = _links(res, "partOf")
    assert ("西丰县公安局", "铁岭市公安局") in part_of
    assert ("西丰县公安局反诈中心", "西丰县公安局") in part_of


def test_police_bare_squad_joins_the_unit_named_before_it(run_article):
    res = run_article("福州市公安局鼓楼分局接警后,刑侦大队民警连夜追踪资金流向。\n")
    assert "PoliceUnit/福州市公安局鼓楼区分局刑侦大队" in _units(res)
    assert ("福州市公安局鼓楼区分局刑侦大队", "福州市公安局鼓楼区分局") in _links(res, "partOf")


def test_police_foreign_police_polices_its_country(run_article):
    res = run_article("在柬埔寨警方协助下,专案组将嫌疑人押解回国。\n")
    assert "PoliceUnit/柬埔寨警方" in _units(res)
    assert ("柬埔寨警方", "XX-柬埔寨") in _links(res, "jurisdiction")


def test_police_generic_words_are_not_units(run_article):
    res = run_article("全市公安机关成立专案组,民警和警察走访辖区派出所,提醒群众防范诈骗。\n")
    assert _units(res) == {}


def test_police_ministry_and_provincial_department(run_article):
    res = run_article("按照公安部、浙江省公安厅部署,湖州市公安局开展专项行动。\n")
    assert {"PoliceUnit/公安部", "PoliceUnit/浙江省公安厅", "PoliceUnit/湖州市公安局"} <= set(_units(res))
    assert ("浙江省公安厅", "330000") in _links(res, "jurisdiction")
    assert not any(s == "公安部" for s, _ in _links(res, "jurisdiction"))


def test_police_same_bureau_in_two_articles_is_one_node_and_two_jiangbei_are_two(tmp_path):
    from kg.build import build
    inp = tmp_path / "in"
    inp.mkdir()
    (inp / "a.txt").write_text("宁波江北警方破获诈骗案\n本报讯 近日,宁波市公安局江北分局破获一起诈骗案,"
                               "家住江北区的陈女士挽回损失。\n", encoding="utf-8")
    (inp / "b.txt").write_text("重庆江北警方破获诈骗案\n本报讯 近日,重庆市江北区公安分局破获一起诈骗案,"
                               "宁波市公安局予以协助。\n", encoding="utf-8")
    report = build([inp], tmp_path / "out", html=False)
    assert report.ok and not report.skipped
    g = Graph().parse(tmp_path / "out" / "kg.ttl")
    ningbo = next(s for s, o in g.subject_objects(FKG.jurisdiction) if str(o).endswith("/place/330200"))
    assert len(set(g.objects(ningbo, FKG.mentionedIn))) == 2
    jiangbei = {str(s).rsplit("/", 1)[1]: {str(o).rsplit("/", 1)[1] for o in g.objects(s, FKG.locatedIn)}
                for s in g.subjects(FKG.locatedIn, None) if str(s).endswith(("/330205", "/500105"))}
    assert jiangbei == {"330205": {"330200"}, "500105": {"500000"}}


def test_police_words_before_a_station_are_no_station_name(run_article):
    res = run_article("义乌市公安局提醒:李女士立即向派出所报案,又要去派出所补充材料,"
                      "辖区派出所和向阳派出所民警随即走访。\n")
    stations = {k for k in _units(res) if k.endswith("派出所")}
    assert stations == {"PoliceUnit/义乌市公安局向阳派出所"}


def test_police_district_bureau_is_a_branch_only_when_written_so(run_article):
    own = run_article("重庆市公安局通报:渝北区公安局近日破获一起诈骗案。\n")
    branch = run_article("重庆市公安局通报:渝北区公安分局近日破获一起诈骗案。\n")
    key = "重庆市公安局渝北区分局"                       # one node whichever way it is written
    assert f"PoliceUnit/{key}" in _units(own) and f"PoliceUnit/{key}" in _units(branch)
    assert (key, "重庆市公安局") not in _links(own, "partOf")
    assert (key, "重庆市公安局") in _links(branch, "partOf")


def test_police_station_name_of_three_characters_is_kept_whole(run_article):
    res = run_article("九龙坡区公安分局通报：事主随后到石桥铺派出所报警，民警立即止付。\n")
    units = set(_units(res))
    assert "PoliceUnit/重庆市公安局九龙坡区分局石桥铺派出所" in units
    assert not any(k.endswith("/重庆市公安局九龙坡区分局桥铺派出所") for k in units)


def test_police_station_after_a_verb_keeps_two_characters(run_article):
    res = run_article("涪陵区公安分局刑侦大队会同李渡派出所开展侦查。\n")
    units = set(_units(res))
    assert "PoliceUnit/重庆市公安局涪陵区分局李渡派出所" in units
    assert not any("会同" in k or "同李渡" in k for k in units)


def test_police_criminal_police_squad_is_a_sub_unit(run_article):
    res = run_article("绍兴市公安局刑警支队近日破获一起跨境诈骗案。\n")
    assert "PoliceUnit/绍兴市公安局刑警支队" in _units(res)
    assert ("绍兴市公安局刑警支队", "绍兴市公安局") in _links(res, "partOf")


def test_police_bare_squad_joins_the_bureau_named_before_it_in_its_sentence(run_article):
    res = run_article("嘉善县公安局刑侦大队曾办理一起类似案件。另一起案件中，平湖市公安局接报后，"
                      "刑侦大队迅速出击抓获嫌疑人。\n")
    units = _units(res)
    assert units["PoliceUnit/平湖市公安局刑侦大队"] == {"刑侦大队"}
    assert units["PoliceUnit/嘉善县公安局刑侦大队"] == {"刑侦大队"}


def test_police_branch_after_a_city_bureau_is_that_citys_district(run_article):
    res = run_article("包头市民李先生被骗后报警。武汉市公安局青山分局抓获嫌疑人两名。\n")
    units = set(_units(res))
    assert "PoliceUnit/武汉市公安局青山区分局" in units
    assert not any("包头市公安局青山" in k for k in units)


def test_police_sub_unit_is_named_under_each_full_name_of_its_branch(run_article):
    res = run_article("杭州市西湖区公安分局刑侦大队破获一起诈骗案。\n")
    ent = res.docs[0].entity("PoliceUnit/杭州市公安局西湖区分局刑侦大队")
    assert {"杭州市公安局西湖分局刑侦大队", "杭州市西湖区公安分局刑侦大队"} <= ent.aliases


def test_police_department_of_a_provincial_department_named_a_bureau(run_article):
    res = run_article("浙江省公安厅经侦局负责人介绍了全省打击非法集资的情况。\n")
    assert "PoliceUnit/浙江省公安厅经侦局" in _units(res)
    assert ("浙江省公安厅经侦局", "浙江省公安厅") in _links(res, "partOf")


def test_police_county_bureau_is_part_of_its_prefecture_bureau_named_apart(run_article):
    res = run_article("近日,铁岭市公安局指挥中心接到预警,立即指令西丰县局反诈中心联系受害人。\n")
    assert ("西丰县公安局", "铁岭市公安局") in _links(res, "partOf")
    other = run_article("近日,铁岭市公安局与大连市公安局联合破获一起诈骗案。\n")
    assert not _links(other, "partOf")


def test_police_province_police_is_its_department(run_article):
    res = run_article("江西警方近日破获一起电信诈骗案,重庆警方协助抓获嫌疑人。\n")
    units = set(_units(res))
    assert "PoliceUnit/江西省公安厅" in units and "PoliceUnit/重庆市公安局" in units
    assert ("江西省公安厅", "360000") in _links(res, "jurisdiction")


def test_police_short_form_in_brackets_is_the_unit_before_it(run_article):
    text = ("线索来自杭州市公安局西湖区分局刑侦大队智慧侦查中心(以下简称:智侦中心)。"
            "智侦中心研判后发出预警。\n")
    res = run_article(text, ("places", "police_units"))
    units = _units(res)
    full = "PoliceUnit/杭州市公安局西湖区分局刑侦大队智慧侦查中心"
    assert units[full] >= {"智侦中心"}
    assert not any(k.endswith("分局智慧侦查中心") for k in units)


def test_police_verb_or_preposition_before_a_station_ends_no_name(run_article):
    res = run_article("义乌市公安局提醒:请工作人员来派出所核实,老人对派出所表示感谢,系统呼叫派出所处置,"
                      "城关派出所民警随即走访。\n")
    stations = {k for k in _units(res) if k.endswith("派出所")}
    assert stations == {"PoliceUnit/义乌市公安局城关派出所"}


def test_police_station_written_with_its_district_gives_no_branch_node(run_article):
    res = run_article("杭州市西湖区北山派出所民警接到报警后赶到现场。\n")
    assert set(_units(res)) == {"PoliceUnit/杭州市公安局西湖区分局北山派出所"}
    assert not any(e.key.endswith("西湖区分局") for d in res.docs for e in d.entities)
    both = run_article("杭州市公安局西湖区分局部署行动,西湖区北山派出所民警接到报警后赶到现场。\n")
    assert ("杭州市公安局西湖区分局北山派出所", "杭州市公安局西湖区分局") in _links(both, "partOf")


def test_police_sub_unit_in_brackets_without_jiancheng_is_its_own_unit(run_article):
    res = run_article("杭州市公安局(交警大队)联合多部门开展整治。\n", ("places", "police_units"))
    assert _units(res)["PoliceUnit/杭州市公安局交警大队"] == {"交警大队"}


def test_police_squad_numbered_without_di(run_article):
    res = run_article("义乌市公安局巡特警大队抓获4人后,将其移送至刑警一中队作进一步处理。\n")
    assert "PoliceUnit/义乌市公安局刑警一中队" in _units(res)


def test_police_taiwan_police_is_no_department_and_counter_terror_squad(run_article):
    res = run_article("台湾警方近日通报一起诈骗案。皋兰县公安局反恐特警大队在巡逻中抓获嫌疑人。\n")
    units = set(_units(res))
    assert not any("台湾" in k for k in units)
    assert "PoliceUnit/皋兰县公安局反恐特警大队" in units


def test_police_corps_division_bureau_and_its_station(run_article):
    res = run_article("近日,新疆兵团第六师东湖垦区公安局城北派出所辖区居民冯先生报警称被骗800元。\n")
    bureau = "新疆生产建设兵团第六师东湖垦区公安局"
    assert {f"PoliceUnit/{bureau}", f"PoliceUnit/{bureau}城北派出所"} <= set(_units(res))
    assert (bureau, "659004") in _links(res, "jurisdiction")
    assert (bureau + "城北派出所", bureau) in _links(res, "partOf")
