"""A PostgreSQL server owned by a test (scripts/testing/postgres_test_server.sh): Debian's binaries, a temporary
directory, 127.0.0.1 on a free port, user `promote` with a random password, database `promote`. `close()` stops it
and removes the directory; so does the end of the test process (the script watches its stdin) or its time limit."""
import glob
import subprocess
import sys

from release_world import ROOT

SCRIPT = ROOT / "scripts" / "testing" / "postgres_test_server.sh"


class PostgresServer:
    def __init__(self, time_limit=900):
        self.proc = subprocess.Popen(["bash", str(SCRIPT), str(time_limit)], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                     text=True)
        self.port = self.password = None
        while True:
            line = self.proc.stdout.readline()
            if not line:
                raise RuntimeError("the PostgreSQL test server did not start (see stderr)")
            line = line.strip()
            if line.startswith("PORT "):
                self.port = int(line[5:])
            elif line.startswith("PASSWORD "):
                self.password = line[9:]
            elif line == "READY":
                break

    def url(self, database="promote"):
        return f"postgres://promote@127.0.0.1:{self.port}/{database}?sslmode=disable"

    def _command(self, text, expect):
        self.proc.stdin.write(text + "\n")
        self.proc.stdin.flush()
        answer = self.proc.stdout.readline().strip()
        assert answer == expect, f"{text!r} answered {answer!r}"

    def stop_server(self):
        """The database goes away (pg_ctl stop -m fast)."""
        self._command("stop", "STOPPED")

    def start_again(self):
        self._command("start", "STARTED")

    def createdb(self, name):
        self._command(f"createdb {name}", f"CREATED {name}")
        return name

    def psql(self, sql, database="promote"):
        """Rows of a query, as lists of strings (psql from the same Debian binaries)."""
        psql = sorted(glob.glob("/usr/lib/postgresql/*/bin/psql"))[-1]
        r = subprocess.run([psql, "-h", "127.0.0.1", "-p", str(self.port), "-U", "promote", "-d", database, "-AtF", "\t",
                            "-c", sql], capture_output=True, text=True, env={"PGPASSWORD": self.password}, check=True)
        return [line.split("\t") for line in r.stdout.splitlines() if line]

    def close(self):
        if self.proc.poll() is None:
            self.proc.stdin.close()
            try:
                self.proc.wait(30)
            except subprocess.TimeoutExpired:
                self.proc.terminate()
                self.proc.wait(10)


if __name__ == "__main__":
    server = PostgresServer()
    print(server.url(), file=sys.stderr)
    server.close()
