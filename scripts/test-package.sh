#!/usr/bin/env bash
# Proves the release archive runs without the Swift toolchain (Tests/package/test_package.py): builds it with
# scripts/package.sh (incremental after the first, cold static release build), then unpacks and runs it with
# /opt/swift hidden. Not part of scripts/test.sh: a cold release build takes many minutes on 2 cores.
#   scripts/test-package.sh                 package, then test with the toolchain hidden (unshare --mount; root)
#   scripts/test-package.sh --debootstrap   also in a minimal Debian 12 root (debootstrap; needs the Debian mirror)
#   scripts/test-package.sh --no-build      test the archive already in dist/
set -euo pipefail
cd "$(dirname "$0")/.."
build=1
for arg in "$@"; do
  case "$arg" in
    --debootstrap) export PROMOTE_TEST_DEBOOTSTRAP=1 ;;
    --no-build) build=0 ;;
    *) echo "usage: scripts/test-package.sh [--debootstrap] [--no-build]" >&2; exit 64 ;;
  esac
done
bash scripts/setup.sh --deps
if [ "${PROMOTE_TEST_DEBOOTSTRAP:-0}" = 1 ] && ! command -v debootstrap >/dev/null; then
  apt-get -o DPkg::Lock::Timeout=600 install -y -qq --no-install-recommends debootstrap >/dev/null
fi
# The world's git server and stand-in forge come from the debug build, as in scripts/test.sh.
swift build --product promote-forge-sim
if [ "$build" = 1 ]; then bash scripts/package.sh; fi
python3 -m pytest -q Tests/package
