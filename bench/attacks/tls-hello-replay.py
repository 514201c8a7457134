#!/usr/bin/env python3
"""Replays one recorded TLS ClientHello on fresh connections that hang up at once, and measures
what it costs the server and its users (issue 19, item 2; bench/results/README.md "Security round 3").

The hello is made here, with the ssl module over memory BIOs (no server needed for that): a real
TLS 1.3/1.2 ClientHello with a key share, which the server must answer with a full handshake.
While the flood runs (one thread: connect, send the hello, close), a "real" TLS user signs in
(C NICK, wait for C READY) about once a second and a plain TCP user connects about five times a
second (C HELLO, or C ERR 503 when refused); with --pid the server's RSS and CPU are sampled from
/proc once a second, with --log its log file's growth. Python 3 standard library only.

    tls-hello-replay.py --tls-port 5443 --plain-port 5000 --seconds 15 --pid PID --log FILE

Only 127.0.0.1 is ever contacted.
"""

import argparse
import os
import socket
import ssl
import statistics
import threading
import time

HOST = "127.0.0.1"


def record_client_hello():
    """A ClientHello as a default client context sends it, taken from the memory BIO."""
    context = ssl.create_default_context()
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    incoming, outgoing = ssl.MemoryBIO(), ssl.MemoryBIO()
    tls = context.wrap_bio(incoming, outgoing, server_hostname="localhost")
    try:
        tls.do_handshake()
    except ssl.SSLWantReadError:
        pass
    return outgoing.read()


def flood(hello, port, stop, counts):
    while not stop.is_set():
        try:
            with socket.create_connection((HOST, port), timeout=2) as s:
                s.sendall(hello)
            counts["sent"] += 1
        except OSError:
            counts["failed"] += 1


def read_line(sock):
    data = b""
    while not data.endswith(b"\n"):
        chunk = sock.recv(1)
        if not chunk:
            raise ConnectionError("closed after %r" % data)
        data += chunk
    return data.decode("utf-8", "replace").rstrip("\n")


def tls_user(port, stop, results):
    context = ssl.create_default_context()
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    n = 0
    while not stop.is_set():
        n += 1
        started = time.monotonic()
        try:
            with socket.create_connection((HOST, port), timeout=15) as raw:
                with context.wrap_socket(raw, server_hostname="localhost") as tls:
                    tls.settimeout(15)
                    read_line(tls)  # C HELLO
                    tls.sendall(b"C NICK probe%d\n" % n)
                    while not read_line(tls).startswith("C READY"):
                        pass
                    results.append(time.monotonic() - started)
                    tls.sendall(b"C EX\n")
        except (OSError, ConnectionError) as e:
            results.append(("failed", time.monotonic() - started, str(e)))
        stop.wait(1.0)


def plain_user(port, stop, counts):
    while not stop.is_set():
        try:
            with socket.create_connection((HOST, port), timeout=10) as s:
                s.settimeout(10)
                first = read_line(s)
            counts["refused" if first.startswith("C ERR 503") else "served"] += 1
        except (OSError, ConnectionError):
            counts["failed"] += 1
        stop.wait(0.2)


def sample(pid, log, stop, samples):
    ticks = os.sysconf("SC_CLK_TCK")
    while not stop.is_set():
        row = {"t": time.monotonic()}
        if pid:
            with open("/proc/%d/status" % pid) as f:
                for line in f:
                    if line.startswith("VmRSS:"):
                        row["rss_kb"] = int(line.split()[1])
            with open("/proc/%d/stat" % pid) as f:
                fields = f.read().rsplit(")", 1)[1].split()
                row["cpu_s"] = (int(fields[11]) + int(fields[12])) / ticks
        if log:
            row["log_bytes"] = os.path.getsize(log)
        samples.append(row)
        stop.wait(1.0)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--tls-port", type=int, required=True)
    parser.add_argument("--plain-port", type=int)
    parser.add_argument("--seconds", type=float, default=15)
    parser.add_argument("--pid", type=int, help="the server's process, for RSS and CPU")
    parser.add_argument("--log", help="the server's log file, for its growth")
    args = parser.parse_args()

    hello = record_client_hello()
    stop = threading.Event()
    flood_counts = {"sent": 0, "failed": 0}
    plain_counts = {"served": 0, "refused": 0, "failed": 0}
    sign_ins, samples = [], []
    threads = [
        threading.Thread(target=flood, args=(hello, args.tls_port, stop, flood_counts)),
        threading.Thread(target=tls_user, args=(args.tls_port, stop, sign_ins)),
        threading.Thread(target=sample, args=(args.pid, args.log, stop, samples)),
    ]
    if args.plain_port:
        threads.append(
            threading.Thread(target=plain_user, args=(args.plain_port, stop, plain_counts)))
    started = time.monotonic()
    for t in threads:
        t.start()
    time.sleep(args.seconds)
    stop.set()
    for t in threads:
        t.join()
    elapsed = time.monotonic() - started

    print("hello: %d bytes; flood: %d connections in %.1f s (%.0f/s), %d failed to connect"
          % (len(hello), flood_counts["sent"], elapsed, flood_counts["sent"] / elapsed,
             flood_counts["failed"]))
    times = [r for r in sign_ins if isinstance(r, float)]
    failures = [r for r in sign_ins if not isinstance(r, float)]
    if times:
        print("TLS sign-in: %d ok, median %.3f s, max %.3f s; %d failed%s"
              % (len(times), statistics.median(times), max(times), len(failures),
                 "".join("\n  failed after %.1f s: %s" % (f[1], f[2]) for f in failures)))
    else:
        print("TLS sign-in: none succeeded; %d failed%s" % (len(failures), "".join(
            "\n  failed after %.1f s: %s" % (f[1], f[2]) for f in failures)))
        print("each sign-in, in order (s): " + " ".join("%.3f" % t for t in times))
    if args.plain_port:
        print("plain users: %(served)d served, %(refused)d refused (503), %(failed)d failed"
              % plain_counts)
    if len(samples) >= 2:
        first, last = samples[0], samples[-1]
        span = last["t"] - first["t"]
        if "rss_kb" in first:
            print("server RSS: %d MiB at start, %d MiB peak, %d MiB at end; CPU %.0f %% of a core"
                  % (first["rss_kb"] >> 10, max(s["rss_kb"] for s in samples) >> 10,
                     last["rss_kb"] >> 10, 100 * (last["cpu_s"] - first["cpu_s"]) / span))
        if "log_bytes" in first:
            print("log: %.1f KB/s (%d bytes in %.1f s)"
                  % ((last["log_bytes"] - first["log_bytes"]) / span / 1000,
                     last["log_bytes"] - first["log_bytes"], span))
    print("load average: %.2f %.2f %.2f" % os.getloadavg())


if __name__ == "__main__":
    main()
