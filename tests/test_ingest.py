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


# ----------------------------------------------------------------------------- bad input

def test_ingest_html_markup_is_dropped_and_offsets_point_into_the_markup(tmp_path):
    page = ("<html><head><title>标题</title><style>p { color: red }</style></head><body>"
            "<p>甲县公安局&nbsp;民警提醒：&lt;转账&gt;前先核实。</p><script>var a = '诈骗';</script>"
            "<div>第二段&#x4e2d;文。</div></body></html>")
    a = read_article(_write(tmp_path, "page.txt", page.encode("utf-8")))
    assert any("HTML markup removed" in n for n in a.notes)
    (doc,) = split_items(a)
    assert "color" not in doc.text and "var a" not in doc.text and "<" not in doc.text.replace("<转账", "")
    assert "甲县公安局民警提醒:<转账>前先核实。" in doc.text
    assert "第二段中文。" in doc.text
    i = doc.text.index("民警")
    s, e = doc.source_span(i, i + 2)
    assert a.raw[s:e] == "民警"
    j = doc.text.index("<转账>")
    assert a.raw[doc.offsets[j]:doc.offsets[j] + 4] == "&lt;"


def test_ingest_traditional_characters_are_read_as_simplified_in_place(tmp_path):
    text = "臺灣警方偵破詐騙集團，著名的銀行提醒民眾。\n"
    a = read_article(_write(tmp_path, "t.txt", text.encode("utf-8")))
    assert any("traditional" in n for n in a.notes)
    (doc,) = split_items(a)
    assert doc.text == "台湾警方侦破诈骗集团,著名的银行提醒民众。"   # 著名 stays: phrase-aware
    i = doc.text.index("诈骗")
    s, e = doc.source_span(i, i + 2)
    assert a.raw[s:e] == "詐騙"


def test_ingest_simplified_text_is_not_touched_by_conversion(tmp_path):
    text = "著名演员提醒:干燥天气注意防火,头发别乱剪。乾隆年间的事。\n"
    (doc,) = split_items(read_article(_write(tmp_path, "s.txt", text.encode("utf-8"))))
    assert doc.text == text.strip()


def test_ingest_damaged_utf8_keeps_the_text_and_says_where(tmp_path):
    good = "某县公安局民警成功劝阻一起诈骗。"
    data = "\n".join([good, good, good]).encode("utf-8")
    data = data.replace("劝阻".encode(), b"\xc3(\xa0", 1)               # 2 bad bytes on line 1
    data = data[:len(data) - 3] + b"\xff" + data[len(data) - 3:]      # and one byte on line 3
    a = read_article(_write(tmp_path, "d.txt", data))
    assert a.notes and "3 bytes of invalid UTF-8" in a.notes[0] and "lines 1, 3" in a.notes[0]
    texts = "".join(d.text for d in split_items(a))
    assert "某县公安局民警成功" in texts and "一起诈骗" in texts


@pytest.mark.parametrize("encoding", ["big5", "utf-16-le", "utf-16-be"])
def test_ingest_detects_big5_and_utf16_without_bom(tmp_path, encoding):
    text = "某縣公安局民警成功勸阻一起詐騙，為群眾挽回損失。" * 3
    a = read_article(_write(tmp_path, "x.txt", text.encode(encoding)))
    assert a.raw == text


def test_ingest_refuses_mostly_undecodable_bytes(tmp_path):
    import random
    rnd = random.Random(7)
    data = bytes(rnd.randrange(128, 256) for _ in range(3000)) + b"\x00"
    with pytest.raises(InputError) as e:
        read_article(_write(tmp_path, "noise.txt", data))
    assert "noise.txt" in str(e.value)


def test_ingest_cuts_an_endless_item_at_sentence_ends(tmp_path):
    from kg.ingest import MAX_ITEM_CHARS
    sentence = "某县公安局民警提醒市民注意防范电信网络诈骗。"
    a = read_article(_write(tmp_path, "long.txt", (sentence * 2000).encode("utf-8")))
    docs = split_items(a)
    assert len(docs) > 1 and all(len(d.text) <= MAX_ITEM_CHARS for d in docs)
    assert all(d.text.endswith("。") for d in docs)
    assert "".join(d.text for d in docs) == sentence * 2000
    for d in docs:
        _check_offsets(a, d)


def test_ingest_input_files_name_every_kind_of_unusable_path(tmp_path):
    import os
    from kg.ingest import iter_input_files
    (tmp_path / "ok.txt").write_text("某县公安局。", encoding="utf-8")
    (tmp_path / "loop1.txt").symlink_to("loop2.txt")
    (tmp_path / "loop2.txt").symlink_to("loop1.txt")
    (tmp_path / "gone.txt").symlink_to("nowhere.txt")
    os.mkfifo(tmp_path / "fifo.txt")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "back").symlink_to("..")
    files, skipped = iter_input_files([tmp_path, tmp_path / "missing"])
    assert [f.name for f in files] == ["ok.txt"]
    why = {os.path.basename(p): r for p, r in skipped}
    assert why["loop1.txt"] == why["loop2.txt"] == "is a symbolic link loop"
    assert "broken symbolic link" in why["gone.txt"]
    assert "named pipe" in why["fifo.txt"]
    assert "link loop" in why["back"]
    assert why["missing"] == "does not exist"
    with pytest.raises(InputError, match="not a regular file"):
        read_article(tmp_path / "fifo.txt")


def test_ingest_a_spaced_headline_is_not_a_byline_of_names():
    assert [b.kind for b in blocks("通讯员 李明\n孙波 许悦\n")] == ["byline", "byline"]
    # words set apart by spaces, as OCR gives a headline: not names (no surname begins them)
    raw = "守护 校园 平安 话反诈\n近日，甲县公安局民警走进校园开展反诈宣传，发放资料200份。\n"
    assert blocks(raw)[0].kind == "heading"
