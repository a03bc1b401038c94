#!/usr/bin/env python3
"""Produce/consume benchmark driver for one running Kafka-compatible broker.

Used by run.sh; runs against a broker that is already up:

    bench.py free-port                      print a free loopback TCP port below 32768
    bench.py gen FILE COUNT SIZE            write COUNT newline-delimited records of SIZE bytes
    bench.py run NAME BOOTSTRAP BROKER_PID SPEC...   run the workloads, print one JSON line each

SPEC is WORKLOAD:FILE:COUNT:SIZE:KCAT_PRODUCER_OPTS (options separated by ',').
For each workload: create a 6-partition RF 1 topic, produce FILE with `kcat -P` (librdkafka),
read the sum of the partitions' high watermarks (reported as "stored"), then drain the topic with
`kcat -C -e` (payloads counted by `wc -l`). Broker CPU is utime+stime of BROKER_PID from /proc/PID/stat, read before and after
each phase (all threads, including exited ones; resolution one clock tick, 10 ms).
Record and MB figures count payload bytes only (1 MB = 10^6 bytes).
"""
import json
import os
import random
import socket
import subprocess
import sys
import time
from pathlib import Path

PARTITIONS = 6
# Consumer settings for the drain. librdkafka backs a partition off for fetch.queue.backoff.ms
# (1 s) whenever its local queue is full (queued.min.messages / queued.max.messages.kbytes);
# a broker that serves faster than kcat prints then stalls for whole seconds. A short EOF wait
# keeps the end-of-partition long poll (which -e needs) from dominating the time.
DRAIN_OPTS = ["-X", "fetch.wait.max.ms=10", "-X", "fetch.queue.backoff.ms=1",
              "-X", "queued.min.messages=1000000", "-X", "queued.max.messages.kbytes=1048576"]
CLK_TCK = os.sysconf("SC_CLK_TCK")


def free_port():
    for _ in range(200):
        port = random.randint(20000, 32000)
        with socket.socket() as s:
            try:
                s.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise SystemExit("no free port found")


def gen(path, count, size):
    # Random printable payloads (hex digits, no newline), so nothing is trivially compressible.
    line_len = size + 1
    chunk = 4096
    with open(path, "wb") as f:
        written = 0
        while written < count:
            n = min(chunk, count - written)
            raw = os.urandom(n * size // 2 + 1).hex().encode()
            buf = bytearray()
            for i in range(n):
                buf += raw[i * size:(i + 1) * size]
                buf += b"\n"
            assert len(buf) == n * line_len
            f.write(buf)
            written += n


def cpu_seconds(pid):
    with open(f"/proc/{pid}/stat") as f:
        stat = f.read()
    fields = stat[stat.rindex(")") + 2:].split()
    # fields[0] is field 3 (state); utime is field 14, stime field 15
    return (int(fields[11]) + int(fields[12])) / CLK_TCK


def create_topic(bootstrap, topic):
    from confluent_kafka.admin import AdminClient, NewTopic
    admin = AdminClient({"bootstrap.servers": bootstrap})
    fut = admin.create_topics([NewTopic(topic, PARTITIONS, 1)], operation_timeout=30)[topic]
    fut.result(timeout=60)
    deadline = time.time() + 60
    while time.time() < deadline:
        md = admin.list_topics(topic, timeout=10).topics.get(topic)
        if md and md.error is None and len(md.partitions) == PARTITIONS and all(
                p.leader >= 0 for p in md.partitions.values()):
            return
        time.sleep(0.2)
    raise SystemExit(f"topic {topic} has no leaders after 60 s")


def high_watermarks(bootstrap, topic):
    from confluent_kafka import Consumer, TopicPartition
    c = Consumer({"bootstrap.servers": bootstrap, "group.id": "bench-hw", "enable.auto.commit": False})
    try:
        total = 0
        for p in range(PARTITIONS):
            _, high = c.get_watermark_offsets(TopicPartition(topic, p), timeout=30)
            total += high
        return total
    finally:
        c.close()


def timed(pid, argv, stdin=None, count_lines=False):
    """Runs argv (stdout to /dev/null, or counted by `wc -l`); returns wall s, broker CPU s, lines."""
    cpu0 = cpu_seconds(pid)
    t0 = time.perf_counter()
    proc = subprocess.Popen(argv, stdin=stdin, stderr=subprocess.PIPE,
                            stdout=subprocess.PIPE if count_lines else subprocess.DEVNULL)
    lines = None
    if count_lines:
        wc = subprocess.run(["wc", "-l"], stdin=proc.stdout, capture_output=True)
        proc.stdout.close()
        lines = int(wc.stdout)
    err = proc.stderr.read()
    proc.wait()
    wall = time.perf_counter() - t0
    cpu = cpu_seconds(pid) - cpu0
    if proc.returncode != 0:
        raise SystemExit(f"{argv[0]} exited {proc.returncode}: {err.decode()[-2000:]}")
    return wall, cpu, lines, err.decode()


def run(name, bootstrap, pid, specs):
    for spec in specs:
        workload, path, count, size, opts = spec.split(":", 4)
        count, size = int(count), int(size)
        topic = f"bench-{workload}"
        create_topic(bootstrap, topic)
        xopts = []
        for o in filter(None, opts.split(",")):
            xopts += ["-X", o]
        with open(path, "rb") as f:
            p_wall, p_cpu, _, p_err = timed(pid, ["kcat", "-P", "-b", bootstrap, "-t", topic, *xopts],
                                            stdin=f)
        stored = high_watermarks(bootstrap, topic)
        if p_err.strip():
            print(f"[bench] {name} {workload} kcat -P stderr: {p_err[-1000:]}", file=sys.stderr)
        if stored != count:
            print(f"[bench] {name} {workload}: kcat produced {count} records without a delivery "
                  f"error, the partitions' high watermarks sum to {stored}", file=sys.stderr)
        # Drain: -e exits once every partition reached its end; `wc -l` counts the payloads.
        c_wall, c_cpu, drained, c_err = timed(pid, ["kcat", "-C", "-q", "-e", "-o", "beginning", "-b",
                                                    bootstrap, "-t", topic, *DRAIN_OPTS],
                                              count_lines=True)
        if drained != stored:
            print(f"[bench] {name} {workload}: drained {drained}, high watermarks {stored}",
                  file=sys.stderr)
        # Raw drain: plain Fetch requests, records counted from batch headers (raw_drain.py).
        cpu0, t0 = cpu_seconds(pid), time.perf_counter()
        raw = subprocess.run([sys.executable, str(Path(__file__).with_name("raw_drain.py")), bootstrap, topic],
                             capture_output=True, text=True)
        r_wall, r_cpu = time.perf_counter() - t0, cpu_seconds(pid) - cpu0
        if raw.returncode != 0:
            raise SystemExit(f"raw_drain failed: {raw.stderr[-2000:]}")
        raw_records = json.loads(raw.stdout)["records"]
        mb, drained_mb = count * size / 1e6, drained * size / 1e6
        print(json.dumps({
            "broker": name, "round": int(os.environ.get("BENCH_ROUND", "1")), "workload": workload, "records": count, "size": size,
            "produce_s": p_wall, "produce_rps": count / p_wall, "produce_mbs": mb / p_wall,
            "produce_cpu_us_per_record": p_cpu * 1e6 / count,
            "drain_s": c_wall, "drain_rps": drained / c_wall, "drain_mbs": drained_mb / c_wall,
            "drain_cpu_us_per_record": c_cpu * 1e6 / max(drained, 1),
            "stored": stored, "drained": drained,
            "raw_drain_s": r_wall, "raw_drain_mbs": raw_records * size / 1e6 / r_wall,
            "raw_drain_cpu_us_per_record": r_cpu * 1e6 / max(raw_records, 1), "raw_drained": raw_records,
        }), flush=True)


def medians(rows):
    """Median over rounds per broker and workload, and Martlet's CPU per record over Tansu's."""
    from statistics import median
    keys = [("produce_cpu_us_per_record", "Broker CPU-µs/record (produce)"), ("produce_mbs", "Produce MB/s"),
            ("raw_drain_mbs", "Raw drain MB/s"), ("raw_drain_cpu_us_per_record", "Broker CPU-µs/record (raw drain)"),
            ("drain_mbs", "kcat drain MB/s")]
    groups = {}
    for r in rows:
        groups.setdefault((r["workload"], r["broker"]), []).append(r)
    print("| Workload | Broker | Rounds | " + " | ".join(label for _, label in keys) + " |")
    print("|---|---|---:|" + "---:|" * len(keys))
    med = {}
    for (workload, broker), rs in sorted(groups.items()):
        values = {k: median(r.get(k, 0) for r in rs) for k, _ in keys}
        med[(workload, broker)] = values
        print(f"| {workload} | {broker} | {len(rs)} | " + " | ".join(f"{values[k]:,.3f}" if "cpu" in k else f"{values[k]:,.1f}" for k, _ in keys) + " |")
    for workload in sorted({w for w, _ in groups}):
        m, t = med.get((workload, "martlet")), med.get((workload, "tansu"))
        if m and t and t["produce_cpu_us_per_record"] > 0:
            ratio = m["produce_cpu_us_per_record"] / t["produce_cpu_us_per_record"]
            print(f"\n{workload}: median produce CPU per record, Martlet / Tansu = {ratio:.2f} (target ≤ 0.33)")


def main():
    cmd = sys.argv[1] if len(sys.argv) > 1 else ""
    if cmd == "free-port":
        print(free_port())
    elif cmd == "gen":
        gen(sys.argv[2], int(sys.argv[3]), int(sys.argv[4]))
    elif cmd == "run":
        run(sys.argv[2], sys.argv[3], int(sys.argv[4]), sys.argv[5:])
    elif cmd == "table":
        rows = [json.loads(l) for l in sys.stdin if l.startswith("{")]
        print("| Round | Broker | Workload | Records | Produce records/s | Produce MB/s "
              "| Broker CPU-µs/record (produce) | Consumer drain MB/s | Drain records/s "
              "| Broker CPU-µs/record (drain) | Raw drain MB/s | Broker CPU-µs/record (raw drain) "
              "| Stored / drained |")
        print("|---:|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|")
        for r in rows:
            print(f"| {r.get('round', 1)} | {r['broker']} | {r['workload']} | {r['records']:,} | {r['produce_rps']:,.0f} "
                  f"| {r['produce_mbs']:,.1f} | {r['produce_cpu_us_per_record']:.2f} "
                  f"| {r['drain_mbs']:,.1f} | {r['drain_rps']:,.0f} | {r['drain_cpu_us_per_record']:.2f} "
                  f"| {r.get('raw_drain_mbs', 0):,.1f} | {r.get('raw_drain_cpu_us_per_record', 0):.3f} "
                  f"| {r['stored']:,} / {r['drained']:,} |")
    elif cmd == "medians":
        medians([json.loads(l) for l in sys.stdin if l.startswith("{")])
    else:
        raise SystemExit(__doc__)


if __name__ == "__main__":
    main()
