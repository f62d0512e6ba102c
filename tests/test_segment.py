"""Segmentation: offsets that point at the text, our user words kept whole."""
from __future__ import annotations

from hypothesis import given, settings, strategies as st

from kg.segment import pos_tokenize, tokenize, word_freq


def test_segment_user_words_stay_whole():
    words = [w for w, _, _ in tokenize("民警方立新带着辅警赶到现场")]
    assert words[0] == "民警" and "警方" not in words


def test_segment_word_freq_knows_words_and_not_names():
    assert word_freq("出席") > 0 and word_freq("恩接") == 0


def test_segment_pos_tokenize_flags_and_offsets():
    text = "配合市委宣传部开展活动"
    toks = pos_tokenize(text)
    assert "".join(w for w, _, _, _ in toks) == text
    assert toks[0][:2] == ("配合", "v")


@settings(max_examples=100, deadline=None)
@given(st.text(max_size=60))
def test_segment_offsets_cover_the_text(text):
    toks = tokenize(text)
    assert "".join(w for w, _, _ in toks) == text
    for w, s, e in toks:
        assert text[s:e] == w
