#!/usr/bin/env bash
# Crash test: SIGKILL `civsearch index` in the middle of a run, then check that
#  - while it ran, a second `index` on the same index was refused with
#    "is being written by process N" and `query` worked on the last commit;
#  - after the kill the index opens and holds a whole number of commit batches
#    (or everything);
#  - a re-run finishes the job: every page indexed, query counts exact.
#
# Usage: scripts/kill9_test.sh [BIN]   (default target/release/civsearch)
# Env: SHARED (default ../shared), N pages (default 5000), BATCH (default 500).
# Pages come from ../shared/tools/gencorpus.py when it and its seed text exist,
# else from a small generator below (then the exact-count check is per word).
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=$(realpath "${1:-target/release/civsearch}")
SHARED=${SHARED:-../shared}
N=${N:-5000}
BATCH=${BATCH:-500}
WORK=$(mktemp -d)
PID=
cleanup() {
  if [ -n "$PID" ] && kill -0 "$PID" 2>/dev/null; then kill -9 "$PID" 2>/dev/null || true; fi
  rm -rf "$WORK"
}
trap cleanup EXIT
fail() { echo "kill9 test FAILED: $*" >&2; exit 1; }

CORPUS="$WORK/corpus"
if [ -f "$SHARED/tools/gencorpus.py" ] && [ -f "$SHARED/data/bbc/bbc-train.csv" ]; then
  GEN=gencorpus
  python3 "$SHARED/tools/gencorpus.py" --n "$N" --out "$CORPUS" \
    --seed-text "$SHARED/data/bbc/bbc-train.csv" --workers 2 --no-jsonl > "$WORK/gen.log" 2>&1
  PAGES_DIR="$CORPUS/html"
else
  GEN=simple
  PAGES_DIR="$CORPUS/html"
  python3 - "$PAGES_DIR" "$N" <<'EOF'
import os, sys
out, n = sys.argv[1], int(sys.argv[2])
words = "council budget harbor zoning ferry library school transit park water".split()
for i in range(n):
    d = os.path.join(out, "%04d" % (i // 1000))
    os.makedirs(d, exist_ok=True)
    w = words[i % len(words)]
    body = " ".join(words[(i + k) % len(words)] for k in range(60))
    with open(os.path.join(d, "p%06d.html" % i), "w") as f:
        f.write("<html><head><title>Story %d about %s</title></head><body><article>"
                "<h1>Story %d about %s</h1><p>Marker%d. %s.</p><p>%s again.</p></article></body></html>"
                % (i, w, i, w, i, body, w))
EOF
fi
PAGES=$(find "$PAGES_DIR" -type f -name '*.html' | wc -l)
echo "corpus: $PAGES pages ($GEN), commit every $BATCH"

IX="$WORK/ix"
count() { "$BIN" stats --format json --index "$IX" | python3 -c 'import json,sys; print(json.load(sys.stdin)["documents"])'; }

# Start the run and wait for its first commit.
"$BIN" index --quiet --commit-every "$BATCH" --index "$IX" "$PAGES_DIR" > "$WORK/run1.log" 2>&1 &
PID=$!
seen=0
for _ in $(seq 1 600); do
  kill -0 "$PID" 2>/dev/null || break
  if [ -f "$IX/meta.json" ]; then
    seen=$(count 2>/dev/null || echo 0)
    [ "$seen" -ge "$BATCH" ] && break
  fi
  sleep 0.05
done
kill -0 "$PID" 2>/dev/null || fail "the run ended before it could be killed (raise N)"

# While it runs: a second writer is refused, a query sees the last commit.
set +e
"$BIN" index --quiet --index "$IX" "$PAGES_DIR" > "$WORK/second.out" 2> "$WORK/second.err"
code=$?
set -e
if kill -0 "$PID" 2>/dev/null; then
  [ "$code" -eq 2 ] || fail "second index exited $code, want 2: $(cat "$WORK/second.err")"
  grep -q "is being written by process $PID" "$WORK/second.err" \
    || fail "second index did not name the writer: $(cat "$WORK/second.err")"
  echo "second index while running: refused ($(head -1 "$WORK/second.err"))"
fi
during=$("$BIN" query '*' --index "$IX" --format json --limit 1 | python3 -c 'import json,sys; print(json.load(sys.stdin)["total"])')
echo "query during the run: $during documents"
[ $((during % BATCH)) -eq 0 ] || [ "$during" -eq "$PAGES" ] || fail "query saw $during documents, not a whole batch"

kill -9 "$PID"
wait "$PID" 2>/dev/null || true
PID=
after=$(count) || fail "the index does not open after kill -9"
echo "killed with SIGKILL; the index opens with $after of $PAGES documents"
[ $((after % BATCH)) -eq 0 ] || [ "$after" -eq "$PAGES" ] || fail "$after documents is not a whole number of batches of $BATCH"
[ "$after" -ge "$BATCH" ] || fail "no batch was committed before the kill"

# The re-run completes the job.
set +e
"$BIN" index --quiet --commit-every "$BATCH" --index "$IX" "$PAGES_DIR" > "$WORK/run2.log" 2>&1
code=$?
set -e
cat "$WORK/run2.log"
[ "$code" -eq 0 ] || fail "re-run exited $code"
final=$(count)
[ "$final" -eq "$PAGES" ] || fail "after the re-run $final documents, want $PAGES"
grep -q "$after unchanged" "$WORK/run2.log" || fail "the re-run did not keep the $after committed documents as unchanged"
echo "re-run: $final of $PAGES documents"

if [ "$GEN" = gencorpus ]; then
  # Crash recovery must give exactly what an uninterrupted run gives: compare
  # every benchmark query's total against a clean index of the same pages.
  # (Accuracy against the generator's ground truth is checked by
  # scripts/check_gencorpus.py in .ci/run.)
  "$BIN" index --quiet --index "$WORK/clean" "$PAGES_DIR" > /dev/null
  python3 - "$BIN" "$IX" "$WORK/clean" "$CORPUS/groundtruth.json" <<'PYEOF'
import json, subprocess, sys
bin_, ix, clean, gt_path = sys.argv[1:5]
gt = json.load(open(gt_path))
lo, hi = gt["range"]
queries = [["*"], ["*", "--undated", "only"], ["*", "--from", lo, "--to", hi]]
for phrase in gt["phrases"]:
    queries += [[f'"{phrase}"'], [f'"{phrase}"', "--from", lo, "--to", hi]]
queries += [[t] for t in gt["term_docs_title_or_body"]]
def total(index, q):
    out = subprocess.run([bin_, "query", "--index", index, "--format", "json", "--limit", "0", *q], capture_output=True, text=True)
    return json.loads(out.stdout)["total"]
bad = [(q, total(ix, q), total(clean, q)) for q in queries if total(ix, q) != total(clean, q)]
for q, a, b in bad:
    print("MISMATCH", q, "after crash + re-run:", a, "clean run:", b)
print(f"{len(queries) - len(bad)} passed, {len(bad)} failed")
sys.exit(1 if bad else 0)
PYEOF
else
  for w in council budget harbor; do
    want=$(grep -rli "$w" "$PAGES_DIR" | wc -l)
    got=$("$BIN" query "$w" --index "$IX" --format json --limit 1 | python3 -c 'import json,sys; print(json.load(sys.stdin)["total"])')
    [ "$got" -eq "$want" ] || fail "query $w: $got, want $want"
  done
  echo "query counts exact"
fi
echo "kill9 test passed: killed at $after/$PAGES (batch $BATCH), re-run completed $final"
