"""Who merged or closed a promotion pull request, when `promote serve` learns it by polling (no forge webhook): the
forge's `merged_by` / `closed_by` reaches the audit log as the entry's actor, for each forge flavour's own field."""
import sqlite3
import time

import pytest

from serve_world import ServeWorld
from test_release_e2e import FILES


def audit(world, action):
    with sqlite3.connect(world.state_db) as db:
        return db.execute("SELECT actor, detail FROM audit WHERE action = ? ORDER BY id", (action,)).fetchall()


def wait_audit(world, action, timeout=30):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if found := audit(world, action):
            return found
        time.sleep(0.3)
    raise AssertionError(f"no '{action}' audit entry\n{world.log()[-3000:]}")


@pytest.mark.parametrize("flavour,verb,person", [("github", "merge", "alice"), ("github", "close", "dave"),
                                                 ("gitlab", "close", "bob"), ("bitbucket", "merge", "carol")])
def test_a_polled_merge_or_close_names_the_person_in_the_audit_log(flavour, verb, person):
    w = ServeWorld(FILES, service_extra="  poll: {every: 1s}\n", forge_webhook=False, flavour=flavour)
    try:
        w.start()
        status, _, accepted = w.post_event({"model": "jukebox", "version": "1.4.2", "uri": "gs://models/jukebox/1.4.2"})
        assert status == 202, accepted
        assert w.wait_for(accepted["id"])["state"] == "awaiting-review"
        [pull] = w.open_pulls()
        w.control("POST", f"/_sim/pulls/{pull['number']}/{verb}?project=acme/gitops&by={person}")
        action = "merged" if verb == "merge" else "closed"
        [(actor, detail)] = wait_audit(w, action)
        assert actor == person, (actor, detail)
        final = w.wait_for(accepted["id"], states=("done", "failed"))
        assert final["state"] == ("done" if verb == "merge" else "failed"), final
    finally:
        w.close()
