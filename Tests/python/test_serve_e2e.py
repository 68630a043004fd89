"""`promote serve` end to end through real HTTP on loopback: every sample in shared/events (native and
CloudEvents, good and bad), every authentication failure, replay and rotation, oversize and malformed bodies,
idempotent re-delivery, the workers' real commits and pull requests, a forge merge webhook, metrics, and a
graceful SIGTERM. The service is the real binary; git and the forge are the real servers of release_world."""
import json
import pathlib
import time

import pytest

from release_world import ROOT
from serve_world import SECRET_NEW, SECRET_OLD, TOKEN, EventSink, ServeWorld, cdevent_validator, github_webhook, sign
from test_release_e2e import BOT, FILES, PRODUCTION_PATH, STAGING_PATH

EVENTS = ROOT / "Tests/Fixtures/events"
NATIVE = EVENTS / "native"
EXPECTED = json.loads((NATIVE / "expected.json").read_text())
CLOUDEVENTS = sorted((EVENTS / "cloudevents/samples").glob("artifact-published-*.json")) + sorted(
    (EVENTS / "cloudevents/bad").glob("*.json"))


@pytest.fixture(scope="module")
def served():
    w = ServeWorld(FILES)
    try:
        w.start()
        yield w
    finally:
        w.close()


@pytest.fixture
def fresh():
    w = ServeWorld(FILES)
    try:
        yield w
    finally:
        w.close()


def promotions_in_db(world):
    import sqlite3
    with sqlite3.connect(world.state_db) as db:
        return db.execute("SELECT COUNT(*) FROM promotion").fetchone()[0]


# -- native events -------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("name", sorted(EXPECTED["good"]))
def test_every_good_native_sample_is_accepted(served, name):
    status, headers, body = served.post_event((NATIVE / name).read_bytes())
    assert status == EXPECTED["good"][name]["status"] == 202, body
    assert set(body) == {"id", "status", "statusUrl"} and body["statusUrl"] == f"/v1/promotions/{body['id']}"
    assert headers["location"] == body["statusUrl"]
    same = EXPECTED["good"][name].get("samePromotionAs")
    if same:
        first = served.post_event((NATIVE / same).read_bytes())[2]
        assert body["id"] == first["id"], "a re-delivery with the same idempotency key made a new promotion"


# `description-2mb.json` is not a file (it is generated): test_oversize_body_is_refused_before_it_is_read sends it.
@pytest.mark.parametrize("name", sorted(n for n in EXPECTED["bad"] if (NATIVE / "bad" / n).exists()))
def test_every_bad_native_sample_is_refused_with_a_problem_naming_the_field(served, name):
    path = NATIVE / "bad" / name
    before = promotions_in_db(served)
    status, headers, body = served.post_event(path.read_bytes())
    want = EXPECTED["bad"][name]
    assert status == want["status"], body
    assert headers["content-type"] == "application/problem+json"
    assert body["status"] == status and body["title"] and body["type"].startswith("urn:promote:problem:")
    if want.get("field"):
        fields = [e["field"] for e in body.get("errors", [])]
        assert any(f == want["field"] or f.startswith(want["field"] + ".") or f.startswith(want["field"] + "[")
                   for f in fields), (want["field"], body)
    assert promotions_in_db(served) == before, "a refused event was stored"


def test_oversize_body_is_refused_before_it_is_read(served):
    """expected.json's `description-2mb.json`, generated here: a 2 MiB description."""
    body = b'{"model": "jukebox", "version": "1.0.0", "uri": "gs://models/jukebox/1", "description": "' + b"a" * (2 << 20) + b'"}'
    before = promotions_in_db(served)
    status, headers, problem = served.post_event(body)
    assert status == EXPECTED["bad"]["description-2mb.json"]["status"] == 413
    assert headers["content-type"] == "application/problem+json"
    assert "1048576" in problem["title"]
    assert promotions_in_db(served) == before


@pytest.mark.parametrize("content_type,body,status", [
    ("application/json", b"{not json", 400),
    ("application/json", b"", 400),
    ("text/plain", b'{"model": "jukebox"}', 415),
    ("application/cloudevents-batch+json", b"[]", 415),
])
def test_malformed_bodies_and_media_types(served, content_type, body, status):
    got, _, problem = served.post_event(body, content_type=content_type)
    assert got == status, problem


# -- CloudEvents ---------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("path", CLOUDEVENTS, ids=lambda p: p.name)
def test_every_cloudevents_sample_reaches_its_expected_outcome(served, path):
    sample = json.loads(path.read_text())
    req = sample["request"]
    body = req["body"].encode()
    headers = {k.lower(): v for k, v in req["headers"].items()}
    content_type = headers.pop("content-type", "application/json")
    status, _, answer = served.post_event(body, headers=headers, content_type=content_type)
    expect = sample["expect"]
    want = expect["status"] if isinstance(expect, dict) else int(str(expect)[:3])
    assert status == want, (path.name, answer)
    if status == 202:
        p = served.promotion(answer["id"])
        assert (p["model"], p["version"], p["uri"]) == ("jukebox", "1.4.2", "gs://models/jukebox/1.4.2")
    elif isinstance(expect, dict) and expect.get("field"):
        assert any(expect["field"] in e["field"] for e in answer.get("errors", [])) or expect["field"] in answer["title"], answer


# -- authentication ---------------------------------------------------------------------------------------------------

GOOD = b'{"model": "jukebox", "version": "9.9.%d", "uri": "gs://models/jukebox/9.9.%d"}'


def unsigned(n):
    return GOOD % (n, n)


@pytest.mark.parametrize("case", ["none", "wrong-secret", "stale", "future", "tampered", "bad-bearer", "no-v1",
                                  "missing-timestamp", "mlflow-style-key"])
def test_every_authentication_failure_is_401_and_stores_nothing(served, case):
    body = unsigned(100 + len(case))
    headers = served.signed_headers(body)
    if case == "none":
        headers = {"content-type": "application/json"}
    elif case == "wrong-secret":
        headers = served.signed_headers(body, secret="whsec_" + "QUJD" * 8)
    elif case == "stale":
        headers = served.signed_headers(body, timestamp=int(time.time()) - 301)
    elif case == "future":
        headers = served.signed_headers(body, timestamp=int(time.time()) + 301)
    elif case == "tampered":
        body = body.replace(b"9.9", b"9.8")
    elif case == "bad-bearer":
        headers = {"content-type": "application/json", "authorization": "Bearer not-the-token"}
    elif case == "no-v1":
        headers["webhook-signature"] = headers["webhook-signature"].replace("v1,", "v1a,")
    elif case == "missing-timestamp":
        del headers["webhook-timestamp"]
    elif case == "mlflow-style-key":
        import base64, hashlib, hmac
        mac = hmac.new(SECRET_NEW.encode(), f"{headers['webhook-id']}.{headers['webhook-timestamp']}.".encode() + body,
                       hashlib.sha256).digest()
        headers["webhook-signature"] = "v1," + base64.b64encode(mac).decode()
    before = promotions_in_db(served)
    status, resp_headers, problem = served.json("POST", "/v1/events", body, headers)
    assert status == 401, problem
    assert resp_headers["content-type"] == "application/problem+json" and "www-authenticate" in resp_headers
    assert promotions_in_db(served) == before
    for secret in (SECRET_NEW, SECRET_OLD, TOKEN):
        assert secret not in json.dumps(problem)


def test_bearer_token_and_both_rotated_secrets_are_accepted(served):
    status, _, _ = served.json("POST", "/v1/events", unsigned(1),
                               {"content-type": "application/json", "authorization": f"Bearer {TOKEN}"})
    assert status == 202
    assert served.post_event(unsigned(2), secret=SECRET_OLD)[0] == 202
    body = unsigned(3)
    headers = served.signed_headers(body, secret=SECRET_NEW)
    old = sign(SECRET_OLD, headers["webhook-id"], headers["webhook-timestamp"], body)
    headers["webhook-signature"] = "v1,AAAA " + old  # a stale key's signature first, then the old key's
    assert served.json("POST", "/v1/events", body, headers)[0] == 202


def test_a_replayed_delivery_returns_the_original_promotion_and_a_reused_id_with_another_body_is_refused(served):
    body = unsigned(7)
    headers = served.signed_headers(body)
    first = served.json("POST", "/v1/events", body, headers)
    again = served.json("POST", "/v1/events", body, headers)
    assert first[0] == again[0] == 202 and first[2]["id"] == again[2]["id"]
    other = unsigned(8)
    reused = dict(headers, **{"webhook-signature": sign(SECRET_NEW, headers["webhook-id"], headers["webhook-timestamp"], other)})
    status, _, problem = served.json("POST", "/v1/events", other, reused)
    assert status == 409 and "delivery" in problem["title"]


# -- what the workers do -------------------------------------------------------------------------------------------------

def test_an_accepted_event_pushes_staging_and_opens_the_pull_request_then_a_merge_webhook_closes_the_loop():
    sink = EventSink()
    fresh = ServeWorld(FILES, service_extra=f'  cdevents: {{sinks: ["{sink.url}"]}}\n')
    try:
        merge_webhook_scenario(fresh, sink)
    finally:
        fresh.close()
        sink.close()


def merge_webhook_scenario(fresh, sink):
    fresh.start()
    status, _, accepted = fresh.post_event({"model": "jukebox", "version": "1.4.2", "uri": "gs://models/jukebox/1.4.2",
                                            "metrics": {"accuracy": 0.93}})
    assert status == 202
    p = fresh.wait_for(accepted["id"])
    assert p["state"] == "awaiting-review", p
    assert "1.4.2" in fresh.show("main", STAGING_PATH)
    assert [s["action"] for s in p["steps"]] == ["pushed", "pr-opened"]
    pulls = fresh.open_pulls()
    assert len(pulls) == 1 and pulls[0]["head"] == BOT
    number = pulls[0]["number"]

    # A webhook with a wrong signature changes nothing.
    assert github_webhook(fresh, number, secret="wrong")[0] == 401
    # The reviewer merges; the forge tells the service.
    fresh.control("POST", f"/_sim/pulls/{number}/merge?project=acme/gitops")
    status, _, answer = github_webhook(fresh, number)
    assert status == 200 and answer["status"] == "recorded", answer
    assert fresh.wait_for(accepted["id"], states=("done",))["state"] == "done"
    assert "1.4.2" in fresh.show("main", PRODUCTION_PATH)
    assert fresh.tip(BOT) is None, "the bot's branch was not deleted"
    # A second delivery of the same news changes nothing.
    assert github_webhook(fresh, number)[2]["status"] == "already-recorded"
    _, _, status_doc = fresh.json("GET", "/v1/status")
    live = {e["name"]: e.get("version") for m in status_doc["models"] if m["model"] == "jukebox" for e in m["environments"]}
    assert live["production"] == "1.4.2" and live["staging"] == "1.4.2"
    # The sink heard that 1.4.2 landed in production: CDEvents 0.5.1 in structured CloudEvents, valid by their schemas.
    events = {e["body"]["type"]: e for e in sink.wait(2)}
    for ce_type, schema in (("dev.cdevents.service.deployed.0.3.0", "servicedeployed"),
                            ("dev.cdevents.environment.modified.0.3.0", "environmentmodified")):
        event = events[ce_type]
        assert event["content-type"].startswith("application/cloudevents+json")
        cloud = event["body"]
        assert cloud["specversion"] == "1.0" and cloud["data"]["context"]["type"] == ce_type
        errors = [e.message for e in cdevent_validator(schema).iter_errors(cloud["data"])]
        assert errors == [], errors
        assert cloud["data"]["customData"]["version"] == "1.4.2" and "bot:" not in json.dumps(cloud)
    assert events["dev.cdevents.service.deployed.0.3.0"]["body"]["data"]["subject"]["content"]["artifactId"] == \
        "pkg:generic/jukebox@1.4.2?download_url=gs%3A%2F%2Fmodels%2Fjukebox%2F1.4.2"


def test_a_burst_for_one_model_is_coalesced_into_one_commit(fresh):
    fresh.start()
    before = fresh.tip("main")
    ids = [fresh.post_event({"model": "jukebox", "version": f"2.0.{i}", "uri": f"gs://models/jukebox/2.0.{i}",
                             "environments": ["staging"]})[2]["id"] for i in range(12)]
    states = [fresh.wait_for(i)["state"] for i in ids]
    assert states[-1] == "done"
    assert set(states) <= {"done", "superseded"}
    commits = fresh.git("rev-list", f"{before}..main").split()
    assert len(commits) == states.count("done") < len(ids), (len(commits), states)
    assert "2.0.11" in fresh.show("main", STAGING_PATH)


def test_metrics_health_and_openapi(served):
    served.post_event(unsigned(42))
    status, headers, text = served.request("GET", "/metrics")
    text = text.decode()
    assert status == 200 and headers["content-type"].startswith("text/plain")
    for name in ("promote_events_total", "promote_promotions", "promote_queue_depth", "promote_drift_findings"):
        assert name in text, name
    assert served.json("GET", "/healthz")[0] == 200
    assert served.json("GET", "/readyz")[0] == 200
    status, _, doc = served.json("GET", "/openapi.json")
    assert status == 200 and doc["openapi"].startswith("3.1") and "/v1/events" in doc["paths"]
    status, headers, problem = served.json("GET", "/v1/promotions/p-does-not-exist")
    assert status == 404 and headers["content-type"] == "application/problem+json"
    assert served.json("GET", "/no/such/route")[0] == 404


def test_serve_refuses_to_start_without_intake_secrets(fresh):
    fresh.env.pop("E2E_SECRET_NEW")
    r = fresh.promote("serve", "--listen", "127.0.0.1:0", check=False, timeout=30)
    assert r.returncode == 1 and "E2E_SECRET_NEW" in r.stderr and "not set" in r.stderr


def test_sigterm_finishes_running_work_and_exits_zero(fresh):
    fresh.start()
    _, _, accepted = fresh.post_event({"model": "jukebox", "version": "3.0.0", "uri": "gs://models/jukebox/3.0.0"})
    assert fresh.terminate() == 0, fresh.log()[-2000:]
    # Whatever was accepted is finished now, or is still queued for the next start: never half-done.
    import sqlite3
    with sqlite3.connect(fresh.state_db) as db:
        state = db.execute("SELECT state FROM promotion WHERE id = ?", (accepted["id"],)).fetchone()[0]
    assert state in ("queued", "awaiting-review"), state
    fresh.start()
    assert fresh.wait_for(accepted["id"])["state"] == "awaiting-review"
