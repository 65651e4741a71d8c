#!/usr/bin/env python3
"""Finding 17: SIGTERM under load resets busy keep-alive connections instead of finishing
the requests that clients have already sent.

Sixteen clients each send PUTs back to back on one keep-alive connection. After one second
the server gets SIGTERM. A graceful shutdown responds to the request each client has sent with
`Connection: close`, or closes with a FIN so the client can retry. The server closes every
connection whose parser holds no partial request at once, with the next request still
unread in the socket, so the kernel sends a TCP reset. In four runs on a 2-core VM, all 64
connections ended with ConnectionResetError or BrokenPipeError (the reset seen while
sending), and none got a response with `Connection: close`.

Exit status: 0 when no connection is reset, 1 when the defect reproduces.
Run from the repository root: python3 Tests/Scripts/repro/finding17_shutdown_resets.py
"""
import collections
import http.client
import json
import sys
import threading
import time

from repro_server import Server

CLIENTS = 16
BODY = json.dumps({"OpportunityID": "OPP-2001", "Name": "Renewal", "CloseDate": "2027-03-31T00:00:00Z",
                   "Value": 1, "Stage": "Proposal"})
HEADERS = {"Authorization": "token alice-token", "Content-Type": "application/json"}

server = Server("--log-level", "error")
endings = []


def client():
    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=5)
    while True:
        try:
            connection.request("PUT", "/v1/account/ACC-1001/opportunity/OPP-2001", body=BODY, headers=HEADERS)
            response = connection.getresponse()
            response.read()
        except (OSError, http.client.HTTPException) as error:
            endings.append(type(error).__name__)
            return
        if (response.getheader("Connection") or "").lower() == "close":
            endings.append("response with Connection: close")
            return


threads = [threading.Thread(target=client) for _ in range(CLIENTS)]
for thread in threads:
    thread.start()
time.sleep(1.0)
exit_status, seconds = server.terminate()
for thread in threads:
    thread.join()

counts = collections.Counter(endings)
print(f"SIGTERM: exit status {exit_status} after {seconds:.2f} s")
print(f"how the {CLIENTS} connections ended: {dict(counts)}")
if counts["ConnectionResetError"] + counts["BrokenPipeError"] > 0:
    print("FINDING 17 reproduced: connections with a request already sent were reset")
    sys.exit(1)
print("finding 17 not reproduced")
