"""Several `promote serve` replicas on one PostgreSQL (issue 17, DESIGN.md 8), all real parts: the binary, a
PostgreSQL server started by the test (Debian's binaries as the postgres user, a temporary directory, loopback),
ten GitOps repositories over smart HTTP with basic auth whose hooks log every push, and the stand-in forge.

The default suite runs 120 events (6 versions of 20 models); `bench/serve/replicas_chaos.sh` runs the same test at
the issue's count, 1,000 events over 50 models (REPLICA_MODELS, REPLICA_VERSIONS): the checks are the same."""
import os
import signal
import threading
import time

import pytest

from pg_server import PostgresServer
from replica_world import ReplicaWorld
from serve_world import ServeWorld
from test_release_e2e import FILES

LEASE = 3  # seconds (the default is 10 s; shorter keeps the test short)
MODELS = int(os.environ.get("REPLICA_MODELS", "20"))
VERSIONS = int(os.environ.get("REPLICA_VERSIONS", "6"))


@pytest.fixture
def pg():
    server = PostgresServer(time_limit=600)
    try:
        yield server
    finally:
        server.close()


def lease_holders(pg, replica):
    return pg.psql(f"SELECT name FROM lease WHERE holder = '{replica}' AND expires_at > EXTRACT(EPOCH FROM clock_timestamp())"
                   " AND name <> 'readiness-probe'")


def wait_until(condition, timeout, what):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.05)
    raise AssertionError(f"timed out waiting for {what}")


class Poster:
    """Posts events from a thread, spread over the replicas still reachable; records what each answered."""

    def __init__(self, world, events, pause=0.02):
        self.world, self.events, self.pause = world, events, pause
        self.available = set(world.replicas)
        self.accepted = {}  # event key -> promotion id
        self.refused = []
        self.lock = threading.Lock()
        self.thread = threading.Thread(target=self.run, daemon=True)

    def run(self):
        for i, event in enumerate(self.events):
            while True:
                with self.lock:
                    names = sorted(self.available)
                name = names[i % len(names)]
                try:
                    status, pid = self.world.post(name, event)
                except OSError:
                    time.sleep(0.1)
                    continue
                if status == 202:
                    with self.lock:
                        self.accepted[event["idempotencyKey"]] = pid
                    break
                self.refused.append((event["idempotencyKey"], status))
                time.sleep(0.2)
            time.sleep(self.pause)

    def drop(self, name):
        with self.lock:
            self.available.discard(name)

    def add(self, name):
        with self.lock:
            self.available.add(name)


def check_outcomes(world, ids, events):
    """Every accepted event ended in one final state; the newest version of each model awaits review; nothing
    pushed at once to one repository, nothing committed twice, main only fast-forwarded, fsck clean, no duplicate PR."""
    states = world.wait_final(next(iter(world.replicas)), ids.values(), timeout=600)
    assert len(set(ids.values())) == len(ids), "one promotion per event"
    assert "failed" not in states.values(), {p: s for p, s in states.items() if s == "failed"}
    newest = {}
    for e in events:
        newest[e["model"]] = e["idempotencyKey"]
    for model, key in newest.items():
        assert states[ids[key]] == "awaiting-review", (model, states[ids[key]])
    assert world.overlapping_pushes() == []
    assert world.history_problems() == []
    assert world.duplicate_pulls() == []
    return states


def test_three_replicas_take_events_while_one_is_killed_and_one_is_paused_past_its_lease(pg):
    world = ReplicaWorld(repositories=10, models=MODELS, state=pg.url(), state_password=pg.password, lease=f"{LEASE}s")
    try:
        for name in ("r0", "r1", "r2"):
            world.start_replica(name)
        events = [world.event(m, f"1.{v}.0") for v in range(VERSIONS) for m in world.models]
        poster = Poster(world, events)
        poster.thread.start()
        # kill -9 a replica while it holds a repository's lease (it is in the middle of work).
        wait_until(lambda: lease_holders(pg, "r1"), 60, "r1 to hold a lease")
        poster.drop("r1")
        world.signal("r1", signal.SIGKILL)
        killed_leases = {row[0] for row in lease_holders(pg, "r1")}
        # Pause another one while it holds a lease, past the lease's end, then let it go on.
        poster.drop("r2")
        for _ in range(50):
            wait_until(lambda: lease_holders(pg, "r2"), 60, "r2 to hold a lease")
            world.signal("r2", signal.SIGSTOP)
            if lease_holders(pg, "r2"):
                break  # stopped while holding it (it may have given it up between the two reads: try again)
            world.signal("r2", signal.SIGCONT)
        else:
            raise AssertionError("r2 was never stopped while holding a lease")
        time.sleep(LEASE * 2 + 1)
        world.signal("r2", signal.SIGCONT)
        poster.add("r2")
        poster.thread.join(600)
        assert not poster.thread.is_alive()
        assert len(poster.accepted) == len(events)
        check_outcomes(world, poster.accepted, events)
        # The paused replica found its lease gone when it woke, and stopped writing under it.
        assert "lease lost" in world.log("r2") or "no longer held" in world.log("r2"), world.log("r2")[-3000:]
        # The killed replica's leases were taken over by another holder with a greater fencing number.
        for name in killed_leases:
            [(holder, fencing)] = pg.psql(f"SELECT holder, fencing FROM lease WHERE name = '{name}'")
            assert holder != "r1" or int(fencing) > 1
        # Every replica names itself in the audit log.
        replicas = {row[0] for row in pg.psql("SELECT DISTINCT replica FROM audit WHERE replica IS NOT NULL")}
        assert replicas <= {"r0", "r1", "r2"} and "r0" in replicas
    finally:
        world.close()


def test_the_database_going_away_for_10_s_stops_writes_and_nothing_is_lost(pg):
    world = ReplicaWorld(repositories=4, models=8, state=pg.url(), state_password=pg.password, lease=f"{LEASE}s")
    try:
        for name in ("r0", "r1"):
            world.start_replica(name)
        events = [world.event(m, f"2.{v}.0") for v in range(3) for m in world.models]
        first, rest = events[:12], events[12:]
        ids = {}
        for i, e in enumerate(first):
            status, pid = world.post(f"r{i % 2}", e)
            assert status == 202
            ids[e["idempotencyKey"]] = pid
        pg.stop_server()
        down_at = time.monotonic()
        try:
            for name in ("r0", "r1"):
                wait_until(lambda: world.request(name, "GET", "/readyz", timeout=20)[0] == 503, 15, f"{name} to say not ready")
            # An event sent now is refused (not accepted, so not lost): 503 with Retry-After.
            status, _ = world.post("r0", rest[0])
            assert status == 503
            time.sleep(max(0.0, 10 - (time.monotonic() - down_at)))
        finally:
            pg.start_again()
        for name in ("r0", "r1"):
            wait_until(lambda: world.request(name, "GET", "/readyz", timeout=20)[0] == 200, 60, f"{name} to be ready again")
            log = world.log(name)
            assert "unreachable" in log or "cannot renew" in log or "cannot read the queue" in log, log[-3000:]
        for i, e in enumerate(rest):
            status, pid = world.post(f"r{i % 2}", e)
            assert status == 202
            ids[e["idempotencyKey"]] = pid
        check_outcomes(world, ids, events)
    finally:
        world.close()


def test_a_second_serve_on_one_sqlite_file_is_refused_and_cli_commands_share_it():
    w = ServeWorld(FILES)
    try:
        w.start()
        second = w.promote("serve", "--listen", "127.0.0.1:0", check=False, timeout=60)
        assert second.returncode != 0
        assert "another promote serve" in second.stderr and "one SQLite file serves one replica" in second.stderr, second.stderr
        assert w.promote("status", check=False).returncode == 0, "a CLI command shares the file"
    finally:
        w.close()


def test_config_validate_and_doctor_open_the_state_store(pg):
    world = ReplicaWorld(repositories=1, models=1, state=pg.url(), state_password=pg.password)
    try:
        import subprocess
        from release_world import binary
        run = lambda *args, env=None: subprocess.run([str(binary("promote")), *args], env=env or world.env,  # noqa: E731
                                                     capture_output=True, text=True, timeout=60)
        ok = run("config", "validate")
        assert ok.returncode == 0 and f"state: postgres://promote@127.0.0.1:{pg.port}/promote" in ok.stdout, ok.stdout + ok.stderr
        wrong = run("config", "validate", env={**world.env, "R_STATE_PASSWORD": "wrong-password-123"})
        line = next(i for i, text in enumerate(world.config.read_text().splitlines(), 1) if text.startswith("  state:"))
        assert wrong.returncode != 0 and f"promote.yaml:{line}: service.state: cannot be opened" in wrong.stderr, wrong.stderr
        assert "wrong-password-123" not in wrong.stderr + wrong.stdout and pg.password not in wrong.stderr + wrong.stdout
        doctor = run("doctor", "--json")
        assert '"name":"state"' in doctor.stdout.replace(" ", "") and "postgres://promote@" in doctor.stdout, doctor.stdout
        down = run("doctor", "--json", env={**world.env, "R_STATE_PASSWORD": "wrong-password-123"})
        assert down.returncode != 0 and '"ok":false' in down.stdout.replace(" ", ""), down.stdout
        assert "wrong-password-123" not in down.stdout + down.stderr
    finally:
        world.close()
