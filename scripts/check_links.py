#!/usr/bin/env python3
"""Regression guard for outbound links, `link:` search and Markdown output.

Extracts every page of a folder (``*.html`` / ``*.html.gz``) in one
``civsearch extract --format jsonl`` call and checks:

* invariants of every link: absolute http(s), each URL once per page, and an
  anchor text that the body contains (links of dropped blocks are not kept);
* floors: pages with at least one body link, links in all;
* exact counts: the folder indexed, ``link:DOMAIN`` finds exactly the pages
  whose extracted links have that domain or a subdomain of it, for the most
  linked domains and their parent domains;
* ``--format markdown`` gives text for every page whose body is not empty.

Usage: check_links.py --bin BIN --pages DIR [--min-pages N] [--min-links N]
"""

import argparse
import json
import subprocess
import sys
import tempfile
from collections import Counter
from pathlib import Path
from urllib.parse import urlsplit


def fail(msg):
    print(f"check_links: FAIL: {msg}")
    sys.exit(1)


def extract_all(bin_, pages):
    out = subprocess.run(
        [bin_, "extract", "--format", "jsonl", *map(str, pages)],
        capture_output=True, text=True, check=False)
    if out.returncode not in (0, 2):
        fail(f"extract exited {out.returncode}: {out.stderr[:500]}")
    return [json.loads(line) for line in out.stdout.splitlines()]


def domains_of(host):
    """The host and each parent domain, as the index's `link` terms."""
    host = host.lower().rstrip(".")
    labels = host.split(".")
    return {".".join(labels[i:]) for i in range(len(labels))}


def check_invariants(records):
    for r in records:
        if "error" in r:
            continue
        seen = set()
        for link in r["links"]:
            u = link["url"]
            parts = urlsplit(u)
            if parts.scheme not in ("http", "https") or not parts.hostname:
                fail(f"{r['path']}: link {u!r} is not absolute http(s)")
            if u in seen:
                fail(f"{r['path']}: link {u!r} twice")
            seen.add(u)
            if not link["text"] or link["text"] not in r["body"]:
                fail(f"{r['path']}: link text {link['text']!r} is not in the body")


def query_total(bin_, index, q):
    out = subprocess.run(
        [bin_, "query", "--index", str(index), "--format", "json", "--limit", "0", q],
        capture_output=True, text=True, check=False)
    if out.returncode > 1:
        fail(f"query {q!r}: {out.stderr[:300]}")
    return json.loads(out.stdout)["total"]


def check_link_counts(bin_, folder, records, n_domains=8):
    # The index holds one document per id (the canonical URL, else the path):
    # pages that share a canonical URL are one article, whichever was indexed
    # last. A domain counts surely when every page of the id links to it, and
    # at most when one does.
    by_id = {}
    for r in records:
        if "error" in r:
            continue
        doms = set()
        for link in r["links"]:
            doms |= domains_of(urlsplit(link["url"]).hostname or "")
        by_id.setdefault(r["url"] or r["path"], []).append(doms)
    per_domain, at_most = Counter(), Counter()
    for pages in by_id.values():
        per_domain.update(set.intersection(*pages))
        at_most.update(set.union(*pages))
    # The most linked multi-label domains (a TLD alone is checked too, below).
    wanted = [d for d, _ in per_domain.most_common() if "." in d][:n_domains]
    wanted += [d for d, _ in per_domain.most_common() if "." not in d][:2]
    with tempfile.TemporaryDirectory() as tmp:
        index = Path(tmp) / "ix"
        run = subprocess.run([bin_, "index", "--quiet", "--index", str(index), str(folder)],
                             capture_output=True, text=True, check=False)
        if run.returncode not in (0, 3):
            fail(f"index exited {run.returncode}: {run.stderr[:500]}")
        for d in wanted:
            got = query_total(bin_, index, f"link:{d}")
            if not per_domain[d] <= got <= at_most[d]:
                fail(f"link:{d} finds {got} articles, the extracted links say "
                     f"{per_domain[d]} to {at_most[d]}")
            print(f"  link:{d:<32} {got:>5} articles (expected {per_domain[d]}-{at_most[d]})")
    return wanted


def check_markdown(bin_, records):
    empty = []
    for r in records:
        if "error" in r or not r["body"].strip():
            continue
        out = subprocess.run([bin_, "extract", "--format", "markdown", r["path"]],
                             capture_output=True, text=True, check=False)
        if out.returncode != 0 or not out.stdout.strip():
            empty.append(r["path"])
    if empty:
        fail(f"{len(empty)} pages with a body give no Markdown, e.g. {empty[:3]}")


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--bin", required=True)
    ap.add_argument("--pages", required=True, help="folder of .html / .html.gz pages")
    ap.add_argument("--min-pages", type=int, default=0,
                    help="floor: pages with at least one body link")
    ap.add_argument("--min-links", type=int, default=0, help="floor: body links in all")
    args = ap.parse_args()
    folder = Path(args.pages)
    pages = sorted(p for p in folder.iterdir()
                   if p.name.endswith(".html") or p.name.endswith(".html.gz"))
    if not pages:
        fail(f"no .html or .html.gz pages in {folder}")
    records = extract_all(args.bin, pages)
    if len(records) != len(pages):
        fail(f"{len(pages)} pages but {len(records)} JSON lines")
    check_invariants(records)
    with_links = sum(1 for r in records if r.get("links"))
    n_links = sum(len(r.get("links", [])) for r in records)
    print(f"  {len(pages)} pages, {with_links} with body links, {n_links} links")
    if with_links < args.min_pages:
        fail(f"{with_links} pages with links, floor {args.min_pages}")
    if n_links < args.min_links:
        fail(f"{n_links} links, floor {args.min_links}")
    check_link_counts(args.bin, folder, records)
    check_markdown(args.bin, records)
    print("check_links: ok")


if __name__ == "__main__":
    main()
