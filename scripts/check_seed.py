#!/usr/bin/env python3
"""Regression guard on the real plain-text seed article (../shared/data/seed):
headline, caption and skip link gone, first paragraph first, date from the
weekday reference, and the phrase searches that a reporter would run.

Usage: check_seed.py --bin target/release/civsearch --seed FILE
"""
import argparse
import json
import subprocess
import sys
import tempfile


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bin", required=True)
    ap.add_argument("--seed", required=True)
    a = ap.parse_args()
    ex = json.loads(subprocess.run([a.bin, "extract", "--format", "json", a.seed], capture_output=True, text=True, check=True).stdout)
    lines = [l.strip() for l in open(a.seed, encoding="utf-8") if l.strip()]
    headline, caption, first_para = lines[1], lines[2], lines[3]
    checks = [
        ("title is the headline", ex["title"] == headline),
        ("caption with credit not in body", caption not in ex["body"] and "Photo:" not in ex["body"]),
        ("body starts with the first paragraph", ex["body"].startswith(first_para[:60])),
        ("skip link not in body", "skip to content" not in ex["body"].lower()),
        ("date from 'Tuesday January 16'", ex["date"] == "2018-01-16"),
    ]
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run([a.bin, "index", "--quiet", "--index", tmp + "/ix", a.seed], check=True, capture_output=True)
        def total(q):
            out = subprocess.run([a.bin, "query", "--index", tmp + "/ix", "--format", "json", q], capture_output=True, text=True)
            return json.loads(out.stdout)["total"]
        checks += [
            ('"skip to content" does not match', total('"skip to content"') == 0),
            ('"sanctuary city" matches', total('"sanctuary city"') == 1),
            ('"East Bay Express" (caption credit) does not match', total('"east bay express"') == 0),
        ]
    failed = [name for name, ok in checks if not ok]
    for name, ok in checks:
        print(("ok   " if ok else "FAIL ") + name)
    print(f"{len(checks) - len(failed)} passed, {len(failed)} failed")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
