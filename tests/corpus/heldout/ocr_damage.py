"""Turn a clean page into an OCR-like one: lines broken every 12–16 characters (mid-word),
blank lines inside paragraphs, stray spaces, punctuation lost as spaces.

    python ocr_damage.py clean/ho_13.txt articles/ho_13.txt 13

The seed (the page number) makes the damage reproducible.
"""
from __future__ import annotations

import random
import sys
from pathlib import Path

LOST_PUNCTUATION = ",。、“”:;"


def damage(text: str, seed: int) -> str:
    """The OCR-damaged version of ``text``; the same seed gives the same damage."""
    rng = random.Random(seed)
    out = []
    for para in text.split("\n"):
        chars = []
        for ch in para:
            if ch in LOST_PUNCTUATION and rng.random() < 0.35:
                ch = " "
            elif rng.random() < 0.025:
                ch += " "
            chars.append(ch)
        line_text, lines, i = "".join(chars), [], 0
        while i < len(line_text):
            n = rng.randint(12, 16)
            lines.append(line_text[i:i + n])
            i += n
            if rng.random() < 0.08 and i < len(line_text):
                lines.append("")
        out.append("\n".join(lines))
    return "\n\n".join(out) + "\n"


if __name__ == "__main__":
    src, dst, seed = sys.argv[1], sys.argv[2], int(sys.argv[3])
    Path(dst).write_text(damage(Path(src).read_text(encoding="utf-8"), seed), encoding="utf-8")
