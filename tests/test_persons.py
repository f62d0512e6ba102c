"""Persons: who is named, in which role, where the name ends, who is left out."""
from __future__ import annotations

from hypothesis import HealthCheck, given, settings, strategies as st

from kg.extract import create

PEOPLE = ("Victim", "Suspect", "PoliceOfficer")


def _persons(kg_resources, doc):
    return create("persons", kg_resources)(doc)


def _roles(doc) -> dict[str, str]:
    """Entity label → type, for people."""
    return {e.label: e.type for e in doc.entities if e.type in PEOPLE}


def test_persons_honorific_victim_who_reported(kg_resources, doc_of):
    doc = _persons(kg_resources, doc_of("近日,家住西湖区的王女士报警称,她在网上刷单被骗3万元。"))
    assert _roles(doc) == {"王女士": "Victim"}


def test_persons_suspect_after_title_and_mou_form(kg_resources, doc_of):
    doc = _persons(kg_resources, doc_of("经过缜密侦查,民警将犯罪嫌疑人赵某某、钱某抓获。受害人孙某表示感谢。"))
    assert _roles(doc) == {"赵某某": "Suspect", "钱某": "Suspect", "孙某": "Victim"}


def test_persons_mou_victim_by_cue(kg_resources, doc_of):
    doc = _persons(kg_resources, doc_of("3月1日,派出所接到辖区居民周某报警称,其在网上投资被骗5万元。"))
    assert _roles(doc) == {"周某": "Victim"}


def test_persons_mou_name_does_not_swallow_a_verb(kg_resources, doc_of):
    doc = _persons(kg_resources, doc_of("诈骗嫌疑人吴某添加了她的微信。随后吴某诱导她投资,最终她被骗8万元。"))
    assert _roles(doc) == {"吴某": "Suspect"}


def test_persons_officer_name_after_minjing_is_not_jingfang(kg_resources, doc_of):
    doc = _persons(kg_resources, doc_of("接到报警后,民警方立新带着辅警赶到现场,成功劝阻。"))
    assert _roles(doc) == {"方立新": "PoliceOfficer"}
    m = next(m for m in doc.mentions if m.label == "PoliceOfficer")
    assert doc.text[m.start:m.end] == "方立新"


def test_persons_officer_two_character_names_stop_before_the_verb(kg_resources, doc_of):
    doc = _persons(kg_resources, doc_of("派出所所长周明出席活动。民警高峰说,这是一起典型的刷单诈骗。"))
    assert _roles(doc) == {"周明": "PoliceOfficer", "高峰": "PoliceOfficer"}


def test_persons_officer_with_space_and_colon(kg_resources, doc_of):
    doc = _persons(kg_resources, doc_of("合成作战中心 民警 黄志远:“嫌疑人给受害人发了链接。”"))
    assert _roles(doc) == {"黄志远": "PoliceOfficer"}


def test_persons_police_title_outside_police_is_not_an_officer(kg_resources, doc_of):
    doc = _persons(kg_resources, doc_of("市交通运输局局长孙建平出席会议,要求加强道路安全。"))
    assert _roles(doc) == {}


def test_persons_reporters_and_correspondents_are_left_out(kg_resources, doc_of):
    text = "(记者 王大明 通讯员 李小红)民警张建国介绍,近期电信诈骗案件高发。记者 王大明 摄"
    doc = _persons(kg_resources, doc_of(text))
    assert _roles(doc) == {"张建国": "PoliceOfficer"}


def test_persons_xiao_name_resolves_to_the_full_name(kg_resources, doc_of):
    text = "辅警小刘正在值班。小刘全名刘子豪,今年25岁。小刘说,劝阻工作最难的是取得信任。"
    doc = _persons(kg_resources, doc_of(text))
    ent = next(e for e in doc.entities if e.type == "PoliceOfficer")
    assert ent.label == "刘子豪" and "小刘" in ent.aliases
    short = [m for m in doc.mentions if m.text == "小刘"]
    assert len(short) == 3 and all(m.key == ent.key for m in short)


def test_persons_she_refers_back_to_the_victim(kg_resources, doc_of):
    doc = _persons(kg_resources, doc_of("陈女士接到自称客服的电话后被骗2万元。她随后来到派出所报警。"))
    victim = next(e for e in doc.entities if e.type == "Victim")
    refs = [m for m in doc.mentions if m.label == "PersonRef"]
    assert [(m.text, m.key) for m in refs] == [("她", victim.key)]


def test_persons_gaigaizi_refers_to_a_man_not_a_woman(kg_resources, doc_of):
    text = "李先生与冒充客服的人通话。何女士在一旁看着。该男子随后转账1万元,最终被骗。"
    doc = _persons(kg_resources, doc_of(text))
    ref = next(m for m in doc.mentions if m.label == "PersonRef")
    assert ref.text == "该男子" and ref.get("refers_to") == "李先生"


def test_persons_company_victim_is_an_organization_victim(kg_resources, doc_of):
    text = "3月5日,杭州某贸易有限公司被冒充老板的骗子骗走20万元。"
    doc = _persons(kg_resources, doc_of(text))
    ent = next(e for e in doc.entities if e.type == "Victim")
    assert ent.label == "杭州某贸易有限公司" and ent.get("kind") == "organization"


def test_persons_lost_item_owner_and_neighbour_are_not_victims(kg_resources, doc_of):
    text = ("民警通过相关信息联系上了失主黎女士,钱包交还黎女士手中。"
            "入户盗窃案发生前,邻居赵女士曾见过一名陌生男子。群众钱女士报警称家中被盗。")
    doc = _persons(kg_resources, doc_of(text))
    assert _roles(doc) == {"钱女士": "Victim"}


def test_persons_unnamed_people_are_not_entities(kg_resources, doc_of):
    doc = _persons(kg_resources, doc_of("一名七旬老人被骗5万元,25名受害人到场领回资金,一位女士表示感谢。"))
    assert _roles(doc) == {}


def test_persons_one_role_per_person(kg_resources, doc_of):
    text = "犯罪嫌疑人郑某冒充客服。郑某等3名犯罪嫌疑人已被刑事拘留,郑某报警称被同伙骗了。"
    doc = _persons(kg_resources, doc_of(text))
    assert _roles(doc) == {"郑某": "Suspect"}
    assert {m.label for m in doc.mentions if m.text == "郑某"} == {"Suspect"}


ALPHABET = list("王李张刘陈方高某小女士先生大叔阿姨民警辅警所长局长犯罪嫌疑人受害者报警称被骗抓获全名她他该男子"
                "公司银行有限交通市省检察院记者通讯员的了在和、,。:“” 0123")


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.text(alphabet=ALPHABET, max_size=80))
def test_persons_mentions_point_at_their_text(kg_resources, doc_of, text):
    doc = _persons(kg_resources, doc_of(text))
    for m in doc.mentions:
        assert doc.text[m.start:m.end] == m.text
        assert m.key is None or doc.entity(m.key) is not None


def test_persons_surname_and_jingguan_is_an_officer(kg_resources, doc_of):
    doc = _persons(kg_resources, doc_of("李警官及时赶到,劝阻了正准备转账的刘女士,避免被骗。"))
    assert _roles(doc) == {"李警官": "PoliceOfficer", "刘女士": "Victim"}


def test_persons_bank_staff_is_not_a_victim(kg_resources, doc_of):
    text = "在民警和银行工作人员王女士的劝说下,赵先生意识到自己遭遇了诈骗。"
    doc = _persons(kg_resources, doc_of(text))
    assert _roles(doc) == {"赵先生": "Victim"}


def test_persons_gaigaizi_after_an_unnamed_man_is_not_resolved(kg_resources, doc_of):
    text = "王先生在网上认识了一名自称理财导师的男子。该男子称可以带他投资,王先生最终被骗5万元。"
    doc = _persons(kg_resources, doc_of(text))
    refs = {m.text: m.get("refers_to") for m in doc.mentions if m.label == "PersonRef"}
    assert "该男子" not in refs and refs.get("他") == "王先生"


def test_persons_mou_name_stops_before_a_verb_that_repeats(kg_resources, doc_of):
    doc = _persons(kg_resources, doc_of("嫌疑人邵某抓住对方心理骗取钱财。次日民警将邵某抓获。"))
    assert _roles(doc) == {"邵某": "Suspect"}


def test_persons_surname_that_ends_a_word_is_not_a_name(kg_resources, doc_of):
    doc = _persons(kg_resources, doc_of("他在一家公司某部门任职,被骗子骗走2万元。嫌疑人许某已被抓获。"))
    assert _roles(doc) == {"许某": "Suspect"}


def test_persons_title_inside_a_unit_name_does_not_start_a_name(kg_resources, doc_of):
    doc = _persons(kg_resources, doc_of("市公安局刑警支队副支队长邹明远介绍,刑警支队支队长钟亦凡带队抓获嫌疑人。"))
    assert _roles(doc) == {"邹明远": "PoliceOfficer", "钟亦凡": "PoliceOfficer"}


def test_persons_xiao_name_alone_is_a_victim(kg_resources, doc_of):
    doc = _persons(kg_resources, doc_of("大学生小郑在网上找兼职刷单,先后转账1.2万元后发现被骗,随即报警。"))
    assert _roles(doc) == {"小郑": "Victim"}


def test_persons_xiao_words_are_not_names(kg_resources, doc_of):
    doc = _persons(kg_resources, doc_of("小区居民在小程序上购物被骗,一小时后报警,损失不小于3000元。"))
    assert _roles(doc) == {}


def test_persons_xiao_nickname_after_a_word_for_a_person(kg_resources, doc_of):
    doc = _persons(kg_resources, doc_of("初三学生小雨想卖掉游戏装备。随后小雨按对方要求转账6000元,发现被骗后报警。"))
    assert _roles(doc) == {"小雨": "Victim"}


def test_persons_company_whose_accountant_was_cheated_is_a_victim(kg_resources, doc_of):
    doc = _persons(kg_resources, doc_of("3月2日,城南区一建材公司的会计被拉进一个微信群,转账20万元后发现被骗。"))
    (ent,) = [e for e in doc.entities if e.type in PEOPLE]
    assert ent.label == "城南区一建材公司" and ent.type == "Victim" and ent.get("kind") == "organization"


def test_persons_full_name_in_a_list_after_a_title(kg_resources, doc_of):
    doc = _persons(kg_resources, doc_of("民警将犯罪嫌疑人雷某、施某某和蒋明辉抓获。"))
    assert _roles(doc) == {"雷某": "Suspect", "施某某": "Suspect", "蒋明辉": "Suspect"}


def test_persons_officer_name_stops_where_jieba_starts_a_word(kg_resources, doc_of):
    doc = _persons(kg_resources, doc_of("值班民警何强接警后立即赶到。民警王明宇到达现场。"))
    assert _roles(doc) == {"何强": "PoliceOfficer", "王明宇": "PoliceOfficer"}


def test_persons_three_character_mou_name_written_once(kg_resources, doc_of):
    text = "警方查明,这是一个以组织者孙某亮为首的诈骗团伙,嫌疑人钱某华(男,35岁)负责转账。"
    doc = _persons(kg_resources, doc_of(text))
    assert _roles(doc) == {"孙某亮": "Suspect", "钱某华": "Suspect"}


def test_persons_mou_name_does_not_take_a_word_or_function_character(kg_resources, doc_of):
    text = "现场嫌疑人周某指认作案经过。嫌疑人周某指认作案经过。嫌疑人吴某均已到案,郑某因涉嫌盗窃被抓获。"
    doc = _persons(kg_resources, doc_of(text))
    assert _roles(doc) == {"周某": "Suspect", "吴某": "Suspect", "郑某": "Suspect"}


def test_persons_preposition_surname_before_a_time_word_is_no_name(kg_resources, doc_of):
    text = "民警查明,犯罪嫌疑人于数日前离开本地,随后将嫌疑人于晓峰抓获。"
    doc = _persons(kg_resources, doc_of(text))
    assert _roles(doc) == {"于晓峰": "Suspect"}


def test_persons_officers_listed_after_one_title(kg_resources, doc_of):
    text = "接警后,民警孟凡林、宋佳和辅警曹立军、邵明赶到现场。民警汪海和钱宇航合力将嫌疑人制服。"
    doc = _persons(kg_resources, doc_of(text))
    assert _roles(doc) == {n: "PoliceOfficer" for n in ("孟凡林", "宋佳", "曹立军", "邵明", "汪海", "钱宇航")}


def test_persons_kin_word_names_the_only_victim(kg_resources, doc_of):
    text = ("日前,一位七旬老太接到自称医保中心的电话。老大娘信以为真,准备转账。"
            "民警赶到银行,告诉老大娘这是诈骗,老大娘这才打消了念头。")
    doc = _persons(kg_resources, doc_of(text))
    assert _roles(doc) == {"老大娘": "Victim"}
    assert [m.text for m in doc.mentions if m.label == "Victim"] == ["老太", "老大娘", "老大娘", "老大娘"]


def test_persons_kin_word_is_no_victim_beside_a_named_one_or_said_once(kg_resources, doc_of):
    named = _persons(kg_resources, doc_of("王女士被骗2万元后报警。老大爷在一旁说,老大爷也接过这种电话。"))
    once = _persons(kg_resources, doc_of("民警提醒,老大爷老大娘们接到陌生电话要多留个心眼。"))
    assert _roles(named) == {"王女士": "Victim"} and _roles(once) == {}


def test_persons_surname_xing_forms_name_a_person(kg_resources, doc_of):
    text = "近日,一名刘姓老人接到冒充公安的电话,被骗3万元。民警随后将犯罪嫌疑人一名钟姓男子抓获。"
    doc = _persons(kg_resources, doc_of(text))
    assert _roles(doc) == {"刘姓老人": "Victim", "钟姓男子": "Suspect"}


def test_persons_adverb_after_a_title_in_a_headline_is_no_name(kg_resources, doc_of):
    doc = _persons(kg_resources, doc_of("民警连夜追踪止损 老人保住存款\n接到预警后,民警罗成说,这是典型的冒充熟人诈骗。"))
    assert _roles(doc) == {"罗成": "PoliceOfficer"}


def test_persons_relative_who_only_reported_is_not_a_victim(kg_resources, doc_of):
    text = "3月8日,市民郭先生报警称其母亲被冒充医保局的骗子骗走4万元。民警随即联系银行止付。"
    doc = _persons(kg_resources, doc_of(text))
    assert _roles(doc) == {}
    named = _persons(kg_resources, doc_of("郭先生到派出所报案称,其母亲韩女士被骗4万元。"))
    assert _roles(named) == {"韩女士": "Victim"}


def test_persons_name_between_a_unit_and_a_title_after_it(run_article):
    text = "公安部刘建新副部长作出批示。随后,杭州市公安局西湖区分局北山派出所陈立所长带队赶到。\n"
    res = run_article(text, ("places", "police_units", "home_city", "persons"))
    roles = {e.label: e.type for d in res.docs for e in d.entities if e.type in PEOPLE}
    assert roles == {"刘建新": "PoliceOfficer", "陈立": "PoliceOfficer"}


def test_persons_resident_to_whom_nothing_happened_is_no_victim(kg_resources, doc_of):
    text = ("民警连夜蹲守,将盗窃电动车的嫌疑人抓获。次日,小区居民唐先生得知消息后,在业主群里为民警点赞。"
            "居民蔡女士的电动车被盗后报警。")
    assert _roles(_persons(kg_resources, doc_of(text))) == {"蔡女士": "Victim"}


def test_persons_owner_of_a_burgled_home_is_a_victim(kg_resources, doc_of):
    text = "一名男子多次翻窗入室盗窃。当天中午,房主邱先生回家时发现窗户被撬开,随即告诉了民警。"
    assert _roles(_persons(kg_resources, doc_of(text))) == {"邱先生": "Victim"}


def test_persons_lao_name_written_twice(kg_resources, doc_of):
    text = "退休工人老蒋接到自称客服的电话,称要退款。老蒋按对方要求转账5万元后发现被骗,随即报警。老城区的居民也常接到此类电话。"
    assert _roles(_persons(kg_resources, doc_of(text))) == {"老蒋": "Victim"}


def test_persons_preposition_before_mou_and_a_noun_is_no_name(kg_resources, doc_of):
    text = "受害人魏女士向某平台转账3万元,又于某日向某银行账户汇款。嫌疑人向某某已被抓获。"
    assert _roles(_persons(kg_resources, doc_of(text))) == {"魏女士": "Victim", "向某某": "Suspect"}


def test_persons_account_holder_is_not_a_suspect_by_that_alone(kg_resources, doc_of):
    text = "经查,涉案银行卡的开户人为外省的钱某。民警随后将犯罪嫌疑人孔某抓获。"
    assert _roles(_persons(kg_resources, doc_of(text))) == {"孔某": "Suspect"}


def test_persons_shop_or_station_that_was_targeted_is_a_victim(kg_resources, doc_of):
    text = "3月9日,城东区一家超市被人以投毒相威胁索要钱财。同日,城北汽车站接到一陌生男子电话,要求汇款5万元。"
    doc = _persons(kg_resources, doc_of(text))
    assert {e.label for e in doc.entities if e.type == "Victim"} == {"城东区一家超市", "城北汽车站"}


def test_persons_reporter_for_a_spouse_and_words_with_lao_and_places(kg_resources, doc_of, run_article):
    text = ("居民钱大爷急匆匆来到城南派出所求助,称其老伴被骗了。民警随即联系钱大爷的老伴葛大娘,"
            "为两位老人守住了10万元养老钱,劝阻了准备转账的葛大娘。")
    assert _roles(_persons(kg_resources, doc_of(text))) == {"葛大娘": "Victim"}
    res = run_article("经查,犯罪嫌疑人从柬埔寨遣返回国,犯罪嫌疑人从柬埔寨入境后被抓获。\n",
                      ("places", "police_units", "home_city", "persons"))
    assert not [e for d in res.docs for e in d.entities if e.type in PEOPLE]


def test_persons_one_person_written_two_ways_is_one(kg_resources, doc_of):
    text = ("市民解女士来到派出所报警,称被骗2万元。民警了解到,解某在网上兼职刷单。解女士表示会提高警惕。"
            "此前,居民窦小姐也报警称被骗,窦女士说对方自称客服,窦女士随后转账1万元。")
    doc = _persons(kg_resources, doc_of(text))
    assert _roles(doc) == {"解女士": "Victim", "窦女士": "Victim"}
    assert {a for e in doc.entities for a in e.aliases} == {"解某", "窦小姐"}


def test_persons_mou_name_with_a_noun_character_before_its_description(kg_resources, doc_of):
    text = "民警锁定嫌疑人邵某平(男,31岁)。民警向某银行发函,又将犯罪嫌疑人柏某银等3人抓获。"
    assert _roles(_persons(kg_resources, doc_of(text))) == {"邵某平": "Suspect", "柏某银": "Suspect"}


def test_persons_rare_surname_mou_with_a_count_and_the_phone_owner(kg_resources, doc_of):
    text = ("警方破获荀某等3人冒充客服诈骗案,又抓获犸某等两人。经查,涉案手机机主是外省人鲍某。"
            "民警找到鲍某后对其询问。")
    assert _roles(_persons(kg_resources, doc_of(text))) == {"荀某": "Suspect", "犸某": "Suspect"}


def test_persons_parent_who_reports_a_cheated_child_is_the_victim(kg_resources, doc_of):
    text = "派出所接到群众乔女士电话报警,称儿子玩游戏被骗了2000元,钱是从乔女士银行卡上转走的。"
    assert _roles(_persons(kg_resources, doc_of(text))) == {"乔女士": "Victim"}


def test_persons_pickpocketed_woman_is_a_victim(kg_resources, doc_of):
    text = "晚上9点多,邹女士正在商场门口过马路,一名男子靠近邹女士,将她的手机掏走。路人告诉邹女士手机被偷了。"
    assert _roles(_persons(kg_resources, doc_of(text))) == {"邹女士": "Victim"}


def test_persons_one_forced_or_extorted_is_a_victim(kg_resources, doc_of):
    text = "凌晨,聂某报警称,其与甘某被两名男子敲诈勒索5000元。嫌疑人持刀逼迫甘某转账。民警将嫌疑人柯某抓获。"
    assert _roles(_persons(kg_resources, doc_of(text))) == {"聂某": "Victim", "甘某": "Victim", "柯某": "Suspect"}
