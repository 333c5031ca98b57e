#!/usr/bin/env bash
# Chaos run of yolo-registration, in one command, bounded in time (about 6-8 minutes) and on loopback only:
# CHAOS_INSTANCES (3) instances of the packaged jar on one PostgreSQL of the run's own (initdb'ed in a temporary
# folder on a free port, so that restarting it disturbs nothing else), CHAOS_JOBS (500) jobs against a stub
# registration API that records every call (bench/ChaosStub.java: 50-500 ms answers, 5% 503s), a kill -9 of a
# random ready instance every CHAOS_KILL_EVERY (10) s, restarted at once, one PostgreSQL restart
# (CHAOS_PG_RESTART_AT, 60 s in), pollers and event streams throughout, readiness of every instance sampled every
# second. Then it counts, from the database and the stub's call log, what survived (bench/chaos.py), prints one
# table and exits non-zero when a rule was broken.
# Needs: a JDK 17+, python3, and PostgreSQL server binaries (initdb, pg_ctl, psql; found with pg_config --bindir
# or in /usr/lib/postgresql/*/bin). CHAOS_SKIP_BUILD=1 uses the jar in target/ as it is.
set -euo pipefail
cd "$(dirname "$0")/.."

log() { printf '%s %s\n' "$(date +%H:%M:%S)" "$*" >&2; }

PG_BIN=${CHAOS_PG_BIN:-}
if [ -z "$PG_BIN" ] && command -v pg_config >/dev/null && [ -x "$(pg_config --bindir)/initdb" ]; then
  PG_BIN=$(pg_config --bindir)
fi
if [ -z "$PG_BIN" ]; then
  PG_BIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1 || true)
fi
if [ -z "$PG_BIN" ] || [ ! -x "$PG_BIN/initdb" ] || [ ! -x "$PG_BIN/pg_ctl" ] || [ ! -x "$PG_BIN/psql" ]; then
  echo "bench/chaos.sh needs the PostgreSQL server binaries (initdb, pg_ctl, psql), e.g.:" >&2
  echo "  sudo apt-get install -y postgresql        (or set CHAOS_PG_BIN to their folder)" >&2
  exit 2
fi
for tool in java python3; do
  command -v "$tool" >/dev/null || { echo "bench/chaos.sh needs $tool" >&2; exit 2; }
done

if [ "${CHAOS_SKIP_BUILD:-0}" != 1 ]; then
  log "building the service jar"
  ./mvnw -q -B -DskipTests package
fi
WORK=$(mktemp -d /tmp/yolo-chaos.XXXXXX)
# A copy: restarts during the run must not pick up a jar that a build is rewriting meanwhile.
JAR="$WORK/service.jar"
cp "$(ls target/yolo-registration-*.jar | grep -v original | head -1)" "$JAR"
PG_PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
# PostgreSQL refuses to run as root: as root, its commands run as the postgres user.
AS_PG=()
if [ "$(id -u)" = 0 ]; then
  id postgres >/dev/null 2>&1 || { echo "running as root needs a 'postgres' user for PostgreSQL" >&2; exit 2; }
  chown postgres "$WORK"
  AS_PG=(runuser -u postgres --)
fi
PGDATA="$WORK/pgdata"
cleanup() {
  "${AS_PG[@]}" "$PG_BIN/pg_ctl" -D "$PGDATA" stop -m fast -w >/dev/null 2>&1 || true
  if [ "${CHAOS_KEEP:-0}" = 1 ]; then log "kept $WORK"; else rm -rf "$WORK"; fi
}
trap cleanup EXIT

log "PostgreSQL of the run's own ($PG_BIN) on 127.0.0.1:$PG_PORT in $PGDATA"
"${AS_PG[@]}" "$PG_BIN/initdb" -D "$PGDATA" -A trust -U postgres -E UTF8 >"$WORK/initdb.log" 2>&1
"${AS_PG[@]}" "$PG_BIN/pg_ctl" -D "$PGDATA" -l "$WORK/postgres.log" -w \
  -o "-p $PG_PORT -k $WORK -c listen_addresses=127.0.0.1 -c max_connections=200" start >/dev/null
"$PG_BIN/psql" -X -q -h 127.0.0.1 -p "$PG_PORT" -U postgres -d postgres -c "create database chaos"

CHAOS_JAR="$JAR" CHAOS_WORK="$WORK" CHAOS_PG_PORT="$PG_PORT" CHAOS_PSQL="$PG_BIN/psql" \
CHAOS_PG_RESTART="${AS_PG[*]} $PG_BIN/pg_ctl -D $PGDATA -l $WORK/postgres.log -w -m fast restart" \
  python3 bench/chaos.py
