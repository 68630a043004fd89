#!/usr/bin/env bash
# The main job on the embedded defaults, in a temporary folder that is removed afterwards:
#   1. a sandbox GitOps repository (a local bare repo) seeded from environments/ and templates/,
#   2. the bundled stand-in forge (promote-forge-sim, GitHub flavour) on a free loopback port,
#   3. two releases of the sample model jukebox through `promote release` (SQLite state in the temp folder),
#   4. the staging commit, the production pull request and `promote status`,
#   5. a reviewer's merge (through the stand-in), which `promote reconcile` records.
# Run after scripts/setup.sh built the release binaries.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN="${PROMOTE_BIN:-$(pwd)/.build/release}"
for tool in promote promote-forge-sim; do
  [ -x "$BIN/$tool" ] || { echo "demo: $BIN/$tool is missing; run scripts/setup.sh first" >&2; exit 1; }
done

work="$(mktemp -d /tmp/promote-demo.XXXXXX)"
sim_pid=""
serve_pid=""
cleanup() {
  for pid in $serve_pid $sim_pid; do kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT
export GIT_CONFIG_NOSYSTEM=1 HOME="$work/home" XDG_CACHE_HOME="$work/cache" XDG_STATE_HOME="$work/state"
mkdir -p "$HOME"
git() { command git -c user.name=demo -c user.email=demo@example.com -c init.defaultBranch=main "$@"; }

step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }

step "1. A sandbox GitOps repository, seeded from environments/ and templates/"
bare="$work/repos/acme/gitops.git"
git init -q --bare "$bare"
git clone -q "$bare" "$work/seed" 2>/dev/null
cp -r environments templates "$work/seed/"
git -C "$work/seed" add -A
git -C "$work/seed" commit -qm "Seed the sandbox GitOps repository"
git -C "$work/seed" push -q origin HEAD:main
git -C "$work/seed" log --oneline -1
ls "$work/seed/environments/staging" "$work/seed/environments/production"

step "2. The bundled stand-in forge (not a real forge), GitHub flavour, on loopback"
"$BIN/promote-forge-sim" --repos "$work/repos" --flavour github --port 0 --token demo-token > "$work/forge.log" 2>&1 &
sim_pid=$!
for _ in $(seq 1 100); do grep -q "api http" "$work/forge.log" 2>/dev/null && break; sleep 0.1; done
api="$(grep -o 'api http[^ ]*' "$work/forge.log" | cut -d' ' -f2)"
[ -n "$api" ] || { echo "demo: the stand-in forge did not start:"; cat "$work/forge.log"; exit 1; }
cat "$work/forge.log"

cat > "$work/promote.yaml" <<YAML
repository: {url: "file://$bare", branch: main}
forge: {type: github, api: "$api", project: acme/gitops, tokenEnv: PROMOTE_DEMO_FORGE_TOKEN}
commit:
  author: {name: promote-bot, email: promote-bot@example.com}
environments:
  - name: staging
    path: environments/staging/{model}.yaml
    mode: push
  - name: production
    path: environments/production/{model}.yaml
    mode: pull-request
    labels: [promotion]
    gates: {accuracy: ">= production - 0.01"}
models:
  jukebox: {allowedUris: ["gs://models/jukebox/"]}
service:
  state: "sqlite://$work/state/promote.db"
  intake: {secretsEnv: [PROMOTE_DEMO_INTAKE_SECRET]}
  access:
    tokens: [{name: demo-reader, tokenEnv: PROMOTE_DEMO_READ_TOKEN, scopes: [read]}]
YAML
export PROMOTE_CONFIG="$work/promote.yaml" PROMOTE_DEMO_FORGE_TOKEN=demo-token
export PROMOTE_DEMO_INTAKE_SECRET="whsec_$(head -c 32 /dev/urandom | base64)"
export PROMOTE_DEMO_READ_TOKEN="read-$(head -c 16 /dev/urandom | od -An -tx1 | tr -d ' \n')"
step "promote.yaml"
cat "$work/promote.yaml"
"$BIN/promote" config validate

step "3a. CI: jukebox 1.4.2 is ready"
"$BIN/promote" release jukebox 1.4.2 --uri gs://models/jukebox/1.4.2 --metric accuracy=0.93 --metric latency_p99_ms=180 \
  --source-commit 3f2c9a1d0b7e --run-url https://ci.example/acme/jukebox/runs/42

step "3b. The same event again: nothing moves"
"$BIN/promote" release jukebox 1.4.2 --uri gs://models/jukebox/1.4.2 --metric accuracy=0.93 --metric latency_p99_ms=180 \
  --source-commit 3f2c9a1d0b7e --run-url https://ci.example/acme/jukebox/runs/42

step "3c. CI: jukebox 1.4.3 is ready (the open pull request is updated, not duplicated)"
"$BIN/promote" release jukebox 1.4.3 --uri gs://models/jukebox/1.4.3 --metric accuracy=0.94 --metric latency_p99_ms=170 \
  --source-commit 9a0b1c2d3e4f --run-url https://ci.example/acme/jukebox/runs/43

step "4a. The staging commit (git log of the sandbox repository)"
git --git-dir="$bare" log -1 --stat --format='commit %H%nAuthor: %an <%ae>%n%n%B' main -- environments/staging
git --git-dir="$bare" diff HEAD~1 HEAD -- environments/staging

step "4b. The production pull request (from the stand-in forge's API)"
curl -fsS -H "Authorization: Bearer demo-token" "$api/repos/acme/gitops/pulls?state=open" | python3 -c '
import json, sys
for pr in json.load(sys.stdin):
    print("#%d %s" % (pr["number"], pr["html_url"]))
    print("%s -> %s: %s" % (pr["head"]["ref"], pr["base"]["ref"], pr["title"]))
    print()
    print(pr["body"])'

step "4c. promote status"
"$BIN/promote" status

step "5. A reviewer merges the pull request; promote reconcile learns of it and records 1.4.3 as live"
origin="${api%%/api/*}"
curl -fsS -X POST "$origin/_sim/pulls/1/merge?project=acme/gitops" > /dev/null
"$BIN/promote" reconcile
"$BIN/promote" status
step "promote history jukebox"
"$BIN/promote" history jukebox

step "6. promote serve: CI posts a signed event (Standard Webhooks); the worker pushes staging and updates the PR"
"$BIN/promote" serve --listen 127.0.0.1:0 > "$work/serve.out" 2> "$work/serve.log" &
serve_pid=$!
for _ in $(seq 1 100); do grep -q "listening on" "$work/serve.out" 2>/dev/null && break; sleep 0.1; done
url="$(grep -o 'http://[^ ]*' "$work/serve.out")"
[ -n "$url" ] || { echo "demo: promote serve did not start:"; cat "$work/serve.log"; exit 1; }
echo "promote serve is listening on $url"
python3 - "$url" <<'PY'
import base64, hashlib, hmac, json, os, sys, time, urllib.request, uuid
url = sys.argv[1]
body = json.dumps({"model": "jukebox", "version": "1.4.4", "uri": "gs://models/jukebox/1.4.4",
                   "metrics": {"accuracy": 0.95, "latency_p99_ms": 160}, "source": {"pipeline": "jukebox-train"}}).encode()
key = base64.b64decode(os.environ["PROMOTE_DEMO_INTAKE_SECRET"][6:])
msg_id, ts = "msg_" + uuid.uuid4().hex, str(int(time.time()))
sig = base64.b64encode(hmac.new(key, f"{msg_id}.{ts}.".encode() + body, hashlib.sha256).digest()).decode()
req = urllib.request.Request(url + "/v1/events", data=body, headers={
    "Content-Type": "application/json", "webhook-id": msg_id, "webhook-timestamp": ts, "webhook-signature": "v1," + sig})
with urllib.request.urlopen(req) as r:
    accepted = json.load(r)
    print("POST /v1/events ->", r.status, json.dumps(accepted))
for _ in range(200):
    status = urllib.request.Request(url + accepted["statusUrl"],
                                    headers={"Authorization": "Bearer " + os.environ["PROMOTE_DEMO_READ_TOKEN"]})
    with urllib.request.urlopen(status) as r:
        promotion = json.load(r)
    if promotion["state"] not in ("queued", "running"):
        break
    time.sleep(0.1)
print("GET", accepted["statusUrl"], "->", promotion["state"])
for step in promotion["steps"]:
    print("  %-10s %-12s %s" % (step["environment"], step["action"], step.get("detail", "")))
PY
kill -TERM "$serve_pid"; wait "$serve_pid" || true; serve_pid=""
echo "SIGTERM: promote serve finished its work and stopped"

step "Done: everything ran in $work, which is removed now"
