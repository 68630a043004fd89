"""A CLI command beside `promote serve` on one state store (DESIGN.md 8): its repository writes take the same
per-repository lease as the service's workers. While a worker writes to the repository the command waits (saying so),
then runs; its commit lands after the worker's, never beside it."""
import time

from serve_world import ServeWorld
from test_serve_lifecycle import files


def test_a_cli_release_waits_for_the_workers_lease_then_runs():
    w = ServeWorld(files(), service_extra="  poll: {every: 1h}\n")
    try:
        # The worker holds the repository's lease while the forge takes 5 s to open its pull request.
        w.fault(kind="delay", delayMilliseconds=5000, method="POST", pathContains="/pulls", count=1)
        w.start()
        status, _, body = w.post_event({"model": "jukebox", "version": "1.0.0", "uri": "gs://models/jukebox/1.0.0"})
        assert status == 202
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and w.tip("promote/production/jukebox") is None:
            time.sleep(0.05)  # staging pushed, the bot branch pushed: the pull request's creation is being held
        served = w.tip("main")
        started = time.monotonic()
        r = w.release("radio", "2.0.0", "--to", "staging")
        waited = time.monotonic() - started
        assert "waiting for promote serve" in r.stderr, r.stderr
        assert waited > 2, f"the CLI did not wait for the worker's lease ({waited:.1f} s)"
        # The worker finished first; the CLI's staging commit follows the worker's on main.
        assert w.promotion(body["id"])["state"] == "awaiting-review"
        assert w.git("rev-list", "--count", f"{served}..main").strip() == "1"
        assert "radio" in w.git("log", "-1", "--format=%B", "main")
        # A dry run writes nothing and waits for nothing.
        assert "waiting" not in w.release("radio", "2.1.0", "--to", "staging", "--dry-run").stderr
    finally:
        w.close()
