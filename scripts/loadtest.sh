#!/usr/bin/env bash
# Load test of `civsearch serve` on loopback with wrk: one bounded run per
# scenario (a phrase, a phrase + date range, a common term, all mixed), then the
# server's memory. Traffic goes to 127.0.0.1 only.
#
#   scripts/loadtest.sh INDEX_DIR [SECONDS] [BIN]
#
# Example (see docs/benchmarks.md, "HTTP"):
#   python3 ../shared/tools/gencorpus.py --n 100000 --out CORPUS \
#     --seed-text ../shared/data/bbc/bbc-train.csv --workers 2
#   target/release/civsearch index CORPUS/html --index INDEX
#   scripts/loadtest.sh INDEX 20
set -euo pipefail
INDEX=${1:?usage: loadtest.sh INDEX_DIR [SECONDS] [BIN]}
SECS=${2:-20}
BIN=${3:-target/release/civsearch}
CONNS=${CONNS:-32}
THREADS=${THREADS:-2}
PORT=${PORT:-7791}
HERE=$(cd "$(dirname "$0")" && pwd)
command -v wrk >/dev/null || { echo "wrk is missing: apt-get install -y wrk" >&2; exit 2; }

LOG=$(mktemp)
"$BIN" serve --index "$INDEX" --addr "127.0.0.1:$PORT" 2>"$LOG" &
PID=$!
trap 'kill $PID 2>/dev/null || true; rm -f "$LOG"' EXIT
for _ in $(seq 100); do
  curl -fsS "http://127.0.0.1:$PORT/healthz" >/dev/null 2>&1 && break
  sleep 0.1
done
cpu() { awk '{print $14 + $15}' "/proc/$PID/stat"; }  # utime + stime, in clock ticks
TICKS=$(getconf CLK_TCK)
rss() { awk '/VmRSS/ {printf "%.1f MiB", $2/1024}' "/proc/$PID/status"; }
echo "server pid $PID: $(head -1 "$LOG")"
echo "RSS at start: $(rss)"
curl -fsS "http://127.0.0.1:$PORT/api/search?q=%22sanctuary+city%22&limit=0" && echo
for scenario in phrase range term mixed; do
  echo "== $scenario: wrk -t$THREADS -c$CONNS -d${SECS}s --latency"
  before=$(cpu)
  wrk -t"$THREADS" -c"$CONNS" -d"${SECS}s" --timeout 5s --latency \
    -s "$HERE/loadtest/queries.lua" "http://127.0.0.1:$PORT" -- "$scenario" > "$LOG.wrk"
  after=$(cpu)
  grep -E "Requests/sec|Latency  |  50%|  90%|  99%|requests in|Non-2xx|Socket errors" "$LOG.wrk"
  n=$(awk '/requests in/ {print $1}' "$LOG.wrk")
  echo "server CPU: $(( (after - before) * 1000 / TICKS )) ms for $n requests = $(( (after - before) * 1000000 / TICKS / (n > 0 ? n : 1) )) us/request; RSS after: $(rss)"
  rm -f "$LOG.wrk"
done
