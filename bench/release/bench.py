#!/usr/bin/env python3
"""End-to-end release latency: Promote (cold and warm) against the baseline pipeline CI jobs run today.

For each repository size it generates a GitOps repository (N files, a few thousand commits, the jukebox staging and
production specs) with `git fast-import`, serves it over smart HTTP with basic auth (scripts/testing/git_test_server.py)
and starts the stand-in forge (GitHub flavour) over the same bare repository. Then, in one run, it times:

  baseline  bench/baseline/promote_application.sh: git clone + sed + commit/push staging + branch/push + curl PR
  cold      promote release with an empty cache (the first release clones the mirror)
  warm      promote release with the mirror cached (every later release: fetch, edit, push, PR update)
  cli-min   the git CLI doing the minimum on the same server: fetch of an up-to-date clone + push of a prepared
            one-file commit (no edit, no second push, no forge): what the transport alone costs at that size

Every timed run releases a new version, so each does the real work (a staging commit and a production PR change).
Prints a table and the ratios; --json writes the figures.

usage: bench/release/bench.py [--sizes 1000,20000,100000] [--commits 3000] [--runs 5] [--json out.json]
Run after `swift build -c release` (uses .build/release/promote and promote-forge-sim).
"""
import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
BIN = os.path.join(ROOT, ".build", "release")
SPEC = """# {env} deployment of jukebox
apiVersion: machinelearning.seldon.io/v1
kind: SeldonDeployment
metadata:
  name: jukebox
spec:
  predictors:
    - name: default
      replicas: 2
      graph:
        name: jukebox
        implementation: SKLEARN_SERVER
        modelUri: gs://models/jukebox/0.0.1  # set by CI
"""


def git_env(home):
    env = dict(os.environ, GIT_CONFIG_NOSYSTEM="1", HOME=home, GIT_AUTHOR_NAME="bench", GIT_AUTHOR_EMAIL="b@x",
               GIT_COMMITTER_NAME="bench", GIT_COMMITTER_EMAIL="b@x")
    return env


def generate(bare, files, commits, home):
    """A bare repository with `files` files and `commits` commits, via git fast-import."""
    subprocess.run(["git", "init", "-q", "--bare", "--initial-branch=main", bare], check=True, env=git_env(home))
    lines = []
    mark = 0

    def blob(data):
        nonlocal mark
        mark += 1
        raw = data.encode()
        lines.append(b"blob\nmark :%d\ndata %d\n" % (mark, len(raw)) + raw + b"\n")
        return mark

    # First commit: every file.
    entries = []
    for i in range(files):
        m = blob(f"name: app-{i}\nreplicas: {i % 5 + 1}\nimage: registry.example/app-{i}:1.0.{i % 7}\n")
        entries.append(b"M 100644 :%d apps/group-%03d/app-%05d.yaml\n" % (m, i % 500, i))
    for env in ("staging", "production"):
        m = blob(SPEC.format(env=env))
        entries.append(b"M 100644 :%d environments/%s/jukebox.yaml\n" % (m, env.encode()))
    t = 1_700_000_000
    msg = b"initial layout"
    lines.append(b"commit refs/heads/main\ncommitter bench <b@x> %d +0000\ndata %d\n%s\n" % (t, len(msg), msg) + b"".join(entries))
    # Later commits: small changes spread over the tree.
    for c in range(1, commits):
        i = (c * 7919) % files
        m = blob(f"name: app-{i}\nreplicas: {c % 9 + 1}\nimage: registry.example/app-{i}:1.{c}.0\n")
        msg = b"update app-%05d" % i
        lines.append(b"commit refs/heads/main\ncommitter bench <b@x> %d +0000\ndata %d\n%s\n" % (t + c, len(msg), msg)
                     + b"M 100644 :%d apps/group-%03d/app-%05d.yaml\n" % (m, i % 500, i))
    subprocess.run(["git", "--git-dir", bare, "fast-import", "--quiet"], input=b"".join(lines), check=True, env=git_env(home))
    subprocess.run(["git", "--git-dir", bare, "gc", "--quiet"], check=True, env=git_env(home))


def start(cmd, pattern, env):
    # stdin stays open while the benchmark runs: the git test server exits when it closes.
    proc = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env)
    deadline = time.time() + 30
    while time.time() < deadline:
        line = proc.stdout.readline()
        if pattern in line:
            return proc, line.strip()
        if proc.poll() is not None:
            break
    proc.kill()
    raise SystemExit(f"bench: {cmd[0]} did not start")


def timed(cmd, env, cwd=None):
    t0 = time.perf_counter()
    r = subprocess.run(cmd, env=env, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    elapsed = time.perf_counter() - t0
    if r.returncode != 0:
        raise SystemExit(f"bench: {' '.join(cmd[:3])} failed ({r.returncode}):\n{r.stdout}\n{r.stderr}")
    return elapsed


def bench_size(files, commits, runs, work):
    home = os.path.join(work, "home")
    os.makedirs(home, exist_ok=True)
    repos = os.path.join(work, "repos")
    bare = os.path.join(repos, "acme", "gitops.git")
    os.makedirs(os.path.dirname(bare))
    t0 = time.perf_counter()
    generate(bare, files, commits, home)
    gen = time.perf_counter() - t0
    env = git_env(home)
    server, line = start([sys.executable, os.path.join(ROOT, "scripts", "testing", "git_test_server.py"), "http",
                          "--root", repos, "--user", "bench", "--password", "s3cret", "--lifetime", "3600"], "PORT", env)
    port = line.split()[1]
    forge, line = start([os.path.join(BIN, "promote-forge-sim"), "--repos", repos, "--flavour", "github", "--port", "0",
                         "--token", "forge-token"], "api http", env)
    api = line.split("api ")[1].split()[0]
    url = f"http://127.0.0.1:{port}/acme/gitops.git"
    try:
        config = os.path.join(work, "promote.yaml")
        with open(config, "w") as f:
            f.write(f"""repository:
  url: "{url}"
  branch: main
  credentials: {{usernameEnv: BENCH_GIT_USER, passwordEnv: BENCH_GIT_PASSWORD}}
forge: {{type: github, api: "{api}", project: acme/gitops, tokenEnv: BENCH_FORGE_TOKEN}}
environments:
  - {{name: staging, path: "environments/staging/{{model}}.yaml", mode: push}}
  - {{name: production, path: "environments/production/{{model}}.yaml", mode: pull-request}}
service: {{state: "sqlite://{work}/state/promote.db"}}
""")
        penv = dict(env, PROMOTE_CONFIG=config, BENCH_GIT_USER="bench", BENCH_GIT_PASSWORD="s3cret",
                    BENCH_FORGE_TOKEN="forge-token", XDG_CACHE_HOME=os.path.join(work, "cache"))
        benv = dict(env, REPO_URL=f"http://bench:s3cret@127.0.0.1:{port}/acme/gitops.git", FORGE_API=api,
                    PROJECT="acme/gitops", FORGE_TOKEN="forge-token")
        version = [0]

        def release(cache):
            version[0] += 1
            v = f"1.0.{version[0]}"
            return timed([os.path.join(BIN, "promote"), "release", "jukebox", v, "--uri", f"gs://models/jukebox/{v}"],
                         dict(penv, XDG_CACHE_HOME=cache))

        def baseline():
            version[0] += 1
            v = f"1.0.{version[0]}"
            return timed(["bash", os.path.join(ROOT, "bench", "baseline", "promote_application.sh"), "jukebox", v,
                          f"gs://models/jukebox/{v}"], benv, cwd=work)

        clone = os.path.join(work, "cli-clone")
        subprocess.run(["git", "clone", "-q", benv["REPO_URL"], clone], env=env, check=True, capture_output=True)

        def cli_minimum():
            subprocess.run(["git", "-C", clone, "pull", "-q", "--rebase", "origin", "main"], env=env, check=True, capture_output=True)
            with open(os.path.join(clone, "cli-min.txt"), "w") as f:
                f.write(f"{version[0]}\n")
            subprocess.run(["git", "-C", clone, "add", "-A"], env=env, check=True)
            subprocess.run(["git", "-C", clone, "commit", "-qm", "cli minimum"], env=env, check=True)
            t = time.perf_counter()
            subprocess.run(["git", "-C", clone, "fetch", "-q", "origin"], env=env, check=True)
            subprocess.run(["git", "-C", clone, "push", "-q", "origin", "HEAD:main"], env=env, check=True)
            return time.perf_counter() - t

        results = {"baseline": [], "cold": [], "warm": [], "cli-min": []}
        for r in range(runs):
            results["cli-min"].append(cli_minimum())
            results["baseline"].append(baseline())
            results["cold"].append(release(os.path.join(work, f"cold-cache-{r}")))
            results["warm"].append(release(os.path.join(work, "cache")))  # first iteration warms it
        results["warm"] = results["warm"][1:] + [release(os.path.join(work, "cache"))]
        median = {k: statistics.median(v) for k, v in results.items()}
        return {"files": files, "commits": commits, "generate_s": round(gen, 2),
                "median_s": {k: round(v, 4) for k, v in median.items()},
                "baseline_over_warm": round(median["baseline"] / median["warm"], 1),
                "baseline_over_cold": round(median["baseline"] / median["cold"], 2),
                "warm_over_cli_min": round(median["warm"] / median["cli-min"], 2)}
    finally:
        for p in (server, forge):
            p.terminate()
            try:
                p.wait(5)
            except subprocess.TimeoutExpired:
                p.kill()


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", default="1000,20000,100000")
    ap.add_argument("--commits", type=int, default=3000)
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--json")
    args = ap.parse_args()
    for tool in ("promote", "promote-forge-sim"):
        if not os.access(os.path.join(BIN, tool), os.X_OK):
            raise SystemExit(f"bench: build first: swift build -c release ({tool} missing)")
    rows = []
    for files in [int(s) for s in args.sizes.split(",")]:
        work = tempfile.mkdtemp(prefix=f"promote-bench-{files}-")
        try:
            rows.append(bench_size(files, args.commits, args.runs, work))
        finally:
            shutil.rmtree(work, ignore_errors=True)
        r = rows[-1]
        print(f"{r['files']:>7} files  baseline {r['median_s']['baseline']:.3f}s  cold {r['median_s']['cold']:.3f}s  "
              f"warm {r['median_s']['warm']:.3f}s  cli-min {r['median_s']['cli-min']:.3f}s  baseline/warm {r['baseline_over_warm']}x  "
              f"warm/cli-min {r['warm_over_cli_min']}x", flush=True)
    warm = [r["median_s"]["warm"] for r in rows]
    cli = [r["median_s"]["cli-min"] for r in rows]
    summary = {"rows": rows, "warm_largest_over_smallest": round(warm[-1] / warm[0], 2) if len(warm) > 1 else None,
               "cli_min_largest_over_smallest": round(cli[-1] / cli[0], 2) if len(cli) > 1 else None}
    print(f"largest repo / smallest repo: warm release {summary['warm_largest_over_smallest']}x, "
          f"git CLI minimum {summary['cli_min_largest_over_smallest']}x")
    if args.json:
        with open(args.json, "w") as f:
            json.dump(summary, f, indent=2)


if __name__ == "__main__":
    main()
