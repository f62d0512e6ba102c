#!/usr/bin/env bash
# Set up a fresh machine: a virtual environment in .venv with FraudKG installed.
#   tools/setup.sh          the tool itself (kg on .venv/bin)
#   tools/setup.sh test     plus the test extras, the headless browser for the HTML tests and
#                           Virtuoso for the tests that push to it
set -euo pipefail
cd "$(dirname "$0")/.."
[ -x .venv/bin/python ] || python3 -m venv .venv
.venv/bin/python -m pip install -q --disable-pip-version-check --upgrade pip >/dev/null 2>&1 || true
if [ "${1:-}" = "test" ]; then
  .venv/bin/python -m pip install -q --disable-pip-version-check -e '.[test]'
  if [ -x tools/setup-browser.sh ]; then bash tools/setup-browser.sh; fi
  if [ -x tools/setup-virtuoso.sh ]; then bash tools/setup-virtuoso.sh; fi
else
  .venv/bin/python -m pip install -q --disable-pip-version-check -e .
fi
