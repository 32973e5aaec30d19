"""A plain OAI-PMH harvester (requests + lxml) that validates every response it receives.

Written from the OAI-PMH 2.0 specification for the tests, independent of ls_lod.oai: it is one
of the two harvesting clients (sickle is the other) and the transport of the conformance checker.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import requests
from lxml import etree

OAI = "http://www.openarchives.org/OAI/2.0/"
XSI = "http://www.w3.org/2001/XMLSchema-instance"
NS = {"oai": OAI, "xsi": XSI}
HERE = Path(__file__).resolve().parent
RDF_SCHEMA = HERE / "data" / "oai" / "rdf.xsd"
OPENAIRE = "http://namespace.openaire.eu/schema/oaire/"
OPENAIRE_SCHEMA = HERE / "data" / "schemas" / "openaire-4" / "openaire.xsd"  # copied, see its README
DRIVER = {  # namespace -> schema file, as tests/data/schemas/README.md describes (plus RDF)
    OAI: "OAI-PMH.xsd",
    "http://www.openarchives.org/OAI/2.0/oai_dc/": "oai_dc.xsd",
    "http://www.openarchives.org/OAI/2.0/oai-identifier": "oai-identifier.xsd",
    "http://www.openarchives.org/OAI/2.0/friends/": "friends.xsd",
    "http://www.openarchives.org/OAI/2.0/branding/": "branding.xsd",
}
UTC_SECONDS = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z")


class Schemas:
    """The offline OAI-PMH schemas behind one driver schema, compiled once."""

    def __init__(self, directory: Path) -> None:
        imports = {
            **{ns: (directory / name).as_uri() for ns, name in DRIVER.items()},
            "http://www.w3.org/1999/02/22-rdf-syntax-ns#": RDF_SCHEMA.as_uri(),
        }
        self.response = self._compile(imports, directory)
        # OpenAIRE's dc.xsd and oai_dc's simpledc declare the same namespace differently (its
        # dcterms.xsd needs dc:any): one driver cannot hold both, so oai_openaire gets its own.
        openaire = {**imports, OPENAIRE: OPENAIRE_SCHEMA.as_uri()}
        del openaire["http://www.openarchives.org/OAI/2.0/oai_dc/"]
        self.openaire = self._compile(openaire, directory)
        static = {
            **imports,
            "http://www.openarchives.org/OAI/2.0/static-repository": (directory / "static-repository.xsd").as_uri(),
        }
        del static[OAI]  # the static schema brings its own (restricted) OAI-PMH definitions
        self.static = self._compile(static, directory)

    @staticmethod
    def _compile(imports: dict[str, str], base: Path) -> etree.XMLSchema:
        body = "".join(f'<xs:import namespace="{ns}" schemaLocation="{loc}"/>' for ns, loc in imports.items())
        driver = f'<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema">{body}</xs:schema>'
        parser = etree.XMLParser(no_network=True, resolve_entities=False)
        return etree.XMLSchema(etree.XML(driver.encode(), parser, base_url=(base / "driver.xsd").as_uri()))

    def errors(self, document: bytes, static: bool = False) -> list[str]:
        """Schema errors of a document ([] when valid); a parse error is one too."""
        try:
            tree = etree.fromstring(document, etree.XMLParser(no_network=True, resolve_entities=False, huge_tree=True))
        except etree.XMLSyntaxError as error:
            return [f"not well-formed XML: {error}"]
        schema = self.static if static else self.response
        if not static and next(tree.iter(f"{{{OPENAIRE}}}resource"), None) is not None:
            schema = self.openaire
        if schema.validate(tree):
            return []
        return [f"line {e.line}: {e.message}" for e in schema.error_log][:5]


@dataclass
class Exchange:
    """One request and its response, with what was wrong with the response as such."""

    method: str
    arguments: list[tuple[str, str]]
    status: int
    content_type: str
    body: bytes
    tree: etree._Element | None
    problems: list[str] = field(default_factory=list)

    @property
    def verb(self) -> str:
        return next((v for k, v in self.arguments if k == "verb"), "")

    def errors(self) -> list[str]:
        return [] if self.tree is None else [e.get("code", "") for e in self.tree.findall("oai:error", NS)]

    def echo(self) -> dict[str, str]:
        request = self.tree.find("oai:request", NS) if self.tree is not None else None
        return dict(request.attrib) if request is not None else {}

    def element(self) -> etree._Element | None:
        """The verb's element (None on an error)."""
        return None if self.tree is None else self.tree.find(f"oai:{self.verb}", NS)

    def token(self) -> etree._Element | None:
        element = self.element()
        return None if element is None else element.find("oai:resumptionToken", NS)


class Harvester:
    """Sends OAI-PMH requests and checks the envelope of every answer against the spec."""

    def __init__(self, base_url: str, schemas: Schemas, session: requests.Session | None = None) -> None:
        self.base_url = base_url
        self.schemas = schemas
        self.session = session or requests.Session()
        self.exchanges = 0

    def request(
        self,
        arguments: Sequence[tuple[str, str]] | dict[str, str],
        method: str = "GET",
        content_type: str | None = None,
    ) -> Exchange:
        pairs = list(arguments.items()) if isinstance(arguments, dict) else list(arguments)
        if method == "GET":
            answer = self.session.get(self.base_url, params=pairs, timeout=60)
        else:
            headers = {"Content-Type": content_type} if content_type else {}
            data = pairs if content_type is None else "&".join(f"{k}={v}" for k, v in pairs)
            answer = self.session.post(self.base_url, data=data, headers=headers, timeout=60)
        self.exchanges += 1
        exchange = Exchange(
            method, pairs, answer.status_code, answer.headers.get("content-type", ""), answer.content, None
        )
        self._check_envelope(exchange)
        return exchange

    def _check_envelope(self, exchange: Exchange) -> None:
        problems = exchange.problems
        if exchange.status != 200:
            problems.append(f"HTTP status {exchange.status}, not 200")
        if exchange.content_type.split(";")[0].strip() != "text/xml":
            problems.append(f"Content-Type {exchange.content_type!r}, not text/xml (3.1.2.1)")
        if not re.match(rb"<\?xml version=[\"']1\.0[\"'] encoding=[\"']UTF-8[\"']", exchange.body):
            problems.append('the response does not open with <?xml version="1.0" encoding="UTF-8"?> (3.2)')
        problems += [f"XSD: {e}" for e in self.schemas.errors(exchange.body)]
        try:
            exchange.tree = etree.fromstring(exchange.body, etree.XMLParser(huge_tree=True, no_network=True))
        except etree.XMLSyntaxError:
            return
        problems += self._check_root(exchange)

    def _check_root(self, exchange: Exchange) -> list[str]:
        tree, problems = exchange.tree, []
        assert tree is not None
        location = tree.get(f"{{{XSI}}}schemaLocation", "").split()
        if tree.tag != f"{{{OAI}}}OAI-PMH" or location != [OAI, "http://www.openarchives.org/OAI/2.0/OAI-PMH.xsd"]:
            problems.append("the root is not OAI-PMH with the OAI namespace and schemaLocation (3.2)")
        date = tree.findtext("oai:responseDate", "", NS)
        if not UTC_SECONDS.fullmatch(date):
            problems.append(f"responseDate {date!r} is not YYYY-MM-DDThh:mm:ssZ (3.3.2)")
        elif (
            abs(
                (
                    dt.datetime.strptime(date, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=dt.UTC) - dt.datetime.now(dt.UTC)
                ).total_seconds()
            )
            > 300
        ):
            problems.append(f"responseDate {date} is not the time of the response in UTC")
        if tree.findtext("oai:request", "", NS) != self.base_url:
            problems.append(f"request element holds {tree.findtext('oai:request', '', NS)!r}, not the base URL")
        problems += self._check_echo(exchange)
        return problems

    def _check_echo(self, exchange: Exchange) -> list[str]:
        """3.2: the echo matches the request, except after badVerb/badArgument: no attributes."""
        codes, echo = exchange.errors(), exchange.echo()
        if {"badVerb", "badArgument"} & set(codes):
            return [f"request element has attributes {echo} after badVerb/badArgument"] if echo else []
        expected = dict(exchange.arguments)
        return [] if echo == expected else [f"request element echoes {echo}, the request was {expected}"]

    def list(self, verb: str, arguments: dict[str, str], method: str = "GET") -> Iterator[Exchange]:
        """Every page of a list request sequence, following resumption tokens."""
        exchange = self.request({"verb": verb, **arguments}, method)
        yield exchange
        while (token := exchange.token()) is not None and (token.text or ""):
            exchange = self.request({"verb": verb, "resumptionToken": token.text or ""}, method)
            yield exchange


@dataclass(frozen=True)
class Header:
    identifier: str
    datestamp: str
    sets: tuple[str, ...]
    deleted: bool


def headers(exchange: Exchange) -> list[Header]:
    element = exchange.element()
    if element is None:
        return []
    found = element.findall("oai:header", NS) or element.findall("oai:record/oai:header", NS)
    return [
        Header(
            h.findtext("oai:identifier", "", NS),
            h.findtext("oai:datestamp", "", NS),
            tuple(s.text or "" for s in h.findall("oai:setSpec", NS)),
            h.get("status") == "deleted",
        )
        for h in found
    ]
