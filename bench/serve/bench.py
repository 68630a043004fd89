#!/usr/bin/env python3
"""A burst of events through `promote serve` against the same events sent one by one through the baseline pipeline.

One GitOps repository (N filler files plus staging and production specs for 50 models) served over smart HTTP with
basic auth, and the stand-in forge (GitHub flavour) over it. In one run it measures:

  serve     1,000 signed native events (20 versions of each of 50 models, interleaved) posted to `promote serve` as
            fast as one client can; time until every promotion is final or awaiting review (drain), commits made on
            main (coalescing: a model's versions that queue up become one commit), pull requests opened, and the
            service's peak RSS (VmHWM, target under 150 MB)
  baseline  bench/baseline/promote_application.sh once per event (clone + sed + push + branch + curl), the way CI
            jobs promote today; with --baseline-events N only the first N events are run and the total is
            extrapolated (said so in the output)

usage: bench/serve/bench.py [--events 1000] [--models 50] [--files 2000] [--baseline-events 1000] [--json out.json]
Run after `swift build -c release` (uses .build/release/promote and promote-forge-sim).
"""
import argparse
import base64
import hashlib
import hmac
import http.client
import json
import os
import re
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
import uuid

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "release"))
from bench import BIN, ROOT, SPEC, git_env, start  # noqa: E402

SECRET = "whsec_" + base64.b64encode(bytes(range(32))).decode()


def make_repo(bare, models, filler, home):
    env = git_env(home)
    work = bare + "-seed"
    subprocess.run(["git", "init", "-q", "-b", "main", work], check=True, env=env)
    for i in range(filler):
        path = os.path.join(work, "docs", f"d{i // 100}", f"f{i}.txt")
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w") as f:
            f.write(f"filler {i}\n")
    for m in models:
        for envname in ("staging", "production"):
            path = os.path.join(work, "environments", envname, f"{m}.yaml")
            os.makedirs(os.path.dirname(path), exist_ok=True)
            with open(path, "w") as f:
                f.write(SPEC.format(env=envname).replace("jukebox", m))
    subprocess.run(["git", "add", "-A"], cwd=work, check=True, env=env)
    subprocess.run(["git", "commit", "-qm", "seed"], cwd=work, check=True, env=env)
    subprocess.run(["git", "init", "-q", "--bare", "-b", "main", bare], check=True, env=env)
    subprocess.run(["git", "push", "-q", bare, "main"], cwd=work, check=True, env=env)
    shutil.rmtree(work)


def post(port, body):
    msg_id = "msg_" + uuid.uuid4().hex
    ts = str(int(time.time()))
    sig = base64.b64encode(hmac.new(base64.b64decode(SECRET[6:]), f"{msg_id}.{ts}.".encode() + body, hashlib.sha256).digest()).decode()
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    conn.request("POST", "/v1/events", body=body, headers={
        "content-type": "application/json", "webhook-id": msg_id, "webhook-timestamp": ts, "webhook-signature": "v1," + sig})
    r = conn.getresponse()
    data = r.read()
    conn.close()
    if r.status != 202:
        raise SystemExit(f"bench: event refused: {r.status} {data[:300]}")


def peak_rss_mib(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return 0.0


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--events", type=int, default=1000)
    ap.add_argument("--models", type=int, default=50)
    ap.add_argument("--files", type=int, default=2000)
    ap.add_argument("--baseline-events", type=int, default=1000)
    ap.add_argument("--json")
    args = ap.parse_args()
    work = tempfile.mkdtemp(prefix="promote-bench-serve-")
    procs = []
    try:
        home = os.path.join(work, "home")
        os.makedirs(home)
        env = git_env(home)
        models = [f"model{i:02d}" for i in range(args.models)]
        repos = os.path.join(work, "repos")
        os.makedirs(os.path.join(repos, "acme"))
        bare = os.path.join(repos, "acme", "gitops.git")
        make_repo(bare, models, args.files, home)
        git, line = start([sys.executable, os.path.join(ROOT, "scripts", "testing", "git_test_server.py"), "http",
                           "--root", repos, "--user", "bench", "--password", "s3cret", "--lifetime", "7200"], "PORT", env)
        procs.append(git)
        port = line.split()[1]
        forge, line = start([os.path.join(BIN, "promote-forge-sim"), "--repos", repos, "--flavour", "github", "--port", "0",
                             "--token", "forge-token"], "api http", env)
        procs.append(forge)
        api = line.split("api ")[1].split()[0]
        config = os.path.join(work, "promote.yaml")
        state = os.path.join(work, "state", "promote.db")
        with open(config, "w") as f:
            f.write(f"""repository:
  url: "http://127.0.0.1:{port}/acme/gitops.git"
  branch: main
  credentials: {{usernameEnv: BENCH_GIT_USER, passwordEnv: BENCH_GIT_PASSWORD}}
forge: {{type: github, api: "{api}", project: acme/gitops, tokenEnv: BENCH_FORGE_TOKEN}}
environments:
  - {{name: staging, path: "environments/staging/{{model}}.yaml", mode: push}}
  - {{name: production, path: "environments/production/{{model}}.yaml", mode: pull-request}}
service:
  state: "sqlite://{state}"
  intake: {{secretsEnv: [BENCH_SECRET]}}
  reconcile: {{every: 1h}}
""")
        penv = dict(env, PROMOTE_CONFIG=config, BENCH_GIT_USER="bench", BENCH_GIT_PASSWORD="s3cret", BENCH_SECRET=SECRET,
                    BENCH_FORGE_TOKEN="forge-token", XDG_CACHE_HOME=os.path.join(work, "cache"), PROMOTE_LOG_LEVEL="warning")
        events = []
        per_model = args.events // len(models)
        for v in range(per_model):
            for m in models:
                version = f"1.{v}.0"
                events.append((m, version, json.dumps({"model": m, "version": version, "uri": f"gs://models/{m}/{version}"}).encode()))
        before = subprocess.run(["git", "--git-dir", bare, "rev-list", "--count", "main"], capture_output=True, text=True, env=env).stdout.strip()

        serve, line = start([os.path.join(BIN, "promote"), "serve", "--listen", "127.0.0.1:0"], "listening on", penv)
        procs.append(serve)
        sport = int(re.search(r":(\d+)$", line).group(1))
        t0 = time.perf_counter()
        for _, _, body in events:
            post(sport, body)
        posted = time.perf_counter() - t0
        while True:
            with sqlite3.connect(state) as db:
                pending = db.execute("SELECT COUNT(*) FROM promotion WHERE state IN ('queued', 'running')").fetchone()[0]
            if pending == 0:
                break
            time.sleep(0.05)
        drained = time.perf_counter() - t0
        rss = peak_rss_mib(serve.pid)
        with sqlite3.connect(state) as db:
            states = dict(db.execute("SELECT state, COUNT(*) FROM promotion GROUP BY state").fetchall())
        after = subprocess.run(["git", "--git-dir", bare, "rev-list", "--count", "main"], capture_output=True, text=True, env=env).stdout.strip()
        commits = int(after) - int(before)
        pulls = json.loads(subprocess.run(["curl", "-s", f"{api.split('/api')[0]}/_sim/pulls?project=acme/gitops"],
                                          capture_output=True, text=True).stdout or "[]")
        serve.terminate()
        serve.wait(60)

        # The baseline: the same events, one CI job each.
        benv = dict(env, REPO_URL=f"http://bench:s3cret@127.0.0.1:{port}/acme/gitops.git", FORGE_API=api,
                    PROJECT="acme/gitops", FORGE_TOKEN="forge-token")
        n = min(args.baseline_events, len(events))
        t0 = time.perf_counter()
        for m, version, _ in events[:n]:
            subprocess.run(["bash", os.path.join(ROOT, "bench", "baseline", "promote_application.sh"), m, version,
                            f"gs://models/{m}/{version}"], env=benv, cwd=work, check=True, capture_output=True)
        baseline = (time.perf_counter() - t0) * len(events) / n
        result = {
            "events": len(events), "models": len(models), "filler_files": args.files,
            "serve": {"post_s": round(posted, 2), "drain_s": round(drained, 2), "events_per_s": round(len(events) / drained, 1),
                      "commits_on_main": commits, "pull_requests": len(pulls), "states": states, "peak_rss_mib": round(rss, 1)},
            "baseline": {"total_s": round(baseline, 1), "per_event_s": round(baseline / len(events), 3),
                         "events_run": n, "extrapolated": n < len(events), "commits_on_main": len(events)},
            "baseline_over_serve": round(baseline / drained, 1),
        }
        print(json.dumps(result, indent=2))
        if args.json:
            with open(args.json, "w") as f:
                json.dump(result, f, indent=2)
    finally:
        for p in procs:
            if p.poll() is None:
                p.terminate()
                try:
                    p.wait(10)
                except subprocess.TimeoutExpired:
                    p.kill()
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
