"""Attacks on `ls-lod serve`, and how fast pages stay while /sparql is saturated.

Starts `ls-lod serve SITE` (whatever `ls_lod` the interpreter imports, so the same script
measures a checkout before and after a change), then:

1. fires each attack of issue 11 once and prints its status, time and what it did
   (a SERVICE query aimed at a fixture server on 127.0.0.1 counts the requests that reached it;
   the 100 MB POST reports the server's resident memory before and after);
2. starts 45 concurrent heavy SPARQL queries and, while they run, times the home page,
   `/oai?verb=Identify` and a document page (five requests each).

    python bench/bench_hostile.py SITE                 # SITE: a directory `ls-lod build` wrote
    python bench/bench_hostile.py SITE --heavy 45 --skip-attacks
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import http.server
import json
import os
import re
import socket
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import requests

HEAVY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def start_server(site: Path) -> tuple[subprocess.Popen[bytes], str]:
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "ls_lod", "serve", str(site), "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    for _ in range(300):
        try:
            requests.get(url + "/oai?verb=Identify", timeout=2)
            requests.get(url + "/sparql", params={"query": "ASK {}"}, timeout=120)  # workers loaded
            return process, url
        except requests.ConnectionError:
            time.sleep(0.2)
    raise SystemExit("ls-lod serve did not start")


def rss_mib(pid: int) -> float:
    """Resident memory of the server process and its children (the query workers), MiB."""
    total = 0
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            status = (entry / "status").read_text()
        except OSError:
            continue
        fields = dict(line.split(":", 1) for line in status.splitlines() if ":" in line)
        if entry.name == str(pid) or fields.get("PPid", "").strip() == str(pid):
            total += int(fields.get("VmRSS", "0 kB").split()[0])
    return total / 1024


class Counting(http.server.BaseHTTPRequestHandler):
    hits = 0

    def do_GET(self) -> None:
        Counting.hits += 1
        self.send_response(200)
        self.send_header("Content-Type", "application/sparql-results+json")
        self.end_headers()
        self.wfile.write(b'{"head":{"vars":["secret"]},"results":{"bindings":[]}}')

    do_POST = do_GET

    def log_message(self, *args: object) -> None:
        pass


def forged_token(verb: str, after: object, cursor: int = 100) -> str:
    """A token of the form ls-lod issues, checksum included (it holds no secret)."""
    body = json.dumps([1, verb, {"metadataPrefix": "oai_dc"}, after, cursor], separators=(",", ":"))
    text = base64.urlsafe_b64encode(body.encode()).decode().rstrip("=")
    return f"{text}.{hashlib.sha256(text.encode()).hexdigest()[:8]}"


def attacks(url: str, fixture: str, pid: int) -> list[tuple[str, Callable[[], str]]]:
    def get(path: str, **params: str) -> str:
        response = requests.get(url + path, params=params or None, timeout=60)
        oai_error = re.search(r'<error code="(\w+)"', response.text)
        if oai_error:  # OAI-PMH errors are 200 responses with an <error> element
            return f"{response.status_code} OAI-PMH error {oai_error.group(1)}"
        return f"{response.status_code} {response.text.strip().splitlines()[0][:90] if response.text.strip() else ''}"

    def sparql(query: str) -> str:
        return get("/sparql", query=query)

    def service() -> str:
        before = Counting.hits
        result = sparql(f"SELECT * WHERE {{ SERVICE <{fixture}/sparql> {{ ?s ?p ?o }} }}")
        return f"{result} | fixture reached {Counting.hits - before} time(s)"

    def port_probe() -> str:
        closed = f"http://127.0.0.1:{free_port()}/"
        return sparql(f"SELECT * WHERE {{ SERVICE <{closed}> {{ ?s ?p ?o }} }}")

    def big_post() -> str:
        before = rss_mib(pid)
        body = b"query=" + b"#" * (100 * 1024 * 1024)
        try:
            response = requests.post(
                url + "/sparql",
                data=body,
                headers={"Content-Type": "application/x-www-form-urlencoded"},
                timeout=120,
            )
            status = str(response.status_code)
        except requests.ConnectionError as error:
            status = f"connection closed ({type(error).__name__})"
        return f"{status} | server memory {before:.0f} -> {rss_mib(pid):.0f} MiB"

    def deep() -> str:
        query = "SELECT * WHERE { BIND(" + "+".join(["1"] * 15000) + " AS ?x) }"
        response = requests.post(
            url + "/sparql", data=query, headers={"Content-Type": "application/sparql-query"}, timeout=120
        )
        after = requests.get(url + "/sparql", params={"query": "ASK { ?s ?p ?o }"}, timeout=120)
        return f"{response.status_code} {response.text.strip()[:90]} | next ASK {after.status_code}"

    return [
        ("SERVICE to a site on 127.0.0.1 (SSRF)", service),
        ("SERVICE to a closed port (port scan)", port_probe),
        ("100 MB POST to /sparql", big_post),
        ("15,000 chained + (worker stack)", deep),
        (
            "token with a huge sort key",
            lambda: get(
                "/oai",
                verb="ListRecords",
                resumptionToken=forged_token("ListRecords", ["2026-01-01T00:00:00Z", 10**30]),
            ),
        ),
        (
            "token with a huge cursor",
            lambda: get(
                "/oai",
                verb="ListRecords",
                resumptionToken=forged_token("ListRecords", ["2026-01-01T00:00:00Z", 1], 10**30),
            ),
        ),
        ("?page=10**30 on /search", lambda: get("/search", q="labour", page="9" * 30)),
        ("?page=10**30 on /browse/publishers", lambda: get("/browse/publishers", page="9" * 30)),
        ("year 10**30", lambda: get("/browse/years/" + "9" * 30)),
        ("/doc/ with <", lambda: get("/doc/<script>")),
        ("/id/ with NUL", lambda: get("/id/document/%00")),
        ("/doc/ with Arabic-Indic digits", lambda: get("/doc/\u0663\u0660\u0663\u0669")),
        ("/id/ with non-ASCII digits", lambda: get("/id/document/\u0663\u0660")),
    ]


def saturate(url: str, heavy: int, document: str) -> None:
    """`heavy` concurrent slow queries; page times while they run."""
    statuses: list[int] = []

    def run_heavy() -> None:
        try:
            statuses.append(requests.get(url + "/sparql", params={"query": HEAVY}, timeout=120).status_code)
        except requests.RequestException:
            statuses.append(0)

    pool = ThreadPoolExecutor(heavy)
    for _ in range(heavy):
        pool.submit(run_heavy)
    time.sleep(1.0)
    for path in ("/", "/oai?verb=Identify", f"/doc/{document}"):
        times = []
        for _ in range(5):
            started = time.perf_counter()
            response = requests.get(url + path, timeout=120)
            times.append(time.perf_counter() - started)
            assert response.status_code == 200, (path, response.status_code)
        print(f"| `{path}` | {max(times):.3f} | {statistics.median(times):.3f} |")
    pool.shutdown(wait=True)
    counts = {code: statuses.count(code) for code in sorted(set(statuses))}
    print(f"\nheavy queries' statuses: {counts}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("site", type=Path)
    parser.add_argument("--heavy", type=int, default=45)
    parser.add_argument("--document", default="3039")
    parser.add_argument("--skip-attacks", action="store_true")
    args = parser.parse_args()
    process, url = start_server(args.site)
    fixture = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Counting)
    threading.Thread(target=fixture.serve_forever, daemon=True).start()
    try:
        print(f"ls_lod from {os.path.dirname(__import__('ls_lod').__file__)}\n")
        if not args.skip_attacks:
            print("| attack | status and answer | seconds |\n|---|---|---|")
            for name, attack in attacks(url, f"http://127.0.0.1:{fixture.server_address[1]}", process.pid):
                started = time.perf_counter()
                try:
                    result = attack()
                except requests.RequestException as error:
                    result = f"{type(error).__name__}"
                print(f"| {name} | {result.replace('|', '/', 0)} | {time.perf_counter() - started:.2f} |")
        print(f"\nwith {args.heavy} concurrent heavy SPARQL queries:\n")
        print("| page | slowest s | median s |\n|---|---|---|")
        saturate(url, args.heavy, args.document)
    finally:
        fixture.shutdown()
        process.terminate()
        process.wait(10)


if __name__ == "__main__":
    main()
