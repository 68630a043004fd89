#!/usr/bin/env bash
# Runs the whole test suite: installs what is missing, builds, runs the Swift tests, then the Python checks.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh --deps
swift build --build-tests
swift test --skip-build
if compgen -G "Tests/python/test_*.py" > /dev/null; then
  python3 -m pytest -q Tests/python
fi
