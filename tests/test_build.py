"""`ls-lod build` end to end: the golden seed, the dumps and their independent checks,
exit codes, atomic writes, byte-identical rebuilds."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pyoxigraph
import pytest
import rdflib
from click.testing import CliRunner
from pyld import jsonld
from rdflib.compare import graph_diff, isomorphic, to_isomorphic
from rdflib.namespace import DCTERMS, RDF, SKOS, XSD

from ls_lod.cli import main
from support import DATA, SEED, TEST_DATA, free_port, run_cli

BASE = "https://lod.lastradainternational.org/"
PDF_TEMPLATE = "availability_url_template=https://documentation.example.org/pdf/{number}.pdf"


def load(path: Path, fmt: str) -> rdflib.Graph:
    graph = rdflib.Graph()
    if fmt == "json-ld":  # the dump names its context by its published IRI: hand pyld the file
        document = json.loads(path.read_text("utf-8"))
        document["@context"] = json.loads((path.parent / "context.jsonld").read_text("utf-8"))["@context"]
        graph.parse(data=json.dumps(document), format="json-ld")
    else:
        graph.parse(path, format=fmt)
    return graph


def describe(graph: rdflib.Graph, subjects: set[rdflib.term.Node]) -> rdflib.Graph:
    part = rdflib.Graph()
    for triple in graph:
        if triple[0] in subjects:
            part.add(triple)
    return part


def assert_isomorphic(expected: rdflib.Graph, actual: rdflib.Graph) -> None:
    if not isomorphic(expected, actual):
        _, missing, extra = graph_diff(to_isomorphic(expected), to_isomorphic(actual))
        missing_nt, extra_nt = missing.serialize(format="nt"), extra.serialize(format="nt")
        pytest.fail(f"graphs differ\nmissing:\n{missing_nt}\nextra:\n{extra_nt}")


@pytest.mark.slow
def test_seed_record_matches_the_golden_graph(tmp_path: Path) -> None:
    result = run_cli("build", str(SEED), "--out", str(tmp_path / "site"), "--set", PDF_TEMPLATE)
    assert result.returncode == 0, result.stderr
    dataset = load(tmp_path / "site" / "dataset.nt", "nt")
    golden = rdflib.Graph().parse(TEST_DATA / "golden" / "seed-3039.ttl")
    assert_isomorphic(golden, describe(dataset, set(golden.subjects())))


@pytest.fixture(scope="module")
def bad_build(tmp_path_factory: pytest.TempPathFactory) -> tuple[subprocess.CompletedProcess[str], Path]:
    out = tmp_path_factory.mktemp("bad") / "site"
    return run_cli("build", str(TEST_DATA / "bad"), str(DATA), "--out", str(out)), out


@pytest.mark.slow
def test_dumps_agree_across_three_parsers(sample_build: Path) -> None:
    nt = load(sample_build / "dataset.nt", "nt")
    assert len(nt) > 1000
    assert_isomorphic(nt, load(sample_build / "dataset.ttl", "turtle"))
    assert_isomorphic(nt, load(sample_build / "dataset.jsonld", "json-ld"))
    for name, fmt in (("dataset.ttl", pyoxigraph.RdfFormat.TURTLE), ("dataset.nt", pyoxigraph.RdfFormat.N_TRIPLES)):
        assert len(list(pyoxigraph.parse(path=sample_build / name, format=fmt))) == len(nt)


@pytest.mark.slow
def test_jsonld_expands_with_pyld_to_the_same_triples(sample_build: Path) -> None:
    document = json.loads((sample_build / "dataset.jsonld").read_text("utf-8"))
    context = json.loads((sample_build / "context.jsonld").read_text("utf-8"))
    assert document["@context"] == BASE + "ns/context.jsonld"

    def loader(url: str, options: object = None) -> dict[str, object]:
        assert url == BASE + "ns/context.jsonld"
        return {"contextUrl": None, "documentUrl": url, "document": context}

    nquads = jsonld.to_rdf(document, {"format": "application/n-quads", "documentLoader": loader})
    via_pyld = rdflib.Graph().parse(data=nquads, format="nt")
    assert_isomorphic(load(sample_build / "dataset.nt", "nt"), via_pyld)


@pytest.mark.slow
def test_dump_modelling_invariants(sample_build: Path) -> None:
    graph = load(sample_build / "dataset.nt", "nt")
    assert not any(isinstance(term, rdflib.BNode) for triple in graph for term in triple)
    documents = set(graph.subjects(RDF.type, DCTERMS.BibliographicResource))
    assert len(documents) == 59
    for date in graph.objects(None, DCTERMS.issued):
        assert isinstance(date, rdflib.Literal) and date.datatype is not None
        assert date.datatype in (
            XSD.gYear,
            XSD.gYearMonth,
            XSD.date,
            rdflib.URIRef("http://id.loc.gov/datatypes/edtf/EDTF"),
        )
    subjects = set(graph.objects(None, DCTERMS.subject))
    assert subjects
    for concept in subjects:
        assert (concept, RDF.type, SKOS.Concept) in graph
        assert any(label.language for label in graph.objects(concept, SKOS.prefLabel))
        assert any((scheme, RDF.type, SKOS.ConceptScheme) in graph for scheme in graph.objects(concept, SKOS.inScheme))
    for doctype in set(graph.objects(None, DCTERMS.type)) - {rdflib.URIRef("http://purl.org/dc/dcmitype/Text")}:
        assert (doctype, RDF.type, SKOS.Concept) in graph


@pytest.mark.slow
def test_unicode_survives_every_dump(sample_build: Path) -> None:
    titles = {str(t) for t in load(sample_build / "dataset.nt", "nt").objects(None, DCTERMS.title)}
    for fmt in ("turtle", "json-ld"):
        name = "dataset.ttl" if fmt == "turtle" else "dataset.jsonld"
        assert {str(t) for t in load(sample_build / name, fmt).objects(None, DCTERMS.title)} == titles
    assert any(any("\u0400" <= c <= "\u04ff" for c in title) for title in titles)  # Cyrillic kept


@pytest.mark.slow
def test_void_counts_and_links(sample_build: Path) -> None:
    void = rdflib.Graph().parse(sample_build / "void.ttl")
    dataset = rdflib.URIRef(BASE + "id/dataset")
    voidns = rdflib.Namespace("http://rdfs.org/ns/void#")
    triples = int(void.value(dataset, voidns.triples))
    assert triples == len(load(sample_build / "dataset.nt", "nt"))
    assert int(void.value(dataset, voidns.entities)) == 59
    assert {str(d) for d in void.objects(dataset, voidns.dataDump)} >= {BASE + "dumps/dataset.nt"}
    assert void.value(dataset, DCTERMS.modified) is not None


@pytest.mark.slow
def test_every_input_record_is_published_or_held_back_with_reasons(bad_build: tuple) -> None:
    result, out = bad_build
    report = json.loads((out / "report.json").read_text("utf-8"))
    by_source = {Path(r["source"].split(":")[0]).name: r for r in report["records"]}
    inputs = {p.name for p in (TEST_DATA / "bad").iterdir()} | {p.name for p in DATA.glob("*.txt")}
    assert inputs <= set(by_source)
    for entry in report["records"]:
        if entry["status"].startswith("held back"):
            assert any(i["severity"] == "Violation" for i in entry["issues"]), entry
    assert by_source["javascript_link.txt"]["status"] == "held back"
    assert by_source["duplicate_number_b.txt"]["status"] == "held back"
    assert "duplicate_number_a.txt" in by_source["duplicate_number_b.txt"]["issues"][0]["message"]
    assert result.returncode == 1


def test_closing_line_and_exit_codes(bad_build: tuple, sample_build: Path) -> None:
    result, _ = bad_build
    summary = result.stdout.strip().splitlines()[0]
    assert summary.split(":")[0].endswith("records")
    assert " published, " in summary and " held back" in summary and summary.endswith(" withdrawn")


@pytest.mark.slow
def test_exit_code_0_when_all_published(tmp_path: Path) -> None:
    result = run_cli("build", str(TEST_DATA / "good" / "date_year.txt"), "--out", str(tmp_path / "s"))
    assert result.returncode == 0 and result.stdout.startswith("1 record: 1 published, 0 held back, 0 warnings")


def plural(count: int, noun: str) -> str:
    return f"{count} {noun}{'' if count == 1 else 's'}"


@pytest.mark.slow
def test_build_says_what_it_found_by_rule(bad_build: tuple) -> None:
    """After the summary line: every rule broken, with its count and its first issue (record, field,
    message), violations before warnings, and where the full list is; all as report.json has them."""
    result, out = bad_build
    issues = [i for r in json.loads((out / "report.json").read_text("utf-8"))["records"] for i in r["issues"]]
    stdout = result.stdout
    for severity, noun in (("Violation", "violation"), ("Warning", "warning")):
        found = [i for i in issues if i["severity"] == severity]
        for rule in {i["rule"] for i in found}:
            first = next(i for i in found if i["rule"] == rule)
            count = sum(i["rule"] == rule for i in found)
            assert f"\n  {rule}: {plural(count, noun)}" in stdout, rule
            who = f"record {first['doc_no']}" if first["doc_no"] else first["location"]
            assert f"{who}{', ' + first['field'] if first['field'] else ''}: {first['message']}" in stdout
    held = sum(r["status"].startswith("held back") for r in json.loads((out / "report.json").read_text())["records"])
    assert f"\nHeld back: {plural(held, 'record')}, for " in stdout
    assert stdout.index("Held back:") < stdout.index(f"\n{warnings_heading(out)}\n")
    assert f"Every record and its problems: {out / 'report.json'}" in stdout


def warnings_heading(out: Path) -> str:
    """The heading above the warnings, from report.json: a warning on a record held back was not published."""
    records = json.loads((out / "report.json").read_text("utf-8"))["records"]
    warned = sum(i["severity"] == "Warning" for r in records for i in r["issues"])
    held = sum(i["severity"] == "Warning" for r in records if r["status"] == "held back" for i in r["issues"])
    total = plural(warned, "warning")
    if not held:
        return f"Published with {total}:"
    return f"Warnings: {total}, " + (
        "all on records held back:" if held == warned else f"{held} of them on records held back:"
    )


def test_warnings_on_records_held_back_are_not_said_to_be_published(tmp_path: Path) -> None:
    first = json.loads((TEST_DATA / "good" / "catalogue.jsonl").read_text("utf-8").splitlines()[0])
    source = tmp_path / "catalogue.jsonl"
    untitled = dict(first, document_number="77", title="", date="the spring of long ago")
    source.write_text(json.dumps(first) + "\n" + json.dumps(untitled) + "\n", "utf-8")
    result = run_cli("build", str(source), "--out", str(tmp_path / "site"))
    assert result.returncode == 1, result.stdout + result.stderr
    heading = warnings_heading(tmp_path / "site")
    assert heading.startswith("Warnings: ") and f"\n{heading}\n" in result.stdout, (heading, result.stdout)
    assert "Published with" not in result.stdout


@pytest.mark.slow
def test_a_refused_connection_says_why_the_record_is_held_back(tmp_path: Path) -> None:
    url = f"http://127.0.0.1:{free_port()}/catalogue.jsonl"  # nothing listens there
    result = run_cli("build", url, "--out", str(tmp_path / "s"), "--set", "http_retries=0")
    assert result.returncode == 1
    assert "  fetch: 1 violation:" in result.stdout
    assert f"{url}: could not fetch {url}: could not connect" in result.stdout


@pytest.mark.slow
def test_quiet_prints_nothing_unless_records_are_held_back(tmp_path: Path) -> None:
    clean = run_cli("build", str(TEST_DATA / "bad" / "future_date.txt"), "--out", str(tmp_path / "a"), "--quiet")
    assert clean.returncode == 0 and clean.stdout == "" and clean.stderr == ""
    held = run_cli("build", str(TEST_DATA / "bad"), "--out", str(tmp_path / "b"), "--quiet")
    assert held.returncode == 1 and " held back, " in held.stdout.splitlines()[0]
    assert "Held back: " in held.stdout and "Published with" not in held.stdout and "Skipped" not in held.stdout


@pytest.mark.parametrize(
    "args",
    [
        ["build", "no/such/dir", "--out", "x"],
        ["build", str(SEED), "--out", "x", "--set", "base_uri"],
        ["build", str(SEED), "--out", "x", "--set", "no_such_setting=1"],
        ["build", str(SEED), "--out", "x", "--set", "oai_page_size=many"],
        ["build", str(SEED)],
    ],
)
def test_usage_and_configuration_errors_exit_2_without_traceback(args: list[str], tmp_path: Path) -> None:
    result = run_cli(*args, cwd=tmp_path)
    assert result.returncode == 2
    assert "Traceback" not in result.stderr and result.stderr.strip()


@pytest.mark.slow
def test_config_file_and_environment(tmp_path: Path) -> None:
    (tmp_path / "ls-lod.toml").write_text('base_uri = "https://example.org/lod/"\n')
    result = run_cli("build", str(SEED), "--out", "site", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "<https://example.org/lod/id/document/3039>" in (tmp_path / "site" / "dataset.nt").read_text()
    result = run_cli(
        "build", str(SEED), "--out", "site2", cwd=tmp_path, env={"LS_LOD_BASE_URI": "https://env.example.org/"}
    )
    assert "<https://env.example.org/id/document/3039>" in (tmp_path / "site2" / "dataset.nt").read_text()


@pytest.mark.slow
def test_same_input_gives_byte_identical_output(tmp_path: Path) -> None:
    env = {"SOURCE_DATE_EPOCH": "1700000000"}
    names = ("dataset.nt", "dataset.ttl", "dataset.jsonld", "void.ttl", "context.jsonld")
    runs = []
    for run in ("a", "b"):
        assert run_cli("build", str(DATA), "--out", str(tmp_path / run), env=env).returncode == 0
        runs.append({name: (tmp_path / run / name).read_bytes() for name in names})
    assert runs[0] == runs[1]
    assert run_cli("build", str(DATA), "--out", str(tmp_path / "a")).returncode == 0  # rebuild, later clock
    assert {name: (tmp_path / "a" / name).read_bytes() for name in names} == runs[0]


@pytest.mark.slow
def test_a_failing_build_leaves_the_previous_outputs_intact(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "site"
    runner = CliRunner()
    assert runner.invoke(main, ["build", str(DATA), "--out", str(out)]).exit_code == 0
    before = {p.name: p.read_bytes() for p in out.iterdir() if p.is_file() and p.suffix != ".sqlite"}

    from ls_lod.exporters import dataset

    def broken(self: object, *args: object, **kwargs: object) -> str:
        raise OSError("disk full")

    monkeypatch.setattr(dataset.TurtleDump, "from_ntriples", broken)  # what the build writes the Turtle dump with
    result = runner.invoke(main, ["build", str(SEED), "--out", str(out)])
    assert result.exit_code != 0
    after = {p.name: p.read_bytes() for p in out.iterdir() if p.is_file() and p.suffix != ".sqlite"}
    assert after == before
    assert not list(out.glob(".*.partial"))


@pytest.mark.slow
def test_a_killed_build_leaves_the_previous_outputs_intact(tmp_path: Path) -> None:
    out = tmp_path / "site"
    assert run_cli("build", str(SEED), "--out", str(out)).returncode == 0
    before = (out / "dataset.nt").read_bytes()
    catalogue = tmp_path / "big.jsonl"
    subprocess.run(
        [
            sys.executable,
            str(DATA.parent / "bench" / "generate.py"),
            "20000",
            "--format",
            "jsonl",
            "--out",
            str(catalogue),
            "--quiet",
        ],
        check=True,
    )
    process = subprocess.Popen(
        [sys.executable, "-m", "ls_lod", "build", str(catalogue), "--out", str(out)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 60
    while not list(out.glob("generations/*/.*.partial")) and time.monotonic() < deadline:
        time.sleep(0.05)
    os.kill(process.pid, signal.SIGKILL)
    process.wait()
    assert (out / "dataset.nt").read_bytes() == before
    rebuilt = run_cli("build", str(SEED), "--out", str(out))
    assert rebuilt.returncode == 0 and not list(out.glob("**/.*.partial"))
    assert (out / "dataset.nt").read_bytes() == before


@pytest.mark.slow
def test_worker_processes_change_nothing(tmp_path: Path) -> None:
    """Records converted, validated and rendered in worker processes publish byte for byte what
    one process publishes: same order, same issues, same candidates, same dumps."""
    catalogue = tmp_path / "catalogue.jsonl"
    subprocess.run(
        [
            sys.executable,
            str(DATA.parent / "bench" / "generate.py"),
            "300",
            "--format",
            "jsonl",
            "--out",
            str(catalogue),
            "--bad-rate",
            "0.1",
            "--quiet",
        ],
        check=True,
    )
    outputs = []
    for processes in ("1", "2"):
        out = tmp_path / f"site-{processes}"
        result = run_cli(
            "build",
            str(catalogue),
            "--out",
            str(out),
            "--set",
            f"build_processes={processes}",
            "--set",
            "validation_batch_size=40",
            env={"SOURCE_DATE_EPOCH": "1700000000"},
        )
        assert result.returncode == 1, result.stderr  # the bad records are held back
        outputs.append(
            {name: (out / name).read_bytes() for name in ("dataset.nt", "dataset.ttl", "dataset.jsonld", "void.ttl")}
        )
        report = json.loads((out / "report.json").read_text("utf-8"))
        del report["summary"]["seconds"]  # how long each stage took differs from run to run
        del report["summary"]["loaded"]  # and what loading took
        outputs[-1]["report.json"] = json.dumps(report).encode()
    assert outputs[0] == outputs[1]
    assert b"candidates" in outputs[0]["dataset.nt"]  # candidate keywords met in workers are described
