"""Runs the `promote-forge-sim` executable (the stand-in forge) for Python tests: a bare repository with the bot's
branch, the process on a free loopback port, its control API, and a clean stop of the process it started."""
import json
import os
import pathlib
import re
import shutil
import subprocess
import tempfile
import time
import urllib.request

ROOT = pathlib.Path(__file__).resolve().parents[2]
TOKEN = "py-s3cret-token"
PROJECT = "acme/gitops"
BOT_BRANCH = "promote/production/jukebox"


def binary():
    for kind in ("debug", "release"):
        p = ROOT / ".build" / kind / "promote-forge-sim"
        if p.exists():
            return p
    raise RuntimeError("promote-forge-sim is not built: run `swift build --build-tests` (scripts/test.sh does)")


def _git(*args, cwd=None):
    env = {**os.environ, "GIT_CONFIG_NOSYSTEM": "1", "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.invalid",
           "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.invalid"}
    return subprocess.run(["git", *args], cwd=cwd, env=env, check=True, capture_output=True, text=True).stdout.strip()


def sim_control(origin, method, path, body=None):
    """Calls the stand-in's control API (`/_sim/...`) at `origin`; returns the decoded JSON answer, if any."""
    req = urllib.request.Request(origin + path, method=method, data=None if body is None else json.dumps(body).encode(),
                                 headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(req, timeout=30) as r:
        data = r.read()
        return json.loads(data) if data else None


class StandIn:
    def __init__(self, flavour):
        self.flavour = flavour
        self.dir = pathlib.Path(tempfile.mkdtemp(prefix=f"promote-sim-{flavour}-"))
        self.bare = self.dir / "repos" / f"{PROJECT}.git"
        self.bare.parent.mkdir(parents=True)
        _git("init", "-q", "--bare", "-b", "main", str(self.bare))
        work = self.dir / "work"
        _git("init", "-q", "-b", "main", str(work))
        (work / "README.md").write_text("replicas: 1\n")
        _git("add", ".", cwd=work)
        _git("commit", "-q", "-m", "initial", cwd=work)
        _git("checkout", "-q", "-b", BOT_BRANCH, cwd=work)
        (work / "model.yaml").write_text("version: 1.4.2\n")
        _git("add", ".", cwd=work)
        _git("commit", "-q", "-m", "promote jukebox 1.4.2", cwd=work)
        _git("push", "-q", str(self.bare), "main", BOT_BRANCH, cwd=work)
        self.record = self.dir / "exchanges.jsonl"
        self.proc = subprocess.Popen(
            [str(binary()), "--repos", str(self.dir / "repos"), "--flavour", flavour, "--port", "0",
             "--token", TOKEN, "--record", str(self.record)],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        line = self.proc.stdout.readline()
        m = re.search(r"on port (\d+), api (\S+)", line)
        if not m:
            self.stop()
            raise RuntimeError(f"stand-in did not start: {line!r} {self.proc.stderr.read()[:500]}")
        self.port, self.api = int(m.group(1)), m.group(2)
        self.origin = f"http://127.0.0.1:{self.port}"

    def control(self, method, path, body=None):
        return sim_control(self.origin, method, path, body)

    def seed(self, count):
        return self.control("POST", "/_sim/seed", {"project": PROJECT, "count": count, "base": "main", "prefix": "other/"})

    def git(self, *args):
        return _git("--git-dir", str(self.bare), *args)

    def stop(self):
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        for stream in (self.proc.stdout, self.proc.stderr):
            if stream:
                stream.close()
        time.sleep(0)

    def cleanup(self):
        shutil.rmtree(self.dir, ignore_errors=True)
