"""The promotion lifecycle (DESIGN.md 1a, issue 13) end to end through the real parts: the `promote` binary, smart
HTTP with basic auth, the stand-in forge with faults injected at the exact step. Each test replays one of the
measured defects and checks the repository (git CLI), the pull requests (the stand-in's control API) and the
state database from outside; a second run after a fault or a kill leaves nothing duplicated."""
import json
import os
import signal
import subprocess
import time

import pytest

import forge_validate as fv
from release_world import World, binary
from test_release_e2e import FILES, PRODUCTION_PATH, STAGING_PATH, BOT
from test_reconcile_e2e import push_to_bot_branch


@pytest.fixture
def world():
    w = World(FILES, drift="repair")
    try:
        yield w
        problems, _ = fv.check_file(w.record) if w.record.exists() else ([], 0)
        assert problems == [], "the bot's requests or the stand-in's answers broke the official description"
    finally:
        w.close()


def reconcile(w, *args):
    return json.loads(w.promote("reconcile", "--json", *args).stdout)["findings"]


def bot_commits(w, branch="main"):
    return [c for c in w.git("log", "--format=%H %an", branch).splitlines() if c.endswith("promote-bot")]


def mine(w):
    return [p for p in w.pulls() if p["head"] == BOT]


def ledger(w, environment):
    return w.state(f"SELECT version, status FROM ledger WHERE environment = '{environment}' ORDER BY id")


def test_defect1_to_staging_then_to_production_opens_the_production_pull_request(world):
    world.release("jukebox", "1.1.0", "--to", "staging")
    assert world.open_pulls() == []
    out = world.release("jukebox", "1.1.0", "--to", "production")
    assert "already known" not in out.stdout + out.stderr
    [pr] = world.open_pulls()
    assert pr["head"] == BOT and "1.1.0" in pr["title"]
    assert len(bot_commits(world)) == 1, "staging is not pushed again"


def test_defect2_pr_update_that_fails_after_the_branch_moved_is_fixed_first_and_a_merge_records_the_merged_version(world):
    world.release("jukebox", "6.1.0")
    # The forge answers the PR update with 503 until the client gives up: the branch has moved, the PR has not.
    world.fault(kind="status", status=503, method="PATCH", pathContains="/pulls/1", count=50)
    r = world.release("jukebox", "6.2.0", check=False)
    assert r.returncode == 1
    assert "gs://models/jukebox/6.2.0" in world.show(BOT, PRODUCTION_PATH)
    assert "6.1.0" in mine(world)[0]["title"], "the fault left the mismatch"
    # A person merges it as it is: the version recorded live is what the merged commit holds, not the stale metadata.
    world.control("POST", "/_sim/pulls/1/merge?project=acme/gitops")
    world.control("DELETE", "/_sim/faults")
    [finding] = reconcile(world)
    assert finding["kind"] == "merge-unrecorded"
    assert ledger(world, "production")[-1] == ("6.2.0", "live")
    assert reconcile(world) == [], "no manual-edit: the ledger agrees with main"


def test_defect2_a_rerun_fixes_the_pull_request_before_anything_else(world):
    world.release("jukebox", "6.1.0")
    world.fault(kind="status", status=503, method="PATCH", pathContains="/pulls/1", count=50)
    world.release("jukebox", "6.2.0", check=False)
    world.control("DELETE", "/_sim/faults")
    tip = world.tip(BOT)
    world.release("jukebox", "6.2.0", "--idempotency-key", "again")
    [pr] = mine(world)
    assert "6.2.0" in pr["title"] and '"version":"6.2.0"' in pr["body"]
    assert world.tip(BOT) == tip, "the branch already proposed 6.2.0: it is not rebuilt"


def test_defect3_a_closed_pull_request_is_rejected_and_never_reopened(world):
    world.release("jukebox", "1.4.2")
    world.control("POST", "/_sim/pulls/1/close?project=acme/gitops")
    for _ in range(2):
        [finding] = reconcile(world)
        assert (finding["kind"], finding["action"]) == ("pr-closed", "reported")
        assert world.open_pulls() == [], "a rejected proposal is never re-opened"
    r = world.release("jukebox", "1.4.2", "--idempotency-key", "same-version-again", check=False)
    assert r.returncode == 1 and "rejected" in r.stderr
    assert world.open_pulls() == []
    assert world.state("SELECT state FROM proposal WHERE version = '1.4.2' AND environment = 'production'") == [("rejected",)]
    # A newer version opens a new pull request.
    world.release("jukebox", "1.4.3")
    [pr] = world.open_pulls()
    assert pr["number"] != 1 and "1.4.3" in pr["title"]


def test_defect4_a_reviewers_commit_on_the_bot_branch_is_reported_commented_once_and_kept(world):
    world.release("jukebox", "1.4.2")
    push_to_bot_branch(world)
    theirs = world.tip(BOT)
    [dry] = reconcile(world, "--dry-run")
    assert dry["kind"] == "pr-edited", dry
    for _ in range(2):
        [finding] = reconcile(world)
        assert (finding["kind"], finding["action"]) == ("pr-edited", "reported")
    r = world.release("jukebox", "1.4.3", check=False)
    assert r.returncode == 1 and "left alone" in r.stderr
    assert world.tip(BOT) == theirs, "the reviewer's commit is not discarded"
    [pr] = mine(world)
    assert len([c for c in pr["comments"] if "did not write" in c["body"]]) == 1, "commented on once"


def test_defect4_once_the_edited_pull_request_is_closed_a_newer_version_takes_the_branch_back(world):
    world.release("jukebox", "1.4.2")
    push_to_bot_branch(world)
    world.control("POST", "/_sim/pulls/1/close?project=acme/gitops")
    world.release("jukebox", "1.4.3")
    [pr] = world.open_pulls()
    assert pr["number"] != 1 and "1.4.3" in pr["title"]
    assert "gs://models/jukebox/1.4.3" in world.show(BOT, PRODUCTION_PATH)


def test_defect4_enforce_rebuilds_over_the_reviewers_commit_and_says_so():
    w = World(FILES, drift="enforce")
    try:
        w.release("jukebox", "1.4.2")
        push_to_bot_branch(w)
        theirs = w.tip(BOT)
        [finding] = reconcile(w)
        assert (finding["kind"], finding["action"]) == ("pr-edited", "repaired")
        assert "enforce" in finding.get("detail", "")
        assert w.tip(BOT) != theirs and "gs://models/jukebox/1.4.2" in w.show(BOT, PRODUCTION_PATH)
        assert reconcile(w) == []
    finally:
        w.close()


def test_defect5_ledger_rebuild_readopts_open_pull_requests_and_reconcile_closes_nothing(world):
    world.release("jukebox", "1.4.2")
    world.release("jukebox", "1.4.3")
    os.remove(world.dir / "state" / "promote.db")
    out = world.promote("ledger", "rebuild").stdout
    assert "proposed in" in out
    # The history comes back from the trailers too (oldest first), not only the live version.
    assert ledger(world, "staging") == [("1.4.2", "live"), ("1.4.3", "live")]
    assert ledger(world, "production") == [("1.4.3", "proposed")]
    assert reconcile(world) == []
    assert [p["number"] for p in world.open_pulls()] == [1]


def test_defect6_gates_block_a_push_environment_per_model_override_and_none():
    gates = '    gates: {accuracy: ">= 0.95"}\n'
    w = World(FILES, extra_config="")
    try:
        text = w.config.read_text().replace("    mode: push\n", "    mode: push\n" + gates, 1)
        w.config.write_text(text)
        main = w.tip("main")
        r = w.release("jukebox", "1.5.0", "--metric", "accuracy=0.5", check=False)
        assert r.returncode == 1 and "blocked by gate" in r.stderr and "staging" in r.stderr
        assert w.tip("main") == main, "a failing gate blocks the push"
        # A per-model `none` switches that gate off for the model.
        w.config.write_text(text + "models:\n  jukebox: {gates: {accuracy: none}}\n")
        said = w.promote("config", "validate").stdout
        assert "gates in staging: accuracy >= 0.95" in said and "gates for jukebox in staging: none" in said, said
        w.release("jukebox", "1.5.0", "--metric", "accuracy=0.5", "--idempotency-key", "k2")
        assert "1.5.0" in w.show("main", STAGING_PATH)
    finally:
        w.close()


def test_defect7_a_repair_that_puts_a_newer_version_back_is_titled_restore(world):
    world.release("jukebox", "1.4.2")
    world.release("jukebox", "1.4.3")
    bot_commit = world.git("log", "-1", "--format=%H", "--grep=Promote-Version: 1.4.3", "main", "--", STAGING_PATH).strip()
    world.person("pull", "-q", "--ff-only", "origin", "main")
    world.person("revert", "--no-edit", bot_commit)
    world.person("push", "-q", "origin", "HEAD:main")
    [finding] = reconcile(world)
    assert (finding["kind"], finding["action"]) == ("behind", "repaired")
    assert world.git("log", "-1", "--format=%s", "main").startswith("Restore jukebox 1.4.3 to staging")


# -- faults at every action boundary, and kill -9 between actions --------------------------------------------------

FAULTS = {
    "pr-create": dict(method="POST", pathContains="/pulls"),
    "labels": dict(method="POST", pathContains="/labels"),
    "reviewers": dict(method="POST", pathContains="/requested_reviewers"),
}


def agree(w):
    """Repository, pull requests and ledger agree, nothing duplicated."""
    assert len(bot_commits(w)) == 1, "staging pushed once"
    [pr] = mine(w)
    assert pr["state"] == "open" and "1.4.2" in pr["title"] and pr["labels"] == ["promotion"]
    assert "gs://models/jukebox/1.4.2" in w.show(BOT, PRODUCTION_PATH)
    assert len(w.git("rev-list", f"main..{BOT}").split()) == 1
    assert ledger(w, "staging") == [("1.4.2", "live")]
    assert ledger(w, "production") == [("1.4.2", "proposed")]
    assert reconcile(w) == []


@pytest.mark.parametrize("step", sorted(FAULTS))
def test_a_fault_at_each_forge_step_then_a_second_run_agrees(step):
    w = World(FILES, drift="repair", extra_config="    reviewers: [ml-leads]\n")
    try:
        w.fault(kind="status", status=503, count=50, **FAULTS[step])
        r = w.release("jukebox", "1.4.2", check=False)
        assert r.returncode == 1
        w.control("DELETE", "/_sim/faults")
        w.release("jukebox", "1.4.2")
        agree(w)
    finally:
        w.close()


@pytest.mark.parametrize("step", sorted(FAULTS))
def test_kill_9_between_actions_then_a_second_run_agrees(step):
    w = World(FILES, drift="repair", extra_config="    reviewers: [ml-leads]\n")
    try:
        # The forge holds the request at this step; the CLI is killed while it waits (the previous action is done).
        w.fault(kind="delay", delayMilliseconds=20000, count=1, **FAULTS[step])
        proc = subprocess.Popen([str(binary("promote")), "release", "jukebox", "1.4.2", "--uri", "gs://models/jukebox/1.4.2"],
                                env=w.env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        # Wait until the action before the held one is visible from outside, then a little for the held request.
        before = (lambda: w.tip(BOT) is not None) if step == "pr-create" else (lambda: mine(w) != [])
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and not before():
            time.sleep(0.1)
        time.sleep(1.0)
        proc.send_signal(signal.SIGKILL)
        proc.wait(10)
        w.control("DELETE", "/_sim/faults")
        w.release("jukebox", "1.4.2")
        agree(w)
    finally:
        w.close()


# -- faults at the git push and at a store write ---------------------------------------------------------------------

def hook(w, name, script):
    path = w.bare / "hooks" / name
    path.write_text("#!/bin/sh\n" + script)
    path.chmod(0o755)


def test_a_push_the_server_refuses_once_then_a_second_run_agrees():
    w = World(FILES, drift="repair", extra_config="    reviewers: [ml-leads]\n")
    try:
        hook(w, "pre-receive", 'cat >/dev/null\nif [ ! -e "$GIT_DIR/refused-once" ]; then touch "$GIT_DIR/refused-once"; '
                               'echo "held by the test" >&2; exit 1; fi\n')
        r = w.release("jukebox", "1.4.2", check=False)
        assert r.returncode == 1 and "held by the test" in r.stderr
        assert bot_commits(w) == [] and mine(w) == [], "nothing after the refused push ran"
        w.release("jukebox", "1.4.2")
        agree(w)
    finally:
        w.close()


def test_a_push_whose_answer_is_lost_landed_once_and_a_second_run_agrees():
    """The server updates main, then stalls past the client's idle timeout before answering (a reference-transaction
    hook sleeps in its `committed` phase): the push landed but its answer never came."""
    w = World(FILES, drift="repair", extra_config="    reviewers: [ml-leads]\n")
    try:
        w.config.write_text(w.config.read_text().replace("  branch: main\n", "  branch: main\n  timeouts: {idle: 2}\n", 1))
        hook(w, "reference-transaction", 'cat >/dev/null\nif [ "$1" = committed ] && [ ! -e "$GIT_DIR/slow-once" ]; then '
                                         'touch "$GIT_DIR/slow-once"; sleep 6; fi\n')
        first = w.release("jukebox", "1.4.2", check=False)
        assert first.returncode == 1 and "timed out" in first.stderr, first.stderr
        assert bot_commits(w) != [], "the push landed although its answer was lost"
        w.release("jukebox", "1.4.2")
        agree(w)
    finally:
        w.close()


def test_a_store_write_that_fails_between_actions_then_a_second_run_agrees():
    """The state database is locked by another writer while the pull request is being opened: the write that records
    the proposal fails (after the store's busy timeout); the next run finds the open PR and records it, once."""
    import sqlite3
    w = World(FILES, drift="repair", extra_config="    reviewers: [ml-leads]\n")
    try:
        w.fault(kind="delay", delayMilliseconds=3000, count=1, **FAULTS["pr-create"])
        proc = subprocess.Popen([str(binary("promote")), "release", "jukebox", "1.4.2", "--uri", "gs://models/jukebox/1.4.2"],
                                env=w.env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and w.tip(BOT) is None:
            time.sleep(0.05)
        assert w.tip(BOT) is not None, "the bot branch was pushed"
        blocker = sqlite3.connect(str(w.dir / "state" / "promote.db"), timeout=10, isolation_level=None)
        try:
            blocker.execute("BEGIN EXCLUSIVE")
            _, err = proc.communicate(timeout=60)
            assert proc.returncode == 1, "the release failed at the store write"
            assert "database" in err.lower() or "state" in err.lower(), err
        finally:
            blocker.execute("ROLLBACK")
            blocker.close()
        w.release("jukebox", "1.4.2")
        agree(w)
    finally:
        if proc.poll() is None:
            proc.kill()
        w.close()
