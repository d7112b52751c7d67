#!/usr/bin/env bash
# End-to-end indexing benchmark: `civsearch index` over a generated corpus,
# fresh and then again over the unchanged corpus. Builds nothing.
#
# Usage: benches/ingest.sh BIN CORPUS [WORKDIR]
#   BIN     a release civsearch binary (e.g. target/release/civsearch)
#   CORPUS  a gencorpus output folder (html/, groundtruth.json)
#   WORKDIR where the index is written (default: a fresh temp folder, removed after)
#
# Prints one JSON object: documents, wall seconds, CPU seconds (user+sys),
# docs/s (wall and per CPU second), peak RSS, index bytes against the extracted
# text bytes (groundtruth.json "bytes"."body_utf8"), and the unchanged re-run
# against the first run. CPU time is the figure to compare on a shared machine:
# wall time depends on what else runs.
set -euo pipefail

if [ $# -lt 2 ]; then
    sed -n '2,13p' "$0" >&2
    exit 2
fi
BIN=$1
CORPUS=$2
WORK=${3:-}
[ -x "$BIN" ] || { echo "not executable: $BIN" >&2; exit 2; }
[ -d "$CORPUS/html" ] || { echo "no html/ in $CORPUS" >&2; exit 2; }
[ -x /usr/bin/time ] || { echo "needs GNU time at /usr/bin/time" >&2; exit 2; }

CLEANUP=""
if [ -z "$WORK" ]; then
    WORK=$(mktemp -d)
    CLEANUP=$WORK
fi
trap '[ -n "$CLEANUP" ] && rm -rf "$CLEANUP"' EXIT
INDEX=$WORK/index
rm -rf "$INDEX"

run() { # $1: label; runs the indexer under /usr/bin/time -v
    /usr/bin/time -v -o "$WORK/$1.time" "$BIN" index --quiet --index "$INDEX" \
        --report "$WORK/$1.report.json" "$CORPUS/html" >"$WORK/$1.out" 2>&1 || {
        rc=$?
        # 3 means some inputs failed; the index is still fine.
        [ "$rc" -eq 3 ] || { cat "$WORK/$1.out" >&2; exit "$rc"; }
    }
}

run fresh
INDEX_BYTES=$(du -sb "$INDEX" | cut -f1)
run rerun

python3 - "$WORK" "$CORPUS" "$INDEX_BYTES" <<'EOF'
import json, os, re, sys
work, corpus, index_bytes = sys.argv[1], sys.argv[2], int(sys.argv[3])

def timing(label):
    t = open(os.path.join(work, label + ".time")).read()
    get = lambda key: re.search(re.escape(key) + r":\s*(.+)", t).group(1).strip()
    wall = get("Elapsed (wall clock) time (h:mm:ss or m:ss)")
    secs = 0.0
    for part in wall.split(":"):
        secs = secs * 60 + float(part)
    return {
        "wall_s": round(secs, 2),
        "cpu_s": round(float(get("User time (seconds)")) + float(get("System time (seconds)")), 2),
        "user_s": float(get("User time (seconds)")),
        "sys_s": float(get("System time (seconds)")),
        "peak_rss_mib": round(int(get("Maximum resident set size (kbytes)")) / 1024, 1),
    }

fresh, rerun = timing("fresh"), timing("rerun")
report = json.load(open(os.path.join(work, "fresh.report.json")))
rerun_report = json.load(open(os.path.join(work, "rerun.report.json")))
docs = report["added"] + report["updated"]
gt_path = os.path.join(corpus, "groundtruth.json")
text_bytes = None
if os.path.exists(gt_path):
    text_bytes = json.load(open(gt_path)).get("bytes", {}).get("body_utf8")
out = {
    "corpus": os.path.abspath(corpus),
    "documents": docs,
    "failed": len(report["failed"]),
    "fresh": fresh,
    "docs_per_s": round(docs / fresh["wall_s"], 1) if fresh["wall_s"] else None,
    "docs_per_cpu_s": round(docs / fresh["cpu_s"], 1) if fresh["cpu_s"] else None,
    "cpu_ms_per_doc": round(1000 * fresh["cpu_s"] / docs, 3) if docs else None,
    "index_bytes": index_bytes,
    "text_bytes": text_bytes,
    "index_to_text": round(index_bytes / text_bytes, 3) if text_bytes else None,
    "rerun": dict(rerun, unchanged=rerun_report["unchanged"],
                  changed_nothing=rerun_report["added"] + rerun_report["updated"] == 0),
    "rerun_wall_ratio": round(rerun["wall_s"] / fresh["wall_s"], 3) if fresh["wall_s"] else None,
    "rerun_cpu_ratio": round(rerun["cpu_s"] / fresh["cpu_s"], 3) if fresh["cpu_s"] else None,
}
print(json.dumps(out, indent=1))
EOF
