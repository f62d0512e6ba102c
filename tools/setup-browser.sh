#!/usr/bin/env bash
# The headless browser for the explorer's tests: Debian's chromium (Playwright drives it
# through executable_path; `playwright install` is never used), and CJK fonts so that
# screenshots show Chinese names. Does nothing when both are already there.
set -euo pipefail
need=()
[ -x /usr/bin/chromium ] || need+=(chromium)
fc-list 2>/dev/null | grep -qi "Noto Sans CJK" || need+=(fonts-noto-cjk)
[ ${#need[@]} -eq 0 ] && exit 0
if [ "$(id -u)" -ne 0 ]; then SUDO=sudo; else SUDO=; fi
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need[@]}" >/dev/null
