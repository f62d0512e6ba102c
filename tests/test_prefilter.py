"""Tests of kg/extract/_prefilter.py: a pattern said not to match a text never matches it."""
from __future__ import annotations

import functools
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kg.extract._prefilter import Prefilter, openings

TABLES = ("crime_cues", "amount_roles", "case_cues", "group_patterns", "role_cues")


@pytest.fixture(scope="module")
def patterns() -> list[str]:
    from kg.pipeline import Resources
    resources = Resources()
    return [r["pattern"] for t in TABLES for r in resources.table(t)]


@pytest.mark.parametrize("pattern,words", [
    ("刷单|刷信誉|刷好评", {"刷单", "刷信誉", "刷好评"}),
    ("公检法|冒充(?:公安|警察)", {"公检法", "冒充"}),
    ("(?:提升|提高)[^，]{0,5}额度|信用卡额度", {"提升", "提高", "信用卡额度"}),
    ("(?P<n>骗走|骗取)钱", {"骗走", "骗取"}),
    ("黄金(?!时间|周)|期货", {"黄金", "期货"}),
    ("案件?|破获", {"案", "破获"}),                # 件? is optional: 案 opens every match
    ("扣除.{0,6}费用", {"扣除"}),
])
def test_prefilter_openings_are_the_literal_words_every_match_starts_with(pattern, words):
    assert openings(pattern) == words


@pytest.mark.parametrize("pattern", [
    "[0-9]+名", "(?:被)?骗", r"\d+元", "件?案", "(?=骗)骗子", "(?i)abc", "^本报", "a|", "(?:a|b)*c",
    "[|]x|y", "诈骗|[0-9]+起",
])
def test_prefilter_has_no_openings_for_a_pattern_that_may_open_otherwise(pattern):
    assert openings(pattern) is None


def test_prefilter_tells_which_patterns_may_match():
    prefilter = Prefilter(["刷单|返利", "冒充(?:公安|警察)", "[0-9]+元"])
    assert prefilter.may_match("他被冒充公安的人骗了") == [False, True, True]
    assert prefilter.may_match("刷单") == [True, False, True]


@functools.lru_cache(maxsize=1)
def prefilter_of(patterns: tuple[str, ...]) -> Prefilter:
    return Prefilter(patterns)


def _words(patterns: list[str]) -> list[str]:
    return sorted({w for p in patterns for w in openings(p) or ()} | {"骗", "元", "名", "1", "0"})


@settings(max_examples=300, deadline=None)
@given(data=st.data())
def test_prefilter_never_rules_out_a_pattern_that_matches(patterns, data):
    words = _words(patterns)
    pieces = st.one_of(st.sampled_from(words), st.text(alphabet="".join(words) + "的了他在钱，。", max_size=3))
    text = "".join(data.draw(st.lists(pieces, max_size=12)))
    may = prefilter_of(tuple(patterns)).may_match(text)
    for pattern, maybe in zip(patterns, may):
        assert maybe or re.search(pattern, text) is None, (pattern, text)
