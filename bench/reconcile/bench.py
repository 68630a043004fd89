#!/usr/bin/env python3
"""Warm `promote reconcile` over one repository of many models x 3 environments, against a hand-written drift check.

It generates (with `git fast-import`) one GitOps repository holding environments/{staging,canary,production}/<model>.yaml
for every model, plus filler files, with the Promote-* provenance trailers of what each environment runs; serves it
over smart HTTP with basic auth (scripts/testing/git_test_server.py) and starts the stand-in forge (GitHub flavour)
over the same bare repository. promote.yaml configures staging and canary as `push` environments and production as
`pull-request`. The ledger is seeded the supported way: `promote ledger rebuild` (from the trailers), then
`promote release <model> 1.1.0 --to production` for some models, which opens their pull requests. So the ledger matches
the repository and every open pull request: a reconcile must find nothing.

Then, in one run, it times:

  promote   a warm `promote reconcile --json` (mirror cached): fetch, every spec and every open PR checked
  baseline  a hand-written drift check: `git fetch` of an up-to-date clone, every spec read with `git show` and
            parsed with PyYAML, the model URI compared with the ledger (exported once by `promote status --json`),
            and the forge's open pull requests listed (all pages)
  batched   the same check with every spec read through one `git cat-file --batch` (the fastest a script gets)

and reports medians, the ratios, and what promote read per run (from its own `reconciled` log line at
PROMOTE_LOG_LEVEL=info, and the stand-in's exchange log): fetches, snapshots, parses, forge requests.

usage: bench/reconcile/bench.py [--models 500] [--prs 50] [--filler 2000] [--runs 5] [--json out.json] [--bin DIR]
Run after `swift build -c release --product promote --product promote-forge-sim`.
"""
import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "release"))
from bench import ROOT, git_env, start, timed  # noqa: E402  (the release benchmark's helpers)

BIN = os.path.join(ROOT, ".build", "release")
PERF = None

import yaml  # noqa: E402

ENVIRONMENTS = ("staging", "canary", "production")
SPEC = """# {env} deployment of {model}
apiVersion: machinelearning.seldon.io/v1
kind: SeldonDeployment
metadata:
  name: {model}
  namespace: {env}
spec:
  predictors:
    - name: default
      replicas: 2
      graph:
        name: {model}
        implementation: SKLEARN_SERVER
        modelUri: gs://models/{model}/1.0.0  # set by CI
"""


def model_name(i):
    return f"model-{i:04d}"


def generate(bare, models, filler, home):
    """One commit of filler, then one commit per environment adding its specs with one trailer block per model."""
    env = git_env(home)
    subprocess.run(["git", "init", "-q", "--bare", "--initial-branch=main", bare], check=True, env=env)
    out = []
    t = 1_700_000_000

    def commit(message, entries):
        # Commits to the same branch in one fast-import stream chain on each other.
        nonlocal t
        t += 1
        msg = message.encode()
        out.append(b"commit refs/heads/main\ncommitter bench <b@x> %d +0000\ndata %d\n%s\n" % (t, len(msg), msg))
        for path, data in entries:
            raw = data.encode()
            out.append(b"M 100644 inline %s\ndata %d\n%s\n" % (path.encode(), len(raw), raw))

    commit("initial layout", [(f"apps/group-{i % 50:02d}/app-{i:05d}.yaml", f"name: app-{i}\nreplicas: {i % 5 + 1}\n")
                              for i in range(filler)] + [("README.md", "GitOps repository\n")])
    for env_name in ENVIRONMENTS:
        entries, trailers = [], []
        for i in range(models):
            m = model_name(i)
            entries.append((f"environments/{env_name}/{m}.yaml", SPEC.format(env=env_name, model=m)))
            trailers.append(f"Promote-Model: {m}\nPromote-Version: 1.0.0\nPromote-Uri: gs://models/{m}/1.0.0\n"
                            f"Promote-Environment: {env_name}")
        commit(f"Promote {models} models to {env_name}\n\n" + "\n".join(trailers) + "\n", entries)
    subprocess.run(["git", "--git-dir", bare, "fast-import", "--quiet"], input=b"".join(out), check=True, env=env)
    subprocess.run(["git", "--git-dir", bare, "gc", "--quiet"], check=True, env=env)


def stats_line(stderr):
    """The metadata of promote's `reconciled` log line."""
    for line in stderr.splitlines():
        if "reconciled" in line:
            return dict(re.findall(r"(\w+)=(\S+)", line))
    raise SystemExit(f"bench: no 'reconciled' line in promote's log:\n{stderr[-2000:]}")


def hand_written_check(clone, ledger, api, token, env, batched):
    """What a script would do: fetch, read and parse every spec, compare with the ledger, list the open PRs."""
    subprocess.run(["git", "-C", clone, "fetch", "-q", "origin"], env=env, check=True)
    paths = [(m, e, f"environments/{e}/{m}.yaml") for (m, e) in ledger]
    if batched:
        spec = "".join(f"origin/main:{p}\n" for _, _, p in paths).encode()
        raw = subprocess.run(["git", "-C", clone, "cat-file", "--batch"], input=spec, env=env, check=True,
                             capture_output=True).stdout
        texts, pos = [], 0
        for _ in paths:
            header_end = raw.index(b"\n", pos)
            size = int(raw[pos:header_end].split()[2])
            texts.append(raw[header_end + 1:header_end + 1 + size].decode())
            pos = header_end + 1 + size + 1
    else:
        texts = [subprocess.run(["git", "-C", clone, "show", f"origin/main:{p}"], env=env, check=True,
                                capture_output=True, text=True).stdout for _, _, p in paths]
    drift = []
    for (m, e, _), text in zip(paths, texts):
        uri = yaml.safe_load(text)["spec"]["predictors"][0]["graph"]["modelUri"]
        if uri != ledger[(m, e)]:
            drift.append((m, e, uri))
    pulls, page = [], 1
    while True:
        req = urllib.request.Request(f"{api}/repos/acme/gitops/pulls?state=open&per_page=100&page={page}",
                                     headers={"Authorization": f"Bearer {token}", "Accept": "application/vnd.github+json"})
        with urllib.request.urlopen(req, timeout=30) as r:
            batch = json.loads(r.read())
        pulls += batch
        if len(batch) < 100:
            break
        page += 1
    return drift, pulls


def run(models, prs, filler, runs, work):
    home = os.path.join(work, "home")
    os.makedirs(home, exist_ok=True)
    repos = os.path.join(work, "repos")
    bare = os.path.join(repos, "acme", "gitops.git")
    os.makedirs(os.path.dirname(bare))
    t0 = time.perf_counter()
    generate(bare, models, filler, home)
    gen = time.perf_counter() - t0
    env = git_env(home)
    server, line = start([sys.executable, os.path.join(ROOT, "scripts", "testing", "git_test_server.py"), "http",
                          "--root", repos, "--user", "bench", "--password", "s3cret", "--lifetime", "3600"], "PORT", env)
    port = line.split()[1]
    record = os.path.join(work, "exchanges.jsonl")
    forge, line = start([os.path.join(BIN, "promote-forge-sim"), "--repos", repos, "--flavour", "github", "--port", "0",
                         "--token", "forge-token", "--record", record], "api http", env)
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
  - {{name: staging, path: "environments/staging/{{model}}.yaml", mode: push, drift: report}}
  - {{name: canary, path: "environments/canary/{{model}}.yaml", mode: push, drift: report}}
  - {{name: production, path: "environments/production/{{model}}.yaml", mode: pull-request, drift: report}}
service: {{state: "sqlite://{work}/state/promote.db"}}
""")
        penv = dict(env, PROMOTE_CONFIG=config, BENCH_GIT_USER="bench", BENCH_GIT_PASSWORD="s3cret",
                    BENCH_FORGE_TOKEN="forge-token", XDG_CACHE_HOME=os.path.join(work, "cache"), PROMOTE_LOG_LEVEL="info")
        promote = os.path.join(BIN, "promote")
        t0 = time.perf_counter()
        timed([promote, "ledger", "rebuild"], penv)
        for i in range(prs):
            m = model_name(i * max(1, models // max(1, prs)))
            timed([promote, "release", m, "1.1.0", "--uri", f"gs://models/{m}/1.1.0", "--to", "production"], penv)
        seed = time.perf_counter() - t0
        status = json.loads(subprocess.run([promote, "status", "--json"], env=penv, check=True, capture_output=True,
                                           text=True).stdout)
        ledger = {(m["model"], e["name"]): e["uri"] for m in status["models"] for e in m["environments"] if "uri" in e}
        assert len(ledger) == models * len(ENVIRONMENTS), len(ledger)

        def reconcile():
            before = sum(1 for _ in open(record)) if os.path.exists(record) else 0
            t = time.perf_counter()
            r = subprocess.run([promote, "reconcile", "--json"], env=penv, capture_output=True, text=True)
            elapsed = time.perf_counter() - t
            if r.returncode != 0:
                raise SystemExit(f"bench: promote reconcile failed:\n{r.stderr}")
            findings = json.loads(r.stdout)["findings"]
            if findings:
                raise SystemExit(f"bench: the ledger matches, yet reconcile found {len(findings)}: {findings[:3]}")
            with open(record) as f:
                requests = sum(1 for _ in f) - before
            return elapsed, stats_line(r.stderr), requests

        reconcile()  # clones the mirror: every later run is warm
        if PERF:
            subprocess.run(["perf", "record", "-q", "-F", "999", "-g", "-o", PERF, promote, "reconcile", "--json"], env=penv,
                           check=True, capture_output=True)
        clone = os.path.join(work, "clone")
        subprocess.run(["git", "clone", "-q", f"http://bench:s3cret@127.0.0.1:{port}/acme/gitops.git", clone], env=env,
                       check=True, capture_output=True)
        results = {"promote": [], "baseline": [], "batched": []}
        last = None
        for _ in range(runs):
            elapsed, stats, requests = reconcile()
            results["promote"].append(elapsed)
            last = dict(stats, forgeRequests=requests)
            for kind, batched in (("baseline", False), ("batched", True)):
                t = time.perf_counter()
                drift, pulls = hand_written_check(clone, ledger, api, "forge-token", env, batched)
                results[kind].append(time.perf_counter() - t)
                assert drift == [] and len(pulls) == prs, (drift[:3], len(pulls))
        median = {k: statistics.median(v) for k, v in results.items()}
        return {"models": models, "environments": len(ENVIRONMENTS), "specs": models * len(ENVIRONMENTS),
                "open_prs": prs, "filler_files": filler, "generate_s": round(gen, 2), "seed_s": round(seed, 2),
                "runs": runs, "median_s": {k: round(v, 3) for k, v in median.items()},
                "all_s": {k: [round(x, 3) for x in v] for k, v in results.items()},
                "baseline_over_promote": round(median["baseline"] / median["promote"], 1),
                "batched_over_promote": round(median["batched"] / median["promote"], 2),
                "promote_reads_per_run": last}
    finally:
        for p in (server, forge):
            p.terminate()
            try:
                p.wait(5)
            except subprocess.TimeoutExpired:
                p.kill()


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--models", type=int, default=500)
    ap.add_argument("--prs", type=int, default=50)
    ap.add_argument("--filler", type=int, default=2000)
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--json")
    ap.add_argument("--perf", help="also record one warm reconcile with `perf record -g` into this file")
    ap.add_argument("--bin", help="directory of the promote and promote-forge-sim binaries (default .build/release)")
    args = ap.parse_args()
    global BIN, PERF
    PERF = os.path.abspath(args.perf) if args.perf else None
    if args.bin:
        BIN = os.path.abspath(args.bin)
    for tool in ("promote", "promote-forge-sim"):
        if not os.access(os.path.join(BIN, tool), os.X_OK):
            raise SystemExit(f"bench: build first: swift build -c release ({tool} missing)")
    work = tempfile.mkdtemp(prefix="promote-bench-reconcile-")
    try:
        r = run(args.models, args.prs, args.filler, args.runs, work)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    m = r["median_s"]
    print(f"{r['models']} models x {r['environments']} environments ({r['specs']} specs, {r['open_prs']} open PRs, "
          f"{r['filler_files']} other files), median of {r['runs']}:")
    print(f"  promote reconcile (warm) {m['promote']:.3f}s   hand-written check {m['baseline']:.3f}s "
          f"({r['baseline_over_promote']}x)   batched check {m['batched']:.3f}s ({r['batched_over_promote']}x)")
    print(f"  promote read per run: {json.dumps(r['promote_reads_per_run'])}")
    if args.json:
        with open(args.json, "w") as f:
            json.dump(r, f, indent=2)


if __name__ == "__main__":
    main()
