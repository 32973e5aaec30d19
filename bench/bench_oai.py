"""OAI-PMH speed: a ListRecords page of 100 over HTTP from a store of 100k records, first and last page.

The store is filled directly (no full build): real payloads of a few hundred generated records,
rendered by the real exporters, are given to N document numbers in turn, in two builds (5 %
changed, 1 % deleted by the second), so datestamps and tombstones look like a real catalogue's.
Then uvicorn serves the /oai routes of `ls-lod serve` over HTTP (keep-alive; the rest of the
web app needs a real build's SPARQL store), and the script also times the rendering
of one page three ways (jinja2 template, string join, lxml tree) to back the choice in oai/xml.py.

    python bench/bench_oai.py                 # 100k records, page size 100
    python bench/bench_oai.py --records 10000 --repeat 50
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlencode, urlsplit

import requests
from starlette.applications import Starlette

from ls_lod import exporters
from ls_lod.build.driver import BUILD_SETTINGS
from ls_lod.build.pipeline import outcomes
from ls_lod.convert.context import conversion_for
from ls_lod.model import StoreItem
from ls_lod.oai.sets import record_sets
from ls_lod.settings import Settings
from ls_lod.store.catalog import BuildCounts, CatalogStore

HERE = Path(__file__).resolve().parent
SITE = "BENCH_OAI_SITE"


def sample_items(count: int, work: Path) -> tuple[list[StoreItem], object]:
    """Real payloads of `count` generated records."""
    pages = work / "pages"
    subprocess.run(
        [sys.executable, str(HERE / "generate.py"), str(count), "--format", "pages", "--out", str(pages), "--quiet"],
        check=True,
    )
    conversion = conversion_for(Settings.load(environ={}))
    items = []
    for outcome in outcomes([str(pages)], conversion):
        if outcome.record is None or outcome.held_back:
            continue
        payloads = {
            name: fmt.render(outcome.record, outcome.triples, conversion)
            for name, fmt in exporters.RECORD_FORMATS.items()
        }
        items.append(
            StoreItem(
                outcome.record.number,
                payloads,
                record_sets(outcome, conversion),
                [a.slug for a in outcome.record.agents],
            )
        )
    return items, conversion


def fill(directory: Path, records: int, samples: list[StoreItem], conversion: object) -> None:
    store = CatalogStore.open(directory)
    for build, stamp in ((1, "2026-01-05T10:00:00Z"), (2, "2026-02-05T10:00:00Z")):
        build_id = store.begin_build()
        batch: list[StoreItem] = []
        for index in range(records):
            if build == 2 and index % 100 == 7:
                continue  # 1 % leave the catalogue: tombstones
            sample = samples[index % len(samples)]
            payloads = dict(sample.payloads)
            if build == 2 and index % 20 == 3:  # 5 % change
                payloads = {k: v.replace("</dc:title>", " (revised)</dc:title>") + " " for k, v in payloads.items()}
            batch.append(StoreItem(str(100000 + index), payloads, sample.sets, sample.agents))
            if len(batch) == 5000:
                store.put_batch(build_id, batch, stamp, BuildCounts())
                batch = []
        store.put_batch(build_id, batch, stamp, BuildCounts())
        store.finish_build(build_id, stamp, BuildCounts())
    store.close()
    saved = {"settings": dict(conversion.settings), "vocab_dir": str(conversion.vocabulary_dir)}  # type: ignore[attr-defined]
    (directory / BUILD_SETTINGS).write_text(json.dumps(saved), "utf-8")


class WholeBodyClient:
    """One keep-alive connection (http.client) that reads each body in one call: the server's time.

    A harvester's HTTP library adds its own cost on top: requests, which sickle uses, reads a body
    10 KB at a time, about 20 ms more for a 1.7 MB page of `rdf` records on this machine, so the
    same pages are timed with requests as well."""

    def __init__(self, url: str, gzip: bool = False) -> None:
        parts = urlsplit(url)
        self.path = parts.path
        self.connection = http.client.HTTPConnection(parts.hostname or "127.0.0.1", parts.port, timeout=60)
        self.headers = {"Accept-Encoding": "gzip" if gzip else "identity"}

    def get(self, params: dict[str, str]) -> bytes:
        try:
            return self._get(params)
        except (http.client.RemoteDisconnected, ConnectionError):  # idle past uvicorn's keep-alive
            self.connection.close()
            return self._get(params)

    def _get(self, params: dict[str, str]) -> bytes:
        self.connection.request("GET", f"{self.path}?{urlencode(params)}", headers=self.headers)
        return self.connection.getresponse().read()


class RequestsClient:
    """requests, as sickle and most Python harvesters use it (gzip accepted unless told not to)."""

    def __init__(self, url: str, gzip: bool = False) -> None:
        self.url = url
        self.session = requests.Session()
        if not gzip:
            self.session.headers["Accept-Encoding"] = "identity"

    def get(self, params: dict[str, str]) -> bytes:
        return self.session.get(self.url, params=params, timeout=60).content


Client = WholeBodyClient | RequestsClient


def timed(client: Client, params: dict[str, str], repeat: int) -> float:
    """Median milliseconds of `repeat` requests, after one warm-up."""
    client.get(params)
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        client.get(params)
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def token_of(body: bytes) -> str:
    start = body.index(b"<resumptionToken")
    return body[body.index(b">", start) + 1 : body.index(b"</resumptionToken>")].decode()


def walk(client: Client, params: dict[str, str]) -> tuple[list[float], dict[str, str]]:
    """Every page of a list; per-page milliseconds and the arguments of the last page."""
    times, current = [], dict(params)
    while True:
        started = time.perf_counter()
        body = client.get(current)
        times.append((time.perf_counter() - started) * 1000)
        token = token_of(body) if b"<resumptionToken" in body else ""
        if not token:
            return times, current
        current = {"verb": params["verb"], "resumptionToken": token}


def oai_app() -> Starlette:
    """The /oai routes of `ls-lod serve`, alone: a store filled directly has no SPARQL store or
    browse index, which the rest of the web app needs. uvicorn imports this (--factory)."""
    from ls_lod.web import oai as oai_http
    from ls_lod.web.site import Site

    return Starlette(routes=oai_http.routes(Site.open(Path(os.environ[SITE]))))


def serve(directory: Path, port: int, log: Path) -> subprocess.Popen[bytes]:
    """uvicorn, the server `ls-lod serve` runs, on the OAI-PMH routes."""
    command = [
        sys.executable,
        "-m",
        "uvicorn",
        "bench_oai:oai_app",
        "--factory",
        "--app-dir",
        str(HERE),
        "--port",
        str(port),
        "--log-level",
        "warning",
    ]
    with log.open("wb") as out:
        process = subprocess.Popen(
            command, stdout=out, stderr=subprocess.STDOUT, env={**os.environ, SITE: str(directory)}
        )
    for _ in range(600):
        if process.poll() is not None:
            raise RuntimeError(f"the server stopped: {log.read_text()}")
        try:
            requests.get(f"http://127.0.0.1:{port}/oai?verb=Identify", timeout=2)
            return process
        except requests.ConnectionError:
            time.sleep(0.2)
    raise RuntimeError("the server did not start")


def biggest_and_smallest_sets(directory: Path) -> list[str]:
    """The most and the least populated set below the roots, to time both ways of reading a set."""
    import sqlite3

    with sqlite3.connect(directory / "catalog.sqlite") as db:
        sizes = db.execute(
            "SELECT set_spec, count(*) AS n FROM record_set GROUP BY set_spec ORDER BY n DESC"
        ).fetchall()
    return [sizes[0][0], sizes[-1][0]]


Row = tuple[str, float, float]  # what, median ms with WholeBodyClient, median ms with requests


def http_figures(url: str, repeat: int, sets: list[str], middle: str) -> list[Row]:
    """Each figure twice: as the server serves it, and as a requests-based harvester receives it."""
    whole, whole_gzip = WholeBodyClient(url), WholeBodyClient(url, gzip=True)
    plain, gz = RequestsClient(url), RequestsClient(url, gzip=True)
    rows: list[Row] = []

    def both(name: str, params: dict[str, str], gzip: bool = False) -> None:
        clients = (whole_gzip, gz) if gzip else (whole, plain)
        rows.append((name, timed(clients[0], params, repeat), timed(clients[1], params, repeat)))

    for name, params in (
        ("ListRecords oai_dc", {"verb": "ListRecords", "metadataPrefix": "oai_dc"}),
        ("ListIdentifiers", {"verb": "ListIdentifiers", "metadataPrefix": "oai_dc"}),
        ("ListRecords rdf", {"verb": "ListRecords", "metadataPrefix": "rdf"}),
    ):
        pages, last = walk(whole, params)
        pages_requests, _ = walk(plain, params)
        both(f"{name}: first page", params)
        both(f"{name}: last page (page {len(pages)})", last)
        rows.append(
            (
                f"{name}: median of all {len(pages)} pages, one walk",
                statistics.median(pages),
                statistics.median(pages_requests),
            )
        )
        if name != "ListIdentifiers":  # harvesters using requests (sickle) accept gzip unless told not to
            both(f"{name}: first page, gzip", params, gzip=True)
            both(f"{name}: last page, gzip", last, gzip=True)
    for spec in sets:
        selective = {"verb": "ListRecords", "metadataPrefix": "oai_dc", "set": spec}
        pages, last = walk(whole, selective)
        both(f"ListRecords oai_dc set={spec} ({len(pages)} pages): first page", selective)
        both(f"ListRecords oai_dc set={spec}: last page", last)
    selective = {"verb": "ListRecords", "metadataPrefix": "oai_dc", "set": sets[0], "from": "2026-02-01"}
    both(f"ListRecords oai_dc set={sets[0]} from=2026-02-01: first page", selective)
    identifier = f"oai:lastradainternational.org:document/{middle}"
    both("GetRecord oai_dc", {"verb": "GetRecord", "metadataPrefix": "oai_dc", "identifier": identifier})
    return rows


PER_RECORD_TEMPLATE = """<ListRecords>{% for i in items %}<record><header><identifier>{{ i.identifier }}</identifier>\
<datestamp>{{ i.datestamp }}</datestamp>{% for s in i.sets.split() %}<setSpec>{{ s }}</setSpec>{% endfor %}</header>\
<metadata>{{ i.content }}</metadata></record>{% endfor %}</ListRecords>"""


def render_figures(samples: list[StoreItem], repeat: int) -> list[tuple[str, float]]:
    """Rendering one page of 100 stored oai_dc payloads three ways, in-process."""
    from jinja2 import Environment
    from lxml import etree
    from markupsafe import Markup

    from ls_lod.oai.verbs import Item
    from ls_lod.oai.xml import headers_and_records, response_document

    items = [
        Item(f"oai:x:document/{i}", "2026-01-05T10:00:00Z", " ".join(s.sets), False, s.payloads["oai_dc"].encode())
        for i, s in enumerate((samples * 100)[:100])
    ]
    marked = [Item(i.identifier, i.datestamp, i.sets, False, Markup((i.content or b"").decode())) for i in items]  # type: ignore[arg-type]
    per_record = Environment(autoescape=True).from_string(PER_RECORD_TEMPLATE)

    def used() -> bytes:
        return response_document(
            response_date="2026-01-05T10:00:00Z",
            base_url="http://x/oai",
            echo={"verb": "ListRecords"},
            verb="ListRecords",
            body=headers_and_records(items, records=True),
        )

    def loop() -> bytes:
        return per_record.render(items=marked).encode()

    def tree() -> bytes:
        root = etree.Element("ListRecords")
        for i in items:
            record = etree.SubElement(root, "record")
            etree.SubElement(etree.SubElement(record, "header"), "identifier").text = i.identifier
            etree.SubElement(record, "metadata").append(etree.fromstring(i.content or b""))
        return etree.tostring(root)

    rows: list[tuple[str, float]] = []
    for name, function in (
        ("joined headers + jinja2 envelope (used)", used),
        ("jinja2 loop over records", loop),
        ("lxml tree, payloads re-parsed", tree),
    ):
        started = time.perf_counter()
        for _ in range(repeat):
            function()
        rows.append((f"render 100 oai_dc records: {name}", (time.perf_counter() - started) * 1000 / repeat))
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--records", type=int, default=100_000)
    parser.add_argument("--samples", type=int, default=400)
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--port", type=int, default=8799)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as temporary:
        work = Path(temporary)
        started = time.perf_counter()
        samples, conversion = sample_items(args.samples, work)
        fill(work / "site", args.records, samples, conversion)
        print(f"store: {args.records:,} records filled in {time.perf_counter() - started:.0f} s", file=sys.stderr)
        server = serve(work / "site", args.port, work / "server.log")
        try:
            middle = str(100000 + args.records // 2)
            sets = biggest_and_smallest_sets(work / "site")
            rows = http_figures(f"http://127.0.0.1:{args.port}/oai", args.repeat, sets, middle)
        finally:
            server.terminate()
            server.wait()
        rendered = render_figures(samples, args.repeat)
    print(f"| {args.records:,} records, page size 100 | median ms, whole body | median ms, requests |")
    print("|---|---:|---:|")
    for name, ms, ms_requests in rows:
        print(f"| {name} | {ms:.1f} | {ms_requests:.1f} |")
    for name, ms in rendered:
        print(f"| {name} (in-process) | {ms:.1f} | |")


if __name__ == "__main__":
    main()
