"""Ingestion: decoding, OCR repair with offsets, news-item and sentence splitting."""
from __future__ import annotations

import pytest
from hypothesis import given, settings, strategies as st

from kg.errors import InputError
from kg.ingest import blocks, read_article, split_items, split_sentences


def _write(tmp_path, name, data: bytes):
    p = tmp_path / name
    p.write_bytes(data)
    return p


def _check_offsets(article, doc):
    for i, c in enumerate(doc.text):
        if c == "\n":
            continue
        orig = article.raw[doc.offsets[i]]
        assert orig == c or (c == " " and (orig.isspace() or orig in "\u200b\ufeff")) or (0xFF01 <= ord(orig) <= 0xFF5E and chr(ord(orig) - 0xFEE0) == c), (i, c, orig)


def test_ingest_joins_lines_broken_by_newspaper_columns(tmp_path):
    page = ("今年以来，区公安分局坚持做\n强打防主业，集中力量对影响恶\n劣的案件进行攻坚，全区发案总\n"
            "数连年下降。\n近日，王女士接到某“快递公司”\n\n的电话，称其购买的衣服在运\n输的过程中不慎丢失。\n")
    a = read_article(_write(tmp_path, "a.txt", page.encode("utf-8")))
    (doc,) = split_items(a)
    assert "坚持做强打防主业" in doc.text
    assert "某“快递公司”的电话" in doc.text
    _check_offsets(a, doc)


def test_ingest_removes_ocr_spaces_inside_words_but_keeps_offsets(tmp_path):
    a = read_article(_write(tmp_path, "a.txt", "赵大叔将一面锦 旗送到了城 南派出所 感谢民警。\n".encode("utf-8")))
    (doc,) = split_items(a)
    assert "锦旗送到了城南派出所感谢民警" in doc.text
    _check_offsets(a, doc)
    i = doc.text.index("城南派出所")
    s, e = doc.source_span(i, i + 5)
    assert a.raw[s:e] == "城 南派出所"


def test_ingest_splits_a_page_into_its_stories(tmp_path):
    page = "\n".join([
        "甲县警方：开展反诈宣传进社区活动",
        "本报讯 3月2日，甲县公安局民警走进社区开展反诈宣传，发放宣传资料500余份。",
        "活动受到居民欢迎。 记者 王明",
        "乙区警方：打掉一个电信诈骗团伙",
        "本报讯 近日，乙区公安分局成功打掉一个电信诈骗团伙，抓获犯罪嫌疑人5名。",
    ]) + "\n"
    a = read_article(_write(tmp_path, "page.txt", page.encode("utf-8")))
    docs = split_items(a)
    assert len(docs) == 2
    assert docs[0].text.startswith("甲县警方")
    assert docs[1].text.startswith("乙区警方")
    for d in docs:
        _check_offsets(a, d)


def test_ingest_keeps_a_single_story_as_one_item_with_its_title(tmp_path):
    text = "女子网购被骗 民警及时止付\n近日，市民张女士遭遇诈骗。民警接警后及时止付。\n"
    (doc,) = split_items(read_article(_write(tmp_path, "one.txt", text.encode("utf-8"))))
    assert doc.title.startswith("女子网购被骗")
    assert doc.text.startswith("女子网购被骗")


def test_ingest_splits_sentences_at_chinese_punctuation_and_paragraphs():
    text = "他说：“快转账！”随后挂断。第二段\n第三段没有句号"
    sents = [text[s.start:s.end] for s in split_sentences(text)]
    assert sents == ["他说:“快转账！”", "随后挂断。", "第二段", "第三段没有句号"] or \
        sents == ["他说：“快转账！”", "随后挂断。", "第二段", "第三段没有句号"]


@pytest.mark.parametrize("encoding", ["gb18030", "utf-16", "utf-8-sig"])
def test_ingest_reads_other_encodings(tmp_path, encoding):
    text = "某县公安局民警成功劝阻一起诈骗。"
    a = read_article(_write(tmp_path, "x.txt", text.encode(encoding)))
    assert a.raw.strip() == text


@pytest.mark.parametrize("data,reason", [
    (b"", "empty"),
    (b"   \n\t\n", "white space"),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary"),
])
def test_ingest_rejects_non_articles_with_the_file_name(tmp_path, data, reason):
    p = _write(tmp_path, "bad.txt", data)
    with pytest.raises(InputError) as e:
        read_article(p)
    assert reason in str(e.value) and "bad.txt" in str(e.value)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("市公安局民警，。！？“” \n\r\t０１ＡaB诈骗派出所") + ["\u3000"]),
               min_size=1, max_size=300))
def test_ingest_offsets_always_point_at_the_text_they_claim(tmp_path_factory, text):
    if not text.strip():
        return
    p = tmp_path_factory.mktemp("h") / "h.txt"
    p.write_text(text, encoding="utf-8")
    try:
        a = read_article(p)
    except InputError:
        return
    for doc in split_items(a):
        assert len(doc.offsets) == len(doc.text) + 1
        _check_offsets(a, doc)
        for s in doc.sentences:
            assert 0 <= s.start < s.end <= len(doc.text)


def test_ingest_blocks_classify_headings_and_bylines():
    raw = "标题一行\n本报讯 正文第一段，写得足够长足够长足够长足够长。\n通讯员 李明\n"
    kinds = [b.kind for b in blocks(raw)]
    assert kinds == ["heading", "para", "byline"]
