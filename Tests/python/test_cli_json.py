"""`--json` as a machine interface (issue 18), through the real binary against the real git server and stand-in
forge of release_world: every command with `--json` prints exactly one JSON document on stdout, also when it fails
(`{"error": {"kind", "message"}}`, same exit codes); the dry run says what it would do; a promotion has one shape
in `release --json`, `history --json` and `GET /v1/promotions/{id}`; `doctor --json` checks the `service:` section;
`spec models` is camelCase; stderr starts every refusal with `error: `."""
import base64
import hashlib
import hmac
import json
import time
import uuid

from release_world import ROOT, World
from serve_world import SECRET_NEW, ServeWorld
from test_release_e2e import FILES


def one_document(r):
    """stdout holds exactly one JSON document (one line)."""
    lines = r.stdout.splitlines()
    assert len(lines) == 1, r.stdout
    return json.loads(lines[0])


def test_release_json_dry_run_history_and_errors():
    w = World(FILES)
    try:
        dry = one_document(w.release("jukebox", "1.4.2", "--dry-run", "--json"))
        assert dry["dryRun"] is True and "id" not in dry and "state" not in dry and "created" not in dry
        plans = {p["environment"]: p for p in dry["plans"]}
        assert plans["staging"]["wouldDo"] == "push" and "1.4.2" in plans["staging"]["diff"]
        assert plans["production"]["wouldDo"] == "pull-request" and plans["production"]["pullRequestTitle"]
        assert w.open_pulls() == []

        done = one_document(w.release("jukebox", "1.4.2", "--json"))
        assert done["created"] is True and done["state"] == "awaiting-review"
        assert "@" in done["origin"]  # the CLI's actor: user@host (or --actor)
        steps = {s["environment"]: s for s in done["steps"]}
        assert steps["staging"]["action"] == "pushed" and len(steps["staging"]["commit"]) == 40
        pr = steps["production"]["pullRequest"]
        assert pr["number"] >= 1 and pr["url"].startswith(w.forge_origin)

        history = one_document(w.promote("history", "jukebox", "--json"))
        entry = history["promotions"][0]
        assert {k: v for k, v in done.items() if k != "created"} == entry

        # A refusal: one error document on stdout, the reason on stderr, exit 1.
        r = w.promote("release", "juke box", "1", "--uri", "gs://models/x", "--json", check=False)
        assert r.returncode == 1 and r.stderr.startswith("error: model")
        error = one_document(r)["error"]
        assert error["kind"] == "invalid-release" and "model" in error["message"]
        # A usage error: exit 64, and still one document.
        r = w.promote("release", "jukebox", "--json", check=False)
        assert r.returncode == 64 and r.stderr.startswith("error: ")
        assert one_document(r)["error"]["kind"] == "usage"
        r = w.promote("history", "jukebox", "--json", "--log-format", "yaml", check=False)
        assert r.returncode == 64 and one_document(r)["error"]["kind"] == "usage"
    finally:
        w.close()


def test_config_validate_ledger_rebuild_and_status_print_json_even_when_failing():
    w = World(FILES)
    try:
        ok = one_document(w.promote("config", "validate", "--json"))
        assert ok["valid"] is True and [e["name"] for e in ok["environments"]] == ["staging", "production"]
        bad = w.dir / "bad.yaml"
        bad.write_text("repository: {url: x}\nenvironments: []\nsurprise: 1\n")
        r = w.promote("config", "validate", str(bad), "--json", check=False)
        assert r.returncode == 1 and r.stderr.startswith("error: ")
        error = one_document(r)["error"]
        assert error["kind"] == "config" and "surprise" in error["message"]

        w.release("jukebox", "1.4.2")
        rebuilt = one_document(w.promote("ledger", "rebuild", "--dry-run", "--json"))
        assert rebuilt["dryRun"] is True and {e["version"] for e in rebuilt["entries"]} == {"1.4.2"}

        env = dict(w.env)
        env["PROMOTE_CONFIG"] = str(bad)
        import subprocess
        from release_world import binary
        for args in (["status", "--json"], ["reconcile", "--json"], ["history", "jukebox", "--json"], ["rollback", "jukebox", "--env", "staging", "--json"]):
            r = subprocess.run([str(binary("promote")), *args], env=env, capture_output=True, text=True, timeout=60)
            assert r.returncode == 1, (args, r.stderr)
            assert one_document(r)["error"]["kind"] == "config", args
    finally:
        w.close()


def test_doctor_json_checks_the_service_section():
    w = ServeWorld(FILES, service_extra="  listen: 127.0.0.1:0\n")
    try:
        report = one_document(w.promote("doctor", "--json"))
        assert report["ok"] is True, report
        names = {c["name"]: c for c in report["checks"]}
        assert names["service: $E2E_SECRET_NEW"]["ok"] and names["service: $E2E_TOKEN"]["ok"]
        # An unset secret and a malformed one are found before `serve` refuses to start.
        del w.env["E2E_SECRET_OLD"]
        w.env["E2E_SECRET_NEW"] = "whsec_not*base64"
        r = w.promote("doctor", "--json", check=False)
        assert r.returncode == 1
        checks = {c["name"]: c for c in one_document(r)["checks"]}
        assert not checks["service: $E2E_SECRET_OLD"]["ok"] and "not set" in checks["service: $E2E_SECRET_OLD"]["detail"]
        assert not checks["service: $E2E_SECRET_NEW"]["ok"] and "whsec_" in checks["service: $E2E_SECRET_NEW"]["detail"]
        assert "whsec_not*base64" not in r.stdout
    finally:
        w.close()


def test_doctor_finds_the_listen_address_taken_and_mlflow_unreachable():
    import socket
    holder = socket.socket()
    holder.bind(("127.0.0.1", 0))
    holder.listen(1)
    port = holder.getsockname()[1]
    dead = socket.socket()
    dead.bind(("127.0.0.1", 0))
    dead_port = dead.getsockname()[1]
    dead.close()
    extra = f'  listen: "127.0.0.1:{port}"\n  mlflow: {{url: "http://127.0.0.1:{dead_port}"}}\n'
    w = ServeWorld(FILES, service_extra=extra)
    try:
        r = w.promote("doctor", check=False)
        assert r.returncode == 1
        assert f"FAIL  service: listen: cannot listen on 127.0.0.1:{port}: the address is already in use" in r.stdout
        assert "FAIL  service: mlflow secret: service.mlflow.secretEnv is not set" in r.stdout
        assert f"FAIL  service: mlflow: http://127.0.0.1:{dead_port}:" in r.stdout
    finally:
        holder.close()
        w.close()


def test_svix_header_names_are_standard_webhooks():
    w = ServeWorld(FILES)
    try:
        w.start()
        body = json.dumps({"model": "jukebox", "version": "1.4.2", "uri": "gs://models/jukebox/1.4.2"}).encode()
        msg_id, ts = "msg_" + uuid.uuid4().hex, str(int(time.time()))
        key = base64.b64decode(SECRET_NEW.removeprefix("whsec_"))
        sig = "v1," + base64.b64encode(hmac.new(key, f"{msg_id}.{ts}.".encode() + body, hashlib.sha256).digest()).decode()
        headers = {"content-type": "application/json", "svix-id": msg_id, "svix-timestamp": ts, "svix-signature": sig}
        status, _, accepted = w.json("POST", "/v1/events", body, headers)
        assert status == 202, accepted
        # The promotion document the service answers is the one `promote history --json` prints.
        doc = w.wait_for(accepted["id"])
        history = one_document(w.promote("history", "jukebox", "--json"))
        assert history["promotions"][0] == doc
        headers["svix-signature"] = "v1," + base64.b64encode(b"x" * 32).decode()
        headers["svix-id"] = "msg_" + uuid.uuid4().hex
        assert w.json("POST", "/v1/events", body, headers)[0] == 401
    finally:
        w.close()


def test_spec_models_is_camel_case():
    w = World(FILES)
    try:
        r = w.promote("spec", "models", str(ROOT / "environments/staging/jukebox.yaml"))
        for line in r.stdout.splitlines():
            keys = set(json.loads(line))
            assert "pathIndex" in keys and not any("_" in k for k in keys), keys
        r = w.promote("spec", "models", str(w.dir / "missing.yaml"), check=False)
        assert r.returncode == 1 and r.stderr.startswith("error: ")
    finally:
        w.close()
