"""ci/: the GitHub composite action and the GitLab template against check-jsonschema's built-in schemas, the one
shell step they and the Jenkins library share, and that step run for real: the action's `run:` posting a signed
event to a real `promote serve`, the GitLab job's `script:` running a real `promote release`, and the Jenkins step
(vars/promote.groovy, executed by Groovy with the pipeline steps it calls) doing both; all on loopback against the
release_world git server and stand-in forge. Bad input is refused with exit 64 before anything is sent."""
import json
import os
import re
import shutil
import subprocess

import pytest
import yaml

from release_world import ROOT, World, binary
from serve_world import SECRET_NEW
from test_serve_e2e import fresh, promotions_in_db  # noqa: F401 (fresh is a fixture)
from test_release_e2e import BOT, FILES, STAGING_PATH

CI = ROOT / "ci"
ACTION = CI / "github/action.yml"
GITLAB = CI / "gitlab/promote.gitlab-ci.yml"
JENKINS = CI / "jenkins"
STEP = JENKINS / "resources/promote/step.sh"


def action():
    return yaml.safe_load(ACTION.read_text())


def gitlab():
    return yaml.safe_load(GITLAB.read_text())


@pytest.mark.parametrize("schema,path", [("vendor.github-actions", ACTION), ("vendor.gitlab-ci", GITLAB)])
def test_templates_pass_their_builtin_schemas(schema, path):
    r = subprocess.run(["check-jsonschema", "--builtin-schema", schema, str(path)], capture_output=True, text=True)
    assert r.returncode == 0, r.stdout + r.stderr


def test_the_three_templates_run_the_same_step():
    (run_step,) = [s for s in action()["runs"]["steps"] if "run" in s]
    assert run_step["run"] == STEP.read_text()
    assert gitlab()[".promote-base"]["script"] == [STEP.read_text()]
    assert "libraryResource('promote/step.sh')" in (JENKINS / "vars/promote.groovy").read_text()
    # Inputs reach the script through the environment only: no expression is spliced into the shell text.
    assert "${{" not in run_step["run"]
    r = subprocess.run(["sh", "-n", str(STEP)], capture_output=True, text=True)
    assert r.returncode == 0, r.stderr


def github_env(inputs, github, runner_temp):
    """The `env:` of the action's step as the runner evaluates it, for `inputs` over the inputs' defaults."""
    spec = action()
    values = {name: str(i.get("default", "")) for name, i in spec["inputs"].items()}
    values.update(inputs)
    (run_step,) = [s for s in spec["runs"]["steps"] if "run" in s]

    def evaluate(text):
        def one(m):
            scope, name = m.group(1).split(".", 1)
            return values[name] if scope == "inputs" else github[name]
        return re.sub(r"\$\{\{\s*([\w.-]+)\s*\}\}", one, text)

    env = {k: evaluate(str(v)) for k, v in run_step["env"].items()}
    output = runner_temp / "github_output"
    output.write_text("")
    env.update({"PATH": os.environ["PATH"], "GITHUB_OUTPUT": str(output), "HOME": str(runner_temp)})
    return run_step["run"], env, output


GITHUB = {"sha": "3f2c9a1d0b7e", "server_url": "https://github.example", "repository": "acme/jukebox",
          "run_id": "4242", "run_attempt": "1", "workflow": "train"}


@pytest.fixture
def served(fresh):
    return fresh.start()


def test_the_github_action_posts_a_signed_event_that_promote_serve_carries_out(served, tmp_path):
    script, env, output = github_env(
        {"mode": "event", "model": "jukebox", "version": "1.4.2", "uri": "gs://models/jukebox/1.4.2",
         "metrics": "accuracy=0.93\nlatency_p99_ms=180", "serve-url": f"http://127.0.0.1:{served.port}",
         "webhook-secret": SECRET_NEW}, GITHUB, tmp_path)
    r = subprocess.run(["sh", "-e", "-c", script], env=env, capture_output=True, text=True, timeout=60)
    assert r.returncode == 0, r.stdout + r.stderr
    answer = json.loads(r.stdout.strip().splitlines()[-1])
    assert answer["status"] == "queued"
    assert output.read_text() == f"promotion-id={answer['id']}\n"
    promotion = served.wait_for(answer["id"])
    assert promotion["state"] == "awaiting-review", promotion
    assert "gs://models/jukebox/1.4.2" in served.show("main", STAGING_PATH)
    # The provenance from the GitHub context reached the commit's trailers.
    message = served.git("log", "-1", "--format=%B", "main")
    assert "https://github.example/acme/jukebox/actions/runs/4242" in message, message
    assert SECRET_NEW not in r.stdout + r.stderr


@pytest.mark.parametrize("inputs,complaint", [
    ({"metrics": "accuracy=high"}, "metric accuracy: 'high' is not a number"),
    ({"version": '1.4.2"}, "x": {"'}, "PROMOTE_VERSION is empty or has characters"),
    ({"webhook-secret": "not-a-secret"}, "not a whsec_ secret"),
    ({"mode": "deploy"}, "PROMOTE_MODE must be release or event"),
])
def test_the_github_action_refuses_bad_input_and_sends_nothing(served, tmp_path, inputs, complaint):
    good = {"mode": "event", "model": "jukebox", "version": "1.4.2", "uri": "gs://models/jukebox/1.4.2",
            "serve-url": f"http://127.0.0.1:{served.port}", "webhook-secret": SECRET_NEW}
    script, env, _ = github_env({**good, **inputs}, GITHUB, tmp_path)
    r = subprocess.run(["sh", "-e", "-c", script], env=env, capture_output=True, text=True, timeout=60)
    assert r.returncode == 64, r.stdout + r.stderr
    assert complaint in r.stderr
    assert promotions_in_db(served) == 0


def gitlab_script(job):
    """The job's before_script and script as the GitLab runner joins them (one shell, stops at the first error)."""
    spec = gitlab()
    merged = {}
    chain = [job]
    while "extends" in spec[chain[-1]]:
        chain.append(spec[chain[-1]]["extends"])
    for name in reversed(chain):
        for key, value in spec[name].items():
            merged[key] = {**merged.get(key, {}), **value} if key == "variables" else value
    return "\n".join(merged["script"]), merged["variables"]


def test_the_gitlab_release_job_runs_promote_release(tmp_path):
    script, variables = gitlab_script(".promote-release")
    assert variables["PROMOTE_MODE"] == "release"
    predefined = {"CI_COMMIT_SHA": "9a0b1c2d3e4f", "CI_PIPELINE_URL": "https://gitlab.example/acme/jukebox/-/pipelines/77",
                  "CI_PROJECT_PATH": "acme/jukebox", "CI_PIPELINE_ID": "77", "CI_JOB_ID": "501"}
    with World(FILES) as w:
        env = {**w.env, **{k: re.sub(r"\$(\w+)", lambda m: predefined[m.group(1)], str(v)) for k, v in variables.items()},
               "PROMOTE_CONFIG": str(w.config), "PROMOTE_BIN": str(binary("promote")),
               "PROMOTE_MODEL": "jukebox", "PROMOTE_VERSION": "1.4.2", "PROMOTE_URI": "gs://models/jukebox/1.4.2",
               "PROMOTE_METRICS": "accuracy=0.93 latency_p99_ms=180"}
        r = subprocess.run(["sh", "-e", "-c", script], env=env, capture_output=True, text=True, timeout=120)
        assert r.returncode == 0, r.stdout + r.stderr
        assert "gs://models/jukebox/1.4.2" in w.show("main", STAGING_PATH)
        (pr,) = w.open_pulls()
        assert pr["head"] == BOT
        assert "https://gitlab.example/acme/jukebox/-/pipelines/77" in w.git("log", "-1", "--format=%B", "main")


def jenkins(args, credentials, env):
    groovy = shutil.which("groovy")
    assert groovy, "groovy is missing: scripts/setup.sh --deps installs it (Debian groovy)"
    return subprocess.run([groovy, str(ROOT / "Tests/python/jenkins/run_step.groovy"), str(JENKINS), json.dumps(args),
                           json.dumps(credentials)], env=env, capture_output=True, text=True, timeout=180)


def test_the_jenkins_step_replaces_promote_application_sh(served):
    # Event mode: the secret comes from a Jenkins credential, the provenance from the build's variables.
    r = jenkins({"mode": "event", "model": "jukebox", "version": "1.4.2", "uri": "gs://models/jukebox/1.4.2",
                 "metrics": {"accuracy": 0.93}, "serveUrl": f"http://127.0.0.1:{served.port}",
                 "webhookSecretCredentialsId": "promote-intake-secret"},
                {"promote-intake-secret": SECRET_NEW}, {**os.environ})
    assert r.returncode == 0, r.stdout + r.stderr
    answer = json.loads(r.stdout.strip().splitlines()[-1])
    assert served.wait_for(answer["id"])["state"] == "awaiting-review"
    assert "https://jenkins.example/job/promote/42/" in served.git("log", "-1", "--format=%B", "main")
    # Release mode on the agent: promote release with the config and credentials of the environment.
    r = jenkins({"model": "jukebox", "version": "1.4.3", "uri": "gs://models/jukebox/1.4.3",
                 "config": str(served.config), "promoteBin": str(binary("promote"))}, {}, served.env)
    assert r.returncode == 0, r.stdout + r.stderr
    assert "gs://models/jukebox/1.4.3" in served.show("main", STAGING_PATH)
    assert len(served.open_pulls()) == 1
    # A missing argument is the step's error, before any shell runs.
    r = jenkins({"model": "jukebox", "version": "1.4.4"}, {}, {**os.environ})
    assert r.returncode == 2 and "the argument 'uri' is required" in r.stderr
