#!/usr/bin/env python3
"""Finding 8: `kapta-mock healthcheck` is documented to exit 0 only when the health endpoint
returns 200 within 2 seconds, but the 2 seconds apply to each read, not to the whole check.

A listener started here on 127.0.0.1 sends the status line of a 200 one byte every 0.3 s.
The healthcheck waits about 5 s and exits 0. It also shows that a URL with a path is
requested as given, not as URL + /__admin/health as the README says.

Exit status: 0 when the check keeps its 2-second deadline, 1 when the defect reproduces.
Run from the repository root: python3 Tests/Scripts/repro/finding08_healthcheck_deadline.py
"""
import socket
import subprocess
import sys
import threading
import time

from kapta_mock_server import BINARY, Server

listener = socket.socket()
listener.bind(("127.0.0.1", 0))
listener.listen(1)
port = listener.getsockname()[1]


def trickle():
    connection, _ = listener.accept()
    with connection:
        connection.recv(4096)
        for byte in b"HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n":
            connection.send(bytes([byte]))
            time.sleep(0.3)


threading.Thread(target=trickle, daemon=True).start()
started = time.monotonic()
check = subprocess.run([BINARY, "healthcheck", f"http://127.0.0.1:{port}"], capture_output=True, text=True)
seconds = time.monotonic() - started
listener.close()
print(f"healthcheck against a slow server: exit {check.returncode} after {seconds:.1f} s")

server = Server()
try:
    prefixed = subprocess.run([BINARY, "healthcheck", server.url + "/prefix"], capture_output=True, text=True)
finally:
    server.terminate()
print(f"healthcheck {server.url}/prefix: exit {prefixed.returncode}: {prefixed.stderr.strip()}")

if check.returncode == 0 and seconds > 2.5:
    print("FINDING 8 reproduced: the healthcheck passed after more than 2 seconds")
    sys.exit(1)
print("finding 8 not reproduced")
