"""SPARQL answers written out, at most `limit` rows or triples of them.

pyoxigraph serialises a whole answer; capping it means stopping part way, so SELECT
results are written here per the W3C result formats (JSON, XML, CSV, TSV) and graphs
through pyoxigraph from the capped list. Tests parse each back with pyoxigraph's reader.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable
from dataclasses import dataclass
from itertools import islice
from xml.sax.saxutils import escape, quoteattr

import pyoxigraph
from pyoxigraph import BlankNode, Literal, NamedNode, QueryBoolean, QuerySolutions, RdfFormat

XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
RDF_LANG_STRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"
GRAPH_FORMATS = {
    "turtle": RdfFormat.TURTLE,
    "ntriples": RdfFormat.N_TRIPLES,
    "rdfxml": RdfFormat.RDF_XML,
    "jsonld": RdfFormat.JSON_LD,
}


@dataclass(frozen=True)
class Answer:
    body: bytes
    truncated: bool
    rows: int


def solutions(answer: QuerySolutions, fmt: str, limit: int) -> Answer:
    variables = [v.value for v in answer.variables]
    rows = list(islice(answer, limit + 1))
    truncated = len(rows) > limit
    rows = rows[:limit]
    table = [[row[name] for name in variables] for row in rows]
    writer = {"json": _json, "xml": _xml, "csv": _csv, "tsv": _tsv}[fmt]
    return Answer(writer(variables, table).encode("utf-8"), truncated, len(rows))


def boolean(answer: QueryBoolean | bool, fmt: str) -> Answer:
    value = bool(answer)
    if fmt == "json":
        body = json.dumps({"head": {}, "boolean": value})
    elif fmt == "xml":
        body = (
            f'<?xml version="1.0"?>\n<sparql xmlns="http://www.w3.org/2005/sparql-results#">'
            f"<head/><boolean>{str(value).lower()}</boolean></sparql>\n"
        )
    else:  # CSV and TSV have no boolean form; the common practice is the bare word
        body = f"_askResult\n{str(value).lower()}\n"
    return Answer(body.encode("utf-8"), False, 1)


def graph(triples: Iterable[pyoxigraph.Triple], fmt: str, limit: int, prefixes: dict[str, str]) -> Answer:
    found = list(islice(triples, limit + 1))
    truncated = len(found) > limit
    found = found[:limit]
    use_prefixes = prefixes if fmt in ("turtle", "rdfxml") else None
    body = pyoxigraph.serialize(found, format=GRAPH_FORMATS[fmt], prefixes=use_prefixes) or b""
    return Answer(body, truncated, len(found))


def _json_term(term: object) -> dict[str, object]:
    if isinstance(term, NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, BlankNode):
        return {"type": "bnode", "value": term.value}
    assert isinstance(term, Literal)
    out: dict[str, object] = {"type": "literal", "value": term.value}
    if term.language:
        out["xml:lang"] = term.language
    elif term.datatype.value != XSD_STRING:
        out["datatype"] = term.datatype.value
    return out


def _json(variables: list[str], table: list[list[object]]) -> str:
    bindings = [
        {name: _json_term(term) for name, term in zip(variables, row, strict=True) if term is not None} for row in table
    ]
    return json.dumps({"head": {"vars": variables}, "results": {"bindings": bindings}}, ensure_ascii=False)


def _xml_term(term: object) -> str:
    if isinstance(term, NamedNode):
        return f"<uri>{escape(term.value)}</uri>"
    if isinstance(term, BlankNode):
        return f"<bnode>{escape(term.value)}</bnode>"
    assert isinstance(term, Literal)
    if term.language:
        return f"<literal xml:lang={quoteattr(term.language)}>{escape(term.value)}</literal>"
    if term.datatype.value != XSD_STRING:
        return f"<literal datatype={quoteattr(term.datatype.value)}>{escape(term.value)}</literal>"
    return f"<literal>{escape(term.value)}</literal>"


def _xml(variables: list[str], table: list[list[object]]) -> str:
    out = ['<?xml version="1.0"?>\n<sparql xmlns="http://www.w3.org/2005/sparql-results#">\n<head>']
    out += [f"<variable name={quoteattr(name)}/>" for name in variables]
    out.append("</head>\n<results>")
    for row in table:
        cells = [
            f"<binding name={quoteattr(name)}>{_xml_term(term)}</binding>"
            for name, term in zip(variables, row, strict=True)
            if term is not None
        ]
        out.append("<result>" + "".join(cells) + "</result>")
    out.append("</results>\n</sparql>\n")
    return "\n".join(out)


def _csv(variables: list[str], table: list[list[object]]) -> str:
    """SPARQL 1.1 CSV: plain values (no datatype or language), bnodes as _:label, CRLF lines."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(variables)
    for row in table:
        writer.writerow(
            [
                "" if t is None else f"_:{t.value}" if isinstance(t, BlankNode) else t.value  # type: ignore[attr-defined]
                for t in row
            ]
        )
    return buffer.getvalue()


def _tsv(variables: list[str], table: list[list[object]]) -> str:
    """SPARQL 1.1 TSV: terms in Turtle/N-Triples syntax (pyoxigraph's str), which escapes tabs."""
    lines = ["\t".join(f"?{name}" for name in variables)]
    lines += ["\t".join("" if t is None else str(t) for t in row) for row in table]
    return "\n".join(lines) + "\n"
