#!/usr/bin/env python3
"""Author agreement on article pages against their truth `author` field.

usage: author_score.py BIN DIR [--peer-python PY] [--min-f1 F]

DIR holds TYPE/ID.html.gz with ID.json (wcxb-dev layout); only `article`
pages are scored. Names are compared after case and accent folding; each
listed name counts ("A, B and C" is three); credentials and job titles
("MS, RD", "Ph.D.", "CEO of X", "Staff Writer") are not names. Pages with no
author in the truth count too: naming someone there is a false positive.

Reports precision, recall and F1 over names, and the share of pages whose
set of names agrees exactly. With --peer-python, trafilatura's metadata
author on the same pages is scored in the same run. With --min-f1, exits 1
when civsearch's F1 is below it (a CI floor)."""

import argparse
import json
import os
import re
import subprocess
import sys
import unicodedata

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from pages_common import extract_all, pages  # noqa: E402

# Words that make a comma-separated piece a job title, not a name.
TITLE_WORDS = {
    "ceo", "cto", "cfo", "founder", "cofounder", "co-founder", "editor", "editors",
    "writer", "writers", "reporter", "correspondent", "contributor", "columnist",
    "expert", "director", "manager", "president", "staff", "head", "lead", "senior",
    "author", "professor", "analyst", "specialist", "consultant", "officer", "chief",
    "of", "at", "for",
}
# Splits a list of names: "A, B and C", "A & B", "A; B", "A und B".
SPLIT = re.compile(r"\s*(?:,|;|&|\band\b|\bund\b|\bet\b|\by\b|\bi\b|\be\b|\bog\b|\boch\b|\ben\b)\s*", re.I)


def fold(s):
    """Lower case, accents off, punctuation to spaces."""
    s = unicodedata.normalize("NFKD", s)
    s = "".join(c for c in s if not unicodedata.combining(c)).lower()
    s = re.sub(r"[^\w\s'-]", " ", s)
    return " ".join(s.split())


def is_credential(piece):
    """'MS', 'RD', 'FAND', 'Ph.D.', 'E-RYT 200', 'MBA': letters of a degree."""
    p = piece.strip()
    letters = re.sub(r"[^A-Za-z]", "", p)
    return bool(re.search(r"\d", p)) or (letters.isupper() and len(letters) <= 5) or \
        fold(p).replace(" ", "") in {"phd", "md", "mba", "jr", "sr", "rn", "ms", "ma", "ba"}


def is_title(piece):
    words = fold(piece).split()
    return any(w in TITLE_WORDS for w in words)


def names(author):
    """The set of folded names in an author string."""
    if not author:
        return set()
    if isinstance(author, list):
        author = ", ".join(a for a in author if a)
    author = re.sub(r"^\s*(by|von|par|por|di|door|av|de|af|przez)\s+", "", author, flags=re.I)
    author = re.sub(r"(?i:\b(dr|prof|mr|mrs|ms)\.?) (?=[A-Z])", "", author)
    out = set()
    for piece in SPLIT.split(author):
        piece = piece.strip()
        if not piece or is_credential(piece) or is_title(piece):
            continue
        f = fold(piece)
        if f:
            out.add(f)
    return out


def score(gold, pred):
    tp = sum(len(g & p) for g, p in zip(gold, pred))
    n_pred = sum(len(p) for p in pred)
    n_gold = sum(len(g) for g in gold)
    prec = tp / n_pred if n_pred else 0.0
    rec = tp / n_gold if n_gold else 0.0
    f1 = 2 * prec * rec / (prec + rec) if prec + rec else 0.0
    exact = sum(g == p for g, p in zip(gold, pred)) / len(gold) if gold else 0.0
    return prec, rec, f1, exact


PEER = r"""
import json, sys, gzip
import trafilatura
for line in sys.stdin:
    path, url = line.rstrip("\n").split("\t")
    try:
        html = gzip.open(path).read().decode("utf-8", "replace")
        m = trafilatura.extract_metadata(html, default_url=url or None)
        a = m.author if m is not None else None
    except Exception:
        a = None
    print(json.dumps(a), flush=True)
"""


def peer_authors(python, items):
    lines = "".join(f"{p}\t{t.get('url') or ''}\n" for p, t in items)
    out = subprocess.run([python, "-c", PEER], input=lines, capture_output=True,
                         text=True, check=True).stdout.splitlines()
    return [json.loads(l) for l in out]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("binary")
    ap.add_argument("dir")
    ap.add_argument("--peer-python", help="a Python with trafilatura, scored beside")
    ap.add_argument("--min-f1", type=float, help="fail below this F1")
    ap.add_argument("--show", type=int, default=0, help="print this many disagreements")
    args = ap.parse_args()

    items = [(p, t) for p, t in pages(args.dir) if t.get("page_type", "article") == "article"]
    gold = [names(t.get("author")) for _, t in items]
    ours = [names(a.get("author")) for a in extract_all(args.binary, items)]
    rows = [("civsearch", ours)]
    if args.peer_python:
        rows.append(("trafilatura", [names(a) for a in peer_authors(args.peer_python, items)]))
    print(f"article pages: {len(items)}, with an author: {sum(1 for g in gold if g)}, "
          f"names: {sum(len(g) for g in gold)}")
    print(f"{'':12} {'precision':>9} {'recall':>7} {'F1':>6} {'exact pages':>11}")
    for name, pred in rows:
        p, r, f, e = score(gold, pred)
        print(f"{name:12} {p:9.3f} {r:7.3f} {f:6.3f} {e:11.3f}")
    shown = 0
    for (path, _), g, o in zip(items, gold, ours):
        if g != o and shown < args.show:
            print(f"  {os.path.basename(path)}: truth {sorted(g)} civsearch {sorted(o)}")
            shown += 1
    f1 = score(gold, ours)[2]
    return 1 if args.min_f1 is not None and f1 < args.min_f1 else 0


if __name__ == "__main__":
    sys.exit(main())
