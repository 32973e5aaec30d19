"""The build engine: the same outputs whatever the processes and batches, rebuilds that reuse
what did not change, one build at a time in a directory, and an interrupt that is one line."""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pyoxigraph
import pytest
import rdflib
from rdflib.compare import isomorphic

from conftest import DATA, run_cli
from ls_lod.build.stages import GENERATION_STAGE
from ls_lod.exporters import RECORD_FORMATS
from ls_lod.store.catalog import CatalogStore
from ls_lod.store.generations import live_directory

pytestmark = [pytest.mark.slow]
EPOCH = {"SOURCE_DATE_EPOCH": "1700000000"}
DUMPS = ("dataset.nt", "dataset.ttl", "dataset.jsonld", "void.ttl")
DATASET_DUMPS = tuple(f"{name}{gz}" for name in DUMPS[:3] for gz in ("", ".gz"))
FORMATS = tuple(RECORD_FORMATS)
DCAT = rdflib.Namespace("http://www.w3.org/ns/dcat#")


def generate(target: Path, count: int, *extra: str) -> Path:
    script = str(DATA.parent / "bench" / "generate.py")
    command = [sys.executable, script, str(count), "--format", "jsonl", "--out", str(target), "--quiet", *extra]
    subprocess.run(command, check=True)
    return target


@pytest.fixture(scope="module")
def catalogue(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return generate(tmp_path_factory.mktemp("engine") / "catalogue.jsonl", 200, "--bad-rate", "0.1")


def void_but_vocabulary_sizes(site: Path) -> rdflib.Graph:
    void = rdflib.Graph().parse(site / "void.ttl", format="turtle")
    for url in list(void.subjects(DCAT.byteSize, None)):
        if "/dumps/vocab." in str(url):
            void.remove((url, DCAT.byteSize, None))
    return void


def build(source: Path, out: Path, *settings: str, epoch: int = 1700000000, vocab: Path | None = None) -> dict:
    """A real `ls-lod build`; returns report.json's summary."""
    args = [arg for setting in settings for arg in ("--set", setting)] + (["--vocab", str(vocab)] if vocab else [])
    result = run_cli("build", str(source), "--out", str(out), *args, env={"SOURCE_DATE_EPOCH": str(epoch)})
    assert result.returncode in (0, 1) and " records: " in result.stdout, result.stderr
    return json.loads((out / "report.json").read_text("utf-8"))["summary"]


def datestamps(out: Path) -> dict[str, tuple[str, int]]:
    with sqlite3.connect(out / "catalog.sqlite") as db:
        return {n: (d, x) for n, d, x in db.execute("SELECT number, datestamp, deleted FROM record")}


def payloads(out: Path, fmt: str) -> dict[str, str]:
    store = CatalogStore.open(out, readonly=True)
    try:
        return dict(store.payloads(fmt))
    finally:
        store.close()


def file_stamps(out: Path) -> dict[str, tuple[int, int]]:
    """Inode and modification time of each dump: a file written again gets new ones."""
    return {name: ((out / name).stat().st_ino, (out / name).stat().st_mtime_ns) for name in DUMPS}


def dump_inodes(out: Path) -> dict[str, int]:
    """The live generation's dataset dumps and their gzip copies: a file written again gets a new inode."""
    live = live_directory(out)
    return {name: (live / name).stat().st_ino for name in DATASET_DUMPS}


def moved(before: dict[str, tuple[str, int]], after: dict[str, tuple[str, int]]) -> set[str]:
    return {n for n in after if before.get(n) != after[n]}


def report_issues(out: Path) -> dict[str, list[object]]:
    records = json.loads((out / "report.json").read_text("utf-8"))["records"]
    return {r["number"]: r["issues"] for r in records if r["status"].startswith("published")}


def store_rows(out: Path) -> dict[str, object]:
    """Everything the store serves: payloads, datestamps and sets, by record."""
    with sqlite3.connect(out / "catalog.sqlite") as db:
        return {
            "payloads": sorted((n, fmt, text) for fmt in FORMATS for n, text in payloads(out, fmt).items()),
            "records": sorted(db.execute("SELECT number, datestamp, deleted FROM record")),
            "sets": sorted(db.execute("SELECT set_spec, number FROM record_set")),
        }


def test_outputs_are_the_same_for_any_processes_and_batch_size(catalogue: Path, tmp_path: Path) -> None:
    """The rdf payload of a record using a candidate keyword carries the candidates scheme
    whichever process met the candidate first (it used to depend on that)."""
    seen = []
    for processes, batch in (("1", "30"), ("2", "30"), ("1", "200")):
        out = tmp_path / f"site-{processes}-{batch}"
        build(catalogue, out, f"build_processes={processes}", f"validation_batch_size={batch}")
        seen.append((store_rows(out), {name: (out / name).read_bytes() for name in DUMPS}))
    assert seen[0] == seen[1] == seen[2]
    payloads = [content for _, fmt, content in seen[0][0]["payloads"] if fmt == "rdfxml"]  # type: ignore[union-attr]
    with_candidates = [text for text in payloads if "/keywords/candidates" in text]
    assert with_candidates and all("skos:ConceptScheme" in text or "ConceptScheme" in text for text in with_candidates)


def record_rows(out: Path) -> list[tuple[object, ...]]:
    """Every row of the store's record table, whole."""
    with sqlite3.connect(out / "catalog.sqlite") as db:
        return sorted(db.execute("SELECT * FROM record"))


def test_an_identical_rebuild_moves_no_datestamp_and_rewrites_no_dump(catalogue: Path, tmp_path: Path) -> None:
    out = tmp_path / "site"
    first = build(catalogue, out, "build_processes=2", "validation_batch_size=30")
    stamps, files, dumps = datestamps(out), file_stamps(out), {n: (out / n).read_bytes() for n in DUMPS}
    issues, rows = report_issues(out), record_rows(out)
    again = build(catalogue, out, "build_processes=2", "validation_batch_size=30", epoch=1700100000)
    assert again["store"] == {"new": 0, "changed": 0, "unchanged": first["published"], "deleted": 0}
    assert datestamps(out) == stamps and file_stamps(out) == files
    assert report_issues(out) == issues  # reused records report their stored issues
    # a record taken over is only marked seen, for this build: its row is not written again (it
    # was, every row: the record table is 47 MB at 100,000 records, written to the WAL and back)
    assert record_rows(out) == rows
    # settings that reach no output (processes, batches, a server's timeout) take every record
    # over and rewrite no dump; the server starts from their new values
    run_only = ("build_processes=1", "validation_batch_size=70", "sparql_timeout=11")
    quiet = build(catalogue, out, *run_only, epoch=1700200000)
    assert quiet["store"] == again["store"] and "dumps" not in quiet["seconds"]
    assert datestamps(out) == stamps and file_stamps(out) == files
    saved = json.loads((out / "live" / "build-settings.json").read_text("utf-8"))["settings"]
    assert (saved["sparql_timeout"], saved["build_processes"], saved["validation_batch_size"]) == (11, 1, 70)
    # a setting that may reach the outputs (the keywords a record keeps) converts every record
    # again, here in other batches and processes: no datestamp moves, and the dumps say the same
    again = build(catalogue, out, "build_processes=1", "validation_batch_size=70", "max_keywords=499", epoch=1700300000)
    assert "dumps" in again["seconds"]
    assert datestamps(out) == stamps and {n: (out / n).read_bytes() for n in DUMPS} == dumps


def test_a_rebuild_moves_exactly_the_changed_records_and_retires_the_missing_once(
    catalogue: Path, tmp_path: Path
) -> None:
    out = tmp_path / "site"
    build(catalogue, out)
    stamps, published = datestamps(out), set(report_issues(out))
    rows = [json.loads(line) for line in catalogue.read_text("utf-8").splitlines()]
    numbers = [str(row.get("document_number", "")) for row in rows]
    numbered = [row for row, n in zip(rows, numbers, strict=True) if n in published and numbers.count(n) == 1]
    changed, removed = numbered[:3], numbered[3:5]
    for row in changed:
        row["title"] = f"{row.get('title') or ''} (second edition)"
    added = dict(numbered[5], document_number="990001")
    kept = [row for row in rows if row not in removed] + [added]
    edited = tmp_path / "edited.jsonl"
    edited.write_text("".join(json.dumps(row, ensure_ascii=False) + "\n" for row in kept), "utf-8")
    summary = build(edited, out, epoch=1700100000)
    after = datestamps(out)
    expected = {str(row["document_number"]) for row in [*changed, *removed, added]}
    assert moved(stamps, after) == expected
    assert {n for n in expected if after[n][1]} == {str(row["document_number"]) for row in removed}
    assert (summary["store"]["new"], summary["store"]["changed"], summary["store"]["deleted"]) == (1, 3, 2)
    # the dumps of a rebuild that took most records over equal those of a build from scratch
    # (candidate keywords of the records taken over included)
    # (void.ttl but for the size of vocab.ttl.gz: the rebuild keeps the schemes' dcterms:modified
    # of its first build, when the vocabulary was last published changed, so its gzip differs)
    fresh = tmp_path / "fresh"
    build(edited, fresh, epoch=1700100000)
    records = DUMPS[:-1]
    assert {n: (out / n).read_bytes() for n in records} == {n: (fresh / n).read_bytes() for n in records}
    assert isomorphic(void_but_vocabulary_sizes(out), void_but_vocabulary_sizes(fresh))
    build(edited, out, epoch=1700200000)
    assert datestamps(out) == after  # a tombstone is made once, not again by each build


def test_a_changed_vocabulary_label_moves_exactly_the_records_that_show_it(catalogue: Path, tmp_path: Path) -> None:
    vocab = tmp_path / "vocab"
    shutil.copytree(DATA.parent / "vocab", vocab)
    out = tmp_path / "site"
    build(catalogue, out, vocab=vocab)
    stamps, rdf = datestamps(out), payloads(out, "rdfxml")
    text = (vocab / "keywords.ttl").read_text("utf-8")
    renamed = text.replace('skos:prefLabel "forced labour"@en,', 'skos:prefLabel "forced labour (all forms)"@en,')
    alternatives = 'skos:altLabel "forced labor"@en,'
    renamed = renamed.replace(alternatives, alternatives.replace("skos:altLabel", 'skos:altLabel "forced labour"@en,'))
    assert renamed.count("(all forms)") == 1 and renamed.count('altLabel "forced labour"') == 1
    (vocab / "keywords.ttl").write_text(renamed, "utf-8")
    build(catalogue, out, vocab=vocab, epoch=1700100000)
    # the concept's own records, and those of its narrower concepts (whose payloads name it)
    showing = {n for n, content in rdf.items() if 'xml:lang="en">forced labour</skos:prefLabel>' in content}
    assert showing and moved(stamps, datestamps(out)) == showing


def converted_again(catalogue: Path, out: Path, vocab: Path, edit: str | tuple[str, str, str], epoch: int) -> int:
    """Edit the vocabulary (a string: added to keywords.ttl; (file, old, new): a replacement) and
    build again: how many records the build converted. The rebuild must publish what a build
    from scratch with the edited vocabulary does."""
    name, old, new = ("keywords.ttl", "", edit) if isinstance(edit, str) else edit
    text = (vocab / name).read_text("utf-8")
    assert old in text
    (vocab / name).write_text(text.replace(old, new, 1) if old else text + new, "utf-8")
    summary = build(catalogue, out, vocab=vocab, epoch=epoch)
    assert_as_from_scratch(catalogue, out, epoch, vocab=vocab)
    return int(summary["converted"])


def assert_as_from_scratch(catalogue: Path, out: Path, epoch: int, *settings: str, vocab: Path | None = None) -> None:
    """The rebuild `out` publishes what a build from scratch with the same inputs does."""
    fresh = out.with_name(f"fresh-{epoch}")
    build(catalogue, fresh, *settings, vocab=vocab, epoch=epoch)
    for fmt in FORMATS:
        assert payloads(out, fmt) == payloads(fresh, fmt)
    assert report_issues(out) == report_issues(fresh)
    with sqlite3.connect(out / "catalog.sqlite") as db, sqlite3.connect(fresh / "catalog.sqlite") as scratch:
        # of the published records: a withdrawn record's tombstone keeps its sets (OAI-PMH lists it in them)
        query = "SELECT s.set_spec, s.number FROM record_set s JOIN record r USING (number) WHERE r.deleted = 0"
        assert sorted(db.execute(query)) == sorted(scratch.execute(query))
    records = DUMPS[:-1]
    assert {n: (out / n).read_bytes() for n in records} == {n: (fresh / n).read_bytes() for n in records}
    assert index_contents(out) == index_contents(fresh)


def index_contents(out: Path) -> tuple[object, ...]:
    """What the browse index lists and searches, and what the SPARQL store holds."""
    live = out / "live"
    with sqlite3.connect(live / "browse.sqlite") as db:
        documents = db.execute("SELECT * FROM document ORDER BY number").fetchall()
        facets = db.execute("SELECT * FROM facet ORDER BY kind, iri, number").fetchall()
        found = db.execute("SELECT rowid FROM document_text WHERE document_text MATCH 'labour' ORDER BY rowid")
        searched = found.fetchall()
    pointer = json.loads((live / "sparql-store.json").read_text("utf-8"))
    quads = sorted(str(quad) for quad in pyoxigraph.Store.read_only(str(live / pointer["store"])))
    return documents, facets, searched, quads


def test_a_vocabulary_edit_converts_again_exactly_the_records_it_changes(catalogue: Path, tmp_path: Path) -> None:
    """A record is keyed by its fields without the vocabulary, and signed by what it reads in the
    vocabulary: after an edit, only the records whose signature moved are converted again (a
    full build before: every record, for any edit)."""
    vocab = tmp_path / "vocab"
    shutil.copytree(DATA.parent / "vocab", vocab)
    out = tmp_path / "site"
    published = build(catalogue, out, vocab=vocab)["published"]
    with sqlite3.connect(out / "catalog.sqlite") as db:
        naming = {n for (n,) in db.execute("SELECT number FROM record WHERE candidates LIKE '%\"amsterdam\"%'")}
    showing = {n for n, text in payloads(out, "rdfxml").items() if 'xml:lang="en">forced labour</' in text}
    assert naming and showing and len(naming | showing) < published / 2
    # a concept no record reads: nothing to convert
    unused = "\n<id/keyword/zeppelin-studies> a skos:Concept ; skos:inScheme <id/keywords> ;\n"
    unused += '    skos:prefLabel "zeppelin studies"@en ; skos:topConceptOf <id/keywords> .\n'
    assert converted_again(catalogue, out, vocab, unused, 1700100000) == 0
    # a hidden label that reads a candidate keyword: the records that name it
    hidden = '\n<id/keyword/netherlands> skos:hiddenLabel "Amsterdam"@en .\n'
    assert converted_again(catalogue, out, vocab, hidden, 1700200000) == len(naming)
    # a concept's definition: the records that read it or a narrower concept
    defined = '\n<id/keyword/forced-labour> skos:definition "All work exacted under menace of a penalty."@en .\n'
    assert converted_again(catalogue, out, vocab, defined, 1700300000) == len(showing)
    # a normalisation rule: the browse index folds every title word with them, so it is written
    # whole (the Polish "raport" of some titles now also finds "report")
    rule = ("normalisation.toml", "[words]\n", '[words]\nraport = "report"\n')
    converted_again(catalogue, out, vocab, rule, 1700400000)


def copied_shapes(tmp_path: Path) -> Path:
    shapes = tmp_path / "shapes"
    shutil.copytree(DATA.parent / "shapes", shapes)
    return shapes


def edit_shapes(shapes: Path, old: str, new: str) -> str:
    """Replace `old` with `new` in the copy's document.ttl; returns the text it had."""
    path = shapes / "document.ttl"
    text = path.read_text("utf-8")
    assert old in text
    path.write_text(text.replace(old, new), "utf-8")
    return text


def change_severity(shapes: Path, rule_name: str, old: str, new: str) -> str:
    """Make the required-value rule `rule_name` of document.ttl a sh:`new` instead of a sh:`old`."""
    rule = f'    sh:minCount 1 ;\n    sh:severity sh:{old} ;\n    sh:name "{rule_name}"@en ;'
    return edit_shapes(shapes, rule, rule.replace(f"sh:{old}", f"sh:{new}"))


def test_a_changed_shape_message_changes_exactly_the_reports_that_quote_it(catalogue: Path, tmp_path: Path) -> None:
    shapes, out = copied_shapes(tmp_path), tmp_path / "site"
    build(catalogue, out, f"shapes_dir={shapes}")
    stamps, issues = datestamps(out), report_issues(out)
    old = "add the year of issue if it is known."
    dumps = dump_inodes(out)
    edit_shapes(shapes, old, "add the year of issue when it is known.")
    again = build(catalogue, out, f"shapes_dir={shapes}", epoch=1700100000)
    now = report_issues(out)
    # no record's triples changed: the dumps are the last build's files, linked, not copied
    assert dump_inodes(out) == dumps
    quoting = {n for n, found in issues.items() if any(old in str(i["message"]) for i in found)}
    assert quoting and {n for n in now if now[n] != issues.get(n)} == quoting
    assert moved(stamps, datestamps(out)) == set()  # the payloads did not change
    # every record was validated again, none rendered again: no shape reaches a payload
    assert again["converted"] == 0 and again["validated_again"] == again["published"]
    # the store kept the new issues: the next build takes every record over and reports them
    assert build(catalogue, out, f"shapes_dir={shapes}", epoch=1700200000)["converted"] == 0
    assert report_issues(out) == now


def test_a_relaxed_shape_publishes_the_records_it_held_back_and_changes_the_indexes_in_place(
    catalogue: Path, tmp_path: Path
) -> None:
    """Shapes reach the dumps and indexes only through the records whose publication they change:
    a rebuild after a shape edit changes them in place, as after a 1% change of the catalogue."""
    shapes, out = copied_shapes(tmp_path), tmp_path / "site"
    first = build(catalogue, out, f"shapes_dir={shapes}")
    change_severity(shapes, "Title is required", "Violation", "Warning")
    # in batches of 20, so that a worker process validates most records again
    workers = ("validation_batch_size=20", "build_processes=2")
    again = build(catalogue, out, f"shapes_dir={shapes}", *workers, epoch=1700100000)
    assert again["store"]["new"] == 1 and again["published"] == first["published"] + 1  # the untitled record
    # it alone is rendered; the others are validated again and keep their stored payloads
    assert again["converted"] == 1 and again["validated_again"] == first["published"]
    assert_as_from_scratch(catalogue, out, 1700100000, f"shapes_dir={shapes}")


def test_a_record_a_shape_edit_holds_back_stays_held_back_until_it_passes(catalogue: Path, tmp_path: Path) -> None:
    """A record held back keeps its last good version in the store, made from the same content:
    the next build must not take that version over as if it passed."""
    shapes, out = copied_shapes(tmp_path), tmp_path / "site"
    first = build(catalogue, out, f"shapes_dir={shapes}")
    text = change_severity(shapes, "Date of issue", "Warning", "Violation")
    tightened = build(catalogue, out, f"shapes_dir={shapes}", epoch=1700100000)
    undated = tightened["kept_last_good_version"]
    assert undated and tightened["published"] == first["published"] - undated
    held = report_statuses(out)
    for epoch in (1700200000, 1700300000):  # the same inputs again: still held back, not taken over
        again = build(catalogue, out, f"shapes_dir={shapes}", epoch=epoch)
        assert (again["published"], again["kept_last_good_version"]) == (tightened["published"], undated)
        assert report_statuses(out) == held
    (shapes / "document.ttl").write_text(text, "utf-8")  # relaxed again: published, as from scratch
    relaxed = build(catalogue, out, f"shapes_dir={shapes}", epoch=1700400000)
    assert relaxed["published"] == first["published"] and relaxed["converted"] == undated
    assert_as_from_scratch(catalogue, out, 1700400000, f"shapes_dir={shapes}")


# A cataloger's shape that reads the vocabulary: a record whose keyword is a deprecated term is held back.
NOT_DEPRECATED = """@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix owl: <http://www.w3.org/2002/07/owl#> .
<urn:ls-lod-test:rule:not-deprecated> a sh:PropertyShape ;
    sh:targetClass skos:Concept ; sh:path owl:deprecated ; sh:maxCount 0 ; sh:severity sh:Violation ;
    sh:message "the term {$this} is deprecated; use the term that replaces it."@en .
"""


def test_a_record_a_vocabulary_edit_holds_back_stays_held_back(catalogue: Path, tmp_path: Path) -> None:
    """As above for an edit of the vocabulary, which a record's key leaves out as well."""
    shapes, vocab, out = copied_shapes(tmp_path), tmp_path / "vocab", tmp_path / "site"
    (shapes / "not-deprecated.ttl").write_text(NOT_DEPRECATED, "utf-8")
    shutil.copytree(DATA.parent / "vocab", vocab)
    first = build(catalogue, out, f"shapes_dir={shapes}", vocab=vocab)
    with (vocab / "keywords.ttl").open("a", encoding="utf-8") as stream:
        stream.write("\n<id/keyword/forced-labour> <http://www.w3.org/2002/07/owl#deprecated> true .\n")
    edited = build(catalogue, out, f"shapes_dir={shapes}", vocab=vocab, epoch=1700100000)
    held = edited["kept_last_good_version"]
    assert held and edited["published"] == first["published"] - held
    again = build(catalogue, out, f"shapes_dir={shapes}", vocab=vocab, epoch=1700200000)
    assert (again["published"], again["kept_last_good_version"]) == (edited["published"], held)


def changed_copy(catalogue: Path, target: Path) -> Path:
    """The catalogue with 10 records' titles and keywords edited, 8 removed and 4 added."""
    rows = [json.loads(line) for line in catalogue.read_text("utf-8").splitlines()]
    for row in rows[20:30]:
        row["title"] = f"{row.get('title') or ''} (second edition)"
        row["keywords"] = "forced labour, webcam, sexual exploitation"
    added = [dict(rows[index], document_number=str(990001 + index)) for index in (50, 60, 70, 80)]
    kept = [row for index, row in enumerate(rows) if index not in range(100, 108)] + added
    target.write_text("".join(json.dumps(row, ensure_ascii=False) + "\n" for row in kept), "utf-8")
    return target


def test_a_sequence_of_rebuilds_publishes_at_every_step_what_a_build_from_scratch_does(
    catalogue: Path, tmp_path: Path
) -> None:
    """Records edited, withdrawn and back again, with shape and vocabulary edits between, in
    batches of 20 with a worker process: every in-place change of the store, the dumps and the
    indexes adds up to what a build from scratch of the same inputs publishes."""
    changed = changed_copy(catalogue, tmp_path / "changed.jsonl")
    shapes, vocab, out = copied_shapes(tmp_path), tmp_path / "vocab", tmp_path / "site"
    relaxed = copied_shapes(tmp_path / "relaxed")
    change_severity(relaxed, "Title is required", "Violation", "Warning")
    shutil.copytree(DATA.parent / "vocab", vocab)
    hidden = tmp_path / "hidden"
    shutil.copytree(vocab, hidden)
    with (hidden / "keywords.ttl").open("a", encoding="utf-8") as stream:
        stream.write('\n<id/keyword/online-exploitation> skos:hiddenLabel "webcam"@en .\n')
    workers = ("validation_batch_size=20", "build_processes=2")
    steps = [(catalogue, shapes, vocab), (changed, shapes, vocab), (catalogue, relaxed, vocab)]
    steps += [(changed, relaxed, hidden), (catalogue, relaxed, vocab)]
    for epoch, (source, shape_dir, vocab_dir) in enumerate(steps, start=1700000000):
        build(source, out, f"shapes_dir={shape_dir}", *workers, epoch=epoch, vocab=vocab_dir)
        assert_as_from_scratch(source, out, epoch, f"shapes_dir={shape_dir}", vocab=vocab_dir)


def test_a_rebuild_whose_changed_records_a_worker_converts_publishes_what_a_build_from_scratch_does(
    catalogue: Path, tmp_path: Path
) -> None:
    """One changed record in every few batches: a rebuild with two processes sends them to a
    worker from the first one on, while the main process takes the others over."""
    out, edited = tmp_path / "site", tmp_path / "edited.jsonl"
    workers = ("validation_batch_size=20", "build_processes=2")
    build(catalogue, out, *workers)
    rows = [json.loads(line) for line in catalogue.read_text("utf-8").splitlines()]
    for row in rows[25::40]:
        row["title"] = f"{row.get('title') or ''} (revised)"
        row["keywords"] = "forced labour, webcam"
    edited.write_text("".join(json.dumps(row, ensure_ascii=False) + "\n" for row in rows), "utf-8")
    again = build(edited, out, *workers, epoch=1700100000)
    assert 0 < again["converted"] <= len(rows[25::40])
    assert_as_from_scratch(edited, out, 1700100000, *workers)


def test_rebuilds_of_the_catalogue_in_another_order_publish_what_a_build_from_scratch_does(
    catalogue: Path, tmp_path: Path
) -> None:
    """The catalogue reversed (records taken over from other lines; of two records with one number
    the other one first), changed in one process, reversed again in batches of 7, then as it was."""
    reversed_copy = tmp_path / "reversed.jsonl"
    reversed_copy.write_text("".join(f"{line}\n" for line in reversed(catalogue.read_text("utf-8").splitlines())))
    changed, out = changed_copy(catalogue, tmp_path / "changed.jsonl"), tmp_path / "site"
    steps = [(catalogue, ()), (reversed_copy, ()), (changed, ("build_processes=1",))]
    steps += [(reversed_copy, ("validation_batch_size=7",)), (catalogue, ())]
    for epoch, (source, settings) in enumerate(steps, start=1700000000):
        build(source, out, *settings, epoch=epoch)
        assert_as_from_scratch(source, out, epoch)


def report_statuses(out: Path) -> dict[str, str]:
    records = json.loads((out / "report.json").read_text("utf-8"))["records"]
    return {str(r["number"]): r["status"] for r in records}


def start_build(source: Path, out: Path, *settings: str) -> subprocess.Popen[str]:
    """A build in its own process group, as a shell starts a command a user may Ctrl-C."""
    args = [arg for setting in settings for arg in ("--set", setting)]
    return subprocess.Popen(
        [sys.executable, "-m", "ls_lod", "build", str(source), "--out", str(out), *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )


def wait_for(condition: object, seconds: float = 120) -> None:
    deadline = time.monotonic() + seconds
    while not condition():  # type: ignore[operator]
        assert time.monotonic() < deadline, "the build did not get there in time"
        time.sleep(0.05)


def children(pid: int) -> list[str]:
    path = Path(f"/proc/{pid}/task/{pid}/children")
    return path.read_text().split() if path.exists() else []


@pytest.fixture(scope="module")
def larger(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return generate(tmp_path_factory.mktemp("larger") / "catalogue.jsonl", 1000)


def test_a_second_build_into_the_same_directory_is_refused_and_the_first_completes(
    larger: Path, tmp_path: Path
) -> None:
    out = tmp_path / "site"
    first = start_build(larger, out, "build_processes=1")
    # the first build is writing its generation (the store in DIR appears only at its switch)
    wait_for(lambda: any(out.glob("generations/*/catalog.sqlite")) and (out / ".build.lock").stat().st_size > 0)
    second = run_cli("build", str(larger), "--out", str(out))
    assert second.returncode == 2, second.stderr
    assert f"another build is running in {out} (process {first.pid}" in second.stderr
    assert "Traceback" not in second.stderr
    stdout, stderr = first.communicate(timeout=600)
    assert first.returncode == 0, stderr
    assert "1,000 records: 1,000 published" in stdout
    assert run_cli("build", str(larger), "--out", str(out)).returncode == 0  # the lock went with the process


def test_ctrl_c_during_a_build_with_workers_prints_one_line_and_exits_130(larger: Path, tmp_path: Path) -> None:
    out = tmp_path / "site"
    build_process = start_build(larger, out, "build_processes=2", "validation_batch_size=100")
    wait_for(lambda: len(children(build_process.pid)) >= 2)  # the workers are starting
    time.sleep(1.0)
    os.killpg(build_process.pid, signal.SIGINT)  # what a terminal sends on Ctrl-C
    _, stderr = build_process.communicate(timeout=120)
    assert build_process.returncode == 130
    one_line = "ls-lod: interrupted; nothing was published, the last build stays as it was."
    # in a pipe, each stage that ended is logged with its time (cli/support.py StageLog): the only
    # one before the records is the new generation
    *logged, last = stderr.strip().splitlines()
    assert last == one_line
    assert all(re.fullmatch(rf"ls-lod build: {GENERATION_STAGE}: \d+\.\d s", line) for line in logged), logged
    assert len(logged) <= 1, logged
    assert not list(out.glob(".*.partial")) and not (out / "report.json").exists()
