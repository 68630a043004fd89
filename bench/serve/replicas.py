#!/usr/bin/env python3
"""`promote serve` replicas (issue 17): the same burst of signed events drained by one replica on SQLite, one
replica on PostgreSQL and three replicas sharing PostgreSQL, in one run, on the same machine.

The world is Tests/python/replica_world.py: R GitOps repositories over smart HTTP with basic auth (each with a push
and a pull-request environment), the stand-in forge, and a PostgreSQL server started here (Debian's binaries,
scripts/testing/postgres_test_server.sh). Model i lives in repository i % R; its events name that repository's two
environments, so the work spans R repositories. Each configuration gets fresh repositories and a fresh database.

Per configuration: drain time (first event posted until no promotion is queued or running), events/s, peak RSS
(VmHWM) of each replica, promotions by state, and the checks of the replica tests (overlapping pushes to one
repository, history problems). Events are posted by 4 client threads, round-robin over the replicas.

usage: bench/serve/replicas.py [--events 1000] [--models 50] [--repositories 10] [--lease 10s] [--bin .build/release]
       [--max-lanes N] [--forge-latency-ms MS] [--json out.json]

On one machine every replica shares the same cores, so when the work is bound by CPU (loopback git and forge), three
replicas cannot drain faster than one. What replicas add is capacity: `--max-lanes 2 --forge-latency-ms 150` models
replicas that each drain two repositories at a time against a forge that answers in 150 ms (as hosted forges do),
the case where a second and third replica help.
"""
import argparse
import json
import os
import sqlite3
import sys
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "..", "Tests", "python"))
from pg_server import PostgresServer  # noqa: E402
from replica_world import ReplicaWorld  # noqa: E402


def peak_rss_mib(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmHWM:"):
                return round(int(line.split()[1]) / 1024, 1)
    return 0.0


def rows(world, pg, database, query):
    """The rows of `query` in the configuration's state store (SQLite file or PostgreSQL database), as lists."""
    if world.sqlite:
        with sqlite3.connect(world.sqlite, timeout=30) as db:
            return [list(row) for row in db.execute(query).fetchall()]
    return pg.psql(query, database)


def counts(world, pg, database):
    return {state: int(n) for state, n in rows(world, pg, database, "SELECT state, COUNT(*) FROM promotion GROUP BY state")}


def failures(world, pg, database):
    """Each failed promotion's model, version and reason: a bench that ends with a failure says why."""
    return rows(world, pg, database, "SELECT model, version, detail FROM promotion WHERE state = 'failed' ORDER BY updated_at")


def run(label, pg, replicas, args, database=None):
    state = pg.url(database) if database else None
    world = ReplicaWorld(repositories=args.repositories, models=args.models, state=state,
                         state_password=pg.password if database else None, lease=args.lease, log_level="warning",
                         bin_dir=args.bin, service_extra=f"  maxLanes: {args.max_lanes}\n" if args.max_lanes else "")
    try:
        if args.forge_latency_ms:
            world.forge_latency(args.forge_latency_ms)
        names = [f"r{i}" for i in range(replicas)]
        for name in names:
            world.start_replica(name)
        per_model = args.events // args.models
        events = [world.event(m, f"1.{v}.0") for v in range(per_model) for m in world.models]
        refused = []

        def post(part):
            for i, e in enumerate(part):
                status, _ = world.post(names[i % len(names)], e)
                if status != 202:
                    refused.append(status)

        threads = [threading.Thread(target=post, args=(events[i::4],)) for i in range(4)]
        t0 = time.perf_counter()
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        posted = time.perf_counter() - t0
        while True:
            c = counts(world, pg, database)
            if sum(c.values()) >= len(events) - len(refused) and not c.get("queued") and not c.get("running"):
                break
            time.sleep(0.1)
        drained = time.perf_counter() - t0
        result = {
            "configuration": label, "replicas": replicas, "events": len(events), "refused": len(refused),
            "post_s": round(posted, 2), "drain_s": round(drained, 2), "events_per_s": round(len(events) / drained, 1),
            "peak_rss_mib": {n: peak_rss_mib(world.pid(n)) for n in names}, "states": c,
            "overlapping_pushes": len(world.overlapping_pushes()), "history_problems": world.history_problems(),
        }
        if c.get("failed"):
            result["failures"] = failures(world, pg, database)
            for name in names:
                errors = [line for line in world.log(name).splitlines() if "error" in line.lower()]
                print(f"--- {name}: {len(errors)} error lines\n" + "\n".join(errors[:40]), file=sys.stderr, flush=True)
        print(json.dumps(result), flush=True)
        return result
    finally:
        world.close()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--events", type=int, default=1000)
    ap.add_argument("--models", type=int, default=50)
    ap.add_argument("--repositories", type=int, default=10)
    ap.add_argument("--lease", default="10s")
    ap.add_argument("--max-lanes", type=int, help="service.maxLanes of each replica (default: the built-in 16)")
    ap.add_argument("--forge-latency-ms", type=int, default=0,
                    help="every forge request waits this long (a hosted forge's latency; 0: loopback speed)")
    ap.add_argument("--bin", default=os.path.join(HERE, "..", "..", ".build", "release"))
    ap.add_argument("--only", choices=["sqlite", "postgres-1", "postgres-3"], action="append",
                    help="run only these configurations (default: all three)")
    ap.add_argument("--json")
    args = ap.parse_args()
    pg = PostgresServer(time_limit=7200)
    try:
        wanted = args.only or ["sqlite", "postgres-1", "postgres-3"]
        results = {}
        if "sqlite" in wanted:
            results["sqlite"] = run("sqlite, 1 replica", pg, 1, args)
        if "postgres-1" in wanted:
            results["postgres-1"] = run("postgres, 1 replica", pg, 1, args, database=pg.createdb("bench1"))
        if "postgres-3" in wanted:
            results["postgres-3"] = run("postgres, 3 replicas", pg, 3, args, database=pg.createdb("bench3"))
    finally:
        pg.close()
    summary = {"runs": list(results.values())}
    if "postgres-1" in results and "postgres-3" in results:
        summary["three_over_one_postgres"] = round(results["postgres-1"]["drain_s"] / results["postgres-3"]["drain_s"], 2)
    print(json.dumps(summary, indent=2))
    if args.json:
        with open(args.json, "w") as f:
            json.dump(summary, f, indent=2)


if __name__ == "__main__":
    main()
