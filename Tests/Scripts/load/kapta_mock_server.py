"""Start and stop a kapta-mock process on 127.0.0.1 for the load scripts.

The binary is .build/debug/kapta-mock unless KAPTA_MOCK_BINARY names another one. The
server picks a free port (--port 0) and its base URL is read from its first stdout line.
"""
import http.client
import os
import signal
import subprocess
import time

BINARY = os.environ.get("KAPTA_MOCK_BINARY", ".build/debug/kapta-mock")


class Server:
    """One kapta-mock process. Its stderr is discarded, so a full pipe never blocks the server."""

    def __init__(self, *arguments):
        self.log = open(os.devnull, "w")
        self.process = subprocess.Popen([BINARY, "--port", "0", *arguments], stdout=subprocess.PIPE,
                                        stderr=self.log, text=True)
        self.url = self.process.stdout.readline().strip()
        if not self.url:
            raise RuntimeError(f"{BINARY} printed no base URL; exit status {self.process.wait()}")
        self.port = int(self.url.rsplit(":", 1)[1])

    def request(self, method, path, body=None, headers=None, timeout=10.0):
        """Send one request on a new connection; return (status, body bytes)."""
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout)
        try:
            connection.request(method, path, body=body, headers=headers or {})
            response = connection.getresponse()
            return response.status, response.read()
        finally:
            connection.close()

    def resident_kib(self):
        """Resident set size of the server process, in KiB, from /proc."""
        with open(f"/proc/{self.process.pid}/status") as status:
            for line in status:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
        return 0

    def terminate(self, timeout=60.0):
        """Send SIGTERM; return (exit status, seconds until the process ended)."""
        started = time.monotonic()
        self.process.send_signal(signal.SIGTERM)
        try:
            status = self.process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.process.kill()
            status = self.process.wait()
        self.log.close()
        return status, time.monotonic() - started
