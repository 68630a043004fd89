"""`promote serve` in a World (release_world.py): the real binary listening on a free loopback port, with
Standard Webhooks secrets and a bearer token, signing helpers, and kill -9 / restart for crash tests. Everything
started here is stopped by `close()`."""
import base64
import hashlib
import hmac
import http.client
import json
import os
import re
import signal
import subprocess
import threading
import time
import uuid

from release_world import ROOT, World, binary

# Two Standard Webhooks secrets (rotation: the old and the new one are both accepted) and a bearer token.
SECRET_NEW = "whsec_" + base64.b64encode(bytes(range(32))).decode()
SECRET_OLD = "whsec_" + base64.b64encode(bytes(range(100, 124))).decode()
TOKEN = "intake-t0ken-abc"
FORGE_WEBHOOK_SECRET = "forge-hook-s3cret"
SERVE_SECRETS = (SECRET_NEW, SECRET_OLD, TOKEN, FORGE_WEBHOOK_SECRET)


def sign(secret, msg_id, timestamp, body):
    key = base64.b64decode(secret.removeprefix("whsec_"))
    mac = hmac.new(key, f"{msg_id}.{timestamp}.".encode() + body, hashlib.sha256).digest()
    return "v1," + base64.b64encode(mac).decode()


class ServeWorld(World):
    """A World whose config has a `service:` block, and a running `promote serve`."""

    def __init__(self, files, service_extra="", forge_webhook=True,
                 models='models:\n  jukebox: {allowedUris: ["gs://models/jukebox/"]}\n',
                 access="  access: {publicRead: true}\n", **kwargs):
        super().__init__(files, **kwargs)
        text = self.config.read_text()
        state = re.search(r'service: \{state: "([^"]+)"\}', text).group(1)
        forge_line = re.search(r"^forge: \{(.*)\}$", text, re.M)
        if forge_webhook:
            text = text.replace(forge_line.group(0), "forge: {" + forge_line.group(1) + ", webhookSecretEnv: E2E_FORGE_HOOK}")
        text = re.sub(r'service: \{state: "[^"]+"\}\n', "", text)
        text += models + f"""service:
  state: "{state}"
  intake: {{secretsEnv: [E2E_SECRET_NEW, E2E_SECRET_OLD], tokensEnv: [E2E_TOKEN]}}
  reconcile: {{every: 1h}}
{access}{service_extra}"""
        self.config.write_text(text)
        self.state_db = state.removeprefix("sqlite://")
        self.env.update({"E2E_SECRET_NEW": SECRET_NEW, "E2E_SECRET_OLD": SECRET_OLD, "E2E_TOKEN": TOKEN,
                         "E2E_FORGE_HOOK": FORGE_WEBHOOK_SECRET})
        self.server = None
        self.port = None
        self.log_path = self.dir / "serve.log"

    # -- the service -------------------------------------------------------------------------------------------

    def start(self, *extra, port=0):
        assert self.server is None or self.server.poll() is not None
        log = open(self.log_path, "a")
        self.server = subprocess.Popen([str(binary("promote")), "serve", "--listen", f"127.0.0.1:{port}", *extra],
                                       env=self.env, stdout=subprocess.PIPE, stderr=log, text=True)
        self.procs.append(self.server)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            line = self.server.stdout.readline()
            m = re.search(r"listening on http://127\.0\.0\.1:(\d+)", line or "")
            if m:
                self.port = int(m.group(1))
                threading.Thread(target=self.server.stdout.read, daemon=True).start()
                return self
            if self.server.poll() is not None:
                break
        raise RuntimeError("promote serve did not start:\n" + self.log_path.read_text())

    def kill9(self):
        self.server.send_signal(signal.SIGKILL)
        self.server.wait(10)

    def terminate(self, timeout=60):
        self.server.send_signal(signal.SIGTERM)
        return self.server.wait(timeout)

    def log(self):
        return self.log_path.read_text() if self.log_path.exists() else ""

    # -- HTTP -----------------------------------------------------------------------------------------------------

    def request(self, method, path, body=b"", headers=None, timeout=30):
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout)
        try:
            conn.request(method, path, body=body, headers=headers or {})
            r = conn.getresponse()
            data = r.read()
            return r.status, {k.lower(): v for k, v in r.getheaders()}, data
        finally:
            conn.close()

    def json(self, method, path, body=b"", headers=None):
        status, headers, data = self.request(method, path, body, headers)
        return status, headers, (json.loads(data) if data else None)

    def signed_headers(self, body, secret=SECRET_NEW, msg_id=None, timestamp=None, content_type="application/json"):
        msg_id = msg_id or "msg_" + uuid.uuid4().hex
        timestamp = str(int(time.time()) if timestamp is None else timestamp)
        return {"content-type": content_type, "webhook-id": msg_id, "webhook-timestamp": timestamp,
                "webhook-signature": sign(secret, msg_id, timestamp, body)}

    def post_event(self, body, headers=None, **sign_args):
        if isinstance(body, (dict, list)):
            body = json.dumps(body).encode()
        all_headers = self.signed_headers(body, **sign_args)
        all_headers.update(headers or {})
        return self.json("POST", "/v1/events", body, all_headers)

    def promotion(self, pid):
        return self.json("GET", f"/v1/promotions/{pid}")[2]

    def wait_for(self, pid, states=("awaiting-review", "done", "failed", "superseded"), timeout=60):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            p = self.promotion(pid)
            if p and p["state"] in states:
                return p
            time.sleep(0.1)
        raise AssertionError(f"promotion {pid} did not reach {states}: {self.promotion(pid)}\n{self.log()[-3000:]}")

    def close(self):
        log = self.log()
        for secret in SERVE_SECRETS:
            assert secret not in log, "a secret reached the service's log"
        super().close()


def github_webhook(world, number, action="closed", merged=True, secret=FORGE_WEBHOOK_SECRET, sender=None):
    """A signed GitHub `pull_request` delivery for PR `number` of acme/gitops (`sender`: the login that acted)."""
    payload = {"action": action, "number": number,
               "pull_request": {"number": number, "state": "closed" if action == "closed" else "open", "merged": merged,
                                "html_url": f"{world.forge_origin}/acme/gitops/pull/{number}",
                                "head": {"ref": "promote/production/jukebox"}, "base": {"ref": "main"},
                                "merge_commit_sha": None, "title": "t", "body": ""},
               "repository": {"full_name": "acme/gitops"}}
    if sender:
        payload["sender"] = {"login": sender}
    body = json.dumps(payload).encode()
    sig = "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
    headers = {"content-type": "application/json", "x-github-event": "pull_request",
               "x-github-delivery": str(uuid.uuid4()), "x-hub-signature-256": sig}
    return world.json("POST", "/v1/webhooks/github", body, headers)


class EventSink:
    """A loopback HTTP receiver for the CDEvents `promote serve` emits (`service.cdevents.sinks`); `events` holds
    every JSON body it accepted (with its raw bytes and lower-cased headers). Set `status` to 503 to play a sink that
    is down (`refused` counts those attempts). A daemon thread; `close()` stops it."""

    def __init__(self, port=0):
        import http.server
        received = self.events = []
        sink = self
        self.status = 202
        self.refused = 0
        lock = threading.Lock()  # two delivery passes of promote serve can post at once, on the server's threads

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self):
                length = int(self.headers.get("content-length", 0))
                raw = self.rfile.read(length)
                with lock:
                    if sink.status >= 300:
                        sink.refused += 1
                    else:
                        received.append({"content-type": self.headers.get("content-type"), "body": json.loads(raw), "raw": raw,
                                         "headers": {k.lower(): v for k, v in self.headers.items()}})
                self.send_response(sink.status)
                self.send_header("content-length", "0")
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", port), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/events"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def wait(self, count, timeout=30):
        deadline = time.monotonic() + timeout
        while len(self.events) < count and time.monotonic() < deadline:
            time.sleep(0.05)
        return self.events

    def close(self):
        self.server.shutdown()
        self.server.server_close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


def cdevent_validator(name):
    """A jsonschema validator for a CDEvents 0.5.1 schema (`servicedeployed`, `environmentmodified`) with its links."""
    import jsonschema
    import referencing
    folder = ROOT / "Tests/Fixtures/events/cdevents-v0.5.1/schemas"
    resources = []
    for path in list(folder.glob("*.json")) + list((folder / "links").glob("*.json")):
        schema = json.loads(path.read_text())
        resources.append((schema["$id"], referencing.Resource.from_contents(schema, default_specification=referencing.jsonschema.DRAFT202012)))
    registry = referencing.Registry().with_resources(resources)
    schema = json.loads((folder / f"{name}.json").read_text())
    return jsonschema.Draft202012Validator(schema, registry=registry)
