#!/usr/bin/env python3
"""Regression guard: civsearch's hit counts on a generated corpus must equal the
generator's exact ground truth (every planted phrase, with and without its date
range, in title and body, every single term, the OR query and the range-only query).

Usage: check_gencorpus.py --bin target/release/civsearch --corpus DIR [--index DIR]
DIR is the output of ../shared/tools/gencorpus.py (html/, groundtruth.json).
Exits 1 on any mismatch, listing each.
"""
import argparse
import json
import os
import subprocess
import sys


def run(bin_, index, query, *extra):
    cmd = [bin_, "query", "--index", index, "--format", "jsonl", "--all", query, *extra]
    out = subprocess.run(cmd, capture_output=True, text=True)
    if out.returncode not in (0, 1):
        sys.exit(f"query failed: {cmd}\n{out.stderr}")
    ids = set()
    for line in out.stdout.splitlines():
        path = json.loads(line)["path"] or ""
        ids.add(os.path.basename(path).split(".")[0])
    return ids


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bin", required=True)
    ap.add_argument("--corpus", required=True)
    ap.add_argument("--index")
    args = ap.parse_args()
    gt = json.load(open(os.path.join(args.corpus, "groundtruth.json")))
    index = args.index or os.path.join(args.corpus, "civsearch-index")
    r = subprocess.run([args.bin, "index", "--quiet", "--index", index, os.path.join(args.corpus, "html")],
                       capture_output=True, text=True)
    print(r.stdout.strip())
    if r.returncode != 0:
        sys.exit(f"index failed ({r.returncode}): {r.stderr}")
    lo, hi = gt["range"]
    problems = []
    checks = 0

    def expect(label, got, want_count, want_ids=None):
        nonlocal checks
        checks += 1
        if len(got) != want_count or (want_ids is not None and got != set(want_ids)):
            extra = ""
            if want_ids is not None:
                extra = f" missing={sorted(set(want_ids) - got)[:5]} extra={sorted(got - set(want_ids))[:5]}"
            problems.append(f"{label}: got {len(got)}, want {want_count}{extra}")

    for phrase, p in gt["phrases"].items():
        q = f'"{phrase}"'
        expect(q, run(args.bin, index, q), p["docs"], p["ids"])
        expect(f"{q} {lo}..{hi}", run(args.bin, index, q, "--from", lo, "--to", hi), p["docs_in_range"], p["in_range_ids"])
        expect(f"title:{q}", run(args.bin, index, f"title:{q}"), p["title_docs"])
        expect(f"body:{q}", run(args.bin, index, f"body:{q}"), p["body_docs"])
    for term, n in gt["term_docs_title_or_body"].items():
        expect(term, run(args.bin, index, term), n)
    for term, n in gt["term_docs_body"].items():
        expect(f"body:{term}", run(args.bin, index, f"body:{term}"), n)
    qs = gt["queries"]
    or3 = " OR ".join(qs["d_or3"]["terms"])
    expect(or3, run(args.bin, index, or3), qs["d_or3"]["expected_docs"])
    rng = qs["e_range_only"]["range"]
    expect(f"* {rng}", run(args.bin, index, "*", "--from", rng[0], "--to", rng[1]), qs["e_range_only"]["expected_docs"])
    expect("undated", run(args.bin, index, "*", "--undated", "only"), gt["undated_docs"])
    expect("all", run(args.bin, index, "*"), gt["n_docs"])

    # Coverage over time (needs docs.jsonl): per-month counts of each planted
    # phrase, zero-filled, undated apart, shares to 4 digits.
    docs_path = os.path.join(args.corpus, "docs.jsonl")
    if os.path.exists(docs_path):
        day = {}
        for line in open(docs_path, encoding="utf-8"):
            d = json.loads(line)
            day[d["id"]] = d.get("day")
        months_total = {}
        for d in day.values():
            if d:
                months_total[d[:7]] = months_total.get(d[:7], 0) + 1
        lo_m, hi_m = min(months_total), max(months_total)
        axis = []
        y, m = int(lo_m[:4]), int(lo_m[5:])
        while f"{y:04d}-{m:02d}" <= hi_m:
            axis.append(f"{y:04d}-{m:02d}")
            y, m = (y + 1, 1) if m == 12 else (y, m + 1)
        for phrase, p in gt["phrases"].items():
            want = {}
            undated = 0
            for i in p["ids"]:
                if day.get(i):
                    want[day[i][:7]] = want.get(day[i][:7], 0) + 1
                else:
                    undated += 1
            out = subprocess.run([args.bin, "trend", "--index", index, "--by", "month", "--format", "json", f'"{phrase}"'],
                                 capture_output=True, text=True)
            series = json.loads(out.stdout)["series"][0]
            got_axis = [pt["period"] for pt in series["points"]]
            checks += 1
            bad = []
            if got_axis != axis:
                bad.append(f"axis {got_axis[:2]}..{got_axis[-2:]} != {axis[:2]}..{axis[-2:]}")
            for pt in series["points"]:
                c, t = want.get(pt["period"], 0), months_total.get(pt["period"], 0)
                if pt["count"] != c or pt["total"] != t or round(pt["share"], 4) != round(c / t if t else 0.0, 4):
                    bad.append(f"{pt['period']}: got {pt['count']}/{pt['total']} want {c}/{t}")
            if series["undated"] != undated:
                bad.append(f"undated {series['undated']} != {undated}")
            if bad:
                problems.append(f"trend \"{phrase}\": " + "; ".join(bad[:5]))

    for p in problems:
        print("MISMATCH", p)
    print(f"{checks - len(problems)} passed, {len(problems)} failed")
    sys.exit(1 if problems else 0)


if __name__ == "__main__":
    main()
