#!/usr/bin/env python3
"""WebSocket ping flood against a local parley server (issue 19, item 1), with a bystander's round trips.

One WebSocket connection to the web port upgrades, never signs in, never reads (receive buffer
4 KiB) and sends masked 125-byte pings as fast as the socket takes them. When the server closes it
(the 10-second sign-in deadline), another takes its place, so the pressure lasts the whole run.
Meanwhile a plain TCP user signs in on the chat port and times `C PING n` -> `C PONG n` round
trips, one every 100 ms (10 lines a second: under the default --max-rate of 20, so that what
is timed is the loop, not the rate allowance). The server's resident memory is read from /proc/PID/status (VmRSS) every
half second when --pid is given.

Prints one summary: pings sent (MB), flood connections used, round trips (count, p50, p95, max,
any that timed out), RSS before, peak and at the end, and the load average before and after.

Only 127.0.0.1 is ever contacted. Standard library only.

    bin/parley-server --web-port 8080 &      # or java -jar server/target/parley-server.jar ...
    python3 bench/attacks/ws-ping-flood.py --port 5000 --web-port 8080 --pid $! --seconds 15
"""

import argparse
import os
import socket
import statistics
import threading
import time

HOST = "127.0.0.1"
MASK = b"\x37\xfa\x21\x3d"


def ping_frame():
    payload = bytes(i % 251 for i in range(125))
    masked = bytes(b ^ MASK[i % 4] for i, b in enumerate(payload))
    return b"\x89" + bytes([0x80 | 125]) + MASK + masked


def upgrade_request(web_port):
    return (
        f"GET /ws HTTP/1.1\r\nHost: {HOST}:{web_port}\r\nUpgrade: websocket\r\n"
        "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
        "Sec-WebSocket-Version: 13\r\n\r\n"
    ).encode("ascii")


class Flood(threading.Thread):
    def __init__(self, web_port, until):
        super().__init__(daemon=True)
        self.web_port = web_port
        self.until = until
        self.sent = 0
        self.connections = 0

    def run(self):
        batch = ping_frame() * 500  # 65.5 KB per send
        while time.monotonic() < self.until:
            s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
            s.settimeout(1.0)
            try:
                s.connect((HOST, self.web_port))
                s.sendall(upgrade_request(self.web_port))
                self.connections += 1
                view, at = memoryview(batch), 0
                while time.monotonic() < self.until:
                    try:
                        n = s.send(view[at:])  # whole frames only: go on where the last stopped
                    except socket.timeout:
                        continue  # the server stopped reading: keep trying until the end
                    self.sent += n
                    at = (at + n) % len(batch)
            except OSError:
                time.sleep(0.05)  # closed by the server: the next connection takes over
            finally:
                s.close()


def read_line(sock, buf):
    while b"\n" not in buf[0]:
        chunk = sock.recv(65536)
        if not chunk:
            raise ConnectionError("server closed the connection")
        buf[0] += chunk
    line, _, rest = buf[0].partition(b"\n")
    buf[0] = rest
    return line.decode("utf-8", "replace")


def bystander(port, until, rtts, timeouts):
    s = socket.create_connection((HOST, port), timeout=30)
    buf = [b""]
    read_line(s, buf)  # C HELLO
    s.sendall(f"C NICK probe{os.getpid()}\n".encode())
    while not read_line(s, buf).startswith("C READY"):
        pass
    n = 0
    while time.monotonic() < until:
        n += 1
        start = time.monotonic()
        s.sendall(f"C PING {n}\n".encode())
        try:
            while read_line(s, buf) != f"C PONG {n}":
                pass
        except socket.timeout:
            timeouts.append(n)
            break
        rtts.append(time.monotonic() - start)
        time.sleep(0.1)
    s.close()


def rss_mb(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return float("nan")


def loadavg():
    with open("/proc/loadavg") as f:
        return " ".join(f.read().split()[:3])


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--port", type=int, default=5000, help="the chat port (TCP bystander)")
    p.add_argument("--web-port", type=int, default=8080, help="the web port (the flood)")
    p.add_argument("--pid", type=int, help="the server's process id, for its RSS")
    p.add_argument("--seconds", type=float, default=15.0)
    a = p.parse_args()

    load_before = loadavg()
    rss_before = rss_mb(a.pid) if a.pid else float("nan")
    until = time.monotonic() + a.seconds
    flood = Flood(a.web_port, until)
    rtts, timeouts = [], []
    probe = threading.Thread(target=bystander, args=(a.port, until, rtts, timeouts), daemon=True)
    flood.start()
    probe.start()
    peak = rss_before
    while probe.is_alive() or flood.is_alive():
        if a.pid:
            peak = max(peak, rss_mb(a.pid))
        time.sleep(0.5)
    rss_after = rss_mb(a.pid) if a.pid else float("nan")

    ms = sorted(r * 1000 for r in rtts)
    print(f"pings sent: {flood.sent / 1e6:.1f} MB over {flood.connections} flood connection(s)")
    if ms:
        p95 = ms[min(len(ms) - 1, int(len(ms) * 0.95))]
        print(
            f"C PING round trips: {len(ms)}, p50 {statistics.median(ms):.1f} ms, "
            f"p95 {p95:.1f} ms, max {ms[-1]:.1f} ms, timed out {len(timeouts)}"
        )
    else:
        print(f"C PING round trips: none completed, timed out {len(timeouts)}")
    if a.pid:
        print(
            f"server RSS: before {rss_before:.0f} MB, peak {peak:.0f} MB, end {rss_after:.0f} MB "
            f"(growth {peak - rss_before:+.0f} MB)"
        )
    print(f"load average: before {load_before}, after {loadavg()}")


if __name__ == "__main__":
    main()
