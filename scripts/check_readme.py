#!/usr/bin/env python3
"""Run the README's shell examples that are marked as runnable, so the README
never shows a command that does not work.

    python3 scripts/check_readme.py --bin target/release/civsearch [--readme README.md]

A fenced block is run when the line before its opening fence is
`<!-- check: run -->` (or `<!-- check: run, server -->` for blocks that talk to
`civsearch serve`). Each block runs in one temporary folder holding a link to
`corpus/`, with `civsearch` on PATH and CIVSEARCH_INDEX pointing at an index of
the sample corpus. `./target/release/civsearch` is replaced by --bin, and a
leading `cargo build --release &&` is dropped (the caller has built --bin).
Server blocks get a server on a free loopback port, written in place of 7700;
every `curl` there must answer JSON. Exit status 0 when every block passed.
"""

import argparse
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time

MARK = re.compile(r"^<!--\s*check:\s*run(,\s*server)?\s*-->\s*$")


def runnable_blocks(readme):
    lines = open(readme, encoding="utf-8").read().splitlines()
    blocks, i = [], 0
    while i < len(lines):
        m = MARK.match(lines[i])
        if m and i + 1 < len(lines) and lines[i + 1].startswith("```"):
            j = i + 2
            body = []
            while j < len(lines) and not lines[j].startswith("```"):
                body.append(lines[j])
                j += 1
            blocks.append({"line": i + 2, "server": bool(m.group(1)), "lines": body})
            i = j
        i += 1
    return blocks


def commands(block_lines):
    """Shell commands of a block, `\\` lines joined, each with the JSON answer a
    comment line right after it shows (`# {"error": ...}`), if any."""
    out, cur = [], ""
    for line in block_lines:
        if not cur and line.lstrip().startswith("#"):
            shown = line.lstrip()[1:].strip()
            if out and shown.startswith("{"):
                out[-1] = (out[-1][0], shown)
            continue
        cur += line
        if cur.endswith("\\"):
            cur = cur[:-1] + " "
            continue
        if cur.strip():
            out.append((cur.strip(), None))
        cur = ""
    return out


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(bin_path, index, port):
    proc = subprocess.Popen(
        [bin_path, "serve", "--index", index, "--addr", f"127.0.0.1:{port}"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    for _ in range(100):
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return proc
        except OSError:
            time.sleep(0.1)
    proc.kill()
    raise SystemExit("civsearch serve did not start")


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--bin", required=True)
    ap.add_argument("--readme", default="README.md")
    args = ap.parse_args()
    repo = os.path.dirname(os.path.abspath(args.readme))
    bin_path = os.path.abspath(args.bin)
    blocks = runnable_blocks(args.readme)
    if not blocks:
        raise SystemExit("no block of the README is marked <!-- check: run -->")

    work = tempfile.mkdtemp(prefix="civsearch-readme-")
    failures = 0
    try:
        # One folder for every block, holding `corpus` as a link: the index is
        # built from that same path, so a block that indexes `corpus/` again
        # meets its own files (a copy under another path would be refused as a
        # clash of ids, as it should be).
        cwd = os.path.join(work, "run")
        os.mkdir(cwd)
        os.symlink(os.path.join(repo, "corpus"), os.path.join(cwd, "corpus"))
        index = os.path.join(work, "index")
        subprocess.run(
            [bin_path, "index", "--quiet", "--index", index, "corpus"],
            check=True,
            cwd=cwd,
            stdout=subprocess.DEVNULL,
        )
        env = dict(os.environ)
        # `civsearch` on PATH is --bin, whatever its file is called.
        bin_dir = os.path.join(work, "bin")
        os.mkdir(bin_dir)
        os.symlink(bin_path, os.path.join(bin_dir, "civsearch"))
        env["PATH"] = bin_dir + os.pathsep + env.get("PATH", "")
        env["CIVSEARCH_INDEX"] = index
        for block in blocks:
            server, port = None, None
            if block["server"]:
                port = free_port()
                server = start_server(bin_path, index, port)
            try:
                for cmd, shown in commands(block["lines"]):
                    cmd = cmd.replace("./target/release/civsearch", bin_path)
                    cmd = re.sub(r"^cargo build --release &&\s*", "", cmd)
                    if port:
                        cmd = cmd.replace("127.0.0.1:7700", f"127.0.0.1:{port}")
                    ok, why = run(cmd, cwd, env, shown)
                    status = "ok" if ok else f"FAILED: {why}"
                    print(f"README line {block['line']}: {cmd[:90]} ... {status}")
                    failures += not ok
            finally:
                if server:
                    server.kill()
                    server.wait()
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print(f"{len(blocks)} runnable README blocks, {failures} failed")
    sys.exit(1 if failures else 0)


def run(cmd, cwd, env, shown):
    p = subprocess.run(
        ["bash", "-o", "pipefail", "-c", cmd],
        cwd=cwd,
        env=env,
        capture_output=True,
        timeout=120,
    )
    if p.returncode != 0:
        return False, f"exit {p.returncode}: {p.stderr.decode(errors='replace')[:300]}"
    if cmd.startswith("curl"):
        try:
            answer = json.loads(p.stdout)
        except ValueError:
            return False, f"not JSON: {p.stdout[:200]!r}"
        if shown is None and "error" in answer:
            return False, f"an error answer: {answer}"
        if shown is not None:
            # The README shows an answer: it must have the same keys, and the
            # same error parameter when it is an error.
            want = json.loads(shown.replace("...", ""))
            if set(want) != set(answer) or want.get("parameter") != answer.get("parameter"):
                return False, f"answer {answer} does not match the README's {shown}"
    return True, ""


if __name__ == "__main__":
    main()
