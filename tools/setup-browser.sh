#!/usr/bin/env bash
# The headless browser for the explorer's tests: Debian's chromium (Playwright drives it
# through executable_path; `playwright install` is never used), and CJK fonts so that
# screenshots show Chinese names. Does nothing when both are already there. When the
# packages cannot be installed it says so and exits 0: the browser tests then skip with
# that reason, and the rest of the suite still runs.
set -uo pipefail
need=()
[ -x /usr/bin/chromium ] || need+=(chromium)
fc-list 2>/dev/null | grep -qi "Noto Sans CJK" || need+=(fonts-noto-cjk)
[ ${#need[@]} -eq 0 ] && exit 0
if [ "$(id -u)" -ne 0 ] && command -v sudo >/dev/null; then SUDO=sudo; else SUDO=; fi
if $SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need[@]}" >/dev/null; then
  exit 0
fi
echo "setup-browser: could not install ${need[*]} with apt-get; the browser tests will be skipped" >&2
exit 0
