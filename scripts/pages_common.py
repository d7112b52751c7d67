"""Shared by the outlet and author scripts: find dev pages with their URL and
truth, run `civsearch extract --lines --format json` over them in one process."""

import glob
import json
import os
import subprocess
from urllib.parse import urlparse

# Second-level labels under which a registered domain takes three labels
# (bbc.co.uk, abc.net.au); enough for a report, not a public-suffix list.
SECOND_LEVEL = {"co", "com", "org", "net", "gov", "ac", "edu", "ne", "or", "go", "gv"}


def registered_domain(url):
    """'https://www.bbc.co.uk/news/x' -> 'bbc.co.uk'; None without a host."""
    host = (urlparse(url or "").hostname or "").lower().rstrip(".")
    if not host:
        return None
    labels = host.split(".")
    if len(labels) >= 3 and len(labels[-1]) == 2 and labels[-2] in SECOND_LEVEL:
        return ".".join(labels[-3:])
    return ".".join(labels[-2:])


def pages(folder):
    """(html path, truth dict) for each page of a dev folder: `X.html.gz` files
    with an `X.json` beside them (the fullest truth), else the files a
    `truth.jsonl` names."""
    found = False
    for html in sorted(glob.glob(os.path.join(folder, "**", "*.html.gz"), recursive=True)):
        meta = html[: -len(".html.gz")] + ".json"
        if os.path.exists(meta):
            found = True
            with open(meta, encoding="utf-8") as f:
                yield html, json.load(f)
    truth = os.path.join(folder, "truth.jsonl")
    if not found and os.path.exists(truth):
        with open(truth, encoding="utf-8") as f:
            for line in f:
                t = json.loads(line)
                yield os.path.join(folder, t["file"]), t


def extract_all(binary, items):
    """civsearch's JSON answer for each (path, truth) item, in order ({} when
    the page could not be extracted)."""
    lines = "".join(f"{path}\t{t.get('url') or ''}\n" for path, t in items)
    out = subprocess.run(
        [binary, "extract", "--lines", "--format", "json"],
        input=lines,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.splitlines()
    return [json.loads(l) if l.strip() else {} for l in out]
