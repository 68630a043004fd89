"""Several `promote serve` replicas on one state store (DESIGN.md 8), for tests and `bench/serve/replicas.py`.

R GitOps repositories (acme/gitops-0 .. R-1) over smart HTTP with basic auth, each with a push environment `s<k>` and
a pull-request environment `p<k>`, and the stand-in forge over them; models are spread over the repositories (model i
lives in repository i % R, so its events name `environments: [s<k>, p<k>]` and write one repository). Every bare
repository has a pre-receive and a post-receive hook that log each push (the receive-pack process, its start and
end), whether its old value was stale, and whether main moved other than by fast-forward: `push_intervals()` and
`history_problems()` read them. Everything started here is stopped by `close()`."""
import http.client
import json
import os
import pathlib
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import uuid

from release_world import ROOT, binary, git_env
from serve_world import SECRET_NEW, sign

SPEC = (ROOT / "environments/staging/jukebox.yaml").read_text()
GIT_USER, GIT_PASSWORD, FORGE_TOKEN = "replica-git", "replica-git-pw", "replica-forge-token"
FINAL = {"awaiting-review", "done", "superseded", "failed"}

PRE_RECEIVE = """#!/bin/sh
repo=$(basename "$(pwd)" .git)
start=$(date +%s.%N)
while read old new ref; do
  [ "$ref" = refs/heads/main ] || continue
  [ "$old" = 0000000000000000000000000000000000000000 ] && continue
  current=$(git rev-parse -q --verify refs/heads/main)
  [ "$current" = "$old" ] || echo "stale $repo $PPID $start" >> "{log}"
  git merge-base --is-ancestor "$old" "$new" || echo "nonff $repo $PPID $start" >> "{log}"
done
sleep 0.05
echo "pre $repo $PPID $start" >> "{log}"
"""
POST_RECEIVE = """#!/bin/sh
echo "post $(basename "$(pwd)" .git) $PPID $(date +%s.%N)" >> "{log}"
"""


class ReplicaWorld:
    def __init__(self, repositories=10, models=30, state=None, state_password=None, lease="10s", log_level="info",
                 bin_dir=None, service_extra=""):
        """`state`: a postgres:// URL (its password in `state_password`), or None for a SQLite file. `bin_dir`: where
        `promote` and `promote-forge-sim` are (default: .build/debug, else .build/release). `service_extra`: more
        lines of the `service:` mapping (indented two spaces)."""
        self.binary = (lambda name: pathlib.Path(bin_dir) / name) if bin_dir else binary
        self.dir = pathlib.Path(tempfile.mkdtemp(prefix="promote-replicas-"))
        self.home = self.dir / "home"
        self.home.mkdir()
        self.repos = self.dir / "repos"
        self.hook_log = self.dir / "pushes.log"
        self.hook_log.touch()
        self.procs = []
        self.replicas = {}
        self.models = [f"model{i:02d}" for i in range(models)]
        self.repositories = repositories
        for k in range(repositories):
            self._make_repo(k, [m for i, m in enumerate(self.models) if i % repositories == k])
        self.git_port = self._start([sys.executable, str(ROOT / "scripts/testing/git_test_server.py"), "http", "--root",
                                     str(self.repos), "--user", GIT_USER, "--password", GIT_PASSWORD, "--lifetime", "3600"],
                                    r"PORT (\d+)")
        forge = self._start([str(self.binary("promote-forge-sim")), "--repos", str(self.repos), "--flavour", "github", "--port", "0",
                             "--token", FORGE_TOKEN], r"(on port \d+, api \S+)")
        m = re.search(r"on port (\d+), api (\S+)", forge)
        self.forge_origin, api = f"http://127.0.0.1:{m.group(1)}", m.group(2)
        url = lambda k: f"http://127.0.0.1:{self.git_port}/acme/gitops-{k}.git"  # noqa: E731
        # Each repository is a chain of its own (s<k> -> p<k>): s<k> is an entry point, not the stage after p<k-1>.
        envs = "".join(f"""  - name: s{k}
    path: environments/s{k}/{{model}}.yaml
    mode: push
    from: none
    repository: {{url: "{url(k)}", branch: main}}
  - name: p{k}
    path: environments/p{k}/{{model}}.yaml
    mode: pull-request
    repository: {{url: "{url(k)}", branch: main}}
    forge: {{project: acme/gitops-{k}}}
""" for k in range(repositories))
        self.sqlite = None
        if state is None:
            self.sqlite = self.dir / "state" / "promote.db"
            state = f"sqlite://{self.sqlite}"
        self.config = self.dir / "promote.yaml"
        self.config.write_text(f"""repository:
  url: "{url(0)}"
  branch: main
  credentials: {{usernameEnv: R_GIT_USER, passwordEnv: R_GIT_PASSWORD}}
forge: {{type: github, api: "{api}", project: acme/gitops-0, tokenEnv: R_FORGE_TOKEN}}
commit:
  author: {{name: promote-bot, email: promote-bot@example.com}}
environments:
{envs}service:
  state: "{state}"
  statePasswordEnv: R_STATE_PASSWORD
  leaseDuration: {lease}
  intake: {{secretsEnv: [R_SECRET]}}
  reconcile: {{every: 1h}}
  access: {{publicRead: true}}
{service_extra}""")
        self.env = {**git_env(self.home), "R_GIT_USER": GIT_USER, "R_GIT_PASSWORD": GIT_PASSWORD, "R_FORGE_TOKEN": FORGE_TOKEN,
                    "R_SECRET": SECRET_NEW, "R_STATE_PASSWORD": state_password or "unused", "PROMOTE_CONFIG": str(self.config),
                    "PROMOTE_LOG_LEVEL": log_level}

    # -- setup ---------------------------------------------------------------------------------------------------

    def _make_repo(self, k, models):
        bare = self.repos / "acme" / f"gitops-{k}.git"
        bare.parent.mkdir(parents=True, exist_ok=True)
        env = git_env(self.home)
        work = self.dir / f"seed-{k}"
        subprocess.run(["git", "init", "-q", "-b", "main", str(work)], check=True, env=env)
        (work / "README.md").write_text(f"GitOps repository {k}\n")
        for model in models:
            for name in (f"s{k}", f"p{k}"):
                f = work / "environments" / name / f"{model}.yaml"
                f.parent.mkdir(parents=True, exist_ok=True)
                f.write_text(SPEC.replace("jukebox", model).replace("staging", name))
        subprocess.run(["git", "add", "-A"], cwd=work, check=True, env=env)
        subprocess.run(["git", "commit", "-qm", "seed"], cwd=work, check=True, env=env)
        subprocess.run(["git", "init", "-q", "--bare", "-b", "main", str(bare)], check=True, env=env)
        subprocess.run(["git", "push", "-q", str(bare), "main"], cwd=work, check=True, env=env)
        shutil.rmtree(work)
        for name, text in (("pre-receive", PRE_RECEIVE), ("post-receive", POST_RECEIVE)):
            hook = bare / "hooks" / name
            hook.write_text(text.replace("{log}", str(self.hook_log)))
            hook.chmod(0o755)

    def _start(self, cmd, pattern):
        proc = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        self.procs.append(proc)
        for _ in range(50):
            m = re.search(pattern, proc.stdout.readline())
            if m:
                return m.group(1)
            if proc.poll() is not None:
                break
        raise RuntimeError(f"{cmd[0]} did not start")

    # -- replicas ------------------------------------------------------------------------------------------------

    def start_replica(self, name, timeout=60):
        log = open(self.dir / f"{name}.log", "a")
        # Each replica has its own git mirrors, as on its own machine.
        env = {**self.env, "XDG_CACHE_HOME": str(self.dir / f"cache-{name}")}
        proc = subprocess.Popen([str(self.binary("promote")), "serve", "--listen", "127.0.0.1:0", "--replica", name], env=env,
                                stdout=subprocess.PIPE, stderr=log, text=True)
        self.procs.append(proc)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            m = re.search(r"listening on http://127\.0\.0\.1:(\d+)", proc.stdout.readline() or "")
            if m:
                threading.Thread(target=proc.stdout.read, daemon=True).start()
                self.replicas[name] = (proc, int(m.group(1)))
                return proc
            if proc.poll() is not None:
                break
        raise RuntimeError(f"replica {name} did not start:\n" + self.log(name))

    def pid(self, name):
        return self.replicas[name][0].pid

    def port(self, name):
        return self.replicas[name][1]

    def signal(self, name, sig):
        self.replicas[name][0].send_signal(sig)
        if sig == signal.SIGKILL:
            self.replicas[name][0].wait(10)

    def log(self, name):
        path = self.dir / f"{name}.log"
        return path.read_text() if path.exists() else ""

    def request(self, name, method, path, body=b"", headers=None, timeout=30):
        conn = http.client.HTTPConnection("127.0.0.1", self.port(name), timeout=timeout)
        try:
            conn.request(method, path, body=body, headers=headers or {})
            r = conn.getresponse()
            return r.status, r.read()
        finally:
            conn.close()

    def event(self, model, version):
        k = self.models.index(model) % self.repositories
        return {"model": model, "version": version, "uri": f"gs://models/{model}/{version}", "environments": [f"s{k}", f"p{k}"],
                "idempotencyKey": f"{model}@{version}"}

    def post(self, name, event):
        """Posts a signed event to replica `name`: (status, promotion id or None)."""
        body = json.dumps(event).encode()
        msg_id, ts = "msg_" + uuid.uuid4().hex, str(int(time.time()))
        status, data = self.request(name, "POST", "/v1/events", body, {
            "content-type": "application/json", "webhook-id": msg_id, "webhook-timestamp": ts,
            "webhook-signature": sign(SECRET_NEW, msg_id, ts, body)})
        return status, (json.loads(data)["id"] if status == 202 else None)

    def state_of(self, name, pid):
        status, data = self.request(name, "GET", f"/v1/promotions/{pid}")
        return json.loads(data)["state"] if status == 200 else None

    def wait_final(self, name, ids, timeout):
        """Waits until every promotion in `ids` is final (asking replica `name`); returns {id: state}."""
        deadline = time.monotonic() + timeout
        states = {}
        while time.monotonic() < deadline:
            states = {pid: self.state_of(name, pid) for pid in ids}
            if all(s in FINAL for s in states.values()):
                return states
            time.sleep(0.5)
        pending = {p: s for p, s in states.items() if s not in FINAL}
        raise AssertionError(f"{len(pending)} promotion(s) not final after {timeout} s: {list(pending.items())[:5]}")

    # -- checks ------------------------------------------------------------------------------------------------------

    def bare(self, k):
        return self.repos / "acme" / f"gitops-{k}.git"

    def git(self, k, *args):
        return subprocess.run(["git", "--git-dir", str(self.bare(k)), *args], capture_output=True, text=True,
                              env=git_env(self.home))

    def push_intervals(self):
        """{repository: [(start, end, receive-pack pid)]} of the pushes that updated a ref (stale ones never get a
        post-receive, so they have no interval)."""
        starts, ends = {}, {}
        for line in self.hook_log.read_text().splitlines():
            kind, repo, pid, at = line.split()
            if kind == "pre":
                starts[(repo, pid)] = float(at)
            elif kind == "post":
                ends[(repo, pid)] = float(at)
        intervals = {}
        for key, end in ends.items():
            intervals.setdefault(key[0], []).append((starts[key], end, key[1]))
        return {repo: sorted(v) for repo, v in intervals.items()}

    def overlapping_pushes(self):
        overlaps = []
        for repo, spans in self.push_intervals().items():
            for a, b in zip(spans, spans[1:]):
                if b[0] < a[1]:
                    overlaps.append((repo, a, b))
        return overlaps

    def history_problems(self):
        """Pushes that moved main other than by fast-forward, `git fsck --strict` complaints, and versions committed
        more than once to one environment's spec."""
        problems = [line for line in self.hook_log.read_text().splitlines() if line.startswith("nonff")]
        for k in range(self.repositories):
            fsck = self.git(k, "fsck", "--strict", "--no-dangling")
            if fsck.returncode != 0 or fsck.stdout.strip() or fsck.stderr.strip():
                problems.append(f"gitops-{k}: fsck: {fsck.stdout}{fsck.stderr}")
            for model in [m for i, m in enumerate(self.models) if i % self.repositories == k]:
                path = f"environments/s{k}/{model}.yaml"
                log = self.git(k, "log", "--format=%H", "main", "--", path).stdout.split()
                versions = []
                for commit in log:
                    m = re.search(r"modelUri: gs://models/[^/]+/(\S+)", self.git(k, "show", f"{commit}:{path}").stdout)
                    versions.append(m.group(1) if m else None)
                dupes = {v for v in versions if versions.count(v) > 1}
                if dupes:
                    problems.append(f"gitops-{k} {path}: versions committed more than once: {sorted(dupes)}")
        return problems

    def forge_control(self, method, path, body=None):
        conn = http.client.HTTPConnection(self.forge_origin.split("//")[1].split(":")[0], int(self.forge_origin.rsplit(":", 1)[1]),
                                          timeout=30)
        conn.request(method, path, body=json.dumps(body).encode() if body is not None else None,
                     headers={"content-type": "application/json"} if body is not None else {})
        data = conn.getresponse().read()
        conn.close()
        return json.loads(data or b"[]")

    def pulls(self, k):
        return self.forge_control("GET", f"/_sim/pulls?project=acme/gitops-{k}")

    def forge_latency(self, milliseconds):
        """Every forge API request from now on waits `milliseconds` before its answer (a hosted forge's latency)."""
        self.forge_control("POST", "/_sim/faults", {"kind": "delay", "delayMilliseconds": milliseconds, "count": 10_000_000})

    def duplicate_pulls(self):
        """Open pull requests sharing a head branch, and pull requests (any state) opened twice for one title."""
        dupes = []
        for k in range(self.repositories):
            pulls = self.pulls(k)
            heads = [p.get("head", {}).get("ref") if isinstance(p.get("head"), dict) else p.get("head") for p in pulls
                     if p.get("state") == "open"]
            dupes += [f"gitops-{k}: open twice: {h}" for h in set(heads) if heads.count(h) > 1]
            titles = [p.get("title") for p in pulls]
            dupes += [f"gitops-{k}: opened twice: {t}" for t in set(titles) if titles.count(t) > 1]
        return dupes

    def close(self):
        for p in self.procs:
            if p.poll() is None:
                try:
                    p.send_signal(signal.SIGCONT)
                except ProcessLookupError:
                    pass
            if p.stdin:
                try:
                    p.stdin.close()
                except OSError:
                    pass
            if p.poll() is None:
                p.terminate()
                try:
                    p.wait(20)
                except subprocess.TimeoutExpired:
                    p.kill()
                    p.wait(5)
        shutil.rmtree(self.dir, ignore_errors=True)
