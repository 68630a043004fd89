#!/usr/bin/env bash
# The main job on the embedded defaults. Filled in as capabilities land.
set -euo pipefail
cd "$(dirname "$0")/.."
.build/release/promote --version
