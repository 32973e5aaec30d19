"""Content negotiation: Accept headers with q-values, wildcards, aliases and suffixes."""

from __future__ import annotations

import pytest

from ls_lod.web.negotiation import by_name, choose, formats, parse_accept, split_suffix

DESCRIPTION = formats("description")


def chosen(accept: str | None) -> str | None:
    fmt = choose(accept, DESCRIPTION)
    return fmt.name if fmt else None


@pytest.mark.parametrize(
    ("accept", "expected"),
    [
        (None, "html"),
        ("", "html"),
        ("*/*", "html"),
        ("text/turtle", "turtle"),
        ("application/ld+json", "jsonld"),
        ("application/json", "jsonld"),
        ("application/n-triples", "ntriples"),
        ("application/rdf+xml", "rdfxml"),
        ("text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8", "html"),
        ("text/turtle;q=0.5, application/rdf+xml", "rdfxml"),
        ("application/rdf+xml;q=0.3, text/turtle;q=0.9, */*;q=0.1", "turtle"),
        ("text/*", "html"),
        ("text/*;q=0.5, text/turtle", "turtle"),
        ("application/*", "jsonld"),
        ("text/html;q=0, */*", "turtle"),
        ("TEXT/TURTLE", "turtle"),
        ("text/turtle; charset=utf-8; q=0.8", "turtle"),
        ("image/png", None),
        ("text/turtle;q=0", None),
        ("garbage, text/turtle", "turtle"),
        ("text/turtle;q=abc", "turtle"),
    ],
)
def test_accept_picks_the_best_format(accept: str | None, expected: str | None) -> None:
    assert chosen(accept) == expected


def test_most_specific_range_decides() -> None:
    # text/turtle is refused outright even though text/* would accept it
    assert chosen("text/*;q=0.9, text/turtle;q=0, text/html;q=0") is None
    assert chosen("text/*, text/html;q=0.1") == "turtle"


def test_q_values_are_parsed_and_clamped() -> None:
    ranges = parse_accept("a/b;q=2, c/d;q=-1, e/f")
    assert [r.q for r in ranges] == [1.0, 0.0, 1.0]


@pytest.mark.parametrize(
    ("path", "stem", "name"),
    [
        ("3039", "3039", None),
        ("3039.ttl", "3039", "turtle"),
        ("3039.jsonld", "3039", "jsonld"),
        ("3039.nt", "3039", "ntriples"),
        ("3039.rdf", "3039", "rdfxml"),
        ("3039.html", "3039", "html"),
        ("keyword/forced-labour.ttl", "keyword/forced-labour", "turtle"),
        ("keyword/forced-labour", "keyword/forced-labour", None),
        ("3039.pdf", "3039.pdf", None),
    ],
)
def test_suffixes(path: str, stem: str, name: str | None) -> None:
    found_stem, fmt = split_suffix(path)
    assert found_stem == stem
    assert (fmt.name if fmt else None) == name


def test_format_parameter_names() -> None:
    assert by_name("sparql_results", "csv").media_type == "text/csv"  # type: ignore[union-attr]
    assert by_name("sparql_results", "application/sparql-results+json").name == "json"  # type: ignore[union-attr]
    assert by_name("sparql_graph", "ttl").name == "turtle"  # type: ignore[union-attr]
    assert by_name("sparql_graph", "csv") is None


def test_every_format_has_a_distinct_suffix_per_use() -> None:
    for use in ("description", "sparql_results", "sparql_graph"):
        suffixes = [f.suffix for f in formats(use)]
        assert len(suffixes) == len(set(suffixes))
