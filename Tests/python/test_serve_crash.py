"""Restart safety: `kill -9` the real `promote serve` at random points while a sender streams 200 signed events
(retrying each until it gets its 202, as a CI job would), restart it each time, and show that every event reached
exactly one promotion with one final outcome, with no duplicate commit and no duplicate pull request."""
import json
import random
import socket
import sqlite3
import threading
import time

from serve_world import ServeWorld
from test_release_e2e import FILES, STAGING

MODELS = [f"model{i}" for i in range(5)]
FINAL = {"done", "awaiting-review", "superseded", "failed"}


def files():
    f = dict(FILES)
    for m in MODELS:
        spec = STAGING.replace("jukebox", m)
        f[f"environments/staging/{m}.yaml"] = spec
        f[f"environments/production/{m}.yaml"] = spec.replace("staging", "production")
    return f


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_kill_9_at_random_points_loses_nothing_and_duplicates_nothing():
    rng = random.Random(7)
    w = ServeWorld(files(), service_extra="  poll: {every: 1h}\n")
    port = free_port()
    try:
        w.start(port=port)
        events = []
        for n in range(200):
            m = MODELS[n % len(MODELS)]
            version = f"1.{n // len(MODELS)}.0"
            body = json.dumps({"model": m, "version": version, "uri": f"gs://models/{m}/{version}",
                               "idempotencyKey": f"crash-{n}"}).encode()
            events.append((body, w.signed_headers(body)))
        answers = {}
        done = threading.Event()

        def sender():
            for n, (body, headers) in enumerate(events):
                deadline = time.monotonic() + 120
                while time.monotonic() < deadline:
                    try:
                        # Re-deliveries keep their webhook-id and signature; only the timestamp window bounds them.
                        status, _, answer = w.json("POST", "/v1/events", body, headers)
                        if status == 202:
                            answers.setdefault(n, set()).add(answer["id"])
                            break
                        raise AssertionError(f"event {n}: {status} {answer}")
                    except (ConnectionError, OSError, json.JSONDecodeError):
                        time.sleep(0.05)
                else:
                    raise AssertionError(f"event {n} was never accepted")
                # Each event is sent twice more at random: re-delivery must find the same promotion.
                if rng.random() < 0.1:
                    try:
                        status, _, answer = w.json("POST", "/v1/events", body, headers)
                        if status == 202:
                            answers[n].add(answer["id"])
                    except (ConnectionError, OSError):
                        pass
            done.set()

        thread = threading.Thread(target=sender, daemon=True)
        thread.start()
        # Kill points are counts of accepted events (drawn once), then a random instant after each: whatever the
        # machine's speed, the service dies mid-stream at least that often, with requests and promotions in flight.
        kills = mid_stream = 0
        for point in sorted(rng.sample(range(10, 190), 5)):
            deadline = time.monotonic() + 120
            while len(answers) < point and not done.is_set() and time.monotonic() < deadline:
                time.sleep(0.005)
            time.sleep(rng.uniform(0, 0.05))
            mid_stream += not done.is_set()
            w.kill9()
            kills += 1
            w.start(port=port)
        assert done.wait(300), "the stream did not finish"
        thread.join(5)
        # One more kill while the queue drains, then let it finish.
        time.sleep(rng.uniform(0.1, 0.5))
        w.kill9()
        kills += 1
        w.start(port=port)

        assert kills == 6 and mid_stream == 5, f"only {mid_stream} of the 5 kills came while events were streaming"
        assert len(answers) == 200 and all(len(ids) == 1 for ids in answers.values()), "a re-delivery made a second promotion"
        deadline = time.monotonic() + 240
        while time.monotonic() < deadline:
            with sqlite3.connect(w.state_db) as db:
                states = dict(db.execute("SELECT id, state FROM promotion").fetchall())
            if all(s in FINAL for s in states.values()):
                break
            time.sleep(0.5)
        ids = {next(iter(v)) for v in answers.values()}
        assert ids == set(states), "the store holds promotions no event led to, or lost one"
        assert all(s in FINAL for s in states.values()), {s for s in states.values()}
        with sqlite3.connect(w.state_db) as db:
            failed = db.execute("SELECT id, detail FROM promotion WHERE state = 'failed'").fetchall()
        assert failed == [], failed

        # No duplicate commit: each (model, version) is pushed to staging at most once.
        log = w.git("log", "--format=%(trailers:key=Promote-Model,valueonly)%(trailers:key=Promote-Version,valueonly)%x00", "main")
        pushed = [tuple(c.split()) for c in log.split("\x00") if c.strip()]
        assert len(pushed) == len(set(pushed)), "a version was committed twice"
        # No duplicate pull request: one per model, ever.
        pulls = w.pulls()
        heads = [p["head"] for p in pulls]
        assert len(heads) == len(set(heads)) == len(MODELS), heads
        # And the newest version of each model is what staging runs and what its PR proposes.
        for m in MODELS:
            assert f"gs://models/{m}/1.39.0" in w.show("main", f"environments/staging/{m}.yaml")
    finally:
        w.close()
