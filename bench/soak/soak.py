#!/usr/bin/env python3
"""Soak of `promote serve` (issue 14): a steady stream of signed events over a long time while the stand-in forge
answers some requests with 5xx or 429 and a person keeps pushing to the same branch, with the service's RSS sampled.

Defaults: 10,000 events over 30 minutes across 50 models in one repository (smart HTTP with basic auth, the stand-in
forge, GitHub flavour). Every few seconds a random forge fault is armed (503, 502, or 429 with Retry-After: 1),
and a racing writer commits a README change to main every 2 s. At the end it waits for the queue to drain and reports:

  states       promotions per final state (nothing may stay queued/running)
  duplicates   (model, version) pairs committed to staging more than once (must be 0)
  lost         accepted events without a promotion (must be 0)
  rss          sampled RSS (MiB): first quarter's median against the last quarter's, and the peak (memory flat:
               the last quarter's median within 20% + 16 MiB of the first's)

usage: bench/soak/soak.py [--events 10000] [--minutes 30] [--models 50] [--binary-dir .build/release] [--json out.json]
A shortened run: bench/soak/soak.py --events 600 --minutes 3. Not part of the default test command.
"""
import argparse
import collections
import json
import os
import random
import re
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "release"))
from bench import ROOT, git_env, start  # noqa: E402  (bench/release)
import importlib.util  # noqa: E402

_spec = importlib.util.spec_from_file_location("serve_bench", os.path.join(ROOT, "bench", "serve", "bench.py"))
serve_bench = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(serve_bench)


def rss_mib(pid):
    with open(f"/proc/{pid}/status") as f:
        return int(re.search(r"VmRSS:\s+(\d+)", f.read()).group(1)) / 1024


def rss_parts_mib(pid):
    """Anonymous (heap, stacks) and file-backed (code, mapped files) resident memory."""
    with open(f"/proc/{pid}/status") as f:
        text = f.read()
    return tuple(int(re.search(rf"{key}:\s+(\d+)", text).group(1)) / 1024 for key in ("RssAnon", "RssFile"))


def tenths(samples):
    """The median of each tenth of the run, as [total, anonymous, file-backed] MiB: the shape of the curve."""
    out = []
    for i in range(10):
        part = samples[i * len(samples) // 10:(i + 1) * len(samples) // 10] or samples[-1:]
        out.append([round(statistics.median(s[k] for s in part), 1) for k in (1, 2, 3)])
    return out


def sim(origin, method, path, body=None):
    data = json.dumps(body).encode() if body is not None else None
    req = urllib.request.Request(origin + path, data=data, method=method, headers={"content-type": "application/json"})
    with urllib.request.urlopen(req, timeout=10) as r:
        raw = r.read()
        return json.loads(raw) if raw else None


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--events", type=int, default=10000)
    ap.add_argument("--minutes", type=float, default=30)
    ap.add_argument("--models", type=int, default=50)
    ap.add_argument("--binary-dir", default=os.path.join(ROOT, ".build", "release"))
    ap.add_argument("--seed", type=int, default=14)
    ap.add_argument("--json")
    args = ap.parse_args()
    rng = random.Random(args.seed)
    work = tempfile.mkdtemp(prefix="promote-soak-")
    procs, stop = [], threading.Event()
    try:
        home = os.path.join(work, "home")
        os.makedirs(home)
        env = git_env(home)
        models = [f"model{i:02d}" for i in range(args.models)]
        repos = os.path.join(work, "repos")
        os.makedirs(os.path.join(repos, "acme"))
        bare = os.path.join(repos, "acme", "gitops.git")
        serve_bench.make_repo(bare, models, 200, home)
        git, line = start([sys.executable, os.path.join(ROOT, "scripts", "testing", "git_test_server.py"), "http", "--root",
                           repos, "--user", "soak", "--password", "s3cret", "--lifetime", str(int(args.minutes * 60 + 3600))],
                          "PORT", env)
        procs.append(git)
        port = line.split()[1]
        forge, line = start([os.path.join(args.binary_dir, "promote-forge-sim"), "--repos", repos, "--flavour", "github",
                             "--port", "0", "--token", "forge-token"], "api http", env)
        procs.append(forge)
        api = line.split("api ")[1].split()[0]
        origin = api.split("/api")[0]
        config = os.path.join(work, "promote.yaml")
        state = os.path.join(work, "state", "promote.db")
        with open(config, "w") as f:
            f.write(f"""repository:
  url: "http://127.0.0.1:{port}/acme/gitops.git"
  branch: main
  credentials: {{usernameEnv: SOAK_GIT_USER, passwordEnv: SOAK_GIT_PASSWORD}}
forge: {{type: github, api: "{api}", project: acme/gitops, tokenEnv: SOAK_FORGE_TOKEN}}
environments:
  - {{name: staging, path: "environments/staging/{{model}}.yaml", mode: push}}
  - {{name: production, path: "environments/production/{{model}}.yaml", mode: pull-request}}
service:
  state: "sqlite://{state}"
  intake: {{secretsEnv: [BENCH_SECRET]}}
  reconcile: {{every: 1m}}
""")
        penv = dict(env, PROMOTE_CONFIG=config, SOAK_GIT_USER="soak", SOAK_GIT_PASSWORD="s3cret",
                    BENCH_SECRET=serve_bench.SECRET, SOAK_FORGE_TOKEN="forge-token",
                    XDG_CACHE_HOME=os.path.join(work, "cache"), PROMOTE_LOG_LEVEL="warning")
        serve, line = start([os.path.join(args.binary_dir, "promote"), "serve", "--listen", "127.0.0.1:0"], "listening on", penv)
        procs.append(serve)
        sport = int(re.search(r":(\d+)$", line).group(1))

        samples = []

        def sample():
            while not stop.is_set():
                samples.append((time.monotonic(), rss_mib(serve.pid), *rss_parts_mib(serve.pid)))
                stop.wait(2)

        writes = collections.Counter()

        def racing_writer():
            clone = os.path.join(work, "person")
            subprocess.run(["git", "clone", "-q", f"http://soak:s3cret@127.0.0.1:{port}/acme/gitops.git", clone],
                           check=True, env=env, capture_output=True)
            n = 0
            while not stop.is_set():
                n += 1
                subprocess.run(["git", "pull", "-q", "--rebase"], cwd=clone, env=env, capture_output=True)
                with open(os.path.join(clone, "README.md"), "a") as f:
                    f.write(f"note {n}\n")
                subprocess.run(["git", "commit", "-qam", f"note {n}"], cwd=clone, env=env, capture_output=True)
                pushed = subprocess.run(["git", "push", "-q"], cwd=clone, env=env, capture_output=True).returncode == 0
                writes["pushed" if pushed else "rejected"] += 1
                stop.wait(2)

        faults = collections.Counter()

        def fault_injector():
            while not stop.is_set():
                kind = rng.choice(["status503", "status502", "tooManyRequests"])
                fault = {"kind": "tooManyRequests", "retryAfter": 1} if kind == "tooManyRequests" else \
                    {"kind": "status", "status": int(kind[-3:])}
                fault["count"] = rng.randint(1, 3)
                try:
                    sim(origin, "POST", "/_sim/faults", fault)
                    faults[kind] += 1
                except OSError:
                    pass
                stop.wait(rng.uniform(2, 6))

        threads = [threading.Thread(target=t, daemon=True) for t in (sample, racing_writer, fault_injector)]
        for t in threads:
            t.start()
        interval = args.minutes * 60 / args.events
        t0 = time.monotonic()
        versions = collections.defaultdict(int)
        for i in range(args.events):
            m = models[i % len(models)]
            versions[m] += 1
            version = f"1.{versions[m]}.0"
            serve_bench.post(sport, json.dumps({"model": m, "version": version, "uri": f"gs://models/{m}/{version}"}).encode())
            delay = t0 + (i + 1) * interval - time.monotonic()
            if delay > 0:
                time.sleep(delay)
        posted = time.monotonic() - t0
        deadline = time.monotonic() + 1800
        while time.monotonic() < deadline:
            with sqlite3.connect(state) as db:
                pending = db.execute("SELECT COUNT(*) FROM promotion WHERE state IN ('queued', 'running')").fetchone()[0]
            if pending == 0:
                break
            time.sleep(0.5)
        drained = time.monotonic() - t0
        stop.set()
        for t in threads:
            t.join(30)
        sim(origin, "DELETE", "/_sim/faults")
        with sqlite3.connect(state) as db:
            states = dict(db.execute("SELECT state, COUNT(*) FROM promotion GROUP BY state").fetchall())
            promotions = db.execute("SELECT COUNT(*) FROM promotion").fetchone()[0]
        log = subprocess.run(["git", "--git-dir", bare, "log", "--format=%B%x00", "main"], capture_output=True, text=True,
                             env=env).stdout
        committed = collections.Counter()
        for message in log.split("\0"):
            model = re.search(r"^Promote-Model: (\S+)", message, re.M)
            version = re.search(r"^Promote-Version: (\S+)", message, re.M)
            environment = re.search(r"^Promote-Environment: (\S+)", message, re.M)
            if model and version and environment and environment.group(1) == "staging":
                committed[(model.group(1), version.group(1))] += 1
        values = [v for _, v, _, _ in samples]
        quarter = max(1, len(values) // 4)
        first, last = statistics.median(values[:quarter]), statistics.median(values[-quarter:])
        result = {
            "events": args.events, "minutes": args.minutes, "models": args.models,
            "posted_s": round(posted, 1), "drained_s": round(drained, 1),
            "states": states, "lost": args.events - promotions, "failed": states.get("failed", 0),
            "duplicates": sum(1 for c in committed.values() if c > 1),
            "faults_armed": dict(faults), "racing_writer": dict(writes),
            "rss_mib": {"first_quarter_median": round(first, 1), "last_quarter_median": round(last, 1),
                        "peak": round(max(values), 1), "samples": len(values),
                        "tenths": tenths(samples)},
            "memory_flat": last <= first * 1.2 + 16,
        }
        print(json.dumps(result, indent=2))
        if args.json:
            with open(args.json, "w") as f:
                json.dump(result, f, indent=2)
    finally:
        stop.set()
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
