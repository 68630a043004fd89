#!/usr/bin/env bash
# A throw-away PostgreSQL for tests: Debian's server binaries (/usr/lib/postgresql/*/bin, never a PATH symlink),
# initdb and pg_ctl run as the `postgres` user when started as root, a temporary directory, 127.0.0.1 on a free
# port, password authentication (user `promote`, a random password, database `promote`).
#
# Usage: postgres_test_server.sh [TIME_LIMIT_SECONDS]   (default 900)
# Prints "PORT <n>", "PASSWORD <p>" and "READY" once it accepts connections. Then reads commands on stdin, one a
# line, answering one line each: "stop" (pg_ctl stop -m fast; "STOPPED"), "start" ("STARTED"), "createdb NAME"
# ("CREATED NAME"). The server is stopped and the directory removed when stdin closes (the test ended, or died),
# when the time limit passes, or on SIGTERM/SIGINT.
set -euo pipefail
limit=${1:-900}
bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
if [ -z "$bin" ] || [ ! -x "$bin/initdb" ]; then
    echo "no PostgreSQL server under /usr/lib/postgresql/*/bin: install Debian's postgresql (scripts/setup.sh)" >&2
    exit 2
fi
dir=$(mktemp -d "${TMPDIR:-/tmp}/promote-pg-XXXXXX")
chmod 755 "$dir"
as_owner() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
password=$(head -c 18 /dev/urandom | base64 | tr -dc 'A-Za-z0-9' | head -c 20)
printf '%s\n' "$password" > "$dir/pwfile"
[ "$(id -u)" = 0 ] && chown -R postgres: "$dir"
started=0
cleanup() {
    if [ "$started" = 1 ]; then as_owner "$bin/pg_ctl" -D "$dir/data" -m immediate -w -t 10 stop >/dev/null 2>&1 || true; fi
    rm -rf "$dir"
}
trap cleanup EXIT
trap 'exit 0' TERM INT
as_owner "$bin/initdb" -D "$dir/data" -U promote --pwfile="$dir/pwfile" --auth=scram-sha-256 -E UTF8 --no-sync >"$dir/initdb.log" 2>&1 \
    || { cat "$dir/initdb.log" >&2; exit 1; }
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
options="-h 127.0.0.1 -p $port -k $dir -c fsync=off -c full_page_writes=off -c max_connections=300"
start() { as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -o "$options" -w -t 30 start >/dev/null; }
start || { cat "$dir/server.log" >&2; exit 1; }
started=1
export PGPASSWORD="$password"
"$bin/createdb" -h 127.0.0.1 -p "$port" -U promote promote
echo "PORT $port"
echo "PASSWORD $password"
echo "READY"
deadline=$((SECONDS + limit))
while [ "$SECONDS" -lt "$deadline" ]; do
    if ! read -r -t $((deadline - SECONDS)) line; then break; fi
    case "$line" in
        stop) as_owner "$bin/pg_ctl" -D "$dir/data" -m fast -w -t 30 stop >/dev/null; echo "STOPPED" ;;
        start) start; echo "STARTED" ;;
        createdb\ *) name=${line#createdb }; "$bin/createdb" -h 127.0.0.1 -p "$port" -U promote "$name"; echo "CREATED $name" ;;
        *) echo "UNKNOWN $line" ;;
    esac
done
