#!/usr/bin/env python3
"""Write the seed corpus of the h2 fuzz target to Tests/FuzzCorpus/h2.

Usage: make_h2_fuzz_seeds.py [DIRECTORY]

Each seed is what a client sends after the connection preface: valid frame sequences made
with the `h2` package, covering the paths of the server session (bodies, trailers, delayed
responses, faults, flow control, CONTINUATION, resets, PING, GOAWAY). The fuzz target adds
the preface itself. Output is deterministic, so rerunning the script changes nothing.
"""
import os
import sys

import h2.config
import h2.connection
import h2.settings
from hyperframe.frame import GoAwayFrame, PingFrame, PriorityFrame, RstStreamFrame, SettingsFrame, WindowUpdateFrame

PREFACE = b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"


def client():
    conn = h2.connection.H2Connection(h2.config.H2Configuration(client_side=True, header_encoding="utf-8"))
    conn.initiate_connection()
    return conn


def headers(method, path, *extra):
    return [(":method", method), (":path", path), (":scheme", "http"), (":authority", "fuzz")] + list(extra)


def take(conn):
    data = conn.data_to_send()
    return data[len(PREFACE):] if data.startswith(PREFACE) else data


def seed_get():
    conn = client()
    conn.send_headers(1, headers("GET", "/"), end_stream=True)
    return take(conn)


def seed_put_body():
    conn = client()
    conn.send_headers(1, headers("PUT", "/v1/account/A/opportunity/B", ("content-type", "application/json"),
                                 ("content-length", "27")))
    conn.send_data(1, b'{"name":"x","amount":12.50}', end_stream=True)
    return take(conn)


def seed_trailers():
    conn = client()
    conn.send_headers(1, headers("POST", "/upload", ("te", "trailers")))
    conn.send_data(1, b"part one")
    conn.send_headers(1, [("x-checksum", "abc")], end_stream=True)
    return take(conn)


def seed_many_streams():
    conn = client()
    paths = ["/delay/1", "/fault/connectionReset", "/fault/emptyResponse", "/fault/malformedResponse", "/large",
             "/x?y=1"]
    for index, path in enumerate(paths):
        conn.send_headers(1 + 2 * index, headers("GET", path, ("cookie", "a=1"), ("cookie", "b=2")), end_stream=True)
    return take(conn)


def seed_expect_continue():
    conn = client()
    conn.send_headers(1, headers("PUT", "/early", ("expect", "100-continue"), ("content-length", "4")))
    conn.send_headers(3, headers("PUT", "/late", ("expect", "100-continue"), ("content-length", "4")))
    conn.send_data(3, b"body", end_stream=True)
    return take(conn)


def seed_large_header_block():
    conn = client()
    # Varied text compresses less than a repeated byte, so the block needs CONTINUATION frames.
    padding = "".join("abcdefghijklmnopqrstuvwxyz0123456789"[(index * 7) % 36] for index in range(30000))
    conn.send_headers(1, headers("GET", "/big", ("x-padding", padding)), end_stream=True)
    return take(conn)


def seed_control_frames():
    conn = client()
    conn.send_headers(1, headers("PUT", "/slow"))
    data = take(conn)
    data += PingFrame(0, opaque_data=b"12345678").serialize()
    data += SettingsFrame(0, flags=["ACK"]).serialize()
    data += WindowUpdateFrame(0, window_increment=1 << 20).serialize()
    data += PriorityFrame(3, depends_on=1, stream_weight=16).serialize()
    data += RstStreamFrame(1, error_code=8).serialize()
    data += GoAwayFrame(0, last_stream_id=0, error_code=0).serialize()
    return data


def seed_flow_control():
    conn = client()
    conn.update_settings({h2.settings.SettingCodes.INITIAL_WINDOW_SIZE: 100})
    conn.send_headers(1, headers("GET", "/large"), end_stream=True)
    data = take(conn)
    data += WindowUpdateFrame(1, window_increment=50000).serialize()
    data += WindowUpdateFrame(0, window_increment=50000).serialize()
    return data


SEEDS = {
    "get": seed_get,
    "put-body": seed_put_body,
    "trailers": seed_trailers,
    "many-streams": seed_many_streams,
    "expect-continue": seed_expect_continue,
    "large-header-block": seed_large_header_block,
    "control-frames": seed_control_frames,
    "flow-control": seed_flow_control,
}


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    directory = sys.argv[1] if len(sys.argv) > 1 else os.path.join(here, "..", "FuzzCorpus", "h2")
    os.makedirs(directory, exist_ok=True)
    for name, make in SEEDS.items():
        with open(os.path.join(directory, name), "wb") as seed_file:
            seed_file.write(make())


if __name__ == "__main__":
    main()
