#!/usr/bin/env bash
# Extraction CPU time per page, civsearch against trafilatura (and resiliparse),
# alternating A and B in one run so both see the same machine load.
#
#   bash ../shared/tools/setup-peers.sh VENV      # once: the peers' venv
#   bash benches/extract_vs_trafilatura.sh VENV [DIR] [RUNS]
#
# DIR defaults to ../shared/data/extract-dev, RUNS (alternations) to 3; every
# extractor makes 3 passes over the pages and a page counts its best pass.
# Prints every run's JSON, then the medians over runs and the speed-up ratios.
set -euo pipefail
cd "$(dirname "$0")/.."
VENV=${1:?usage: extract_vs_trafilatura.sh VENV [DIR] [RUNS]}
DIR=${2:-../shared/data/extract-dev}
RUNS=${3:-3}
cargo bench --bench extract --no-run >/dev/null 2>&1
OUT=$(mktemp)
trap 'rm -f "$OUT"' EXIT
for run in $(seq "$RUNS"); do
  echo "# run $run/$RUNS" >&2
  cargo bench --bench extract -q -- "$DIR" --rounds 3 --json 2>/dev/null | tee -a "$OUT"
  "$VENV/bin/python" benches/extract_peer.py trafilatura "$DIR" --rounds 3 | tee -a "$OUT"
  "$VENV/bin/python" benches/extract_peer.py resiliparse "$DIR" --rounds 3 | tee -a "$OUT"
done
python3 - "$OUT" <<'PY'
import json, statistics, sys
rows = [json.loads(l) for l in open(sys.argv[1]) if l.startswith("{")]
by = {}
for r in rows:
    by.setdefault(r["extractor"], []).append(r)
med = {k: {m: statistics.median(r[m] for r in v) for m in ("cpu_ms_median", "cpu_ms_p99", "cpu_ms_mean")} for k, v in by.items()}
for k, v in med.items():
    print(f"{k:12s} CPU ms/page: median {v['cpu_ms_median']:.3f}  p99 {v['cpu_ms_p99']:.3f}  mean {v['cpu_ms_mean']:.3f}  (median of {len(by[k])} runs)")
cs = med["civsearch"]
for peer in ("trafilatura", "resiliparse"):
    if peer in med:
        p = med[peer]
        print(f"{peer} / civsearch: median {p['cpu_ms_median'] / cs['cpu_ms_median']:.1f}x, mean {p['cpu_ms_mean'] / cs['cpu_ms_mean']:.1f}x, p99 {p['cpu_ms_p99'] / cs['cpu_ms_p99']:.1f}x")
PY
