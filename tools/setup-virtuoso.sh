#!/usr/bin/env bash
# Virtuoso for the tests that push to a real third-party store (tests/test_engines.py):
# Debian's virtuoso-opensource-7-bin, which holds the server binary virtuoso-t and nothing
# that starts a service (the tests start their own server in a temporary folder). Does
# nothing when virtuoso-t is already there. When another apt-get or dpkg holds the package
# manager's lock it waits (up to KG_APT_WAIT seconds, 900 by default) instead of giving up.
# When the package cannot be installed it says so and exits 0: the Virtuoso tests then skip
# with that reason, and the rest of the suite still runs.
set -uo pipefail
command -v virtuoso-t >/dev/null && exit 0
if [ "$(id -u)" -ne 0 ] && command -v sudo >/dev/null; then SUDO=sudo; else SUDO=; fi
wait_s=${KG_APT_WAIT:-900}
apt_get() {   # apt-get, retried while another process holds a lock apt-get does not wait for
  local deadline=$((SECONDS + wait_s)) out
  while :; do
    if out=$($SUDO env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout="$wait_s" "$@" 2>&1); then
      return 0
    fi
    if ! grep -qi "lock" <<<"$out" || [ $SECONDS -ge $deadline ]; then
      echo "$out" | tail -3 >&2
      return 1
    fi
    sleep 3
  done
}
if apt_get install -y -qq --no-install-recommends virtuoso-opensource-7-bin >/dev/null \
   || { apt_get update -qq && apt_get install -y -qq --no-install-recommends virtuoso-opensource-7-bin >/dev/null; }; then
  exit 0
fi
echo "setup-virtuoso: could not install virtuoso-opensource-7-bin with apt-get; the Virtuoso tests will be skipped" >&2
exit 0
