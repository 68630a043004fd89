#!/usr/bin/env bash
# The replica test of the default suite (Tests/python/test_serve_replicas.py) at the issue's count: three replicas
# on PostgreSQL take 1,000 signed events (20 versions of each of 50 models) over 10 repositories while one is
# kill -9ed and another SIGSTOPped past its lease and continued; every accepted event ends in one final state, no
# two pushes to one repository overlap (hook log), nothing is committed twice, main only fast-forwards, fsck is
# clean, no pull request is opened twice. Run after `swift build --build-tests`.
set -euo pipefail
cd "$(dirname "$0")/../.."
REPLICA_MODELS=50 REPLICA_VERSIONS=20 exec python3 -m pytest -q -x --durations=1 Tests/python/test_serve_replicas.py -k three "$@"
