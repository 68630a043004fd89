"""What an operator watches of `promote serve` (issue 18), through the real binary on loopback: JSON log lines
(`--log-format json`) parsed one by one, the access log with request ids, refusals logged, lifecycle lines, git and
forge lines carrying the promotion's id; `/metrics` scraped and checked by `promtool check metrics` (Debian's
prometheus package); 405 with `Allow`; a port in use named plainly; the binary's version in the OpenAPI document."""
import json
import shutil
import socket
import subprocess
import time

import pytest

from release_world import binary
from serve_world import ServeWorld
from test_release_e2e import FILES


def log_lines(world):
    """Every line `promote serve` wrote to stderr, each parsed as one JSON object."""
    lines = [line for line in world.log().splitlines() if line.strip()]
    parsed = [json.loads(line) for line in lines]
    for entry in parsed:
        assert set(entry) >= {"timestamp", "level", "label", "message", "metadata"}, entry
        assert isinstance(entry["metadata"], dict) and entry["timestamp"].endswith("Z")
    return parsed


def wait_for_log(world, predicate, timeout=30):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = [e for e in log_lines(world) if predicate(e)]
        if found:
            return found
        time.sleep(0.1)
    raise AssertionError("no such log line:\n" + world.log()[-4000:])


@pytest.fixture(scope="module")
def served():
    w = ServeWorld(FILES)
    try:
        w.start("--log-format", "json")
        yield w
    finally:
        w.close()


def test_every_log_line_is_json_and_every_request_has_an_access_line_with_its_id(served):
    status, headers, _ = served.request("GET", "/healthz", headers={"X-Request-Id": "ci-run-42.a"})
    assert status == 200 and headers["x-request-id"] == "ci-run-42.a"
    # An id that is not a sane token is replaced, never logged as sent.
    status, headers, _ = served.request("GET", "/healthz", headers={"X-Request-Id": "bad id\u00e9"})
    made = headers["x-request-id"]
    assert status == 200 and made != "bad id\u00e9" and len(made) == 36
    line = wait_for_log(served, lambda e: e["metadata"].get("request_id") == "ci-run-42.a")[0]
    assert line["label"] == "promote.serve" and line["level"] == "info"
    assert line["metadata"]["method"] == "GET" and line["metadata"]["route"] == "/healthz"
    assert line["metadata"]["status"] == "200" and float(line["metadata"]["duration_ms"]) >= 0
    assert line["metadata"]["remote"].startswith("127.0.0.1:")
    assert wait_for_log(served, lambda e: e["metadata"].get("request_id") == made)


def test_refusals_are_logged(served):
    status, headers, _ = served.json("POST", "/v1/events", b'{"model": "jukebox"}', {"content-type": "application/json"})
    assert status == 401
    rid = headers["x-request-id"]
    access = wait_for_log(served, lambda e: e["metadata"].get("request_id") == rid and "route" in e["metadata"])[0]
    assert access["level"] == "notice" and access["metadata"]["route"] == "/v1/events" and access["metadata"]["status"] == "401"
    # The reason is logged too, under the same request id.
    reason = wait_for_log(served, lambda e: e["metadata"].get("request_id") == rid and e["message"] == "request refused")[0]
    assert reason["level"] == "notice" and reason["metadata"]["problem"] == "unauthorized" and reason["metadata"]["detail"]
    status, headers, _ = served.json("GET", "/no/such/route")
    assert status == 404
    rid = headers["x-request-id"]
    missing = wait_for_log(served, lambda e: e["metadata"].get("request_id") == rid)[0]
    assert missing["metadata"]["route"] == "unmatched" and missing["metadata"]["status"] == "404"


def test_a_wrong_method_on_a_known_path_is_405_with_allow(served):
    status, headers, problem = served.json("DELETE", "/v1/events")
    assert status == 405 and headers["allow"] == "POST"
    assert headers["content-type"] == "application/problem+json" and problem["status"] == 405
    status, headers, _ = served.json("POST", "/v1/promotions/p-1")
    assert status == 405 and headers["allow"] == "GET"
    assert served.json("PUT", "/not/a/path")[0] == 404


def test_a_promotion_logs_its_lifecycle_and_adapter_lines_carry_its_id(served):
    status, _, body = served.post_event({"model": "jukebox", "version": "1.4.2", "uri": "gs://models/jukebox/1.4.2"})
    assert status == 202
    pid = body["id"]
    served.wait_for(pid)
    accepted = wait_for_log(served, lambda e: e["message"] == "event accepted" and e["metadata"].get("promotion") == pid)
    assert accepted[0]["level"] == "info" and accepted[0]["metadata"].get("request_id")
    # The git mirror's first clone happens inside the promotion's run: its line carries the promotion's id.
    git = wait_for_log(served, lambda e: e["label"] == "promote.git" and e["metadata"].get("promotion") == pid)
    assert git[0]["message"].startswith("cloned ")
    ran = wait_for_log(served, lambda e: e["message"] == "promotion ran" and e["metadata"].get("promotion") == pid)
    assert ran[0]["metadata"]["state"] in ("awaiting-review", "done")


def test_metrics_pass_promtool_and_name_what_an_operator_needs(served):
    served.request("GET", "/healthz")
    served.post_event({"model": "jukebox", "version": "1.4.3", "uri": "gs://models/jukebox/1.4.3"})
    status, headers, text = served.request("GET", "/metrics")
    assert status == 200
    text = text.decode()
    promtool = shutil.which("promtool")
    assert promtool, "promtool is not installed (Debian's prometheus package): run scripts/setup.sh"
    check = subprocess.run([promtool, "check", "metrics"], input=text, capture_output=True, text=True, timeout=60)
    assert check.returncode == 0, check.stdout + check.stderr
    # `promote --version` prints "0.1.0-dev (source build)" or "0.1.0-dev (commit …)": the version is its first word.
    version = subprocess.run([str(binary("promote")), "--version"], capture_output=True, text=True).stdout.split()[0]
    assert f'promote_build_info{{version="{version}",commit="' in text or f'promote_build_info{{commit="' in text
    assert 'promote_http_requests_total{method="GET",route="/healthz",status="200"}' in text
    assert 'promote_http_request_duration_seconds_bucket{method="GET",route="/healthz",le="0.005"}' in text
    assert 'promote_http_requests_total{method="POST",route="/v1/events",status="202"}' in text
    for name in ("process_resident_memory_bytes", "process_cpu_seconds_total", "process_open_fds", "process_start_time_seconds",
                 "promote_git_operations_total", "promote_forge_calls_total", "promote_forge_retries_total",
                 "promote_forge_rate_limit_waits_total"):
        assert f"\n{name}" in text, name
    assert 'promote_forge_calls_total{operation="create",result="ok"}' in text or "promote_forge_calls_total{" in text
    assert "promote_reconcile_last_run " not in text


def test_the_openapi_document_carries_the_binary_version(served):
    # `promote --version` prints "0.1.0-dev (source build)" or "0.1.0-dev (commit …)": the version is its first word.
    version = subprocess.run([str(binary("promote")), "--version"], capture_output=True, text=True).stdout.split()[0]
    doc = served.json("GET", "/openapi.json")[2]
    assert doc["info"]["version"] == version


def test_a_port_in_use_fails_with_one_clear_sentence():
    holder = socket.socket()
    holder.bind(("127.0.0.1", 0))
    holder.listen(1)
    port = holder.getsockname()[1]
    w = ServeWorld(FILES)
    try:
        r = subprocess.run([str(binary("promote")), "serve", "--listen", f"127.0.0.1:{port}"], env=w.env,
                           capture_output=True, text=True, timeout=60)
        assert r.returncode == 1
        assert r.stderr.startswith(f"error: cannot listen on 127.0.0.1:{port}: the address is already in use"), r.stderr
        assert "bind(" not in r.stderr and "state store" not in r.stderr and "NIO" not in r.stderr, r.stderr
        assert r.stdout == ""
    finally:
        holder.close()
        w.close()
