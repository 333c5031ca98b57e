"""Push latency across instances: jobs are queued and run on instance A, their event streams are read on instance B.
For every event after a stream's first (the snapshot), the delay is the time it arrived minus the time its history
entry was written (the database's clock; both on this machine). The first `warm-up` jobs run the same way but are
not counted, so that the figures are those of compiled code. Prints median, p99 and max over the counted events.
Usage: push.py API_B TOKEN RESTAURANTS_FILE JOBS PARALLEL [WARM_UP_JOBS]"""
import datetime
import json
import statistics
import sys
import threading
import urllib.request
import uuid

api_b, token, restaurants_file, jobs_total, parallel = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4]), int(sys.argv[5])
warm_up = int(sys.argv[6]) if len(sys.argv) > 6 else 0
restaurants = [line.strip() for line in open(restaurants_file) if line.strip()][:warm_up + jobs_total]
delays = []
lock = threading.Lock()


def request(path, body=None):
    data = None if body is None else json.dumps(body).encode()
    req = urllib.request.Request(api_b + path, data=data, method="POST" if body is not None else "GET")
    req.add_header("Authorization", "Bearer " + token)
    if body is not None:
        req.add_header("Content-Type", "application/json")
    return req


def run(restaurant, counted):
    scheduled = (datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(seconds=1)).isoformat()
    with urllib.request.urlopen(request("/api/registration/execute-single-restaurant",
                                        {"restaurantId": restaurant, "formData": {}, "scheduledAt": scheduled})) as r:
        job = json.load(r)["jobId"]
    stream = urllib.request.urlopen(request("/api/registration/jobs/%s/events" % job), timeout=60)
    first = True
    data = []
    for raw in stream:
        line = raw.decode().rstrip("\n")
        if line.startswith("data:"):
            data.append(line[5:])
        elif line == "" and data:
            arrived = datetime.datetime.now(datetime.timezone.utc)
            event = json.loads("".join(data))
            data = []
            if counted and not first:
                written = datetime.datetime.fromisoformat(event["event"]["at"].replace("Z", "+00:00"))
                with lock:
                    delays.append((arrived - written).total_seconds() * 1000)
            first = False
    stream.close()


threads = []
for index, restaurant in enumerate(restaurants):
    thread = threading.Thread(target=run, args=(restaurant, index >= warm_up))
    thread.start()
    threads.append(thread)
    if len(threads) >= parallel:
        threads.pop(0).join()
for thread in threads:
    thread.join()
delays.sort()
p99 = delays[max(0, int(len(delays) * 0.99) - 1)]
print("RESULT events=%d median_ms=%.1f p99_ms=%.1f max_ms=%.1f" % (len(delays), statistics.median(delays), p99,
                                                                    delays[-1]))
