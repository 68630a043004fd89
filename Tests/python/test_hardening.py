"""Issue 14: what an attacker or an outage found, each rebuilt against the real parts (the `promote` binary,
`promote serve` on loopback, smart HTTP with basic auth, the stand-in forge) and checked from outside: hostile
repository templates, hostile config, forged trailers, secrets at debug level, exhausting connections and
bodies, path tricks in artifact URIs, and a state store that cannot write."""
import json
import os
import pathlib
import re
import socket
import sqlite3
import subprocess
import time

import pytest

from release_world import World, binary
from serve_world import ServeWorld
from test_release_e2e import BOT, FILES


@pytest.fixture
def world():
    w = World(FILES)
    try:
        yield w
    finally:
        w.close()


def with_files(extra):
    return {**FILES, **extra}


# -- 14.1 templates from the repository ---------------------------------------------------------------------------

@pytest.mark.parametrize("section,depth,refusal", [
    ("hasMetrics", 20000, "templates/pr-body.mustache:1: is 600013 bytes; templates may be at most"),  # the attack
    ("a", 4000, "templates/pr-body.mustache:2: sections nest deeper than 16 levels"),  # within the size limit
])
def test_a_pr_body_template_nested_thousands_deep_refuses_the_release_before_staging_is_pushed(section, depth, refusal):
    nested = "{{#%s}}" % section * depth + "x" + "{{/%s}}" % section * depth
    with World(with_files({"templates/pr-body.mustache": "## Promote\n" + nested + "\n"})) as w:
        before = w.tip("main")
        r = w.release("jukebox", "1.4.2", check=False)
        assert r.returncode == 1, (r.returncode, r.stderr)  # refused, not a crash (a signal gives a negative code)
        assert refusal in r.stderr
        assert w.tip("main") == before, "staging was pushed before the template was checked"
        assert w.tip(BOT) is None and w.open_pulls() == []


def test_nested_list_sections_cannot_multiply_the_output():
    # 10 metrics, list sections nested 12 deep: 10^12 lines if nothing bounded it.
    nested = "{{#metrics}}" * 12 + "{{name}}\n" + "{{/metrics}}" * 12
    with World(with_files({"templates/commit-message.mustache": "Promote {{model}}\n" + nested})) as w:
        before = w.tip("main")
        metrics = [a for i in range(10) for a in ("--metric", f"m{i}=0.{i}")]
        started = time.monotonic()
        r = w.release("jukebox", "1.4.2", *metrics, check=False)
        assert r.returncode == 1 and "templates/commit-message.mustache" in r.stderr and "list items" in r.stderr
        assert time.monotonic() - started < 60
        assert w.tip("main") == before


def test_a_commit_template_writing_trailers_is_refused_with_its_line():
    template = "Promote {{model}} {{version}}\n\nPromote-Model: {{model}}\nPromote-Version: 9.9.9\n"
    with World(with_files({"templates/commit-message.mustache": template})) as w:
        before = w.tip("main")
        r = w.release("jukebox", "1.4.2", check=False)
        assert r.returncode == 1
        assert "templates/commit-message.mustache:3" in r.stderr and "Promote- trailers" in r.stderr
        assert w.tip("main") == before and w.tip(BOT) is None


def test_a_harmless_repository_template_still_renders():
    template = "Ship {{model}} {{version}} to {{environment}}{{#metrics}}\n- {{name}}: {{candidate}}{{/metrics}}\n"
    with World(with_files({"templates/commit-message.mustache": template})) as w:
        w.release("jukebox", "1.4.2", "--metric", "accuracy=0.93")
        message = w.git("log", "-1", "--format=%B", "main")
        assert message.startswith("Ship jukebox 1.4.2 to staging\n- accuracy: 0.93")
        assert "Promote-Version: 1.4.2" in message


# -- 14.4 a forged ledger -----------------------------------------------------------------------------------------

def test_ledger_rebuild_believes_only_trailers_matching_the_change_they_carry(world):
    world.release("jukebox", "1.4.2")
    # Someone with push access writes trailers claiming production runs 9.9.9, on a commit that changes nothing
    # there, and claiming staging runs 9.9.9 on a commit that only touches the README.
    world.person("pull", "-q")
    forged = ("Update docs\n\nPromote-Model: jukebox\nPromote-Version: 9.9.9\nPromote-Uri: gs://models/jukebox/9.9.9\n"
              "Promote-Environment: production\n\nPromote-Model: jukebox\nPromote-Version: 9.9.9\n"
              "Promote-Uri: gs://models/jukebox/9.9.9\nPromote-Environment: staging\n")
    (world.dir / "person-gitops.git" / "README.md").write_text("docs\n")
    world.person("commit", "-qam", forged)
    world.person("push", "-q", "origin", "main")
    out = world.promote("ledger", "rebuild", "--dry-run").stdout
    assert "9.9.9" not in out
    assert re.search(r"staging\s+jukebox\s+1\.4\.2", out), out


# -- 14.2 config ---------------------------------------------------------------------------------------------------

def validate(w, text):
    path = w.dir / "hostile.yaml"
    path.write_text(text)
    r = subprocess.run([str(binary("promote")), "config", "validate", str(path)], env=w.env, capture_output=True,
                       text=True, timeout=60)
    return r, path


@pytest.mark.parametrize("every", ["1e16s", "inf", "nan", "0s", "-5m", "0x10", "400d"])
def test_config_validate_refuses_out_of_range_durations_with_file_and_line(world, every):
    text = world.config.read_text().replace('service: {state:', f'service: {{reconcile: {{every: "{every}"}}, state:')
    r, path = validate(world, text)
    assert r.returncode == 1, r
    line = next(i for i, l in enumerate(text.splitlines(), 1) if "reconcile" in l)
    assert f"{path}:{line}: service.reconcile.every:" in r.stderr


def test_a_huge_reconcile_interval_never_reaches_serve():
    with ServeWorld(FILES, service_extra="") as w:
        w.config.write_text(w.config.read_text().replace("reconcile: {every: 1h}", "reconcile: {every: 1e16s}"))
        r = subprocess.run([str(binary("promote")), "serve", "--listen", "127.0.0.1:0"], env=w.env, capture_output=True,
                           text=True, timeout=60)
        assert r.returncode == 1 and "service.reconcile.every" in r.stderr and "out of range" in r.stderr


def test_config_nested_30000_deep_is_refused_not_a_crash(world):
    text = world.config.read_text() + "x: " + "[" * 30000 + "]" * 30000 + "\n"
    r, path = validate(world, text)
    assert r.returncode == 1, (r.returncode, r.stderr[-500:])
    assert "nests deeper than" in r.stderr and str(path) in r.stderr


@pytest.mark.parametrize("key,replace", [
    ("forge.api", lambda t, w: t.replace(f'api: "{w.api}"', 'api: "http://bot:Sup3rS3cretPw@127.0.0.1:9/api"')),
    ("service.mlflow.url", lambda t, w: t.replace('service: {state:',
                                                 'service: {mlflow: {url: "https://u:Sup3rS3cretPw@mlflow.example"}, state:')),
    ("service.cdevents.sinks[0]", lambda t, w: t.replace(
        'service: {state:', 'service: {cdevents: {sinks: ["https://u:Sup3rS3cretPw@sink.example/e"]}, state:')),
    ("environments[1].repository.url", lambda t, w: t.replace(
        "    labels: [promotion]\n", '    labels: [promotion]\n    repository: {url: "https://u:Sup3rS3cretPw@git.example/p.git"}\n')),
])
def test_config_refuses_passwords_in_every_url(world, key, replace):
    r, path = validate(world, replace(world.config.read_text(), world))
    assert r.returncode == 1 and f": {key}: must not contain" in r.stderr, r.stderr
    assert "Sup3rS3cretPw" not in r.stderr + r.stdout


@pytest.mark.parametrize("host", ["localhost.evil.example", "127.0.0.1.evil.example", "localhostevil"])
def test_plain_http_counts_as_loopback_by_address_not_by_name_prefix(world, host):
    text = world.config.read_text().replace(world.url, f"http://{host}:8080/acme/gitops.git")
    r, _ = validate(world, text)
    assert r.returncode == 1 and "plain http:// is allowed only for loopback" in r.stderr


# -- 14.7 allowedUris ----------------------------------------------------------------------------------------------

@pytest.mark.parametrize("uri", [
    "gs://models/jukebox/../../evil/model.bin", "gs://models/jukebox/%2e%2e/%2E%2E/evil/model.bin",
    "gs://models/jukebox-evil/model.bin", "gs://MODELS.evil/jukebox/1", "gs://models/jukebox/%2fevil"])
def test_allowed_uris_are_compared_on_normalised_uris(uri):
    with World(FILES, extra_config='models:\n  jukebox: {allowedUris: ["gs://models/jukebox/"]}\n') as w:
        before = w.tip("main")
        r = w.promote("release", "jukebox", "1.4.2", "--uri", uri, check=False)
        assert r.returncode == 1, r.stdout
        assert w.tip("main") == before


# -- 14.5 secrets at debug level -----------------------------------------------------------------------------------

DISTINCT = {"E2E_MLFLOW_TOKEN": "mlflowTok-7f3a91c2", "E2E_MLFLOW_SECRET": "mlflowSec-0b5e77d4"}


def test_serve_and_config_validate_at_debug_print_no_secret():
    extra = ('  mlflow: {url: "http://127.0.0.1:9", secretEnv: E2E_MLFLOW_SECRET, tokenEnv: E2E_MLFLOW_TOKEN}\n'
             '  cdevents: {sinks: ["http://127.0.0.1:9/sink"]}\n')
    with ServeWorld(FILES, service_extra=extra) as w:
        w.env.update(DISTINCT)
        w.env["PROMOTE_LOG_LEVEL"] = "debug"
        w.start()
        status, _, _ = w.request("GET", "/readyz")
        assert status == 200
        w.terminate()
        r = subprocess.run([str(binary("promote")), "config", "validate"], env=w.env, capture_output=True, text=True,
                           timeout=60)
        outputs = w.log() + r.stdout + r.stderr
        assert "debug" in w.log().lower() or "Starting service" in w.log()  # debug logging really was on
        from release_world import SECRETS
        from serve_world import SERVE_SECRETS
        for secret in list(DISTINCT.values()) + list(SECRETS) + list(SERVE_SECRETS):
            assert secret not in outputs, f"{secret[:6]}… reached the output"


# -- 14.6 exhaustion -----------------------------------------------------------------------------------------------

def rss_kib(pid):
    return int(re.search(r"VmRSS:\s+(\d+)", pathlib.Path(f"/proc/{pid}/status").read_text()).group(1))


def send_unsigned(port, path, size):
    """Starts a POST of `size` bytes without a signature and sends as much as the server takes; returns the
    status line the server answered with (or '' when it closed first)."""
    s = socket.create_connection(("127.0.0.1", port), timeout=10)
    try:
        s.sendall(f"POST {path} HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nX-GitHub-Event: pull_request\r\n"
                  f"Content-Length: {size}\r\n\r\n".encode())
        chunk = b"x" * (1 << 20)
        try:
            for _ in range(size >> 20):
                s.sendall(chunk)
        except OSError:
            pass
        try:
            return s.recv(200).decode(errors="replace").split("\r\n")[0]
        except OSError:
            return ""
    finally:
        s.close()


def test_unsigned_25mib_webhooks_are_refused_without_growing_memory():
    with ServeWorld(FILES) as w:
        w.start()
        pid = w.server.pid
        for _ in range(2):
            send_unsigned(w.port, "/v1/webhooks/github", 1 << 20)
        before = rss_kib(pid)
        answers = [send_unsigned(w.port, "/v1/webhooks/github", 25 << 20) for _ in range(20)]
        after = rss_kib(pid)
        assert all(a == "" or " 401 " in a + " " or " 413 " in a + " " for a in answers), answers
        assert after - before < 40 * 1024, f"RSS grew {(after - before) // 1024} MiB"
        status, _, _ = w.request("GET", "/healthz")
        assert status == 200


def test_idle_connections_are_closed_and_do_not_exhaust_descriptors():
    with ServeWorld(FILES) as w:
        w.start()
        fds = lambda: len(os.listdir(f"/proc/{w.server.pid}/fd"))
        baseline = fds()
        idle = [socket.create_connection(("127.0.0.1", w.port), timeout=5) for _ in range(300)]
        slow = socket.create_connection(("127.0.0.1", w.port), timeout=5)
        slow.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n")  # a head that never ends
        try:
            time.sleep(13)  # header deadline 10 s
            closed = 0
            for s in idle + [slow]:
                try:
                    s.settimeout(2)
                    closed += s.recv(1) == b""
                except OSError:
                    closed += 1
            assert closed == len(idle) + 1, f"only {closed} of {len(idle) + 1} idle connections were closed"
            assert fds() <= baseline + 5
            status, _, _ = w.request("GET", "/healthz")
            assert status == 200
        finally:
            for s in idle + [slow]:
                s.close()


# -- 14.7 a state store that cannot write --------------------------------------------------------------------------

def test_a_locked_store_answers_503_with_retry_after_and_readyz_is_not_ready():
    with ServeWorld(FILES) as w:
        w.start()
        assert w.request("GET", "/readyz")[0] == 200
        db = sqlite3.connect(w.state_db, timeout=1, isolation_level=None)
        try:
            db.execute("BEGIN EXCLUSIVE")
            status, headers, body = w.request("GET", "/readyz")
            assert status == 503, body
            status, headers, body = w.post_event({"model": "jukebox", "version": "1.4.2", "uri": "gs://models/jukebox/1.4.2"})
            assert status == 503 and headers.get("retry-after"), (status, body)
            assert body["type"] == "urn:promote:problem:store-unavailable"
            assert "SQL" not in json.dumps(body) and "sqlite" not in json.dumps(body).lower()
        finally:
            db.execute("ROLLBACK")
            db.close()
        assert w.request("GET", "/readyz")[0] == 200
        status, _, body = w.post_event({"model": "jukebox", "version": "1.4.2", "uri": "gs://models/jukebox/1.4.2"})
        assert status == 202, body
