#!/usr/bin/env bash
# One benchmark run on loopback against this machine's own ceilings.
#
#   .ci/bench.sh                 # full run (~10 min after the data is generated)
#   BENCH_DURATION=10s BENCH_MAX_DURATION=5s .ci/bench.sh   # shorter phases
#
# Generates (once, kept in bench-out/) an SQLite and a PostgreSQL database with
# `minyi demo-data --scale $BENCH_SCALE --big-comments $BENCH_BIG_COMMENTS`, then measures
# with oha (open loop at fixed rates with --latency-correction; "max" phases are closed
# loop with 64 connections to find the throughput; no Accept-Encoding, so the page and its
# ceiling are the same bytes, except the page.gzip phase):
#   ceilings  bare axum serving the captured proposal page; raw SQLite inserts (WAL,
#             synchronous=FULL); raw PostgreSQL inserts
#   read      proposal page of the 1M-comment proposal; /api/comments page 1, deepest page
#   write     /api/post_comment by a signed-in citizen (durable before the answer)
#   mixed     95 % page reads / 5 % comment POSTs at a fixed rate
#   overload  the mixed load at 10x its rate, then the mixed load again (recovery)
#   render    the proposal page with the page cache off (every request renders)
# and the same read and write phases on PostgreSQL. Server RSS (VmRSS, VmHWM) is read
# from /proc after each phase. Results: bench-out/results.jsonl, bench/results.json,
# bench/results.md. Every load generator run is bounded by -z; only 127.0.0.1 is hit.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH" PYTHONDONTWRITEBYTECODE=1
TARGET="${CARGO_TARGET_DIR:-target}"
BIN="$TARGET/release"
OUT="${BENCH_OUT:-bench-out}"
SCALE="${BENCH_SCALE:-1000}"
BIG="${BENCH_BIG_COMMENTS:-1000000}"
DUR="${BENCH_DURATION:-20s}"            # fixed-rate phases
MAXDUR="${BENCH_MAX_DURATION:-10s}"     # closed-loop throughput phases
OVERDUR="${BENCH_OVERLOAD_DURATION:-60s}"
PAGE_RATE="${BENCH_PAGE_RATE:-2000}"
LIST_RATE="${BENCH_LIST_RATE:-1000}"
WRITE_RATE="${BENCH_WRITE_RATE:-800}"
RENDER_RATE="${BENCH_RENDER_RATE:-300}"    # uncached renders/s (as in earlier runs; the target rate, 1,000/s, is a phase of its own)
MIXED_RATE="${BENCH_MIXED_RATE:-2000}"
PG_ADMIN="${BENCH_PG_ADMIN:-postgres://postgres@127.0.0.1:5432/postgres}"
PG_URL="${BENCH_PG_URL:-postgres://postgres@127.0.0.1:5432/minyi_bench}"
PORT_APP=3110; PORT_CEIL=3111; PORT_METRICS=3112
mkdir -p "$OUT" bench
RESULTS="$OUT/results.jsonl"; : > "$RESULTS"
COMMAND="$0 $* (BENCH_SCALE=$SCALE BENCH_BIG_COMMENTS=$BIG BENCH_DURATION=$DUR BENCH_MAX_DURATION=$MAXDUR BENCH_OVERLOAD_DURATION=$OVERDUR PAGE_RATE=$PAGE_RATE LIST_RATE=$LIST_RATE WRITE_RATE=$WRITE_RATE RENDER_RATE=$RENDER_RATE MIXED_RATE=$MIXED_RATE)"

command -v oha >/dev/null || cargo install oha --locked
cargo build --release -p minyi --bins

{ echo "date: $(date -u +%FT%TZ)"; echo "nproc: $(nproc)"; free -m; lscpu | grep -E 'Model name|^CPU\(s\)|Thread|MHz|L2|L3|Hypervisor'; \
  uname -r; oha --version; rustc --version; psql "$PG_ADMIN" -Atc 'SELECT version()' 2>/dev/null || true; \
  echo "postgres synchronous_commit=$(psql "$PG_ADMIN" -Atc 'SHOW synchronous_commit' 2>/dev/null) fsync=$(psql "$PG_ADMIN" -Atc 'SHOW fsync' 2>/dev/null)"; \
  df -h "$OUT" | tail -1; } > "$OUT/machine.txt"
cat "$OUT/machine.txt"

SERVER_PID=""
stop_server() { if [ -n "$SERVER_PID" ]; then kill "$SERVER_PID" 2>/dev/null || true; wait "$SERVER_PID" 2>/dev/null || true; SERVER_PID=""; fi; }
trap stop_server EXIT
wait_up() { for _ in $(seq 1 600); do curl -sf "http://127.0.0.1:$1${2:-/healthz}" >/dev/null && return 0; sleep 0.1; done; echo "server on $1 did not start"; exit 1; }
rss() { awk '/^VmRSS/{print $2}' "/proc/$SERVER_PID/status" 2>/dev/null || echo "-"; }
hwm() { awk '/^VmHWM/{print $2}' "/proc/$SERVER_PID/status" 2>/dev/null || echo "-"; }

# phase NAME DB RATE|max DURATION [oha args…]
phase() {
  local name=$1 db=$2 rate=$3 dur=$4; shift 4
  local args=(--no-tui --output-format json -z "$dur" --wait-ongoing-requests-after-deadline)
  # the same bytes as the ceiling: no Accept-Encoding unless GZIP=1 (oha asks for gzip by default)
  [ -n "${GZIP:-}" ] || args+=(--disable-compression)
  if [ "$rate" = max ]; then args+=(-c 64); else args+=(-q "$rate" --latency-correction -c "${CONNS:-128}"); fi
  oha "${args[@]}" "$@" > "$OUT/$name.json"
  python3 .ci/bench_report.py add "$RESULTS" "$name" "$db" "$rate" "$(rss)" "$(hwm)" "$OUT/$name.json"
}
POST=(-m POST -T application/x-www-form-urlencoded -H "Accept: application/json" -H "Sec-Fetch-Site: same-origin")

# ---- data (generated once; delete bench-out/ to regenerate)
if [ ! -f "$OUT/sqlite/minyi.db" ]; then
  echo "== generating SQLite data: $SCALE proposals, $BIG comments on one"
  /usr/bin/time -f "%e s, %M KB max RSS" "$BIN/minyi" --data-dir "$OUT/sqlite" --log-level warn demo-data --scale "$SCALE" --big-comments "$BIG"
fi
if [ -z "${BENCH_SKIP_PG:-}" ] && ! psql "$PG_ADMIN" -Atc "SELECT 1 FROM pg_database WHERE datname='minyi_bench'" | grep -q 1; then
  echo "== generating PostgreSQL data"
  psql "$PG_ADMIN" -qc "CREATE DATABASE minyi_bench"
  /usr/bin/time -f "%e s, %M KB max RSS" "$BIN/minyi" --database-url "$PG_URL" --log-level warn demo-data --scale "$SCALE" --big-comments "$BIG"
fi

# ---- database ceilings
echo "== ceilings: raw inserts"
python3 .ci/bench_report.py ceiling "$RESULTS" ceiling.sqlite.insert.batch1 "$("$BIN/minyi-bench" insert-sqlite --path "$OUT/ceiling.db" --seconds 5 --batch 1)"
python3 .ci/bench_report.py ceiling "$RESULTS" ceiling.sqlite.insert.batch32 "$("$BIN/minyi-bench" insert-sqlite --path "$OUT/ceiling.db" --seconds 5 --batch 32)"
if [ -z "${BENCH_SKIP_PG:-}" ]; then
  python3 .ci/bench_report.py ceiling "$RESULTS" ceiling.pg.insert "$("$BIN/minyi-bench" insert-postgres --url "$PG_URL" --seconds 5 --connections 16)"
fi

# The load generator is one client address with up to 128 connections: the per-address
# limits (requests in flight, sign-ins, comments) are lifted, as they protect the server
# from one address among many, which this loop is not. The comment limits are off (0):
# lifted to a huge number they would still be counted, and counting one account's
# thousands of comments per comment is a cost no real account makes.
start_app() { # DATABASE-ARGS… [-- SERVE-ARGS…]
  local db_args=() serve_args=()
  while [ $# -gt 0 ] && [ "$1" != -- ]; do db_args+=("$1"); shift; done
  [ $# -gt 0 ] && shift && serve_args=("$@")
  "$BIN/minyi" "${db_args[@]}" --log-level warn serve "${serve_args[@]}" --bind "127.0.0.1:$PORT_APP" --per-client-in-flight 100000 --signin-per-ip 100000 --register-per-ip 100000 --comments-per-ip 0 --comments-per-account 0 --metrics-bind "127.0.0.1:$PORT_METRICS" \
    > "$OUT/server.log" 2>&1 &
  SERVER_PID=$!
  wait_up "$PORT_APP"
}

# the page rendered for every request (page cache off): what a render costs
render_phases() { # DB-LABEL
  local db=$1 base="http://127.0.0.1:$PORT_APP"
  phase "$db.render.max"     "$db" max   "$MAXDUR" "$base/proposals/1"
  phase "$db.render"         "$db" "$RENDER_RATE" "$DUR" "$base/proposals/1"
  phase "$db.render.1000"    "$db" 1000  "$DUR" "$base/proposals/1"
}

run_app_phases() { # DB-LABEL
  local db=$1 base="http://127.0.0.1:$PORT_APP"
  local cookie
  cookie=$(curl -s -D - -o /dev/null -X POST "$base/api/sign_in" -H 'Accept: application/json' -H 'Sec-Fetch-Site: same-origin' \
    --data 'email=citizen1%40bench.example.cn&password=minyi-demo-2026' | tr -d '\r' | sed -n 's/^[Ss]et-[Cc]ookie: \(minyi_session=[^;]*\).*/\1/p' | head -1)
  [ -n "$cookie" ] || { echo "sign-in failed"; exit 1; }
  local min_id last_full
  if [ "$db" = sqlite ]; then
    min_id=$(python3 -c "import sqlite3;c=sqlite3.connect('$OUT/sqlite/minyi.db');print(c.execute('SELECT MIN(id) FROM comment_groups WHERE proposal_id=1').fetchone()[0])")
    last_full=$(python3 -c "import sqlite3;c=sqlite3.connect('$OUT/sqlite/minyi.db');print(c.execute('SELECT id FROM comment_groups WHERE proposal_id=1 ORDER BY id LIMIT 1 OFFSET 50').fetchone()[0])")
  else
    min_id=$(psql "$PG_URL" -Atc "SELECT MIN(id) FROM comment_groups WHERE proposal_id=1")
    last_full=$(psql "$PG_URL" -Atc "SELECT id FROM comment_groups WHERE proposal_id=1 ORDER BY id LIMIT 1 OFFSET 50")
  fi
  echo "== $db: proposal 1 has $(curl -s "$base/api/comments" -H 'Accept: application/json' -H 'Sec-Fetch-Site: same-origin' --data 'proposal_id=1' | head -c 80)…"
  curl -sf "$base/proposals/1" -o "$OUT/page-$db.html"
  echo "   proposal page: $(wc -c < "$OUT/page-$db.html") bytes; smallest comment group id $min_id (the list pages through campaign groups)"
  phase "$db.page.max"           "$db" max   "$MAXDUR" "$base/proposals/1"
  phase "$db.page"               "$db" "$PAGE_RATE" "$DUR" "$base/proposals/1"
  GZIP=1 phase "$db.page.gzip.max" "$db" max "$MAXDUR" "$base/proposals/1"
  phase "$db.comments.p1.max"    "$db" max   "$MAXDUR" "${POST[@]}" -d "proposal_id=1" "$base/api/comments"
  phase "$db.comments.p1"        "$db" "$LIST_RATE" "$DUR" "${POST[@]}" -d "proposal_id=1" "$base/api/comments"
  phase "$db.comments.deepest"   "$db" "$LIST_RATE" "$DUR" "${POST[@]}" -d "proposal_id=1&before=$((min_id + 1))" "$base/api/comments"
  phase "$db.comments.lastfull"  "$db" "$LIST_RATE" "$DUR" "${POST[@]}" -d "proposal_id=1&before=$last_full" "$base/api/comments"
  local body="proposal_id=1&stance=suggestion&body=%E5%BB%BA%E8%AE%AE%E7%AC%AC%E4%B8%80%E9%98%B6%E6%A2%AF%E6%B0%B4%E9%87%8F%E6%8C%89%E5%AE%B6%E5%BA%AD%E4%BA%BA%E5%8F%A3%E6%A0%B8%E5%AE%9A%E3%80%82"
  phase "$db.write.max"          "$db" max   "$MAXDUR" "${POST[@]}" -H "Cookie: $cookie" -d "$body" "$base/api/post_comment"
  phase "$db.write"              "$db" "$WRITE_RATE" "$DUR" "${POST[@]}" -H "Cookie: $cookie" -d "$body" "$base/api/post_comment"
  if [ "$db" = sqlite ]; then
    local r=$((MIXED_RATE * 95 / 100)) w=$((MIXED_RATE * 5 / 100))
    ( phase "$db.mixed.read"  "$db" "$r" "$DUR" "$base/proposals/1" ) &
    local a=$!
    phase "$db.mixed.write" "$db" "$w" "$DUR" "${POST[@]}" -H "Cookie: $cookie" -d "$body" "$base/api/post_comment"
    wait "$a"
    local R=$((r * 10)) W=$((w * 10))
    # enough connections that the load generator itself does not queue (shed answers
    # come back at once, so connections turn over fast)
    # the server's own view of the overload: /metrics just before and just after it
    curl -sf "http://127.0.0.1:$PORT_METRICS/metrics" > "$OUT/metrics-before-overload-$db.txt"
    local started=$SECONDS
    ( CONNS=512 phase "$db.overload.read"  "$db" "$R" "$OVERDUR" "$base/proposals/1" ) &
    a=$!
    CONNS=256 phase "$db.overload.write" "$db" "$W" "$OVERDUR" "${POST[@]}" -H "Cookie: $cookie" -d "$body" "$base/api/post_comment"
    wait "$a"
    curl -sf "http://127.0.0.1:$PORT_METRICS/metrics" > "$OUT/metrics-after-overload-$db.txt"
    python3 .ci/bench_report.py server "$RESULTS" "$db.overload.read.server" "$db" page \
      "$OUT/metrics-before-overload-$db.txt" "$OUT/metrics-after-overload-$db.txt" "$((SECONDS - started))"
    python3 .ci/bench_report.py server "$RESULTS" "$db.overload.write.server" "$db" server_fn_write \
      "$OUT/metrics-before-overload-$db.txt" "$OUT/metrics-after-overload-$db.txt" "$((SECONDS - started))"
    curl -sf "$base/healthz" >/dev/null && echo "   server healthy after the overload"
    # recovery: the mixed load again, right after the overload
    ( phase "$db.recovery.read"  "$db" "$r" "$MAXDUR" "$base/proposals/1" ) &
    a=$!
    phase "$db.recovery.write" "$db" "$w" "$MAXDUR" "${POST[@]}" -H "Cookie: $cookie" -d "$body" "$base/api/post_comment"
    wait "$a"
  fi
}

# ---- HTTP ceiling: the same bytes from a bare axum handler
echo "== SQLite"
start_app --data-dir "$OUT/sqlite"
curl -sf "http://127.0.0.1:$PORT_APP/proposals/1" -o "$OUT/page.html"
"$BIN/minyi-bench" serve-file --file "$OUT/page.html" --bind "127.0.0.1:$PORT_CEIL" &
CEIL_PID=$!
wait_up "$PORT_CEIL" /
APP_PID=$SERVER_PID; SERVER_PID=$CEIL_PID
echo "== ceiling: bare axum, $(wc -c < "$OUT/page.html") bytes"
phase ceiling.http.max  axum max "$MAXDUR" "http://127.0.0.1:$PORT_CEIL/proposals/1"
phase ceiling.http      axum "$PAGE_RATE" "$DUR" "http://127.0.0.1:$PORT_CEIL/proposals/1"
kill "$CEIL_PID"; wait "$CEIL_PID" 2>/dev/null || true
SERVER_PID=$APP_PID
run_app_phases sqlite
stop_server
start_app --data-dir "$OUT/sqlite" -- --page-cache-ms 0
render_phases sqlite
stop_server

if [ -z "${BENCH_SKIP_PG:-}" ]; then
  echo "== PostgreSQL"
  start_app --database-url "$PG_URL"
  run_app_phases pg
  stop_server
  start_app --database-url "$PG_URL" -- --page-cache-ms 0
  render_phases pg
  stop_server
fi

python3 .ci/bench_report.py render "$RESULTS" bench/results.json bench/results.md "$OUT/machine.txt" "$COMMAND"
