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


_TAGS_SCRIPT = """
import hashlib, sys
plain = sys.argv[1] == "plain"
if plain:
    import jieba, jieba.posseg
    jieba.setLogLevel(60)
    table = jieba.posseg.POSTokenizer(jieba.Tokenizer()).word_tag_tab
else:
    from kg.segment import Segmenter
    Segmenter().pos_tokenize("配合市委宣传部开展活动")
    import jieba.posseg
    table = jieba.posseg.dt.word_tag_tab
print(len(table), hashlib.sha256(repr(sorted(table.items())).encode()).hexdigest())
"""


def test_segment_pos_tags_from_the_cache_are_jiebas_own(tmp_path):
    import os
    import subprocess
    import sys

    def tags(mode: str) -> str:
        env = {**os.environ, "FRAUDKG_CACHE": str(tmp_path)}
        return subprocess.run([sys.executable, "-c", _TAGS_SCRIPT, mode], env=env, check=True,
                              capture_output=True, text=True).stdout
    plain = tags("plain")
    assert tags("ours") == plain                   # read from dict.txt, then cached
    assert any(p.name.startswith("jieba-word-tags") for p in tmp_path.iterdir())
    assert tags("ours") == plain                   # loaded from the cache
