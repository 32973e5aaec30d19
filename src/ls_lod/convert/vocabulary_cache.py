"""The parsed vocabulary kept between builds: DIR/.cache/vocabulary-<key>.pickle, and beside
it the validator's index of its terms (terms-<key>.pickle, 1 s to make) and the N-Triples the
dumps carry of it (ntriples-<key>.pickle, 1 s with rdflib's serialiser).

Parsing vocab/*.ttl with rdflib and indexing it takes about two seconds; unpickling the result
about half a second. The key is the vocabulary's digest (build/incremental.py: its files, the
base IRI it mints with and ls-lod's own code), with the Python version, so a changed file or a
new ls-lod never reads a stale copy.

A copy is written to a temporary name and renamed into place (a killed build leaves no half
file under the name), one build at a time holds DIR (build/lock.py), and a copy that does not
read back is parsed again and replaced. The cache holds only what the build itself wrote into
DIR, so unpickling it trusts no more than the catalog store beside it does.

LS_LOD_CACHE_DIR names one folder for all of them instead, the way PIP_CACHE_DIR does for pip:
every build directory, the worker processes, `ls-lod validate` and `ls-lod vocab candidates`
then share one parsed copy. It is the user's own cache, trusted as that user's files are.
"""

from __future__ import annotations

import contextlib
import os
import pickle
import sys
from collections.abc import Callable
from pathlib import Path

from ls_lod.uris import Minter
from ls_lod.vocab.terms import VocabularyTerms
from ls_lod.vocab.vocabulary import Vocabulary

CACHE_DIR = ".cache"
SHARED_CACHE = "LS_LOD_CACHE_DIR"  # one cache folder for every build directory and command
_PREFIX = "vocabulary-"
_TERMS = "terms-"  # the validator's index of the terms, beside it
_NTRIPLES = "ntriples-"  # the dumps' N-Triples of the vocabularies and the candidates met


def cache_path(directory: Path | None, key: str) -> Path | None:
    """Where the parsed vocabulary of digest `key` is kept: in the folder LS_LOD_CACHE_DIR names,
    else in DIR/.cache of a build into `directory`; None (parsed every time) for a command that
    has no build directory when the variable is not set."""
    shared = os.environ.get(SHARED_CACHE)
    if shared:
        folder = Path(shared).expanduser()
    elif directory is not None:
        folder = directory / CACHE_DIR
    else:
        return None
    version = "".join(str(part) for part in sys.version_info[:2])
    return folder / f"{_PREFIX}{key[:32]}-py{version}.pickle"


def load_terms(vocabulary: Vocabulary, minter: Minter, cached: Path | None) -> VocabularyTerms:
    """The validator's index of the vocabulary's terms, kept beside the vocabulary's copy (made
    from the curated graph alone, it depends on nothing else: vocab/terms.py)."""
    if cached is None:
        return VocabularyTerms(vocabulary, minter)
    kept = cached.with_name(cached.name.replace(_PREFIX, _TERMS, 1))
    index = _read(kept)
    if isinstance(index, dict):
        return VocabularyTerms.from_index(vocabulary, minter, index)
    terms = VocabularyTerms(vocabulary, minter)
    _write(kept, terms.index(), _TERMS)
    return terms


def load_ntriples(cached: Path | None, key: str, make: Callable[[], str]) -> str:
    """The vocabularies' N-Triples as the dumps carry them (curated and candidate terms): kept
    beside the vocabulary's copy under `key` (the candidates met), made again when they change."""
    if cached is None:
        return make()
    kept = cached.with_name(cached.name.replace(_PREFIX, _NTRIPLES, 1))
    found = _read(kept)
    if isinstance(found, tuple) and found[0] == key and isinstance(found[1], str):
        return found[1]
    text = make()
    _write(kept, (key, text), _NTRIPLES)
    return text


def load_vocabulary(folder: Path, minter: Minter, cached: Path | None) -> Vocabulary:
    """The vocabulary of `folder`, from the cache file `cached` when it holds it, else parsed
    (and then written there for the next build)."""
    if cached is None:
        return Vocabulary.load(folder, minter)
    found = _read(cached)
    if isinstance(found, Vocabulary):
        return found
    vocabulary = Vocabulary.load(folder, minter)
    # graph()'s copy of the curated graph too: every converting build makes it (the rdf payload
    # renderer, the sets), 0.7 s to copy against 0.3 s more to unpickle
    vocabulary.graph()
    _write(cached, vocabulary, _PREFIX)
    return vocabulary


def _read(kept: Path) -> object | None:
    """What a build pickled at `kept`, or None when there is none or it does not read back
    (a damaged copy is then made again and replaces it)."""
    try:
        with kept.open("rb") as stream:
            return pickle.load(stream)
    except Exception:
        return None


def _write(cached: Path, kept: object, prefix: str) -> None:
    """Written beside, then renamed into place; older copies go (one key is live at a time)."""
    partial = cached.with_name(f".{cached.name}.{os.getpid()}.partial")
    try:
        cached.parent.mkdir(parents=True, exist_ok=True)
        with partial.open("wb") as stream:
            pickle.dump(kept, stream, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(partial, cached)
        for other in cached.parent.iterdir():
            if other.name != cached.name and (other.name.startswith((prefix, f".{prefix}"))):
                other.unlink(missing_ok=True)
    except OSError:  # a read-only or full disk: the build goes on, the next one parses again
        with contextlib.suppress(OSError):
            partial.unlink(missing_ok=True)
