"""Tests of kg/numbers.py: numerals and sums of money as Chinese news writes them."""
from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kg.numbers import find_amounts, parse_number

CN = "零一二三四五六七八九"


def _section(n: int) -> str:
    """A number below 10000 in Chinese numerals (一千零五, 三百二十)."""
    out, zero = "", False
    for value, unit in ((1000, "千"), (100, "百"), (10, "十"), (1, "")):
        d = n // value % 10
        if d == 0:
            zero = bool(out)
            continue
        if zero:
            out += "零"
            zero = False
        out += CN[d] + unit
    return out


def to_chinese(n: int) -> str:
    """An independent formatter for the property test: 120005 → 十二万零五."""
    parts = [(n // 10**8, "亿"), (n // 10**4 % 10**4, "万"), (n % 10**4, "")]
    out, gap = "", False
    for value, unit in parts:
        if value == 0:
            gap = bool(out)
            continue
        if out and (gap or value < 1000):
            out += "零"
        out += _section(value) + unit
        gap = False
    return out[1:] if out.startswith("一十") else out


def one(text: str):
    found = list(find_amounts(text))
    assert len(found) == 1, found
    return found[0]


@pytest.mark.parametrize("text,value,qualifier", [
    ("被骗5.3万元", "53000", "exact"),
    ("被骗10.6亿元", "1060000000", "exact"),
    ("返还9524.15元", "9524.15", "exact"),
    ("损失一百多元", "100", "atLeast"),
    ("涉案十余万元", "100000", "atLeast"),
    ("涉案2100余万元", "21000000", "atLeast"),
    ("高达百万余元", "1000000", "atLeast"),
    ("挽损75万余元", "750000", "atLeast"),
    ("被骗5万多元", "50000", "atLeast"),
    ("超3.2亿元", "320000000", "atLeast"),
    ("逾千元", "1000", "atLeast"),
    ("3000元以上", "3000", "atLeast"),
    ("上百元", "100", "atLeast"),
    ("约2万元", "20000", "about"),
    ("2万元左右", "20000", "about"),
    ("500元许", "500", "about"),
    ("近百万元", "1000000", "atMost"),
    ("不到200元", "200", "atMost"),
    ("不足5000元", "5000", "atMost"),
    ("1万元以内", "10000", "atMost"),
    ("两万五千元", "25000", "exact"),
    ("两万五块", "25000", "exact"),
    ("一千零五元", "1005", "exact"),
    ("1,360元", "1360", "exact"),
    ("２０万元", "200000", "exact"),
    ("一亿二千万元", "120000000", "exact"),
])
def test_numbers_every_unit_and_qualifier(text, value, qualifier):
    a = one(text)
    assert (a.value, a.qualifier) == (Decimal(value), qualifier)
    assert text[a.start:a.end] == a.text


def test_numbers_ranges_keep_both_bounds():
    a = one("每次3万至5万元")
    assert (a.value, a.high, a.qualifier) == (Decimal(30000), Decimal(50000), "atLeast")
    b = one("花了两三百元")
    assert (b.value, b.high) == (Decimal(200), Decimal(300))
    c = one("3-5万元")
    assert (c.value, c.high) == (Decimal(30000), Decimal(50000))


def test_numbers_bare_sums_need_a_big_unit_or_cents():
    assert one("返还被骗资金180余万。").value == Decimal(1800000)
    assert one("其中的9524.15已返还").value == Decimal("9524.15")
    assert list(find_amounts("劝阻群众10万余人次")) == []
    assert list(find_amounts("抓获犯罪嫌疑人87名,下降24.96%")) == []
    assert list(find_amounts("千万不要转账")) == []
    assert list(find_amounts("万豪平台")) == []


def test_numbers_two_figures_apart_stay_two():
    found = list(find_amounts("分别被骗2万,3万元"))
    assert [a.value for a in found] == [Decimal(20000), Decimal(30000)]


def test_numbers_parse_number_reports_vagueness():
    assert parse_number("2100余万") == (Decimal(21000000), True)
    assert parse_number("三千五") == (Decimal(3500), False)
    assert parse_number("十万") == (Decimal(100000), False)


PREFIXES = [("", None), ("约", "about"), ("超过", "atLeast"), ("逾", "atLeast"), ("不到", "atMost"),
            ("近", "atMost"), ("大约", "about"), ("不足", "atMost")]
SUFFIXES = [("", None), ("以上", "atLeast"), ("左右", "about"), ("以内", "atMost")]


def _plain(d: Decimal) -> str:
    """1250 → "1250", 3.50 → "3.5" (no exponent, no trailing zeros after the point)."""
    text = f"{d:f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


@st.composite
def written_amounts(draw):
    """(text, value, qualifier): a number written in one of the ways news writes money."""
    n = draw(st.integers(min_value=1, max_value=99_999_999_999))
    form = draw(st.sampled_from(["arabic", "chinese", "wan", "yi", "vague"]))
    if form == "wan":
        n = n // 100 * 100 or 100
        body = _plain(Decimal(n) / 10000) + "万"
    elif form == "yi":
        n = n // 10**6 * 10**6 or 10**6
        body = _plain(Decimal(n) / 10**8) + "亿"
    elif form == "chinese":
        body = to_chinese(n)
    elif form == "vague":
        n = max(1, n // 10**4) * 10**4
        body = f"{n // 10**4}万余"
    else:
        body = str(n)
    prefix, pq = draw(st.sampled_from(PREFIXES))
    suffix, sq = draw(st.sampled_from(SUFFIXES)) if form != "vague" else ("", None)
    qualifier = pq or sq or ("atLeast" if form == "vague" else "exact")
    return f"{prefix}{body}元{suffix}", Decimal(n), qualifier


@given(written_amounts(), st.sampled_from(["被骗", "共计损失", "民警为其挽回"]), st.sampled_from(["。", ",", "后报警"]))
@settings(max_examples=300, deadline=None)
def test_numbers_written_amounts_parse_back(written, before, after):
    text, value, qualifier = written
    sentence = before + text + after
    a = one(sentence)
    assert a.value == value, sentence
    assert a.qualifier == qualifier, sentence
    assert sentence[a.start:a.end] == a.text == text


@pytest.mark.parametrize("text", ["", "元", "abc", "三x五", "余", "1.2.3", "万" * 3])
def test_numbers_non_numeral_raises_our_error_not_value_error(text):
    from kg.errors import KGError
    from kg.numbers import NumberError, amount_of
    with pytest.raises(NumberError) as e:
        amount_of(text)
    assert isinstance(e.value, KGError) and not isinstance(e.value, ValueError)
