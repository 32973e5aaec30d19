"""Compare two build directories byte for byte: every stored payload of every record and
every file of the live generation. Used to show that a speed change altered no output.

    python bench/compare_builds.py OLD_BUILD_DIR NEW_BUILD_DIR

Ignores what differs between any two builds by design: report.json and the sidecar files
that carry timings or build times, and the SQLite files themselves (their payloads are
compared decoded, record by record, instead). The build time a vocabulary dump and void.ttl
carry (dcterms:modified) is masked, and so are void.ttl's byte sizes (a gzip copy's size moves
with that time). Exit code 1 when anything differs.
"""

from __future__ import annotations

import gzip
import hashlib
import re
import sys
from pathlib import Path

from ls_lod.store.catalog import CatalogStore

# files that hold times, counters or binary databases, compared otherwise or not at all
SKIP = {"report.json", "build-settings.json", "sparql-store.json", "catalog.sqlite", "browse.sqlite"}
SKIP_DIRS = {"sparql-store"}
TIMES = re.compile(rb'"\d{4}-\d\d-\d\dT[0-9:.]+(Z|[+-]\d\d:\d\d)?"\^\^xsd:dateTime')
SIZES = re.compile(rb'dcat:byteSize "\d+"')


def live(directory: Path) -> Path:
    """The live generation's folder (the `live` pointer names it)."""
    pointer = directory / "live"
    name = pointer.read_text().strip() if pointer.is_file() else str(pointer.readlink())
    found = Path(name) if Path(name).is_absolute() else directory / name
    return found if found.is_dir() else directory / "generations" / Path(name).name


def files(generation: Path) -> dict[str, str]:
    """Relative path -> sha256 of every compared file."""
    found = {}
    for path in sorted(generation.rglob("*")):
        relative = path.relative_to(generation)
        if path.is_dir() or path.name in SKIP or path.name.endswith(("-wal", "-shm")):
            continue
        if SKIP_DIRS & set(relative.parts):
            continue
        found[str(relative)] = hashlib.sha256(_masked(path)).hexdigest()
    return found


def _masked(path: Path) -> bytes:
    data = path.read_bytes()
    if path.name.startswith(("vocab", "void")):
        data = gzip.decompress(data) if path.suffix == ".gz" else data
        data = SIZES.sub(b"dcat:byteSize", TIMES.sub(b"TIME", data))
    return data


def payloads(generation: Path) -> dict[tuple[str, str], str]:
    """(format, number) -> payload text, for every format in the store."""
    store = CatalogStore.open(generation, readonly=True)
    try:
        formats = [row[0] for row in store.db.execute("SELECT DISTINCT format FROM payload ORDER BY format")]
        return {(fmt, number): text for fmt in formats for number, text in store.payloads(fmt)}
    finally:
        store.close()


def compare(old: Path, new: Path) -> list[str]:
    differences = []
    old_files, new_files = files(live(old)), files(live(new))
    for name in sorted(old_files.keys() | new_files.keys()):
        if old_files.get(name) != new_files.get(name):
            differences.append(f"file {name}")
    old_payloads, new_payloads = payloads(live(old)), payloads(live(new))
    for key in sorted(old_payloads.keys() | new_payloads.keys()):
        if old_payloads.get(key) != new_payloads.get(key):
            differences.append(f"payload {key[0]} of record {key[1]}")
    print(f"{len(old_files)} files and {len(old_payloads)} payloads compared")
    return differences


def main() -> int:
    old, new = (Path(arg) for arg in sys.argv[1:3])
    differences = compare(old, new)
    for line in differences[:40]:
        print("differs:", line)
    print(f"{len(differences)} differences" if differences else "identical")
    return 1 if differences else 0


if __name__ == "__main__":
    sys.exit(main())
