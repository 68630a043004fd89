"""The reusable MLflow server fixture (mlflow_server.py) against the real server: start, seed, alias set/get,
version tags, webhook creation, and a server that is gone afterwards. Fails (does not skip) without mlflow."""
import pytest

from mlflow_server import MLflowAPIError, MLflowServer, mlflow_importable


def test_mlflow_is_installed():
    reason = mlflow_importable()
    assert reason is None, reason


def test_fixture_seeds_sets_aliases_and_stops():
    ml = MLflowServer()
    with ml:
        assert ml.running
        hook = ml.create_webhook("promote", "http://127.0.0.1:9/v1/webhooks/mlflow", secret="s3cret",
                                 events=["model_version.created", "model_version_alias.created"])
        assert hook["status"] == "ACTIVE" and "secret" not in hook
        run = ml.log_run(metrics={"accuracy": 0.91, "f1": 0.88})
        assert run["artifact_uri"].startswith("mlflow-artifacts:/")
        version = ml.register_run_version("jukebox", run["run_id"], tags={"ci.pipeline": "train"})
        assert version == "1"
        assert ml.get_version("jukebox", version)["status"] == "READY"
        assert ml.get_version_tags("jukebox", version) == {"ci.pipeline": "train"}
        assert ml.get_alias("jukebox", "champion") is None
        ml.set_alias("jukebox", "champion", version)
        assert ml.get_alias("jukebox", "champion") == "1"
        with pytest.raises(MLflowAPIError) as e:
            ml.get_version("nope", "1")
        assert e.value.status == 404 and e.value.error_code == "RESOURCE_DOES_NOT_EXIST"
    assert ml.process.poll() is not None
    assert not ml.accepts_connections()
