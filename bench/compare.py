#!/usr/bin/env python3
"""Measure kapta-mock against nginx in the same run and print the ratios.

Every figure here is a ratio against nginx (1 worker) measured in the same run, because
absolute numbers on a shared machine move with whatever else runs. Load generators and
servers share the machine, so treat results as "server plus client on one box".

  compare.py engine    wrk keep-alive PUTs, our engine with a trivial 200 handler vs nginx `return 200`
  compare.py put       the full Kapta PUT (JSON and XML bodies) vs nginx `return 200` to the same request
  compare.py h2        h2load -c50 -m10 PUTs over h2c, ours vs nginx's h2c
  compare.py startup   time from exec to the first successful PUT, ours vs nginx
  compare.py memory    our idle RSS and RSS holding 10,000 idle keep-alive connections

Options: --rounds N (default 3, medians reported), --duration S (wrk seconds, default 10),
--loops N (our event loops; default one per core), --modes c50,c1 (which wrk runs),
--json FILE (raw results).
Needs wrk, nginx, h2load and the release binaries; `make bench` installs and builds them.
Servers bind 127.0.0.1 only, on ports 18600-18699.
"""
import argparse
import json
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
PATH = "/v1/account/ACC-1001/opportunity/OPP-2001"
BODY = (b'{"OpportunityID":"OPP-2001","Name":"Renewal 2027","Description":"Annual renewal",'
        b'"CloseDate":"2027-03-31T00:00:00+00:00","Value":125000.50,"Stage":"negotiation",'
        b'"CustomFields":[{"FieldName":"Region","Type":"String","StringValue":"EMEA"}]}')
OURS_PORT, OURS_H2_PORT, NGINX_PORT, NGINX_H2_PORT = 18601, 18601, 18611, 18612

NGINX_CONF = """daemon off;
master_process on;
worker_processes 1;
pid {run}/nginx.pid;
error_log {run}/nginx-error.log warn;
events {{ worker_connections 16384; }}
http {{
    access_log off;
    keepalive_timeout 75s;
    keepalive_requests 100000000;
    client_body_buffer_size 16k;
    client_body_temp_path {run}/body;
    proxy_temp_path {run}/proxy;
    fastcgi_temp_path {run}/fastcgi;
    uwsgi_temp_path {run}/uwsgi;
    scgi_temp_path {run}/scgi;
    server {{
        listen 127.0.0.1:{port};
        listen 127.0.0.1:{h2port} http2;
        location / {{ return 200; }}
    }}
}}
"""


def put_request(body=BODY, content_type=b"application/json"):
    return (b"PUT " + PATH.encode() + b" HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: token alice-token\r\n"
            b"Content-Type: " + content_type + b"\r\nContent-Length: " + str(len(body)).encode() + b"\r\n\r\n" + body)


def try_put(port, timeout=1.0):
    """Send one PUT; return the status code, or None while nothing listens."""
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=timeout) as sock:
            sock.sendall(put_request())
            data = b""
            while b"\r\n" not in data:
                chunk = sock.recv(4096)
                if not chunk:
                    return None
                data += chunk
            return int(data.split(b" ", 2)[1])
    except OSError:
        return None


class Server:
    """A server process started and stopped by this script."""

    def __init__(self, name, cmd, port, h2port=None):
        self.name, self.cmd, self.port, self.h2port = name, cmd, port, h2port
        self.process = None

    def start(self):
        """Start the server and return milliseconds from exec to the first 200 to a PUT."""
        if try_put(self.port, timeout=0.2) is not None:
            sys.exit(f"port {self.port} is already in use; stop whatever listens there")
        begin = time.perf_counter()
        self.process = subprocess.Popen(self.cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        while time.perf_counter() - begin < 30:
            if try_put(self.port, timeout=0.5) == 200:
                return (time.perf_counter() - begin) * 1000
            if self.process.poll() is not None:
                sys.exit(f"{self.name} exited with {self.process.returncode}: {' '.join(self.cmd)}")
            time.sleep(0.0005)
        sys.exit(f"{self.name} did not answer 200 within 30 s")

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()

    def rss_kib(self):
        """Resident memory of the server and its children (nginx has a master and a worker)."""
        total, pids = 0, [self.process.pid]
        while pids:
            pid = pids.pop()
            try:
                with open(f"/proc/{pid}/status") as status:
                    total += int(re.search(r"VmRSS:\s+(\d+)", status.read()).group(1))
                with open(f"/proc/{pid}/task/{pid}/children") as children:
                    pids += [int(child) for child in children.read().split()]
            except (OSError, AttributeError):
                pass
        return total

    def pin(self, cpus):
        subprocess.run(["taskset", "-a", "-p", "-c", cpus, str(self.process.pid)], capture_output=True)
        for child in self._children():
            subprocess.run(["taskset", "-a", "-p", "-c", cpus, str(child)], capture_output=True)

    def _children(self):
        try:
            with open(f"/proc/{self.process.pid}/task/{self.process.pid}/children") as children:
                return [int(child) for child in children.read().split()]
        except OSError:
            return []


def nginx(run_dir):
    os.makedirs(run_dir, exist_ok=True)
    conf = os.path.join(run_dir, "nginx.conf")
    with open(conf, "w") as out:
        out.write(NGINX_CONF.format(run=run_dir, port=NGINX_PORT, h2port=NGINX_H2_PORT))
    return Server("nginx-1w", ["nginx", "-p", run_dir, "-c", conf], NGINX_PORT, NGINX_H2_PORT)


ARGS = None


def release_binary(product):
    path = os.path.join(ROOT, ARGS.build_dir, product)
    if not os.path.exists(path):
        sys.exit(f"{path} is missing: run `make bench`, which builds it as `make release` does")
    return path


def ours_trivial():
    loops = [str(ARGS.loops)] if ARGS.loops else []
    name = "kapta-mock-engine" + (f" ({ARGS.loops} loop)" if ARGS.loops else "")
    return Server(name, [release_binary("kapta-mock-bench"), "serve-trivial", str(OURS_PORT), *loops],
                  OURS_PORT, OURS_H2_PORT)


def ours_full(extra=()):
    """The shipped binary with the default configuration, or with `--loops` event loops."""
    command = [release_binary("kapta-mock"), "--port", str(OURS_PORT), *extra]
    name = "kapta-mock"
    if ARGS.loops:
        with open(os.path.join(ROOT, "Config", "kapta-mock.json")) as source:
            configuration = json.load(source)
        configuration.setdefault("server", {})["eventLoops"] = ARGS.loops
        os.makedirs(ARGS.run_dir, exist_ok=True)
        path = os.path.join(ARGS.run_dir, "kapta-mock-loops.json")
        with open(path, "w") as out:
            json.dump(configuration, out)
        command += ["--config", path]
        name += f" ({ARGS.loops} loop)"
    return Server(name, command, OURS_PORT, OURS_H2_PORT)


EMPTY_RUN = {"rps": 0.0, "p50_ms": None, "p99_ms": None, "non2xx": 0, "socket_errors": 0}


def ratio(value, reference):
    return f"{value / reference:.2f}x" if value and reference else "-"


def run_wrk(port, threads, connections, duration, body_format="json", cpus=None):
    env = dict(os.environ, WRK_BODY_FORMAT=body_format)
    pin = ["taskset", "-c", cpus] if cpus else []
    command = pin + ["timeout", str(duration + 10), "wrk", f"-t{threads}", f"-c{connections}", f"-d{duration}s",
                     "--latency", "-s", os.path.join(HERE, "put.lua"), f"http://127.0.0.1:{port}"]
    output = subprocess.run(command, capture_output=True, text=True, env=env).stdout
    result = {"raw": output}
    match = re.search(r"Requests/sec:\s+([\d.]+)", output)
    result["rps"] = float(match.group(1)) if match else 0.0
    for percentile in ("50", "99"):
        match = re.search(rf"^\s+{percentile}%\s+([\d.]+)(us|ms|s)", output, re.M)
        result[f"p{percentile}_ms"] = to_ms(match.group(1), match.group(2)) if match else None
    match = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    result["non2xx"] = int(match.group(1)) if match else 0
    match = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output)
    result["socket_errors"] = sum(int(value) for value in match.groups()) if match else 0
    return result


def run_h2load(port, requests=200000, clients=50, streams=10):
    with tempfile.NamedTemporaryFile(suffix=".json", delete=False) as body_file:
        body_file.write(BODY)
    command = ["timeout", "30", "h2load", "-n", str(requests), "-c", str(clients), "-m", str(streams),
               "-d", body_file.name, "-H", ":method: PUT", "-H", "content-type: application/json",
               "-H", "authorization: token alice-token", f"http://127.0.0.1:{port}{PATH}"]
    output = subprocess.run(command, capture_output=True, text=True).stdout
    os.unlink(body_file.name)
    match = re.search(r"finished in [\d.]+m?s, ([\d.]+) req/s", output)
    status = re.search(r"status codes: (\d+) 2xx", output)
    return {"raw": output, "rps": float(match.group(1)) if match else 0.0,
            "2xx": int(status.group(1)) if status else 0}


def to_ms(value, unit):
    return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]


def median(values):
    values = [value for value in values if value is not None]
    return statistics.median(values) if values else None


def measure_wrk(servers, args, body_format="json"):
    """Interleaved rounds of wrk -t2 -c50 and of wrk -t1 -c1, the latter with the server and
    wrk pinned to one CPU so the figure does not depend on where the scheduler puts them."""
    results = {server.name: [] for server in servers}
    for round_index in range(args.rounds):
        order = servers[round_index % len(servers):] + servers[:round_index % len(servers)]
        for server in order:
            c50 = c1 = EMPTY_RUN
            server.start()
            try:
                time.sleep(0.5)
                if "c50" in args.modes:
                    c50 = run_wrk(server.port, 2, 50, args.duration, body_format)
                if "c1" in args.modes:
                    server.pin("0")
                    c1 = run_wrk(server.port, 1, 1, args.duration, body_format, cpus="0")
            finally:
                server.stop()
            results[server.name].append({"c50": c50, "c1": c1})
            print(f"  round {round_index + 1} {server.name}: c50 {c50['rps']:,.0f} req/s p99 {c50['p99_ms']} ms, "
                  f"c1 {c1['rps']:,.0f} req/s p99 {c1['p99_ms']} ms, errors "
                  f"{c50['non2xx'] + c50['socket_errors'] + c1['non2xx'] + c1['socket_errors']}", flush=True)
    return results


def summarize_wrk(results, reference):
    rows = {}
    for name, rounds in results.items():
        rows[name] = {f"{mode}_{key}": median([r[mode][key] for r in rounds])
                      for mode in ("c50", "c1") for key in ("rps", "p50_ms", "p99_ms")}
        rows[name]["errors"] = sum(r[m]["non2xx"] + r[m]["socket_errors"] for r in rounds for m in ("c50", "c1"))
    ref = rows[reference]
    print(f"\n| server | c50 req/s | c50 vs nginx | c50 p99 ms | c1 req/s | c1 vs nginx | c1 p99 ms | errors |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|")
    for name, row in rows.items():
        p99 = {mode: f"{row[mode + '_p99_ms']:.3f}" if row[mode + "_p99_ms"] is not None else "-"
               for mode in ("c50", "c1")}
        print(f"| {name} | {row['c50_rps']:,.0f} | {ratio(row['c50_rps'], ref['c50_rps'])} | {p99['c50']} "
              f"| {row['c1_rps']:,.0f} | {ratio(row['c1_rps'], ref['c1_rps'])} | {p99['c1']} | {row['errors']} |")
    return rows


def command_engine(args):
    servers = [ours_trivial(), nginx(args.run_dir)]
    print("engine: wrk PUT keep-alive, trivial 200 handler vs nginx `return 200`")
    return summarize_wrk(measure_wrk(servers, args), "nginx-1w")


def command_put(args):
    output = {}
    for body_format in ("json", "xml"):
        servers = [ours_full(["--log-level", args.log_level]), nginx(args.run_dir)]
        print(f"put ({body_format}): full Kapta PUT vs nginx `return 200` to the same request, log level {args.log_level}")
        output[body_format] = summarize_wrk(measure_wrk(servers, args, body_format), "nginx-1w")
    return output


def command_h2(args):
    servers = [ours_trivial(), ours_full(["--log-level", args.log_level]), nginx(args.run_dir)]
    results = {server.name: [] for server in servers}
    print("h2: h2load -n 200000 -c 50 -m 10, PUT with the JSON body over h2c prior knowledge")
    for round_index in range(args.rounds):
        for server in servers:
            server.start()
            try:
                time.sleep(0.5)
                run = run_h2load(server.h2port)
            finally:
                server.stop()
            results[server.name].append(run)
            print(f"  round {round_index + 1} {server.name}: {run['rps']:,.0f} req/s, 2xx {run['2xx']}", flush=True)
    reference = median([run["rps"] for run in results["nginx-1w"]])
    print("\n| server | h2c req/s | vs nginx |\n|---|---:|---:|")
    rows = {}
    for name, runs in results.items():
        rps = median([run["rps"] for run in runs])
        rows[name] = {"rps": rps, "ratio": rps / reference}
        print(f"| {name} | {rps:,.0f} | {rps / reference:.2f}x |")
    return rows


def command_startup(args):
    servers = [ours_full(["--log-level", "warning"]), nginx(args.run_dir)]
    samples = {server.name: [] for server in servers}
    print(f"startup: exec to the first 200 to a PUT, {args.startup_runs} runs each, interleaved")
    for _ in range(args.startup_runs):
        for server in servers:
            samples[server.name].append(server.start())
            server.stop()
    print("\n| server | median ms | min ms | max ms |\n|---|---:|---:|---:|")
    rows = {}
    for name, values in samples.items():
        rows[name] = {"median_ms": statistics.median(values), "samples": values}
        print(f"| {name} | {statistics.median(values):.1f} | {min(values):.1f} | {max(values):.1f} |")
    return rows


def hold_idle_connections(port, count):
    """Open `count` keep-alive connections, send one PUT on each, read each response, and
    return the open sockets."""
    sockets = []
    request = put_request()
    for _ in range(count):
        sock = socket.create_connection(("127.0.0.1", port), timeout=10)
        sock.sendall(request)
        sockets.append(sock)
    for sock in sockets:
        data = b""
        while b"\r\n\r\n" not in data:
            data += sock.recv(4096)
        if not data.startswith(b"HTTP/1.1 200"):
            sys.exit(f"unexpected response while opening idle connections: {data[:60]!r}")
    return sockets


def command_memory(args):
    rows = {}
    for server in (ours_full(["--log-level", "warning"]), nginx(args.run_dir)):
        server.start()
        try:
            time.sleep(1.0)
            idle = server.rss_kib()
            sockets = hold_idle_connections(server.port, args.connections)
            time.sleep(1.0)
            loaded = server.rss_kib()
            for sock in sockets:
                sock.close()
        finally:
            server.stop()
        rows[server.name] = {"idle_mib": idle / 1024, "connections_mib": loaded / 1024}
    print(f"\n| server | idle RSS MiB | RSS with {args.connections:,} idle keep-alive connections MiB |")
    print("|---|---:|---:|")
    for name, row in rows.items():
        print(f"| {name} | {row['idle_mib']:.1f} | {row['connections_mib']:.1f} |")
    return rows


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("command", choices=["engine", "put", "h2", "startup", "memory"])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--duration", type=int, default=10)
    parser.add_argument("--startup-runs", type=int, default=41)
    parser.add_argument("--connections", type=int, default=10000)
    parser.add_argument("--log-level", default="info", help="our server's log level in put and h2 runs")
    parser.add_argument("--run-dir", default=os.path.join(tempfile.gettempdir(), "kapta-mock-bench"))
    parser.add_argument("--json", help="write the raw results to this file")
    parser.add_argument("--modes", default="c50,c1", help="wrk runs of engine and put: c50, c1 or both")
    parser.add_argument("--loops", type=int, help="event loops of our server (default: one per core)")
    parser.add_argument("--build-dir", default=".build-release/release",
                        help="where the release binaries are, relative to the repository")
    args = parser.parse_args()
    global ARGS
    ARGS = args
    for tool in ("nginx", "wrk", "h2load", "taskset"):
        if shutil.which(tool) is None:
            sys.exit(f"{tool} is not installed: run `make bench`, which installs it")
    commands = {"engine": command_engine, "put": command_put, "h2": command_h2, "startup": command_startup,
                "memory": command_memory}
    results = commands[args.command](args)
    if args.json:
        with open(args.json, "w") as out:
            json.dump({"command": args.command, "time": time.strftime("%Y-%m-%d %H:%M:%S"), "results": results},
                      out, indent=1, default=str)


if __name__ == "__main__":
    main()
