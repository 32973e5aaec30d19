"""An OAI-PMH 2.0 conformance checker, written from the specification (section numbers cited).

Independent of ls_lod.oai: it sees the repository only through HTTP. `Checker(harvester).run()`
sends every verb with good and bad arguments, harvests fully, selectively (from, until, set)
and with re-issued tokens, and returns one result per check; a conformant repository passes all.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field

from oai_harvester import NS, Exchange, Harvester, Header, headers

DC_NS = "http://www.openarchives.org/OAI/2.0/oai_dc/"
XSI_LOCATION = "{http://www.w3.org/2001/XMLSchema-instance}schemaLocation"


@dataclass(frozen=True)
class Result:
    check: str
    passed: bool
    detail: str = ""


@dataclass
class Report:
    results: list[Result] = field(default_factory=list)

    @property
    def failures(self) -> list[Result]:
        return [r for r in self.results if not r.passed]

    def summary(self) -> str:
        lines = [f"{len(self.results) - len(self.failures)}/{len(self.results)} checks passed"]
        return "\n".join(lines + [f"FAIL {r.check}: {r.detail}" for r in self.failures])


class Checker:
    def __init__(self, harvester: Harvester, prefix: str = "oai_dc") -> None:
        self.h = harvester
        self.prefix = prefix
        self.report = Report()
        self.full: list[Header] = []

    def check(self, name: str, passed: bool, detail: str = "") -> bool:
        self.report.results.append(Result(name, bool(passed), "" if passed else detail))
        return bool(passed)

    def send(
        self,
        name: str,
        arguments: Iterable[tuple[str, str]] | dict[str, str],
        method: str = "GET",
        expect: set[str] | None = None,
        content_type: str | None = None,
    ) -> Exchange:
        """One exchange; its envelope problems and, when given, the expected error codes are checks."""
        exchange = self.h.request(arguments if isinstance(arguments, dict) else list(arguments), method, content_type)
        self.check(f"{name}: response envelope and schema", not exchange.problems, "; ".join(exchange.problems))
        if expect is not None:
            codes = set(exchange.errors())
            self.check(
                f"{name}: error {sorted(expect)}", bool(codes) and codes <= expect, f"got errors {sorted(codes)}"
            )
        return exchange

    def run(self) -> Report:
        identify = self.identify()
        self.metadata_formats()
        sets = self.list_sets()
        self.full_harvest(identify)
        self.errors()
        self.get_records()
        self.selective_by_date(identify)
        self.selective_by_set(sets)
        self.idempotency()
        self.post_equals_get()
        return self.report

    # -- 4.2 Identify ------------------------------------------------------------------------
    def identify(self) -> dict[str, str]:
        exchange = self.send("Identify", {"verb": "Identify"})
        element = exchange.element()
        if not self.check("Identify answers", element is not None, str(exchange.errors())):
            return {}
        found = {child.tag.split("}")[1]: child.text or "" for child in element}
        self.check(
            "Identify baseURL is the URL harvested", found.get("baseURL") == self.h.base_url, found.get("baseURL", "")
        )
        self.check("Identify protocolVersion 2.0", found.get("protocolVersion") == "2.0")
        self.check(
            "Identify deletedRecord persistent",
            found.get("deletedRecord") == "persistent",
            found.get("deletedRecord", ""),
        )
        self.check("Identify granularity seconds", found.get("granularity") == "YYYY-MM-DDThh:mm:ssZ")
        self.check(
            "Identify earliestDatestamp in the granularity",
            len(found.get("earliestDatestamp", "")) == 20,
            found.get("earliestDatestamp", ""),
        )
        self.send("Identify with an argument", {"verb": "Identify", "set": "x"}, expect={"badArgument"})
        return found

    # -- 4.4 ListMetadataFormats ---------------------------------------------------------------
    def metadata_formats(self) -> None:
        exchange = self.send("ListMetadataFormats", {"verb": "ListMetadataFormats"})
        formats = (
            {
                f.findtext("oai:metadataPrefix", "", NS): (
                    f.findtext("oai:schema", "", NS),
                    f.findtext("oai:metadataNamespace", "", NS),
                )
                for f in exchange.tree.iterfind(".//oai:metadataFormat", NS)
            }
            if exchange.tree is not None
            else {}
        )
        self.formats = formats
        self.check(
            "oai_dc is offered with its schema and namespace (3.4)",
            formats.get("oai_dc") == ("http://www.openarchives.org/OAI/2.0/oai_dc.xsd", DC_NS),
            str(formats.get("oai_dc")),
        )

    # -- 4.6 ListSets --------------------------------------------------------------------------
    def list_sets(self) -> list[str]:
        specs: list[str] = []
        for page in self.h.list("ListSets", {}):
            self.check("ListSets page: envelope and schema", not page.problems, "; ".join(page.problems))
            if page.errors():
                self.check(
                    "ListSets: no error but noSetHierarchy", page.errors() == ["noSetHierarchy"], str(page.errors())
                )
                return []
            specs += [s.findtext("oai:setSpec", "", NS) for s in page.element().findall("oai:set", NS)]
        self.check("setSpecs are unique (2.6)", len(specs) == len(set(specs)), "repeated setSpec")
        missing = [s for s in specs if ":" in s and s.rsplit(":", 1)[0] not in specs]
        self.check("every set's parent is a set (2.6)", not missing, ", ".join(missing[:5]))
        return specs

    # -- 4.3/4.5 ListIdentifiers, ListRecords, 3.5 flow control ---------------------------------
    def harvest(self, name: str, verb: str, arguments: dict[str, str], method: str = "GET") -> list[Header] | None:
        """A whole list request sequence with the flow-control rules checked; None on an error."""
        found: list[Header] = []
        pages = list(self.h.list(verb, {"metadataPrefix": self.prefix, **arguments}, method))
        for number, page in enumerate(pages):
            self.check(f"{name} page {number}: envelope and schema", not page.problems, "; ".join(page.problems))
            if page.errors():
                self.check(
                    f"{name}: only noRecordsMatch",
                    page.errors() == ["noRecordsMatch"] and not number,
                    str(page.errors()),
                )
                return None
            items = headers(page)
            self._check_page(name, number, len(pages), page, len(found), len(items))
            if verb == "ListRecords":
                self._check_records(name, page)
            found += items
        sizes = {
            int(t.get("completeListSize")) for p in pages if (t := p.token()) is not None and t.get("completeListSize")
        }
        self.check(
            f"{name}: completeListSize is the list's size (3.5)", sizes <= {len(found)}, f"{sizes} vs {len(found)}"
        )
        ids = [h.identifier for h in found]
        self.check(f"{name}: no item twice in an unchanging repository", len(ids) == len(set(ids)), "duplicates")
        return found

    def _check_page(self, name: str, number: int, count: int, page: Exchange, before: int, size: int) -> None:
        token = page.token()
        last = number == count - 1
        if count > 1:
            self.check(f"{name} page {number}: resumptionToken present (3.5)", token is not None)
        if token is None:
            return
        self.check(
            f"{name} page {number}: token empty exactly on the last page (3.5)",
            bool(token.text) != last,
            repr(token.text),
        )
        self.check(
            f"{name} page {number}: cursor counts what came before (3.5)",
            token.get("cursor") in (None, str(before)),
            f"cursor {token.get('cursor')}, expected {before}",
        )
        self.check(f"{name} page {number}: page is not empty", size > 0)

    def _check_records(self, name: str, page: Exchange) -> None:
        for record in page.element().findall("oai:record", NS):
            header = record.find("oai:header", NS)
            metadata = record.find("oai:metadata", NS)
            ident = header.findtext("oai:identifier", "", NS)
            if header.get("status") == "deleted":
                self.check(f"{name}: deleted {ident} has no metadata (2.5.1)", metadata is None)
                continue
            root = metadata[0] if metadata is not None and len(metadata) else None
            schema, namespace = self.formats.get(self.prefix, ("", ""))
            ok = root is not None and root.tag.startswith(f"{{{namespace}}}") and schema in root.get(XSI_LOCATION, "")
            self.check(f"{name}: {ident} metadata in the format's namespace and schemaLocation (3.4)", ok)

    def full_harvest(self, identify: dict[str, str]) -> None:
        records = self.harvest("ListRecords full", "ListRecords", {}) or []
        listed = self.harvest("ListIdentifiers full", "ListIdentifiers", {}) or []
        self.full = records
        self.check(
            "ListRecords and ListIdentifiers list the same items",
            {(h.identifier, h.datestamp) for h in records} == {(h.identifier, h.datestamp) for h in listed},
        )
        stamps = sorted(h.datestamp for h in records)
        self.check("datestamps at seconds granularity (3.3.2)", all(len(s) == 20 for s in stamps))
        earliest = identify.get("earliestDatestamp", "")
        self.check(
            "earliestDatestamp is the lowest datestamp (4.2)",
            not stamps or stamps[0] == earliest,
            f"{earliest} vs {stamps[:1]}",
        )
        if earliest:
            before = _shift(earliest, -1)
            self.send(
                "nothing before earliestDatestamp",
                {"verb": "ListIdentifiers", "metadataPrefix": self.prefix, "until": before},
                expect={"noRecordsMatch"},
            )

    # -- 3.6 errors ------------------------------------------------------------------------------
    def errors(self) -> None:
        sample = self.full[0].identifier if self.full else "oai:example.org:1"
        p = self.prefix
        cases: list[tuple[str, list[tuple[str, str]], set[str]]] = [
            ("no verb", [], {"badVerb"}),
            ("illegal verb", [("verb", "nastyVerb")], {"badVerb"}),
            ("repeated verb", [("verb", "Identify"), ("verb", "Identify")], {"badVerb"}),
            ("empty verb", [("verb", "")], {"badVerb"}),
            ("ListRecords without metadataPrefix", [("verb", "ListRecords")], {"badArgument"}),
            ("illegal argument", [("verb", "ListRecords"), ("metadataPrefix", p), ("foo", "bar")], {"badArgument"}),
            (
                "repeated argument",
                [("verb", "ListRecords"), ("metadataPrefix", p), ("metadataPrefix", p)],
                {"badArgument"},
            ),
            (
                "from later than until",
                [("verb", "ListRecords"), ("metadataPrefix", p), ("from", "2020-02-01"), ("until", "2020-01-01")],
                {"badArgument"},
            ),
            (
                "mixed granularities",
                [
                    ("verb", "ListIdentifiers"),
                    ("metadataPrefix", p),
                    ("from", "2000-01-01"),
                    ("until", "2100-01-01T00:00:00Z"),
                ],
                {"badArgument"},
            ),
            (
                "impossible date",
                [("verb", "ListRecords"), ("metadataPrefix", p), ("from", "2020-13-45")],
                {"badArgument"},
            ),
            (
                "finer granularity",
                [("verb", "ListRecords"), ("metadataPrefix", p), ("from", "2020-01-01T00:00:00.5Z")],
                {"badArgument"},
            ),
            (
                "token with another argument",
                [("verb", "ListRecords"), ("resumptionToken", "x"), ("metadataPrefix", p)],
                {"badArgument"},
            ),
            (
                "bad ListRecords token",
                [("verb", "ListRecords"), ("resumptionToken", "nonsense")],
                {"badResumptionToken"},
            ),
            (
                "bad ListIdentifiers token",
                [("verb", "ListIdentifiers"), ("resumptionToken", "x.y")],
                {"badResumptionToken"},
            ),
            (
                "bad ListSets token",
                [("verb", "ListSets"), ("resumptionToken", "nonsense")],
                {"badResumptionToken", "noSetHierarchy"},
            ),
            (
                "unknown metadataPrefix",
                [("verb", "ListRecords"), ("metadataPrefix", "no_such_format")],
                {"cannotDisseminateFormat"},
            ),
            (
                "unknown metadataPrefix, ListIdentifiers",
                [("verb", "ListIdentifiers"), ("metadataPrefix", "nope")],
                {"cannotDisseminateFormat"},
            ),
            (
                "GetRecord unknown format",
                [("verb", "GetRecord"), ("identifier", sample), ("metadataPrefix", "no_such_format")],
                {"cannotDisseminateFormat"},
            ),
            (
                "GetRecord unknown identifier",
                [("verb", "GetRecord"), ("identifier", "oai:nowhere.org:x"), ("metadataPrefix", p)],
                {"idDoesNotExist"},
            ),
            ("GetRecord without identifier", [("verb", "GetRecord"), ("metadataPrefix", p)], {"badArgument"}),
            (
                "ListMetadataFormats unknown identifier",
                [("verb", "ListMetadataFormats"), ("identifier", "oai:nowhere.org:x")],
                {"idDoesNotExist"},
            ),
            (
                "no records in range",
                [("verb", "ListRecords"), ("metadataPrefix", p), ("until", "1900-01-01")],
                {"noRecordsMatch"},
            ),
            (
                "no such set",
                [("verb", "ListIdentifiers"), ("metadataPrefix", p), ("set", "no:such:set")],
                {"noRecordsMatch", "noSetHierarchy"},
            ),
            ("ListSets with an argument", [("verb", "ListSets"), ("metadataPrefix", p)], {"badArgument"}),
        ]
        for name, arguments, expected in cases:
            self.send(name, arguments, expect=expected)
            self.send(f"{name} (POST)", arguments, method="POST", expect=expected)

    # -- 4.1 GetRecord -----------------------------------------------------------------------------
    def get_records(self) -> None:
        chosen = self.full[:: max(1, len(self.full) // 20)] + [h for h in self.full if h.deleted][:5]
        for header in chosen:
            arguments = {"verb": "GetRecord", "identifier": header.identifier, "metadataPrefix": self.prefix}
            exchange = self.send(f"GetRecord {header.identifier}", arguments)
            got = headers(exchange)
            self.check(f"GetRecord {header.identifier} header as listed", got == [header], f"{got} vs {header}")
            has_metadata = exchange.tree is not None and exchange.tree.find(".//oai:metadata", NS) is not None
            self.check(f"GetRecord {header.identifier} metadata unless deleted (2.5.1)", has_metadata != header.deleted)
            formats = self.send(
                f"ListMetadataFormats {header.identifier}",
                {"verb": "ListMetadataFormats", "identifier": header.identifier},
            )
            self.check(
                f"{header.identifier} offers {self.prefix}",
                formats.tree is not None
                and self.prefix in [e.text for e in formats.tree.iterfind(".//oai:metadataPrefix", NS)],
            )

    # -- 2.7.1 selective harvesting by datestamp ---------------------------------------------------
    def selective_by_date(self, identify: dict[str, str]) -> None:
        stamps = sorted({h.datestamp for h in self.full})
        if not stamps:
            return
        middle = stamps[len(stamps) // 2]
        for name, arguments, keep in [
            ("from (seconds)", {"from": middle}, lambda s: s >= middle),
            ("until (seconds)", {"until": middle}, lambda s: s <= middle),
            ("from and until (seconds)", {"from": stamps[0], "until": middle}, lambda s: stamps[0] <= s <= middle),
            ("from (day)", {"from": middle[:10]}, lambda s: s[:10] >= middle[:10]),
            ("until (day)", {"until": middle[:10]}, lambda s: s[:10] <= middle[:10]),
            ("from = until (day)", {"from": middle[:10], "until": middle[:10]}, lambda s: s[:10] == middle[:10]),
        ]:
            expected = {h.identifier for h in self.full if keep(h.datestamp)}
            got = self.harvest(f"ListIdentifiers {name}", "ListIdentifiers", arguments) or []
            self.check(
                f"selective {name} returns exactly the records in range (2.7.1)",
                {h.identifier for h in got} == expected,
                f"{len(got)} vs {len(expected)}",
            )

    # -- 2.7.2 selective harvesting by set ---------------------------------------------------------
    def selective_by_set(self, sets: list[str]) -> None:
        roots = [s for s in sets if ":" not in s]
        for spec in roots + [s for s in sets if ":" in s][:: max(1, len(sets) // 12)]:
            expected = {h.identifier for h in self.full if any(s == spec or s.startswith(spec + ":") for s in h.sets)}
            got = self.harvest(f"ListIdentifiers set={spec}", "ListIdentifiers", {"set": spec}) or []
            self.check(
                f"set {spec}: its items and its descendants' items (2.7.2)",
                {h.identifier for h in got} == expected,
                f"{len(got)} vs {len(expected)}",
            )

    # -- 3.5.1 idempotency of resumptionTokens ---------------------------------------------------
    def idempotency(self) -> None:
        pages = list(self.h.list("ListRecords", {"metadataPrefix": self.prefix}))
        for number, page in enumerate(pages[:-1]):
            token = page.token().text or ""
            first = self.send(f"token {number} issued", {"verb": "ListRecords", "resumptionToken": token})
            again = self.send(f"token {number} re-issued", {"verb": "ListRecords", "resumptionToken": token})
            self.check(f"re-issued token {number} returns the same page (3.5.1)", _body(first) == _body(again))
            other = self.send(
                f"token {number} with the other list verb", {"verb": "ListIdentifiers", "resumptionToken": token}
            )
            self.check(
                f"token {number} is not accepted by ListIdentifiers, or gives the same items",
                other.errors() == ["badResumptionToken"]
                or [h.identifier for h in headers(other)] == [h.identifier for h in headers(first)],
            )

    # -- 3.1.1 GET and POST --------------------------------------------------------------------------
    def post_equals_get(self) -> None:
        for arguments in (
            {"verb": "Identify"},
            {"verb": "ListMetadataFormats"},
            {"verb": "ListSets"},
            {"verb": "ListIdentifiers", "metadataPrefix": self.prefix},
            {"verb": "ListRecords", "metadataPrefix": self.prefix},
        ):
            get = self.send(f"GET {arguments['verb']}", arguments)
            post = self.send(f"POST {arguments['verb']}", arguments, method="POST")
            self.check(f"POST {arguments['verb']} answers as GET (3.1.1)", _body(get) == _body(post))
        self.send(
            "POST with a body that is not a form",
            [("verb", "Identify")],
            method="POST",
            content_type="application/json",
            expect={"badArgument", "badVerb"},
        )


def _body(exchange: Exchange) -> bytes:
    """The response without its responseDate, to compare two answers."""
    return b"".join(exchange.body.split(b"<responseDate>", 1)[:1] + exchange.body.split(b"</responseDate>", 1)[1:])


def _shift(stamp: str, seconds: int) -> str:
    moment = dt.datetime.strptime(stamp, "%Y-%m-%dT%H:%M:%SZ") + dt.timedelta(seconds=seconds)
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")
