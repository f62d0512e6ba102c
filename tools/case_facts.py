#!/usr/bin/env python3
"""How well the cases of a corpus are dated, placed and evidenced (issue #12 items 7 and 8).

    python tools/case_facts.py ../shared/corpus/seeds ../shared/corpus/dev [--list]

For every case the pipeline extracts from CORPUS/articles/*.txt (or the .txt files of a folder):

- dated: of the cases whose story states a date (a month with or without its day, read here by
  a pattern of its own, not by the extractor's date parser), how many carry fkg:date;
- placed: how many carry fkg:occurredIn;
- handledBy evidence: how many handledBy facts are backed by a sentence that names none of the
  case's people (its victims, suspects, groups), and how many name no participant at all
  (neither those people nor a sum of money of the case).

``--list`` prints each case with its date, place and the handledBy evidence sentences.
"""
from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

# a date as a story states it: 7月30日, 今年7月, 2023年5月 (not a dateline 12月1日讯, not a period 1至10月)
STATED = re.compile(r"(?<![0-9至到—\-])(?:[0-9]{4}年)?[0-9]{1,2}月(?:[0-9]{1,2}[日号]|(?![0-9]))(?!讯|电|以来|份以来)")


def files_of(path: Path) -> list[Path]:
    folder = path / "articles" if (path / "articles").is_dir() else path
    return sorted(folder.glob("*.txt"))


def people_named(doc, case, sent) -> bool:
    keys = set(case.victims) | set(case.suspects) | set(case.groups)
    return any(sent.start <= m.start < sent.end and m.key in keys for m in doc.mentions)


def amount_named(case, sent) -> bool:
    return any(sent.start <= a.start < sent.end for a in case.amounts)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("corpus", nargs="+", type=Path)
    ap.add_argument("--list", action="store_true")
    a = ap.parse_args()
    from kg.build import BuildReport, read_articles
    from kg.pipeline import Pipeline
    pipe = Pipeline.default()
    total = stated = dated = placed = hb = hb_bare = hb_nobody = 0
    for corpus in a.corpus:
        for art in read_articles(files_of(corpus), BuildReport()):
            for doc in pipe(art).docs:
                for case in doc.cases:
                    total += 1
                    text = doc.text[case.start:case.end]
                    says = bool(STATED.search(text))
                    stated += says
                    dated += says and case.date is not None
                    placed += bool(case.places)
                    bare = []
                    for field, _, s, _ in case.evidence:
                        if field == "handledBy":
                            hb += 1
                            sent = doc.sentence_at(s)
                            people = people_named(doc, case, sent)
                            hb_nobody += not people
                            if not (people or amount_named(case, sent)):
                                hb_bare += 1
                                bare.append(doc.text[sent.start:sent.end])
                    if a.list:
                        ev = next(((s, e) for f, _, s, e in case.evidence if f == "date"), None)
                        where = doc.text[max(0, ev[0] - 8):ev[1] + 8].replace("\n", " ") if ev else ""
                        print(f"{art.id} {case.id} date={case.date} [{where}] stated={says} "
                              f"places={[p.rpartition('/')[2] for p in case.places]}")
                        for b in bare:
                            print("    handledBy evidence naming nobody:", b[:100].replace("\n", " "))
    pct = 100 * dated / stated if stated else 0.0
    print(f"cases {total}; story states a date {stated}; dated {dated} ({pct:.0f} %); "
          f"placed {placed}; handledBy evidence {hb}: naming none of the case's people {hb_nobody}, "
          f"naming no participant (people or sum of money) {hb_bare}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
