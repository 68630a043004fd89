"""`promote release` end to end through every real layer: libgit2 over smart HTTP with basic auth, libyaml edits,
libcurl against the stand-in forge (whose exchanges are checked against the official GitHub description), SQLite
state. Results are verified with the git CLI and the stand-in's control API, as an outside check would."""
import pathlib
import subprocess
import threading

import pytest

import forge_validate as fv
from release_world import ROOT, World, git_env

STAGING = (ROOT / "environments/staging/jukebox.yaml").read_text()
PRODUCTION = (ROOT / "environments/production/jukebox.yaml").read_text()
TEMPLATE = (ROOT / "templates/seldon-deployment.yaml").read_text()
FILES = {
    "environments/staging/jukebox.yaml": STAGING,
    "environments/production/jukebox.yaml": PRODUCTION,
    "templates/seldon-deployment.yaml": TEMPLATE,
    "README.md": "GitOps repository\n",
}
STAGING_PATH = "environments/staging/jukebox.yaml"
PRODUCTION_PATH = "environments/production/jukebox.yaml"
BOT = "promote/production/jukebox"


@pytest.fixture
def world():
    w = World(FILES)
    try:
        yield w
        problems, _ = fv.check_file(w.record) if w.record.exists() else ([], 0)
        assert problems == [], "the bot's requests or the stand-in's answers broke the official description"
    finally:
        w.close()


def changed_lines(w, old, new, path):
    diff = w.git("diff", "--unified=0", old, new, "--", path)
    return [l for l in diff.splitlines() if l[:1] in "+-" and not l.startswith(("+++", "---"))]


def test_first_release_pushes_staging_and_opens_one_pull_request(world):
    before = world.tip("main")
    out = world.release("jukebox", "1.4.2", "--metric", "accuracy=0.93", "--run-url", "https://ci.example/run/1").stdout
    assert "staging" in out and "opened pull request #1" in out and "state: awaiting-review" in out
    # Staging: one fast-forward commit changing exactly the modelUri line, comment kept.
    assert world.git("rev-list", "--count", f"{before}..main").strip() == "1"
    assert world.git("merge-base", "--is-ancestor", before, "main") == ""
    lines = changed_lines(world, before, "main", STAGING_PATH)
    assert len(lines) == 2 and "gs://models/jukebox/1.4.2" in lines[1] and "# promoted by CI" in lines[1]
    assert world.git("diff", "--stat", before, "main").count("|") == 1
    message = world.git("log", "-1", "--format=%B", "main")
    assert "Promote-Model: jukebox\nPromote-Version: 1.4.2\n" in message and "Promote-Environment: staging" in message
    assert world.git("log", "-1", "--format=%an <%ae>", "main").strip() == "promote-bot <promote-bot@example.com>"
    # Production: main untouched, the change on the bot's branch, one PR with a body a reviewer can decide from.
    assert world.show("main", PRODUCTION_PATH) == PRODUCTION
    assert "gs://models/jukebox/1.4.2" in world.show(BOT, PRODUCTION_PATH)
    prs = world.open_pulls()
    assert len(prs) == 1 and prs[0]["head"] == BOT and prs[0]["base"] == "main"
    body = prs[0]["body"]
    for part in ("| **Proposed** | **1.4.2** |", "### Metrics", "| accuracy |", "https://ci.example/run/1", "```diff",
                 "promote rollback jukebox --env production", "<!-- promote:metadata"):
        assert part in body
    assert prs[0]["labels"] == ["promotion"]
    subprocess.run(["git", "--git-dir", str(world.bare), "fsck", "--strict", "--no-progress"], check=True,
                   capture_output=True, env=git_env(world.home))


def test_repeating_a_release_moves_nothing(world):
    world.release("jukebox", "1.4.2")
    tips = (world.tip("main"), world.tip(BOT))
    requests = len(world.exchanges())
    out = world.release("jukebox", "1.4.2").stdout
    assert "unchanged" in out and "pull request up to date" in out
    assert (world.tip("main"), world.tip(BOT)) == tips
    assert len(world.open_pulls()) == 1
    writes = [x for x in world.exchanges()[requests:] if x["method"] != "GET"]
    assert writes == [], f"a repeated release wrote to the forge: {[(x['method'], x['path']) for x in writes]}"


def test_newer_version_updates_the_one_open_pull_request(world):
    world.release("jukebox", "1.4.2")
    out = world.release("jukebox", "1.4.3").stdout
    assert "updated pull request #1" in out
    prs = world.open_pulls()
    assert len(prs) == 1 and "1.4.3" in prs[0]["title"]
    assert "### Supersedes\n- 1.4.2" in prs[0]["body"]
    assert "1.4.3" in world.show("main", STAGING_PATH) and "1.4.3" in world.show(BOT, PRODUCTION_PATH)
    status = world.promote("status", "--json").stdout
    assert '"proposed"' in status and '"version":"1.4.3"' in status.replace(" ", "")


def test_older_version_is_refused_and_rollback_restores_it(world):
    world.release("jukebox", "1.4.2")
    world.release("jukebox", "1.4.3")
    tip = world.tip("main")
    refused = world.release("jukebox", "1.4.2", "--idempotency-key", "late", check=False)
    assert refused.returncode == 1 and "older than 1.4.3" in refused.stderr and "promote rollback" in refused.stderr
    assert world.tip("main") == tip
    out = world.promote("rollback", "jukebox", "--env", "staging").stdout
    assert "pushed" in out
    assert "gs://models/jukebox/1.4.2" in world.show("main", STAGING_PATH)
    assert world.git("log", "-1", "--format=%s", "main").startswith("Roll back jukebox 1.4.2 to staging")


def test_unknown_model_and_bad_names_are_refused_with_nothing_written(world):
    tip = world.tip("main")
    r = world.release("jukebx", "1.0.0", check=False)
    assert r.returncode == 1 and "unknown model 'jukebx'" in r.stderr
    for model, version in (("../etc", "1.0"), ("a/b", "1.0"), ("juke\nbox", "1.0"), ("jukebox", "1.4.2\n"), ("jukebox", "1\x1b")):
        r = world.promote("release", model, version, "--uri", "gs://models/x/1", check=False)
        assert r.returncode == 1 and r.stderr.startswith("error: "), (model, version, r.stderr)
    r = world.promote("release", "jukebox", "1.0", "--uri", "file:///etc/passwd", check=False)
    assert r.returncode == 1 and "scheme 'file' is not allowed" in r.stderr
    assert world.tip("main") == tip and world.tip(BOT) is None and world.pulls() == []


def test_forge_502_and_429_are_retried_staging_pushed_once_pr_opened_once(world):
    world.fault(kind="status", status=502, method="POST", pathContains="/pulls", count=1)
    world.fault(kind="tooManyRequests", retryAfter=1, method="GET", pathContains="/pulls", count=1)
    before = world.tip("main")
    world.release("jukebox", "1.4.2")
    assert world.git("rev-list", "--count", f"{before}..main").strip() == "1"
    assert len(world.pulls()) == 1
    statuses = [x["status"] for x in world.exchanges()]
    assert 502 in statuses and 429 in statuses


def test_forge_that_keeps_failing_leaves_staging_pushed_and_a_rerun_finishes(world):
    world.fault(kind="status", status=503, method="POST", pathContains="/pulls", count=20)
    r = world.release("jukebox", "1.4.2", check=False)
    assert r.returncode == 1 and "503" in r.stderr
    pushed = world.tip("main")
    assert "1.4.2" in world.show("main", STAGING_PATH)
    world.control("DELETE", "/_sim/faults")
    world.release("jukebox", "1.4.2")
    assert world.tip("main") == pushed, "staging is not pushed twice"
    assert len(world.open_pulls()) == 1


def test_bad_forge_token_fails_clearly_without_printing_it(world):
    world.fault(kind="unauthorized", count=5)
    r = world.release("jukebox", "1.4.2", check=False)
    assert r.returncode == 1
    assert "401" in r.stderr and "E2E_FORGE_TOKEN" in r.stderr


def test_failing_gate_blocks_the_pull_request_unless_forced(world):
    gated = World(FILES, extra_config='    gates: {accuracy: ">= production - 0.01"}\n')
    try:
        gated.release("jukebox", "1.0.0", "--metric", "accuracy=0.95")
        gated.control("POST", "/_sim/pulls/1/merge?project=acme/gitops")
        findings = gated.promote("reconcile", "--json").stdout
        assert '"kind":"merge-unrecorded"' in findings.replace(" ", "")
        r = gated.release("jukebox", "1.1.0", "--metric", "accuracy=0.90", check=False)
        assert r.returncode == 1 and "blocked by gate" in r.stderr and "accuracy 0.9 not >= 0.94" in r.stderr
        assert gated.open_pulls() == []
        gated.release("jukebox", "1.1.0", "--metric", "accuracy=0.90", "--force", "--idempotency-key", "forced")
        body = gated.open_pulls()[0]["body"]
        assert "| accuracy | 0.95 | 0.9 | -0.05 | ❌" in body and "--force" in body
    finally:
        gated.close()


def test_onboarding_from_a_template_and_a_helm_values_layout():
    files = dict(FILES)
    values = '# chart values\nversion: "1.0"   # model version\nimage_namespace: x-models\nreplicas: 2\n'
    files["model-deployments/staging/music/config.yaml"] = values
    files["model-deployments/production/music/config.yaml"] = values
    w = World(files, extra_config="""models:
  newbie: {template: seldon-deployment.yaml}
  music:
    path: model-deployments/{env}/{model}/config.yaml
    set: {version: "{version}", image_namespace: "{env}-models"}
""")
    try:
        w.release("newbie", "0.1.0")
        created = w.show("main", "environments/staging/newbie.yaml")
        assert "name: newbie\n" in created and "modelUri: gs://models/newbie/0.1.0\n" in created and "{{" not in created
        assert "new deployment from `templates/seldon-deployment.yaml`" in w.open_pulls()[0]["body"]
        w.promote("release", "music", "1.10", "--uri", "oci://registry.example/music:1.10")
        assert w.show("main", "model-deployments/staging/music/config.yaml") == \
            '# chart values\nversion: "1.10"   # model version\nimage_namespace: staging-models\nreplicas: 2\n'
        music = [p for p in w.open_pulls() if p["head"] == "promote/production/music"]
        assert len(music) == 1 and "1.0 → 1.10" in music[0]["title"]
    finally:
        w.close()


def test_staging_and_production_in_two_repositories():
    prod_files = {PRODUCTION_PATH: PRODUCTION}
    w = World({STAGING_PATH: STAGING}, production_repo=prod_files)
    try:
        w.release("jukebox", "1.4.2")
        assert "1.4.2" in w.show("main", STAGING_PATH)
        assert w.show("main", PRODUCTION_PATH, bare=w.prod_bare) == PRODUCTION
        assert "1.4.2" in w.show(BOT, PRODUCTION_PATH, bare=w.prod_bare)
        assert w.tip(BOT) is None, "the bot branch lives in the production repository only"
        assert len(w.open_pulls("acme/gitops-prod")) == 1 and w.pulls("acme/gitops") == []
    finally:
        w.close()


def test_push_race_on_staging_keeps_every_foreign_commit(world):
    """Another writer pushes to main repeatedly while the bot releases: every release lands, no foreign commit is
    lost, and main only ever fast-forwards."""
    work = world.dir / "racer"
    env = git_env(world.home)
    url = f"http://{'bot'}:{'git-pa55word-xyz'}@127.0.0.1:{world.git_port}/acme/gitops.git"
    subprocess.run(["git", "clone", "-q", url, str(work)], check=True, env=env)
    stop = threading.Event()
    foreign = []

    def racer():
        i = 0
        while not stop.is_set() and i < 40:
            i += 1
            (work / "racer.txt").write_text(f"{i}\n")
            subprocess.run(["git", "add", "-A"], cwd=work, env=env, check=True)
            subprocess.run(["git", "commit", "-qm", f"racer {i}"], cwd=work, env=env, check=True)
            while subprocess.run(["git", "push", "-q", "origin", "HEAD:main"], cwd=work, env=env, capture_output=True).returncode != 0:
                subprocess.run(["git", "pull", "-q", "--rebase", "origin", "main"], cwd=work, env=env, capture_output=True)
            foreign.append(subprocess.run(["git", "rev-parse", "HEAD"], cwd=work, env=env, capture_output=True, text=True).stdout.strip())

    thread = threading.Thread(target=racer)
    tips = [world.tip("main")]
    thread.start()
    try:
        for n in range(5):
            world.release("jukebox", f"2.0.{n}")
            tips.append(world.tip("main"))
    finally:
        stop.set()
        thread.join(120)
    assert "gs://models/jukebox/2.0.4" in world.show("main", STAGING_PATH)
    for sha in foreign:
        assert subprocess.run(["git", "--git-dir", str(world.bare), "merge-base", "--is-ancestor", sha, "main"],
                              env=env).returncode == 0, "a foreign commit was lost"
    for old, new in zip(tips, tips[1:]):
        assert subprocess.run(["git", "--git-dir", str(world.bare), "merge-base", "--is-ancestor", old, new],
                              env=env).returncode == 0, "main did not fast-forward"
    versions = [l for l in world.git("log", "--format=%B", "main").splitlines() if l.startswith("Promote-Version: 2.0.")]
    assert sorted(versions) == [f"Promote-Version: 2.0.{n}" for n in range(5)]


def test_dry_run_prints_the_plan_and_touches_nothing(world):
    tip = world.tip("main")
    out = world.release("jukebox", "1.4.2", "--dry-run").stdout
    assert "Dry run" in out and "+      modelUri: gs://models/jukebox/1.4.2" in out and "pull request:" in out
    assert world.tip("main") == tip and world.pulls() == []
    assert world.promote("history", "jukebox").stdout.strip() == "no promotions of jukebox are recorded"


@pytest.mark.parametrize("flavour", ["gitlab", "gitea"])
def test_release_against_other_forges_with_150_open_requests_and_a_429_first(flavour):
    w = World(FILES, flavour=flavour)
    try:
        w.control("POST", "/_sim/seed", {"project": "acme/gitops", "count": 150, "base": "main", "prefix": "other/change-"})
        w.fault(kind="tooManyRequests", retryAfter=1, count=1)
        out = w.release("jukebox", "1.4.2").stdout
        assert "opened" in out
        w.release("jukebox", "1.4.3")
        mine = [p for p in w.open_pulls() if p["head"] == BOT]
        assert len(mine) == 1 and "1.4.3" in mine[0]["title"]
        assert len(w.open_pulls()) == 151
        assert 429 in [x["status"] for x in w.exchanges()]
        problems, n = fv.check_file(w.record)
        assert n > 0 and problems == []
    finally:
        w.close()


def test_doctor_checks_credentials_repository_and_forge(world):
    out = world.promote("doctor").stdout
    assert "FAIL" not in out and "staging: repository" in out and "production: forge: github acme/gitops answers" in out
    env = dict(world.env)
    del env["E2E_FORGE_TOKEN"]
    import subprocess as sp
    from release_world import binary
    r = sp.run([str(binary("promote")), "doctor"], env=env, capture_output=True, text=True, timeout=120)
    assert r.returncode == 1 and "FAIL  production: $E2E_FORGE_TOKEN: not set" in r.stdout
