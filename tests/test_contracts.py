"""What every registered reader and every registered output format must do (scrapy's exporter tests
are the model): the tests run over the registries, so a format is tested the moment it is registered.

A new reader needs one sample in SAMPLES; a new RDF format is parsed back by rdflib by its media
type and must say what the record's N-Triples say.
"""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
import rdflib
from lxml import etree
from rdflib.compare import isomorphic
from rdflib.namespace import RDF, SKOS

from ls_lod import exporters, readers
from ls_lod.build.pipeline import outcomes
from ls_lod.convert import graph
from ls_lod.convert.context import Conversion, conversion_for
from ls_lod.exporters import DumpSource
from ls_lod.exporters.jsonld import context
from ls_lod.model import Outcome
from ls_lod.report import Report
from ls_lod.settings import Settings
from ls_lod.store.catalog import CatalogStore
from support import DATA, TEST_DATA, run_cli

# reader name -> a sample of its format holding records (one file each, already in the test data)
SAMPLES = {
    "page": DATA / "3039.txt",
    "csv": TEST_DATA / "good" / "catalogue.csv",
    "jsonl": TEST_DATA / "good" / "catalogue.jsonl",
}
RDF_MEDIA_TYPES = {
    "application/n-triples": "nt",
    "text/turtle": "turtle",
    "application/ld+json": "json-ld",
    "application/rdf+xml": "xml",
}


@pytest.fixture(scope="module")
def conversion() -> Conversion:
    return conversion_for(Settings.load(environ={}))


@pytest.fixture(scope="module")
def seed(conversion: Conversion) -> Outcome:
    return next(o for o in outcomes([str(DATA / "3039.txt")], conversion) if o.record is not None)


# -- readers ---------------------------------------------------------------------------------
@pytest.mark.parametrize("name", sorted(readers.READERS))
def test_every_reader_has_a_sample_a_name_and_extensions(name: str) -> None:
    reader = readers.READERS[name]
    assert name in SAMPLES, f"add a sample of the {name!r} format to SAMPLES in this test"
    assert reader.name == name and reader.file_extensions
    assert all(ext.startswith(".") and ext == ext.lower() for ext in reader.file_extensions)
    assert readers.by_name(name) is reader


@pytest.mark.parametrize("name", sorted(readers.READERS))
def test_every_reader_reads_its_sample_with_numbers_and_locations(name: str) -> None:
    report = Report()
    sample = SAMPLES[name]
    records = list(readers.READERS[name].read(io.BytesIO(sample.read_bytes()), str(sample), report))
    assert records, f"{name} read no record from {sample}"
    for record in records:
        assert record.text("Document number"), record
        assert record.location.source == str(sample)
        where = record.where("Document number")
        assert where is not None and where.line is not None and where.line >= 1


@pytest.mark.parametrize("name", sorted(readers.READERS))
def test_every_reader_yields_nothing_from_an_empty_source_and_never_raises(name: str) -> None:
    report = Report()
    assert list(readers.READERS[name].read(io.BytesIO(b""), "empty", report)) == []


# -- per-record payloads ---------------------------------------------------------------------
@pytest.mark.parametrize("name", sorted(exporters.RECORD_FORMATS))
def test_every_record_format_renders_the_seed(name: str, seed: Outcome, conversion: Conversion) -> None:
    fmt = exporters.RECORD_FORMATS[name]
    assert seed.record is not None
    text = fmt.render(seed.record, seed.triples, conversion)
    assert text.strip() and fmt.media_type
    if fmt.media_type.endswith("xml"):
        etree.fromstring(text.encode("utf-8"))  # well-formed, or it raises


@pytest.mark.parametrize(
    "name", sorted(n for n, f in exporters.RECORD_FORMATS.items() if f.media_type in RDF_MEDIA_TYPES)
)
def test_every_rdf_record_format_says_what_the_triples_say(name: str, seed: Outcome, conversion: Conversion) -> None:
    fmt = exporters.RECORD_FORMATS[name]
    assert seed.record is not None
    expected = set(rdflib.Graph().parse(data=graph.to_ntriples(seed.triples), format="nt"))
    text = fmt.render(seed.record, seed.triples, conversion)
    if fmt.media_type == "application/ld+json":  # a compact node without @context: the dump adds it
        text = json.dumps({**context(), "@graph": [json.loads(line) for line in text.splitlines()]})
    got = set(rdflib.Graph().parse(data=text, format=RDF_MEDIA_TYPES[fmt.media_type]))
    assert not expected - got, f"{name} lacks {sorted(expected - got)[:5]}"


# -- dumps -----------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("contract") / "site"
    assert run_cli("build", str(DATA), "--out", str(out)).returncode in (0, 1)
    return out


def dump(fmt: exporters.DumpFormat, source: DumpSource, built: Path) -> rdflib.Graph | bytes:
    out = io.BytesIO()
    fmt.write(source, out)
    if fmt.media_type not in RDF_MEDIA_TYPES:
        return out.getvalue()
    data = out.getvalue().decode("utf-8")
    if fmt.media_type == "application/ld+json":  # the dump names its context by IRI; give rdflib the file
        document = json.loads(data)
        document["@context"] = json.loads((built / "context.jsonld").read_text("utf-8"))["@context"]
        data = json.dumps(document)
    return rdflib.Graph().parse(data=data, format=RDF_MEDIA_TYPES[fmt.media_type])


@pytest.mark.slow
@pytest.mark.parametrize("name", sorted(exporters.DUMP_FORMATS))
def test_every_dump_format_says_what_the_n_triples_dump_says(name: str, built: Path, conversion: Conversion) -> None:
    fmt = exporters.DUMP_FORMATS[name]
    assert exporters.dump_format(name) is fmt and all(exporters.dump_format(a) is fmt for a in fmt.aliases)
    source = DumpSource(CatalogStore.open(built, readonly=True), conversion)
    got = dump(fmt, source, built)
    if isinstance(got, bytes):
        assert got, f"{name} wrote nothing"
        return
    expected = dump(exporters.dump_format("nt"), source, built)
    assert isinstance(expected, rdflib.Graph) and len(expected) > 1000
    if fmt.subset:  # a part of the dataset: what it says of anything but its concept schemes, the whole says
        schemes = set(got.subjects(RDF.type, SKOS.ConceptScheme))
        assert schemes and not {t for t in got if t[0] not in schemes} - set(expected)
    else:
        assert isomorphic(got, expected)
