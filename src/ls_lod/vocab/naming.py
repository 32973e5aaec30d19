"""Order-free names of what many records share: a candidate concept's label and slug.

Each is decided from the uses of all the records at once, never from the first record met, so
that a build names a candidate the same whatever the order of its records, the batches and the
processes that converted them, and whatever a rebuild took over. The label is the spelling the
most uses give, ties going to the first in code point order (what SQLite's BINARY collation and
Python's `min` both sort by); the slug is the label's, unless it is taken.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Container, Mapping

from ls_lod.uris import slugify


def preferred_spelling(uses: Mapping[str, int]) -> str:
    """The spelling with the most uses; of those equally used, the first in code point order."""
    return min(uses, key=lambda spelling: (-uses[spelling], spelling))


def key_digest(key: str) -> str:
    """What tells apart candidates whose labels slugify alike (a candidate's key is stable)."""
    return hashlib.sha1(key.encode("utf-8")).hexdigest()[:10]


def label_slug(label: str, key: str) -> str:
    """The slug a label asks for: slugified, or from the key when no Latin letter is left."""
    return slugify(label) or f"candidate-{key_digest(key)}"


def candidate_slugs(labels: Mapping[str, str], taken: Container[str]) -> dict[str, str]:
    """key -> slug for candidates with these labels (key -> label). A slug taken by a curated
    concept gets the key's digest; of candidates whose labels ask for one slug, the key first in
    code point order keeps it and the others get their digest. So a candidate keeps its slug while
    no other candidate asks for it, whatever the order the keys were met in."""
    asking: dict[str, list[str]] = defaultdict(list)
    for key, label in labels.items():
        asking[label_slug(label, key)].append(key)
    slugs = {}
    for slug, keys in asking.items():
        keys.sort()
        for index, key in enumerate(keys):
            slugs[key] = f"{slug}-{key_digest(key)}" if index or slug in taken else slug
    return slugs
