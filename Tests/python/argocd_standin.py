"""A stand-in Argo CD API server on 127.0.0.1 for Promote's verification tests (clearly a stand-in: it serves only
`GET /api/v1/applications/{name}`, the one call Promote makes, from application states the test sets).

As a context manager::

    with ArgoCDStandIn(token="argo-t0ken") as argo:
        argo.set_app("jukebox-staging", sync="Synced", health="Healthy", revision=sha)
        argo.url                       # http://127.0.0.1:PORT, for promote.yaml's verify.argocd.url
        argo.set_app("jukebox-staging", sync="OutOfSync", health="Progressing", operation_phase="Running")
        argo.remove_app("jukebox-staging")   # now 404, as Argo CD answers an unknown application
        argo.forbid("jukebox-prod")          # 403 "permission denied", as Argo CD answers without `applications, get`

Applications are built from Argo CD's own fixtures (Tests/Fixtures/argocd, `synced-healthy.json` by default, see
SOURCES.md there) with the test's name, sync, revision(s), health and operation state written over them; values
are checked against the sets Argo CD uses (the API description has no enums). Requests need
`Authorization: Bearer <token>`; a missing or wrong token gets Argo CD's 401 (`invalid session`).

**Every answer is validated** against Argo CD's official API description (`argocd-swagger.trimmed.json`,
openapi-core, the Swagger 2.0 converter of forge_validate.py with `go_nullable=False` as its README says), request
and response, the way the stand-in forge's exchanges are: violations are kept in ``violations`` and the pytest fixture
fails the test when there are any. ``requests`` keeps what was asked (method, path, whether the token matched).

As a pytest fixture: ``argocd_standin`` (function scope, token ``ARGOCD_TOKEN``); import it into the test module
(``from argocd_standin import argocd_standin, ARGOCD_TOKEN``).
"""
import copy
import datetime
import functools
import http.server
import json
import pathlib
import threading
import urllib.parse

import pytest
from openapi_core import OpenAPI
from openapi_core.testing import MockRequest, MockResponse

from forge_validate import reason, swagger2_to_oas3

FIXTURES = pathlib.Path(__file__).resolve().parents[1] / "Fixtures" / "argocd"
ARGOCD_TOKEN = "argocd-t0ken-secret-xyz"

# The values Argo CD uses (types.go, gitops-engine health.go and sync/common/types.go).
SYNC_STATUSES = {"Synced", "OutOfSync", "Unknown"}
HEALTH_STATUSES = {"Healthy", "Progressing", "Degraded", "Suspended", "Missing", "Unknown"}
OPERATION_PHASES = {"Running", "Terminating", "Failed", "Error", "Succeeded"}


@functools.lru_cache(maxsize=None)
def description():
    spec = json.loads((FIXTURES / "argocd-swagger.trimmed.json").read_text())
    return OpenAPI.from_dict(swagger2_to_oas3(spec, "http://127.0.0.1", go_nullable=False))


@functools.lru_cache(maxsize=None)
def example(name):
    return json.loads((FIXTURES / f"{name}.json").read_text())


def now():
    return datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def runtime_error(code, message):
    """Argo CD's gRPC-gateway error body (`runtimeError`): `error` and `message` hold the same text."""
    return {"error": message, "code": code, "message": message}


def validate(method, path, query, headers, status, body):
    """Violations (strings) of one exchange against Argo CD's API description."""
    api = description()
    req = MockRequest("http://127.0.0.1", method.lower(), path, headers=headers,
                      args=dict(urllib.parse.parse_qsl(query, keep_blank_values=True)))
    label = f"{method} {path} -> {status}"
    try:
        api.validate_request(req)
    except Exception as e:
        return [f"request {label}: {type(e).__name__}: {reason(e) or str(e)[:200]}"]
    res = MockResponse(json.dumps(body).encode(), status_code=status, content_type="application/json")
    try:
        api.validate_response(req, res)
    except Exception as e:
        return [f"response {label}: {type(e).__name__}: {reason(e) or str(e)[:200]}"]
    return []


class ArgoCDStandIn:
    def __init__(self, token=ARGOCD_TOKEN):
        self.token = token
        self.apps = {}
        self.forbidden = set()
        self.violations = []
        self.requests = []
        self._lock = threading.Lock()
        self._server = None
        self.url = None

    # -- the test's controls --------------------------------------------------------------------------------------

    def set_app(self, name, sync="Synced", health="Healthy", revision=None, revisions=None, health_message=None,
                operation_phase=None, operation_message=None, base="synced-healthy"):
        """Makes `name` answer as an Application in these states, built from the Argo CD fixture `base`."""
        if sync not in SYNC_STATUSES or health not in HEALTH_STATUSES or (
                operation_phase is not None and operation_phase not in OPERATION_PHASES):
            raise ValueError(f"not an Argo CD state: sync={sync} health={health} phase={operation_phase}")
        app = copy.deepcopy(example(base))
        app["metadata"]["name"] = name
        status = app.setdefault("status", {})
        status["sync"] = {k: v for k, v in status.get("sync", {}).items() if k == "comparedTo"}
        status["sync"]["status"] = sync
        if revision is not None:
            status["sync"]["revision"] = revision
        if revisions is not None:
            status["sync"]["revisions"] = list(revisions)
        status["health"] = {"status": health, "lastTransitionTime": now()}
        if health_message:
            status["health"]["message"] = health_message
        if operation_phase is None:
            status.pop("operationState", None)
        else:
            op = status.setdefault("operationState", {"operation": {"sync": {}}})
            op["phase"] = operation_phase
            op["startedAt"] = now()
            if operation_phase == "Running":
                op.pop("finishedAt", None)
            else:
                op["finishedAt"] = now()
            op.pop("message", None)
            if operation_message:
                op["message"] = operation_message
            if revision is not None:
                op.setdefault("syncResult", {})["revision"] = revision
        status["reconciledAt"] = now()
        with self._lock:
            self.apps[name] = app

    def remove_app(self, name):
        with self._lock:
            self.apps.pop(name, None)

    def forbid(self, name):
        """The token lacks `applications, get` on `name`: Argo CD answers 403 permission denied."""
        with self._lock:
            self.forbidden.add(name)

    # -- serving ----------------------------------------------------------------------------------------------------

    def answer(self, method, raw_path, headers):
        """(status, body) for one request; records and validates it."""
        parsed = urllib.parse.urlsplit(raw_path)
        path = urllib.parse.unquote(parsed.path)
        auth = headers.get("Authorization", "")
        token_ok = auth == f"Bearer {self.token}"
        prefix = "/api/v1/applications/"
        with self._lock:
            if method != "GET" or not path.startswith(prefix) or "/" in path[len(prefix):]:
                status, body = 404, runtime_error(5, f"Not Found: {method} {path}")
            elif not token_ok:
                status, body = 401, runtime_error(16, "invalid session: token signature is invalid")
            else:
                name = path[len(prefix):]
                if name in self.forbidden:
                    status, body = 403, runtime_error(7, "permission denied")
                elif name in self.apps:
                    status, body = 200, copy.deepcopy(self.apps[name])
                else:
                    status, body = 404, runtime_error(5, f'applications.argoproj.io "{name}" not found')
            self.requests.append({"method": method, "path": path, "tokenOK": token_ok, "status": status})
        problems = validate(method, parsed.path, parsed.query, dict(headers), status, body)
        if problems:
            with self._lock:
                self.violations += problems
        return status, body

    def start(self):
        standin = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def handle_one(self, method):
                status, body = standin.answer(method, self.path, self.headers)
                data = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def do_GET(self):
                self.handle_one("GET")

            def do_POST(self):
                self.handle_one("POST")

            def log_message(self, *args):
                pass

        self._server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self.port = self._server.server_address[1]
        self.url = f"http://127.0.0.1:{self.port}"
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return self

    def close(self):
        if self._server:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.close()


@pytest.fixture
def argocd_standin():
    """A started stand-in Argo CD (``ArgoCDStandIn``, token ``ARGOCD_TOKEN``); the test fails if any of its answers
    does not match Argo CD's API description. Stopped afterwards."""
    with ArgoCDStandIn() as argo:
        yield argo
        assert argo.violations == [], "the stand-in Argo CD answered outside its API description:\n" + "\n".join(argo.violations)
