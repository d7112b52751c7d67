#!/usr/bin/env python3
"""Regression guard on the public quality metrics of ../shared/tools:
article-body F1 on extract-dev and on the article pages of wcxb-dev (with the
count of empty bodies there), and publication-date accuracy / false-date rate on
dates-dev and on the article pages of wcxb-dev. Fails when a figure falls below
the floor we have reached.

Usage: check_scores.py --bin target/release/civsearch --shared ../shared
"""
import argparse
import json
import os
import subprocess
import sys
import tempfile

# Floors: the figures reached so far (README "Quality", docs/benchmarks.md); raise them as they improve.
MIN_EXTRACT_F1 = 0.978
MIN_DATE_ACC = 0.94
MAX_DATE_FALSE = 0.0288
# wcxb-dev article pages (2025 pages of 1,300 sites; labels drafted by an LLM,
# reviewed by people).
MIN_WCXB_DATE_ACC = 0.805
MAX_WCXB_DATE_FALSE = 0.1764
# wcxb-dev article pages (today's web): F1 and pages that come out empty.
MIN_WCXB_ARTICLE_F1 = 0.9455
MAX_WCXB_ARTICLE_EMPTY = 1


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bin", required=True)
    ap.add_argument("--shared", required=True)
    a = ap.parse_args()
    tools, data = os.path.join(a.shared, "tools"), os.path.join(a.shared, "data")
    failures = []
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run([sys.executable, os.path.join(tools, "extract", "score.py"), "--data", os.path.join(data, "extract-dev"),
                        "--cmd", f"civsearch={a.bin} extract --format text {{html}}", "--quiet", "--out", tmp + "/ex"],
                       check=True, stdout=subprocess.DEVNULL)
        ex = json.load(open(tmp + "/ex/summary.json"))[0]
        print(f"extract-dev: F1 {ex['f1']:.4f} (P {ex['precision']:.4f}, R {ex['recall']:.4f}), {ex['cpu_ms_per_page']:.1f} CPU ms/page incl. process start; floor {MIN_EXTRACT_F1}")
        if ex["f1"] < MIN_EXTRACT_F1:
            failures.append(f"extract F1 {ex['f1']:.4f} < {MIN_EXTRACT_F1}")
        subprocess.run([sys.executable, os.path.join(tools, "extract", "score.py"), "--data", os.path.join(data, "wcxb-dev", "article"),
                        "--cmd", f"civsearch={a.bin} extract --format text --url {{url}} {{html}}", "--jobs", "2", "--quiet", "--out", tmp + "/wcxb"],
                       check=True, stdout=subprocess.DEVNULL)
        wc = json.load(open(tmp + "/wcxb/summary.json"))[0]
        empty = wc["empty_ok"] + wc["failed"] + wc["timed_out"]
        print(f"wcxb-dev article: F1 {wc['f1']:.4f} (P {wc['precision']:.4f}, R {wc['recall']:.4f}), {empty} empty of {wc['pages']}; floors {MIN_WCXB_ARTICLE_F1} / {MAX_WCXB_ARTICLE_EMPTY}")
        if wc["f1"] < MIN_WCXB_ARTICLE_F1:
            failures.append(f"wcxb-dev article F1 {wc['f1']:.4f} < {MIN_WCXB_ARTICLE_F1}")
        if empty > MAX_WCXB_ARTICLE_EMPTY:
            failures.append(f"wcxb-dev article empty bodies {empty} > {MAX_WCXB_ARTICLE_EMPTY}")
        subprocess.run([sys.executable, os.path.join(tools, "dates", "score.py"), "run", "--data", os.path.join(data, "dates-dev"),
                        "--mode", "lines", "--cmd", f"{a.bin} extract --lines --format date", "--out", tmp + "/dates.json"],
                       check=True, stdout=subprocess.DEVNULL)
        d = json.load(open(tmp + "/dates.json"))["summary"]
        print(f"dates-dev: exact {d['acc']:.4f}, within 1 day {d['acc_pm1']:.4f}, false-date rate {d['false_rate']:.4f}; floors {MIN_DATE_ACC} / {MAX_DATE_FALSE}")
        if d["acc"] < MIN_DATE_ACC:
            failures.append(f"date accuracy {d['acc']:.4f} < {MIN_DATE_ACC}")
        if d["false_rate"] > MAX_DATE_FALSE:
            failures.append(f"false-date rate {d['false_rate']:.4f} > {MAX_DATE_FALSE}")
        subprocess.run([sys.executable, os.path.join(tools, "dates", "score.py"), "run", "--data", os.path.join(data, "wcxb-dev"),
                        "--where", "page_type=article", "--mode", "lines", "--cmd", f"{a.bin} extract --lines --format date",
                        "--out", tmp + "/wcxb.json"],
                       check=True, stdout=subprocess.DEVNULL)
        w = json.load(open(tmp + "/wcxb.json"))["summary"]
        print(f"wcxb-dev articles: exact {w['acc']:.4f}, false-date rate {w['false_rate']:.4f}; floors {MIN_WCXB_DATE_ACC} / {MAX_WCXB_DATE_FALSE}")
        if w["acc"] < MIN_WCXB_DATE_ACC:
            failures.append(f"wcxb-dev article date accuracy {w['acc']:.4f} < {MIN_WCXB_DATE_ACC}")
        if w["false_rate"] > MAX_WCXB_DATE_FALSE:
            failures.append(f"wcxb-dev article false-date rate {w['false_rate']:.4f} > {MAX_WCXB_DATE_FALSE}")
    for f in failures:
        print("FAIL", f)
    print(f"{5 - len(failures)} passed, {len(failures)} failed")
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
