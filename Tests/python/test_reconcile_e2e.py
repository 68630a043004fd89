"""`promote reconcile` end to end through every real layer: each kind of drift is made for real (a person's git CLI
pushing to the bare repository served over smart HTTP, pull requests closed or merged through the stand-in forge's
control API), then reconciled by the `promote` binary under each drift policy. Checked from outside, as an outside
check would: the findings of `promote reconcile --json`, the repository with the git CLI (fast-forward only,
provenance trailers, every foreign commit kept), the pull requests at the stand-in, the state database, `promote
status --json`, that `--dry-run` changes nothing, and that a second run after a repair finds nothing."""
import json
import subprocess
from dataclasses import dataclass, field
from typing import Callable

import pytest

import forge_validate as fv
from release_world import GIT_PASSWORD, ROOT, World, git_env

STAGING_PATH = "environments/staging/jukebox.yaml"
PRODUCTION_PATH = "environments/production/jukebox.yaml"
FILES = {
    STAGING_PATH: (ROOT / STAGING_PATH).read_text(),
    PRODUCTION_PATH: (ROOT / PRODUCTION_PATH).read_text(),
    "templates/seldon-deployment.yaml": (ROOT / "templates/seldon-deployment.yaml").read_text(),
    "README.md": "GitOps repository\n",
}
BOT = "promote/production/jukebox"
TEMPLATE = "models:\n  jukebox: {template: seldon-deployment.yaml}\n"
POLICIES = ("report", "repair", "enforce")


# -- making drift for real ---------------------------------------------------------------------------------------------

def person_commit(w, message, edit):
    """A person's commit on main (their clone, the git CLI, a normal push): `edit(path_of)` changes the work tree."""
    w.person("pull", "-q", "--ff-only", "origin", "main")
    work = w.dir / ("person-" + w.bare.name)
    edit(lambda p: work / p)
    w.person("add", "-A")
    w.person("commit", "-qm", message)
    w.person("push", "-q", "origin", "HEAD:main")
    return w.tip("main")


def revert_staging_push(w):
    w.release("jukebox", "1.4.3")
    bot_commit = w.git("log", "-1", "--format=%H", "--grep=Promote-Version: 1.4.3", "main", "--", STAGING_PATH).strip()
    w.person("pull", "-q", "--ff-only", "origin", "main")
    w.person("revert", "--no-edit", bot_commit)
    w.person("push", "-q", "origin", "HEAD:main")
    return w.tip("main")


def edit_by_hand(w):
    def edit(path):
        f = path(STAGING_PATH)
        f.write_text(f.read_text().replace("gs://models/jukebox/1.4.2", "gs://hotfix/jukebox/x"))
    return person_commit(w, "hotfix: serve the patched model", edit)


def delete_spec(w):
    return person_commit(w, "remove jukebox from staging", lambda path: path(STAGING_PATH).unlink())


def close_pull_request(w):
    w.control("POST", "/_sim/pulls/1/close?project=acme/gitops")


def push_to_bot_branch(w):
    w.person("fetch", "-q", "origin", BOT)
    w.person("checkout", "-q", "-B", "tamper", f"origin/{BOT}")
    work = w.dir / ("person-" + w.bare.name)
    f = work / PRODUCTION_PATH
    f.write_text(f.read_text().replace("gs://models/jukebox/1.4.2", "gs://models/jukebox/6.6.6"))
    w.person("commit", "-qam", "try 6.6.6 instead")
    w.person("push", "-q", "origin", f"HEAD:{BOT}")
    w.person("checkout", "-q", "main")


def change_spec_on_main(w):
    def edit(path):
        f = path(PRODUCTION_PATH)
        f.write_text("# reviewed by ops\n" + f.read_text().replace("replicas: 3", "replicas: 4"))
    return person_commit(w, "ops: four replicas in production", edit)


def merge_pull_request(w):
    w.control("POST", "/_sim/pulls/1/merge?project=acme/gitops")


# -- what a repair must leave ----------------------------------------------------------------------------------------

def bot_commits_since(w, old, branch="main"):
    return w.git("rev-list", f"{old}..{branch}").split()


def staging_runs(version):
    def check(w, drifted):
        assert f"modelUri: gs://models/jukebox/{version}" in w.show("main", STAGING_PATH)
        new = bot_commits_since(w, drifted)
        assert len(new) == 1, "one repair commit"
        message = w.git("log", "-1", "--format=%B", new[0])
        assert f"Promote-Model: jukebox\nPromote-Version: {version}\n" in message
        assert "Promote-Environment: staging" in message
        assert w.git("log", "-1", "--format=%an", new[0]).strip() == "promote-bot"
    return check


def spec_recreated(w, drifted):
    text = w.show("main", STAGING_PATH)
    assert "name: jukebox" in text and "modelUri: gs://models/jukebox/1.4.2" in text and "{{" not in text
    assert "Promote-Version: 1.4.2" in w.git("log", "-1", "--format=%B", "main")


def bot_branch_restored(w, drifted):
    assert "gs://models/jukebox/1.4.2" in w.show(BOT, PRODUCTION_PATH)
    mine = [p for p in w.open_pulls() if p["head"] == BOT]
    assert [p["number"] for p in mine] == [1]


def bot_branch_rebuilt(w, drifted):
    assert w.tip("main") == drifted, "reconcile pushes nothing to main for a pull-request environment"
    assert w.git("rev-parse", f"{BOT}^").strip() == drifted, "the bot's branch sits on the moved base"
    text = w.show(BOT, PRODUCTION_PATH)
    assert text.startswith("# reviewed by ops\n") and "replicas: 4" in text and "gs://models/jukebox/1.4.2" in text
    assert [p["number"] for p in w.open_pulls() if p["head"] == BOT] == [1]


def merge_recorded(w, drifted):
    assert w.tip(BOT) is None, "the merged bot branch is deleted"
    env = status_of(w, "production")
    assert env["version"] == "1.4.2" and "proposed" not in env


# -- the scenarios -----------------------------------------------------------------------------------------------------

@dataclass
class Drift:
    kind: str
    environment: str
    make: Callable  # world -> None (drift made; returns nothing or the drifted main tip)
    expected: str
    actual: str  # a substring of the finding's `actual`
    repaired_under: tuple
    repaired: Callable  # world, main tip after the drift -> None (asserts)
    config: str = ""
    name: str = ""
    untouched_refs: tuple = field(default=("main", BOT))


SCENARIOS = [
    Drift("behind", "staging", revert_staging_push, "1.4.3", "gs://models/jukebox/1.4.2", ("repair", "enforce"),
          staging_runs("1.4.3")),
    Drift("manual-edit", "staging", edit_by_hand, "1.4.2", "gs://hotfix/jukebox/x", ("enforce",), staging_runs("1.4.2")),
    Drift("spec-missing", "staging", delete_spec, "1.4.2", f"no spec at {STAGING_PATH}", ("repair", "enforce"),
          spec_recreated, config=TEMPLATE),
    Drift("spec-missing", "staging", delete_spec, "1.4.2", f"no spec at {STAGING_PATH}", (), None,
          name="spec-missing-without-template"),
    # A closed PR is a person's rejection: reported under every policy, never re-opened (issue 13, DESIGN.md 4).
    Drift("pr-closed", "production", close_pull_request, "1.4.2", "closed http", (), None),
    # A person's commit on the bot's branch is theirs: pr-edited, rebuilt only under enforce (issue 13).
    Drift("pr-edited", "production", push_to_bot_branch, "1.4.2", "gs://models/jukebox/6.6.6", ("enforce",),
          bot_branch_restored),
    Drift("pr-behind-base", "production", change_spec_on_main, "1.4.2", f"{PRODUCTION_PATH} changed on main",
          ("repair", "enforce"), bot_branch_rebuilt),
    # Recording a merge corrects the bot's own books only: done under every policy (docs/promotion.md).
    Drift("merge-unrecorded", "production", merge_pull_request, "1.4.2", "merged http", POLICIES, merge_recorded),
]


# -- looking from outside --------------------------------------------------------------------------------------------

def reconcile(w, *args):
    r = w.promote("reconcile", "--json", *args)
    assert r.returncode == 0
    out = json.loads(r.stdout)
    assert set(out) == {"findings"}
    for f in out["findings"]:
        assert {"model", "environment", "kind", "expected", "actual", "action"} <= set(f)
        assert f["action"] in ("none", "reported", "repaired")
    return out["findings"]


def status_of(w, environment, model="jukebox"):
    out = json.loads(w.promote("status", model, "--json").stdout)
    [entry] = [m for m in out["models"] if m["model"] == model]
    [env] = [e for e in entry["environments"] if e["name"] == environment]
    return env


def outside_state(w):
    """Everything a reconcile could change: every ref, every pull request, the ledger, the stored drift, the audit."""
    refs = w.git("for-each-ref", "--format=%(refname) %(objectname)")
    pulls = [(p["number"], p["state"], p["title"], p["body"], p.get("head")) for p in w.pulls()]
    return refs, pulls, w.state("SELECT * FROM ledger ORDER BY id"), w.state("SELECT * FROM drift ORDER BY id"), \
        w.state("SELECT COUNT(*) FROM audit")


def is_ancestor(w, old, new):
    return subprocess.run(["git", "--git-dir", str(w.bare), "merge-base", "--is-ancestor", old, new],
                          env=git_env(w.home)).returncode == 0


@pytest.mark.parametrize("policy", POLICIES)
@pytest.mark.parametrize("drift", SCENARIOS, ids=[s.name or s.kind for s in SCENARIOS])
def test_drift_is_found_reported_and_repaired_per_policy(drift, policy):
    with World(FILES, extra_config=drift.config, drift=policy) as w:
        w.release("jukebox", "1.4.2")
        assert reconcile(w) == [], "a fresh release is not drift"
        drift.make(w)
        drifted = w.tip("main")
        foreign = w.git("rev-list", "main").split()

        # A dry run reports with action `none` and changes nothing: refs, pull requests, ledger, drift, audit.
        before = outside_state(w)
        dry = reconcile(w, "--dry-run")
        assert [(f["model"], f["environment"], f["kind"], f["action"]) for f in dry] == \
            [("jukebox", drift.environment, drift.kind, "none")]
        assert outside_state(w) == before

        # The real run: the finding, acted on as the policy says.
        repairs = policy in drift.repaired_under
        [finding] = reconcile(w)
        assert (finding["model"], finding["environment"], finding["kind"]) == ("jukebox", drift.environment, drift.kind)
        assert finding["expected"] == drift.expected and drift.actual in finding["actual"], finding
        assert finding["action"] == ("repaired" if repairs else "reported"), finding

        # The shared branch only ever fast-forwards and keeps every foreign commit.
        assert is_ancestor(w, drifted, w.tip("main")), "main did not fast-forward"
        assert all(is_ancestor(w, sha, "main") for sha in foreign), "a foreign commit was lost"
        subprocess.run(["git", "--git-dir", str(w.bare), "fsck", "--strict", "--no-progress"], check=True,
                       capture_output=True, env=git_env(w.home))

        # `promote status` shows what this run found, per model and environment.
        shown = status_of(w, drift.environment)["drift"]
        assert [(d["kind"], d["action"]) for d in shown] == [(drift.kind, finding["action"])] and shown[0]["seenAt"]
        audited = w.state(f"SELECT action FROM audit WHERE actor = 'reconciler' AND action LIKE '%:{drift.kind}'")
        assert audited == [(f"{finding['action']}:{drift.kind}",)]

        if repairs:
            drift.repaired(w, drifted)
            assert reconcile(w) == [], "a second run after a repair finds nothing"
            assert status_of(w, drift.environment)["drift"] == []
        else:
            refs, pulls = before[0], before[1]
            after = outside_state(w)
            assert after[0] == refs and after[1] == pulls, "reported drift is left as it is"
            if drift.kind == "manual-edit":
                assert "gs://hotfix/jukebox/x" in w.show("main", STAGING_PATH), "a person's edit is not overwritten"
            again = reconcile(w)
            assert [(f["kind"], f["action"]) for f in again] == [(drift.kind, "reported")], "reported again until fixed"

        problems, _ = fv.check_file(w.record) if w.record.exists() else ([], 0)
        assert problems == [], "the bot's requests or the stand-in's answers broke the official description"


def test_status_json_before_any_reconcile_and_text_output():
    with World(FILES, drift="report") as w:
        w.release("jukebox", "1.4.2")
        out = json.loads(w.promote("status", "--json").stdout)
        assert out["reconciledAt"] is None
        assert all(e["drift"] == [] for m in out["models"] for e in m["environments"])
        assert "not checked yet" in w.promote("status").stdout
        edit_by_hand(w)
        text = w.promote("reconcile").stdout
        assert "jukebox  staging  manual-edit: expected 1.4.2, found gs://hotfix/jukebox/x -> reported" in text
        out = json.loads(w.promote("status", "--json").stdout)
        assert out["reconciledAt"]
        status = w.promote("status", "jukebox").stdout
        assert "drift: manual-edit: expected 1.4.2, found gs://hotfix/jukebox/x (reported)" in status


def test_spec_deleted_under_an_open_pull_request_is_reported_and_the_rest_reconciled():
    with World(FILES, drift="repair") as w:
        w.release("jukebox", "1.4.2")

        def edit(path):
            path(PRODUCTION_PATH).unlink()
            f = path(STAGING_PATH)
            f.write_text(f.read_text().replace("gs://models/jukebox/1.4.2", "gs://hotfix/jukebox/x"))
        drifted = person_commit(w, "remove jukebox from production; hotfix staging", edit)
        found = {(f["environment"], f["kind"], f["action"]): f for f in reconcile(w)}
        assert set(found) == {("staging", "manual-edit", "reported"), ("production", "spec-missing", "reported")}
        assert "edits a file deleted from main" in found[("production", "spec-missing", "reported")]["detail"]
        assert w.tip("main") == drifted and [p["number"] for p in w.open_pulls()] == [1], "nothing is changed"


def test_a_model_that_cannot_be_checked_is_an_error_and_the_others_are_still_reconciled():
    with World(FILES, drift="repair") as w:
        w.release("jukebox", "1.4.2")
        person_commit(w, "break the staging spec", lambda path: path(STAGING_PATH).write_text("spec: [unclosed\n"))
        close_pull_request(w)
        r = w.promote("reconcile", "--json", check=False)
        assert r.returncode == 1, r.stderr
        out = json.loads(r.stdout)
        assert [(f["environment"], f["kind"], f["action"]) for f in out["findings"]] == [("production", "pr-closed", "reported")]
        [error] = out["errors"]
        assert (error["model"], error["environment"]) == ("jukebox", "staging") and error["message"]
        assert "error: could not reconcile jukebox in staging:" in r.stderr
        assert w.open_pulls() == [], "a closed (rejected) pull request is never re-opened"
        audited = w.state("SELECT model, environment FROM audit WHERE actor = 'reconciler' AND action = 'failed'")
        assert audited == [("jukebox", "staging")]
        text = w.promote("reconcile", check=False)
        assert text.returncode == 1, text.stderr
        assert "could not reconcile jukebox in staging" in text.stderr


def test_spec_drift_under_a_newer_proposal_keeps_the_proposal():
    with World(FILES, drift="enforce") as w:
        w.release("jukebox", "1.4.2")
        merge_pull_request(w)
        assert [f["kind"] for f in reconcile(w)] == ["merge-unrecorded"]
        w.release("jukebox", "1.4.3")
        [pr] = [p for p in w.open_pulls() if p["head"] == BOT]

        def edit(path):
            f = path(PRODUCTION_PATH)
            f.write_text(f.read_text().replace("gs://models/jukebox/1.4.2", "gs://hotfix/jukebox/x"))
        drifted = person_commit(w, "hotfix production", edit)
        found = {(f["environment"], f["kind"], f["action"]): f for f in reconcile(w)}
        assert set(found) == {("production", "manual-edit", "reported"), ("production", "pr-behind-base", "repaired")}
        assert "proposes 1.4.3" in found[("production", "manual-edit", "reported")]["detail"]
        assert w.tip("main") == drifted, "main is left to the pull request"
        assert [p["number"] for p in w.open_pulls() if p["head"] == BOT] == [pr["number"]]
        assert "gs://models/jukebox/1.4.3" in w.show(BOT, PRODUCTION_PATH)
        assert w.git("rev-parse", f"{BOT}^").strip() == drifted
        assert status_of(w, "production")["proposed"]["version"] == "1.4.3"
        assert [(f["kind"], f["action"]) for f in reconcile(w)] == [("manual-edit", "reported")]


def test_each_finding_goes_out_as_a_cdevent_and_a_recorded_merge_as_service_deployed():
    from serve_world import EventSink, cdevent_validator
    with EventSink() as sink, World(FILES, drift="report", service=f'cdevents: {{sinks: ["{sink.url}"]}}') as w:
        w.release("jukebox", "1.4.2")
        edit_by_hand(w)
        merge_pull_request(w)
        assert w.promote("reconcile", "--dry-run").returncode == 0
        assert sink.events == [], "a dry run sends nothing"
        found = reconcile(w)
        assert sorted(f["kind"] for f in found) == ["manual-edit", "merge-unrecorded"]
        # A CDEvent per finding, then the recorded merge as service.deployed: all delivered before the command exits.
        bodies = [e["body"] for e in sink.events]
        assert all(e["content-type"].startswith("application/cloudevents+json") for e in sink.events)
        drift = [b for b in bodies if b["type"] == "dev.cdevents.incident.detected.0.2.0"]
        assert sorted(d["data"]["customData"]["kind"] for d in drift) == ["manual-edit", "merge-unrecorded"]
        for d in drift:
            context, subject = d["data"]["context"], d["data"]["subject"]
            assert context["specversion"] == "0.5.1" and context["type"] == d["type"] and context["id"] == d["id"]
            assert subject["id"] == f"{d['data']['customData']['environment']}/jukebox"
            assert GIT_PASSWORD not in json.dumps(d), "no credentials in events"
        [deployed] = [b for b in bodies if b["type"].startswith("dev.cdevents.service.deployed.")]
        errors = list(cdevent_validator("servicedeployed").iter_errors(deployed["data"]))
        assert errors == [], [e.message for e in errors]
