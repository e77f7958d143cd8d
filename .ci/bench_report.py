#!/usr/bin/env python3
"""Collects oha JSON outputs and ceiling lines into bench/results.json and a Markdown table.

  bench_report.py add RESULTS.jsonl NAME DB RATE RSS_KB HWM_KB OHA.json [NOTE]
  bench_report.py ceiling RESULTS.jsonl NAME JSON_LINE
  bench_report.py server RESULTS.jsonl NAME DB CLASS BEFORE.txt AFTER.txt SECONDS
  bench_report.py render RESULTS.jsonl OUT.json OUT.md MACHINE.txt COMMAND
"""
import json, sys


def pct(lat, key):
    v = lat.get(key)
    return None if v is None else round(v * 1000, 2)


def add(path, name, db, rate, rss, hwm, oha_file, note=""):
    with open(oha_file) as f:
        o = json.load(f)
    s = o.get("summary", {})
    lat = o.get("latencyPercentiles", {})
    codes = {str(k): v for k, v in o.get("statusCodeDistribution", {}).items()}
    errors = o.get("errorDistribution", {})
    ok = sum(v for k, v in codes.items() if k.startswith("2"))
    non2xx = sum(v for k, v in codes.items() if not k.startswith("2"))
    total_s = s.get("total") or 0
    row = {
        "phase": name, "db": db, "offered_rate": rate,
        "duration_s": round(total_s, 2),
        "ok": ok, "ok_per_s": round(ok / total_s, 1) if total_s else 0,
        "non_2xx": non2xx, "status_codes": codes,
        "errors": sum(errors.values()), "error_kinds": errors,
        "p50_ms": pct(lat, "p50"), "p99_ms": pct(lat, "p99"), "p999_ms": pct(lat, "p99.9"),
        "server_rss_mb": round(int(rss) / 1024, 1) if rss.isdigit() else None,
        "server_peak_rss_mb": round(int(hwm) / 1024, 1) if hwm.isdigit() else None,
        "note": note,
        # load average at the end of the phase: other work on the machine shows here
        "loadavg_1m": float(open("/proc/loadavg").read().split()[0]),
    }
    with open(path, "a") as f:
        f.write(json.dumps(row, ensure_ascii=False) + "\n")
    print(f"  {name:28} {db:8} ok/s {row['ok_per_s']:>8} p50 {row['p50_ms']} p99 {row['p99_ms']} "
          f"p99.9 {row['p999_ms']} ms  non2xx {non2xx} errors {row['errors']} rss {row['server_rss_mb']} MB load {row['loadavg_1m']}")


def ceiling(path, name, line):
    row = json.loads(line)
    row["phase"] = name
    with open(path, "a") as f:
        f.write(json.dumps(row, ensure_ascii=False) + "\n")
    print(f"  {name:28} rows/s {row['rows_per_s']:.0f} commits/s {row['commits_per_s']:.0f} {row['commit_latency']}")


def buckets(text, klass):
    """The cumulative counts of the latency histogram of answered (2xx) requests of a
    route class, by upper bound in seconds, from a /metrics scrape."""
    out = {}
    for line in text.splitlines():
        if not line.startswith("minyi_http_request_duration_seconds_bucket{"):
            continue
        labels, value = line[len("minyi_http_request_duration_seconds_bucket{"):].rsplit("} ", 1)
        pairs = dict(p.split("=", 1) for p in labels.split(","))
        if pairs.get("class") != f'"{klass}"' or pairs.get("status") != '"2xx"':
            continue
        le = pairs["le"].strip('"')
        out[float("inf") if le == "+Inf" else float(le)] = float(value)
    return out


def quantile(q, deltas):
    """As Prometheus' histogram_quantile: linear within the bucket that holds rank q."""
    bounds = sorted(deltas)
    total = deltas[bounds[-1]] if bounds else 0
    if total <= 0:
        return None
    rank, lower, below = q * total, 0.0, 0.0
    for b in bounds:
        if deltas[b] >= rank:
            if b == float("inf"):
                return lower
            return lower + (b - lower) * (rank - below) / max(deltas[b] - below, 1e-9)
        lower, below = b, deltas[b]
    return lower


def server(path, name, db, klass, before_file, after_file, seconds):
    """The server's own view of the answered requests of a phase: the difference of two
    /metrics scrapes, taken just before and just after it."""
    before, after = buckets(open(before_file).read(), klass), buckets(open(after_file).read(), klass)
    deltas = {b: after[b] - before.get(b, 0.0) for b in after}
    count = deltas.get(float("inf"), 0.0)
    q = lambda x: None if quantile(x, deltas) is None else round(quantile(x, deltas) * 1000, 2)
    row = {
        "phase": name, "db": db, "offered_rate": f"server-side, {klass}",
        "duration_s": float(seconds), "ok": int(count), "ok_per_s": round(count / float(seconds), 1),
        "non_2xx": "–", "status_codes": {}, "errors": "–", "error_kinds": {},
        "p50_ms": q(0.5), "p99_ms": q(0.99), "p999_ms": q(0.999),
        "server_rss_mb": None, "server_peak_rss_mb": None,
        "note": "from the server's /metrics histogram (bucket bounds 0.5, 1, 2, 5, 10, 20, 50, 100, 200, 500 ms …; linear within a bucket)",
        "loadavg_1m": float(open("/proc/loadavg").read().split()[0]),
    }
    with open(path, "a") as f:
        f.write(json.dumps(row, ensure_ascii=False) + "\n")
    print(f"  {name:28} {db:8} server-side: {int(count)} answered 2xx, p50 {row['p50_ms']} p99 {row['p99_ms']} p99.9 {row['p999_ms']} ms")


def render(path, out_json, out_md, machine_file, command):
    rows = [json.loads(l) for l in open(path) if l.strip()]
    by = {r["phase"]: r for r in rows}

    def ratio(a, b, key="ok_per_s"):
        if a in by and b in by and by[b].get(key):
            return round(by[a][key] / by[b][key], 3)
        return None

    ratios = {
        "proposal_page_max_vs_bare_axum_max": ratio("sqlite.page.max", "ceiling.http.max"),
        "proposal_page_max_pg_vs_sqlite": ratio("pg.page.max", "sqlite.page.max"),
        "proposal_page_render_max_vs_bare_axum_max": ratio("sqlite.render.max", "ceiling.http.max"),
        "proposal_page_render_max_pg_vs_sqlite": ratio("pg.render.max", "sqlite.render.max"),
        "comments_p1_max_pg_vs_sqlite": ratio("pg.comments.p1.max", "sqlite.comments.p1.max"),
        "write_max_vs_sqlite_insert_ceiling": (round(by["sqlite.write.max"]["ok_per_s"] / by["ceiling.sqlite.insert.batch1"]["commits_per_s"], 3)
                                                if "sqlite.write.max" in by and "ceiling.sqlite.insert.batch1" in by else None),
        "pg_write_max_vs_pg_insert_ceiling": (round(by["pg.write.max"]["ok_per_s"] / by["ceiling.pg.insert"]["rows_per_s"], 3)
                                               if "pg.write.max" in by and "ceiling.pg.insert" in by else None),
        "deep_page_p99_vs_page1_p99": (round(by["sqlite.comments.deepest"]["p99_ms"] / by["sqlite.comments.p1"]["p99_ms"], 2)
                                       if "sqlite.comments.deepest" in by and "sqlite.comments.p1" in by else None),
    }
    machine = open(machine_file).read()
    json.dump({"command": command, "machine": machine, "phases": rows, "ratios": ratios}, open(out_json, "w"),
              ensure_ascii=False, indent=1)
    lines = ["| phase | db | offered | ok/s | p50 ms | p99 ms | p99.9 ms | non-2xx | errors | RSS MB (peak) | load 1m |",
             "|---|---|---|---|---|---|---|---|---|---|---|"]
    for r in rows:
        if r["phase"].startswith("ceiling.") and "rows_per_s" in r:
            lat = r["commit_latency"]
            lines.append(f"| {r['phase']} | {r['kind']} | {r.get('rows_per_commit')} row/commit | {r['rows_per_s']:.0f} rows/s, "
                         f"{r['commits_per_s']:.0f} commits/s | {lat['p50_ms']} | {lat['p99_ms']} | {lat['p999_ms']} | – | – | – | – |")
            continue
        lines.append(f"| {r['phase']} | {r['db']} | {r['offered_rate']} | {r['ok_per_s']} | {r['p50_ms']} | {r['p99_ms']} | "
                     f"{r['p999_ms']} | {r['non_2xx']} | {r['errors']} | {r['server_rss_mb']} ({r['server_peak_rss_mb']}) | {r.get('loadavg_1m', '')} |")
    lines.append("")
    lines.append("Ratios: " + ", ".join(f"`{k}` = {v}" for k, v in ratios.items()))
    open(out_md, "w").write("\n".join(lines) + "\n")
    print("\n".join(lines))


if __name__ == "__main__":
    cmd = sys.argv[1]
    if cmd == "add":
        add(*sys.argv[2:])
    elif cmd == "ceiling":
        ceiling(*sys.argv[2:])
    elif cmd == "server":
        server(*sys.argv[2:])
    elif cmd == "render":
        render(*sys.argv[2:])
