#!/usr/bin/env bash
# Benchmarks of yolo-registration against the limits of the same machine, in one run, bounded in time.
# Needs: a JDK 17+, a PostgreSQL server (BENCH_PG*), pgbench and psql (postgresql-client), wrk, python3, curl;
# the Debian packages among them are installed when missing and the script runs as root.
# Everything runs on loopback; the script starts and stops the service and the stub registration API itself.
# BENCH_JOBS (3000, as many as the peer's), BENCH_WARMUP (2000 jobs run first and not measured, for ours and the peer
# alike, so that the figures are the JIT-compiled code's: after 500 the compiler threads still took a third of the
# service's CPU in the measured window), BENCH_CONCURRENCY (8, also pgbench's clients), BENCH_SKIP_POLL=1, BENCH_SKIP_PUSH=1 and
# BENCH_SKIP_TAKEOVER=1 shape the run; BENCH_POLL_WARMUP (20 s of each kind of poll before measuring) and
# BENCH_PUSH_WARMUP (100 streamed jobs before the 100 measured); BENCH_LOAD_JOBS (400 jobs queued to keep 8 running
# while 1,000 polls/s are measured, part of the poll section);
# BENCH_DB (yolo_bench, and <name>_peer for the peer), BENCH_APP_PORT (18080, and the next one for the push section's
# second instance), BENCH_STUB_PORT (18090) and BENCH_SLOW_STUB_PORT (18091) keep simultaneous runs apart;
# BENCH_JFR=1 records a Java Flight Recorder profile of the service into target/ (BENCH_JFR_SETTINGS: a .jfc file
# instead of the JDK's "profile", for example one that samples every millisecond).
# The peer: the same pipeline shape run by JobRunr (bench/jobrunr) on the same PostgreSQL and stub, BENCH_PEER_JOBS
# (3000) pipelines after BENCH_WARMUP, best of BENCH_PEER_WORKERS ("8 32 128"), compared with our best of
# BENCH_CONCURRENCY and BENCH_OURS_CONCURRENCY ("32 128" jobs at once, each a run of its own);
# BENCH_SKIP_PEER=1 leaves both out.
# CPU per pipeline (service or peer, PostgreSQL, stub) comes from /proc over the measured window (bench/cpu.py);
# PostgreSQL's share is counted when its data folder is readable here (a server on this machine).
set -euo pipefail
cd "$(dirname "$0")/.."

PGHOST=${BENCH_PGHOST:-127.0.0.1}
PGPORT=${BENCH_PGPORT:-5432}
PGUSER=${BENCH_PGUSER:-postgres}
export PGHOST PGPORT PGUSER
DB=${BENCH_DB:-yolo_bench}
JOBS=${BENCH_JOBS:-3000}
WARMUP=${BENCH_WARMUP:-2000}
CONCURRENCY=${BENCH_CONCURRENCY:-8}
POLL_RESTAURANTS=200
POLL_WARMUP=${BENCH_POLL_WARMUP:-20}
PUSH_WARMUP=${BENCH_PUSH_WARMUP:-100}
APP_PORT=${BENCH_APP_PORT:-18080}
STUB_PORT=${BENCH_STUB_PORT:-18090}
SLOW_STUB_PORT=${BENCH_SLOW_STUB_PORT:-18091}
SECRET=bench-secret-for-loopback-runs-only-0123456789
DATA_KEY="bench-1:$(head -c 32 /dev/urandom | base64)"
WORK=$(mktemp -d)
RESULTS=()

log() { printf '%s %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
sql() { psql -X -q -t -A -v ON_ERROR_STOP=1 -d "$DB" "$@"; }
cleanup() {
  [ -n "${SAMPLER_CPU:-}" ] && kill "$SAMPLER_CPU" 2>/dev/null || true
  [ -n "${PEER_PID:-}" ] && kill "$PEER_PID" 2>/dev/null || true
  [ -n "${APP_PID:-}" ] && kill "$APP_PID" 2>/dev/null && wait "$APP_PID" 2>/dev/null || true
  [ -n "${STUB_PID:-}" ] && kill "$STUB_PID" 2>/dev/null || true
  [ -n "${SLOW_STUB_PID:-}" ] && kill "$SLOW_STUB_PID" 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT

# Tools beyond the JDK come from Debian's packages: installed here when missing (as root), named otherwise.
missing=()
for tool in wrk:wrk pgbench:postgresql-client psql:postgresql-client python3:python3 curl:curl; do
  command -v "${tool%%:*}" >/dev/null || missing+=("${tool#*:}")
done
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    log "installing ${missing[*]}"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
  else
    echo "bench/run.sh needs: sudo apt-get install -y ${missing[*]}" >&2
    exit 2
  fi
fi

log "building the service jar"
# classes of an earlier build go first: a renamed migration left behind would stop the service from starting
rm -rf target/classes
./mvnw -q -B -DskipTests package
JAR=$(ls target/yolo-registration-*.jar | head -1)
if [ "${BENCH_SKIP_PEER:-0}" != 1 ]; then
  log "building the JobRunr peer (bench/jobrunr)"
  ./mvnw -q -B -f bench/jobrunr/pom.xml package dependency:copy-dependencies -DoutputDirectory=target/lib
fi
# The PostgreSQL server's postmaster, when it runs on this machine and its data folder is readable.
PG_PID=$(head -1 "$(psql -X -q -t -A -d postgres -c 'show data_directory')/postmaster.pid" 2>/dev/null || true)
[ -n "$PG_PID" ] && [ -r "/proc/$PG_PID/stat" ] || PG_PID=
sample_cpu() { python3 bench/cpu.py sample "$@" stub="$STUB_PID" ${PG_PID:+postgres="$PG_PID"} & SAMPLER_CPU=$!; }
stop_sampling() { kill "$SAMPLER_CPU" 2>/dev/null || true; wait "$SAMPLER_CPU" 2>/dev/null || true; SAMPLER_CPU=; }

log "fresh database $DB on $PGHOST:$PGPORT"
psql -X -q -d postgres -c "drop database if exists $DB with (force)" -c "create database $DB"

log "stub registration API on :$STUB_PORT (answers 200 at once)"
java -Xmx128m bench/Stub.java "$STUB_PORT" >"$WORK/stub.log" 2>&1 &
STUB_PID=$!

start_app() {
  local profiling=()
  if [ "${BENCH_JFR:-0}" = 1 ]; then
    profiling=(-XX:StartFlightRecording=filename="$PWD/target/bench-$(date +%H%M%S).jfr,settings=${BENCH_JFR_SETTINGS:-profile}")
  fi
  # the heap used before each collection, read from the GC log afterwards: no sampling process runs beside ours
  java -Xmx512m -XX:+UseG1GC -Xlog:gc:file="$WORK/gc.log" "${profiling[@]}" -jar "$JAR" --spring.profiles.active=prod --server.port=$APP_PORT \
    --spring.datasource.url="jdbc:postgresql://$PGHOST:$PGPORT/$DB" --spring.datasource.username="$PGUSER" \
    --registration.security.jwt.secret=$SECRET --registration.security.data-key="$DATA_KEY" \
    --registration.downstream.base-url=http://127.0.0.1:"${DOWNSTREAM_PORT:-$STUB_PORT}" \
    --registration.downstream.account-creation-min-interval=0s \
    --registration.runner.max-concurrent-jobs="$CONCURRENCY" \
    --registration.runner.max-concurrent-calls=$((CONCURRENCY * 6)) \
    --logging.level.io.yolomode=WARN "$@" >>"$WORK/app.log" 2>&1 &
  APP_PID=$!
  for _ in $(seq 1 360); do
    curl -fs "http://127.0.0.1:$APP_PORT/actuator/health/readiness" >/dev/null 2>&1 && return 0
    sleep 0.5
  done
  log "the service did not become ready"; tail -50 "$WORK/app.log"; exit 1
}

stop_app() { kill "$APP_PID"; wait "$APP_PID" 2>/dev/null || true; APP_PID=; }
field() { echo "$1" | sed -E "s/.*$2=([0-9.]+).*/\1/"; }

# --- 1. Pipeline throughput -------------------------------------------------------------------------------------
# One measured run: a fresh service with max-concurrent-jobs=$1, WARMUP jobs not measured, then JOBS measured, on
# restaurants of their own (named "<prefix> n"); sets PIPELINES, TPS, FAILED, SECONDS_TAKEN, CPU_OURS and the peaks.
ORG=$(python3 -c 'import uuid; print(uuid.uuid4())')
queue_jobs() {
  sql -c "with jobs as (
          insert into registration_jobs (id, restaurant_id, organisation_id, status, current_step, execution_config)
          select gen_random_uuid(), r.id, r.organisation_id, 'pending', 6, jsonb_build_object(
              'account', jsonb_build_object('email', 'owner@bench.test', 'password', 'bench-pass', 'phone', '+64'),
              'restaurant', jsonb_build_object('registrationMode', 'new_account'),
              'menu', jsonb_build_object('selectedMenuId', m.id, 'uploadImages', true, 'addOptionSets', true,
                                         'addItemTags', true),
              'website', jsonb_build_object('disableGradients', true),
              'payment', jsonb_build_object('includeStripeLink', true),
              'onboarding', jsonb_build_object('createOnboardingUser', true, 'syncOnboardingRecord', true,
                                               'userName', 'Owner', 'userEmail', 'o@bench.test',
                                               'userPassword', 'bench-pass'))
          from restaurants r join menus m on m.restaurant_id = r.id
          where r.name like '$1 %'
          returning id)
        insert into registration_job_steps (id, registration_job_id, step_number, status)
        select gen_random_uuid(), id, 6, 'pending' from jobs"
}
ended() { sql -c "select count(*) from registration_jobs j join restaurants r on r.id = j.restaurant_id
                  where r.name like '$1 %' and j.status in ('completed', 'failed')"; }
measure_throughput() {
  local jobs_at_once=$1 warm=$2 bench=$3
  log "1. throughput: $JOBS single-restaurant jobs, all 12 sub-steps, max-concurrent-jobs=$jobs_at_once"
  CONCURRENCY=$jobs_at_once start_app --registration.runner.enabled=true
  sql -c "insert into organisations (id, name) values ('$ORG', 'Bench') on conflict do nothing"
  sql -c "insert into restaurants (id, organisation_id, name, email, phone, address, city, opening_hours)
          select gen_random_uuid(), '$ORG', case when n <= $WARMUP then '$warm ' else '$bench ' end || n,
                 'r' || n || '@bench.test', '+64 9 555 0000', '1 Bench Road', 'Benchville',
                 '{\"monday\": \"09:00-17:00\"}'::jsonb
          from generate_series(1, $WARMUP + $JOBS) n"
  sql -c "insert into menus (id, restaurant_id, name) select gen_random_uuid(), r.id, 'Menu' from restaurants r
          where r.name like '$warm %' or r.name like '$bench %'"
  : >"$WORK/rss.txt"
  (
    while kill -0 "$APP_PID" 2>/dev/null; do
      ps -o rss= -p "$APP_PID" >>"$WORK/rss.txt"
      sleep 1
    done
  ) 2>/dev/null &
  SAMPLER=$!
  sample_cpu "$WORK/cpu-service-$jobs_at_once.txt" service="$APP_PID"
  if [ "$WARMUP" -gt 0 ]; then
    log "   warm-up: $WARMUP jobs first, not measured"
    queue_jobs "$warm"
    until [ "$(ended "$warm")" = "$WARMUP" ]; do sleep 1; done
  fi
  queue_jobs "$bench"
  DEADLINE=$((SECONDS + 600))
  until [ "$(ended "$bench")" = "$JOBS" ]; do
    [ $SECONDS -gt $DEADLINE ] && { log "throughput run did not finish in 10 minutes"; exit 1; }
    sleep 1
  done
  kill "$SAMPLER" 2>/dev/null || true
  stop_sampling
  read -r SECONDS_TAKEN TRANSITIONS FAILED T0 T1 < <(sql -F ' ' -c "
    select extract(epoch from max(occurred_at) filter (where type = 'job_finished')
                            - min(occurred_at) filter (where type = 'job_started')),
           count(*) filter (where type = 'sub_step'),
           count(distinct j.id) filter (where j.status = 'failed'),
           extract(epoch from min(occurred_at) filter (where type = 'job_started')),
           extract(epoch from max(occurred_at) filter (where type = 'job_finished'))
    from registration_job_events e join registration_jobs j on j.id = e.registration_job_id
    join restaurants r on r.id = j.restaurant_id where r.name like '$bench %'")
  PIPELINES=$(python3 -c "print(round($JOBS / $SECONDS_TAKEN, 1))")
  TPS=$(python3 -c "print(round($TRANSITIONS / $SECONDS_TAKEN))")
  PEAK_RSS_MB=$(sort -n "$WORK/rss.txt" | tail -1 | awk '{print int($1/1024)}')
  PEAK_HEAP_MB=$(grep -o '[0-9]*M->' "$WORK/gc.log" 2>/dev/null | sed 's/M->//' | sort -n | tail -1)
  python3 bench/threads.py "$APP_PID" service >&2
  python3 bench/threads.py "$STUB_PID" stub 0 >&2
  CPU_OURS=$(python3 bench/cpu.py between "$WORK/cpu-service-$jobs_at_once.txt" "$T0" "$T1" "$JOBS")
  log "   $JOBS jobs in ${SECONDS_TAKEN}s: $PIPELINES pipelines/s, $TPS transitions/s ($FAILED failed), peak RSS ${PEAK_RSS_MB} MB, peak heap used ${PEAK_HEAP_MB:-?} MB"
  log "   CPU per pipeline: $CPU_OURS"
  stop_app
}
measure_throughput "$CONCURRENCY" Warm Bench

log "   database limit: pgbench, the same single-row JSONB write, $CONCURRENCY clients, 20 s"
# the runner's own tables, by name and the columns its progress write touches, in a schema of their own, so that
# bench/transition.sql is the runner's statement itself (BenchTransitionTest)
sql -c "create schema bench" \
    -c "create table bench.registration_jobs (id int primary key, version bigint not null default 0,
          status text not null, lease_owner text, attempt int not null, execution_config jsonb not null,
          updated_at timestamptz)" \
    -c "create table bench.registration_job_steps (registration_job_id int not null references bench.registration_jobs,
          step_number int not null, sub_step_progress jsonb, status text, started_at timestamptz,
          updated_at timestamptz, unique (registration_job_id, step_number))" \
    -c "create table bench.registration_job_events (id bigint generated always as identity primary key,
          registration_job_id int not null references bench.registration_jobs, sequence bigint not null,
          occurred_at timestamptz not null default now(), type text not null, sub_step text, status text,
          attempt int, error text, idempotency_key text, unique (registration_job_id, sequence))" \
    -c "create table bench.bench_doc (doc jsonb)" \
    -c "insert into bench.bench_doc select sub_step_progress from registration_job_steps limit 1" \
    -c "insert into bench.registration_jobs select n, 0, 'in_progress', 'bench', 1,
          (select execution_config from registration_jobs limit 1), now() from generate_series(1, $JOBS) n" \
    -c "insert into bench.registration_job_steps select n, 6, (select doc from bench.bench_doc), 'in_progress', now(),
          now() from generate_series(1, $JOBS) n"
PGBENCH_TPS=$(PGOPTIONS="-c search_path=bench" pgbench -n -c "$CONCURRENCY" -j 2 -T 20 -D rows="$JOBS" \
    -f bench/transition.sql "$DB" 2>/dev/null | awk '/^tps/ {print int($3)}')
RATIO=$(python3 -c "print(round($TPS / $PGBENCH_TPS, 2))")
DOC_BYTES=$(sql -c "select pg_column_size(doc) from bench.bench_doc")
log "   pgbench: $PGBENCH_TPS writes/s (document $DOC_BYTES bytes); ratio $RATIO"
RESULTS+=("| pipeline throughput ($JOBS jobs, 12 sub-steps, $CONCURRENCY at once) | $PIPELINES pipelines/s, $TPS transitions/s | pgbench same write, $CONCURRENCY clients: $PGBENCH_TPS/s | ratio $RATIO (target >= 0.4) |")
RESULTS+=("| memory while draining $JOBS jobs (-Xmx512m) | peak RSS $PEAK_RSS_MB MB, peak heap used ${PEAK_HEAP_MB:-?} MB | | |")

# --- 1a. Ours at the peer's numbers of jobs at once: the same run with more jobs at once, the best one compared ------
OURS_BEST=$PIPELINES OURS_BEST_AT=$CONCURRENCY OURS_BEST_CPU=$CPU_OURS
if [ "${BENCH_SKIP_PEER:-0}" != 1 ]; then
  for jobs_at_once in ${BENCH_OURS_CONCURRENCY:-32 128}; do
    [ "$jobs_at_once" = "$CONCURRENCY" ] && continue
    measure_throughput "$jobs_at_once" "Warm$jobs_at_once" "Bench$jobs_at_once"
    if python3 -c "import sys; sys.exit(0 if $PIPELINES > $OURS_BEST else 1)"; then
      OURS_BEST=$PIPELINES OURS_BEST_AT=$jobs_at_once OURS_BEST_CPU=$CPU_OURS
    fi
  done
fi

# --- 1b. The peer: JobRunr on the same database and stub ----------------------------------------------------------
if [ "${BENCH_SKIP_PEER:-0}" != 1 ]; then
  PEER_JOBS=${BENCH_PEER_JOBS:-3000}
  PEER_BEST=0
  for workers in ${BENCH_PEER_WORKERS:-8 32 128}; do
    log "1b. peer: JobRunr, $PEER_JOBS pipelines (after $WARMUP not measured), $workers workers, fresh database"
    psql -X -q -d postgres -c "drop database if exists ${DB}_peer with (force)" -c "create database ${DB}_peer"
    java -Xmx512m -XX:+UseG1GC -cp "bench/jobrunr/target/classes:bench/jobrunr/target/lib/*" JobRunrPeer \
      "jdbc:postgresql://$PGHOST:$PGPORT/${DB}_peer" "$PGUSER" "http://127.0.0.1:$STUB_PORT" "$workers" "$WARMUP" \
      "$PEER_JOBS" >"$WORK/peer.log" 2>&1 &
    PEER_PID=$!
    sample_cpu "$WORK/cpu-peer-$workers.txt" peer="$PEER_PID"
    wait "$PEER_PID" || { log "the JobRunr peer failed"; tail -20 "$WORK/peer.log"; exit 1; }
    PEER_PID=
    stop_sampling
    PEER=$(grep RESULT "$WORK/peer.log")
    PEER_RATE=$(field "$PEER" pipelines_per_s)
    PEER_CPU=$(python3 bench/cpu.py between "$WORK/cpu-peer-$workers.txt" "$(field "$PEER" t0)" "$(field "$PEER" t1)" \
      "$PEER_JOBS")
    log "   $PEER_RATE pipelines/s; CPU per pipeline: $PEER_CPU"
    if python3 -c "import sys; sys.exit(0 if $PEER_RATE > $PEER_BEST else 1)"; then
      PEER_BEST=$PEER_RATE PEER_BEST_WORKERS=$workers PEER_BEST_CPU=$PEER_CPU
    fi
  done
  psql -X -q -d postgres -c "drop database if exists ${DB}_peer with (force)"
  PEER_VERSION=$(ls bench/jobrunr/target/lib | sed -n 's/^jobrunr-\(.*\)\.jar$/\1/p')
  RESULTS+=("| pipelines/s against the peer ($JOBS of ours, $PEER_JOBS of JobRunr's, same stub and PostgreSQL) | best of $CONCURRENCY ${BENCH_OURS_CONCURRENCY:-32 128} jobs at once: $OURS_BEST pipelines/s at $OURS_BEST_AT, 24 transitions each persisted and pushed; CPU per pipeline: $OURS_BEST_CPU | JobRunr $PEER_VERSION, best of ${BENCH_PEER_WORKERS:-8 32 128} workers: $PEER_BEST pipelines/s at $PEER_BEST_WORKERS workers, 3 state changes each; CPU per pipeline: $PEER_BEST_CPU | $(python3 -c "print(round($OURS_BEST / $PEER_BEST, 2))") of JobRunr's rate (target >= 1, aim 1.5) |")
fi

# --- 2. Poll capacity -------------------------------------------------------------------------------------------
if [ "${BENCH_SKIP_POLL:-0}" != 1 ]; then
log "2. polling: $POLL_RESTAURANTS restaurants with jobs in progress, 64 connections, 30 s each"
start_app --registration.runner.enabled=false
sql -c "update registration_jobs set status = 'in_progress', lease_owner = 'bench-holder',
          lease_expires_at = now() + interval '1 day', completed_at = null
        where id in (select id from registration_jobs order by id limit $POLL_RESTAURANTS)"
sql -c "select '/api/registration/single-restaurant-progress/' || restaurant_id || ' \"' || id || '-' || version || '\"'
        from registration_jobs where lease_owner = 'bench-holder'" >"$WORK/paths.txt"
TOKEN=$(python3 bench/token.py "$SECRET" "$ORG")
export TOKEN PATHS_FILE="$WORK/paths.txt"
curl -fs -o /dev/null -H "Authorization: Bearer $TOKEN" "http://127.0.0.1:$APP_PORT$(head -1 "$WORK/paths.txt" | cut -d' ' -f1)"
# The JIT compiler needs about a minute of this load before the figures settle (they doubled, then held).
log "   warm-up: ${POLL_WARMUP}s of each kind of request, not measured"
for kind in "ETAGS=0" "ETAGS=1" "CEILING=1"; do
  env "$kind" wrk -t 2 -c 64 -d "${POLL_WARMUP}s" -s bench/poll.lua "http://127.0.0.1:$APP_PORT" >/dev/null 2>&1 || true
done
POLL=$(ETAGS=0 wrk -t 2 -c 64 -d 30s --latency -s bench/poll.lua "http://127.0.0.1:$APP_PORT" | grep RESULT)
NOT_MODIFIED=$(ETAGS=1 wrk -t 2 -c 64 -d 30s --latency -s bench/poll.lua "http://127.0.0.1:$APP_PORT" | grep RESULT)
CEILING=$(CEILING=1 wrk -t 2 -c 64 -d 30s --latency -s bench/poll.lua "http://127.0.0.1:$APP_PORT" | grep RESULT)
log "   progress 200: $POLL"
log "   progress 304: $NOT_MODIFIED"
log "   no-database ceiling (liveness, same token): $CEILING"
stop_app
RESULTS+=("| poll: GET single-restaurant-progress, 200 | $(field "$POLL" rps) req/s, p99 $(field "$POLL" p99_ms) ms | liveness with the same token (no database): $(field "$CEILING" rps) req/s, p99 $(field "$CEILING" p99_ms) ms | $(python3 -c "print(round($(field "$POLL" rps) / $(field "$CEILING" rps), 2))") of ceiling (targets: >= 5000 req/s with p99 < 25 ms, or >= 0.9 of ceiling) |")
RESULTS+=("| poll with If-None-Match, 304 | $(field "$NOT_MODIFIED" rps) req/s, p99 $(field "$NOT_MODIFIED" p99_ms) ms | | $(python3 -c "print(round($(field "$NOT_MODIFIED" rps) / $(field "$CEILING" rps), 2))") of ceiling (same targets) |")

# 5,000 open dialogs polling every 5 s, 1,000 polls/s, while CONCURRENCY jobs run against a registration API that
# takes 300 ms per call (a second stub, so the first stays instant for the sections after this one). Each dialog
# sends If-None-Match with the tag its job had when the run began: the running jobs' polls answer 200 as they
# change, the others 304. wrk paces each of 100 connections with a 100 ms pause after every answer, so the rate
# is at most 1,000/s (a slow answer delays that connection's next poll: the p99 is of the polls sent).
LOAD_JOBS=${BENCH_LOAD_JOBS:-400}
log "   1,000 polls/s (100 connections, 100 ms apart) while $CONCURRENCY jobs run ($LOAD_JOBS queued, calls of 300 ms)"
java -Xmx128m bench/Stub.java "$SLOW_STUB_PORT" >"$WORK/slow-stub.log" 2>&1 &
SLOW_STUB_PID=$!
until curl -fs -o /dev/null -X POST "http://127.0.0.1:$SLOW_STUB_PORT/__bench/slow?pattern=/api/.*&ms=300"; do
  sleep 0.2
done
sql -c "insert into restaurants (id, organisation_id, name, email, phone, address, city, opening_hours)
        select gen_random_uuid(), '$ORG', 'Load ' || n, 'l' || n || '@bench.test', '+64 9 555 0000',
               '1 Bench Road', 'Benchville', '{\"monday\": \"09:00-17:00\"}'::jsonb
        from generate_series(1, $LOAD_JOBS) n"
sql -c "insert into menus (id, restaurant_id, name) select gen_random_uuid(), id, 'Menu' from restaurants
        where name like 'Load %'"
DOWNSTREAM_PORT=$SLOW_STUB_PORT start_app --registration.runner.enabled=true
queue_jobs Load
sql -c "select '/api/registration/single-restaurant-progress/' || j.restaurant_id || ' \"' || j.id || '-' || j.version || '\"'
        from registration_jobs j join restaurants r on r.id = j.restaurant_id
        order by (r.name like 'Load %') desc, j.id limit 5000" >"$WORK/dialogs.txt"
DIALOGS=$(wc -l <"$WORK/dialogs.txt")
PATHS_FILE="$WORK/dialogs.txt" ETAGS=1 DELAY_MS=100 wrk -t 2 -c 100 -d 10s -s bench/poll.lua \
  "http://127.0.0.1:$APP_PORT" >/dev/null 2>&1 || true
RUNNING_BEFORE=$(sql -c "select count(*) from registration_jobs where status = 'in_progress' and lease_owner <> 'bench-holder'")
WHILE_RUNNING=$(PATHS_FILE="$WORK/dialogs.txt" ETAGS=1 DELAY_MS=100 wrk -t 2 -c 100 -d 30s --latency \
  -s bench/poll.lua "http://127.0.0.1:$APP_PORT" | grep RESULT)
RUNNING_AFTER=$(sql -c "select count(*) from registration_jobs where status = 'in_progress' and lease_owner <> 'bench-holder'")
LOAD_ENDED=$(ended Load)
log "   $WHILE_RUNNING over $DIALOGS dialogs; jobs running at the start / end: $RUNNING_BEFORE / $RUNNING_AFTER, $LOAD_ENDED of $LOAD_JOBS ended"
stop_app
kill "$SLOW_STUB_PID" 2>/dev/null || true
SLOW_STUB_PID=
RESULTS+=("| polls while $CONCURRENCY jobs run ($DIALOGS dialogs, 100 connections 100 ms apart, calls of 300 ms) | $(field "$WHILE_RUNNING" rps) polls/s, p99 $(field "$WHILE_RUNNING" p99_ms) ms; jobs running at start / end $RUNNING_BEFORE / $RUNNING_AFTER | | target p99 < 25 ms at 1,000 polls/s |")
fi

# --- 3. Push latency across instances ---------------------------------------------------------------------------
if [ "${BENCH_SKIP_PUSH:-0}" != 1 ]; then
log "3. push latency: 100 jobs (after $PUSH_WARMUP not measured) run on instance A, their event streams read on instance B"
start_app --registration.runner.enabled=true
RUNNER_PID=$APP_PID
APP_PORT_A=$APP_PORT
APP_PORT=$((APP_PORT + 1))
start_app --registration.runner.enabled=false
sql -c "select id from restaurants r where not exists (select 1 from registration_jobs j
        where j.restaurant_id = r.id and j.batch_job_id is null and j.status in ('pending', 'in_progress'))
        limit $((PUSH_WARMUP + 100))" >"$WORK/push-restaurants.txt"
TOKEN=$(python3 bench/token.py "$SECRET" "$ORG")
PUSH=$(python3 bench/push.py "http://127.0.0.1:$APP_PORT" "$TOKEN" "$WORK/push-restaurants.txt" 100 10 "$PUSH_WARMUP" | grep RESULT)
log "   $PUSH"
stop_app
APP_PID=$RUNNER_PID
APP_PORT=$APP_PORT_A
stop_app
RESULTS+=("| push latency, commit to SSE event on the other instance (100 jobs) | median $(field "$PUSH" median_ms) ms, p99 $(field "$PUSH" p99_ms) ms over $(field "$PUSH" events) events | | target p99 < 100 ms |")
fi

# --- 4. Takeover after kill -9 ----------------------------------------------------------------------------------
if [ "${BENCH_SKIP_TAKEOVER:-0}" != 1 ]; then
log "4. takeover: kill -9 in the middle of phase 2, then a new process on the same database"
curl -fs -X POST "http://127.0.0.1:$STUB_PORT/__bench/slow?pattern=/api/registration/configure-.*&ms=5000"
start_app --registration.runner.enabled=true
RESTAURANT=$(sql -c "select id from restaurants r where not exists (select 1 from registration_jobs j
        where j.restaurant_id = r.id and j.batch_job_id is null and j.status in ('pending', 'in_progress')) limit 1")
TOKEN=$(python3 bench/token.py "$SECRET" "$ORG")
JOB=$(curl -fs -X POST "http://127.0.0.1:$APP_PORT/api/registration/execute-single-restaurant" \
  -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' \
  -d "{\"restaurantId\": \"$RESTAURANT\", \"formData\": {}}" | python3 -c 'import json,sys; print(json.load(sys.stdin)["jobId"])')
until [ "$(sql -c "select sub_step_progress #>> '{phases,phase2,sub_steps,paymentConfig,status}'
                   from registration_job_steps where registration_job_id = '$JOB'")" = "in_progress" ]; do sleep 0.2; done
kill -9 "$APP_PID"; wait "$APP_PID" 2>/dev/null || true; APP_PID=
KILLED=$(python3 -c 'import time; print(time.time())')
start_app --registration.runner.enabled=true
READY=$(python3 -c 'import time; print(time.time())')
until [ -n "$(sql -c "select 1 from registration_job_events where registration_job_id = '$JOB' and type = 'job_taken_over'")" ]; do
  sleep 0.1
done
TAKEN=$(sql -c "select extract(epoch from occurred_at) from registration_job_events
                where registration_job_id = '$JOB' and type = 'job_taken_over'")
until [ "$(sql -c "select status from registration_jobs where id = '$JOB'")" = "completed" ]; do sleep 0.2; done
stop_app
AFTER_KILL=$(python3 -c "print(round($TAKEN - $KILLED, 1))")
AFTER_READY=$(python3 -c "print(round($TAKEN - $READY, 1))")
log "   taken over ${AFTER_KILL} s after the kill, ${AFTER_READY} s after the new process was ready; job completed"
RESULTS+=("| takeover after kill -9 (lease 10 s) | ${AFTER_READY} s from the new process being ready (${AFTER_KILL} s from the kill) | | target < 15 s |")
fi

echo
echo "yolo-registration benchmarks, $(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores, $(java -version 2>&1 | head -1)"
echo
echo "| what | ours | the machine's limit, same run | ratio |"
echo "|---|---|---|---|"
printf '%s\n' "${RESULTS[@]}"
