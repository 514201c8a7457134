#!/usr/bin/python3
"""Throughput and server CPU per delivery against N, from parley-bench --json lines.

Usage: bench/plot-throughput.py RESULTS.jsonl [OUT.png]   (Debian python3 with python3-matplotlib)
       (default OUT: bench/throughput-vs-n.png)

Reads the JSON lines that bench/compare-redis.sh writes (one per run; parley and Redis runs of
the same N alternate), takes the median over the rounds of each (target, N), and draws two
panels: deliveries per second, and the server's CPU nanoseconds per delivery. Needs matplotlib
(Debian: python3-matplotlib).
"""
import json
import statistics
import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402


def main():
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    out = sys.argv[2] if len(sys.argv) > 2 else "bench/throughput-vs-n.png"
    runs = [json.loads(line) for line in open(sys.argv[1]) if line.strip()]
    runs = [r for r in runs if r.get("kind") == "pm"]
    series = {}
    for r in runs:
        s = series.setdefault(r["target"], {})
        s.setdefault(r["clients"], []).append(r)

    fig, (rate_ax, cpu_ax) = plt.subplots(1, 2, figsize=(11, 4.2))
    styles = {"parley": ("tab:blue", "o"), "redis": ("tab:red", "s")}
    for target, by_n in sorted(series.items()):
        ns = sorted(by_n)
        rates = [statistics.median(r["deliveries_per_s"] for r in by_n[n]) / 1e6 for n in ns]
        cpus = [statistics.median(r["server_ns_per_delivery"] for r in by_n[n]) for n in ns]
        color, marker = styles.get(target, ("tab:gray", "^"))
        label = "parley" if target == "parley" else "Redis pub/sub"
        rate_ax.plot(ns, rates, marker=marker, color=color, label=label)
        cpu_ax.plot(ns, cpus, marker=marker, color=color, label=label)
        for n, v in zip(ns, rates):
            rate_ax.annotate(f"{v:.1f}", (n, v), textcoords="offset points", xytext=(0, 6),
                             ha="center", fontsize=8, color=color)
        for n, v in zip(ns, cpus):
            cpu_ax.annotate(f"{v:.0f}", (n, v), textcoords="offset points", xytext=(0, 6),
                            ha="center", fontsize=8, color=color)

    any_run = runs[0] if runs else {}
    rounds = max((len(v) for s in series.values() for v in s.values()), default=0)
    subtitle = (f"K={any_run.get('publishers')} publishers, {any_run.get('size')}-byte messages,"
                f" window {any_run.get('window')}; median of {rounds} rounds;"
                " server on core 0, bench on core 1")
    rate_ax.set_title("Fan-out throughput")
    rate_ax.set_ylabel("million deliveries per second")
    cpu_ax.set_title("Server CPU per delivery (lower is better)")
    cpu_ax.set_ylabel("ns of server CPU per delivery")
    for ax in (rate_ax, cpu_ax):
        ax.set_xscale("log")
        ax.set_xlabel("N subscribers")
        ax.set_ylim(bottom=0)
        ax.grid(True, which="both", alpha=0.3)
        ax.legend()
    rate_ax.margins(y=0.15)
    cpu_ax.margins(y=0.15)
    fig.suptitle(subtitle, fontsize=9, y=0.02, va="bottom")
    fig.tight_layout(rect=(0, 0.05, 1, 1))
    fig.savefig(out, dpi=110)
    print(f"wrote {out}")


if __name__ == "__main__":
    main()
