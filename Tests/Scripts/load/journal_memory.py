#!/usr/bin/env python3
"""Check that the request journal keeps memory near admin.journal.maxBytes.

Sends 60 Kapta requests with 4 MiB bodies and no token (each gets a 401) and compares the server's
resident memory before and after. The journal is limited to 16 MiB, so growth beyond about
64 MiB means evicted entries are still held. Up to commit 6fa7fde the server grew by about
4 MiB per request (250 MB after 60); commit 7ac702f, which keeps the journal in a ring,
fixed it, so this script now guards against a regression.

Exit status: 0 when memory stays bounded, else 1.
Run from the repository root: python3 Tests/Scripts/load/journal_memory.py
"""
import sys

from kapta_mock_server import Server

REQUESTS = 60
BODY = b"y" * (4 * 1024 * 1024 - 256)
LIMIT_KIB = 64 * 1024

server = Server()
try:
    before = server.resident_kib()
    for _ in range(REQUESTS):
        server.request("PUT", "/v1/account/ACC-1001/opportunity/OPP-2001", body=BODY)
    growth = server.resident_kib() - before
finally:
    server.terminate()

print(f"resident memory grew by {growth // 1024} MiB after {REQUESTS} requests of 4 MiB")
if growth > LIMIT_KIB:
    print("FAILED: evicted journal entries are still held")
    sys.exit(1)
print("passed: memory stays bounded")
