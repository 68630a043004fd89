"""Verification after deploy (DESIGN.md 1a, issue 15) end to end: the `promote` binary samples a stand-in Argo CD
(validated against Argo CD's API description) and a real Prometheus server (Debian's package, scraping an exporter
the test controls) through the DeploymentChecks adapter. A live version is verified only once every check held on
every sample for `for`; a failing Prometheus check keeps it put and is named in `status`; Argo CD `Progressing` or
at an older revision blocks; an unreachable source or a wrong token is not a pass; `kill -9` of `serve` mid-window
loses nothing and verifies nothing twice. Windows are seconds long (`every: 1s, for: 2s`)."""
import json
import re
import time

import pytest

from argocd_standin import ARGOCD_TOKEN, argocd_standin  # noqa: F401 (a pytest fixture)
from mlflow_server import free_port
from prometheus_server import prometheus_server  # noqa: F401 (a pytest fixture)
from release_world import World
from serve_world import EventSink, ServeWorld, cdevent_validator
from test_release_e2e import FILES

WRONG_TOKEN = "wrong-argocd-t0ken-abc"


def verified_chain(world, argocd_url, prometheus_url, token_env="E2E_ARGOCD_TOKEN", query='model_error_ratio{model="{model}"}'):
    """staging (push, verified by Argo CD and Prometheus) → production (pull-request)."""
    text = world.config.read_text()
    verify = (f'    verify:\n      for: 2s\n      every: 1s\n'
              f'      argocd: {{url: "{argocd_url}", application: "{{model}}-{{env}}", tokenEnv: {token_env}}}\n'
              f'      prometheus:\n        url: "{prometheus_url}"\n        queries:\n'
              f'          - {{name: error-rate, query: \'{query}\', expect: "< 0.01"}}\n')
    text = re.sub(r"(  - name: staging\n    path: [^\n]+\n    mode: push\n)", lambda m: m.group(1) + verify, text, count=1)
    world.config.write_text(text)
    world.env.update({"E2E_ARGOCD_TOKEN": ARGOCD_TOKEN, "E2E_ARGOCD_WRONG": WRONG_TOKEN})
    return world


def advance(w):
    return json.loads(w.promote("advance", "--json").stdout)["entries"]


def staging_stage(w):
    doc = json.loads(w.promote("status", "--json").stdout)
    [model] = [m for m in doc["models"] if m["model"] == "jukebox"]
    return next(c for c in model["environments"] if c["name"] == "staging").get("stage") or {}


def set_error_ratio(prom, value):
    prom.exporter.set("model_error_ratio", value, model="jukebox")
    prom.wait_for('model_error_ratio{model="jukebox"}', value)


def test_checks_gate_verification_and_name_what_fails(argocd_standin, prometheus_server):
    argo, prom = argocd_standin, prometheus_server
    set_error_ratio(prom, 0.2)
    with EventSink() as sink, verified_chain(World(FILES, service=f'cdevents: {{sinks: ["{sink.url}"]}}'), argo.url, prom.url) as w:
        seed = w.tip("main")
        out = w.release("jukebox", "1.1.0")
        assert "waiting" in out.stdout and "not verified in staging" in out.stdout
        pushed = w.tip("main")
        assert w.open_pulls() == [], "production waits for staging's checks"

        argo.set_app("jukebox-staging", sync="Synced", health="Progressing", revision=pushed)
        advance(w)
        assert "Progressing" in staging_stage(w)["failingCheck"]

        time.sleep(1.05)
        argo.set_app("jukebox-staging", sync="Synced", health="Healthy", revision=seed)
        advance(w)
        assert "does not contain the promoted commit" in staging_stage(w)["failingCheck"]

        time.sleep(1.05)
        argo.set_app("jukebox-staging", sync="Synced", health="Healthy", revision=pushed)
        advance(w)
        stage = staging_stage(w)
        assert stage["state"] == "live" and "prometheus error-rate" in stage["failingCheck"]
        text = w.promote("status").stdout
        assert "failing check: prometheus error-rate: error-rate" in text and "expected < 0.01" in text

        set_error_ratio(prom, 0.001)
        actions = []
        deadline = time.monotonic() + 20
        while "entered" not in actions and time.monotonic() < deadline:
            time.sleep(1.05)
            actions = [e["action"] for e in advance(w)]
        assert actions == ["verified", "entered"], actions
        assert staging_stage(w)["state"] == "verified"
        [pr] = w.open_pulls()
        assert "1.1.0" in pr["title"]
        audit = json.loads(w.promote("audit", "jukebox", "--json").stdout)["entries"]
        assert len([e for e in audit if e["action"] == "verified"]) == 1
        # The checks' results went out as CDEvents when they changed (each new failure, then every check's success
        # with the verification), valid by the CDEvents 0.5.1 schema; service.deployed only once verified.
        results = [e["body"]["data"] for e in sink.events if e["body"]["type"] == "dev.cdevents.testcaserun.finished.0.3.0"]
        validator = cdevent_validator("testcaserunfinished")
        assert [err.message for r in results for err in validator.iter_errors(r)] == []
        outcomes = [(r["subject"]["content"]["testCase"]["id"], r["subject"]["content"]["outcome"]) for r in results]
        assert ("argocd jukebox-staging", "failure") in outcomes and ("prometheus error-rate", "failure") in outcomes, outcomes
        assert outcomes[-2:] == [("argocd jukebox-staging", "success"), ("prometheus error-rate", "success")], outcomes
        failing = next(r for r in results if r["subject"]["content"]["outcome"] == "failure")
        assert failing["subject"]["content"]["environment"]["id"] == "staging" and failing["customData"]["version"] == "1.1.0"
        types = [e["body"]["type"] for e in sink.events]
        failures = [i for i, e in enumerate(sink.events) if e["body"]["data"]["subject"]["content"].get("outcome") == "failure"]
        assert types.count("dev.cdevents.service.deployed.0.3.0") == 1
        assert types.index("dev.cdevents.service.deployed.0.3.0") > max(failures), types


@pytest.mark.parametrize("problem", ["unreachable", "wrong-token", "promql-error"])
def test_a_check_that_cannot_run_is_not_a_pass(problem, argocd_standin, prometheus_server):
    argo, prom = argocd_standin, prometheus_server
    set_error_ratio(prom, 0.001)
    url = f"http://127.0.0.1:{free_port()}" if problem == "unreachable" else argo.url
    token_env = "E2E_ARGOCD_WRONG" if problem == "wrong-token" else "E2E_ARGOCD_TOKEN"
    query = 'rate(model_error_ratio{model="{model}"}' if problem == "promql-error" else 'model_error_ratio{model="{model}"}'
    with verified_chain(World(FILES), url, prom.url, token_env=token_env, query=query) as w:
        w.release("jukebox", "1.1.0")
        argo.set_app("jukebox-staging", revision=w.tip("main"))
        for _ in range(4):
            advance(w)
            time.sleep(1.05)
        stage = staging_stage(w)
        assert stage["state"] == "live" and "could not run" in stage["failingCheck"]
        expected = {"unreachable": "unreachable", "wrong-token": "token was refused", "promql-error": "parse error"}[problem]
        assert expected in stage["failingCheck"], stage
        assert WRONG_TOKEN not in json.dumps(stage)
        assert w.open_pulls() == []


def test_kill9_of_serve_mid_window_loses_nothing_and_verifies_nothing_twice(argocd_standin, prometheus_server):
    argo, prom = argocd_standin, prometheus_server
    set_error_ratio(prom, 0.001)
    w = verified_chain(ServeWorld(FILES), argo.url, prom.url)
    try:
        # A longer window, so that the kill lands inside it.
        w.config.write_text(w.config.read_text().replace("for: 2s", "for: 4s"))
        w.start()
        status, _, body = w.post_event({"model": "jukebox", "version": "3.0.0", "uri": "gs://models/jukebox/3.0.0"})
        assert status == 202
        w.wait_for(body["id"])
        argo.set_app("jukebox-staging", revision=w.tip("main"))

        def window():
            rows = w.state("SELECT state, window_since, window_sample FROM proposal WHERE environment = 'staging' AND version = '3.0.0'")
            return rows[0] if rows else None

        deadline = time.monotonic() + 20
        while time.monotonic() < deadline and not (window() and window()[1]):
            time.sleep(0.1)
        state, since, _ = window()
        assert state == "live" and since, "the window is under way"
        w.kill9()
        assert window()[0] == "live" and window()[1] == since, "what the window had is in the store"
        w.start()
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and window()[0] != "verified":
            time.sleep(0.2)
        assert window()[0] == "verified"
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline and not w.open_pulls():
            time.sleep(0.2)
        time.sleep(2.5)  # more passes: nothing twice
        assert len(w.open_pulls()) == 1
        verified = w.state("SELECT COUNT(*) FROM audit WHERE action = 'verified' AND environment = 'staging'")[0][0]
        assert verified == 1
    finally:
        w.close()
