#!/usr/bin/env python3
"""A real MLflow tracking server (PyPI mlflow==3.17.2) on 127.0.0.1 for Promote's tests.

As a context manager::

    with MLflowServer() as ml:
        ml.create_webhook("promote", "http://127.0.0.1:8080/v1/webhooks/mlflow", secret="s3cret")
        run = ml.log_run(metrics={"accuracy": 0.91, "f1": 0.88})
        version = ml.register_run_version("jukebox", run["run_id"])
        ml.set_alias("jukebox", "champion", version)

The server runs with a sqlite backend and an artifact directory in a temporary folder, one worker, job execution
and telemetry off, and the settings webhooks to a loopback receiver need (http allowed, private IPs allowed, a fixed
Fernet key, a 1 s webhook cache). Start is bounded (``start_timeout``); the server (its whole process group) is always
stopped on exit: SIGTERM, then SIGKILL after ``stop_timeout``. Only ``requests`` and the REST API are used.

From the command line (used by the Swift tests)::

    mlflow_server.py serve [--artifacts-destination DIR] [--lifetime SECONDS]
        prints "URL <url>", then "PORT <n>" once /health answers; stops the server when stdin closes,
        on SIGTERM/SIGINT, or after the lifetime
    mlflow_server.py seed URL
        seeds an experiment, a run, a registered model and versions; prints what it made as one JSON line
"""
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time

import requests

MLFLOW_VERSION = "3.17.2"
# A fixed Fernet key so that webhook secrets stay readable across workers and restarts (test use only).
WEBHOOK_KEY = "yRjxkIhtELweEdt_OTi_TJCp0oHe3FA8aeiywxIqjuI="
REGISTRY_EVENTS = [
    ("REGISTERED_MODEL", "CREATED"), ("MODEL_VERSION", "CREATED"),
    ("MODEL_VERSION_TAG", "SET"), ("MODEL_VERSION_TAG", "DELETED"),
    ("MODEL_VERSION_ALIAS", "CREATED"), ("MODEL_VERSION_ALIAS", "DELETED"),
]


class MLflowAPIError(Exception):
    """A non-2xx answer of the MLflow REST API."""

    def __init__(self, method, path, status, body):
        self.status = status
        self.error_code = body.get("error_code") if isinstance(body, dict) else None
        self.body = body
        super().__init__(f"{method} {path}: HTTP {status} {self.error_code or ''} {body}")


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def mlflow_importable():
    """None when `python -m mlflow` can run here, else the reason."""
    r = subprocess.run([sys.executable, "-c", "import mlflow; print(mlflow.__version__)"],
                       capture_output=True, text=True, timeout=120)
    if r.returncode != 0:
        return f"mlflow is not importable by {sys.executable}; run scripts/setup.sh (pip install mlflow=={MLFLOW_VERSION})"
    return None


class MLflowServer:
    def __init__(self, root=None, artifacts_destination=None, start_timeout=90, stop_timeout=10, extra_env=None):
        self._own_root = root is None
        self.root = root or tempfile.mkdtemp(prefix="promote-mlflow-")
        self.artifacts_destination = artifacts_destination or os.path.join(self.root, "mlartifacts")
        self.start_timeout = start_timeout
        self.stop_timeout = stop_timeout
        self.extra_env = extra_env or {}
        self.port = None
        self.url = None
        self.log_path = os.path.join(self.root, "mlflow-server.log")
        self.process = None
        self.session = requests.Session()
        self.session.trust_env = False  # never through a proxy

    # -- lifecycle -------------------------------------------------------------------------------------------

    def start(self):
        reason = mlflow_importable()
        if reason:
            raise RuntimeError(reason)
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        env = dict(os.environ)
        env.update({
            "MLFLOW_SERVER_ENABLE_JOB_EXECUTION": "false",
            "MLFLOW_DISABLE_TELEMETRY": "true",
            "DO_NOT_TRACK": "true",
            "MLFLOW_WEBHOOK_ALLOWED_SCHEMES": "http,https",
            "MLFLOW_WEBHOOK_ALLOW_PRIVATE_IPS": "true",
            "MLFLOW_WEBHOOK_SECRET_ENCRYPTION_KEY": WEBHOOK_KEY,
            "MLFLOW_WEBHOOK_CACHE_TTL": "1",
            "NO_PROXY": "127.0.0.1,localhost",
        })
        env.update(self.extra_env)
        os.makedirs(self.artifacts_destination, exist_ok=True)
        log = open(self.log_path, "ab")
        try:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "mlflow", "server", "--host", "127.0.0.1", "--port", str(self.port),
                 "--workers", "1", "--backend-store-uri", f"sqlite:///{self.root}/mlflow.db",
                 "--artifacts-destination", self.artifacts_destination],
                stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT, env=env, cwd=self.root,
                start_new_session=True)  # its own process group: stop() reaches the uvicorn child too
        finally:
            log.close()
        deadline = time.monotonic() + self.start_timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                tail = self.log_tail()
                self.stop()
                raise RuntimeError(f"mlflow server exited with {self.process.returncode} while starting:\n{tail}")
            try:
                if self.session.get(self.url + "/health", timeout=2).status_code == 200:
                    return self
            except requests.RequestException:
                pass
            time.sleep(0.25)
        tail = self.log_tail()
        self.stop()
        raise RuntimeError(f"mlflow server did not answer /health within {self.start_timeout} s:\n{tail}")

    def stop(self):
        """SIGTERM to the server's process group, SIGKILL after stop_timeout. Safe to call twice."""
        p = self.process
        if p is not None and p.poll() is None:
            for sig, wait in ((signal.SIGTERM, self.stop_timeout), (signal.SIGKILL, 5)):
                try:
                    os.killpg(p.pid, sig)
                except ProcessLookupError:
                    break
                try:
                    p.wait(timeout=wait)
                    break
                except subprocess.TimeoutExpired:
                    continue
        if p is not None:
            # Reap the group's stragglers (the uvicorn child) if the CLI went first.
            try:
                os.killpg(p.pid, signal.SIGKILL)
            except (ProcessLookupError, PermissionError):
                pass
        self.session.close()

    @property
    def running(self):
        if self.process is None or self.process.poll() is not None:
            return False
        try:
            return self.session.get(self.url + "/health", timeout=2).status_code == 200
        except requests.RequestException:
            return False

    def accepts_connections(self):
        """Whether anything still listens on the server's port."""
        with socket.socket() as s:
            s.settimeout(1)
            return s.connect_ex(("127.0.0.1", self.port)) == 0

    def cleanup(self):
        if self._own_root:
            shutil.rmtree(self.root, ignore_errors=True)

    def log_tail(self, n=40):
        try:
            with open(self.log_path, errors="replace") as f:
                return "".join(f.readlines()[-n:])
        except OSError:
            return ""

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()
        self.cleanup()
        return False

    # -- REST ------------------------------------------------------------------------------------------------

    def api(self, method, path, **kw):
        """`path` under /api/2.0/mlflow/ (or an absolute /api/... path); returns the JSON answer."""
        full = path if path.startswith("/") else "/api/2.0/mlflow/" + path
        r = self.session.request(method, self.url + full, timeout=30, **kw)
        try:
            body = r.json()
        except ValueError:
            body = r.text
        if not 200 <= r.status_code < 300:
            raise MLflowAPIError(method, full, r.status_code, body)
        return body

    def create_webhook(self, name, url, secret=None, events=REGISTRY_EVENTS, description=None):
        """Creates a webhook; `events` are (ENTITY, ACTION) pairs or "entity.action" strings. Returns the webhook."""
        pairs = []
        for e in events:
            if isinstance(e, str):
                entity, action = e.split(".")
                e = (entity.upper(), action.upper())
            pairs.append({"entity": e[0], "action": e[1]})
        body = {"name": name, "url": url, "events": pairs}
        if secret:
            body["secret"] = secret
        if description:
            body["description"] = description
        return self.api("POST", "webhooks", json=body)["webhook"]

    def create_experiment(self, name):
        try:
            return self.api("POST", "experiments/create", json={"name": name})["experiment_id"]
        except MLflowAPIError as e:
            if e.error_code != "RESOURCE_ALREADY_EXISTS":
                raise
            return self.api("GET", "experiments/get-by-name", params={"experiment_name": name})["experiment"]["experiment_id"]

    def log_run(self, experiment="promote-tests", metrics=None, params=None, artifact_path="model", files=None,
                run_name=None):
        """A finished run with `metrics`, `params` and the files `files` ({name: bytes or str}) under
        `artifact_path` (an MLmodel file by default). Returns {run_id, experiment_id, artifact_uri}."""
        experiment_id = self.create_experiment(experiment)
        now = int(time.time() * 1000)
        body = {"experiment_id": experiment_id, "start_time": now}
        if run_name:
            body["run_name"] = run_name
        info = self.api("POST", "runs/create", json=body)["run"]["info"]
        run_id = info["run_id"]
        self.api("POST", "runs/log-batch", json={
            "run_id": run_id,
            "metrics": [{"key": k, "value": float(v), "timestamp": now, "step": 0} for k, v in (metrics or {}).items()],
            "params": [{"key": k, "value": str(v)} for k, v in (params or {}).items()],
        })
        files = files if files is not None else {"MLmodel": "artifact_path: model\nflavors: {}\n", "weights.bin": b"\0" * 16}
        for name, content in files.items():
            self.upload_artifact(info["artifact_uri"], f"{artifact_path}/{name}" if artifact_path else name, content)
        self.api("POST", "runs/update", json={"run_id": run_id, "status": "FINISHED", "end_time": now + 1})
        return {"run_id": run_id, "experiment_id": experiment_id, "artifact_uri": info["artifact_uri"]}

    def upload_artifact(self, artifact_uri, relative_path, content):
        """PUTs a file through the server's artifact proxy (artifact_uri must be mlflow-artifacts:/...)."""
        prefix = "mlflow-artifacts:"
        if not artifact_uri.startswith(prefix):
            raise ValueError(f"not a proxied artifact URI: {artifact_uri}")
        path = artifact_uri[len(prefix):].lstrip("/")
        data = content.encode() if isinstance(content, str) else content
        r = self.session.put(f"{self.url}/api/2.0/mlflow-artifacts/artifacts/{path}/{relative_path}", data=data, timeout=30)
        r.raise_for_status()

    def create_registered_model(self, name, tags=None, description=None):
        body = {"name": name}
        if tags:
            body["tags"] = [{"key": k, "value": v} for k, v in tags.items()]
        if description:
            body["description"] = description
        try:
            return self.api("POST", "registered-models/create", json=body)["registered_model"]
        except MLflowAPIError as e:
            if e.error_code != "RESOURCE_ALREADY_EXISTS":
                raise
            return self.api("GET", "registered-models/get", params={"name": name})["registered_model"]

    def register_version(self, name, source, run_id=None, tags=None, description=None, model_id=None):
        """Registers a version from any source; creates the registered model if needed. Returns the version string."""
        self.create_registered_model(name)
        body = {"name": name, "source": source}
        if run_id:
            body["run_id"] = run_id
        if model_id:
            body["model_id"] = model_id
        if tags:
            body["tags"] = [{"key": k, "value": v} for k, v in tags.items()]
        if description:
            body["description"] = description
        return self.api("POST", "model-versions/create", json=body)["model_version"]["version"]

    def register_run_version(self, name, run_id, path="model", **kw):
        """Registers `runs:/<run_id>/<path>` (as MlflowClient.create_model_version does)."""
        return self.register_version(name, f"runs:/{run_id}/{path}", run_id=run_id, **kw)

    def log_model(self, run_id, experiment_id, name="model", metrics=None):
        """An MLflow 3 logged model of `run_id` with `metrics` logged against it, finalized READY.
        Returns {model_id, artifact_uri}."""
        info = self.api("POST", "logged-models", json={
            "experiment_id": experiment_id, "name": name, "source_run_id": run_id})["model"]["info"]
        model_id = info["model_id"]
        now = int(time.time() * 1000)
        for k, v in (metrics or {}).items():
            self.api("POST", "runs/log-metric", json={
                "run_id": run_id, "key": k, "value": float(v), "timestamp": now, "step": 0, "model_id": model_id})
        self.upload_artifact(info["artifact_uri"], "MLmodel", "artifact_path: model\nflavors: {}\n")
        self.api("PATCH", f"logged-models/{model_id}", json={"model_id": model_id, "status": "LOGGED_MODEL_READY"})
        return {"model_id": model_id, "artifact_uri": info["artifact_uri"]}

    def set_alias(self, name, alias, version):
        self.api("POST", "registered-models/alias", json={"name": name, "alias": alias, "version": str(version)})

    def get_alias(self, name, alias):
        """The version `alias` points at, or None."""
        try:
            return self.api("GET", "registered-models/alias", params={"name": name, "alias": alias})["model_version"]["version"]
        except MLflowAPIError as e:
            # MLflow 3.17.2 answers an unset alias with 400 INVALID_PARAMETER_VALUE "Registered model alias X not found."
            message = e.body.get("message", "") if isinstance(e.body, dict) else ""
            if e.status == 404 or e.error_code == "RESOURCE_DOES_NOT_EXIST" or (
                    e.error_code == "INVALID_PARAMETER_VALUE" and "not found" in message):
                return None
            raise

    def get_version(self, name, version):
        return self.api("GET", "model-versions/get", params={"name": name, "version": str(version)})["model_version"]

    def get_version_tags(self, name, version):
        return {t["key"]: t["value"] for t in self.get_version(name, version).get("tags", [])}


def seed(ml):
    """What the Swift client tests need: a run with metrics and artifacts, versions from runs:/, a gs:// bucket,
    mlflow-artifacts:/, models:/<name>/<version> and a logged model."""
    run = ml.log_run(experiment="jukebox-training", metrics={"accuracy": 0.91, "f1": 0.88}, params={"lr": "0.001"},
                     run_name="jukebox-train-1")
    # A second value of accuracy at a later step: the latest must win.
    ml.api("POST", "runs/log-metric", json={"run_id": run["run_id"], "key": "accuracy", "value": 0.93,
                                            "timestamp": int(time.time() * 1000) + 5, "step": 1})
    ml.create_registered_model("jukebox", tags={"team": "audio"})
    out = {"run_id": run["run_id"], "experiment_id": run["experiment_id"], "artifact_uri": run["artifact_uri"],
           "versions": {}}
    out["versions"]["runs"] = ml.register_run_version("jukebox", run["run_id"], tags={"ci.pipeline": "jukebox-train"})
    out["versions"]["gs"] = ml.register_version("jukebox", "gs://models/jukebox/1.4.2")
    out["versions"]["gs_with_run"] = ml.register_version("jukebox", "gs://models/jukebox/1.4.3", run_id=run["run_id"])
    out["versions"]["artifacts"] = ml.register_version(
        "jukebox", run["artifact_uri"] + "/model", run_id=run["run_id"])
    out["versions"]["models_ref"] = ml.register_version("jukebox", f"models:/jukebox/{out['versions']['runs']}")
    try:
        lm = ml.log_model(run["run_id"], run["experiment_id"], metrics={"accuracy": 0.95, "f1": 0.9})
        out["logged_model"] = lm
        out["versions"]["logged"] = ml.register_version(
            "jukebox", f"models:/{lm['model_id']}", run_id=run["run_id"], model_id=lm["model_id"])
    except (MLflowAPIError, requests.RequestException) as e:  # reported, not fatal: the logged-model API may change
        out["logged_model_error"] = str(e)
    return out


def _serve(argv):
    dest = None
    lifetime = 900.0
    i = 0
    while i < len(argv):
        if argv[i] == "--artifacts-destination":
            dest = argv[i + 1]
            i += 2
        elif argv[i] == "--lifetime":
            lifetime = float(argv[i + 1])
            i += 2
        else:
            raise SystemExit(f"unknown argument {argv[i]}")
    ml = MLflowServer(artifacts_destination=dest, stop_timeout=4)  # within GitProcess.stop()'s bound
    done = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: done.set())
    signal.signal(signal.SIGINT, lambda *_: done.set())
    try:
        ml.start()
        print(f"URL {ml.url}", flush=True)
        print(f"ARTIFACTS {ml.artifacts_destination}", flush=True)
        print(f"PORT {ml.port}", flush=True)

        def watch_stdin():
            try:
                while sys.stdin.buffer.read(1024):
                    pass
            except (OSError, ValueError):
                pass
            done.set()

        threading.Thread(target=watch_stdin, daemon=True).start()
        done.wait(lifetime)
    except RuntimeError as e:
        print(f"ERROR {e}", flush=True)
        sys.stderr.write(str(e) + "\n")
        return 1
    finally:
        ml.stop()
        ml.cleanup()
    return 0


def main(argv):
    if len(argv) >= 1 and argv[0] == "serve":
        return _serve(argv[1:])
    if len(argv) == 2 and argv[0] == "seed":
        ml = MLflowServer.__new__(MLflowServer)
        ml.url = argv[1].rstrip("/")
        ml.session = requests.Session()
        ml.session.trust_env = False
        print(json.dumps(seed(ml)), flush=True)
        return 0
    if len(argv) == 1 and argv[0] == "check":
        reason = mlflow_importable()
        print(reason or "ok")
        return 1 if reason else 0
    sys.stderr.write(__doc__)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
