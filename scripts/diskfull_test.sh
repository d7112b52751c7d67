#!/usr/bin/env bash
# Disk-full test: index into a small tmpfs until it is full. The run must stop
# with a clear error (exit 2), the index must still open with everything
# committed before, and after space is freed a re-run finishes the job.
#
# Needs root and mount(8) (as in CI); elsewhere it says so and exits 0.
# Usage: scripts/diskfull_test.sh [BIN]   (default target/release/civsearch)
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=$(realpath "${1:-target/release/civsearch}")
WORK=$(mktemp -d)
MNT="$WORK/mnt"
mkdir -p "$MNT"
cleanup() {
  mountpoint -q "$MNT" 2>/dev/null && umount "$MNT" 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT
fail() { echo "disk-full test FAILED: $*" >&2; exit 1; }
if ! mount -t tmpfs -o size=3m tmpfs "$MNT" 2>/dev/null; then
  echo "disk-full test skipped: cannot mount a tmpfs here (needs root)"
  exit 0
fi

# A first page, committed; then 1500 pages of distinct words (several MB of index).
mkdir -p "$WORK/first" "$WORK/more"
python3 - "$WORK" <<'PY'
import os, sys
w = sys.argv[1]
open(os.path.join(w, "first", "a.html"), "w").write(
    "<html><body><article><h1>First page</h1><p>The lima council met on Monday "
    "and talked about the harbor for a long while.</p></article></body></html>")
for i in range(1500):
    words = " ".join("w%dx%d" % (i, k) for k in range(300))
    open(os.path.join(w, "more", "p%04d.html" % i), "w").write(
        "<html><body><article><h1>Mike %d</h1><p>mike %s</p></article></body></html>" % (i, words))
PY
IX="$MNT/ix"
"$BIN" index --quiet --index "$IX" "$WORK/first" > /dev/null
set +e
"$BIN" index --quiet --commit-every 100 --index "$IX" "$WORK/more" > "$WORK/full.out" 2> "$WORK/full.err"
code=$?
set -e
echo "full disk run: exit $code: $(tail -1 "$WORK/full.err")"
[ "$code" -eq 2 ] || fail "exit $code, want 2 (did the disk fill? $(df -h "$MNT" | tail -1))"
grep -q "cannot commit to the index\|cannot write\|No space left" "$WORK/full.err" || fail "unclear error: $(cat "$WORK/full.err")"
grep -q "panicked" "$WORK/full.err" && fail "it panicked: $(cat "$WORK/full.err")"
docs=$("$BIN" stats --format json --index "$IX" | python3 -c 'import json,sys; print(json.load(sys.stdin)["documents"])') \
  || fail "the index does not open after the disk filled"
lima=$("$BIN" query lima --index "$IX" --format json --undated include | python3 -c 'import json,sys; print(json.load(sys.stdin)["total"])')
[ "$lima" -eq 1 ] || fail "the first commit was lost"
[ $(( (docs - 1) % 100 )) -eq 0 ] || fail "$docs documents: not the first page plus whole batches"
echo "after the failure the index opens with $docs documents (the first page + whole batches of 100)"

# Free space: grow the tmpfs, and the re-run completes.
mount -o remount,size=256m "$MNT"
"$BIN" index --quiet --commit-every 100 --index "$IX" "$WORK/more" > "$WORK/rerun.out"
docs=$("$BIN" stats --format json --index "$IX" | python3 -c 'import json,sys; print(json.load(sys.stdin)["documents"])')
[ "$docs" -eq 1501 ] || fail "after the re-run $docs documents, want 1501"
echo "disk-full test passed: clear error, last commit intact, re-run completed ($docs documents)"
