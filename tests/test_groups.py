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


def test_groups_headline_lead_and_body_name_one_gang(run_article):
    ents, links = groups_of(run_article, "江城警方打掉一跨省诈骗团伙\n"
                                         "本报讯 近日,江城警方成功打掉一个盘踞在福建、江西等地的电信诈骗团伙。\n"
                                         "经过侦查,民警发现这是一个以郑某某为首的福建籍诈骗团伙。")
    (label,) = ents
    assert "郑某某" in label and not label.startswith("发现")
    assert ("郑某某", "memberOf", label) in links


def test_groups_gangs_of_different_crimes_stay_apart(run_article):
    ents, _ = groups_of(run_article, "本报讯 今年以来,警方打掉一个以拖车为名敲诈勒索的“车贷”恶势力犯罪集团。\n"
                                     "8月5日,多名群众报警称被人以刷单返利为由骗走钱款,专案组远赴云南将正在度假的刷单诈骗团伙一网打尽。")
    assert len(ents) == 2


def test_groups_every_named_backbone_is_a_member(run_article):
    ents, links = groups_of(run_article, "本报讯 民警成功锁定了以周某、吴某等人为“骨干”的江西籍网络诈骗犯罪团伙。")
    (label,) = ents
    assert {("周某", "memberOf", label), ("吴某", "memberOf", label)} <= links
    assert (label, "originPlace", "江西省") in links


def test_groups_origin_of_the_leaders_is_not_the_gangs(run_article):
    ents, links = groups_of(run_article, "本报讯 民警锁定了一个以浙江籍冯某、何某等3名犯罪嫌疑人为首的诈骗犯罪团伙。")
    (label,) = ents
    assert {("冯某", "memberOf", label), ("何某", "memberOf", label)} <= links
    assert not {l for l in links if l[0] == label and l[1] == "originPlace"}


def test_groups_arrest_places_of_a_list(run_article):
    ents, links = groups_of(run_article, "本报讯 经过侦查,一个以邓某为首的刷单诈骗团伙浮出水面。"
                                         "专案组在江苏南通、安徽芜湖等地同步开展抓捕行动,将邓某、孔某等9人抓获。")
    (label,) = ents
    arrested = {o for s, p, o in links if s == label and p == "arrestedIn"}
    assert arrested == {"南通市", "芜湖市"}
    assert ("孔某", "memberOf", label) in links
    assert not {l for l in links if l[0] in ("邓某", "孔某") and l[1] == "arrestedIn"}


def test_groups_arrest_places_told_deeper_later_replace_the_provinces(run_article):
    ents, links = groups_of(run_article, "本报讯 民警远赴江苏、安徽等地打掉一个冒充客服诈骗团伙。"
                                         "专案组在江苏南通、安徽芜湖等地同步收网,抓获该团伙成员9人。")
    (label,) = ents
    arrested = {o for s, p, o in links if s == label and p == "arrestedIn"}
    assert arrested == {"南通市", "芜湖市"}


def test_groups_a_count_after_the_noun_and_a_partner_are_not_the_gang(run_article):
    ents, _ = groups_of(run_article, "本报讯 警方打掉一个与境外诈骗组织深度勾连的“跑分”洗钱团伙,另深挖“黑吃黑”团伙2个。")
    (label,) = ents
    assert "跑分" in label


def test_groups_a_suspect_who_gathers_others_forms_a_gang(run_article):
    ents, links = groups_of(run_article, "警方抓获3名帮助诈骗分子“跑分”的嫌疑人\n"
                                         "本报讯 经查,今年2月以来,韩某纠集贺某、龙某某,收购银行卡为上线转移资金。")
    (label,) = ents
    assert label.startswith("韩某") and "跑分" in label
    assert {("韩某", "memberOf", label), ("贺某", "memberOf", label), ("龙某某", "memberOf", label)} <= links


def test_groups_dens_of_helpers_and_laundering_networks(run_article):
    ents, links = groups_of(run_article, "本报讯 近日,民警在江城一出租屋内捣毁一个GOIP设备窝点,抓获犯罪嫌疑人2名。")
    assert len(ents) == 1 and "GOIP" in next(iter(ents))
    ents, _ = groups_of(run_article, "本报讯 警方成功摧毁一个跨境洗钱网络,抓获犯罪嫌疑人20名。")
    assert len(ents) == 1 and "洗钱网络" in next(iter(ents))


def test_groups_an_unnamed_crew_taken_down_together(run_article):
    ents, _ = groups_of(run_article, "滨江警方擒获3名盗窃嫌疑人\n"
                                     "本报讯 5月6日凌晨,巡逻民警发现3名男子形迹可疑,经盘查,这伙人交代了在小区内盗窃电动车的事实。")
    (label,) = ents
    assert "3人" in label and "盗窃电动车" in label
    ents, _ = groups_of(run_article, "本报讯 民警抓获12名涉嫌赌博人员,其中2名男子为组织者。")
    assert ents == {}
    ents, _ = groups_of(run_article, "本报讯 5月6日,民警在小区内抓获盗窃电动车的嫌疑人刘某及另外2名男子。")
    assert ents == {}


def test_groups_origin_told_twice_is_the_deepest_place(run_article):
    ents, links = groups_of(run_article, "本报讯 警方打掉一个冒充客服退款的诈骗团伙。\n"
                                         "经查,这是以组织者黄某为首的广东茂名电白籍诈骗团伙。")
    (label,) = ents
    assert {o for s, p, o in links if s == label and p == "originPlace"} == {"电白区"}


def test_groups_ranks_told_before_the_noun_are_members(run_article):
    ents, links = groups_of(run_article, "本报讯 警方打掉一个跑分洗钱团伙。经过侦查,一个以唐某为首,钱某、孙某为骨干成员,层级分明的洗钱团伙浮出水面。\n"
                                         "另悉,犯罪嫌疑人钱某、孙某均已被刑事拘留。")
    (label,) = ents
    assert {("唐某", "memberOf", label), ("钱某", "memberOf", label), ("孙某", "memberOf", label)} <= links


def test_groups_people_named_in_the_description_are_members(run_article):
    ents, links = groups_of(run_article, "本报讯 经查,这是一个由犯罪嫌疑人邵某等5人组成的“解冻资产”电信诈骗团伙。")
    (label,) = ents
    assert "邵某" in label and ("邵某", "memberOf", label) in links


def test_groups_another_gang_taken_down_again_is_new(run_article):
    ents, _ = groups_of(run_article, "本报讯 4月,警方打掉一个以刷单为由实施诈骗的江城团伙。\n"
                                     "5月,警方又打掉一个以刷单返利为由实施诈骗的团伙。")
    assert len(ents) == 2


def test_groups_named_people_acting_together_form_a_gang(run_article):
    ents, links = groups_of(run_article, "本报讯 警方侦查发现,犯罪嫌疑人柯某、严某、祁某等人利用“扶贫补贴”为幌子进行诈骗。"
                                         "5月9日,民警在江城将柯某、严某、祁某抓获。")
    (label,) = ents
    assert label.startswith("柯某等") and "扶贫补贴" in label and "3人" not in label
    assert {("柯某", "memberOf", label), ("祁某", "memberOf", label)} <= links


def test_groups_a_gang_only_referred_to_is_the_one_of_the_people_beside_it(run_article):
    ents, links = groups_of(run_article, "本报讯 民警摸清了该犯罪团伙的活动规律,锁定犯罪嫌疑人柯某、严某等两名犯罪嫌疑人。"
                                         "随后民警收网,将该团伙成员全部抓获。")
    (label,) = ents
    assert label.startswith("柯某等")
    assert {("柯某", "memberOf", label), ("严某", "memberOf", label)} <= links


def test_groups_dens_that_make_up_a_network_do_not_rename_it(run_article):
    ents, _ = groups_of(run_article, "本报讯 警方发现了一个冒充客服的跨境电信诈骗犯罪网络,该网络由藏匿在柬埔寨、缅甸等地的话务诈骗窝点组成。")
    (label,) = ents
    assert "网络" in label and "窝点" not in label


def test_groups_label_does_not_start_with_the_article_one(run_article):
    ents, _ = groups_of(run_article, "本报讯 近日,江城警方打掉一利用网络直播带货实施诈骗的跨省团伙。")
    (label,) = ents
    assert not label.startswith("一") and "直播带货" in label


def test_groups_arrests_told_paragraphs_later_until_another_victim(run_article):
    ents, links = groups_of(run_article, "本报讯 江城警方打掉一个以冒充客服为由实施诈骗的跨省团伙。\n"
                                         "4月,专案民警不断深挖查漏,辗转多地开展工作。\n"
                                         "5月12日,专案组在浙江省湖州市抓获犯罪嫌疑人甘某。\n"
                                         "6月,市民许女士报警称被骗,民警在江苏省南通市抓获犯罪嫌疑人洪某。")
    (label,) = ents
    assert ("甘某", "memberOf", label) in links and (label, "arrestedIn", "湖州市") in links
    assert ("洪某", "memberOf", label) not in links


def test_groups_the_recruiter_is_a_member_and_where_he_recruits_a_base(run_article):
    ents, links = groups_of(run_article, "本报讯 警方打掉一个藏匿在长沙市内的“跑分”洗钱团伙。\n"
                                         "民警发现,犯罪嫌疑人彭某在雨花区某商场附近招集人员参与“跑分”,该团伙涉案资金巨大。")
    (label,) = ents
    assert ("彭某", "memberOf", label) in links
    assert {(label, "basedIn", "雨花区"), (label, "basedIn", "长沙市")} <= links


def test_groups_arrest_in_the_streets_of_a_named_town(run_article):
    ents, links = groups_of(run_article, "专偷电动车电瓶 盗窃团伙被打掉\n"
                                         "本报讯 11月2日凌晨,宜兴市城区巡逻民警发现几名男子形迹可疑。"
                                         "民警立即布控,将该盗窃团伙3名成员当场抓获。")
    (label,) = ents
    assert (label, "arrestedIn", "宜兴市") in links


def test_groups_where_the_gang_itself_acts_is_a_base(run_article):
    ents, links = groups_of(run_article, "本报讯 江城警方打掉一个为诈骗分子引流的“小广告”团伙。\n"
                                         "经查,该团伙成员长期在芜湖市区向路边车辆张贴小广告。"
                                         "民警随后在南京市将该团伙成员抓获。")
    (label,) = ents
    assert (label, "basedIn", "芜湖市") in links and (label, "basedIn", "南京市") not in links


def test_groups_sections_of_a_round_up_tell_different_gangs(run_article):
    ents, _ = groups_of(run_article, "本报讯 近日,江城警方通报了两起典型案例。\n"
                                     "案例一:4月,警方打掉一个以刷单为由实施诈骗的跨省团伙。\n"
                                     "案例二:5月,警方打掉一个以刷单返利为由实施诈骗的网络团伙。")
    assert len(ents) == 2
