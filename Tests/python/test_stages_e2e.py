"""Stages (DESIGN.md 1a, issue 15) end to end through the real parts: the `promote` binary, smart HTTP with basic
auth, the stand-in forge. The chain `dev (push) → staging (push) → canary (pull-request) → production
(pull-request)` progresses by itself as pull requests merge (`promote advance`, and `promote serve` with a merge
webhook and with polling); a version never verified in `from` is refused, and `--skip-stages --reason` passes and
leaves its three traces (audit log, PR body, `Promote-Skipped-Stages` trailer)."""
import json
import re
import time

import pytest

import forge_validate as fv
from release_world import World
from serve_world import ServeWorld, github_webhook
from test_release_e2e import PRODUCTION, STAGING

ENVIRONMENTS = ("dev", "staging", "canary", "production")
FILES = {f"environments/{env}/jukebox.yaml": (STAGING if env in ("dev", "staging") else PRODUCTION) for env in ENVIRONMENTS}
CHAIN = """environments:
  - {name: dev, path: "environments/dev/{model}.yaml", mode: push}
  - {name: staging, path: "environments/staging/{model}.yaml", mode: push}
  - {name: canary, path: "environments/canary/{model}.yaml", mode: pull-request, labels: [promotion]}
  - {name: production, path: "environments/production/{model}.yaml", mode: pull-request, labels: [promotion]}
"""


def chained(world):
    """Replaces the two-environment block of the world's promote.yaml by the four-stage chain."""
    text = world.config.read_text()
    text = re.sub(r"environments:\n(?:  .*\n|    .*\n)+", CHAIN, text, count=1)
    world.config.write_text(text)
    return world


def check_exchanges(world):
    problems, _ = fv.check_file(world.record) if world.record.exists() else ([], 0)
    assert problems == [], "the bot's requests or the stand-in's answers broke the official description"


@pytest.fixture
def world():
    w = chained(World(FILES))
    try:
        yield w
        check_exchanges(w)
    finally:
        w.close()


def advance(w, *args):
    return json.loads(w.promote("advance", "--json", *args).stdout)["entries"]


def stages(w):
    doc = json.loads(w.promote("status", "--json").stdout)
    [model] = [m for m in doc["models"] if m["model"] == "jukebox"]
    return {cell["name"]: cell.get("stage") or {} for cell in model["environments"]}


def merge(w, number):
    w.control("POST", f"/_sim/pulls/{number}/merge?project=acme/gitops")


def test_the_chain_progresses_by_itself_as_pull_requests_merge(world):
    world.release("jukebox", "1.1.0")
    assert "1.1.0" in world.show("main", "environments/dev/jukebox.yaml")
    assert "1.1.0" in world.show("main", "environments/staging/jukebox.yaml")
    [canary] = world.open_pulls()
    assert canary["head"] == "promote/canary/jukebox"
    assert advance(world) == [], "nothing moves while the canary PR is open"
    assert stages(world)["canary"]["state"] == "pr-open"

    merge(world, canary["number"])
    entries = advance(world)
    assert [(e["environment"], e["action"]) for e in entries] == [("canary", "merged"), ("production", "entered")]
    [production] = world.open_pulls()
    assert production["head"] == "promote/production/jukebox" and "1.1.0" in production["title"]
    assert "canary" in production["body"], "the PR body says where the version already runs"
    s = stages(world)
    assert s["canary"]["state"] == "verified" and s["production"]["state"] == "pr-open"
    assert advance(world) == [], "a second pass changes nothing"

    merge(world, production["number"])
    assert [(e["environment"], e["action"]) for e in advance(world)] == [("production", "merged")]
    assert "1.1.0" in world.show("main", "environments/production/jukebox.yaml")
    assert stages(world)["production"]["state"] == "verified"
    assert world.open_pulls() == []


def test_dry_run_advance_writes_nothing(world):
    world.release("jukebox", "1.1.0", "--to", "dev")
    entries = advance(world, "--dry-run")
    assert [(e["environment"], e["action"]) for e in entries] == [("staging", "would-enter")]
    assert "1.1.0" not in world.show("main", "environments/staging/jukebox.yaml")
    assert [(e["environment"], e["action"]) for e in advance(world, "jukebox")][:2] == [("staging", "entered"), ("canary", "entered")]


def test_an_unverified_version_is_refused_and_skip_stages_leaves_its_three_traces(world):
    r = world.release("jukebox", "9.9.9", "--to", "production", check=False)
    assert r.returncode == 1
    assert "9.9.9 is not verified in canary, which production comes from" in r.stderr
    assert world.open_pulls() == []
    r = world.release("jukebox", "9.9.9", "--to", "production", "--skip-stages", check=False)
    assert r.returncode == 64 and "--reason" in r.stderr
    r = world.release("jukebox", "9.9.9", "--to", "production", "--json", check=False)
    error = json.loads(r.stdout)["error"]
    assert r.returncode == 1 and error["kind"] == "not-verified" and "not verified in canary" in error["message"]

    world.release("jukebox", "9.9.9", "--to", "production", "--skip-stages", "--reason", "hotfix INC-42")
    [pr] = world.open_pulls()
    assert pr["head"] == "promote/production/jukebox"
    assert "Stages skipped" in pr["body"] and "hotfix INC-42" in pr["body"]
    message = world.git("log", "-1", "--format=%B", "promote/production/jukebox")
    assert "Promote-Skipped-Stages: hotfix INC-42" in message
    audit = json.loads(world.promote("audit", "jukebox", "--json").stdout)["entries"]
    [skip] = [e for e in audit if e["action"] == "skip-stages"]
    assert skip["environment"] == "production" and "hotfix INC-42" in skip["detail"]
    assert "not verified in canary" in skip["detail"]


def test_config_validate_refuses_an_unknown_from_and_a_cycle(tmp_path):
    def validate(environments):
        path = tmp_path / "promote.yaml"
        path.write_text('repository: {url: "file:///tmp/r.git"}\nenvironments:\n' + environments)
        with World({"README": "x"}) as w:
            return w.promote("config", "validate", str(path), check=False)

    r = validate("  - {name: staging}\n  - {name: production, from: stagin}\n")
    assert r.returncode == 1 and re.search(r"promote\.yaml:4: environments\.production\.from: 'stagin' is not an environment", r.stderr)
    r = validate("  - {name: a, from: b}\n  - {name: b}\n")
    assert r.returncode == 1 and "the stages form a cycle: a <- b <- a" in r.stderr


def serve_chain(**kwargs):
    w = ServeWorld(FILES, **kwargs)
    return chained(w)


def wait_until(predicate, w, timeout=60, what="condition"):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.2)
    raise AssertionError(f"{what} did not happen\n{w.log()[-3000:]}")


def open_pull(w, environment):
    return next((p for p in w.open_pulls() if p["head"] == f"promote/{environment}/jukebox"), None)


@pytest.mark.parametrize("hearing", ["webhook", "poll"])
def test_serve_carries_the_chain_on_after_each_merge(hearing):
    extra = "  poll: {every: 1s}\n" if hearing == "poll" else ""
    w = serve_chain(forge_webhook=hearing == "webhook", service_extra=extra)
    try:
        w.start()
        status, _, body = w.post_event({"model": "jukebox", "version": "2.0.0", "uri": "gs://models/jukebox/2.0.0"})
        assert status == 202
        w.wait_for(body["id"])
        canary = wait_until(lambda: open_pull(w, "canary"), w, what="the canary PR")
        merge(w, canary["number"])
        if hearing == "webhook":
            assert github_webhook(w, canary["number"])[0] == 200
        production = wait_until(lambda: open_pull(w, "production"), w, what="the production PR after the canary merge")
        assert "2.0.0" in production["title"]
        merge(w, production["number"])
        if hearing == "webhook":
            assert github_webhook(w, production["number"])[0] == 200
        wait_until(lambda: "2.0.0" in w.show("main", "environments/production/jukebox.yaml"), w, what="production merged")
        doc = wait_until(lambda: (lambda d: d if any(
            c["name"] == "production" and (c.get("stage") or {}).get("state") == "verified"
            for m in d["models"] for c in m["environments"]) else None)(w.json("GET", "/v1/status")[2]), w, what="production verified")
        assert doc
        check_exchanges(w)
    finally:
        w.close()


def test_required_checks_set_a_promote_status_and_auto_merge_waits_for_green():
    w = World(FILES)
    try:
        chained(w)
        w.config.write_text(w.config.read_text().replace(
            "mode: pull-request, labels: [promotion]}\n  - {name: production",
            "mode: pull-request, labels: [promotion], autoMerge: true, checks: {required: true}}\n  - {name: production"))
        w.release("jukebox", "1.2.0")
        [canary] = w.open_pulls()
        head = w.tip("promote/canary/jukebox")
        statuses = w.control("GET", f"/_sim/statuses?project=acme/gitops&ref={head}")
        [own] = [s for s in statuses if s.get("context") == "promote"]
        assert own["state"] == "success" and "verified in staging" in own["description"]
        # Another CI's required status on the head, still pending: autoMerge waits.
        w.control("POST", "/_sim/statuses", {"project": "acme/gitops", "ref": head, "context": "ci/smoke", "state": "pending"})
        assert not any(e["action"] == "merged" for e in advance(w))
        assert [p["number"] for p in w.open_pulls()] == [canary["number"]], "a pending check holds the merge"
        w.control("POST", "/_sim/statuses", {"project": "acme/gitops", "ref": head, "context": "ci/smoke", "state": "success"})
        entries = advance(w)
        assert ("canary", "merged") in [(e["environment"], e["action"]) for e in entries]
        assert "1.2.0" in w.show("main", "environments/canary/jukebox.yaml")
        assert ("production", "entered") in [(e["environment"], e["action"]) for e in entries], "merged, verified, carried on"
        check_exchanges(w)
    finally:
        w.close()
