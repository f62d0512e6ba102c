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
