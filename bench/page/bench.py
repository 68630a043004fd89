#!/usr/bin/env python3
"""The status page over many models x 3 environments: warm `GET /` must render in under 200 ms.

It generates the reconcile benchmark's repository (bench/reconcile: environments/{staging,canary,production}/<model>.yaml
for every model, with provenance trailers), serves it over smart HTTP with basic auth and starts the stand-in forge;
the ledger is seeded with `promote ledger rebuild` and some production pull requests are opened with
`promote release ... --to production`. Then `promote serve` runs with a read token, and in one run it times:

  cold      the first `GET /` (fetch, every spec of every environment read and parsed, forge titles asked)
  page      warm `GET /` (the grid of every model x environment, HTML), repeated: the report is built from the
            store and the branches each time; the rendered HTML is reused while the report is the same
  fresh     warm `GET /?promotion=bench-N`: a notice that differs each time, so the HTML is rendered anew
  status    warm `GET /v1/status` (the same report as JSON): the baseline the page is compared with
  healthz   `GET /healthz`: the HTTP round trip alone

and reports medians, p95, the page's size and the ratio page/status. Warm requests read the branches as of the last
fetch (fetched again at most every 30 s); within that window a warm read parses nothing.

usage: bench/page/bench.py [--models 500] [--prs 50] [--runs 30] [--json out.json] [--perf FILE] [--bin DIR]
Run after `swift build -c release --product promote --product promote-forge-sim`.
"""
import argparse
import http.client
import json
import os
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "release"))
from bench import ROOT, git_env, start, timed  # noqa: E402  (the release benchmark's helpers)
import importlib.util  # noqa: E402

_spec = importlib.util.spec_from_file_location("reconcile_bench", os.path.join(HERE, "..", "reconcile", "bench.py"))
reconcile_bench = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(reconcile_bench)

TOKEN = "bench-read-token"


def get(port, path):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    t = time.perf_counter()
    conn.request("GET", path, headers={"authorization": f"Bearer {TOKEN}"})
    r = conn.getresponse()
    body = r.read()
    elapsed = time.perf_counter() - t
    conn.close()
    if r.status != 200:
        raise SystemExit(f"bench: GET {path} answered {r.status}: {body[:500]!r}")
    return elapsed, body


def summary(times):
    ordered = sorted(times)
    return {"median_ms": round(statistics.median(ordered) * 1000, 1),
            "p95_ms": round(ordered[min(len(ordered) - 1, int(len(ordered) * 0.95))] * 1000, 1),
            "min_ms": round(ordered[0] * 1000, 1)}


def run(models, prs, runs, work, bin_dir, perf=None):
    home = os.path.join(work, "home")
    os.makedirs(home, exist_ok=True)
    repos = os.path.join(work, "repos")
    bare = os.path.join(repos, "acme", "gitops.git")
    os.makedirs(os.path.dirname(bare))
    reconcile_bench.generate(bare, models, 200, home)
    env = git_env(home)
    procs = []
    server, line = start([sys.executable, os.path.join(ROOT, "scripts", "testing", "git_test_server.py"), "http",
                          "--root", repos, "--user", "bench", "--password", "s3cret", "--lifetime", "3600"], "PORT", env)
    procs.append(server)
    port = line.split()[1]
    forge, line = start([os.path.join(bin_dir, "promote-forge-sim"), "--repos", repos, "--flavour", "github", "--port", "0",
                         "--token", "forge-token"], "api http", env)
    procs.append(forge)
    api = line.split("api ")[1].split()[0]
    try:
        config = os.path.join(work, "promote.yaml")
        with open(config, "w") as f:
            f.write(f"""repository:
  url: "http://127.0.0.1:{port}/acme/gitops.git"
  branch: main
  credentials: {{usernameEnv: BENCH_GIT_USER, passwordEnv: BENCH_GIT_PASSWORD}}
forge: {{type: github, api: "{api}", project: acme/gitops, tokenEnv: BENCH_FORGE_TOKEN}}
environments:
  - {{name: staging, path: "environments/staging/{{model}}.yaml", mode: push}}
  - {{name: canary, path: "environments/canary/{{model}}.yaml", mode: push}}
  - {{name: production, path: "environments/production/{{model}}.yaml", mode: pull-request, gates: {{accuracy: ">= 0.5"}}}}
service:
  state: "sqlite://{work}/state/promote.db"
  intake: {{tokensEnv: [BENCH_INTAKE]}}
  reconcile: {{every: 24h}}
  access:
    tokens: [{{name: bench, tokenEnv: BENCH_READ_TOKEN, scopes: [read]}}]
""")
        penv = dict(env, PROMOTE_CONFIG=config, BENCH_GIT_USER="bench", BENCH_GIT_PASSWORD="s3cret",
                    BENCH_FORGE_TOKEN="forge-token", BENCH_READ_TOKEN=TOKEN, BENCH_INTAKE="intake-token",
                    XDG_CACHE_HOME=os.path.join(work, "cache"), PROMOTE_LOG_LEVEL="warning")
        promote = os.path.join(bin_dir, "promote")
        timed([promote, "ledger", "rebuild"], penv)
        for i in range(prs):
            m = reconcile_bench.model_name(i * max(1, models // max(1, prs)))
            timed([promote, "release", m, "1.1.0", "--uri", f"gs://models/{m}/1.1.0", "--metric", "accuracy=0.9",
                   "--to", "production"], penv)
        serve = subprocess.Popen([promote, "serve", "--listen", "127.0.0.1:0"], env=penv, stdout=subprocess.PIPE,
                                 stderr=subprocess.DEVNULL, text=True)
        procs.append(serve)
        deadline = time.monotonic() + 60
        sport = None
        while time.monotonic() < deadline and sport is None:
            m = re.search(r"listening on http://127\.0\.0\.1:(\d+)", serve.stdout.readline() or "")
            sport = int(m.group(1)) if m else None
            if serve.poll() is not None:
                raise SystemExit("bench: promote serve exited")
        cold, page = get(sport, "/")
        rows = page.count(b'<tr id="model-')
        if rows != models:
            raise SystemExit(f"bench: the page lists {rows} models, expected {models}")
        recorder = None
        if perf:
            recorder = subprocess.Popen(["perf", "record", "-g", "-o", perf, "-p", str(serve.pid)],
                                        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            time.sleep(1)
        results = {"page": [], "fresh": [], "status": [], "healthz": []}
        for i in range(runs):
            # `fresh`: a notice that differs every time, so the grid is rendered anew (not reused from the cache).
            for name, path in (("page", "/"), ("fresh", f"/?promotion=bench-{i}"), ("status", "/v1/status"),
                               ("healthz", "/healthz")):
                results[name].append(get(sport, path)[0])
        if recorder:
            recorder.send_signal(signal.SIGINT)
            recorder.wait(60)
        out = {name: summary(times) for name, times in results.items()}
        out["cold_ms"] = round(cold * 1000, 1)
        out["page_bytes"] = len(page)
        out["models"], out["environments"], out["open_prs"], out["runs"] = models, 3, prs, runs
        out["page_over_status"] = round(out["page"]["median_ms"] / max(0.1, out["status"]["median_ms"]), 2)
        out["under_200ms"] = out["page"]["median_ms"] < 200 and out["fresh"]["median_ms"] < 200
        serve.terminate()
        serve.wait(30)
        return out
    finally:
        for p in procs:
            if p.poll() is None:
                if p.stdin:
                    p.stdin.close()
                p.terminate()
                try:
                    p.wait(10)
                except subprocess.TimeoutExpired:
                    p.kill()


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--models", type=int, default=500)
    ap.add_argument("--prs", type=int, default=50)
    ap.add_argument("--runs", type=int, default=30)
    ap.add_argument("--json")
    ap.add_argument("--perf", help="record the warm requests with `perf record -g` into this file")
    ap.add_argument("--bin", default=os.path.join(ROOT, ".build", "release"))
    args = ap.parse_args()
    work = tempfile.mkdtemp(prefix="promote-bench-page-")
    try:
        out = run(args.models, args.prs, args.runs, work, args.bin, args.perf)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print(f"{out['models']} models x 3 environments, {out['open_prs']} open PRs, {out['runs']} warm runs each")
    print(f"  cold GET /         {out['cold_ms']:8.1f} ms")
    for name in ("page", "fresh", "status", "healthz"):
        s = out[name]
        print(f"  warm {name:12s} median {s['median_ms']:7.1f} ms  p95 {s['p95_ms']:7.1f} ms  min {s['min_ms']:7.1f} ms")
    print(f"  page {out['page_bytes']} bytes; page/status {out['page_over_status']}x; under 200 ms: {out['under_200ms']}")
    if args.json:
        with open(args.json, "w") as f:
            json.dump(out, f, indent=2)
    if not out["under_200ms"]:
        sys.exit(1)


if __name__ == "__main__":
    main()
