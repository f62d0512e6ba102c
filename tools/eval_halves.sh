#!/usr/bin/env bash
# Score the two fixed halves of a corpus (default ../shared/corpus/train) separately.
#   tools/eval_halves.sh [CORPUS] [A|B|both] [score.py options...]
# The halves are fixed by one rule: the articles sorted by file name, alternately
# A (1st, 3rd, ...) and B (2nd, 4th, ...), so every kind of report (hx/hy/hz) is in both.
# Develop against one half, read only the numbers of the other, then swap.
set -euo pipefail
cd "$(dirname "$0")/.."
corpus=${1:-../shared/corpus/train}; which=${2:-both}; shift $(( $# < 2 ? $# : 2 ))
export PATH="$PWD/.venv/bin:$PATH"
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
i=0
for art in $(ls "$corpus"/articles/*.txt | sort); do
  half=$([ $((i % 2)) -eq 0 ] && echo A || echo B); i=$((i + 1))
  stem=$(basename "$art" .txt)
  mkdir -p "$tmp/$half/articles" "$tmp/$half/gold"
  ln -s "$(realpath "$art")" "$tmp/$half/articles/$stem.txt"
  ln -s "$(realpath "$corpus/gold/$stem.json")" "$tmp/$half/gold/$stem.json"
done
for half in A B; do
  [ "$which" = both ] || [ "$which" = "$half" ] || continue
  echo "== half $half: $(ls "$tmp/$half/articles" | sed 's/\.txt$//' | tr '\n' ' ')"
  bash ../shared/eval/evaluate.sh "$tmp/$half" "$@"
done
