#!/usr/bin/env python3
"""CPU time per page of a Python extractor, measured the way benches/extract.rs
measures civsearch: every page loaded first, then ROUNDS passes over all pages
on one thread, a page's figure is its best round (process CPU time).

    VENV/bin/python benches/extract_peer.py trafilatura DIR [--rounds N]

Peers: trafilatura (include_comments=False, as the scrapinghub benchmark
runner calls it) and resiliparse (main_content=True). Prints one JSON object.
The pages are decoded to str before timing, as the benchmark runners do.
"""
import argparse
import gzip
import json
import os
import sys
import time


def extractor(name):
    if name == "trafilatura":
        import trafilatura

        return lambda html: trafilatura.extract(html, include_comments=False) or ""
    if name == "resiliparse":
        from resiliparse.extract.html2text import extract_plain_text
        from resiliparse.parse.html import HTMLTree

        return lambda html: extract_plain_text(HTMLTree.parse(html), main_content=True)
    sys.exit(f"unknown peer {name}")


def load(folder):
    pages = []
    for name in sorted(os.listdir(folder)):
        path = os.path.join(folder, name)
        if name.endswith(".html.gz"):
            with gzip.open(path) as f:
                pages.append(f.read().decode("utf-8", "replace"))
        elif name.endswith(".html"):
            with open(path, "rb") as f:
                pages.append(f.read().decode("utf-8", "replace"))
    return pages


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("peer")
    ap.add_argument("dir")
    ap.add_argument("--rounds", type=int, default=3)
    a = ap.parse_args()
    fn = extractor(a.peer)
    pages = load(a.dir)
    fn(pages[0])  # lazy imports and caches are not charged to the first page
    best = [float("inf")] * len(pages)
    failures = 0
    for r in range(a.rounds):
        for i, html in enumerate(pages):
            t0 = time.process_time()
            try:
                fn(html)
            except Exception:
                if r == 0:
                    failures += 1
            best[i] = min(best[i], time.process_time() - t0)
    ms = sorted(t * 1e3 for t in best)
    pick = lambda q: ms[round((len(ms) - 1) * q)]
    print(json.dumps({"extractor": a.peer, "pages": len(ms), "rounds": a.rounds, "failures": failures,
                      "cpu_ms_median": round(pick(0.5), 4), "cpu_ms_p90": round(pick(0.9), 4),
                      "cpu_ms_p99": round(pick(0.99), 4), "cpu_ms_max": round(ms[-1], 4),
                      "cpu_ms_mean": round(sum(ms) / len(ms), 4)}))


if __name__ == "__main__":
    main()
