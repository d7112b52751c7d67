#!/usr/bin/env python3
"""How often civsearch's publication dates are right at each level of
`date_confidence`, on a date set with ground truth (truth.jsonl: id, file, url,
date or null; the layout of tools/dates/score.py).

A date counts as right when it is exactly the truth's day; any date printed for
a page whose truth is null is wrong. The table gives, per confidence bucket,
the dates printed and the share right; then, for a few thresholds, what a run
with `--min-date-confidence T` would score (exact accuracy over all pages, and
the false-date rate), which is what the threshold trades.

Usage: date_calibration.py --bin target/fast/civsearch --data DIR [--where page_type=article]
       [--min 0.9]   exit 1 when dates above --min are right less than --target of the time
"""
import argparse
import json
import os
import subprocess
import sys

BUCKETS = [0.0, 0.3, 0.5, 0.7, 0.8, 0.9, 0.95, 1.01]
THRESHOLDS = [0.0, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9]


def load_truth(data, where):
    rows = []
    with open(os.path.join(data, "truth.jsonl"), encoding="utf-8") as f:
        for line in f:
            if not line.strip():
                continue
            row = json.loads(line)
            if all(str(row.get(k)) == v for k, v in where):
                rows.append(row)
    return rows


def run_binary(binary, data, rows):
    """One `extract --lines --format json` process for all pages: a line
    "PATH<TAB>URL" in, one line of JSON (or an empty line) out."""
    proc = subprocess.Popen([binary, "extract", "--lines", "--format", "json"],
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, encoding="utf-8")
    out = []
    for row in rows:
        proc.stdin.write(f"{os.path.join(data, row['file'])}\t{row.get('url') or ''}\n")
        proc.stdin.flush()
        line = proc.stdout.readline().strip()
        if not line:
            print(f"{row['file']}: no answer from the extractor", file=sys.stderr)
            out.append({})
            continue
        out.append(json.loads(line))
    proc.stdin.close()
    proc.wait()
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--bin", required=True)
    ap.add_argument("--data", required=True)
    ap.add_argument("--where", action="append", default=[], help="KEY=VALUE filter on truth.jsonl")
    ap.add_argument("--min", type=float, default=0.9, help="confidence above which dates are checked")
    ap.add_argument("--target", type=float, default=0.98, help="share of dates above --min that must be right")
    a = ap.parse_args()
    where = [w.split("=", 1) for w in a.where]
    rows = load_truth(a.data, where)
    answers = run_binary(a.bin, a.data, rows)
    dated = []  # (confidence, right)
    undated_right = 0
    for row, ans in zip(rows, answers):
        date = ans.get("date")
        if date is None:
            undated_right += row.get("date") is None
            continue
        dated.append((float(ans.get("date_confidence") or 0.0), date == row.get("date"), row["id"], ans.get("date_source")))
    n = len(rows)
    truth = {row["id"]: row.get("date") for row in rows}
    print(f"{a.data}: {n} pages, {len(dated)} dated, {undated_right} rightly undated")
    print("| confidence | dates | right | share right |")
    print("|---|---:|---:|---:|")
    for lo, hi in zip(BUCKETS, BUCKETS[1:]):
        b = [r for c, r, *_ in dated if lo <= c < hi]
        share = f"{sum(b) / len(b):.3f}" if b else "-"
        print(f"| [{lo:.2f}, {min(hi, 1.0):.2f}{']' if hi > 1 else ')'} | {len(b)} | {sum(b)} | {share} |")
    print()
    print("| --min-date-confidence | exact | false-date rate |")
    print("|---:|---:|---:|")
    for t in THRESHOLDS:
        kept = [r for c, r, *_ in dated if c >= t]
        right = sum(kept)
        # Dates left out become "no date": right where the truth is null.
        dropped_null = sum(1 for c, _, i, _ in dated if c < t and truth[i] is None)
        exact = (right + undated_right + dropped_null) / n
        false = (len(kept) - right) / n
        print(f"| {t:.1f} | {exact:.4f} | {false:.4f} |")
    above = [r for c, r, *_ in dated if c > a.min]
    share = sum(above) / len(above) if above else 1.0
    wrong = [(c, i, s) for c, r, i, s in dated if c > a.min and not r]
    print()
    for c, i, s in sorted(wrong, reverse=True)[:20]:
        print(f"  wrong above {a.min}: id {i} confidence {c:.3f} source {s}")
    # Last line: the figure the CI guard shows.
    print(f"{a.data}: dates above {a.min}: {len(above)}, right {share:.4f} (target {a.target})")
    sys.exit(0 if share >= a.target else 1)


if __name__ == "__main__":
    main()
