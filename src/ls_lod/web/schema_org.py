"""schema.org JSON-LD and `citation_*` meta tags for a document page, for search engines and
reference managers (Google Scholar and Zotero read the citation_* tags).

The schema.org type comes from the document type (schema_org_types.toml, data).

Returned as a Python value; the template writes it with Jinja's `tojson`, which escapes
`<`, `>`, `&` and `'`, so a title holding `</script>` cannot end the script element.
"""

from __future__ import annotations

import tomllib
from functools import cache
from importlib import resources
from typing import TYPE_CHECKING, Any

from pyoxigraph import Literal
from rdflib.namespace import FOAF

if TYPE_CHECKING:
    from ls_lod.web.catalogue import Catalogue
    from ls_lod.web.context import WebContext

PERSON = str(FOAF.Person)


@cache
def _types() -> dict[str, str]:
    text = resources.files("ls_lod.web").joinpath("schema_org_types.toml").read_text("utf-8")
    return dict(tomllib.loads(text)["types"])


def schema_type(doctype_iris: list[str]) -> str:
    """The first type of the table that one of the document's types maps to, else CreativeWork."""
    slugs = {iri.rsplit("/", 1)[-1] for iri in doctype_iris}
    return next((kind for slug, kind in _types().items() if slug in slugs), "CreativeWork")


def document(web: WebContext, c: Catalogue, iri: str, fields: dict[str, Any], issued: list[Literal]) -> dict[str, Any]:
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": schema_type([t for t, _ in fields["types"]]),
        "@id": iri,
        "url": web.minter.thing_to_description(iri),
        "name": fields["titles"][0].value if fields["titles"] else None,
        "identifier": fields["number"][0] if fields["number"] else None,
        "datePublished": issued[0].value.split("/")[0] if issued else None,
        "author": [_agent(c, agent) for agent, _ in fields["creators"]],
        "publisher": [_agent(c, agent) for agent, _ in fields["publishers"]],
        "keywords": [label for _, label in fields["keywords"]],
        "genre": [label for _, label in fields["types"]],
        "abstract": fields["summaries"][0].value if fields["summaries"] else None,
        "inLanguage": fields["titles"][0].language if fields["titles"] and fields["titles"][0].language else None,
        "associatedMedia": [
            {"@type": "MediaObject", "contentUrl": pdf, "encodingFormat": "application/pdf"} for pdf in fields["pdfs"]
        ],
        "isPartOf": {"@type": "Collection", "name": web.site.settings.repository_name},
    }
    return {key: value for key, value in data.items() if value not in (None, [])}


def _agent(c: Catalogue, iri: str) -> dict[str, str]:
    kind = "Person" if PERSON in c.types(iri) else "Organization"
    return {"@type": kind, "@id": iri, "name": c.label(iri)}


def citation_tags(c: Catalogue, fields: dict[str, Any], issued: list[Literal]) -> list[tuple[str, str]]:
    """(name, content) of the Highwire Press `citation_*` meta tags, in the order Scholar reads them."""
    tags = [("citation_title", t.value) for t in fields["titles"][:1]]
    tags += [("citation_author", c.label(agent)) for agent, _ in fields["creators"]]
    if issued:  # YYYY, YYYY/MM or YYYY/MM/DD; an interval gives its start
        tags.append(("citation_publication_date", issued[0].value.split("/")[0].replace("-", "/")))
    tags += [("citation_publisher", c.label(agent)) for agent, _ in fields["publishers"][:1]]
    tags += [("citation_pdf_url", pdf) for pdf in fields["pdfs"][:1]]
    tags += [("citation_language", t.language) for t in fields["titles"][:1] if t.language]
    if fields["keywords"]:
        tags.append(("citation_keywords", "; ".join(label for _, label in fields["keywords"])))
    tags += [("citation_abstract_html_url", url) for url in fields["canonical"][:1]]
    return tags
