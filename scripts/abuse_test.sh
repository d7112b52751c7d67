#!/usr/bin/env bash
# Abuse run: index a generated folder of hostile inputs under /usr/bin/time -v
# and fail when peak memory or time go over their limits, when the run
# crashes, or when a hostile input leaks into the output.
#
# The folder holds the pages of a normal run (indexed alone first, for the
# baseline memory) plus, twice each so that every extraction thread can hold
# one at a time: decompression bombs of every container kind (a gzipped page,
# a zip entry, a tar.gz entry, a WARC.gz record, a WARC HTTP content
# encoding, a JSON-lines.gz line), each inflating to BOMB_MIB from a few
# KiB; and hostile pages: control characters and escape sequences, 100,000-deep
# nesting, a huge single-line page, a 1 MB body without a sentence break,
# the same file names in two folders.
#
# Usage: scripts/abuse_test.sh BIN
# Env: PAGES (normal pages, default 400), BOMB_MIB (default 1024),
#      MAX_EXTRA_RSS_MIB (peak memory over the normal run, default 300),
#      MAX_SECONDS (the abuse run's wall time, default 120),
#      MAX_QUERY_SECONDS (passages of every hit, default 30).
set -euo pipefail
BIN=$(realpath "${1:?usage: scripts/abuse_test.sh BIN}")
PAGES=${PAGES:-400}
BOMB_MIB=${BOMB_MIB:-1024}
MAX_EXTRA_RSS_MIB=${MAX_EXTRA_RSS_MIB:-300}
MAX_SECONDS=${MAX_SECONDS:-120}
MAX_QUERY_SECONDS=${MAX_QUERY_SECONDS:-30}
WORK=$(mktemp -d)
trap '[ -n "${KEEP_WORK:-}" ] || rm -rf "$WORK"' EXIT
fail() { echo "abuse test FAILED: $*" >&2; exit 1; }

python3 - "$WORK" "$PAGES" "$BOMB_MIB" <<'EOF'
import gzip, io, os, struct, sys, tarfile, zipfile, zlib

work, pages, bomb_mib = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
normal = os.path.join(work, "normal")
abuse = os.path.join(work, "abuse")
words = "council budget harbor zoning ferry library school transit park water".split()

def page(i):
    w = [words[(i * 7 + k) % len(words)] for k in range(40)]
    body = "".join(f"<p>{' '.join(w[k:k + 10]).capitalize()} on day {i}.</p>" for k in range(0, 40, 10))
    return (f"<!DOCTYPE html><html><head><title>Story {i}</title></head><body>"
            f"<nav><a href='/'>Home</a></nav><article><h1>Story {i}</h1>{body}</article></body></html>")

def write(path, data):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "wb") as f:
        f.write(data if isinstance(data, bytes) else data.encode())

for d in (normal, abuse):
    for i in range(pages):
        write(os.path.join(d, "pages", f"{i:05d}.html"), page(i))

# A raw deflate stream of `mib` MiB of zeros from a few KiB: one sync-flushed
# block of 1 MiB repeated (each copy refers only to itself), then a final
# empty block.
one = bytes(1 << 20)
c = zlib.compressobj(9, zlib.DEFLATED, -15)
block = c.compress(one) + c.flush(zlib.Z_SYNC_FLUSH)
deflate = block * bomb_mib + b"\x03\x00"
crc = 0
for _ in range(bomb_mib):
    crc = zlib.crc32(one, crc)
size = (bomb_mib << 20) & 0xFFFFFFFF
gz_zeros = b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\xff" + deflate + struct.pack("<II", crc, size)

def zip_bomb(name):
    n = name.encode()
    local = struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, 0, 8, 0, 0, crc, len(deflate), size, len(n), 0) + n
    central = struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, 20, 20, 0, 8, 0, 0, crc, len(deflate),
                          size, len(n), 0, 0, 0, 0, 0, 0) + n
    end = struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, 1, 1, len(central), len(local) + len(deflate), 0)
    return local + deflate + central + end

def tar_header(name, length):
    info = tarfile.TarInfo(name)
    info.size = length
    return info.tobuf(format=tarfile.GNU_FORMAT)

def warc(uri, block, kind="response", ctype="application/http; msgtype=response"):
    head = (f"WARC/1.1\r\nWARC-Type: {kind}\r\nWARC-Target-URI: {uri}\r\n"
            f"WARC-Record-ID: <urn:uuid:{abs(hash(uri))}>\r\nContent-Type: {ctype}\r\n"
            f"Content-Length: {len(block)}\r\n\r\n").encode()
    return head + block + b"\r\n\r\n"

def http(body, *headers):
    return ("HTTP/1.1 200 OK\r\n" + "".join(h + "\r\n" for h in headers) + "\r\n").encode() + body

for copy in (1, 2):
    b = os.path.join(abuse, "bombs", str(copy))
    write(os.path.join(b, "page.html.gz"), gz_zeros)
    write(os.path.join(b, "pages.zip"), zip_bomb("big.html"))
    write(os.path.join(b, "pages.tar.gz"), gzip.compress(tar_header("big.html", bomb_mib << 20)) + gz_zeros)
    record_head = (f"WARC/1.1\r\nWARC-Type: resource\r\nWARC-Target-URI: https://bomb.example/{copy}\r\n"
                   f"Content-Type: text/html\r\nContent-Length: {bomb_mib << 20}\r\n\r\n").encode()
    write(os.path.join(b, "crawl.warc.gz"),
          gzip.compress(record_head) + gz_zeros + gzip.compress(b"\r\n\r\n")
          + gzip.compress(warc(f"https://ok.example/{copy}", http(page(90000 + copy).encode(), "Content-Type: text/html"))))
    write(os.path.join(b, "encoded.warc"),
          warc(f"https://enc.example/{copy}", http(gz_zeros, "Content-Type: text/html", "Content-Encoding: gzip")))
    write(os.path.join(b, "lines.jsonl.gz"), gz_zeros)

h = os.path.join(abuse, "hostile")
write(os.path.join(h, "controls.html"),
      "<html><head><title>=HYPERLINK(\"x\") Screen &#27;[2J&#27;]0;OWNED&#7;</title></head><body><article>"
      "<p>The abusetoken council budget &#27;[2J&#27;[H vote &#x9b;31m was \x1b]8;;https://evil.example\x07here\x1b]8;;\x07 close.</p>"
      "<p>Residents said the abusetoken budget deserved more attention this year.</p></article></body></html>")
write(os.path.join(h, "deep.html"),
      "<html><body>" + "<div>" * 100000 + "<p>The deep page still has abusetoken text at the bottom.</p>" + "</div>" * 100000 + "</body></html>")
write(os.path.join(h, "one-line.html"),
      "<html><body><p>" + "abusetoken council vote " * 1_000_000 + "</p></body></html>")
write(os.path.join(h, "sentence-free.html"),
      "<html><body><article><p>" + "council budget abusetoken vote residents " * 25_000 + "</p></article></body></html>")
write(os.path.join(h, "javascript.html"),
      "<html><head><title>Script link</title><link rel='canonical' href='javascript:alert(1)'></head>"
      "<body><article><p>The abusetoken council met on Tuesday to talk about the budget again.</p></article></body></html>")
for folder in ("a", "b"):
    write(os.path.join(abuse, "same", folder, "story.html"), page(80000 + ord(folder)))
EOF

# Peak RSS (KiB) and wall seconds of one index run; exit codes 0 and 3
# (some inputs reported) are a finished run, anything else a crash.
measure() {
  local name=$1 dir=$2 code=0
  /usr/bin/time -v "$BIN" index --quiet --index "$WORK/ix-$name" --report "$WORK/$name.json" "$dir" \
    > "$WORK/$name.out" 2> "$WORK/$name.time" || code=$?
  if [ "$code" != 0 ] && [ "$code" != 3 ]; then
    cat "$WORK/$name.out" "$WORK/$name.time" >&2
    fail "$name run exited $code"
  fi
  local rss secs
  rss=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$WORK/$name.time")
  secs=$(awk -F': ' '/Elapsed \(wall clock\)/ {print $2}' "$WORK/$name.time" |
    awk -F: '{ s = 0; for (i = 1; i <= NF; i++) s = s * 60 + $i; print s }')
  echo "$rss $secs"
}

read -r NORMAL_RSS NORMAL_SECS < <(measure normal "$WORK/normal")
read -r ABUSE_RSS ABUSE_SECS < <(measure abuse "$WORK/abuse")
EXTRA_MIB=$(( (ABUSE_RSS - NORMAL_RSS) / 1024 ))
echo "normal run: peak RSS $((NORMAL_RSS / 1024)) MiB, ${NORMAL_SECS}s; abuse run: peak RSS $((ABUSE_RSS / 1024)) MiB (+${EXTRA_MIB} MiB), ${ABUSE_SECS}s"
[ "$EXTRA_MIB" -le "$MAX_EXTRA_RSS_MIB" ] ||
  fail "peak RSS ${EXTRA_MIB} MiB above the normal run, limit ${MAX_EXTRA_RSS_MIB} MiB"
awk -v s="$ABUSE_SECS" -v m="$MAX_SECONDS" 'BEGIN { exit !(s <= m) }' ||
  fail "abuse run took ${ABUSE_SECS}s, limit ${MAX_SECONDS}s"

python3 - "$WORK/abuse.json" "$PAGES" <<'EOF'
import json, sys
r = json.load(open(sys.argv[1]))
pages = int(sys.argv[2])
# Every normal page, both same-named stories, the good WARC records, and the
# hostile pages that are articles are indexed; every bomb is reported.
want = pages + 2 + 2 + 5
docs = r["documents_in_index"]
if docs != want:
    sys.exit(f"abuse test FAILED: {docs} documents, expected {want}; report: {json.dumps(r)[:2000]}")
bombs = [f for f in r["failed"] if "/bombs/" in f["path"]]
files = {f["path"].split("/bombs/")[1] for f in bombs}
kinds = {"page.html.gz", "pages.zip", "pages.tar.gz", "crawl.warc.gz", "encoded.warc", "lines.jsonl.gz"}
missing = {f"{c}/{k}" for c in (1, 2) for k in kinds} - files
if missing:
    sys.exit(f"abuse test FAILED: bombs not reported: {sorted(missing)}")
if r["clashes"]:
    sys.exit(f"abuse test FAILED: unexpected id clashes: {r['clashes']}")
EOF

# Passages of every hit, the 1 MB sentence-free body and the huge one-line
# page among them, in bounded time; nothing a terminal would obey.
START=$(date +%s.%N)
"$BIN" query --index "$WORK/ix-abuse" abusetoken --all --format csv > "$WORK/passages.csv"
"$BIN" query --index "$WORK/ix-abuse" abusetoken --passages > "$WORK/query.txt"
QUERY_SECS=$(echo "$(date +%s.%N) - $START" | bc)
echo "passages of every hit: ${QUERY_SECS}s"
awk -v s="$QUERY_SECS" -v m="$MAX_QUERY_SECONDS" 'BEGIN { exit !(s <= m) }' ||
  fail "passages took ${QUERY_SECS}s, limit ${MAX_QUERY_SECONDS}s"
if LC_ALL=C grep -q $'[\x01-\x08\x0b\x0c\x0e-\x1f\x7f]' "$WORK/query.txt" "$WORK/passages.csv"; then
  fail "control characters in query output"
fi
grep -q "'=HYPERLINK" "$WORK/passages.csv" || fail "a formula cell was not neutralised"
echo "abuse test passed"
