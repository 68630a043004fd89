"""CDEvents from the durable outbox of `promote serve` (the real binary): a sink that is down while promotions land,
then a `kill -9` of the service, then the sink up and the service restarted: the sink gets every event exactly once,
in order per subject, each signed with Standard Webhooks headers that verify by the algorithm of the shared vectors;
`/metrics` counts the retries and the deliveries."""
import base64
import json
import time

from release_world import ROOT
from serve_world import EventSink, ServeWorld, github_webhook, sign
from test_release_e2e import FILES

SINK_SECRET = "whsec_" + base64.b64encode(bytes(range(50, 82))).decode()
VECTORS = json.loads((ROOT / "Tests/Fixtures/webhooks/standard-webhooks/vectors.json").read_text())


def test_sign_is_the_algorithm_of_the_shared_vectors():
    checked = 0
    for v in VECTORS["vectors"]:
        if v.get("expect") != "accept":
            continue
        expected = v["expected"]["webhook-signature"].split()
        assert any(sign(secret, v["id"], v["timestamp"], v["body"].encode()) in expected for secret in v["secrets"]), v["name"]
        checked += 1
    assert checked >= 2


def land(w, version):
    status, _, accepted = w.post_event({"model": "jukebox", "version": version, "uri": f"gs://models/jukebox/{version}"})
    assert status == 202, accepted
    assert w.wait_for(accepted["id"])["state"] == "awaiting-review"
    [pull] = [p for p in w.open_pulls() if p["state"] == "open"]
    w.control("POST", f"/_sim/pulls/{pull['number']}/merge?project=acme/gitops")
    assert github_webhook(w, pull["number"])[2]["status"] == "recorded"


def metric(text, name, **labels):
    for line in text.splitlines():
        if line.startswith(name + "{") and all(f'{k}="{v}"' in line for k, v in labels.items()):
            return float(line.rsplit(" ", 1)[1])
    return 0.0


def test_a_sink_down_across_a_kill_9_gets_every_event_once_in_order_and_signed():
    sink = EventSink()
    sink.status = 503
    extra = (f'  cdevents: {{sinks: [{{url: "{sink.url}", secretEnv: E2E_SINK_SECRET}}], attempts: 50, backoff: 0.2s}}\n')
    w = ServeWorld(FILES, service_extra=extra)
    w.env["E2E_SINK_SECRET"] = SINK_SECRET
    try:
        w.start()
        land(w, "1.4.2")
        land(w, "1.4.3")
        deadline = time.monotonic() + 20
        while sink.refused < 4 and time.monotonic() < deadline:
            time.sleep(0.05)
        assert sink.refused >= 4 and sink.events == []
        text = w.request("GET", "/metrics")[2].decode()
        assert metric(text, "promote_cdevents_total", outcome="retried") >= 1
        w.kill9()

        sink.status = 202
        w.start()
        events = sink.wait(4)
        time.sleep(1.5)  # any duplicate would arrive by now
        assert len(sink.events) == 4, [e["body"]["type"] for e in sink.events]
        ids = [e["body"]["id"] for e in sink.events]
        assert len(set(ids)) == 4
        by_subject = {}
        for e in events:
            by_subject.setdefault((e["body"]["type"], e["body"]["subject"]), []).append(e["body"]["data"]["customData"]["version"])
        assert sorted(by_subject) == [("dev.cdevents.environment.modified.0.3.0", "production"),
                                      ("dev.cdevents.service.deployed.0.3.0", "production/jukebox")]
        assert all(versions == ["1.4.2", "1.4.3"] for versions in by_subject.values()), by_subject
        for e in events:
            h = e["headers"]
            assert h["webhook-id"] == e["body"]["id"]
            assert abs(int(h["webhook-timestamp"]) - time.time()) < 300
            assert sign(SINK_SECRET, h["webhook-id"], h["webhook-timestamp"], e["raw"]) in h["webhook-signature"].split()
        text = w.request("GET", "/metrics")[2].decode()
        assert metric(text, "promote_cdevents_total", outcome="delivered") == 4
        assert metric(text, "promote_cdevents_pending") == 0
        assert SINK_SECRET not in w.log()
    finally:
        w.close()
        sink.close()


def test_an_event_a_sink_never_takes_is_given_up_after_its_attempts_and_counted():
    sink = EventSink()
    sink.status = 500
    w = ServeWorld(FILES, service_extra=f'  cdevents: {{sinks: ["{sink.url}"], attempts: 2, backoff: 0.1s}}\n')
    try:
        w.start()
        land(w, "1.4.2")
        deadline = time.monotonic() + 20
        text = ""
        while time.monotonic() < deadline:
            text = w.request("GET", "/metrics")[2].decode()
            if metric(text, "promote_cdevents_total", outcome="failed") >= 2:
                break
            time.sleep(0.2)
        assert metric(text, "promote_cdevents_total", outcome="failed") == 2, text
        import sqlite3
        with sqlite3.connect(w.state_db) as db:
            rows = db.execute("SELECT state, attempts, last_error FROM event_outbox").fetchall()
        assert rows == [("failed", 2, "HTTP 500")] * 2
        assert sink.refused == 4  # two events, two attempts each, every one reached the sink
    finally:
        w.close()
        sink.close()


def test_a_signed_sink_whose_secret_is_unset_or_malformed_stops_serve_with_the_variable_named():
    extra = '  cdevents: {sinks: [{url: "http://127.0.0.1:9/e", secretEnv: E2E_SINK_SECRET}], attempts: 0}\n'
    w = ServeWorld(FILES, service_extra=extra)
    try:
        import subprocess
        from release_world import binary
        r = subprocess.run([str(binary("promote")), "config", "validate"], env=w.env, capture_output=True, text=True, timeout=60)
        assert r.returncode == 1 and "service.cdevents.attempts" in r.stderr and "1 to 100" in r.stderr, r.stderr
        w.config.write_text(w.config.read_text().replace(", attempts: 0", ""))
        for value, says in ((None, "E2E_SINK_SECRET, which is not set"), ("not-a-secret", "E2E_SINK_SECRET")):
            if value:
                w.env["E2E_SINK_SECRET"] = value
            try:
                w.start()
                raise AssertionError("serve started")
            except RuntimeError as e:
                assert says in str(e), str(e)[-500:]
                assert "not-a-secret" not in str(e)
    finally:
        w.close()
