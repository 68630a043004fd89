"""The sources of `verify` checks through the real `promote` binary (issue 15): `promote doctor --json` asks the stand-in
Argo CD (validated against Argo CD's API description) and a real Prometheus server (Debian's package, scraping an
exporter the test controls) through the DeploymentChecks adapter, one environment per case; `promote config validate`
refuses bad `verify:` sections with file:line. No token is ever printed."""
import json
import pathlib
import shutil
import subprocess
import tempfile

import pytest

from argocd_standin import ARGOCD_TOKEN, argocd_standin  # noqa: F401 (a pytest fixture)
from mlflow_server import free_port  # a loopback port nothing listens on
from prometheus_server import prometheus_server  # noqa: F401 (a pytest fixture)
from release_world import binary, git_env

SHA = "3f1e2d4c5b6a79881726354453627180a9b8c7d6"
WRONG_TOKEN = "wrong-argocd-t0ken-abc"
PROM_TOKEN = "prom-t0ken-not-needed-xyz"
SECRETS = (ARGOCD_TOKEN, WRONG_TOKEN, PROM_TOKEN)


class Workspace:
    """A bare repository (file://), a promote.yaml and the `promote` binary's environment, in a temporary folder."""

    def __init__(self):
        self.dir = pathlib.Path(tempfile.mkdtemp(prefix="promote-verify-"))
        self.home = self.dir / "home"
        self.home.mkdir()
        env = git_env(self.home)
        self.bare = self.dir / "gitops.git"
        work = self.dir / "seed"
        subprocess.run(["git", "init", "-q", "--bare", "-b", "main", str(self.bare)], check=True, env=env)
        subprocess.run(["git", "init", "-q", "-b", "main", str(work)], check=True, env=env)
        (work / "environments").mkdir()
        (work / "environments/README").write_text("specs\n")
        subprocess.run(["git", "add", "-A"], cwd=work, check=True, env=env)
        subprocess.run(["git", "commit", "-qm", "seed"], cwd=work, check=True, env=env)
        subprocess.run(["git", "push", "-q", str(self.bare), "main"], cwd=work, check=True, env=env)
        self.config = self.dir / "promote.yaml"
        self.env = {**env, "XDG_CACHE_HOME": str(self.dir / "cache"), "ARGOCD_TOKEN": ARGOCD_TOKEN,
                    "ARGOCD_WRONG": WRONG_TOKEN,
                    "PROMOTE_LOG_LEVEL": "debug"}  # the adapter logs each check at debug: no token there either

    def write(self, environments, models="models: {jukebox: {}}\n"):
        self.config.write_text(f"""repository: {{url: "file://{self.bare}", branch: main}}
environments:
{environments}{models}service: {{state: "sqlite://{self.dir}/state/promote.db"}}
""")

    def promote(self, *args, timeout=120):
        r = subprocess.run([str(binary("promote")), *args, "--config", str(self.config)], env=self.env,
                           capture_output=True, text=True, timeout=timeout)
        for secret in SECRETS:
            assert secret not in r.stdout and secret not in r.stderr, f"a token was printed by promote {args}"
        return r

    def doctor(self):
        r = self.promote("doctor", "--json")
        lines = r.stdout.splitlines()
        assert len(lines) == 1, r.stdout + r.stderr
        doc = json.loads(lines[0])
        assert (r.returncode == 0) == doc["ok"], (r.returncode, doc)
        return {c["name"]: c for c in doc["checks"]}, doc

    def close(self):
        shutil.rmtree(self.dir, ignore_errors=True)


@pytest.fixture
def workspace():
    w = Workspace()
    yield w
    w.close()


def environment(name, verify):
    return f"  - name: {name}\n    path: environments/{name}/{{model}}.yaml\n    mode: push\n    verify:\n" + "".join(
        f"      {line}\n" for line in verify.strip().splitlines())


def argocd(url, token_env="ARGOCD_TOKEN"):
    return f'for: 1m\nevery: 10s\nargocd: {{url: "{url}", application: "{{model}}-{{env}}", tokenEnv: {token_env}}}'


def test_doctor_asks_argocd_for_each_environment(workspace, argocd_standin):
    argo = argocd_standin
    argo.set_app("jukebox-staging", sync="Synced", health="Healthy", revision=SHA,
                 operation_phase="Succeeded", operation_message="successfully synced (all tasks run)")
    argo.set_app("jukebox-canary", sync="OutOfSync", health="Progressing", base="outofsync-progressing",
                 health_message="Waiting for rollout to finish", operation_phase="Running")
    argo.set_app("jukebox-qa", revision=SHA)
    down = f"http://127.0.0.1:{free_port()}"
    workspace.write(
        environment("staging", argocd(argo.url)) + environment("canary", argocd(argo.url))
        + environment("production", argocd(argo.url))  # no application jukebox-production: 404
        + environment("qa", argocd(argo.url, token_env="ARGOCD_WRONG"))
        + environment("dr", argocd(down)))
    checks, doc = workspace.doctor()
    assert doc["ok"] is False

    staging = checks["staging: argocd"]
    assert staging["ok"] and f"application jukebox-staging: Synced at {SHA}, Healthy" in staging["detail"]
    canary = checks["canary: argocd"]
    assert canary["ok"], "the doctor asks whether Argo CD answers; Progressing is the engine's to judge"
    assert "jukebox-canary: OutOfSync at no revision, Progressing" in canary["detail"]
    production = checks["production: argocd"]
    assert not production["ok"] and production["detail"].startswith("notFound: ")
    assert "Argo CD has no application 'jukebox-production'" in production["detail"]
    assert 'applications.argoproj.io \\"jukebox-production\\" not found' in production["detail"] or \
        'applications.argoproj.io "jukebox-production" not found' in production["detail"]
    qa = checks["qa: argocd"]
    assert not qa["ok"] and qa["detail"].startswith("unauthorized: ") and "invalid session" in qa["detail"]
    dr = checks["dr: argocd"]
    assert not dr["ok"] and dr["detail"].startswith("unreachable: ") and down in dr["detail"]
    assert checks["qa: $ARGOCD_WRONG"]["ok"] and checks["staging: $ARGOCD_TOKEN"]["ok"]

    # What the stand-in saw: the token on every request, the wrong one refused; every answer was validated against
    # Argo CD's API description (the fixture fails the test otherwise).
    seen = {(r["path"], r["status"]) for r in argo.requests}
    assert ("/api/v1/applications/jukebox-staging", 200) in seen
    assert ("/api/v1/applications/jukebox-production", 404) in seen
    assert ("/api/v1/applications/jukebox-qa", 401) in seen
    assert all(r["tokenOK"] for r in argo.requests if r["path"] != "/api/v1/applications/jukebox-qa")


def test_doctor_passes_when_argocd_answers_with_the_token(workspace, argocd_standin):
    argocd_standin.set_app("jukebox-staging", revision=SHA)
    workspace.write(environment("staging", argocd(argocd_standin.url)))
    r = workspace.promote("doctor")
    assert r.returncode == 0, r.stdout + r.stderr
    assert f"ok    staging: argocd: {argocd_standin.url} application jukebox-staging: Synced at {SHA}, Healthy" in r.stdout
    # Without a declared model there is no application to look up: Argo CD's 404 for a probe name shows that it
    # answers and takes the token.
    workspace.write(environment("staging", argocd(argocd_standin.url)), models="")
    checks, doc = workspace.doctor()
    assert doc["ok"], doc
    assert "answers and takes the token" in checks["staging: argocd"]["detail"]
    assert argocd_standin.requests[-1]["path"] == "/api/v1/applications/promote-doctor-probe-staging"


def test_doctor_runs_every_prometheus_query(workspace, prometheus_server):
    prom = prometheus_server
    prom.exporter.set("model_error_ratio", 0.002, model="jukebox")
    prom.wait_for('model_error_ratio{model="jukebox"}', 0.002)
    down = f"http://127.0.0.1:{free_port()}"
    queries = f"""for: 1m
prometheus:
  url: {prom.url}
  queries:
    - {{name: error-rate, query: 'model_error_ratio{{model="{{model}}"}}', expect: "< 0.01"}}
    - {{name: absent, query: 'model_error_ratio{{model="nobody-{{env}}"}}', expect: "< 0.01"}}
    - {{name: broken, query: 'sum(rate(model_requests_total{{model="{{model}}"}}[5m]) /', expect: "< 0.01"}}
"""
    workspace.write(environment("staging", queries) + environment("dr", f"""for: 1m
prometheus: {{url: "{down}", queries: [{{name: up, query: up, expect: "== 1"}}]}}
"""))
    checks, doc = workspace.doctor()
    assert doc["ok"] is False
    with_result = checks["staging: prometheus error-rate"]
    assert with_result["ok"] and "runs the query (1 series now; expect < 0.01)" in with_result["detail"]
    empty = checks["staging: prometheus absent"]
    assert empty["ok"] and "(0 series now" in empty["detail"], "an empty result runs; the engine fails it"
    broken = checks["staging: prometheus broken"]
    assert not broken["ok"] and broken["detail"].startswith("invalid: ")
    assert "Prometheus refused the query (bad_data)" in broken["detail"] and "parse error" in broken["detail"]
    dr = checks["dr: prometheus up"]
    assert not dr["ok"] and dr["detail"].startswith("unreachable: ")


BAD = [
    ("for: 10m", "environments[0].verify: needs a source"),
    ('for: 10m\nargocd: {url: "https://argocd.example", application: "{model}"}',
     "environments[0].verify.argocd.tokenEnv: is required"),
    ('for: 10m\nargocd: {url: "ftp://argocd.example", application: x, tokenEnv: T}',
     "environments[0].verify.argocd.url: 'ftp://argocd.example' must be an http:// or https:// URL"),
    ('for: 10m\nargocd: {url: "http://argocd.example", application: x, tokenEnv: T}',
     "environments[0].verify.argocd.url: is plain http:// to another host"),
    ('for: 1m\nevery: 2m\nprometheus: {url: "http://p:9090", queries: [{name: a, query: up, expect: "== 1"}]}',
     "environments[0].verify.every: '2m' is longer than for (1m)"),
    ('for: 1m\nprometheus: {url: "http://p:9090", queries: [{name: a, query: up, expect: "about 1"}]}',
     "environments[0].verify.prometheus.queries[0].expect: 'about 1' must start with"),
    ('for: 1m\nprometheus: {url: "http://p:9090", querys: []}',
     "environments[0].verify.prometheus.querys: unknown key (did you mean 'queries'?)"),
]


@pytest.mark.parametrize("verify,problem", BAD)
def test_config_validate_refuses_bad_verify(workspace, verify, problem):
    workspace.write(environment("staging", verify))
    r = workspace.promote("config", "validate")
    assert r.returncode != 0
    # Every problem is given as file:line: key: message; the environment's verify starts at line 6.
    lines = [line for line in (r.stdout + r.stderr).splitlines() if problem in line]
    assert lines, r.stdout + r.stderr
    assert any(f"{workspace.config}:" in line and line.split(f"{workspace.config}:")[1].split(":")[0].isdigit()
               for line in lines), lines


def test_config_validate_shows_the_verify_sources(workspace):
    workspace.write(environment("staging", """for: 10m
every: 1m
argocd: {url: "https://argocd.example/", application: "{model}-{env}", tokenEnv: ARGOCD_TOKEN}
prometheus: {url: "http://prometheus:9090", queries: [{name: error-rate, query: 'x{model="{model}"}', expect: "< 0.01"}]}
"""))
    r = workspace.promote("config", "validate")
    assert r.returncode == 0, r.stdout + r.stderr
    assert ("verify in staging: for 600s every 60s: argocd {model}-{env} at https://argocd.example; "
            "prometheus http://prometheus:9090: error-rate < 0.01") in r.stdout


# -- the fixtures themselves ------------------------------------------------------------------------------------------

def test_standin_answers_are_checked_against_argocds_description():
    """The validation the stand-in runs on its answers rejects what Argo CD would never send, and its own states
    are Argo CD's."""
    from argocd_standin import ArgoCDStandIn, example, validate
    path = "/api/v1/applications/x"
    for name in ("synced-healthy", "outofsync-progressing", "outofsync-degraded"):
        assert validate("GET", path, "", {}, 200, example(name)) == [], name
    bad = json.loads(json.dumps(example("synced-healthy")))
    bad["metadata"]["generation"] = "263"
    assert "metadata/generation" in validate("GET", path, "", {}, 200, bad)[0]
    bad = {"status": {"health": {"status": 3}}}
    assert "status/health/status" in validate("GET", path, "", {}, 200, bad)[0]
    assert validate("GET", path, "", {}, 404, {"error": "x", "code": "five"}) != []
    with pytest.raises(ValueError):
        ArgoCDStandIn().set_app("x", health="Healthyy")


def test_prometheus_fixture_scrapes_what_the_test_sets(prometheus_server):
    prom = prometheus_server
    prom.exporter.inc("model_requests_total", 5, model="jukebox", code="200")
    prom.exporter.set("model_latency_p99_ms", float("nan"), model="jukebox")
    prom.wait_for('model_requests_total{model="jukebox"}', 5)
    prom.wait_for('model_latency_p99_ms{model="jukebox"}', float("nan"))
    up = prom.query('up{job="exporter"}')
    assert [r["value"][1] for r in up] == ["1"]
    assert prom.proc.poll() is None
