"""Fuzzing: arbitrary text never raises anything but our own errors, and offsets never lie.

Covers ingestion, every extractor registered in ``kg.extract.DEFAULT_PIPELINE`` (by name,
so new extractors are fuzzed as soon as they land), the RDF writer, and the money and date
parsers. ``--slow`` tries many more examples.
"""
from __future__ import annotations

import hashlib
from functools import lru_cache

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st
from rdflib import Graph

from kg.errors import KGError
from kg.extract import DEFAULT_PIPELINE, available
from kg.ingest import read_article, split_items
from kg.model import Article, Doc
from kg.textview import to_simplified

# Pieces of police-news prose (written for the tests; real divisions only), so that the
# fuzzer reaches the extractors' deeper paths, mixed with arbitrary text.
FRAGMENTS = [
    "公安局", "分局", "派出所", "反诈中心", "刑侦大队", "民警", "警方", "通讯员", "记者", "本报讯",
    "浙江省", "杭州市", "西湖区", "广东省", "深圳市", "南山区", "北京市", "朝阳区", "四川省", "成都市", "县", "镇", "村",
    "女士", "先生", "某", "王", "李", "张某", "犯罪嫌疑人", "受害人", "团伙", "诈骗", "刷单", "返利", "客服",
    "冒充", "投资", "理财", "贷款", "盗窃", "被骗", "抓获", "破获", "挽回损失", "涉案金额", "冻结", "止付",
    "元", "万元", "亿元", "余", "多", "近", "约", "至", "1", "2", "3", "0", "5.5", "12,000", "三", "千", "百",
    "两", "万", "亿", "2023年", "10月", "24日", "今年", "去年", "近日", "当晚", "日", "月", "年", "起", "名",
    "，", "。", "、", "：", "；", "！", "？", "“", "”", "（", "）", "《", "》", "\n", "\n\n", " ", "\u3000",
    "１２", "ＡＢ", "<p>", "</p>", "&nbsp;", "&lt;", "<script>x</script>", "臺灣", "詐騙", "\ufeff", "\u200b",
]
news_text = st.lists(st.one_of(st.sampled_from(FRAGMENTS), st.text(max_size=4)), max_size=60).map("".join)
any_text = st.one_of(st.text(max_size=200), news_text)
FUZZ = settings(deadline=None, suppress_health_check=list(HealthCheck), derandomize=False)


def examples(slow: bool, n: int) -> settings:
    return settings(FUZZ, max_examples=n * 20 if slow else n)


def article_of(text: str) -> Article:
    return Article(id="fuzz", source_file="fuzz.txt", path="fuzz.txt", raw=text,
                   content_hash=hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest())


def check_doc(doc: Doc) -> None:
    """Every span of ``doc`` lies in its text and says what it claims."""
    n, text, raw = len(doc.text), doc.text, doc.article.raw
    assert len(doc.offsets) == n + 1
    assert all(0 <= o <= len(raw) for o in doc.offsets)
    for i, c in enumerate(text):
        if c != "\n":
            assert doc.offsets[i] < len(raw)
    last = 0
    for s in doc.sentences:
        assert last <= s.start < s.end <= n and text[s.start:s.end].strip(), s
        last = s.end
    for m in doc.mentions:
        assert 0 <= m.start <= m.end <= n and text[m.start:m.end] == m.text, m
    for link in doc.links:
        assert 0 <= link.start <= link.end <= n, link
    for case in doc.cases:
        assert 0 <= case.start <= case.end <= n, case
        for field, _value, s, e in case.evidence:
            assert 0 <= s <= e <= n, (field, s, e)
        for a in case.amounts:
            assert 0 <= a.start <= a.end <= n and text[a.start:a.end] == a.text, a
    for f in doc.figures:
        assert 0 <= f.start <= f.end <= n, f
    for start, end in [(m.start, m.end) for m in doc.mentions] + [(s.start, s.end) for s in doc.sentences]:
        rs, re_ = doc.source_span(start, end)
        assert 0 <= rs <= re_ <= len(raw)


# ------------------------------------------------------------------------------ ingestion

def test_fuzz_ingest_any_bytes_read_or_refused_with_input_error(tmp_path_factory, slow):
    folder = tmp_path_factory.mktemp("bytes")

    @examples(slow, 300)
    @given(st.one_of(st.binary(max_size=300), any_text.map(lambda t: t.encode("utf-8", "surrogatepass")),
                     any_text.map(lambda t: t.encode("gb18030", "replace"))))
    def run(data):
        p = folder / "f.txt"
        p.write_bytes(data)
        try:
            a = read_article(p)
        except KGError:
            return
        for doc in split_items(a):
            check_doc(doc)
            for i, c in enumerate(doc.text):
                if c in "\n ":
                    continue
                orig = a.raw[doc.offsets[i]]
                assert c == orig or c == _norm(to_simplified(orig)) or orig in "&<", (c, orig)

    run()


def _norm(c: str) -> str:
    o = ord(c)
    return chr(o - 0xFEE0) if 0xFF01 <= o <= 0xFF5E else c


def test_fuzz_ingest_text_offsets_point_at_the_text(slow):
    @examples(slow, 400)
    @given(any_text)
    def run(text):
        a = article_of(text)
        for doc in split_items(a):
            check_doc(doc)

    run()


# ------------------------------------------------------------------------------ extractors

@lru_cache(maxsize=None)
def _pipeline(upto: str):
    """The default pipeline up to and including ``upto`` (so each extractor sees real input)."""
    from kg.pipeline import Pipeline, Resources
    names = DEFAULT_PIPELINE[:DEFAULT_PIPELINE.index(upto) + 1]
    return Pipeline(names, _resources())


@lru_cache(maxsize=1)
def _resources():
    from kg.pipeline import Resources
    return Resources()


@pytest.mark.parametrize("name", [n for n in DEFAULT_PIPELINE if n in available()])
def test_fuzz_extractor_never_crashes_and_keeps_offsets(name, slow):
    pipeline = _pipeline(name)

    @examples(slow, 60)
    @given(any_text)
    def run(text):
        for doc in split_items(article_of(text)):
            try:
                out = pipeline.process_doc(doc)
            except KGError:
                continue
            check_doc(out)

    run()


def test_fuzz_whole_pipeline_and_rdf_never_crash(slow):
    from kg.rdf import article_triples
    pipeline = _pipeline(DEFAULT_PIPELINE[-1])

    @examples(slow, 150)
    @given(news_text)
    def run(text):
        try:
            result = pipeline(article_of(text))
            triples = article_triples(result, pipeline.resources)
        except KGError:
            return
        for doc in result.docs:
            check_doc(doc)
        # every triple is well-formed RDF: it survives a round trip through N-Triples
        g = Graph()
        for t in triples:
            g.add(t)
        assert len(Graph().parse(data=g.serialize(format="nt"), format="nt")) == len(triples)

    run()


# ------------------------------------------------------------------------------ numbers and dates

def test_fuzz_money_parser_spans_and_values(slow):
    from kg import numbers

    @examples(slow, 500)
    @given(any_text)
    def run(text):
        for a in numbers.find_amounts(text):
            assert 0 <= a.start < a.end <= len(text) and text[a.start:a.end] == a.text, a
            assert a.value >= 0 and (a.high is None or a.high >= 0)
        try:
            low, high, _ = numbers.amount_of(text)
            assert low >= 0 and (high is None or high >= 0)
            value, _ = numbers.parse_number(text)
        except KGError:       # NumberError is one; a ValueError or InvalidOperation would fail here
            return
        assert value >= 0

    run()


def test_fuzz_money_parser_reads_back_what_it_wrote(slow):
    from kg import numbers
    from decimal import Decimal

    @examples(slow, 300)
    @given(st.integers(min_value=0, max_value=10**12), st.sampled_from(["元", "万元"]))
    def run(n, unit):
        text = f"被骗{n}{unit}。"
        found = list(numbers.find_amounts(text))
        assert found, text
        expect = Decimal(n) * (10000 if unit == "万元" else 1)
        assert found[0].value == expect, (text, found[0])

    run()


def test_fuzz_date_parser_spans(slow):
    from kg import dates

    @examples(slow, 500)
    @given(any_text, st.one_of(st.none(), st.integers(min_value=1900, max_value=2100)))
    def run(text, year):
        for d in dates.find_dates(text, ref_year=year):
            assert 0 <= d.start < d.end <= len(text) and text[d.start:d.end] == d.text, d
            assert d.precision in ("day", "month", "year", "")
        dates.article_year(text)

    run()
