#!/usr/bin/env python3
"""Finding 3: validating a large stage list blocks an event loop and delays shutdown.

PUT /__admin/tenants/acme/stages with 15,000 stages (about 110 KB) makes the duplicate check
compare every stage with every earlier one, lowercasing both each time. The event loop that
reads the request does nothing else meanwhile: health checks that land on it time out, and
SIGTERM waits for the check to end instead of stopping within 2 seconds. On a 2-core VM,
8,000 stages took 3.3 s, 30,000 took 56 s, and SIGTERM sent during the latter took 47 s.

Exit status: 0 when the server stays responsive, 1 when the defect reproduces.
Run from the repository root: python3 Tests/Scripts/repro/finding03_quadratic_validation.py [STAGES]
"""
import json
import sys
import threading
import time

from repro_server import Server

STAGES = int(sys.argv[1]) if len(sys.argv) > 1 else 15_000
body = json.dumps({"stages": [f"Stage {index}" for index in range(STAGES)]}).encode()

server = Server("--log-level", "error")
outcome = {}


def put_stages():
    started = time.monotonic()
    try:
        status, _ = server.request("PUT", "/__admin/tenants/acme/stages", body=body, timeout=600)
    except OSError as error:
        status = repr(error)
    outcome["stages"] = (status, time.monotonic() - started)


writer = threading.Thread(target=put_stages)
writer.start()
time.sleep(1.0)

# Each new connection goes to one of the event loops. With two loops, about half of these
# land on the busy one.
timeouts = 0
for _ in range(6):
    try:
        server.request("GET", "/__admin/health", timeout=2.0)
    except OSError:
        timeouts += 1

exit_status, exit_seconds = server.terminate(timeout=600)
writer.join()
status, seconds = outcome["stages"]
print(f"PUT of {STAGES} stages: status {status} after {seconds:.1f} s")
print(f"health checks that timed out after 2 s: {timeouts} of 6")
print(f"SIGTERM: exit status {exit_status} after {exit_seconds:.1f} s")
if timeouts > 0 or exit_seconds > 2.0:
    print("FINDING 3 reproduced: one admin request blocks an event loop and the shutdown")
    sys.exit(1)
print("finding 3 not reproduced")
