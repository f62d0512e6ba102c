"""Tests of kg/dates.py: absolute and relative dates, precision, years never invented."""
from __future__ import annotations

from datetime import date

from kg.dates import article_year, find_dates


def values(text: str, **kw):
    return [(d.text, d.value, d.precision, d.resolved) for d in find_dates(text, **kw)]


def test_dates_absolute_keep_their_precision():
    assert values("2023年10月24日报警") == [("2023年10月24日", "2023-10-24", "day", True)]
    assert values("2023年10月,他被骗") == [("2023年10月", "2023-10", "month", True)]
    assert values("2019年,破获一起案件") == [("2019年", "2019", "year", True)]
    assert values("二〇二二年三月五日") == [("二〇二二年三月五日", "2022-03-05", "day", True)]


def test_dates_month_day_takes_the_year_of_the_text_or_stays_open():
    got = values("2021年,警方立案。6月5日,两路民警行动,并于8日收网。")
    assert got == [("2021年", "2021", "year", True), ("6月5日", "2021-06-05", "day", True),
                   ("8日", "2021-06-08", "day", True)]
    assert values("5月9日上午,她来到派出所") == [("5月9日", "--05-09", "day", False)]


def test_dates_relative_to_the_article_need_its_year():
    assert values("今年3月,李女士被骗;去年5月15日又被骗") == [
        ("今年3月", "--03", "month", False), ("去年5月15日", "--05-15", "day", False)]
    assert values("今年3月,李女士被骗;去年5月15日又被骗", ref_year=2022) == [
        ("今年3月", "2022-03", "month", True), ("去年5月15日", "2021-05-15", "day", True)]


def test_dates_relative_to_the_story_follow_the_last_date():
    got = values("2020年7月30日,市民报警。当晚民警出警,次日抓获嫌疑人。")
    assert got[1:] == [("当晚", "2020-07-30", "day", True), ("次日", "2020-07-31", "day", True)]
    assert values("当晚,民警赶到现场") == [("当晚", "", "day", False)]


def test_dates_vague_words_resolve_only_against_the_article_date():
    assert values("近日,王先生报警") == [("近日", "", "day", False)]
    assert values("昨日,王先生报警", ref=date(2024, 3, 22)) == [("昨日", "2024-03-21", "day", True)]


def test_dates_no_year_is_taken_from_counts_or_times():
    assert values("抓获嫌疑人2000名,晚上8时许") == []
    assert article_year("本报讯 2023年10月24日讯 近日") == 2023
    assert article_year("近日,某地警方") is None


def test_dates_a_day_the_month_does_not_have_stays_a_bare_day():
    """31日 after a February date, 2月29日 in a common year: never an impossible xsd:date."""
    got = [(p.value, p.resolved) for p in find_dates("2018年2月20日，他报警。31日，民警抓获嫌疑人。")]
    assert got == [("2018-02-20", True), ("---31", False)]
    assert [(p.value, p.resolved) for p in find_dates("2023年2月29日")] == [("---29", False)]
    assert [(p.value, p.resolved) for p in find_dates("2024年2月29日")] == [("2024-02-29", True)]


def test_dates_article_date_from_a_dateline_with_or_without_its_year():
    from kg.dates import article_date
    assert article_date("本报2022年6月3日讯 近日") == (2022, 6, 3)
    assert article_date("某某新闻网3月1日讯(记者)") == (None, 3, 1)
    assert article_date("某某网2022年2月30日讯") == (2022, None, None)
    assert article_date("近日,某地警方") == (None, None, None)


def test_dates_yesterday_against_a_dateline_without_its_year():
    from kg.dates import find_dates
    got = [(d.text, d.value, d.resolved) for d in find_dates("昨日,王先生报警", ref_month_day=(3, 1))]
    assert got == [("昨日", "--02-29", False)]


def test_dates_extractor_reads_the_dateline(doc_of):
    from kg.extract.dates import date_mentions
    doc = doc_of("某某网5月12日讯 昨天下午,市民王先生接到冒充客服的电话。")
    assert [(m.text, m.get("value")) for m in date_mentions(doc)] == [("5月12日", "--05-12"), ("昨天", "--05-11")]
    doc = doc_of("本报2021年5月12日讯 昨天下午,市民王先生接到冒充客服的电话。")
    assert [(m.text, m.get("value")) for m in date_mentions(doc)][-1] == ("昨天", "2021-05-11")
