"""Tests of kg/extract/money.py: the role of each sum of money in the story."""
from __future__ import annotations

import pytest

from kg.extract.money import load_cues, money_mentions


@pytest.fixture(scope="module")
def cues():
    from kg.pipeline import Resources
    return load_cues(Resources().table("amount_roles"))


def roles(doc_of, cues, text):
    return [(m.text, m.get("role")) for m in money_mentions(doc_of(text), cues)]


@pytest.mark.parametrize("text,role", [
    ("王女士被人以投资为由诈骗现金8.5万元。", "lost"),
    ("她先后两次转账,共被骗走12000元。", "lost"),
    ("他缴纳了98元的会员费后开始做任务。", "lost"),
    ("收到一条600元的扣款信息。", "lost"),
    ("民警为其挽回损失3万元。", "recovered"),
    ("专案组为受害人追回损失15万元。", "recovered"),
    ("目前已返还群众损失2.6万元。", "recovered"),
    ("转入对方账户的20万元被全额止付。", "recovered"),
    ("卡里的6万元还未被转走。", "recovered"),
    ("成功冻结涉案资金40万元。", "frozen"),
    ("该案涉案金额达1.2亿元。", "involved"),
    ("该团伙作案9起,涉案总价值7万余元。", "involved"),
    ("现场扣押现金5万余元。", "seized"),
    ("对方称完成任务就能获利20元。", "other"),
    ("客服称商品有质量问题,主动退款300元。", "other"),
    ("骗子正试图将她卡内的80万元转走。", "attempted"),
    ("他正准备充值2万元时,民警赶到。", "attempted"),
])
def test_money_role_from_context(doc_of, cues, text, role):
    found = roles(doc_of, cues, text)
    assert len(found) == 1 and found[0][1] == role, found


def test_money_recovery_words_win_over_the_loss_they_name(doc_of, cues):
    assert roles(doc_of, cues, "警方向受害人返还被骗资金30万元。") == [("30万元", "recovered")]
    assert roles(doc_of, cues, "为群众减少经济损失2亿元。") == [("2亿元", "recovered")]


def test_money_totals_are_marked(doc_of, cues):
    doc = doc_of("他先后充值5000元,累计投入8万元。")
    marks = [(m.text, m.get("total")) for m in money_mentions(doc, cues)]
    assert marks == [("5000元", "0"), ("8万元", "1")]


@pytest.mark.parametrize("text,kind", [
    ("经过两个月侦查,警方为他追回被骗的6万元。", "returned"),
    ("目前已向受害人返还资金1.5万元。", "returned"),
    ("反诈中心联系银行,紧急止付2.3万元。", "stopped"),
    ("转出的4万元被银行成功拦截。", "stopped"),
    ("该笔款项中的9000元已被冻结。", "stopped"),
    ("民警上门劝阻3万元转账,老人最终没有汇款。", "prevented"),
    ("多亏民警及时赶到,否则这7万元就没了。", "prevented"),
    ("此次行动为群众减少经济损失12万元。", "avoided"),
    ("民警帮助她挽损5000元。", "avoided"),
])
def test_money_kind_of_money_kept_from_fraudsters(doc_of, cues, text, kind):
    (m,) = money_mentions(doc_of(text), cues)
    assert (m.get("role"), m.get("kind")) in {("recovered", kind), ("frozen", kind)}, m.attrs


def test_money_losses_and_other_roles_have_no_kind(doc_of, cues):
    ms = money_mentions(doc_of("他被骗走2万元,涉案金额达300万元。"), cues)
    assert [(m.get("role"), m.get("kind")) for m in ms] == [("lost", None), ("involved", None)]


def test_money_a_threshold_of_a_category_is_no_loss(doc_of, cues):
    found = roles(doc_of, cues, "今年损失超过5000元以上的案件同比下降两成。")
    assert found == [("超过5000元以上", "threshold")]
    assert roles(doc_of, cues, "被骗2000元以下的群众占多数。")[0][1] == "threshold"


def test_money_a_negative_figure_is_no_loss(doc_of, cues):
    assert roles(doc_of, cues, "他的账户收益显示为负3万元。")[0][1] == "other"


def test_money_an_attempt_said_with_nearly(doc_of, cues):
    assert roles(doc_of, cues, "他差一点就把攒下的4万元转给了对方。") == [("4万元", "attempted")]


@pytest.mark.parametrize("text,role,kind", [
    ("民警成功止付一笔被骗资金3万元。", "recovered", "stopped"),
    ("他说被骗的5万元已被银行退回到原账户。", "recovered", "returned"),
    ("民警在路口拦下了准备送给骗子的2万元。", "recovered", "stopped"),
    ("嫌疑人先后窃得价值6000元的铜线。", "lost", None),
    ("她按对方提供的账号转去了4万元。", "lost", None),
])
def test_money_more_ways_to_say_it(doc_of, cues, text, role, kind):
    (m,) = money_mentions(doc_of(text), cues)
    assert (m.get("role"), m.get("kind")) == (role, kind), m.attrs


def test_money_an_order_of_magnitude_is_no_sum(doc_of, cues):
    assert roles(doc_of, cues, "该公司造成投资者上千万元经济损失。")[0][1] == "other"
    assert roles(doc_of, cues, "她先后被骗上万元。") in ([], [("上万元", "other")])


def test_money_the_worth_of_what_was_stolen(doc_of, cues):
    assert roles(doc_of, cues, "他家中被盗走金项链、现金等,总价值6500余元。") == [("6500余元", "lost")]
    assert roles(doc_of, cues, "这部手机价值3000元。") == [("3000元", "other")]


def test_money_defrauded_by_a_means_and_in_renminbi(doc_of, cues):
    assert roles(doc_of, cues, "他被人以网上兼职等形式骗走人民币4万余元。") == [("4万余元", "lost")]


@pytest.mark.parametrize("text,role", [
    ("对方称需支付600元才能解冻账户。", "demanded"),
    ("她已从银行取出3万元现金,正准备交给对方。", "attempted"),
    ("该团伙涉案资金流水高达2亿元。", "other"),
    ("三名男子向他敲诈勒索5000元。", "lost"),
])
def test_money_asked_withdrawn_flowing_or_extorted(doc_of, cues, text, role):
    assert [r for _, r in roles(doc_of, cues, text)] == [role]


def test_money_returned_in_the_end(doc_of, cues):
    assert roles(doc_of, cues, "8000元被骗资金最终顺利返还到他的账户。") == [("8000元", "recovered")]
