"""Tests of kg/extract/cases.py (with stories.py and figures.py): one case per story,
assembled from its sentences; statistics become figures."""
from __future__ import annotations

import re
from decimal import Decimal

import pytest

from kg.model import Entity, Mention, entity_key

MINE = ("money", "dates", "crime_types", "cases")
# what the earlier extractors would have added, given by the tests instead
GIVEN = ("Victim", "Suspect", "PersonRef", "CriminalGroup", "PoliceUnit", "home_city", "Place", "Organization", "links")
# … and, for a test that runs the cases extractor alone, what MINE adds
CASES_GIVEN = GIVEN + ("CrimeCue", "Date", "Money")


@pytest.fixture
def cases_of(doc_of, kg_resources):
    """Run money, dates, crime types and cases over a doc whose people and units are given
    as {surface: key} (every occurrence becomes a mention)."""
    from kg.pipeline import Pipeline
    pipe = Pipeline(MINE, kg_resources, given=GIVEN)

    def run(text, people=None, home_city=None):
        mentions, entities = [], []
        for surface, key in (people or {}).items():
            label = key.split("/")[0]
            entities.append(Entity(key, label, key.rpartition("/")[2]))
            for m in re.finditer(re.escape(surface), text):
                mentions.append(Mention(m.start(), m.end(), surface, label, "test", key))
        doc = doc_of(text, mentions, home_city=home_city).add(entities=entities)
        return pipe.process_doc(doc)
    return run


V = lambda name: entity_key("Victim", name, scope="t")        # noqa: E731
S = lambda name: entity_key("Suspect", name, scope="t")       # noqa: E731
U = lambda name: entity_key("PoliceUnit", name)               # noqa: E731


def test_cases_victim_loss_and_unit(cases_of):
    doc = cases_of("6月2日,市民刘女士接到自称快递客服的电话,称其包裹丢失可以理赔。"
                   "刘女士按对方要求操作,共被骗走2.6万元。\n"
                   "接到报警后,城东派出所民警迅速开展侦查,抓获犯罪嫌疑人孙某。",
                   {"刘女士": V("刘女士"), "孙某": S("孙某"), "城东派出所": U("某市公安局城东派出所")})
    (case,) = doc.cases
    assert case.victims == (V("刘女士"),) and case.suspects == (S("孙某"),)
    assert case.handled_by == (U("某市公安局城东派出所"),)
    assert case.crime_type == "冒充电商物流客服诈骗"
    assert case.amount_lost == Decimal(26000) and case.amount_recovered is None
    fields = {f for f, *_ in case.evidence}
    assert {"victim", "suspect", "handledBy", "crimeType", "amountLost"} <= fields
    for f, value, s, e in case.evidence:
        if f == "amountLost":
            assert doc.text[s:e] == "2.6万元"


def test_cases_dissuaded_victim_saved_not_lost(cases_of):
    doc = cases_of("3月5日晚,民警接到预警,辖区居民王女士正在与冒充公安的骗子通话,对方称其涉嫌洗钱。"
                   "民警赶到后当面劝阻,王女士卡内的8万元还未被转走,避免了损失。",
                   {"王女士": V("王女士")})
    (case,) = doc.cases
    assert case.amount_recovered == Decimal(80000) and case.amount_lost is None
    assert case.crime_type == "冒充公检法诈骗"


def test_cases_statistics_become_figures(cases_of):
    doc = cases_of("今年以来,全市公安机关共破获电信网络诈骗案件502起,抓获犯罪嫌疑人310名,"
                   "累计冻结止付涉案资金1.52亿元。\n"
                   "5月,李先生在网上投资理财被骗,共损失12万元,市公安局反诈中心为其追回4万元。",
                   {"李先生": V("李先生"), "市公安局反诈中心": U("某市公安局反诈中心")})
    (case,) = doc.cases
    assert case.victims == (V("李先生"),)
    assert (case.amount_lost, case.amount_recovered) == (Decimal(120000), Decimal(40000))
    measures = {(f.measure, f.value) for f in doc.figures}
    assert {("casesSolved", Decimal(502)), ("suspectsArrested", Decimal(310)),
            ("amountFrozen", Decimal(152000000))} <= measures
    assert all(f.period == "今年以来" for f in doc.figures)


def test_cases_a_new_victim_opens_a_new_story(cases_of):
    doc = cases_of("3月11日,赵女士被人以刷单返利为由骗走3000元。民警随后为其追回3000元。\n"
                   "3月13日,钱先生接到境外电话,对方让他下载会议软件。民警上门劝阻,他卡里的5万元未被转走。",
                   {"赵女士": V("赵女士"), "钱先生": V("钱先生")})
    first, second = doc.cases
    assert first.victims == (V("赵女士"),) and second.victims == (V("钱先生"),)
    assert first.crime_type == "刷单返利诈骗" and second.crime_type == "其他电信网络诈骗"
    assert second.amount_lost is None and second.amount_recovered == Decimal(50000)


def test_cases_advice_is_no_story(cases_of):
    doc = cases_of("警方提醒:\n1、不要相信自称客服的退款电话。\n2、不要向陌生账户转账。")
    assert doc.cases == () and doc.figures == ()


def test_cases_counts_of_a_story(cases_of):
    doc = cases_of("10月15日,警方摧毁一个诈骗团伙,受害人李某报案称被骗20万元,警方抓获犯罪嫌疑人64名,"
                   "刑事拘留87名犯罪嫌疑人。",
                   {"李某": V("李某")})
    (case,) = doc.cases
    assert dict(case.counts) == {"suspectsArrested": 64}


def test_cases_full_pipeline_names_the_home_bureau(run_article):
    from kg.extract import DEFAULT_PIPELINE
    result = run_article("女子网购遭遇退款诈骗\n本报讯 近日,杭州市民陈女士接到自称网店客服的电话,"
                         "称其购买的衣服有质量问题要给她退款。陈女士按对方指引操作后,被骗走4800元。"
                         "陈女士随即报警,杭州警方立即开展调查。", names=DEFAULT_PIPELINE)
    cases = [c for d in result.docs for c in d.cases]
    assert len(cases) == 1
    case = cases[0]
    assert case.amount_lost == Decimal(4800)
    assert case.crime_type == "冒充电商物流客服诈骗"
    assert any(k.endswith("杭州市公安局") for k in case.handled_by)


def test_cases_whole_loss_recovered_without_a_second_sum(cases_of):
    doc = cases_of("8月14日,一家公司报警称,有人在QQ上冒充公司老板让财务汇款12万元。"
                   "民警引导其紧急止付,最终将被骗资金成功追回。",
                   {"一家公司": V("一家公司")})
    (case,) = doc.cases
    assert case.amount_lost == case.amount_recovered == Decimal(120000)
    assert case.crime_type == "冒充领导熟人诈骗"


def test_cases_statistics_sentence_inside_a_story_is_not_its_sum(cases_of):
    doc = cases_of("5月3日,周女士被骗走6000元,民警为其追回6000元。今年以来,全市共为群众挽回损失300万元。",
                   {"周女士": V("周女士")})
    (case,) = doc.cases
    assert case.amount_recovered == Decimal(6000)


def test_cases_unit_that_only_reports_statistics_did_not_handle_the_case(cases_of):
    doc = cases_of("5月3日,留下派出所成功劝阻周女士向骗子转账6000元。\n"
                   "今年以来,西湖警方共开展见面劝阻1200余次,其中刷单类警情占比近三成。",
                   {"周女士": V("周女士"), "留下派出所": U("西湖分局留下派出所"), "西湖警方": U("西湖分局")})
    (case,) = doc.cases
    assert case.handled_by == (U("西湖分局留下派出所"),)


def test_cases_money_frozen_for_a_victim_is_recovered(cases_of):
    doc = cases_of("5月3日,周女士被骗走6000元。民警联合银行及时止付,成功冻结涉案资金4000元。",
                   {"周女士": V("周女士")})
    (case,) = doc.cases
    assert case.amount_lost == Decimal(6000) and case.amount_recovered == Decimal(4000)


def test_cases_total_of_payments_a_clause_after_the_cue_is_the_loss(cases_of):
    doc = cases_of("周女士报警称,她按对方要求先后将贷款转入指定账户,共计4.5万元。",
                   {"周女士": V("周女士")})
    (case,) = doc.cases
    assert case.amount_lost == Decimal(45000)


def test_cases_numbered_subheading_ending_in_a_quote_opens_a_section(cases_of):
    doc = cases_of("三、网购遇上“退款”\n周女士网购时接到“客服”电话,被骗走6000元。\n"
                   "四、斩断“数据链”\n民警顺线追查,在外省抓获倒卖个人信息的犯罪嫌疑人鲍某。\n",
                   {"周女士": V("周女士"), "鲍某": S("鲍某")})
    assert [(c.victims, c.suspects) for c in doc.cases] == [((V("周女士"),), ()), ((), (S("鲍某"),))]


def test_cases_announced_victim_after_a_suspects_story_opens_another(cases_of):
    doc = cases_of("民警在外省抓获倒卖个人信息的犯罪嫌疑人鲍某。\n"
                   "同样的案件并非个例。个体户周女士申请贷款时被骗走6000元。\n",
                   {"周女士": V("周女士"), "鲍某": S("鲍某")})
    assert [(c.victims, c.suspects) for c in doc.cases] == [((), (S("鲍某"),)), ((V("周女士"),), ())]


def test_cases_another_incident_with_a_new_suspect_is_its_own_story(cases_of):
    doc = cases_of("5月3日,周女士被人以裸聊视频敲诈,民警及时劝阻。\n"
                   "另一起案件发生在城南。民警蹲守三天,将盗窃电瓶的犯罪嫌疑人鲍某抓获。\n",
                   {"周女士": V("周女士"), "鲍某": S("鲍某")})
    assert [(c.victims, c.suspects) for c in doc.cases] == [((V("周女士"),), ()), ((), (S("鲍某"),))]


def test_cases_reported_sums_keep_their_kind(cases_of):
    doc = cases_of("今年以来,全市上门劝阻群众4.2万人次,劝阻金额2.6亿余元,止付金额7.3亿元,"
                   "返还群众被骗资金1500万元,为群众减少损失3亿元。")
    measures = {(f.measure, f.kind, f.value) for f in doc.figures if f.unit == "yuan"}
    assert measures == {("amountPrevented", "prevented", Decimal(260000000)),
                        ("amountStopped", "stopped", Decimal(730000000)),
                        ("amountReturned", "returned", Decimal(15000000)),
                        ("amountLossAvoided", "avoided", Decimal(300000000))}


def test_cases_amounts_keep_their_kind(cases_of):
    doc = cases_of("8月3日,市民陈先生被冒充客服的骗子骗走5万元。民警联系银行紧急止付2万元,"
                   "随后又为其追回1万元。", {"陈先生": V("陈先生")})
    (case,) = doc.cases
    kinds = {(a.role, a.kind, a.value) for a in case.amounts}
    assert {("lost", "", Decimal(50000)), ("recovered", "stopped", Decimal(20000)),
            ("recovered", "returned", Decimal(10000))} <= kinds
    assert case.amount_recovered == Decimal(20000)


P = lambda code: entity_key("Place", code)                    # noqa: E731


@pytest.mark.parametrize("text,date", [
    # a month-day without a year stays without one
    ("9月14日晚,市民孙女士接到冒充客服的电话,被骗走3万元。", "--09-14"),
    # 今年 with no article date: the month-day only
    ("今年4月6日,孙女士在网上刷单被骗1.2万元。", "--04-06"),
    # 今年 resolved against the article's own dateline
    ("本报2024年3月9日讯 今年2月5日晚,孙女士在网上刷单被骗1.2万元。", "2024-02-05"),
    # a year written out
    ("2022年11月,孙女士被以投资为名骗走8万元。", "2022-11"),
    # the incident before the thank-you visit told first
    ("5月20日,孙女士将锦旗送到派出所。5月2日,她在网上刷单被骗2万元,民警为其追回。", "--05-02"),
    # a range starts when the incident starts
    ("6月3日至7日,孙女士先后五次转账,共被骗4万元。", "--06-03"),
    # a dateline, a reporter's day and the start of a period are not the incident
    ("12月1日讯 记者3日获悉,自今年以来,11月20日,孙女士被冒充公安的骗子骗走5万元。", "--11-20"),
    # a bare year is background when a month is given
    ("8月9日凌晨,孙某盗走商铺现金2000元后被抓获。经查,他在2015年曾因盗窃获刑。", "--08-09"),
])
def test_cases_incident_date(cases_of, text, date):
    doc = cases_of(text, {"孙女士": V("孙女士"), "孙某": S("孙某")})
    (case,) = doc.cases
    assert case.date == date
    assert ("date", date) in {(f, v) for f, v, _, _ in case.evidence}


def test_cases_place_where_the_victim_is(cases_of):
    doc = cases_of("3月2日,青山县的孙女士接到冒充客服的电话,被骗走2万元。"
                   "绿水县公安局接警后开展侦查。",
                   {"孙女士": V("孙女士"), "青山县": P("100001"), "绿水县公安局": U("绿水县公安局")})
    (case,) = doc.cases
    assert case.places == (P("100001"),)


def test_cases_place_from_the_handling_unit_jurisdiction(cases_of):
    from kg.model import Link
    text = "3月2日,孙女士接到冒充客服的电话,被骗走2万元。绿水县公安局接警后开展侦查。"
    doc = cases_of(text, {"孙女士": V("孙女士"), "绿水县公安局": U("绿水县公安局")})
    assert doc.cases[0].places == ()
    pos = text.index("绿水县公安局")
    link = Link(U("绿水县公安局"), "jurisdiction", P("100002"), "test", pos, pos + 6)
    from kg.pipeline import Pipeline
    from kg.model import Entity
    base = doc.replace(cases=(), figures=()).add(links=[link], entities=[Entity(P("100002"), "Place", "绿水县")])
    (case,) = Pipeline(("cases",), None, given=CASES_GIVEN).process_doc(base).cases
    assert case.places == (P("100002"),)


def _evidence_sentence(doc, case, field, key):
    (s,) = [s for f, k, s, _ in case.evidence if f == field and k == key]
    sent = doc.sentence_at(s)
    return doc.text[sent.start:sent.end]


def test_cases_handled_by_evidence_names_the_case_people(cases_of):
    doc = cases_of("5月3日,市民周女士接到冒充客服的电话,被骗走2万元。市公安局一贯高度重视群众财产安全。"
                   "当晚,市公安局接到周女士报警后立即开展侦查。",
                   {"周女士": V("周女士"), "市公安局": U("某市公安局")})
    (case,) = doc.cases
    assert _evidence_sentence(doc, case, "handledBy", U("某市公安局")) == "当晚,市公安局接到周女士报警后立即开展侦查。"


def test_cases_handled_by_evidence_is_not_a_lead_in_of_boilerplate(cases_of):
    doc = cases_of("市公安局始终对各类违法犯罪保持高压严打态势。\n"
                   "5月3日,市民周女士接到冒充客服的电话,被骗走2万元。民警接到周女士报警后,为其追回1万元。",
                   {"周女士": V("周女士"), "市公安局": U("某市公安局")})
    (case,) = doc.cases
    assert case.handled_by == (U("某市公安局"),)
    assert _evidence_sentence(doc, case, "handledBy", U("某市公安局")) == "民警接到周女士报警后,为其追回1万元。"


def test_cases_place_of_a_victim_is_the_reporting_unit_not_the_far_gang(cases_of):
    from kg.model import Entity, Link
    from kg.pipeline import Pipeline
    text = ("3月2日,孙女士被冒充客服的骗子骗走2万元。东坡派出所接警后侦查,"
            "锁定了藏身外省西岭市的诈骗团伙。")
    doc = cases_of(text, {"孙女士": V("孙女士"), "东坡派出所": U("绿水县公安局东坡派出所")})
    gang = entity_key("CriminalGroup", "西岭市诈骗团伙", scope="t")
    pos = text.index("西岭市")
    extra = [Entity(P("100002"), "Place", "绿水县"), Entity(P("200001"), "Place", "西岭市"),
             Entity(gang, "CriminalGroup", "西岭市诈骗团伙"), Entity(U("绿水县公安局"), "PoliceUnit", "绿水县公安局")]
    links = [Link(U("绿水县公安局东坡派出所"), "partOf", U("绿水县公安局"), "test", 0, 1),
             Link(U("绿水县公安局"), "jurisdiction", P("100002"), "test", 0, 1),
             Link(gang, "basedIn", P("200001"), "test", pos, pos + 3)]
    group_mention = Mention(pos, pos + 9, "西岭市的诈骗团伙", "CriminalGroup", "test", gang)
    base = doc.replace(cases=(), figures=()).add(links=links, entities=extra, mentions=[group_mention])
    (case,) = Pipeline(("cases",), None, given=CASES_GIVEN).process_doc(base).cases
    assert case.places == (P("100002"),)
