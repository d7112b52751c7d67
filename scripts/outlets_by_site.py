#!/usr/bin/env python3
"""Outlet names per site on folders of real pages: each site (the registered
domain of the page URL in the truth) should carry one name.

usage: outlets_by_site.py BIN DIR... [--min-sites N] [--max-multi N] [--show-all]

Prints the table's size, every site with more than one outlet name, and
outlets that look like URLs, handles or a page's headline. With --max-multi,
exits 1 when more sites than that have several names (a CI floor)."""

import argparse
import collections
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from pages_common import extract_all, pages, registered_domain  # noqa: E402


def suspicious(outlet, title):
    """An outlet that is a URL, a handle or the headline is wrong whatever the
    site. A short name equal to the title is a home page titled with its
    site's name, not a headline."""
    o = outlet.strip()
    return (
        "://" in o
        or o.startswith("www.")
        or o.startswith("@")
        or o.endswith("/")
        or (title and len(o.split()) >= 5 and o.lower() == title.strip().lower())
    )


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("binary")
    ap.add_argument("dirs", nargs="+")
    ap.add_argument("--max-multi", type=int, help="fail above this many multi-name sites")
    ap.add_argument("--max-suspicious", type=int, help="fail above this many URL/handle/headline outlets")
    ap.add_argument("--show-all", action="store_true", help="print the whole table")
    args = ap.parse_args()

    items = [it for d in args.dirs for it in pages(d)]
    answers = extract_all(args.binary, items)
    by_site = collections.defaultdict(collections.Counter)
    bad = []
    for (path, truth), a in zip(items, answers):
        site = registered_domain(truth.get("url"))
        if not site:
            continue
        outlet = a.get("outlet") or "(none)"
        by_site[site][outlet] += 1
        if suspicious(outlet, a.get("title")):
            bad.append((site, outlet, path))

    multi = {s: c for s, c in by_site.items() if len(c) > 1}
    print(f"pages: {len(items)}, sites: {len(by_site)}, outlet names: "
          f"{sum(len(c) for c in by_site.values())}, sites with more than one name: {len(multi)}")
    for site in sorted(multi):
        names = "; ".join(f"{n} ({k})" for n, k in multi[site].most_common())
        print(f"  {site}: {names}")
    print(f"outlets that are a URL, a handle or the headline: {len(bad)}")
    for site, outlet, path in bad:
        print(f"  {site}: {outlet!r}  {os.path.basename(path)}")
    if args.show_all:
        for site in sorted(by_site):
            print(f"{site}\t" + "; ".join(f"{n} ({k})" for n, k in by_site[site].most_common()))
    failed = (args.max_multi is not None and len(multi) > args.max_multi) or (
        args.max_suspicious is not None and len(bad) > args.max_suspicious
    )
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
