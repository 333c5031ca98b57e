"""The chaos run's driver, started by bench/chaos.sh (which builds the jar and starts the run's own PostgreSQL).

Several instances of the packaged service on one PostgreSQL, a recording stub registration API (bench/ChaosStub.java),
jobs submitted through random instances, a kill -9 of a random ready instance every CHAOS_KILL_EVERY seconds (then
restarted), one PostgreSQL restart, pollers and event streams throughout, readiness sampled on every instance every
second. At the end it reads the database and the stub's call log and prints what survived. Loopback only; every
wait is bounded. Settings come from the environment (see chaos.sh).
"""
import sys

# bench/token.py would shadow the standard library's token module (imported by some of the modules below).
del sys.path[0]

import base64
import hashlib
import hmac
import json
import os
import random
import signal
import subprocess
import threading
import time
import urllib.error
import urllib.request
import uuid

E = os.environ
JAR = E["CHAOS_JAR"]
WORK = E["CHAOS_WORK"]
PG_PORT = int(E["CHAOS_PG_PORT"])
PSQL = E["CHAOS_PSQL"].split()
PG_RESTART = E["CHAOS_PG_RESTART"].split()
INSTANCES = int(E.get("CHAOS_INSTANCES", "3"))
JOBS = int(E.get("CHAOS_JOBS", "500"))
KILL_EVERY = float(E.get("CHAOS_KILL_EVERY", "10"))
SUBMIT_SECONDS = float(E.get("CHAOS_SUBMIT_SECONDS", "240"))
PG_RESTART_AT = float(E.get("CHAOS_PG_RESTART_AT", "60"))
MAX_SECONDS = float(E.get("CHAOS_MAX_SECONDS", "480"))
POLLERS = int(E.get("CHAOS_POLLERS", "4"))
STREAMS = int(E.get("CHAOS_STREAMS", "3"))
STUB_PORT = int(E.get("CHAOS_STUB_PORT", "18190"))
BASE_PORT = int(E.get("CHAOS_APP_PORT", "18181"))
SECRET = "chaos-secret-for-loopback-runs-only-0123456789"
# Every start of the packaged service needs a data key; a fresh one per run, shared by the instances.
DATA_KEY = "chaos-1:" + base64.b64encode(os.urandom(32)).decode()
STUB_LOG = os.path.join(WORK, "stub-calls.log")
TERMINAL = {"completed", "failed", "cancelled"}

lock = threading.Lock()
stop = threading.Event()
started_at = time.time()
kills = []            # (time, slot, instance id)
skipped_kills = [0]
stranded = []         # (kill time, job id)
pg_window = []        # [stop began, start ended]
samples = []          # (time, slot, generation, HTTP status or 0 for no answer within 5 s)
counters = {"polls": 0, "poll_errors": 0, "streams": 0, "stream_events": 0, "stream_breaks": 0,
            "submit_retries": 0}


def log(message):
    print(time.strftime("%H:%M:%S") + " " + message, file=sys.stderr, flush=True)


def sql(query):
    result = subprocess.run(PSQL + ["-X", "-q", "-t", "-A", "-F", "|", "-v", "ON_ERROR_STOP=1", "-h", "127.0.0.1",
                                    "-p", str(PG_PORT), "-U", "postgres", "-d", "chaos", "-c", query],
                            capture_output=True, text=True, timeout=60)
    if result.returncode != 0:
        raise RuntimeError(result.stderr.strip())
    return [line.split("|") for line in result.stdout.splitlines() if line]


def sql_retrying(query, seconds=30):
    deadline = time.time() + seconds
    while True:
        try:
            return sql(query)
        except Exception:
            if time.time() > deadline:
                raise
            time.sleep(0.5)


def token(organisation):
    def b64(data):
        return base64.urlsafe_b64encode(data).rstrip(b"=").decode()
    now = int(time.time())
    claims = {"sub": "chaos", "organisation_id": organisation, "iat": now, "exp": now + 7200}
    signing = b64(json.dumps({"alg": "HS256", "typ": "JWT"}).encode()) + "." + b64(json.dumps(claims).encode())
    return signing + "." + b64(hmac.new(SECRET.encode(), signing.encode(), hashlib.sha256).digest())


def http(method, port, path, bearer=None, body=None, timeout=10):
    request = urllib.request.Request("http://127.0.0.1:%d%s" % (port, path), method=method,
                                     data=None if body is None else json.dumps(body).encode())
    if bearer:
        request.add_header("Authorization", "Bearer " + bearer)
    if body is not None:
        request.add_header("Content-Type", "application/json")
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


class Instance:
    def __init__(self, slot):
        self.slot = slot
        self.port = BASE_PORT + slot
        self.generation = 0
        self.process = None
        self.ready = False
        self.instance_id = None

    def start(self):
        self.generation += 1
        self.ready = False
        self.instance_id = "chaos-%d-%d" % (self.slot, self.generation)
        out = open(os.path.join(WORK, "instance-%d.log" % self.slot), "a")
        environment = dict(os.environ, SPRING_PROFILES_ACTIVE="prod",
                           SPRING_DATASOURCE_URL="jdbc:postgresql://127.0.0.1:%d/chaos" % PG_PORT,
                           SPRING_DATASOURCE_USERNAME="postgres", SPRING_DATASOURCE_PASSWORD="",
                           REGISTRATION_SECURITY_JWT_SECRET=SECRET, REGISTRATION_SECURITY_DATA_KEY=DATA_KEY)
        self.process = subprocess.Popen(
            ["java", "-Xmx256m", "-XX:TieredStopAtLevel=1", "-jar", JAR, "--server.port=%d" % self.port,
             "--registration.downstream.base-url=http://127.0.0.1:%d" % STUB_PORT,
             "--registration.downstream.account-creation-min-interval=0s",
             "--registration.downstream.max-attempts=5",
             "--registration.downstream.backoff-base=200ms", "--registration.downstream.backoff-max=2s",
             "--registration.runner.instance-id=" + self.instance_id,
             "--logging.level.io.yolomode=WARN"],
            stdout=out, stderr=subprocess.STDOUT, env=environment)

    def alive(self):
        return self.process is not None and self.process.poll() is None


instances = [Instance(slot) for slot in range(INSTANCES)]


def ready_instances():
    return [instance for instance in instances if instance.alive() and instance.ready]


def sampler():
    """Readiness of every live instance, every second; an instance counts as ready from its first UP."""
    while not stop.is_set():
        tick = time.time()
        for instance in list(instances):
            if not instance.alive():
                continue
            generation = instance.generation
            try:
                status, _ = http("GET", instance.port, "/actuator/health/readiness", timeout=5)
            except Exception:
                status = 0
            if status == 200:
                instance.ready = True
            if instance.ready and instance.alive() and instance.generation == generation:
                with lock:
                    samples.append((tick, instance.slot, generation, status))
        stop.wait(max(0.0, 1.0 - (time.time() - tick)))


def killer():
    while not stop.wait(KILL_EVERY):
        candidates = ready_instances()
        if len(candidates) < 2:
            skipped_kills[0] += 1
            continue
        victim = random.choice(candidates)
        owner = victim.instance_id
        killed = time.time()
        victim.process.kill()
        victim.process.wait()
        kills.append((killed, victim.slot, owner))
        log("kill -9 instance %d (%s)" % (victim.slot, owner))
        try:
            rows = sql_retrying("select id from registration_jobs where status = 'in_progress' and lease_owner = '%s'"
                                % owner)
            stranded.extend((killed, row[0]) for row in rows)
        except Exception as error:
            log("could not read the stranded jobs of %s: %s" % (owner, error))
        victim.start()


def pg_restarter():
    if stop.wait(PG_RESTART_AT):
        return
    log("restarting PostgreSQL")
    began = time.time()
    subprocess.run(PG_RESTART, capture_output=True, timeout=120)
    pg_window.extend([began, time.time()])
    log("PostgreSQL is back after %.1f s" % (pg_window[1] - pg_window[0]))


def poller(bearer, submitted):
    while not stop.is_set():
        candidates = ready_instances()
        if not candidates or not submitted:
            stop.wait(0.5)
            continue
        job_id = random.choice(submitted)
        try:
            status, _ = http("GET", random.choice(candidates).port, "/api/registration/jobs/" + job_id, bearer)
            with lock:
                counters["polls"] += 1
                if status != 200:
                    counters["poll_errors"] += 1
        except Exception:
            with lock:
                counters["poll_errors"] += 1
        stop.wait(0.5)


def streamer(bearer, submitted):
    while not stop.is_set():
        candidates = ready_instances()
        if not candidates or not submitted:
            stop.wait(0.5)
            continue
        job_id = random.choice(submitted[-50:])
        request = urllib.request.Request("http://127.0.0.1:%d/api/registration/jobs/%s/events"
                                         % (random.choice(candidates).port, job_id))
        request.add_header("Authorization", "Bearer " + bearer)
        with lock:
            counters["streams"] += 1
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                for line in response:
                    if line.startswith(b"id:"):
                        with lock:
                            counters["stream_events"] += 1
                    if stop.is_set():
                        break
        except Exception:
            with lock:
                counters["stream_breaks"] += 1


def submit(bearer, restaurant, menu):
    form = {"account": {"email": "owner@chaos.test", "password": "Chaos-Secret-1", "phone": "+64 21 555 0100"},
            "restaurant": {"registrationMode": "new_account"},
            "menu": {"selectedMenuId": menu, "uploadImages": True, "addOptionSets": True, "addItemTags": True},
            "website": {"disableGradients": True, "headerEnabled": True, "itemsLayout": "grid"},
            "payment": {"includeStripeLink": True},
            "onboarding": {"createOnboardingUser": True, "syncOnboardingRecord": True, "userName": "Chaos Owner",
                           "userEmail": "chaos@chaos.test", "userPassword": "Chaos-Secret-2"}}
    deadline = time.time() + 120
    while time.time() < deadline:
        candidates = ready_instances()
        if candidates:
            try:
                status, body = http("POST", random.choice(candidates).port,
                                    "/api/registration/execute-single-restaurant", bearer,
                                    {"restaurantId": restaurant, "formData": form})
                if status in (200, 202):
                    return json.loads(body)["jobId"]
            except Exception:
                pass
        with lock:
            counters["submit_retries"] += 1
        time.sleep(0.5)
    raise RuntimeError("could not submit a job for " + restaurant)


def main():
    # A SIGTERM (timeout, Ctrl-C of chaos.sh) still stops the instances and the stub below.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    log("stub registration API on :%d (50-500 ms, 5%% 503), calls recorded in %s" % (STUB_PORT, STUB_LOG))
    stub = subprocess.Popen(["java", "-Xmx256m", os.path.join(os.path.dirname(os.path.abspath(__file__)), "ChaosStub.java"),
                             str(STUB_PORT), STUB_LOG], stdout=open(os.path.join(WORK, "stub.log"), "w"),
                            stderr=subprocess.STDOUT)
    try:
        run(stub)
    finally:
        stop.set()
        for instance in instances:
            if instance.alive():
                instance.process.terminate()
        for instance in instances:
            if instance.process is not None:
                try:
                    instance.process.wait(timeout=45)
                except subprocess.TimeoutExpired:
                    instance.process.kill()
        stub.terminate()
        stub.wait()


def run(stub):
    log("starting %d instances (the first one migrates the schema)" % INSTANCES)
    instances[0].start()
    threading.Thread(target=sampler, daemon=True).start()
    wait_until(lambda: instances[0].ready, 600, "the first instance did not become ready")
    for instance in instances[1:]:
        instance.start()
    wait_until(lambda: len(ready_instances()) == INSTANCES, 600, "the instances did not become ready")

    organisation = str(uuid.uuid4())
    sql("insert into organisations (id, name) values ('%s', 'Chaos')" % organisation)
    sql("""insert into restaurants (id, organisation_id, name, email, phone, address, city, opening_hours)
           select gen_random_uuid(), '%s', 'Chaos ' || n, 'chaos' || n || '@chaos.test', '+64 9 555 0100',
                  n || ' Chaos Street', 'Auckland', '{"monday": "11:00-22:00"}'::jsonb
           from generate_series(1, %d) n""" % (organisation, JOBS))
    sql("insert into menus (id, restaurant_id, name) select gen_random_uuid(), id, 'Menu' from restaurants")
    pairs = sql("select r.id, m.id from restaurants r join menus m on m.restaurant_id = r.id order by r.name")
    bearer = token(organisation)
    submitted = []
    for _ in range(POLLERS):
        threading.Thread(target=poller, args=(bearer, submitted), daemon=True).start()
    for _ in range(STREAMS):
        threading.Thread(target=streamer, args=(bearer, submitted), daemon=True).start()
    threading.Thread(target=killer, daemon=True).start()
    threading.Thread(target=pg_restarter, daemon=True).start()

    log("submitting %d jobs over %.0f s; kill -9 every %.0f s; PostgreSQL restart at %.0f s"
        % (JOBS, SUBMIT_SECONDS, KILL_EVERY, PG_RESTART_AT))
    chaos_began = time.time()
    for index, (restaurant, menu) in enumerate(pairs):
        submitted.append(submit(bearer, restaurant, menu))
        pause = chaos_began + (index + 1) * SUBMIT_SECONDS / JOBS - time.time()
        if pause > 0:
            time.sleep(pause)
    log("all %d jobs submitted; waiting for them to end (at most %.0f s after the start)" % (JOBS, MAX_SECONDS))
    deadline = chaos_began + MAX_SECONDS
    while time.time() < deadline:
        try:
            open_jobs = int(sql("select count(*) from registration_jobs where status in ('pending', 'in_progress')")
                            [0][0])
        except Exception:
            open_jobs = -1
        if open_jobs == 0 and (pg_window or time.time() - chaos_began > PG_RESTART_AT + 60):
            break
        time.sleep(2)
    stop.set()
    chaos_seconds = time.time() - chaos_began
    time.sleep(1)
    report(submitted, chaos_seconds)


def wait_until(condition, seconds, message):
    deadline = time.time() + seconds
    while not condition():
        if time.time() > deadline:
            raise RuntimeError(message)
        time.sleep(0.5)


def report(submitted, chaos_seconds):
    statuses = dict((row[0], row[1]) for row in sql_retrying("select id, status from registration_jobs"))
    ended = [job for job in submitted if statuses.get(job) in TERMINAL]
    lost = len(set(submitted)) - len(set(ended))
    completed = sum(1 for job in set(submitted) if statuses.get(job) == "completed")
    failed = sum(1 for job in set(submitted) if statuses.get(job) == "failed")
    gaps = sql_retrying("""
        select count(*) from (select j.id from registration_jobs j
            join registration_job_events e on e.registration_job_id = j.id group by j.id, j.version
            having count(*) <> max(e.sequence) - min(e.sequence) + 1
                or min(e.sequence) > 1 or max(e.sequence) <> j.version) gaps""")[0][0]
    takeovers = sql_retrying("select count(*) from registration_job_events where type = 'job_taken_over'")[0][0]
    takeover_times = {}
    for job, at in sql_retrying("""select registration_job_id, extract(epoch from occurred_at)
                                   from registration_job_events where type = 'job_taken_over'"""):
        takeover_times.setdefault(job, []).append(float(at))
    waits = []
    never_taken_over = 0
    for killed, job in stranded:
        after = [at for at in takeover_times.get(job, []) if at >= killed]
        if after:
            waits.append(min(after) - killed)
        elif statuses.get(job) not in TERMINAL:
            never_taken_over += 1

    calls = {}
    with open(STUB_LOG) as lines:
        for line in lines:
            received, answered, path, key, status = line.split()
            calls.setdefault(key, []).append((int(received) / 1000, int(answered) / 1000, path, int(status)))
    # A job's owner died (or PostgreSQL went away) after the job's call was sent: the outcome of the call may not
    # have been written, so the next run makes it again. Stranded jobs are read from the leases at each kill.
    stranded_at = {}
    for killed, job in stranded:
        stranded_at.setdefault(job, []).append(killed)
    total_calls = sum(len(value) for value in calls.values())
    repeated_keys = 0
    repeated_at_kill = 0
    repeated_at_restart = 0
    unexplained = []
    mixed_paths = 0
    for key, made in calls.items():
        made.sort()
        job = key.split(":")[0]
        if len(set(call[2] for call in made)) > 1:
            mixed_paths += 1
        answered_ok = [call for call in made if call[3] == 200]
        if len(answered_ok) < 2:
            continue
        repeated_keys += 1
        first, again = answered_ok[0], answered_ok[1]
        # The first call may reach the stub a little after the kill was decided (it was on its way), hence 2 s.
        if any(first[0] - 2 <= killed <= again[0] for killed in stranded_at.get(job, [])):
            repeated_at_kill += 1
        elif pg_window and first[0] <= pg_window[1] and again[0] >= pg_window[0]:
            repeated_at_restart += 1
        else:
            unexplained.append(key)

    not_ready = []
    slow = 0
    restart_not_ready = 0
    for tick, slot, generation, status in samples:
        if status == 200:
            continue
        if pg_window and pg_window[0] - 1 <= tick <= pg_window[1] + 15:
            restart_not_ready += 1
        elif status == 0:
            slow += 1
        else:
            not_ready.append("instance %d start %d at %s: %d" % (slot, generation, time.strftime(
                "%H:%M:%S", time.localtime(tick)), status))

    rows = [
        ("instances / jobs submitted", "%d / %d" % (INSTANCES, len(set(submitted)))),
        ("chaos phase (s)", "%.0f" % chaos_seconds),
        ("kill -9 (skipped: fewer than 2 ready)", "%d (%d)" % (len(kills), skipped_kills[0])),
        ("PostgreSQL restart (s down)", "%.1f" % (pg_window[1] - pg_window[0]) if pg_window else "not reached"),
        ("jobs lost (must be 0)", str(lost)),
        ("jobs completed / failed", "%d / %d" % (completed, failed)),
        ("jobs with history gaps (must be 0)", gaps),
        ("registration API calls (503 answered)", "%d (%d)" % (total_calls, sum(1 for value in calls.values()
                                                                  for call in value if call[3] == 503))),
        ("sub-steps answered 200 more than once", str(repeated_keys)),
        ("  of them under way at a kill / at the restart", "%d / %d" % (repeated_at_kill, repeated_at_restart)),
        ("  of them unexplained (must be 0)", str(len(unexplained))),
        ("  keys sent to two paths (must be 0)", str(mixed_paths)),
        ("jobs stranded by kills / takeovers", "%d / %s" % (len(stranded), takeovers)),
        ("stranded jobs never taken over nor ended", str(never_taken_over)),
        ("longest wait after the instance died (s)", "%.1f" % max(waits) if waits else "-"),
        ("surviving instances' not-ready seconds (must be 0)", str(len(not_ready))),
        ("  readiness samples with no answer within 5 s", str(slow)),
        ("not-ready seconds while PostgreSQL restarted (+15 s)", str(restart_not_ready)),
        ("polls (errors) / streams (events, broken)", "%d (%d) / %d (%d, %d)" % (
            counters["polls"], counters["poll_errors"], counters["streams"], counters["stream_events"],
            counters["stream_breaks"])),
    ]
    width = max(len(row[0]) for row in rows)
    print()
    print("| %s | value |" % "figure".ljust(width))
    print("|%s|---|" % ("-" * (width + 2)))
    for name, value in rows:
        print("| %s | %s |" % (name.ljust(width), value))
    if not_ready:
        print("not ready: " + "; ".join(not_ready[:10]))
    if unexplained:
        print("unexplained repeated keys: " + ", ".join(unexplained[:10]))
    healthy = lost == 0 and int(gaps) == 0 and not unexplained and mixed_paths == 0 and not not_ready
    print("\nchaos run: " + ("every rule held" if healthy else "A RULE WAS BROKEN"))
    sys.exit(0 if healthy else 1)


if __name__ == "__main__":
    main()
