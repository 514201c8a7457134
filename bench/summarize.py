#!/usr/bin/env python3
"""Prints the tables of BENCHMARKS.md and bench/results/README.md from parley-bench --json lines.

Usage: bench/summarize.py bench/results/*.jsonl

Load runs are grouped by their label (compare-redis.sh labels them "round R", run-suite.sh by
what they measure) and shown with the median over rounds where there are several.
"""
import json
import statistics
import sys


def load(paths):
    runs = []
    for path in paths:
        for line in open(path):
            if line.strip().startswith("{"):
                r = json.loads(line)
                r["_file"] = path
                runs.append(r)
    return runs


def med(rows, key):
    values = [r[key] for r in rows if r.get(key) is not None and r[key] >= 0]
    return statistics.median(values) if values else float("nan")


def fan_out(runs):
    pairs = {}
    for r in runs:
        if r.get("kind") == "pm" and r["label"].startswith("round"):
            pairs.setdefault((r["_file"], r["clients"]), []).append(r)
    if not pairs:
        return
    print("| file | N | M | rounds | parley deliveries/s | Redis deliveries/s | rate ratio"
          " | parley ns/delivery | Redis ns/delivery | CPU ratio | bench ns/delivery | missing |")
    print("|---|---|---|---|---|---|---|---|---|---|---|---|")
    for (path, n), rows in sorted(pairs.items()):
        p = [r for r in rows if r["target"] == "parley"]
        q = [r for r in rows if r["target"] == "redis"]
        ratios = []
        cpu = []
        for a in p:
            for b in q:
                if a["label"] == b["label"]:
                    ratios.append(a["deliveries_per_s"] / b["deliveries_per_s"])
                    cpu.append(a["server_ns_per_delivery"] / b["server_ns_per_delivery"])
        print(f"| {path.split('/')[-1]} | {n} | {p[0]['messages']} | {len(p)}"
              f" | {med(p, 'deliveries_per_s') / 1e6:.2f} M | {med(q, 'deliveries_per_s') / 1e6:.2f} M"
              f" | {statistics.median(ratios):.2f} | {med(p, 'server_ns_per_delivery'):.0f}"
              f" | {med(q, 'server_ns_per_delivery'):.0f} | {statistics.median(cpu):.2f}"
              f" | {med(p + q, 'bench_ns_per_delivery'):.0f}"
              f" | {sum(r['missing'] for r in rows)} |")
    print()


def labelled(runs):
    groups = {}
    for r in runs:
        if not r["label"].startswith("round"):
            groups.setdefault(r["label"], []).append(r)
    if not groups:
        return
    print("| run | runs | deliveries/s | messages/s | server ns/delivery | p50 ms | p99 ms"
          " | p99.9 ms | max ms | missing |")
    print("|---|---|---|---|---|---|---|---|---|---|")
    for label, rows in groups.items():
        if rows[0].get("kind") == "idle":
            continue
        print(f"| {label} | {len(rows)} | {med(rows, 'deliveries_per_s'):,.0f}"
              f" | {med(rows, 'messages_per_s'):,.0f} | {med(rows, 'server_ns_per_delivery'):.0f}"
              f" | {med(rows, 'p50_us') / 1e3:.2f} | {med(rows, 'p99_us') / 1e3:.2f}"
              f" | {med(rows, 'p999_us') / 1e3:.2f} | {med(rows, 'max_us') / 1e3:.2f}"
              f" | {sum(r['missing'] for r in rows)} |")
    print()
    idle = [r for rows in groups.values() for r in rows if r.get("kind") == "idle"]
    if idle:
        print("| run | connections | RSS before KiB | RSS after KiB | RSS bytes/connection"
              " | live heap bytes/connection | sign-in s |")
        print("|---|---|---|---|---|---|---|")
        for r in idle:
            print(f"| {r['label']} | {r['connections']:,} | {r.get('rss_before_kib', '')}"
                  f" | {r.get('rss_after_kib', '')} | {r.get('bytes_per_connection', '')}"
                  f" | {r.get('heap_bytes_per_connection', '-')} | {r['sign_in_s']:.1f} |")
        print()


def main():
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    runs = load(sys.argv[1:])
    fan_out(runs)
    labelled(runs)


if __name__ == "__main__":
    main()
