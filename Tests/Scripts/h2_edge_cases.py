#!/usr/bin/env python3
"""HTTP/2 edge cases against a kapta-mock server on 127.0.0.1, driven with the `h2` package.

Usage: h2_edge_cases.py PORT CASE

Prints one JSON object with what the server did; the Swift test that started the script
checks it. Well-formed traffic goes through h2.connection.H2Connection. Frames that h2
refuses to produce (invalid ones) are built with hyperframe, which h2 depends on, and
written to the socket directly.
"""
import json
import socket
import struct
import sys
import time

import h2.config
import h2.connection
import h2.events
import h2.exceptions
import h2.settings
import hpack
from hyperframe.frame import DataFrame, Frame, GoAwayFrame, HeadersFrame, PingFrame, SettingsFrame

TIMEOUT_SECONDS = 5
NO_ERROR = 0
STREAM_CLOSED = 5


class Client:
    """An h2 client connection over a blocking socket that records every event."""

    def __init__(self, port):
        self.sock = socket.create_connection(("127.0.0.1", port), timeout=TIMEOUT_SECONDS)
        self.conn = h2.connection.H2Connection(h2.config.H2Configuration(client_side=True))
        self.events = []
        self.closed = False

    def start(self, flush=True):
        self.conn.initiate_connection()
        if flush:
            self.flush()

    def flush(self):
        data = self.conn.data_to_send()
        if data:
            self.sock.sendall(data)

    def send_raw(self, data):
        self.sock.sendall(data)

    def request(self, method, path, body=b"", end_stream=True, extra_headers=()):
        stream_id = self.conn.get_next_available_stream_id()
        headers = [(":method", method), (":path", path), (":scheme", "http"), (":authority", "127.0.0.1")]
        headers.extend(extra_headers)
        self.conn.send_headers(stream_id, headers, end_stream=end_stream and not body)
        if body:
            self.conn.send_data(stream_id, body, end_stream=end_stream)
        return stream_id

    def read_until(self, predicate, deadline_seconds=TIMEOUT_SECONDS):
        """Reads and records events until predicate(self) is true, the peer closes or time runs out."""
        deadline = time.monotonic() + deadline_seconds
        while not predicate(self) and not self.closed and time.monotonic() < deadline:
            self.sock.settimeout(max(0.01, deadline - time.monotonic()))
            try:
                data = self.sock.recv(65536)
            except socket.timeout:
                break
            except ConnectionResetError:
                data = b""
            if not data:
                self.closed = True
                break
            try:
                self.events.extend(self.conn.receive_data(data))
            except h2.exceptions.ProtocolError as error:
                self.events.append(error)
            self.flush_quietly()
        return predicate(self)

    def flush_quietly(self):
        try:
            self.flush()
        except OSError:
            pass

    def of_type(self, kind):
        return [event for event in self.events if isinstance(event, kind)]

    def status(self, stream_id):
        for event in self.of_type(h2.events.ResponseReceived):
            if event.stream_id == stream_id:
                return int(dict(event.headers)[b":status"])
        return None

    def headers(self, stream_id):
        for event in self.of_type(h2.events.ResponseReceived):
            if event.stream_id == stream_id:
                return {name.decode(): value.decode() for name, value in event.headers}
        return None

    def body(self, stream_id):
        return b"".join(event.data for event in self.of_type(h2.events.DataReceived) if event.stream_id == stream_id)

    def ended(self, stream_id):
        return any(event.stream_id == stream_id for event in self.of_type(h2.events.StreamEnded))

    def reset_code(self, stream_id):
        for event in self.of_type(h2.events.StreamReset):
            if event.stream_id == stream_id:
                return int(event.error_code)
        return None

    def goaway(self):
        terminated = self.of_type(h2.events.ConnectionTerminated)
        if not terminated:
            return None
        return {"error_code": int(terminated[0].error_code), "last_stream_id": terminated[0].last_stream_id}

    def wait_for_close(self):
        """True when the server closes the connection within the timeout."""
        self.read_until(lambda client: False)
        return self.closed


class FrameReader:
    """Reads frames off a socket with hyperframe and decodes header blocks with hpack."""

    def __init__(self, sock):
        self.sock = sock
        self.buffer = b""
        self.decoder = hpack.Decoder()
        self.closed = False

    def frames(self, timeout_seconds):
        """Yields frames until the peer closes the connection or the time runs out."""
        deadline = time.monotonic() + timeout_seconds
        while time.monotonic() < deadline:
            while len(self.buffer) >= 9:
                frame, length = Frame.parse_frame_header(memoryview(self.buffer[:9]))
                if len(self.buffer) < 9 + length:
                    break
                frame.parse_body(memoryview(self.buffer[9:9 + length]))
                self.buffer = self.buffer[9 + length:]
                yield frame
            self.sock.settimeout(max(0.01, deadline - time.monotonic()))
            try:
                data = self.sock.recv(65536)
            except socket.timeout:
                return
            except ConnectionResetError:
                data = b""
            if not data:
                self.closed = True
                return
            self.buffer += data

    def decode(self, block):
        """Decodes a header block into (name, value) text pairs."""
        as_text = lambda item: item.decode() if isinstance(item, bytes) else item
        return [(as_text(name), as_text(value)) for name, value in self.decoder.decode(block)]


def frame_header(length, frame_type, flags, stream_id):
    """The 9-octet frame header of RFC 9113, 4.1, for frames hyperframe will not build."""
    return struct.pack(">I", length)[1:] + bytes([frame_type, flags]) + struct.pack(">I", stream_id)


def case_invalid_frame(port):
    # RFC 9113, 6.1: DATA on stream 0 is a connection error of type PROTOCOL_ERROR.
    client = Client(port)
    client.start()
    client.read_until(lambda c: c.of_type(h2.events.RemoteSettingsChanged))
    client.send_raw(frame_header(4, 0x0, 0x0, 0) + b"oops")
    client.read_until(lambda c: c.goaway() is not None)
    return {"goaway": client.goaway(), "closed": client.wait_for_close()}


def case_too_many_streams(port):
    # All 101 requests leave before the server's SETTINGS are read, as a client that
    # starts many requests at once does.
    client = Client(port)
    client.start(flush=False)
    streams = [client.request("GET", "/delay/200") for _ in range(101)]
    client.flush()
    client.read_until(lambda c: all(c.ended(s) or c.reset_code(s) is not None for s in streams))
    answered = [s for s in streams if client.status(s) == 200 and client.ended(s)]
    refused = {str(s): client.reset_code(s) for s in streams if client.reset_code(s) is not None}
    return {"answered": len(answered), "refused": refused, "goaway": client.goaway()}


def case_too_many_streams_after_ack(port):
    # Once the client has acknowledged SETTINGS_MAX_CONCURRENT_STREAMS, h2 enforces the
    # limit itself and would not open stream 101, so the test lifts h2's copy of the limit.
    client = Client(port)
    client.start()
    client.read_until(lambda c: c.of_type(h2.events.RemoteSettingsChanged))
    client.read_until(lambda c: c.of_type(h2.events.SettingsAcknowledged), deadline_seconds=1)
    client.conn.remote_settings = h2.settings.Settings(client=False, initial_values={
        h2.settings.SettingCodes.MAX_CONCURRENT_STREAMS: 1000})
    streams = [client.request("GET", "/delay/200") for _ in range(101)]
    client.flush()
    client.read_until(lambda c: all(c.ended(s) or c.reset_code(s) is not None for s in streams)
                      or c.goaway() is not None)
    answered = [s for s in streams if client.status(s) == 200 and client.ended(s)]
    refused = {str(s): client.reset_code(s) for s in streams if client.reset_code(s) is not None}
    return {"answered": len(answered), "refused": refused, "goaway": client.goaway()}


def case_large_header_block(port):
    client = Client(port)
    client.start()
    too_large = client.request("GET", "/big-header", extra_headers=[("x-padding", "a" * 40000)])
    client.flush()
    client.read_until(lambda c: c.ended(too_large))
    fields = [("x-field-%d" % index, "v") for index in range(101)]
    too_many = client.request("GET", "/many-fields", extra_headers=fields)
    after = client.request("GET", "/after")
    client.flush()
    client.read_until(lambda c: c.ended(too_many) and c.ended(after))
    return {
        "too_large_status": client.status(too_large),
        "too_many_status": client.status(too_many),
        "after_status": client.status(after),
        "after_body": client.body(after).decode(),
        "goaway": client.goaway(),
    }


def case_data_on_closed_stream(port):
    client = Client(port)
    client.start()
    first = client.request("GET", "/first")
    client.flush()
    client.read_until(lambda c: c.ended(first))
    # RFC 9113, 5.1: DATA on a closed stream is an error of type STREAM_CLOSED.
    client.send_raw(DataFrame(first, data=b"late", flags=["END_STREAM"]).serialize())
    client.read_until(lambda c: c.goaway() is not None or c.reset_code(first) is not None, deadline_seconds=2)
    result = {"first_status": client.status(first), "goaway": client.goaway(), "reset": client.reset_code(first)}
    result["closed"] = client.wait_for_close() if client.goaway() else False
    return result


def case_data_on_half_closed_stream(port):
    client = Client(port)
    client.start()
    delayed = client.request("GET", "/delay/300")
    client.flush()
    client.read_until(lambda c: c.of_type(h2.events.SettingsAcknowledged), deadline_seconds=1)
    # RFC 9113, 5.1: after END_STREAM from the client, its DATA on the stream is an error.
    client.send_raw(DataFrame(delayed, data=b"late").serialize())
    client.read_until(lambda c: c.goaway() is not None or c.reset_code(delayed) is not None, deadline_seconds=2)
    return {"goaway": client.goaway(), "reset": client.reset_code(delayed), "closed": client.wait_for_close()}


def case_faults(port):
    client = Client(port)
    client.start()
    names = ["connectionReset", "emptyResponse", "malformedResponse"]
    streams = {name: client.request("GET", "/fault/" + name) for name in names}
    after = client.request("GET", "/after")
    client.flush()
    client.read_until(lambda c: c.ended(after) and all(c.reset_code(s) is not None for s in streams.values()))
    result = {name: client.reset_code(stream) for name, stream in streams.items()}
    result.update({"after_status": client.status(after), "goaway": client.goaway()})
    return result


def case_idle_timeout(port):
    # The server runs with a 300 ms idle timeout.
    client = Client(port)
    client.start()
    started = time.monotonic()
    first = client.request("GET", "/first")
    client.flush()
    client.read_until(lambda c: c.goaway() is not None)
    closed = client.wait_for_close()
    return {"first_status": client.status(first), "goaway": client.goaway(), "closed": closed,
            "elapsed_ms": int((time.monotonic() - started) * 1000)}


def case_reset_mid_body(port):
    client = Client(port)
    client.start()
    upload = client.request("PUT", "/upload", body=b"x" * 1000, end_stream=False,
                            extra_headers=[("content-length", "5000")])
    client.flush()
    client.conn.reset_stream(upload, error_code=8)
    after = client.request("PUT", "/after", body=b"y" * 10)
    client.flush()
    client.read_until(lambda c: c.ended(after))
    return {"upload_status": client.status(upload), "after_status": client.status(after),
            "after_body": client.body(after).decode(), "goaway": client.goaway()}


def case_ping(port):
    client = Client(port)
    client.start()
    client.conn.ping(b"kapta-h2")
    client.flush()
    client.read_until(lambda c: c.of_type(h2.events.PingAckReceived))
    acks = client.of_type(h2.events.PingAckReceived)
    return {"ack_payload": acks[0].ping_data.decode() if acks else None, "goaway": client.goaway()}


def case_bad_settings(port, setting, value):
    client = Client(port)
    client.start()
    client.send_raw(SettingsFrame(0, settings={setting: value}).serialize())
    client.read_until(lambda c: c.goaway() is not None)
    return {"goaway": client.goaway(), "closed": client.wait_for_close()}


def case_body_too_large(port):
    # The server runs with a 1,000-byte body limit.
    client = Client(port)
    client.start()
    upload = client.request("PUT", "/upload", body=b"z" * 600, end_stream=False)
    client.flush()
    client.read_until(lambda c: c.of_type(h2.events.WindowUpdated) or c.ended(upload), deadline_seconds=0.3)
    try:
        client.conn.send_data(upload, b"z" * 600, end_stream=False)
        client.flush()
    except h2.exceptions.StreamClosedError:
        pass
    client.read_until(lambda c: c.ended(upload) and c.reset_code(upload) is not None)
    declared = client.request("PUT", "/declared", end_stream=False, extra_headers=[("content-length", "5000")])
    client.flush()
    client.read_until(lambda c: c.ended(declared) and c.reset_code(declared) is not None)
    after = client.request("GET", "/after")
    client.flush()
    client.read_until(lambda c: c.ended(after))
    return {
        "status": client.status(upload),
        "body": client.body(upload).decode(),
        "reset": client.reset_code(upload),
        "declared_status": client.status(declared),
        "declared_reset": client.reset_code(declared),
        "after_status": client.status(after),
        "goaway": client.goaway(),
    }


def case_shutdown(port):
    # h2 treats the first GOAWAY as the end of the connection and rejects the frames that
    # follow, while RFC 9113, 6.8 lets streams up to the last stream id finish. So here h2
    # only sends, and the server's frames are read with hyperframe and hpack directly.
    # Prints "ready" once the request is out; the test then starts the server's shutdown.
    client = Client(port)
    client.start()
    delayed = client.request("GET", "/delay/300")
    client.flush()

    reader = FrameReader(client.sock)
    result = {"status": None, "body": "", "goaway": None, "goaways": [], "closed": False}
    announced_ready = False
    ended = False
    for frame in reader.frames(TIMEOUT_SECONDS):
        if isinstance(frame, SettingsFrame) and "ACK" not in frame.flags:
            client.send_raw(SettingsFrame(0, flags=["ACK"]).serialize())
        elif isinstance(frame, SettingsFrame) and not announced_ready:
            announced_ready = True
            print("ready", flush=True)
        elif isinstance(frame, PingFrame) and "ACK" not in frame.flags:
            client.send_raw(PingFrame(0, opaque_data=frame.opaque_data, flags=["ACK"]).serialize())
        elif isinstance(frame, GoAwayFrame):
            result["goaways"].append({"error_code": frame.error_code, "last_stream_id": frame.last_stream_id})
            result["goaway"] = result["goaways"][-1]
        elif isinstance(frame, HeadersFrame) and frame.stream_id == delayed:
            result["status"] = int(dict(reader.decode(frame.data))[":status"])
        elif isinstance(frame, DataFrame) and frame.stream_id == delayed:
            result["body"] += frame.data.decode()
        if frame.stream_id == delayed and "END_STREAM" in frame.flags:
            ended = True

    result["closed"] = reader.closed
    result["ended"] = ended
    return result


CASES = {
    "invalid-frame": case_invalid_frame,
    "too-many-streams": case_too_many_streams,
    "too-many-streams-after-ack": case_too_many_streams_after_ack,
    "large-header-block": case_large_header_block,
    "data-on-closed-stream": case_data_on_closed_stream,
    "data-on-half-closed-stream": case_data_on_half_closed_stream,
    "faults": case_faults,
    "idle-timeout": case_idle_timeout,
    "reset-mid-body": case_reset_mid_body,
    "ping": case_ping,
    "settings-enable-push-2": lambda port: case_bad_settings(port, 0x2, 2),
    "settings-window-too-large": lambda port: case_bad_settings(port, 0x4, 2**31),
    "body-too-large": case_body_too_large,
    "shutdown": case_shutdown,
}


def main():
    if len(sys.argv) != 3 or sys.argv[2] not in CASES:
        sys.exit("usage: h2_edge_cases.py PORT CASE, where CASE is one of: " + ", ".join(CASES))
    result = CASES[sys.argv[2]](int(sys.argv[1]))
    print(json.dumps(result, sort_keys=True), flush=True)


if __name__ == "__main__":
    main()
