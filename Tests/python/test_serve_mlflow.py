"""`promote serve` with a real MLflow server (PyPI mlflow, sqlite backend, 127.0.0.1): registering a model version
produces the staging commit; setting the `champion` alias opens the production pull request with the run's
metrics in its body; the merge sets the alias and the `promote.*` tags back on the MLflow version."""
import json
import time

from mlflow_server import MLflowServer, mlflow_importable
from serve_world import ServeWorld, github_webhook
from test_release_e2e import BOT, FILES, PRODUCTION_PATH, STAGING_PATH

MLFLOW_SECRET = "mlflow-hook-s3cret"


def wait(condition, what, timeout=90):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.2)
    raise AssertionError(f"timed out waiting for {what}")


def test_mlflow_registry_drives_staging_then_the_alias_opens_production_and_the_merge_closes_the_loop(tmp_path):
    problem = mlflow_importable()
    assert problem is None, problem
    with MLflowServer(artifacts_destination=str(tmp_path / "artifacts")) as ml:
        extra = (f'  mlflow: {{url: "{ml.url}", secretEnv: E2E_MLFLOW_SECRET, aliases: {{champion: production}},'
                 f' artifactsDestination: "gs://mlflow-bucket"}}\n')
        w = ServeWorld(FILES, service_extra=extra, models="")
        try:
            # Production repairs drift (a missed alias webhook becomes a proposal at the next reconcile).
            w.config.write_text(w.config.read_text().replace("    labels: [promotion]\n", "    labels: [promotion]\n    drift: repair\n"))
            w.env["E2E_MLFLOW_SECRET"] = MLFLOW_SECRET
            w.start()
            hook = ml.create_webhook("promote", f"http://127.0.0.1:{w.port}/v1/webhooks/mlflow", secret=MLFLOW_SECRET)
            # MLflow's own "Test webhook" (its fixed example_model payload, signed) gets a 2xx: a correct setup
            # is reported as working.
            test = ml.api("POST", f"webhooks/{hook['webhook_id']}/test",
                          json={"event": {"entity": "MODEL_VERSION", "action": "CREATED"}})["result"]
            assert test["success"] and test["response_status"] == 200, test
            assert json.loads(test["response_body"])["status"] == "ignored"
            run = ml.log_run(experiment="jukebox-training", metrics={"accuracy": 0.93, "f1": 0.9}, run_name="train-42")
            version = ml.register_run_version("jukebox", run["run_id"])
            expected_uri = "gs://mlflow-bucket/" + run["artifact_uri"].removeprefix("mlflow-artifacts:/") + "/model"

            # model_version.created -> the staging commit (push environments only; no PR yet).
            wait(lambda: expected_uri in w.show("main", STAGING_PATH), "the staging commit")
            assert w.open_pulls() == []
            message = w.git("log", "-1", "--format=%B", "main")
            assert f"Promote-Version: {version}" in message and "Promote-Model: jukebox" in message

            # The champion alias -> the production pull request, with the run's metrics in its body.
            ml.set_alias("jukebox", "champion", version)
            pulls = wait(w.open_pulls, "the production pull request")
            assert len(pulls) == 1 and pulls[0]["head"] == BOT
            body = pulls[0]["body"]
            assert "0.93" in body and "accuracy" in body and expected_uri in body

            # A reviewer merges (once the promotion waits for review); the forge's webhook closes the loop into MLflow.
            wait(lambda: any(e["name"] == "production" and e.get("proposed")
                             for m in w.json("GET", "/v1/status")[2]["models"] for e in m["environments"]),
                 "the proposal in the ledger")
            number = pulls[0]["number"]
            w.control("POST", f"/_sim/pulls/{number}/merge?project=acme/gitops")
            status, _, answer = github_webhook(w, number)
            assert status == 200 and answer["status"] == "recorded", answer
            assert expected_uri in w.show("main", PRODUCTION_PATH)
            tags = wait(lambda: ml.get_version_tags("jukebox", version).get("promote.production.status") and
                        ml.get_version_tags("jukebox", version), "the promote.* tags in MLflow")
            assert tags["promote.production.status"] == "live" and tags["promote.production.pull_request"].endswith(f"/{number}")
            assert ml.get_alias("jukebox", "champion") == str(version)

            # A delivery with a bad signature is refused and changes nothing.
            status, _, _ = w.json("POST", "/v1/webhooks/mlflow", b'{"entity": "model_version"}', {
                "content-type": "application/json", "x-mlflow-delivery-id": "x", "x-mlflow-timestamp": str(int(time.time())),
                "x-mlflow-signature": "v1,AAAA"})
            assert status == 401

            # The service is down while the alias moves to a newer version: reconcile finds it and proposes it.
            assert w.terminate() == 0
            retrained = ml.log_run(experiment="jukebox-training", metrics={"accuracy": 0.95, "f1": 0.91}, run_name="train-43")
            newer = ml.register_run_version("jukebox", retrained["run_id"])
            ml.set_alias("jukebox", "champion", newer)
            dry = json.loads(w.promote("reconcile", "--json", "--dry-run").stdout)["findings"]
            assert [(f["kind"], f["expected"], f["action"]) for f in dry] == [("pr-outdated", str(newer), "none")], dry
            assert w.open_pulls() == []
            found = json.loads(w.promote("reconcile", "--json").stdout)["findings"]
            assert [(f["model"], f["environment"], f["kind"], f["expected"], f["actual"], f["action"]) for f in found] == [
                ("jukebox", "production", "pr-outdated", str(newer), str(version), "repaired")], found
            pulls = w.open_pulls()
            assert len(pulls) == 1 and f"Promote-Version: {newer}" in w.git("log", "-1", "--format=%B", BOT)
            assert json.loads(w.promote("reconcile", "--json").stdout)["findings"] == []
        finally:
            w.close()
