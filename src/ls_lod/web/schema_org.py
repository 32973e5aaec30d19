"""schema.org JSON-LD for a document page, so search engines index it as a creative work.

Returned as a Python value; the template writes it with Jinja's `tojson`, which escapes
`<`, `>`, `&` and `'`, so a title holding `</script>` cannot end the script element.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from pyoxigraph import Literal
from rdflib.namespace import FOAF

if TYPE_CHECKING:
    from ls_lod.web.catalogue import Catalogue
    from ls_lod.web.context import WebContext

PERSON = str(FOAF.Person)


def document(web: WebContext, c: Catalogue, iri: str, fields: dict[str, Any], issued: list[Literal]) -> dict[str, Any]:
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "CreativeWork",
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
