"""`promote serve` and the promotion lifecycle (issues 13 and 14): outages of the git server and of the forge while
events arrive end with every accepted event `done`/`awaiting-review`/`superseded` (transient failures are retried
with bounded, jittered backoff), a promotion that crashes its worker twice is quarantined instead of killing the
service on every restart, and an idempotency key reused for a different request is refused with 409. All real
parts: the binary, smart HTTP with basic auth behind a loopback TCP relay that can refuse connections, the
stand-in forge answering 503."""
import json
import socket
import sqlite3
import threading
import time

import pytest

from serve_world import ServeWorld
from test_release_e2e import FILES, STAGING

MODELS = ["jukebox", "radio"]
FINAL_OK = {"done", "awaiting-review", "superseded"}


def files():
    f = dict(FILES)
    for model in ("radio", "tuner"):
        spec = STAGING.replace("jukebox", model)
        f[f"environments/staging/{model}.yaml"] = spec
        f[f"environments/production/{model}.yaml"] = spec.replace("staging", "production")
    return f


class Relay:
    """A loopback TCP relay in front of the git server: `down()` closes its listener (connections are refused, as
    for a server that is down), `up()` listens again on the same port."""

    def __init__(self, upstream_port):
        self.upstream = upstream_port
        self.listener = None
        self.port = None
        self.up()

    def up(self):
        s = socket.socket()
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        s.bind(("127.0.0.1", self.port or 0))
        s.listen(64)
        self.port = s.getsockname()[1]
        self.listener = s
        threading.Thread(target=self._accept, args=(s,), daemon=True).start()

    def down(self):
        self.listener.close()

    def _accept(self, listener):
        while True:
            try:
                client, _ = listener.accept()
            except OSError:
                return
            try:
                upstream = socket.create_connection(("127.0.0.1", self.upstream), timeout=10)
            except OSError:
                client.close()
                continue
            for a, b in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pump, args=(a, b), daemon=True).start()

    @staticmethod
    def _pump(src, dst):
        try:
            while data := src.recv(65536):
                dst.sendall(data)
        except OSError:
            pass
        finally:
            for s in (src, dst):
                try:
                    s.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass


@pytest.fixture
def world():
    """A ServeWorld (not started yet) whose git URL goes through a Relay: (world, relay); both closed afterwards."""
    w = ServeWorld(files(), service_extra="  poll: {every: 1h}\n",
                   models='models:\n  jukebox: {allowedUris: ["gs://models/jukebox/"]}\n')
    relay = Relay(int(w.git_port))
    w.config.write_text(w.config.read_text().replace(f"127.0.0.1:{w.git_port}/", f"127.0.0.1:{relay.port}/"))
    try:
        yield w, relay
    finally:
        w.close()
        relay.down()


def event(w, model, version, key=None):
    body = {"model": model, "version": version, "uri": f"gs://models/{model}/{version}"}
    if key:
        body["idempotencyKey"] = key
    status, _, answer = w.post_event(body)
    assert status == 202, answer
    return answer["id"]


def states(w):
    with sqlite3.connect(w.state_db) as db:
        return dict(db.execute("SELECT id, state FROM promotion").fetchall())


def wait_all(w, ids, timeout=150):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        now = states(w)
        if all(now.get(i) in FINAL_OK | {"failed"} for i in ids):
            return now
        time.sleep(0.5)
    raise AssertionError(f"not final: {states(w)}\n{w.log()[-4000:]}")


def test_outages_of_the_git_server_and_the_forge_lose_no_accepted_event(world):
    w, relay = world
    w.start()
    ids = [event(w, "jukebox", "1.0.0")]
    w.wait_for(ids[0], states=("awaiting-review",))

    # The git server is down for 10 s while events arrive.
    relay.down()
    ids += [event(w, "jukebox", "1.1.0"), event(w, "radio", "1.0.0")]
    time.sleep(10)
    relay.up()
    wait_all(w, ids)

    # The forge answers 503 to everything for 10 s while events arrive.
    w.fault(kind="status", status=503, count=100000)
    ids += [event(w, "jukebox", "1.2.0"), event(w, "radio", "1.1.0")]
    time.sleep(10)
    w.control("DELETE", "/_sim/faults")
    final = wait_all(w, ids)

    assert {final[i] for i in ids} <= FINAL_OK, final
    with sqlite3.connect(w.state_db) as db:
        assert db.execute("SELECT COUNT(*) FROM promotion WHERE state = 'failed'").fetchone() == (0,)
    # Nothing duplicated: one staging commit per (model, version), one pull request per model.
    log = w.git("log", "--format=%(trailers:key=Promote-Model,valueonly)%(trailers:key=Promote-Version,valueonly)%x00", "main")
    pushed = [tuple(c.split()) for c in log.split("\x00") if c.strip()]
    assert len(pushed) == len(set(pushed)), pushed
    heads = [p["head"] for p in w.pulls()]
    assert sorted(heads) == sorted(f"promote/production/{m}" for m in MODELS), heads
    # The newest versions are what staging runs and what the pull requests propose.
    assert "gs://models/jukebox/1.2.0" in w.show("main", "environments/staging/jukebox.yaml")
    assert "gs://models/radio/1.1.0" in w.show("main", "environments/staging/radio.yaml")
    titles = {p["head"]: p["title"] for p in w.open_pulls()}
    assert "1.2.0" in titles["promote/production/jukebox"] and "1.1.0" in titles["promote/production/radio"]


def test_a_reused_idempotency_key_for_another_request_is_409(world):
    w, relay = world
    w.start()
    first = event(w, "jukebox", "2.0.0", key="ci-run-77")
    assert event(w, "jukebox", "2.0.0", key="ci-run-77") == first, "the same request again is the same promotion"
    status, _, problem = w.post_event({"model": "jukebox", "version": "2.0.1", "uri": "gs://models/jukebox/2.0.1",
                                       "idempotencyKey": "ci-run-77"})
    assert status == 409 and problem["type"].endswith("idempotency-key-reused"), problem
    assert len(states(w)) == 1, "nothing stored for the refused request"


def test_a_promotion_that_crashes_its_worker_twice_is_quarantined_and_resending_decides_it_again(world):
    w, relay = world
    # The forge holds the pull request's creation long enough to kill the service while it runs, twice.
    w.fault(kind="delay", delayMilliseconds=30000, method="POST", pathContains="/pulls", count=2)
    w.start()
    body = {"model": "jukebox", "version": "3.0.0", "uri": "gs://models/jukebox/3.0.0", "idempotencyKey": "poison"}
    pid = event(w, "jukebox", "3.0.0", key="poison")
    for _ in range(2):
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and states(w).get(pid) != "running":
            time.sleep(0.1)
        time.sleep(1.5)  # inside the held request
        w.kill9()
        w.start(port=w.port)
    w.wait_for(pid, states=("failed",), timeout=30)
    with sqlite3.connect(w.state_db) as db:
        [(detail,)] = db.execute("SELECT detail FROM promotion WHERE id = ?", (pid,)).fetchall()
    assert "quarantined" in detail, detail
    # Other work still runs.
    other = event(w, "radio", "1.0.0")
    w.wait_for(other, states=("awaiting-review",))
    # Sending the request again decides it again.
    status, _, answer = w.post_event(body)
    assert status == 202 and answer["id"] == pid
    assert w.wait_for(pid, states=("awaiting-review", "failed"))["state"] == "awaiting-review"


def test_a_burst_for_several_models_of_one_repository_is_one_commit(world):
    w, relay = world
    # The first promotion holds its lane (the forge takes 8 s to open its pull request) while three models queue.
    w.fault(kind="delay", delayMilliseconds=8000, method="POST", pathContains="/pulls", count=1)
    w.start()
    first = event(w, "jukebox", "1.0.0")
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and w.tip("promote/production/jukebox") is None:
        time.sleep(0.05)  # staging pushed, the bot branch pushed: the pull request's creation is being held
    before = w.tip("main")
    burst = [event(w, "jukebox", "1.1.0"), event(w, "radio", "1.0.0"), event(w, "tuner", "1.0.0")]
    final = wait_all(w, [first] + burst, timeout=60)
    assert {final[i] for i in burst} == {"awaiting-review"}, final
    # The commits since the bot branch appeared that carry the burst (the first promotion's own staging commit, if
    # it landed after `before` was read on a slow machine, carries only jukebox 1.0.0 and is not counted).
    commits = [c for c in w.git("rev-list", f"{before}..main").split()
               if "Promote-Version: 1.1.0" in (m := w.git("log", "-1", "--format=%B", c))
               or "Promote-Model: radio" in m or "Promote-Model: tuner" in m]
    assert len(commits) == 1, ("one commit carries the three models' changes",
                               [w.git("log", "-1", "--format=%B", c) for c in commits], w.log()[-6000:])
    message = w.git("log", "-1", "--format=%B", commits[0])
    blocks = [line.split(": ", 1)[1] for line in message.splitlines() if line.startswith("Promote-Model: ")]
    assert sorted(blocks) == ["jukebox", "radio", "tuner"], message
    trailers = w.git("log", "-1", "--format=%(trailers:key=Promote-Model,valueonly)", commits[0]).split()
    assert sorted(trailers) == ["jukebox", "radio", "tuner"], "git reads every trailer block"
    # Pull requests stay one per model and environment.
    heads = sorted(p["head"] for p in w.open_pulls())
    assert heads == [f"promote/production/{m}" for m in ("jukebox", "radio", "tuner")]
