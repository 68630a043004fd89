"""A whole world for `promote release` end-to-end tests, all real parts on loopback: bare repositories served over
smart HTTP with basic auth (git http-backend behind scripts/testing/git_test_server.py), the stand-in forge
(promote-forge-sim, GitHub flavour) over the same bare repositories with its exchange log, a promote.yaml, and
the `promote` binary run as a user would. Everything started here is stopped by `close()`."""
import json
import os
import pathlib
import re
import shutil
import subprocess
import sys
import tempfile

from forge_sim import sim_control

ROOT = pathlib.Path(__file__).resolve().parents[2]
GIT_USER, GIT_PASSWORD = "bot", "git-pa55word-xyz"
FORGE_TOKEN = "forge-t0ken-xyz"
SECRETS = (GIT_PASSWORD, FORGE_TOKEN)


def binary(name):
    for kind in ("debug", "release"):
        p = ROOT / ".build" / kind / name
        if p.exists():
            return p
    raise RuntimeError(f"{name} is not built: run `swift build --build-tests` (scripts/test.sh does)")


def git_env(home):
    return {**os.environ, "GIT_CONFIG_NOSYSTEM": "1", "HOME": str(home), "GIT_TERMINAL_PROMPT": "0",
            "GIT_AUTHOR_NAME": "Person", "GIT_AUTHOR_EMAIL": "person@example.com",
            "GIT_COMMITTER_NAME": "Person", "GIT_COMMITTER_EMAIL": "person@example.com"}


class World:
    def __init__(self, files, extra_config="", production_repo=None, flavour="github", drift=None, service=""):
        """`drift` sets both environments' `drift:` policy (report | repair | enforce); unset keeps the default.
        `service` is more of the `service:` mapping's flow entries (`cdevents: {sinks: [...]}`)."""
        self.dir = pathlib.Path(tempfile.mkdtemp(prefix="promote-e2e-"))
        self.home = self.dir / "home"
        self.home.mkdir()
        self.repos = self.dir / "repos"
        self.procs = []
        self.bare = self.make_repo("acme/gitops", files)
        self.prod_bare = self.make_repo("acme/gitops-prod", production_repo) if production_repo else None
        self.git_port = self._start([sys.executable, str(ROOT / "scripts/testing/git_test_server.py"), "http",
                                     "--root", str(self.repos), "--user", GIT_USER, "--password", GIT_PASSWORD,
                                     "--lifetime", "600"], r"PORT (\d+)")
        self.record = self.dir / "exchanges.jsonl"
        forge_line = self._start([str(binary("promote-forge-sim")), "--repos", str(self.repos), "--flavour", flavour,
                                  "--port", "0", "--token", FORGE_TOKEN, "--record", str(self.record)], r"(on port \d+, api \S+)")
        m = re.search(r"on port (\d+), api (\S+)", forge_line)
        self.forge_origin, self.api = f"http://127.0.0.1:{m.group(1)}", m.group(2)
        self.url = f"http://127.0.0.1:{self.git_port}/acme/gitops.git"
        self.config = self.dir / "promote.yaml"
        policy = f"    drift: {drift}\n" if drift else ""
        prod_repo = ""
        if self.prod_bare:
            prod_repo = f'    repository: {{url: "http://127.0.0.1:{self.git_port}/acme/gitops-prod.git", branch: main}}\n'
            prod_repo += '    forge: {project: acme/gitops-prod}\n'
        self.config.write_text(f"""repository:
  url: "{self.url}"
  branch: main
  credentials: {{usernameEnv: E2E_GIT_USER, passwordEnv: E2E_GIT_PASSWORD}}
forge: {{type: {flavour}, api: "{self.api}", project: acme/gitops, tokenEnv: E2E_FORGE_TOKEN}}
commit:
  author: {{name: promote-bot, email: promote-bot@example.com}}
environments:
  - name: staging
    path: environments/staging/{{model}}.yaml
    mode: push
{policy}  - name: production
    path: environments/production/{{model}}.yaml
    mode: pull-request
    labels: [promotion]
{policy}{prod_repo}{extra_config}service: {{state: "sqlite://{self.dir}/state/promote.db"{", " + service if service else ""}}}
""")
        self.env = {**git_env(self.home), "E2E_GIT_USER": GIT_USER, "E2E_GIT_PASSWORD": GIT_PASSWORD,
                    "E2E_FORGE_TOKEN": FORGE_TOKEN, "XDG_CACHE_HOME": str(self.dir / "cache"),
                    "PROMOTE_CONFIG": str(self.config), "PROMOTE_LOG_LEVEL": "info"}

    # -- setup ---------------------------------------------------------------------------------------------------

    def make_repo(self, project, files):
        bare = self.repos / f"{project}.git"
        bare.parent.mkdir(parents=True, exist_ok=True)
        env = git_env(self.home)
        subprocess.run(["git", "init", "-q", "--bare", "-b", "main", str(bare)], check=True, env=env)
        work = self.dir / ("seed-" + project.replace("/", "-"))
        subprocess.run(["git", "init", "-q", "-b", "main", str(work)], check=True, env=env)
        for path, text in files.items():
            f = work / path
            f.parent.mkdir(parents=True, exist_ok=True)
            f.write_text(text)
        subprocess.run(["git", "add", "-A"], cwd=work, check=True, env=env)
        subprocess.run(["git", "commit", "-qm", "seed"], cwd=work, check=True, env=env)
        subprocess.run(["git", "push", "-q", str(bare), "main"], cwd=work, check=True, env=env)
        return bare

    def _start(self, cmd, pattern):
        # stdin stays open until close(): the git test server exits when it closes.
        proc = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        self.procs.append(proc)
        for _ in range(50):
            line = proc.stdout.readline()
            m = re.search(pattern, line)
            if m:
                return m.group(1)
            if proc.poll() is not None:
                break
        raise RuntimeError(f"{cmd[0]} did not start")

    def close(self):
        for p in self.procs:
            if p.stdin:
                p.stdin.close()
            if p.poll() is None:
                p.terminate()
                try:
                    p.wait(10)
                except subprocess.TimeoutExpired:
                    p.kill()
                    p.wait(5)
        shutil.rmtree(self.dir, ignore_errors=True)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    # -- acting ----------------------------------------------------------------------------------------------------

    def promote(self, *args, check=True, timeout=120):
        r = subprocess.run([str(binary("promote")), *args], env=self.env, capture_output=True, text=True, timeout=timeout)
        for secret in SECRETS:
            assert secret not in r.stdout and secret not in r.stderr, f"a secret was printed by promote {args}"
        if check and r.returncode != 0:
            raise AssertionError(f"promote {' '.join(args)} exited {r.returncode}\nstdout: {r.stdout}\nstderr: {r.stderr}")
        return r

    def release(self, model, version, *args, check=True):
        return self.promote("release", model, version, "--uri", f"gs://models/{model}/{version}", *args, check=check)

    def git(self, *args, bare=None):
        return subprocess.run(["git", "--git-dir", str(bare or self.bare), *args], check=True, capture_output=True,
                              text=True, env=git_env(self.home)).stdout

    def tip(self, branch, bare=None):
        r = subprocess.run(["git", "--git-dir", str(bare or self.bare), "rev-parse", "--verify", "-q", branch],
                           capture_output=True, text=True, env=git_env(self.home))
        return r.stdout.strip() or None

    def show(self, branch, path, bare=None):
        return self.git("show", f"{branch}:{path}", bare=bare)

    def control(self, method, path, body=None):
        return sim_control(self.forge_origin, method, path, body)

    def pulls(self, project="acme/gitops"):
        return self.control("GET", f"/_sim/pulls?project={project}")

    def open_pulls(self, project="acme/gitops"):
        return [p for p in self.pulls(project) if p.get("state") == "open"]

    def fault(self, **fault):
        self.control("POST", "/_sim/faults", fault)

    def person(self, *args, bare=None):
        """The git CLI in a person's clone of the bare repository (made on first use, then kept up to date)."""
        work = self.dir / ("person-" + pathlib.Path(bare or self.bare).name)
        env = git_env(self.home)
        if not work.exists():
            subprocess.run(["git", "clone", "-q", str(bare or self.bare), str(work)], check=True, capture_output=True, env=env)
        return subprocess.run(["git", *args], cwd=work, check=True, capture_output=True, text=True, env=env).stdout

    def state(self, sql):
        """Rows of the state database (the tests only read it)."""
        import sqlite3
        db = sqlite3.connect(str(self.dir / "state" / "promote.db"), timeout=10)
        try:
            return db.execute(sql).fetchall()
        finally:
            db.close()

    def exchanges(self):
        if not self.record.exists():
            return []
        return [json.loads(line) for line in self.record.read_text().splitlines() if line.strip()]
