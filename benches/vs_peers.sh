#!/usr/bin/env bash
# civsearch against tantivy-cli on one generated corpus, alternating A and B in
# one run so that both see the same machine (these machines are shared: only
# ratios taken in the same run mean anything).
#
#   benches/vs_peers.sh BIN CORPUS OUT [RUNS]
#
#   BIN     a release civsearch binary (cargo build --release)
#   CORPUS  a gencorpus.py folder: html/, docs.jsonl, groundtruth.json
#   OUT     work folder: both indexes and results/ (JSON lines) go there
#   RUNS    index runs of each tool, alternating (default 3)
#
# Needs tantivy-cli 0.24 (`cargo install tantivy-cli --version 0.24.0`),
# hyperfine, GNU time, and ../shared/tools/peers.sh (the peer side is run by
# that script, unchanged). Steps:
#   1. indexing: RUNS x (tantivy-cli on docs.jsonl, then civsearch on html/),
#      wall and CPU seconds, peak RSS, index size (benches/ingest.sh for ours);
#   2. civsearch re-run over the unchanged corpus;
#   3. whole-process queries, warm: hyperfine over `tantivy search` and
#      `civsearch query` for (a) the phrase and (b) phrase + date range,
#      alternating, with each tool's hit count checked against groundtruth.json;
#   4. in-process queries: `tantivy bench` medians beside civsearch's criterion
#      bench (benches/query.rs) on the same corpus.
# The summary table is printed at the end and written to OUT/results/summary.md.
set -euo pipefail
BIN=$(realpath "${1:?usage: vs_peers.sh BIN CORPUS OUT [RUNS]}")
CORPUS=$(realpath "${2:?usage: vs_peers.sh BIN CORPUS OUT [RUNS]}")
OUT=${3:?usage: vs_peers.sh BIN CORPUS OUT [RUNS]}
RUNS=${4:-3}
HERE=$(cd "$(dirname "$0")" && pwd)
SHARED=${SHARED:-$HERE/../../shared}
TANTIVY=${TANTIVY:-tantivy}
mkdir -p "$OUT/results"
OUT=$(realpath "$OUT")
R=$OUT/results
GT=$CORPUS/groundtruth.json
log() { echo "[vs_peers $(date +%H:%M:%S)] $*" >&2; }
gt() { python3 -c 'import json,sys; g=json.load(open(sys.argv[1])); print(eval(sys.argv[2], {"g": g}))' "$GT" "$1"; }
LO=$(gt 'g["range"][0]')
HI=$(gt 'g["range"][1]')
PHRASE=$(gt 'g["queries"]["a_phrase"]["phrase"]')
command -v "$TANTIVY" >/dev/null || { echo "tantivy-cli not found (cargo install tantivy-cli --version 0.24.0)" >&2; exit 2; }
command -v hyperfine >/dev/null || { echo "hyperfine not found (apt-get install -y hyperfine)" >&2; exit 2; }

: > "$R/index_runs.jsonl"
for run in $(seq "$RUNS"); do
  log "index run $run/$RUNS: tantivy-cli"
  INDEX_RUNS=1 REPS=3 TANTIVY="$TANTIVY" bash "$SHARED/tools/peers.sh" "$CORPUS" "$OUT/peer" tantivy >/dev/null 2>&1
  python3 -c 'import json,sys; r=json.loads(open(sys.argv[1]).readline()); r["tool"]="tantivy-cli"; print(json.dumps(r))' \
    "$OUT/peer/results/tantivy_index.jsonl" >> "$R/index_runs.jsonl"
  log "index run $run/$RUNS: civsearch"
  rm -rf "$OUT/civsearch-work"
  mkdir -p "$OUT/civsearch-work"
  bash "$HERE/ingest.sh" "$BIN" "$CORPUS" "$OUT/civsearch-work" |
    python3 -c 'import json,sys; r=json.load(sys.stdin); r["tool"]="civsearch"; print(json.dumps(r))' >> "$R/index_runs.jsonl"
done
IX=$OUT/civsearch-work/index

log "whole-process queries (hyperfine, warm)"
TQ_A="$TANTIVY search -i $OUT/peer/tantivy -q '\"$PHRASE\"'"
TQ_B="$TANTIVY search -i $OUT/peer/tantivy -q '+\"$PHRASE\" +date:[${LO}T00:00:00Z TO ${HI}T23:59:59Z]'"
CQ_A="$BIN query --index $IX '\"$PHRASE\"'"
CQ_B="$BIN query --index $IX '\"$PHRASE\"' --from $LO --to $HI"
hyperfine -N --warmup 3 --runs 30 --export-json "$R/process_queries.json" \
  -n tantivy_a "$TQ_A" -n civsearch_a "$CQ_A" -n tantivy_b "$TQ_B" -n civsearch_b "$CQ_B" >/dev/null
{
  echo "tantivy_a $(eval "$TQ_A" | wc -l)"
  echo "tantivy_b $(eval "$TQ_B" | wc -l)"
  echo "civsearch_a $("$BIN" query --index "$IX" "\"$PHRASE\"" --format json --limit 0 | python3 -c 'import json,sys; print(json.load(sys.stdin)["total"])')"
  echo "civsearch_b $("$BIN" query --index "$IX" "\"$PHRASE\"" --from "$LO" --to "$HI" --format json --limit 0 | python3 -c 'import json,sys; print(json.load(sys.stdin)["total"])')"
} > "$R/process_counts.txt"

log "in-process queries: tantivy bench, then civsearch criterion bench"
cp "$OUT/peer/results/tantivy_bench.txt" "$R/tantivy_bench_indexrun.txt" 2>/dev/null || true
INDEX_RUNS=0 REPS=30 TANTIVY="$TANTIVY" bash "$SHARED/tools/peers.sh" "$CORPUS" "$OUT/peer" tantivy_query >/dev/null 2>&1
cp "$OUT/peer/results/tantivy_bench.txt" "$R/tantivy_bench.txt"
(cd "$HERE/.." && CIVSEARCH_BENCH_INDEX="$IX" CIVSEARCH_BENCH_GT="$GT" \
  cargo bench --bench query -- --noplot 2>/dev/null) > "$R/civsearch_bench.txt" || true

python3 - "$R" "$GT" <<'PY' | tee "$R/summary.md"
import json, os, re, statistics, sys
R, gt = sys.argv[1], json.load(open(sys.argv[2]))
runs = [json.loads(l) for l in open(os.path.join(R, "index_runs.jsonl"))]
med = lambda xs: statistics.median(xs) if xs else float("nan")
t = [r for r in runs if r["tool"] == "tantivy-cli"]
c = [r for r in runs if r["tool"] == "civsearch"]
n = gt["n_docs"]
text = gt["bytes"].get("body_utf8") or 0
t_wall, t_cpu = med([r["wall_s"] for r in t]), med([r["cpu_s"] for r in t])
c_wall, c_cpu = med([r["fresh"]["wall_s"] for r in c]), med([r["fresh"]["cpu_s"] for r in c])
print(f"## Indexing {n:,} pages, median of {len(c)} alternating runs\n")
print("| tool | input | wall s | docs/s | CPU s | peak RSS MiB | index / text |")
print("|---|---|---|---|---|---|---|")
print(f"| tantivy-cli 0.24 | pre-extracted docs.jsonl | {t_wall:.1f} | {n / t_wall:,.0f} | {t_cpu:.1f} | "
      f"{med([r['peak_rss_kib'] for r in t]) / 1024:.0f} | {med([r['index_bytes'] for r in t]) / text:.2f}x |")
print(f"| civsearch | raw HTML (cleaning included) | {c_wall:.1f} | {n / c_wall:,.0f} | {c_cpu:.1f} | "
      f"{med([r['fresh']['peak_rss_mib'] for r in c]):.0f} | {med([r['index_bytes'] for r in c]) / text:.2f}x |")
print(f"\ncivsearch / tantivy-cli docs/s: **{t_wall / c_wall:.2f}x** (wall), {t_cpu / c_cpu:.2f}x (CPU)")
rr = med([r["rerun"]["wall_s"] / r["fresh"]["wall_s"] for r in c])
print(f"civsearch re-run over the unchanged corpus: {100 * rr:.1f}% of the first run\n")
pq = json.load(open(os.path.join(R, "process_queries.json")))["results"]
counts = dict(l.split() for l in open(os.path.join(R, "process_counts.txt")))
want = {"a": gt["queries"]["a_phrase"]["expected_docs"], "b": gt["queries"]["b_phrase_in_range"]["expected_docs"]}
print("## Whole process, warm (hyperfine, 30 runs)\n")
print("| query | tantivy search | civsearch query | ratio | hits tantivy / civsearch / truth |")
print("|---|---|---|---|---|")
by = {x["command"]: x for x in pq}
for q, label in (("a", "phrase"), ("b", "phrase + date range")):
    tm, cm = by[f"tantivy_{q}"]["median"] * 1e3, by[f"civsearch_{q}"]["median"] * 1e3
    print(f"| ({q}) {label} | {tm:.1f} ms | {cm:.1f} ms | {cm / tm:.2f}x | {counts[f'tantivy_{q}']} / {counts[f'civsearch_{q}']} / {want[q]} |")
tb = {}
for line in open(os.path.join(R, "tantivy_bench.txt")):
    parts = line.rstrip("\n").split("\t")
    if len(parts) == 3 and parts[2].isdigit():
        tb.setdefault(parts[0], []).append(int(parts[2]))
cb = {}
for m in re.finditer(r"query/(\w+)\s+time:\s+\[\S+ \S+ (\S+) (\S+)", open(os.path.join(R, "civsearch_bench.txt")).read()):
    scale = {"ns": 1e-3, "µs": 1, "us": 1, "ms": 1e3, "s": 1e6}[m.group(3)]
    cb[m.group(1)] = float(m.group(2)) * scale
print("\n## In process, warm (median microseconds)\n")
print("| query | tantivy bench | civsearch (criterion) |")
print("|---|---|---|")
for key, tq in zip(["a_phrase", "b_phrase_in_range", "c_term_top10", "d_or3"], list(tb)[:4]):
    print(f"| {key} | {med(tb[tq]):.0f} | {cb.get(key, float('nan')):.0f} |")
if "e_range_only" in cb:
    print(f"| e_range_only | - | {cb['e_range_only']:.0f} |")
PY
