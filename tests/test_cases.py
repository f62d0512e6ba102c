"""Tests of kg/extract/cases.py (with stories.py and figures.py): one case per story,
assembled from its sentences; statistics become figures."""
from __future__ import annotations

import re
from decimal import Decimal

import pytest

from kg.model import Entity, Mention, entity_key

MINE = ("money", "dates", "crime_types", "cases")


@pytest.fixture
def cases_of(doc_of, kg_resources):
    """Run money, dates, crime types and cases over a doc whose people and units are given
    as {surface: key} (every occurrence becomes a mention)."""
    from kg.pipeline import Pipeline
    pipe = Pipeline(MINE, kg_resources, given=("Victim", "Suspect", "PersonRef", "CriminalGroup", "PoliceUnit", "home_city"))

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
