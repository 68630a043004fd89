#!/usr/bin/env bash
# Benchmarks the bot's git transport against the git CLI on a generated repository (20,000 files, 10,000 commits)
# served over smart HTTP with basic auth on 127.0.0.1. Prints a Markdown table. Extra arguments go to bench-git
# (--files N --commits N --rounds N --keep).
set -euo pipefail
cd "$(dirname "$0")/../.."
swift build -c release --product bench-git
if [ -x /usr/bin/time ]; then
  /usr/bin/time -v .build/release/bench-git "$@" 2> >(grep -E "Maximum resident|Elapsed" >&2)
else
  .build/release/bench-git "$@"
fi
