"""Tests of kg/extract/groups.py: specific gangs named in the text's own words, not
generic talk, with their places and members."""
from __future__ import annotations

NAMES = ("crime_types", "places", "police_units", "persons", "groups")


def groups_of(run_article, text):
    result = run_article(text, names=NAMES)
    doc = result.docs[0]
    ents = {e.label: e for e in doc.entities if e.type == "CriminalGroup"}
    labels = {e.key: e.label for e in doc.entities}
    links = {(labels.get(l.subject, l.subject.rpartition("/")[2]), l.predicate,
              labels.get(l.object, l.object)) for l in doc.links
             if "CriminalGroup" in l.subject or "CriminalGroup" in l.object}
    return ents, links


def test_groups_origin_and_method_in_the_label(run_article):
    ents, links = groups_of(run_article, "本报讯 近日,警方打掉了一个以冒充客服退款为由实施诈骗的安徽阜阳籍诈骗团伙,"
                                         "抓获犯罪嫌疑人6名。")
    (label,) = ents
    assert label.startswith("安徽阜阳籍") and "冒充客服退款" in label and label.endswith("诈骗团伙")
    assert (label, "originPlace", "阜阳市") in links


def test_groups_leader_and_arrest_place(run_article):
    ents, links = groups_of(run_article, "本报讯 经过侦查,一个以江西籍男子钟某某为首的家族式电信网络诈骗犯罪团伙浮出水面。"
                                         "10月8日,专案组民警远赴江西赣州收网,将钟某某等7名犯罪嫌疑人抓获。")
    (label,) = ents
    assert "钟某某" in label and "家族式" in label
    assert ("钟某某", "memberOf", label) in links
    assert (label, "arrestedIn", "赣州市") in links


def test_groups_base_places_are_kept_apart(run_article):
    ents, links = groups_of(run_article, "本报讯 警方成功打掉一个盘踞在茂名、湛江等地的“套路贷”恶势力犯罪集团。")
    (label,) = ents
    assert "套路贷" in label
    assert {(label, "basedIn", "茂名市"), (label, "basedIn", "湛江市")} <= links


def test_groups_later_mentions_are_the_same_gang(run_article):
    ents, _ = groups_of(run_article, "本报讯 今年以来,警方打掉一个“裸聊”敲诈犯罪团伙。"
                                     "该犯罪团伙共有成员12人。据查,盘踞在海南儋州的“裸聊”敲诈犯罪团伙专门在网上物色对象。")
    assert len(ents) == 1
    assert "裸聊" in next(iter(ents))


def test_groups_generic_talk_and_statistics_are_not_gangs(run_article):
    ents, _ = groups_of(run_article, "本报讯 当前诈骗团伙层出不穷,手法不断翻新。今年以来,全市共打掉84个电信网络诈骗团伙,"
                                     "抓获犯罪嫌疑人620余人。警方提醒,谨防诈骗团伙冒充客服。")
    assert ents == {}


def test_groups_a_gang_in_a_list_of_many(run_article):
    ents, links = groups_of(run_article, "本报讯 该局打掉了冒充公安民警进行诈骗的海南儋州籍诈骗团伙,"
                                         "以办理贷款为由进行诈骗的江西赣州籍诈骗团伙等6个电信网络诈骗团伙。")
    assert len(ents) == 2
    assert all("籍" in label for label in ents)


def test_groups_arrest_place_is_the_deepest_of_a_written_chain(run_article):
    ents, links = groups_of(run_article, "本报讯 经过侦查,一个以宋某某为首的刷单诈骗团伙浮出水面。"
                                         "5月2日,专案组民警赶赴贵州省遵义市红花岗区,将宋某某等5名犯罪嫌疑人抓获。")
    (label,) = ents
    arrested = {o for s, p, o in links if s == label and p == "arrestedIn"}
    assert arrested == {"红花岗区"}


def test_groups_members_arrested_in_the_next_paragraph(run_article):
    ents, links = groups_of(run_article, "本报讯 经过侦查,民警发现这是一个以湖北籍人员为主的刷单诈骗团伙。\n"
                                         "6月中旬,专案组远赴湖北省孝感市,将蒋某某、雷某、施某3名犯罪嫌疑人抓获。")
    (label,) = ents
    members = {s for s, p, o in links if p == "memberOf" and o == label}
    assert members == {"蒋某某", "雷某", "施某"}
    assert (label, "arrestedIn", "孝感市") in links


def test_groups_arrest_in_a_paragraph_of_another_story_is_not_the_gangs(run_article):
    ents, links = groups_of(run_article, "本报讯 警方打掉一个以冒充客服为由实施诈骗的刷单诈骗团伙。\n"
                                         "另悉,今年5月,民警在湖北省孝感市将盗窃嫌疑人蒋某某抓获。")
    (label,) = ents
    assert not {l for l in links if l[1] in ("memberOf", "arrestedIn")}


def test_groups_a_gang_served_by_the_suspects_is_not_described(run_article):
    ents, links = groups_of(run_article, "本报讯 近日,警方抓获为境外诈骗团伙提供银行卡的犯罪嫌疑人鲍某。"
                                         "另一嫌疑人柏某长期收购公民个人信息再出售给诈骗团伙,已被刑事拘留。")
    assert ents == {}
    assert links == set()
